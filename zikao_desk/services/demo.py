"""Demo data: realistic, consistent and deterministic for a seed.

Candidates of Taiyuan's ten districts and counties, with valid 身份证号 (Shanxi region codes,
real birth dates, checksum, 17th digit agreeing with 性别) and 准考证号 that fit their county,
applications in every workflow state of domain.md, the decisions that led there with their
audit events, and generated images (passing and failing photos).

Rows are written with bulk inserts and explicit ids (100,000 candidates in well under a
minute); images come from a small pool and are stored once each by SHA-256.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import random
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Table, func, insert, select, text
from sqlalchemy.orm import Session

from zikao_desk.db import Database
from zikao_desk.errors import UserError
from zikao_desk.models import (
    Application,
    ApplicationPeriod,
    ApplicationStatus,
    AuditEvent,
    Blob,
    Candidate,
    Correction,
    CorrectionField,
    Decision,
    DecisionKind,
    Gender,
    IdentityStatus,
    Level,
    MaterialsStatus,
    OldPlanCheck,
    OldPlanCourse,
    OldPlanSummary,
    PaymentStatus,
    PhotoStatus,
    ResumeEntry,
    Role,
    SubstituteCourse,
    Verdict,
)
from zikao_desk.models import Major as MajorRow
from zikao_desk.services import audit, demo_images
from zikao_desk.services.auth import ActingUser
from zikao_desk.services.reference_data import (
    COUNTIES,
    COURSES,
    OLD_PLAN_COURSES,
    TAIYUAN_COUNTIES,
    UNIVERSITIES,
    ensure_reference_data,
)
from zikao_desk.services.users import acting_user, add_user, user_count
from zikao_desk.services.validation import ENGLISH_II_CODE, id_check_char

ProgressFn = Callable[[int, int, str], None]

DEMO_COUNTIES: list[tuple[str, str, str]] = TAIYUAN_COUNTIES
CHUNK = 5000

SURNAMES = list(
    "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董程曹袁邓许傅沈曾彭吕苏卢蒋蔡贾丁魏薛叶阎余潘杜戴夏钟汪田任姜范方石姚谭廖邹熊金陆郝孔白崔康毛邱秦江史顾侯邵孟龙万段雷钱汤尹易常武乔贺赖龚文"
)
GIVEN_MALE = list("伟强磊军勇杰涛斌超明刚平辉鹏华飞鑫波宇浩凯健俊帆帅旭宁龙林峰晨阳博文志")
GIVEN_FEMALE = list("芳娜敏静丽艳娟霞秀玲桂英燕萍红琳雪婷慧莉颖倩洁佳瑶晶欣怡璐丹蕾梅")
ETHNICITIES = ["汉族"] * 96 + ["回族", "满族", "蒙古族", "土家族"]
POLITICAL = ["群众"] * 5 + ["共青团员"] * 3 + ["中共党员"] * 2
STREETS = ["长风街", "平阳路", "亲贤街", "体育路", "并州路", "迎泽大街", "府西街", "南内环街",
           "学府街", "坞城路", "滨河东路", "胜利街", "和平南路", "千峰南路", "晋祠路"]
EMPLOYERS = ["太原市第五中学", "山西省人民医院", "中国银行太原分行", "太原钢铁（集团）有限公司",
             "山西焦煤集团", "小店区人民政府", "太原市公交公司", "山西转型综改示范区管委会",
             "个体经营", "待业"]
ASSESSMENT_SENTENCES = [
    "本人在自学考试期间，坚持业余学习，合理安排工作与学习时间，按计划完成了全部课程的学习和考试。",
    "通过系统学习专业课程，我掌握了本专业的基本理论和基本技能，并能够将所学知识运用到实际工作中。",
    "在工作中，我认真负责，团结同事，积极完成单位交给的各项任务，多次受到领导和同事的好评。",
    "自学考试培养了我独立思考和自主学习的能力，也磨练了我的意志。",
    "我深知自身仍有不足，今后将继续学习，不断提高自己的业务水平和综合素质。",
    "遵纪守法，诚实守信，具有良好的道德品质和职业操守。",
]
SITTINGS = ["181", "182", "191", "192", "201", "202", "211", "212", "221", "222", "231", "232", "241", "242", "251", "252"]

CURRENT_PERIOD = ("2026-2", "2026年下半年毕业申请", dt.date(2026, 11, 1), dt.date(2026, 11, 30), dt.date(2026, 12, 31))
PAST_PERIOD = ("2026-1", "2026年上半年毕业申请", dt.date(2026, 5, 1), dt.date(2026, 5, 31), dt.date(2026, 6, 30))

# Application scenarios and their weights (candidates whose identity is settled).
SCENARIOS: list[tuple[str, float]] = [
    ("pending", 0.14),
    ("system_approved", 0.40),
    ("county_approved", 0.18),
    ("rejected_once", 0.06),
    ("reapplied_pending", 0.04),
    ("reapplied_approved", 0.03),
    ("rejected_final", 0.02),
    ("past_void", 0.04),
    ("past_complete", 0.09),
]


@dataclass(frozen=True)
class DemoUser:
    username: str
    password: str
    role: Role
    county_codes: tuple[str, ...]


@dataclass
class DemoResult:
    candidates: int
    applications: int
    decisions: int
    corrections: int
    users: list[DemoUser]
    seconds: float
    states: dict[str, int] = field(default_factory=dict)


def demo_users() -> list[DemoUser]:
    users = [DemoUser("admin", "demo-admin", Role.ADMIN, tuple(c[0] for c in DEMO_COUNTIES))]
    for code, _name, _city in DEMO_COUNTIES:
        users.append(DemoUser(f"jb{code}", f"demo-jb-{code}", Role.CLERK, (code,)))
        users.append(DemoUser(f"sh{code}", f"demo-sh-{code}", Role.REVIEWER, (code,)))
    return users


def make_id_number(region: str, birth: dt.date, seq: int, gender: Gender) -> str:
    """A valid 身份证号: the 3-digit sequence's last digit is odd for men, even for women."""
    seq = seq - seq % 2 + (1 if gender == Gender.MALE else 0)
    first17 = f"{region}{birth:%Y%m%d}{seq:03d}"
    return first17 + id_check_char(first17)


