"""``report archived`` on an institution whose records are on PostgreSQL (docs/postgresql.md):
the archived PDFs an import brought are listed and written out from the database, the
importing folder holding none of them."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from app.core.records.db import DATABASE_URL_ENV
from app.core.sync.export import export_bundle
from app.core.sync.importing import IMPORTED, import_bundles
from tests.support.accounts import first_admin
from tests.support.cli import run
from tests.support.sync import ADMIN_PASS, make_institution, make_laptop, record_incident

PDF = b"%PDF-1.7\n" + bytes(range(200)) + b"\n%%EOF\n"


def test_report_archived_reads_the_shared_database(
    tmp_path: Path, pg_url: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    inst = make_institution(tmp_path, pg_url)
    laptop = make_laptop(tmp_path, "laptop-a", "A", inst.kit)
    record_incident(laptop, inst.session_id, 0)
    pdf = tmp_path / "记录 A-001.pdf"
    pdf.write_bytes(PDF)
    export_bundle(laptop, inst.session_id, tmp_path / "a.pdbundle", reports=[pdf])
    laptop.close()
    outcomes = import_bundles(inst.ws, inst.identity, [tmp_path / "a.pdbundle"])
    assert [o.status for o in outcomes] == [IMPORTED]
    inst.ws.close()
    folder = inst.ws.data_dir
    assert not list(folder.rglob("*.pdf"))

    monkeypatch.setenv(DATABASE_URL_ENV, pg_url)
    monkeypatch.setenv("PROCTOR_DESK_PASSPHRASE", ADMIN_PASS)
    first_admin(folder, monkeypatch)
    capsys.readouterr()
    assert run(folder, "report", "archived", "--json") == 0
    [entry] = json.loads(capsys.readouterr().out)
    assert entry["session_id"] == inst.session_id and entry["problem"]  # not signed
    out = tmp_path / "copy.pdf"
    assert run(folder, "report", "archived", entry["id"][:8], "--out", str(out)) == 0
    assert out.read_bytes() == PDF
    assert run(folder, "report", "archived", "--rebuild") == 0
    capsys.readouterr()
    assert run(folder, "report", "archived", "--json") == 0
    assert [e["id"] for e in json.loads(capsys.readouterr().out)] == [entry["id"]]
