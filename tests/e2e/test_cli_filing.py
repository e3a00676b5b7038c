"""``proctor-desk institution filing`` end to end: show (any account), import a CSV and set
from JSON (an admin; each a new version), a CSV with a bad row refused in one line naming the
row and nothing recorded, a reviewer refused; and the scope warning of ``session create`` and
``kit export``, which stops until the admin acknowledges it and then goes ahead."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from app.core.demo.seed import DEMO_FILING_CODE, seed_demo
from app.core.records.service import Workspace
from tests.support.accounts import ADMIN, ADMIN_PASSWORD, act_as, first_admin
from tests.support.cli import Run, one_line_error

PASSPHRASE = "admin-pass-1"
REVIEWER, REVIEWER_PASSWORD = "rev", "reviewer-password-1"
ART_14_2 = "严重超出备案范围开展评价工作的"
CSV = (
    "项目,备案码,名称,类型,职业,工种,等级\n"
    f"机构,{DEMO_FILING_CODE},,社会培训评价组织,,,\n"
    "职业,,,,电工,,五级/初级工、四级/中级工\n"
)


@pytest.fixture(autouse=True)
def _environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("PROCTOR_DESK_PASSPHRASE", PASSPHRASE)
    (tmp_path / "site.pass").write_text("site-pass-123\n", encoding="utf-8")
    for name in ("PROCTOR_DESK_USER", "PROCTOR_DESK_PASSWORD", "PROCTOR_DESK_SITE_PASSPHRASE"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setattr("sys.stdin.isatty", lambda: False)


@pytest.fixture
def session_id(cli: Run, data_dir: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    """The institution, its admin (acting), a reviewer, and a planned session (电工 四级)."""
    status, _out, err = cli("institution", "init", "--name", "示范鉴定中心")
    assert status == 0, err
    first_admin(data_dir, monkeypatch)
    monkeypatch.setenv("PROCTOR_DESK_NEW_PASSWORD", REVIEWER_PASSWORD)
    status, _out, err = cli("user", "add", REVIEWER, "--role", "reviewer")
    assert status == 0, err
    monkeypatch.delenv("PROCTOR_DESK_NEW_PASSWORD")
    with Workspace.open(data_dir) as ws:
        return seed_demo(ws, candidates=2, incidents=0).session_id


def _show(cli: Run) -> object:
    status, out, err = cli("institution", "filing", "show", "--json")
    assert status == 0, err
    return json.loads(out)


def test_import_set_and_show(cli: Run, session_id: str, tmp_path: Path) -> None:
    assert _show(cli) is None
    good = tmp_path / "filing.csv"
    good.write_text(CSV, encoding="utf-8")
    status, out, err = cli("institution", "filing", "import", str(good))
    assert status == 0, err
    shown = _show(cli)
    assert isinstance(shown, dict)
    assert (shown["version"], shown["code"], shown["recorded_by"]) == (1, DEMO_FILING_CODE, ADMIN)
    assert shown["occupations"] == [
        {"occupation": "电工", "work_type": "", "levels": ["五级/初级工", "四级/中级工"]}
    ]
    changed = {**shown, "occupations": [{"occupation": "焊工", "levels": ["三级/高级工"]}]}
    (tmp_path / "filing.json").write_text(json.dumps(changed), encoding="utf-8")
    args = ("institution", "filing", "set", "--file", str(tmp_path / "filing.json"))
    status, _out, err = cli(*args, "--note", "新的备案回执")
    assert status == 0, err
    status, out, _err = cli("institution", "filing", "show", "--history", "--json")
    assert [v["version"] for v in json.loads(out)] == [1, 2]  # the old version is kept
    status, out, _err = cli("institution", "filing", "show")
    assert "焊工  三级/高级工" in out and "新的备案回执" in out


def test_a_bad_row_is_named_and_nothing_recorded(cli: Run, session_id: str, tmp_path: Path) -> None:
    bad = tmp_path / "bad.csv"
    bad.write_text(CSV.replace("四级/中级工", "四级"), encoding="utf-8")
    status, _out, err = cli("institution", "filing", "import", str(bad))
    assert status == 2
    line = one_line_error(err)
    assert "第3行 等级 levels" in line and "“四级”不是等级" in line and "未作任何更改" in line
    assert _show(cli) is None


def test_a_reviewer_looks_but_may_not_change(
    cli: Run, session_id: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    good = tmp_path / "filing.csv"
    good.write_text(CSV, encoding="utf-8")
    act_as(monkeypatch, REVIEWER, REVIEWER_PASSWORD)
    status, _out, err = cli("institution", "filing", "import", str(good))
    assert status == 2 and "admin" in one_line_error(err)
    assert _show(cli) is None


def test_plan_and_kit_outside_the_filing_are_flagged(
    cli: Run, session_id: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    narrow = tmp_path / "filing.csv"
    narrow.write_text(CSV.replace("、四级/中级工", ""), encoding="utf-8")  # 电工 五级 only
    assert cli("institution", "filing", "import", str(narrow))[0] == 0
    export = (
        "kit",
        "export",
        "--session",
        session_id,
        "--out",
        str(tmp_path / "site.kit"),
        "--site-passphrase-file",
        str(tmp_path / "site.pass"),
    )
    status, _out, err = cli(*export)
    line = one_line_error(err)
    assert status == 2 and ART_14_2 in line and "四级/中级工" in line
    assert "--outside-filing-acknowledged" in line and "不是拒绝" in line
    assert not (tmp_path / "site.kit").exists()
    status, out, err = cli(*export, "--outside-filing-acknowledged")
    assert status == 0, err
    assert f"备案码 filing code: {DEMO_FILING_CODE}" in out and ART_14_2 in err
    plan = (
        "session",
        "create",
        "--institution",
        "示范鉴定中心",
        "--filing-code",
        DEMO_FILING_CODE,
        "--occupation",
        "焊工",
        "--level",
        "三级/高级工",
        "--site",
        "一号考点",
        "--address",
        "广州",
        "--room",
        "第1考场:30",
        "--subject",
        "理论知识=2026-06-15T09:00/2026-06-15T10:30",
    )
    status, _out, err = cli(*plan)
    assert status == 2 and "“焊工”未备案" in one_line_error(err)
    status, out, err = cli(*plan, "--outside-filing-acknowledged")
    assert status == 0, err
    act_as(monkeypatch, ADMIN, ADMIN_PASSWORD)
    status, out, _err = cli("session", "list", "--json")
    assert sum(1 for s in json.loads(out) if s["occupation"] == "焊工") == 1
