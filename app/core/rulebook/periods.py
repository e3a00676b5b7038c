"""Ban periods, counted as the Civil Code counts periods (Art. 201–202).

A period in years starts the day after the decision and ends on the corresponding date in the
last year; where that year has no corresponding date (29 February), it ends on the last day of
that month. So a two-year ban decided on 2026-06-12 runs to 2028-06-12, one decided on
2028-02-29 runs to 2030-02-28.
"""

from __future__ import annotations

import calendar
import datetime as dt


def add_years(start: dt.date, years: int) -> dt.date:
    """The corresponding date ``years`` later, or the end of that month when there is none."""
    if years < 0:
        raise ValueError(f"years must not be negative, got {years}")
    year = start.year + years
    last_day = calendar.monthrange(year, start.month)[1]
    return dt.date(year, start.month, min(start.day, last_day))


def ban_end(decision_date: dt.date, years: int) -> dt.date:
    """Last day of a ban of ``years`` years decided on ``decision_date``."""
    return add_years(decision_date, years)


def year_end(day: dt.date) -> dt.date:
    """31 December of the year of ``day``: the end of a ban "for that year" (当年)."""
    return dt.date(day.year, 12, 31)
