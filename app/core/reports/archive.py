"""The institution's archive of signed PDFs: the reports bundles carry, kept where the import
stores them (``reports/<session>/<bundle>/reports/``), each with the institution's document
timestamps and validation data added in place (``archive_stamp``), and listed in one JSON
index, ``reports/archive.json``: docs/archive.md.

The index is derived data: every fact in it is read again from its PDF, so a lost index is
rebuilt from the files (``rebuild``). On a shared database (an institution's PostgreSQL: give
``engine``) the PDFs and the index are kept in the database instead (``records.file_store``,
the ``archived_pdf`` table), so every admin's computer sees the same archive; an entry's
``file`` still names the PDF by the same path. An archived PDF is found by its id: the first 16 hex
digits of the SHA-256 of the PDF as the laptop signed it, so a copy handed out on the day
names the archived one.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import logging
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import asdict, dataclass, fields
from pathlib import Path
from typing import Any

from sqlalchemy import delete
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from app.core.bundles import formats as fmt
from app.core.durable import write_durably
from app.core.errors import UserError
from app.core.records import dialect, file_store
from app.core.records.file_tables import ArchivedPdfRow
from app.core.trust.institution import InstitutionIdentity

INDEX_FILE = "archive.json"
INDEX_FORMAT = "proctor-desk-report-archive"
ID_DIGITS = 16
# Renew a chain whose newest timestamp's certificate ends within this (run at least yearly).
RENEW_WITHIN = dt.timedelta(days=2 * 365)
_log = logging.getLogger("proctor_desk.archive")


class ArchiveError(UserError):
    """No such archived PDF, or the archive cannot be read."""


@dataclass(frozen=True)
class ArchivedPdf:
    """One archived PDF, as the index lists it."""

    id: str
    kind: str  # the report's kind (incident, session-summary, blank-form), "" when unnamed
    record: str | None  # the incident record's id, for an incident report
    version: int | None
    session_id: str
    bundle_id: str
    file: str  # relative to the data folder
    timestamped_at: str | None  # when the first archive timestamp proves the PDF existed
    timestamps: int
    renew_by: str | None  # when the newest timestamp's certificate ends
    problem: str = ""  # why it carries no timestamp (renewal tries again)

    def to_json(self) -> dict[str, Any]:
        return asdict(self)


def archive_root(data_dir: Path) -> Path:
    return data_dir / fmt.REPORTS_DIR


def pdf_id(original: bytes) -> str:
    return hashlib.sha256(original).hexdigest()[:ID_DIGITS]


def _utc(value: dt.datetime | None) -> str | None:
    return None if value is None else value.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _original(pdf: bytes) -> bytes:
    """The PDF as the laptop signed it: up to the end of its first signature's revision (the
    archive only appends), or the whole file when it is not signed."""
    from app.core.reports.pyhanko_import import load_pyhanko

    load_pyhanko()
    import io

    from pyhanko.pdf_utils.reader import PdfFileReader

    try:
        reader = PdfFileReader(io.BytesIO(pdf), strict=False)
        regular = reader.embedded_regular_signatures
        if not regular:
            return pdf
        byte_range = regular[0].byte_range
        return pdf[: int(byte_range[2]) + int(byte_range[3])]
    except Exception:  # a damaged file: named by all its bytes
        return pdf


def describe(
    data_dir: Path, path: Path, session_id: str, bundle_id: str, problem: str = ""
) -> ArchivedPdf:
    """The index entry of the PDF at ``path``, read from the file itself."""
    file = path.relative_to(data_dir).as_posix()
    return _describe(path.read_bytes(), file, session_id, bundle_id, problem)


def _describe(pdf: bytes, file: str, session_id: str, bundle_id: str, problem: str) -> ArchivedPdf:
    """The index entry of the PDF ``pdf`` kept as ``file``, read from its bytes."""
    from app.core.reports.pdf_verification import check_pdf

    check = check_pdf(pdf)
    stamps = [s for s in check.signatures if s.timestamp]
    reference = check.reference
    record = reference.record_id if reference is not None and reference.record_id else None
    return ArchivedPdf(
        id=pdf_id(_original(pdf)),
        kind=reference.kind if reference is not None else "",
        record=record,
        version=reference.version if reference is not None else None,
        session_id=session_id,
        bundle_id=bundle_id,
        file=file,
        timestamped_at=_utc(stamps[0].signed_at) if stamps else None,
        timestamps=len(stamps),
        renew_by=_utc(stamps[-1].certificate_ends) if stamps else None,
        problem=problem or check.problem,
    )


@contextmanager
def _shared(engine: Engine | None) -> Iterator[Session | None]:
    """A transaction on the database that keeps the archive, committed at the end; None when
    the archive is in the data folder (no engine, or SQLite's)."""
    if engine is None:
        yield None
        return
    with Session(engine, expire_on_commit=False) as db:
        if not dialect.keeps_files(db):
            yield None
            return
        yield db
        db.commit()


_ENTRY_FIELDS = [f.name for f in fields(ArchivedPdf)]


def _rows(db: Session) -> list[ArchivedPdf]:
    rows = db.exec(select(ArchivedPdfRow).order_by(col(ArchivedPdfRow.seq))).all()
    return [ArchivedPdf(**{name: getattr(row, name) for name in _ENTRY_FIELDS}) for row in rows]


def _keep(db: Session, pdf: bytes, entry: ArchivedPdf) -> None:
    """The PDF's bytes and its index entry into the database (replacing an earlier copy of the
    same file, which keeps its place in the index)."""
    file_store.store_report(db, entry.file, pdf)
    table = ArchivedPdfRow.__table__  # type: ignore[attr-defined]
    dialect.upsert(db, table, entry.to_json(), ["file"])


def _remove_extracted(paths: Sequence[Path]) -> None:
    """The files an import extracted, once the database holds them, and their folders when
    nothing else is left in them: the archive is the database's, not this computer's."""
    for path in paths:
        path.unlink(missing_ok=True)
        for folder in path.parents[:4]:  # reports/, <bundle>/, <session>/, reports/
            try:
                folder.rmdir()
            except OSError:
                break


def load_index(data_dir: Path, *, engine: Engine | None = None) -> list[ArchivedPdf]:
    """The archive's entries, oldest first (none when nothing was archived here)."""
    with _shared(engine) as db:
        if db is not None:
            return _rows(db)
    path = archive_root(data_dir) / INDEX_FILE
    if not path.is_file():
        return []
    try:
        document = json.loads(path.read_text(encoding="utf-8"))
        if document.get("format") != INDEX_FORMAT:
            raise ValueError("not a report archive index")
        return [ArchivedPdf(**entry) for entry in document["entries"]]
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise ArchiveError(
            f"{path}: the archive index cannot be read ({exc}); "
            "'proctor-desk report archived --rebuild' makes it again from the PDFs"
        ) from None


def _save_index(data_dir: Path, entries: Sequence[ArchivedPdf]) -> None:
    document = {
        "format": INDEX_FORMAT,
        "version": 1,
        "entries": [e.to_json() for e in entries],
    }
    text = json.dumps(document, ensure_ascii=False, indent=2) + "\n"
    write_durably(archive_root(data_dir) / INDEX_FILE, text.encode("utf-8"))


def _merge(data_dir: Path, changed: Sequence[ArchivedPdf]) -> None:
    by_file = {e.file: e for e in load_index(data_dir)}
    for entry in changed:
        by_file[entry.file] = entry
    _save_index(data_dir, list(by_file.values()))


def _stamp_in_place(path: Path, stamper: Any) -> str:
    """Timestamp the PDF at ``path`` (replaced atomically); the problem, or ""."""
    try:
        pdf = path.read_bytes()
    except OSError as exc:
        _log.warning("%s not timestamped: %s", path, exc)
        return str(exc)
    stamped, problem = _stamped(pdf, stamper, str(path))
    if not problem:
        write_durably(path, stamped)
    return problem


def _stamped(pdf: bytes, stamper: Any, shown: str) -> tuple[bytes, str]:
    """The PDF with a new timestamp and "", or as it was and the problem."""
    from app.core.reports.archive_stamp import ArchiveStampError, add_archive_timestamp

    try:
        return add_archive_timestamp(pdf, stamper), ""
    except (ArchiveStampError, OSError) as exc:
        _log.warning("%s not timestamped: %s", shown, exc)
        return pdf, str(exc)


def archive_bundle_reports(
    data_dir: Path,
    identity: InstitutionIdentity,
    session_id: str,
    bundle_id: str,
    paths: Sequence[Path],
    *,
    now: dt.datetime | None = None,
    engine: Engine | None = None,
) -> list[ArchivedPdf]:
    """Timestamp the PDFs an import just stored, and list them in the index. A PDF that cannot
    be timestamped (damaged, unsigned) stays as it came and is listed with its problem. On a
    shared database they go into it (and leave this computer's folder once committed)."""
    if not paths:
        return []
    from app.core.reports.archive_stamp import archive_stamper

    stamper = archive_stamper(identity, now)
    with _shared(engine) as db:
        if db is not None:
            entries = []
            for path in paths:
                try:
                    pdf = path.read_bytes()
                except OSError as exc:
                    raise ArchiveError(f"{path}: cannot be read ({exc.strerror})") from None
                stamped, problem = _stamped(pdf, stamper, str(path))
                file = path.relative_to(data_dir).as_posix()
                entry = _describe(stamped, file, session_id, bundle_id, problem)
                _keep(db, stamped, entry)
                entries.append(entry)
    if db is not None:
        _remove_extracted(paths)
        return entries
    entries = [
        describe(data_dir, path, session_id, bundle_id, _stamp_in_place(path, stamper))
        for path in paths
    ]
    _merge(data_dir, entries)
    return entries


def find(data_dir: Path, ident: str, *, engine: Engine | None = None) -> ArchivedPdf:
    """The archived PDF ``ident`` names (its id or a unique start of it)."""
    text = ident.strip().lower()
    matches = [e for e in load_index(data_dir, engine=engine) if text and e.id.startswith(text)]
    if not matches:
        raise ArchiveError(f"no archived PDF {ident!r}: 'proctor-desk report archived' lists them")
    if len({e.id for e in matches}) > 1:
        raise ArchiveError(f"{ident!r} names {len(matches)} archived PDFs: give more of the id")
    return matches[-1]  # the same PDF brought twice: the newest copy


def read_archived(data_dir: Path, entry: ArchivedPdf, *, engine: Engine | None = None) -> bytes:
    with _shared(engine) as db:
        if db is not None:
            try:
                return file_store.read_report(db, entry.file)
            except file_store.StoredFileError as exc:
                raise ArchiveError(f"the archived PDF {entry.id} cannot be read: {exc}") from None
    path = data_dir / entry.file
    try:
        return path.read_bytes()
    except OSError as exc:
        raise ArchiveError(f"{path}: the archived PDF cannot be read ({exc.strerror})") from None


def due(entries: Sequence[ArchivedPdf], now: dt.datetime) -> list[ArchivedPdf]:
    """Entries without a timestamp, or whose newest timestamp's certificate ends soon."""
    limit = _utc(now + RENEW_WITHIN) or ""
    return [e for e in entries if e.renew_by is None or e.renew_by <= limit]


def renew(
    data_dir: Path,
    identity: InstitutionIdentity,
    *,
    now: dt.datetime | None = None,
    engine: Engine | None = None,
) -> list[ArchivedPdf]:
    """Add a new timestamp to every archived PDF that is due (``due``): the new one covers the
    old ones and their validation data, so each older timestamp is judged at the time the
    next proves. Returns the entries renewed (a problem says why one was not)."""
    from app.core.reports.archive_stamp import archive_stamper

    when = now or dt.datetime.now(dt.UTC)
    with _shared(engine) as db:
        if db is not None:
            todo = due(_rows(db), when)
            if not todo:
                return []
            stamper = archive_stamper(identity, when)
            renewed = []
            for e in todo:
                try:
                    pdf = file_store.read_report(db, e.file)
                except file_store.StoredFileError as exc:
                    raise ArchiveError(f"the archived PDF {e.id} cannot be read: {exc}") from None
                stamped, problem = _stamped(pdf, stamper, e.file)
                entry = _describe(stamped, e.file, e.session_id, e.bundle_id, problem)
                _keep(db, stamped, entry)
                renewed.append(entry)
            return renewed
    todo = due(load_index(data_dir), when)
    if not todo:
        return []
    stamper = archive_stamper(identity, when)
    renewed = [
        describe(
            data_dir,
            data_dir / e.file,
            e.session_id,
            e.bundle_id,
            _stamp_in_place(data_dir / e.file, stamper),
        )
        for e in todo
    ]
    _merge(data_dir, renewed)
    return renewed


def rebuild(data_dir: Path, *, engine: Engine | None = None) -> list[ArchivedPdf]:
    """The index made again from the PDFs under ``reports/<session>/<bundle>/``. On a shared
    database: from the PDFs it keeps, and any an import left in this computer's folder (its
    archiving failed after the import) are taken into it."""
    root = archive_root(data_dir)
    with _shared(engine) as db:
        if db is not None:
            left = sorted(root.glob("*/*/**/*.pdf"))
            for path in left:
                file = path.relative_to(data_dir).as_posix()
                file_store.store_report(db, file, path.read_bytes())
            db.execute(delete(ArchivedPdfRow))
            entries = []
            for file in file_store.report_names(db):
                session_id, bundle_id = Path(file).relative_to(fmt.REPORTS_DIR).parts[:2]
                pdf = file_store.read_report(db, file)
                entry = _describe(pdf, file, session_id, bundle_id, "")
                _keep(db, pdf, entry)
                entries.append(entry)
    if db is not None:
        _remove_extracted(left)
        return entries
    entries = []
    for path in sorted(root.glob("*/*/**/*.pdf")):
        session_id, bundle_id = path.relative_to(root).parts[:2]
        entries.append(describe(data_dir, path, session_id, bundle_id))
    _save_index(data_dir, entries)
    return entries
