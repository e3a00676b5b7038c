"""The fast canonical encoder writes byte for byte what the standard library writes.

Seals, content hashes and the audit chain sign these bytes: one differing byte would make a
record sealed by one encoder fail to verify under the other.
"""

from __future__ import annotations

import json
import sys
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.core.seal.canonical import CanonicalError, canonical_bytes, encode_checked


def stdlib(value: Any) -> bytes:
    text = json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return text.encode("utf-8")


# Every code point, surrogates included, and the integers around the 64-bit edges.
any_text = st.text(st.characters(min_codepoint=0, max_codepoint=sys.maxunicode), max_size=12)
edge_ints = st.sampled_from([2**63 - 1, 2**63, 2**64 - 1, 2**64, -(2**63), -(2**63) - 1])
json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | edge_ints | any_text,
    lambda inner: st.lists(inner, max_size=5) | st.dictionaries(any_text, inner, max_size=5),
    max_leaves=30,
)


def outcome(encode: Any, value: Any) -> bytes | str:
    try:
        return bytes(encode(value))
    except (ValueError, TypeError) as exc:  # UnicodeEncodeError for a lone surrogate
        return type(exc).__name__


@settings(max_examples=400)
@given(json_values)
def test_same_bytes_or_same_refusal_as_the_standard_library(value: Any) -> None:
    assert outcome(encode_checked, value) == outcome(stdlib, value)


@pytest.mark.parametrize(
    "value",
    [
        "\x00\x01\x08\x09\x0a\x0c\x0d\x1f\x20\x7f\x80\u2028\u2029\ufeff\uffff",
        '"quoted" \\back\\ /slash/',
        {"Z": 1, "a": 2, "é": 3, "\uffff": 4, "\U0001f600": 5, "": 6},
        [True, False, None, 0, -1, 2**64, -(2**70)],
        "考场负责人确认",
    ],
)
def test_awkward_values_encode_identically(value: Any) -> None:
    assert encode_checked(value) == stdlib(value)


def test_deep_nesting_beyond_the_fast_encoders_limit_still_encodes() -> None:
    value: list[Any] = []
    for _ in range(400):
        value = [value]
    assert encode_checked(value) == stdlib(value)


def test_subclasses_are_written_as_the_standard_library_writes_them() -> None:
    class Text(str):
        pass

    class Number(int):
        pass

    value = {"a": Text("x"), "b": Number(7)}
    assert encode_checked(value) == stdlib(value) == b'{"a":"x","b":7}'


def test_the_checked_entry_point_still_refuses_floats() -> None:
    with pytest.raises(CanonicalError):
        canonical_bytes({"x": [1, 2.5]})
