"""``proctor-desk session``: create, list and show. The README's example runs as written; each
problem with the arguments is one line on stderr (exit 2) and creates nothing."""

from __future__ import annotations

import json
from pathlib import Path

from app.core.records.service import Workspace
from tests.support.cli import Run, one_line_error, readme_example

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


def test_session_create_list_show(cli: Run) -> None:
    status, out, err = cli(
        "session",
        "create",
        "--institution",
        "深圳市鹏城职业技能评价中心",
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
        "第1考场:30:李老师",
        "--room",
        "第2考场:25",
        "--subject",
        "理论知识=2024-06-15T09:00/2024-06-15T10:30",
        "--json",
    )
    assert status == 0, err
    created = json.loads(out)
    assert created["subjects"][0]["starts_at"] == "2024-06-15T01:00:00.000000Z"
    assert [r["seats"] for r in created["rooms"]] == [30, 25]
    status, out, _ = cli("session", "list", "--json")
    assert [s["id"] for s in json.loads(out)] == [created["id"]]
    status, out, _ = cli("session", "show", created["id"][:8])
    assert status == 0 and "南山考点" in out and "第2考场: 25 seats" in out


def test_bad_session_arguments_are_one_line_errors(cli: Run, tmp_path: Path) -> None:
    status, _out, err = cli(
        "session",
        "create",
        "--institution",
        "X",
        "--filing-code",
        "F",
        "--occupation",
        "电工",
        "--site",
        "S",
        "--address",
        "A",
        "--room",
        "第1考场",
        "--subject",
        "理论知识=x/y",
    )
    assert status == 2
    assert "--room 第1考场: write NAME:SEATS" in err
    # An unknown session in an existing data folder (a missing folder is its own error).
    Workspace.open(tmp_path / "data").close()
    status, _out, err = cli("session", "show", "nope")
    assert status == 2 and "no session 'nope'" in err


def test_readme_session_create_example_runs_as_written(cli: Run) -> None:
    status, out, err = cli(*readme_example("session create"))
    assert status == 0, err
    assert "(session created)" in out
    status, out, _ = cli("session", "list", "--json")
    assert [s["level"] for s in json.loads(out)] == ["四级/中级工"]
    session_id = json.loads(out)[0]["id"]
    status, out, _ = cli("session", "show", session_id)
    assert "联系方式 contact: 0755-2600 0000（考务办公室）" in out


def test_a_contact_on_two_lines_or_beyond_its_length_is_refused(cli: Run) -> None:
    for contact in ("0755\nsecond line", "电" * 201):
        status, _out, err = cli(
            *SESSION_ARGS,
            "--subject",
            "理论知识=2026-06-12T09:00/2026-06-12T10:30",
            "--contact",
            contact,
        )
        assert status == 2 and "contact: at most 200 characters" in err


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


def test_missing_level_is_one_line_naming_the_option(cli: Run) -> None:
    argv = [a for a in SESSION_ARGS if a not in ("--level", "四级/中级工")]
    status, _out, err = cli(*argv, "--subject", "理论知识=2026-06-12T09:00/2026-06-12T10:30")
    assert status == 2
    assert "--level: required for 职业技能等级认定" in one_line_error(err)


def test_level_is_not_needed_for_special_ability_assessment(cli: Run) -> None:
    argv = [a for a in SESSION_ARGS if a not in ("--level", "四级/中级工")]
    status, _out, err = cli(
        *argv,
        "--evaluation-type",
        "专项职业能力考核",
        "--subject",
        "理论知识=2026-06-12T09:00/2026-06-12T10:30",
    )
    assert status == 0, err


def test_several_session_problems_print_as_one_line(cli: Run) -> None:
    status, _out, err = cli(
        *SESSION_ARGS,
        "--occupation",
        " ",
        "--subject",
        "理论知识=2026-06-12T09:00/2026-06-12T10:30",
        "--subject",
        "理论知识=2026-06-12T11:00/2026-06-12T12:00",
    )
    assert status == 2
    line = one_line_error(err)
    assert "session not created: " in line
    assert "occupation: empty" in line and "subject 理论知识: listed more than once" in line
