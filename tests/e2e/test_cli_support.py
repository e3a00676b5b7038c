"""What a support person needs from the command line: backups and restores, the institution's
recovery file, the log file, ``--verbose``, and progress only on a terminal."""

from __future__ import annotations

import io
import os
import subprocess
import sys
from pathlib import Path

import pytest

from app.cli.progress import progress_line, shows_progress
from app.core.records.db import DB_FILE
from tests.support.accounts import first_admin
from tests.support.cli import Run, one_line_error


@pytest.fixture
def seeded(cli: Run) -> None:
    assert cli("demo", "seed", "--candidates", "4", "--incidents", "2")[0] == 0


def test_backup_and_restore(cli: Run, seeded: None, data_dir: Path, tmp_path: Path) -> None:
    out = tmp_path / "copy.sqlite3"
    status, text, _ = cli("backup", "--out", str(out))
    assert status == 0 and "backup written" in text and out.is_file()
    status, text, err = cli("restore", str(out))
    assert status == 0, err
    assert "2 incidents" in text
    [kept] = (data_dir / "backups").glob("*-before-restore.sqlite3")
    assert str(kept) in text


def test_backup_out_to_an_existing_file_is_refused(cli: Run, seeded: None, tmp_path: Path) -> None:
    out = tmp_path / "there.sqlite3"
    out.write_bytes(b"keep me")
    status, text, err = cli("backup", "--out", str(out))
    assert status == 2 and text == ""
    assert "already exists" in one_line_error(err)
    assert out.read_bytes() == b"keep me"


def test_export_and_restore_keys(
    cli: Run, data_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PROCTOR_DESK_PASSPHRASE", "admin-pass-1")
    monkeypatch.setenv("PROCTOR_DESK_RECOVERY_PASSPHRASE", "recovery-pass-1")
    assert cli("institution", "init", "--name", "测试机构")[0] == 0
    first_admin(data_dir, monkeypatch)
    keys = tmp_path / "keys.json"
    assert cli("institution", "export-keys", "--out", str(keys))[0] == 0
    status, _, err = cli("institution", "export-keys", "--out", str(keys))
    assert status == 2 and "already exists" in one_line_error(err)
    status, _, err = cli("institution", "restore-keys", str(keys))
    assert status == 2 and "already holds" in one_line_error(err)
    other = tmp_path / "other"
    monkeypatch.setenv("PROCTOR_DESK_RECOVERY_PASSPHRASE", "wrong-pass-1")
    status, text, err = cli("--data-dir", str(other), "institution", "restore-keys", str(keys))
    assert status == 2 and text == ""
    assert "recovery passphrase is wrong" in one_line_error(err)
    assert not other.exists()
    monkeypatch.setenv("PROCTOR_DESK_RECOVERY_PASSPHRASE", "recovery-pass-1")
    status, text, err = cli("--data-dir", str(other), "institution", "restore-keys", str(keys))
    assert status == 0, err
    assert "restored the institution's keys" in text


FAILING_COMMAND = """
import sys
import app.cli.verify as command

def broken(args):
    raise ValueError("a bug of ours")

command._verify = broken
from app.__main__ import main
sys.exit(main(sys.argv[1:]))
"""


def test_an_unexpected_error_is_one_line_naming_the_log(seeded: None, data_dir: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-c", FAILING_COMMAND, "--data-dir", str(data_dir), "verify"],
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "PYTHONWARNINGS": "ignore"},
    )
    assert done.returncode == 1
    assert "Traceback" not in done.stderr
    log = data_dir / "logs" / "proctor-desk.log"
    assert done.stderr == (
        f"proctor-desk: error: unexpected problem (ValueError: a bug of ours); details in {log}\n"
    )
    text = log.read_text(encoding="utf-8")
    assert "Traceback" in text and "a bug of ours" in text


def test_verbose_says_more_on_stderr(
    cli: Run, seeded: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    status, text, err = cli("verify")
    assert status == 0 and err == ""
    status, verbose_text, err = cli("--verbose", "verify")
    assert status == 0 and verbose_text == text
    assert "command: verify" in err and "finished in" in err

    import app.cli.verify as command

    def broken(_args: object) -> int:
        raise ValueError("a bug of ours")

    monkeypatch.setattr(command, "_verify", broken)
    status, _, err = cli("verify")
    assert status == 1 and "Traceback" not in err
    status, _, err = cli("--verbose", "verify")
    assert status == 1 and "Traceback" in err  # the details, when asked for


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_progress_only_on_a_terminal() -> None:
    assert not shows_progress(io.StringIO())
    assert progress_line("导入", io.StringIO()) is None
    terminal = Terminal()
    assert shows_progress(terminal)
    report = progress_line("导入", terminal)
    assert report is not None
    for done in range(4):
        report(done, 3, "a.pdbundle")
    assert terminal.getvalue() == "\r导入 0/3 …\r导入 1/3 …\r导入 2/3 …\r导入 3/3 …\n"


def test_demo_seed_reports_progress_through_its_callback(tmp_path: Path) -> None:
    from app.core.demo.seed import seed_demo
    from app.core.records.service import Workspace

    calls: list[tuple[int, int]] = []
    with Workspace.open(tmp_path / "d") as ws:
        seed_demo(ws, candidates=4, incidents=3, progress=lambda d, t: calls.append((d, t)))
    assert calls == [(1, 3), (2, 3), (3, 3)]


def test_no_progress_line_when_stderr_is_not_a_terminal(cli: Run) -> None:
    status, _, err = cli("demo", "seed", "--candidates", "4", "--incidents", "3")
    assert status == 0 and err == ""


def test_the_log_is_kept_in_the_data_folder(cli: Run, seeded: None, data_dir: Path) -> None:
    assert (data_dir / DB_FILE).is_file()
    log = data_dir / "logs" / "proctor-desk.log"
    assert "command: demo seed" in log.read_text(encoding="utf-8")
