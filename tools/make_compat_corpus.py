"""Write this release's compatibility set to ``tests/data/compat/<version>/``.

    .venv/bin/python tools/make_compat_corpus.py [--out DIR] [--force]

A set is what one release leaves behind at a site and at the institution: a laptop's data
folder (its database and keys), a site kit, a full and an incremental bundle, the
institution's import receipt, signed PDF reports, and the institution's key store. Every later
release must still read all of it (``tests/e2e/test_compat.py``), so a set is made once, by the
release it is named after, and never edited afterwards (``tests/e2e/test_compat.py``
checks each file against the SHA-256 in its ``manifest.json``).

Everything is made through the command line as a site and an institution would, except what
only the app's windows do (recording, signing and confirming incidents, voiding, amending),
which goes through the same core services the windows call. The passphrases are test data,
written in the set's README: they protect nothing real.
"""

from __future__ import annotations

import argparse
import contextlib
import csv
import datetime as dt
import hashlib
import io
import json
import shutil
import sqlite3
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
COMPAT = ROOT / "tests" / "data" / "compat"
MAX_BYTES = 2 * 1024 * 1024  # the whole set; a larger one means something unwanted got in

# Test data only: these protect the keys of this corpus and nothing else.
INSTITUTION_PASSPHRASE = "compat-corpus-institution"
SITE_PASSPHRASE = "compat-corpus-site"

INSTITUTION_NAME = "兼容性测试职业技能鉴定中心"
SITE = "兼容性测试考点"
DEVICE_CODE = "A"
ZONE = dt.timezone(dt.timedelta(hours=8))
DAY = dt.date(2026, 6, 12)
STAFF = (  # name, role as the roster writes it, staff number
    ("李明", "考务管理人员", "KW001"),
    ("王芳", "考务管理人员", "KW002"),
    ("赵强", "考评人员", "KP001"),
    ("周敏", "质量督导员", "DD001"),
    ("陈静", "考场负责人", "FZ001"),
)
CANDIDATES = (  # name, exam number, room, seat
    ("张三", "26061201", "第1考场", 1),
    ("李四", "26061202", "第1考场", 2),
    ("王五", "26061203", "第2考场", 1),
    ("赵六", "26061204", "第2考场", 2),
)
# A tiny evidence file: a record with evidence must travel with it, so one is enough.
EVIDENCE = b"compat corpus: scan of the signed paper form (placeholder)\n"

LAPTOP, INSTITUTION = "laptop", "institution"
KIT = "site.kit"
FULL, INCREMENTAL = "full.pdbundle", "incremental.pdbundle"
RECEIPT = "receipt.json"
PDF_INCIDENT, PDF_CANDIDATE, PDF_SESSION = (
    "incident.pdf",
    "incident-candidate-copy.pdf",
    "session-summary.pdf",
)
# Files a data folder may gain that are no part of what a release must read back.
_SKIPPED_SUFFIXES = ("-wal", "-shm", "-journal")
_SKIPPED_FOLDERS = {"backups", "logs"}


class CorpusError(Exception):
    pass


def main(argv: list[str] | None = None) -> int:
    from app.version import version

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, help="the set's folder (default: the version's)")
    parser.add_argument(
        "--force", action="store_true", help="replace an existing set (never one committed)"
    )
    args = parser.parse_args(argv)
    release = version()
    if "+" in release or release.startswith("0.0.0"):
        raise SystemExit(f"make_compat_corpus: not an installed release ({release})")
    out: Path = args.out or COMPAT / release
    if out.exists():
        if not args.force or _committed(out):
            raise SystemExit(
                f"make_compat_corpus: {out} exists; a release's set is never remade once "
                "committed (--force replaces only a set not committed yet)"
            )
        shutil.rmtree(out)
    with tempfile.TemporaryDirectory(prefix="compat-") as work:
        made = make_corpus(Path(work), out, release)
    print(f"wrote the {release} compatibility set to {out} ({made} bytes)")
    return 0


