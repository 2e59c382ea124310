"""The county's daily report to the province (县区上报), per ``shared/province-exchange.md``.

Every decision, correction and check goes into exactly one batch: a new batch takes what no
earlier batch took and marks it as taken, in the same transaction. The rows of a batch are
kept with it, so writing an earlier batch again gives the same rows and the same SHA-256.
Workbooks are written in openpyxl's write-only mode (province scale needs it).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.utils import get_column_letter
from sqlalchemy import func, select, update
from sqlalchemy.orm import Session, aliased

from zikao_desk.errors import NotFound, UserError
from zikao_desk.models import (
    Application,
    Candidate,
    Correction,
    County,
    Decision,
    DecisionKind,
    ExportBatch,
    Gender,
    Level,
    Major,
    ReasonCode,
    Role,
    User,
    label_zh,
    now,
)
from zikao_desk.services import audit
from zikao_desk.services.auth import ActingUser, require_county, require_role

SHEETS: dict[str, list[str]] = {
    "审批结果": ["序号", "申请编号", "准考证号", "身份证号", "姓名", "性别", "专业代码", "专业名称", "层次", "主考院校",
             "申请次数", "审批结果", "不通过原因", "审批人", "审批时间"],
    "信息修改": ["准考证号", "修改项目", "原值", "新值", "修改原因", "经办人", "修改时间"],
    "人工审核": ["准考证号", "姓名", "审核类型", "结果", "原因", "审核人", "审核时间"],
    "材料核对": ["申请编号", "准考证号", "姓名", "登记表份数", "旧计划课程", "结果", "经办人", "时间"],
}  # fmt: skip
SUMMARY_COLUMNS = ["区县代码", "区县名称", "批次号", "生成时间", "生成人", "审批结果行数", "信息修改行数",
                   "人工审核行数", "材料核对行数", "数据SHA256"]  # fmt: skip
TIME_FORMAT = "%Y-%m-%d %H:%M:%S"


@dataclass(frozen=True)
class ExportResult:
    batch_no: str
    path: Path
    row_counts: dict[str, int]
    digest: str


def rows_digest(content: dict[str, list[list[str]]]) -> str:
    """SHA-256 over the data rows of the four data sheets, in sheet and row order."""
    h = hashlib.sha256()
    for sheet in SHEETS:
        for row in content.get(sheet, []):
            h.update(json.dumps([sheet, *row], ensure_ascii=False, separators=(",", ":")).encode("utf-8"))
            h.update(b"\n")
    return h.hexdigest()


def _time(value: dt.datetime) -> str:
    return value.strftime(TIME_FORMAT)


def _reason(label: str | None, note: str | None) -> str:
    return "；".join(part for part in (label, note) if part)


def _collect(session: Session, county: str, batch_id: int) -> dict[str, list[list[str]]]:
    """The rows of a batch, built from the records that point at it."""
    decider = aliased(User)
    base = (
        select(Decision, Candidate, Application, Major, ReasonCode.label, decider.display_name)
        .join(Candidate, Decision.candidate_id == Candidate.id)
        .outerjoin(Application, Decision.application_id == Application.id)
        .outerjoin(Major, Application.major_id == Major.id)
        .outerjoin(ReasonCode, Decision.reason_code == ReasonCode.code)
        .join(decider, Decision.decided_by_id == decider.id)
        .where(Decision.export_batch_id == batch_id)
        .order_by(Decision.decided_at, Decision.id)
    )
    content: dict[str, list[list[str]]] = {sheet: [] for sheet in SHEETS}
    for d, c, a, m, reason, who in session.execute(base):
        gender = "男" if c.gender == Gender.MALE else "女"
        if d.kind == DecisionKind.APPROVAL:
            universities = "、".join(u for u in (a.university1_code, a.university2_code) if u)
            content["审批结果"].append([
                str(len(content["审批结果"]) + 1), a.application_no, c.ticket_no, c.id_number, c.name, gender,
                m.code, m.name, "本科" if a.level == Level.BACHELOR else "专科", universities, str(a.attempt),
                label_zh(d.verdict), "" if d.verdict.value == "pass" else _reason(reason, d.note), who, _time(d.decided_at),
            ])  # fmt: skip
        elif d.kind in (DecisionKind.IDENTITY, DecisionKind.PHOTO):
            content["人工审核"].append([c.ticket_no, c.name, label_zh(d.kind), label_zh(d.verdict),
                                    _reason(reason, d.note), who, _time(d.decided_at)])  # fmt: skip
        else:
            content["材料核对"].append([
                a.application_no, c.ticket_no, c.name, str(d.forms_count or 0),
                label_zh(d.old_plan_summary) if d.old_plan_summary else "无",
                "完成" if d.verdict.value == "pass" else "申请无效", who, _time(d.decided_at),
            ])  # fmt: skip
    clerk = aliased(User)
    for k, ticket, who in session.execute(
        select(Correction, Candidate.ticket_no, clerk.display_name)
        .join(Candidate, Correction.candidate_id == Candidate.id)
        .join(clerk, Correction.corrected_by_id == clerk.id)
        .where(Correction.export_batch_id == batch_id)
        .order_by(Correction.corrected_at, Correction.id)
    ):
        content["信息修改"].append([ticket, label_zh(k.field), k.old_value or "", k.new_value, k.reason, who,
                                _time(k.corrected_at)])  # fmt: skip
    return content


WIDE_COLUMNS = {"申请编号": 22, "身份证号": 22, "准考证号": 15, "专业名称": 18, "主考院校": 14, "不通过原因": 30,
                "审批时间": 20, "修改时间": 20, "审核时间": 20, "时间": 20, "原值": 24, "新值": 24, "修改原因": 30,
                "原因": 26, "生成时间": 20, "数据SHA256": 68, "批次号": 28, "区县名称": 12}  # fmt: skip


def _layout(ws: Any, columns: list[str]) -> None:
    """Readable at once in Excel, WPS or LibreOffice: wide enough columns, a frozen header."""
    for i, name in enumerate(columns, 1):
        ws.column_dimensions[get_column_letter(i)].width = WIDE_COLUMNS.get(name, max(8, 2 * len(name) + 2))
    ws.freeze_panes = "A2"


def _write(
    path: Path, batch: ExportBatch, county_name: str, creator: str, content: dict[str, list[list[str]]]
) -> None:
    wb = Workbook(write_only=True)
    for sheet, columns in SHEETS.items():
        ws = wb.create_sheet(sheet)
        _layout(ws, columns)
        ws.append(columns)
        for row in content[sheet]:
            ws.append(row)
    ws = wb.create_sheet("汇总")
    _layout(ws, SUMMARY_COLUMNS)
    ws.append(SUMMARY_COLUMNS)
    ws.append([batch.county_code, county_name, batch.batch_no, _time(batch.created_at), creator,
               *(len(content[s]) for s in SHEETS), batch.digest])  # fmt: skip
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp")
    wb.save(tmp)
    tmp.replace(path)  # never a half-written report


def export_new_batch(session: Session, actor: ActingUser, county_code: str, out_dir: Path) -> ExportResult:
    """Take every decision, correction and check of the county that no batch took yet."""
    require_role(actor, Role.REVIEWER)
    require_county(actor, county_code)
    pending_decisions = select(Decision.id).where(
        Decision.county_code == county_code, Decision.export_batch_id.is_(None)
    )
    pending_corrections = select(Correction.id).where(
        Correction.county_code == county_code, Correction.export_batch_id.is_(None)
    )
    n_decisions = session.scalar(select(func.count()).select_from(pending_decisions.subquery())) or 0
    n_corrections = session.scalar(select(func.count()).select_from(pending_corrections.subquery())) or 0
    if n_decisions + n_corrections == 0:
        raise UserError(f"区县 {county_code} 没有尚未上报的审核结果、信息修改或材料核对，未生成上报文件")
    moment = now()
    seq = (
        session.scalar(
            select(func.max(ExportBatch.seq)).where(
                ExportBatch.county_code == county_code, ExportBatch.export_date == moment.date()
            )
        )
        or 0
    ) + 1
    if seq > 99:
        raise UserError("今天的上报批次已达 99 个，请明天再导出")
    batch = ExportBatch(
        batch_no=f"上报_{county_code}_{moment:%Y%m%d}_{seq:02d}", county_code=county_code, export_date=moment.date(),
        seq=seq, created_by_id=actor.id, created_at=moment, digest="", row_counts="{}",
    )  # fmt: skip
    session.add(batch)
    session.flush()
    taken = 0
    for model in (Decision, Correction):
        result = session.execute(
            update(model)
            .where(model.county_code == county_code, model.export_batch_id.is_(None))
            .values(export_batch_id=batch.id)
        )
        taken += int(getattr(result, "rowcount", 0))
    content = _collect(session, county_code, batch.id)
    counts = {sheet: len(rows) for sheet, rows in content.items()}
    if sum(counts.values()) != taken:
        raise UserError("导出时数据被其他用户同时修改，请重试")
    batch.digest = rows_digest(content)
    batch.row_counts = json.dumps(counts, ensure_ascii=False)
    batch.content = json.dumps(content, ensure_ascii=False)
    county_name = session.scalar(select(County.name).where(County.code == county_code)) or ""
    path = out_dir / f"{batch.batch_no}.xlsx"
    _write(path, batch, county_name, actor.display_name, content)
    audit.record(session, actor, "export", entity_type="export_batch", entity_id=batch.id,
                 after={"batch_no": batch.batch_no, "rows": counts, "sha256": batch.digest})  # fmt: skip
    return ExportResult(batch.batch_no, path, counts, batch.digest)


def write_batch_again(session: Session, actor: ActingUser, batch_no: str, out_dir: Path) -> ExportResult:
    """Write an earlier batch again: the same rows, the same digest."""
    require_role(actor, Role.REVIEWER)
    batch = session.scalar(select(ExportBatch).where(ExportBatch.batch_no == batch_no))
    if batch is None:
        raise NotFound(f"上报批次 {batch_no} 不存在")
    require_county(actor, batch.county_code)
    content: dict[str, Any] = json.loads(batch.content)
    if rows_digest(content) != batch.digest:
        raise UserError(f"上报批次 {batch_no} 保存的数据与其 SHA-256 不符，数据库可能被改动，请联系管理员")
    creator = session.scalar(select(User.display_name).where(User.id == batch.created_by_id)) or ""
    county_name = session.scalar(select(County.name).where(County.code == batch.county_code)) or ""
    path = out_dir / f"{batch.batch_no}.xlsx"
    _write(path, batch, county_name, creator, content)
    audit.record(session, actor, "export.rewrite", entity_type="export_batch", entity_id=batch.id,
                 after={"batch_no": batch.batch_no})  # fmt: skip
    return ExportResult(batch.batch_no, path, json.loads(batch.row_counts), batch.digest)
