"""Mutation fuzzer for the sync-bundle reader.

Usage: python benchmarks/fuzz_bundle.py --seconds 120 [--seed 1] [--crash-dir fuzz-crashes]

Two kinds of mutation run in turn:

* raw: bit flips, byte sets, truncation, insertion, deletion, splices between bundles, chunk
  swaps/duplicates/drops and header rewrites of valid bundles (plain and encrypted). Nothing
  re-signs them, so every changed file must be refused; one that opens must equal the original.
* re-signed: a record's bytes, an entry name or the manifest text is mutated and the manifest
  re-signed with the device key, as a faulty or malicious device would. These reach the JSON,
  name and manifest checks behind the signature; they may open, but only to what was signed.
* records (``--records-share``, default 0.2): a real laptop export whose records are mutated
  structurally and re-signed by the laptop, then checked by the institution's import
  (``fuzz_records.py``); every tenth runs the full import, and a rejected one must leave the
  institution database unchanged.

Any exception other than ``BundleError`` is a crash: the input is saved with its traceback.
"""

from __future__ import annotations

import argparse
import hashlib
import io
import random
import sys
import tempfile
import time
import traceback
import uuid
from collections import Counter
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey

from app.core.bundles import BundleError, open_bundle, write_bundle
from app.core.bundles.cipher import SCHEME, EncryptingWriter, new_params
from app.core.bundles.framing import (
    BASE_SIZE,
    CRYPTO_SIZE,
    ENTRY_HEAD,
    FORMAT_VERSION,
    MANIFEST_NAME,
    SIGNATURE_NAME,
    TAG_SIZE,
    EntryKind,
    Header,
    pack_entry_head,
)
from app.core.bundles.manifest import EntryInfo, build_manifest, sign_manifest
from app.core.seal.canonical import canonical_bytes

SIGNER = Ed25519PrivateKey.from_private_bytes(hashlib.sha256(b"fuzz signer").digest())
INSTITUTION = X25519PrivateKey.from_private_bytes(hashlib.sha256(b"fuzz institution").digest())
FIELDS: dict[str, Any] = {"device_id": "fuzz", "site": "考场", "chain": ["a", "b"]}
RECORDS: list[tuple[str, Any]] = [
    ("records/i/0001.json", {"id": "0001", "versions": [{"v": 1, "text": "夹带"}], "n": -3}),
    ("records/s/0001.json", {"strokes": [[[0, 0], [5, 9]], [[1, 1]]], "ok": True, "x": None}),
]
INTERESTING = [0, 1, 0x7F, 0x80, 0xFF]


class Sample:
    """A valid bundle and what it must open to."""

    def __init__(self, label: str, data: bytes, files: dict[str, bytes], chunk: int) -> None:
        self.label, self.data, self.files, self.chunk = label, data, files, chunk


def build_corpus(folder: Path) -> list[Sample]:
    rng = random.Random(0)
    small = {"files/e.bin": bytes(range(64))}
    big = {"files/v.bin": rng.randbytes(9000), "files/p.jpg": b"\xff\xd8" + bytes(300)}
    corpus = []
    for label, files, recipient, chunk in [
        ("plain-small", small, None, 1 << 20),
        ("plain-big", big, None, 1 << 20),
        ("enc-small", small, INSTITUTION.public_key(), 256),
        ("enc-big", big, INSTITUTION.public_key(), 1024),
    ]:
        sources = []
        for index, (name, content) in enumerate(files.items()):
            source = folder / f"{label}-{index}"
            source.write_bytes(content)
            sources.append((name, source))
        path = folder / f"{label}.pdbundle"
        write_bundle(path, FIELDS, RECORDS, sources, SIGNER, recipient, chunk_size=chunk)
        corpus.append(Sample(label, path.read_bytes(), files, chunk))
    return corpus


