"""One user action = one transaction, with the errors a clerk can act on.

``perform(db, actor, "审批", lambda s: decide_application(s, actor, …))`` runs the service
call in a write transaction and:

- turns every kind of concurrent write (SQLAlchemy's ``StaleDataError``, SQLite's
  "database is locked", PostgreSQL's ``LockNotAvailable`` and ``SerializationFailure``)
  into the one message "此记录已被其他用户修改，请刷新后重试";
- appends a ``refused`` audit event, in a transaction of its own, for every action the
  rules refused (the refused action itself rolled back: nothing half-written).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import TypeVar

from sqlalchemy.exc import DBAPIError, OperationalError
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from zikao_desk.db import Database
from zikao_desk.errors import (
    ConcurrentModification,
    InvalidTransition,
    PermissionDenied,
    UserError,
    ValidationError,
)
from zikao_desk.services import audit
from zikao_desk.services.auth import ActingUser

log = logging.getLogger("zikao.services")
T = TypeVar("T")

# lock not available, serialization failure, deadlock, and a unique key taken by a
# transaction that committed first (two exports numbering the same batch, say)
_PG_CONFLICT_SQLSTATES = {"55P03", "40001", "40P01", "23505"}


def is_concurrency_error(exc: BaseException) -> bool:
    if isinstance(exc, StaleDataError):
        return True
    if isinstance(exc, OperationalError) and "database is locked" in str(exc.orig):
        return True
    if isinstance(exc, DBAPIError):
        sqlstate = getattr(exc.orig, "sqlstate", None)
        return sqlstate in _PG_CONFLICT_SQLSTATES
    return False


def perform(db: Database, actor: ActingUser | None, action: str, fn: Callable[[Session], T]) -> T:
    try:
        with db.write() as session:
            return fn(session)
    except (PermissionDenied, InvalidTransition, ValidationError, ConcurrentModification) as exc:
        _record_refusal(db, actor, action, exc)
        raise
    except DBAPIError as exc:
        if is_concurrency_error(exc):
            _record_refusal(db, actor, action, ConcurrentModification())
            raise ConcurrentModification() from exc
        raise
    except StaleDataError as exc:
        _record_refusal(db, actor, action, ConcurrentModification())
        raise ConcurrentModification() from exc


def _record_refusal(db: Database, actor: ActingUser | None, action: str, exc: UserError) -> None:
    try:
        with db.write() as session:
            audit.record(
                session,
                actor,
                "refused",
                detail=f"{action}：{exc}",
                after={"action": action, "error": type(exc).__name__},
                actor_name=None if actor else "setup",
            )
    except Exception:  # the refusal is what the user must see; a failed log line must not hide it
        log.exception("could not record refused action %s", action)
