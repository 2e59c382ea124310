"""A small office for workflow tests: two counties, their staff, a period, and helpers
that put candidates and applications into a given state (as the province import would)."""

from __future__ import annotations

import datetime as dt
import itertools
from dataclasses import dataclass

from sqlalchemy.orm import Session

from zikao_desk.db import Database
from zikao_desk.models import (
    Application,
    ApplicationPeriod,
    ApplicationStatus,
    Candidate,
    Gender,
    IdentityStatus,
    Level,
    Major,
    MaterialsStatus,
    OldPlanCourse,
    PaymentStatus,
    PhotoStatus,
    Role,
)
from zikao_desk.services.auth import ActingUser
from zikao_desk.services.blobs import store_blob
from zikao_desk.services.demo import make_id_number
from zikao_desk.services.demo_images import graduation_photos_ok
from zikao_desk.services.reference_data import ensure_reference_data
from zikao_desk.services.users import add_user, login

_seq = itertools.count(1)


@dataclass
class World:
    db: Database
    admin: ActingUser
    clerk: ActingUser  # 140105
    reviewer: ActingUser  # 140105
    clerk_b: ActingUser  # 140106
    reviewer_b: ActingUser  # 140106
    period_id: int
    major_id: int
    photo_sha: str

    def candidate(
        self,
        county: str = "140105",
        identity: IdentityStatus = IdentityStatus.ONLINE_PASSED,
        gender: Gender = Gender.MALE,
    ) -> int:
        n = next(_seq)
        with self.db.write() as s:
            c = Candidate(
                ticket_no=f"{county[2:]}252{n:05d}",
                id_number=make_id_number(
                    county, dt.date(1990, 1, 1) + dt.timedelta(days=n), n % 1000, gender
                ),
                name="测试考生",
                gender=gender,
                birth_date=dt.date(1990, 1, 1) + dt.timedelta(days=n),
                county_code=county,
                identity_status=identity,
            )
            s.add(c)
            s.flush()
            return c.id

    def application(
        self,
        candidate_id: int,
        *,
        status: ApplicationStatus = ApplicationStatus.PENDING,
        attempt: int = 1,
        photo: PhotoStatus = PhotoStatus.ONLINE_PASSED,
        paid: bool = False,
        old_plan: int = 0,
        county: str | None = None,
    ) -> int:
        n = next(_seq)
        with self.db.write() as s:
            cand = s.get_one(Candidate, candidate_id)
            a = Application(
                application_no=f"T{n:08d}",
                candidate_id=candidate_id,
                period_id=self.period_id,
                attempt=attempt,
                county_code=county or cand.county_code,
                major_id=self.major_id,
                level=Level.ASSOCIATE,
                university1_code="10108",
                submitted_at=dt.datetime(2026, 11, 2, 9),
                status=status,
                photo_sha=self.photo_sha if photo != PhotoStatus.NOT_UPLOADED else None,
                photo_status=photo,
                payment_status=PaymentStatus.PAID if paid else PaymentStatus.UNPAID,
                materials_status=MaterialsStatus.AWAITING if paid else MaterialsStatus.NOT_DUE,
                old_plan_archive_sha=self.photo_sha if old_plan else None,
            )
            s.add(a)
            s.flush()
            for i in range(old_plan):
                s.add(
                    OldPlanCourse(
                        application_id=a.id,
                        course_code=f"0004{i}",
                        course_name="法学概论",
                        credits=5,
                        card_no=f"KH{i}",
                    )
                )
            return a.id


def make_world(db: Database) -> World:
    with db.write() as s:
        ensure_reference_data(s)
        add_user(
            s,
            None,
            username="admin",
            role=Role.ADMIN,
            county_codes=["140105", "140106"],
            password="admin-pass",
        )
    admin = login(db, "admin", "admin-pass")
    with db.write() as s:
        for name, role, county in (
            ("jb105", Role.CLERK, "140105"),
            ("sh105", Role.REVIEWER, "140105"),
            ("jb106", Role.CLERK, "140106"),
            ("sh106", Role.REVIEWER, "140106"),
        ):
            add_user(s, admin, username=name, role=role, county_codes=[county], password="staff-pass")
        period = ApplicationPeriod(
            batch_code="2026-2",
            name="2026年下半年",
            opens_on=dt.date(2026, 11, 1),
            closes_on=dt.date(2026, 11, 30),
            materials_deadline=dt.date(2026, 12, 31),
        )
        s.add(period)
        s.flush()
        major_id = _major(s)
        photo = graduation_photos_ok(1)[0]
        sha = store_blob(s, photo.data, photo.media_type)
        period_id = period.id
    return World(
        db,
        admin,
        login(db, "jb105", "staff-pass"),
        login(db, "sh105", "staff-pass"),
        login(db, "jb106", "staff-pass"),
        login(db, "sh106", "staff-pass"),
        period_id,
        major_id,
        sha,
    )


def _major(s: Session) -> int:
    from sqlalchemy import select

    return s.scalars(select(Major.id).where(Major.level == Level.ASSOCIATE)).first()
