"""Bundles imported together, on both engines: one transaction for the group, each bundle in
its own savepoint.

What the group's bundles share: the people's cases take in the imported bundles' records once
for the group; session rows merged by one bundle are not merged again by the next that carries
the very same rows, unless the first was refused (its savepoint rolled back); and the proof
helper starts for the first of many small bundles rather than after several were checked in
place.
"""

from __future__ import annotations

import datetime as dt
import os
import uuid
from pathlib import Path
from typing import Any

import pytest

from app.core.bundles import open_bundle
from app.core.casework.service import CaseDesk
from app.core.records.service import Workspace
from app.core.rosters.rows import CandidateRow
from app.core.sync import proof_worker
from app.core.sync.export import export_bundle
from app.core.sync.importing import IMPORTED, REJECTED, import_bundles
from tests.support.casework import READER, record
from tests.support.crafted_bundles import signed_again
from tests.support.sync import Institution

ON_SITE = ("孙八", "44010619900101002X")  # a candidate added to the roster at the site


def _export(laptop: Workspace, inst: Institution, path: Path, *, since_last: bool) -> Path:
    export_bundle(laptop, inst.session_id, path, since_last=since_last)
    return path


def _imported(inst: Institution, paths: list[Path]) -> list[str]:
    return [o.status for o in import_bundles(inst.ws, inst.identity, paths)]


def _case_import_entries(inst: Institution) -> int:
    with inst.ws.engine.connect() as connection:
        found = connection.exec_driver_sql(
            "SELECT count(*) FROM audit_log WHERE action = 'case_import'"
        ).scalar()
    return int(found or 0)


def _cases(inst: Institution) -> dict[tuple[str, ...], dict[str, Any]]:
    """The cases by their clauses, each shown whole."""
    desk = CaseDesk(inst.ws)
    return {tuple(r["clauses"]): desk.show(READER, str(r["id"])) for r in desk.list(READER)}


def _recrafted(
    inst: Institution,
    laptop: Workspace,
    source: Path,
    path: Path,
    edit: Any,
    created_at: str | None = None,
) -> Path:
    """``source``'s records as ``edit`` changes them, signed again by the laptop under a new
    bundle id; dated ``created_at``, else before the laptop's own bundles (a group takes
    bundles oldest first)."""
    with open_bundle(source, inst.identity.encryption_key) as bundle:
        records = bundle.records
        files = [(name, bundle.read_file(name)) for name in bundle.file_names]
        fields = bundle.fields
    return signed_again(
        path,
        edit(records),
        fields,
        laptop.device.private_key,
        inst.identity.public.recipient,
        files=files,
        created_at=created_at,
    )


def test_bundles_imported_together_open_and_grow_each_case_once(
    inst: Institution, laptop: Workspace, tmp_path: Path
) -> None:
    first = record(laptop, inst.session_id, index=0, clause="6.1")
    one = _export(laptop, inst, tmp_path / "one.pdbundle", since_last=False)
    second = record(laptop, inst.session_id, index=0, clause="7.4")
    other = record(laptop, inst.session_id, index=1, clause="5.4")
    two = _export(laptop, inst, tmp_path / "two.pdbundle", since_last=True)
    assert _imported(inst, [one, two]) == [IMPORTED, IMPORTED]
    cases = _cases(inst)
    assert sorted(cases) == [("5.4",), ("6.1", "7.4")]
    assert cases[("6.1", "7.4")]["records"] == sorted([first, second])
    assert cases[("5.4",)]["records"] == [other]
    # Opened once with every record of both bundles, not opened and then changed.
    assert [s["kind"] for s in cases[("6.1", "7.4")]["steps"]] == ["opened"]
    assert _case_import_entries(inst) == 1

    # Two more bundles together: the case grows by one step holding both bundles' records.
    third = record(laptop, inst.session_id, index=0, clause="5.4")
    three = _export(laptop, inst, tmp_path / "three.pdbundle", since_last=True)
    fourth = record(laptop, inst.session_id, index=0, clause="6.2")
    four = _export(laptop, inst, tmp_path / "four.pdbundle", since_last=True)
    assert _imported(inst, [four, three]) == [IMPORTED, IMPORTED]
    grown = _cases(inst)[("5.4", "6.1", "6.2", "7.4")]
    assert grown["records"] == sorted([first, second, third, fourth])
    assert [s["kind"] for s in grown["steps"]] == ["opened", "records_changed"]
    assert _case_import_entries(inst) == 2


