"""The site head gives a staff member their first PIN (the site head's own PIN checked, counted
towards their lockout, audited with the site head as actor, the staff rows sealed again), and
who is on duty together is kept per subject."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlmodel import Session, col, select

from app.core.demo.seed import seed_demo
from app.core.records import pin_guard
from app.core.records.app_state import UnlockError, give_staff_pin, set_staff_pin, unlock
from app.core.records.on_duty import OnDutyError, on_duty, room_proctors, set_on_duty
from app.core.records.service import Workspace
from app.core.records.tables import AuditEntry
from tests.support.records import newcomer

HEAD_PIN = "2468"


def _actions(ws: Workspace) -> list[tuple[str, str | None]]:
    with Session(ws.engine) as db:
        rows = db.exec(
            select(AuditEntry.action, AuditEntry.actor_id).order_by(col(AuditEntry.seq))
        ).all()
    return [(action, actor) for action, actor in rows]


def test_site_head_gives_a_pin_with_their_own(tmp_path: Path) -> None:
    with Workspace.open(tmp_path / "data") as ws:
        demo = seed_demo(ws, candidates=2, incidents=0)
        # Two people the demo did not give its PIN: a site head and a proctor added on site.
        head = newcomer(ws, demo.session_id, "site_head", "新负责人").id
        admin = newcomer(ws, demo.session_id, "exam_admin", "新考务").id
        with pytest.raises(UnlockError) as no_head_pin:
            give_staff_pin(ws, demo.session_id, head, "", admin, "1234")
        assert no_head_pin.value.code == "no_head_pin"
        set_staff_pin(ws, demo.session_id, head, HEAD_PIN, actor_id=head)

        with pytest.raises(UnlockError) as not_head:
            give_staff_pin(ws, demo.session_id, admin, HEAD_PIN, admin, "1234")
        assert not_head.value.code == "not_site_head"
        with pytest.raises(UnlockError) as wrong:
            give_staff_pin(ws, demo.session_id, head, "0000", admin, "1234")
        assert wrong.value.code == "wrong_head_pin"
        with Session(ws.engine) as db:
            assert pin_guard.seconds_locked(db, head) == 0
        assert ("pin_failed", head) in _actions(ws)  # the site head's wrong PIN is counted
        with pytest.raises(UnlockError) as bad_format:
            give_staff_pin(ws, demo.session_id, head, HEAD_PIN, admin, "12")
        assert bad_format.value.code == "pin_format"

        updated = give_staff_pin(ws, demo.session_id, head, HEAD_PIN, admin, "1234")
        assert updated.id == admin and updated.pin_hash is not None
        actions = _actions(ws)
        assert ("pin_set", head) in actions and actions[-1] == ("staff_rows", head)
        # The new row is vouched for: the PIN unlocks (no "changed outside the app").
        assert unlock(ws, demo.session_id, admin, "1234").id == admin
        with pytest.raises(UnlockError) as exists:
            give_staff_pin(ws, demo.session_id, head, HEAD_PIN, admin, "9999")
        assert exists.value.code == "pin_exists"  # nobody takes over a PIN already set
        assert ws.verify().ok


def test_on_duty_is_kept_per_subject_and_refuses_the_site_head(tmp_path: Path) -> None:
    with Workspace.open(tmp_path / "data") as ws:
        demo = seed_demo(ws, candidates=2, incidents=0)
        a, b = (s.id for s in demo.staff["exam_admin"][:2])
        head = demo.staff["site_head"][0].id
        subject = "理论知识"
        assert on_duty(ws, demo.session_id, subject) == []
        set_on_duty(ws, demo.session_id, subject, [a, b], actor_id=a)
        set_on_duty(ws, demo.session_id, subject, [a, b], actor_id=a)  # unchanged: not again
        assert on_duty(ws, demo.session_id, subject) == [a, b]
        assert on_duty(ws, demo.session_id, "操作技能") == []
        assert sum(1 for action, _ in _actions(ws) if action == "on_duty") == 1
        set_on_duty(ws, demo.session_id, subject, [b, a], actor_id=b)
        assert on_duty(ws, demo.session_id, subject) == [b, a]
        with pytest.raises(OnDutyError):
            set_on_duty(ws, demo.session_id, subject, [a, head], actor_id=a)
        with pytest.raises(OnDutyError):
            set_on_duty(ws, demo.session_id, subject, [], actor_id=a)
        assert ws.verify().ok


def test_room_proctors_are_read_from_the_plan_where_it_names_staff(tmp_path: Path) -> None:
    import dataclasses

    from app.core.rosters.rows import StaffRow
    from tests.support.main_window import spec

    plan = spec()
    rooms = (
        dataclasses.replace(plan.rooms[0], responsible="钱老师、KW01"),
        dataclasses.replace(plan.rooms[1], responsible="第2考场主监考"),
    )
    with Workspace.open(tmp_path / "data") as ws:
        session_id = ws.create_session(dataclasses.replace(plan, rooms=rooms))
        ws.import_staff(
            session_id,
            [
                StaffRow("周主任", "site_head", "FZ01", None),
                StaffRow("赵老师", "exam_admin", "KW01", None),
                StaffRow("钱老师", "exam_admin", "KW02", None),
            ],
        )
        by_name = {s.name: s.id for s in ws.staff(session_id)}
        assert room_proctors(ws, session_id, "第1考场") == [by_name["钱老师"], by_name["赵老师"]]
        assert room_proctors(ws, session_id, "第2考场") == []  # a role, not a name
        assert room_proctors(ws, session_id, None) == []
