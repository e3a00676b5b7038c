"""The fixed header and the entry framing (byte layout in docs/bundle-format.md).

All integers are big-endian. The header is never trusted on its own: its values are bounded
here, covered by every chunk's associated data when encrypted, and repeated in the signed
manifest (version, bundle id, encryption recipient).
"""

from __future__ import annotations

import struct
import uuid
from dataclasses import dataclass
from enum import IntEnum

from app.core.bundles.errors import (
    HeaderError,
    NotABundleError,
    TruncatedError,
    UnsupportedVersionError,
)

MAGIC = b"PDBUNDLE"
FORMAT_VERSION = 1
MODE_PLAIN = 0
MODE_ENCRYPTED = 1

# magic, version, mode, bundle id, content length
_BASE = struct.Struct(">8sHB16sQ")
# recipient key SHA-256, ephemeral X25519 public key, HKDF salt, nonce prefix, chunk size
_CRYPTO = struct.Struct(">32s32s32s7sI")
BASE_SIZE = _BASE.size
CRYPTO_SIZE = _CRYPTO.size

# kind, name length, data length
ENTRY_HEAD = struct.Struct(">BHQ")
MIN_CHUNK_SIZE = 256
TAG_SIZE = 16
SIGNATURE_ENTRY_SIZE = 32 + 64  # raw Ed25519 public key, then the signature


class EntryKind(IntEnum):
    MANIFEST = 1
    SIGNATURE = 2
    RECORD = 3
    FILE = 4


MANIFEST_NAME = "manifest.json"
SIGNATURE_NAME = "manifest.sig"
KIND_NAMES = {EntryKind.RECORD: "record", EntryKind.FILE: "file"}


@dataclass(frozen=True)
class CryptoParams:
    recipient_key_sha256: bytes
    ephemeral_public: bytes
    salt: bytes
    nonce_prefix: bytes
    chunk_size: int


@dataclass(frozen=True)
class Header:
    version: int
    bundle_id: uuid.UUID
    content_length: int
    crypto: CryptoParams | None

    @property
    def encrypted(self) -> bool:
        return self.crypto is not None

    def pack(self) -> bytes:
        mode = MODE_PLAIN if self.crypto is None else MODE_ENCRYPTED
        head = _BASE.pack(MAGIC, self.version, mode, self.bundle_id.bytes, self.content_length)
        if self.crypto is None:
            return head
        c = self.crypto
        return head + _CRYPTO.pack(
            c.recipient_key_sha256, c.ephemeral_public, c.salt, c.nonce_prefix, c.chunk_size
        )

    @property
    def size(self) -> int:
        return BASE_SIZE + (CRYPTO_SIZE if self.crypto else 0)

    def chunk_count(self) -> int:
        """Full chunks, then one final chunk shorter than a full one (possibly empty)."""
        assert self.crypto is not None
        return self.content_length // self.crypto.chunk_size + 1

    def file_size(self) -> int:
        """The exact size the whole bundle file must have."""
        if self.crypto is None:
            return self.size + self.content_length
        return self.size + self.content_length + self.chunk_count() * TAG_SIZE


def parse_base(data: bytes, file_size: int) -> tuple[int, uuid.UUID, int, int]:
    """Check magic and version of the first ``BASE_SIZE`` bytes; return their fields."""
    if len(data) < len(MAGIC) or data[: len(MAGIC)] != MAGIC:
        raise NotABundleError("this file is not a Proctor Desk bundle (wrong magic)")
    if len(data) < BASE_SIZE:
        raise TruncatedError(f"bundle is truncated at byte {file_size} (inside the header)")
    _, version, mode, raw_id, content_length = _BASE.unpack(data)
    if version != FORMAT_VERSION:
        raise UnsupportedVersionError(
            f"bundle format version {version} is not supported (this program reads version "
            f"{FORMAT_VERSION})"
        )
    if mode not in (MODE_PLAIN, MODE_ENCRYPTED):
        raise HeaderError(f"bundle header has an unknown mode {mode}")
    return version, uuid.UUID(bytes=raw_id), mode, content_length


def parse_crypto(data: bytes, max_chunk_size: int) -> CryptoParams:
    key_hash, ephemeral, salt, prefix, chunk_size = _CRYPTO.unpack(data)
    if not MIN_CHUNK_SIZE <= chunk_size <= max_chunk_size:
        raise HeaderError(
            f"bundle header: chunk size {chunk_size} is outside {MIN_CHUNK_SIZE}..{max_chunk_size}"
        )
    return CryptoParams(key_hash, ephemeral, salt, prefix, chunk_size)


def pack_entry_head(kind: int, name: str, size: int) -> bytes:
    raw = name.encode("utf-8")
    return ENTRY_HEAD.pack(kind, len(raw), size) + raw
