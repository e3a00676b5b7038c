"""Signature strokes as they are stored: compact text, about a third of the JSON array form.

Handwriting is most of what a sealed record weighs (a signature is hundreds of points), and
it is carried in every bundle and hashed, parsed and written at every import. So points are
stored as small deltas in variable-length integers, in base64, inside a JSON string:

    "s1:<base64 of the coded points>"

The coded points: the number of strokes; per stroke the number of points, a flags byte
(1: every point has a time, 2: every point has a pressure, 4: each point says for itself in a
byte of its own with the same bits), then per point the zigzag deltas of x and y from the
previous point, of the time from the last time given, and of the pressure from the last
pressure given (all starting from 0). Records written before this form store the JSON array
``[[[x, y, t, p], …], …]``; both are read. The seal hashes the stored text whichever it is,
so no record ever needs rewriting. See docs/canonical-content.md.
"""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Sequence

Point = list[int | None]  # [x, y, t_ms or None, pressure‰ or None]
PREFIX = "s1:"
_T, _P, _EACH = 1, 2, 4
# A point takes at least two bytes: more points than that is a lie about the count.
_MIN_POINT_BYTES = 2


class StrokesError(ValueError):
    """Stored strokes that cannot be read."""


def _varint(value: int, out: bytearray) -> None:
    while value > 0x7F:
        out.append((value & 0x7F) | 0x80)
        value >>= 7
    out.append(value)


def _signed(value: int, out: bytearray) -> None:
    _varint(value * 2 if value >= 0 else -value * 2 - 1, out)


def encode_strokes(strokes: Sequence[Sequence[Point]]) -> str:
    """The stored text of whole-number strokes (``content.normalise_strokes`` makes them)."""
    out = bytearray()
    _varint(len(strokes), out)
    x = y = t = p = 0
    for stroke in strokes:
        _varint(len(stroke), out)
        has_t = [point[2] is not None for point in stroke]
        has_p = [point[3] is not None for point in stroke]
        flags = (_T if all(has_t) else 0) | (_P if all(has_p) else 0)
        mixed = any(has_t) != all(has_t) or any(has_p) != all(has_p)
        out.append(flags | (_EACH if mixed else 0))
        for px, py, pt, pp in stroke:
            if mixed:
                out.append((_T if pt is not None else 0) | (_P if pp is not None else 0))
            assert px is not None and py is not None
            _signed(px - x, out)
            _signed(py - y, out)
            x, y = px, py
            if pt is not None:
                _signed(pt - t, out)
                t = pt
            if pp is not None:
                _signed(pp - p, out)
                p = pp
    return json.dumps(PREFIX + base64.b64encode(bytes(out)).decode("ascii"))


class _Reader:
    def __init__(self, data: bytes) -> None:
        self.data, self.at = data, 0

    def byte(self) -> int:
        if self.at >= len(self.data):
            raise StrokesError("the stored strokes end too early")
        self.at += 1
        return self.data[self.at - 1]

    def varint(self) -> int:
        value = shift = 0
        while True:
            byte = self.byte()
            value |= (byte & 0x7F) << shift
            if not byte & 0x80:
                return value
            shift += 7
            if shift > 63:
                raise StrokesError("the stored strokes hold a number that is too long")

    def signed(self) -> int:
        value = self.varint()
        return value >> 1 if not value & 1 else -(value >> 1) - 1

    def count(self) -> int:
        value = self.varint()
        if value * _MIN_POINT_BYTES > len(self.data) - self.at:
            raise StrokesError("the stored strokes claim more points than they hold")
        return value


def _decode_compact(text: str) -> list[list[Point]]:
    try:
        reader = _Reader(base64.b64decode(text.removeprefix(PREFIX), validate=True))
    except (binascii.Error, ValueError):
        raise StrokesError("the stored strokes are not valid base64") from None
    strokes: list[list[Point]] = []
    x = y = t = p = 0
    for _ in range(reader.count()):
        points: list[Point] = []
        for _ in range(reader.count()):
            if not points:
                flags = reader.byte()
                if flags & ~(_T | _P | _EACH):
                    raise StrokesError("the stored strokes have unknown flags")
            own = reader.byte() if flags & _EACH else flags
            x += reader.signed()
            y += reader.signed()
            pt = pp = None
            if own & _T:
                t += reader.signed()
                pt = t
            if own & _P:
                p += reader.signed()
                pp = p
            points.append([x, y, pt, pp])
        if not points:
            raise StrokesError("the stored strokes hold an empty stroke")
        strokes.append(points)
    if reader.at != len(reader.data):
        raise StrokesError("the stored strokes have bytes after their end")
    return strokes


def _check_array(value: object) -> list[list[Point]]:
    if not isinstance(value, list):
        raise StrokesError("the stored strokes are not a list of strokes")
    for stroke in value:
        if not isinstance(stroke, list):
            raise StrokesError("a stored stroke is not a list of points")
        for point in stroke:
            if (
                not isinstance(point, list)
                or len(point) != 4
                or any(type(v) is not int for v in point[:2])
                or any(v is not None and type(v) is not int for v in point[2:])
            ):
                raise StrokesError("a stored point is not [x, y, time, pressure]")
    return value


def decode_strokes(text: str) -> list[list[Point]]:
    """Whole-number strokes from their stored text, compact or the earlier JSON array."""
    try:
        value = json.loads(text)
    except (ValueError, RecursionError):
        raise StrokesError("the stored strokes are not JSON") from None
    if isinstance(value, str):
        if not value.startswith(PREFIX):
            raise StrokesError("the stored strokes are in an unknown form")
        return _decode_compact(value)
    return _check_array(value)
