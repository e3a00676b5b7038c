"""Table rows as JSON and back: every column by name, instants as the same UTC text the
database stores, so a row read back from a bundle compares equal to the one written."""

from __future__ import annotations

import datetime as dt
import operator
import re
import typing
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any, TypeVar

from pydantic import ValidationError
from sqlmodel import SQLModel

from app.core import value_limits
from app.core.errors import UserError
from app.core.records.tables import from_utc_text, to_utc_text
from app.core.value_limits import LimitViolation

M = TypeVar("M", bound=SQLModel)


class RowError(UserError):
    """A record in a bundle or kit does not describe a valid row."""


def row_to_json(row: SQLModel, *, drop: tuple[str, ...] = ()) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for name in type(row).model_fields:
        if name in drop:
            continue
        value = getattr(row, name)
        out[name] = to_utc_text(value) if isinstance(value, dt.datetime) else value
    return out


def row_from_json(model: type[M], value: Any, what: str) -> M:
    """A row of ``model`` from ``value``; exactly the model's columns, with matching types."""
    if not isinstance(value, dict):
        raise RowError(f"{what}: expected an object")
    fields = model.model_fields
    unknown = set(value) - set(fields)
    if unknown:
        raise RowError(f"{what}: unknown field(s) {', '.join(sorted(unknown))}")
    data: dict[str, Any] = {}
    for name, info in fields.items():
        if name not in value:
            if info.is_required():
                raise RowError(f"{what}: field {name} is missing")
            continue
        item = value[name]
        if _is_time(info.annotation) and item is not None:
            if not isinstance(item, str) or not _UTC_TEXT.fullmatch(item):
                raise RowError(f"{what}: field {name} is not a UTC time")
            _check_instant(name, item, what)
            try:
                item = from_utc_text(item)
            except ValueError:
                raise RowError(f"{what}: field {name} is not a UTC time") from None
        else:
            _check_value(name, item, what)
        data[name] = item
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        # The field and what it should be, in pydantic's words for a person ("Input should be
        # a valid integer"), not its summary ("1 validation error for Room").
        errors = exc.errors()
        if not errors:
            raise RowError(f"{what}: a field is not valid") from None
        where = ".".join(str(part) for part in errors[0]["loc"]) or "a field"
        raise RowError(f"{what}: field {where}: {errors[0]['msg']}") from None
    except ValueError:
        raise RowError(f"{what}: a field is not valid") from None


def _check_instant(name: str, text: str, what: str) -> None:
    plan = name in value_limits.PLAN_INSTANTS
    if value_limits.EARLIEST <= text <= value_limits.latest(plan):
        return  # the usual case, without building a message
    try:
        value_limits.check_instant_text(text, f"{what}: field {name}", plan=plan)
    except LimitViolation as exc:
        raise RowError(str(exc)) from None


def _check_value(name: str, value: Any, what: str) -> None:
    try:
        value_limits.check_column(name, value, what)
    except LimitViolation as exc:
        raise RowError(str(exc)) from None


def _is_time(annotation: Any) -> bool:
    return annotation is dt.datetime or "datetime" in str(annotation)


# The form ``to_utc_text`` writes; text in it sorts in time order.
_UTC_TEXT = re.compile(
    r"\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])T([01]\d|2[0-3]):[0-5]\d:[0-5]\d\.\d{6}Z"
)
_SPECS: dict[type[SQLModel], dict[str, tuple[tuple[type, ...], bool, bool]]] = {}


# Columns a bundle never carries: an audit entry's device signature (the bundle's own signature
# covers its entries; the institution signs its own chain).
LOCAL_ONLY: dict[str, tuple[str, ...]] = {"AuditEntry": ("signature",)}


def _spec(model: type[SQLModel]) -> dict[str, tuple[tuple[type, ...], bool, bool]]:
    """Per column: (accepted JSON types, may be null, is an instant)."""
    if model not in _SPECS:
        spec: dict[str, tuple[tuple[type, ...], bool, bool]] = {}
        for name, info in model.model_fields.items():
            if name in LOCAL_ONLY.get(model.__name__, ()):
                continue
            args = typing.get_args(info.annotation) or (info.annotation,)
            nullable = type(None) in args
            base = [a for a in args if a is not type(None)]
            is_time = any(a is dt.datetime for a in base)
            types: tuple[type, ...] = (str,) if is_time else tuple(base)
            spec[name] = (types, nullable, is_time)
        _SPECS[model] = spec
    return _SPECS[model]


@dataclass
class _Checker:
    """Per model: the column names, a getter of their values (in that order), the instant
    columns, and per tuple of value types found acceptable (a few per model: which nullable
    columns are null) a check made for that tuple (``_fast_check``), so most rows are checked
    by one tuple lookup and one call."""

    spec: dict[str, tuple[tuple[type, ...], bool, bool]]
    values: Callable[[dict[str, Any]], tuple[Any, ...]]
    times: tuple[str, ...]
    others: tuple[str, ...]  # the columns that are not instants, for their limits
    fast: dict[tuple[type, ...], Callable[[tuple[Any, ...]], bool]] = field(default_factory=dict)


_CHECKERS: dict[type[SQLModel], _Checker] = {}


def _checker(model: type[SQLModel]) -> _Checker:
    checker = _CHECKERS.get(model)
    if checker is None:
        spec = _spec(model)
        names = tuple(spec)
        getter = operator.itemgetter(*names)
        values = getter if len(names) > 1 else (lambda row: (getter(row),))
        times = tuple(name for name, (_, _, is_time) in spec.items() if is_time)
        others = tuple(name for name in names if name not in times)
        checker = _CHECKERS[model] = _Checker(spec, values, times, others)
    return checker


def row_values(model: type[SQLModel], value: Any, what: str) -> dict[str, Any]:
    """``value`` itself once it holds exactly the columns of ``model``, each of its type: the
    values of a bulk insert, which names the columns (their order here does not matter).

    Each value is also held to ``value_limits`` (ids, lengths, characters, ranges).
    Instants stay in the stored text form (checked against it), so they go into the
    database as they came, with no conversion there and back; faster than building a model
    per row, which matters for 10,000 records.
    """
    checker = _CHECKERS.get(model) or _checker(model)
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
            if not _UTC_TEXT.fullmatch(item):
                raise RowError(f"{what}: field {name} is not a UTC time")
            _check_instant(name, item, what)
    for name in checker.others:
        _check_value(name, value[name], what)
    return value


def _fast_check(
    spec: dict[str, tuple[tuple[type, ...], bool, bool]], kinds: tuple[type, ...]
) -> Callable[[tuple[Any, ...]], bool]:
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
            forms.append((v, _UTC_TEXT))
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


def _joined_form(forms: list[re.Pattern[str]]) -> re.Pattern[str]:
    return re.compile(re.escape(_JOIN).join(f"(?:{form.pattern})" for form in forms))


def _check_types(
    spec: dict[str, tuple[tuple[type, ...], bool, bool]], value: dict[str, Any], what: str
) -> None:
    for name, (types, nullable, _) in spec.items():
        item = value[name]
        if item is None:
            if not nullable:
                raise RowError(f"{what}: field {name} may not be null")
            continue
        # bool is an int in Python: keep the two apart.
        if type(item) not in types and not (float in types and type(item) is int):
            raise RowError(f"{what}: field {name} has the wrong type")
