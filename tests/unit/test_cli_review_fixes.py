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
        try:
            status = cli_main.run(["--data-dir", str(data), *argv])
        except SystemExit as exc:  # argparse's own errors (exit 2), as the shell sees them
            status = int(exc.code or 0)
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
    from app.core.records.service import Workspace

    monkeypatch.chdir(tmp_path)
    value = argv[0].removeprefix("--data-dir=") if "=" in argv[0] else argv[1]
    Workspace.open(tmp_path / value).close()  # an existing, empty data folder
    status = cli_main.run(argv)
    out, err = capsys.readouterr()
    assert status == 0, err
    assert expected in out


def test_command_of_skips_option_values() -> None:
    assert cli_main.command_of(["--data-dir", "demo", "verify"]) == "verify"
    assert cli_main.command_of(["--screenshot", "rules", "--data-dir", "x"]) is None
    assert cli_main.command_of(["rules", "show", "verify"]) == "rules"


# 3. --level and the README's session create example ---------------------------------------------


def readme_example(command: str) -> list[str]:
    """The ```sh example in README.md that runs ``proctor-desk COMMAND``, as argv."""
    import re
    import shlex

    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")
    for block in re.findall(r"```sh\n(.*?)```", readme, flags=re.S):
        argv = shlex.split(block.replace("\\\n", " "))
        if argv[:3] == ["proctor-desk", *command.split()]:
            return argv[1:]
    raise AssertionError(f"README.md has no example of proctor-desk {command}")


def test_readme_session_create_example_runs_as_written(cli: Run) -> None:
    status, out, err = cli(*readme_example("session create"))
    assert status == 0, err
    assert "(session created)" in out
    status, out, _ = cli("session", "list", "--json")
    assert [s["level"] for s in json.loads(out)] == ["四级/中级工"]


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


def test_one_line_keeps_single_line_messages() -> None:
    assert cli_main.one_line("clause: unknown") == "clause: unknown"
    assert cli_main.one_line("not created:\n  a\n  b") == "not created: a; b"


# 4. incident list filters ------------------------------------------------------------------------


@pytest.fixture
def seeded(cli: Run) -> Run:
    status, _out, err = cli("demo", "seed", "--candidates", "10", "--incidents", "4")
    assert status == 0, err
    return cli


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--clause", "99"), "unknown clause '99' in rulebook cn-national-2021"),
        (("--date", "2024-13-01"), "argument --date: '2024-13-01' is not a date; write YYYY-MM-DD"),
        (("--date", "2024-6-1"), "argument --date: '2024-6-1' is not a date"),
        (("--limit", "0"), "argument --limit: '0': give a whole number of 1 or more"),
        (("--limit", "-1"), "argument --limit: '-1': give a whole number of 1 or more"),
        (("--offset", "-1"), "argument --offset: '-1': give a whole number of 0 or more"),
    ],
)
def test_incident_list_refuses_bad_filters(
    seeded: Run, args: tuple[str, str], message: str
) -> None:
    status, out, err = seeded("incident", "list", *args)
    assert status == 2 and out == ""
    assert message in one_line_error(err)


def test_incident_list_unknown_clause_within_a_session(seeded: Run) -> None:
    _, out, _ = seeded("session", "list", "--json")
    session_id = json.loads(out)[0]["id"]
    status, _out, err = seeded("incident", "list", "--session", session_id[:8], "--clause", "6.99")
    assert status == 2 and "unknown clause '6.99'" in err


def test_incident_list_good_filters_still_list(seeded: Run) -> None:
    _, out, _ = seeded("incident", "list", "--json")
    first = json.loads(out)["incidents"][0]
    status, out, err = seeded("incident", "list", "--limit", "1", "--json")
    assert status == 0, err
    assert len(json.loads(out)["incidents"]) == 1
    status, out, _ = seeded("incident", "list", "--date", first["local_date"], "--json")
    assert status == 0 and first["id"] in [i["id"] for i in json.loads(out)["incidents"]]
    # A clause of the rulebook with no incident is a valid filter that lists none.
    status, out, _ = seeded("incident", "list", "--clause", "15.1")
    assert status == 0 and out.strip().endswith("0 of 0 incidents")


def test_clause_is_checked_against_the_default_rulebook_without_sessions(data: Path) -> None:
    from app.core.records.service import Workspace
    from app.core.rulebook.model import UnknownClauseError

    with Workspace.open(data) as ws:
        ws.check_clause("6.1")
        with pytest.raises(UnknownClauseError):
            ws.check_clause("99")


