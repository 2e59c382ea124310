"""The 毕业生登记表 as a PDF (reportlab): A4, Chinese, with an embedded CJK TrueType font.

The font is the one set in the settings, else a system font (Windows SimSun / Microsoft
YaHei, Linux WenQuanYi Micro Hei). reportlab cannot embed CFF/OpenType CJK fonts (Noto CJK
.otf), and its built-in STSong-Light is not embedded — Chinese shows blank on a computer
without CJK fonts — so it is only a fallback, with a warning the caller must show.
"""

from __future__ import annotations

import io
import os
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import (
    Image,
    KeepTogether,
    PageBreak,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    Table,
    TableStyle,
)
from sqlalchemy import select
from sqlalchemy.orm import Session

from zikao_desk.errors import NotFound, UserError
from zikao_desk.models import (
    Application,
    ApplicationPeriod,
    Candidate,
    Gender,
    Level,
    Major,
    ResumeEntry,
    Role,
    University,
)
from zikao_desk.services import audit
from zikao_desk.services.auth import ActingUser, require_county, require_role
from zikao_desk.services.blobs import load_blob

FONT_NAME = "ZikaoCJK"
FALLBACK_FONT = "STSong-Light"
SYSTEM_FONTS = [
    r"C:\Windows\Fonts\simsun.ttc",
    r"C:\Windows\Fonts\msyh.ttc",
    r"C:\Windows\Fonts\simhei.ttf",
    "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
    "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc",
    "/usr/share/fonts/wqy-microhei/wqy-microhei.ttc",
    "/usr/share/fonts/truetype/arphic/uming.ttc",
]
FALLBACK_WARNING = (
    "未找到可嵌入的中文 TrueType 字体，已改用 PDF 阅读器自带的宋体（STSong-Light，未嵌入）："
    "在没有中文字体的电脑上汉字会显示为空白。请安装文泉驿微米黑或在设置中指定字体文件。"
)


@dataclass
class FormPdf:
    data: bytes
    font: str  # the font file used, or STSong-Light
    warnings: list[str] = field(default_factory=list)


@cache
def register_font(configured: str | None = None) -> tuple[str, str]:
    """(font name for styles, what was used). Tries the configured file, then system fonts."""
    candidates = [configured] if configured else []
    candidates += [os.environ.get("ZIKAO_CJK_FONT") or "", *SYSTEM_FONTS]
    for path in candidates:
        if path and Path(path).is_file():
            try:
                pdfmetrics.registerFont(TTFont(FONT_NAME, path, subfontIndex=0))
            except Exception:  # CFF-based or broken font: try the next one
                continue
            return FONT_NAME, path
    pdfmetrics.registerFont(UnicodeCIDFont(FALLBACK_FONT))
    return FALLBACK_FONT, FALLBACK_FONT


def _styles(font: str) -> dict[str, ParagraphStyle]:
    return {
        "title": ParagraphStyle(
            "title", fontName=font, fontSize=18, leading=24, alignment=TA_CENTER, spaceAfter=4
        ),
        "sub": ParagraphStyle(
            "sub", fontName=font, fontSize=10, leading=14, alignment=TA_CENTER, spaceAfter=8
        ),
        "cell": ParagraphStyle("cell", fontName=font, fontSize=10, leading=14),
        "label": ParagraphStyle("label", fontName=font, fontSize=10, leading=14, alignment=TA_CENTER),
        "body": ParagraphStyle("body", fontName=font, fontSize=11, leading=19, firstLineIndent=22),
        "head": ParagraphStyle("head", fontName=font, fontSize=12, leading=18, spaceBefore=10, spaceAfter=4),
    }


def _p(text: str | None, style: ParagraphStyle) -> Paragraph:
    return Paragraph(escape(text or "").replace("\n", "<br/>"), style)


def _grid() -> TableStyle:
    return TableStyle([
        ("GRID", (0, 0), (-1, -1), 0.6, colors.black),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("TOPPADDING", (0, 0), (-1, -1), 2.5),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 2.5),
    ])  # fmt: skip


