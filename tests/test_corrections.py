"""信息修改 of the five personal items, on both backends."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from PIL import Image
from sqlalchemy import select

from tests.world import World, make_world
from zikao_desk.errors import InvalidTransition, PermissionDenied, ValidationError
from zikao_desk.models import ApplicationStatus, AuditEvent, Blob, Candidate, CorrectionField, Gender
from zikao_desk.services.corrections import correct_candidate, correction_history
from zikao_desk.services.demo import make_id_number


@pytest.fixture
def world(db) -> World:
    return make_world(db)


def _jpeg(color=(100, 197, 255), size=(150, 200)) -> bytes:
    buf = io.BytesIO()
    Image.new("RGB", size, color).save(buf, "JPEG")
    return buf.getvalue()


def _candidate(world: World, cid: int) -> Candidate:
    with world.db.read() as s:
        return s.get_one(Candidate, cid)


def test_each_item_is_corrected_with_old_and_new_value_kept(world):
    cid = world.candidate(gender=Gender.MALE)
    before = _candidate(world, cid)
    new_id = make_id_number("140106", dt.date(1988, 8, 8), 135, Gender.MALE)
    new_ticket = "010525299999"
    photo = _jpeg()
    evidence = _jpeg((250, 250, 250), (400, 300))
    with world.db.write() as s:
        correct_candidate(
            s, world.clerk, cid, CorrectionField.NAME, "张 三".replace(" ", ""), reason="录入错误"
        )
        correct_candidate(
            s,
            world.clerk,
            cid,
            CorrectionField.ID_NUMBER,
            new_id.lower(),
            reason="身份证号录入错误",
            evidence=evidence,
        )
        correct_candidate(s, world.clerk, cid, CorrectionField.TICKET_NO, new_ticket, reason="准考证号有误")
        correct_candidate(s, world.clerk, cid, CorrectionField.TICKET_PHOTO, photo, reason="更换近期照片")
    after = _candidate(world, cid)
    assert after.name == "张三" and after.id_number == new_id and after.birth_date == dt.date(1988, 8, 8)
    assert after.ticket_no == new_ticket and after.ticket_photo_sha != before.ticket_photo_sha
    with world.db.read() as s:
        history = correction_history(s, world.clerk, cid)
        evidence_blob = s.get(Blob, history[1].evidence_sha)
        events = s.scalars(select(AuditEvent).where(AuditEvent.action == "correction")).all()
    assert [h.field for h in history] == [
        CorrectionField.NAME,
        CorrectionField.ID_NUMBER,
        CorrectionField.TICKET_NO,
        CorrectionField.TICKET_PHOTO,
    ]
    assert (history[0].old_value, history[0].new_value) == ("测试考生", "张三")
    assert (history[1].old_value, history[1].new_value) == (before.id_number, new_id)
    assert history[0].corrected_by_id == world.clerk.id and history[0].reason == "录入错误"
    assert evidence_blob is not None and evidence_blob.media_type == "image/jpeg"
    assert len(events) == 4 and "测试考生" in events[0].before


def test_corrections_are_refused_once_an_application_is_approved(world):
    for status in (ApplicationStatus.SYSTEM_APPROVED, ApplicationStatus.APPROVED):
        cid = world.candidate()
        world.application(cid, status=status)
        with world.db.write() as s, pytest.raises(InvalidTransition, match="不可再修改"):
            correct_candidate(s, world.clerk, cid, CorrectionField.NAME, "李四", reason="录入错误")
    pending = world.candidate()
    world.application(pending)
    with world.db.write() as s:
        correct_candidate(s, world.clerk, pending, CorrectionField.NAME, "李四", reason="录入错误")


def test_invalid_values_are_refused_with_the_reason(world):
    cid = world.candidate(gender=Gender.MALE)
    other = world.candidate()
    cases = [
        (CorrectionField.NAME, "A", "姓名"),
        (CorrectionField.ID_NUMBER, "140105199001010010", "校验位错误"),
        (
            CorrectionField.ID_NUMBER,
            make_id_number("140105", dt.date(1990, 5, 5), 2, Gender.FEMALE),
            "第 17 位",
        ),
        (CorrectionField.ID_NUMBER, _candidate(world, other).id_number, "已属于考生"),
        (CorrectionField.TICKET_NO, "0106252" + "00001", "与区县 140105 不符"),
        (CorrectionField.TICKET_NO, _candidate(world, other).ticket_no, "已属于其他考生"),
        (CorrectionField.GENDER, "女", "第 17 位"),
        (CorrectionField.NAME, "测试考生", "与原值相同"),
        (CorrectionField.TICKET_PHOTO, b"not an image", "不是可识别的图片"),
        (CorrectionField.TICKET_PHOTO, _jpeg()[:300], "损坏或不完整"),
    ]
    for field, value, fragment in cases:
        with world.db.write() as s, pytest.raises(ValidationError) as err:
            correct_candidate(s, world.clerk, cid, field, value, reason="测试")
        assert fragment in str(err.value), (field, value, str(err.value))
    with world.db.write() as s, pytest.raises(ValidationError, match="修改原因"):
        correct_candidate(s, world.clerk, cid, CorrectionField.NAME, "王五", reason="  ")
    assert _candidate(world, cid).name == "测试考生"


def test_another_countys_clerk_cannot_correct(world):
    cid = world.candidate(county="140106")
    with world.db.write() as s, pytest.raises(PermissionDenied):
        correct_candidate(s, world.clerk, cid, CorrectionField.NAME, "王五", reason="录入错误")
    with world.db.read() as s, pytest.raises(PermissionDenied):
        correction_history(s, world.clerk, cid)


def test_id_number_and_gender_both_wrong_are_corrected_together(world):
    from zikao_desk.services.corrections import correct_id_and_gender

    cid = world.candidate(gender=Gender.MALE)
    right_id = make_id_number("140105", dt.date(1991, 4, 4), 22, Gender.FEMALE)
    # alone, each is refused for disagreeing with the other's old value
    with world.db.write() as s, pytest.raises(ValidationError, match="第 17 位"):
        correct_candidate(s, world.clerk, cid, CorrectionField.ID_NUMBER, right_id, reason="录入错误")
    with world.db.write() as s, pytest.raises(ValidationError, match="第 17 位"):
        correct_candidate(s, world.clerk, cid, CorrectionField.GENDER, "女", reason="录入错误")
    with world.db.write() as s:
        rows = correct_id_and_gender(
            s, world.clerk, cid, right_id, Gender.FEMALE, reason="身份证号与性别均录入错误"
        )
    assert [r.field for r in rows] == [CorrectionField.GENDER, CorrectionField.ID_NUMBER]
    after = _candidate(world, cid)
    assert (after.gender, after.id_number, after.birth_date) == (Gender.FEMALE, right_id, dt.date(1991, 4, 4))
    with world.db.write() as s, pytest.raises(ValidationError, match="第 17 位"):
        correct_id_and_gender(s, world.clerk, cid, right_id, Gender.MALE, reason="x")  # the pair must agree
