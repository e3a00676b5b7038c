"""``proctor-desk user`` and the account every institution command acts as: the first admin by
the institution passphrase, later accounts only by an admin, reviewers who may only look, and
every refusal (no account yet, none given, unknown, wrong password, locked, a role that may not
act) one line on stderr, exit 2, with nothing changed."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

from app.core.records.db import DB_FILE
from tests.support.accounts import ADMIN, ADMIN_PASSWORD, act_as, first_admin
from tests.support.cli import Run, one_line_error, readme_example

PASSPHRASE = "admin-pass-1"
REVIEWER, REVIEWER_PASSWORD = "rev", "reviewer-password-1"
FIRST_HINT = "create the first account with `proctor-desk user add NAME --role admin`"


@pytest.fixture(autouse=True)
def _environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PROCTOR_DESK_PASSPHRASE", PASSPHRASE)
    for name in (
        "PROCTOR_DESK_USER",
        "PROCTOR_DESK_PASSWORD",
        "PROCTOR_DESK_NEW_PASSWORD",
        "PROCTOR_DESK_SITE_PASSPHRASE",
    ):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setattr("sys.stdin.isatty", lambda: False)


@pytest.fixture
def institution(cli: Run) -> None:
    status, _out, err = cli("institution", "init", "--name", "示范鉴定中心")
    assert status == 0, err


@pytest.fixture
def staffed(institution: None, cli: Run, data_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The institution with its first admin and a reviewer; acting as nobody yet."""
    first_admin(data_dir, monkeypatch)
    monkeypatch.setenv("PROCTOR_DESK_NEW_PASSWORD", REVIEWER_PASSWORD)
    status, _out, err = cli("user", "add", REVIEWER, "--role", "reviewer")
    assert status == 0, err
    for name in ("PROCTOR_DESK_USER", "PROCTOR_DESK_PASSWORD", "PROCTOR_DESK_NEW_PASSWORD"):
        monkeypatch.delenv(name)


def dump(folder: Path) -> list[str]:
    """The whole database as SQL, to show a refused command changed nothing."""
    if not (folder / DB_FILE).is_file():
        return []
    con = sqlite3.connect(folder / DB_FILE)
    try:
        return list(con.iterdump())
    finally:
        con.close()


def audit(folder: Path) -> list[tuple[str, dict[str, object]]]:
    con = sqlite3.connect(folder / DB_FILE)
    try:
        rows = con.execute("SELECT action, details_json FROM audit_log ORDER BY seq").fetchall()
    finally:
        con.close()
    return [(action, json.loads(details)) for action, details in rows]


def refused(cli: Run, *args: str) -> str:
    status, out, err = cli(*args)
    assert status == 2, (status, out, err)
    assert out == ""
    assert "Traceback" not in err
    return one_line_error(err)


def accounts(cli: Run, monkeypatch: pytest.MonkeyPatch) -> list[dict[str, object]]:
    with monkeypatch.context() as scoped:
        act_as(scoped, ADMIN, ADMIN_PASSWORD)
        status, out, err = cli("user", "list", "--json")
    assert status == 0, err
    listed: list[dict[str, object]] = json.loads(out)
    return listed


