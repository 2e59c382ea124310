"""Import of the province's daily data package (省平台下发数据包), per
``shared/province-exchange.md``.

The whole package is validated before anything is written. By default any invalid row means
nothing is imported and the problems go to an error workbook; with ``skip_invalid`` the valid
rows are imported. The import is one transaction (killed half-way, nothing of it remains),
importing the same package twice changes nothing the second time, and the county's own
corrections and decisions are never overwritten: the conflicts are listed.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from zikao_desk.errors import UserError, ValidationError
from zikao_desk.models import (
    Application,
    ApplicationPeriod,
    ApplicationStatus,
    Candidate,
    Correction,
    CorrectionField,
    County,
    Decision,
    DecisionKind,
    IdentityStatus,
    ImportRun,
    Level,
    Major,
    MaterialsStatus,
    OldPlanCourse,
    PaymentStatus,
    PhotoStatus,
    ResumeEntry,
    Role,
    SubstituteCourse,
    University,
    label_zh,
)
from zikao_desk.services import audit
from zikao_desk.services.auth import ActingUser, require_role
from zikao_desk.services.blobs import store_blob
from zikao_desk.services.duplicates import index_photo
from zikao_desk.services.exchange.workbook import (
    Problem,
    Row,
    parse_datetime,
    parse_month,
    read_sheet,
    read_workbook,
    write_problems,
)
from zikao_desk.services.images import decode_image
from zikao_desk.services.reference_data import KNOWN_REGION_CODES
from zikao_desk.services.safezip import SafeZip
from zikao_desk.services.validation import (
    ENGLISH_II_CREDITS,
    check_id_matches_gender,
    parse_gender,
    parse_id_number,
    validate_application_no,
    validate_batch_code,
    validate_county_code,
    validate_course_code,
    validate_major_code,
    validate_prior_diploma,
    validate_ticket_no,
    validate_universities,
)
from zikao_desk.services.workflow import check_payment_allowed

WORKBOOK_NAME = "申请数据.xlsx"
ProgressFn = Callable[[int, int, str], None]

CANDIDATE_COLUMNS = ["准考证号", "身份证号", "姓名", "性别", "民族", "联系电话", "通讯地址", "区县代码", "身份认证",
                     "准考证照片", "身份证人像面照", "手持身份证照"]  # fmt: skip
CANDIDATE_REQUIRED = ["准考证号", "身份证号", "姓名", "性别", "区县代码"]
APPLICATION_COLUMNS = ["申请编号", "准考证号", "批次", "申请次数", "申请区县代码", "通讯地址", "专业代码", "专业名称",
                       "层次", "主考院校1", "主考院校2", "前置学历证书号", "顶替英语二", "提交时间", "系统审核",
                       "毕业照片", "照片认证", "支付状态", "支付时间", "订单号", "旧计划扫描件"]  # fmt: skip
APPLICATION_REQUIRED = ["申请编号", "准考证号", "批次", "申请次数", "申请区县代码", "专业代码", "专业名称", "层次",
                        "主考院校1", "提交时间"]  # fmt: skip
SUBSTITUTE_COLUMNS = ["申请编号", "课程代码", "课程名称", "学分"]
OLD_PLAN_COLUMNS = ["申请编号", "课程代码", "课程名称", "学分", "成绩", "考核卡编号"]
RESUME_COLUMNS = ["申请编号", "起始年月", "终止年月", "单位或学校", "职务或身份", "证明人"]
RESUME_REQUIRED = ["申请编号", "起始年月", "单位或学校"]
FORM_COLUMNS = ["申请编号", "政治面貌", "工作单位", "家庭地址", "自我鉴定"]

IDENTITY_VALUES = {"通过": IdentityStatus.ONLINE_PASSED, "未通过": IdentityStatus.PENDING_REVIEW,
                   "未认证": IdentityStatus.NOT_VERIFIED, "": IdentityStatus.NOT_VERIFIED}  # fmt: skip
PHOTO_VALUES = {"通过": PhotoStatus.ONLINE_PASSED, "未通过": PhotoStatus.PENDING_REVIEW,
                "未上传": PhotoStatus.NOT_UPLOADED, "": PhotoStatus.NOT_UPLOADED}  # fmt: skip
SYSTEM_VALUES = {"通过": ApplicationStatus.SYSTEM_APPROVED, "待人工": ApplicationStatus.PENDING,
                 "": ApplicationStatus.PENDING}  # fmt: skip
LEVEL_VALUES = {"专科": Level.ASSOCIATE, "本科": Level.BACHELOR}
# the province's words for a state: what the package writer writes and conflict lines show
IDENTITY_TEXT = {status: text for text, status in IDENTITY_VALUES.items() if text}
PHOTO_TEXT = {status: text for text, status in PHOTO_VALUES.items() if text}
MAX_PACKAGE_IMAGE_BYTES = 10 * 1024 * 1024


# -- the package: a ZIP or a folder ----------------------------------------------------------
class Package:
    def __init__(self, path: Path) -> None:
        self.path = path
        self.name = path.name
        self._zip: SafeZip | None = None
        if path.is_dir():
            self.sha256 = _folder_digest(path)
        elif path.is_file():
            # read from disk as needed: a day's package with everyone's photos can be large
            digest = hashlib.sha256()
            with path.open("rb") as f:
                while chunk := f.read(1024 * 1024):
                    digest.update(chunk)
            self.sha256 = digest.hexdigest()
            self._zip = SafeZip(path, label=f"数据包 {path.name}")
        else:
            raise UserError(f"数据包 {path} 不存在")
        self._prefix = ""
        if self._zip is not None and self._zip.find(WORKBOOK_NAME) is None:
            # a package zipped together with its folder: 2026xxxx/申请数据.xlsx
            nested = [e for e in self._zip.entries() if e.safe and e.normalized.endswith("/" + WORKBOOK_NAME)]
            if len(nested) == 1:
                self._prefix = nested[0].normalized[: -len(WORKBOOK_NAME)]

    def close(self) -> None:
        if self._zip is not None:
            self._zip.close()

    def read(self, relative: str) -> bytes:
        """A file the workbook names by relative path; never outside the package."""
        rel = relative.replace("\\", "/").strip().lstrip("/")
        if not rel or ".." in rel.split("/"):
            raise ValidationError(f"文件路径“{relative}”不安全或为空")
        if self._zip is not None:
            entry = self._zip.find(self._prefix + rel)
            if entry is None:
                raise ValidationError(f"数据包中没有文件“{relative}”")
            return self._zip.read(entry)
        target = (self.path / rel).resolve()
        if not target.is_relative_to(self.path.resolve()) or not target.is_file():
            raise ValidationError(f"数据包中没有文件“{relative}”")
        return target.read_bytes()


def _folder_digest(path: Path) -> str:
    h = hashlib.sha256()
    for f in sorted(p for p in path.rglob("*") if p.is_file()):
        h.update(str(f.relative_to(path)).encode())
        h.update(f.read_bytes())
    return h.hexdigest()


# -- the result ------------------------------------------------------------------------------
@dataclass
class ImportSummary:
    package: str
    problems: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)
    conflicts: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    counts: Counter[str] = field(default_factory=Counter)
    imported: bool = False
    errors_workbook: Path | None = None

    @property
    def changed(self) -> int:
        return sum(v for k, v in self.counts.items() if k.endswith((".created", ".updated")))

    def text(self) -> str:
        lines = [f"数据包：{self.package}"]
        if not self.imported:
            lines.append(
                f"未导入：发现 {len(self.problems)} 个问题"
                + (f"，见 {self.errors_workbook}" if self.errors_workbook else "")
            )
            return "\n".join(lines)
        labels = {"candidates": "考生", "applications": "申请"}
        for kind in ("candidates", "applications"):
            lines.append(
                f"{labels[kind]}：新增 {self.counts[kind + '.created']}，更新 {self.counts[kind + '.updated']}，"
                f"无变化 {self.counts[kind + '.unchanged']}"
            )
        if self.counts["payments"]:
            lines.append(f"支付：{self.counts['payments']}")
        if not self.changed:
            lines.append("数据库无任何变化（此数据包的内容已全部导入过）")
        if self.problems:
            lines.append(
                f"跳过无效行 {len(self.problems)} 处"
                + (f"，见 {self.errors_workbook}" if self.errors_workbook else "")
            )
        lines.extend(self.notes)
        if self.conflicts:
            lines.append(f"与县区已办理的结果冲突 {len(self.conflicts)} 处，保留县区的值：")
            lines.extend(f"  - {c}" for c in self.conflicts[:50])
        return "\n".join(lines)


# -- validation ------------------------------------------------------------------------------
@dataclass
class _Parsed:
    candidates: dict[str, dict[str, Any]] = field(default_factory=dict)  # ticket -> values
    applications: dict[str, dict[str, Any]] = field(default_factory=dict)  # application no -> values
    substitutes: dict[str, list[dict[str, Any]]] = field(default_factory=lambda: defaultdict(list))
    old_plan: dict[str, list[dict[str, Any]]] = field(default_factory=lambda: defaultdict(list))
    resume: dict[str, list[dict[str, Any]]] = field(default_factory=lambda: defaultdict(list))
    forms: dict[str, dict[str, Any]] = field(default_factory=dict)
    bad_tickets: set[str] = field(default_factory=set)
    bad_applications: set[str] = field(default_factory=set)
    # relative path -> (media type, SHA-256): the bytes are read again when stored rather than
    # kept in memory, and must still be what was validated
    images: dict[str, tuple[str, str]] = field(default_factory=dict)


class _Validator:
    def __init__(self, session: Session, actor: ActingUser, package: Package, summary: ImportSummary) -> None:
        self.s = session
        self.actor = actor
        self.package = package
        self.summary = summary
        self.p = _Parsed()
        self.counties = set(session.scalars(select(County.code)))

    def own_county(self, row: Row, column: str) -> None:
        code = row.text(column)
        if code in self.counties and not self.actor.can_act_in(code):
            self.problem(row, column, f"区县 {code} 不属于用户 {self.actor.username} 绑定的区县，不能导入")

    def problem(self, row: Row, column: str, problem: str, value: Any = None) -> None:
        shown = row.text(column) if value is None and column else ("" if value is None else str(value))
        self.summary.problems.append(Problem(row.sheet, row.number, column, shown, problem))

    def checked(self, row: Row, column: str, validate: Callable[..., Any], *args: Any) -> Any:
        """``validate(*args)``, or None with the problem recorded against the cell."""
        try:
            return validate(*args)
        except ValidationError as exc:
            self.problem(row, column, str(exc))
            return None

    def image(self, row: Row, column: str, *, archive: bool = False) -> str | None:
        rel = row.text(column)
        if not rel:
            return None
        if rel in self.p.images:
            return rel
        try:
            data = self.package.read(rel)
            if archive:
                with SafeZip(data, label=f"压缩包“{rel}”") as z:
                    for entry in z.entries():
                        z.read(entry)
                media = "application/zip"
            else:
                media = decode_image(
                    data, what=f"图片“{rel}”", max_bytes=MAX_PACKAGE_IMAGE_BYTES
                ).info.media_type
        except ValidationError as exc:
            self.problem(row, column, str(exc))
            return None
        self.p.images[rel] = (media, hashlib.sha256(data).hexdigest())
        return rel

    def run(self, wb: Any) -> _Parsed:
        problems = self.summary.problems
        cand_rows = read_sheet(
            wb, "考生", CANDIDATE_COLUMNS, CANDIDATE_REQUIRED, problems, optional_sheet=False
        )
        app_rows = read_sheet(
            wb, "毕业申请", APPLICATION_COLUMNS, APPLICATION_REQUIRED, problems, optional_sheet=False
        )
        sub_rows = read_sheet(
            wb, "顶替课程", SUBSTITUTE_COLUMNS, SUBSTITUTE_COLUMNS, problems, optional_sheet=True
        )
        old_rows = read_sheet(
            wb, "旧计划课程", OLD_PLAN_COLUMNS, OLD_PLAN_COLUMNS[:4], problems, optional_sheet=True
        )
        res_rows = read_sheet(wb, "个人简历", RESUME_COLUMNS, RESUME_REQUIRED, problems, optional_sheet=True)
        form_rows = read_sheet(wb, "登记表", FORM_COLUMNS, ["申请编号"], problems, optional_sheet=True)
        for row in cand_rows:
            self.candidate(row)
        child_problems: dict[str, int] = Counter()
        for rows, kind in ((sub_rows, "sub"), (old_rows, "old"), (res_rows, "res"), (form_rows, "form")):
            for row in rows:
                before = len(problems)
                self.child(row, kind)
                if len(problems) > before:
                    child_problems[row.text("申请编号")] += 1
        for row in app_rows:
            self.application(row, child_problems)
        return self.p

    def candidate(self, row: Row) -> None:
        before = len(self.summary.problems)
        ticket = row.text("准考证号")
        self.checked(row, "准考证号", validate_ticket_no, ticket)
        if ticket in self.p.candidates or ticket in self.p.bad_tickets:
            self.problem(row, "准考证号", "准考证号在“考生”表中重复")
        info = None
        try:
            info = parse_id_number(row.text("身份证号"), known_regions=KNOWN_REGION_CODES)
            for w in info.warnings:
                self.summary.warnings.append(Problem(row.sheet, row.number, "身份证号", info.number, w))
        except ValidationError as exc:
            self.problem(row, "身份证号", str(exc))
        gender = None
        try:
            gender = parse_gender(row.text("性别"))
            if info is not None:
                check_id_matches_gender(info, gender)
        except ValidationError as exc:
            self.problem(row, "性别", str(exc))
        name = row.text("姓名")
        if not name or len(name) > 40:
            self.problem(row, "姓名", "姓名不能为空，且不超过 40 个字")
        county = row.text("区县代码")
        try:
            validate_county_code(county)
            if county not in self.counties:
                self.problem(row, "区县代码", f"区县代码 {county} 不在区划代码表中")
            self.own_county(row, "区县代码")
        except ValidationError as exc:
            self.problem(row, "区县代码", str(exc))
        if row.text("身份认证") not in IDENTITY_VALUES:
            self.problem(row, "身份认证", "身份认证应为 通过、未通过 或 未认证")
        if info is not None:
            dup = next((t for t, c in self.p.candidates.items() if c["id_number"] == info.number), None)
            if dup:
                self.problem(row, "身份证号", f"身份证号与“考生”表中准考证号 {dup} 的考生重复")
            owner = self.s.scalar(select(Candidate.ticket_no).where(Candidate.id_number == info.number))
            if owner is not None and owner != ticket:
                self.problem(row, "身份证号", f"身份证号已属于数据库中的考生 {owner}")
        images = {col: self.image(row, col) for col in ("准考证照片", "身份证人像面照", "手持身份证照")}
        if len(self.summary.problems) > before or info is None or gender is None:
            self.p.bad_tickets.add(ticket)
            return
        self.p.candidates[ticket] = {
            "ticket_no": ticket, "id_number": info.number, "name": name, "gender": gender,
            "birth_date": info.birth_date, "ethnicity": row.text("民族") or None,
            "phone": row.text("联系电话") or None, "address": row.text("通讯地址") or None,
            "county_code": county, "identity": IDENTITY_VALUES[row.text("身份认证")],
            "ticket_photo": images["准考证照片"], "id_card_photo": images["身份证人像面照"],
            "handheld_photo": images["手持身份证照"], "row": row,
        }  # fmt: skip

    def child(self, row: Row, kind: str) -> None:
        no = row.text("申请编号")
        if not no:
            self.problem(row, "申请编号", "申请编号不能为空")
            return
        if kind in ("sub", "old"):
            code = row.text("课程代码")
            self.checked(row, "课程代码", validate_course_code, code)
            if not row.text("课程名称"):
                self.problem(row, "课程名称", "课程名称不能为空")
            try:
                credits = int(row.text("学分"))
                if credits <= 0:
                    raise ValueError
            except ValueError:
                self.problem(row, "学分", "学分应为正整数")
                return
            target = self.p.substitutes if kind == "sub" else self.p.old_plan
            if any(c["course_code"] == code for c in target[no]):
                self.problem(row, "课程代码", f"申请 {no} 的课程 {code} 重复")
                return
            item = {"course_code": code, "course_name": row.text("课程名称"), "credits": credits}
            if kind == "old":
                item.update(score=row.text("成绩") or None, card_no=row.text("考核卡编号") or None)
            target[no].append(item)
        elif kind == "res":
            try:
                start = parse_month(row.values.get("起始年月"))
                end = parse_month(row.values.get("终止年月")) if row.text("终止年月") else None
            except ValueError as exc:
                self.problem(row, "起始年月", str(exc))
                return
            self.p.resume[no].append({"start_month": start, "end_month": end,
                                      "organization": row.text("单位或学校")[:100],
                                      "position": row.text("职务或身份")[:40] or None,
                                      "witness": row.text("证明人")[:40] or None})  # fmt: skip
        else:
            if no in self.p.forms:
                self.problem(row, "申请编号", "“登记表”表中申请编号重复")
                return
            self.p.forms[no] = {"political_status": row.text("政治面貌")[:20] or None,
                                "work_unit": row.text("工作单位")[:100] or None,
                                "home_address": row.text("家庭地址") or None,
                                "self_assessment": row.text("自我鉴定") or None}  # fmt: skip

    def application(self, row: Row, child_problems: dict[str, int]) -> None:
        before = len(self.summary.problems)
        no = row.text("申请编号")
        self.checked(row, "申请编号", validate_application_no, no)
        if no in self.p.applications or no in self.p.bad_applications:
            self.problem(row, "申请编号", "申请编号在“毕业申请”表中重复")
        ticket = row.text("准考证号")
        existing_candidate = self.s.scalar(select(Candidate.id).where(Candidate.ticket_no == ticket))
        if ticket in self.p.bad_tickets:
            self.problem(row, "准考证号", f"准考证号 {ticket} 在“考生”表中的行无效")
        elif ticket not in self.p.candidates and existing_candidate is None:
            self.problem(row, "准考证号", f"未知的准考证号 {ticket}（“考生”表和数据库中都没有）")
        batch = self.checked(row, "批次", validate_batch_code, row.text("批次")) or ""
        attempt_text = row.text("申请次数")
        attempt = int(attempt_text) if attempt_text in ("1", "2") else 0
        if not attempt:
            self.problem(row, "申请次数", "申请次数应为 1 或 2（重新申请仅限 1 次）")
        county = row.text("申请区县代码")
        if county not in self.counties:
            self.problem(row, "申请区县代码", f"区县代码 {county} 不在区划代码表中")
        self.own_county(row, "申请区县代码")
        major = self.checked(row, "专业代码", validate_major_code, row.text("专业代码")) or ""
        if not row.text("专业名称"):
            self.problem(row, "专业名称", "专业名称不能为空")
        level = LEVEL_VALUES.get(row.text("层次"))
        if level is None:
            self.problem(row, "层次", "层次应为 专科 或 本科")
        universities: tuple[str, str | None] = ("", None)
        try:
            universities = validate_universities(row.text("主考院校1"), row.text("主考院校2") or None)
        except ValidationError as exc:
            self.problem(row, "主考院校2" if "相同" in str(exc) else "主考院校1", str(exc))
        prior = None
        if level is not None:
            prior = self.checked(
                row, "前置学历证书号", validate_prior_diploma, level, row.text("前置学历证书号")
            )
        substituted = row.text("顶替英语二") == "是"
        if row.text("顶替英语二") not in ("", "是", "否"):
            self.problem(row, "顶替英语二", "顶替英语二应为 是 或 否")
        subs = self.p.substitutes.get(no, [])
        total = sum(c["credits"] for c in subs)
        if substituted and total < ENGLISH_II_CREDITS:
            self.problem(
                row,
                "顶替英语二",
                f"顶替英语（二）的课程总学分为 {total}，不能小于 {ENGLISH_II_CREDITS} 分",
                "是",
            )
        if not substituted and subs:
            self.problem(row, "顶替英语二", "未选择顶替英语（二），“顶替课程”表中却有该申请的课程")
        try:
            submitted = parse_datetime(row.values.get("提交时间"))
        except ValueError as exc:
            self.problem(row, "提交时间", str(exc))
            submitted = None
        system = SYSTEM_VALUES.get(row.text("系统审核"))
        if system is None:
            self.problem(row, "系统审核", "系统审核应为 通过 或 待人工")
        photo_status = PHOTO_VALUES.get(row.text("照片认证"))
        if photo_status is None:
            self.problem(row, "照片认证", "照片认证应为 通过、未通过 或 未上传")
        photo = self.image(row, "毕业照片")
        if not row.text("毕业照片") and photo_status in (
            PhotoStatus.ONLINE_PASSED,
            PhotoStatus.PENDING_REVIEW,
        ):
            photo_status = PhotoStatus.NOT_UPLOADED  # a missing photo stays out of the review queue
        paid = row.text("支付状态") == "已支付"
        if row.text("支付状态") not in ("", "未支付", "已支付"):
            self.problem(row, "支付状态", "支付状态应为 未支付 或 已支付")
        paid_at = None
        if paid:
            try:
                paid_at = parse_datetime(row.values.get("支付时间"))
            except ValueError as exc:
                self.problem(row, "支付时间", f"已支付须有支付时间：{exc}")
            self._payment_rule(row, no, system, photo_status)
        archive = self.image(row, "旧计划扫描件", archive=True)
        if self.p.old_plan.get(no) and not row.text("旧计划扫描件"):
            self.problem(
                row, "旧计划扫描件", "有旧计划课程，须上传旧计划课程（实践课考核卡）扫描件压缩包", ""
            )
        if child_problems.get(no):
            self.problem(row, "申请编号", f"该申请在其他工作表中有 {child_problems[no]} 处问题")
        if attempt == 2 and ticket and batch:
            firsts = [
                a
                for a in self.p.applications.values()
                if a["ticket"] == ticket and a["batch"] == batch and a["attempt"] == 1
            ]
            in_db = self.s.scalar(
                select(Application.id).join(ApplicationPeriod).join(Candidate)
                .where(Candidate.ticket_no == ticket, ApplicationPeriod.batch_code == batch, Application.attempt == 1)
            )  # fmt: skip
            if not firsts and in_db is None:
                self.problem(row, "申请次数", "第 2 次申请须先有本批次的第 1 次申请")
        if (
            len(self.summary.problems) > before
            or level is None
            or submitted is None
            or system is None
            or photo_status is None
        ):
            self.p.bad_applications.add(no)
            return
        self.p.applications[no] = {
            "application_no": no, "ticket": ticket, "batch": batch, "attempt": attempt, "county_code": county,
            "address": row.text("通讯地址") or None, "major_code": major, "major_name": row.text("专业名称"),
            "level": level, "university1_code": universities[0], "university2_code": universities[1],
            "prior_diploma_no": prior, "english2_substituted": substituted, "submitted_at": submitted,
            "system": system, "photo": photo, "photo_status": photo_status, "paid": paid, "paid_at": paid_at,
            "order_no": row.text("订单号") or None, "archive": archive, "row": row,
        }  # fmt: skip

    def _payment_rule(
        self, row: Row, no: str, system: ApplicationStatus | None, photo: PhotoStatus | None
    ) -> None:
        """Payment only after approval and an approved photo (the county's own approval and
        photo review, already in the database, count)."""
        existing = self.s.scalar(select(Application).where(Application.application_no == no))
        status = (
            existing.status
            if existing is not None and existing.status != ApplicationStatus.PENDING
            else system
        )
        photo_now = existing.photo_status if existing is not None and existing.photo_status in (
            PhotoStatus.REVIEW_PASSED, PhotoStatus.REVIEW_REJECTED) else photo  # fmt: skip
        if status is None or photo_now is None:
            return
        probe = Application(application_no=no, status=status, photo_status=photo_now)
        try:
            check_payment_allowed(probe)
        except UserError as exc:
            self.problem(row, "支付状态", f"{exc}（支付只能在申请审核通过且照片认证通过之后）", "已支付")


# -- applying --------------------------------------------------------------------------------
class _Applier:
    def __init__(
        self, session: Session, actor: ActingUser, package: Package, parsed: _Parsed, summary: ImportSummary
    ) -> None:
        self.s = session
        self.actor = actor
        self.package = package
        self.p = parsed
        self.summary = summary
        self.blob_keys: dict[str, str] = {}
        self._periods: dict[str, ApplicationPeriod] = {}
        self._majors: dict[tuple[str, Level], int] = {}
        self._universities: set[str] = set()

    def blob(self, rel: str | None, *, photo: bool = False) -> str | None:
        if rel is None:
            return None
        if rel not in self.blob_keys:
            media, validated = self.p.images[rel]
            data = self.package.read(rel)
            if hashlib.sha256(data).hexdigest() != validated:
                raise UserError(f"数据包中的文件“{rel}”在导入过程中被改动，已取消导入，请重新导入")
            self.blob_keys[rel] = store_blob(self.s, data, media)
            if photo:
                index_photo(self.s, self.blob_keys[rel])
        return self.blob_keys[rel]

    def conflict(self, text: str) -> None:
        self.summary.conflicts.append(text)

    def candidates(self, progress: ProgressFn, done: int, total: int) -> tuple[dict[str, Candidate], int]:
        by_ticket: dict[str, Candidate] = {}
        for values in self.p.candidates.values():
            ticket = values["ticket_no"]
            c = self.s.scalar(select(Candidate).where(Candidate.ticket_no == ticket))
            photos = {
                "ticket_photo_sha": self.blob(values["ticket_photo"], photo=True),
                "id_card_photo_sha": self.blob(values["id_card_photo"]),
                "handheld_photo_sha": self.blob(values["handheld_photo"]),
            }
            fields = {k: values[k] for k in ("id_number", "name", "gender", "birth_date", "ethnicity", "phone",
                                              "address", "county_code")}  # fmt: skip
            if c is None:
                c = Candidate(ticket_no=ticket, identity_status=values["identity"], **fields, **photos)
                self.s.add(c)
                self.s.flush()
                self.summary.counts["candidates.created"] += 1
            else:
                corrected = set(
                    self.s.scalars(select(Correction.field).where(Correction.candidate_id == c.id))
                )
                decided = self.s.scalar(select(Decision.id).where(Decision.candidate_id == c.id,
                                                                  Decision.kind == DecisionKind.IDENTITY).limit(1))  # fmt: skip
                changed = False
                field_of = {"id_number": CorrectionField.ID_NUMBER, "name": CorrectionField.NAME,
                            "gender": CorrectionField.GENDER, "ticket_photo_sha": CorrectionField.TICKET_PHOTO}  # fmt: skip
                for key, value in {**fields, **{k: v for k, v in photos.items() if v is not None}}.items():
                    if getattr(c, key) == value:
                        continue
                    if key == "birth_date" and CorrectionField.ID_NUMBER in corrected:
                        continue
                    if field_of.get(key) in corrected:
                        self.conflict(
                            f"考生 {ticket} 的{key_label(key)}：数据包为“{value}”，县区已修改为“{getattr(c, key)}”"
                        )
                        continue
                    setattr(c, key, value)
                    changed = True
                identity = values["identity"]
                if not _identity_compatible(c.identity_status, identity):
                    if decided is not None:
                        self.conflict(
                            f"考生 {ticket} 的身份认证：数据包为“{IDENTITY_TEXT[identity]}”，县区已人工核验"
                        )
                    else:
                        c.identity_status = identity
                        changed = True
                self.summary.counts["candidates.updated" if changed else "candidates.unchanged"] += 1
            by_ticket[ticket] = c
            done += 1
            if done % 200 == 0:
                progress(done, total, "导入考生")
        return by_ticket, done

    def period(self, batch: str) -> ApplicationPeriod:
        if batch in self._periods:
            return self._periods[batch]
        period = self.s.scalar(select(ApplicationPeriod).where(ApplicationPeriod.batch_code == batch))
        if period is None:
            year, half = batch.split("-")
            month = 5 if half == "1" else 11
            opens = dt.date(int(year), month, 1)
            period = ApplicationPeriod(batch_code=batch, name=f"{year}年第{half}批毕业申请", opens_on=opens,
                                       closes_on=opens.replace(day=28) + dt.timedelta(days=3),
                                       materials_deadline=dt.date(int(year), month + 1, 30))  # fmt: skip
            self.s.add(period)
            self.s.flush()
            self.summary.notes.append(
                f"新建批次 {batch}（材料截止日期 {period.materials_deadline}），请管理员核对"
            )
        self._periods[batch] = period
        return period

    def reference(self, values: dict[str, Any]) -> int:
        """The major's id, adding the major and unknown universities the package names."""
        key = (values["major_code"], values["level"])
        if key not in self._majors:
            major = self.s.scalar(select(Major).where(Major.code == key[0], Major.level == key[1]))
            if major is None:
                major = Major(code=key[0], name=values["major_name"], level=key[1])
                self.s.add(major)
                self.s.flush()
            self._majors[key] = major.id
        for code in (values["university1_code"], values["university2_code"]):
            if code and code not in self._universities:
                if self.s.get(University, code) is None:
                    self.s.add(University(code=code, name=f"主考院校 {code}"))
                    self.s.flush()
                self._universities.add(code)
        return self._majors[key]

    def applications(
        self, by_ticket: dict[str, Candidate], progress: ProgressFn, done: int, total: int
    ) -> None:
        for no, v in sorted(
            self.p.applications.items(), key=lambda kv: (kv[1]["attempt"], kv[1]["submitted_at"])
        ):
            candidate = by_ticket.get(v["ticket"]) or self.s.scalar(
                select(Candidate).where(Candidate.ticket_no == v["ticket"])
            )
            assert candidate is not None
            period = self.period(v["batch"])
            # what the candidate submitted is locked by the approval; the graduation photo and
            # the 登记表 (filled in after payment) legitimately arrive after it
            core = {
                "candidate_id": candidate.id, "period_id": period.id, "attempt": v["attempt"],
                "county_code": v["county_code"], "address": v["address"], "major_id": self.reference(v),
                "level": v["level"], "university1_code": v["university1_code"],
                "university2_code": v["university2_code"], "prior_diploma_no": v["prior_diploma_no"],
                "english2_substituted": v["english2_substituted"], "submitted_at": v["submitted_at"],
                "old_plan_archive_sha": self.blob(v["archive"]),
            }  # fmt: skip
            late = {"photo_sha": self.blob(v["photo"], photo=True), **self.p.forms.get(no, {})}
            app = self.s.scalar(select(Application).where(Application.application_no == no))
            created = app is None
            changed = False
            if app is None:
                locked = self.s.scalar(
                    select(Application.application_no).where(
                        Application.candidate_id == candidate.id,
                        Application.status.in_(
                            [ApplicationStatus.SYSTEM_APPROVED, ApplicationStatus.APPROVED]
                        ),
                    )
                )
                if locked is not None:
                    self.conflict(
                        f"申请 {no}：考生 {v['ticket']} 的申请 {locked} 已审核通过，不可重新申请，未导入"
                    )
                    continue
                app = Application(application_no=no, status=v["system"], photo_status=v["photo_status"],
                                  payment_status=PaymentStatus.UNPAID, materials_status=MaterialsStatus.NOT_DUE,
                                  **core, **late)  # fmt: skip
                self.s.add(app)
                self.s.flush()
                self._children(app, no, core=True, late=True)
                self.summary.counts["applications.created"] += 1
            else:
                dead = app.status in (ApplicationStatus.VOID, ApplicationStatus.REJECTED_FINAL)
                locked_core = app.status.approved or dead
                refused = []
                if locked_core:
                    refused += [k for k, val in core.items() if getattr(app, k) != val]
                else:
                    changed = self._apply(app, core) or changed
                new_photo = late["photo_sha"] is not None and late["photo_sha"] != app.photo_sha
                # a package without a photo or a 登记表 row does not erase what the county has
                late = {k: val for k, val in late.items() if val is not None}
                if dead:
                    refused += [k for k, val in late.items() if getattr(app, k) != val]
                else:
                    changed = self._apply(app, late) or changed
                changed = self._children(app, no, core=not locked_core, late=not dead) or changed
                if refused or (locked_core and self._children_differ(app, no)):
                    names = "、".join(key_label(k) for k in refused) or "课程"
                    self.conflict(f"申请 {no} 已{label_zh(app.status)}，数据包中的改动（{names}）未导入")
                changed = self._statuses(app, v, new_photo=new_photo) or changed
            if v["paid"] and app.payment_status != PaymentStatus.PAID:
                from zikao_desk.services.workflow import record_payment

                record_payment(
                    self.s, app, paid_at=v["paid_at"], order_no=v["order_no"] or "", source="province-import"
                )
                self.summary.counts["payments"] += 1
                changed = True
            if not created:
                self.summary.counts["applications.updated" if changed else "applications.unchanged"] += 1
            done += 1
            if done % 200 == 0:
                progress(done, total, "导入申请")

    def _apply(self, app: Application, values: dict[str, Any]) -> bool:
        changed = False
        for key, val in values.items():
            if getattr(app, key) != val:
                setattr(app, key, val)
                changed = True
        return changed

    def _statuses(self, app: Application, v: dict[str, Any], *, new_photo: bool = False) -> bool:
        changed = False
        system: ApplicationStatus = v["system"]
        if app.status != system and not (
            app.status != ApplicationStatus.SYSTEM_APPROVED and system == ApplicationStatus.PENDING
        ):
            if app.status == ApplicationStatus.PENDING:
                app.status = system
                changed = True
            else:
                self.conflict(
                    f"申请 {app.application_no} 的系统审核：数据包为“{label_zh(system)}”，县区已{label_zh(app.status)}"
                )
        photo: PhotoStatus = v["photo_status"]
        if new_photo:  # a new photo starts a new check, whatever happened to the old one
            app.photo_status = photo
            return True
        if app.photo_status != photo:
            reviewed = app.photo_status in (PhotoStatus.REVIEW_PASSED, PhotoStatus.REVIEW_REJECTED)
            if reviewed and photo == PhotoStatus.PENDING_REVIEW:
                pass  # the province still shows the failed online check; the county's review stands
            elif reviewed:
                self.conflict(
                    f"申请 {app.application_no} 的照片认证：数据包与县区的人工审核结果不同，保留县区结果"
                )
            else:
                app.photo_status = photo
                changed = True
        return changed

    def _course_items(
        self, no: str
    ) -> list[tuple[type[SubstituteCourse] | type[OldPlanCourse], list[dict[str, Any]]]]:
        return [
            (SubstituteCourse, self.p.substitutes.get(no, [])),
            (OldPlanCourse, self.p.old_plan.get(no, [])),
        ]

    def _course_rows(
        self, model: type[SubstituteCourse] | type[OldPlanCourse], app_id: int
    ) -> dict[str, Any]:
        rows: list[Any] = list(self.s.scalars(select(model).where(model.application_id == app_id)))
        return {r.course_code: r for r in rows}

    def _children_differ(self, app: Application, no: str) -> bool:
        """Whether the package's courses differ from the (locked) application's."""
        for model, items in self._course_items(no):
            have = self._course_rows(model, app.id)
            wanted = {i["course_code"]: i for i in items}
            if set(have) != set(wanted) or any(
                getattr(have[code], k) != val for code, item in wanted.items() for k, val in item.items()
            ):
                return True
        return False

    def _children(self, app: Application, no: str, *, core: bool, late: bool) -> bool:
        """Bring courses (part of what was submitted) and the résumé (part of the 登记表) in
        line with the package, as far as each may still change."""
        changed = False
        if core:
            for model, items in self._course_items(no):
                have = self._course_rows(model, app.id)
                wanted = {i["course_code"]: i for i in items}
                for code, row in have.items():
                    if code not in wanted:
                        self.s.delete(row)
                        changed = True
                for code, item in wanted.items():
                    current = have.get(code)
                    if current is None:
                        self.s.add(model(application_id=app.id, **item))
                        changed = True
                    elif any(getattr(current, k) != val for k, val in item.items()):
                        for k, val in item.items():
                            setattr(current, k, val)  # a clerk's tick on an old-plan card stays
                        changed = True
        resume = self.p.resume.get(no, [])
        if late and (resume or no in self.p.forms):
            have_resume = list(
                self.s.scalars(
                    select(ResumeEntry).where(ResumeEntry.application_id == app.id).order_by(ResumeEntry.seq)
                )
            )
            as_tuples = [
                (r.start_month, r.end_month, r.organization, r.position, r.witness) for r in have_resume
            ]
            wanted_tuples = [
                (i["start_month"], i["end_month"], i["organization"], i["position"], i["witness"])
                for i in resume
            ]
            if as_tuples != wanted_tuples:
                for r in have_resume:
                    self.s.delete(r)
                self.s.flush()
                for seq, item in enumerate(resume, 1):
                    self.s.add(ResumeEntry(application_id=app.id, seq=seq, **item))
                changed = True
        self.s.flush()
        return changed


