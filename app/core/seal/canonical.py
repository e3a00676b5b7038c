"""Canonical JSON: the exact bytes a signature, a seal and the audit chain attest.

See ``docs/canonical-content.md``. Keys sorted, no whitespace, UTF-8 (not ``\\u`` escapes), and
no floats: a float's text differs between platforms and libraries, so callers quantise to
integers first (stroke points, for instance, are stored as whole units).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import orjson


class CanonicalError(ValueError):
    """A value that has no canonical form (a float, a non-string key, an unknown type)."""


def _check(value: Any, path: str) -> None:
    if value is None or isinstance(value, (bool, int, str)):
        return
    if isinstance(value, float):
        raise CanonicalError(f"{path}: floats are not allowed in canonical content")
    if isinstance(value, Mapping):
        for key, item in value.items():
            if not isinstance(key, str):
                raise CanonicalError(f"{path}: keys must be strings, got {key!r}")
            _check(item, f"{path}.{key}")
        return
    if isinstance(value, Sequence) and not isinstance(value, (bytes, bytearray)):
        for index, item in enumerate(value):
            _check(item, f"{path}[{index}]")
        return
    raise CanonicalError(f"{path}: {type(value).__name__} has no canonical form")


# orjson writes exactly the canonical form for the values it accepts (str keys sorted by code
# point, no whitespace, UTF-8, the same escapes); tests/unit/test_canonical_encoding.py holds
# it to the standard library's output. What it refuses (integers beyond 64 bits, lone
# surrogates, subclasses, very deep nesting) takes the standard library's path, so the
# result, or the error, is always the standard library's.
_ORJSON_OPTIONS = (
    orjson.OPT_SORT_KEYS
    | orjson.OPT_PASSTHROUGH_SUBCLASS
    | orjson.OPT_PASSTHROUGH_DATACLASS
    | orjson.OPT_PASSTHROUGH_DATETIME
)


def _stdlib_bytes(value: Any) -> bytes:
    text = json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return text.encode("utf-8")


def encode_checked(value: Any) -> bytes:
    """The canonical UTF-8 JSON of a value whose types are already known to be canonical
    (parsed strictly from JSON, or walked by ``canonical_bytes``); no type walk here, and
    several times faster than the standard library, which matters for 10,000 records."""
    try:
        return orjson.dumps(value, option=_ORJSON_OPTIONS)
    except TypeError:  # orjson.JSONEncodeError: let the standard library encode or refuse it
        return _stdlib_bytes(value)


def canonical_bytes(value: Any) -> bytes:
    """The canonical UTF-8 JSON of ``value`` (dicts, lists, str, int, bool, None)."""
    _check(value, "$")
    return encode_checked(value)


def canonical_text(value: Any) -> str:
    return canonical_bytes(value).decode("utf-8")


def sha256_hex(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def content_hash(value: Any) -> str:
    """SHA-256 (hex) of the canonical JSON of ``value``."""
    return sha256_hex(canonical_bytes(value))


_SCALARS = frozenset({str, int, bool, type(None)})
_PLAIN = _SCALARS | {dict, list}


def plain_depth(value: Any) -> int | None:
    """The nesting depth of ``value`` if it is plain JSON — dicts with str keys, lists, str,
    int, bool, None, exactly those types — else None (floats, tuples, subclasses ...).

    Plain JSON encodes to the canonical form and parses back to an equal value, so a writer
    that checked this needs no parse of its own output; other values take the full check.
    """
    if type(value) in _SCALARS:
        return 0
    if type(value) is not dict and type(value) is not list:
        return None
    deepest = 0
    level = [value]
    while level:
        deepest += 1
        below: list[Any] = []
        for item in level:
            children: Iterable[Any] = item
            if type(item) is dict:
                if set(map(type, item)) - {str}:
                    return None
                children = item.values()
            kinds = set(map(type, children))
            if kinds - _PLAIN:
                return None
            if dict in kinds or list in kinds:
                below.extend([c for c in children if type(c) is dict or type(c) is list])
        level = below
    return deepest


def _nested_depth(children: Iterable[Any]) -> int:
    """The depth of the container holding ``children``, or -1 if any value below is a float.

    Only for what ``orjson.loads`` returns (str keys; dict, list, str, int, bool, None,
    float), so the float is the one type to refuse. A recursive loop over the children costs
    about a third of ``plain_depth``'s per-level type sets on incident content, where most
    containers hold a handful of scalars.
    """
    best = 0
    for child in children:
        kind = type(child)
        if kind is dict:
            depth = _nested_depth(child.values())
        elif kind is list:
            depth = _nested_depth(child)
        elif kind is float:
            return -1
        else:
            continue
        if depth < 0:
            return -1
        if depth > best:
            best = depth
    return best + 1


def _parsed_depth(value: Any) -> int | None:
    """``plain_depth`` of a value ``orjson.loads`` returned, the same number, found faster."""
    kind = type(value)
    try:
        if kind is dict:
            depth = _nested_depth(value.values())
        elif kind is list:
            depth = _nested_depth(value)
        else:
            return None if kind is float else 0
    except RecursionError:  # only deeper than orjson encodes; the iterative walk still answers
        return plain_depth(value)
    return None if depth < 0 else depth


def parse_if_canonical(data: bytes, max_depth: int) -> tuple[Any, int] | None:
    """``(value, depth)`` when ``data`` is the canonical JSON of plain values (no floats, no
    constants, no duplicate keys, valid UTF-8) nested at most ``max_depth`` deep; else None,
    and the caller's own strict parse says what is wrong.

    orjson parses several times faster than the standard library; what it reads differently
    never gets through: any other spelling, a duplicate key among them, an integer beyond 64
    bits (which it reads as a float), fails the comparison with the canonical bytes of what
    was parsed, and a float that survives it fails the depth walk. The comparison comes
    first: it is cheaper than the walk and bounds the nesting the walk can meet.
    """
    try:
        value = orjson.loads(data)
    except orjson.JSONDecodeError:
        return None
    try:
        if orjson.dumps(value, option=_ORJSON_OPTIONS) != data:
            return None
    except TypeError:  # nesting beyond orjson's own encoding limit
        return None
    depth = _parsed_depth(value)
    if depth is None or depth > max_depth:
        return None
    return value, depth
