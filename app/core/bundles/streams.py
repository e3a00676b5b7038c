"""Reading a bundle file as a stream: the raw bytes (hashed as they pass) and the content
inside them, decrypted chunk by chunk when the bundle is encrypted. Memory stays at one chunk."""

from __future__ import annotations

import hashlib
from typing import BinaryIO

from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from app.core.bundles.cipher import decrypt_chunk
from app.core.bundles.errors import BundleReadError, TruncatedError
from app.core.bundles.framing import TAG_SIZE, Header


class RawFile:
    """The bundle file read front to back; ``sha256`` is of every byte read."""

    def __init__(self, handle: BinaryIO, size: int) -> None:
        self._handle, self.size, self.position = handle, size, 0
        self._hash = hashlib.sha256()

    def read_exact(self, count: int) -> bytes:
        try:
            data = self._handle.read(count)
        except OSError as exc:
            raise BundleReadError(f"bundle cannot be read at byte {self.position}: {exc}") from None
        self._hash.update(data)
        self.position += len(data)
        if len(data) != count:
            raise TruncatedError(f"bundle is truncated at byte {self.position}")
        return data

    def at_end(self) -> bool:
        try:
            return self._handle.read(1) == b""
        except OSError as exc:
            raise BundleReadError(f"bundle cannot be read at byte {self.position}: {exc}") from None

    def sha256(self) -> str:
        return self._hash.hexdigest()


class Content:
    """The content stream (entries) of a bundle, plain or decrypted, exactly ``length`` bytes."""

    def __init__(self, raw: RawFile, header: Header, key: bytes | None) -> None:
        self._raw, self._header = raw, header
        self._header_bytes = header.pack()
        self.remaining = header.content_length
        self._aes = AESGCM(key) if key is not None else None
        self._buffer, self._used, self._index = b"", 0, 0

    def read_exact(self, count: int, what: str) -> bytes:
        """``count`` content bytes; ``what`` names the part for the message if they are missing."""
        if count > self.remaining:
            raise TruncatedError(f"bundle content ends inside {what}")
        self.remaining -= count
        if self._aes is None:
            return self._raw.read_exact(count)
        parts: list[bytes] = []
        while count:
            if self._used == len(self._buffer):
                self._next_chunk()
            piece = self._buffer[self._used : self._used + count]
            self._used += len(piece)
            count -= len(piece)
            parts.append(piece)
        return b"".join(parts)

    def finish(self) -> None:
        """Authenticate the final chunk even when no content byte remains to be read from it."""
        if self._aes is not None and self._index < self._header.chunk_count():
            self._next_chunk()

    def _next_chunk(self) -> None:
        assert self._aes is not None and self._header.crypto is not None
        size = self._header.crypto.chunk_size
        final = self._index == self._header.chunk_count() - 1
        plain = self._header.content_length % size if final else size
        offset = self._raw.position
        sealed = self._raw.read_exact(plain + TAG_SIZE)
        self._buffer = decrypt_chunk(
            self._aes, self._header, self._header_bytes, self._index, sealed, offset
        )
        self._used, self._index = 0, self._index + 1
