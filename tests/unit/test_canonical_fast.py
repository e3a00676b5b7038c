"""``parse_if_canonical`` against the implementation it replaced, on canonical and
non-canonical JSON alike: the same value, the same depth, the same refusals."""

from __future__ import annotations

import contextlib
import json
from typing import Any

import orjson
from hypothesis import given, settings
from hypothesis import strategies as st

from app.core.seal.canonical import _ORJSON_OPTIONS, parse_if_canonical
from tests.support.canonical_reference import reference


def same(data: bytes, max_depth: int) -> None:
    got, want = parse_if_canonical(data, max_depth), reference(data, max_depth)
    assert got == want
    if got is not None and want is not None:  # == alone takes 1 for True
        assert orjson.dumps(got[0]) == orjson.dumps(want[0])


text = st.text(
    st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=8
) | st.sampled_from(
    ['"', "\\", "\n", "\x00", "\x1f", "é", "考", "𫖯", "\u2028", "[", "}", "1.5", "e"]
)
scalars = (
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**63), max_value=2**64 - 1)
    | st.integers()
    | text
    | st.floats(allow_nan=True, allow_infinity=True)
)
values = st.recursive(
    scalars,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(text, inner, max_size=4),
    max_leaves=30,
)


def encodings(value: Any) -> list[bytes]:
    """The canonical bytes (where there are any) and several other spellings."""
    out: list[bytes] = []
    for options in (_ORJSON_OPTIONS, 0, orjson.OPT_INDENT_2 | orjson.OPT_SORT_KEYS):
        with contextlib.suppress(TypeError):
            out.append(orjson.dumps(value, option=options))
    for sort_keys, ensure_ascii in ((True, False), (True, True), (False, False)):
        with contextlib.suppress(UnicodeEncodeError, ValueError, RecursionError):
            text = json.dumps(
                value, separators=(",", ":"), sort_keys=sort_keys, ensure_ascii=ensure_ascii
            )
            out.append(text.encode())
    return out


@settings(max_examples=400, deadline=None)
@given(values, st.integers(min_value=0, max_value=8))
def test_same_results_on_random_values(value: Any, max_depth: int) -> None:
    for data in encodings(value):
        same(data, max_depth)
        same(data, 300)
        same(b" " + data, 300)
        same(data + b"\xff", 300)


@settings(max_examples=200, deadline=None)
@given(st.dictionaries(text, scalars, min_size=1, max_size=4), scalars)
def test_duplicate_keys(value: dict[str, Any], extra: Any) -> None:
    try:
        data = orjson.dumps(value, option=_ORJSON_OPTIONS)
        repeated = orjson.dumps(extra)
    except TypeError:
        return
    first = orjson.dumps(next(iter(sorted(value))))
    for spliced in (
        b"{" + first + b":" + repeated + b"," + data[1:],
        data[:-1] + b"," + first + b":" + repeated + b"}",
    ):
        same(spliced, 8)


def test_deep_nesting() -> None:
    for depth in (1, 2, 31, 32, 33, 254, 255, 256, 300, 1023, 1024, 1025, 5000):
        for opener, closer in ((b"[", b"]"), (b'{"a":', b"}")):
            data = opener * depth + b"1" + closer * depth
            for max_depth in (32, depth - 1, depth, 10_000):
                same(data, max_depth)
            same(opener * depth + b"1.5" + closer * depth, 10_000)


def test_numbers_and_constants() -> None:
    for literal in (
        b"0", b"-0", b"1", b"1.0", b"1e16", b"1E16", b"1.5e-07", b"-1.5", b"01", b"1e400",
        b"NaN", b"Infinity", b"-Infinity", b"null", b"true", b"false", b'"x"', b"",
        str(2**63).encode(), str(2**64 - 1).encode(), str(2**64).encode(),
        str(-(2**63)).encode(), str(-(2**63) - 1).encode(), str(10**30).encode(),
    ):  # fmt: skip
        for data in (literal, b"[" + literal + b"]", b'{"a":' + literal + b"}"):
            for max_depth in (0, 1, 32):
                same(data, max_depth)


def test_strings_and_escapes() -> None:
    for literal in (
        b'"\\u00e9"', '"é"'.encode(), b'"\\ud800"', b'"\\ud83d\\ude00"', b'"\xed\xa0\x80"',
        b'"\\n"', b'"\\u000a"', b'"\\/"', b'"/"', b'"\\u001f"', b'"\\"\\\\"', b'"\xff"',
        b'"[1.5]"', b'"{\\"a\\":1.5}"', "\ufeff1".encode(),
    ):  # fmt: skip
        for data in (literal, b"[" + literal + b"]", b'{"a":' + literal + b"}"):
            same(data, 32)


def test_unsorted_keys_and_whitespace() -> None:
    for data in (b'{"b":1,"a":2}', b'{"a":2,"b":1}', b'{"a": 2}', b"[1, 2]", b"[1,2]\n"):
        same(data, 32)
