"""The office's decisions as transitions, on SQLite and PostgreSQL. Each rule of domain.md
has a test here that fails if the rule is removed from the services."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import func, select

from tests.world import World, make_world
from zikao_desk.errors import InvalidTransition, NotFound, PermissionDenied, ValidationError
from zikao_desk.models import (
    Application,
    ApplicationStatus,
    AuditEvent,
    Candidate,
    Decision,
    IdentityStatus,
    MaterialsStatus,
    OldPlanCheck,
    OldPlanCourse,
    PhotoStatus,
    Verdict,
    clock_at,
)
from zikao_desk.services import workflow as wf
from zikao_desk.services.applications import ApplicationFacts, check_attempt_allowed, validate_application
from zikao_desk.services.uow import perform


@pytest.fixture
def world(db) -> World:
    return make_world(db)


def _status(world: World, app_id: int) -> Application:
    with world.db.read() as s:
        return s.get_one(Application, app_id)


# -- identity review ----------------------------------------------------------------------------
def test_identity_review_pass_and_reject_with_reason(world):
    a = world.candidate(identity=IdentityStatus.PENDING_REVIEW)
    b = world.candidate(identity=IdentityStatus.PENDING_REVIEW)
    with world.db.write() as s:
        d = wf.review_identity(s, world.clerk, a, Verdict.PASS)
        assert d.decided_by_id == world.clerk.id and d.kind.value == "identity"
        wf.review_identity(s, world.clerk, b, Verdict.FAIL, reason_code="ID_NOT_SAME_PERSON", note="现场比对")
    with world.db.read() as s:
        assert s.get_one(Candidate, a).identity_status == IdentityStatus.REVIEW_PASSED
        assert s.get_one(Candidate, b).identity_status == IdentityStatus.REVIEW_REJECTED
        events = s.scalars(select(AuditEvent).where(AuditEvent.action == "decision.identity")).all()
    assert len(events) == 2
    assert '"identity_status": "pending_review"' in events[0].before
    assert events[0].actor_name == "jb105"


def test_deciding_twice_is_refused(world):
    a = world.candidate(identity=IdentityStatus.PENDING_REVIEW)
    with world.db.write() as s:
        wf.review_identity(s, world.clerk, a, Verdict.PASS)
    with pytest.raises(InvalidTransition, match="不在身份核验队列中"):
        with world.db.write() as s:
            wf.review_identity(s, world.clerk, a, Verdict.FAIL, reason_code="ID_OTHER", note="x")


def test_failing_verdict_needs_a_standard_reason_of_its_kind(world):
    a = world.candidate(identity=IdentityStatus.PENDING_REVIEW)
    with world.db.write() as s:
        with pytest.raises(ValidationError, match="必须选择原因"):
            wf.review_identity(s, world.clerk, a, Verdict.FAIL, note="看不清")
        with pytest.raises(ValidationError, match="不能用于身份核验"):
            wf.review_identity(s, world.clerk, a, Verdict.FAIL, reason_code="PH_BACKGROUND")
        with pytest.raises(ValidationError, match="须填写说明"):
            wf.review_identity(s, world.clerk, a, Verdict.FAIL, reason_code="ID_OTHER")


def test_a_clerk_cannot_read_or_act_on_another_county(world):
    a = world.candidate(county="140106", identity=IdentityStatus.PENDING_REVIEW)
    with world.db.read() as s:
        with pytest.raises(PermissionDenied, match="未绑定区县 140106"):
            wf.load_candidate(s, world.clerk, a)
        with pytest.raises(PermissionDenied):
            wf.applications_of(s, world.clerk, a)
    with world.db.write() as s:
        with pytest.raises(PermissionDenied):
            wf.review_identity(s, world.clerk, a, Verdict.PASS)
        wf.review_identity(s, world.clerk_b, a, Verdict.PASS)  # the county's own clerk may
    with world.db.read() as s, pytest.raises(NotFound):
        wf.load_candidate(s, world.clerk, 999_999)


# -- photo review --------------------------------------------------------------------------------
def test_photo_review_only_for_photos_in_the_queue(world):
    c = world.candidate()
    pending = world.application(c, status=ApplicationStatus.SYSTEM_APPROVED, photo=PhotoStatus.PENDING_REVIEW)
    with world.db.write() as s:
        wf.review_photo(s, world.clerk, pending, Verdict.FAIL, reason_code="PH_BACKGROUND")
    assert _status(world, pending).photo_status == PhotoStatus.REVIEW_REJECTED
    with pytest.raises(InvalidTransition, match="不在照片审核队列中"):
        with world.db.write() as s:
            wf.review_photo(s, world.clerk, pending, Verdict.PASS)


# -- approval --------------------------------------------------------------------------------------
def test_only_reviewers_approve(world):
    app_id = world.application(world.candidate())
    with world.db.write() as s, pytest.raises(PermissionDenied, match="审核人"):
        wf.decide_application(s, world.clerk, app_id, Verdict.PASS)
    with world.db.write() as s:
        wf.decide_application(s, world.reviewer, app_id, Verdict.PASS)
    assert _status(world, app_id).status == ApplicationStatus.APPROVED


def test_rejection_allows_one_reapplication_and_the_second_rejection_is_final(world):
    c = world.candidate()
    first = world.application(c)
    with world.db.write() as s:
        wf.decide_application(s, world.reviewer, first, Verdict.FAIL, reason_code="AP_PRIOR_DIPLOMA")
    assert _status(world, first).status == ApplicationStatus.REJECTED
    with world.db.read() as s:
        check_attempt_allowed(s, c, world.period_id, 2)  # allowed now
        with pytest.raises(ValidationError, match="仅限 1 次"):
            check_attempt_allowed(s, c, world.period_id, 3)
    second = world.application(c, attempt=2)
    with world.db.read() as s, pytest.raises(InvalidTransition, match="已有第 2 次申请"):
        check_attempt_allowed(s, c, world.period_id, 2)
    with world.db.write() as s:
        wf.decide_application(s, world.reviewer, second, Verdict.FAIL, reason_code="AP_COURSES_INCOMPLETE")
    assert _status(world, second).status == ApplicationStatus.REJECTED_FINAL


def test_second_attempt_needs_a_rejected_first(world):
    c = world.candidate()
    world.application(c)  # pending
    with world.db.read() as s, pytest.raises(InvalidTransition, match="审批不通过后才可重新申请"):
        check_attempt_allowed(s, c, world.period_id, 2)


def test_approval_locks_reapplication(world):
    c = world.candidate()
    world.application(c, status=ApplicationStatus.SYSTEM_APPROVED)
    with world.db.read() as s, pytest.raises(InvalidTransition, match="不可修改或重新申请"):
        check_attempt_allowed(s, c, world.period_id + 1, 1)


def test_void_or_decided_applications_cannot_be_approved(world):
    void = world.application(world.candidate(), status=ApplicationStatus.VOID)
    approved = world.application(world.candidate(), status=ApplicationStatus.SYSTEM_APPROVED)
    for app_id in (void, approved):
        with world.db.write() as s, pytest.raises(InvalidTransition, match="不在待审批状态"):
            wf.decide_application(s, world.reviewer, app_id, Verdict.PASS)


def test_application_rules():
    from zikao_desk.models import Level

    ok = validate_application(ApplicationFacts(Level.BACHELOR, "10108", "10112", "1" * 18, True, (5, 5, 4)))
    assert ok.university2 == "10112"
    with pytest.raises(ValidationError, match="相同"):
        validate_application(ApplicationFacts(Level.ASSOCIATE, "10108", "10108", None, False))
    with pytest.raises(ValidationError, match="前置学历"):
        validate_application(ApplicationFacts(Level.BACHELOR, "10108", None, None, False))
    with pytest.raises(ValidationError, match="不能小于 14"):
        validate_application(ApplicationFacts(Level.ASSOCIATE, "10108", None, None, True, (5, 4)))


# -- payment ----------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("status", "photo", "fragment"),
    [
        (ApplicationStatus.PENDING, PhotoStatus.ONLINE_PASSED, "尚未审核通过"),
        (ApplicationStatus.REJECTED, PhotoStatus.ONLINE_PASSED, "尚未审核通过"),
        (ApplicationStatus.APPROVED, PhotoStatus.PENDING_REVIEW, "照片尚未认证通过"),
        (ApplicationStatus.SYSTEM_APPROVED, PhotoStatus.REVIEW_REJECTED, "照片尚未认证通过"),
    ],
)
def test_payment_needs_approval_and_approved_photo(world, status, photo, fragment):
    app_id = world.application(world.candidate(), status=status, photo=photo)
    with world.db.write() as s, pytest.raises(InvalidTransition, match=fragment):
        wf.record_payment(
            s, s.get_one(Application, app_id), paid_at=dt.datetime(2026, 11, 20), order_no="ZF1"
        )


def test_payment_opens_the_materials_check(world):
    app_id = world.application(
        world.candidate(), status=ApplicationStatus.APPROVED, photo=PhotoStatus.REVIEW_PASSED
    )
    with world.db.write() as s:
        wf.record_payment(
            s, s.get_one(Application, app_id), paid_at=dt.datetime(2026, 11, 20), order_no="ZF1"
        )
    assert _status(world, app_id).materials_status == MaterialsStatus.AWAITING


# -- materials ---------------------------------------------------------------------------------------
def _paid(world: World, old_plan: int = 0) -> int:
    return world.application(
        world.candidate(), status=ApplicationStatus.SYSTEM_APPROVED, paid=True, old_plan=old_plan
    )


def test_materials_complete_needs_two_copies_and_every_card_checked(world):
    app_id = _paid(world, old_plan=2)
    with world.db.read() as s:
        cards = s.scalars(select(OldPlanCourse.id).where(OldPlanCourse.application_id == app_id)).all()
    with world.db.write() as s:
        wf.receive_forms(s, world.clerk, app_id, 1)
    with world.db.write() as s, pytest.raises(InvalidTransition, match="一式两份"):
        wf.complete_materials_check(s, world.clerk, app_id, Verdict.PASS)
    with world.db.write() as s:
        wf.receive_forms(s, world.clerk, app_id, 2)
        wf.check_old_plan_card(s, world.clerk, cards[0], OldPlanCheck.MATCHES)
    with world.db.write() as s, pytest.raises(InvalidTransition, match="尚未核对原件"):
        wf.complete_materials_check(s, world.clerk, app_id, Verdict.PASS)
    with world.db.write() as s:
        wf.check_old_plan_card(s, world.clerk, cards[1], OldPlanCheck.MISMATCH)
    with world.db.write() as s, pytest.raises(InvalidTransition, match="与扫描件不符"):
        wf.complete_materials_check(s, world.clerk, app_id, Verdict.PASS)
    with world.db.write() as s:
        wf.check_old_plan_card(s, world.clerk, cards[1], OldPlanCheck.MATCHES)
        d = wf.complete_materials_check(s, world.clerk, app_id, Verdict.PASS)
        assert d.forms_count == 2 and d.old_plan_summary.value == "all_match"
    assert _status(world, app_id).materials_status == MaterialsStatus.COMPLETE


def test_materials_fail_makes_the_application_void(world):
    app_id = _paid(world, old_plan=1)
    with world.db.write() as s:
        wf.complete_materials_check(s, world.clerk, app_id, Verdict.FAIL, reason_code="MA_CARD_MISMATCH")
    app = _status(world, app_id)
    assert app.status == ApplicationStatus.VOID and app.materials_status == MaterialsStatus.VOID
    with world.db.write() as s, pytest.raises(InvalidTransition, match="不在待审批状态"):
        wf.decide_application(s, world.reviewer, app_id, Verdict.PASS)


def test_materials_are_due_by_the_periods_deadline(world):
    app_id = _paid(world)
    with clock_at(dt.datetime(2027, 1, 1, 9)):
        with world.db.write() as s, pytest.raises(InvalidTransition, match="截止日期 2026-12-31"):
            wf.receive_forms(s, world.clerk, app_id, 2)


def test_sweep_voids_only_overdue_applications_of_the_clerks_counties(world):
    mine = _paid(world)
    other = world.application(
        world.candidate(county="140106"), status=ApplicationStatus.SYSTEM_APPROVED, paid=True
    )
    with clock_at(dt.datetime(2026, 12, 31, 17)), world.db.write() as s:
        assert wf.sweep_overdue(s, world.clerk).voided == []  # the deadline day itself is still in time
    with clock_at(dt.datetime(2027, 1, 1, 9)), world.db.write() as s:
        result = wf.sweep_overdue(s, world.clerk)
    assert result.voided == [_status(world, mine).application_no]
    assert _status(world, mine).status == ApplicationStatus.VOID
    assert _status(world, other).status == ApplicationStatus.SYSTEM_APPROVED
    with world.db.read() as s:
        d = s.scalars(select(Decision).where(Decision.application_id == mine)).one()
    assert d.reason_code == "MA_FORMS_NOT_RETURNED" and d.decided_at == dt.datetime(2027, 1, 1, 9)


# -- refused actions are audited -------------------------------------------------------------------
def test_refused_actions_leave_an_audit_event_and_nothing_else(world):
    app_id = world.application(world.candidate())
    with pytest.raises(PermissionDenied):
        perform(
            world.db,
            world.clerk,
            "毕业审批",
            lambda s: wf.decide_application(s, world.clerk, app_id, Verdict.PASS),
        )
    with world.db.read() as s:
        refused = s.scalars(select(AuditEvent).where(AuditEvent.action == "refused")).all()
        decisions = s.scalar(select(func.count()).select_from(Decision))
    assert len(refused) == 1 and "毕业审批" in refused[0].detail and refused[0].actor_name == "jb105"
    assert decisions == 0
    assert _status(world, app_id).status == ApplicationStatus.PENDING


def test_queues_show_only_the_actors_counties(world):
    from zikao_desk.services.queues import queue_ids, queue_length

    mine = world.application(world.candidate())
    theirs = world.application(world.candidate(county="140106"))
    pending_id = world.candidate(identity=IdentityStatus.PENDING_REVIEW)
    with world.db.read() as s:
        assert queue_ids(s, world.reviewer, "approval") == [mine]
        assert queue_ids(s, world.reviewer_b, "approval") == [theirs]
        assert queue_ids(s, world.clerk, "identity_review") == [pending_id]
        assert queue_length(s, world.clerk_b, "identity_review") == 0
        assert queue_length(s, world.admin, "approval") == 2


def test_application_checks_show_each_rule_as_a_pass_fail_line(world):
    from zikao_desk.models import Level, SubstituteCourse
    from zikao_desk.services.applications import application_checks

    app_id = world.application(world.candidate())
    with world.db.write() as s:
        app = s.get_one(Application, app_id)
        app.level = Level.BACHELOR  # without a 前置学历证书号
        app.english2_substituted = True
        s.add(SubstituteCourse(application_id=app_id, course_code="00146", course_name="中国税制", credits=5))
    with world.db.read() as s:
        lines = {line.rule: line for line in application_checks(s, s.get_one(Application, app_id))}
    assert lines["主考院校 1 至 2 所且不重复"].passed
    assert not lines["本科须填写前置学历证书号"].passed
    assert not lines["顶替英语（二）课程总学分不少于 14"].passed
    assert lines["顶替英语（二）课程总学分不少于 14"].detail == "1 门，共 5 学分"
    assert lines["重新申请仅限 1 次"].passed
