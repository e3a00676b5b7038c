"""Search across the institution's sessions: people, records and cases
(``docs/search-and-stats.md``)."""

from __future__ import annotations

from app.core.search.query import MAX_HITS, Hit, SearchError, find, looks_like_id_number
from app.core.search.service import AUDIT_ACTION, id_number_tag, search

__all__ = [
    "AUDIT_ACTION",
    "MAX_HITS",
    "Hit",
    "SearchError",
    "find",
    "id_number_tag",
    "looks_like_id_number",
    "search",
]