def _form_story(session: Session, app: Application, st: dict[str, ParagraphStyle]) -> list[object]:
    c = session.get_one(Candidate, app.candidate_id)
    major = session.get_one(Major, app.major_id)
    universities = [
        session.get(University, code) for code in (app.university1_code, app.university2_code) if code
    ]
    uni_text = "、".join(f"{u.name}（{u.code}）" for u in universities if u)
    photo: object = _p("照片", st["label"])
    if app.photo_sha and app.photo_status.approved:
        photo = Image(io.BytesIO(load_blob(session, app.photo_sha)), width=30 * mm, height=40 * mm)
    L, V = st["label"], st["cell"]  # noqa: N806 - short names keep the table readable
    rows = [
        [_p("姓名", L), _p(c.name, V), _p("性别", L), _p("男" if c.gender == Gender.MALE else "女", V), photo],
        [_p("出生日期", L), _p(f"{c.birth_date:%Y年%m月%d日}", V), _p("民族", L), _p(c.ethnicity, V), ""],
        [_p("政治面貌", L), _p(app.political_status, V), _p("准考证号", L), _p(c.ticket_no, V), ""],
        [_p("身份证号", L), _p(c.id_number, V), "", "", ""],
        [_p("专业及层次", L), _p(f"{major.name}（{major.code}）  {'本科' if app.level == Level.BACHELOR else '专科'}", V), "", "", ""],
        [_p("主考院校", L), _p(uni_text, V), "", "", ""],
        [_p("工作单位", L), _p(app.work_unit, V), "", "", ""],
        [_p("家庭地址", L), _p(app.home_address or c.address, V), "", "", ""],
    ]  # fmt: skip
    basic = Table(rows, colWidths=[26 * mm, 58 * mm, 22 * mm, 38 * mm, 34 * mm])
    style = _grid()
    style.add("SPAN", (4, 0), (4, 2))
    for row_no in range(3, 8):
        style.add("SPAN", (1, row_no), (4, row_no))
    style.add("ALIGN", (4, 0), (4, 2), "CENTER")
    basic.setStyle(style)

    resume_rows: list[list[object]] = [[_p(h, L) for h in ("起止年月", "单位或学校", "职务或身份", "证明人")]]
    for r in session.scalars(
        select(ResumeEntry).where(ResumeEntry.application_id == app.id).order_by(ResumeEntry.seq)
    ):
        resume_rows.append([_p(f"{r.start_month} 至 {r.end_month or '今'}", V), _p(r.organization, V),
                            _p(r.position, V), _p(r.witness, V)])  # fmt: skip
    while len(resume_rows) < 4:
        resume_rows.append(["", "", "", ""])
    resume = Table(resume_rows, colWidths=[40 * mm, 74 * mm, 32 * mm, 32 * mm], repeatRows=1)
    resume.setStyle(_grid())

    assessment = [_p(part, st["body"]) for part in (app.self_assessment or "").split("\n") if part.strip()]
    if not assessment:
        assessment = [Spacer(1, 60 * mm)]
    signature = Table(
        [
            [_p("本人签名：", V), _p("日期：________年_____月_____日", V)],
            [_p("工作单位意见（盖章）：", V), ""],
            [_p("负责人签名：", V), _p("日期：________年_____月_____日", V)],
            [_p("县（市、区）自考办审核意见（盖章）：", V), ""],
            [_p("经办人签名：", V), _p("日期：________年_____月_____日", V)],
        ],
        colWidths=[100 * mm, 78 * mm],
        rowHeights=[8 * mm, 15 * mm, 8 * mm, 15 * mm, 8 * mm],
    )
    signature.setStyle(TableStyle([("BOX", (0, 0), (-1, -1), 0.6, colors.black),
                                   ("LINEABOVE", (0, 1), (-1, 1), 0.6, colors.black),
                                   ("LINEABOVE", (0, 3), (-1, 3), 0.6, colors.black),
                                   ("VALIGN", (0, 0), (-1, -1), "TOP")]))  # fmt: skip
    return [
        _p("高等教育自学考试毕业生登记表", st["title"]),
        _p(
            f"申请编号：{app.application_no}　　批次：{session.get_one(ApplicationPeriod, app.period_id).batch_code}",
            st["sub"],
        ),
        _p("一、基本信息", st["head"]),
        basic,
        _p("二、个人简历", st["head"]),
        resume,
        _p("三、自我鉴定", st["head"]),
        *assessment,
        Spacer(1, 2 * mm),
        KeepTogether([_p("四、签名与意见", st["head"]), signature]),
    ]


def build_forms(session: Session, actor: ActingUser, application_nos: Sequence[str], *,
                font_path: str | None = None) -> FormPdf:  # fmt: skip
    """One PDF with the form of every application given (each starting on a new page)."""
    require_role(actor, Role.CLERK, Role.REVIEWER)
    if not application_nos:
        raise UserError("没有要打印的申请")
    font, used = register_font(font_path)
    st = _styles(font)
    story: list[object] = []
    for i, number in enumerate(application_nos):
        app = session.scalar(select(Application).where(Application.application_no == number))
        if app is None:
            raise NotFound(f"申请编号 {number} 不存在")
        require_county(actor, app.county_code)
        if i:
            story.append(PageBreak())
        story.extend(_form_story(session, app, st))
    buf = io.BytesIO()
    doc = SimpleDocTemplate(buf, pagesize=A4, leftMargin=16 * mm, rightMargin=16 * mm, topMargin=12 * mm,
                            bottomMargin=12 * mm, title="毕业生登记表", author="zikao_desk")  # fmt: skip
    doc.build(story)
    audit.record(session, actor, "form.print", detail=f"{len(application_nos)} forms",
                 after={"applications": list(application_nos)[:200]})  # fmt: skip
    warnings = [FALLBACK_WARNING] if used == FALLBACK_FONT else []
    return FormPdf(buf.getvalue(), used, warnings)
