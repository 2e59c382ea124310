"""Application periods (批次) and their dates: the administrator's to set."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select
from sqlalchemy.orm import Session

from zikao_desk.errors import ValidationError
from zikao_desk.models import ApplicationPeriod, Role
from zikao_desk.services import audit
from zikao_desk.services.auth import ActingUser, require_role
from zikao_desk.services.validation import validate_batch_code


def set_period(
    session: Session,
    actor: ActingUser,
    batch_code: str,
    *,
    opens_on: dt.date,
    closes_on: dt.date,
    materials_deadline: dt.date,
    name: str | None = None,
) -> ApplicationPeriod:
    """Create a period or change its dates (the paper deadline decides when the sweep voids)."""
    require_role(actor, Role.ADMIN)
    code = validate_batch_code(batch_code)
    if closes_on < opens_on:
        raise ValidationError(f"截止日期 {closes_on} 早于开始日期 {opens_on}", field="closes_on")
    if materials_deadline < closes_on:
        raise ValidationError(
            f"材料交回截止日期 {materials_deadline} 早于申请截止日期 {closes_on}", field="materials_deadline"
        )
    period = session.scalar(select(ApplicationPeriod).where(ApplicationPeriod.batch_code == code))
    before = None
    if period is None:
        period = ApplicationPeriod(batch_code=code, name=name or f"{code} 毕业申请", opens_on=opens_on,
                                   closes_on=closes_on, materials_deadline=materials_deadline)  # fmt: skip
        session.add(period)
    else:
        before = {"opens_on": str(period.opens_on), "closes_on": str(period.closes_on),
                  "materials_deadline": str(period.materials_deadline), "name": period.name}  # fmt: skip
        period.opens_on, period.closes_on, period.materials_deadline = opens_on, closes_on, materials_deadline
        if name:
            period.name = name
    session.flush()
    audit.record(session, actor, "period.set", entity_type="period", entity_id=period.id, before=before,
                 after={"batch": code, "opens_on": str(opens_on), "closes_on": str(closes_on),
                        "materials_deadline": str(materials_deadline), "name": period.name})  # fmt: skip
    return period


def list_periods(session: Session) -> list[ApplicationPeriod]:
    return list(session.scalars(select(ApplicationPeriod).order_by(ApplicationPeriod.opens_on)))
