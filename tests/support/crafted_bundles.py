"""Bundles crafted from the format's building blocks, byte by byte: entries as given, listed
in a signed manifest that a test may falsify before it is signed. The hostile-bundle tests use
them to reach the checks behind a correct signature."""

from __future__ import annotations

import hashlib
import io
import uuid
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PublicKey

from app.core.bundles.cipher import SCHEME, EncryptingWriter, new_params
from app.core.bundles.framing import (
    ENTRY_HEAD,
    FORMAT_VERSION,
    MANIFEST_NAME,
    SIGNATURE_NAME,
    EntryKind,
    Header,
    pack_entry_head,
)
from app.core.bundles.manifest import EntryInfo, build_manifest, sign_manifest
from app.core.seal.canonical import canonical_bytes

SIGNER = Ed25519PrivateKey.from_private_bytes(bytes(range(32)))
BUNDLE_ID = uuid.UUID("0f0e0d0c-0b0a-4908-8706-050403020100")
RECORD, FILE = EntryKind.RECORD, EntryKind.FILE
Entry = tuple[int, str | bytes, bytes]


def public(key: Ed25519PrivateKey) -> bytes:
    return key.public_key().public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)


def craft(
    path: Path,
    entries: list[Entry],
    *,
    edit: Callable[[dict[str, Any]], None] | None = None,
    signer: Ed25519PrivateKey = SIGNER,
    signature: bytes | None = None,
    manifest_bytes: bytes | None = None,
    recipient: X25519PublicKey | None = None,
    chunk_size: int = 256,
    bundle_id: uuid.UUID = BUNDLE_ID,
) -> bytes:
    """A bundle holding ``entries`` as given, listed in a signed manifest that ``edit`` may
    falsify before it is signed. Writes it to ``path`` and returns its bytes. Each bundle has
    ``bundle_id`` (one fixed id unless given: an import takes a second bundle of an id it has
    as the same one)."""
    crypto, key = (None, None)
    if recipient is not None:
        crypto, key = new_params(recipient, bundle_id, chunk_size)
    draft = Header(FORMAT_VERSION, bundle_id, 0, crypto)
    infos = [
        EntryInfo(name, "record" if kind == RECORD else "file", len(data), sha(data))
        for kind, name, data in entries
        if isinstance(name, str)
    ]
    manifest = build_manifest(draft, "2026-11-29T08:00:00Z", public(signer), {}, infos, SCHEME)
    if edit is not None:
        edit(manifest)
    if manifest_bytes is None:
        manifest_bytes = canonical_bytes(manifest)
    if signature is None:
        signature = public(signer) + sign_manifest(manifest_bytes, signer)
    parts = [
        pack_entry_head(EntryKind.MANIFEST, MANIFEST_NAME, len(manifest_bytes)),
        manifest_bytes,
        pack_entry_head(EntryKind.SIGNATURE, SIGNATURE_NAME, len(signature)),
        signature,
    ]
    for kind, name, data in entries:
        raw = name if isinstance(name, bytes) else name.encode("utf-8")
        parts += [ENTRY_HEAD.pack(kind, len(raw), len(data)), raw, data]
    content = b"".join(parts)
    header = Header(FORMAT_VERSION, bundle_id, len(content), crypto)
    if key is None:
        data = header.pack() + content
    else:
        buffer = io.BytesIO()
        buffer.write(header.pack())
        writer = EncryptingWriter(buffer, header, key)
        writer.write(content)
        writer.finish()
        data = buffer.getvalue()
    path.write_bytes(data)
    return data


def sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def set_in(path: list[Any], value: Any) -> Callable[[dict[str, Any]], None]:
    def edit(manifest: dict[str, Any]) -> None:
        target: Any = manifest
        for step in path[:-1]:
            target = target[step]
        target[path[-1]] = value

    return edit


def signed_again(
    path: Path,
    records: list[tuple[str, Any]],
    fields: dict[str, Any],
    signer: Ed25519PrivateKey,
    recipient: X25519PublicKey,
    *,
    files: Sequence[tuple[str, bytes]] = (),
    created_at: str | None = None,
) -> Path:
    """A real bundle's ``records`` (and ``files``) as a test changed them, signed again by a
    laptop's key and encrypted to the institution under a new bundle id, with the manifest's
    ``fields``; dated ``created_at`` (else ``craft``'s fixed date, before any real bundle)."""

    def manifest(value: dict[str, Any]) -> None:
        set_in(["fields"], fields)(value)
        if created_at is not None:
            value["created_at"] = created_at

    entries: list[Entry] = [
        *((RECORD, name, canonical_bytes(value)) for name, value in records),
        *((FILE, name, data) for name, data in files),
    ]
    craft(
        path,
        entries,
        edit=manifest,
        signer=signer,
        recipient=recipient,
        chunk_size=4096,
        bundle_id=uuid.uuid4(),
    )
    return path