def sha256_hex(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


class _Ids:
    """Explicit primary keys for bulk inserts into an empty demo database."""

    def __init__(self, session: Session, tables: Iterable[Table]) -> None:
        self.next: dict[str, int] = {}
        for table in tables:
            current = session.scalar(select(func.max(table.c.id))) or 0
            self.next[table.name] = current + 1

    def take(self, table: Table) -> int:
        value = self.next[table.name]
        self.next[table.name] = value + 1
        return value


def _insert_chunks(session: Session, table: Table, rows: list[dict[str, Any]]) -> None:
    for start in range(0, len(rows), CHUNK):
        session.execute(insert(table), rows[start : start + CHUNK])


def _fix_sequences(session: Session, tables: Sequence[Table]) -> None:
    """After explicit ids, PostgreSQL's sequences must move past them."""
    if session.get_bind().dialect.name != "postgresql":
        return
    for table in tables:
        session.execute(
            text(
                f"SELECT setval(pg_get_serial_sequence('{table.name}', 'id'), "
                f"COALESCE((SELECT MAX(id) FROM {table.name}), 0) + 1, false)"
            )
        )


class DemoBuilder:
    def __init__(self, session: Session, seed: int, progress: ProgressFn | None) -> None:
        self.s = session
        self.rng = random.Random(seed)
        self.seed = seed
        self.progress = progress or (lambda done, total, msg: None)
        self.rows: dict[str, list[dict[str, Any]]] = {
            t: [] for t in ("candidates", "applications", "substitute_courses", "old_plan_courses",
                            "resume_entries", "decisions", "corrections")
        }
        self.events: list[AuditEvent] = []
        self.states: dict[str, int] = {}
        self.used_ids: set[str] = set()
        self.ticket_seq: dict[str, int] = {}

    # -- helpers --------------------------------------------------------------------------
    def _count(self, key: str) -> None:
        self.states[key] = self.states.get(key, 0) + 1

    def _name(self, gender: Gender) -> str:
        pool = GIVEN_MALE if gender == Gender.MALE else GIVEN_FEMALE
        given = "".join(self.rng.choice(pool) for _ in range(self.rng.choice((1, 2, 2))))
        return self.rng.choice(SURNAMES) + given

    def _id_number(self, county: str, gender: Gender) -> tuple[str, dt.date]:
        shanxi = [c[0] for c in COUNTIES]
        while True:
            region = county if self.rng.random() < 0.7 else self.rng.choice(shanxi)
            birth = dt.date(1970, 1, 1) + dt.timedelta(days=self.rng.randint(0, 365 * 36))
            number = make_id_number(region, birth, self.rng.randint(0, 999), gender)
            if number not in self.used_ids:
                self.used_ids.add(number)
                return number, birth

    def _ticket(self, county: str, birth: dt.date) -> str:
        latest = max(0, min(len(SITTINGS) - 1, (birth.year + 18 - 2018) * 2))
        sitting = SITTINGS[self.rng.randint(0, latest)] if latest else SITTINGS[0]
        key = county[2:6] + sitting
        seq = self.ticket_seq.get(key, 0) + 1
        self.ticket_seq[key] = seq
        return f"{key}{seq:05d}"

    def _moment(self, day: dt.date, days_after: int = 0) -> dt.datetime:
        base = dt.datetime.combine(day, dt.time(8, 30)) + dt.timedelta(days=days_after)
        return base + dt.timedelta(minutes=self.rng.randint(0, 9 * 60))

    def _event(self, actor: ActingUser, action: str, entity_type: str, entity_id: int,
               at: dt.datetime, before: dict[str, Any] | None, after: dict[str, Any] | None) -> None:
        self.events.append(AuditEvent(
            occurred_at=at, actor_id=actor.id, actor_name=actor.username, action=action,
            entity_type=entity_type, entity_id=str(entity_id),
            before=audit._dump(before), after=audit._dump(after), detail="demo",
        ))

    def _decide(self, kind: DecisionKind, actor: ActingUser, cand: dict[str, Any],
                app: dict[str, Any] | None, verdict: Verdict, reason: str | None, at: dt.datetime,
                before: dict[str, Any], after: dict[str, Any], **extra: Any) -> None:
        did = self.ids.take(Decision.__table__)
        self.rows["decisions"].append({
            "id": did, "kind": kind, "candidate_id": cand["id"],
            "application_id": app["id"] if app else None, "county_code": cand["county_code"],
            "verdict": verdict, "reason_code": reason, "note": None,
            "forms_count": extra.get("forms_count"), "old_plan_summary": extra.get("old_plan_summary"),
            "decided_by_id": actor.id, "decided_at": at, "export_batch_id": None,
        })
        entity = ("application", app["id"]) if app else ("candidate", cand["id"])
        self._event(actor, f"decision.{kind.value}", entity[0], entity[1], at,
                    before, {**after, "verdict": verdict.value, "reason": reason, "decision_id": did})

    # -- building -------------------------------------------------------------------------
    def build(self, n_candidates: int) -> None:
        s = self.s
        ensure_reference_data(s)
        self.periods = {}
        for code, name, opens, closes, deadline in (PAST_PERIOD, CURRENT_PERIOD):
            p = ApplicationPeriod(batch_code=code, name=name, opens_on=opens, closes_on=closes,
                                  materials_deadline=deadline)
            s.add(p)
            self.periods[code] = p
        s.flush()
        self.actors = self._create_users()
        self.progress(0, n_candidates, "生成图片")
        self.blobs = self._store_images()
        self.majors = [tuple(r) for r in s.execute(select(MajorRow.id, MajorRow.code, MajorRow.name, MajorRow.level))]
        self.ids = _Ids(s, [t.__table__ for t in (Candidate, Application, SubstituteCourse,  # type: ignore[attr-defined]
                                                  OldPlanCourse, ResumeEntry, Decision, Correction)])
        for i in range(n_candidates):
            self._candidate()
            if (i + 1) % 1000 == 0:
                self.progress(i + 1, n_candidates, "生成考生")
        self.progress(n_candidates, n_candidates, "写入数据库")
        order = [Candidate, Application, SubstituteCourse, OldPlanCourse, ResumeEntry, Decision, Correction]
        for model in order:
            table = model.__table__  # type: ignore[attr-defined]
            _insert_chunks(s, table, self.rows[table.name])
        _fix_sequences(s, [m.__table__ for m in order])  # type: ignore[attr-defined]
        self._write_audit_chain()

    def _create_users(self) -> dict[tuple[str, Role], ActingUser]:
        actors: dict[tuple[str, Role], ActingUser] = {}
        admin: ActingUser | None = None
        for du in demo_users():
            user = add_user(self.s, admin, username=du.username, role=du.role,
                            county_codes=du.county_codes, password=du.password,
                            display_name=du.username)
            au = acting_user(user, du.county_codes)
            if du.role == Role.ADMIN:
                admin = au
            else:
                actors[(du.county_codes[0], du.role)] = au
        return actors

    def _store_images(self) -> dict[str, list[str]]:
        pools = {
            "photo_ok": demo_images.graduation_photos_ok(self.seed),
            "photo_bad": demo_images.graduation_photos_bad(self.seed),
            "ticket": demo_images.ticket_photos(self.seed),
            "id_card": demo_images.id_card_photos(self.seed),
            "handheld": demo_images.handheld_photos(self.seed),
            "archive": demo_images.old_plan_archives(self.seed),
        }
        have = set(self.s.scalars(select(Blob.sha256)))
        out: dict[str, list[str]] = {}
        rows = []
        for key, images in pools.items():
            out[key] = []
            for img in images:
                digest = sha256_hex(img.data)
                out[key].append(digest)
                if digest not in have:
                    have.add(digest)
                    rows.append({"sha256": digest, "media_type": img.media_type, "size": len(img.data),
                                 "data": img.data, "created_at": dt.datetime(2026, 11, 1, 8, 0)})
        _insert_chunks(self.s, Blob.__table__, rows)  # type: ignore[arg-type]
        return out

    def _candidate(self) -> None:
        rng = self.rng
        county, county_name, city = rng.choice(DEMO_COUNTIES)
        gender = rng.choice((Gender.MALE, Gender.FEMALE))
        id_number, birth = self._id_number(county, gender)
        cid = self.ids.take(Candidate.__table__)  # type: ignore[arg-type]
        r = rng.random()
        identity = (IdentityStatus.ONLINE_PASSED if r < 0.80 else
                    IdentityStatus.PENDING_REVIEW if r < 0.87 else
                    IdentityStatus.REVIEW_PASSED if r < 0.93 else
                    IdentityStatus.REVIEW_REJECTED if r < 0.95 else IdentityStatus.NOT_VERIFIED)
        cand = {
            "id": cid, "ticket_no": self._ticket(county, birth), "id_number": id_number,
            "name": self._name(gender), "gender": gender, "birth_date": birth,
            "ethnicity": rng.choice(ETHNICITIES), "phone": f"1{rng.choice('3578')}{rng.randint(0, 999999999):09d}",
            "address": f"{city}{county_name}{rng.choice(STREETS)}{rng.randint(1, 300)}号",
            "county_code": county, "identity_status": identity,
            "ticket_photo_sha": rng.choice(self.blobs["ticket"]),
            "id_card_photo_sha": rng.choice(self.blobs["id_card"]) if identity != IdentityStatus.NOT_VERIFIED else None,
            "handheld_photo_sha": rng.choice(self.blobs["handheld"]) if identity != IdentityStatus.NOT_VERIFIED else None,
            "version": 1,
        }
        self.rows["candidates"].append(cand)
        self._count(f"identity:{identity.value}")
        clerk = self.actors[(county, Role.CLERK)]
        reviewer = self.actors[(county, Role.REVIEWER)]
        period = self.periods[CURRENT_PERIOD[0]]
        if identity in (IdentityStatus.REVIEW_PASSED, IdentityStatus.REVIEW_REJECTED):
            passed = identity == IdentityStatus.REVIEW_PASSED
            self._decide(DecisionKind.IDENTITY, clerk, cand, None,
                         Verdict.PASS if passed else Verdict.FAIL,
                         None if passed else rng.choice(["ID_NOT_SAME_PERSON", "ID_PHOTO_UNCLEAR"]),
                         self._moment(PAST_PERIOD[2], rng.randint(0, 150)),
                         {"identity_status": IdentityStatus.PENDING_REVIEW.value},
                         {"identity_status": identity.value})
        if rng.random() < 0.03:
            self._correction(cand, clerk)
        if identity not in (IdentityStatus.ONLINE_PASSED, IdentityStatus.REVIEW_PASSED) or rng.random() > 0.92:
            return
        scenario = rng.choices([s for s, _ in SCENARIOS], [w for _, w in SCENARIOS])[0]
        self._count(f"scenario:{scenario}")
        if scenario.startswith("past_"):
            period = self.periods[PAST_PERIOD[0]]
        if scenario == "pending":
            self._application(cand, period, 1, ApplicationStatus.PENDING)
        elif scenario == "system_approved":
            self._application(cand, period, 1, ApplicationStatus.SYSTEM_APPROVED)
        elif scenario == "county_approved":
            self._application(cand, period, 1, ApplicationStatus.APPROVED, reviewer=reviewer, clerk=clerk)
        elif scenario == "rejected_once":
            self._application(cand, period, 1, ApplicationStatus.REJECTED, reviewer=reviewer)
        elif scenario in ("reapplied_pending", "reapplied_approved", "rejected_final"):
            self._application(cand, period, 1, ApplicationStatus.REJECTED, reviewer=reviewer)
            second = {"reapplied_pending": ApplicationStatus.PENDING,
                      "reapplied_approved": ApplicationStatus.APPROVED,
                      "rejected_final": ApplicationStatus.REJECTED_FINAL}[scenario]
            self._application(cand, period, 2, second, reviewer=reviewer, clerk=clerk)
        elif scenario == "past_void":
            self._application(cand, period, 1, ApplicationStatus.SYSTEM_APPROVED, clerk=clerk,
                              force_paid=True, materials=MaterialsStatus.VOID)
        elif scenario == "past_complete":
            self._application(cand, period, 1, ApplicationStatus.SYSTEM_APPROVED, clerk=clerk,
                              force_paid=True, materials=MaterialsStatus.COMPLETE)

    def _correction(self, cand: dict[str, Any], clerk: ActingUser) -> None:
        rng = self.rng
        field_ = rng.choice([CorrectionField.NAME, CorrectionField.TICKET_PHOTO])
        if field_ == CorrectionField.NAME:
            old, new = self._name(cand["gender"]), cand["name"]
            reason = "考生姓名录入错误，凭身份证原件更正"
        else:
            old = cand["ticket_photo_sha"]
            new = rng.choice([b for b in self.blobs["ticket"] if b != old])
            cand["ticket_photo_sha"] = new
            reason = "准考证照片非本人近期照片，现场采集更换"
        at = self._moment(PAST_PERIOD[2], rng.randint(0, 160))
        kid = self.ids.take(Correction.__table__)  # type: ignore[arg-type]
        self.rows["corrections"].append({
            "id": kid, "candidate_id": cand["id"], "county_code": cand["county_code"], "field": field_,
            "old_value": old, "new_value": new, "reason": reason, "evidence_sha": None,
            "corrected_by_id": clerk.id, "corrected_at": at, "export_batch_id": None,
        })
        self._event(clerk, "correction", "candidate", cand["id"], at,
                    {field_.value: old}, {field_.value: new, "reason": reason, "correction_id": kid})
        self._count("corrections")

    def _application(self, cand: dict[str, Any], period: ApplicationPeriod, attempt: int,
                     status: ApplicationStatus, *, reviewer: ActingUser | None = None,
                     clerk: ActingUser | None = None, force_paid: bool = False,
                     materials: MaterialsStatus | None = None) -> None:
        rng = self.rng
        aid = self.ids.take(Application.__table__)  # type: ignore[arg-type]
        major_id, major_code, _major_name, level = rng.choice(self.majors)
        u1, u2 = rng.sample([u[0] for u in UNIVERSITIES], 2)
        submitted = self._moment(period.opens_on, rng.randint(0, 20) + (5 if attempt == 2 else 0))
        county = cand["county_code"]
        app: dict[str, Any] = {
            "id": aid,
            "application_no": f"{period.batch_code.replace('-', '')}{county[2:]}{aid:07d}{attempt}",
            "candidate_id": cand["id"], "period_id": period.id, "attempt": attempt,
            "county_code": county, "address": cand["address"], "major_id": major_id, "level": level,
            "university1_code": u1, "university2_code": u2 if rng.random() < 0.3 else None,
            "prior_diploma_no": None, "english2_substituted": False, "submitted_at": submitted,
            "status": status, "photo_sha": None, "photo_status": PhotoStatus.NOT_UPLOADED,
            "payment_status": PaymentStatus.UNPAID, "paid_at": None, "order_no": None,
            "old_plan_archive_sha": None, "political_status": None, "work_unit": None,
            "home_address": None, "self_assessment": None, "materials_status": MaterialsStatus.NOT_DUE,
            "forms_received": 0, "forms_received_at": None, "forms_received_by_id": None, "version": 1,
        }
        if level == Level.BACHELOR:
            digits = 17 if rng.random() < 0.1 else 18
            app["prior_diploma_no"] = "".join(str(rng.randint(0, 9)) for _ in range(digits))
        if rng.random() < 0.10:
            app["english2_substituted"] = True
            pool = [c for c in COURSES if c[0] != ENGLISH_II_CODE]
            total = 0
            for code, name, credits in rng.sample(pool, len(pool)):
                self.rows["substitute_courses"].append({
                    "id": self.ids.take(SubstituteCourse.__table__), "application_id": aid,  # type: ignore[arg-type]
                    "course_code": code, "course_name": name, "credits": credits})
                total += credits
                if total >= 14:
                    break
        old_plan: list[dict[str, Any]] = []
        if rng.random() < 0.10:
            app["old_plan_archive_sha"] = rng.choice(self.blobs["archive"])
            for code, name, credits in rng.sample(OLD_PLAN_COURSES, rng.randint(1, 2)):
                row = {"id": self.ids.take(OldPlanCourse.__table__), "application_id": aid,  # type: ignore[arg-type]
                       "course_code": code, "course_name": name, "credits": credits,
                       "score": str(rng.randint(60, 92)), "card_no": f"KH{rng.randint(0, 10**8):08d}",
                       "check_result": None, "checked_by_id": None, "checked_at": None, "version": 1}
                old_plan.append(row)
                self.rows["old_plan_courses"].append(row)

        # graduation photo: only approved applications have gone on to the photo step
        approved = status.approved
        decided_at = submitted + dt.timedelta(days=rng.randint(1, 4), hours=rng.randint(0, 6))
        if status in (ApplicationStatus.APPROVED, ApplicationStatus.REJECTED, ApplicationStatus.REJECTED_FINAL):
            assert reviewer is not None
            ok = status == ApplicationStatus.APPROVED
            self._decide(DecisionKind.APPROVAL, reviewer, cand, app, Verdict.PASS if ok else Verdict.FAIL,
                         None if ok else rng.choice(["AP_PRIOR_DIPLOMA", "AP_COURSES_INCOMPLETE", "AP_UNIVERSITY"]),
                         decided_at, {"status": ApplicationStatus.PENDING.value}, {"status": status.value})
        if status == ApplicationStatus.PENDING:
            photo = rng.choices([PhotoStatus.ONLINE_PASSED, PhotoStatus.PENDING_REVIEW, PhotoStatus.NOT_UPLOADED],
                                [0.7, 0.2, 0.1])[0]
        elif approved:
            photo = (PhotoStatus.ONLINE_PASSED if force_paid else
                     rng.choices([PhotoStatus.ONLINE_PASSED, PhotoStatus.PENDING_REVIEW, PhotoStatus.REVIEW_PASSED,
                                  PhotoStatus.REVIEW_REJECTED, PhotoStatus.NOT_UPLOADED],
                                 [0.78, 0.08, 0.08, 0.03, 0.03])[0])
        else:
            photo = PhotoStatus.NOT_UPLOADED
        app["photo_status"] = photo
        if photo in (PhotoStatus.ONLINE_PASSED, PhotoStatus.REVIEW_PASSED):
            app["photo_sha"] = rng.choice(self.blobs["photo_ok"])
        elif photo == PhotoStatus.PENDING_REVIEW:
            app["photo_sha"] = rng.choice([*self.blobs["photo_bad"], *self.blobs["photo_ok"][:3]])
        elif photo == PhotoStatus.REVIEW_REJECTED:
            app["photo_sha"] = rng.choice(self.blobs["photo_bad"])
        if photo in (PhotoStatus.REVIEW_PASSED, PhotoStatus.REVIEW_REJECTED):
            actor = clerk or self.actors[(county, Role.CLERK)]
            ok = photo == PhotoStatus.REVIEW_PASSED
            self._decide(DecisionKind.PHOTO, actor, cand, app, Verdict.PASS if ok else Verdict.FAIL,
                         None if ok else rng.choice(["PH_BACKGROUND", "PH_BORDER_TEXT", "PH_COLOUR"]),
                         decided_at + dt.timedelta(days=1),
                         {"photo_status": PhotoStatus.PENDING_REVIEW.value}, {"photo_status": photo.value})
        self._count(f"photo:{photo.value}")

        # payment (after approval and an approved photo) and the paper forms
        if approved and photo.approved and (force_paid or rng.random() < 0.65):
            paid_at = decided_at + dt.timedelta(days=rng.randint(2, 6))
            app.update(payment_status=PaymentStatus.PAID, paid_at=paid_at,
                       order_no=f"ZF{paid_at:%Y%m%d}{rng.randint(0, 10**8):08d}",
                       political_status=rng.choice(POLITICAL), work_unit=rng.choice(EMPLOYERS),
                       home_address=cand["address"],
                       self_assessment="".join(rng.sample(ASSESSMENT_SENTENCES, rng.randint(3, 6))))
            self._resume(aid, cand["birth_date"])
            if materials is None:
                materials = MaterialsStatus.COMPLETE if rng.random() < 0.4 else MaterialsStatus.AWAITING
            app["materials_status"] = materials
            actor = clerk or self.actors[(county, Role.CLERK)]
            check_at = paid_at + dt.timedelta(days=rng.randint(3, 15))
            if materials == MaterialsStatus.COMPLETE:
                app.update(forms_received=2, forms_received_at=check_at, forms_received_by_id=actor.id)
                for row in old_plan:
                    row.update(check_result=OldPlanCheck.MATCHES, checked_by_id=actor.id,
                               checked_at=check_at, version=2)
                self._decide(DecisionKind.MATERIALS, actor, cand, app, Verdict.PASS, None, check_at,
                             {"materials_status": MaterialsStatus.AWAITING.value},
                             {"materials_status": materials.value}, forms_count=2,
                             old_plan_summary=OldPlanSummary.ALL_MATCH if old_plan else OldPlanSummary.NONE)
            elif materials == MaterialsStatus.VOID:
                app["status"] = ApplicationStatus.VOID
                deadline_at = dt.datetime.combine(period.materials_deadline + dt.timedelta(days=1), dt.time(9, 0))
                self._decide(DecisionKind.MATERIALS, actor, cand, app, Verdict.FAIL,
                             "MA_FORMS_NOT_RETURNED", deadline_at,
                             {"status": status.value, "materials_status": MaterialsStatus.AWAITING.value},
                             {"status": ApplicationStatus.VOID.value, "materials_status": materials.value},
                             forms_count=0,
                             old_plan_summary=OldPlanSummary.NONE)
            self._count(f"materials:{materials.value}")
        self._count(f"application:{app['status'].value}")
        self.rows["applications"].append(app)

    def _resume(self, aid: int, birth: dt.date) -> None:
        rng = self.rng
        year = birth.year + 15
        entries = [(f"{year}-09", f"{year + 3}-07", f"太原市第{rng.randint(1, 60)}中学", "学生")]
        start = year + 3
        for _ in range(rng.randint(1, 3)):
            end = min(start + rng.randint(1, 6), 2026)
            entries.append((f"{start}-09", f"{end}-07" if end < 2026 else None,
                            rng.choice(EMPLOYERS), rng.choice(["职员", "科员", "教师", "护士", "会计"])))
            start = end
        for seq, (a, b, org, pos) in enumerate(entries, 1):
            self.rows["resume_entries"].append({
                "id": self.ids.take(ResumeEntry.__table__), "application_id": aid, "seq": seq,  # type: ignore[arg-type]
                "start_month": a, "end_month": b, "organization": org, "position": pos,
                "witness": self._name(rng.choice((Gender.MALE, Gender.FEMALE)))})

    def _write_audit_chain(self) -> None:
        audit._lock_chain(self.s)
        self.s.flush()
        prev = audit.chain_head(self.s)
        self.events.sort(key=lambda e: e.occurred_at)
        rows = []
        for ev in self.events:
            ev.prev_hash = prev
            ev.hash = audit.event_hash(ev)
            prev = ev.hash
            rows.append({c: getattr(ev, c) for c in ("occurred_at", "actor_id", "actor_name", "action",
                                                        "entity_type", "entity_id", "before", "after",
                                                        "detail", "prev_hash", "hash")})
        _insert_chunks(self.s, AuditEvent.__table__, rows)  # type: ignore[arg-type]


def build_demo(db: Database, *, candidates: int = 2000, seed: int = 1,
               progress: ProgressFn | None = None) -> DemoResult:
    """Fill an empty, migrated database with demo data (one transaction)."""
    if candidates < 1:
        raise UserError("考生人数至少为 1")
    started = time.perf_counter()
    with db.write() as session:
        existing = session.scalar(select(func.count()).select_from(Candidate)) or 0
        if existing:
            raise UserError(f"数据库 {db.display_url} 中已有 {existing} 名考生，演示数据只写入空数据库")
        if user_count(session):
            raise UserError(f"数据库 {db.display_url} 中已有用户，演示数据只写入空数据库")
        builder = DemoBuilder(session, seed, progress)
        builder.build(candidates)
        audit.record(session, None, "demo.build", actor_name="demo",
                     detail=f"{candidates} candidates, seed {seed}")
        rows = builder.rows
    return DemoResult(
        candidates=len(rows["candidates"]),
        applications=len(rows["applications"]),
        decisions=len(rows["decisions"]),
        corrections=len(rows["corrections"]),
        users=demo_users(),
        seconds=time.perf_counter() - started,
        states=dict(sorted(builder.states.items())),
    )


__all__ = ["DemoResult", "DemoUser", "build_demo", "demo_users", "make_id_number"]
