"""The 毕业生登记表 PDF: Chinese text extractable, long self-assessments flow onto the next
page uncut, batch printing, the font fallback warning, permissions."""

from __future__ import annotations

import shutil
import subprocess

import pytest
from sqlalchemy import select

from tests.world import make_world
from zikao_desk.errors import PermissionDenied
from zikao_desk.models import Application, ApplicationStatus, AuditEvent, Candidate, ResumeEntry
from zikao_desk.services.exchange import registration_form as rf

pytestmark = pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils is not installed")


@pytest.fixture
def world(db):
    return make_world(db)


def _paid_application(world, assessment: str) -> str:
    app_id = world.application(world.candidate(), status=ApplicationStatus.SYSTEM_APPROVED, paid=True)
    with world.db.write() as s:
        app = s.get_one(Application, app_id)
        app.self_assessment = assessment
        app.political_status = "群众"
        app.work_unit = "太原市第五中学"
        s.add(ResumeEntry(application_id=app_id, seq=1, start_month="2008-09", end_month="2011-07",
                          organization="太原市第十二中学", position="学生", witness="王老师"))  # fmt: skip
        return app.application_no


def _text_and_pages(pdf: bytes, tmp_path) -> tuple[str, int]:
    path = tmp_path / "f.pdf"
    path.write_bytes(pdf)
    text = subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True).stdout
    pages = int(next(line.split()[-1] for line in info.splitlines() if line.startswith("Pages:")))
    return text, pages


def test_form_text_shows_name_and_id_number(world, tmp_path):
    number = _paid_application(world, "本人遵纪守法，学习认真。")
    with world.db.write() as s:
        pdf = rf.build_forms(s, world.clerk, [number])
        cand = s.scalar(select(Candidate).join(Application).where(Application.application_no == number))
        events = s.scalars(select(AuditEvent).where(AuditEvent.action == "form.print")).all()
    text, pages = _text_and_pages(pdf.data, tmp_path)
    assert pdf.warnings == [] and pdf.font.endswith((".ttc", ".ttf"))
    assert cand.name in text and cand.id_number in text and cand.ticket_no in text
    assert "高等教育自学考试毕业生登记表" in text and "太原市第十二中学" in text and "本人签名" in text
    assert pages == 1
    assert len(events) == 1  # personal data written out is audited


def test_long_self_assessment_flows_onto_a_second_page_uncut(world, tmp_path):
    sentences = [
        f"第{i}段：在自学考试期间，我坚持业余学习，合理安排工作与学习，按计划完成全部课程。"
        for i in range(1, 61)
    ]
    number = _paid_application(world, "\n".join(sentences))
    with world.db.write() as s:
        pdf = rf.build_forms(s, world.clerk, [number])
    text, pages = _text_and_pages(pdf.data, tmp_path)
    assert pages >= 2
    flat = text.replace("\n", "").replace(" ", "")
    for i in (1, 30, 60):  # beginning, middle and the very end are all there
        assert f"第{i}段" in flat
    assert flat.index("第60段") < flat.index("本人签名")  # signatures come after the whole text


def test_batch_printing_builds_one_combined_pdf(world, tmp_path):
    numbers = [_paid_application(world, "短。") for _ in range(3)]
    with world.db.write() as s:
        pdf = rf.build_forms(s, world.clerk, numbers)
    text, pages = _text_and_pages(pdf.data, tmp_path)
    assert pages == 3 and text.count("高等教育自学考试毕业生登记表") == 3


def test_another_countys_form_is_refused(world):
    app_id = world.application(world.candidate(county="140106"))
    with world.db.write() as s:
        number = s.get_one(Application, app_id).application_no
        with pytest.raises(PermissionDenied):
            rf.build_forms(s, world.clerk, [number])


def test_without_a_truetype_font_the_fallback_is_announced(world, monkeypatch):
    number = _paid_application(world, "短。")
    monkeypatch.setattr(rf, "SYSTEM_FONTS", [])
    monkeypatch.delenv("ZIKAO_CJK_FONT", raising=False)
    rf.register_font.cache_clear()
    try:
        with world.db.write() as s:
            pdf = rf.build_forms(s, world.clerk, [number])
    finally:
        rf.register_font.cache_clear()
    assert pdf.font == "STSong-Light" and "未嵌入" in pdf.warnings[0]
