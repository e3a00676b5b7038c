"""The installation's self-test: the whole path of a record, end to end, in a throw-away folder.

A site runs ``proctor-desk --self-test`` (or Help → Self-test) on each laptop before exam day.
Each step checks one thing a site relies on, with the app's own services and shipped files,
in a ``tempfile.TemporaryDirectory()`` data folder, so the site's real records, keys and
settings are never read or touched. No OS key store is used: the institution's and the site's
passphrases are random ones made for the run.

The steps follow the real path: the shipped files (rulebook, CJK font, translations), the rule
engine, an institution identity and a site kit, the laptop importing the kit, one incident
recorded, signed, confirmed and sealed, its signed PDF checked as ``report verify`` checks it,
and a bundle exported (encrypted to the institution), verified and imported there.

A step is a function of the run; it returns what it checked, in plain words, or raises. The
runner catches each failure as a one-line summary (a ``UserError``'s message, else the
exception's type and message: never a traceback) and skips the steps that need a failed one.
Whoever has Qt adds a step for the window (``app.ui.selftest``); the core never imports Qt.
"""

from __future__ import annotations

import datetime as dt
import secrets
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from app.core.errors import UserError

if TYPE_CHECKING:
    from app.core.records.service import Workspace
    from app.core.trust.institution import InstitutionIdentity

# The English translation the app installs (``app.ui.i18n.qm_path("en")``; a GUI test keeps
# the two equal).
ENGLISH_QM = "proctor_desk_en.qm"
DEVICE_CODE = "ST"
# A fixed day keeps the classification's wording the same on every run.
CLASSIFY_DAY = dt.date(2026, 6, 12)


class CheckFailed(Exception):
    """A step ran but found something wrong; the message says what, in a line."""


@dataclass
class SelfTestRun:
    """What the steps make and hand on to the next ones, in ``root`` (the temporary folder)."""

    root: Path
    admin_passphrase: str = field(default_factory=lambda: secrets.token_urlsafe(18))
    site_passphrase: str = field(default_factory=lambda: secrets.token_urlsafe(18))
    institution: Workspace | None = None
    identity: InstitutionIdentity | None = None
    session_id: str = ""
    kit: Path | None = None
    laptop: Workspace | None = None
    incident_id: str = ""
    pdf: Path | None = None
    bundle: Path | None = None

    def close(self) -> None:
        for workspace in (self.laptop, self.institution):
            if workspace is not None:
                workspace.close()

    # Each step asks for what an earlier one made; a missing one is that step's failure.
    def need_institution(self) -> tuple[Workspace, InstitutionIdentity]:
        if self.institution is None or self.identity is None:
            raise CheckFailed("no institution was set up")
        return self.institution, self.identity

    def need_laptop(self) -> Workspace:
        if self.laptop is None:
            raise CheckFailed("no laptop was set up")
        return self.laptop


@dataclass(frozen=True)
class Step:
    name: str  # short and stable: the JSON's "name", and how tests and the UI refer to it
    title: str  # what it checks, bilingual, for the command line
    run: Callable[[SelfTestRun], str]  # returns what was checked; raises when it fails
    needs: tuple[str, ...] = ()  # steps whose results this one uses


@dataclass(frozen=True)
class StepResult:
    name: str
    title: str
    ok: bool
    detail: str  # what was checked, or why it failed, or which step it needed
    seconds: float
    skipped: bool = False

    @property
    def status(self) -> str:
        """``ok``, ``failed`` or ``skipped`` (not run: a step it needs did not pass)."""
        return "skipped" if self.skipped else "ok" if self.ok else "failed"

    def to_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "title": self.title,
            "ok": self.ok,
            "status": self.status,
            "detail": self.detail,
            "seconds": round(self.seconds, 3),
        }


@dataclass(frozen=True)
class SelfTestReport:
    results: tuple[StepResult, ...]
    seconds: float

    @property
    def ok(self) -> bool:
        return bool(self.results) and all(r.ok for r in self.results)

    @property
    def failed(self) -> list[str]:
        """The steps that ran and failed (not those skipped because of them)."""
        return [r.name for r in self.results if not r.ok and not r.skipped]

    def to_dict(self) -> dict[str, Any]:
        return {
            "ok": self.ok,
            "seconds": round(self.seconds, 3),
            "steps": [r.to_dict() for r in self.results],
        }


def summary(exc: BaseException) -> str:
    """A failure in one line: a user error's or a check's message; else type and message."""
    lines = [line.strip() for line in str(exc).splitlines() if line.strip()]
    text = "; ".join(lines)
    if isinstance(exc, UserError | CheckFailed):
        return text or type(exc).__name__
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__


