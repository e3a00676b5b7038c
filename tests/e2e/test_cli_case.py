"""``proctor-desk case`` at the institution, on SQLite and PostgreSQL: the list's and the
case's JSON as documented, the steps the command line takes, a refused step in one line with
exit 2, the conflict of two admins on one version, a case without a site record (Art. 8), an
institution's case with the regulator, and a reviewer who may look but not act."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from app.core.casework import cases
from app.core.casework.service import CaseDesk
from app.core.records.service import Workspace
from app.core.rulebook.model import StaffRole
from tests.support.accounts import ADMIN, ADMIN_PASSWORD, act_as, first_admin
from tests.support.casework import FAKE_SHA, account, record, send
from tests.support.cli import Run, one_line_error
from tests.support.sync import ADMIN_PASS, make_institution, make_laptop

URL_ENV = "PROCTOR_DESK_DATABASE_URL"


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    return tmp_path / "institution"


@pytest.fixture
def institution(
    tmp_path: Path,
    institution_db: str | None,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> str | None:
    """An institution that imported a bundle with a candidate's two records (6.1, 7.4), an
    assessor's (10.1) and one about itself (12.1); its first admin acts from now on."""
    inst = make_institution(tmp_path, institution_db)
    laptop = make_laptop(tmp_path, "laptop-a", "A", inst.kit)
    record(laptop, inst.session_id, index=0, clause="6.1")
    record(laptop, inst.session_id, index=0, clause="7.4")
    record(laptop, inst.session_id, party="staff", role=StaffRole.ASSESSOR, clause="10.1")
    record(laptop, inst.session_id, party="institution", clause="12.1")
    folder = tmp_path / "bundles"
    folder.mkdir()
    send(inst, laptop, folder, "one")
    laptop.close()
    inst.ws.close()
    if institution_db is not None:
        monkeypatch.setenv(URL_ENV, institution_db)
    first_admin(inst.ws.data_dir, monkeypatch, passphrase=ADMIN_PASS)
    capsys.readouterr()  # what adding the account printed
    return institution_db


def add_user(
    cli: Run, monkeypatch: pytest.MonkeyPatch, name: str, role: str, password: str
) -> None:
    monkeypatch.setenv("PROCTOR_DESK_NEW_PASSWORD", password)
    status, _out, err = cli("user", "add", name, "--role", role)
    assert status == 0, err


def listed(cli: Run, *extra: str) -> list[dict[str, object]]:
    status, out, err = cli("case", "list", "--json", *extra)
    assert status == 0, err
    rows: list[dict[str, object]] = json.loads(out)
    return rows


def case_of(cli: Run, party: str) -> str:
    return next(str(r["id"]) for r in listed(cli) if r["party"] == party)


def shown(cli: Run, ref: str) -> dict[str, object]:
    status, out, err = cli("case", "show", ref, "--json")
    assert status == 0, err
    case: dict[str, object] = json.loads(out)
    return case


def test_list_and_show_print_the_documented_json(
    cli: Run, institution: str | None, data_dir: Path
) -> None:
    rows = listed(cli)
    assert sorted((r["party"], r["status"]) for r in rows) == [
        ("candidate", "open"),
        ("institution", "with_regulator"),
        ("staff", "open"),
    ]
    for row in rows:
        assert list(row) == [
            "id", "person", "party", "session_id", "clauses", "status", "overdue"
        ]  # fmt: skip
        assert list(row["person"]) == ["name", "id_type", "id_number_masked"]  # type: ignore[call-overload]
        assert row["overdue"] is None and isinstance(row["session_id"], str)
    candidate = next(r for r in rows if r["party"] == "candidate")
    assert candidate["clauses"] == ["6.1", "7.4"]
    assert "*" in candidate["person"]["id_number_masked"]  # type: ignore[index]
    assert [r["party"] for r in listed(cli, "--status", "with_regulator")] == ["institution"]
    case = shown(cli, str(candidate["id"])[:8])
    assert case["id"] == candidate["id"] and case["status"] == "open"
    assert {"outcome", "steps", "documents"} <= set(case)
    steps = case["steps"]
    assert isinstance(steps, list) and {"account", "at"} <= set(steps[0])
    status, out, _err = cli("case", "list")
    assert status == 0 and str(candidate["id"])[:8] in out
    status, out, _err = cli("case", "show", str(candidate["id"]))
    assert status == 0 and "Status: open; next: determine" in out and "Clauses: 6.1, 7.4" in out


