"""Key files are written whole or not at all: a disk that fills up (or a process killed) while
the device key, the PDF signing key or its certificate is written leaves no empty or truncated
file behind, so the next start makes them afresh. A key file found damaged anyway is named in
one message that says what to do.

A full disk is simulated by the file-size limit (``RLIMIT_FSIZE``) of a child process: its
writes past the limit fail with ``EFBIG`` (Python ignores ``SIGXFSZ``), as they would on a full
disk, with no root needed.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from app.core.reports.pdf_signing import CERT_FILE, FOLDER, KEY_FILE, SigningError, device_identity
from app.core.seal.device_keys import KEY_FILE as DEVICE_KEY_FILE
from app.core.seal.device_keys import DeviceKeyError, load_or_create

pytestmark = pytest.mark.skipif(sys.platform != "linux", reason="uses RLIMIT_FSIZE")

ROOT = Path(__file__).resolve().parents[2]


def _run_with_file_limit(limit: int, code: str) -> subprocess.CompletedProcess[str]:
    def limited() -> None:
        import resource

        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

    return subprocess.run(
        [sys.executable, "-B", "-c", code],
        cwd=ROOT,
        capture_output=True,
        text=True,
        preexec_fn=limited,
        timeout=60,
        check=False,
    )


@pytest.mark.parametrize("limit", [0, 40, 100])
def test_a_device_key_cut_short_by_a_full_disk_leaves_nothing(tmp_path: Path, limit: int) -> None:
    folder = tmp_path / "device"
    child = _run_with_file_limit(
        limit,
        "import sys; from pathlib import Path\n"
        "from app.core.seal.device_keys import load_or_create\n"
        f"load_or_create(Path({str(folder)!r}))\n",
    )
    assert child.returncode != 0, "the write must have failed"
    assert not (folder / DEVICE_KEY_FILE).exists()
    key = load_or_create(folder)  # the next start works
    assert load_or_create(folder).public_bytes == key.public_bytes


@pytest.mark.parametrize("limit", [0, 100, 300])
def test_a_pdf_key_or_certificate_cut_short_leaves_a_working_folder(
    tmp_path: Path, limit: int
) -> None:
    child = _run_with_file_limit(
        limit,
        "from pathlib import Path\n"
        "from app.core.reports.pdf_signing import device_identity\n"
        f"device_identity(Path({str(tmp_path)!r}), 'AB')\n",
    )
    assert child.returncode != 0, "the write must have failed"
    for name in (KEY_FILE, CERT_FILE):
        path = tmp_path / FOLDER / name
        assert not path.exists() or path.stat().st_size > 0
    identity = device_identity(tmp_path, "AB")
    assert device_identity(tmp_path, "AB").certificate == identity.certificate


def test_the_key_files_are_private_and_complete(tmp_path: Path) -> None:
    load_or_create(tmp_path / "device")
    device_identity(tmp_path, "AB")
    for path in (tmp_path / "device" / DEVICE_KEY_FILE, tmp_path / FOLDER / KEY_FILE):
        assert path.stat().st_mode & 0o777 == 0o600
        assert path.read_bytes().endswith(b"-----END PRIVATE KEY-----\n")
    assert not [p for p in (tmp_path / FOLDER).iterdir() if p.name.startswith(".")]


@pytest.mark.parametrize("content", [b"", b"-----BEGIN PRIVATE KEY-----\nMC4CAQAwBQYDK2Vw"])
def test_a_damaged_device_key_is_named_with_what_to_do(tmp_path: Path, content: bytes) -> None:
    folder = tmp_path / "device"
    load_or_create(folder)
    (folder / DEVICE_KEY_FILE).write_bytes(content)
    with pytest.raises(DeviceKeyError) as caught:
        load_or_create(folder)
    message = str(caught.value)
    assert str(folder / DEVICE_KEY_FILE) in message
    assert "backup" in message and "\n" not in message


@pytest.mark.parametrize("name", [KEY_FILE, CERT_FILE])
def test_a_damaged_pdf_key_file_is_named_with_what_to_do(tmp_path: Path, name: str) -> None:
    device_identity(tmp_path, "AB")
    path = tmp_path / FOLDER / name
    path.write_bytes(path.read_bytes()[:30])
    with pytest.raises(SigningError) as caught:
        device_identity(tmp_path, "AB")
    message = str(caught.value)
    assert str(path) in message
    assert "remove" in message and "\n" not in message


def test_a_folder_without_hard_links_still_gets_its_keys(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import errno
    import os

    def no_links(*_args: object) -> None:  # as on a FAT32 USB stick
        raise OSError(errno.EPERM, "Operation not permitted")

    monkeypatch.setattr(os, "link", no_links)
    key = load_or_create(tmp_path / "device")
    assert load_or_create(tmp_path / "device").public_bytes == key.public_bytes
    device_identity(tmp_path, "AB")
