"""Number formats of the domain: 身份证号, 准考证号, codes. Pure functions, no database.

Every check raises ``ValidationError`` with a sentence that names the item and what is
wrong, so the UI, the CLI and the import's error workbook can show it as it is.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from zikao_desk.errors import ValidationError
from zikao_desk.models.enums import Gender, Level, label_zh

ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
ID_CHECK_CHARS = "10X98765432"

# GB/T 2260 province-level prefixes (the first two digits of any region code).
PROVINCE_PREFIXES = frozenset(
    "11 12 13 14 15 21 22 23 31 32 33 34 35 36 37 41 42 43 44 45 46 "
    "50 51 52 53 54 61 62 63 64 65 71 81 82".split()
)

_ID_RE = re.compile(r"^\d{17}[\dX]$")
_TICKET_RE = re.compile(r"^\d{12}$")
_COUNTY_RE = re.compile(r"^\d{6}$")
_UNIVERSITY_RE = re.compile(r"^\d{5}$")
_COURSE_RE = re.compile(r"^\d{5}$")
_MAJOR_RE = re.compile(r"^(\d{6}[KT]?|[ABC]\d{6})$")
_APPLICATION_NO_RE = re.compile(r"^[A-Za-z0-9]{1,32}$")
_PRIOR_DIPLOMA_RE = re.compile(r"^(\d{17}|\d{18})$")
_BATCH_RE = re.compile(r"^\d{4}-\d{1,2}$")


def id_check_char(first17: str) -> str:
    """The GB 11643-1999 check character for the first 17 digits."""
    total = sum(int(d) * w for d, w in zip(first17, ID_WEIGHTS, strict=True))
    return ID_CHECK_CHARS[total % 11]


@dataclass(frozen=True)
class IdNumberInfo:
    number: str  # normalized: upper-case X
    region_code: str
    birth_date: dt.date
    gender: Gender
    warnings: tuple[str, ...] = field(default=())


def parse_id_number(
    raw: str,
    *,
    today: dt.date | None = None,
    known_regions: frozenset[str] | None = None,
) -> IdNumberInfo:
    """Validate a 身份证号 and derive birth date and gender from it.

    An unknown (but well-formed) region code is a warning, not an error: abolished codes
    are still printed on old cards.
    """
    number = (raw or "").strip().upper()
    if len(number) != 18:
        raise ValidationError(f"身份证号 {raw!r} 应为 18 位，实际 {len(number)} 位", field="id_number")
    if not _ID_RE.match(number):
        raise ValidationError(
            f"身份证号 {raw} 含有非法字符：前 17 位应为数字，末位为数字或 X", field="id_number"
        )
    region = number[:6]
    if region[:2] not in PROVINCE_PREFIXES:
        raise ValidationError(
            f"身份证号 {number} 的地区代码 {region} 无效（省级代码 {region[:2]} 不存在）",
            field="id_number",
        )
    try:
        birth = dt.date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    except ValueError:
        raise ValidationError(
            f"身份证号 {number} 的出生日期 {number[6:14]} 不是真实日期", field="id_number"
        ) from None
    today = today or dt.date.today()
    if birth > today:
        raise ValidationError(f"身份证号 {number} 的出生日期 {birth:%Y-%m-%d} 晚于今天", field="id_number")
    if birth.year < 1900:
        raise ValidationError(
            f"身份证号 {number} 的出生日期 {birth:%Y-%m-%d} 早于 1900 年", field="id_number"
        )
    expected = id_check_char(number[:17])
    if number[17] != expected:
        raise ValidationError(
            f"身份证号 {number} 校验位错误：末位应为 {expected}，实际为 {number[17]}",
            field="id_number",
        )
    gender = Gender.MALE if int(number[16]) % 2 == 1 else Gender.FEMALE
    warnings: list[str] = []
    if known_regions is not None and region not in known_regions:
        warnings.append(f"地区代码 {region} 不在区划代码表中（可能是已撤销的旧代码），请核对")
    return IdNumberInfo(number, region, birth, gender, tuple(warnings))


def check_id_matches_gender(info: IdNumberInfo, gender: Gender) -> None:
    if info.gender != gender:
        raise ValidationError(
            f"性别“{label_zh(gender)}”与身份证号 {info.number} 不符："
            f"第 17 位 {info.number[16]} 表示{label_zh(info.gender)}",
            field="gender",
        )


def parse_gender(raw: str) -> Gender:
    value = (raw or "").strip()
    if value == "男":
        return Gender.MALE
    if value == "女":
        return Gender.FEMALE
    raise ValidationError(f"性别 {raw!r} 无效，应为“男”或“女”", field="gender")


def validate_ticket_no(raw: str, county_code: str | None = None) -> str:
    """准考证号: 12 digits = city (2) + county (2) + year and sitting (3) + sequence (5).

    With ``county_code`` (GB/T 2260, 6 digits), the city and county part must be its
    last four digits.
    """
    ticket = (raw or "").strip()
    if not _TICKET_RE.match(ticket):
        raise ValidationError(f"准考证号 {raw!r} 应为 12 位数字", field="ticket_no")
    if county_code is not None and not ticket_fits_county(ticket, county_code):
        raise ValidationError(
            f"准考证号 {ticket} 的市县代码 {ticket[:4]} 与区县 {county_code} 不符"
            f"（应以 {county_code[2:6]} 开头）",
            field="ticket_no",
        )
    return ticket


def ticket_fits_county(ticket: str, county_code: str) -> bool:
    return len(county_code) == 6 and ticket[:4] == county_code[2:6]


def validate_county_code(raw: str) -> str:
    code = (raw or "").strip()
    if not _COUNTY_RE.match(code):
        raise ValidationError(f"区县代码 {raw!r} 应为 6 位数字", field="county_code")
    return code


def validate_university_code(raw: str) -> str:
    code = (raw or "").strip()
    if not _UNIVERSITY_RE.match(code):
        raise ValidationError(f"主考院校代码 {raw!r} 应为 5 位数字", field="university")
    return code


def validate_universities(first: str, second: str | None) -> tuple[str, str | None]:
    """An application names 1 or 2 distinct 主考院校."""
    u1 = validate_university_code(first)
    u2 = validate_university_code(second) if second else None
    if u2 is not None and u2 == u1:
        raise ValidationError(
            f"主考院校1 与 主考院校2 相同（{u1}），最多选择两所不同的主考院校",
            field="university",
        )
    return u1, u2


def validate_major_code(raw: str) -> str:
    code = (raw or "").strip().upper()
    if not _MAJOR_RE.match(code):
        raise ValidationError(
            f"专业代码 {raw!r} 无效：应为 6 位数字（可带 K 或 T），或 A/B/C 加 6 位数字",
            field="major",
        )
    return code


def validate_course_code(raw: str) -> str:
    code = (raw or "").strip()
    if not _COURSE_RE.match(code):
        raise ValidationError(f"课程代码 {raw!r} 应为 5 位数字", field="course")
    return code


def validate_application_no(raw: str) -> str:
    no = (raw or "").strip()
    if not _APPLICATION_NO_RE.match(no):
        raise ValidationError(f"申请编号 {raw!r} 应为 1 到 32 位字母或数字", field="application_no")
    return no


def validate_batch_code(raw: str) -> str:
    code = (raw or "").strip()
    if not _BATCH_RE.match(code):
        raise ValidationError(f"批次 {raw!r} 格式应为 年份-序号，如 2026-2", field="batch")
    return code


def validate_prior_diploma(level: Level, raw: str | None) -> str | None:
    """本科 needs the 前置学历证书号: 18 digits (17 for diplomas issued before 2002)."""
    value = (raw or "").strip()
    if not value:
        if level == Level.BACHELOR:
            raise ValidationError("申请本科毕业须填写前置学历证书号", field="prior_diploma_no")
        return None
    if not _PRIOR_DIPLOMA_RE.match(value):
        raise ValidationError(
            f"前置学历证书号 {value} 应为 18 位数字（2002 年以前颁发的为 17 位）",
            field="prior_diploma_no",
        )
    return value


ENGLISH_II_CODE = "00015"
ENGLISH_II_CREDITS = 14


def check_substitute_credits(credits: list[int]) -> int:
    """顶替英语（二）: the substitute courses' credits add up to at least 14."""
    total = sum(credits)
    if total < ENGLISH_II_CREDITS:
        raise ValidationError(
            f"顶替英语（二）的课程总学分为 {total}，不能小于 {ENGLISH_II_CREDITS} 分",
            field="substitute_courses",
        )
    return total
