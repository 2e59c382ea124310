"""Reading and writing the exchange workbooks: columns found by their Chinese header in the
first row (order free, extra columns ignored), a missing required column is an error that
names it, every problem located by sheet, row, column and value."""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from openpyxl import Workbook, load_workbook
from openpyxl.worksheet.worksheet import Worksheet

from zikao_desk.errors import ValidationError


@dataclass(frozen=True)
class Problem:
    sheet: str
    row: int  # the Excel row number (1 = the header)
    column: str
    value: str
    problem: str


@dataclass(frozen=True)
class Row:
    sheet: str
    number: int  # Excel row number
    values: dict[str, Any]  # header -> cell value (None when empty)

    def text(self, column: str) -> str:
        value = self.values.get(column)
        if value is None:
            return ""
        if isinstance(value, float) and value.is_integer():
            value = int(value)  # a number typed into a text column: 140105.0 -> "140105"
        return str(value).strip()


def read_workbook(data: bytes, *, label: str) -> Any:
    try:
        return load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a broken file
        raise ValidationError(f"{label}无法打开（不是有效的 .xlsx 工作簿）：{exc}") from None


def read_sheet(
    wb: Any,
    sheet: str,
    columns: Sequence[str],
    required: Iterable[str],
    problems: list[Problem],
    *,
    optional_sheet: bool,
) -> list[Row]:
    if sheet not in wb.sheetnames:
        if not optional_sheet:
            problems.append(Problem(sheet, 1, "", "", f"缺少工作表“{sheet}”"))
        return []
    ws = wb[sheet]
    rows = ws.iter_rows(values_only=True)
    header = next(rows, None)
    if header is None:
        problems.append(Problem(sheet, 1, "", "", "工作表为空，缺少表头"))
        return []
    positions: dict[str, int] = {}
    for i, cell in enumerate(header):
        name = str(cell).strip() if cell is not None else ""
        if name in columns and name not in positions:
            positions[name] = i
    missing = [c for c in required if c not in positions]
    for name in missing:
        problems.append(Problem(sheet, 1, name, "", f"缺少必填列“{name}”"))
    if missing:
        return []
    out = []
    for number, cells in enumerate(rows, start=2):
        values = {name: (cells[i] if i < len(cells) else None) for name, i in positions.items()}
        if all(v is None or (isinstance(v, str) and not v.strip()) for v in values.values()):
            continue
        out.append(Row(sheet, number, values))
    return out


def parse_datetime(value: Any) -> dt.datetime:
    """An Excel date cell, or text YYYY-MM-DD / YYYY-MM-DD HH:MM:SS."""
    if isinstance(value, dt.datetime):
        return value.replace(microsecond=0)
    if isinstance(value, dt.date):
        return dt.datetime.combine(value, dt.time())
    text = str(value or "").strip()
    for fmt in ("%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M", "%Y-%m-%d"):
        try:
            return dt.datetime.strptime(text, fmt)
        except ValueError:
            continue
    raise ValueError(f"日期时间格式应为 YYYY-MM-DD 或 YYYY-MM-DD HH:MM:SS，实际为“{text}”")


def parse_month(value: Any) -> str:
    """起始年月 / 终止年月 as YYYY-MM (a date cell, 2020-09, 2020.09 or 202009)."""
    if isinstance(value, dt.date | dt.datetime):
        return f"{value.year:04d}-{value.month:02d}"
    text = str(value or "").strip().replace(".", "-").replace("/", "-").replace("年", "-").rstrip("月")
    if len(text) == 6 and text.isdigit():
        text = f"{text[:4]}-{text[4:]}"
    try:
        parsed = dt.datetime.strptime(text[:7], "%Y-%m")
    except ValueError:
        raise ValueError(f"年月格式应为 YYYY-MM，实际为“{value}”") from None
    return f"{parsed.year:04d}-{parsed.month:02d}"


def write_problems(path: Path, problems: Sequence[Problem]) -> Path:
    """The error workbook: one line per problem (工作表, 行号, 列, 值, 问题)."""
    wb = Workbook(write_only=True)
    ws: Worksheet = wb.create_sheet("错误")
    ws.append(["工作表", "行号", "列", "值", "问题"])
    for p in problems:
        ws.append([p.sheet, p.row, p.column, p.value, p.problem])
    tmp = path.with_name(path.name + ".tmp")
    wb.save(tmp)
    tmp.replace(path)  # never a half-written error workbook
    return path
