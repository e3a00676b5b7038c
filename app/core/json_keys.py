"""JSON objects that give each key once. Python's ``json`` keeps the last of a repeated key
without a word, so a reader that must not guess (a bundle entry, the CLI's facts) parses with
this hook, which refuses the first key seen twice with the reader's own error.

Kept apart from ``bundles.strict_json`` so that the CLI's ``rules classify`` can use it without
loading the bundle package.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

PairsHook = Callable[[list[tuple[str, Any]]], dict[str, Any]]


def refusing_duplicates(refuse: Callable[[str], Exception]) -> PairsHook:
    """An ``object_pairs_hook`` that raises ``refuse(key)`` for a key an object repeats."""

    def hook(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
        result: dict[str, Any] = {}
        for key, value in pairs:
            if key in result:
                raise refuse(key)
            result[key] = value
        return result

    return hook
