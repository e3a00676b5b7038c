"""Ids of rows made in large numbers that nobody types or reads: signatures and seized-item
returns. UUIDs that begin with the time they were made (RFC 9562, version 7), in the usual
36-character form.

An index keeps its keys in order. A random (version 4) id lands anywhere in it: the
signatures a laptop made over a day, imported at the institution in 50 bundles of 200
records, put their keys on pages all over the signature table's key index, and each of those
pages was written again. An id that starts with its millisecond lands at the end, after the
ids made before it: writing 40,000 signatures in 50 savepoints took 16 % less time into an
empty table and 22 % less into one holding 200,000 (``benchmarks/signature_ids.py``, SQLite).

Incidents, sessions, cases and people keep random ids: people type and read those by their
first eight characters (``case show 3f2a9c1e``, the lists, document numbers), and ids that
begin with the same minute would share them.

The 74 bits after the time are random, so ids made on two laptops in the same millisecond
still differ. Within one program each id is greater than the one before, also when several
are made in one millisecond or the clock is set back: the next one then counts on from the
last. Nothing reads the time back out of an id; the records carry their own times.
"""

from __future__ import annotations

import secrets
import threading
import uuid
from time import time_ns

_REST_BITS = 74  # what follows the 48-bit millisecond, less the version and variant bits
_REST = (1 << _REST_BITS) - 1
_B_BITS = 62  # the part of the rest after the variant bits (rand_b); rand_a is the 12 before
_lock = threading.Lock()
_last = 0  # the last id made here, as its millisecond and its rest: (ms << 74) | rest


def _next_value() -> int:
    global _last
    rest = secrets.randbits(_REST_BITS)
    value = (time_ns() // 1_000_000) << _REST_BITS | rest
    with _lock:
        if value <= _last:  # the same millisecond, or the clock went back: count on
            value = _last + 1
        _last = value
    return value


def new_id() -> str:
    """A new time-ordered UUID (version 7), as the text the tables hold."""
    value = _next_value()
    millisecond, rest = value >> _REST_BITS, value & _REST
    rand_a, rand_b = rest >> _B_BITS, rest & ((1 << _B_BITS) - 1)
    number = (
        (millisecond & ((1 << 48) - 1)) << 80
        | 0x7 << 76  # version 7
        | rand_a << 64
        | 0b10 << 62  # the RFC's variant
        | rand_b
    )
    return str(uuid.UUID(int=number))
