"""Content-addressed storage of images and archives in the database."""

from __future__ import annotations

import hashlib

from sqlalchemy import select
from sqlalchemy.orm import Session

from zikao_desk.errors import NotFound
from zikao_desk.models import Blob


def store_blob(session: Session, data: bytes, media_type: str) -> str:
    """Store ``data`` once; return its SHA-256 (the key), whether it was new or not."""
    digest = hashlib.sha256(data).hexdigest()
    if session.scalar(select(Blob.sha256).where(Blob.sha256 == digest)) is None:
        session.add(Blob(sha256=digest, media_type=media_type, size=len(data), data=data))
        session.flush()
    return digest


def load_blob(session: Session, sha256: str) -> bytes:
    data = session.scalar(select(Blob.data).where(Blob.sha256 == sha256))
    if data is None:
        raise NotFound(f"文件 {sha256[:12]}… 不存在")
    return data
