"""Demo data: realistic, consistent and deterministic for a seed.

Candidates of Taiyuan's ten districts and counties, with valid 身份证号 (Shanxi region codes,
real birth dates, checksum, 17th digit agreeing with 性别) and 准考证号 that fit their county,
applications in every workflow state of domain.md, the decisions that led there with their
audit events, and generated images (passing and failing photos).

What the province delivers is written with bulk inserts and explicit ids; what the office
did is replayed through the services (see ``DemoBuilder``). Images come from a small pool
and are stored once each by SHA-256.
"""

from __future__ import annotations

import datetime as dt
import random
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from functools import partial
from typing import Any

from sqlalchemy import Table, func, insert, select, text
from sqlalchemy.orm import Session

from zikao_desk.db import Database
from zikao_desk.errors import UserError
from zikao_desk.models import (
    Application,
    ApplicationPeriod,
    ApplicationStatus,
    Base,
    Candidate,
    Correction,
    CorrectionField,
    Decision,
    Gender,
    IdentityStatus,
    Level,
    MaterialsStatus,
    OldPlanCheck,
    OldPlanCourse,
    PaymentStatus,
    PhotoStatus,
    ResumeEntry,
    Role,
    SubstituteCourse,
    Verdict,
    clock_at,
)
from zikao_desk.models import Major as MajorRow
from zikao_desk.services import audit, demo_images, workflow
from zikao_desk.services.applications import ApplicationFacts, check_attempt_allowed, validate_application
from zikao_desk.services.auth import ActingUser
from zikao_desk.services.blobs import store_blob
from zikao_desk.services.corrections import correct_candidate
from zikao_desk.services.duplicates import index_photo
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
STREETS = [
    "长风街",
    "平阳路",
    "亲贤街",
    "体育路",
    "并州路",
    "迎泽大街",
    "府西街",
    "南内环街",
    "学府街",
    "坞城路",
    "滨河东路",
    "胜利街",
    "和平南路",
    "千峰南路",
    "晋祠路",
]
EMPLOYERS = [
    "太原市第五中学",
    "山西省人民医院",
    "中国银行太原分行",
    "太原钢铁（集团）有限公司",
    "山西焦煤集团",
    "小店区人民政府",
    "太原市公交公司",
    "山西转型综改示范区管委会",
    "个体经营",
    "待业",
]
ASSESSMENT_SENTENCES = [
    "本人在自学考试期间，坚持业余学习，合理安排工作与学习时间，按计划完成了全部课程的学习和考试。",
    "通过系统学习专业课程，我掌握了本专业的基本理论和基本技能，并能够将所学知识运用到实际工作中。",
    "在工作中，我认真负责，团结同事，积极完成单位交给的各项任务，多次受到领导和同事的好评。",
    "自学考试培养了我独立思考和自主学习的能力，也磨练了我的意志。",
    "我深知自身仍有不足，今后将继续学习，不断提高自己的业务水平和综合素质。",
    "遵纪守法，诚实守信，具有良好的道德品质和职业操守。",
]
SITTINGS = [
    "181",
    "182",
    "191",
    "192",
    "201",
    "202",
    "211",
    "212",
    "221",
    "222",
    "231",
    "232",
    "241",
    "242",
    "251",
    "252",
]

CURRENT_PERIOD = (
    "2026-2",
    "2026年下半年毕业申请",
    dt.date(2026, 11, 1),
    dt.date(2026, 11, 30),
    dt.date(2026, 12, 31),
)
PAST_PERIOD = (
    "2026-1",
    "2026年上半年毕业申请",
    dt.date(2026, 5, 1),
    dt.date(2026, 5, 31),
    dt.date(2026, 6, 30),
)

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


BULK_MODELS: tuple[type[Base], ...] = (Candidate, Application, SubstituteCourse, OldPlanCourse, ResumeEntry)


def table_of(model: type[Base]) -> Table:
    return Base.metadata.tables[model.__tablename__]


class _Ids:
    """Explicit primary keys for bulk inserts into an empty demo database."""

    def __init__(self, session: Session, models: Iterable[type[Base]]) -> None:
        self.next: dict[str, int] = {}
        for model in models:
            table = table_of(model)
            current = session.scalar(select(func.max(table.c.id))) or 0
            self.next[table.name] = current + 1

    def take(self, model: type[Base]) -> int:
        value = self.next[model.__tablename__]
        self.next[model.__tablename__] = value + 1
        return value


