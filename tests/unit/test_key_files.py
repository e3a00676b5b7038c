"""Key files are written whole or not at all: a disk that fills up (or a process killed) while
the keys' vault or the PDF signing certificate is written leaves no empty or truncated file
behind, so the next start makes them afresh. A key file found damaged anyway is named in one
message that says what to do.

A full disk is simulated by the file-size limit (``RLIMIT_FSIZE``) of a child process: its
writes past the limit fail with ``EFBIG`` (Python ignores ``SIGXFSZ``), as they would on a full
disk, with no root needed.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from app.core.seal.device_keys import load_or_create
from app.core.seal.key_vault import FILE as VAULT_FILE
from app.core.seal.key_vault import KeyVaultError, forget
from app.core.trust.pdf_identity import CERT_FILE, FOLDER, SigningError, device_identity

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


@pytest.mark.parametrize("limit", [0, 40, 400])
def test_a_vault_cut_short_by_a_full_disk_leaves_nothing(tmp_path: Path, limit: int) -> None:
    folder = tmp_path / "device"
    child = _run_with_file_limit(
        limit,
        "import sys; from pathlib import Path\n"
        "from app.core.seal.device_keys import load_or_create\n"
        f"load_or_create(Path({str(folder)!r})).public_bytes\n",
    )
    assert child.returncode != 0, "the write must have failed"
    assert not (folder / VAULT_FILE).exists()
    key = load_or_create(folder)  # the next start works
    assert load_or_create(folder).public_bytes == key.public_bytes


@pytest.mark.parametrize("limit", [300, 1000])  # the vault grows past both
def test_a_pdf_key_or_certificate_cut_short_leaves_a_working_folder(
    tmp_path: Path, limit: int
) -> None:
    assert load_or_create(tmp_path / "device").public_bytes  # the vault exists (about 1 kB)
    forget(tmp_path)
    child = _run_with_file_limit(
        limit,
        "from pathlib import Path\n"
        "from app.core.trust.pdf_identity import device_identity\n"
        f"device_identity(Path({str(tmp_path)!r}), 'AB')\n",
    )
    assert child.returncode != 0, "the write must have failed"
    for path in (tmp_path / "device" / VAULT_FILE, tmp_path / FOLDER / CERT_FILE):
        assert not path.exists() or path.stat().st_size > 0
    forget(tmp_path)
    identity = device_identity(tmp_path, "AB")
    assert device_identity(tmp_path, "AB").certificate == identity.certificate


def test_the_key_file_is_private_and_holds_no_key_in_the_clear(tmp_path: Path) -> None:
    assert load_or_create(tmp_path / "device").public_bytes
    device_identity(tmp_path, "AB")
    vault = tmp_path / "device" / VAULT_FILE
    assert vault.stat().st_mode & 0o777 == 0o600
    for path in tmp_path.rglob("*"):
        if path.is_file():
            assert b"PRIVATE KEY" not in path.read_bytes(), path
    assert not [p for p in (tmp_path / "device").iterdir() if p.name.startswith(".")]


@pytest.mark.parametrize("content", [b"", b'{"format": "proctor-desk-device-keys"'])
def test_a_damaged_vault_is_named_with_what_to_do(tmp_path: Path, content: bytes) -> None:
    folder = tmp_path / "device"
    assert load_or_create(folder).public_bytes
    (folder / VAULT_FILE).write_bytes(content)
    forget(tmp_path)
    with pytest.raises(KeyVaultError) as caught:
        assert load_or_create(folder).public_bytes
    message = str(caught.value)
    assert str(folder / VAULT_FILE) in message
    assert "backup" in message and "\n" not in message


def test_a_damaged_pdf_certificate_is_named_with_what_to_do(tmp_path: Path) -> None:
    device_identity(tmp_path, "AB")
    path = tmp_path / FOLDER / CERT_FILE
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
