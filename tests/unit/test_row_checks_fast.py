"""The quick check of ``row_values`` (one generated function per model and tuple of value
types) accepts and refuses exactly what the column-by-column check did, with the same
message: compared here with a reference written as ``row_values`` was before it."""

from __future__ import annotations

import uuid
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlmodel import SQLModel

from app.core import value_limits
from app.core.records.tables import (
    AuditEntry,
    Evidence,
    Incident,
    Seal,
    SeizedReturn,
    Signature,
)
from app.core.sync import row_checks, rows
from app.core.sync.rows import RowError, row_values
from app.core.value_limits import LimitViolation


def _reference(model: type[SQLModel], value: Any, what: str) -> str | None:
    """The message the column-by-column check gives for ``value``, or None if it accepts."""
    spec = rows._spec(model)
    try:
        if not isinstance(value, dict):
            raise RowError(f"{what}: expected an object")
        if type(value) is not dict or value.keys() != spec.keys():
            wrong = sorted(set(value) ^ set(spec))
            raise RowError(f"{what}: unexpected or missing field(s) {', '.join(wrong)}")
        row_checks._check_types(spec, value, what)
        for name, (_, _, is_time) in spec.items():
            item = value[name]
            if is_time and item is not None:
                if not row_checks.UTC_TEXT.fullmatch(item):
                    raise RowError(f"{what}: field {name} is not a UTC time")
                plan = name in value_limits.PLAN_INSTANTS
                value_limits.check_instant_text(item, f"{what}: field {name}", plan=plan)
        for name, (_, _, is_time) in spec.items():
            if not is_time:
                value_limits.check_column(name, value[name], what)
    except (RowError, LimitViolation) as exc:
        return str(exc)
    return None


def _outcome(model: type[SQLModel], value: Any, what: str) -> str | None:
    try:
        assert row_values(model, value, what) is value
    except RowError as exc:
        return str(exc)
    return None


def _id() -> str:
    return str(uuid.uuid4())


def _valid() -> dict[type[SQLModel], dict[str, Any]]:
    at = "2024-06-15T01:40:00.123456Z"
    return {
        Incident: {
            "id": _id(),
            "session_id": _id(),
            "number": "A-007",
            "device_code": "L1",
            "seq": 7,
            "version": 1,
            "supersedes_id": None,
            "superseded_by_id": None,
            "status": "confirmed",
            "void_reason": None,
            "party": "candidate",
            "clause": "4.2",
            "subject": "高等数学",
            "room": "Hall 3",
            "seat": 17,
            "person_name": "谢雨桐",
            "occurred_at": at,
            "local_date": "2024-06-15",
            "rulebook_id": "national-2024",
            "rulebook_version": "2024.1",
            "regulator_flag": False,
            "content_hash": "ab" * 32,
            "created_at": at,
            "updated_at": at,
        },
        Signature: {
            "id": _id(),
            "incident_id": _id(),
            "kind": "staff",
            "staff_id": _id(),
            "candidate_id": None,
            "signer_name": "王建国",
            "role": "invigilator",
            "signed_at": at,
            "strokes_json": "[[[20,66,10,369]]]",
            "content_hash": "cd" * 32,
            "voided_at": None,
        },
        Seal: {
            "incident_id": _id(),
            "device_id": _id(),
            "public_key": "ef" * 32,
            "payload_hash": "01" * 32,
            "signature": "23" * 64,
            "sealed_at": at,
        },
        AuditEntry: {
            "seq": 42,
            "at": at,
            "action": "confirm",
            "session_id": _id(),
            "incident_id": None,
            "actor_id": _id(),
            "device_id": _id(),
            "details_json": '{"n":1}',
            "prev_hash": "45" * 32,
            "hash": "67" * 32,
        },
        Evidence: {"sha256": "89" * 32, "size": 1024, "media_type": "image/png", "stored_at": at},
        SeizedReturn: {
            "id": _id(),
            "incident_id": _id(),
            "receipt_number": "R-1",
            "returned_at": at,
            "returned_to": "谢雨桐",
            "recorded_by": _id(),
            "strokes_json": "[]",
        },
    }


MODELS = list(_valid())


class _Text(str):
    """A str by isinstance, yet not the type JSON gives: refused as the wrong type."""


