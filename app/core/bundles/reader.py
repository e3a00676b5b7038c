"""Reading a bundle: every check passes — size, header, decryption of every chunk, signature,
manifest, each entry's name, size and SHA-256, strict JSON, nothing missing or extra — before
anything is returned. File entries are spooled to a private temporary folder while they are
checked, so a bundle on a USB stick that changes afterwards cannot change what was verified."""

from __future__ import annotations

import hashlib
import os
import stat
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO, Protocol

from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey

from app.core.bundles.cipher import SCHEME, recipient_key
from app.core.bundles.errors import (
    BundleReadError,
    HashMismatchError,
    KeyRequiredError,
    LimitError,
    ManifestError,
    TrailingDataError,
    TruncatedError,
    UnsafeNameError,
)
from app.core.bundles.framing import (
    BASE_SIZE,
    CRYPTO_SIZE,
    ENTRY_HEAD,
    MANIFEST_NAME,
    MODE_ENCRYPTED,
    SIGNATURE_ENTRY_SIZE,
    SIGNATURE_NAME,
    EntryKind,
    Header,
    parse_base,
    parse_crypto,
)
from app.core.bundles.limits import MIB, Limits
from app.core.bundles.manifest import EntryInfo, check_manifest, verify_manifest_signature
from app.core.bundles.names import display_name
from app.core.bundles.streams import Content, RawFile
from app.core.bundles.strict_json import parse_json

_BLOCK = MIB


class RecordSink(Protocol):
    """Told of the manifest and of each record as soon as it is verified and parsed, while
    the rest of the bundle is still being read (a caller can check records meanwhile; an
    exception it raises ends the read like any other refusal)."""

    def manifest(self, bundle_id: str, manifest: dict[str, Any], public: bytes) -> None: ...

    def record(self, name: str, value: Any, data: bytes) -> None:
        """``value`` parsed from ``data``, the entry's verified bytes."""


@dataclass(frozen=True)
class Verified:
    """Everything a full check established (files are in ``spooled`` when a folder was given)."""

    header: Header
    manifest: dict[str, Any]
    entries: list[EntryInfo]
    signer_public_key: bytes
    records: list[tuple[str, Any]]
    spooled: dict[str, Path]
    sha256: str
    size_bytes: int


@contextmanager
def opened(path: Path) -> Iterator[tuple[BinaryIO, int]]:
    """The bundle file and its size; refuses what is not a regular file."""
    # Non-blocking, so that opening a FIFO returns at once instead of waiting for a writer;
    # it makes no difference to reading a regular file.
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0)
    try:
        fd = os.open(path, flags)
    except OSError as exc:
        raise BundleReadError(f"bundle {path} cannot be opened: {exc}") from None
    # Checked before wrapping the descriptor: a folder cannot even be wrapped in a file object.
    try:
        info = os.fstat(fd)
    except OSError as exc:
        os.close(fd)
        raise BundleReadError(f"bundle {path} cannot be read: {exc}") from None
    if not stat.S_ISREG(info.st_mode):
        os.close(fd)
        raise BundleReadError(f"{path} is not a regular file")
    with os.fdopen(fd, "rb") as handle:
        yield handle, info.st_size


def read_header(raw: RawFile, limits: Limits) -> Header:
    """The header, checked against the limits and against the file's actual size."""
    version, bundle_id, mode, content_length = parse_base(
        raw.read_exact(min(BASE_SIZE, raw.size)), raw.size
    )
    crypto = None
    if mode == MODE_ENCRYPTED:
        crypto = parse_crypto(raw.read_exact(CRYPTO_SIZE), limits.max_chunk_size)
    if content_length > limits.max_total_bytes:
        raise LimitError(f"bundle content is larger than the {limits.max_total_bytes}-byte limit")
    header = Header(version, bundle_id, content_length, crypto)
    expected = header.file_size()
    if raw.size < expected:
        raise TruncatedError(
            f"bundle is truncated at byte {raw.size} (its header declares {expected} bytes)"
        )
    if raw.size > expected:
        raise TrailingDataError(
            f"bundle has {raw.size - expected} unexpected bytes after its end at byte {expected}"
        )
    return header