def raw_mutation(rng: random.Random, sample: Sample, corpus: list[Sample]) -> tuple[str, bytes]:
    data = bytearray(sample.data)
    kind = rng.choice(
        [
            "flip",
            "flips",
            "set",
            "truncate",
            "append",
            "insert",
            "delete",
            "splice",
            "chunks",
            "header",
        ]
    )
    pos = rng.randrange(len(data))
    if kind == "flip":
        data[pos] ^= 1 << rng.randrange(8)
    elif kind == "flips":
        for _ in range(rng.randint(2, 16)):
            data[rng.randrange(len(data))] ^= 1 << rng.randrange(8)
    elif kind == "set":
        data[pos] = rng.choice([*INTERESTING, rng.randrange(256)])
    elif kind == "truncate":
        del data[pos:]
    elif kind == "append":
        data += rng.randbytes(rng.randint(1, 64))
    elif kind == "insert":
        data[pos:pos] = rng.randbytes(rng.randint(1, 64))
    elif kind == "delete":
        del data[pos : pos + rng.randint(1, 64)]
    elif kind == "splice":
        other = rng.choice(corpus).data
        start = rng.randrange(len(other))
        piece = other[start : start + rng.randint(1, 512)]
        data[pos : pos + len(piece)] = piece
    elif kind == "chunks":
        data = bytearray(chunk_mutation(rng, sample))
    else:
        data = bytearray(header_mutation(rng, bytes(data)))
    return kind, bytes(data)


def chunk_mutation(rng: random.Random, sample: Sample) -> bytes:
    start = BASE_SIZE + (CRYPTO_SIZE if sample.label.startswith("enc") else 0)
    step = sample.chunk + TAG_SIZE if sample.label.startswith("enc") else rng.choice([64, 256])
    body = sample.data[start:]
    chunks = [body[i : i + step] for i in range(0, len(body), step)]
    if len(chunks) < 2:
        return sample.data[:start] + body[::-1]
    i, j = rng.sample(range(len(chunks)), 2)
    how = rng.choice(["swap", "dup", "drop", "repeat"])
    if how == "swap":
        chunks[i], chunks[j] = chunks[j], chunks[i]
    elif how == "dup":
        chunks[j] = chunks[i]
    elif how == "drop":
        del chunks[i]
    else:
        chunks.insert(j, chunks[i])
    return sample.data[:start] + b"".join(chunks)


def header_mutation(rng: random.Random, data: bytes) -> bytes:
    out = bytearray(data)
    field = rng.choice(["version", "mode", "length", "chunk"])
    if field == "version":
        out[8:10] = rng.randrange(4).to_bytes(2, "big")
    elif field == "mode":
        out[10] = rng.randrange(3)
    elif field == "length":
        length = int.from_bytes(out[27:35], "big") + rng.choice([-17, -16, -1, 1, 16, 1 << 40])
        out[27:35] = max(length, 0).to_bytes(8, "big")
    elif len(out) >= BASE_SIZE + CRYPTO_SIZE:
        end = BASE_SIZE + CRYPTO_SIZE
        out[end - 4 : end] = rng.choice([0, 255, 256, 257, 1 << 31]).to_bytes(4, "big")
    return bytes(out)


def public() -> bytes:
    return SIGNER.public_key().public_bytes(
        serialization.Encoding.Raw, serialization.PublicFormat.Raw
    )


def assemble(
    entries: list[tuple[int, bytes, bytes]], manifest: dict[str, Any] | bytes, encrypt: bool
) -> bytes:
    """A bundle from raw entries and a manifest (a dict, or bytes to sign as they are)."""
    bundle_id = uuid.UUID(int=7)
    crypto, key = new_params(INSTITUTION.public_key(), bundle_id, 256) if encrypt else (None, None)
    draft = Header(FORMAT_VERSION, bundle_id, 0, crypto)
    if isinstance(manifest, dict):
        manifest["bundle_id"] = str(bundle_id)
        manifest["encryption"] = build_manifest(draft, "", public(), {}, [], SCHEME)["encryption"]
        manifest_bytes = canonical_bytes(manifest)
    else:
        manifest_bytes = manifest
    signature = public() + sign_manifest(manifest_bytes, SIGNER)
    parts = [
        pack_entry_head(EntryKind.MANIFEST, MANIFEST_NAME, len(manifest_bytes)),
        manifest_bytes,
        pack_entry_head(EntryKind.SIGNATURE, SIGNATURE_NAME, len(signature)),
        signature,
    ]
    for kind, name, data in entries:
        parts += [ENTRY_HEAD.pack(kind, len(name), len(data)), name, data]
    content = b"".join(parts)
    header = Header(FORMAT_VERSION, bundle_id, len(content), crypto)
    if key is None:
        return header.pack() + content
    buffer = io.BytesIO()
    buffer.write(header.pack())
    writer = EncryptingWriter(buffer, header, key)
    writer.write(content)
    writer.finish()
    return buffer.getvalue()


