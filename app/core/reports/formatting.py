"""How dates, times and sizes are printed on reports (Beijing time: sites are in China)."""

from __future__ import annotations

import datetime as dt

# China keeps UTC+8 all year, so a fixed offset is exact and needs no tz database on Windows.
BEIJING = dt.timezone(dt.timedelta(hours=8), "北京时间")


def when(value: dt.datetime) -> str:
    """``2026-05-12 09:41`` in Beijing time (naive values are taken as UTC)."""
    if value.tzinfo is None:
        value = value.replace(tzinfo=dt.UTC)
    return value.astimezone(BEIJING).strftime("%Y-%m-%d %H:%M")


def when_seconds(value: dt.datetime) -> str:
    if value.tzinfo is None:
        value = value.replace(tzinfo=dt.UTC)
    return value.astimezone(BEIJING).strftime("%Y-%m-%d %H:%M:%S")


def day(value: dt.date) -> str:
    return f"{value.year}年{value.month}月{value.day}日"


def span(start: dt.datetime, end: dt.datetime) -> str:
    """``2026-05-12 09:00–11:00``, the date once when both ends fall on one day."""
    first, last = when(start), when(end)
    if first[:10] == last[:10]:
        return f"{first}–{last[11:]}"
    return f"{first} – {last}"


def size(n_bytes: int) -> str:
    if n_bytes < 1024:
        return f"{n_bytes} B"
    if n_bytes < 1024 * 1024:
        return f"{n_bytes / 1024:.1f} KB"
    return f"{n_bytes / 1024 / 1024:.1f} MB"
