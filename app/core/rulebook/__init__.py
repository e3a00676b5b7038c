"""Rulebooks: the guideline as data (``model``), read from TOML (``loader``), searched
(``search``) and applied by the engine (``engine``)."""

from app.core.rulebook.loader import (
    RulebookNotFoundError,
    RulebookValidationError,
    available_rulebooks,
    load_rulebook,
)
from app.core.rulebook.search import SearchHit, search

__all__ = [
    "RulebookNotFoundError",
    "RulebookValidationError",
    "SearchHit",
    "available_rulebooks",
    "load_rulebook",
    "search",
]
