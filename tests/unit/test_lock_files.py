"""The lock files pin everything pyproject.toml asks for, with hashes, and agree with each other.

``make lock`` writes them; ``make run``/``make test`` install from them with ``--require-hashes``.
A dependency added to pyproject.toml without re-locking fails here, not on a user's machine.
"""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import pytest
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parents[2]
PIN = re.compile(r"^([A-Za-z0-9_.\-]+)==([^\s;\\]+)")


def pins(lock: str) -> dict[str, tuple[str, int]]:
    """name → (version, number of hashes) for each pinned package of ``lock``."""
    found: dict[str, tuple[str, int]] = {}
    current = ""
    for line in (ROOT / "requirements" / lock).read_text(encoding="utf-8").splitlines():
        match = PIN.match(line)
        if match:
            current = canonicalize_name(match[1])
            found[current] = (match[2], 0)
        elif line.strip().startswith("--hash=sha256:") and current:
            version, count = found[current]
            found[current] = (version, count + 1)
    return found


@pytest.fixture(scope="module")
def project() -> dict[str, list[Requirement]]:
    data = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    return {
        "run": [Requirement(r) for r in data["dependencies"]],
        "test": [Requirement(r) for r in data["optional-dependencies"]["test"]],
    }


@pytest.mark.parametrize(("lock", "groups"), [("run.lock", ["run"]), ("dev.lock", ["run", "test"])])
def test_every_dependency_is_pinned_with_hashes_within_its_bounds(
    project: dict[str, list[Requirement]], lock: str, groups: list[str]
) -> None:
    pinned = pins(lock)
    for group in groups:
        for requirement in project[group]:
            name = canonicalize_name(requirement.name)
            assert name in pinned, f"{requirement} is not in requirements/{lock}: run make lock"
            version, hashes = pinned[name]
            assert requirement.specifier.contains(version, prereleases=True), (
                f"requirements/{lock} pins {name}=={version}, outside {requirement}"
            )
            assert hashes >= 1, f"{name} has no hash in requirements/{lock}"
    for tool in ("pip", "setuptools"):  # the installers come from the lock too
        assert tool in pinned


@pytest.mark.parametrize(("base", "lock"), [("run.lock", "dev.lock"), ("dev.lock", "package.lock")])
def test_each_lock_keeps_every_version_of_the_lock_it_builds_on(base: str, lock: str) -> None:
    below, above = pins(base), pins(lock)
    shared = {name: v for name, (v, _) in above.items() if name in below}
    # The frozen build adds PyInstaller to the app's packages; the test tools are not in it.
    expected = {name: v for name, (v, _) in below.items() if name in above or base == "run.lock"}
    assert shared == expected


def test_the_frozen_build_has_its_builder_and_the_whole_app() -> None:
    package, run = pins("package.lock"), pins("run.lock")
    assert "pyinstaller" in package
    assert set(run) <= set(package)


def test_windows_installs_are_covered() -> None:
    # A universal lock: the Windows-only packages appear under their marker, and PySide6 carries
    # the hashes of its Windows wheels beside the Linux ones.
    text = (ROOT / "requirements" / "run.lock").read_text(encoding="utf-8")
    assert re.search(r"^tzdata==\S+ ; sys_platform == 'win32'", text, re.M)
    assert pins("run.lock")["pyside6-essentials"][1] >= 2