def test_the_first_account_needs_the_institution_passphrase(
    institution: None, cli: Run, data_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Before any account, every institution command says how to make the first.
    for command in (("institution", "devices"), ("institution", "show"), ("user", "list")):
        assert FIRST_HINT in refused(cli, *command)
    password = tmp_path / "new.pass"
    password.write_text(ADMIN_PASSWORD + "\n", encoding="utf-8")
    wrong = tmp_path / "wrong.pass"
    wrong.write_text("not-the-passphrase\n", encoding="utf-8")
    add = ("user", "add", ADMIN, "--role", "admin", "--new-password-file", str(password))
    before = dump(data_dir)
    assert "passphrase is wrong" in refused(cli, *add, "--passphrase-file", str(wrong))
    monkeypatch.delenv("PROCTOR_DESK_PASSPHRASE")
    assert "--passphrase-file" in refused(cli, *add)
    monkeypatch.setenv("PROCTOR_DESK_PASSPHRASE", PASSPHRASE)
    assert "first account must be an admin" in refused(
        cli, "user", "add", ADMIN, "--role", "reviewer", "--new-password-file", str(password)
    )
    short = tmp_path / "short.pass"
    short.write_text("too-short\n", encoding="utf-8")
    assert "at least 10 characters" in refused(
        cli, "user", "add", ADMIN, "--role", "admin", "--new-password-file", str(short)
    )
    assert before == []  # no records yet; the refusals added no account and no audit entry
    written = [
        line
        for line in dump(data_dir)
        if line.startswith(('INSERT INTO "accounts"', 'INSERT INTO "audit_log"'))
    ]
    assert written == []
    status, out, err = cli(*add)
    assert status == 0 and "added the account" in out and ADMIN in out, err
    (listed,) = accounts(cli, monkeypatch)
    assert {k: v for k, v in listed.items() if k != "created_at"} == {
        "name": ADMIN,
        "role": "admin",
        "locked": False,
        "locked_until": None,
        "created_by": None,
    }
    assert audit(data_dir)[-1] == (
        "add_account",
        {
            "account": ADMIN,
            "new_account": ADMIN,
            "role": "admin",
            "authorised_by": "institution passphrase",
        },
    )
    # The passphrase authorises the first account only.
    monkeypatch.setenv("PROCTOR_DESK_NEW_PASSWORD", "second-password-1")
    assert "--user" in refused(cli, "user", "add", "second", "--role", "admin")


def test_later_accounts_only_by_an_admin(
    staffed: None, cli: Run, data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PROCTOR_DESK_NEW_PASSWORD", "third-password-1")
    before = dump(data_dir)
    act_as(monkeypatch, REVIEWER, REVIEWER_PASSWORD)
    message = refused(cli, "user", "add", "third", "--role", "reviewer")
    assert "'rev' is a reviewer: this needs an admin account" in message
    assert dump(data_dir) == before
    act_as(monkeypatch, ADMIN, ADMIN_PASSWORD)
    status, _out, err = cli("user", "add", "third", "--role", "reviewer")
    assert status == 0, err
    assert audit(data_dir)[-1] == (
        "add_account",
        {"account": ADMIN, "new_account": "third", "role": "reviewer"},
    )
    assert "already exists" in refused(cli, "user", "add", "third", "--role", "admin")
    status, out, _ = cli("user", "list")
    assert status == 0
    assert out.splitlines() == [
        f"{ADMIN}  admin  active",
        f"{REVIEWER}  reviewer  active",
        "third  reviewer  active",
    ]


def test_a_reviewer_may_look_but_not_act(
    staffed: None, cli: Run, data_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    act_as(monkeypatch, REVIEWER, REVIEWER_PASSWORD)
    for command in (
        ("institution", "show"),
        ("institution", "devices"),
        ("institution", "root-cert", "--out", str(tmp_path / "root.pem")),
        ("user", "list"),
        ("session", "list"),
    ):
        status, _out, err = cli(*command)
        assert status == 0, (command, err)
    fingerprint = "ab" * 32
    roster = tmp_path / "c.csv"
    roster.write_text("姓名,证件号码,准考证号,考场,座位号\r\n", encoding="utf-8")
    before = dump(data_dir)
    for command in (
        ("institution", "accept-device", fingerprint),
        ("institution", "revoke-device", fingerprint, "--reason", "丢失"),
        ("institution", "export-keys", "--out", str(tmp_path / "keys.json")),
        ("bundle", "import", str(tmp_path / "any.pdbundle")),
        ("bundle", "receipt", "issue", "b-1", "--out", str(tmp_path / "r.json")),
        ("bundle", "purge", "--session", "x", "--yes"),
        ("kit", "export", "--session", "x", "--out", str(tmp_path / "site.kit")),
        readme_example("session create"),
        ("roster", "import", "--session", "x", "--candidates", str(roster)),
    ):
        message = refused(cli, *command)
        assert "'rev' is a reviewer: this needs an admin account" in message, command
    assert dump(data_dir) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["c.csv", "data", "root.pem"]


def test_refusals_are_one_line_and_exit_2(
    staffed: None, cli: Run, data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = dump(data_dir)
    # No account given: nothing is written.
    assert "give --user NAME (or set $PROCTOR_DESK_USER)" in refused(cli, "institution", "show")
    monkeypatch.setenv("PROCTOR_DESK_USER", ADMIN)
    assert "give --password-file FILE or set $PROCTOR_DESK_PASSWORD" in refused(
        cli, "institution", "devices"
    )
    assert dump(data_dir) == before
    # An unknown account, and a wrong password: each counted in the audit log, no password.
    act_as(monkeypatch, "nobody", "whatever-password")
    assert "no account 'nobody'" in refused(cli, "institution", "devices")
    act_as(monkeypatch, REVIEWER, "wrong-password-0")
    assert "wrong password for account 'rev'" in refused(cli, "institution", "devices")
    assert audit(data_dir)[-2:] == [
        ("login_failed", {"account": "nobody", "reason": "no such account"}),
        ("login_failed", {"account": REVIEWER, "reason": "wrong password", "failed_count": 1}),
    ]
    for attempt in range(2, 6):
        message = refused(cli, "user", "list")
        assert ("locked for 15 minutes" in message) == (attempt == 5)
    # Locked: the right password is refused too, and the lock is in the list.
    act_as(monkeypatch, REVIEWER, REVIEWER_PASSWORD)
    assert "account 'rev' is locked until" in refused(cli, "institution", "show")
    listed = {a["name"]: a for a in accounts(cli, monkeypatch)}
    assert listed[REVIEWER]["locked"] is True and listed[ADMIN]["locked"] is False
    text = "\n".join(json.dumps(d) for _, d in audit(data_dir))
    assert "wrong-password" not in text and REVIEWER_PASSWORD not in text
    assert [a for a, _ in audit(data_dir)].count("account_locked") == 1


def test_password_from_a_file_or_the_environment(
    staffed: None, cli: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    good = tmp_path / "admin.pass"
    good.write_bytes(b"\xef\xbb\xbf" + ADMIN_PASSWORD.encode() + b"\r\n")  # as Notepad saves it
    status, out, err = cli("--user", ADMIN, "--password-file", str(good), "institution", "show")
    assert status == 0 and "示范鉴定中心" in out, err
    monkeypatch.setenv("PROCTOR_DESK_USER", ADMIN)
    status, _out, err = cli("--password-file", str(good), "user", "list")
    assert status == 0, err
    monkeypatch.delenv("PROCTOR_DESK_USER")
    act_as(monkeypatch, REVIEWER, REVIEWER_PASSWORD)
    status, out, err = cli("user", "list")
    assert status == 0 and f"{REVIEWER}  reviewer  active" in out, err
    # The file wins over the environment; a file that cannot be read is named.
    message = refused(cli, "--password-file", str(tmp_path / "missing"), "user", "list")
    assert "missing: cannot read the password" in message


def test_changing_ones_own_password(
    staffed: None, cli: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    act_as(monkeypatch, REVIEWER, REVIEWER_PASSWORD)
    monkeypatch.setenv("PROCTOR_DESK_NEW_PASSWORD", "short")
    assert "at least 10 characters" in refused(cli, "user", "password")
    new = tmp_path / "new.pass"
    new.write_text("new-reviewer-pw-1\n", encoding="utf-8")
    status, out, err = cli("user", "password", "--new-password-file", str(new))
    assert status == 0 and "changed the password" in out, err
    assert "wrong password" in refused(cli, "institution", "show")
    act_as(monkeypatch, REVIEWER, "new-reviewer-pw-1")
    assert cli("institution", "show")[0] == 0


def test_bundle_verify_and_a_site_laptop_need_no_account(
    staffed: None, cli: Run, tmp_path: Path
) -> None:
    missing = tmp_path / "missing.pdbundle"
    status, _out, err = cli("bundle", "verify", str(missing))
    assert "account" not in err and "--user" not in err and status in (1, 2)
    laptop = tmp_path / "laptop"
    status, out, err = cli("--data-dir", str(laptop), *readme_example("session create"))
    assert status == 0 and "session created" in out, err
    status, _out, err = cli("--data-dir", str(laptop), "session", "list")
    assert status == 0, err
    assert "holds no institution" in refused(cli, "--data-dir", str(laptop), "user", "list")


def test_acts_are_audited_under_the_account(
    staffed: None, cli: Run, data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    act_as(monkeypatch, ADMIN, ADMIN_PASSWORD)
    status, out, err = cli(*readme_example("session create"), "--json")
    assert status == 0, err
    session_id = json.loads(out)["id"]
    action, details = audit(data_dir)[-1]
    assert (action, details) == ("create_session", {"account": ADMIN})
    status, _out, err = cli("session", "show", session_id)
    assert status == 0, err


def test_an_account_an_earlier_version_added_is_certified_after_its_first_sign_in(
    staffed: None, cli: Run, data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # As an earlier version left it: the account, without a key or certificate.
    con = sqlite3.connect(data_dir / DB_FILE)
    with con:
        con.execute(
            "UPDATE accounts SET key_id = NULL, public_key = NULL, sealed_key = NULL, "
            "certificate = NULL, certificate_signature = NULL WHERE name = ?",
            (REVIEWER,),
        )
    con.close()
    act_as(monkeypatch, REVIEWER, REVIEWER_PASSWORD)
    status, _out, err = cli("user", "list")  # its first sign-in makes its key
    assert status == 0, err
    status, out, _err = cli("verify")
    assert status != 0 and f"account {REVIEWER}" in out, out
    monkeypatch.delenv("PROCTOR_DESK_USER")
    monkeypatch.delenv("PROCTOR_DESK_PASSWORD")
    before = dump(data_dir)
    assert "no-such-account" in refused(cli, "user", "certify", "no-such-account")
    assert dump(data_dir) == before
    status, out, err = cli("user", "certify", REVIEWER)  # by the institution passphrase
    assert status == 0, err
    assert "certified the key of" in out
    act_as(monkeypatch, REVIEWER, REVIEWER_PASSWORD)
    status, out, err = cli("verify")
    assert status == 0, out + err
    # What every account key's certificate leads to, as `verify --anchor` takes it.
    assert "Institution key " in out and "Device key" not in out
    assert "certify_account" in [action for action, _details in audit(data_dir)]
