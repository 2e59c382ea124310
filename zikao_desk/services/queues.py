"""The review queues, always limited to the acting user's counties.

Lists return ids only (a screen's table model loads the rows it shows), oldest first.
"""

from __future__ import annotations

from typing import Any, Literal

from sqlalchemy import ColumnElement, Select, func, select
from sqlalchemy.orm import Session

from zikao_desk.models import (
    Application,
    ApplicationStatus,
    AuditEvent,
    Candidate,
    IdentityStatus,
    MaterialsStatus,
    PhotoStatus,
)
from zikao_desk.services.auth import ActingUser

Queue = Literal["identity_review", "photo_review", "approval", "materials"]
QUEUES: tuple[Queue, ...] = ("identity_review", "photo_review", "approval", "materials")


def queue_criteria(queue: Queue) -> tuple[Any, Any, list[ColumnElement[bool]]]:
    """(id column, county column, conditions): the one definition of what waits in a queue,
    used by the queue lists and by the statistics."""
    if queue == "identity_review":
        return (
            Candidate.id,
            Candidate.county_code,
            [Candidate.identity_status == IdentityStatus.PENDING_REVIEW],
        )
    if queue == "photo_review":
        conditions = [
            Application.photo_status == PhotoStatus.PENDING_REVIEW,
            Application.status.not_in([ApplicationStatus.VOID, ApplicationStatus.REJECTED_FINAL]),
        ]
    elif queue == "approval":
        conditions = [Application.status == ApplicationStatus.PENDING]
    elif queue == "materials":
        conditions = [
            Application.materials_status == MaterialsStatus.AWAITING,
            Application.status != ApplicationStatus.VOID,
        ]
    else:
        raise ValueError(f"unknown queue {queue!r}")
    return Application.id, Application.county_code, conditions


def _queue_query(
    actor: ActingUser, queue: Queue
) -> Select[Any]:  # Select[int] in SA 2.1, Select[tuple[int]] in 2.0
    id_column, county_column, conditions = queue_criteria(queue)
    order = (Candidate.id,) if queue == "identity_review" else (Application.submitted_at, Application.id)
    return (
        select(id_column).where(county_column.in_(sorted(actor.county_codes)), *conditions).order_by(*order)
    )


def queue_ids(
    session: Session, actor: ActingUser, queue: Queue, *, limit: int = 500, offset: int = 0
) -> list[int]:
    """Candidate ids (identity review) or application ids (the others) waiting in ``queue``."""
    return list(session.scalars(_queue_query(actor, queue).limit(limit).offset(offset)))


def queue_length(session: Session, actor: ActingUser, queue: Queue) -> int:
    return session.scalar(select(func.count()).select_from(_queue_query(actor, queue).subquery())) or 0


def my_events(session: Session, actor: ActingUser, *, after_id: int = 0) -> list[AuditEvent]:
    """The audit events the acting user produced after event ``after_id``."""
    return list(
        session.scalars(
            select(AuditEvent)
            .where(AuditEvent.actor_id == actor.id, AuditEvent.id > after_id)
            .order_by(AuditEvent.id)
        )
    )


def last_event_id(session: Session) -> int:
    return session.scalar(select(func.max(AuditEvent.id))) or 0