def _identity_compatible(current: IdentityStatus, incoming: IdentityStatus) -> bool:
    if current == incoming:
        return True
    county_reviewed = current in (IdentityStatus.REVIEW_PASSED, IdentityStatus.REVIEW_REJECTED)
    return county_reviewed and incoming == IdentityStatus.PENDING_REVIEW


KEY_LABELS = {
    "id_number": "身份证号", "name": "姓名", "gender": "性别", "ticket_photo_sha": "准考证照片",
    "id_card_photo_sha": "身份证人像面照", "handheld_photo_sha": "手持身份证照", "birth_date": "出生日期",
    "ethnicity": "民族", "phone": "联系电话", "address": "通讯地址", "county_code": "区县代码",
    "candidate_id": "考生", "period_id": "批次", "attempt": "申请次数", "major_id": "专业", "level": "层次",
    "university1_code": "主考院校1", "university2_code": "主考院校2", "prior_diploma_no": "前置学历证书号",
    "english2_substituted": "顶替英语二", "submitted_at": "提交时间", "photo_sha": "毕业照片",
    "old_plan_archive_sha": "旧计划扫描件", "political_status": "政治面貌", "work_unit": "工作单位",
    "home_address": "家庭地址", "self_assessment": "自我鉴定",
}  # fmt: skip