def mutate_bytes(rng: random.Random, data: bytes) -> bytes:
    out = bytearray(data)
    for _ in range(rng.randint(1, 3)):
        how = rng.choice(["flip", "set", "insert", "delete", "dup"])
        pos = rng.randrange(len(out) + 1)
        if how == "flip" and pos < len(out):
            out[pos] ^= 1 << rng.randrange(8)
        elif how == "set" and pos < len(out):
            out[pos] = rng.choice(b'{}[]",:\\0123456789-eE.nultrfa \xff\xc0\x80' + bytes([0]))
        elif how == "insert":
            out[pos:pos] = rng.choice(
                [b"[", b"{", b'"a":1,', b"\\u0000", b"NaN", b"1e999", b"\xed\xa0\x80", b"/../"]
            )
        elif how == "delete":
            del out[pos : pos + rng.randint(1, 8)]
        else:
            out[pos:pos] = out[max(pos - 8, 0) : pos]
    return bytes(out)


def resigned_mutation(rng: random.Random) -> tuple[str, bytes, dict[str, bytes]]:
    """A mutated bundle re-signed by the device, and the files it may open to."""
    entries = [(EntryKind.RECORD.value, n.encode(), canonical_bytes(v)) for n, v in RECORDS]
    entries.append((EntryKind.FILE.value, b"files/e.bin", bytes(range(64))))
    listed_names = [name for _, name, _ in entries]
    target = rng.choice(["record", "name", "name-framing-only", "manifest", "deep"])
    index = rng.randrange(len(entries))
    kind, name, data = entries[index]
    if target == "record":
        entries[index] = (kind, name, mutate_bytes(rng, data))
    elif target in ("name", "name-framing-only"):
        entries[index] = (kind, mutate_bytes(rng, name), data)
        if target == "name":
            listed_names[index] = entries[index][1]
    elif target == "deep":
        depth = rng.choice([63, 64, 65, 1000, 50_000])
        entries[index] = (kind, name, b"[" * depth + b"]" * depth)
    listed = [
        EntryInfo(
            listed.decode("utf-8", "replace"),
            "record" if k == EntryKind.RECORD.value else "file",
            len(d),
            hashlib.sha256(d).hexdigest(),
        )
        for listed, (k, _, d) in zip(listed_names, entries, strict=True)
    ]
    header = Header(FORMAT_VERSION, uuid.UUID(int=7), 0, None)
    manifest: dict[str, Any] | bytes = build_manifest(
        header, "2026-11-29T08:00:00Z", public(), dict(FIELDS), listed, SCHEME
    )
    encrypt = rng.random() < 0.3
    if target == "manifest":
        assert isinstance(manifest, dict)
        manifest = mutate_bytes(rng, canonical_bytes(manifest))
    files = {n.decode("utf-8", "replace"): d for k, n, d in entries if k == EntryKind.FILE.value}
    return f"resigned-{target}", assemble(entries, manifest, encrypt), files