def _committed(folder: Path) -> bool:
    """Whether git tracks any file in ``folder`` (no git: assume it does)."""
    try:
        tracked = subprocess.run(
            ["git", "ls-files", "--", str(folder)],
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=True,
        ).stdout
    except (OSError, subprocess.CalledProcessError):
        return True
    return bool(tracked.strip())


@contextlib.contextmanager
def _quiet() -> Iterator[io.StringIO]:
    buffer = io.StringIO()
    with contextlib.redirect_stdout(buffer):
        yield buffer


def cli(data_dir: Path, *args: str) -> str:
    """``proctor-desk --data-dir DATA_DIR ARGS…``; its output, or an error naming it."""
    from app.cli import main as cli_main

    errors = io.StringIO()
    with _quiet() as out, contextlib.redirect_stderr(errors):
        try:
            status = cli_main.run(["--data-dir", str(data_dir), *args])
        except SystemExit as exc:
            status = int(exc.code or 0)
    if status != 0:
        raise CorpusError(
            f"proctor-desk {' '.join(args)} exited {status}: {errors.getvalue()}{out.getvalue()}"
        )
    return out.getvalue()


def _write_rosters(folder: Path) -> tuple[Path, Path]:
    from app.core.rosters.idcard import make_id_number

    candidates, staff = folder / "candidates.csv", folder / "staff.csv"
    with candidates.open("w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["姓名", "证件类型", "证件号码", "准考证号", "考场", "座位号", "照片"])
        for index, (name, number, room, seat) in enumerate(CANDIDATES):
            id_number = make_id_number("440106", dt.date(1998, 3, 1 + index), 11 + index)
            writer.writerow([name, "居民身份证", id_number, number, room, seat, ""])
    with staff.open("w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["姓名", "角色", "工号/证书编号", "PIN"])
        for name, role, number in STAFF:
            writer.writerow([name, role, number, ""])
    return candidates, staff


def _institution_side(work: Path) -> tuple[Path, str, Path]:
    """The institution's identity, a session with its rosters, and the session's kit."""
    inst = work / "institution-data"
    admin, site = str(work / "admin.pass"), str(work / "site.pass")
    cli(inst, "institution", "init", "--name", INSTITUTION_NAME, "--passphrase-file", admin)
    session = json.loads(
        cli(
            inst,
            "session",
            "create",
            "--institution",
            INSTITUTION_NAME,
            "--filing-code",
            "S4401000001",
            "--occupation",
            "电工",
            "--level",
            "四级/中级工",
            "--site",
            SITE,
            "--address",
            "广州市天河区兼容路 1 号",
            "--room",
            "第1考场:30:王某",
            "--room",
            "第2考场:30",
            "--subject",
            f"理论知识={DAY}T09:00/{DAY}T10:30",
            "--subject",
            f"操作技能={DAY}T13:30/{DAY}T16:00",
            "--json",
        )
    )
    session_id = str(session["id"])
    candidates, staff = _write_rosters(work)
    cli(inst, "roster", "import", "--session", session_id, "--staff", str(staff))
    cli(inst, "roster", "import", "--session", session_id, "--candidates", str(candidates))
    kit = work / KIT
    cli(
        inst,
        "kit",
        "export",
        "--session",
        session_id,
        "--out",
        str(kit),
        "--passphrase-file",
        admin,
        "--site-passphrase-file",
        site,
    )
    return inst, session_id, kit


def _ink(label: str) -> Any:
    from app.core.demo.strokes import synthetic_strokes

    return synthetic_strokes(label)


def _people(ws: Any, session_id: str) -> tuple[list[Any], Any, list[Any]]:
    from app.core.rulebook.model import StaffRole

    staff = ws.staff(session_id)
    admins = sorted(
        (s for s in staff if s.role == StaffRole.EXAM_ADMIN.value), key=lambda s: s.staff_number
    )
    head = next(s for s in staff if s.role == StaffRole.SITE_HEAD.value)
    candidates = sorted(ws.candidates(session_id), key=lambda c: c.ticket_number)
    return admins, head, candidates


def _draft(candidate: Any, minute: int, clause: str, text: str, **more: Any) -> Any:
    from app.core.records.content import IncidentDraft

    return IncidentDraft(
        party="candidate",
        occurred_at=dt.datetime.combine(DAY, dt.time(9, 10 + minute), ZONE),
        subject="理论知识",
        room=candidate.room,
        seat=candidate.seat,
        person_id=candidate.id,
        clause=clause,
        description=text,
        **more,
    )


def _sign_and_confirm(ws: Any, session_id: str, incident_id: str, *, refused: bool) -> None:
    admins, head, _ = _people(ws, session_id)
    ws.sign(incident_id, admins[0].id, _ink(admins[0].name))
    ws.sign(incident_id, admins[1].id, _ink(admins[1].name))
    if refused:  # the candidate would not sign: two staff witness the refusal
        ws.refuse(incident_id, [(a.id, _ink(f"witness {a.name}"), None) for a in admins])
    else:
        ws.acknowledge(incident_id, _ink("candidate"))
    ws.confirm(incident_id, head.id, _ink(head.name))


def _first_records(laptop: Path, session_id: str, work: Path) -> dict[str, str]:
    """Three confirmed incidents, one with a tiny evidence file and seized items, one whose
    candidate refused to sign."""
    from app.core.records.content import SeizedItem, VideoRef
    from app.core.records.service import Workspace

    evidence = work / "paper-form.txt"
    evidence.write_bytes(EVIDENCE)
    with Workspace.open(laptop) as ws:
        ws.set_device_code(DEVICE_CODE)
        _, _, candidates = _people(ws, session_id)
        phone = ws.create_incident(
            session_id, _draft(candidates[0], 0, "6.1", "携带手机并使用，已当场制止")
        ).id
        _sign_and_confirm(ws, session_id, phone, refused=False)
        seized_at = dt.datetime.combine(DAY, dt.time(9, 20), ZONE)
        notes = ws.create_incident(
            session_id,
            _draft(
                candidates[1],
                8,
                "5.1",
                "携带纸条，经提醒拒不交出",
                facts={"warned": True, "refused": True},
                seized_items=(SeizedItem("纸条一张", "R-001"),),
                videos=(VideoRef("第1考场-前", seized_at, seized_at + dt.timedelta(minutes=3)),),
            ),
        ).id
        ws.attach_evidence(notes, evidence)
        _sign_and_confirm(ws, session_id, notes, refused=False)
        talk = ws.create_incident(
            session_id, _draft(candidates[2], 15, "6.1", "使用耳机接收信息，本人拒绝签字")
        ).id
        _sign_and_confirm(ws, session_id, talk, refused=True)
    return {"phone": phone, "notes": notes, "refused": talk}


def _later_records(laptop: Path, session_id: str, first: dict[str, str]) -> dict[str, str]:
    """After the full bundle: one record voided, one amended (a new version), one new."""
    import dataclasses

    from app.core.records.service import Workspace

    with Workspace.open(laptop) as ws:
        _, head, candidates = _people(ws, session_id)
        ws.void(first["refused"], head.id, "记录的考生有误，已另行记录")
        draft = ws.draft_of(first["phone"])
        amended = ws.amend(
            first["phone"],
            dataclasses.replace(draft, description="携带手机并使用（经核对视频，时间更正）"),
            reason="核对监控视频后更正描述",
        ).id
        _sign_and_confirm(ws, session_id, amended, refused=False)
        late = ws.create_incident(
            session_id, _draft(candidates[3], 40, "6.1", "携带智能手表，已收缴")
        ).id
        _sign_and_confirm(ws, session_id, late, refused=False)
    return {"amended": amended, "late": late}


def _snapshot(folder: Path, target: Path) -> None:
    """Copy a data folder without the files SQLite or the app may leave beside it; the
    database through SQLite's backup, checkpointed and compact, in rollback-journal mode so
    that reading it never writes a -wal file beside it (the app sets WAL again on open)."""
    from app.core.records.db import DB_FILE

    for path in sorted(folder.rglob("*")):
        relative = path.relative_to(folder)
        if relative.parts[0] in _SKIPPED_FOLDERS or path.name.endswith(_SKIPPED_SUFFIXES):
            continue
        destination = target / relative
        if path.is_dir():
            destination.mkdir(parents=True, exist_ok=True)
        elif path.name == DB_FILE:
            destination.parent.mkdir(parents=True, exist_ok=True)
            source = sqlite3.connect(path)
            copy = sqlite3.connect(destination)
            try:
                source.backup(copy)
                copy.execute("PRAGMA journal_mode=DELETE")
                copy.execute("VACUUM")
            finally:
                copy.close()
                source.close()
        else:
            destination.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(path, destination)


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _utc(value: dt.datetime) -> str:
    return value.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def make_corpus(work: Path, out: Path, release: str) -> int:
    """Make the set in ``work``, copy what is kept to ``out``; return the set's size."""
    from app.core.records.db import DB_FILE, current_revision
    from app.core.records.service import Workspace
    from app.core.reports.pdf_verification import load_certificates
    from app.core.trust.institution import ROOT_CERT_FILE, load_public
    from app.core.trust.presence import folder_of

    (work / "admin.pass").write_text(INSTITUTION_PASSPHRASE + "\n", encoding="utf-8")
    (work / "site.pass").write_text(SITE_PASSPHRASE + "\n", encoding="utf-8")
    inst, session_id, kit = _institution_side(work)

    laptop = work / "laptop-data"
    cli(laptop, "kit", "import", str(kit), "--site-passphrase-file", str(work / "site.pass"))
    first = _first_records(laptop, session_id, work)
    full = work / FULL
    cli(laptop, "bundle", "export", "--session", session_id, "--out", str(full))
    later = _later_records(laptop, session_id, first)

    pdfs = {
        PDF_INCIDENT: ("report", "incident", later["late"], "--out"),
        PDF_CANDIDATE: ("report", "incident", later["amended"], "--copy", "candidate", "--out"),
        PDF_SESSION: ("report", "session", session_id, "--out"),
    }
    for name, args in pdfs.items():
        cli(laptop, *args, str(work / name))
    incremental = work / INCREMENTAL
    cli(
        laptop,
        "bundle",
        "export",
        "--session",
        session_id,
        "--out",
        str(incremental),
        "--since-last",
        "--pdf",
        str(work / PDF_INCIDENT),
    )
    # The laptop as it stands when the receipt comes back: the test accepts it on a copy.
    kept_laptop = work / "kept-laptop"
    _snapshot(laptop, kept_laptop)

    imported = json.loads(
        cli(
            inst,
            "bundle",
            "import",
            str(full),
            str(incremental),
            "--json",
            "--passphrase-file",
            str(work / "admin.pass"),
        )
    )
    bundles = {Path(o["file"]).name: o for o in imported}
    if any(o["status"] != "imported" or o["gap"] for o in imported):
        raise CorpusError(f"the institution did not import both bundles: {imported}")
    receipt = work / RECEIPT
    cli(
        inst,
        "bundle",
        "receipt",
        "issue",
        bundles[INCREMENTAL]["bundle_id"],
        "--out",
        str(receipt),
        "--passphrase-file",
        str(work / "admin.pass"),
    )
    # The receipt is one this laptop accepts (on a scratch copy: the set keeps it unaccepted).
    scratch = work / "scratch-laptop"
    shutil.copytree(kept_laptop, scratch)
    cli(scratch, "bundle", "receipt", "accept", str(receipt))

    public = load_public(inst)
    root_path = folder_of(inst) / ROOT_CERT_FILE
    roots = load_certificates(root_path.read_bytes())
    created_at = dt.datetime.now(dt.UTC).replace(microsecond=0)

    out.mkdir(parents=True)
    shutil.copytree(kept_laptop, out / LAPTOP)
    shutil.copytree(folder_of(inst), out / INSTITUTION)
    for name in (KIT, FULL, INCREMENTAL, RECEIPT, *pdfs):
        shutil.copyfile(work / name, out / name)

    with Workspace.open(kept_laptop) as ws:
        device = ws.device
        report = ws.verify()
        if not report.ok:
            raise CorpusError(f"the laptop's verify fails: {report.problems}")
        incident_rows = ws.list_incidents(_all_filters(session_id), limit=100)
        statuses: dict[str, int] = {}
        for row in incident_rows:
            statuses[str(row.status)] = statuses.get(str(row.status), 0) + 1
        pdf_expect = {name: _pdf_expectation(ws, work / name, roots, created_at) for name in pdfs}

    receipt_payload = json.loads(receipt.read_bytes())["receipt"]
    expect_bundle = {
        name: {
            "bundle_id": bundles[name]["bundle_id"],
            "mode": "full" if name == FULL else "incremental",
            "previous_bundle_id": None if name == FULL else bundles[FULL]["bundle_id"],
            "counts": _bundle_counts(bundles[name]["counts"]),
            "device_fingerprint": bundles[name]["device_fingerprint"],
            "incidents_added": bundles[name]["counts"]["incidents_added"],
        }
        for name in (FULL, INCREMENTAL)
    }
    with Workspace.open(inst) as ws:
        versions_at_institution = len(ws.list_incidents(_all_filters(session_id), limit=100))

    expect_kit = {
        "session_id": session_id,
        "institution_fingerprint": public.fingerprint,
        "candidates": len(CANDIDATES),
        "staff": len(STAFF),
    }
    manifest: dict[str, Any] = {
        "release": release,
        "created_at": _utc(created_at),
        "note": (
            "created_at is the moment the set's certificates and signatures are checked at: "
            "the site and device certificates last 400 days"
        ),
        "passphrases": {"institution": INSTITUTION_PASSPHRASE, "site": SITE_PASSPHRASE},
        "schema_revision": current_revision(out / LAPTOP / DB_FILE),
        "session_id": session_id,
        "institution": {
            "id": public.institution_id,
            "name": public.name,
            "fingerprint": public.fingerprint,
            "root_certificate": f"{INSTITUTION}/{ROOT_CERT_FILE}",
        },
        "device": {
            "device_id": device.device_id,
            "code": device.code,
            "fingerprint": device.fingerprint,
        },
        "laptop": {
            "folder": LAPTOP,
            "incident_versions": len(incident_rows),
            "statuses": dict(sorted(statuses.items())),
            "seals": report.seals,
            "audit_entries": report.audit_entries,
        },
        "institution_after_import": {"incident_versions": versions_at_institution},
        "records": {**first, **later},
    }
    (out / "README.md").write_text(_readme(release, manifest), encoding="utf-8")
    (out / ".gitattributes").write_text("* -text\n", encoding="utf-8")  # bytes as made
    files: list[dict[str, Any]] = []
    for path in sorted(p for p in out.rglob("*") if p.is_file()):
        path.chmod(0o644)  # as a checkout has them: git keeps no other modes
        name = path.relative_to(out).as_posix()
        kind, expect = _describe(name, pdf_expect, expect_bundle, receipt_payload, expect_kit)
        files.append({"path": name, "sha256": _sha256(path), "kind": kind, "expect": expect})
    manifest["files"] = files
    (out / "manifest.json").write_text(
        json.dumps(manifest, ensure_ascii=False, indent=2) + "\n", encoding="utf-8"
    )
    size = sum(p.stat().st_size for p in out.rglob("*") if p.is_file())
    if size > MAX_BYTES:
        raise CorpusError(f"the set is {size} bytes, more than {MAX_BYTES}: see what got in")
    return size


def _pdf_expectation(
    ws: Any, path: Path, roots: list[Any], created_at: dt.datetime
) -> dict[str, Any]:
    """What a reader must find in a signed PDF; refused unless it verifies against the root
    and shows the laptop's record as stored."""
    from app.core.reports.from_records import stored_record_state
    from app.core.reports.pdf_verification import check_pdf

    check = check_pdf(path.read_bytes(), roots, at=created_at)
    if not check.trusted or check.reference is None:
        raise CorpusError(f"{path.name} does not verify against the root")
    reference = check.reference
    entry: dict[str, Any] = {
        "report_kind": reference.kind,
        "signer": check.signatures[0].signer,
    }
    if reference.session:
        entry["session_id"] = reference.session
    if reference.kind == "incident":
        stored = stored_record_state(ws, reference.record_id)
        if stored is None or stored["content_hash"] != reference.content_hash:
            raise CorpusError(f"{path.name} does not match the laptop's record")
        entry |= {
            "record_id": reference.record_id,
            "version": reference.version,
            "content_hash": reference.content_hash,
            "copy": "candidate" if path.name == PDF_CANDIDATE else "institution",
        }
    return entry


def _all_filters(session_id: str) -> Any:
    from app.core.records.incidents import IncidentFilters

    return IncidentFilters(session_id=session_id, current_only=False)


def _bundle_counts(counts: dict[str, Any]) -> dict[str, int]:
    keys = ("incidents", "audit_entries", "evidence_files", "reports")
    return {k: int(counts[k]) for k in keys}


def _describe(
    name: str,
    pdfs: dict[str, dict[str, Any]],
    bundles: dict[str, dict[str, Any]],
    receipt: dict[str, Any],
    kit: dict[str, Any],
) -> tuple[str, dict[str, Any]]:
    from app.core.records.db import DB_FILE

    if name == f"{LAPTOP}/{DB_FILE}":
        return "laptop-database", {"opens_and_verifies": True}
    if name.startswith(f"{LAPTOP}/"):
        return "laptop-file", {}
    if name.startswith(f"{INSTITUTION}/"):
        return "institution-key-store", {}
    if name == KIT:
        return "site-kit", kit
    if name in ("README.md", ".gitattributes"):
        return "about", {}
    if name in bundles:
        return "bundle", bundles[name]
    if name == RECEIPT:
        return "import-receipt", {
            "bundle_id": receipt["bundle_id"],
            "covers_earlier_bundles": receipt.get("covers_earlier_bundles", False),
        }
    if name in pdfs:
        return "signed-pdf", pdfs[name]
    raise CorpusError(f"{name}: no kind for this file (add one to _describe)")


def _readme(release: str, manifest: dict[str, Any]) -> str:
    return f"""# Compatibility set of Proctor Desk {release}

Made by `tools/make_compat_corpus.py` on {manifest["created_at"]} with release {release}.
Never edit, re-create or add to this folder: `manifest.json` holds each file's SHA-256 and a
test fails on any change. Later releases must read all of it (`tests/e2e/test_compat.py`).

* `{LAPTOP}/`: a site laptop's data folder: the database (schema
  {manifest["schema_revision"]}), the device key, the kit's pinned institution and site
  credentials, one tiny evidence file;
* `{INSTITUTION}/`: the institution's key store (`institution init`): keys encrypted under the
  test passphrase, the root certificate;
* `{KIT}`: the site kit of session `{manifest["session_id"]}`;
* `{FULL}`, `{INCREMENTAL}`: the laptop's full bundle, then `--since-last` after a void, an
  amendment and a new record (with `{PDF_INCIDENT}` inside);
* `{RECEIPT}`: the institution's import receipt for the incremental bundle (not yet accepted
  in `{LAPTOP}/`);
* `{PDF_INCIDENT}`, `{PDF_CANDIDATE}`, `{PDF_SESSION}`: signed reports: an incident record,
  the candidate's copy of the amended record, the session summary.

**Test data, not secrets.** The institution passphrase is `{INSTITUTION_PASSPHRASE}` and the
site passphrase `{SITE_PASSPHRASE}`. They protect these test keys and nothing else; the names,
ID numbers and records are made up.

The site and device certificates last 400 days from the set's making; the test checks
signatures and certificates as of `created_at` in `manifest.json`.
"""


if __name__ == "__main__":
    try:
        sys.exit(main())
    except CorpusError as exc:
        raise SystemExit(f"make_compat_corpus: {exc}") from None
