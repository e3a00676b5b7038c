"""Table rows as JSON and back: every column by name, instants as the same UTC text the
database stores, so a row read back from a bundle compares equal to the one written."""

from __future__ import annotations

import datetime as dt
import operator
import re
import typing
from collections.abc import Callable
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
    """Per model: the column names, a getter of their values, the instant columns, and the
    tuples of value types already found acceptable (a few per model: which nullable columns
    are null), so most rows are checked by one tuple lookup."""

    spec: dict[str, tuple[tuple[type, ...], bool, bool]]
    values: Callable[[dict[str, Any]], tuple[Any, ...]]
    times: tuple[str, ...]
    others: tuple[str, ...]  # the columns that are not instants, for their limits
    accepted: set[tuple[type, ...]] = field(default_factory=set)


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
    checker = _checker(model)
    if type(value) is not dict or value.keys() != checker.spec.keys():
        if not isinstance(value, dict):
            raise RowError(f"{what}: expected an object")
        wrong = sorted(set(value) ^ set(checker.spec))
        raise RowError(f"{what}: unexpected or missing field(s) {', '.join(wrong)}")
    kinds = tuple(map(type, checker.values(value)))
    if kinds not in checker.accepted:
        _check_types(checker.spec, value, what)
        checker.accepted.add(kinds)
    for name in checker.times:
        item = value[name]
        if item is not None:
            if not _UTC_TEXT.fullmatch(item):
                raise RowError(f"{what}: field {name} is not a UTC time")
            _check_instant(name, item, what)
    for name in checker.others:
        _check_value(name, value[name], what)
    return value


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
