"""Stored signature strokes: the compact form reads back exactly, the earlier JSON array form
is still read, and stored text that is damaged is refused with one error kind."""

from __future__ import annotations

import json
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.core.demo.strokes import synthetic_strokes
from app.core.records.content import IncidentError, normalise_strokes, strokes_json
from app.core.records.stroke_codec import (
    PREFIX,
    StrokesError,
    decode_strokes,
    encode_strokes,
)

coordinate = st.integers(-(2**31), 2**31)
optional = st.none() | st.integers(-(2**31), 2**31)
point = st.tuples(coordinate, coordinate, optional, optional).map(list)
strokes_strategy = st.lists(st.lists(point, min_size=1, max_size=30), max_size=8)


@settings(max_examples=300)
@given(strokes_strategy)
def test_any_strokes_read_back_exactly(strokes: list[list[list[Any]]]) -> None:
    text = encode_strokes(strokes)
    assert json.loads(text).startswith(PREFIX)
    assert decode_strokes(text) == strokes


def test_a_real_signature_is_about_a_third_of_its_json_array() -> None:
    strokes = normalise_strokes(synthetic_strokes("candidate-7"))
    array = json.dumps(strokes, separators=(",", ":"))
    stored = strokes_json(synthetic_strokes("candidate-7"))
    assert decode_strokes(stored) == strokes
    assert len(stored) < len(array) / 2.5, (len(stored), len(array))


def test_mixed_missing_times_and_pressures_survive() -> None:
    strokes = [[[1, 2, None, None], [3, 4, 5, None], [6, 7, 8, 900]], [[10, -20, None, 5]]]
    assert decode_strokes(encode_strokes(strokes)) == strokes


def test_the_earlier_json_array_form_is_still_read() -> None:
    assert decode_strokes("[[[20,66,10,369],[23,79,null,null]]]") == [
        [[20, 66, 10, 369], [23, 79, None, None]]
    ]
    assert decode_strokes("[]") == []


@pytest.mark.parametrize(
    "text",
    [
        "",
        "{}",
        '"other:AAAA"',
        '"s1:not base64!"',
        '"s1:AQ=="',  # one stroke announced, nothing follows
        '"s1:AAA="',  # a byte after the end
        '"s1:AQEI"',  # unknown flags
        "[[[1,2,3]]]",
        "[[[1,2,3,true]]]",
        '[[["1",2,3,4]]]',
        "[1]",
    ],
)
def test_damaged_stored_strokes_are_refused(text: str) -> None:
    with pytest.raises(StrokesError):
        decode_strokes(text)


@settings(max_examples=300)
@given(st.binary(max_size=64))
def test_any_bytes_are_read_or_refused_never_crash(data: bytes) -> None:
    import base64

    text = json.dumps(PREFIX + base64.b64encode(data).decode("ascii"))
    try:
        strokes = decode_strokes(text)
    except StrokesError:
        return
    assert all(len(p) == 4 for stroke in strokes for p in stroke)


def test_a_lying_point_count_is_refused_without_building_it() -> None:
    import base64

    huge = bytes([0x01, 0xFF, 0xFF, 0xFF, 0xFF, 0x0F])  # one stroke of 2**32 - 1 points
    with pytest.raises(StrokesError, match="more points"):
        decode_strokes(json.dumps(PREFIX + base64.b64encode(huge).decode("ascii")))


def test_points_outside_any_pad_are_refused_when_signing() -> None:
    with pytest.raises(IncidentError):
        normalise_strokes([[(1e12, 3.0, 0.0, 0.5)]])
