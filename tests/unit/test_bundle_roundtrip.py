"""Bundles written and read back: plain and encrypted, multi-chunk files, the receipt,
inspection, safe extraction, and atomic writing that leaves nothing behind on failure."""

from __future__ import annotations

import hashlib
import os
import uuid
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey

from app.core.bundles import (
    BundleReadError,
    BundleWriteError,
    DuplicateEntryError,
    ExtractError,
    JsonDepthError,
    KeyRequiredError,
    UnsafeNameError,
    WrongKeyError,
    inspect_bundle,
    open_bundle,
    write_bundle,
)
from app.core.bundles.framing import BASE_SIZE, CRYPTO_SIZE, TAG_SIZE, parse_base
from app.core.seal.device_keys import fingerprint

SIGNER = Ed25519PrivateKey.from_private_bytes(bytes(range(32)))
INSTITUTION = X25519PrivateKey.from_private_bytes(bytes(range(1, 33)))
FIELDS: dict[str, Any] = {
    "device_id": "3f1c0c9e-0000-4000-8000-000000000001",
    "institution": "某某职业技能鉴定所",
    "site": "第一考场",
    "session": {"id": "S-1", "kind": "full"},
    "previous_bundle_id": None,
    "certificate_chain": ["cert-a", "cert-b"],
}
RECORDS: list[tuple[str, Any]] = [
    ("records/incidents/0001.json", {"id": "0001", "versions": [{"v": 1, "text": "夹带小抄"}]}),
    ("records/signatures/0001.json", {"strokes": [[[0, 0], [10, 12], [30, 7]]], "signer": "张三"}),
    ("records/audit.json", {"entries": [{"seq": i, "what": "confirm"} for i in range(50)]}),
]


def public_raw_signer() -> bytes:
    from cryptography.hazmat.primitives import serialization

    return SIGNER.public_key().public_bytes(
        serialization.Encoding.Raw, serialization.PublicFormat.Raw
    )


def make_files(folder: Path) -> list[tuple[str, Path]]:
    folder.mkdir()
    big = folder / "video.bin"
    big.write_bytes(os.urandom(3 * 1024 * 1024 + 12345))  # several 1 MiB chunks and a remainder
    small = folder / "photo.jpg"
    small.write_bytes(b"\xff\xd8 not really a jpeg \xff\xd9")
    empty = folder / "empty.txt"
    empty.write_bytes(b"")
    return [
        ("files/evidence/video.bin", big),
        ("files/evidence/照片.jpg", small),
        ("files/empty.txt", empty),
    ]


@pytest.mark.parametrize("encrypted", [False, True], ids=["plain", "encrypted"])
def test_round_trip_gives_back_records_files_and_manifest(tmp_path: Path, encrypted: bool) -> None:
    files = make_files(tmp_path / "src")
    target = tmp_path / "out" / "site.pdbundle"
    target.parent.mkdir()
    recipient = INSTITUTION.public_key() if encrypted else None
    created = datetime(2026, 11, 29, 8, 30, 15, 999, tzinfo=UTC)
    receipt = write_bundle(target, FIELDS, RECORDS, files, SIGNER, recipient, created_at=created)

    assert receipt.record_count == 3 and receipt.file_count == 3
    assert receipt.encrypted is encrypted
    assert receipt.sha256 == hashlib.sha256(target.read_bytes()).hexdigest()
    assert receipt.size_bytes == target.stat().st_size
    assert receipt.created_at == "2026-11-29T08:30:15Z"
    assert receipt.bundle_id in receipt.text and receipt.short_hash in receipt.text
    assert sorted(p.name for p in target.parent.iterdir()) == ["site.pdbundle"]

    with open_bundle(target, INSTITUTION if encrypted else None) as bundle:
        assert bundle.bundle_id == receipt.bundle_id
        assert bundle.encrypted is encrypted
        assert bundle.sha256 == receipt.sha256
        assert bundle.fields == FIELDS
        assert bundle.created_at == receipt.created_at
        assert bundle.records == RECORDS
        assert bundle.record("records/audit.json") == RECORDS[2][1]
        assert bundle.signer_public_key == public_raw_signer()
        assert bundle.signer_fingerprint == receipt.signer_fingerprint
        assert bundle.signer_fingerprint == fingerprint(public_raw_signer())
        assert bundle.file_names == [name for name, _ in files]
        for name, source in files:
            assert bundle.read_file(name) == source.read_bytes()
        with bundle.open_file("files/evidence/video.bin") as stream:
            assert stream.read(10) == files[0][1].read_bytes()[:10]
        manifest = bundle.manifest
        assert manifest["counts"] == {"records": 3, "files": 3}
        listed = {e["name"]: e for e in manifest["entries"]}
        assert (
            listed["files/evidence/video.bin"]["sha256"]
            == hashlib.sha256(files[0][1].read_bytes()).hexdigest()
        )


def content_length(path: Path) -> int:
    data = path.read_bytes()
    return parse_base(data[:BASE_SIZE], len(data))[3]


