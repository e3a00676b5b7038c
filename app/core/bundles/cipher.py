"""The encryption layer: ephemeral X25519 to the institution's key, HKDF-SHA256, AES-256-GCM
over fixed-size chunks.

Each chunk's nonce is the file's random 7-byte prefix, the chunk counter and a final-chunk flag;
the associated data is the whole header plus the same counter and flag. Reordering, dropping,
duplicating or splicing chunks (even from another bundle) therefore fails authentication, and so
does truncation, because only the last chunk may carry the final flag.
"""

from __future__ import annotations

import hashlib
import os
import struct
import uuid
from typing import Protocol

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey, X25519PublicKey
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from app.core.bundles.errors import TamperedError, WrongKeyError
from app.core.bundles.framing import FORMAT_VERSION, TAG_SIZE, CryptoParams, Header

SCHEME = "X25519-HKDF-SHA256-AES-256-GCM"
_INFO = b"PDBUNDLE content key v%d\x00" % FORMAT_VERSION
_COUNTER = struct.Struct(">IB")


def public_raw(key: X25519PublicKey) -> bytes:
    return key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)


def key_sha256(key: X25519PublicKey) -> bytes:
    """What the header records about the recipient, so a wrong key is named as such."""
    return hashlib.sha256(public_raw(key)).digest()


def _derive(shared: bytes, params: CryptoParams, bundle_id: uuid.UUID, recipient: bytes) -> bytes:
    info = _INFO + bundle_id.bytes + params.ephemeral_public + recipient
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=params.salt, info=info).derive(shared)


def _nonce_and_aad(
    header_bytes: bytes, prefix: bytes, index: int, final: bool
) -> tuple[bytes, bytes]:
    tail = _COUNTER.pack(index, 1 if final else 0)
    return prefix + tail, header_bytes + tail


def new_params(
    recipient: X25519PublicKey, bundle_id: uuid.UUID, chunk_size: int
) -> tuple[CryptoParams, bytes]:
    """Fresh parameters for one bundle and the AES key they lead to."""
    ephemeral = X25519PrivateKey.generate()
    params = CryptoParams(
        recipient_key_sha256=key_sha256(recipient),
        ephemeral_public=public_raw(ephemeral.public_key()),
        salt=os.urandom(32),
        nonce_prefix=os.urandom(7),
        chunk_size=chunk_size,
    )
    key = _derive(ephemeral.exchange(recipient), params, bundle_id, public_raw(recipient))
    return params, key


def recipient_key(header: Header, private: X25519PrivateKey) -> bytes:
    """The AES key for ``header`` using the institution's private key."""
    params = header.crypto
    assert params is not None
    own = private.public_key()
    if key_sha256(own) != params.recipient_key_sha256:
        raise WrongKeyError(
            "bundle is encrypted for another institution's key "
            f"({params.recipient_key_sha256.hex()[:16]}…), not this one "
            f"({key_sha256(own).hex()[:16]}…)"
        )
    try:
        shared = private.exchange(X25519PublicKey.from_public_bytes(params.ephemeral_public))
    except ValueError:  # a low-order point gives an all-zero secret, which OpenSSL refuses
        raise TamperedError("bundle header holds an invalid ephemeral key") from None
    return _derive(shared, params, header.bundle_id, public_raw(own))


class ByteSink(Protocol):
    def write(self, data: bytes, /) -> object: ...


class EncryptingWriter:
    """Buffers content and writes each full chunk encrypted; ``finish`` writes the final one."""

    def __init__(self, out: ByteSink, header: Header, key: bytes) -> None:
        assert header.crypto is not None
        self._out, self._aes = out, AESGCM(key)
        self._header_bytes, self._params = header.pack(), header.crypto
        self._buffer, self._index = bytearray(), 0

    def write(self, data: bytes) -> None:
        self._buffer += data
        size = self._params.chunk_size
        # A chunk leaves only when content follows it, so the last chunk is always shorter.
        while len(self._buffer) >= size:
            self._emit(bytes(self._buffer[:size]), final=False)
            del self._buffer[:size]

    def finish(self) -> None:
        self._emit(bytes(self._buffer), final=True)
        self._buffer.clear()

    def _emit(self, plain: bytes, final: bool) -> None:
        nonce, aad = _nonce_and_aad(
            self._header_bytes, self._params.nonce_prefix, self._index, final
        )
        self._out.write(self._aes.encrypt(nonce, plain, aad))
        self._index += 1


def decrypt_chunk(
    aes: AESGCM, header: Header, header_bytes: bytes, index: int, sealed: bytes, offset: int
) -> bytes:
    """One chunk's plaintext, or ``TamperedError`` naming the chunk and where it starts."""
    params = header.crypto
    assert params is not None
    final = index == header.chunk_count() - 1
    nonce, aad = _nonce_and_aad(header_bytes, params.nonce_prefix, index, final)
    if len(sealed) < TAG_SIZE:
        raise TamperedError(f"bundle is damaged: encrypted chunk {index} is too short")
    try:
        return aes.decrypt(nonce, sealed, aad)
    except InvalidTag:
        raise TamperedError(
            f"bundle is damaged or altered: encrypted chunk {index} (at byte {offset}) "
            "fails authentication"
        ) from None
