"""A row of a bundle or kit checked against its table's columns, without the table: exactly
its columns, each of its type and within ``value_limits``. The columns come as a ``Spec``
(``rows.spec_of`` makes it from the table; it travels as JSON), so the helper process that
checks a large import's records needs no database import (``record_checks``).
"""

from __future__ import annotations

import operator
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from app.core import value_limits
from app.core.errors import UserError
from app.core.value_limits import LimitViolation

# Per column: (accepted JSON types, may be null, is an instant).
Spec = dict[str, tuple[tuple[type, ...], bool, bool]]
_TYPES: dict[str, type] = {"str": str, "int": int, "bool": bool, "float": float}


class RowError(UserError):
    """A record in a bundle or kit does not describe a valid row."""


def spec_to_json(spec: Spec) -> dict[str, list[Any]]:
    return {
        name: [[kind.__name__ for kind in kinds], nullable, is_time]
        for name, (kinds, nullable, is_time) in spec.items()
    }


def spec_from_json(value: Mapping[str, Any]) -> Spec:
    return {
        str(name): (tuple(_TYPES[kind] for kind in kinds), bool(nullable), bool(is_time))
        for name, (kinds, nullable, is_time) in value.items()
    }


def check_instant(name: str, text: str, what: str) -> None:
    plan = name in value_limits.PLAN_INSTANTS
    if value_limits.EARLIEST <= text <= value_limits.latest(plan):
        return  # the usual case, without building a message
    try:
        value_limits.check_instant_text(text, f"{what}: field {name}", plan=plan)
    except LimitViolation as exc:
        raise RowError(str(exc)) from None


def check_value(name: str, value: Any, what: str) -> None:
    try:
        value_limits.check_column(name, value, what)
    except LimitViolation as exc:
        raise RowError(str(exc)) from None


# The form ``to_utc_text`` writes; text in it sorts in time order.
UTC_TEXT = re.compile(
    r"\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])T([01]\d|2[0-3]):[0-5]\d:[0-5]\d\.\d{6}Z"
)


@dataclass
class _Checker:
    """Per model: the column names, a getter of their values (in that order), the instant
    columns, and per tuple of value types found acceptable (a few per model: which nullable
    columns are null) a check made for that tuple (``_fast_check``), so most rows are checked
    by one tuple lookup and one call."""

    spec: Spec
    values: Callable[[dict[str, Any]], tuple[Any, ...]]
    times: tuple[str, ...]
    others: tuple[str, ...]  # the columns that are not instants, for their limits
    fast: dict[tuple[type, ...], Callable[[tuple[Any, ...]], bool]] = field(default_factory=dict)


_CHECKERS: dict[str, _Checker] = {}


def checker_for(model: str, spec: Spec) -> _Checker:
    """The checker of ``model``'s rows (made once per model name, from its ``spec``)."""
    checker = _CHECKERS.get(model)
    if checker is None:
        names = tuple(spec)
        getter = operator.itemgetter(*names)
        values = getter if len(names) > 1 else (lambda row: (getter(row),))
        times = tuple(name for name, (_, _, is_time) in spec.items() if is_time)
        others = tuple(name for name in names if name not in times)
        checker = _CHECKERS[model] = _Checker(spec, values, times, others)
    return checker


def check_row(model: str, spec: Spec, value: Any, what: str) -> dict[str, Any]:
    """``value`` itself once it holds exactly the columns of ``spec`` (``model``'s), each of
    its type: the values of a bulk insert, which names the columns (their order here does
    not matter).

    Each value is also held to ``value_limits`` (ids, lengths, characters, ranges).
    Instants stay in the stored text form (checked against it), so they go into the
    database as they came, with no conversion there and back; faster than building a model
    per row, which matters for 10,000 records.
    """
    checker = _CHECKERS.get(model) or checker_for(model, spec)
    # The usual row: as many keys as columns and every column found, so exactly the columns;
    # its types a tuple already accepted, its values passing that tuple's quick check.
    if type(value) is dict and len(value) == len(checker.spec):
        try:
            values = checker.values(value)
        except KeyError:
            pass
        else:
            fast = checker.fast.get(tuple(map(type, values)))
            if fast is not None and fast(values):
                return value
    return _check_row(checker, value, what)


