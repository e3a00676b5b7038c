"""Instants as the database stores them: UTC text that sorts in time order. No database
import, so the helper process that checks imported records can use it."""

from __future__ import annotations

import datetime as dt


def to_utc_text(value: dt.datetime) -> str:
    if value.tzinfo is None:
        raise ValueError("naive datetime: give a time zone (instants are stored in UTC)")
    return value.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def from_utc_text(text: str) -> dt.datetime:
    return dt.datetime.strptime(text, "%Y-%m-%dT%H:%M:%S.%fZ").replace(tzinfo=dt.UTC)
