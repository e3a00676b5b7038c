"""The canonical check as it was before its faster walk: what the tests and the benchmark
compare ``parse_if_canonical`` with."""

from __future__ import annotations

from typing import Any

import orjson

from app.core.seal.canonical import _ORJSON_OPTIONS, plain_depth


def reference(data: bytes, max_depth: int) -> tuple[Any, int] | None:
    """The previous body of ``parse_if_canonical``, verbatim."""
    try:
        value = orjson.loads(data)
    except orjson.JSONDecodeError:
        return None
    depth = plain_depth(value)
    if depth is None or depth > max_depth:
        return None
    try:
        if orjson.dumps(value, option=_ORJSON_OPTIONS) != data:
            return None
    except TypeError:  # nesting beyond orjson's own encoding limit
        return None
    return value, depth