def run_self_test(
    steps: Sequence[Step] | None = None,
    on_result: Callable[[StepResult], None] | None = None,
) -> SelfTestReport:
    """Run ``steps`` (default: ``CORE_STEPS``) in order in a temporary data folder.

    ``on_result`` hears each result as soon as it is known (the command line prints it then).
    """
    chosen = CORE_STEPS if steps is None else tuple(steps)
    started = time.perf_counter()
    results: list[StepResult] = []
    passed: set[str] = set()
    # ignore_cleanup_errors: on Windows a file a library still holds open must not turn a
    # passing run into a traceback at the very end.
    with tempfile.TemporaryDirectory(
        prefix="proctor-desk-self-test-", ignore_cleanup_errors=True
    ) as folder:
        run = SelfTestRun(Path(folder))
        # The temporary folders' keys are under a passphrase of the run's own (the fallback
        # for a computer without a key store): the person's real keys are never touched.
        from app.core.seal import key_vault

        previous = key_vault.current_source()
        secret = secrets.token_urlsafe(18)
        key_vault.set_passphrase_source(lambda _kind: secret)
        try:
            for step in chosen:
                result = _run_step(step, run, passed)
                if result.ok:
                    passed.add(step.name)
                results.append(result)
                if on_result is not None:
                    on_result(result)
        finally:
            run.close()
            key_vault.set_passphrase_source(previous)
    return SelfTestReport(tuple(results), time.perf_counter() - started)


def _run_step(step: Step, run: SelfTestRun, passed: set[str]) -> StepResult:
    missing = [name for name in step.needs if name not in passed]
    if missing:
        names = ", ".join(missing)
        detail = f"未运行：所需步骤 {names} 未通过 (skipped: it needs {names}, which did not pass)"
        return StepResult(step.name, step.title, False, detail, 0.0, skipped=True)
    started = time.perf_counter()
    try:
        detail = step.run(run)
        ok = True
    except Exception as exc:  # every failure becomes this step's line, never a traceback
        detail, ok = summary(exc), False
    return StepResult(step.name, step.title, ok, detail, time.perf_counter() - started)


# -- the steps ---------------------------------------------------------------------------------


def check_resources(_run: SelfTestRun) -> str:
    """The shipped rulebook loads, a CJK font is found, the English translation is there."""
    from app.core.fonts import FontNotFoundError, find_cjk_font, find_fallback_fonts
    from app.core.resources import resource_path
    from app.core.rulebook import DEFAULT_RULEBOOK_ID
    from app.core.rulebook.loader import load_rulebook

    rulebook = load_rulebook(DEFAULT_RULEBOOK_ID)
    try:
        font = find_cjk_font()
    except FontNotFoundError as exc:
        raise CheckFailed(str(exc)) from None
    qm = resource_path("translations", ENGLISH_QM)
    if not qm.is_file() or qm.stat().st_size == 0:
        raise CheckFailed(f"the English interface translation is missing ({qm})")
    fallbacks = len(find_fallback_fonts())
    return (
        f"rulebook {rulebook.id} loads ({len(rulebook.clauses)} clauses); Chinese font "
        f"{font.family} ({font.path}); {fallbacks} font(s) for rare characters; "
        f"English translation {qm.name}"
    )


def check_classify(_run: SelfTestRun) -> str:
    """The engine maps a candidate's phone use in the exam to Art. 6(1) and its handling."""
    from app.core.rulebook import DEFAULT_RULEBOOK_ID
    from app.core.rulebook.engine import classify
    from app.core.rulebook.loader import load_rulebook

    rulebook = load_rulebook(DEFAULT_RULEBOOK_ID)
    facts = {"party": "candidate", "clause": "6.1", "date": CLASSIFY_DAY.isoformat()}
    outcome = classify(rulebook, facts)
    scores = outcome.to_dict().get("scores_cancelled")
    if not outcome.violation or outcome.article != 6 or scores != "all":
        raise CheckFailed(
            f"clause 6.1 gave article {outcome.article}, violation {outcome.violation}, "
            f"scores cancelled {scores!r}; expected article 6, a violation, all scores"
        )
    measures = "; ".join(m.en for m in outcome.measures)
    return f"a candidate using a phone in the exam → clause 6.1 (Art. 6): {measures}"