def _insert_chunks(session: Session, table: Table, rows: list[dict[str, Any]]) -> None:
    for start in range(0, len(rows), CHUNK):
        session.execute(insert(table), rows[start : start + CHUNK])


def _fix_sequences(session: Session, models: Sequence[type[Base]]) -> None:
    """After explicit ids, PostgreSQL's sequences must move past them."""
    if session.get_bind().dialect.name != "postgresql":
        return
    for model in models:
        name = model.__tablename__
        session.execute(
            text(
                f"SELECT setval(pg_get_serial_sequence('{name}', 'id'), "
                f"COALESCE((SELECT MAX(id) FROM {name}), 0) + 1, false)"
            )
        )


class DemoBuilder:
    """Builds the demo in two parts. First, in bulk, what the province delivers: candidates
    and applications as submitted. Then, replayed in time order through the real services
    and as the demo users, what the county office did: identity and photo reviews,
    corrections, approvals, re-applications, payments reported back, paper checks, and the
    overdue sweep. Every decision therefore has its audit event and obeys every rule."""

    def __init__(self, session: Session, seed: int, progress: ProgressFn | None) -> None:
        self.s = session
        self.rng = random.Random(seed)
        self.seed = seed
        self.progress = progress or (lambda done, total, msg: None)
        self.rows: dict[str, list[dict[str, Any]]] = {"candidates": []}
        self.steps: list[tuple[dt.datetime, int, Callable[[], object]]] = []
        self.states: dict[str, int] = {}
        self.used_ids: set[str] = set()
        self.ticket_seq: dict[str, int] = {}

    # -- helpers --------------------------------------------------------------------------
    def _count(self, key: str) -> None:
        self.states[key] = self.states.get(key, 0) + 1

    def _at(self, moment: dt.datetime, action: Callable[[], object]) -> None:
        self.steps.append((moment, len(self.steps), action))

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

    def _moment(self, day: dt.date | dt.datetime, days_after: int = 0) -> dt.datetime:
        base = day if isinstance(day, dt.datetime) else dt.datetime.combine(day, dt.time(8, 30))
        base = base.replace(hour=8, minute=30, second=0) + dt.timedelta(days=days_after)
        return base + dt.timedelta(minutes=self.rng.randint(0, 9 * 60))

    # -- building -------------------------------------------------------------------------
    def build(self, n_candidates: int) -> None:
        s = self.s
        ensure_reference_data(s)
        self.periods = {}
        for code, name, opens, closes, deadline in (PAST_PERIOD, CURRENT_PERIOD):
            p = ApplicationPeriod(
                batch_code=code, name=name, opens_on=opens, closes_on=closes, materials_deadline=deadline
            )
            s.add(p)
            self.periods[code] = p
        s.flush()
        self.actors = self._create_users()
        self.progress(0, n_candidates, "生成图片")
        self.blobs = self._store_images()
        self.majors: list[tuple[int, str, str, Level]] = [
            (r.id, r.code, r.name, r.level)
            for r in s.execute(select(MajorRow.id, MajorRow.code, MajorRow.name, MajorRow.level))
        ]
        self.ids = _Ids(s, BULK_MODELS)
        for i in range(n_candidates):
            self._candidate()
            if (i + 1) % 1000 == 0:
                self.progress(i + 1, n_candidates, "生成考生")
        sweep_at = dt.datetime.combine(PAST_PERIOD[4] + dt.timedelta(days=1), dt.time(9, 0))
        for county, _name, _city in DEMO_COUNTIES:
            clerk = self.actors[(county, Role.CLERK)]
            self._at(sweep_at, partial(workflow.sweep_overdue, self.s, clerk))
        self.progress(n_candidates, n_candidates, "写入省平台数据")
        _insert_chunks(s, table_of(Candidate), self.rows["candidates"])
        self.steps.sort(key=lambda step: (step[0], step[1]))
        total = len(self.steps)
        for done, (moment, _seq, action) in enumerate(self.steps, 1):
            with clock_at(moment):
                action()
            if done % 2000 == 0:
                self.progress(done, total, "办理审核业务")
                # a long replay must not keep every object it touched: a growing identity
                # map makes each flush and garbage collection slower than the one before
                s.flush()
                s.expunge_all()
        _fix_sequences(s, BULK_MODELS)

    def _create_users(self) -> dict[tuple[str, Role], ActingUser]:
        actors: dict[tuple[str, Role], ActingUser] = {}
        admin: ActingUser | None = None
        with clock_at(dt.datetime(2026, 3, 1, 8, 0)):
            for du in demo_users():
                user = add_user(
                    self.s,
                    admin,
                    username=du.username,
                    role=du.role,
                    county_codes=du.county_codes,
                    password=du.password,
                    display_name=du.username,
                )
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
        out: dict[str, list[str]] = {}
        self.blob_data: dict[str, bytes] = {}
        with clock_at(dt.datetime(2026, 3, 1, 8, 0)):
            for key, images in pools.items():
                out[key] = [store_blob(self.s, img.data, img.media_type) for img in images]
                self.blob_data.update(zip(out[key], (img.data for img in images), strict=True))
        # every graduation and ticket photo is in the duplicate index, as an import leaves it
        for key in ("photo_ok", "photo_bad", "ticket"):
            for digest in out[key]:
                index_photo(self.s, digest)
        return out

    def _candidate(self) -> None:
        rng = self.rng
        county, county_name, city = rng.choice(DEMO_COUNTIES)
        gender = rng.choice((Gender.MALE, Gender.FEMALE))
        id_number, birth = self._id_number(county, gender)
        cid = self.ids.take(Candidate)
        r = rng.random()
        identity = (
            IdentityStatus.ONLINE_PASSED
            if r < 0.80
            else IdentityStatus.PENDING_REVIEW
            if r < 0.87
            else IdentityStatus.REVIEW_PASSED
            if r < 0.93
            else IdentityStatus.REVIEW_REJECTED
            if r < 0.95
            else IdentityStatus.NOT_VERIFIED
        )
        reviewed = identity in (IdentityStatus.REVIEW_PASSED, IdentityStatus.REVIEW_REJECTED)
        cand = {
            "id": cid,
            "ticket_no": self._ticket(county, birth),
            "id_number": id_number,
            "name": self._name(gender),
            "gender": gender,
            "birth_date": birth,
            "ethnicity": rng.choice(ETHNICITIES),
            "phone": f"1{rng.choice('3578')}{rng.randint(0, 999999999):09d}",
            "address": f"{city}{county_name}{rng.choice(STREETS)}{rng.randint(1, 300)}号",
            "county_code": county,
            "identity_status": IdentityStatus.PENDING_REVIEW if reviewed else identity,
            "ticket_photo_sha": rng.choice(self.blobs["ticket"]),
            "id_card_photo_sha": rng.choice(self.blobs["id_card"])
            if identity != IdentityStatus.NOT_VERIFIED
            else None,
            "handheld_photo_sha": rng.choice(self.blobs["handheld"])
            if identity != IdentityStatus.NOT_VERIFIED
            else None,
            "version": 1,
        }
        self.rows["candidates"].append(cand)
        self._count(f"identity:{identity.value}")
        clerk = self.actors[(county, Role.CLERK)]
        reviewer = self.actors[(county, Role.REVIEWER)]
        # the office's work on the person comes before any application (March and April)
        if reviewed:
            passed = identity == IdentityStatus.REVIEW_PASSED
            reason = None if passed else rng.choice(["ID_NOT_SAME_PERSON", "ID_PHOTO_UNCLEAR"])
            self._at(
                self._moment(dt.date(2026, 3, 2), rng.randint(0, 50)),
                lambda: workflow.review_identity(
                    self.s, clerk, cid, Verdict.PASS if passed else Verdict.FAIL, reason_code=reason
                ),
            )
        if rng.random() < 0.03:
            self._correction(cand, clerk)
        if (
            identity not in (IdentityStatus.ONLINE_PASSED, IdentityStatus.REVIEW_PASSED)
            or rng.random() > 0.92
        ):
            return
        scenario = rng.choices([s for s, _ in SCENARIOS], [w for _, w in SCENARIOS])[0]
        self._count(f"scenario:{scenario}")
        period = self.periods[PAST_PERIOD[0] if scenario.startswith("past_") else CURRENT_PERIOD[0]]
        first_status = {
            "pending": ApplicationStatus.PENDING,
            "system_approved": ApplicationStatus.SYSTEM_APPROVED,
            "county_approved": ApplicationStatus.APPROVED,
            "past_void": ApplicationStatus.SYSTEM_APPROVED,
            "past_complete": ApplicationStatus.SYSTEM_APPROVED,
        }.get(scenario, ApplicationStatus.REJECTED)
        materials = {"past_void": MaterialsStatus.VOID, "past_complete": MaterialsStatus.COMPLETE}.get(
            scenario
        )
        decided = self._application(
            cand,
            period,
            1,
            first_status,
            reviewer,
            clerk,
            force_paid=materials is not None,
            materials=materials,
        )
        second = {
            "reapplied_pending": ApplicationStatus.PENDING,
            "reapplied_approved": ApplicationStatus.APPROVED,
            "rejected_final": ApplicationStatus.REJECTED_FINAL,
        }.get(scenario)
        if second is not None:
            self._application(cand, period, 2, second, reviewer, clerk, after=decided)

    def _correction(self, cand: dict[str, Any], clerk: ActingUser) -> None:
        rng = self.rng
        cid = cand["id"]
        at = self._moment(dt.date(2026, 3, 2), rng.randint(0, 55))
        if rng.random() < 0.5:
            right = cand["name"]
            cand["name"] = self._name(cand["gender"])  # what the province had
            if cand["name"] == right:
                return
            self._at(
                at,
                lambda: correct_candidate(
                    self.s,
                    clerk,
                    cid,
                    CorrectionField.NAME,
                    right,
                    reason="考生姓名录入错误，凭身份证原件更正",
                ),
            )
        else:
            new = rng.choice([b for b in self.blobs["ticket"] if b != cand["ticket_photo_sha"]])
            data = self.blob_data[new]
            self._at(
                at,
                lambda: correct_candidate(
                    self.s,
                    clerk,
                    cid,
                    CorrectionField.TICKET_PHOTO,
                    data,
                    reason="准考证照片非本人近期照片，现场采集更换",
                ),
            )
        self._count("corrections")

    def _application(
        self,
        cand: dict[str, Any],
        period: ApplicationPeriod,
        attempt: int,
        status: ApplicationStatus,
        reviewer: ActingUser,
        clerk: ActingUser,
        *,
        force_paid: bool = False,
        materials: MaterialsStatus | None = None,
        after: dt.datetime | None = None,
    ) -> dt.datetime:
        """Plan one application; return when the county decided it (or it was submitted)."""
        rng = self.rng
        aid = self.ids.take(Application)
        major_id, _code, _major_name, level = rng.choice(self.majors)
        u1, u2 = rng.sample([u[0] for u in UNIVERSITIES], 2)
        if after is not None:
            submitted = self._moment(after, rng.randint(1, 3))
        else:
            submitted = self._moment(period.opens_on, rng.randint(0, 12))
        county = cand["county_code"]
        county_decides = status in (
            ApplicationStatus.APPROVED,
            ApplicationStatus.REJECTED,
            ApplicationStatus.REJECTED_FINAL,
        )
        app: dict[str, Any] = {
            "id": aid,
            "application_no": f"{period.batch_code.replace('-', '')}{county[2:]}{aid:07d}{attempt}",
            "candidate_id": cand["id"],
            "period_id": period.id,
            "attempt": attempt,
            "county_code": county,
            "address": cand["address"],
            "major_id": major_id,
            "level": level,
            "university1_code": u1,
            "university2_code": u2 if rng.random() < 0.3 else None,
            "prior_diploma_no": None,
            "english2_substituted": False,
            "submitted_at": submitted,
            "status": ApplicationStatus.PENDING if county_decides else status,
            "photo_sha": None,
            "photo_status": PhotoStatus.NOT_UPLOADED,
            "payment_status": PaymentStatus.UNPAID,
            "paid_at": None,
            "order_no": None,
            "old_plan_archive_sha": None,
            "political_status": None,
            "work_unit": None,
            "home_address": None,
            "self_assessment": None,
            "materials_status": MaterialsStatus.NOT_DUE,
            "forms_received": 0,
            "forms_received_at": None,
            "forms_received_by_id": None,
            "version": 1,
        }
        rows: dict[str, list[dict[str, Any]]] = {
            "applications": [app],
            "substitute_courses": [],
            "old_plan_courses": [],
            "resume_entries": [],
        }
        if level == Level.BACHELOR:
            digits = 17 if rng.random() < 0.1 else 18
            app["prior_diploma_no"] = str(rng.randint(1, 9)) + "".join(
                str(rng.randint(0, 9)) for _ in range(digits - 1)
            )
        substitute_credits: list[int] = []
        if rng.random() < 0.10:
            app["english2_substituted"] = True
            pool = [c for c in COURSES if c[0] != ENGLISH_II_CODE]
            for code, name, credits in rng.sample(pool, len(pool)):
                rows["substitute_courses"].append(
                    {
                        "id": self.ids.take(SubstituteCourse),
                        "application_id": aid,
                        "course_code": code,
                        "course_name": name,
                        "credits": credits,
                    }
                )
                substitute_credits.append(credits)
                if sum(substitute_credits) >= 14:
                    break
        validate_application(
            ApplicationFacts(
                level,
                u1,
                app["university2_code"],
                app["prior_diploma_no"],
                app["english2_substituted"],
                tuple(substitute_credits),
            )
        )
        old_plan_ids: list[int] = []
        if rng.random() < 0.10:
            app["old_plan_archive_sha"] = rng.choice(self.blobs["archive"])
            for code, name, credits in rng.sample(OLD_PLAN_COURSES, rng.randint(1, 2)):
                oid = self.ids.take(OldPlanCourse)
                old_plan_ids.append(oid)
                rows["old_plan_courses"].append(
                    {
                        "id": oid,
                        "application_id": aid,
                        "course_code": code,
                        "course_name": name,
                        "credits": credits,
                        "score": str(rng.randint(60, 92)),
                        "card_no": f"KH{rng.randint(0, 10**8):08d}",
                        "check_result": None,
                        "checked_by_id": None,
                        "checked_at": None,
                        "version": 1,
                    }
                )

        # graduation photo, as the online check left it
        approved = status.approved
        if status == ApplicationStatus.PENDING:
            photo = rng.choices(
                [PhotoStatus.ONLINE_PASSED, PhotoStatus.PENDING_REVIEW, PhotoStatus.NOT_UPLOADED],
                [0.7, 0.2, 0.1],
            )[0]
        elif approved:
            photo = (
                PhotoStatus.ONLINE_PASSED
                if force_paid
                else rng.choices(
                    [
                        PhotoStatus.ONLINE_PASSED,
                        PhotoStatus.PENDING_REVIEW,
                        PhotoStatus.REVIEW_PASSED,
                        PhotoStatus.REVIEW_REJECTED,
                        PhotoStatus.NOT_UPLOADED,
                    ],
                    [0.78, 0.08, 0.08, 0.03, 0.03],
                )[0]
            )
        else:
            photo = PhotoStatus.NOT_UPLOADED
        photo_reviewed = photo in (PhotoStatus.REVIEW_PASSED, PhotoStatus.REVIEW_REJECTED)
        app["photo_status"] = PhotoStatus.PENDING_REVIEW if photo_reviewed else photo
        if photo in (PhotoStatus.ONLINE_PASSED, PhotoStatus.REVIEW_PASSED):
            app["photo_sha"] = rng.choice(self.blobs["photo_ok"])
        elif photo == PhotoStatus.PENDING_REVIEW:
            app["photo_sha"] = rng.choice([*self.blobs["photo_bad"], *self.blobs["photo_ok"][:3]])
        elif photo == PhotoStatus.REVIEW_REJECTED:
            app["photo_sha"] = rng.choice(self.blobs["photo_bad"])

        # the province delivers each application on the day it was submitted
        self._at(submitted, lambda: self._submit(cand["id"], period.id, attempt, rows))

        decided_at = submitted + dt.timedelta(days=rng.randint(1, 4), hours=rng.randint(0, 6))
        if county_decides:
            ok = status == ApplicationStatus.APPROVED
            approval_reason = (
                None if ok else rng.choice(["AP_PRIOR_DIPLOMA", "AP_COURSES_INCOMPLETE", "AP_UNIVERSITY"])
            )
            self._at(
                decided_at,
                lambda: workflow.decide_application(
                    self.s, reviewer, aid, Verdict.PASS if ok else Verdict.FAIL, reason_code=approval_reason
                ),
            )
        if photo_reviewed:
            ok_photo = photo == PhotoStatus.REVIEW_PASSED
            photo_reason = None if ok_photo else rng.choice(["PH_BACKGROUND", "PH_BORDER_TEXT", "PH_COLOUR"])
            self._at(
                decided_at + dt.timedelta(days=1),
                lambda: workflow.review_photo(
                    self.s, clerk, aid, Verdict.PASS if ok_photo else Verdict.FAIL, reason_code=photo_reason
                ),
            )
        self._count(f"photo:{photo.value}")

        final_status = status
        if approved and photo.approved and (force_paid or rng.random() < 0.65):
            paid_at = decided_at + dt.timedelta(days=rng.randint(2, 6))
            order_no = f"ZF{paid_at:%Y%m%d}{rng.randint(0, 10**8):08d}"
            app.update(
                political_status=rng.choice(POLITICAL),
                work_unit=rng.choice(EMPLOYERS),
                home_address=cand["address"],
                self_assessment="".join(rng.sample(ASSESSMENT_SENTENCES, rng.randint(3, 6))),
            )
            self._resume(aid, cand["birth_date"], rows["resume_entries"])
            self._at(
                paid_at,
                lambda: workflow.record_payment(
                    self.s, self.s.get_one(Application, aid), paid_at=paid_at, order_no=order_no
                ),
            )
            if materials is None:
                materials = MaterialsStatus.COMPLETE if rng.random() < 0.4 else MaterialsStatus.AWAITING
            if materials == MaterialsStatus.COMPLETE:
                self._at(
                    paid_at + dt.timedelta(days=rng.randint(1, 8)),
                    lambda: self._check_materials(clerk, aid, old_plan_ids),
                )
            elif materials == MaterialsStatus.VOID:
                final_status = ApplicationStatus.VOID  # by the sweep after the deadline
            self._count(f"materials:{materials.value}")
        self._count(f"application:{final_status.value}")
        return decided_at

    def _submit(
        self, candidate_id: int, period_id: int, attempt: int, rows: dict[str, list[dict[str, Any]]]
    ) -> None:
        check_attempt_allowed(self.s, candidate_id, period_id, attempt)
        for table, table_rows in rows.items():
            if table_rows:
                self.s.execute(insert(Base.metadata.tables[table]), table_rows)

    def _check_materials(self, clerk: ActingUser, aid: int, old_plan_ids: list[int]) -> None:
        workflow.receive_forms(self.s, clerk, aid, 2)
        for oid in old_plan_ids:
            workflow.check_old_plan_card(self.s, clerk, oid, OldPlanCheck.MATCHES)
        workflow.complete_materials_check(self.s, clerk, aid, Verdict.PASS)

    def _resume(self, aid: int, birth: dt.date, into: list[dict[str, Any]]) -> None:
        rng = self.rng
        year = birth.year + 15
        entries: list[tuple[str, str | None, str, str]] = [
            (f"{year}-09", f"{year + 3}-07", f"太原市第{rng.randint(1, 60)}中学", "学生")
        ]
        start = year + 3
        for _ in range(rng.randint(1, 3)):
            end = min(start + rng.randint(1, 6), 2026)
            entries.append(
                (
                    f"{start}-09",
                    f"{end}-07" if end < 2026 else None,
                    rng.choice(EMPLOYERS),
                    rng.choice(["职员", "科员", "教师", "护士", "会计"]),
                )
            )
            start = end
        for seq, (a, b, org, pos) in enumerate(entries, 1):
            into.append(
                {
                    "id": self.ids.take(ResumeEntry),
                    "application_id": aid,
                    "seq": seq,
                    "start_month": a,
                    "end_month": b,
                    "organization": org,
                    "position": pos,
                    "witness": self._name(rng.choice((Gender.MALE, Gender.FEMALE))),
                }
            )


def build_demo(
    db: Database, *, candidates: int = 2000, seed: int = 1, progress: ProgressFn | None = None
) -> DemoResult:
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
        audit.record(
            session, None, "demo.build", actor_name="demo", detail=f"{candidates} candidates, seed {seed}"
        )
        counts = {
            model.__tablename__: session.scalar(select(func.count()).select_from(model)) or 0
            for model in (Candidate, Application, Decision, Correction)
        }
    return DemoResult(
        candidates=counts["candidates"],
        applications=counts["applications"],
        decisions=counts["decisions"],
        corrections=counts["corrections"],
        users=demo_users(),
        seconds=time.perf_counter() - started,
        states=dict(sorted(builder.states.items())),
    )


__all__ = ["DemoResult", "DemoUser", "build_demo", "demo_users", "make_id_number"]
