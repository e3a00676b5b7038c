"""An import takes a record's standing (void, replaced) only where the device's own records and
audit log show it: a status edited into a laptop's database does not reach the institution."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from sqlmodel import select
from test_sync_support import Institution, make_institution, make_laptop, record_incident

from app.core.records.db import DB_FILE
from app.core.records.service import Workspace
from app.core.records.tables import Incident
from app.core.sync.export import export_bundle
from app.core.sync.importing import import_bundles


def _head(ws: Workspace, session_id: str) -> str:
    return next(s.id for s in ws.staff(session_id) if s.role == "site_head")


def _rows(inst: Institution) -> dict[str, tuple[str, str | None, str | None]]:
    with inst.ws.reading() as db:
        return {
            i.id: (i.status, i.void_reason, i.superseded_by_id)
            for i in db.exec(select(Incident)).all()
        }


def _send(inst: Institution, laptop: Workspace, path: Path, since_last: bool = True) -> str:
    export_bundle(laptop, inst.session_id, path, since_last=since_last)
    (outcome,) = import_bundles(inst.ws, inst.identity, [path])
    return outcome.status if outcome.status != "rejected" else f"rejected: {outcome.message}"


def _edit(ws: Workspace, statement: str) -> None:
    con = sqlite3.connect(ws.data_dir / DB_FILE)
    with con:
        con.execute(statement)
    con.close()


def test_a_void_made_through_the_app_arrives(tmp_path: Path) -> None:
    inst = make_institution(tmp_path)
    laptop = make_laptop(tmp_path, "laptop", "A", inst.kit)
    first = record_incident(laptop, inst.session_id, 0)
    assert _send(inst, laptop, tmp_path / "1.pdbundle", since_last=False) == "imported"
    laptop.void(first, _head(laptop, inst.session_id), "重复记录")
    assert _send(inst, laptop, tmp_path / "2.pdbundle") == "imported"
    assert _rows(inst)[first] == ("void", "重复记录", None)


def test_a_void_edited_into_the_laptop_file_is_refused(tmp_path: Path) -> None:
    inst = make_institution(tmp_path)
    laptop = make_laptop(tmp_path, "laptop", "A", inst.kit)
    first = record_incident(laptop, inst.session_id, 0)
    assert _send(inst, laptop, tmp_path / "1.pdbundle", since_last=False) == "imported"
    before = _rows(inst)
    _edit(
        laptop,
        "UPDATE incident SET status='void', void_reason='考生申诉成立', "
        f"updated_at='2099-01-01T00:00:00.000000Z' WHERE id='{first}'",
    )
    status = _send(inst, laptop, tmp_path / "2.pdbundle")
    assert status.startswith("rejected")
    assert "void, but the device's audit log records no voiding" in status
    assert _rows(inst) == before  # nothing changed at the institution


def test_an_amendment_replaces_the_version_it_amends(tmp_path: Path) -> None:
    inst = make_institution(tmp_path)
    laptop = make_laptop(tmp_path, "laptop", "A", inst.kit)
    first = record_incident(laptop, inst.session_id, 0)
    assert _send(inst, laptop, tmp_path / "1.pdbundle", since_last=False) == "imported"
    second = laptop.amend(first, laptop.draft_of(first), reason="补充").id
    assert _send(inst, laptop, tmp_path / "2.pdbundle") == "imported"
    rows = _rows(inst)
    assert rows[first][2] == second
    assert rows[second][0] == "draft"


def test_a_record_hidden_as_replaced_is_refused(tmp_path: Path) -> None:
    inst = make_institution(tmp_path)
    laptop = make_laptop(tmp_path, "laptop", "A", inst.kit)
    first = record_incident(laptop, inst.session_id, 0)
    other = record_incident(laptop, inst.session_id, 1)
    assert _send(inst, laptop, tmp_path / "1.pdbundle", since_last=False) == "imported"
    _edit(
        laptop,
        f"UPDATE incident SET superseded_by_id='{other}', "
        f"updated_at='2099-01-01T00:00:00.000000Z' WHERE id='{first}'",
    )
    status = _send(inst, laptop, tmp_path / "2.pdbundle")
    assert "which is no standing amendment of it" in status
    assert _rows(inst)[first][2] is None


def test_a_voided_amendment_leaves_the_version_it_amended_in_force(tmp_path: Path) -> None:
    inst = make_institution(tmp_path)
    laptop = make_laptop(tmp_path, "laptop", "A", inst.kit)
    first = record_incident(laptop, inst.session_id, 0)
    second = laptop.amend(first, laptop.draft_of(first), reason="补充").id
    assert _send(inst, laptop, tmp_path / "1.pdbundle", since_last=False) == "imported"
    assert _rows(inst)[first][2] == second
    laptop.void(second, _head(laptop, inst.session_id), "修订有误")
    assert _send(inst, laptop, tmp_path / "2.pdbundle") == "imported"
    rows = _rows(inst)
    assert rows[second][:2] == ("void", "修订有误")
    assert rows[first][2] is None  # the first version is the one in force again