# Fixed ids: every test worker must collect the same parameters.
_ID, _OTHER_ID = (str(uuid.UUID(int=n, version=4)) for n in (0x5EED, 0xD1CE))
_NASTY_TEXT = [
    "",
    "A-007",
    "谢雨桐",
    "谢雨桐\u202e",
    "tab\there",
    "line\nbreak",
    "nul\x00",
    "\x85",
    "ideographic\u3000space",  # isprintable() false, yet a name may hold it
    "\u061c",
    "x" * 200,
    "x" * 201,
    "y" * 2000,
    "y" * 2001,
    "z" * 500,
    "z" * 501,
    "\u3000" * 201,
    _ID,
    _ID.upper(),
    _ID[:-1],
    _ID + "0",
    _ID.replace("-", ","),
    f"{_ID},{_OTHER_ID}",
    f"{_ID},2024-06-15T01:40:00.000000Z",
    "2024-06-15T01:40:00.000000Z",
    "2024-06-15T01:40:00.000000Z,",
    "2000-01-01T00:00:00.000000Z",
    "1999-12-31T23:59:59.999999Z",
    "2024-02-30T01:40:00.000000Z",  # the form, not a date: accepted as before
    "2999-06-15T01:40:00.000000Z",
    "2024-06-15 01:40:00",
    "٢٠٢٤-06-15T01:40:00.000000Z",  # Arabic-Indic digits: \d matches them
    value_limits.latest(plan=True)[:4] + "-01-01T00:00:00.000000Z",
]


def _nasty_value() -> st.SearchStrategy[Any]:
    return st.one_of(
        st.none(),
        st.booleans(),
        st.sampled_from([0, 1, -1, value_limits.INT_MAX, value_limits.INT_MAX + 1, -(2**70)]),
        st.integers(),
        st.floats(allow_nan=False),
        st.sampled_from(_NASTY_TEXT),
        st.text(max_size=30),
        st.builds(_Text, st.sampled_from(["A-007", _id()])),
        st.lists(st.integers(), max_size=2),
    )


@st.composite
def _rows(draw: st.DrawFn) -> tuple[type[SQLModel], Any]:
    model = draw(st.sampled_from(MODELS))
    row = _valid()[model]
    names = list(row)
    for name in draw(st.lists(st.sampled_from(names), max_size=3, unique=True)):
        row[name] = draw(_nasty_value())
    shape = draw(st.sampled_from(["row", "row", "row", "missing", "extra", "list"]))
    if shape == "missing":
        del row[draw(st.sampled_from(names))]
    elif shape == "extra":
        row["extra"] = 1
    elif shape == "list":
        return model, list(row.values())
    return model, row


@settings(max_examples=600, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_rows())
def test_the_quick_check_agrees_with_the_column_by_column_one(
    case: tuple[type[SQLModel], Any],
) -> None:
    model, value = case
    expected = _reference(model, value, "record")
    assert _outcome(model, value, "record") == expected
    # Again, now that its type pattern may be known (and its quick check made).
    assert _outcome(model, value, "record") == expected


@pytest.mark.parametrize("model", MODELS, ids=lambda m: m.__name__)
@pytest.mark.parametrize(
    "value",
    [*_NASTY_TEXT, None, True, -1, 2**63, 1.5],
    ids=lambda v: repr(v)[:40],
)
def test_every_column_with_every_nasty_value(model: type[SQLModel], value: Any) -> None:
    for name in _valid()[model]:
        row = _valid()[model]
        row[name] = value
        assert _outcome(model, row, "r") == _reference(model, row, "r"), name


@pytest.mark.parametrize("model", MODELS, ids=lambda m: m.__name__)
def test_a_valid_row_passes_the_quick_check_alone(model: type[SQLModel]) -> None:
    row = _valid()[model]
    assert row_values(model, row, "r") is row
    checker = rows._checker(model)
    values = checker.values(row)
    assert checker.fast[tuple(map(type, values))](values) is True


def test_a_name_isprintable_calls_unprintable_still_accepted() -> None:
    row = _valid()[Incident]
    row["person_name"] = "谢\u3000雨桐"
    assert row_values(Incident, row, "r") is row
    checker = rows._checker(Incident)
    values = checker.values(row)
    assert checker.fast[tuple(map(type, values))](values) is False  # the full check decided


