"""The county's report: file name and sheets per the contract, exactly-once, re-export, on
both backends; and that LibreOffice opens it."""

from __future__ import annotations

import json
import re
import shutil
import subprocess

import pytest
from openpyxl import load_workbook
from sqlalchemy import func, select

from tests.world import make_world
from zikao_desk.errors import PermissionDenied, UserError
from zikao_desk.models import CorrectionField, Decision, ExportBatch, IdentityStatus, Verdict
from zikao_desk.services import workflow as wf
from zikao_desk.services.corrections import correct_candidate
from zikao_desk.services.exchange.report_export import (
    SHEETS,
    export_new_batch,
    rows_digest,
    write_batch_again,
)


@pytest.fixture
def world(db):
    w = make_world(db)
    # a day of the county's work: one approval, one rejection, one identity review, one correction
    a1 = w.application(w.candidate())
    a2 = w.application(w.candidate())
    c3 = w.candidate(identity=IdentityStatus.PENDING_REVIEW)
    c4 = w.candidate()
    other = w.application(w.candidate(county="140106"))
    with db.write() as s:
        wf.decide_application(s, w.reviewer, a1, Verdict.PASS)
        wf.decide_application(s, w.reviewer, a2, Verdict.FAIL, reason_code="AP_OTHER", note="成绩单缺页")
        wf.review_identity(s, w.clerk, c3, Verdict.PASS)
        correct_candidate(s, w.clerk, c4, CorrectionField.NAME, "王小明", reason="录入错误")
        wf.decide_application(s, w.reviewer_b, other, Verdict.PASS)
    return w


def _sheets(path):
    wb = load_workbook(path, read_only=True)
    return {ws.title: [list(r) for r in ws.iter_rows(values_only=True)] for ws in wb.worksheets}


def test_export_workbook_follows_the_contract(world, tmp_path):
    with world.db.write() as s:
        result = export_new_batch(s, world.reviewer, "140105", tmp_path)
    assert re.fullmatch(r"上报_140105_\d{8}_01\.xlsx", result.path.name)
    sheets = _sheets(result.path)
    assert list(sheets) == ["审批结果", "信息修改", "人工审核", "材料核对", "汇总"]
    for name, columns in SHEETS.items():
        assert sheets[name][0] == columns
    approvals = sheets["审批结果"][1:]
    assert [r[11] for r in approvals] == ["通过", "不通过"]
    assert approvals[1][12] == "其他；成绩单缺页" and approvals[0][13] == "sh105"
    assert sheets["信息修改"][1][1:4] == ["姓名", "测试考生", "王小明"]
    assert sheets["人工审核"][1][2:4] == ["身份核验", "通过"]
    summary = dict(zip(sheets["汇总"][0], sheets["汇总"][1], strict=True))
    assert summary["区县代码"] == "140105" and summary["区县名称"] == "小店区"
    assert (
        summary["审批结果行数"],
        summary["信息修改行数"],
        summary["人工审核行数"],
        summary["材料核对行数"],
    ) == (2, 1, 1, 0)
    content = {name: [[str(c) if c is not None else "" for c in row] for row in rows[1:]]
               for name, rows in sheets.items() if name in SHEETS}  # fmt: skip
    assert summary["数据SHA256"] == rows_digest(content) == result.digest


def test_each_record_goes_out_exactly_once_and_only_the_countys_own(world, tmp_path):
    with world.db.write() as s:
        first = export_new_batch(s, world.reviewer, "140105", tmp_path)
    assert sum(first.row_counts.values()) == 4  # not the 140106 approval
    with world.db.write() as s, pytest.raises(UserError, match="没有尚未上报"):
        export_new_batch(s, world.reviewer, "140105", tmp_path)
    new_app = world.application(world.candidate())
    with world.db.write() as s:
        wf.decide_application(s, world.reviewer, new_app, Verdict.PASS)
    with world.db.write() as s:
        second = export_new_batch(s, world.reviewer, "140105", tmp_path)
    assert second.batch_no.endswith("_02") and second.row_counts["审批结果"] == 1
    with world.db.read() as s:
        assert (
            s.scalar(
                select(func.count()).where(
                    Decision.county_code == "140105", Decision.export_batch_id.is_(None)
                )
            )
            == 0
        )
        assert s.scalar(select(func.count()).select_from(ExportBatch)) == 2
    with world.db.write() as s, pytest.raises(PermissionDenied):
        export_new_batch(s, world.reviewer, "140106", tmp_path)  # not this reviewer's county
    with world.db.write() as s, pytest.raises(PermissionDenied):
        export_new_batch(s, world.clerk, "140105", tmp_path)  # clerks do not export


def test_an_earlier_batch_comes_out_the_same_even_after_later_corrections(world, tmp_path):
    with world.db.write() as s:
        first = export_new_batch(s, world.reviewer, "140105", tmp_path / "a")
    original = _sheets(first.path)
    # the rejected candidate's name is corrected after the report went out
    with world.db.write() as s:
        rejected = s.scalars(select(Decision).where(Decision.verdict == Verdict.FAIL)).first()
        correct_candidate(
            s, world.clerk, rejected.candidate_id, CorrectionField.NAME, "赵小刚", reason="录入错误"
        )
    with world.db.write() as s:
        again = write_batch_again(s, world.reviewer, first.batch_no, tmp_path / "b")
    assert again.digest == first.digest
    assert _sheets(again.path) == original


def test_a_tampered_batch_is_not_written_again(world, tmp_path):
    with world.db.write() as s:
        first = export_new_batch(s, world.reviewer, "140105", tmp_path)
    with world.db.write() as s:
        batch = s.scalar(select(ExportBatch))
        content = json.loads(batch.content)
        content["审批结果"][0][11] = "不通过"
        batch.content = json.dumps(content, ensure_ascii=False)
    with world.db.write() as s, pytest.raises(UserError, match="SHA-256 不符"):
        write_batch_again(s, world.reviewer, first.batch_no, tmp_path / "again")


@pytest.mark.skipif(shutil.which("libreoffice") is None, reason="LibreOffice is not installed")
def test_libreoffice_opens_the_report(world, tmp_path):
    with world.db.write() as s:
        result = export_new_batch(s, world.reviewer, "140105", tmp_path)
    out = tmp_path / "csv"
    done = subprocess.run(["libreoffice", "--headless", "--convert-to", "csv:Text - txt - csv (StarCalc):44,34,76",
                           "--outdir", str(out), str(result.path)], capture_output=True, text=True, timeout=180)  # fmt: skip
    assert done.returncode == 0, done.stderr
    text = next(out.glob("*.csv")).read_text(encoding="utf-8")
    assert "申请编号" in text and "审批结果" in text and "通过" in text
