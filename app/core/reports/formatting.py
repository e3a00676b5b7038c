"""How dates, times and sizes are printed on reports.

Times are printed in the session's time zone (the zone the sitting was planned in: a site in
Xinjiang may keep Asia/Urumqi); the report says which zone once, and names it only where it is
not Beijing time.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from functools import cache
from zoneinfo import ZoneInfo

# China keeps UTC+8 all year, so a fixed offset is exact and needs no tz database on Windows.
BEIJING = dt.timezone(dt.timedelta(hours=8), "北京时间")
SHANGHAI = "Asia/Shanghai"  # the zone name of Beijing time (sessions default to it)


@cache
def zone_of(name: str) -> dt.tzinfo:
    """The zone a session names (Beijing time without the tz database)."""
    return BEIJING if name in (SHANGHAI, "") else ZoneInfo(name)


def _local(value: dt.datetime, zone: str) -> dt.datetime:
    if value.tzinfo is None:  # naive values are taken as UTC
        value = value.replace(tzinfo=dt.UTC)
    return value.astimezone(zone_of(zone))


def when(value: dt.datetime, zone: str = SHANGHAI) -> str:
    """``2026-05-12 09:41`` in the session's zone (Beijing time unless given)."""
    return _local(value, zone).strftime("%Y-%m-%d %H:%M")


def when_seconds(value: dt.datetime, zone: str = SHANGHAI) -> str:
    return _local(value, zone).strftime("%Y-%m-%d %H:%M:%S")


def utc_offset(at: dt.datetime, zone: str) -> str:
    """``UTC+8``, ``UTC+6``, ``UTC+5:30`` at the instant ``at``."""
    offset = _local(at, zone).utcoffset() or dt.timedelta(0)
    minutes = int(offset.total_seconds() // 60)
    sign = "-" if minutes < 0 else "+"
    hours, rest = divmod(abs(minutes), 60)
    return f"UTC{sign}{hours}" + (f":{rest:02d}" if rest else "")


def times_note(at: dt.datetime, zone: str) -> str:
    """Which zone a report's times are in: ``均为北京时间（UTC+8）``,
    ``均为 Asia/Urumqi 时间（UTC+6）``."""
    if zone in (SHANGHAI, ""):
        return f"均为北京时间（{utc_offset(at, zone)}）"
    return f"均为 {zone} 时间（{utc_offset(at, zone)}）"


def zone_suffix(at: dt.datetime, zone: str) -> str:
    """``（Asia/Urumqi 时间，UTC+6）`` after a time, or nothing for Beijing time."""
    if zone in (SHANGHAI, ""):
        return ""
    return f"（{zone} 时间，{utc_offset(at, zone)}）"


def day(value: dt.date) -> str:
    return f"{value.year}年{value.month}月{value.day}日"


def with_end_date(
    measures: Sequence[str], last_day: dt.date | None, index: int | None, reading_zh: str
) -> list[str]:
    """The measures with the ban's end date on the ban itself, so the ban is stated once,
    marked as the rulebook's reading of 当年 where it is one (Art. 6): the incident report
    and the session summary say it alike."""
    out = list(measures)
    if last_day is None:
        return out
    until = f"至 {day(last_day)}（含）"
    if reading_zh:
        until += f"；{reading_zh}"
    if index is not None:
        out[index] += f"（{until}）"
    else:
        out.append(f"不得参加评价{until}")
    return out


def span(start: dt.datetime, end: dt.datetime, zone: str = SHANGHAI) -> str:
    """``2026-05-12 09:00–11:00``, the date once when both ends fall on one day."""
    first, last = when(start, zone), when(end, zone)
    if first[:10] == last[:10]:
        return f"{first}–{last[11:]}"
    return f"{first} – {last}"


def size(n_bytes: int) -> str:
    if n_bytes < 1024:
        return f"{n_bytes} B"
    if n_bytes < 1024 * 1024:
        return f"{n_bytes / 1024:.1f} KB"
    return f"{n_bytes / 1024 / 1024:.1f} MB"
