"""``proctor-desk roster``: templates, and imports that change nothing unless all rows are good."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from app.core.records.service import Workspace
from app.core.records.sessions import (
    InstitutionSpec,
    RoomSpec,
    SessionSpec,
    SubjectSpec,
)
from app.core.rosters import make_id_number
from tests.support.cli import Run, readme_example, run

TZ = dt.timezone(dt.timedelta(hours=8))
ID1 = make_id_number("110101", dt.date(1990, 3, 7), 451)
ID2 = make_id_number("440304", dt.date(2001, 12, 31), 122)
CANDIDATES_OK = (
    "姓名,证件号码,准考证号,考场,座位号\r\n"
    f"张三,{ID1},T001,第1考场,1\r\n"
    f"李四,{ID2},T002,第1考场,2\r\n"
)


@pytest.fixture
def session_id(data_dir: Path) -> str:
    spec = SessionSpec(
        institution=InstitutionSpec("某职业技能评价中心", "social_training_org", "Y000000001"),
        evaluation_type="职业技能等级认定",
        occupation="电工",
        level="四级/中级工",
        site_name="第一考点",
        site_address="某市某路1号",
        rooms=(RoomSpec("第1考场", 2),),
        subjects=(
            SubjectSpec(
                "理论知识",
                dt.datetime(2026, 12, 5, 9, tzinfo=TZ),
                dt.datetime(2026, 12, 5, 10, 30, tzinfo=TZ),
            ),
        ),
    )
    with Workspace.open(data_dir) as workspace:
        return workspace.create_session(spec)


def stored(data_dir: Path, sid: str) -> tuple[list[str], list[str]]:
    with Workspace.open(data_dir) as workspace:
        return (
            sorted(c.ticket_number for c in workspace.candidates(sid)),
            sorted(s.staff_number for s in workspace.staff(sid)),
        )


def test_template_command_writes_the_file(
    data_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "staff.xlsx"
    assert run(data_dir, "roster", "template", "--kind", "staff", "--out", str(out)) == 0
    assert out.exists()
    assert "wrote a blank staff roster template" in capsys.readouterr().out
    assert run(data_dir, "roster", "template", "--kind", "staff", "--out", str(out)) == 2
    assert "文件已存在" in capsys.readouterr().err
    # No command writes over an existing file (README): there is no --force.
    written = out.read_bytes()
    with pytest.raises(SystemExit) as refused:
        run(data_dir, "roster", "template", "--kind", "staff", "--out", str(out), "--force")
    assert refused.value.code == 2
    assert out.read_bytes() == written


def test_import_candidates_then_again_is_refused(
    data_dir: Path, session_id: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    roster = tmp_path / "c.csv"
    roster.write_bytes(CANDIDATES_OK.encode("gb18030"))
    assert (
        run(data_dir, "roster", "import", "--session", session_id[:8], "--candidates", str(roster))
        == 0
    )
    assert "imported 2 candidates" in capsys.readouterr().out
    assert stored(data_dir, session_id) == (["T001", "T002"], [])
    # The same people again: the records service refuses, nothing is added twice.
    assert (
        run(data_dir, "roster", "import", "--session", session_id, "--candidates", str(roster)) == 2
    )
    assert "T001" in capsys.readouterr().err
    assert stored(data_dir, session_id) == (["T001", "T002"], [])


def test_bad_roster_lists_every_problem_and_changes_nothing(
    data_dir: Path, session_id: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    roster = tmp_path / "c.csv"
    roster.write_text(CANDIDATES_OK + f"王五,{ID1[:-1]}0,T002,第2考场,3\r\n", encoding="utf-8-sig")
    assert (
        run(data_dir, "roster", "import", "--session", session_id, "--candidates", str(roster)) == 2
    )
    captured = capsys.readouterr()
    assert captured.out == ""
    lines = captured.err.splitlines()
    assert lines[0].startswith("proctor-desk: error: 名单文件")
    assert [line.split(":")[0].strip() for line in lines[1:]] == [
        "第4行 证件号码",
        "第4行 准考证号",
        "第4行 考场",
    ]
    assert stored(data_dir, session_id) == ([], [])


def test_import_staff_as_json(
    data_dir: Path, session_id: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    roster = tmp_path / "s.csv"
    roster.write_text(
        "姓名,角色,工号/证书编号,PIN\r\n赵老师,考务管理人员,KW001,0420\r\n周主任,考场负责人,FZ01,\r\n",
        encoding="utf-8",
    )
    assert (
        run(data_dir, "roster", "import", "--session", session_id, "--staff", str(roster), "--json")
        == 0
    )
    result = json.loads(capsys.readouterr().out)
    assert result == {"session": session_id, "kind": "staff", "file": str(roster), "imported": 2}
    assert stored(data_dir, session_id) == ([], ["FZ01", "KW001"])


def test_header_only_roster_and_unknown_session_are_refused(
    data_dir: Path, session_id: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    roster = tmp_path / "s.csv"
    roster.write_text("姓名,角色,工号\r\n", encoding="utf-8")
    assert run(data_dir, "roster", "import", "--session", session_id, "--staff", str(roster)) == 2
    assert "has a header but no rows" in capsys.readouterr().err
    assert run(data_dir, "roster", "import", "--session", "nope", "--staff", str(roster)) == 2
    assert "no session 'nope'" in capsys.readouterr().err


def test_import_needs_exactly_one_roster(data_dir: Path, session_id: str) -> None:
    with pytest.raises(SystemExit) as excinfo:
        run(data_dir, "roster", "import", "--session", session_id)
    assert excinfo.value.code == 2


def test_roster_rows_refused_by_the_database_stay_one_per_line(cli: Run, tmp_path: Path) -> None:
    # Multi-line core errors print as one line, except a roster's list of rows to work down.
    status, out, err = cli(*readme_example("session create"), "--json")
    assert status == 0, err
    session_id = json.loads(out)["id"]
    ids = [make_id_number("110101", dt.date(1990, 3, 7), n) for n in (451, 452)]
    roster = tmp_path / "c.csv"
    rows = [f"张{n},{ids[n]},T00{n},第1考场,{n + 1}" for n in (0, 1)]
    roster.write_text("姓名,证件号码,准考证号,考场,座位号\n" + "\n".join(rows) + "\n", "utf-8")
    assert cli("roster", "import", "--session", session_id, "--candidates", str(roster))[0] == 0
    status, _out, err = cli(
        "roster", "import", "--session", session_id, "--candidates", str(roster)
    )
    assert status == 2
    assert err.startswith("proctor-desk: error: nothing imported; fix these rows")
    problems = err.strip().splitlines()[1:]
    # Named by their row in the file, as the checks of the file itself name them.
    assert len(problems) >= 2 and all(line.startswith("  第") for line in problems)
    assert all("行（" in line and "(row " in line for line in problems)
    # The first data row is the file's row 2 (the header is row 1).
    assert problems[0].startswith("  第2行（张0）：准考证号T000已在本场次名单中 (row 2:")
