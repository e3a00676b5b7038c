"""The public reading API: ``open_bundle`` returns a ``VerifiedBundle`` or raises a
``BundleError``; there is no partially verified result."""

from __future__ import annotations

import shutil
import tempfile
import weakref
from collections.abc import Sequence
from pathlib import Path
from types import TracebackType
from typing import Any, BinaryIO

from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey

from app.core.bundles.errors import BundleError, BundleReadError
from app.core.bundles.extract import extract
from app.core.bundles.limits import Limits
from app.core.bundles.manifest import EntryInfo
from app.core.bundles.names import display_name
from app.core.bundles.reader import RecordSink, Verified, opened, verify
from app.core.seal.device_keys import fingerprint


class _Spool:
    """The private folder for file entries, created on first use."""

    def __init__(self, work_dir: Path | None) -> None:
        self._work_dir = work_dir
        self._path: Path | None = None

    def __call__(self) -> Path:
        if self._path is None:
            try:
                self._path = Path(tempfile.mkdtemp(prefix="pdbundle-", dir=self._work_dir))
            except OSError as exc:
                raise BundleReadError(f"no room to check the bundle's files: {exc}") from None
        return self._path

    def remove(self) -> None:
        if self._path is not None:
            shutil.rmtree(self._path, ignore_errors=True)


class VerifiedBundle:
    """A bundle whose every byte has been checked. Use as a context manager, or ``close()``
    it, to remove the private copies of its files."""

    def __init__(self, verified: Verified, spool: _Spool) -> None:
        self._v = verified
        self._infos = {e.name: e for e in verified.entries}
        # Removes the private copies even when the caller forgets to close.
        self._cleanup = weakref.finalize(self, spool.remove)

    @property
    def bundle_id(self) -> str:
        return str(self._v.header.bundle_id)

    @property
    def format_version(self) -> int:
        return self._v.header.version

    @property
    def manifest(self) -> dict[str, Any]:
        return self._v.manifest

    @property
    def fields(self) -> dict[str, Any]:
        """The ``manifest_fields`` the writer was given."""
        fields: dict[str, Any] = self._v.manifest["fields"]
        return fields

    @property
    def created_at(self) -> str:
        created: str = self._v.manifest["created_at"]
        return created

    @property
    def encrypted(self) -> bool:
        return self._v.header.encrypted

    @property
    def signer_public_key(self) -> bytes:
        """The raw Ed25519 key that signed the manifest (whether it is accepted is the caller's
        question: compare it with the device's certificate)."""
        return self._v.signer_public_key

    @property
    def signer_fingerprint(self) -> str:
        return fingerprint(self._v.signer_public_key)

    @property
    def sha256(self) -> str:
        """SHA-256 of the whole bundle file, as on the writer's receipt."""
        return self._v.sha256

    @property
    def size_bytes(self) -> int:
        return self._v.size_bytes

    @property
    def records(self) -> list[tuple[str, Any]]:
        """(name, parsed JSON) in bundle order."""
        return list(self._v.records)

    def record(self, name: str) -> Any:
        for record_name, value in self._v.records:
            if record_name == name:
                return value
        raise KeyError(name)

    @property
    def entries(self) -> list[EntryInfo]:
        return list(self._v.entries)

    @property
    def file_names(self) -> list[str]:
        return [e.name for e in self._v.entries if e.kind == "file"]

    def open_file(self, name: str) -> BinaryIO:
        """A verified file entry as a binary stream."""
        info = self._infos.get(name)
        if info is None or info.kind != "file":
            raise KeyError(name)
        if not self._cleanup.alive:
            raise BundleError(f"bundle {self.bundle_id} is closed; {display_name(name)} is gone")
        return self._v.spooled[name].open("rb")

    def read_file(self, name: str) -> bytes:
        with self.open_file(name) as handle:
            return handle.read()

    def extract_files(self, folder: Path, names: Sequence[str] | None = None) -> list[Path]:
        """Write every file entry (or those ``names``) under ``folder`` (created if missing;
        nothing is overwritten)."""
        chosen = self.file_names if names is None else [n for n in self.file_names if n in names]
        return extract([(n, self._v.spooled[n]) for n in chosen], Path(folder))

    def close(self) -> None:
        self._cleanup()

    def __enter__(self) -> VerifiedBundle:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        value: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()


def open_bundle(
    path: Path,
    decrypt_key: X25519PrivateKey | None = None,
    limits: Limits | None = None,
    *,
    work_dir: Path | None = None,
    sink: RecordSink | None = None,
) -> VerifiedBundle:
    """Verify the whole bundle at ``path`` and return it, or raise one ``BundleError`` kind.

    ``decrypt_key`` is the institution's X25519 key (needed only for encrypted bundles);
    file entries are copied into a private folder under ``work_dir`` (default: the system's
    temporary folder) that ``close()`` removes. ``sink`` is shown the manifest and each record
    as soon as they are verified (what it raises ends the read and is raised here).
    """
    spool = _Spool(work_dir)
    try:
        with opened(Path(path)) as (handle, size):
            verified = verify(handle, size, decrypt_key, limits or Limits(), spool, sink)
    except BaseException:
        spool.remove()
        raise
    return VerifiedBundle(verified, spool)
