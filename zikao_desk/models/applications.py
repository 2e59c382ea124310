"""Graduation applications and what hangs off them."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from zikao_desk.models.base import Base, enum_type, now
from zikao_desk.models.enums import (
    ApplicationStatus,
    Level,
    MaterialsStatus,
    OldPlanCheck,
    PaymentStatus,
    PhotoStatus,
)
from zikao_desk.models.people import Candidate, User
from zikao_desk.models.reference import ApplicationPeriod, Major, blob_ref


class Application(Base):
    """One attempt (1 or 2) of a candidate's graduation application in a period."""

    __tablename__ = "applications"

    id: Mapped[int] = mapped_column(primary_key=True)
    application_no: Mapped[str] = mapped_column(String(32), unique=True)  # 申请编号
    candidate_id: Mapped[int] = mapped_column(ForeignKey("candidates.id"), index=True)
    period_id: Mapped[int] = mapped_column(ForeignKey("application_periods.id"))
    attempt: Mapped[int]
    county_code: Mapped[str] = mapped_column(ForeignKey("counties.code"), index=True)
    address: Mapped[str | None] = mapped_column(Text)
    major_id: Mapped[int] = mapped_column(ForeignKey("majors.id"))
    level: Mapped[Level] = mapped_column(enum_type(Level, "level"))
    university1_code: Mapped[str] = mapped_column(ForeignKey("universities.code"))
    university2_code: Mapped[str | None] = mapped_column(ForeignKey("universities.code"))
    prior_diploma_no: Mapped[str | None] = mapped_column(String(18))  # 前置学历证书号
    english2_substituted: Mapped[bool] = mapped_column(default=False)  # 顶替英语二
    submitted_at: Mapped[dt.datetime]
    status: Mapped[ApplicationStatus] = mapped_column(
        enum_type(ApplicationStatus, "application_status"), index=True
    )
    # graduation photo (毕业证书电子注册图像)
    photo_sha: Mapped[str | None] = blob_ref()
    photo_status: Mapped[PhotoStatus] = mapped_column(enum_type(PhotoStatus, "photo_status"), index=True)
    # payment, imported from the province
    payment_status: Mapped[PaymentStatus] = mapped_column(
        enum_type(PaymentStatus, "payment_status"), default=PaymentStatus.UNPAID
    )
    paid_at: Mapped[dt.datetime | None]
    order_no: Mapped[str | None] = mapped_column(String(40))
    # 旧计划课程 scan archive (a ZIP)
    old_plan_archive_sha: Mapped[str | None] = blob_ref()
    # 毕业生登记表 data filled in by the candidate
    political_status: Mapped[str | None] = mapped_column(String(20))
    work_unit: Mapped[str | None] = mapped_column(String(100))
    home_address: Mapped[str | None] = mapped_column(Text)
    self_assessment: Mapped[str | None] = mapped_column(Text)
    # paper forms returned to the office
    materials_status: Mapped[MaterialsStatus] = mapped_column(
        enum_type(MaterialsStatus, "materials_status"), default=MaterialsStatus.NOT_DUE, index=True
    )
    forms_received: Mapped[int] = mapped_column(default=0)
    forms_received_at: Mapped[dt.datetime | None]
    forms_received_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[dt.datetime] = mapped_column(default=now)
    updated_at: Mapped[dt.datetime] = mapped_column(default=now, onupdate=now)
    version: Mapped[int] = mapped_column(default=1)

    candidate: Mapped[Candidate] = relationship(lazy="raise")
    period: Mapped[ApplicationPeriod] = relationship(lazy="raise")
    major: Mapped[Major] = relationship(lazy="raise")
    forms_received_by: Mapped[User | None] = relationship(lazy="raise")
    substitute_courses: Mapped[list[SubstituteCourse]] = relationship(
        back_populates="application", lazy="raise", cascade="all, delete-orphan"
    )
    old_plan_courses: Mapped[list[OldPlanCourse]] = relationship(
        back_populates="application", lazy="raise", cascade="all, delete-orphan"
    )
    resume_entries: Mapped[list[ResumeEntry]] = relationship(
        back_populates="application",
        lazy="raise",
        cascade="all, delete-orphan",
        order_by="ResumeEntry.seq",
    )

    __mapper_args__ = {"version_id_col": version}
    __table_args__ = (
        CheckConstraint("attempt IN (1, 2)", name="attempt_1_or_2"),
        CheckConstraint(
            "university2_code IS NULL OR university2_code <> university1_code",
            name="universities_distinct",
        ),
        CheckConstraint("forms_received >= 0", name="forms_nonneg"),
        UniqueConstraint("candidate_id", "period_id", "attempt"),
        Index("ix_applications_county_status", "county_code", "status"),
    )


class SubstituteCourse(Base):
    """A course offered instead of 英语（二） (顶替课程)."""

    __tablename__ = "substitute_courses"

    id: Mapped[int] = mapped_column(primary_key=True)
    application_id: Mapped[int] = mapped_column(ForeignKey("applications.id", ondelete="CASCADE"), index=True)
    course_code: Mapped[str] = mapped_column(String(5))
    course_name: Mapped[str] = mapped_column(String(60))
    credits: Mapped[int]

    application: Mapped[Application] = relationship(back_populates="substitute_courses", lazy="raise")

    __table_args__ = (
        UniqueConstraint("application_id", "course_code"),
        CheckConstraint("credits > 0", name="credits_positive"),
    )


class OldPlanCourse(Base):
    """A 旧计划课程 / 实践课考核卡 and the clerk's check of its original."""

    __tablename__ = "old_plan_courses"

    id: Mapped[int] = mapped_column(primary_key=True)
    application_id: Mapped[int] = mapped_column(ForeignKey("applications.id", ondelete="CASCADE"), index=True)
    course_code: Mapped[str] = mapped_column(String(5))
    course_name: Mapped[str] = mapped_column(String(60))
    credits: Mapped[int]
    score: Mapped[str | None] = mapped_column(String(10))
    card_no: Mapped[str | None] = mapped_column(String(40))  # 考核卡编号
    check_result: Mapped[OldPlanCheck | None] = mapped_column(enum_type(OldPlanCheck, "old_plan_check"))
    checked_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    checked_at: Mapped[dt.datetime | None]
    version: Mapped[int] = mapped_column(default=1)

    application: Mapped[Application] = relationship(back_populates="old_plan_courses", lazy="raise")

    __mapper_args__ = {"version_id_col": version}
    __table_args__ = (
        UniqueConstraint("application_id", "course_code"),
        CheckConstraint("credits > 0", name="credits_positive"),
    )


class ResumeEntry(Base):
    """One line of the 个人简历 on the 毕业生登记表."""

    __tablename__ = "resume_entries"

    id: Mapped[int] = mapped_column(primary_key=True)
    application_id: Mapped[int] = mapped_column(ForeignKey("applications.id", ondelete="CASCADE"), index=True)
    seq: Mapped[int]
    start_month: Mapped[str] = mapped_column(String(7))  # YYYY-MM
    end_month: Mapped[str | None] = mapped_column(String(7))
    organization: Mapped[str] = mapped_column(String(100))  # 单位或学校
    position: Mapped[str | None] = mapped_column(String(40))  # 职务或身份
    witness: Mapped[str | None] = mapped_column(String(40))  # 证明人

    application: Mapped[Application] = relationship(back_populates="resume_entries", lazy="raise")

    __table_args__ = (UniqueConstraint("application_id", "seq"),)
