"""信息修改: correcting a candidate's 姓名, 身份证号, 准考证号, 性别 or 准考证照片.

Each change is validated, needs a reason, may carry an evidence image, keeps the old and
the new value, and is refused once an application of the candidate is approved.
"""

from __future__ import annotations

import re

from sqlalchemy import select
from sqlalchemy.orm import Session

from zikao_desk.errors import InvalidTransition, ValidationError
from zikao_desk.models import Candidate, Correction, CorrectionField, Gender, label_zh, now
from zikao_desk.services import audit
from zikao_desk.services.auth import ActingUser, require_role
from zikao_desk.services.blobs import store_blob
from zikao_desk.services.duplicates import index_photo
from zikao_desk.services.images import inspect_image
from zikao_desk.services.reference_data import KNOWN_REGION_CODES
from zikao_desk.services.validation import (
    check_id_matches_gender,
    parse_gender,
    parse_id_number,
    validate_ticket_no,
)
from zikao_desk.services.workflow import REVIEW_ROLES, candidate_locked_by, check_version, load_candidate

_NAME_RE = re.compile(r"^[\u3400-\u9fff\uf900-\ufaff·]{2,20}$|^[A-Za-z][A-Za-z .·-]{1,39}$")
MAX_TICKET_PHOTO_BYTES = 2 * 1024 * 1024


def _prepare(
    session: Session,
    actor: ActingUser,
    candidate_id: int,
    reason: str,
    evidence: bytes | None,
    expected_version: int | None,
) -> tuple[Candidate, str, str | None]:
    """The checks every correction shares: role, county, version, reason, the approval lock,
    and the evidence image (stored). Returns the candidate, the reason and the evidence key."""
    require_role(actor, *REVIEW_ROLES)
    candidate = load_candidate(session, actor, candidate_id)
    check_version(candidate, expected_version)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError("信息修改必须填写修改原因", field="reason")
    locked = candidate_locked_by(session, candidate.id)
    if locked is not None:
        raise InvalidTransition(
            f"考生 {candidate.name} 的申请 {locked.application_no} 已{label_zh(locked.status)}，个人信息不可再修改"
        )
    evidence_sha = None
    if evidence is not None:
        info = inspect_image(evidence, what="证明材料")
        evidence_sha = store_blob(session, evidence, info.media_type)
    return candidate, reason, evidence_sha


def _record(
    session: Session,
    actor: ActingUser,
    candidate: Candidate,
    field: CorrectionField,
    old: str | None,
    new: str,
    reason: str,
    evidence_sha: str | None,
) -> Correction:
    correction = Correction(
        candidate_id=candidate.id, county_code=candidate.county_code, field=field, old_value=old,
        new_value=new, reason=reason, evidence_sha=evidence_sha, corrected_by_id=actor.id, corrected_at=now(),
    )  # fmt: skip
    session.add(correction)
    session.flush()
    audit.record(session, actor, "correction", entity_type="candidate", entity_id=candidate.id,
                 before={field.value: old}, after={field.value: new, "reason": reason,
                                                   "evidence": evidence_sha, "correction_id": correction.id})  # fmt: skip
    return correction


def correct_candidate(
    session: Session,
    actor: ActingUser,
    candidate_id: int,
    field: CorrectionField,
    new_value: str | bytes,
    *,
    reason: str,
    evidence: bytes | None = None,
    expected_version: int | None = None,
) -> Correction:
    """Change one item. ``new_value`` is text, or the image bytes for 准考证照片."""
    candidate, reason, evidence_sha = _prepare(
        session, actor, candidate_id, reason, evidence, expected_version
    )
    old, new = _apply(session, candidate, field, new_value)
    if old == new:
        raise ValidationError(f"{label_zh(field)}的新值与原值相同，无需修改", field=field.value)
    return _record(session, actor, candidate, field, old, new, reason, evidence_sha)