def set_up_institution(run: SelfTestRun) -> str:
    """An institution identity under a passphrase, a session, and its signed site kit."""
    from app.core.demo.seed import seed_demo
    from app.core.kits.kit_export import export_kit
    from app.core.records.service import Workspace
    from app.core.seal import account_keys
    from app.core.trust.institution import init_institution, load_identity

    run.institution = Workspace.open(run.root / "institution")
    folder = run.institution.data_dir
    init_institution(folder, "自检评价机构 Self-test institution", run.admin_passphrase)
    # Reopened from its files: the keys on disk open under the passphrase.
    run.identity = load_identity(folder, run.admin_passphrase)
    # No account here: what the self-test does at the institution, it does with the
    # institution passphrase, so the institution's own key signs its audit entries.
    account_keys.use(folder, account_keys.institution_signer(folder, run.identity.signing_key))
    demo = seed_demo(run.institution, candidates=4, incidents=0)
    run.session_id = demo.session_id
    kit = run.root / "site.kit"
    export_kit(run.institution, run.identity, demo.session_id, kit, run.site_passphrase)
    run.kit = kit
    return (
        "institution keys and root certificate created, reopened with the passphrase; "
        f"a session with {len(demo.candidates)} candidates; site kit signed ({kit.stat().st_size} "
        "bytes)"
    )


def import_site_kit(run: SelfTestRun) -> str:
    """The laptop checks the kit's signature, creates the session, certifies its key."""
    from app.core.kits.kit_import import import_kit
    from app.core.records.service import Workspace

    _, identity = run.need_institution()
    if run.kit is None:
        raise CheckFailed("no site kit was written")
    run.laptop = Workspace.open(run.root / "laptop")
    run.laptop.set_device_code(DEVICE_CODE)
    result = import_kit(
        run.laptop, run.kit, run.site_passphrase, expect_institution=identity.public.fingerprint
    )
    if result.session_id != run.session_id:
        raise CheckFailed(f"the kit created session {result.session_id}, not {run.session_id}")
    if not result.certified:
        raise CheckFailed("the laptop's key was not certified by the site")
    candidates = len(run.laptop.candidates(run.session_id))
    return (
        f"kit signature checked; session created with {candidates} candidates; this device's "
        "key certified by the site (institution root → site → device)"
    )


def record_and_seal(run: SelfTestRun) -> str:
    """A candidate incident signed by two staff, acknowledged, confirmed: sealed and intact."""
    from app.core.demo.seed import DEMO_PIN
    from app.core.demo.strokes import synthetic_strokes
    from app.core.records.content import IncidentDraft
    from app.core.records.status import SEALED
    from app.core.records.tables import from_utc_text
    from app.core.rulebook.model import StaffRole

    laptop = run.need_laptop()
    staff = laptop.staff(run.session_id)
    admins = [s for s in staff if s.role == StaffRole.EXAM_ADMIN.value][:2]
    head = next(s for s in staff if s.role == StaffRole.SITE_HEAD.value)
    candidate = laptop.candidates(run.session_id)[0]
    subject = laptop.session(run.session_id)["subjects"][0]
    draft = IncidentDraft(
        party="candidate",
        # During the subject, as a real record would be (the demo sitting is in the past).
        occurred_at=from_utc_text(subject["starts_at"]) + dt.timedelta(minutes=10),
        subject=subject["name"],
        room=candidate.room,
        seat=candidate.seat,
        person_id=candidate.id,
        clause="6.1",
        description="自检：监考人员发现考生在评价过程中使用手机。(self-test record)",
    )
    incident = laptop.create_incident(run.session_id, draft, actor_id=admins[0].id)
    run.incident_id = incident.id
    for person in admins:
        laptop.sign(incident.id, person.id, synthetic_strokes(person.name), DEMO_PIN)
    laptop.acknowledge(incident.id, synthetic_strokes(candidate.name))
    laptop.confirm(incident.id, head.id, synthetic_strokes(head.name), DEMO_PIN)
    status = laptop.incident(incident.id)["status"]
    if status not in SEALED:
        raise CheckFailed(f"the confirmed record has status {status!r}, not sealed")
    report = laptop.verify()
    if not report.ok:
        raise CheckFailed("; ".join(str(p) for p in report.problems[:3]))
    return (
        "incident 6.1 signed by 2 staff, acknowledged by the candidate, confirmed by the site "
        f"head; content hash, {report.seals} seal(s) and {report.audit_entries} audit entries "
        "verify"
    )


