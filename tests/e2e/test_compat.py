"""Upgrades never strand data: every release's compatibility set (``tests/data/compat/<release>/``,
made by ``tools/make_compat_corpus.py``) must still be read by this one. Its laptop database
opens, migrates and verifies; its kit imports on a fresh laptop; its bundles import at a fresh
institution holding its key store, in order and in reverse; its receipt is accepted by its
laptop; its signed PDFs verify against its institution's root. And no set is ever edited.

Each test works on a copy of the set in ``tmp_path``. Certificates in a set expire (site and
device certificates last 400 days), so whatever is judged against a certificate's validity —
the device chain of a bundle, the signer of a PDF — is judged at the set's ``created_at``, as an
archive would; nothing else here depends on the clock (the suite also runs under a moved
clock: ``faketime '2031-12-01' pytest tests/e2e/test_compat.py``).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from app.core.records.db import DB_FILE, current_revision, head_revision
from app.core.records.service import Workspace
from app.core.reports.from_records import stored_record_state
from app.core.reports.pdf_verification import check_pdf, load_certificates
from app.core.sync.checking import BAD_CERTIFICATE
from app.core.sync.importing import ALREADY, IMPORTED, REJECTED, import_bundles
from app.core.sync.receipts import accept_receipt, issue_receipt
from app.core.trust.institution import load_identity
from app.core.trust.presence import FOLDER as INSTITUTION_FOLDER
from tests.support.cli import run
from tests.support.sync import institution_signs, record_tables

COMPAT = Path(__file__).resolve().parents[1] / "data" / "compat"
SETS = sorted(p for p in COMPAT.iterdir() if p.is_dir()) if COMPAT.is_dir() else []
MAX_SET_BYTES = 2 * 1024 * 1024
# What a set holds besides what its manifest lists: the manifest itself.
UNLISTED = {"manifest.json"}


@dataclass(frozen=True)
class CompatSet:
    folder: Path  # a copy in tmp_path; the committed set is never touched
    manifest: dict[str, Any]

    @property
    def created_at(self) -> dt.datetime:
        """When the set was made: the moment its certificates are judged at."""
        return dt.datetime.strptime(self.manifest["created_at"], "%Y-%m-%dT%H:%M:%SZ").replace(
            tzinfo=dt.UTC
        )

    @property
    def session_id(self) -> str:
        return str(self.manifest["session_id"])

    def of_kind(self, kind: str) -> dict[str, dict[str, Any]]:
        """The listed files of one kind, by path, with what to expect of each."""
        return {f["path"]: f["expect"] for f in self.manifest["files"] if f["kind"] == kind}

    def one(self, kind: str) -> tuple[Path, dict[str, Any]]:
        ((name, expect),) = self.of_kind(kind).items()
        return self.folder / name, expect

    def bundles(self) -> list[tuple[Path, dict[str, Any]]]:
        """The bundles in the order the laptop wrote them: the full one, then each
        incremental one after the bundle it names as previous."""
        listed = self.of_kind("bundle")
        ordered = [n for n, e in listed.items() if e["mode"] == "full"]
        assert len(ordered) == 1, "a set holds exactly one full bundle"
        while len(ordered) < len(listed):
            last = listed[ordered[-1]]["bundle_id"]
            ordered += [n for n, e in listed.items() if e["previous_bundle_id"] == last]
        return [(self.folder / n, listed[n]) for n in ordered]

    def laptop(self, where: Path) -> Path:
        """A fresh copy of the set's laptop data folder."""
        target = where / "laptop"
        shutil.copytree(self.folder / self.manifest["laptop"]["folder"], target)
        return target

    def institution(self, where: Path) -> Path:
        """A new institution data folder holding only the set's key store."""
        target = where / "institution"
        root = Path(self.manifest["institution"]["root_certificate"]).parent
        shutil.copytree(self.folder / root, target / INSTITUTION_FOLDER)
        return target

    def passphrase_file(self, which: str) -> Path:
        path = self.folder.parent / f"{which}.pass"
        path.write_text(self.manifest["passphrases"][which] + "\n", encoding="utf-8")
        return path


@pytest.fixture(params=SETS, ids=[p.name for p in SETS])
def compat(request: pytest.FixtureRequest, tmp_path: Path) -> CompatSet:
    copy = tmp_path / "set"
    shutil.copytree(request.param, copy)
    manifest = json.loads((copy / "manifest.json").read_text(encoding="utf-8"))
    return CompatSet(copy, manifest)


@pytest.fixture(autouse=True)
def _no_passphrase_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("PROCTOR_DESK_PASSPHRASE", raising=False)
    monkeypatch.delenv("PROCTOR_DESK_SITE_PASSPHRASE", raising=False)


