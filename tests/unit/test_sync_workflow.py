"""An import takes a record's standing (void, replaced) only where the device's own records and
audit log show it: a status edited into a laptop's database does not reach the institution."""

from __future__ import annotations

import datetime as dt
import sqlite3
from pathlib import Path
from typing import Any

from sqlmodel import select

from app.core.demo.seed import DEMO_PIN
from app.core.records.db import DB_FILE
from app.core.records.service import Workspace
from app.core.records.tables import Incident
from app.core.sync.export import export_bundle
from app.core.sync.importing import import_bundles
from tests.support.sync import Institution, make_institution, make_laptop, record_incident

# Later than anything the laptop wrote, yet not ahead of the institution's clock (an import
# refuses records dated ahead of it): so the edit is the copy "updated last".
_LATER = (dt.datetime.now(dt.UTC) + dt.timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


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


def _claim_to_amend(ws: Workspace, forged: str, target: str, **columns: str) -> dict[str, Any]:
    """Edit the draft ``forged`` in the file so that it claims to be version 2 of ``target``
    (a draft has no seal to break); ``number`` and ``device_code`` columns too when given.
    Returns the content as now stored."""
    import json

    from app.core.seal.canonical import canonical_text, content_hash

    con = sqlite3.connect(ws.data_dir / DB_FILE)
    with con:
        (text,) = con.execute(
            "SELECT content_json FROM incident_content WHERE incident_id = ?", (forged,)
        ).fetchone()
        content: dict[str, Any] = json.loads(text)
        content.update(supersedes=target, version=2)
        if "number" in columns:
            content["number"] = columns["number"]
        con.execute(
            "UPDATE incident_content SET content_json = ? WHERE incident_id = ?",
            (canonical_text(content), forged),
        )
        sets = "".join(f", {name} = ?" for name in columns)
        con.execute(
            f"UPDATE incident SET supersedes_id = ?, version = 2, content_hash = ?{sets}"
            " WHERE id = ?",
            (target, content_hash(content), *columns.values(), forged),
        )
    con.close()
    return content


def test_a_void_made_through_the_app_arrives(tmp_path: Path, institution_db: str | None) -> None:
    inst = make_institution(tmp_path, institution_db)
    laptop = make_laptop(tmp_path, "laptop", "A", inst.kit)
    first = record_incident(laptop, inst.session_id, 0)
    assert _send(inst, laptop, tmp_path / "1.pdbundle", since_last=False) == "imported"
    laptop.void(first, _head(laptop, inst.session_id), "重复记录", DEMO_PIN)
    assert _send(inst, laptop, tmp_path / "2.pdbundle") == "imported"
    assert _rows(inst)[first] == ("void", "重复记录", None)


def test_a_void_edited_into_the_laptop_file_is_refused(
    tmp_path: Path, institution_db: str | None
) -> None:
    inst = make_institution(tmp_path, institution_db)
    laptop = make_laptop(tmp_path, "laptop", "A", inst.kit)
    first = record_incident(laptop, inst.session_id, 0)
    assert _send(inst, laptop, tmp_path / "1.pdbundle", since_last=False) == "imported"
    before = _rows(inst)
    _edit(
        laptop,
        "UPDATE incident SET status='void', void_reason='考生申诉成立', "
        f"updated_at='{_LATER}' WHERE id='{first}'",
    )
    status = _send(inst, laptop, tmp_path / "2.pdbundle")
    assert status.startswith("rejected")
    assert "void, but the device's audit log records no voiding" in status
    assert _rows(inst) == before  # nothing changed at the institution


def test_an_amendment_replaces_the_version_it_amends(
    tmp_path: Path, institution_db: str | None
) -> None:
    inst = make_institution(tmp_path, institution_db)
    laptop = make_laptop(tmp_path, "laptop", "A", inst.kit)
    first = record_incident(laptop, inst.session_id, 0)
    assert _send(inst, laptop, tmp_path / "1.pdbundle", since_last=False) == "imported"
    second = laptop.amend(first, laptop.draft_of(first), reason="补充").id
    assert _send(inst, laptop, tmp_path / "2.pdbundle") == "imported"
    rows = _rows(inst)
    assert rows[first][2] == second
    assert rows[second][0] == "draft"


def test_a_record_hidden_as_replaced_is_refused(tmp_path: Path, institution_db: str | None) -> None:
    inst = make_institution(tmp_path, institution_db)
    laptop = make_laptop(tmp_path, "laptop", "A", inst.kit)
    first = record_incident(laptop, inst.session_id, 0)
    other = record_incident(laptop, inst.session_id, 1)
    assert _send(inst, laptop, tmp_path / "1.pdbundle", since_last=False) == "imported"
    _edit(
        laptop,
        f"UPDATE incident SET superseded_by_id='{other}', updated_at='{_LATER}' WHERE id='{first}'",
    )
    status = _send(inst, laptop, tmp_path / "2.pdbundle")
    assert "which is no standing amendment of it" in status
    assert _rows(inst)[first][2] is None


def test_a_voided_amendment_leaves_the_version_it_amended_in_force(
    tmp_path: Path, institution_db: str | None
) -> None:
    inst = make_institution(tmp_path, institution_db)
    laptop = make_laptop(tmp_path, "laptop", "A", inst.kit)
    first = record_incident(laptop, inst.session_id, 0)
    second = laptop.amend(first, laptop.draft_of(first), reason="补充").id
    assert _send(inst, laptop, tmp_path / "1.pdbundle", since_last=False) == "imported"
    assert _rows(inst)[first][2] == second
    laptop.void(second, _head(laptop, inst.session_id), "修订有误", DEMO_PIN)
    assert _send(inst, laptop, tmp_path / "2.pdbundle") == "imported"
    rows = _rows(inst)
    assert rows[second][:2] == ("void", "修订有误")
    assert rows[first][2] is None  # the first version is the one in force again


def test_a_made_up_amendment_cannot_hide_another_laptops_record(
    tmp_path: Path, institution_db: str | None
) -> None:
    """Laptop B's database edited so that a draft claims to amend laptop A's confirmed record
    (a draft has no seal to break): the institution refuses B's bundle, A's record stands."""

    from app.core.records.incidents import IncidentFilters
    from app.core.seal.canonical import content_hash

    inst = make_institution(tmp_path, institution_db)
    laptop_a = make_laptop(tmp_path, "A", "A", inst.kit)
    laptop_b = make_laptop(tmp_path, "B", "B", inst.kit)
    target = record_incident(laptop_a, inst.session_id, 0)
    assert _send(inst, laptop_a, tmp_path / "a.pdbundle", since_last=False) == "imported"
    draft = laptop_b.draft_of(record_incident(laptop_b, inst.session_id, 1))
    forged = laptop_b.create_incident(inst.session_id, draft).id
    _claim_to_amend(laptop_b, forged, target)
    status = _send(inst, laptop_b, tmp_path / "b.pdbundle", since_last=False)
    assert f"amends {target}, a record this device did not seal" in status
    assert _rows(inst)[target] == ("exported", None, None)
    current = inst.ws.list_incidents(IncidentFilters(session_id=inst.session_id))
    assert [i.id for i in current] == [target]
    # Further: A's number and device code in the columns, and an amend entry appended to B's
    # own chain (B's verify then passes). The seal says whose record A-001 is.
    from app.core.records.audit import append

    content = _claim_to_amend(laptop_b, forged, target, number="A-001", device_code="A")
    with laptop_b.transaction() as db:
        append(
            db,
            action="amend",
            device=laptop_b.device,
            session_id=inst.session_id,
            incident_id=forged,
            details={"content_hash": content_hash(content), "supersedes": target},
        )
    status = _send(inst, laptop_b, tmp_path / "b2.pdbundle", since_last=False)
    assert f"amends {target}, a record this device did not seal" in status
    assert _rows(inst)[target] == ("exported", None, None)


def test_a_later_bundle_carries_the_history_of_its_records(
    tmp_path: Path, institution_db: str | None
) -> None:
    """Voided in bundle 2, its seized phone returned in bundle 3: bundle 3 holds the record
    again, with its voiding entry, so it imports before bundle 2 as well as after it."""
    import shutil

    from app.core.demo.strokes import synthetic_strokes
    from app.core.records.content import IncidentDraft, SeizedItem
    from app.core.trust.institution import load_identity
    from tests.support.sync import ADMIN_PASS, WHEN, institution_signs

    inst = make_institution(tmp_path, institution_db)
    laptop = make_laptop(tmp_path, "laptop", "A", inst.kit)
    staff = laptop.staff(inst.session_id)
    admins = [s.id for s in staff if s.role == "exam_admin"][:2]
    head = _head(laptop, inst.session_id)
    candidate = laptop.candidates(inst.session_id)[0]
    ink = synthetic_strokes("签")
    draft = IncidentDraft(
        party="candidate",
        occurred_at=WHEN,
        subject="理论知识",
        person_id=candidate.id,
        clause="6.1",
        description="使用手机",
        seized_items=(SeizedItem("手机一部", "R-1"),),
    )
    target = laptop.create_incident(inst.session_id, draft).id
    for admin in admins:
        laptop.sign(target, admin, ink, DEMO_PIN)
    laptop.acknowledge(target, ink)
    laptop.confirm(target, head, ink, DEMO_PIN)
    bundles = [tmp_path / f"{n}.pdbundle" for n in (1, 2, 3)]
    export_bundle(laptop, inst.session_id, bundles[0])
    laptop.void(target, head, "误录：非本场考生", DEMO_PIN)
    export_bundle(laptop, inst.session_id, bundles[1], since_last=True)
    laptop.record_return(target, "R-1", "考生本人", admins[0], ink, DEMO_PIN)
    export_bundle(laptop, inst.session_id, bundles[2], since_last=True)
    inst.ws.close()
    for order in ((2, 0, 1), (2, 1, 0), (0, 2, 1)):
        folder = tmp_path / ("institution-" + "".join(map(str, order)))
        shutil.copytree(tmp_path / "institution", folder)
        with Workspace.open(folder) as ws:
            identity = load_identity(folder, ADMIN_PASS)
            institution_signs(ws, identity)  # no account in this copy's own database
            for index in order:
                (outcome,) = import_bundles(ws, identity, [bundles[index]])
                assert outcome.status == "imported", (order, outcome.message)
            with ws.reading() as db:
                row = db.get(Incident, target)
                assert row is not None and (row.status, row.void_reason) == (
                    "void",
                    "误录：非本场考生",
                )


def test_an_amendment_of_another_paper_record_of_the_same_laptop_is_refused(
    tmp_path: Path,
    institution_db: str | None,
) -> None:
    """A draft edited to amend another of the laptop's own confirmed records (another number)."""

    inst = make_institution(tmp_path, institution_db)
    laptop = make_laptop(tmp_path, "laptop", "A", inst.kit)
    target = record_incident(laptop, inst.session_id, 0)
    forged = laptop.create_incident(inst.session_id, laptop.draft_of(target)).id
    _claim_to_amend(laptop, forged, target)
    status = _send(inst, laptop, tmp_path / "1.pdbundle", since_last=False)
    assert "which is not an earlier version of the same record" in status
