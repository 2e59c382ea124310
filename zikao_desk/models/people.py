"""Staff accounts and candidates."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import CheckConstraint, Column, ForeignKey, String, Table, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from zikao_desk.models.base import Base, enum_type, now
from zikao_desk.models.enums import Gender, IdentityStatus, Role
from zikao_desk.models.reference import County, blob_ref

user_counties = Table(
    "user_counties",
    Base.metadata,
    Column("user_id", ForeignKey("users.id", ondelete="CASCADE"), primary_key=True),
    Column("county_code", ForeignKey("counties.code"), primary_key=True),
)


class User(Base):
    """A staff account, bound to one or more counties."""

    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(40), unique=True)
    display_name: Mapped[str] = mapped_column(String(40))
    role: Mapped[Role] = mapped_column(enum_type(Role, "role"))
    # "scrypt$n$r$p$salt_hex$hash_hex": the parameters travel with the hash so they can grow.
    password_hash: Mapped[str] = mapped_column(String(300))
    failed_logins: Mapped[int] = mapped_column(default=0)
    locked_until: Mapped[dt.datetime | None]
    active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[dt.datetime] = mapped_column(default=now)
    version: Mapped[int] = mapped_column(default=1)

    counties: Mapped[list[County]] = relationship(secondary=user_counties, lazy="raise")

    __mapper_args__ = {"version_id_col": version}
    __table_args__ = (CheckConstraint("failed_logins >= 0", name="failed_nonneg"),)


class Candidate(Base):
    """考生. 准考证号 and 身份证号 are each unique; the images are blob references."""

    __tablename__ = "candidates"

    id: Mapped[int] = mapped_column(primary_key=True)
    ticket_no: Mapped[str] = mapped_column(String(12), unique=True)
    id_number: Mapped[str] = mapped_column(String(18), unique=True)
    name: Mapped[str] = mapped_column(String(40), index=True)
    gender: Mapped[Gender] = mapped_column(enum_type(Gender, "gender"))
    birth_date: Mapped[dt.date]
    ethnicity: Mapped[str | None] = mapped_column(String(20))
    phone: Mapped[str | None] = mapped_column(String(20))
    address: Mapped[str | None] = mapped_column(Text)
    county_code: Mapped[str] = mapped_column(ForeignKey("counties.code"), index=True)
    identity_status: Mapped[IdentityStatus] = mapped_column(
        enum_type(IdentityStatus, "identity_status"), index=True
    )
    ticket_photo_sha: Mapped[str | None] = blob_ref()  # 准考证照片
    id_card_photo_sha: Mapped[str | None] = blob_ref()  # 身份证人像面照
    handheld_photo_sha: Mapped[str | None] = blob_ref()  # 手持身份证照
    created_at: Mapped[dt.datetime] = mapped_column(default=now)
    updated_at: Mapped[dt.datetime] = mapped_column(default=now, onupdate=now)
    version: Mapped[int] = mapped_column(default=1)

    county: Mapped[County] = relationship(lazy="raise")

    __mapper_args__ = {"version_id_col": version}
    __table_args__ = (
        CheckConstraint("length(ticket_no) = 12", name="ticket_len"),
        CheckConstraint("length(id_number) = 18", name="id_len"),
    )