def test_encrypted_layout_has_one_tag_per_chunk_and_hides_content(tmp_path: Path) -> None:
    files = make_files(tmp_path / "src")
    plain = write_bundle(tmp_path / "p.b", FIELDS, RECORDS, files, SIGNER)
    sealed = write_bundle(
        tmp_path / "e.b", FIELDS, RECORDS, files, SIGNER, INSTITUTION.public_key()
    )
    assert plain.size_bytes == BASE_SIZE + content_length(tmp_path / "p.b")
    content = content_length(tmp_path / "e.b")
    chunks = content // (1024 * 1024) + 1
    assert chunks == 4
    assert sealed.size_bytes == BASE_SIZE + CRYPTO_SIZE + content + chunks * TAG_SIZE
    raw = (tmp_path / "e.b").read_bytes()
    assert "夹带小抄".encode() not in raw and b"records/" not in raw
    assert "夹带小抄".encode() in (tmp_path / "p.b").read_bytes()


def test_chunk_size_exactly_dividing_the_content_round_trips(tmp_path: Path) -> None:
    """The final chunk is then empty; it must still be written and authenticated."""
    chunk, source = 1024, tmp_path / "f.bin"
    source.write_bytes(b"y" * 1000)
    recipient = INSTITUTION.public_key()
    write_bundle(tmp_path / "a.b", {}, [], [("f.bin", source)], SIGNER, recipient, chunk_size=chunk)
    # Grow the file (keeping its size at four digits) until the content fills three chunks.
    source.write_bytes(b"x" * (1000 + 3 * chunk - content_length(tmp_path / "a.b")))
    receipt = write_bundle(
        tmp_path / "b.b", {}, [], [("f.bin", source)], SIGNER, recipient, chunk_size=chunk
    )
    assert content_length(tmp_path / "b.b") == 3 * chunk
    assert receipt.size_bytes == BASE_SIZE + CRYPTO_SIZE + 3 * chunk + 4 * TAG_SIZE
    with open_bundle(tmp_path / "b.b", INSTITUTION) as bundle:
        assert bundle.read_file("f.bin") == source.read_bytes()


def test_empty_bundle_and_given_bundle_id(tmp_path: Path) -> None:
    wanted = uuid.UUID("12345678-1234-4234-8234-123456789abc")
    receipt = write_bundle(tmp_path / "e.b", {}, [], [], SIGNER, bundle_id=wanted)
    assert receipt.bundle_id == str(wanted)
    with open_bundle(tmp_path / "e.b") as bundle:
        assert bundle.records == [] and bundle.file_names == []
        assert bundle.manifest["bundle_id"] == str(wanted)


def test_wrong_or_missing_key_is_named(tmp_path: Path) -> None:
    write_bundle(tmp_path / "e.b", FIELDS, RECORDS, [], SIGNER, INSTITUTION.public_key())
    with pytest.raises(WrongKeyError, match="another institution's key"):
        open_bundle(tmp_path / "e.b", X25519PrivateKey.generate())
    with pytest.raises(KeyRequiredError, match="encrypted"):
        open_bundle(tmp_path / "e.b")


def test_inspect_without_key_says_encrypted_and_with_key_verifies(tmp_path: Path) -> None:
    receipt = write_bundle(tmp_path / "e.b", FIELDS, RECORDS, [], SIGNER, INSTITUTION.public_key())
    blind = inspect_bundle(tmp_path / "e.b")
    assert blind.ok and not blind.content_checked and blind.manifest is None
    assert blind.sha256 == receipt.sha256
    text = "\n".join(blind.lines())
    assert receipt.bundle_id in text and "key is needed" in text
    full = inspect_bundle(tmp_path / "e.b", INSTITUTION)
    assert full.ok and full.content_checked
    assert full.manifest is not None and full.manifest["counts"]["records"] == 3
    assert "Verified" in "\n".join(full.lines())
    data = bytearray((tmp_path / "e.b").read_bytes())
    data[-5] ^= 1
    (tmp_path / "e.b").write_bytes(bytes(data))
    broken = inspect_bundle(tmp_path / "e.b", INSTITUTION)
    assert not broken.ok and broken.problem is not None and "fails authentication" in broken.problem
    assert f"REFUSED: {broken.problem}" in broken.lines()
    assert not inspect_bundle(tmp_path / "missing.b").ok


def test_extract_writes_files_and_refuses_to_overwrite_or_follow_links(tmp_path: Path) -> None:
    files = make_files(tmp_path / "src")
    write_bundle(tmp_path / "b.b", {}, [], files, SIGNER)
    with open_bundle(tmp_path / "b.b") as bundle:
        written = bundle.extract_files(tmp_path / "out")
        assert [p.relative_to(tmp_path / "out").as_posix() for p in written] == [
            n for n, _ in files
        ]
        assert (tmp_path / "out/files/evidence/video.bin").read_bytes() == files[0][1].read_bytes()
        with pytest.raises(ExtractError, match="already exists"):
            bundle.extract_files(tmp_path / "out")
        # A link on the way out is refused, and what this call created is removed again.
        (tmp_path / "elsewhere").mkdir()
        (tmp_path / "out2").mkdir()
        (tmp_path / "out2" / "files").symlink_to(tmp_path / "elsewhere")
        with pytest.raises(ExtractError, match="link"):
            bundle.extract_files(tmp_path / "out2")
        assert list((tmp_path / "elsewhere").iterdir()) == []
        assert [p.name for p in (tmp_path / "out2").iterdir()] == ["files"]


