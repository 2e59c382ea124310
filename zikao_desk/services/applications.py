"""Rules for an application as submitted: universities, prior diploma, English II
substitution, and how often a candidate may apply. Used by the import and the demo, and
shown as pass/fail lines to the reviewer (``application_checks``)."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from zikao_desk.errors import InvalidTransition, ValidationError
from zikao_desk.models import Application, ApplicationStatus, Level, SubstituteCourse, label_zh
from zikao_desk.services.validation import (
    check_substitute_credits,
    validate_prior_diploma,
    validate_universities,
)


@dataclass(frozen=True)
class ApplicationFacts:
    level: Level
    university1: str
    university2: str | None
    prior_diploma_no: str | None
    english2_substituted: bool
    substitute_credits: tuple[int, ...] = ()


def validate_application(facts: ApplicationFacts) -> ApplicationFacts:
    """Raise ``ValidationError`` for the first broken rule; return normalized facts."""
    u1, u2 = validate_universities(facts.university1, facts.university2)
    prior = validate_prior_diploma(facts.level, facts.prior_diploma_no)
    if facts.english2_substituted:
        check_substitute_credits(list(facts.substitute_credits))
    elif facts.substitute_credits:
        raise ValidationError("未选择顶替英语（二），却有顶替课程", field="substitute_courses")
    return ApplicationFacts(facts.level, u1, u2, prior, facts.english2_substituted, facts.substitute_credits)


def check_attempt_allowed(session: Session, candidate_id: int, period_id: int, attempt: int) -> None:
    """Attempt 1, or attempt 2 after a rejected attempt 1 in the same period; never after
    an approval."""
    if attempt not in (1, 2):
        raise ValidationError(f"申请次数只能为 1 或 2（重新申请仅限 1 次），收到 {attempt}", field="attempt")
    existing = session.scalars(select(Application).where(Application.candidate_id == candidate_id)).all()
    approved = [a for a in existing if a.status.approved]
    if approved:
        raise InvalidTransition(f"该考生的申请 {approved[0].application_no} 已审核通过，不可修改或重新申请")
    same_period = {a.attempt: a for a in existing if a.period_id == period_id}
    if attempt in same_period:
        raise InvalidTransition(f"该考生本批次已有第 {attempt} 次申请 {same_period[attempt].application_no}")
    if attempt == 2:
        first = same_period.get(1)
        if first is None or first.status != ApplicationStatus.REJECTED:
            state = label_zh(first.status) if first else "无第 1 次申请"
            raise InvalidTransition(f"只有第 1 次申请审批不通过后才可重新申请（第 1 次申请：{state}）")
    elif any(a.status == ApplicationStatus.PENDING for a in same_period.values()):
        raise InvalidTransition("该考生本批次已有待审批的申请")


@dataclass(frozen=True)
class CheckLine:
    rule: str
    passed: bool
    detail: str


def application_checks(session: Session, application: Application) -> list[CheckLine]:
    """The rules of the application, each as a pass/fail line for the reviewer's screen."""
    lines = []
    n = 1 if application.university2_code is None else 2
    distinct = application.university2_code != application.university1_code
    lines.append(
        CheckLine(
            "主考院校 1 至 2 所且不重复",
            distinct,
            f"{n} 所：{application.university1_code}"
            + (f"、{application.university2_code}" if application.university2_code else ""),
        )
    )
    try:
        validate_prior_diploma(application.level, application.prior_diploma_no)
        ok, detail = True, application.prior_diploma_no or f"{label_zh(application.level)}，无需填写"
    except ValidationError as exc:
        ok, detail = False, str(exc)
    lines.append(CheckLine("本科须填写前置学历证书号", ok, detail))
    if application.english2_substituted:
        credits = list(
            session.scalars(
                select(SubstituteCourse.credits).where(SubstituteCourse.application_id == application.id)
            )
        )
        total = sum(credits)
        lines.append(
            CheckLine("顶替英语（二）课程总学分不少于 14", total >= 14, f"{len(credits)} 门，共 {total} 学分")
        )
    lines.append(
        CheckLine("重新申请仅限 1 次", application.attempt in (1, 2), f"第 {application.attempt} 次申请")
    )
    return lines


__all__ = [
    "ApplicationFacts",
    "CheckLine",
    "application_checks",
    "check_attempt_allowed",
    "validate_application",
]
