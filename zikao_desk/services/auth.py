"""Who is acting: passwords, login with lock-out, roles and counties.

Every service call takes an ``ActingUser`` and checks role and county here.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import secrets
from dataclasses import dataclass

from zikao_desk.errors import PermissionDenied
from zikao_desk.models import Role, label_zh

# scrypt, memory-hard: N=2**15, r=8 -> 32 MiB and about 0.1 s per hash on the office PC.
# The parameters are stored with each hash, so they can be raised later without a reset.
SCRYPT_N = 2**15
SCRYPT_R = 8
SCRYPT_P = 1
SCRYPT_MAXMEM = 64 * 1024 * 1024

MAX_FAILED_LOGINS = 5
LOCKOUT = dt.timedelta(minutes=15)


def hash_password(password: str) -> str:
    salt = secrets.token_bytes(16)
    digest = hashlib.scrypt(
        password.encode("utf-8"),
        salt=salt,
        n=SCRYPT_N,
        r=SCRYPT_R,
        p=SCRYPT_P,
        maxmem=SCRYPT_MAXMEM,
        dklen=32,
    )
    return f"scrypt${SCRYPT_N}${SCRYPT_R}${SCRYPT_P}${salt.hex()}${digest.hex()}"


def verify_password(password: str, stored: str) -> bool:
    try:
        scheme, n, r, p, salt_hex, digest_hex = stored.split("$")
    except ValueError:
        return False
    if scheme != "scrypt":
        return False
    digest = hashlib.scrypt(
        password.encode("utf-8"),
        salt=bytes.fromhex(salt_hex),
        n=int(n),
        r=int(r),
        p=int(p),
        maxmem=SCRYPT_MAXMEM,
        dklen=32,
    )
    return hmac.compare_digest(digest.hex(), digest_hex)


@dataclass(frozen=True)
class ActingUser:
    """A snapshot of the logged-in account, passed to every service call."""

    id: int
    username: str
    display_name: str
    role: Role
    county_codes: frozenset[str]

    def can_act_in(self, county_code: str) -> bool:
        return county_code in self.county_codes


def require_role(actor: ActingUser, *roles: Role) -> None:
    if actor.role not in roles:
        names = "、".join(label_zh(r) for r in roles)
        raise PermissionDenied(
            f"用户 {actor.username}（{label_zh(actor.role)}）无权执行此操作，需要：{names}"
        )


def require_county(actor: ActingUser, county_code: str) -> None:
    if not actor.can_act_in(county_code):
        raise PermissionDenied(f"用户 {actor.username} 未绑定区县 {county_code}，不能查看或处理该区县的考生")