def rows_accepted(model: str, spec: Spec, rows: Sequence[Any]) -> bool:
    """Whether ``check_row`` would accept every row of ``rows`` without a word, by the tests
    its quick check makes, made column by column over all the rows at once: a few calls in C
    per column rather than a call per row (40,000 signatures in a large bundle). False says
    only that some row needs ``check_row``, which words the refusal (or accepts it after all,
    as a name holding U+3000)."""
    if not rows:
        return True
    checker = _CHECKERS.get(model) or checker_for(model, spec)
    if set(map(type, rows)) != {dict} or set(map(len, rows)) != {len(checker.spec)}:
        return False
    try:
        table = list(map(checker.values, rows))
    except KeyError:
        return False  # as many keys as columns, yet not the columns
    for (name, (types, nullable, is_time)), column in zip(
        checker.spec.items(), zip(*table, strict=True), strict=True
    ):
        if not _column_accepted(name, types, nullable, is_time, column):
            return False
    return True


_NONE = type(None)


def _column_accepted(
    name: str, types: tuple[type, ...], nullable: bool, is_time: bool, column: tuple[Any, ...]
) -> bool:
    """One column of many rows by ``_fast_check``'s tests (and ``_check_types``' types)."""
    kinds = set(map(type, column))
    allowed = {*types, *((_NONE,) if nullable else ()), *((int,) if float in types else ())}
    if not kinds <= allowed:
        return False
    if kinds <= {bool, float, _NONE}:
        return True  # nothing beyond its type to check
    texts = [v for v in column if type(v) is str] if len(kinds) > 1 else column
    ints = [v for v in column if type(v) is int] if len(kinds) > 1 else column
    if int in kinds and (is_time or not (min(ints) >= 0 and max(ints) <= value_limits.INT_MAX)):
        return False
    if str not in kinds:
        return True
    if name in value_limits.UUID_COLUMNS and not is_time:
        return _uuids(texts)
    if is_time:
        joined = _JOIN.join(texts)
        # Each join a boundary (no value holds one), and each value the form in full.
        if joined.count(_JOIN) != len(texts) - 1 or _UTC_TEXTS.fullmatch(joined) is None:
            return False
        clock = value_limits.latest(name in value_limits.PLAN_INSTANTS)
        return min(texts) >= value_limits.EARLIEST and max(texts) <= clock
    limit, free = value_limits.text_rule(name)
    if max(map(len, texts)) > limit:
        return False
    return free is None or "".join(texts).isprintable()


# A UUID as value_limits.UUID_FORM has it: 36 of these characters, the hyphens exactly at
# these places (so its 32 others are the lower-case hex digits).
_UUID_CHARS = re.compile("[0-9a-f-]*")
_UUID_HYPHENS = (8, 13, 18, 23)


def _uuids(texts: Sequence[str]) -> bool:
    """Whether every text matches ``UUID_FORM`` in full: the same as a match per text,
    checked on all of them at once (a regex over many values joined costs as much)."""
    if set(map(len, texts)) != {36}:
        return False
    joined = "".join(texts)
    if _UUID_CHARS.fullmatch(joined) is None:
        return False
    count = len(texts)
    if joined.count("-") != 4 * count:
        return False
    return all(joined[place::36].count("-") == count for place in _UUID_HYPHENS)


def _check_row(checker: _Checker, value: Any, what: str) -> dict[str, Any]:
    """``value`` after the full check, column by column, which raises the message that
    names the first column refused (in this order: keys, types, instants, the others)."""
    if type(value) is not dict or value.keys() != checker.spec.keys():
        if not isinstance(value, dict):
            raise RowError(f"{what}: expected an object")
        wrong = sorted(set(value) ^ set(checker.spec))
        raise RowError(f"{what}: unexpected or missing field(s) {', '.join(wrong)}")
    kinds = tuple(map(type, checker.values(value)))
    if kinds not in checker.fast:
        _check_types(checker.spec, value, what)
        checker.fast[kinds] = _fast_check(checker.spec, kinds)
    for name in checker.times:
        item = value[name]
        if item is not None:
            if not UTC_TEXT.fullmatch(item):
                raise RowError(f"{what}: field {name} is not a UTC time")
            check_instant(name, item, what)
    for name in checker.others:
        check_value(name, value[name], what)
    return value


