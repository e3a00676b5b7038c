"""``proctor-desk incident transcribe``: a paper record entered with its scan, confirmed and
sealed; bad files and unknown people are one line on stderr, exit 2."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from app.core.demo.seed import DemoSession, seed_demo
from app.core.records.service import Workspace
from tests.support.cli import one_line_error, run
from tests.support.transcription import (
    HEAD_PIN,
    give_head_pin,
    paper_record,
    write_record,
    write_scan,
)

Runner = Any


@pytest.fixture
def site(tmp_path: Path) -> tuple[Path, DemoSession, str]:
    """A data folder with a small demo session (no incidents) whose site head has a PIN."""
    folder = tmp_path / "data"
    with Workspace.open(folder) as ws:
        demo = seed_demo(ws, candidates=4, incidents=0)
        head = give_head_pin(ws, demo)
    return folder, demo, head


def _run(folder: Path, capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    try:
        status = run(folder, *args)
    except SystemExit as exc:
        status = int(exc.code or 0)
    out, err = capsys.readouterr()
    return status, out, err


def _pin_file(tmp_path: Path, pin: str = HEAD_PIN) -> str:
    path = tmp_path / "pin.txt"
    path.write_text(pin + "\n", encoding="utf-8")
    return str(path)


def test_transcribe_confirms_and_seals_the_paper_record(
    site: tuple[Path, DemoSession, str], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder, demo, head = site
    record = write_record(tmp_path, paper_record(demo))
    scan = write_scan(tmp_path)
    status, out, err = _run(
        folder,
        capsys,
        "incident", "transcribe", str(record), "--scan", str(scan),
        "--site-head", head, "--pin-file", _pin_file(tmp_path),
    )  # fmt: skip
    assert (status, err) == (0, "")
    assert "已誊录纸质记录表 P-0007" in out and "confirmed and sealed" in out
    status, out, _ = _run(folder, capsys, "incident", "list", "--json")
    (listed,) = json.loads(out)["incidents"]
    assert listed["status"] == "confirmed"
    status, out, _ = _run(folder, capsys, "incident", "show", listed["number"])
    assert "依纸质记录誊录，纸质记录表 P-0007" in out
    assert f"signed on paper by staff: {demo.staff['exam_admin'][0].name}" in out
    assert "intact: yes" in out
    status, out, _ = _run(folder, capsys, "evidence", "list", listed["number"])
    assert "纸质记录表扫描件 · form-P-0007.pdf" in out
    assert _run(folder, capsys, "verify")[0] == 0


def test_the_pin_may_come_from_the_environment(
    site: tuple[Path, DemoSession, str],
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    folder, demo, head = site
    record = write_record(tmp_path, paper_record(demo))
    scan = write_scan(tmp_path)
    args = ("incident", "transcribe", str(record), "--scan", str(scan), "--site-head", head)
    monkeypatch.setenv("PROCTOR_DESK_PIN", "1111")
    status, _, err = _run(folder, capsys, *args)
    assert status == 2
    assert "wrong PIN" in one_line_error(err)
    monkeypatch.setenv("PROCTOR_DESK_PIN", HEAD_PIN)
    status, out, err = _run(folder, capsys, *args, "--json")
    assert (status, err) == (0, "")
    assert json.loads(out)["content"]["transcription"]["paper_form_number"] == "P-0007"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('{"session": ', "not valid JSON (line 1, column 13"),
        ('{"session": "x", "session": "y"}', "key 'session' given twice"),
        ('{"sesion": "x"}', "transcription: unknown key 'sesion'"),
    ],
)
def test_a_bad_file_is_one_line_exit_2(
    site: tuple[Path, DemoSession, str],
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    text: str,
    message: str,
) -> None:
    folder, _demo, head = site
    bad = tmp_path / "bad.json"
    bad.write_text(text, encoding="utf-8")
    status, out, err = _run(
        folder,
        capsys,
        "incident", "transcribe", str(bad), "--scan", str(write_scan(tmp_path)),
        "--site-head", head, "--pin-file", _pin_file(tmp_path),
    )  # fmt: skip
    assert (status, out) == (2, "")
    assert message in one_line_error(err)


def test_an_unknown_person_is_one_line_exit_2(
    site: tuple[Path, DemoSession, str], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder, demo, head = site
    record = write_record(tmp_path, paper_record(demo, person={"id_number": "110101199001011234"}))
    status, out, err = _run(
        folder,
        capsys,
        "incident", "transcribe", str(record), "--scan", str(write_scan(tmp_path)),
        "--site-head", head, "--pin-file", _pin_file(tmp_path),
    )  # fmt: skip
    assert (status, out) == (2, "")
    assert "person.id_number: no candidate with ID number 110101199001011234" in one_line_error(err)
    status, out, _ = _run(folder, capsys, "incident", "list", "--json")
    assert json.loads(out)["total"] == 0


def test_without_a_pin_it_says_how_to_give_one(
    site: tuple[Path, DemoSession, str], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder, demo, head = site
    record = write_record(tmp_path, paper_record(demo))
    status, _, err = _run(
        folder,
        capsys,
        "incident", "transcribe", str(record), "--scan", str(write_scan(tmp_path)),
        "--site-head", head,
    )  # fmt: skip
    assert status == 2
    assert "give --pin-file FILE or set $PROCTOR_DESK_PIN" in one_line_error(err)
