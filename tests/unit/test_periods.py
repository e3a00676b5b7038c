"""Ban periods counted as the Civil Code counts them (Art. 201–202)."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.core.rulebook.periods import add_years, ban_end, year_end

D = dt.date


@pytest.mark.parametrize(
    ("start", "years", "end"),
    [
        (D(2026, 6, 12), 2, D(2028, 6, 12)),
        (D(2026, 6, 12), 5, D(2031, 6, 12)),
        (D(2028, 2, 29), 2, D(2030, 2, 28)),  # no 29 February: end of that month
        (D(2028, 2, 29), 4, D(2032, 2, 29)),  # a leap year again: the corresponding day
        (D(2028, 2, 29), 5, D(2033, 2, 28)),
        (D(2026, 12, 31), 2, D(2028, 12, 31)),
        (D(2026, 1, 1), 5, D(2031, 1, 1)),
        (D(2027, 2, 28), 1, D(2028, 2, 28)),  # 28 Feb stays 28 Feb even into a leap year
    ],
)
def test_ban_end_is_the_corresponding_date(start: dt.date, years: int, end: dt.date) -> None:
    assert ban_end(start, years) == end


def test_negative_years_are_refused() -> None:
    with pytest.raises(ValueError, match="negative"):
        add_years(D(2026, 1, 1), -1)


@pytest.mark.parametrize(
    ("day", "end"),
    [
        (D(2026, 1, 1), D(2026, 12, 31)),
        (D(2026, 12, 31), D(2026, 12, 31)),
        (D(2028, 2, 29), D(2028, 12, 31)),
    ],
)
def test_year_end(day: dt.date, end: dt.date) -> None:
    assert year_end(day) == end


@given(st.dates(min_value=D(2000, 1, 1), max_value=D(2090, 12, 31)), st.integers(0, 9))
def test_add_years_keeps_month_and_never_overshoots(start: dt.date, years: int) -> None:
    end = add_years(start, years)
    assert (end.year, end.month) == (start.year + years, start.month)
    assert end.day == start.day or (start.month, start.day, end.day) == (2, 29, 28)
