"""The demo data is realistic and consistent: every number valid, every state present,
every rule of domain.md respected — on SQLite and on PostgreSQL."""

from __future__ import annotations

import io
from collections import Counter, defaultdict

import pytest
from PIL import Image
from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from zikao_desk.errors import UserError
from zikao_desk.models import (
    Application,
    ApplicationStatus,
    AuditEvent,
    Blob,
    Candidate,
    County,
    Decision,
    DecisionKind,
    IdentityStatus,
    Level,
    MaterialsStatus,
    PaymentStatus,
    PhotoStatus,
    SubstituteCourse,
    User,
)
from zikao_desk.services.audit import verify_chain
from zikao_desk.services.demo import build_demo, demo_users
from zikao_desk.services.validation import parse_id_number, ticket_fits_county


def test_every_id_number_is_valid_and_agrees_with_gender_and_birth_date(demo_db):
    with demo_db.read() as s:
        rows = s.execute(select(Candidate.id_number, Candidate.gender, Candidate.birth_date)).all()
    assert len(rows) == 1500
    for number, gender, birth in rows:
        info = parse_id_number(number)  # raises on any broken rule
        assert info.gender == gender, number
        assert info.birth_date == birth, number
        assert number[:2] == "14", "demo candidates are registered in Shanxi"


def test_every_ticket_number_fits_its_county(demo_db):
    with demo_db.read() as s:
        rows = s.execute(select(Candidate.ticket_no, Candidate.county_code)).all()
        counties = set(s.scalars(select(County.code)))
    assert len({t for t, _ in rows}) == len(rows)
    for ticket, county in rows:
        assert len(ticket) == 12 and ticket.isdigit()
        assert ticket_fits_county(ticket, county), (ticket, county)
        assert ticket[6] in "12", "year (2) + sitting (1): 1 = April, 2 = October"
        assert county in counties


def test_every_workflow_state_is_present(demo_db):
    with demo_db.read() as s:
        statuses = Counter(s.scalars(select(Application.status)))
        photos = Counter(s.scalars(select(Application.photo_status)))
        identities = Counter(s.scalars(select(Candidate.identity_status)))
        materials = Counter(s.scalars(select(Application.materials_status)))
        attempts = Counter(s.scalars(select(Application.attempt)))
        kinds = Counter(s.scalars(select(Decision.kind)))
        paid = s.scalar(select(func.count()).where(Application.payment_status == PaymentStatus.PAID))
    assert set(statuses) == set(ApplicationStatus)
    assert set(photos) == set(PhotoStatus)
    assert set(identities) == set(IdentityStatus)
    assert {MaterialsStatus.AWAITING, MaterialsStatus.COMPLETE, MaterialsStatus.VOID} <= set(materials)
    assert attempts[2] > 0
    assert set(kinds) == set(DecisionKind)
    assert paid > 0


def test_demo_respects_the_rules_of_the_domain(demo_db):
    with demo_db.read() as s:
        apps = s.scalars(select(Application)).all()
        subs = defaultdict(int)
        for app_id, credits in s.execute(select(SubstituteCourse.application_id, SubstituteCourse.credits)):
            subs[app_id] += credits
    by_candidate = defaultdict(list)
    for a in apps:
        by_candidate[a.candidate_id].append(a)
        if a.payment_status == PaymentStatus.PAID:
            assert a.status in (
                ApplicationStatus.SYSTEM_APPROVED,
                ApplicationStatus.APPROVED,
                ApplicationStatus.VOID,
            )
            assert a.photo_status.approved
        if a.level == Level.BACHELOR:
            assert a.prior_diploma_no and len(a.prior_diploma_no) in (17, 18)
        assert a.university1_code != a.university2_code
        if a.english2_substituted:
            assert subs[a.id] >= 14
        if a.status == ApplicationStatus.REJECTED_FINAL:
            assert a.attempt == 2
        if a.status == ApplicationStatus.VOID:
            assert a.materials_status == MaterialsStatus.VOID
    for attempts in by_candidate.values():
        if len(attempts) == 2:
            first = next(a for a in attempts if a.attempt == 1)
            assert first.status == ApplicationStatus.REJECTED, (
                "only a rejected application may be re-submitted"
            )
        assert len(attempts) <= 2


