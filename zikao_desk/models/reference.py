"""Reference data: counties, universities, majors, courses, reason codes, periods, blobs."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import (
    BigInteger,
    CheckConstraint,
    Date,
    ForeignKey,
    LargeBinary,
    SmallInteger,
    String,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from zikao_desk.models.base import Base, enum_type, now
from zikao_desk.models.enums import DecisionKind, Level


class County(Base):
    """区县 (GB/T 2260 code)."""

    __tablename__ = "counties"

    code: Mapped[str] = mapped_column(String(6), primary_key=True)
    name: Mapped[str] = mapped_column(String(40))
    city_name: Mapped[str] = mapped_column(String(40))

    __table_args__ = (CheckConstraint("length(code) = 6", name="code_len"),)


class University(Base):
    """主考院校 (national university code, 5 digits)."""

    __tablename__ = "universities"

    code: Mapped[str] = mapped_column(String(5), primary_key=True)
    name: Mapped[str] = mapped_column(String(60))


class Major(Base):
    """专业. The same code may exist at both levels only in the old catalogue, so the key
    is the code plus the level."""

    __tablename__ = "majors"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(8), index=True)
    name: Mapped[str] = mapped_column(String(60))
    level: Mapped[Level] = mapped_column(enum_type(Level, "level"))

    __table_args__ = (
        UniqueConstraint("code", "level"),
        CheckConstraint("length(code) >= 6", name="code_len"),
    )


class Course(Base):
    """课程 (5-digit code)."""

    __tablename__ = "courses"

    code: Mapped[str] = mapped_column(String(5), primary_key=True)
    name: Mapped[str] = mapped_column(String(60))
    credits: Mapped[int]

    __table_args__ = (CheckConstraint("credits > 0", name="credits_positive"),)


class ReasonCode(Base):
    """Standard reasons per review type (非本人, 照片背景不符合要求 …)."""

    __tablename__ = "reason_codes"

    code: Mapped[str] = mapped_column(String(30), primary_key=True)
    kind: Mapped[DecisionKind] = mapped_column(enum_type(DecisionKind, "decision_kind"))
    label: Mapped[str] = mapped_column(String(60))
    active: Mapped[bool] = mapped_column(default=True)


class ApplicationPeriod(Base):
    """An application round (批次 such as ``2026-2``) with its dates and paper deadline."""

    __tablename__ = "application_periods"

    id: Mapped[int] = mapped_column(primary_key=True)
    batch_code: Mapped[str] = mapped_column(String(10), unique=True)
    name: Mapped[str] = mapped_column(String(60))
    opens_on: Mapped[dt.date] = mapped_column(Date)
    closes_on: Mapped[dt.date] = mapped_column(Date)
    materials_deadline: Mapped[dt.date] = mapped_column(Date)
    version: Mapped[int] = mapped_column(default=1)

    __mapper_args__ = {"version_id_col": version}
    __table_args__ = (
        CheckConstraint("closes_on >= opens_on", name="dates_ordered"),
        CheckConstraint("materials_deadline >= closes_on", name="deadline_after_close"),
    )


class Blob(Base):
    """An image or archive, stored once by its SHA-256 in the same database as the records,
    so a shared server serves every workstation and one backup holds everything. The bytes
    are deferred: listing candidates never loads them."""

    __tablename__ = "blobs"

    sha256: Mapped[str] = mapped_column(String(64), primary_key=True)
    media_type: Mapped[str] = mapped_column(String(40))
    size: Mapped[int]
    data: Mapped[bytes] = mapped_column(LargeBinary, deferred=True)
    created_at: Mapped[dt.datetime] = mapped_column(default=now)

    __table_args__ = (
        CheckConstraint("length(sha256) = 64", name="sha_len"),
        CheckConstraint("size >= 0", name="size_nonneg"),
    )


def blob_ref(nullable: bool = True) -> Mapped[str | None]:
    return mapped_column(String(64), ForeignKey("blobs.sha256"), nullable=nullable)


__all__ = [
    "ApplicationPeriod",
    "Blob",
    "County",
    "Course",
    "Major",
    "PhotoHash",
    "ReasonCode",
    "University",
    "blob_ref",
]


class PhotoHash(Base):
    """The perceptual hash of a graduation or ticket photo, split into eight 8-bit bands that
    are indexed: two photos within Hamming distance 7 share at least one band exactly, so a
    look-up reads a few rows instead of every hash."""

    __tablename__ = "photo_hashes"

    sha256: Mapped[str] = mapped_column(ForeignKey("blobs.sha256"), primary_key=True)
    phash: Mapped[int] = mapped_column(BigInteger)  # 64 bits, stored signed
    band0: Mapped[int] = mapped_column(SmallInteger, index=True)
    band1: Mapped[int] = mapped_column(SmallInteger, index=True)
    band2: Mapped[int] = mapped_column(SmallInteger, index=True)
    band3: Mapped[int] = mapped_column(SmallInteger, index=True)
    band4: Mapped[int] = mapped_column(SmallInteger, index=True)
    band5: Mapped[int] = mapped_column(SmallInteger, index=True)
    band6: Mapped[int] = mapped_column(SmallInteger, index=True)
    band7: Mapped[int] = mapped_column(SmallInteger, index=True)
