"""The institution's filing (备案): recorded in versions and audited, a CSV refused whole with
each problem's row and field, the scope check (Art. 14(2) quoted from the rulebook, a warning
naming what is outside), the code that applies to a branch's session, and the filed occupation
statistics break down by — on both engines."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest
from sqlmodel import col, select

from app.core.demo.seed import DEMO_FILING_CODE, seed_demo
from app.core.institution.filing import (
    Branch,
    FiledOccupation,
    Filing,
    FilingError,
    current_filing,
    filed_occupation,
    filed_occupations,
    filing_code_for,
    filing_history,
    record_filing,
    scope_check,
    session_scope,
)
from app.core.institution.filing_csv import filing_csv, parse_filing_csv, read_filing_csv
from app.core.records.service import Workspace
from app.core.records.tables import AuditEntry
from app.core.rulebook.loader import load_rulebook

FOUR, FIVE, THREE = "四级/中级工", "五级/初级工", "三级/高级工"
FILING = Filing(
    code=DEMO_FILING_CODE,
    kind="national_employer",
    occupations=(FiledOccupation("电工", "", (FIVE, FOUR)), FiledOccupation("焊工", "", (FIVE,))),
    branches=(Branch("B440100001", "广州分公司"),),
)


@pytest.fixture
def ws(tmp_path: Path, institution_db: str | None) -> Iterator[Workspace]:
    workspace = Workspace.open(tmp_path / "institution", database_url=institution_db)
    yield workspace
    workspace.close()


def _record(ws: Workspace, filing: Filing, actor: str = "wang.admin") -> Filing:
    with ws.transaction() as db:
        return record_filing(db, filing, actor=actor, device=ws.device)


def test_a_change_is_a_new_version_and_the_old_one_is_kept(ws: Workspace) -> None:
    first = _record(ws, FILING)
    second = _record(ws, replace(FILING, branches=()), "li.admin")
    assert (first.version, second.version) == (1, 2)
    with ws.reading() as db:
        now = current_filing(db)
        history = filing_history(db)
        audits = db.exec(select(AuditEntry).where(col(AuditEntry.action) == "record_filing")).all()
    assert now is not None and now.version == 2 and now.branches == ()
    assert [f.branches for f in history] == [FILING.branches, ()]
    assert [f.recorded_by for f in history] == ["wang.admin", "li.admin"]
    assert [json.loads(a.details_json)["account"] for a in audits] == ["wang.admin", "li.admin"]
    assert now.occupations == FILING.occupations


def test_a_filing_with_a_problem_changes_nothing(ws: Workspace) -> None:
    _record(ws, FILING)
    bad = Filing("", "national_employer", (FiledOccupation("电工", "", ("六级",)),))
    with pytest.raises(FilingError) as raised:
        _record(ws, bad)
    fields = {p.field for p in raised.value.problems}
    assert {"备案码 code", "等级 levels"} <= fields
    with ws.reading() as db:
        assert current_filing(db) is not None and current_filing(db).version == 1  # type: ignore[union-attr]


def test_a_social_training_organisation_has_no_branches() -> None:
    filing = Filing("S1", "social_training_org", FILING.occupations, FILING.branches)
    with pytest.raises(FilingError, match="分支机构"):
        parse_filing_csv(filing_csv(filing))


def test_the_csv_round_trips_and_a_bad_row_is_named(tmp_path: Path) -> None:
    assert parse_filing_csv(filing_csv(FILING)) == FILING
    text = filing_csv(FILING).replace("焊工,,五级/初级工", "焊工,,六级")
    path = tmp_path / "filing.csv"
    path.write_text("\ufeff" + text, encoding="utf-8")
    with pytest.raises(FilingError) as raised:
        read_filing_csv(path)
    (problem,) = raised.value.problems
    assert (problem.row, problem.field) == (4, "等级 levels")
    assert "六级" in str(problem) and "五级/初级工" in str(problem)  # what to write instead
    assert "未作任何更改" in str(raised.value)


def test_english_headers_and_records_are_read() -> None:
    text = (
        "record,code,name,kind,occupation,work_type,levels\n"
        "filing,S9,,用人单位,,,\n"
        "occupation,,,,电工,,五级/初级工;四级/中级工\n"
    )
    filing = parse_filing_csv(text)
    assert filing.kind == "national_employer"
    assert filing.occupations == (FiledOccupation("电工", "", (FIVE, FOUR)),)


def test_scope_check_names_what_is_outside_and_quotes_art_14_2() -> None:
    text = load_rulebook("cn-national-2021").clause("14.2").text_zh
    assert scope_check(FILING, "电工", "", FOUR) is None
    assert scope_check(FILING, "电工", "", FOUR, branch="B440100001") is None
    assert scope_check(None, "厨师", "", FOUR) is None  # nothing filed: nothing to say
    level = scope_check(FILING, "电工", "", THREE)
    assert level is not None and "三级/高级工" in level.reasons_zh[0]
    assert text == "严重超出备案范围开展评价工作的；" and f"“{text}”" in level.message_zh()
    assert "第十四条第（二）项" in level.message_zh() and "Art. 14(2)" in level.message_en()
    assert "不是拒绝" in level.message_zh()
    occupation = scope_check(FILING, "厨师", "", FOUR)
    assert occupation is not None and "厨师" in occupation.reasons_zh[0]
    assert "未备案" in occupation.reasons_zh[0]
    code = scope_check(FILING, "电工", "", FOUR, branch="X999")
    assert code is not None and "X999" in code.reasons_zh[0]


def test_a_work_type_falls_under_its_occupation_filed_whole() -> None:
    assert scope_check(FILING, "电工", "维修电工", FOUR) is None
    narrow = Filing("S1", "national_employer", (FiledOccupation("电工", "维修电工", (FOUR,)),))
    assert scope_check(narrow, "电工", "安装电工", FOUR) is not None


def test_the_session_gets_the_code_that_applies_and_its_filed_occupation(
    ws: Workspace,
) -> None:
    session_id = seed_demo(ws, candidates=2, incidents=0).session_id  # 电工 四级, demo code
    with ws.reading() as db:
        assert filing_code_for(db, session_id) == DEMO_FILING_CODE  # nothing filed
        assert filed_occupation(db, session_id) is None
        assert session_scope(db, session_id) is None
    _record(ws, FILING)
    with ws.reading() as db:
        assert filing_code_for(db, session_id) == DEMO_FILING_CODE
        assert filed_occupation(db, session_id) == FILING.occupations[0]
        assert filed_occupations(db, [session_id, "none"]) == {
            session_id: FILING.occupations[0],
            "none": None,
        }
        assert session_scope(db, session_id) is None
    branch_only = Filing(
        "S-OTHER",
        "national_employer",
        FILING.occupations,
        (Branch(DEMO_FILING_CODE, "示范分支机构"),),
    )
    _record(ws, branch_only)
    with ws.reading() as db:  # the session was planned under the branch's own code
        assert filing_code_for(db, session_id) == DEMO_FILING_CODE
    narrowed = Filing("S-OTHER", "national_employer", (FiledOccupation("电工", "", (FIVE,)),))
    _record(ws, narrowed)
    with ws.reading() as db:
        assert filing_code_for(db, session_id) == "S-OTHER"  # no longer the branch's
        finding = session_scope(db, session_id)
    assert finding is not None and len(finding.reasons_zh) == 2  # the code and the level


def test_the_kit_carries_the_code_that_applies_to_the_laptops_report_header(
    tmp_path: Path,
) -> None:
    from app.core.kits.kit_export import export_kit
    from app.core.kits.kit_import import import_kit
    from app.core.reports.from_records import session_header
    from app.core.trust.institution import init_institution
    from tests.support.sync import institution_signs

    with Workspace.open(tmp_path / "institution") as ws:
        identity = init_institution(ws.data_dir, "示范鉴定中心", "admin-pass-1")
        institution_signs(ws, identity)  # no account yet
        session_id = seed_demo(ws, candidates=2, incidents=0).session_id
        # The demo session is planned under a branch's code of this filing, at a level not filed.
        narrow = Filing(
            "S-MAIN",
            "national_employer",
            (FiledOccupation("电工", "", (FIVE,)),),
            (Branch(DEMO_FILING_CODE, "示范分支机构"),),
        )
        _record(ws, narrow)
        result = export_kit(ws, identity, session_id, tmp_path / "site.kit", "site-pass-123")
    assert result.filing_code == DEMO_FILING_CODE  # the branch's own, not S-MAIN
    assert result.scope is not None and "四级/中级工" in result.scope.reasons_zh[0]
    with Workspace.open(tmp_path / "laptop") as laptop:
        import_kit(laptop, tmp_path / "site.kit", "site-pass-123")
        header = session_header(laptop.session(session_id))
    assert header.filing_code == DEMO_FILING_CODE
