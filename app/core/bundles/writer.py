"""Writing a bundle: hash every source first (the manifest comes first in the file), then
stream the content into a temporary file beside the target, fsync, rename, fsync the folder.
A failure at any point leaves no bundle and no temporary file behind."""

from __future__ import annotations

import hashlib
import os
import tempfile
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, BinaryIO

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PublicKey

from app.core.bundles.cipher import SCHEME, ByteSink, EncryptingWriter, new_params
from app.core.bundles.errors import BundleWriteError
from app.core.bundles.framing import (
    ENTRY_HEAD,
    FORMAT_VERSION,
    MANIFEST_NAME,
    SIGNATURE_NAME,
    EntryKind,
    Header,
    pack_entry_head,
)
from app.core.bundles.limits import MIB, Limits
from app.core.bundles.manifest import EntryInfo, build_manifest, check_manifest, sign_manifest
from app.core.bundles.names import check_name, check_unique, display_name
from app.core.bundles.receipt import BundleReceipt
from app.core.bundles.strict_json import check_limits, parse_json
from app.core.durable import sync_folder
from app.core.seal.canonical import CanonicalError, canonical_bytes, encode_checked, plain_depth
from app.core.seal.device_keys import fingerprint

DEFAULT_CHUNK_SIZE = MIB
_COPY = 256 * 1024
Progress = Callable[[int, int], None]


@dataclass(frozen=True)
class _Entry:
    info: EntryInfo
    data: bytes | None  # a record's canonical bytes; None for a file read from ``source``
    source: Path | None


class _HashingFile:
    """The temporary file, hashed as it is written so the receipt needs no second read."""

    def __init__(self, handle: BinaryIO) -> None:
        self.handle, self.hash, self.size = handle, hashlib.sha256(), 0

    def write(self, data: bytes) -> None:
        self.handle.write(data)
        self.hash.update(data)
        self.size += len(data)


class _ProgressSink:
    def __init__(self, inner: ByteSink, total: int, progress: Progress | None) -> None:
        self._inner, self._total, self._progress, self.done = inner, total, progress, 0

    def write(self, data: bytes) -> None:
        self._inner.write(data)
        self.done += len(data)
        if self._progress is not None:
            self._progress(self.done, self._total)


def write_bundle(
    path: Path,
    manifest_fields: dict[str, Any],
    records: Sequence[tuple[str, Any]],
    files: Sequence[tuple[str, Path]],
    signing_key: Ed25519PrivateKey,
    recipient: X25519PublicKey | None = None,
    *,
    bundle_id: uuid.UUID | None = None,
    created_at: datetime | None = None,
    chunk_size: int = DEFAULT_CHUNK_SIZE,
    limits: Limits | None = None,
    overwrite: bool = False,
    progress: Progress | None = None,
) -> BundleReceipt:
    """Write a signed bundle (encrypted to ``recipient`` when given) atomically to ``path``.

    ``records`` are (name, JSON value) pairs stored as canonical JSON; ``files`` are (name,
    source path) pairs copied byte for byte. ``progress(done, total)`` is called as content
    bytes are written; an exception it raises aborts the write and leaves nothing behind.
    """
    limits = limits or Limits()
    path = Path(path)
    if path.exists() and not overwrite:
        raise BundleWriteError(f"{path} already exists")
    entries = _prepare(records, files, limits)
    bundle_id = bundle_id or uuid.uuid4()
    stamp = (created_at or datetime.now(UTC)).astimezone(UTC)
    created = stamp.replace(microsecond=0).isoformat().replace("+00:00", "Z")
    public = signing_key.public_key().public_bytes(
        serialization.Encoding.Raw, serialization.PublicFormat.Raw
    )
    key: bytes | None = None
    crypto = None
    if recipient is not None:
        crypto, key = new_params(recipient, bundle_id, chunk_size)
    draft = Header(FORMAT_VERSION, bundle_id, 0, crypto)
    manifest = build_manifest(
        draft, created, public, manifest_fields, [e.info for e in entries], SCHEME
    )
    try:
        manifest_bytes = canonical_bytes(manifest)
    except (CanonicalError, UnicodeEncodeError, RecursionError) as exc:
        raise BundleWriteError(f"manifest fields have no canonical JSON form: {exc}") from None
    # The writer applies the reader's own checks, so it never produces a bundle it would refuse.
    parse_json(manifest_bytes, MANIFEST_NAME, limits.max_manifest_bytes, limits.max_json_depth)
    check_manifest(manifest, draft, public, SCHEME, limits)
    signature = public + sign_manifest(manifest_bytes, signing_key)
    content_length = (
        _framed(MANIFEST_NAME, len(manifest_bytes))
        + _framed(SIGNATURE_NAME, len(signature))
        + sum(_framed(e.info.name, e.info.size) for e in entries)
    )
    header = Header(FORMAT_VERSION, bundle_id, content_length, crypto)
    size, digest = _write_atomically(
        path,
        overwrite,
        lambda sink: _write_content(sink, manifest_bytes, signature, entries),
        header,
        key,
        progress,
    )
    return BundleReceipt(
        bundle_id=str(bundle_id),
        sha256=digest,
        size_bytes=size,
        record_count=sum(1 for e in entries if e.info.kind == "record"),
        file_count=sum(1 for e in entries if e.info.kind == "file"),
        encrypted=recipient is not None,
        created_at=created,
        signer_fingerprint=fingerprint(public),
    )


