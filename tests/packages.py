"""Hand-made province packages: one valid candidate with one application, and a way to break
exactly one thing in it."""

from __future__ import annotations

import copy
import datetime as dt
import io
import zipfile
from pathlib import Path
from typing import Any

from openpyxl import Workbook

from tests import photos
from zikao_desk.models import Gender
from zikao_desk.services.demo import make_id_number
from zikao_desk.services.demo_images import old_plan_archives
from zikao_desk.services.exchange.province_import import (
    APPLICATION_COLUMNS,
    CANDIDATE_COLUMNS,
    OLD_PLAN_COLUMNS,
    RESUME_COLUMNS,
    SUBSTITUTE_COLUMNS,
)

ID_MALE = make_id_number("140105", dt.date(1990, 3, 1), 12, Gender.MALE)
ID_FEMALE = make_id_number("140105", dt.date(1992, 7, 9), 14, Gender.FEMALE)


def base() -> dict[str, Any]:
    """Sheets as {sheet: [row dicts]} and files as {path: bytes}."""
    return {
        "sheets": {
            "考生": [
                {"准考证号": "010525200001", "身份证号": ID_MALE, "姓名": "张伟", "性别": "男", "民族": "汉族",
                 "区县代码": "140105", "身份认证": "通过", "准考证照片": "photos/t1.jpg"},
                {"准考证号": "010525200002", "身份证号": ID_FEMALE, "姓名": "李娜", "性别": "女",
                 "区县代码": "140105", "身份认证": "未通过"},
            ],
            "毕业申请": [
                {"申请编号": "A0001", "准考证号": "010525200001", "批次": "2026-2", "申请次数": 1,
                 "申请区县代码": "140105", "专业代码": "120203K", "专业名称": "会计学", "层次": "本科",
                 "主考院校1": "10125", "主考院校2": "10108", "前置学历证书号": "1" * 18, "顶替英语二": "是",
                 "提交时间": "2026-11-03 10:00:00", "系统审核": "通过", "毕业照片": "photos/g1.jpg",
                 "照片认证": "通过", "支付状态": "已支付", "支付时间": "2026-11-10 09:00:00", "订单号": "ZF1",
                 "旧计划扫描件": "archives/s1.zip"},
                {"申请编号": "A0002", "准考证号": "010525200002", "批次": "2026-2", "申请次数": 1,
                 "申请区县代码": "140105", "专业代码": "530302", "专业名称": "大数据与会计", "层次": "专科",
                 "主考院校1": "10125", "提交时间": dt.datetime(2026, 11, 4, 9, 30), "系统审核": "待人工",
                 "照片认证": "未上传", "支付状态": "未支付"},
            ],
            "顶替课程": [
                {"申请编号": "A0001", "课程代码": "00146", "课程名称": "中国税制", "学分": 5},
                {"申请编号": "A0001", "课程代码": "00150", "课程名称": "金融理论与实务", "学分": 6},
                {"申请编号": "A0001", "课程代码": "00160", "课程名称": "审计学", "学分": 4},
            ],
            "旧计划课程": [
                {"申请编号": "A0001", "课程代码": "00040", "课程名称": "法学概论", "学分": 5, "成绩": "72",
                 "考核卡编号": "KH0001"},
            ],
            "个人简历": [
                {"申请编号": "A0001", "起始年月": "2008-09", "终止年月": "2011-07", "单位或学校": "太原市第五中学",
                 "职务或身份": "学生", "证明人": "王老师"},
            ],
            "登记表": [{"申请编号": "A0001", "政治面貌": "群众", "工作单位": "太原钢铁（集团）有限公司"}],
        },
        "files": {
            "photos/t1.jpg": photos.jpeg(photos.portrait().resize((150, 200))),
            "photos/g1.jpg": photos.compliant(),
            "archives/s1.zip": old_plan_archives(1)[0].data,
        },
    }  # fmt: skip


COLUMNS = {"考生": CANDIDATE_COLUMNS, "毕业申请": APPLICATION_COLUMNS, "顶替课程": SUBSTITUTE_COLUMNS,
           "旧计划课程": OLD_PLAN_COLUMNS, "个人简历": RESUME_COLUMNS,
           "登记表": ["申请编号", "政治面貌", "工作单位", "家庭地址", "自我鉴定"]}  # fmt: skip


def workbook_bytes(
    sheets: dict[str, list[dict[str, Any]]], drop_columns: dict[str, str] | None = None
) -> bytes:
    wb = Workbook()
    wb.remove(wb.active)
    for name, rows in sheets.items():
        ws = wb.create_sheet(name)
        columns = [c for c in COLUMNS[name] if c != (drop_columns or {}).get(name)]
        columns = list(reversed(columns))  # column order is free
        ws.append([*columns, "备注"])  # extra columns are ignored
        for row in rows:
            ws.append([row.get(c) for c in columns] + ["x"])
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def write_zip(
    path: Path,
    pkg: dict[str, Any],
    *,
    drop_columns: dict[str, str] | None = None,
    extra: dict[str, bytes] | None = None,
) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("申请数据.xlsx", workbook_bytes(pkg["sheets"], drop_columns))
        for name, data in {**pkg["files"], **(extra or {})}.items():
            zf.writestr(name, data)
    return path


def variant(**changes: Any) -> dict[str, Any]:
    """base() with cells changed: sheet__row__column=value (row is 0-based)."""
    pkg = copy.deepcopy(base())
    for key, value in changes.items():
        sheet, row, column = key.split("__")
        pkg["sheets"][sheet][int(row)][column] = value
    return pkg


def gbk_zip(entries: dict[str, bytes]) -> bytes:
    """A ZIP as Chinese Windows' built-in compressor writes it: names in GBK, no UTF-8 flag.
    (Python's zipfile always flags non-ASCII names, so ASCII stand-ins of the same byte
    length are written first and swapped for the GBK bytes.)"""
    swaps = {}
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for i, (name, data) in enumerate(entries.items()):
            gbk = name.encode("gbk")
            stand_in = f"~{i:04d}~".ljust(len(gbk), "z") if not name.isascii() else name
            assert len(stand_in) == len(gbk)
            swaps[stand_in.encode()] = gbk
            zf.writestr(zipfile.ZipInfo(stand_in, date_time=(2026, 11, 1, 9, 0, 0)), data)
    raw = buf.getvalue()
    for stand_in, gbk in swaps.items():
        raw = raw.replace(stand_in, gbk)
    return raw