# 5. Passphrase files saved by Windows Notepad ----------------------------------------------------


def test_passphrase_file_with_bom_and_crlf(tmp_path: Path) -> None:
    from app.cli.institution import PASSPHRASE_ENV, read_passphrase

    file = tmp_path / "pp"
    file.write_bytes(b"\xef\xbb\xbfsecret-pass-1\r\n")
    assert read_passphrase(str(file), PASSPHRASE_ENV, "x") == "secret-pass-1"


def test_identity_made_from_a_bom_file_opens_with_the_typed_passphrase(
    cli: Run, data: Path, tmp_path: Path
) -> None:
    from app.core.trust.institution import load_identity

    file = tmp_path / "pp"
    file.write_bytes(b"\xef\xbb\xbfsecret-pass-1\r\n")
    status, _out, err = cli(
        "institution", "init", "--name", "示范鉴定中心", "--passphrase-file", str(file)
    )
    assert status == 0, err
    assert load_identity(data, "secret-pass-1").public.name == "示范鉴定中心"


# 6. Read-only commands on a data folder that is not there ----------------------------------------

READ_ONLY = [
    ("verify",),
    ("session", "list"),
    ("session", "show", "abc"),
    ("incident", "list"),
    ("incident", "show", "A-001"),
    ("evidence", "list", "A-001"),
    ("institution", "show"),
    ("institution", "root-cert", "--out", "root.pem"),
    ("institution", "devices"),
    ("report", "incident", "abc", "--out", "a.pdf"),
    ("report", "session", "abc", "--out", "a.pdf"),
    ("report", "blank-form", "--session", "abc", "--out", "a.pdf"),
]


