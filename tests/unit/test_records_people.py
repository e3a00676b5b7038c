"""Persisting rosters: all-or-nothing, every problem listed, real files in both CSV encodings."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from app.core.demo.seed import DemoSession, seed_demo
from app.core.records.people import RosterImportError
from app.core.records.service import Workspace
from app.core.rosters.idcard import make_id_number
from app.core.rosters.parse import parse_candidates, parse_staff
from app.core.rosters.problems import RosterError
from app.core.rosters.rows import CandidateRow, StaffRow

HEADER = "姓名,证件类型,证件号码,准考证号,考场,座位号\n"


@pytest.fixture
def demo(ws: Workspace) -> DemoSession:
    return seed_demo(ws, candidates=0, incidents=0)


def person(i: int, room: str = "第2考场", seat: int | None = None) -> CandidateRow:
    number = make_id_number("440106", dt.date(1990, 1, 1 + i), 100 + i)
    return CandidateRow(f"考生{i}", "resident_id", number, f"T{i:04d}", room, seat or i, None)


def write_roster(path: Path, encoding: str, rows: list[str]) -> Path:
    path.write_bytes((HEADER + "".join(rows)).encode(encoding))
    return path


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gb18030"])
def test_csv_roster_in_each_encoding_is_imported(
    ws: Workspace, demo: DemoSession, tmp_path: Path, encoding: str
) -> None:
    first = make_id_number("110101", dt.date(1988, 5, 20), 233)
    second = make_id_number("440106", dt.date(1999, 11, 2), 58)
    rows = [
        f"张伟,居民身份证,{first},2406010001,第1考场,1\n",
        f"欧阳娜娜,居民身份证,{second},2406010002,第1考场,2\n",
    ]
    path = write_roster(tmp_path / f"roster-{encoding}.csv", encoding, rows)
    parsed = parse_candidates(path, ws.rooms(demo.session_id))
    assert ws.import_candidates(demo.session_id, parsed) == 2
    names = [c.name for c in ws.candidates(demo.session_id)]
    assert names == ["张伟", "欧阳娜娜"]


def test_bad_rows_are_listed_by_row_and_column_and_nothing_is_imported(
    ws: Workspace, demo: DemoSession, tmp_path: Path
) -> None:
    good = make_id_number("440106", dt.date(1990, 1, 1), 1)
    bad_check = good[:-1] + ("0" if good[-1] != "0" else "1")
    third = make_id_number("440106", dt.date(1991, 2, 2), 3)
    rows = [
        f"张伟,居民身份证,{good},2406010001,第1考场,1\n",
        f"李娜,居民身份证,{bad_check},2406010002,第1考场,2\n",
        f"王强,居民身份证,{third},2406010001,第9考场,3\n",
    ]
    path = write_roster(tmp_path / "bad.csv", "gb18030", rows)
    with pytest.raises(RosterError) as caught:
        parse_candidates(path, ws.rooms(demo.session_id))
    where = {(p.row, p.field) for p in caught.value.problems}
    assert (3, "id_number") in where  # the check digit, GB 11643
    assert (4, "ticket_number") in where  # repeated ticket
    assert (4, "room") in where  # no such room
    assert ws.candidates(demo.session_id) == []


def test_import_rejects_clashes_with_people_already_in_the_session(
    ws: Workspace, demo: DemoSession
) -> None:
    ws.import_candidates(demo.session_id, [person(1), person(2)])
    clash = [person(3), person(1), person(4, room="第9考场"), person(5, seat=2), person(6, seat=99)]
    with pytest.raises(RosterImportError) as caught:
        ws.import_candidates(demo.session_id, clash)
    message = str(caught.value)
    # Rows not read from a file are named by their place in the list, in both languages.
    assert "第2条（考生1）：准考证号T0001已在本场次名单中" in message
    assert "(entry 2: ticket T0001 is already in this session)" in message
    assert "第3条（考生4）：本场次没有考场“第9考场” (entry 3: no room '第9考场'" in message
    assert "第4条（考生5）：第2考场的2号座位已有考生" in message
    assert "(entry 4: seat 2 in 第2考场 is already taken)" in message
    assert "第5条（考生6）：第2考场没有99号座位 (entry 5: seat 99 does not exist" in message
    # Entry 2 clashes three ways (ticket, ID number, seat); entries 3-5 once each.
    assert len(caught.value.problems) == 6
    assert len(ws.candidates(demo.session_id)) == 2  # not even entry 1 went in


def test_staff_roster_roles_pins_and_duplicates(
    ws: Workspace, demo: DemoSession, tmp_path: Path
) -> None:
    path = tmp_path / "staff.csv"
    path.write_text(
        "姓名,角色,工号/证书编号,PIN\n赵老师,考务管理人员,KW901,2580\n周主任,考场负责人,FZ901,\n",
        encoding="utf-8-sig",
    )
    before = len(ws.staff(demo.session_id))
    assert ws.import_staff(demo.session_id, parse_staff(path)) == 2
    added = {s.staff_number: s for s in ws.staff(demo.session_id)}
    assert added["KW901"].role == "exam_admin" and added["FZ901"].role == "site_head"
    assert added["KW901"].pin_hash is not None and "2580" not in added["KW901"].pin_hash
    assert added["FZ901"].pin_hash is None
    with pytest.raises(RosterImportError, match="KW901 is already in this session"):
        ws.import_staff(demo.session_id, parse_staff(path))
    with pytest.raises(RosterImportError, match="unknown role 'janitor'"):
        ws.import_staff(demo.session_id, [StaffRow("某人", "janitor", "X1", None)])
    assert len(ws.staff(demo.session_id)) == before + 2