def test_there_is_a_set_of_this_release() -> None:
    from app.version import version

    assert SETS, f"no compatibility set in {COMPAT}"
    release = version()
    if "+" not in release:  # an installed release has its own set (made before it ships)
        assert (COMPAT / release).is_dir(), (
            f"release {release} has no compatibility set: run tools/make_compat_corpus.py"
        )


def edits(folder: Path) -> list[str]:
    """How a set differs from its manifest: files changed, added or removed."""
    manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    listed = {f["path"]: f["sha256"] for f in manifest["files"]}
    present = {
        p.relative_to(folder).as_posix()
        for p in folder.rglob("*")
        if p.is_file() and p.relative_to(folder).as_posix() not in UNLISTED
    }
    found = [f"added {name}" for name in sorted(present - set(listed))]
    found += [f"removed {name}" for name in sorted(set(listed) - present)]
    found += [
        f"changed {name}"
        for name in sorted(present & set(listed))
        if hashlib.sha256((folder / name).read_bytes()).hexdigest() != listed[name]
    ]
    return found


@pytest.mark.parametrize("folder", SETS, ids=[p.name for p in SETS])
def test_set_is_unchanged_since_it_was_made(folder: Path) -> None:
    """Every file is the one the manifest lists, byte for byte; nothing added or removed."""
    manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["release"] == folder.name
    assert edits(folder) == [], f"released set {folder.name} was edited"
    size = sum((folder / f["path"]).stat().st_size for f in manifest["files"])
    assert size < MAX_SET_BYTES


def test_an_edited_set_is_noticed(compat: CompatSet) -> None:
    database = compat.folder / compat.manifest["laptop"]["folder"] / DB_FILE
    data = bytearray(database.read_bytes())
    data[-1] ^= 0x01
    database.write_bytes(bytes(data))
    (compat.folder / "extra.txt").write_text("added later\n", encoding="utf-8")
    receipt, _ = compat.one("import-receipt")
    receipt.unlink()
    assert edits(compat.folder) == [
        "added extra.txt",
        f"removed {receipt.name}",
        f"changed {database.relative_to(compat.folder).as_posix()}",
    ]


