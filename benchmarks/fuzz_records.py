"""Records-level mutations for ``fuzz_bundle.py``: a real laptop export (kit session, sealed
incidents with signatures, evidence, audit entries) whose records are mutated structurally and
re-signed with the laptop's own key, then checked by the institution's import.

A mutant must be rejected with ``ImportRejected`` or accepted; every so often the full import
runs and a rejected mutant must leave the institution database unchanged, its message free of
Python's own words, and not be the import's last-resort refusal of a fault it did not foresee.
Anything else (an exception of another kind, a changed database after a rejection) is a
finding.
"""

from __future__ import annotations

import copy
import os
import random
import sqlite3
import sys
import uuid
from pathlib import Path
from typing import Any

# The temporary data folders' keys open with a benchmark passphrase (there is no key store
# here); the app started in a child process inherits it.
os.environ.setdefault("PROCTOR_DESK_DEVICE_PASSPHRASE", "benchmark passphrase")

# tests/ is not installed with the app; from the repository root this script imports the
# helpers the tests share (tests.support) by the names the tests use.
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from app.core.bundles import open_bundle, write_bundle
from app.core.bundles.errors import BundleError
from app.core.records.db import DB_FILE
from app.core.sync.checking import ImportRejected, Prepared, check_file
from app.core.sync.export import export_bundle
from app.core.sync.importing import FAULT, REJECTED, import_bundles
from tests.support.sync import make_institution, make_laptop, record_incident

ODD_VALUES: list[Any] = [
    None,
    True,
    False,
    0,
    -1,
    2**63,
    2**70,
    "",
    "x",
    "../../etc/passwd",
    "/abs",
    "é\u0301",
    "\u202e",
    [],
    {},
    [[[]]],
    {"a": {"b": None}},
    "0" * 64,
    "2024-06-15T01:40:00.000000Z",
    "2999-01-01T00:00:00.000000Z",
    "9999-12-31T23:59:59Z",
    "yesterday",
    "11111111-2222-4333-8444-555555555555",
    "张三\u202e5432",
    "x" * 70_000,
]
# Words of Python's, not the app's: a refusal shows none of them.
INTERNALS = ("Traceback", "recursion", "Error:", "Error(", "{'", "object at 0x")


class RecordsFuzzer:
    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.inst = make_institution(folder)
        self.laptop = make_laptop(folder, "laptop", "A", self.inst.kit)
        photo = folder / "photo.jpg"
        photo.write_bytes(b"\xff\xd8" + bytes(range(256)) * 8)
        record_incident(self.laptop, self.inst.session_id, 0, evidence=photo)
        record_incident(self.laptop, self.inst.session_id, 1)
        good = folder / "good.pdbundle"
        export_bundle(self.laptop, self.inst.session_id, good)
        with open_bundle(good, self.inst.identity.encryption_key) as bundle:
            self.records = bundle.records
            self.fields = bundle.fields
            self.files = {name: bundle.read_file(name) for name in bundle.file_names}
        self.sources: list[tuple[str, Path]] = []
        for index, (name, data) in enumerate(self.files.items()):
            source = folder / f"file-{index}"
            source.write_bytes(data)
            self.sources.append((name, source))
        self.before = self.dump()

    def dump(self) -> list[str]:
        con = sqlite3.connect(self.inst.ws.data_dir / DB_FILE)
        try:
            return list(con.iterdump())
        finally:
            con.close()

    def mutant(self, rng: random.Random) -> tuple[str, Path]:
        records = copy.deepcopy(self.records)
        fields = copy.deepcopy(self.fields)
        how = rng.choice(["leaf", "leaf", "leaf", "drop-key", "add-key", "drop-record", "fields"])
        if how == "fields":
            _mutate(rng, fields, "leaf")
        elif how == "drop-record":
            del records[rng.randrange(len(records))]
        else:
            _name, value = records[rng.randrange(len(records))]
            _mutate(rng, value, how)
        path = self.folder / "mutant.pdbundle"
        write_bundle(
            path,
            fields,
            records,
            self.sources,
            self.laptop.device.private_key,
            self.inst.identity.public.recipient,
            bundle_id=uuid.UUID(int=rng.getrandbits(128)),
            overwrite=True,
        )
        return f"records-{how}", path

    def check(self, path: Path, full_import: bool) -> str:
        """'rejected' | 'accepted'; raises on a finding."""
        ws, identity = self.inst.ws, self.inst.identity
        if full_import:
            (outcome,) = import_bundles(ws, identity, [path])
            if outcome.status == REJECTED:
                if self.dump() != self.before:
                    raise AssertionError(
                        f"database changed by a rejected bundle: {outcome.message}"
                    )
                if outcome.message == FAULT:
                    raise AssertionError("the import met a fault it did not foresee (see log)")
                if any(word in outcome.message for word in INTERNALS) or not outcome.advice:
                    raise AssertionError(f"refusal not fit to show: {outcome.message}")
                return "rejected"
            report = ws.verify()
            if not report.ok:
                raise AssertionError(f"accepted bundle breaks verify: {report.problems[:3]}")
            self.before = self.dump()
            return "accepted"
        try:
            with ws.reading() as db:
                prepared = check_file(
                    db, path, identity.encryption_key, identity.public, ws.data_dir
                )
            if isinstance(prepared, Prepared):
                prepared.bundle.close()
        except ImportRejected as exc:
            if any(word in str(exc) for word in INTERNALS):
                raise AssertionError(f"refusal not fit to show: {exc}") from None
            return "rejected"
        return "accepted"

    def close(self) -> None:
        self.laptop.close()
        self.inst.ws.close()


def _mutate(rng: random.Random, value: Any, how: str) -> None:
    """Change one place inside ``value`` (a dict or list) in place."""
    parents: list[tuple[Any, Any]] = []
    stack = [value]
    while stack:
        node = stack.pop()
        keys = list(node) if isinstance(node, dict) else range(len(node))
        for key in keys:
            parents.append((node, key))
            child = node[key]
            if isinstance(child, dict | list) and child:
                stack.append(child)
    containers = [value, *(n[k] for n, k in parents if isinstance(n[k], dict | list))]
    if how == "add-key" or not parents:
        target = rng.choice(containers)
        if isinstance(target, dict):
            target[rng.choice(["extra", "id", "seq", "status"])] = rng.choice(ODD_VALUES)
        else:
            target.append(copy.deepcopy(rng.choice(ODD_VALUES)))
        return
    node, key = rng.choice(parents)
    if how == "drop-key":
        del node[key]
        return
    old = node[key]
    if isinstance(old, str) and old and rng.random() < 0.5:
        pos = rng.randrange(len(old))
        node[key] = old[:pos] + rng.choice(["0", "Z", "/", "..", "\x00", "é"]) + old[pos + 1 :]
    elif isinstance(old, int) and not isinstance(old, bool) and rng.random() < 0.5:
        node[key] = old + rng.choice([-1, 1, 1000])
    else:
        node[key] = copy.deepcopy(rng.choice(ODD_VALUES))


def run_records(rng: random.Random, fuzzer: RecordsFuzzer, every: int, count: int) -> str:
    kind, path = fuzzer.mutant(rng)
    try:
        return f"{kind}:{fuzzer.check(path, count % every == 0)}"
    except BundleError as exc:  # the writer refused what it was given (e.g. no canonical form)
        return f"{kind}:unwritable ({type(exc).__name__})"
