"""The number rules of domain.md and province-exchange.md, each with a test that fails
if the rule is dropped."""

from __future__ import annotations

import datetime as dt

import pytest

from zikao_desk.errors import ValidationError
from zikao_desk.models import Gender, Level
from zikao_desk.services.demo import make_id_number
from zikao_desk.services.reference_data import KNOWN_REGION_CODES
from zikao_desk.services.validation import (
    check_id_matches_gender,
    check_substitute_credits,
    id_check_char,
    parse_id_number,
    validate_application_no,
    validate_major_code,
    validate_prior_diploma,
    validate_ticket_no,
    validate_universities,
)

TODAY = dt.date(2026, 12, 4)


def test_check_character_follows_gb11643_weights():
    # 1*7+1*9+0*10+1*5+0*8+5*4+1*2+9*1+4*6+9*3+1*7+2*9+3*10+1*5+0*8+0*4+2*2 = 167; 167 % 11 = 2 -> 'X'
    assert id_check_char("11010519491231002") == "X"
    assert (
        id_check_char("14010519900101001")
        == "10X98765432"[
            sum(
                int(d) * w
                for d, w in zip(
                    "14010519900101001", (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2), strict=True
                )
            )
            % 11
        ]
    )


def test_valid_number_gives_birth_date_and_gender():
    info = parse_id_number("11010519491231002x", today=TODAY)
    assert info.number == "11010519491231002X"  # lower-case x stored upper-case
    assert info.birth_date == dt.date(1949, 12, 31)
    assert info.gender == Gender.FEMALE  # 17th digit 2 is even
    male = make_id_number("140105", dt.date(1990, 3, 1), 123, Gender.MALE)
    assert parse_id_number(male, today=TODAY).gender == Gender.MALE


@pytest.mark.parametrize(
    ("number", "fragment"),
    [
        ("1401051990010100", "应为 18 位"),
        ("14010519900101001A", "非法字符"),
        ("99010519900101001X", "地区代码"),
        ("140105199002300011", "不是真实日期"),
        ("140105203001010011", "晚于今天"),
    ],
)
def test_malformed_numbers_are_refused_with_reason(number, fragment):
    with pytest.raises(ValidationError) as err:
        parse_id_number(number, today=TODAY)
    assert fragment in str(err.value)


def test_wrong_check_character_is_refused():
    good = make_id_number("140105", dt.date(1990, 1, 1), 11, Gender.MALE)
    bad = good[:17] + ("0" if good[17] != "0" else "1")
    with pytest.raises(ValidationError, match="校验位错误"):
        parse_id_number(bad, today=TODAY)


def test_unknown_region_is_only_a_warning():
    number = make_id_number("149999", dt.date(1985, 6, 1), 20, Gender.FEMALE)
    info = parse_id_number(number, today=TODAY, known_regions=KNOWN_REGION_CODES)
    assert info.warnings and "149999" in info.warnings[0]
    known = make_id_number("140105", dt.date(1985, 6, 1), 20, Gender.FEMALE)
    assert parse_id_number(known, today=TODAY, known_regions=KNOWN_REGION_CODES).warnings == ()


def test_gender_must_agree_with_17th_digit():
    info = parse_id_number(make_id_number("140106", dt.date(1992, 2, 2), 30, Gender.FEMALE), today=TODAY)
    check_id_matches_gender(info, Gender.FEMALE)
    with pytest.raises(ValidationError, match="第 17 位"):
        check_id_matches_gender(info, Gender.MALE)


def test_ticket_number_format_and_county():
    assert validate_ticket_no("010525200001", "140105") == "010525200001"
    with pytest.raises(ValidationError, match="12 位数字"):
        validate_ticket_no("01052520001")
    with pytest.raises(ValidationError, match="与区县 140106 不符"):
        validate_ticket_no("010525200001", "140106")


def test_one_or_two_distinct_universities():
    assert validate_universities("10108", None) == ("10108", None)
    assert validate_universities("10108", "10112") == ("10108", "10112")
    with pytest.raises(ValidationError, match="相同"):
        validate_universities("10108", "10108")
    with pytest.raises(ValidationError, match="5 位数字"):
        validate_universities("1010", None)


def test_bachelor_needs_prior_diploma_of_17_or_18_digits():
    assert validate_prior_diploma(Level.ASSOCIATE, "") is None
    with pytest.raises(ValidationError, match="本科"):
        validate_prior_diploma(Level.BACHELOR, "")
    assert validate_prior_diploma(Level.BACHELOR, "1" * 18) == "1" * 18
    assert validate_prior_diploma(Level.BACHELOR, "1" * 17) == "1" * 17
    with pytest.raises(ValidationError, match="18 位数字"):
        validate_prior_diploma(Level.BACHELOR, "1" * 16)


def test_substitute_credits_at_least_14():
    assert check_substitute_credits([5, 5, 4]) == 14
    with pytest.raises(ValidationError, match="不能小于 14"):
        check_substitute_credits([5, 4, 4])


def test_code_formats():
    assert validate_major_code("120203k") == "120203K"
    assert validate_major_code("B020106") == "B020106"
    with pytest.raises(ValidationError):
        validate_major_code("D020106")
    assert validate_application_no("20262A0105") == "20262A0105"
    with pytest.raises(ValidationError):
        validate_application_no("2026-2/001")