def verify(
    handle: BinaryIO,
    size: int,
    decrypt_key: X25519PrivateKey | None,
    limits: Limits,
    spool: Callable[[], Path] | None,
    sink: RecordSink | None = None,
) -> Verified:
    """Check a whole bundle; copy file entries into the folder ``spool()`` gives, if given.

    The folder is asked for only when the first file entry is reached, so a bundle refused
    before that (the usual case for hostile input) touches nothing on disk.
    """
    raw = RawFile(handle, size)
    header = read_header(raw, limits)
    key = None
    if header.crypto is not None:
        if decrypt_key is None:
            raise KeyRequiredError(
                "bundle is encrypted; the institution's key is needed to open it"
            )
        key = recipient_key(header, decrypt_key)
    content = Content(raw, header, key)
    manifest_bytes = _fixed_entry(
        content, EntryKind.MANIFEST, MANIFEST_NAME, limits.max_manifest_bytes, limits
    )
    signature = _fixed_entry(
        content, EntryKind.SIGNATURE, SIGNATURE_NAME, SIGNATURE_ENTRY_SIZE, limits
    )
    if len(signature) != SIGNATURE_ENTRY_SIZE:
        raise ManifestError(f"{SIGNATURE_NAME} is not {SIGNATURE_ENTRY_SIZE} bytes")
    public = signature[:32]
    verify_manifest_signature(manifest_bytes, public, signature[32:])
    manifest = parse_json(
        manifest_bytes, MANIFEST_NAME, limits.max_manifest_bytes, limits.max_json_depth
    )
    entries = check_manifest(manifest, header, public, SCHEME, limits)
    if sink is not None:
        sink.manifest(str(header.bundle_id), manifest, public)
    records: list[tuple[str, Any]] = []
    spooled: dict[str, Path] = {}
    for index, info in enumerate(entries):
        if not content.remaining:
            raise ManifestError(
                f"the manifest lists {len(entries)} entries but the bundle holds only {index}"
            )
        target = None
        if info.kind == "file" and spool is not None:
            target = spool() / f"{index:06d}"
            spooled[info.name] = target
        data = _entry(content, index, info, limits, target)
        if info.kind == "record":
            value = parse_json(data, info.name, limits.max_record_bytes, limits.max_json_depth)
            records.append((info.name, value))
            if sink is not None:
                sink.record(info.name, value, data)
    if content.remaining:
        raise TrailingDataError("bundle content continues after the last entry of the manifest")
    content.finish()
    if not raw.at_end():
        raise TrailingDataError(f"bundle has unexpected bytes after byte {raw.position}")
    return Verified(header, manifest, entries, public, records, spooled, raw.sha256(), size)


def _head(content: Content, limits: Limits) -> tuple[int, str, int]:
    kind, name_length, size = ENTRY_HEAD.unpack(
        content.read_exact(ENTRY_HEAD.size, "an entry header")
    )
    if name_length > limits.max_name_bytes:
        raise LimitError(f"an entry name is longer than {limits.max_name_bytes} bytes")
    raw_name = content.read_exact(name_length, "an entry name")
    try:
        name = raw_name.decode("utf-8")
    except UnicodeDecodeError:
        raise UnsafeNameError("an entry name is not valid UTF-8") from None
    return kind, name, size


def _fixed_entry(
    content: Content, kind: EntryKind, name: str, max_size: int, limits: Limits
) -> bytes:
    got_kind, got_name, size = _head(content, limits)
    if got_kind != kind or got_name != name:
        raise ManifestError(f"bundle does not hold {name} where the format puts it")
    if size > max_size:
        raise LimitError(f"{name} is larger than the {max_size}-byte limit")
    return content.read_exact(size, name)


def _entry(
    content: Content, index: int, info: EntryInfo, limits: Limits, target: Path | None
) -> bytes:
    """Read one entry; a record's bytes are returned, a file's are hashed (and spooled)."""
    kind, name, size = _head(content, limits)
    kind_name = {EntryKind.RECORD.value: "record", EntryKind.FILE.value: "file"}.get(
        kind, f"kind {kind}"
    )
    if (kind_name, name, size) != (info.kind, info.name, info.size):
        raise ManifestError(
            f"entry {index + 1} is {kind_name} {display_name(name)} of {size} bytes, but the "
            f"manifest lists {info.kind} {display_name(info.name)} of {info.size} bytes"
        )
    digest = hashlib.sha256()
    kept: list[bytes] = []
    try:
        out = target.open("xb") if target is not None else None
        try:
            left = size
            while left:
                count = min(_BLOCK, left)
                if count > content.remaining:  # the message is built only when needed
                    content.read_exact(count, f"entry {display_name(name)}")
                block = content.read_exact(count, "")
                digest.update(block)
                if out is not None:
                    out.write(block)
                elif info.kind == "record":
                    kept.append(block)
                left -= len(block)
        finally:
            if out is not None:
                out.close()
    except OSError as exc:  # the private copy, e.g. a full disk; reading errors are wrapped below
        raise BundleReadError(f"the bundle's files cannot be copied for checking: {exc}") from None
    if digest.hexdigest() != info.sha256:
        raise HashMismatchError(f"entry {display_name(name)}: SHA-256 does not match the manifest")
    return b"".join(kept)
