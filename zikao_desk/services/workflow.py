"""The office's decisions as transitions: identity review, photo review, approval,
payment (from the province), paper materials, and the overdue sweep.

Every function takes the session of the caller's unit of work and the acting user,
checks role and county first, refuses an illegal transition with a sentence that says
why, and appends an audit event with the state before and after.

``expected_version`` is the record's version when the clerk looked at it (read in an
earlier, short transaction). If someone else changed the record since, the action is
refused with ``ConcurrentModification`` and nothing is overwritten.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from zikao_desk.errors import ConcurrentModification, InvalidTransition, NotFound, ValidationError
from zikao_desk.models import (
    Application,
    ApplicationPeriod,
    ApplicationStatus,
    Candidate,
    Decision,
    DecisionKind,
    IdentityStatus,
    MaterialsStatus,
    OldPlanCheck,
    OldPlanCourse,
    OldPlanSummary,
    PaymentStatus,
    PhotoStatus,
    ReasonCode,
    Role,
    Verdict,
    label_zh,
    now,
    today,
)
from zikao_desk.services import audit
from zikao_desk.services.auth import ActingUser, require_county, require_role

REVIEW_ROLES = (Role.CLERK, Role.REVIEWER)
APPROVAL_ROLES = (Role.REVIEWER,)
REQUIRED_FORM_COPIES = 2


# -- loading with permission checks -----------------------------------------------------------
def load_candidate(session: Session, actor: ActingUser, candidate_id: int) -> Candidate:
    candidate = session.get(Candidate, candidate_id)
    if candidate is None:
        raise NotFound(f"考生 #{candidate_id} 不存在")
    require_county(actor, candidate.county_code)
    return candidate


def load_application(session: Session, actor: ActingUser, application_id: int) -> Application:
    application = session.get(Application, application_id)
    if application is None:
        raise NotFound(f"毕业申请 #{application_id} 不存在")
    require_county(actor, application.county_code)
    return application


def check_version(record: Candidate | Application | OldPlanCourse, expected: int | None) -> None:
    if expected is not None and record.version != expected:
        raise ConcurrentModification()


def check_reason(
    session: Session, kind: DecisionKind, verdict: Verdict, reason_code: str | None, note: str | None
) -> None:
    """A failing verdict needs a standard reason of its review type (a note alone is not enough)."""
    if reason_code is None:
        if verdict == Verdict.FAIL:
            raise ValidationError(f"{label_zh(kind)}不通过时必须选择原因", field="reason_code")
        return
    reason = session.get(ReasonCode, reason_code)
    if reason is None or not reason.active:
        raise ValidationError(f"原因代码 {reason_code} 不存在或已停用", field="reason_code")
    if reason.kind != kind:
        raise ValidationError(
            f"原因“{reason.label}”属于{label_zh(reason.kind)}，不能用于{label_zh(kind)}", field="reason_code"
        )
    if reason.code.endswith("_OTHER") and not (note or "").strip():
        raise ValidationError("原因为“其他”时须填写说明", field="note")


def _record_decision(
    session: Session,
    actor: ActingUser,
    kind: DecisionKind,
    candidate: Candidate,
    application: Application | None,
    verdict: Verdict,
    reason_code: str | None,
    note: str | None,
    before: dict[str, Any],
    after: dict[str, Any],
    **extra: Any,
) -> Decision:
    decision = Decision(
        kind=kind,
        candidate_id=candidate.id,
        application_id=application.id if application else None,
        county_code=application.county_code if application else candidate.county_code,
        verdict=verdict,
        reason_code=reason_code,
        note=(note or "").strip() or None,
        decided_by_id=actor.id,
        decided_at=now(),
        **extra,
    )
    session.add(decision)
    session.flush()
    entity = ("application", application.id) if application else ("candidate", candidate.id)
    audit.record(
        session,
        actor,
        f"decision.{kind.value}",
        entity_type=entity[0],
        entity_id=entity[1],
        before=before,
        after={
            **after,
            "verdict": verdict.value,
            "reason": reason_code,
            "note": decision.note,
            "decision_id": decision.id,
        },
    )
    return decision


# -- identity review (身份核验) ---------------------------------------------------------------
def review_identity(
    session: Session,
    actor: ActingUser,
    candidate_id: int,
    verdict: Verdict,
    *,
    reason_code: str | None = None,
    note: str | None = None,
    expected_version: int | None = None,
) -> Decision:
    require_role(actor, *REVIEW_ROLES)
    candidate = load_candidate(session, actor, candidate_id)
    check_version(candidate, expected_version)
    if candidate.identity_status != IdentityStatus.PENDING_REVIEW:
        raise InvalidTransition(
            f"考生 {candidate.name}（{candidate.ticket_no}）不在身份核验队列中"
            f"（当前：{label_zh(candidate.identity_status)}），不能再次核验"
        )
    check_reason(session, DecisionKind.IDENTITY, verdict, reason_code, note)
    before = {"identity_status": candidate.identity_status.value}
    candidate.identity_status = (
        IdentityStatus.REVIEW_PASSED if verdict == Verdict.PASS else IdentityStatus.REVIEW_REJECTED
    )
    return _record_decision(
        session,
        actor,
        DecisionKind.IDENTITY,
        candidate,
        None,
        verdict,
        reason_code,
        note,
        before,
        {"identity_status": candidate.identity_status.value},
    )


# -- photo review (照片审核) ------------------------------------------------------------------
def review_photo(
    session: Session,
    actor: ActingUser,
    application_id: int,
    verdict: Verdict,
    *,
    reason_code: str | None = None,
    note: str | None = None,
    expected_version: int | None = None,
) -> Decision:
    require_role(actor, *REVIEW_ROLES)
    application = load_application(session, actor, application_id)
    check_version(application, expected_version)
    if application.status in (ApplicationStatus.VOID, ApplicationStatus.REJECTED_FINAL):
        raise InvalidTransition(
            f"申请 {application.application_no} 已{label_zh(application.status)}，不能审核照片"
        )
    if application.photo_status != PhotoStatus.PENDING_REVIEW:
        raise InvalidTransition(
            f"申请 {application.application_no} 的照片不在照片审核队列中"
            f"（当前：{label_zh(application.photo_status)}）"
        )
    if application.photo_sha is None:
        raise InvalidTransition(f"申请 {application.application_no} 没有毕业照片，无法审核")
    check_reason(session, DecisionKind.PHOTO, verdict, reason_code, note)
    candidate = session.get_one(Candidate, application.candidate_id)
    before = {"photo_status": application.photo_status.value, "photo_sha": application.photo_sha}
    application.photo_status = (
        PhotoStatus.REVIEW_PASSED if verdict == Verdict.PASS else PhotoStatus.REVIEW_REJECTED
    )
    return _record_decision(
        session,
        actor,
        DecisionKind.PHOTO,
        candidate,
        application,
        verdict,
        reason_code,
        note,
        before,
        {"photo_status": application.photo_status.value},
    )


# -- approval (毕业审批) ----------------------------------------------------------------------
def decide_application(
    session: Session,
    actor: ActingUser,
    application_id: int,
    verdict: Verdict,
    *,
    reason_code: str | None = None,
    note: str | None = None,
    expected_version: int | None = None,
) -> Decision:
    """Approve or reject. Approval locks the record; a rejection of attempt 1 lets the
    candidate re-apply once; a rejection of attempt 2 is final."""
    require_role(actor, *APPROVAL_ROLES)
    application = load_application(session, actor, application_id)
    check_version(application, expected_version)
    if application.status != ApplicationStatus.PENDING:
        raise InvalidTransition(
            f"申请 {application.application_no} 当前为“{label_zh(application.status)}”，不在待审批状态，不能审批"
        )
    check_reason(session, DecisionKind.APPROVAL, verdict, reason_code, note)
    candidate = session.get_one(Candidate, application.candidate_id)
    before = {"status": application.status.value}
    if verdict == Verdict.PASS:
        application.status = ApplicationStatus.APPROVED
    else:
        application.status = (
            ApplicationStatus.REJECTED if application.attempt == 1 else ApplicationStatus.REJECTED_FINAL
        )
    return _record_decision(
        session,
        actor,
        DecisionKind.APPROVAL,
        candidate,
        application,
        verdict,
        reason_code,
        note,
        before,
        {"status": application.status.value},
    )


# -- payment (imported from the province) -------------------------------------------------------
def check_payment_allowed(application: Application) -> None:
    """Payment is possible only when the application and its graduation photo are approved."""
    if not application.status.approved:
        raise InvalidTransition(
            f"申请 {application.application_no} 尚未审核通过（当前：{label_zh(application.status)}），不能支付"
        )
    if not application.photo_status.approved:
        raise InvalidTransition(
            f"申请 {application.application_no} 的毕业照片尚未认证通过"
            f"（当前：{label_zh(application.photo_status)}），不能支付"
        )


def record_payment(
    session: Session,
    application: Application,
    *,
    paid_at: dt.datetime,
    order_no: str,
    source: str = "province",
) -> None:
    """The province reports a payment: the application enters the materials queue."""
    check_payment_allowed(application)
    if application.payment_status == PaymentStatus.PAID:
        return
    application.payment_status = PaymentStatus.PAID
    application.paid_at = paid_at
    application.order_no = order_no
    application.materials_status = MaterialsStatus.AWAITING
    audit.record(
        session,
        None,
        "payment.recorded",
        entity_type="application",
        entity_id=application.id,
        after={"order_no": order_no, "paid_at": paid_at.isoformat(sep=" ")},
        actor_name=source,
    )


# -- paper materials (材料核对) ---------------------------------------------------------------
def _materials_application(
    session: Session, actor: ActingUser, application_id: int, expected_version: int | None
) -> Application:
    require_role(actor, *REVIEW_ROLES)
    application = load_application(session, actor, application_id)
    check_version(application, expected_version)
    if (
        application.materials_status != MaterialsStatus.AWAITING
        or application.status == ApplicationStatus.VOID
    ):
        raise InvalidTransition(
            f"申请 {application.application_no} 不在材料核对队列中（材料：{label_zh(application.materials_status)}，"
            f"申请：{label_zh(application.status)}）"
        )
    return application


def _period(session: Session, application: Application) -> ApplicationPeriod:
    return session.get_one(ApplicationPeriod, application.period_id)


def receive_forms(
    session: Session,
    actor: ActingUser,
    application_id: int,
    copies: int,
    *,
    expected_version: int | None = None,
) -> Application:
    """Record how many copies of the 毕业生登记表 the candidate handed in."""
    application = _materials_application(session, actor, application_id, expected_version)
    if not 1 <= copies <= REQUIRED_FORM_COPIES:
        raise ValidationError(f"登记表份数应为 1 或 2，收到 {copies}", field="copies")
    deadline = _period(session, application).materials_deadline
    if today() > deadline:
        raise InvalidTransition(f"已过材料交回截止日期 {deadline:%Y-%m-%d}，不能再接收登记表")
    before = {"forms_received": application.forms_received}
    application.forms_received = copies
    application.forms_received_at = now()
    application.forms_received_by_id = actor.id
    audit.record(
        session,
        actor,
        "materials.forms_received",
        entity_type="application",
        entity_id=application.id,
        before=before,
        after={"forms_received": copies},
    )
    return application


def check_old_plan_card(
    session: Session,
    actor: ActingUser,
    course_id: int,
    result: OldPlanCheck,
    *,
    expected_version: int | None = None,
) -> OldPlanCourse:
    """Tick one 实践课考核卡 against its original."""
    course = session.get(OldPlanCourse, course_id)
    if course is None:
        raise NotFound(f"旧计划课程 #{course_id} 不存在")
    _materials_application(session, actor, course.application_id, None)
    check_version(course, expected_version)
    before = {"check_result": course.check_result.value if course.check_result else None}
    course.check_result = result
    course.checked_by_id = actor.id
    course.checked_at = now()
    audit.record(
        session,
        actor,
        "materials.card_checked",
        entity_type="old_plan_course",
        entity_id=course.id,
        before=before,
        after={"check_result": result.value, "course_code": course.course_code},
    )
    return course


def complete_materials_check(
    session: Session,
    actor: ActingUser,
    application_id: int,
    verdict: Verdict,
    *,
    reason_code: str | None = None,
    note: str | None = None,
    expected_version: int | None = None,
) -> Decision:
    """完成 (PASS): two copies received, every old-plan card checked and matching, before the
    deadline. 申请无效 (FAIL, with a reason): the application becomes void."""
    application = _materials_application(session, actor, application_id, expected_version)
    check_reason(session, DecisionKind.MATERIALS, verdict, reason_code, note)
    courses = session.scalars(
        select(OldPlanCourse).where(OldPlanCourse.application_id == application.id)
    ).all()
    mismatched = [c for c in courses if c.check_result == OldPlanCheck.MISMATCH]
    summary = (
        OldPlanSummary.NONE
        if not courses
        else OldPlanSummary.SOME_MISMATCH
        if mismatched
        else OldPlanSummary.ALL_MATCH
    )
    if verdict == Verdict.PASS:
        deadline = _period(session, application).materials_deadline
        if today() > deadline:
            raise InvalidTransition(f"已过材料交回截止日期 {deadline:%Y-%m-%d}，申请应为无效")
        if application.forms_received < REQUIRED_FORM_COPIES:
            raise InvalidTransition(f"毕业生登记表须交回一式两份，目前收到 {application.forms_received} 份")
        unchecked = [c.course_code for c in courses if c.check_result is None]
        if unchecked:
            raise InvalidTransition(f"旧计划课程 {'、'.join(unchecked)} 的考核卡尚未核对原件")
        if mismatched:
            raise InvalidTransition(
                f"旧计划课程 {'、'.join(c.course_code for c in mismatched)} 的考核卡与扫描件不符，不能核对完成"
            )
        if courses and application.old_plan_archive_sha is None:
            raise InvalidTransition("有旧计划课程但没有上传扫描件压缩包，不能核对完成")
    candidate = session.get_one(Candidate, application.candidate_id)
    before = {"status": application.status.value, "materials_status": application.materials_status.value}
    if verdict == Verdict.PASS:
        application.materials_status = MaterialsStatus.COMPLETE
    else:
        application.materials_status = MaterialsStatus.VOID
        application.status = ApplicationStatus.VOID
    return _record_decision(
        session,
        actor,
        DecisionKind.MATERIALS,
        candidate,
        application,
        verdict,
        reason_code,
        note,
        before,
        {"status": application.status.value, "materials_status": application.materials_status.value},
        forms_count=application.forms_received,
        old_plan_summary=summary,
    )


@dataclass(frozen=True)
class SweepResult:
    voided: list[str]  # application numbers


def sweep_overdue(session: Session, actor: ActingUser) -> SweepResult:
    """Mark void (申请无效) every paid application of the actor's counties whose period's
    paper deadline has passed without a completed materials check."""
    require_role(actor, *REVIEW_ROLES)
    overdue = session.scalars(
        select(Application)
        .join(ApplicationPeriod, Application.period_id == ApplicationPeriod.id)
        .where(
            Application.materials_status == MaterialsStatus.AWAITING,
            Application.status != ApplicationStatus.VOID,
            Application.county_code.in_(sorted(actor.county_codes)),
            ApplicationPeriod.materials_deadline < today(),
        )
        .order_by(Application.id)
    ).all()
    voided = []
    for application in overdue:
        candidate = session.get_one(Candidate, application.candidate_id)
        before = {"status": application.status.value, "materials_status": application.materials_status.value}
        application.status = ApplicationStatus.VOID
        application.materials_status = MaterialsStatus.VOID
        reason = "MA_FORMS_NOT_RETURNED" if application.forms_received < REQUIRED_FORM_COPIES else "MA_OTHER"
        _record_decision(
            session,
            actor,
            DecisionKind.MATERIALS,
            candidate,
            application,
            Verdict.FAIL,
            reason,
            "逾期未完成材料核对，系统清理" if reason == "MA_OTHER" else None,
            before,
            {"status": application.status.value, "materials_status": application.materials_status.value},
            forms_count=application.forms_received,
            old_plan_summary=OldPlanSummary.NONE,
        )
        voided.append(application.application_no)
    audit.record(session, actor, "materials.sweep", detail=f"voided {len(voided)}", after={"voided": voided})
    return SweepResult(voided)


# -- the approval lock ------------------------------------------------------------------------
def candidate_locked_by(session: Session, candidate_id: int) -> Application | None:
    """The approved application that locks this candidate's personal information, if any."""
    return session.scalars(
        select(Application)
        .where(
            Application.candidate_id == candidate_id,
            Application.status.in_([ApplicationStatus.SYSTEM_APPROVED, ApplicationStatus.APPROVED]),
        )
        .limit(1)
    ).first()


def applications_of(session: Session, actor: ActingUser, candidate_id: int) -> list[Application]:
    load_candidate(session, actor, candidate_id)
    return list(
        session.scalars(
            select(Application)
            .where(Application.candidate_id == candidate_id)
            .options(selectinload(Application.old_plan_courses))
            .order_by(Application.attempt)
        )
    )
