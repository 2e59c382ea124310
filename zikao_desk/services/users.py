"""Staff accounts: create, log in (with lock-out), unlock, reset."""

from __future__ import annotations

import re
from collections.abc import Iterable

from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload

from zikao_desk.db import Database
from zikao_desk.errors import AuthenticationFailed, PermissionDenied, ValidationError
from zikao_desk.models import County, Role, User, now
from zikao_desk.services import audit
from zikao_desk.services.auth import (
    LOCKOUT,
    MAX_FAILED_LOGINS,
    ActingUser,
    hash_password,
    require_role,
    verify_password,
)

_USERNAME_RE = re.compile(r"^[A-Za-z0-9_.-]{2,40}$")
MIN_PASSWORD_LENGTH = 8


def acting_user(user: User, county_codes: Iterable[str]) -> ActingUser:
    return ActingUser(
        id=user.id,
        username=user.username,
        display_name=user.display_name,
        role=user.role,
        county_codes=frozenset(county_codes),
    )


def user_count(session: Session) -> int:
    return session.scalar(select(func.count()).select_from(User)) or 0


def add_user(
    session: Session,
    actor: ActingUser | None,
    *,
    username: str,
    role: Role,
    county_codes: Iterable[str],
    password: str,
    display_name: str | None = None,
) -> User:
    """Create an account. Only an admin may, except for the very first account (an admin)."""
    if actor is None:
        if user_count(session) > 0:
            raise PermissionDenied("数据库中已有用户，请以管理员身份登录后再添加用户")
        if role != Role.ADMIN:
            raise ValidationError("第一个用户必须是管理员（--role admin）", field="role")
    else:
        require_role(actor, Role.ADMIN)
    if not _USERNAME_RE.match(username or ""):
        raise ValidationError(
            f"用户名 {username!r} 无效：2 到 40 位字母、数字、下划线、点或连字符", field="username"
        )
    if session.scalar(select(User.id).where(User.username == username)) is not None:
        raise ValidationError(f"用户名 {username} 已存在", field="username")
    if len(password) < MIN_PASSWORD_LENGTH:
        raise ValidationError(f"密码至少 {MIN_PASSWORD_LENGTH} 位", field="password")
    codes = sorted({c.strip() for c in county_codes if c.strip()})
    if not codes:
        raise ValidationError("至少绑定一个区县", field="county")
    counties = session.scalars(select(County).where(County.code.in_(codes))).all()
    missing = sorted(set(codes) - {c.code for c in counties})
    if missing:
        raise ValidationError(f"区县代码不存在：{'、'.join(missing)}", field="county")
    user = User(
        username=username,
        display_name=display_name or username,
        role=role,
        password_hash=hash_password(password),
        counties=list(counties),
    )
    session.add(user)
    session.flush()
    audit.record(
        session,
        actor,
        "user.add",
        entity_type="user",
        entity_id=user.id,
        after={"username": username, "role": role.value, "counties": codes},
        actor_name=None if actor else "setup",
    )
    return user


def login(db: Database, username: str, password: str) -> ActingUser:
    """Check a password. Five wrong ones in a row lock the account for a while.

    The failure count is committed before the error is raised, so a wrong password is
    remembered even though the caller sees an exception.
    """
    failure: str | None = None
    result: ActingUser | None = None
    with db.write() as session:
        user = session.scalars(
            select(User).where(User.username == username).options(selectinload(User.counties))
        ).one_or_none()
        moment = now()
        if user is None or not user.active:
            failure = "用户名或密码错误"
            audit.record(
                session,
                None,
                "login.failed",
                detail=f"unknown or inactive user {username!r}",
                actor_name=username[:40] or "?",
            )
        elif user.locked_until is not None and user.locked_until > moment:
            failure = f"账户已锁定，请于 {user.locked_until:%H:%M} 后重试或联系管理员解锁"
            audit.record(
                session,
                None,
                "login.refused_locked",
                entity_type="user",
                entity_id=user.id,
                actor_name=user.username,
            )
        elif not verify_password(password, user.password_hash):
            user.failed_logins += 1
            if user.failed_logins >= MAX_FAILED_LOGINS:
                user.locked_until = moment + LOCKOUT
                failure = f"密码连续错误 {user.failed_logins} 次，账户已锁定 {int(LOCKOUT.total_seconds() // 60)} 分钟"
            else:
                failure = f"用户名或密码错误（还可尝试 {MAX_FAILED_LOGINS - user.failed_logins} 次）"
            audit.record(
                session,
                None,
                "login.failed",
                entity_type="user",
                entity_id=user.id,
                actor_name=user.username,
                after={"failed_logins": user.failed_logins},
            )
        else:
            user.failed_logins = 0
            user.locked_until = None
            result = acting_user(user, (c.code for c in user.counties))
            audit.record(session, result, "login.success", entity_type="user", entity_id=user.id)
    if failure is not None:
        raise AuthenticationFailed(failure)
    assert result is not None
    return result


def unlock_user(session: Session, actor: ActingUser, username: str, new_password: str | None = None) -> None:
    """Admin: clear the lock-out and, optionally, set a new password."""
    require_role(actor, Role.ADMIN)
    user = session.scalars(select(User).where(User.username == username)).one_or_none()
    if user is None:
        raise ValidationError(f"用户 {username} 不存在", field="username")
    user.failed_logins = 0
    user.locked_until = None
    if new_password is not None:
        if len(new_password) < MIN_PASSWORD_LENGTH:
            raise ValidationError(f"密码至少 {MIN_PASSWORD_LENGTH} 位", field="password")
        user.password_hash = hash_password(new_password)
    audit.record(
        session,
        actor,
        "user.unlock" if new_password is None else "user.reset_password",
        entity_type="user",
        entity_id=user.id,
    )
