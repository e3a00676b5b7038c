"""GB 11643-1999 resident ID numbers: check character, reasons, generator and masking."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.core.rosters.idcard import (
    PROVINCE_CODES,
    check_char,
    check_resident_id,
    is_valid_resident_id,
    make_id_number,
    mask_id_number,
)
from app.core.rosters.idtypes import IdType, check_id_number, normalize_id_number

TODAY = dt.date(2026, 11, 29)


def test_the_standard_example_with_x_check_character_is_valid() -> None:
    # The worked example of GB 11643-1999: weighted sum 167, 167 mod 11 = 2 -> "X".
    assert check_char("11010519491231002") == "X"
    assert check_resident_id("11010519491231002X", today=TODAY) is None
    assert check_resident_id("11010519491231002x", today=TODAY) is None


def test_known_numbers_and_their_check_digits() -> None:
    assert make_id_number("110101", dt.date(1990, 3, 7), 451) == "110101199003074514"
    assert check_resident_id("110101199003074514", today=TODAY) is None
    assert check_char("44030419851231123") == "3"  # weighted sum 251, mod 11 = 9


def test_wrong_check_digit_says_what_it_should_be() -> None:
    reason = check_resident_id("110101199003074518", today=TODAY)
    assert reason is not None
    assert "校验位错误，应为 4" in reason.zh
    assert "wrong check digit, expected 4" in reason.en


def test_wrong_check_digit_names_x_when_x_is_expected() -> None:
    reason = check_resident_id("110105194912310021", today=TODAY)
    assert reason is not None
    assert "应为 X" in reason.zh
    assert "expected X" in reason.en


@pytest.mark.parametrize(
    ("number", "zh", "en"),
    [
        ("11010119900307451", "长度应为18位，实为17位", "must be 18 characters, got 17"),
        ("1101011990030745144", "实为19位", "got 19"),
        ("", "实为0位", "got 0"),
        ("11010119900307A514", "含有非法字符", "bad characters"),
        ("11010119900307451Y", "含有非法字符", "bad characters"),
        ("１１0101199003074514", "含有非法字符", "bad characters"),  # full-width: normalise first
        ("001011199003074514", "地址码 001011 不存在", "area code 001011 does not exist"),
        ("110101199002304514", "出生日期 19900230 不是有效日期", "19900230 is not a real date"),
        ("110101199013014514", "不是有效日期", "not a real date"),
        ("110101202712014514", "出生日期 2027-12-01 不在合理范围内", "out of range"),
        ("110101189912314514", "不在合理范围内", "out of range"),
    ],
)
def test_each_failure_has_its_own_reason(number: str, zh: str, en: str) -> None:
    reason = check_resident_id(number, today=TODAY)
    assert reason is not None
    assert zh in reason.zh
    assert en in reason.en


def test_a_birth_date_of_today_is_accepted_and_tomorrow_is_not() -> None:
    assert is_valid_resident_id(make_id_number("310101", TODAY, 1), today=TODAY)
    tomorrow = make_id_number("310101", TODAY + dt.timedelta(days=1), 1)
    assert not is_valid_resident_id(tomorrow, today=TODAY)


def test_leap_day_birth_dates() -> None:
    assert is_valid_resident_id(make_id_number("320102", dt.date(2000, 2, 29), 7), today=TODAY)
    reason = check_resident_id("320102190002290071", today=TODAY)  # 1900 was not a leap year
    assert reason is not None and "19000229" in reason.zh


@pytest.mark.parametrize(
    ("area", "seq"), [("11010", 1), ("1101011", 1), ("ABCDEF", 1), ("990101", 1), ("110101", 1000)]
)
def test_generator_refuses_impossible_parts(area: str, seq: int) -> None:
    with pytest.raises(ValueError):
        make_id_number(area, dt.date(1990, 1, 1), seq)


def test_masking_keeps_area_code_and_last_four() -> None:
    assert mask_id_number("110101199003074518") == "110101********4518"
    assert mask_id_number("11010519491231002X") == "110105********002X"


def test_masking_short_documents_shows_at_most_a_third_each_side() -> None:
    assert mask_id_number("E12345678") == "E12***678"
    assert mask_id_number("AB") == "**"
    assert mask_id_number("") == ""


def test_other_documents_are_checked_for_shape_only() -> None:
    assert check_id_number(IdType.PASSPORT, "E12345678") is None
    assert check_id_number(IdType.HK_MACAO_PERMIT, "H1234567801") is None
    short = check_id_number(IdType.TAIWAN_PERMIT, "1234")
    assert short is not None and "实为4位" in short.zh
    odd = check_id_number(IdType.FOREIGN_PERMANENT_RESIDENT, "USA-123456789")
    assert odd is not None and "只能包含字母和数字" in odd.zh
    assert check_id_number(IdType.RESIDENT_ID, "E12345678") is not None


def test_numbers_are_normalised_before_checking() -> None:
    assert normalize_id_number(" １１０１０５ 1949 1231 002ｘ ") == "11010519491231002X"


# Hypothesis: generated numbers always validate; any single changed character is caught.
_areas = st.sampled_from(sorted(PROVINCE_CODES)).flatmap(
    lambda province: st.from_regex(rf"\A{province}[0-9]{{4}}\Z")
)
_births = st.dates(min_value=dt.date(1900, 1, 1), max_value=TODAY)
_seqs = st.integers(min_value=0, max_value=999)


@given(area=_areas, birth=_births, seq=_seqs)
def test_generated_numbers_always_validate(area: str, birth: dt.date, seq: int) -> None:
    number = make_id_number(area, birth, seq)
    assert len(number) == 18
    assert check_resident_id(number, today=TODAY) is None


@given(
    area=_areas,
    birth=_births,
    seq=_seqs,
    position=st.integers(min_value=0, max_value=17),
    shift=st.integers(min_value=1, max_value=9),
)
def test_any_single_character_change_is_caught(
    area: str, birth: dt.date, seq: int, position: int, shift: int
) -> None:
    number = make_id_number(area, birth, seq)
    alphabet = "0123456789X" if position == 17 else "0123456789"
    old = alphabet.index(number[position])
    new = alphabet[(old + shift) % len(alphabet)]
    changed = number[:position] + new + number[position + 1 :]
    assert changed != number
    assert check_resident_id(changed, today=TODAY) is not None