@pytest.mark.parametrize("argv", READ_ONLY, ids=" ".join)
def test_read_only_command_on_a_missing_data_folder_creates_nothing(
    argv: tuple[str, ...], cli: Run, data: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    status, out, err = cli(*argv)
    assert status == 2 and out == ""
    assert f"no data folder at {data}; check --data-dir" in one_line_error(err)
    assert not data.exists()


@pytest.mark.parametrize("argv", [("verify",), ("session", "list"), ("incident", "list")])
def test_read_only_command_on_a_folder_without_records_creates_nothing(
    argv: tuple[str, ...], cli: Run, data: Path
) -> None:
    data.mkdir()
    status, _out, err = cli(*argv)
    assert status == 2 and "no records in" in one_line_error(err)
    assert list(data.iterdir()) == []


def test_devices_of_an_institution_with_nothing_imported(
    cli: Run, data: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PROCTOR_DESK_PASSPHRASE", "admin-pass-1")
    assert cli("institution", "init", "--name", "示范鉴定中心")[0] == 0
    before = sorted(p.name for p in data.iterdir())
    status, out, _ = cli("institution", "devices")
    assert status == 0 and "no devices yet" in out
    assert sorted(p.name for p in data.iterdir()) == before


def test_commands_that_record_still_create_the_folder(cli: Run, data: Path) -> None:
    status, _out, err = cli("demo", "seed", "--candidates", "4", "--incidents", "1")
    assert status == 0, err
    status, out, _ = cli("verify")
    assert status == 0 and out.startswith("OK: 1 incidents")


# 7. Accepting and revoking devices ---------------------------------------------------------------


@pytest.fixture
def device_fp(cli: Run, data: Path) -> str:
    """A data folder with records of one device (its own); the device's printed fingerprint."""
    from app.core.records.service import Workspace

    status, _out, err = cli("demo", "seed", "--candidates", "4", "--incidents", "1")
    assert status == 0, err
    with Workspace.open(data) as ws:
        return ws.device.fingerprint


def device_audit(data: Path) -> list[tuple[str, dict[str, str]]]:
    from sqlmodel import col, select

    from app.core.records.service import Workspace
    from app.core.records.tables import AuditEntry

    with Workspace.open(data) as ws, ws.reading() as db:
        entries = db.exec(select(AuditEntry).order_by(col(AuditEntry.seq))).all()
        return [(e.action, json.loads(e.details_json)) for e in entries if "device" in e.action]


def trust_row(data: Path, fingerprint: str) -> tuple[str, str, str]:
    from sqlmodel import select

    from app.core.records.service import Workspace
    from app.core.sync.device_trust import key_fingerprint_hex, normalise
    from app.core.sync.tables import DeviceTrust

    with Workspace.open(data) as ws, ws.reading() as db:
        for row in db.exec(select(DeviceTrust)).all():
            if key_fingerprint_hex(row.public_key) == normalise(fingerprint):
                return row.status, row.note, row.changed_at.isoformat()
    raise AssertionError("no trust row")


@pytest.mark.parametrize("reason", ["", "   "])
def test_revoke_needs_a_reason(cli: Run, device_fp: str, data: Path, reason: str) -> None:
    status, _out, err = cli("institution", "revoke-device", device_fp, "--reason", reason)
    assert status == 2 and "--reason: say why" in one_line_error(err)
    assert device_audit(data) == []


@pytest.mark.parametrize(
    "command", [("revoke-device", "--reason", "丢失"), ("accept-device",)], ids=lambda c: c[0]
)
def test_accept_and_revoke_need_the_whole_fingerprint(
    cli: Run, device_fp: str, data: Path, command: tuple[str, ...]
) -> None:
    # "5625 c08b": the first groups of the fingerprint, as a hurried admin would type them.
    status, _out, err = cli("institution", command[0], device_fp[:9], *command[1:])
    assert status == 2
    assert "give the device's whole fingerprint (64 hex digits" in one_line_error(err)
    assert device_audit(data) == []


def test_revocation_is_audited_kept_and_not_overwritten(
    cli: Run, device_fp: str, data: Path
) -> None:
    from app.core.sync.device_trust import normalise

    status, out, err = cli("institution", "revoke-device", device_fp, "--reason", "丢失")
    assert status == 0, err
    first = trust_row(data, device_fp)
    assert first[:2] == ("revoked", "丢失")
    status, _out, err = cli("institution", "revoke-device", device_fp, "--reason", "找到了")
    assert status == 2
    assert "already revoked" in one_line_error(err) and "丢失" in err
    assert trust_row(data, device_fp) == first
    assert device_audit(data) == [
        ("revoke_device", {"fingerprint": normalise(device_fp), "reason": "丢失"})
    ]
    status, out, _ = cli("institution", "devices")
    assert status == 0 and "revoked" in out and "丢失" in out
    status, _out, err = cli("institution", "accept-device", device_fp)
    assert status == 2 and "revoked" in one_line_error(err)
    status, out, _ = cli("verify")
    assert status == 0 and out.startswith("OK:")


def test_acceptance_is_audited_once(cli: Run, device_fp: str, data: Path) -> None:
    from app.core.sync.device_trust import normalise

    status, out, err = cli("institution", "accept-device", device_fp)
    assert status == 0 and "accepted device" in out, err
    status, out, _ = cli("institution", "accept-device", device_fp.replace(" ", "").upper())
    assert status == 0 and "already accepted" in out
    assert device_audit(data) == [
        (
            "accept_device",
            {"fingerprint": normalise(device_fp), "note": "accepted by the admin"},
        )
    ]
    status, _out, err = cli("institution", "revoke-device", device_fp, "--reason", "laptop lost")
    assert status == 0, err
    assert [a for a, _ in device_audit(data)] == ["accept_device", "revoke_device"]
    status, out, _ = cli("verify")
    assert status == 0 and out.startswith("OK:")


def test_device_trust_core_refuses_blank_reason_and_second_revocation(data: Path) -> None:
    from app.core.records.service import Workspace
    from app.core.sync import device_trust

    with Workspace.open(data) as ws:
        key, me = ws.device.public_bytes.hex(), ws.device.device_id
        with ws.transaction() as db:
            with pytest.raises(device_trust.DeviceTrustError, match="reason"):
                device_trust.revoke(db, key, " ", device_id=me)
            device_trust.revoke(db, key, "stolen", device_id=me)
        with ws.transaction() as db:
            with pytest.raises(device_trust.DeviceTrustError, match="already revoked"):
                device_trust.revoke(db, key, "again", device_id=me)
            with pytest.raises(device_trust.DeviceTrustError, match="cannot be accepted"):
                device_trust.accept(db, key, device_id=me)
        with ws.reading() as db:
            assert device_trust.status_of(db, key) == device_trust.REVOKED
        assert ws.verify().ok


def test_roster_rows_refused_by_the_database_stay_one_per_line(cli: Run, tmp_path: Path) -> None:
    # Multi-line core errors print as one line, except a roster's list of rows to work down.
    import datetime as dt

    from app.core.rosters import make_id_number

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
