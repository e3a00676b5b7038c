"""Hostile input at the institution: every kind is rejected with one clear message and the
institution database is byte-for-byte the same afterwards (a dump compared before and after).

Most variants are re-signed with the laptop's own key and encrypted to the institution, so the
checks behind the container's signature and decryption are reached too.
"""

from __future__ import annotations

import copy
import hashlib
import json
import os
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from unittest import mock

import pytest

from app.core.bundles import open_bundle, write_bundle
from app.core.records.service import Workspace
from app.core.seal.canonical import canonical_bytes
from app.core.sync import proof_worker
from app.core.sync.export import export_bundle
from app.core.sync.importing import REJECTED, import_bundles
from app.core.trust.institution import init_institution
from tests.support.crafted_bundles import FILE, RECORD, Entry, craft, set_in
from tests.support.sync import Institution, dump, make_institution, make_laptop, record_incident


@dataclass
class Setup:
    inst: Institution
    laptop: Workspace
    other: Workspace  # a second certified laptop
    good: Path
    records: list[tuple[str, Any]]
    files: list[tuple[str, bytes]]
    fields: dict[str, Any]
    folder: Path
    before: list[str]


@pytest.fixture(scope="module")
def setup(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Setup]:
    folder = tmp_path_factory.mktemp("hostile")
    inst = make_institution(folder)
    laptop = make_laptop(folder, "laptop-a", "A", inst.kit)
    other = make_laptop(folder, "laptop-b", "B", inst.kit)
    photo = folder / "photo.jpg"
    photo.write_bytes(b"\xff\xd8" + os.urandom(3000))
    record_incident(laptop, inst.session_id, 0, evidence=photo)
    record_incident(laptop, inst.session_id, 1)
    good = folder / "good.pdbundle"
    export_bundle(laptop, inst.session_id, good)
    with open_bundle(good, inst.identity.encryption_key) as bundle:
        records = bundle.records
        files = [(name, bundle.read_file(name)) for name in bundle.file_names]
        fields = bundle.fields
    yield Setup(inst, laptop, other, good, records, files, fields, folder, dump(inst.ws))
    laptop.close()
    other.close()
    inst.ws.close()


def rejected(
    setup: Setup, path: Path, match: str, *, reason: str | None = None, **kwargs: Any
) -> None:
    """Refused alike whether its records are checked in place (a small bundle) or by the
    helper process while the import already writes them into its open transaction (a large
    one), and either way the database is left as it was."""
    for threshold in (proof_worker.PROCESS_THRESHOLD, 0):
        with mock.patch.object(proof_worker, "PROCESS_THRESHOLD", threshold):
            (outcome,) = import_bundles(setup.inst.ws, setup.inst.identity, [path], **kwargs)
        assert outcome.status == REJECTED, outcome.line()
        assert match in outcome.message, outcome.message
        if reason is not None:  # the one word the app says it in
            assert outcome.reason == reason, outcome.reason
        assert "\n" not in outcome.message
        assert dump(setup.inst.ws) == setup.before


def resigned(
    setup: Setup,
    name: str,
    edit_records: Callable[[list[tuple[str, Any]]], list[tuple[str, Any]]] | None = None,
    edit_fields: Callable[[dict[str, Any]], None] | None = None,
    signer: Workspace | None = None,
    raw: list[Entry] | None = None,
    fresh: bool = False,
) -> Path:
    """``fresh``: under a new bundle id (for a bundle that an unfixed import would take)."""
    records = copy.deepcopy(setup.records)
    if edit_records is not None:
        records = edit_records(records)
    fields = copy.deepcopy(setup.fields)
    if edit_fields is not None:
        edit_fields(fields)
    entries: list[Entry] = (
        raw
        if raw is not None
        else [
            *((RECORD, n, canonical_bytes(v)) for n, v in records),
            *((FILE, n, data) for n, data in setup.files),
        ]
    )
    path = setup.folder / name
    craft(
        path,
        entries,
        edit=set_in(["fields"], fields),
        signer=(signer or setup.laptop).device.private_key,
        recipient=setup.inst.identity.public.recipient,
        chunk_size=4096,
        **({"bundle_id": uuid.uuid4()} if fresh else {}),
    )
    return path


def test_the_unaltered_bundle_would_import(setup: Setup) -> None:
    from app.core.sync.checking import Prepared, check_file

    identity, data_dir = setup.inst.identity, setup.inst.ws.data_dir
    # And so would a faithful re-signing of it (so the variants below fail for their change).
    for path in (setup.good, resigned(setup, "same.pdbundle")):
        with setup.inst.ws.reading() as db:
            prepared = check_file(db, path, identity.encryption_key, identity.public, data_dir)
        assert isinstance(prepared, Prepared)
        prepared.bundle.close()
        assert prepared.counts["incidents"] == 2


