"""The review queues, always limited to the acting user's counties.

Lists return ids only (a screen's table model loads the rows it shows), oldest first.
"""

from __future__ import annotations

from typing import Any, Literal

from sqlalchemy import Select, func, select
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


def _queue_query(
    actor: ActingUser, queue: Queue
) -> Select[Any]:  # Select[int] in SQLAlchemy 2.1, Select[tuple[int]] in 2.0
    counties = sorted(actor.county_codes)
    if queue == "identity_review":
        return (
            select(Candidate.id)
            .where(
                Candidate.identity_status == IdentityStatus.PENDING_REVIEW,
                Candidate.county_code.in_(counties),
            )
            .order_by(Candidate.id)
        )
    base = select(Application.id).where(Application.county_code.in_(counties))
    if queue == "photo_review":
        query = base.where(
            Application.photo_status == PhotoStatus.PENDING_REVIEW,
            Application.status.not_in([ApplicationStatus.VOID, ApplicationStatus.REJECTED_FINAL]),
        )
    elif queue == "approval":
        query = base.where(Application.status == ApplicationStatus.PENDING)
    elif queue == "materials":
        query = base.where(
            Application.materials_status == MaterialsStatus.AWAITING,
            Application.status != ApplicationStatus.VOID,
        )
    else:
        raise ValueError(f"unknown queue {queue!r}")
    return query.order_by(Application.submitted_at, Application.id)


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