def opens_to(path: Path) -> tuple[list[tuple[str, Any]], dict[str, bytes], dict[str, Any]]:
    with open_bundle(path, INSTITUTION) as bundle:
        files = {name: bundle.read_file(name) for name in bundle.file_names}
        return bundle.records, files, bundle.fields


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--seed", type=int, default=int(time.time()))
    parser.add_argument("--crash-dir", type=Path, default=Path("fuzz-crashes"))
    parser.add_argument("--records-share", type=float, default=0.2)
    args = parser.parse_args(argv)
    rng = random.Random(args.seed)
    counts: Counter[str] = Counter()
    errors: Counter[str] = Counter()
    by_kind: Counter[str] = Counter()
    with tempfile.TemporaryDirectory() as folder:
        work = Path(folder)
        corpus = build_corpus(work)
        target = work / "mutant.pdbundle"
        records_fuzzer = None
        if args.records_share > 0:
            from fuzz_records import RecordsFuzzer

            (work / "records").mkdir()
            records_fuzzer = RecordsFuzzer(work / "records")
        deadline = time.monotonic() + args.seconds
        while time.monotonic() < deadline:
            if records_fuzzer is not None and rng.random() < args.records_share:
                run_records_once(rng, records_fuzzer, counts, by_kind, args.crash_dir)
                continue
            resigned = rng.random() < 0.25
            sample = rng.choice(corpus)
            expected_files = sample.files
            if resigned:
                kind, data, expected_files = resigned_mutation(rng)
            else:
                kind, data = raw_mutation(rng, sample, corpus)
            by_kind[kind] += 1
            counts["tried"] += 1
            target.write_bytes(data)
            try:
                records, files, fields = opens_to(target)
            except BundleError as exc:
                counts["rejected cleanly"] += 1
                errors[type(exc).__name__] += 1
                continue
            except Exception:  # a crash is what the fuzzer is looking for
                counts["CRASH (not a BundleError)"] += 1
                save(args.crash_dir, data, traceback.format_exc())
                continue
            if resigned and files == expected_files:
                counts["accepted (re-signed, as signed)"] += 1
            elif not resigned and (records, files, fields) == (RECORDS, sample.files, FIELDS):
                # Same content from changed bytes would mean the format is malleable.
                if data == sample.data:
                    counts["accepted-identical (no-op mutation)"] += 1
                else:
                    counts["ACCEPTED-CHANGED-BYTES"] += 1
                    save(args.crash_dir, data, "changed bytes accepted\n")
            else:
                counts["ACCEPTED-DIFFERENT"] += 1
                save(args.crash_dir, data, "accepted with different content\n")
        if records_fuzzer is not None:
            records_fuzzer.close()
    print(f"seed {args.seed}, {args.seconds:.0f} s")
    for key in [
        "tried",
        "rejected cleanly",
        "accepted-identical (no-op mutation)",
        "accepted (re-signed, as signed)",
        "ACCEPTED-CHANGED-BYTES",
        "ACCEPTED-DIFFERENT",
        "CRASH (not a BundleError)",
        "records: rejected cleanly",
        "records: accepted",
        "records: unwritable mutant",
        "RECORDS FINDING",
    ]:
        print(f"  {key:36} {counts[key]}")
    print("rejections by kind:")
    for name, number in errors.most_common():
        print(f"  {name:36} {number}")
    print("mutations by kind:")
    for name, number in sorted(by_kind.items()):
        print(f"  {name:36} {number}")
    findings = [
        "CRASH (not a BundleError)",
        "ACCEPTED-DIFFERENT",
        "ACCEPTED-CHANGED-BYTES",
        "RECORDS FINDING",
    ]
    bad = sum(counts[key] for key in findings)
    return 1 if bad else 0


def run_records_once(
    rng: random.Random,
    fuzzer: Any,
    counts: Counter[str],
    by_kind: Counter[str],
    crash_dir: Path,
) -> None:
    from fuzz_records import run_records

    counts["tried"] += 1
    try:
        result = run_records(rng, fuzzer, 10, counts["tried"])
    except Exception:  # a crash or a changed database is what the fuzzer is looking for
        counts["RECORDS FINDING"] += 1
        mutant = fuzzer.folder / "mutant.pdbundle"
        save(crash_dir, mutant.read_bytes() if mutant.exists() else b"", traceback.format_exc())
        return
    kind, _, verdict = result.partition(":")
    by_kind[kind] += 1
    if verdict.startswith("unwritable"):
        counts["records: unwritable mutant"] += 1
    else:
        counts[f"records: {'rejected cleanly' if verdict == 'rejected' else 'accepted'}"] += 1


def save(folder: Path, data: bytes, why: str) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    digest = hashlib.sha256(data).hexdigest()[:16]
    (folder / f"{digest}.pdbundle").write_bytes(data)
    (folder / f"{digest}.txt").write_text(why, encoding="utf-8")
    print(f"saved reproducer {folder / digest}.pdbundle", file=sys.stderr)


if __name__ == "__main__":
    raise SystemExit(main())