def _clashing(records: list[tuple[str, Any]]) -> list[tuple[str, Any]]:
    """A staff row under a new id with a staff number already used: refused at its merge."""
    for name, value in records:
        if name == "session.json":
            value["staff"][0]["id"] = str(uuid.uuid4())
    return records


def _sealed_wrongly(records: list[tuple[str, Any]]) -> list[tuple[str, Any]]:
    """A seal's signature changed: refused by the helper's answer, after the bundle's rows
    were written (and, for a group's last bundle, the group's records taken into cases)."""
    for name, value in records:
        if name.startswith("incidents/"):
            seal = value[0]["seal"]
            first = "0" if seal["signature"][0] != "0" else "1"
            seal["signature"] = first + seal["signature"][1:]
    return records


@pytest.mark.parametrize("edit", [_clashing, _sealed_wrongly])
def test_a_bundle_refused_after_others_leaves_theirs_imported_with_their_cases(
    inst: Institution,
    laptop: Workspace,
    tmp_path: Path,
    helper_starts: list[bool],
    edit: Any,
) -> None:
    kept = record(laptop, inst.session_id, index=0, clause="6.1")
    one = _export(laptop, inst, tmp_path / "one.pdbundle", since_last=False)
    record(laptop, inst.session_id, index=1, clause="5.4")
    two = _export(laptop, inst, tmp_path / "two.pdbundle", since_last=True)
    now = dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")  # after the first one's
    bad = _recrafted(inst, laptop, two, tmp_path / "bad.pdbundle", edit, created_at=now)
    outcomes = import_bundles(inst.ws, inst.identity, [one, bad])
    assert [o.status for o in outcomes] == [IMPORTED, REJECTED], [o.line() for o in outcomes]
    # SQLite says "UNIQUE constraint failed", PostgreSQL "violates unique constraint".
    said = outcomes[1].message.lower()
    assert ("unique constraint" if edit is _clashing else "signature") in said
    assert helper_starts == [True]
    cases = _cases(inst)
    assert list(cases) == [("6.1",)] and cases[("6.1",)]["records"] == [kept]
    assert _case_import_entries(inst) == 1


def test_session_rows_of_a_refused_bundle_are_merged_again_by_the_next(
    inst: Institution, laptop: Workspace, tmp_path: Path, helper_starts: list[bool]
) -> None:
    """The refused bundle's rows were written and then rolled back with it: the next bundle
    carrying the very same rows merges them itself (the candidate added on site comes in)."""
    rooms = laptop.rooms(inst.session_id)
    room = sorted(rooms)[-1]
    seat = rooms[room]
    walk_in = CandidateRow(ON_SITE[0], "resident_id", ON_SITE[1], "T-ON-SITE", room, seat, None)
    laptop.import_candidates(inst.session_id, [walk_in])
    names = [c.name for c in laptop.candidates(inst.session_id)]
    record(laptop, inst.session_id, index=0, clause="6.1")
    first = _export(laptop, inst, tmp_path / "one.pdbundle", since_last=False)
    on_site_record = record(laptop, inst.session_id, index=names.index(ON_SITE[0]), clause="5.4")
    later = _export(laptop, inst, tmp_path / "two.pdbundle", since_last=True)

    refused = _recrafted(inst, laptop, first, tmp_path / "bad.pdbundle", _sealed_wrongly)
    with (
        open_bundle(later, inst.identity.encryption_key) as a,
        open_bundle(refused, inst.identity.encryption_key) as b,
    ):
        same = [e.sha256 for e in a.entries if e.name == "session.json"]
        assert same == [e.sha256 for e in b.entries if e.name == "session.json"]
    outcomes = import_bundles(inst.ws, inst.identity, [refused, later])
    assert [o.status for o in outcomes] == [REJECTED, IMPORTED], [o.line() for o in outcomes]
    assert "signature" in outcomes[0].message
    assert helper_starts == [True]  # the records were checked by the helper, as they were written
    assert ON_SITE[0] in [c.name for c in inst.ws.candidates(inst.session_id)]
    assert _cases(inst)[("5.4",)]["records"] == [on_site_record]


@pytest.mark.parametrize(("files", "starts"), [(1, False), (2, False), (4, True), (50, True)])
def test_the_helper_starts_for_the_first_of_enough_bundles(
    monkeypatch: pytest.MonkeyPatch, files: int, starts: bool
) -> None:
    """Each bundle announcing 400 proofs: 1,600 in four files are worth the helper from the
    first, 800 in two are not."""
    monkeypatch.setattr(os, "cpu_count", lambda: 2)  # a second core, as the helper needs
    helper = proof_worker.ProofHelper(files)
    try:
        assert helper.take(400) is starts
    finally:
        helper.close()