def key_label(key: str) -> str:
    return KEY_LABELS.get(key, key)


# -- the entry point -------------------------------------------------------------------------
def import_package(
    session: Session,
    actor: ActingUser,
    path: Path,
    *,
    skip_invalid: bool = False,
    errors_path: Path | None = None,
    progress: ProgressFn | None = None,
) -> ImportSummary:
    """Validate the package, then (if allowed) write it in the caller's transaction."""
    require_role(actor, Role.CLERK, Role.REVIEWER, Role.ADMIN)
    report = progress or (lambda done, total, message: None)
    summary = ImportSummary(package=path.name)
    package = Package(path)
    try:
        report(0, 1, "校验数据包")
        wb = read_workbook(package.read(WORKBOOK_NAME), label=f"数据包中的 {WORKBOOK_NAME}")
        parsed = _Validator(session, actor, package, summary).run(wb)
        if summary.problems:
            target = errors_path or path.with_name(f"{path.stem}_错误.xlsx")
            summary.errors_workbook = write_problems(target, summary.problems + summary.warnings)
            if not skip_invalid:
                audit.record(session, actor, "import.refused", detail=path.name,
                             after={"package_sha256": package.sha256, "problems": len(summary.problems)})  # fmt: skip
                return summary
        applier = _Applier(session, actor, package, parsed, summary)
        total = len(parsed.candidates) + len(parsed.applications)
        by_ticket, done = applier.candidates(report, 0, total)
        applier.applications(by_ticket, report, done, total)
    finally:
        package.close()
    summary.imported = True
    details = {
        "counts": dict(summary.counts),
        "conflicts": len(summary.conflicts),
        "skipped": len(summary.problems),
    }
    session.add(ImportRun(package_sha256=package.sha256, package_name=path.name[:200], imported_by_id=actor.id,
                          summary=json.dumps(details, ensure_ascii=False)))  # fmt: skip
    audit.record(
        session, actor, "import", detail=path.name, after={"package_sha256": package.sha256, **details}
    )
    report(total, total, "完成")
    return summary
