"""Five wrong PINs in a row lock the person out for 30 seconds: at the lock screen and in the
signing dialogs alike (one count per person), across a restart of the app, and each wrong PIN
is in the audit log (``pin_failed``, the person as actor, no PIN in it)."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from sqlmodel import Session, col, select

from app.core.demo.seed import DemoSession, seed_demo
from app.core.records import pin_guard
from app.core.records.app_state import UnlockError, set_staff_pin, unlock
from app.core.records.people import PinError
from app.core.records.service import Workspace
from app.core.records.tables import AuditEntry
from tests.support.records import INK, draft, newcomer

PIN = "1357"


def _failures(ws: Workspace, staff_id: str) -> list[AuditEntry]:
    with Session(ws.engine) as db:
        query = select(AuditEntry).where(
            col(AuditEntry.action) == "pin_failed", col(AuditEntry.actor_id) == staff_id
        )
        return list(db.exec(query).all())


def _setup(folder: Path) -> tuple[DemoSession, str, str]:
    with Workspace.open(folder) as ws:
        demo = seed_demo(ws, candidates=4, incidents=0)
        admin = newcomer(ws, demo.session_id, "exam_admin", "新考务").id  # no PIN yet
        set_staff_pin(ws, demo.session_id, admin, PIN, actor_id=None)
        incident = ws.create_incident(demo.session_id, draft(demo)).id
    return demo, admin, incident


def test_wrong_pins_in_the_signing_dialog_lock_out_and_survive_a_restart(tmp_path: Path) -> None:
    folder = tmp_path / "data"
    demo, admin, incident = _setup(folder)
    with Workspace.open(folder) as ws:
        for _ in range(pin_guard.MAX_FAILURES):
            with pytest.raises(PinError):
                ws.sign(incident, admin, INK, "0000")
        failures = _failures(ws, admin)
        assert len(failures) == pin_guard.MAX_FAILURES
        assert all(PIN not in e.details_json and "0000" not in e.details_json for e in failures)
        assert json.loads(failures[0].details_json)["where"] == "sign"
    with Workspace.open(folder) as ws:  # the app started again
        with pytest.raises(pin_guard.PinLockedError):
            ws.sign(incident, admin, INK, PIN)
        with pytest.raises(pin_guard.PinLockedError):
            ws.check_pin(admin, PIN)  # what the witness dialogs ask before recording
        with pytest.raises(UnlockError) as locked:
            unlock(ws, demo.session_id, admin, PIN)  # the same person at the lock screen
        assert locked.value.code == "locked"
        assert len(_failures(ws, admin)) == pin_guard.MAX_FAILURES  # a locked try is no guess


def test_the_lock_screen_counts_and_the_lockout_ends(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "data"
    demo, admin, incident = _setup(folder)
    with Workspace.open(folder) as ws:
        for _ in range(pin_guard.MAX_FAILURES):
            with pytest.raises(UnlockError) as wrong:
                unlock(ws, demo.session_id, admin, "0000")
            assert wrong.value.code == "wrong_pin"
        assert json.loads(_failures(ws, admin)[0].details_json)["where"] == "unlock"
        with pytest.raises(pin_guard.PinLockedError):
            ws.sign(incident, admin, INK, PIN)
        later = dt.datetime.now(dt.UTC) + dt.timedelta(seconds=pin_guard.LOCKOUT_SECONDS + 1)
        monkeypatch.setattr(pin_guard, "_now", lambda: later)
        assert unlock(ws, demo.session_id, admin, PIN).id == admin
        ws.sign(incident, admin, INK, PIN)  # the right PIN ended the run of wrong ones
        other = demo.staff["exam_admin"][1].id  # the demo's PIN
        with pytest.raises(UnlockError) as wrong:
            unlock(ws, demo.session_id, other, "0000")  # another person keeps their own count
        assert wrong.value.code == "wrong_pin"
