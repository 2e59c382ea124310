"""Accounts (hashing, first admin, lock-out) and the hash-chained audit trail."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select, text

from zikao_desk.errors import AuthenticationFailed, PermissionDenied, ValidationError
from zikao_desk.models import AuditEvent, Role, User
from zikao_desk.services import audit
from zikao_desk.services.auth import hash_password, verify_password
from zikao_desk.services.reference_data import ensure_reference_data
from zikao_desk.services.users import add_user, login, unlock_user


def _admin(db):
    with db.write() as s:
        ensure_reference_data(s)
        add_user(
            s,
            None,
            username="admin",
            role=Role.ADMIN,
            county_codes=["140105", "140106"],
            password="admin-pass-1",
        )
    return login(db, "admin", "admin-pass-1")


def test_password_hash_is_salted_memory_hard_scrypt(_cheap_password_hashing, monkeypatch):
    from zikao_desk.services import auth

    monkeypatch.setattr(auth, "SCRYPT_N", _cheap_password_hashing)
    a, b = hash_password("same-password"), hash_password("same-password")
    assert a != b and a.startswith("scrypt$")
    n, r = int(a.split("$")[1]), int(a.split("$")[2])
    assert 128 * n * r >= 32 * 1024 * 1024, "at least 32 MiB of memory per hash"
    assert verify_password("same-password", a)
    assert not verify_password("other-password", a)


def test_first_user_must_be_admin_and_later_ones_need_an_admin(db):
    with db.write() as s:
        ensure_reference_data(s)
        with pytest.raises(ValidationError, match="管理员"):
            add_user(s, None, username="clerk1", role=Role.CLERK, county_codes=["140105"], password="x" * 8)
    admin = _admin(db)
    with db.write() as s:
        with pytest.raises(PermissionDenied):
            add_user(s, None, username="sneaky", role=Role.ADMIN, county_codes=["140105"], password="x" * 8)
        add_user(s, admin, username="jb1", role=Role.CLERK, county_codes=["140105"], password="clerk-pass")
    clerk = login(db, "jb1", "clerk-pass")
    assert clerk.county_codes == frozenset({"140105"})
    with db.write() as s:
        with pytest.raises(PermissionDenied, match="无权"):
            add_user(s, clerk, username="jb2", role=Role.CLERK, county_codes=["140105"], password="x" * 8)
        with pytest.raises(ValidationError, match="区县代码不存在"):
            add_user(s, admin, username="jb3", role=Role.CLERK, county_codes=["999999"], password="x" * 8)


def test_five_wrong_passwords_lock_the_account_until_an_admin_unlocks(db):
    admin = _admin(db)
    with db.write() as s:
        add_user(s, admin, username="jb1", role=Role.CLERK, county_codes=["140105"], password="right-pass")
    for _ in range(4):
        with pytest.raises(AuthenticationFailed, match="还可尝试"):
            login(db, "jb1", "wrong-pass")
    with pytest.raises(AuthenticationFailed, match="已锁定"):
        login(db, "jb1", "wrong-pass")
    with pytest.raises(AuthenticationFailed, match="已锁定"):
        login(db, "jb1", "right-pass")  # even the right password is refused while locked
    with db.write() as s:
        unlock_user(s, admin, "jb1")
    assert login(db, "jb1", "right-pass").username == "jb1"
    with db.read() as s:
        failed = s.scalar(select(func.count()).where(AuditEvent.action == "login.failed"))
        assert failed == 5
        assert s.scalar(select(User.failed_logins).where(User.username == "jb1")) == 0


def test_audit_chain_detects_an_edited_event(db):
    _admin(db)
    with db.read() as s:
        assert audit.verify_chain(s).ok
        ids = s.scalars(select(AuditEvent.id).order_by(AuditEvent.id)).all()
    assert len(ids) >= 2
    with db.write() as s:
        s.execute(text("UPDATE audit_events SET detail = 'edited' WHERE id = :i"), {"i": ids[0]})
    with db.read() as s:
        report = audit.verify_chain(s)
    assert not report.ok and report.broken_event_id == ids[0]


def test_audit_chain_detects_a_deleted_event(db):
    _admin(db)
    with db.read() as s:
        ids = s.scalars(select(AuditEvent.id).order_by(AuditEvent.id)).all()
    with db.write() as s:
        s.execute(text("DELETE FROM audit_events WHERE id = :i"), {"i": ids[0]})
    with db.read() as s:
        report = audit.verify_chain(s)
    assert report.broken_event_id == ids[1]