def test_steps_from_the_command_line_and_a_refusal_in_one_line(
    cli: Run, institution: str | None, data_dir: Path, tmp_path: Path
) -> None:
    ref = case_of(cli, "candidate")
    text = tmp_path / "objection.txt"
    text.write_text("\ufeff本人对处理决定不服，申请复核。\n", encoding="utf-8")
    status, _out, err = cli("case", "object", ref, "--text", str(text))
    assert status == 2 and "is open: object cannot come now" in one_line_error(err)
    status, _out, err = cli("case", "determine", ref)
    assert status == 2 and "still open: severity" in one_line_error(err)
    status, out, err = cli("case", "determine", ref, "--severity", "minor")
    assert status == 0, err
    assert "determined (version 2)" in out
    # The notice and the decision are documents made by their own commands; here the core.
    today = cases.today()
    with Workspace.open(data_dir, database_url=institution) as ws:
        desk = CaseDesk(ws)
        desk.notice(account("anna"), ref, 2, document_sha256=FAKE_SHA)
        desk.decide(account("anna"), ref, 3, decision_date=today, document_sha256=FAKE_SHA)
    day = today.isoformat()
    status, _out, err = cli(
        "case", "deliver", ref, "--document", "decision", "--method", "post", "--date", day
    )
    assert status == 0, err
    status, _out, err = cli("case", "object", ref, "--text", str(text))
    assert status == 0, err
    case = shown(cli, ref)
    assert case["status"] == "under_review"
    steps = case["steps"]
    assert isinstance(steps, list)
    assert [(s["kind"], s["account"]) for s in steps] == [
        ("opened", None),
        ("determine", ADMIN),
        ("notice", "anna"),
        ("decide", "anna"),
        ("deliver", ADMIN),
        ("object", ADMIN),
    ]
    assert steps[-1]["details"]["text"] == "本人对处理决定不服，申请复核。"
    assert [d["kind"] for d in case["documents"]] == ["notice", "decision", "objection"]  # type: ignore[attr-defined]
    status, _out, err = cli("case", "close", ref)
    assert status == 2 and "is under_review: close cannot come now" in one_line_error(err)
    later = (today + dt.timedelta(days=1)).isoformat()
    status, _out, err = cli(
        "case", "deliver", ref, "--document", "decision", "--method", "post", "--date", later
    )
    assert status == 2 and "in the future" in one_line_error(err)
    status, _out, err = cli(
        "case", "deliver", ref, "--document", "review", "--method", "post", "--date", day
    )
    assert status == 2 and "there is no review to deliver yet" in one_line_error(err)
    for argv, message in (
        (("case", "show", "no-such-case"), "no such case"),
        (("case", "deliver", ref, "--document", "x", "--method", "post", "--date", day), "x"),
        (("case", "determine", ref, "--adverse-effect", "maybe"), "give yes or no"),
        (("case", "respond", ref, "--text", str(tmp_path / "none.txt")), "cannot read"),
    ):
        status, _out, err = cli(*argv)
        assert status == 2 and message in one_line_error(err)


