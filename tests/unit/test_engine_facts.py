"""Incident facts: typed, validated, each error naming its field."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from app.core.errors import UserError
from app.core.rulebook.engine import (
    FactsError,
    IncidentFacts,
    Outcome,
    Severity,
    classify,
    parse_facts,
)
from app.core.rulebook.loader import load_rulebook
from app.core.rulebook.model import Fact, Party, StaffRole
from app.core.rulebook.outcome import note_unused_facts, unused_facts

BASE = {"clause": "6.1", "date": "2026-06-12"}


def error(**changes: Any) -> FactsError:
    with pytest.raises(FactsError) as err:
        parse_facts({**BASE, **changes})
    return err.value


def test_full_fact_set_is_typed() -> None:
    facts = parse_facts(
        {
            "party": "staff",
            "clause": " 9.1 ",
            "date": "2026-06-12",
            "decision_date": "2026-06-20",
            "role": "site_head",
            "warned": None,
            "severity": "serious",
            "adverse_effect": True,
            "discovered_after_exam": True,
            "certificate_issued": False,
            "prior_warning": False,
            "subject": " 理论知识 ",
        }
    )
    assert facts == IncidentFacts(
        clause="9.1",
        date=dt.date(2026, 6, 12),
        party=Party.STAFF,
        decision_date=dt.date(2026, 6, 20),
        role=StaffRole.SITE_HEAD,
        severity=Severity.SERIOUS,
        adverse_effect=True,
        discovered_after_exam=True,
        certificate_issued=False,
        prior_warning=False,
        subject="理论知识",
    )


def test_bad_date_message() -> None:
    err = error(date="2026-13-01")
    assert str(err) == "field 'date': expected YYYY-MM-DD, got '2026-13-01'"
    assert isinstance(err, UserError)


@pytest.mark.parametrize("value", ["2026-6-1", "2026/06/12", "12.06.2026", 20260612, "", None])
def test_dates_must_be_iso(value: object) -> None:
    assert error(date=value).field == "date"


def test_missing_date() -> None:
    with pytest.raises(FactsError, match="field 'date': required"):
        parse_facts({"clause": "6.1"})


def test_decision_before_incident() -> None:
    err = error(decision_date="2026-06-11")
    assert err.field == "decision_date"
    assert "before the incident date 2026-06-12" in str(err)


def test_bad_decision_date() -> None:
    assert error(decision_date="2026-02-30").field == "decision_date"


@pytest.mark.parametrize(
    "name", ["warned", "refused", "adverse_effect", "prior_warning", "discovered_after_exam"]
)
@pytest.mark.parametrize("value", ["true", 1, 0, "yes"])
def test_bools_must_be_json_booleans(name: str, value: object) -> None:
    err = error(**{name: value})
    assert err.field == name
    assert "expected true or false" in str(err)


@pytest.mark.parametrize(
    ("name", "value"),
    [("severity", "grave"), ("role", "proctor"), ("party", "examiner"), ("severity", 2)],
)
def test_choices(name: str, value: object) -> None:
    err = error(**{name: value})
    assert err.field == name
    assert "expected one of" in str(err)


def test_unknown_keys_are_named() -> None:
    err = error(colour="red", weather="rain")
    assert err.field == "colour"
    assert "'colour', 'weather'" in str(err)


@pytest.mark.parametrize("value", [None, "", "  ", 6.1, 11])
def test_clause_must_be_a_string(value: object) -> None:
    assert error(clause=value).field == "clause"


@pytest.mark.parametrize("value", ["", 3, ["理论"]])
def test_subject_must_be_a_name(value: object) -> None:
    assert error(subject=value).field == "subject"


@pytest.mark.parametrize("obj", [[], "6.1", None, 3])
def test_facts_must_be_an_object(obj: object) -> None:
    with pytest.raises(FactsError) as err:
        parse_facts(obj)
    assert err.value.field == "facts"


# --- facts the clause does not use --------------------------------------------------------

RB = load_rulebook("cn-national-2021")


def noted(**facts: Any) -> Outcome:
    parsed = parse_facts({"date": "2026-06-12", **facts})
    return note_unused_facts(RB, parsed, classify(RB, parsed))


def test_a_fact_the_clause_does_not_use_is_accepted_with_a_note() -> None:
    plain = classify(RB, {**BASE})
    out = noted(clause="6.1", severity="serious")
    assert (out.violation, out.ban_until, out.measures) == (
        plain.violation,
        plain.ban_until,
        plain.measures,
    )
    assert out.notes == ("事实“情节轻微或严重”不适用于第六条第（一）项，未予采用。",)
    assert out.notes_en == ("The fact 'severity' does not apply to Art. 6(1) and was not used.",)
    d = out.to_dict()
    assert (d["notes"], d["notes_en"]) == (list(out.notes), list(out.notes_en))


@pytest.mark.parametrize(
    ("facts", "unused"),
    [
        ({"clause": "6.1", "warned": True, "severity": "minor"}, [Fact.WARNED, Fact.SEVERITY]),
        ({"clause": "7.2", "severity": "minor"}, []),
        ({"clause": "5.1", "warned": True, "refused": True}, []),
        ({"clause": "9.1", "role": "exam_admin", "severity": "serious"}, [Fact.SEVERITY]),
        ({"clause": "9.1", "role": "exam_admin", "adverse_effect": True}, [Fact.ADVERSE_EFFECT]),
        ({"clause": "11", "role": "supervisor", "adverse_effect": False}, []),
        # prior_warning decides only once 12.1 escalates to 13.1 (serious).
        ({"clause": "12.1", "severity": "minor", "prior_warning": True}, [Fact.PRIOR_WARNING]),
        ({"clause": "12.1", "severity": "serious", "prior_warning": True}, []),
        ({"clause": "14.1", "prior_warning": False}, [Fact.PRIOR_WARNING]),
    ],
)
def test_unused_facts(facts: dict[str, Any], unused: list[Fact]) -> None:
    parsed = parse_facts({"date": "2026-06-12", **facts})
    assert list(unused_facts(RB, parsed, classify(RB, parsed))) == unused
    assert len(noted(**facts).notes) == len(unused)


def test_an_escalated_clause_is_noted_under_the_clause_given() -> None:
    out = noted(clause="12.1", severity="minor", prior_warning=True)
    assert out.notes_en == (
        "The fact 'prior_warning' does not apply to Art. 12(1) and was not used.",
    )


def test_a_fact_of_another_party_is_still_refused() -> None:
    # Consistency: another party's fact means the wrong clause or party; it is not just noted.
    with pytest.raises(FactsError, match="field 'warned': applies to candidate incidents"):
        classify(RB, {"clause": "9.1", "date": "2026-06-12", "role": "exam_admin", "warned": True})


def test_without_unused_facts_the_outcome_is_unchanged() -> None:
    parsed = parse_facts({**BASE})
    out = classify(RB, parsed)
    assert note_unused_facts(RB, parsed, out) is out
    assert out.to_dict()["notes"] == []


def test_classify_itself_notes_an_unused_fact_once() -> None:
    outcome = classify(
        RB, {"party": "candidate", "clause": "6.1", "date": "2026-06-12", "severity": "minor"}
    )
    assert outcome.notes == ("事实“情节轻微或严重”不适用于第六条第（一）项，未予采用。",)
    assert outcome.to_dict()["notes_en"] == [
        "The fact 'severity' does not apply to Art. 6(1) and was not used."
    ]
