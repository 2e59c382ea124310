"""Writing a database's candidates and applications as a province data package, the way the
province first delivers them (before any county work): what ``zikao-desk demo --package``
makes for tests and benchmarks of the import.

County decisions are not province data, so a county-reviewed identity or photo is written as
the failed online check that sent it to the county (未通过), a county-decided application as
待人工, and a payment only where the province alone allows it (system approval and an online
photo pass)."""

from __future__ import annotations

import io
import zipfile
from collections import defaultdict
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from sqlalchemy import select
from sqlalchemy.orm import Session

from zikao_desk.models import (
    Application,
    ApplicationPeriod,
    ApplicationStatus,
    Blob,
    Candidate,
    Gender,
    Level,
    Major,
    OldPlanCourse,
    PaymentStatus,
    ResumeEntry,
    SubstituteCourse,
)
from zikao_desk.services.exchange.province_import import (
    APPLICATION_COLUMNS,
    CANDIDATE_COLUMNS,
    FORM_COLUMNS,
    IDENTITY_TEXT,
    OLD_PLAN_COLUMNS,
    PHOTO_TEXT,
    RESUME_COLUMNS,
    SUBSTITUTE_COLUMNS,
    WORKBOOK_NAME,
)

_EXT = {"image/jpeg": ".jpg", "image/png": ".png", "application/zip": ".zip"}


def write_package(session: Session, target: Path) -> dict[str, int]:
    """Write every candidate and application into a ZIP package at ``target``."""
    names: dict[str, str] = {}
    media = {sha: kind for sha, kind in session.execute(select(Blob.sha256, Blob.media_type))}

    def ref(sha: str | None, folder: str) -> str:
        if not sha:
            return ""
        if sha not in names:
            names[sha] = f"{folder}/{sha[:20]}{_EXT.get(media.get(sha, ''), '.bin')}"
        return names[sha]

    wb = Workbook(write_only=True)
    sheets = {
        name: wb.create_sheet(name)
        for name in ("考生", "毕业申请", "顶替课程", "旧计划课程", "个人简历", "登记表")
    }
    for name, columns in (("考生", CANDIDATE_COLUMNS), ("毕业申请", APPLICATION_COLUMNS), ("顶替课程", SUBSTITUTE_COLUMNS),
                          ("旧计划课程", OLD_PLAN_COLUMNS), ("个人简历", RESUME_COLUMNS), ("登记表", FORM_COLUMNS)):  # fmt: skip
        sheets[name].append(columns)

    counts: dict[str, int] = defaultdict(int)
    for c in session.scalars(select(Candidate).order_by(Candidate.id)).yield_per(2000):
        sheets["考生"].append([
            c.ticket_no, c.id_number, c.name, "男" if c.gender == Gender.MALE else "女", c.ethnicity or "",
            c.phone or "", c.address or "", c.county_code, IDENTITY_TEXT.get(c.identity_status, "未通过"),
            ref(c.ticket_photo_sha, "photos"), ref(c.id_card_photo_sha, "idcards"), ref(c.handheld_photo_sha, "idcards"),
        ])  # fmt: skip
        counts["candidates"] += 1

    batches = {
        pid: code for pid, code in session.execute(select(ApplicationPeriod.id, ApplicationPeriod.batch_code))
    }
    majors = {m.id: m for m in session.scalars(select(Major))}
    tickets = {cid: ticket for cid, ticket in session.execute(select(Candidate.id, Candidate.ticket_no))}
    children: dict[str, dict[int, list[Any]]] = {
        "sub": defaultdict(list),
        "old": defaultdict(list),
        "res": defaultdict(list),
    }
    for sub in session.scalars(select(SubstituteCourse).order_by(SubstituteCourse.id)):
        children["sub"][sub.application_id].append(sub)
    for old in session.scalars(select(OldPlanCourse).order_by(OldPlanCourse.id)):
        children["old"][old.application_id].append(old)
    for row in session.scalars(select(ResumeEntry).order_by(ResumeEntry.application_id, ResumeEntry.seq)):
        children["res"][row.application_id].append(row)

    for a in session.scalars(select(Application).order_by(Application.id)).yield_per(2000):
        major = majors[a.major_id]
        system = "通过" if a.status == ApplicationStatus.SYSTEM_APPROVED or (
            a.status == ApplicationStatus.VOID and a.attempt == 1 and not _county_approved(session, a)) else "待人工"  # fmt: skip
        photo = PHOTO_TEXT.get(a.photo_status, "未通过") if a.photo_sha else "未上传"
        paid = a.payment_status == PaymentStatus.PAID and system == "通过" and photo == "通过"
        sheets["毕业申请"].append([
            a.application_no, tickets[a.candidate_id], batches[a.period_id], a.attempt, a.county_code, a.address or "",
            major.code, major.name, "本科" if a.level == Level.BACHELOR else "专科", a.university1_code,
            a.university2_code or "", a.prior_diploma_no or "", "是" if a.english2_substituted else "否",
            a.submitted_at.strftime("%Y-%m-%d %H:%M:%S"), system, ref(a.photo_sha, "photos"), photo,
            "已支付" if paid else "未支付", a.paid_at.strftime("%Y-%m-%d %H:%M:%S") if paid and a.paid_at else "",
            a.order_no if paid and a.order_no else "", ref(a.old_plan_archive_sha, "archives"),
        ])  # fmt: skip
        for s in children["sub"][a.id]:
            sheets["顶替课程"].append([a.application_no, s.course_code, s.course_name, s.credits])
        for o in children["old"][a.id]:
            sheets["旧计划课程"].append(
                [a.application_no, o.course_code, o.course_name, o.credits, o.score or "", o.card_no or ""]
            )
        for r in children["res"][a.id]:
            sheets["个人简历"].append([a.application_no, r.start_month, r.end_month or "", r.organization,
                                      r.position or "", r.witness or ""])  # fmt: skip
        if any((a.political_status, a.work_unit, a.home_address, a.self_assessment)):
            sheets["登记表"].append([a.application_no, a.political_status or "", a.work_unit or "",
                                    a.home_address or "", a.self_assessment or ""])  # fmt: skip
        counts["applications"] += 1

    book = io.BytesIO()
    wb.save(book)
    tmp = target.with_name(target.name + ".tmp")
    with zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr(WORKBOOK_NAME, book.getvalue())
        for sha, name in names.items():
            data = session.scalar(select(Blob.data).where(Blob.sha256 == sha))
            assert data is not None
            zf.writestr(
                name,
                data,
                compress_type=zipfile.ZIP_STORED if not name.endswith(".zip") else zipfile.ZIP_DEFLATED,
            )
    tmp.replace(target)
    counts["files"] = len(names)
    return dict(counts)


def _county_approved(session: Session, application: Application) -> bool:
    from zikao_desk.models import Decision, DecisionKind, Verdict

    return (
        session.scalar(
            select(Decision.id).where(
                Decision.application_id == application.id,
                Decision.kind == DecisionKind.APPROVAL,
                Decision.verdict == Verdict.PASS,
            )
        )
        is not None
    )
