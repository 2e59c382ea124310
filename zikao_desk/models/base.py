"""Declarative base, naming convention and column helpers shared by all tables."""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from sqlalchemy import Enum, MetaData
from sqlalchemy.orm import DeclarativeBase

# Constraint names must be deterministic so Alembic can alter them (and SQLite batch mode
# can recreate tables): see the Alembic "naming conventions" documentation.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

# The office works on China Standard Time, all workstations in one zone; times are stored
# as naive wall-clock values in that zone, which is also what the province's workbooks use.
CHINA_TZ = dt.timezone(dt.timedelta(hours=8), "CST")


_frozen_now: ContextVar[dt.datetime | None] = ContextVar("zikao_frozen_now", default=None)


def now() -> dt.datetime:
    """The office's wall-clock time, to the second."""
    frozen = _frozen_now.get()
    if frozen is not None:
        return frozen
    return dt.datetime.now(CHINA_TZ).replace(tzinfo=None, microsecond=0)


def today() -> dt.date:
    return now().date()


@contextmanager
def clock_at(moment: dt.datetime) -> Iterator[None]:
    """Run the block as if it were ``moment`` (the demo replays months of office work
    through the real services; tests check deadlines). Context-local, so it never
    leaks into another thread."""
    token = _frozen_now.set(moment.replace(microsecond=0))
    try:
        yield
    finally:
        _frozen_now.reset(token)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


def enum_type(enum_cls: type[enum.Enum], name: str) -> Enum:
    """A portable enum column: VARCHAR plus a CHECK constraint, storing the member values."""
    return Enum(
        enum_cls,
        name=name,
        native_enum=False,
        create_constraint=True,
        length=20,
        validate_strings=True,
        values_callable=lambda members: [m.value for m in members],
    )
