"""Duplicate photos: a perceptual hash of every graduation and ticket photo, indexed, so a
photo that matches another candidate's is flagged — a fraud signal no clerk sees by eye."""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np
from PIL import Image
from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from zikao_desk.models import Application, Candidate, PhotoHash
from zikao_desk.services.auth import ActingUser
from zikao_desk.services.blobs import load_blob
from zikao_desk.services.images import decode_image
from zikao_desk.services.workflow import load_candidate

MAX_DISTANCE = 6  # of 64 bits; re-encoding or rescaling the same photo stays far below
BANDS = 8


def perceptual_hash(image: Image.Image) -> int:
    """pHash: the signs of the 8x8 lowest frequencies of a 32x32 DCT against their median,
    as a signed 64-bit integer (what a BIGINT column holds)."""
    gray = np.asarray(image.convert("L").resize((32, 32), Image.Resampling.LANCZOS), dtype=np.float32)
    low = cv2.dct(gray)[:8, :8].flatten()
    bits = low > np.median(low[1:])
    value = 0
    for bit in bits:
        value = (value << 1) | int(bit)
    return value - (1 << 64) if value >= 1 << 63 else value


def hamming(a: int, b: int) -> int:
    return ((a ^ b) & ((1 << 64) - 1)).bit_count()


def _bands(value: int) -> list[int]:
    unsigned = value & ((1 << 64) - 1)
    return [(unsigned >> (8 * i)) & 0xFF for i in range(BANDS)]


def index_photo(session: Session, sha256: str) -> int:
    """Hash a stored photo once and index it; returns the hash."""
    existing = session.get(PhotoHash, sha256)
    if existing is not None:
        return existing.phash
    value = perceptual_hash(decode_image(load_blob(session, sha256), what="照片").image)
    bands = _bands(value)
    session.add(PhotoHash(sha256=sha256, phash=value, **{f"band{i}": b for i, b in enumerate(bands)}))
    session.flush()
    return value


@dataclass(frozen=True)
class DuplicateMatch:
    photo: str  # which of this candidate's photos: 准考证照片 / 毕业照片
    sha256: str
    other_candidate_id: int
    other_ticket_no: str
    other_county_code: str
    other_name: str | None  # only when the acting user may see that candidate
    distance: int


def similar_photos(session: Session, value: int, max_distance: int = MAX_DISTANCE) -> list[tuple[str, int]]:
    bands = _bands(value)
    columns = [getattr(PhotoHash, f"band{i}") for i in range(BANDS)]
    rows = session.execute(
        select(PhotoHash.sha256, PhotoHash.phash).where(
            or_(*(c == b for c, b in zip(columns, bands, strict=True)))
        )
    ).all()
    return [(sha, d) for sha, h in rows if (d := hamming(h, value)) <= max_distance]


def find_duplicates(session: Session, actor: ActingUser, candidate_id: int) -> list[DuplicateMatch]:
    """Other candidates whose ticket or graduation photo looks like one of this candidate's."""
    candidate = load_candidate(session, actor, candidate_id)
    own: list[tuple[str, str]] = []
    if candidate.ticket_photo_sha:
        own.append(("准考证照片", candidate.ticket_photo_sha))
    for sha in session.scalars(
        select(Application.photo_sha).where(
            Application.candidate_id == candidate_id, Application.photo_sha.is_not(None)
        )
    ):
        if sha:
            own.append(("毕业照片", sha))
    matches: list[DuplicateMatch] = []
    seen: set[tuple[str, int]] = set()
    for label, sha in own:
        for other_sha, distance in similar_photos(session, index_photo(session, sha)):
            owners = session.execute(
                select(Candidate.id, Candidate.ticket_no, Candidate.county_code, Candidate.name)
                .outerjoin(Application, Application.candidate_id == Candidate.id)
                .where(or_(Candidate.ticket_photo_sha == other_sha, Application.photo_sha == other_sha))
                .distinct()
            ).all()
            for other_id, ticket, county, name in owners:
                if other_id == candidate_id or (label, other_id) in seen:
                    continue
                seen.add((label, other_id))
                matches.append(
                    DuplicateMatch(
                        label,
                        other_sha,
                        other_id,
                        ticket,
                        county,
                        name if actor.can_act_in(county) else None,
                        distance,
                    )
                )
    return sorted(matches, key=lambda m: m.distance)