def correct_id_and_gender(
    session: Session,
    actor: ActingUser,
    candidate_id: int,
    id_number: str,
    gender: Gender,
    *,
    reason: str,
    evidence: bytes | None = None,
    expected_version: int | None = None,
) -> list[Correction]:
    """身份证号 and 性别 together, for when both were recorded wrong: each alone would be
    refused for disagreeing with the other's old value. Validated as a pair; one correction
    row per item that changes."""
    candidate, reason, evidence_sha = _prepare(
        session, actor, candidate_id, reason, evidence, expected_version
    )
    info = parse_id_number(id_number, known_regions=KNOWN_REGION_CODES)
    check_id_matches_gender(info, gender)
    _check_id_unique(session, candidate, info.number)
    corrections = []
    if gender != candidate.gender:
        old_gender = label_zh(candidate.gender)
        candidate.gender = gender
        corrections.append(_record(session, actor, candidate, CorrectionField.GENDER, old_gender,
                                   label_zh(gender), reason, evidence_sha))  # fmt: skip
    if info.number != candidate.id_number:
        old_number = candidate.id_number
        candidate.id_number = info.number
        candidate.birth_date = info.birth_date
        corrections.append(_record(session, actor, candidate, CorrectionField.ID_NUMBER, old_number,
                                   info.number, reason, evidence_sha))  # fmt: skip
    if not corrections:
        raise ValidationError("身份证号与性别均与原值相同，无需修改", field="id_number")
    return corrections


def _check_id_unique(session: Session, c: Candidate, number: str) -> None:
    other = session.scalar(select(Candidate).where(Candidate.id_number == number, Candidate.id != c.id))
    if other is not None:
        raise ValidationError(f"身份证号 {number} 已属于考生 {other.ticket_no}，不能重复", field="id_number")


def _apply(
    session: Session, c: Candidate, field: CorrectionField, value: str | bytes
) -> tuple[str | None, str]:
    if field == CorrectionField.TICKET_PHOTO:
        if not isinstance(value, bytes):
            raise ValidationError("准考证照片须为图片文件", field=field.value)
        image = inspect_image(value, what="准考证照片", max_bytes=MAX_TICKET_PHOTO_BYTES)
        old = c.ticket_photo_sha
        c.ticket_photo_sha = store_blob(session, value, image.media_type)
        index_photo(session, c.ticket_photo_sha)  # so a copy of another candidate's photo is flagged
        return old, c.ticket_photo_sha
    if not isinstance(value, str):
        raise ValidationError(f"{label_zh(field)}须为文字", field=field.value)
    text = value.strip()
    if field == CorrectionField.NAME:
        if not _NAME_RE.match(text):
            raise ValidationError(f"姓名“{text}”无效：应为 2 到 20 个汉字（可含间隔号·）", field="name")
        old_name = c.name
        c.name = text
        return old_name, text
    if field == CorrectionField.ID_NUMBER:
        info = parse_id_number(text, known_regions=KNOWN_REGION_CODES)
        check_id_matches_gender(info, c.gender)
        _check_id_unique(session, c, info.number)
        old_id = c.id_number
        c.id_number = info.number
        c.birth_date = info.birth_date
        return old_id, info.number
    if field == CorrectionField.TICKET_NO:
        ticket = validate_ticket_no(text, c.county_code)
        other = session.scalar(select(Candidate).where(Candidate.ticket_no == ticket, Candidate.id != c.id))
        if other is not None:
            raise ValidationError(f"准考证号 {ticket} 已属于其他考生，不能重复", field="ticket_no")
        old_ticket = c.ticket_no
        c.ticket_no = ticket
        return old_ticket, ticket
    if field == CorrectionField.GENDER:
        gender = parse_gender(text) if text in ("男", "女") else Gender(text)
        check_id_matches_gender(parse_id_number(c.id_number), gender)
        old_gender = label_zh(c.gender)
        c.gender = gender
        return old_gender, label_zh(gender)
    raise ValidationError(f"不支持修改的项目：{field}")


def correction_history(session: Session, actor: ActingUser, candidate_id: int) -> list[Correction]:
    """Every correction of a candidate, oldest first."""
    load_candidate(session, actor, candidate_id)
    return list(
        session.scalars(
            select(Correction).where(Correction.candidate_id == candidate_id).order_by(Correction.id)
        )
    )
