"""The audit trail: append-only, hash-chained events.

Each event stores the hash of the one before it and its own hash over its content, so an
edited or deleted past event breaks the chain at that point. Appends are serialised (SQLite:
the write transaction is ``BEGIN IMMEDIATE``; PostgreSQL: a transaction-scoped advisory
lock) and ``prev_hash`` is UNIQUE, so two workstations can never fork the chain.
No code path updates or deletes an event.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select, text
from sqlalchemy.orm import Session

from zikao_desk.models import AuditEvent, now
from zikao_desk.services.auth import ActingUser

GENESIS_HASH = "0" * 64
_CHAIN_LOCK_KEY = 0x5A494B41  # "ZIKA": the PostgreSQL advisory lock guarding the chain head


def _dump(value: Mapping[str, Any] | None) -> str | None:
    if value is None:
        return None
    return json.dumps(value, ensure_ascii=False, sort_keys=True, default=str)


def event_hash(event: AuditEvent) -> str:
    payload = json.dumps(
        [
            event.prev_hash,
            event.occurred_at.isoformat(sep=" "),
            event.actor_id,
            event.actor_name,
            event.action,
            event.entity_type,
            event.entity_id,
            event.before,
            event.after,
            event.detail,
        ],
        ensure_ascii=False,
        separators=(",", ":"),
    )
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


_HEAD_KEY = "zikao_audit_head"


def _lock_chain(session: Session) -> str:
    """Take the chain lock for the rest of the transaction and return the head's hash.

    Once locked, no other workstation can append until this transaction ends, so the head
    is remembered for the transaction instead of being read again for every event."""
    transaction = session.get_transaction()
    cached = session.info.get(_HEAD_KEY)
    if cached is not None and cached[0] is transaction:
        return str(cached[1])
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": _CHAIN_LOCK_KEY})
    head = chain_head(session)
    session.info[_HEAD_KEY] = (transaction, head)
    return head


def chain_head(session: Session) -> str:
    last = session.scalar(select(AuditEvent.hash).order_by(AuditEvent.id.desc()).limit(1))
    return last or GENESIS_HASH


def record(
    session: Session,
    actor: ActingUser | None,
    action: str,
    *,
    entity_type: str | None = None,
    entity_id: object | None = None,
    before: Mapping[str, Any] | None = None,
    after: Mapping[str, Any] | None = None,
    detail: str | None = None,
    actor_name: str | None = None,
    at: dt.datetime | None = None,
) -> AuditEvent:
    """Append one event in the caller's transaction (it commits or rolls back with it)."""
    prev_hash = _lock_chain(session)
    event = AuditEvent(
        occurred_at=at or now(),
        actor_id=actor.id if actor else None,
        actor_name=actor.username if actor else (actor_name or "system"),
        action=action,
        entity_type=entity_type,
        entity_id=None if entity_id is None else str(entity_id),
        before=_dump(before),
        after=_dump(after),
        detail=detail,
        prev_hash=prev_hash,
    )
    event.hash = event_hash(event)
    session.add(event)
    session.flush()
    session.info[_HEAD_KEY] = (session.get_transaction(), event.hash)
    return event


@dataclass(frozen=True)
class ChainReport:
    checked: int
    broken_event_id: int | None = None
    problem: str | None = None

    @property
    def ok(self) -> bool:
        return self.broken_event_id is None


def verify_chain(session: Session, batch_size: int = 5000) -> ChainReport:
    """Walk the chain in id order and name the first event that does not fit."""
    expected_prev = GENESIS_HASH
    checked = 0
    last_id = 0
    while True:
        events = session.scalars(
            select(AuditEvent).where(AuditEvent.id > last_id).order_by(AuditEvent.id).limit(batch_size)
        ).all()
        if not events:
            return ChainReport(checked=checked)
        for ev in events:
            if ev.prev_hash != expected_prev:
                return ChainReport(
                    checked, ev.id, f"审计事件 #{ev.id} 的前序哈希与上一事件不符（之前的事件被删除或修改）"
                )
            if event_hash(ev) != ev.hash:
                return ChainReport(checked, ev.id, f"审计事件 #{ev.id} 的内容与其哈希不符（已被修改）")
            expected_prev = ev.hash
            checked += 1
            last_id = ev.id
        session.expunge_all()
