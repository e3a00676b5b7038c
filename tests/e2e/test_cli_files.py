"""Every ``--out`` of the command line refuses an existing file and never leaves half a file."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.cli.errors import CliError
from app.cli.files import write_new
from app.core.demo.seed import seed_demo
from app.core.records.service import Workspace
from tests.support.accounts import first_admin
from tests.support.cli import run


def test_write_new_refuses_an_existing_file_and_leaves_nothing_behind(tmp_path: Path) -> None:
    target = tmp_path / "a.pdf"
    assert write_new(target, b"%PDF-1") == target
    assert target.read_bytes() == b"%PDF-1"
    with pytest.raises(CliError, match="already exists"):
        write_new(target, b"other")
    assert target.read_bytes() == b"%PDF-1"
    with pytest.raises(CliError, match="no such folder"):
        write_new(tmp_path / "missing" / "b.pdf", b"x")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.pdf"]


def test_write_new_on_a_stick_without_hard_links(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """FAT32/exFAT USB sticks refuse link(2) with EPERM: the file is still written whole."""
    import errno
    import os

    def no_links(_src: object, _dst: object) -> None:
        raise PermissionError(errno.EPERM, "Operation not permitted")

    monkeypatch.setattr(os, "link", no_links)
    target = tmp_path / "report.pdf"
    assert write_new(target, b"%PDF-1 whole") == target
    assert target.read_bytes() == b"%PDF-1 whole"
    with pytest.raises(CliError, match="already exists"):
        write_new(target, b"other")
    assert target.read_bytes() == b"%PDF-1 whole"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["report.pdf"]


def test_reports_and_certificates_do_not_overwrite(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("PROCTOR_DESK_PASSPHRASE", "admin-pass-1")
    data = tmp_path / "data"
    with Workspace.open(data) as ws:
        session_id = seed_demo(ws, candidates=4, incidents=1).session_id
    assert run(data, "institution", "init", "--name", "示范中心") == 0
    first_admin(data, monkeypatch)
    taken = tmp_path / "notes.txt"
    taken.write_text("考场记录", encoding="utf-8")
    capsys.readouterr()
    for args in (
        ["report", "session", session_id, "--out", str(taken)],
        ["report", "blank-form", "--session", session_id, "--out", str(taken)],
        ["institution", "root-cert", "--out", str(taken)],
    ):
        assert run(data, *args) == 2, args
        assert "already exists" in capsys.readouterr().err
    assert taken.read_text(encoding="utf-8") == "考场记录"
    fresh = tmp_path / "summary.pdf"
    assert run(data, "report", "session", session_id, "--out", str(fresh)) == 0
    assert fresh.read_bytes().startswith(b"%PDF-")
