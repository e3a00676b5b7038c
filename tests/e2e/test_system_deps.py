"""make run / make test on a machine that lacks Debian packages and cannot install them.

Each case runs the Makefile's own check in a shell whose PATH holds only what it names: the
basic tools, ``make``, a ``dpkg-query`` that finds no package installed, an ``id`` for a
normal user, and none of ``sudo`` or ``apt-get`` (or not even ``dpkg-query``). It must stop at
once, exit non-zero and name the packages, never prompt or hang.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
TOOLS = ("sh", "make", "grep", "sed", "tr", "cat", "printf", "echo", "env", "rm", "mkdir")


def _stub(folder: Path, name: str, body: str) -> None:
    path = folder / name
    path.write_text(f"#!/bin/sh\n{body}\n", encoding="utf-8")
    path.chmod(0o755)


def _bin(tmp_path: Path, *, dpkg: bool, apt: bool = False) -> Path:
    folder = tmp_path / "bin"
    folder.mkdir()
    for tool in TOOLS:
        found = shutil.which(tool)
        if found:
            (folder / tool).symlink_to(found)
    _stub(folder, "id", 'echo 1000')
    if dpkg:
        _stub(folder, "dpkg-query", 'echo "unknown ok not-installed"; exit 1')
    if apt:
        _stub(folder, "apt-get", 'echo "apt-get must not run" >&2; exit 99')
    return folder


def _make(folder: Path, target: str) -> tuple[subprocess.CompletedProcess[str], float]:
    started = time.monotonic()
    result = subprocess.run(
        [str(folder / "make"), "-s", "--no-print-directory", "-C", str(ROOT), target],
        capture_output=True,
        text=True,
        timeout=60,
        stdin=subprocess.DEVNULL,
        env={"PATH": str(folder), "HOME": os.environ.get("HOME", "/tmp"), "LANG": "C.UTF-8"},
    )
    return result, time.monotonic() - started


@pytest.mark.parametrize("target", ["system-deps", "system-deps-test"])
def test_without_root_sudo_or_apt_it_stops_at_once_naming_the_packages(
    tmp_path: Path, target: str
) -> None:
    result, seconds = _make(_bin(tmp_path, dpkg=True), target)
    assert result.returncode != 0
    assert seconds < 10
    err = result.stderr
    assert "apt-get is not on this system" in err
    for package in ("python3-venv", "fonts-wqy-microhei", "xvfb", "libxcb-cursor0"):
        assert f"  {package}\n" in err
    assert "  libglib2.0-0t64 (or libglib2.0-0)\n" in err
    if target == "system-deps-test":
        assert "  poppler-utils\n" in err
    else:
        assert "poppler-utils" not in err


def test_with_apt_but_neither_root_nor_sudo_it_stops_before_apt_runs(tmp_path: Path) -> None:
    result, seconds = _make(_bin(tmp_path, dpkg=True, apt=True), "system-deps-test")
    assert result.returncode != 0
    assert seconds < 10
    assert "not running as root and sudo is not available" in result.stderr
    assert "apt-get must not run" not in result.stderr
    assert "  libxkbcommon-x11-0\n" in result.stderr


def test_on_a_system_without_dpkg_it_stops_with_the_list(tmp_path: Path) -> None:
    result, _seconds = _make(_bin(tmp_path, dpkg=False), "system-deps")
    assert result.returncode != 0
    assert "not a Debian or Ubuntu system" in result.stderr
    assert "  xauth\n" in result.stderr


def test_a_failed_venv_is_removed_and_the_next_run_makes_it(tmp_path: Path) -> None:
    venv = tmp_path / "venv"
    broken = tmp_path / "python-broken"
    # Passes the version check, then dies half-way through making the venv (as ensurepip does
    # where python3-venv is missing).
    broken.write_text(
        "#!/bin/sh\n"
        'if [ "$1" = "-m" ]; then mkdir -p "$3/bin"; echo half > "$3/bin/python"; exit 1; fi\n'
        "exit 0\n",
        encoding="utf-8",
    )
    broken.chmod(0o755)

    def make(python: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            ["make", "-s", "-C", str(ROOT), f"VENV={venv}", f"PYTHON={python}", f"{venv}/.created"],
            capture_output=True,
            text=True,
            timeout=120,
            stdin=subprocess.DEVNULL,
        )

    failed = make(str(broken))
    assert failed.returncode != 0
    assert "Could not create" in failed.stderr and "python3-venv" in failed.stderr
    assert not venv.exists()

    python = shutil.which("python3")
    assert python is not None
    made = make(python)
    assert made.returncode == 0, made.stderr
    assert (venv / ".created").is_file()
    ok = subprocess.run([str(venv / "bin" / "python"), "-c", "print(1)"], capture_output=True)
    assert ok.returncode == 0