def signed_pdf(run: SelfTestRun) -> str:
    """The record's PDF, signed with the site certificate, verified as ``report verify`` does
    at the institution: intact, trusted through its root, naming the record's content hash."""
    from app.core.reports.from_records import stored_content_hash
    from app.core.reports.pdf_verification import check_pdf, local_trust_anchors
    from app.core.reports.signed import incident_job

    laptop = run.need_laptop()
    institution, _ = run.need_institution()
    job = incident_job(laptop, run.incident_id)
    report = job.run()
    pdf = run.root / job.file_name
    pdf.write_bytes(report.pdf)
    check = check_pdf(pdf.read_bytes(), local_trust_anchors(institution.data_dir))
    if not check.intact:
        raise CheckFailed(check.problem or "the PDF's signature is not intact")
    if not check.trusted:
        raise CheckFailed("the PDF's signer does not chain to the institution's root")
    reference = check.reference
    stored = stored_content_hash(laptop, run.incident_id)
    if reference is None or reference.record_id != run.incident_id:
        raise CheckFailed("the PDF does not name the record it shows")
    if reference.content_hash != stored:
        raise CheckFailed("the PDF's content hash differs from the record's")
    run.pdf = pdf
    return (
        f"incident record PDF ({len(report.pdf) // 1024} KiB) signed by {report.signer}; "
        "signature intact, trusted through the institution's root; content hash matches"
    )


def export_records(run: SelfTestRun) -> str:
    """The session's bundle from the laptop, encrypted to the institution, with the PDF."""
    from app.core.bundles import inspect_bundle
    from app.core.sync.export import export_bundle

    laptop = run.need_laptop()
    out = run.root / "self-test.pdbundle"
    reports = [run.pdf] if run.pdf is not None else []
    result = export_bundle(laptop, run.session_id, out, reports=reports)
    header = inspect_bundle(out).header
    if header is None or header.crypto is None:
        raise CheckFailed("the bundle is not encrypted to the institution")
    run.bundle = out
    return (
        f"bundle written ({out.stat().st_size // 1024} KiB): {result.incidents} incident "
        f"version(s), {result.audit_entries} audit entries, {result.reports} signed PDF(s); "
        "encrypted to the institution"
    )


def verify_bundle(run: SelfTestRun) -> str:
    """At the institution, with its key: the bundle's signature, entries and hashes."""
    from app.core.bundles import inspect_bundle

    laptop = run.need_laptop()
    _, identity = run.need_institution()
    if run.bundle is None:
        raise CheckFailed("no bundle was written")
    result = inspect_bundle(run.bundle, identity.encryption_key)
    if not result.ok:
        raise CheckFailed(result.problem or "the bundle was refused")
    if not result.content_checked:
        raise CheckFailed("the bundle's contents were not checked")
    if result.signer_fingerprint != laptop.device.fingerprint:
        raise CheckFailed("the bundle is not signed by the laptop's key")
    return "decrypted with the institution's key; signature, every entry and every hash correct"


def import_records(run: SelfTestRun) -> str:
    """The institution imports the bundle; the record arrives and its records verify."""
    from app.core.sync.importing import IMPORTED, import_bundles

    institution, identity = run.need_institution()
    if run.bundle is None:
        raise CheckFailed("no bundle was written")
    outcome = import_bundles(institution, identity, [run.bundle])[0]
    if outcome.status != IMPORTED:
        raise CheckFailed(f"the bundle was {outcome.status}: {outcome.message}")
    arrived = institution.incident(run.incident_id)
    report = institution.verify()
    if not report.ok:
        raise CheckFailed("; ".join(str(p) for p in report.problems[:3]))
    added = outcome.counts.get("incidents_added", 0)
    return (
        f"the institution imported {added} incident version(s) (record {arrived['number']}) "
        f"from the certified laptop; its {report.seals} seal(s) and audit chain verify"
    )


CORE_STEPS: tuple[Step, ...] = (
    Step(
        "resources",
        "程序资源 (shipped files: rulebook, Chinese font, translation)",
        check_resources,
    ),
    Step("classify", "违纪认定 (rule engine: classify an incident)", check_classify),
    Step("institution", "机构身份与考点包 (institution identity and site kit)", set_up_institution),
    Step("kit", "导入考点包 (the laptop imports the site kit)", import_site_kit, ("institution",)),
    Step(
        "record",
        "记录、签名与封存 (record, sign, confirm and seal an incident)",
        record_and_seal,
        ("kit",),
    ),
    Step("report", "签名报告 (write and verify the signed PDF)", signed_pdf, ("record",)),
    Step("export", "导出同步包 (export the encrypted bundle)", export_records, ("record",)),
    Step("verify", "核验同步包 (verify the bundle at the institution)", verify_bundle, ("export",)),
    Step(
        "import", "导入同步包 (import the bundle at the institution)", import_records, ("verify",)
    ),
)