def test_county_decisions_are_made_by_users_of_that_county_and_audited(demo_db):
    with demo_db.read() as s:
        users = {u.id: u for u in s.scalars(select(User).options(selectinload(User.counties)))}
        decisions = s.scalars(select(Decision)).all()
        decision_events = s.scalar(select(func.count()).where(AuditEvent.action.like("decision.%")))
        report = verify_chain(s)
    assert report.ok, report.problem
    assert decision_events == len(decisions)
    for d in decisions:
        assert d.county_code in {c.code for c in users[d.decided_by_id].counties}


def test_demo_images_are_decodable_and_include_failing_photos(demo_db):
    with demo_db.read() as s:
        ok_sha = s.scalars(
            select(Application.photo_sha)
            .where(Application.photo_status == PhotoStatus.ONLINE_PASSED)
            .limit(1)
        ).one()
        ok = s.get(Blob, ok_sha)
        data = ok.data
        sizes = s.execute(select(Blob.media_type, Blob.size)).all()
    img = Image.open(io.BytesIO(data))
    assert img.format == "JPEG" and img.size == (480, 640) and img.mode == "RGB"
    assert len(data) < 2 * 1024 * 1024
    assert any(size > 2 * 1024 * 1024 for _, size in sizes), "an oversized photo is in the review queue"
    assert any(mt == "application/zip" for mt, _ in sizes)


def test_same_seed_same_data(tmp_path):
    from zikao_desk.db import Database

    def names(path):
        database = Database(f"sqlite:///{path}")
        database.upgrade()
        build_demo(database, candidates=60, seed=11)
        with database.read() as s:
            out = s.execute(
                select(Candidate.ticket_no, Candidate.id_number, Candidate.name).order_by(Candidate.id)
            ).all()
            statuses = s.execute(
                select(Application.application_no, Application.status).order_by(Application.id)
            ).all()
        database.dispose()
        return out, statuses

    assert names(tmp_path / "a.sqlite3") == names(tmp_path / "b.sqlite3")


def test_demo_refuses_a_database_with_data(db):
    build_demo(db, candidates=3, seed=2)
    with pytest.raises(UserError, match="只写入空数据库"):
        build_demo(db, candidates=3, seed=2)
    with db.read() as s:
        assert s.scalar(select(func.count()).select_from(Candidate)) == 3


def test_demo_users_one_clerk_and_reviewer_per_county():
    users = demo_users()
    assert sum(1 for u in users if u.role.value == "admin") == 1
    per_county = Counter((u.county_codes[0], u.role.value) for u in users if u.role.value != "admin")
    assert all(n == 1 for n in per_county.values())
    assert {r for _, r in per_county} == {"clerk", "reviewer"}


def test_demo_reached_its_states_through_the_services(demo_db):
    """Every correction, payment and sweep left its audit event; no service refused anything."""
    from zikao_desk.models import Correction

    with demo_db.read() as s:

        def events(action: str) -> int:
            return s.scalar(select(func.count()).where(AuditEvent.action == action))

        corrections = s.scalar(select(func.count()).select_from(Correction))
        paid = s.scalar(select(func.count()).where(Application.payment_status == PaymentStatus.PAID))
        assert corrections > 0 and events("correction") == corrections
        assert events("payment.recorded") == paid
        assert events("materials.sweep") == 10  # one per demo county, the day after the deadline
        assert events("refused") == 0
        first, last = s.execute(
            select(func.min(AuditEvent.occurred_at), func.max(AuditEvent.occurred_at))
        ).one()
        ordered = s.scalars(select(AuditEvent.occurred_at).order_by(AuditEvent.id)).all()
    assert ordered == sorted(ordered), "the office's work was replayed in time order"
    assert first < last


def test_every_demo_photo_is_in_the_duplicate_index(demo_db):
    from zikao_desk.models import PhotoHash

    with demo_db.read() as s:
        photos = set(s.scalars(select(Candidate.ticket_photo_sha))) | set(
            s.scalars(select(Application.photo_sha).where(Application.photo_sha.is_not(None)))
        )
        indexed = set(s.scalars(select(PhotoHash.sha256)))
    assert photos and photos <= indexed
