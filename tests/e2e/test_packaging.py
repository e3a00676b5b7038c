"""The installers' own files: the NSIS script compiles, the Linux desktop entry and AppStream
metainfo validate, and the icons are what the builds expect.

The Windows build itself runs only on a Windows runner (.github/workflows/windows.yml); here
the installer script is compiled with Debian's makensis around a stand-in payload, which proves
its syntax, its includes and the paths it reads.
"""

from __future__ import annotations

import subprocess
import tomllib
from pathlib import Path

from PIL import Image

ROOT = Path(__file__).resolve().parents[2]
WINDOWS = ROOT / "packaging" / "windows"
LINUX = ROOT / "packaging" / "linux"
APP_ID = "cn.proctordesk.ProctorDesk"


def _version() -> str:
    return str(tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))["project"]["version"])


def test_the_nsis_installer_script_compiles(tmp_path: Path) -> None:
    payload = tmp_path / "proctor-desk"
    (payload / "_internal").mkdir(parents=True)
    for name in ("proctor-desk.exe", "proctor-desk-cli.exe", "_internal/base_library.zip"):
        (payload / name).write_bytes(b"stand-in for the PyInstaller build\n")
    setup = tmp_path / f"proctor-desk-{_version()}-setup.exe"
    result = subprocess.run(
        ["makensis", "-V2", "-WX", f"-DVERSION={_version()}", f"-DPAYLOAD={payload}",
         f"-DOUTFILE={setup}", "proctor-desk.nsi"],
        cwd=WINDOWS, capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert result.returncode == 0, result.stdout + result.stderr
    data = setup.read_bytes()
    assert data[:2] == b"MZ" and len(data) > 50_000
    # The version resource carries the product's version (UTF-16, as Windows stores it).
    assert _version().encode("utf-16-le") in data


def test_the_installer_script_refuses_to_build_without_a_version(tmp_path: Path) -> None:
    result = subprocess.run(
        ["makensis", "-V2", f"-DPAYLOAD={tmp_path}", "proctor-desk.nsi"],
        cwd=WINDOWS, capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert result.returncode != 0
    assert "VERSION is not defined" in result.stdout + result.stderr


def test_the_desktop_entry_validates() -> None:
    entry = LINUX / f"{APP_ID}.desktop"
    result = subprocess.run(
        ["desktop-file-validate", str(entry)], capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0 and "error" not in result.stdout.lower(), result.stdout
    text = entry.read_text("utf-8")
    assert "Exec=proctor-desk\n" in text and f"Icon={APP_ID}\n" in text


def test_the_appstream_metainfo_validates() -> None:
    result = subprocess.run(
        ["appstreamcli", "validate", "--no-net", str(LINUX / f"{APP_ID}.metainfo.xml")],
        capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert result.returncode == 0, result.stdout + result.stderr
    assert f'<release version="{_version()}"' in (LINUX / f"{APP_ID}.metainfo.xml").read_text()


def test_the_icons_are_there_at_their_sizes() -> None:
    icons = ROOT / "resources" / "icons"
    with Image.open(icons / "proctor-desk-256.png") as png:
        assert png.size == (256, 256)
    with Image.open(icons / "proctor-desk.ico") as ico:
        assert {(16, 16), (32, 32), (48, 48), (256, 256)} <= set(ico.info["sizes"])
