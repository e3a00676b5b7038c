"""Shared set-up for the register tests (no tests here): bans decided through the casework
service, as the institution decides them (a finding after the evaluation, Art. 8, so that no
laptop is needed), and the register's entries as the database holds them."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from sqlmodel import col, select

from app.core.casework import cases
from app.core.casework.service import CaseDesk
from app.core.records.register_tables import RegisterEntry
from app.core.records.service import Workspace
from tests.support.casework import ANNA, CHEN, FAKE_SHA


def at(monkeypatch: pytest.MonkeyPatch, day: str) -> None:
    """Casework's clock at noon (Beijing) of ``day``."""
    instant = dt.datetime.fromisoformat(f"{day}T04:00:00+00:00")
    monkeypatch.setattr(cases, "now", lambda: instant)


def finding(
    name: str, id_number: str, clause: str, id_type: str = "resident_id", sat_on: str = "2024-06-15"
) -> dict[str, Any]:
    """An Art. 8 finding: the sitting on ``sat_on``, found five days later."""
    found = dt.date.fromisoformat(sat_on) + dt.timedelta(days=5)
    return {
        "person": {"name": name, "id_type": id_type, "id_number": id_number},
        "clause": clause,
        "date": sat_on,
        "discovered_on": found.isoformat(),
        "certificate_issued": False,
        "description": "经核查，系他人冒名顶替参加评价。",
        "confirmed_by": {
            "staff": [
                {"name": "刘一", "role": "考评人员"},
                {"name": "陈二", "role": "考务管理人员"},
            ],
            "responsible": {"name": "赵主任", "role": "评价机构负责人"},
        },
    }


def decide(
    ws: Workspace,
    monkeypatch: pytest.MonkeyPatch,
    person: tuple[str, str],
    clause: str = "7.4",
    *,
    severity: str | None = "minor",
    day: str = "2026-03-10",
    id_type: str = "resident_id",
    sat_on: str = "2024-06-15",
) -> str:
    """A ban decided on ``day`` for ``person`` (name, ID number): the case's id."""
    at(monkeypatch, day)
    desk = CaseDesk(ws)
    case = desk.open_without_record(ANNA, finding(person[0], person[1], clause, id_type, sat_on))
    ref = str(case["id"])
    facts = {} if severity is None or not clause.startswith("7") else {"severity": severity}
    desk.determine(ANNA, ref, 1, **facts)
    desk.notice(ANNA, ref, 2, document_sha256=FAKE_SHA)
    desk.decide(ANNA, ref, 3, decision_date=dt.date.fromisoformat(day), document_sha256=FAKE_SHA)
    return ref


def review(
    ws: Workspace, ref: str, outcome: str, severity: str | None = None, day: str | None = None
) -> None:
    """An objection to the decision of ``ref`` and the review decision (by an admin who took no
    part in it)."""
    desk = CaseDesk(ws)
    version = desk.version_of(ANNA, ref)
    desk.object_to(ANNA, ref, version, text="本人不服")
    facts = {} if severity is None else {"severity": severity}
    desk.review(CHEN, ref, version + 1, outcome=outcome, document_sha256=FAKE_SHA, **facts)


def entries(ws: Workspace) -> list[RegisterEntry]:
    with ws.reading() as db:
        return list(db.exec(select(RegisterEntry).order_by(col(RegisterEntry.id))).all())