@pytest.mark.parametrize(
    ("mutate", "match"),
    [
        (lambda d: d[: len(d) // 2], "truncated at byte"),
        (lambda d: d[:-1], "truncated at byte"),
        (lambda d: d + b"\n-- sent from my phone", "unexpected bytes after its end"),
        (lambda d: d[:300] + bytes([d[300] ^ 0x08]) + d[301:], "altered"),
        (lambda d: d[:-5] + bytes([d[-5] ^ 0x80]) + d[-4:], "altered"),
        (lambda d: b"PK\x03\x04" + d[4:], "not a Proctor Desk bundle"),
        (lambda d: b"", "not a Proctor Desk bundle"),
    ],
)
def test_damaged_files(setup: Setup, mutate: Callable[[bytes], bytes], match: str) -> None:
    path = setup.folder / "damaged.pdbundle"
    path.write_bytes(mutate(setup.good.read_bytes()))
    rejected(setup, path, match)


def test_wrong_institution_key(setup: Setup) -> None:
    rogue = init_institution(setup.folder / "rogue", "冒名机构", "rogue-pass-1")
    path = setup.folder / "rogue.pdbundle"
    write_bundle(
        path,
        setup.fields,
        setup.records,
        [],
        setup.laptop.device.private_key,
        rogue.public.recipient,
    )
    rejected(setup, path, "another institution's key")


def test_not_a_regular_file(setup: Setup) -> None:
    fifo = setup.folder / "fifo"
    os.mkfifo(fifo)
    rejected(setup, fifo, "not a regular file")
    rejected(setup, setup.folder, "not a regular file")


@pytest.mark.parametrize(
    ("name", "match"),
    [
        ("../../etc/passwd.json", "'..'"),
        ("/etc/passwd.json", "absolute"),
        ("evidence\\..\\x.json", "backslash"),
    ],
)
def test_unsafe_names(setup: Setup, name: str, match: str) -> None:
    raw = [(RECORD, n, canonical_bytes(v)) for n, v in setup.records] + [(RECORD, name, b"{}")]
    rejected(setup, resigned(setup, "names.pdbundle", raw=raw), match)


def test_duplicate_entries_invalid_utf8_deep_json(setup: Setup) -> None:
    first = (RECORD, setup.records[0][0], canonical_bytes(setup.records[0][1]))
    rejected(setup, resigned(setup, "dup.pdbundle", raw=[first, first]), "twice")
    bad_utf8 = [(RECORD, "x.json", b'{"a":"\xff"}')]
    rejected(setup, resigned(setup, "utf8.pdbundle", raw=bad_utf8), "UTF-8")
    deep = [(RECORD, "deep.json", b"[" * 200 + b"]" * 200)]
    rejected(setup, resigned(setup, "deep.pdbundle", raw=deep), "nested")


def test_a_manifest_that_lies_about_a_hash_or_a_count(setup: Setup) -> None:
    raw = [(RECORD, n, canonical_bytes(v)) for n, v in setup.records]
    path = setup.folder / "lies.pdbundle"
    craft(
        path,
        raw,
        edit=lambda m: (
            set_in(["fields"], setup.fields)(m),
            set_in(["entries", 1, "sha256"], "0" * 64)(m),
        ),
        signer=setup.laptop.device.private_key,
        recipient=setup.inst.identity.public.recipient,
    )
    rejected(setup, path, "SHA-256 does not match")
    counts = resigned(
        setup,
        "counts.pdbundle",
        edit_fields=lambda f: f["counts"].update(incidents=7),
    )
    rejected(setup, counts, "counts")


def _edit_incident(edit: Callable[[dict[str, Any]], None]) -> Callable[..., Any]:
    def apply(records: list[tuple[str, Any]]) -> list[tuple[str, Any]]:
        for name, value in records:
            if name.startswith("incidents/"):
                edit(value[0])
                break
        return records

    return apply


@pytest.mark.parametrize(
    ("edit", "match"),
    [
        (
            lambda r: r.update(content_json=r["content_json"].replace("携带手机", "没有手机")),
            "does not match its hash",
        ),
        (lambda r: r.update(content_json=r["content_json"] + " "), "not in canonical form"),
        (lambda r: r.update(content_json={"id": 1}), "content is not text"),
        (lambda r: r["signatures"][0].update(strokes_json="[]"), "changed since the seal"),
        (lambda r: r["incident"].update(status="archived"), "unknown status"),
        (lambda r: r["incident"].update(room="不存在的考场"), "disagree with the content"),
        (lambda r: r["incident"].update(seat="12"), "wrong type"),
        (lambda r: r["incident"].update(extra=1), "unexpected or missing field"),
        (lambda r: r.update(seal=None), "confirmed but not sealed"),
        (
            lambda r: r["seal"].update(device_id="11111111-2222-4333-8444-555555555555"),
            "another device",
        ),
        (
            lambda r: r["signatures"][0].update(incident_id="11111111-2222-4333-8444-555555555555"),
            "another incident",
        ),
        (lambda r: r["seal"].update(signature=_flipped(r["seal"]["signature"])), "does not verify"),
    ],
)
def test_records_that_lie(setup: Setup, edit: Callable[[dict[str, Any]], None], match: str) -> None:
    rejected(setup, resigned(setup, "record.pdbundle", edit_records=_edit_incident(edit)), match)


def _flipped(hex_text: str) -> str:
    return ("1" if hex_text[0] == "0" else "0") + hex_text[1:]


def _audit_action(records: list[tuple[str, Any]]) -> list[tuple[str, Any]]:
    for name, value in records:
        if name.startswith("audit/"):
            value[0]["action"] = "void"
    return records


@pytest.mark.parametrize(
    ("edit_records", "match"),
    [
        (_edit_incident(lambda r: r["signatures"][0].update(strokes_json="[]")), "changed since"),
        (
            _edit_incident(lambda r: r["seal"].update(signature=_flipped(r["seal"]["signature"]))),
            "does not verify",
        ),
        (_audit_action, "does not match its hash"),
    ],
)
def test_proofs_checked_by_the_helper_process_are_refused_alike(
    setup: Setup,
    helper_starts: list[bool],
    edit_records: Callable[[list[tuple[str, Any]]], list[tuple[str, Any]]],
    match: str,
) -> None:
    """A large bundle's seals and audit hashes are checked in a helper process: a proof that
    fails there is refused with the same message, and nothing is written."""
    rejected(setup, resigned(setup, "helper.pdbundle", edit_records=edit_records), match)
    assert helper_starts == [True, True]  # ``rejected`` imports it twice, both by the helper


def test_audit_entry_altered_and_unknown_record(setup: Setup) -> None:
    rejected(
        setup,
        resigned(setup, "audit.pdbundle", edit_records=_audit_action),
        "does not match its hash",
    )
    extra = resigned(
        setup, "extra.pdbundle", edit_records=lambda r: [*r, ("notes/x.json", {"a": 1})]
    )
    rejected(setup, extra, "unknown record")


def _rehashed_audit(edit: Callable[[dict[str, Any]], None]) -> Callable[..., Any]:
    """Edit the first audit entry, then give it the hash of what it now says (encoded as
    plain JSON would, floats and all), as a device that wanted it through would."""

    def apply(records: list[tuple[str, Any]]) -> list[tuple[str, Any]]:
        for name, value in records:
            if name.startswith("audit/"):
                entry = value[0]
                edit(entry)
                fields = {k: entry[k] for k in entry if k not in ("hash", "details_json")}
                fields["details"] = json.loads(entry["details_json"])
                text = json.dumps(fields, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
                entry["hash"] = hashlib.sha256(text.encode("utf-8")).hexdigest()
                break
        return records

    return apply


@pytest.mark.parametrize(
    ("edit", "match"),
    [
        # The stored form, but no such day: the hash is taken over the text, the date checked.
        (lambda e: e.update(at="2024-02-30T01:00:00.000000Z"), "does not match its hash"),
        # A float inside the details has no canonical form, whatever hash it comes with.
        (lambda e: e.update(details_json='{"x":1.5}'), "does not match its hash"),
        (lambda e: e.update(details_json='{"x":NaN}'), "does not match its hash"),
    ],
)
def test_audit_entries_hashed_to_match_yet_invalid(
    setup: Setup, edit: Callable[[dict[str, Any]], None], match: str
) -> None:
    # The helper's hash is the real one: unedited, an entry keeps its hash.
    unedited = _rehashed_audit(lambda e: None)(copy.deepcopy(setup.records))
    assert unedited == setup.records
    path = resigned(setup, "audit-rehashed.pdbundle", edit_records=_rehashed_audit(edit))
    rejected(setup, path, match)


def test_a_wrong_type_after_rows_of_the_right_types(setup: Setup) -> None:
    # Row types are remembered per model once accepted; a later row must still be checked.
    def later(record: dict[str, Any]) -> None:
        record["signatures"][-1]["signer_name"] = True

    path = resigned(setup, "later.pdbundle", edit_records=_edit_incident(later))
    rejected(setup, path, "wrong type")


def test_a_refused_row_among_accepted_ones_is_named_by_its_record(setup: Setup) -> None:
    # The rows of an entry are checked table by table over all its records; one refused row
    # sends them to the row-by-row check, which names its record and field.
    (name, value), *_ = [(n, v) for n, v in setup.records if n.startswith("incidents/")]
    assert len(value) >= 2  # a refused row after an accepted record

    def second(records: list[tuple[str, Any]]) -> list[tuple[str, Any]]:
        for entry, found in records:
            if entry == name:
                found[1]["signatures"][0]["staff_id"] = "11111111-2222-4333-8444-55555555555"
        return records

    path = resigned(setup, "second.pdbundle", edit_records=second)
    rejected(setup, path, f"{name}[1] signature: field staff_id")


def test_a_device_certificate_signed_by_an_unknown_algorithm(setup: Setup) -> None:
    # Found by fuzz_bundle: an unknown signature OID raised UnsupportedAlgorithm at import.
    import base64
    import re

    chain = setup.fields["certificate_chain"]
    blocks = re.findall(r"-----BEGIN CERTIFICATE-----\n(.*?)-----END", chain, re.S)
    assert len(blocks) == 3
    der = base64.b64decode("".join(blocks[2].split()))
    ecdsa_sha256 = bytes.fromhex("06082a8648ce3d040302")
    assert ecdsa_sha256 in der
    unknown = der.replace(ecdsa_sha256, bytes.fromhex("06082a8648ce3d040309"))
    text = base64.encodebytes(unknown).decode("ascii").replace("\n", "")
    lines = "\n".join(text[i : i + 64] for i in range(0, len(text), 64))
    edited = chain.replace(blocks[2], lines + "\n")

    path = resigned(setup, "oid.pdbundle", edit_fields=lambda f: f.update(certificate_chain=edited))
    rejected(setup, path, "device certificate refused", reason="bad_certificate")


def test_session_rows_for_another_session_or_with_pins(setup: Setup) -> None:
    def other_session(records: list[tuple[str, Any]]) -> list[tuple[str, Any]]:
        for name, value in records:
            if name == "session.json":
                value["staff"][0]["pin_hash"] = "argon2$stolen"
        return records

    rejected(setup, resigned(setup, "pins.pdbundle", edit_records=other_session), "PIN")
    rejected(
        setup,
        resigned(
            setup,
            "sess.pdbundle",
            # Without a chain (a device accepted with --trust): a chain binds the session.
            edit_fields=lambda f: f.update(
                session_id="11111111-2222-4333-8444-555555555555",
                certificate_chain=None,
                institution=None,
            ),
        ),
        "another session",
        trust=[setup.laptop.device.fingerprint],
    )


def test_signed_by_another_key_than_its_certificate(setup: Setup) -> None:
    # Laptop B signs a bundle carrying laptop A's certificate chain.
    rejected(
        setup,
        resigned(setup, "swap.pdbundle", signer=setup.other),
        "not signed by the key its certificate names",
        reason="bad_certificate",
    )


def test_a_correctly_hashed_draft_naming_a_path_as_evidence(setup: Setup) -> None:
    from app.core.seal.canonical import canonical_text, content_hash

    def draft(record: dict[str, Any]) -> None:
        content = json.loads(record["content_json"])
        content["evidence"][0]["sha256"] = "../../../etc/passwd"
        record["content_json"] = canonical_text(content)
        record["incident"].update(status="draft", content_hash=content_hash(content))
        record["seal"] = None

    rejected(
        setup,
        resigned(setup, "path.pdbundle", edit_records=_edit_incident(draft)),
        "without a valid SHA-256",
    )


def test_bundle_for_another_institution_or_not_records(setup: Setup) -> None:
    rejected(
        setup,
        resigned(
            setup,
            "inst.pdbundle",
            edit_fields=lambda f: f.update(
                institution={"id": "x", "name": "别的机构", "fingerprint": ""}
            ),
        ),
        "another institution",
        reason="wrong_institution",
    )
    rejected(
        setup,
        resigned(
            setup, "kind.pdbundle", edit_fields=lambda f: f.update(kind="proctor-desk-site-kit")
        ),
        "this is a site kit",
        reason="site_kit",
    )
    rejected(
        setup,
        resigned(setup, "other.pdbundle", edit_fields=lambda f: f.update(kind="other-kind")),
        "not a records bundle",
        reason="not_a_bundle",
    )
    rejected(setup, setup.inst.kit, "this is a site kit", reason="site_kit")


def test_evidence_file_not_named_by_its_hash(setup: Setup) -> None:
    name, data = setup.files[0]
    raw = [(RECORD, n, canonical_bytes(v)) for n, v in setup.records] + [
        (FILE, name, data),
        (FILE, "evidence/" + "0" * 64, b"other bytes"),
    ]
    rejected(setup, resigned(setup, "ev.pdbundle", raw=raw), "not an evidence file named by")
    raw = [(RECORD, n, canonical_bytes(v)) for n, v in setup.records] + [
        (FILE, "evidence/" + "1" * 64, data)
    ]
    rejected(setup, resigned(setup, "ev2.pdbundle", raw=raw), "not an evidence file named by")


def test_a_batch_with_one_bad_file_imports_the_good_one(setup: Setup) -> None:
    bad = setup.folder / "bad.pdbundle"
    bad.write_bytes(setup.good.read_bytes()[:-100])
    outcomes = import_bundles(setup.inst.ws, setup.inst.identity, [bad, setup.good])
    assert [o.status for o in outcomes] == [REJECTED, "imported"]
    # Restore the module's baseline for any test that runs after this one.
    setup.before = dump(setup.inst.ws)


def test_a_roster_row_clashing_by_unique_key_is_a_conflict(setup: Setup) -> None:
    # Found by the fuzzer: a staff row under a new id but with a staff number already used.
    def renamed(records: list[tuple[str, Any]]) -> list[tuple[str, Any]]:
        for name, value in records:
            if name == "session.json":
                value["staff"][0]["id"] = "11111111-2222-4333-8444-555555555555"
        return records

    rejected(setup, resigned(setup, "clash.pdbundle", edit_records=renamed), "UNIQUE constraint")


def test_manifest_fields_of_the_wrong_type(setup: Setup) -> None:
    # Found by the fuzzer: a list where the previous bundle id goes.
    path = resigned(setup, "prev.pdbundle", edit_fields=lambda f: f.update(previous_bundle_id=[]))
    rejected(setup, path, "previous_bundle_id")


def test_a_report_that_is_not_a_pdf(setup: Setup) -> None:
    raw = [(RECORD, n, canonical_bytes(v)) for n, v in setup.records] + [
        *((FILE, n, d) for n, d in setup.files),
        (FILE, "reports/record.pdf", b"MZ\x90\x00 not a pdf"),
    ]
    rejected(
        setup,
        resigned(
            setup, "report.pdbundle", raw=raw, edit_fields=lambda f: f["counts"].update(reports=1)
        ),
        "not a PDF",
    )


def test_an_incident_listed_twice(setup: Setup) -> None:
    def twice(records: list[tuple[str, Any]]) -> list[tuple[str, Any]]:
        for name, value in records:
            if name.startswith("incidents/"):
                value.append(copy.deepcopy(value[0]))
        return records

    path = resigned(
        setup,
        "twice.pdbundle",
        edit_records=twice,
        edit_fields=lambda f: f["counts"].update(incidents=f["counts"]["incidents"] + 1),
    )
    rejected(setup, path, "listed twice")


# --- Ids, bindings, limits and messages (the adversarial review of December 2026) ---

PDF = b"%PDF-1.7\n%hostile\n"


def _bare(
    setup: Setup,
    name: str,
    *,
    session_id: str | None = None,
    device_id: str | None = None,
    signer: Workspace | None = None,
    chain: bool = True,
    reports: list[tuple[str, bytes]] = (),  # type: ignore[assignment]
    edit_session: Callable[[dict[str, Any]], None] | None = None,
) -> Path:
    """A bundle of the session's rows only (no incidents, no audit), signed by ``signer``
    (laptop A), for ``session_id`` and ``device_id`` as given: what a hostile device needs to
    reach the rows and the files without tripping the checks of the records."""
    laptop = signer or setup.laptop
    records = dict(copy.deepcopy(setup.records))
    rows = records["session.json"]
    sid = session_id or rows["session"]["id"]
    if session_id is not None:
        rows["session"]["id"] = session_id
        for key in ("subjects", "rooms", "candidates", "staff"):
            for row in rows[key]:
                row["session_id"] = session_id
                if key in ("candidates", "staff"):  # new people, so nothing clashes here
                    row["id"] = str(uuid.uuid4())
                    if key == "staff":
                        row["staff_number"] += "-x"
    if edit_session is not None:
        edit_session(rows)
    device = {
        "device_id": device_id or laptop.device.device_id,
        "code": laptop.device.code,
        "public_key": laptop.device.public_bytes.hex(),
        "first_seen": records["device.json"]["first_seen"],
    }
    raw: list[Entry] = [
        (RECORD, "session.json", canonical_bytes(rows)),
        (RECORD, "device.json", canonical_bytes(device)),
        (RECORD, "evidence.json", canonical_bytes([])),
        *((FILE, n, d) for n, d in reports),
    ]

    def fields(f: dict[str, Any]) -> None:
        f.update(session_id=sid, device_id=device["device_id"], device_code=laptop.device.code)
        f["counts"] = {"incidents": 0, "audit_entries": 0, "evidence_files": 0}
        f["counts"]["reports"] = len(reports)
        if not chain:
            f.update(certificate_chain=None, institution=None)
        elif signer is not None:
            f["certificate_chain"] = _chain_of(signer, sid)

    return resigned(setup, name, raw=raw, edit_fields=fields, signer=laptop, fresh=True)


def _chain_of(laptop: Workspace, session_id: str) -> str | None:
    from app.core.trust import site_state
    from app.core.trust.certificates import to_pem

    sessions = site_state.credential_sessions(laptop.data_dir)
    credentials = site_state.load_credentials(laptop.data_dir, sessions[0])
    return None if credentials is None else to_pem(credentials.chain)


def test_the_bare_bundle_of_session_rows_would_import(setup: Setup) -> None:
    from app.core.sync.checking import Prepared, check_file

    identity = setup.inst.identity
    path = _bare(setup, "bare.pdbundle", reports=[("reports/record.pdf", PDF)])
    with setup.inst.ws.reading() as db:
        prepared = check_file(
            db, path, identity.encryption_key, identity.public, setup.inst.ws.data_dir
        )
    assert isinstance(prepared, Prepared)
    prepared.bundle.close()


@pytest.mark.parametrize("session_id", ["../../x", "ABSOLUTE", "x", "C:\\x"])
def test_a_session_id_that_is_a_path_is_refused(setup: Setup, session_id: str) -> None:
    """Reports are kept under reports/<session>/<bundle>/: a session id from the bundle must
    never steer that path (a device without kit, accepted with --trust, so no chain binds it)."""
    absolute = setup.folder / "outside" / "absolute"
    session_id = str(absolute) if session_id == "ABSOLUTE" else session_id
    reports = setup.inst.ws.data_dir / "reports"
    before = sorted(p for p in setup.folder.rglob("*") if p.suffix == ".pdf")
    path = _bare(
        setup,
        "path.pdbundle",
        session_id=session_id,
        chain=False,
        reports=[("reports/record.pdf", PDF)],
    )
    rejected(
        setup,
        path,
        "session_id",
        reason="malformed",
        trust=[setup.laptop.device.fingerprint],
    )
    assert sorted(p for p in setup.folder.rglob("*") if p.suffix == ".pdf") == before
    assert not reports.exists() or not any(reports.iterdir())
    assert not absolute.exists()


@pytest.mark.parametrize(
    ("where", "value"),
    [
        ("candidate", "../../x"),
        ("staff", "not-a-uuid"),
        ("device", "../device"),
    ],
)
def test_ids_from_outside_are_uuids(setup: Setup, where: str, value: str) -> None:
    def edit(rows: dict[str, Any]) -> None:
        if where == "candidate":
            rows["candidates"][0]["id"] = value
        elif where == "staff":
            rows["staff"][0]["id"] = value

    device_id = value if where == "device" else None
    path = _bare(
        setup,
        "ids.pdbundle",
        session_id=str(uuid.uuid4()),  # new rows, so that only the id stands in the way
        edit_session=edit,
        device_id=device_id,
        chain=False,
    )
    rejected(setup, path, "UUID", reason="malformed", trust=[setup.laptop.device.fingerprint])


def _rehashed_audit_seq(records: list[tuple[str, Any]]) -> list[tuple[str, Any]]:
    return _rehashed_audit(lambda e: e.update(seq=2**63))(records)


@pytest.mark.parametrize(
    ("edit_records", "match"),
    [
        (_rehashed_audit_seq, "audit entry"),
        (
            lambda records: [
                (
                    n,
                    v
                    if n != "session.json"
                    else {**v, "rooms": [{**v["rooms"][0], "seats": 2**63}]},
                )
                for n, v in records
            ],
            "seats",
        ),
    ],
)
def test_integers_beyond_sqlite_are_refused_not_crashed(
    setup: Setup, edit_records: Callable[..., Any], match: str
) -> None:
    path = resigned(setup, "int.pdbundle", edit_records=edit_records, fresh=True)
    rejected(setup, path, match, reason="malformed")


@pytest.mark.parametrize(
    "created_at", ["yesterday", "9999-01-01T00:00:00Z", "2026-02-30T00:00:00Z"]
)
def test_a_manifest_time_that_is_no_time_or_far_ahead_is_refused(
    setup: Setup, created_at: str
) -> None:
    raw = [(RECORD, n, canonical_bytes(v)) for n, v in setup.records] + [
        (FILE, n, d) for n, d in setup.files
    ]
    path = setup.folder / "when.pdbundle"
    craft(
        path,
        raw,
        edit=lambda m: (set_in(["fields"], setup.fields)(m), m.update(created_at=created_at)),
        signer=setup.laptop.device.private_key,
        recipient=setup.inst.identity.public.recipient,
        chunk_size=4096,
        bundle_id=uuid.uuid4(),
    )
    rejected(setup, path, "created_at")


def test_a_crashing_file_does_not_stop_or_hide_the_others(setup: Setup) -> None:
    hostile = resigned(
        setup, "hostile-batch.pdbundle", edit_records=_rehashed_audit_seq, fresh=True
    )
    far = setup.folder / "far.pdbundle"
    raw = [(RECORD, n, canonical_bytes(v)) for n, v in setup.records]
    craft(
        far,
        raw + [(FILE, n, d) for n, d in setup.files],
        edit=lambda m: (set_in(["fields"], setup.fields)(m), m.update(created_at="yesterday")),
        signer=setup.laptop.device.private_key,
        recipient=setup.inst.identity.public.recipient,
        chunk_size=4096,
        bundle_id=uuid.uuid4(),
    )
    outcomes = import_bundles(setup.inst.ws, setup.inst.identity, [hostile, far, setup.good])
    assert [o.status for o in outcomes[:2]] == [REJECTED, REJECTED]
    assert outcomes[2].status in ("imported", "already imported")
    setup.before = dump(setup.inst.ws)


def test_a_device_certified_for_another_session_is_refused(setup: Setup) -> None:
    """Laptop C holds a certificate from the kit of session B; it may not add rows to
    session A (here: an extra candidate), whatever its bundle says."""
    from app.core.demo.seed import seed_demo
    from app.core.kits.kit_export import export_kit
    from tests.support.sync import SITE_PASS

    other_session = seed_demo(setup.inst.ws, candidates=3, incidents=0).session_id
    kit_b = setup.folder / "site-b.kit"
    export_kit(setup.inst.ws, setup.inst.identity, other_session, kit_b, SITE_PASS)
    # The baseline once the kit is written (its export keeps what the register's screening of
    # the roster found), for this test's refusal and those after it.
    setup.before = dump(setup.inst.ws)
    laptop_c = make_laptop(setup.folder, "laptop-c", "C", kit_b)
    try:

        def extra(rows: dict[str, Any]) -> None:
            added = {**rows["candidates"][0], "id": "11111111-2222-4333-8444-555555555555"}
            rows["candidates"].append({**added, "ticket_number": "9999", "seat": 99})

        path = _bare(setup, "other-session.pdbundle", signer=laptop_c, edit_session=extra)
        rejected(setup, path, "session", reason="bad_certificate")
    finally:
        laptop_c.close()


def test_a_device_claiming_an_id_its_certificate_does_not_name_is_refused(setup: Setup) -> None:
    path = _bare(setup, "claim.pdbundle", device_id="11111111-2222-4333-8444-555555555555")
    rejected(setup, path, "device id", reason="bad_certificate")


def _roster(edit: Callable[[dict[str, Any]], None]) -> Callable[..., Any]:
    def apply(records: list[tuple[str, Any]]) -> list[tuple[str, Any]]:
        for name, value in records:
            if name == "session.json":
                edit(value)
        return records

    return apply


@pytest.mark.parametrize(
    ("edit", "match"),
    [
        (
            lambda r: r["candidates"][0].update(name="张" * (12 * 1024 * 1024 // 3)),
            "candidates[0]: field name",
        ),
        (lambda r: r["candidates"][0].update(name="张三\u202e5432"), "candidates[0]: field name"),
        (lambda r: r["staff"][0].update(name="李四\x07"), "staff[0]: field name"),
        (lambda r: r["session"].update(site_name="考点\u2066"), "session: field site_name"),
        (
            lambda r: r["session"].update(created_at="2999-01-01T00:00:00.000000Z"),
            "session: field created_at",
        ),
        (
            lambda r: r["subjects"][0].update(starts_at="2999-01-01T00:00:00.000000Z"),
            "subjects[0]: field starts_at",
        ),
        # Named in words for a person, not as pydantic's "1 validation error for Room".
        (lambda r: r["rooms"][0].update(seats=[1]), "rooms[0]: field seats: Input should be"),
    ],
)
def test_roster_fields_beyond_the_limits_are_refused(
    setup: Setup, edit: Callable[[dict[str, Any]], None], match: str
) -> None:
    """On a new session's rows (a device without kit, accepted with --trust), so that only
    the limits stand between them and the database."""
    path = _bare(
        setup, "roster.pdbundle", session_id=str(uuid.uuid4()), chain=False, edit_session=edit
    )
    rejected(setup, path, match, reason="malformed", trust=[setup.laptop.device.fingerprint])


def test_records_from_year_2999_are_refused(setup: Setup) -> None:
    path = resigned(
        setup,
        "2999.pdbundle",
        edit_records=_rehashed_audit(
            lambda e: e.update(seq=90_000, at="2999-01-01T00:00:00.000000Z")
        ),
        fresh=True,
    )
    rejected(setup, path, "at", reason="malformed")


def test_a_report_file_name_with_a_direction_override_is_refused(setup: Setup) -> None:
    path = _bare(setup, "bidi.pdbundle", reports=[("reports/record\u202efdp.exe.pdf", PDF)])
    # The container's name rules refuse it (names are shown escaped: never reordered).
    rejected(setup, path, "reports/record\\u202efdp")


def test_refusals_show_no_python_internals(setup: Setup) -> None:
    from app.core.seal.canonical import content_hash

    def deep(record: dict[str, Any]) -> None:
        text = '{"id":"' + record["incident"]["id"] + '","x":' + "[" * 50_000 + "]" * 50_000 + "}"
        record["content_json"] = text
        record["incident"].update(
            status="draft", content_hash=hashlib.sha256(text.encode()).hexdigest()
        )
        record["seal"] = None

    del content_hash
    outcomes = [
        import_bundles(setup.inst.ws, setup.inst.identity, [p])[0]
        for p in (
            resigned(setup, "deep-content.pdbundle", edit_records=_edit_incident(deep), fresh=True),
            resigned(
                setup,
                "counts2.pdbundle",
                edit_fields=lambda f: f["counts"].update(incidents=7),
                fresh=True,
            ),
            # Found by benchmarks/fuzz_bundle.py: a count that is an object was shown as
            # Python wrote it ({'a': {'b': None}}).
            resigned(
                setup,
                "counts-object.pdbundle",
                edit_fields=lambda f: f["counts"].update(audit_entries={"a": {"b": None}}),
                fresh=True,
            ),
            resigned(
                setup,
                "shape.pdbundle",
                edit_records=lambda r: [(n, {"x": 1} if n == "session.json" else v) for n, v in r],
                fresh=True,
            ),
        )
    ]
    for outcome in outcomes:
        assert outcome.status == REJECTED
        text = outcome.message
        for internal in ("recursion", "{'", "Error:", "Error(", "Traceback", "KeyError"):
            assert internal not in text, text
        assert outcome.to_dict()["advice"], outcome.reason


def test_bundle_verify_judges_the_device_as_the_import_does(
    setup: Setup, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """``bundle verify`` at the institution asks the import's own check of the chain, so a
    bundle claiming a device id its certificate does not name is "refused" there too."""
    from tests.support.cli import run
    from tests.support.sync import ADMIN_PASS

    monkeypatch.setenv("PROCTOR_DESK_PASSPHRASE", ADMIN_PASS)
    path = _bare(setup, "claim-verify.pdbundle", device_id="11111111-2222-4333-8444-555555555555")
    capsys.readouterr()
    run(setup.inst.ws.data_dir, "bundle", "verify", str(path), "--json")
    report = json.loads(capsys.readouterr().out)
    assert report["device_status"] == "refused", report
    assert "device id" in report["device"]
    run(setup.inst.ws.data_dir, "bundle", "verify", str(setup.good), "--json")
    assert json.loads(capsys.readouterr().out)["device_status"] == "certified"


def test_bundle_import_json_reports_every_file_with_reason_and_advice(
    setup: Setup, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """``bundle import --json`` with hostile files among good ones: one JSON list, every file
    in it, each refusal with its reason and a sentence of advice; no traceback."""
    from tests.support.accounts import first_admin
    from tests.support.cli import run
    from tests.support.sync import ADMIN_PASS

    monkeypatch.setenv("PROCTOR_DESK_PASSPHRASE", ADMIN_PASS)
    first_admin(setup.inst.ws.data_dir, monkeypatch)  # an import at the institution is an act
    seq = resigned(setup, "cli-seq.pdbundle", edit_records=_rehashed_audit_seq, fresh=True)
    path = _bare(setup, "cli-path.pdbundle", session_id="../../x", chain=False)
    capsys.readouterr()
    code = run(
        setup.inst.ws.data_dir, "bundle", "import", str(seq), str(path), str(setup.good), "--json"
    )
    out, err = capsys.readouterr()
    assert code == 1
    assert "Traceback" not in err
    report = json.loads(out)
    assert [r["status"] for r in report[:2]] == [REJECTED, REJECTED]
    assert report[2]["status"] in ("imported", "already imported")
    for refused in report[:2]:
        assert refused["reason"] == "malformed" and refused["advice"]
    setup.before = dump(setup.inst.ws)


def test_a_device_rewriting_an_entry_of_its_log_already_here_is_a_conflict(setup: Setup) -> None:
    """The device's last audit entry said otherwise this time, with the hash of what it now
    says: the institution holds the entry as first sent, so the bundle is a conflict."""
    (first,) = import_bundles(setup.inst.ws, setup.inst.identity, [setup.good])
    assert first.status in ("imported", "already imported")
    setup.before = dump(setup.inst.ws)

    def rewrite_last(records: list[tuple[str, Any]]) -> list[tuple[str, Any]]:
        entries = [v for n, v in records if n.startswith("audit/")][-1]
        entry = entries[-1]
        entry["details_json"] = json.dumps({"rewritten": True}, separators=(",", ":"))
        fields = {k: entry[k] for k in entry if k not in ("hash", "details_json")}
        fields["details"] = {"rewritten": True}
        text = json.dumps(fields, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
        entry["hash"] = hashlib.sha256(text.encode("utf-8")).hexdigest()
        return records

    path = resigned(setup, "rewritten.pdbundle", edit_records=rewrite_last, fresh=True)
    rejected(setup, path, "differs", reason="conflict")
