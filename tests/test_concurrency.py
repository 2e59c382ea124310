"""Two workstations at the same moment, with two real connections on both backends:
exactly one succeeds, the other is told to refresh, nothing is overwritten, and the audit
chain stays one line."""

from __future__ import annotations

import threading
from collections.abc import Callable

import pytest
from sqlalchemy import func, select

from tests.world import World, make_world
from zikao_desk.db import Database
from zikao_desk.errors import ConcurrentModification, InvalidTransition, UserError
from zikao_desk.models import (
    Application,
    ApplicationStatus,
    AuditEvent,
    Candidate,
    CorrectionField,
    Decision,
    Verdict,
)
from zikao_desk.services import audit
from zikao_desk.services import workflow as wf
from zikao_desk.services.corrections import correct_candidate
from zikao_desk.services.uow import perform


@pytest.fixture
def world(db) -> World:
    return make_world(db)


def _race(db_url: str, actions: list[Callable[[Database], object]]) -> list[object]:
    """Run each action on its own Database (its own engine and connection), all released
    at once by a barrier; return each one's result or exception."""
    barrier = threading.Barrier(len(actions))
    results: list[object] = [None] * len(actions)

    def run(i: int) -> None:
        database = Database(db_url)
        try:
            barrier.wait(timeout=30)
            results[i] = actions[i](database)
        except Exception as exc:
            results[i] = exc
        finally:
            database.dispose()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(len(actions))]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    return results


def test_two_reviewers_decide_the_same_application_at_once(world, db_url):
    app_id = world.application(world.candidate())
    with world.db.read() as s:
        seen = s.get_one(Application, app_id).version  # both screens show this version

    def approve(database: Database) -> object:
        return perform(
            database,
            world.reviewer,
            "毕业审批",
            lambda s: (
                wf.decide_application(s, world.reviewer, app_id, Verdict.PASS, expected_version=seen).id
            ),
        )

    def reject(database: Database) -> object:
        return perform(
            database,
            world.reviewer,
            "毕业审批",
            lambda s: (
                wf.decide_application(
                    s,
                    world.reviewer,
                    app_id,
                    Verdict.FAIL,
                    reason_code="AP_UNIVERSITY",
                    expected_version=seen,
                ).id
            ),
        )

    results = _race(db_url, [approve, reject])
    winners = [r for r in results if isinstance(r, int)]
    losers = [r for r in results if isinstance(r, Exception)]
    assert len(winners) == 1 and len(losers) == 1, results
    assert isinstance(losers[0], ConcurrentModification)
    assert str(losers[0]) == "此记录已被其他用户修改，请刷新后重试"
    with world.db.read() as s:
        decisions = s.scalars(select(Decision).where(Decision.application_id == app_id)).all()
        final = s.get_one(Application, app_id)
    assert [d.id for d in decisions] == winners
    expected = (
        ApplicationStatus.APPROVED if decisions[0].verdict == Verdict.PASS else ApplicationStatus.REJECTED
    )
    assert final.status == expected and final.version == seen + 1


def test_two_clerks_correct_the_same_candidate_at_once(world, db_url):
    cid = world.candidate()
    with world.db.read() as s:
        seen = s.get_one(Candidate, cid).version

    def rename(new_name: str) -> Callable[[Database], object]:
        return lambda database: perform(
            database,
            world.clerk,
            "信息修改",
            lambda s: (
                correct_candidate(
                    s,
                    world.clerk,
                    cid,
                    CorrectionField.NAME,
                    new_name,
                    reason="录入错误",
                    expected_version=seen,
                ).id
            ),
        )

    results = _race(db_url, [rename("王小明"), rename("李小红")])
    assert sum(isinstance(r, int) for r in results) == 1, results
    assert sum(isinstance(r, ConcurrentModification) for r in results) == 1, results
    with world.db.read() as s:
        name = s.get_one(Candidate, cid).name
    assert name in ("王小明", "李小红")


def test_without_a_version_the_second_decision_is_still_refused(world, db_url):
    """Even a caller that passes no expected version cannot decide twice."""
    app_id = world.application(world.candidate())

    def approve(database: Database) -> object:
        return perform(
            database,
            world.reviewer,
            "毕业审批",
            lambda s: wf.decide_application(s, world.reviewer, app_id, Verdict.PASS).id,
        )

    results = _race(db_url, [approve, approve])
    assert sum(isinstance(r, int) for r in results) == 1, results
    loser = next(r for r in results if isinstance(r, Exception))
    assert isinstance(loser, (ConcurrentModification, InvalidTransition)), loser
    with world.db.read() as s:
        assert s.scalar(select(func.count()).where(Decision.application_id == app_id)) == 1


def test_audit_chain_does_not_fork_when_workstations_append_together(world, db_url):
    per_thread = 15

    def append(tag: str) -> Callable[[Database], object]:
        def run(database: Database) -> object:
            for i in range(per_thread):
                with database.write() as s:
                    audit.record(s, world.clerk, "test.append", detail=f"{tag}{i}")
            return tag

        return run

    results = _race(db_url, [append("a"), append("b"), append("c")])
    assert all(not isinstance(r, UserError | Exception) for r in results), results
    with world.db.read() as s:
        report = audit.verify_chain(s)
        appended = s.scalar(select(func.count()).where(AuditEvent.action == "test.append"))
        prevs = s.scalars(select(AuditEvent.prev_hash)).all()
    assert report.ok, report.problem
    assert appended == 3 * per_thread
    assert len(prevs) == len(set(prevs)), "two events with the same predecessor: a fork"


def test_two_reviewers_export_the_same_county_at_once(world, db_url, tmp_path):
    from zikao_desk.models import ExportBatch
    from zikao_desk.services.exchange.report_export import export_new_batch

    for _ in range(3):
        app_id = world.application(world.candidate())
        with world.db.write() as s:
            wf.decide_application(s, world.reviewer, app_id, Verdict.PASS)

    def export(i: int) -> Callable[[Database], object]:
        return lambda database: perform(
            database, world.reviewer, "导出上报",
            lambda s: export_new_batch(s, world.reviewer, "140105", tmp_path / str(i)).batch_no,
        )  # fmt: skip

    results = _race(db_url, [export(1), export(2)])
    batches = [r for r in results if isinstance(r, str)]
    errors = [r for r in results if isinstance(r, Exception)]
    # one batch takes all three decisions; the other export either found nothing left
    # (it waited for the first) or collided with it and was told to retry
    assert len(batches) == 1, results
    assert len(errors) == 1 and isinstance(errors[0], UserError), errors
    with world.db.read() as s:
        assert s.scalar(select(func.count()).select_from(ExportBatch)) == 1
        assert s.scalar(select(func.count()).where(Decision.export_batch_id.is_(None))) == 0