def test_two_admins_on_the_same_version(
    cli: Run, institution: str | None, data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    add_user(cli, monkeypatch, "bo", "admin", "second-password-1")
    ref = case_of(cli, "candidate")
    seen = str(shown(cli, ref)["version"])
    status, _out, err = cli("case", "determine", ref, "--seen-version", seen, "--severity", "minor")
    assert status == 0, err
    act_as(monkeypatch, "bo", "second-password-1")
    status, _out, err = cli(
        "case", "determine", ref, "--seen-version", seen, "--severity", "serious"
    )
    line = one_line_error(err)
    assert status == 2 and "changed since it was read" in line and f"by {ADMIN}" in line
    case = shown(cli, ref)
    assert case["version"] == 2
    assert case["outcome"]["combined"]["ban_years"] == 2  # type: ignore[index]


def test_a_case_without_a_site_record_and_the_institutions_case(
    cli: Run, institution: str | None, data_dir: Path, tmp_path: Path
) -> None:
    finding = {
        "person": {"name": "王小明", "id_type": "resident_id", "id_number": "440106199001011234"},
        "clause": "7.4",
        "date": "2024-06-15",
        "discovered_on": "2024-07-20",
        "certificate_issued": False,
        "description": "事后核查发现系他人替考。",
        "confirmed_by": {
            "staff": [{"name": "刘一", "role": "考务管理人员"}],
            "responsible": {"name": "赵主任", "role": "考场负责人"},
        },
    }
    file = tmp_path / "finding.json"
    file.write_text(json.dumps(finding, ensure_ascii=False), encoding="utf-8")
    status, _out, err = cli("case", "open", "--without-record", str(file))
    assert status == 2 and "confirmed_by.staff: 1 given" in one_line_error(err)
    assert len(listed(cli)) == 3
    finding["confirmed_by"]["staff"].append({"name": "陈二", "role": "考务管理人员"})  # type: ignore[index]
    finding["certificate_issued"] = True
    certificates = [
        {"number": "0012024000123", "level": "四级/中级工", "issued_on": "2024-08-01"},
        {"number": "0012024000124", "occupation": "电工", "online": False},
    ]
    # A malformed certificate entry: one line naming the entry and field, exit 2, nothing made.
    finding["certificates"] = [certificates[0], {"number": "0012024000124", "issued_on": "8/1"}]
    file.write_text(json.dumps(finding, ensure_ascii=False), encoding="utf-8")
    status, _out, err = cli("case", "open", "--without-record", str(file))
    line = one_line_error(err)
    assert status == 2 and "certificates[1].issued_on: '8/1' is no date; give YYYY-MM-DD" in line
    assert len(listed(cli)) == 3
    finding["certificates"] = certificates
    file.write_text(json.dumps(finding, ensure_ascii=False), encoding="utf-8")
    status, out, err = cli("case", "open", "--without-record", str(file))
    assert status == 0, err and "Art. 8" in out
    art8 = next(r for r in listed(cli) if r["session_id"] is None)
    assert art8["clauses"] == ["7.4"] and art8["status"] == "open"
    kept = shown(cli, str(art8["id"]))["without_record"]["certificates"]  # type: ignore[index]
    assert [(c["number"], c["level"], c["issued_on"], c["online"]) for c in kept] == [
        ("0012024000123", "四级/中级工", "2024-08-01", None),
        ("0012024000124", "", None, False),
    ]

    regulator = case_of(cli, "institution")
    status, _out, err = cli("case", "determine", regulator)
    assert status == 2 and "the regulator determines and decides it" in one_line_error(err)
    conclusion = tmp_path / "conclusion.txt"
    conclusion.write_text("约谈主要负责人，责令限期整改。", encoding="utf-8")
    status, _out, err = cli(
        "case", "other-authority", regulator, "--authority", "省人社厅", "--conclusion",
        str(conclusion),
    )  # fmt: skip
    assert status == 0, err
    day = cases.today().isoformat()
    status, _out, err = cli("case", "refer", regulator, "--to", "省人社厅", "--date", day)
    assert status == 0, err
    assert shown(cli, regulator)["status"] == "with_regulator"
    status, _out, err = cli("case", "close", regulator)
    assert status == 0, err
    assert shown(cli, regulator)["status"] == "closed"


def test_a_reviewer_may_look_but_not_act(
    cli: Run, institution: str | None, data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    add_user(cli, monkeypatch, "rita", "reviewer", "reader-password-1")
    act_as(monkeypatch, "rita", "reader-password-1")
    ref = case_of(cli, "staff")
    assert shown(cli, ref)["status"] == "open"
    status, _out, err = cli("case", "determine", ref)
    assert status == 2 and "needs an admin" in one_line_error(err)
    act_as(monkeypatch, ADMIN, ADMIN_PASSWORD)
    assert shown(cli, ref)["steps"][-1]["kind"] == "opened"  # type: ignore[index]


def test_a_site_laptop_has_no_cases(cli: Run, tmp_path: Path) -> None:
    with Workspace.open(tmp_path / "institution"):
        pass  # a laptop's folder: no institution identity, no accounts
    status, _out, err = cli("case", "list")
    assert status == 2 and "cases are the institution's" in one_line_error(err)


def test_the_deadlines_are_settings_an_admin_changes_and_the_list_follows(
    cli: Run, institution: str | None, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The periods to respond and to object are the institution's practice (the guideline sets
    none): shown with their defaults, changed by an admin (audited), never by a reviewer, and
    the cases' deadlines count with the new ones."""
    status, out, err = cli("case", "deadlines", "--json")
    assert status == 0, err
    assert json.loads(out) == {"response_days": 5, "objection_days": 15, "practice": True}
    status, out, err = cli("case", "deadlines", "--response-days", "7", "--json")
    assert status == 0, err
    assert json.loads(out)["response_days"] == 7
    status, _out, err = cli("case", "deadlines", "--objection-days", "0")
    assert status == 2 and "1 to 365 days" in one_line_error(err)
    add_user(cli, monkeypatch, "rita", "reviewer", "reader-password-1")
    act_as(monkeypatch, "rita", "reader-password-1")
    status, out, _err = cli("case", "deadlines")
    assert status == 0 and "7 days" in out and "institution practice" in out
    status, _out, err = cli("case", "deadlines", "--objection-days", "20")
    assert status == 2 and "admin" in one_line_error(err)
    act_as(monkeypatch, ADMIN, ADMIN_PASSWORD)
    ref = case_of(cli, "staff")
    assert shown(cli, ref)["deadlines"]["response_days"] == 7  # type: ignore[index]