def test_closing_removes_the_private_copies(tmp_path: Path) -> None:
    files = make_files(tmp_path / "src")
    write_bundle(tmp_path / "b.b", {}, [], files, SIGNER)
    work = tmp_path / "work"
    work.mkdir()
    bundle = open_bundle(tmp_path / "b.b", work_dir=work)
    assert len(list(work.iterdir())) == 1
    bundle.close()
    assert list(work.iterdir()) == []
    with pytest.raises(BundleReadError, match="no room"):
        open_bundle(tmp_path / "b.b", work_dir=tmp_path / "missing")
    os.mkfifo(tmp_path / "fifo")
    with pytest.raises(BundleReadError, match="not a regular file"):
        open_bundle(tmp_path / "fifo")
    with pytest.raises(BundleReadError, match="cannot be opened"):
        open_bundle(tmp_path / "nothing.b")


def test_writer_refuses_unsafe_and_duplicate_names(tmp_path: Path) -> None:
    for name in ["../x.json", "/abs.json", "a\\b.json", "a\x00.json", "a/../b.json", "C:x.json"]:
        with pytest.raises(UnsafeNameError):
            write_bundle(tmp_path / "b.b", {}, [(name, {})], [], SIGNER)
    with pytest.raises(DuplicateEntryError, match="twice"):
        write_bundle(tmp_path / "b.b", {}, [("r/A.json", {}), ("r/a.json", {})], [], SIGNER)
    with pytest.raises(BundleWriteError, match="floats"):
        write_bundle(tmp_path / "b.b", {}, [("r.json", {"x": 1.5})], [], SIGNER)
    with pytest.raises(BundleWriteError, match=r"r\.json"):
        write_bundle(tmp_path / "b.b", {}, [("r.json", {"x": "\ud800"})], [], SIGNER)
    with pytest.raises(BundleWriteError, match=r"must end in \.json"):
        write_bundle(tmp_path / "b.b", {}, [("r.txt", {})], [], SIGNER)
    nested: Any = []
    for _ in range(70):
        nested = [nested]
    with pytest.raises(JsonDepthError, match="deeper than 64"):
        write_bundle(tmp_path / "b.b", {}, [("r.json", nested)], [], SIGNER)
    with pytest.raises(BundleWriteError, match="manifest fields"):
        write_bundle(tmp_path / "b.b", {"x": "\udfff"}, [], [], SIGNER)
    with pytest.raises(UnsafeNameError, match="not valid Unicode"):
        write_bundle(tmp_path / "b.b", {}, [("\ud800.json", {})], [], SIGNER)
    assert list(tmp_path.iterdir()) == []


def test_writer_refuses_to_overwrite_unless_asked(tmp_path: Path) -> None:
    first = write_bundle(tmp_path / "b.b", {}, [], [], SIGNER)
    with pytest.raises(BundleWriteError, match="already exists"):
        write_bundle(tmp_path / "b.b", {}, [], [], SIGNER)
    assert hashlib.sha256((tmp_path / "b.b").read_bytes()).hexdigest() == first.sha256
    second = write_bundle(tmp_path / "b.b", {"n": 2}, [], [], SIGNER, overwrite=True)
    assert hashlib.sha256((tmp_path / "b.b").read_bytes()).hexdigest() == second.sha256


class Interrupted(Exception):
    pass


@pytest.mark.parametrize("encrypted", [False, True], ids=["plain", "encrypted"])
def test_failure_mid_write_leaves_no_partial_file(tmp_path: Path, encrypted: bool) -> None:
    files = make_files(tmp_path / "src")
    out = tmp_path / "out"
    out.mkdir()
    seen: list[int] = []

    def fail_half_way(done: int, total: int) -> None:
        seen.append(done)
        if done > total // 2:
            raise Interrupted

    recipient = INSTITUTION.public_key() if encrypted else None
    with pytest.raises(Interrupted):
        write_bundle(out / "b.b", FIELDS, RECORDS, files, SIGNER, recipient, progress=fail_half_way)
    assert seen and list(out.iterdir()) == []


def test_source_changed_during_write_aborts_and_leaves_nothing(tmp_path: Path) -> None:
    files = make_files(tmp_path / "src")
    out = tmp_path / "out"
    out.mkdir()
    video = files[0][1]

    def tamper(done: int, total: int) -> None:
        if done > 1000 and video.stat().st_size > 10:
            video.write_bytes(b"short")

    with pytest.raises(BundleWriteError, match="changed while the bundle was written"):
        write_bundle(out / "b.b", {}, [], files, SIGNER, progress=tamper)
    assert list(out.iterdir()) == []


def test_missing_source_file_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(BundleWriteError, match="cannot be read"):
        write_bundle(tmp_path / "b.b", {}, [], [("f.bin", tmp_path / "nope")], SIGNER)
    assert list(tmp_path.iterdir()) == []
