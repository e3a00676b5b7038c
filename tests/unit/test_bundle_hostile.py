"""Hostile bundles: each is refused with its own error kind and one clear message, and
refusing one leaves nothing behind. Bundles here are crafted from the format's building
blocks, most of them correctly signed, so the checks after the signature are reached."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey

from app.core.bundles import (
    BundleError,
    DuplicateEntryError,
    HashMismatchError,
    HeaderError,
    InvalidUtf8Error,
    JsonDepthError,
    JsonError,
    LimitError,
    Limits,
    ManifestError,
    NotABundleError,
    SignatureError,
    TamperedError,
    TrailingDataError,
    TruncatedError,
    UnsafeNameError,
    UnsupportedVersionError,
    open_bundle,
    write_bundle,
)
from app.core.bundles.cipher import SCHEME
from app.core.bundles.framing import BASE_SIZE, CRYPTO_SIZE, TAG_SIZE
from app.core.bundles.manifest import sign_manifest
from app.core.seal.canonical import canonical_bytes
from tests.support.crafted_bundles import FILE, RECORD, SIGNER, Entry, craft, public, set_in, sha

INSTITUTION = X25519PrivateKey.from_private_bytes(bytes(range(1, 33)))

GOOD: list[Entry] = [
    (RECORD, "records/a.json", b'{"id":"a","n":1}'),
    (FILE, "files/e.bin", bytes(range(40))),
]


def refuse(path: Path, kind: type[BundleError], match: str, **kwargs: Any) -> BundleError:
    with pytest.raises(kind, match=match) as info:
        open_bundle(path, **kwargs)
    return info.value


def test_crafted_good_bundle_opens(tmp_path: Path) -> None:
    """The crafting helper itself makes valid bundles, so every refusal below is the change."""
    craft(tmp_path / "b", GOOD)
    with open_bundle(tmp_path / "b") as bundle:
        assert bundle.records == [("records/a.json", {"id": "a", "n": 1})]
    craft(tmp_path / "e", GOOD, recipient=INSTITUTION.public_key())
    with open_bundle(tmp_path / "e", INSTITUTION) as bundle:
        assert bundle.read_file("files/e.bin") == bytes(range(40))


# --- truncation, bit flips, chunks -----------------------------------------------------------


@pytest.mark.parametrize("encrypted", [False, True], ids=["plain", "encrypted"])
def test_truncation_at_every_offset_names_the_byte(tmp_path: Path, encrypted: bool) -> None:
    recipient = INSTITUTION.public_key() if encrypted else None
    data = craft(tmp_path / "b", GOOD, recipient=recipient)
    cut = tmp_path / "cut"
    for length in range(len(data)):
        cut.write_bytes(data[:length])
        if length < 8:
            refuse(cut, NotABundleError, "not a Proctor Desk bundle", decrypt_key=INSTITUTION)
        else:
            refuse(cut, TruncatedError, f"truncated at byte {length}\\b", decrypt_key=INSTITUTION)


def test_truncation_of_a_multi_megabyte_bundle(tmp_path: Path) -> None:
    source = tmp_path / "big"
    source.write_bytes(bytes(range(256)) * (12 * 1024))  # 3 MiB
    write_bundle(tmp_path / "b", {}, [], [("big", source)], SIGNER, INSTITUTION.public_key())
    data = (tmp_path / "b").read_bytes()
    step = 1024 * 1024 + TAG_SIZE
    cuts = {BASE_SIZE + CRYPTO_SIZE + i * step + d for i in range(4) for d in (-1, 0, 1)}
    cuts |= {len(data) - 1, len(data) - TAG_SIZE, 100, 5000}
    for length in sorted(cuts):
        (tmp_path / "cut").write_bytes(data[:length])
        refuse(
            tmp_path / "cut",
            TruncatedError,
            f"truncated at byte {length}\\b",
            decrypt_key=INSTITUTION,
        )


@pytest.mark.parametrize("encrypted", [False, True], ids=["plain", "encrypted"])
def test_every_single_bit_flip_is_detected(tmp_path: Path, encrypted: bool) -> None:
    recipient = INSTITUTION.public_key() if encrypted else None
    entries: list[Entry] = [(RECORD, "r.json", b"{}"), (FILE, "f", b"xyz")]
    data = craft(tmp_path / "b", entries, recipient=recipient)
    kinds: set[str] = set()
    # One file patched in place and restored: rewriting it whole for each flip costs more
    # than the check itself.
    with (tmp_path / "b").open("r+b") as handle:
        for bit in range(len(data) * 8):
            index = bit // 8
            handle.seek(index)
            handle.write(bytes([data[index] ^ (1 << (bit % 8))]))
            handle.flush()
            with pytest.raises(BundleError) as info:
                open_bundle(tmp_path / "b", INSTITUTION).close()
            kinds.add(type(info.value).__name__)
            handle.seek(index)
            handle.write(data[index : index + 1])
        handle.flush()
    with open_bundle(tmp_path / "b", INSTITUTION) as intact:
        assert intact.read_file("f") == b"xyz"
    assert len(data) * 8 > 5000
    expected = {"TamperedError", "WrongKeyError"} if encrypted else {"SignatureError"}
    assert expected <= kinds


def chunks_of(data: bytes, chunk_size: int) -> tuple[bytes, list[bytes]]:
    start, step = BASE_SIZE + CRYPTO_SIZE, chunk_size + TAG_SIZE
    body = data[start:]
    return data[:start], [body[i : i + step] for i in range(0, len(body), step)]


def test_reordered_duplicated_dropped_and_spliced_chunks_are_refused(tmp_path: Path) -> None:
    big: list[Entry] = [(FILE, "f", bytes(range(256)) * 8)]
    data = craft(tmp_path / "b", big, recipient=INSTITUTION.public_key())
    head, chunks = chunks_of(data, 256)
    assert len(chunks) >= 6
    path = tmp_path / "x"

    def attempt(parts: list[bytes], kind: type[BundleError], match: str, top: bytes = head) -> None:
        path.write_bytes(top + b"".join(parts))
        refuse(path, kind, match, decrypt_key=INSTITUTION)

    swapped = [chunks[0], chunks[2], chunks[1], *chunks[3:]]
    attempt(swapped, TamperedError, "chunk 1 .* fails authentication")
    attempt([chunks[0], chunks[1], chunks[1], *chunks[3:]], TamperedError, "chunk 2")
    attempt([*chunks[:-2], chunks[-1], chunks[-2]], TamperedError, "fails authentication")
    attempt([*chunks, chunks[-1]], TrailingDataError, "unexpected bytes")
    attempt(chunks[:-1], TruncatedError, "truncated")
    # Dropping the final chunk and a byte of the one before, with the declared length shrunk
    # to match: the header is in every chunk's associated data, so chunk 0 fails at once.
    kept = (len(chunks) - 1) * 256 - 1
    shorter = head[:27] + kept.to_bytes(8, "big") + head[35:]
    attempt([*chunks[:-2], chunks[-2][:-1]], TamperedError, "chunk 0", top=shorter)
    # A chunk from another bundle for the same institution, at the same position.
    other = craft(tmp_path / "o", big, recipient=INSTITUTION.public_key())
    _, foreign = chunks_of(other, 256)
    attempt([chunks[0], foreign[1], *chunks[2:]], TamperedError, "chunk 1")


def test_an_invalid_ephemeral_key_is_refused(tmp_path: Path) -> None:
    data = bytearray(craft(tmp_path / "b", GOOD, recipient=INSTITUTION.public_key()))
    data[BASE_SIZE + 32 : BASE_SIZE + 64] = bytes(32)  # the all-zero point
    (tmp_path / "b").write_bytes(data)
    refuse(tmp_path / "b", TamperedError, "invalid ephemeral key", decrypt_key=INSTITUTION)


# --- header -----------------------------------------------------------------------------------


def test_header_values_outside_the_format_are_refused(tmp_path: Path) -> None:
    data = craft(tmp_path / "b", GOOD)
    path = tmp_path / "x"
    path.write_bytes(b"PK\x03\x04" + data[4:])
    refuse(path, NotABundleError, "wrong magic")
    path.write_bytes(data[:8] + b"\x00\x02" + data[10:])
    refuse(path, UnsupportedVersionError, "version 2 is not supported")
    path.write_bytes(data[:10] + b"\x07" + data[11:])
    refuse(path, HeaderError, "unknown mode 7")
    path.write_bytes(data + b"\x00")
    refuse(path, TrailingDataError, "1 unexpected bytes after its end")
    path.write_bytes(b"")
    refuse(path, NotABundleError, "wrong magic")
    refuse(tmp_path / "b", LimitError, "content is larger", limits=Limits(max_total_bytes=100))
    enc = craft(tmp_path / "e", GOOD, recipient=INSTITUTION.public_key())
    end = BASE_SIZE + CRYPTO_SIZE
    path.write_bytes(enc[: end - 4] + (64).to_bytes(4, "big") + enc[end:])
    refuse(path, HeaderError, "chunk size 64", decrypt_key=INSTITUTION)


# --- signature and manifest -------------------------------------------------------------------


def test_altered_manifest_fails_the_signature(tmp_path: Path) -> None:
    craft(tmp_path / "b", GOOD, signature=public(SIGNER) + bytes(64))
    refuse(tmp_path / "b", SignatureError, "does not verify")
    # Signed by another key that the signature entry names, while the manifest names ours.
    other = Ed25519PrivateKey.generate()
    manifest = bytearray()

    def keep(m: dict[str, Any]) -> None:
        manifest.extend(canonical_bytes(m))

    craft(tmp_path / "k", GOOD, edit=keep)
    forged = public(other) + sign_manifest(bytes(manifest), other)
    craft(tmp_path / "k", GOOD, signature=forged)
    refuse(tmp_path / "k", ManifestError, "another signing key")
    craft(tmp_path / "s", GOOD, signature=public(SIGNER) + bytes(10))
    refuse(tmp_path / "s", ManifestError, "manifest.sig is not 96 bytes")


@pytest.mark.parametrize(
    ("edit", "kind", "match"),
    [
        (
            set_in(["entries", 0, "sha256"], "0" * 64),
            HashMismatchError,
            "entry 'records/a.json': SHA-256 does not match the manifest",
        ),
        (set_in(["counts", "records"], 2), ManifestError, "manifest says 2 records but lists 1"),
        (set_in(["counts", "files"], 0), ManifestError, "manifest says 0 files but lists 1"),
        (set_in(["entries", 1, "size"], 41), ManifestError, "of 40 bytes, but the manifest lists"),
        (
            set_in(["entries", 0, "kind"], "file"),
            ManifestError,
            "manifest says 1 records but lists 0",
        ),
        (set_in(["bundle_id"], str(uuid.uuid4())), ManifestError, "differs from the header"),
        (
            set_in(["encryption"], {"scheme": SCHEME, "recipient_key_sha256": "0" * 64}),
            ManifestError,
            "disagree about the encryption",
        ),
        (set_in(["format_version"], 2), ManifestError, "another format or version"),
        (set_in(["entries", 0, "sha256"], "XYZ"), ManifestError, "no valid SHA-256"),
        (set_in(["entries", 0, "size"], -1), ManifestError, "not a non-negative integer"),
        (set_in(["extra"], 1), ManifestError, "does not have the fields"),
        (set_in(["fields"], []), ManifestError, "wrong type"),
    ],
)
def test_a_signed_manifest_that_lies_is_refused(
    tmp_path: Path, edit: Callable[[dict[str, Any]], None], kind: type[BundleError], match: str
) -> None:
    craft(tmp_path / "b", GOOD, edit=edit)
    refuse(tmp_path / "b", kind, match)


def test_entries_missing_extra_or_out_of_order_are_refused(tmp_path: Path) -> None:
    def drop_last(m: dict[str, Any]) -> None:
        m["entries"].pop()
        m["counts"]["files"] = 0

    craft(tmp_path / "extra", GOOD, edit=drop_last)
    refuse(tmp_path / "extra", TrailingDataError, "continues after the last entry")

    def add_one(m: dict[str, Any]) -> None:
        m["entries"].append({"name": "files/g", "kind": "file", "size": 1, "sha256": "0" * 64})
        m["counts"]["files"] = 2

    craft(tmp_path / "missing", GOOD, edit=add_one)
    refuse(tmp_path / "missing", ManifestError, "lists 3 entries but the bundle holds only 2")
    craft(tmp_path / "order", GOOD, edit=lambda m: m["entries"].reverse())
    refuse(tmp_path / "order", ManifestError, "entry 1 is record 'records/a.json'")


# --- names ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "match"),
    [
        ("../evil.bin", "'..'"),
        ("files/../../evil.bin", "'..'"),
        ("/etc/passwd", "absolute"),
        ("files\\evil.bin", "backslash"),
        ("files/a\x00.bin", "NUL"),
        ("files/./a.bin", "'.'"),
        ("files//a.bin", "empty"),
        ("C:evil.bin", "contains"),
        ("files/CON.txt", "reserved device name"),
        ("files/a.bin.", "dot or space"),
        ("files/e\u0301.bin", "NFC"),
        ("files/a\x1b[31m.bin", "contains"),
        # Shown as "recordexe.pdf": direction overrides and C1 controls are refused too.
        ("reports/record\u202efdp.exe", "contains"),
        ("files/a\u2066b.bin", "contains"),
        ("files/a\x85b.bin", "contains"),
    ],
)
def test_unsafe_names_are_refused(tmp_path: Path, name: str, match: str) -> None:
    craft(tmp_path / "b", [(FILE, name, b"x")])
    refuse(tmp_path / "b", UnsafeNameError, match)


def test_a_name_that_is_not_utf8_is_refused(tmp_path: Path) -> None:
    def listed(m: dict[str, Any]) -> None:
        m["entries"].append({"name": "files/x.bin", "kind": "file", "size": 1, "sha256": sha(b"x")})
        m["counts"]["files"] = 1

    craft(tmp_path / "b", [(FILE, b"files/\xff.bin", b"x")], edit=listed)
    refuse(tmp_path / "b", UnsafeNameError, "not valid UTF-8")


def test_long_or_deep_names_hit_limits(tmp_path: Path) -> None:
    craft(tmp_path / "b", [(FILE, "a" * 300, b"x")])
    refuse(tmp_path / "b", LimitError, "longer than 255 bytes")
    craft(tmp_path / "d", [(FILE, "/".join("abcdefghij"), b"x")])
    refuse(tmp_path / "d", LimitError, "more than 8 levels")


@pytest.mark.parametrize(
    ("names", "match"),
    [
        (["files/a", "files/a"], "appears twice"),
        (["files/Photo.JPG", "files/photo.jpg"], "appears twice"),
        (["files/a", "files/a/b"], "both a file and a folder"),
        (["x", "x/y/z"], "both a file and a folder"),
    ],
)
def test_duplicate_entries_are_refused(tmp_path: Path, names: list[str], match: str) -> None:
    craft(tmp_path / "b", [(FILE, n, b"x") for n in names])
    refuse(tmp_path / "b", DuplicateEntryError, match)


# --- JSON -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "kind", "match"),
    [
        (b'{"a":"\xff"}', InvalidUtf8Error, "invalid UTF-8 in records/a.json at byte 6"),
        (b'{"a":"\xed\xa0\x80"}', InvalidUtf8Error, "invalid UTF-8"),  # a UTF-8 surrogate
        (b"[" * 65 + b"]" * 65, JsonDepthError, "JSON nested deeper than 64 levels"),
        (b"[" * 100_000 + b"]" * 100_000, JsonDepthError, "deeper than 64 levels"),
        (b'{"a":1,"a":2}', JsonError, "duplicate key 'a'"),
        (b'{"a":NaN}', JsonError, "NaN is not allowed"),
        (b'{"a":-Infinity}', JsonError, "-Infinity is not allowed"),
        (b'{"a":1.5}', JsonError, "floats are not allowed"),
        (b'{"a": 1}', JsonError, "not in canonical JSON form"),
        (b'{"b":1,"a":2}', JsonError, "not in canonical JSON form"),
        (b'{"a":"\\ud800"}', JsonError, "no canonical form"),
        (b'{"a":' + b"9" * 5000 + b"}", JsonError, "not valid JSON"),
        (b"\xef\xbb\xbf{}", JsonError, "not valid JSON"),
        (b'{"a":', JsonError, "not valid JSON"),
    ],
)
def test_bad_json_records_are_refused(
    tmp_path: Path, data: bytes, kind: type[BundleError], match: str
) -> None:
    craft(tmp_path / "b", [(RECORD, "records/a.json", data)])
    refuse(tmp_path / "b", kind, match)


def test_oversized_json_and_too_many_entries_hit_limits(tmp_path: Path) -> None:
    craft(tmp_path / "b", [(RECORD, "records/a.json", b'"' + b"x" * 200 + b'"')])
    refuse(tmp_path / "b", LimitError, "larger than 100 bytes", limits=Limits(max_record_bytes=100))
    refuse(
        tmp_path / "b", LimitError, "manifest.json is larger", limits=Limits(max_manifest_bytes=50)
    )
    craft(tmp_path / "m", [(RECORD, f"records/{i}.json", b"{}") for i in range(4)])
    refuse(tmp_path / "m", LimitError, "4 entries; the limit is 3", limits=Limits(max_entries=3))
    craft(tmp_path / "f", [(FILE, "f", b"x" * 100)])
    refuse(tmp_path / "f", LimitError, "larger than 99 bytes", limits=Limits(max_file_bytes=99))


def test_deep_manifest_fields_are_refused(tmp_path: Path) -> None:
    deep: Any = 0
    for _ in range(70):
        deep = [deep]
    craft(tmp_path / "b", GOOD, edit=set_in(["fields"], {"x": deep}))
    refuse(tmp_path / "b", JsonDepthError, "manifest.json: JSON nested deeper than 64")


def test_a_record_not_ending_in_json_is_refused(tmp_path: Path) -> None:
    craft(tmp_path / "b", [(RECORD, "records/a.txt", b"{}")])
    refuse(tmp_path / "b", ManifestError, "does not end in .json")


# --- nothing changes --------------------------------------------------------------------------


def test_a_refused_bundle_leaves_no_files_behind(tmp_path: Path) -> None:
    work = tmp_path / "work"
    work.mkdir()
    entries: list[Entry] = [(FILE, "files/a", b"a" * 1000), (FILE, "files/b", b"b" * 1000)]
    craft(tmp_path / "b", entries, edit=set_in(["entries", 1, "sha256"], "1" * 64))
    refuse(tmp_path / "b", HashMismatchError, "'files/b'", work_dir=work)
    assert list(work.iterdir()) == []
