"""Table rows as JSON and back: every column by name, instants as the same UTC text the
database stores, so a row read back from a bundle compares equal to the one written."""

from __future__ import annotations

import datetime as dt
import typing
from typing import Any, TypeVar

from pydantic import ValidationError
from sqlmodel import SQLModel

from app.core.records.tables import from_utc_text, to_utc_text
from app.core.sync.row_checks import (
    UTC_TEXT,
    RowError,
    Spec,
    check_instant,
    check_row,
    check_value,
    checker_for,
)

__all__ = ["RowError", "row_from_json", "row_to_json", "row_values", "spec_of"]

M = TypeVar("M", bound=SQLModel)


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
            if not isinstance(item, str) or not UTC_TEXT.fullmatch(item):
                raise RowError(f"{what}: field {name} is not a UTC time")
            check_instant(name, item, what)
            try:
                item = from_utc_text(item)
            except ValueError:
                raise RowError(f"{what}: field {name} is not a UTC time") from None
        else:
            check_value(name, item, what)
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


def _is_time(annotation: Any) -> bool:
    return annotation is dt.datetime or "datetime" in str(annotation)


_SPECS: dict[type[SQLModel], Spec] = {}


# Columns a bundle never carries: an audit entry's device signature (the bundle's own signature
# covers its entries; the institution signs its own chain).
LOCAL_ONLY: dict[str, tuple[str, ...]] = {"AuditEntry": ("signature",)}


def _spec(model: type[SQLModel]) -> Spec:
    """Per column: (accepted JSON types, may be null, is an instant)."""
    if model not in _SPECS:
        spec: Spec = {}
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


def spec_of(model: type[SQLModel]) -> Spec:
    """The columns of ``model`` a bundle carries, as ``row_checks`` checks them."""
    return _spec(model)


def _checker(model: type[SQLModel]) -> Any:
    return checker_for(model.__name__, _spec(model))


def row_values(model: type[SQLModel], value: Any, what: str) -> dict[str, Any]:
    """``value`` itself once it is a valid row of ``model`` (``row_checks.check_row``)."""
    return check_row(model.__name__, _spec(model), value, what)