def test_laptop_database_migrates_and_verifies(
    compat: CompatSet, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    laptop = compat.laptop(tmp_path)
    assert current_revision(laptop / DB_FILE) == compat.manifest["schema_revision"]
    expected = compat.manifest["laptop"]
    with Workspace.open(laptop) as ws:  # the app's own open path: Alembic up to the head
        assert current_revision(laptop / DB_FILE) == head_revision()
        assert ws.session(compat.session_id)["id"] == compat.session_id
        assert ws.device.device_id == compat.manifest["device"]["device_id"]
        assert_standing(ws, compat.manifest["records"])
    capsys.readouterr()
    assert run(laptop, "verify", "--json") == 0
    report = json.loads(capsys.readouterr().out)
    assert report["ok"], report["problems"]
    assert report["incidents"] == expected["incident_versions"]
    assert report["seals"] == expected["seals"]
    assert report["audit_entries"] >= expected["audit_entries"]  # an upgrade may add entries
    assert run(laptop, "incident", "list", "--all-versions", "--json") == 0
    listed = json.loads(capsys.readouterr().out)
    assert listed["total"] == expected["incident_versions"]
    statuses: dict[str, int] = {}
    for row in listed["incidents"]:
        statuses[row["status"]] = statuses.get(row["status"], 0) + 1
    assert statuses == expected["statuses"]


def test_kit_imports_on_a_fresh_laptop(
    compat: CompatSet, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    kit, expect = compat.one("site-kit")
    laptop = tmp_path / "fresh-laptop"
    site = compat.passphrase_file("site")
    fingerprint = compat.manifest["institution"]["fingerprint"]
    args = ("kit", "import", str(kit), "--site-passphrase-file", str(site))
    assert run(laptop, *args, "--expect", fingerprint) == 0
    assert "device certified by the site" in capsys.readouterr().out
    with Workspace.open(laptop) as ws:
        assert len(ws.candidates(expect["session_id"])) == expect["candidates"]
        assert len(ws.staff(expect["session_id"])) == expect["staff"]
    assert expect["institution_fingerprint"] == fingerprint


def _import(
    compat: CompatSet, folder: Path, bundles: list[Path], at: dt.datetime | None = None
) -> list[Any]:
    identity = load_identity(folder, compat.manifest["passphrases"]["institution"])
    with Workspace.open(folder) as ws:
        institution_signs(ws, identity)  # no account in the set's institution
        return import_bundles(ws, identity, bundles, at=at or compat.created_at)


def assert_standing(ws: Workspace, records: dict[str, str]) -> None:
    """The set's records stand as the laptop left them: one voided, one amended."""
    assert ws.incident(records["refused"])["status"] == "void"
    assert ws.incident(records["phone"])["superseded_by"] == records["amended"]
    assert ws.incident(records["amended"])["supersedes"] == records["phone"]
    for key in ("notes", "amended", "late"):
        assert ws.incident(records[key])["status"] == "exported"


def test_bundles_import_at_a_fresh_institution_in_either_order(
    compat: CompatSet, tmp_path: Path
) -> None:
    bundles = compat.bundles()
    paths = [p for p, _ in bundles]
    forward = compat.institution(tmp_path / "forward")
    outcomes = _import(compat, forward, paths)
    for outcome, (_, expect) in zip(outcomes, bundles, strict=True):
        assert outcome.status == IMPORTED, outcome.message
        assert not outcome.gap
        assert outcome.bundle_id == expect["bundle_id"]
        assert outcome.device_fingerprint == expect["device_fingerprint"]
        assert outcome.counts["incidents_added"] == expect["incidents_added"]
        assert {k: outcome.counts[k] for k in expect["counts"]} == expect["counts"]
    assert [o.status for o in _import(compat, forward, paths)] == [ALREADY] * len(paths)

    # Order-free: the newest first, each in its own import, ends with the same records.
    backward = compat.institution(tmp_path / "backward")
    for path in reversed(paths):
        (outcome,) = _import(compat, backward, [path])
        assert outcome.status == IMPORTED, outcome.message
    forward_ws, backward_ws = Workspace.open(forward), Workspace.open(backward)
    with forward_ws, backward_ws:
        assert record_tables(forward_ws, compat.session_id) == record_tables(
            backward_ws, compat.session_id
        )
        for ws in (forward_ws, backward_ws):
            report = ws.verify()
            assert report.ok, report.problems
            assert_standing(ws, compat.manifest["records"])
            versions = record_tables(ws, compat.session_id)["incident"]
            assert len(versions) == compat.manifest["institution_after_import"]["incident_versions"]


def test_receipts_old_and_new_are_accepted_by_the_laptop(
    compat: CompatSet, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    receipt, expect = compat.one("import-receipt")
    laptop = compat.laptop(tmp_path)
    capsys.readouterr()
    assert run(laptop, "bundle", "receipt", "accept", str(receipt)) == 0
    assert expect["bundle_id"] in capsys.readouterr().out

    # This release's institution, holding the set's keys, still receipts the set's bundles,
    # and the set's laptop accepts that receipt too; then it may purge.
    institution = compat.institution(tmp_path / "again")
    _import(compat, institution, [p for p, _ in compat.bundles()])
    identity = load_identity(institution, compat.manifest["passphrases"]["institution"])
    with Workspace.open(institution) as ws:
        data = issue_receipt(ws, identity, expect["bundle_id"])
    other = compat.laptop(tmp_path / "other")
    with Workspace.open(other) as ws:
        assert accept_receipt(ws, data).bundle_id == expect["bundle_id"]
    assert run(other, "bundle", "purge", "--session", compat.session_id, "--yes") == 0
    assert run(other, "verify") == 0


def test_signed_pdfs_verify_against_the_institution_root(compat: CompatSet, tmp_path: Path) -> None:
    roots = load_certificates(
        (compat.folder / compat.manifest["institution"]["root_certificate"]).read_bytes()
    )
    pdfs = compat.of_kind("signed-pdf")
    assert pdfs
    laptop = compat.laptop(tmp_path)
    with Workspace.open(laptop) as ws:
        for name, expect in pdfs.items():
            check = check_pdf((compat.folder / name).read_bytes(), roots, at=compat.created_at)
            assert check.intact and check.trusted, (name, check)
            assert [s.signer for s in check.signatures] == [expect["signer"]]
            reference = check.reference
            assert reference is not None and reference.kind == expect["report_kind"]
            if "session_id" in expect:
                assert reference.session == expect["session_id"]
            if reference.kind == "incident":
                assert reference.record_id == expect["record_id"]
                assert reference.version == expect["version"]
                assert reference.content_hash == expect["content_hash"]
                stored = stored_record_state(ws, reference.record_id)
                assert stored is not None and stored["content_hash"] == expect["content_hash"]


def test_certificates_are_judged_at_the_time_given(compat: CompatSet, tmp_path: Path) -> None:
    """Why the tests above pass ``at``: five years on, the set's site and device certificates
    have expired, and judged at that moment a bundle is refused and a PDF's signer is not
    trusted (its signature stays intact)."""
    later = compat.created_at + dt.timedelta(days=5 * 366)
    (full, _), *_ = compat.bundles()
    (outcome,) = _import(compat, compat.institution(tmp_path), [full], at=later)
    assert outcome.status == REJECTED and outcome.reason == BAD_CERTIFICATE
    assert "not valid at" in outcome.message
    roots = load_certificates(
        (compat.folder / compat.manifest["institution"]["root_certificate"]).read_bytes()
    )
    for name in compat.of_kind("signed-pdf"):
        check = check_pdf((compat.folder / name).read_bytes(), roots, at=later)
        assert check.intact and not check.trusted, name