def _framed(name: str, size: int) -> int:
    return ENTRY_HEAD.size + len(name.encode("utf-8")) + size


def _prepare(
    records: Sequence[tuple[str, Any]], files: Sequence[tuple[str, Path]], limits: Limits
) -> list[_Entry]:
    names = [name for name, _ in records] + [name for name, _ in files]
    for name in names:
        check_name(name, limits)
    check_unique(names)
    entries: list[_Entry] = []
    for name, value in records:
        if not name.endswith(".json"):
            raise BundleWriteError(f"record {display_name(name)}: the name must end in .json")
        data = _record_bytes(name, value, limits)
        digest = hashlib.sha256(data).hexdigest()
        entries.append(_Entry(EntryInfo(name, "record", len(data), digest), data, None))
    for name, source in files:
        size, digest = _hash_file(Path(source), name)
        entries.append(_Entry(EntryInfo(name, "file", size, digest), None, Path(source)))
    return entries


def _record_bytes(name: str, value: Any, limits: Limits) -> bytes:
    """A record's canonical bytes, refused here when the reader would refuse them."""
    max_bytes, max_depth = limits.max_record_bytes, limits.max_json_depth
    depth = plain_depth(value)
    if depth is None:
        # Not plain JSON types: the full walk names what has no canonical form, and the
        # reader's own parse checks what it does encode to.
        data = _encoded(name, canonical_bytes, value)
        parse_json(data, name, max_bytes, max_depth)
        return data
    # Plain JSON encodes to the canonical form and parses back to itself, so only the
    # reader's limits remain to check (parsing it again would double the export's time).
    check_limits(0, depth, name, max_bytes, max_depth)  # before encoding a deep value
    data = _encoded(name, encode_checked, value)
    check_limits(len(data), depth, name, max_bytes, max_depth)
    return data


def _encoded(name: str, encode: Callable[[Any], bytes], value: Any) -> bytes:
    try:
        return encode(value)
    except (ValueError, RecursionError) as exc:  # CanonicalError, UnicodeEncodeError, ...
        raise BundleWriteError(f"record {display_name(name)}: {exc}") from None


def _hash_file(source: Path, name: str) -> tuple[int, str]:
    digest, size = hashlib.sha256(), 0
    try:
        with source.open("rb") as handle:
            while block := handle.read(_COPY):
                digest.update(block)
                size += len(block)
    except OSError as exc:
        raise BundleWriteError(f"file {display_name(name)} cannot be read: {exc}") from None
    return size, digest.hexdigest()


def _write_content(
    sink: ByteSink, manifest_bytes: bytes, signature: bytes, entries: list[_Entry]
) -> None:
    sink.write(pack_entry_head(EntryKind.MANIFEST, MANIFEST_NAME, len(manifest_bytes)))
    sink.write(manifest_bytes)
    sink.write(pack_entry_head(EntryKind.SIGNATURE, SIGNATURE_NAME, len(signature)))
    sink.write(signature)
    for entry in entries:
        info = entry.info
        kind = EntryKind.RECORD if info.kind == "record" else EntryKind.FILE
        sink.write(pack_entry_head(kind, info.name, info.size))
        if entry.data is not None:
            sink.write(entry.data)
        else:
            assert entry.source is not None
            _copy_file(sink, entry.source, info)


def _copy_file(sink: ByteSink, source: Path, info: EntryInfo) -> None:
    """Copy exactly the bytes hashed before; a source changed since then aborts the write."""
    digest, left = hashlib.sha256(), info.size
    changed = BundleWriteError(
        f"file {display_name(info.name)} changed while the bundle was written"
    )
    try:
        with source.open("rb") as handle:
            while left:
                block = handle.read(min(_COPY, left))
                if not block:
                    raise changed
                digest.update(block)
                sink.write(block)
                left -= len(block)
            if handle.read(1):
                raise changed
    except OSError as exc:
        raise BundleWriteError(f"file {display_name(info.name)} cannot be read: {exc}") from None
    if digest.hexdigest() != info.sha256:
        raise changed


def _write_atomically(
    path: Path,
    overwrite: bool,
    body: Callable[[ByteSink], None],
    header: Header,
    key: bytes | None,
    progress: Progress | None,
) -> tuple[int, str]:
    folder = path.parent
    try:
        fd, tmp_name = tempfile.mkstemp(dir=folder, prefix=f".{path.name}.", suffix=".partial")
    except OSError as exc:
        raise BundleWriteError(f"cannot create a file in {folder}: {exc}") from None
    tmp = Path(tmp_name)
    try:
        with os.fdopen(fd, "wb") as handle:
            out = _HashingFile(handle)
            out.write(header.pack())
            if key is None:
                body(_ProgressSink(out, header.content_length, progress))
            else:
                encrypting = EncryptingWriter(out, header, key)
                body(_ProgressSink(encrypting, header.content_length, progress))
                encrypting.finish()
            handle.flush()
            os.fsync(handle.fileno())
        if out.size != header.file_size():
            raise AssertionError("bundle size differs from its header")  # a bug, not input
        if path.exists() and not overwrite:
            raise BundleWriteError(f"{path} already exists")
        os.replace(tmp, path)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise BundleWriteError(f"bundle {path} cannot be written: {exc}") from None
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    sync_folder(folder)
    return out.size, out.hash.hexdigest()


