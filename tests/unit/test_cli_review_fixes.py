"""CLI defects found in review: each test runs the command as a user would and checks the one-line
error (exit 2) or the corrected behaviour."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest

from app.cli import main as cli_main

Run = Callable[..., tuple[int, str, str]]

SESSION_ARGS = (
    "session",
    "create",
    "--institution",
    "示范鉴定中心",
    "--filing-code",
    "S4403000001",
    "--occupation",
    "电工",
    "--level",
    "四级/中级工",
    "--site",
    "南山考点",
    "--address",
    "深圳市南山区科技园 1 号",
    "--room",
    "第1考场:30",
)


@pytest.fixture
def data(tmp_path: Path) -> Path:
    return tmp_path / "data"


@pytest.fixture
def cli(data: Path, capsys: pytest.CaptureFixture[str]) -> Run:
    def run(*argv: str) -> tuple[int, str, str]:
        status = cli_main.run(["--data-dir", str(data), *argv])
        out, err = capsys.readouterr()
        return status, out, err

    return run


def one_line_error(err: str) -> str:
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    assert lines[0].startswith("proctor-desk: error: ")
    return lines[0]


# 1. A subject named twice --------------------------------------------------------------------


def test_repeated_subject_is_a_one_line_error_and_creates_nothing(cli: Run) -> None:
    status, _out, err = cli(
        *SESSION_ARGS,
        "--subject",
        "理论知识=2026-06-12T09:00/2026-06-12T10:30",
        "--subject",
        "理论知识=2026-06-12T11:00/2026-06-12T12:00",
    )
    assert status == 2
    assert "Traceback" not in err and "IntegrityError" not in err
    assert "subject 理论知识: listed more than once" in err
    status, out, _ = cli("session", "list", "--json")
    assert status == 0 and json.loads(out) == []


def test_repeated_subject_is_refused_by_the_core_the_form_shares(data: Path) -> None:
    # The GUI's new-session form goes through Workspace.create_session as well.
    import datetime as dt

    from app.core.records.service import Workspace
    from app.core.records.sessions import (
        InstitutionSpec,
        RoomSpec,
        SessionError,
        SessionSpec,
        SubjectSpec,
    )

    tz = dt.timezone(dt.timedelta(hours=8))
    subject = SubjectSpec(
        "理论知识", dt.datetime(2026, 6, 12, 9, tzinfo=tz), dt.datetime(2026, 6, 12, 10, tzinfo=tz)
    )
    spec = SessionSpec(
        institution=InstitutionSpec("示范鉴定中心", "social_training_org", "S1"),
        evaluation_type="职业技能等级认定",
        occupation="电工",
        level="四级/中级工",
        site_name="考点",
        site_address="地址",
        rooms=(RoomSpec("第1考场", 2),),
        subjects=(subject, subject),
    )
    with Workspace.open(data) as ws:
        with pytest.raises(SessionError, match="subject 理论知识: listed more than once"):
            ws.create_session(spec)
        assert ws.list_sessions() == []


# 2. An option's value that equals a command name ------------------------------------------------


@pytest.mark.parametrize(
    ("argv", "expected"),
    [
        (["--data-dir", "demo", "verify"], "OK: 0 incidents"),
        (["--data-dir", "verify", "verify"], "OK: 0 incidents"),
        (["--data-dir=session", "verify"], "OK: 0 incidents"),
        (["--data-dir", "demo", "session", "list"], "没有考试批次"),
        (["--data-dir", "incident", "session", "list"], "没有考试批次"),
    ],
)
def test_data_dir_named_like_a_command_is_not_taken_for_the_command(
    argv: list[str],
    expected: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / argv[1].removeprefix("--data-dir=")).mkdir()  # an existing (empty) data folder
    status = cli_main.run(argv)
    out, err = capsys.readouterr()
    assert status == 0, err
    assert expected in out


def test_command_of_skips_option_values() -> None:
    assert cli_main.command_of(["--data-dir", "demo", "verify"]) == "verify"
    assert cli_main.command_of(["--screenshot", "rules", "--data-dir", "x"]) is None
    assert cli_main.command_of(["rules", "show", "verify"]) == "rules"
