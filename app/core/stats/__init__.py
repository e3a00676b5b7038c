"""The institution's statistics by article, party, site, trade, evaluation type and month, and
the incident register as XLSX (``docs/search-and-stats.md``)."""

from __future__ import annotations

from app.core.stats.counts import BREAKDOWNS, Stats, StatsError, count_decisions, count_records
from app.core.stats.register import RegisterRow, register_rows
from app.core.stats.service import BY, article_lookup, export_workbook, statistics

__all__ = [
    "BREAKDOWNS",
    "BY",
    "RegisterRow",
    "Stats",
    "StatsError",
    "article_lookup",
    "count_decisions",
    "count_records",
    "export_workbook",
    "register_rows",
    "statistics",
]
