"""Rulebooks: the guideline as data (``model``), read from TOML (``loader``), searched
(``search``) and applied by the engine (``engine``).

The search function is imported from ``app.core.rulebook.search``; it is not re-exported here,
where its name would hide the ``search`` module.
"""

from app.core.rulebook.loader import (
    DEFAULT_RULEBOOK_ID,
    RulebookNotFoundError,
    RulebookValidationError,
    available_rulebooks,
    load_rulebook,
)

__all__ = [
    "DEFAULT_RULEBOOK_ID",
    "RulebookNotFoundError",
    "RulebookValidationError",
    "available_rulebooks",
    "load_rulebook",
]