def test_ids_joined_by_commas_cannot_stand_for_one_another() -> None:
    # The ids and the instant of a seal are matched as one text joined by commas: a comma
    # inside a value must not shift one value's text into another's place.
    good = _valid()[Seal]
    row_values(Seal, good, "r")
    one, other = good["incident_id"], good["device_id"]
    two = f"{one},{other}"
    for changes in (
        {"incident_id": two, "device_id": ""},
        {"incident_id": "", "device_id": two},
        {"incident_id": one + other, "device_id": ""},
        {"incident_id": one[:30], "device_id": one[30:] + other},
        {"device_id": f"{good['device_id']},{good['sealed_at']}", "sealed_at": ""},
    ):
        row = {**good, **changes}
        message = _reference(Seal, row, "seal")
        assert message is not None
        assert _outcome(Seal, row, "seal") == message


def test_the_clock_rule_is_read_for_each_row(monkeypatch: pytest.MonkeyPatch) -> None:
    row = _valid()[Incident]
    assert row_values(Incident, row, "r") is row
    monkeypatch.setattr(value_limits, "latest", lambda plan=False, now=None: "2010")
    with pytest.raises(RowError, match="field occurred_at is 2024-06-15: not a date"):
        row_values(Incident, row, "r")


def _accepted_together(model: type[SQLModel], values: list[Any]) -> bool:
    return row_checks.rows_accepted(model.__name__, rows._spec(model), values)


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(_rows(), min_size=1, max_size=4), st.sampled_from(MODELS))
def test_rows_accepted_together_only_when_each_would_be(
    cases: list[tuple[type[SQLModel], Any]], model: type[SQLModel]
) -> None:
    # Rows of one model among valid ones of it (the nasty ones drawn for other models are
    # left out): accepted together only if the column-by-column check accepts each.
    values = [_valid()[model], *(value for kind, value in cases if kind is model)]
    if _accepted_together(model, values):
        assert all(_reference(model, value, "r") is None for value in values)


@pytest.mark.parametrize("model", MODELS, ids=lambda m: m.__name__)
def test_valid_rows_are_accepted_together(model: type[SQLModel]) -> None:
    values = [_valid()[model] for _ in range(50)]
    assert _accepted_together(model, values) is True
    assert _accepted_together(model, []) is True


@pytest.mark.parametrize("model", MODELS, ids=lambda m: m.__name__)
@pytest.mark.parametrize(
    "value",
    [*_NASTY_TEXT, None, True, -1, 2**63, 1.5],
    ids=lambda v: repr(v)[:40],
)
def test_one_nasty_value_among_many_rows_is_never_accepted_together(
    model: type[SQLModel], value: Any
) -> None:
    for name in _valid()[model]:
        values = [_valid()[model] for _ in range(5)]
        values[3][name] = value
        if _reference(model, values[3], "r") is not None:
            assert _accepted_together(model, values) is False, name


def test_uuids_checked_together_as_one_by_one() -> None:
    spread = 0x9E3779B97F4A7C15F39CC0605CEDC835  # ids with letters and digits everywhere
    good = [str(uuid.UUID(int=n * spread % 2**128, version=4)) for n in range(1, 40)]
    assert row_checks._uuids(good) is True
    one = good[5]
    for bad in (
        one.upper(),
        one[:8] + one[9] + "-" + one[10:],  # a hyphen one place on
        one.replace("-", "0", 1)[:35] + "-",  # four hyphens, one of them out of place
        one[:-1] + "g",
        one[:-1] + "\u0661",  # an Arabic-Indic digit
        one[:35],
        one + "0",
        "-" * 36,
    ):
        values = [*good[:10], bad, *good[10:]]
        assert value_limits.UUID_FORM.fullmatch(bad) is None, bad
        assert row_checks._uuids(values) is False, bad
    # Lengths that add up, hyphens that count up, each value wrong on its own.
    assert row_checks._uuids([one[:-1], one[-1] + one[1:]]) is False
    assert row_checks._uuids([good[0][:20] + good[1][20:], good[1][:20] + good[0][20:]]) is True


def test_a_name_isprintable_calls_unprintable_leaves_the_rows_to_the_row_check() -> None:
    values = [_valid()[Incident] for _ in range(3)]
    values[1]["person_name"] = "谢\u3000雨桐"
    assert _accepted_together(Incident, values) is False
    assert all(row_values(Incident, value, "r") is value for value in values)
