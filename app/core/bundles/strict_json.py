"""JSON read from a bundle: size cap first, strict UTF-8, no duplicate keys, no NaN/Infinity,
no floats, bounded depth, and exactly the canonical form the writer produced."""

from __future__ import annotations

import json
from typing import Any

from app.core.bundles.errors import (
    InvalidUtf8Error,
    JsonDepthError,
    JsonError,
    LimitError,
)
from app.core.json_keys import refusing_duplicates
from app.core.seal.canonical import encode_checked, parse_if_canonical, plain_depth


class _Refused(ValueError):
    """Raised inside the json hooks; turned into a ``JsonError`` with the entry name."""


_pairs = refusing_duplicates(lambda key: _Refused(f"duplicate key {key!r}"))


def _constant(name: str) -> Any:
    raise _Refused(f"{name} is not allowed")


def _float(text: str) -> Any:
    raise _Refused(f"the number {text[:40]} is not an integer (floats are not allowed)")


def check_limits(size: int, depth: int, name: str, max_bytes: int, max_depth: int) -> None:
    """The limits ``parse_json`` applies, for JSON of known size and depth."""
    if depth > max_depth:
        raise JsonDepthError(f"{name}: JSON nested deeper than {max_depth} levels")
    if size > max_bytes:
        raise LimitError(f"{name} is larger than the {max_bytes}-byte JSON limit")


def parse_json(data: bytes, name: str, max_bytes: int, max_depth: int) -> Any:
    """Parse one JSON entry under the limits; raise a ``JsonError`` kind naming ``name``."""
    if len(data) > max_bytes:
        raise LimitError(f"{name} is larger than the {max_bytes}-byte JSON limit")
    fast = parse_if_canonical(data, max_depth)
    if fast is not None:
        return fast[0]
    # Not accepted at once: the standard library's strict parse says exactly what is wrong.
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise InvalidUtf8Error(f"invalid UTF-8 in {name} at byte {exc.start}") from None
    try:
        # Duplicate keys are found by the canonical comparison below (the parsed object keeps
        # one of them); the slower hook that names them runs only then.
        value = json.loads(text, parse_constant=_constant, parse_float=_float)
    except RecursionError:
        # The C scanner gives up long before the interpreter stack does; it is past our limit.
        raise JsonDepthError(f"{name}: JSON nested deeper than {max_depth} levels") from None
    except _Refused as exc:
        raise JsonError(f"{name}: {exc}") from None
    except ValueError as exc:  # JSONDecodeError, and ints longer than Python converts
        raise JsonError(f"{name} is not valid JSON: {exc}") from None
    # What the strict parse returns is plain JSON (str keys, no floats), so it has a depth.
    depth = plain_depth(value)
    if depth is not None and depth > max_depth:
        raise JsonDepthError(f"{name}: JSON nested deeper than {max_depth} levels")
    # What the strict parse returns (str keys, no floats or constants) always passes
    # canonical_bytes' type walk, so only its encoding is repeated here. A lone surrogate
    # (from a ``\\ud800`` escape) has no canonical bytes and is named as such.
    try:
        canonical = encode_checked(value)
    except UnicodeEncodeError as exc:
        raise JsonError(f"{name} has no canonical form: {exc}") from None
    if canonical != data:
        try:
            json.loads(text, object_pairs_hook=_pairs)
        except _Refused as exc:
            raise JsonError(f"{name}: {exc}") from None
        raise JsonError(f"{name} is not in canonical JSON form")
    return value