def _fast_check(spec: Spec, kinds: tuple[type, ...]) -> Callable[[tuple[Any, ...]], bool]:
    """For rows whose values have the types ``kinds`` (already accepted for ``spec``): a
    function of the values, true only if ``_check_row`` accepts them without a word. It
    makes the tests ``_check_instant`` and ``value_limits.check_column`` make before their
    slower checks; false, ``_check_row`` decides, and words the refusal (or accepts, as for
    a name holding U+3000, which ``isprintable`` calls unprintable).

    Generated once per model and types, as dataclasses does, so that a row costs one call
    and a few calls in C rather than two or three Python calls per column. The source names
    values by position (v0, v1…) and holds only those and limits from ``value_limits``,
    never a column's name or a value read.
    """
    forms: list[tuple[str, re.Pattern[str]]] = []  # ids and instants: one joined pattern
    clocks: dict[str, list[str]] = {}  # instants by the latest() they may reach
    ints: list[str] = []
    lengths: dict[int, list[str]] = {}  # text by its limit in characters
    printable: list[str] = []  # text checked for control and direction characters
    for i, ((name, (_, _, is_time)), kind) in enumerate(zip(spec.items(), kinds, strict=True)):
        v = f"v{i}"
        if kind is not str and kind is not int:
            continue  # null, or a bool: nothing beyond its type to check
        if is_time:
            forms.append((v, UTC_TEXT))
            clock = "plan" if name in value_limits.PLAN_INSTANTS else "late"
            clocks.setdefault(clock, []).append(v)
        elif kind is int:
            ints.append(v)
        elif name in value_limits.UUID_COLUMNS:
            forms.append((v, value_limits.UUID_FORM))
        else:
            limit, free = value_limits.text_rule(name)
            lengths.setdefault(limit, []).append(v)
            if free is not None:
                printable.append(v)
    tests: list[str] = []
    if forms:
        tests.append(f"forms(JOIN.join({_tuple(v for v, _ in forms)})) is not None")
    for clock, values in sorted(clocks.items()):
        tests += (f"EARLIEST <= {v} <= {clock}" for v in values)
    tests += (f"0 <= {v} <= INT_MAX" for v in ints)
    for limit, values in sorted(lengths.items()):
        longest = f"len({values[0]})" if len(values) == 1 else f"max(map(len, {_tuple(values)}))"
        tests.append(f"{longest} <= {int(limit)}")
    if printable:
        # A text made of printable texts is printable, and only then.
        tests.append(f"''.join({_tuple(printable)}).isprintable()")
    lines = [
        "def check(values):",
        f"    {_tuple(f'v{i}' for i in range(len(kinds)))} = values",
        # Read once per row (latest() works it out once a minute).
        *(f"    {clock} = limits.latest({clock == 'plan'})" for clock in sorted(clocks)),
        f"    return {' and '.join(tests) or 'True'}",
    ]
    scope: dict[str, Any] = {
        "forms": _joined_form([form for _, form in forms]).fullmatch,
        "JOIN": _JOIN,
        "limits": value_limits,  # its latest() looked up as the full check does, per call
        "EARLIEST": value_limits.EARLIEST,
        "INT_MAX": value_limits.INT_MAX,
    }
    exec("\n".join(lines), scope)
    check: Callable[[tuple[Any, ...]], bool] = scope["check"]
    return check


def _tuple(names: Iterable[str]) -> str:
    return f"({', '.join(names)},)"


# Text none of the forms can match: k values joined by it match the k forms joined by it only
# if each value matches its form in full (the joined text then holds exactly k - 1 of it,
# all of them the joins, so no value holds one and each lies between the same two as its form).
_JOIN = ","
# Instants joined by _JOIN, each in UTC_TEXT's form.
_UTC_TEXTS = re.compile(f"(?:{UTC_TEXT.pattern})(?:{re.escape(_JOIN)}(?:{UTC_TEXT.pattern}))*")


def _joined_form(forms: list[re.Pattern[str]]) -> re.Pattern[str]:
    return re.compile(re.escape(_JOIN).join(f"(?:{form.pattern})" for form in forms))


def _check_types(spec: Spec, value: dict[str, Any], what: str) -> None:
    for name, (types, nullable, _) in spec.items():
        item = value[name]
        if item is None:
            if not nullable:
                raise RowError(f"{what}: field {name} may not be null")
            continue
        # bool is an int in Python: keep the two apart.
        if type(item) not in types and not (float in types and type(item) is int):
            raise RowError(f"{what}: field {name} has the wrong type")
