"""Where the bytes of evidence files and archived PDFs live, behind one set of calls.

SQLite (a laptop, a one-PC institution): in the data folder, evidence once by SHA-256 under
``evidence/`` (read-only, durable before the record that lists it is committed). A shared
database (an institution's PostgreSQL): in its ``stored_file`` table, written in the caller's
transaction, so every computer that opens the database sees them and an import that fails
leaves nothing behind. Every read from the database checks the bytes against their SHA-256;
a tool that needs a path gets a private copy in the data folder's ``file-cache/``, checked
the same way.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import tempfile
from pathlib import Path

from sqlalchemy import Table
from sqlmodel import Session, col, select

from app.core.durable import replace_durably, sync_folder
from app.core.errors import UserError
from app.core.records import dialect
from app.core.records.content import IncidentError
from app.core.records.file_tables import StoredFile

MAX_EVIDENCE_BYTES = 100 * 1024 * 1024  # a phone video of a few minutes
# The most one stored file may hold in the database (an evidence file, an archived PDF).
MAX_STORED_BYTES = MAX_EVIDENCE_BYTES
EVIDENCE_DIR = "evidence"
CACHE_DIR = "file-cache"
EVIDENCE, REPORT = "evidence", "report"
_CHUNK = 1024 * 1024
_TABLE: Table = StoredFile.__table__  # type: ignore[attr-defined]


class StoredFileError(UserError):
    """A stored file is missing, or its bytes are not the ones stored."""


def evidence_path(data_dir: Path, sha256: str) -> Path:
    return data_dir / EVIDENCE_DIR / sha256[:2] / sha256


def _checked_size(source: Path, limit: int) -> int:
    if not source.is_file():
        raise IncidentError(f"evidence: {source} is not a file")
    size = source.stat().st_size
    if size > limit:
        raise IncidentError(
            f"evidence: {source.name} is {size // (1024 * 1024)} MB; the limit is "
            f"{limit // (1024 * 1024)} MB — attach a shorter clip or note where the file is kept"
        )
    return size


def store_file(data_dir: Path, source: Path, limit: int = MAX_EVIDENCE_BYTES) -> tuple[str, int]:
    """Copy ``source`` into the folder's evidence store (once per content); (sha256, size)."""
    size = _checked_size(source, limit)
    store = data_dir / EVIDENCE_DIR
    if not store.is_dir():
        store.mkdir(parents=True)
        sync_folder(data_dir)
    digest = hashlib.sha256()
    fd, tmp_name = tempfile.mkstemp(dir=store, prefix=".incoming-")
    try:
        with os.fdopen(fd, "wb") as out, source.open("rb") as src:
            while chunk := src.read(_CHUNK):
                digest.update(chunk)
                out.write(chunk)
            out.flush()
            os.fsync(out.fileno())
        sha = digest.hexdigest()
        target = evidence_path(data_dir, sha)
        if target.exists():
            os.unlink(tmp_name)
        else:
            if not target.parent.is_dir():
                target.parent.mkdir()
                sync_folder(store)
            os.chmod(tmp_name, 0o444)  # evidence is never edited in place
            # Durable before the record that lists it is committed.
            replace_durably(tmp_name, target)
    except BaseException:
        if os.path.exists(tmp_name):
            os.unlink(tmp_name)
        raise
    return sha, size


def store_evidence(
    db: Session,
    data_dir: Path,
    source: Path,
    limit: int = MAX_EVIDENCE_BYTES,
    media_type: str = "application/octet-stream",
) -> tuple[str, int]:
    """Store the evidence file ``source`` once per content; (sha256, size). In the folder on
    SQLite, in ``db``'s transaction on a shared database (gone again if it rolls back)."""
    if not dialect.keeps_files(db):
        return store_file(data_dir, source, limit)
    size = _checked_size(source, min(limit, MAX_STORED_BYTES))
    content = source.read_bytes()
    if len(content) != size:
        raise IncidentError(f"evidence: {source.name} changed while it was read; try again")
    sha = hashlib.sha256(content).hexdigest()
    values = {
        "kind": EVIDENCE,
        "name": sha,
        "sha256": sha,
        "size": size,
        "media_type": media_type,
        "content": content,
        "stored_at": dt.datetime.now(dt.UTC),
    }
    dialect.insert_once(db, _TABLE, values)
    return sha, size


def evidence_problem(db: Session, data_dir: Path, sha256: str) -> str:
    """Why the evidence file ``sha256`` is not as stored ("is missing from the data folder",
    "has changed in the database …"), or "" when it is."""
    if not dialect.keeps_files(db):
        path = evidence_path(data_dir, sha256)
        if not path.is_file():
            return "is missing from the data folder"
        return "" if _file_sha256(path) == sha256 else "has changed"
    row = db.exec(
        select(StoredFile.sha256, StoredFile.content).where(
            col(StoredFile.kind) == EVIDENCE, col(StoredFile.name) == sha256
        )
    ).first()
    if row is None:
        return "is missing from the database"
    # Both the bytes and the recorded hash must still be the ones the name promises.
    if row[0] != sha256 or hashlib.sha256(row[1]).hexdigest() != sha256:
        return "has changed in the database (its SHA-256 is not the one it is stored under)"
    return ""


def read_evidence(db: Session, data_dir: Path, sha256: str) -> bytes:
    """The bytes of the evidence file ``sha256``, checked against their hash."""
    if not dialect.keeps_files(db):
        path = evidence_path(data_dir, sha256)
        try:
            content = path.read_bytes()
        except OSError:
            raise StoredFileError(
                f"evidence file {sha256[:12]}… is missing from the data folder"
            ) from None
        if hashlib.sha256(content).hexdigest() != sha256:
            raise StoredFileError(f"evidence file {sha256[:12]}… has changed in the data folder")
        return content
    return _read_row(db, EVIDENCE, sha256, sha256)


def evidence_local_path(db: Session, data_dir: Path, sha256: str) -> Path:
    """A path to the evidence file ``sha256`` for a tool that needs one: the stored file on
    SQLite; on a shared database a private copy in the data folder, checked by its hash."""
    if not dialect.keeps_files(db):
        path = evidence_path(data_dir, sha256)
        if not path.is_file():
            raise StoredFileError(f"evidence file {sha256[:12]}… is missing from the data folder")
        return path
    cached = _cache_path(data_dir, sha256)
    if cached.is_file() and _file_sha256(cached) == sha256:
        return cached
    return _write_cache(data_dir, sha256, _read_row(db, EVIDENCE, sha256, sha256))


def remove_evidence(db: Session, sha256: str) -> None:
    """Forget the evidence file ``sha256`` in ``db``'s transaction (a shared database's copy;
    the folder's file is removed after the commit, ``remove_evidence_file``)."""
    if dialect.keeps_files(db):
        db.execute(_TABLE.delete().where(_TABLE.c.kind == EVIDENCE, _TABLE.c.name == sha256))


def remove_evidence_file(data_dir: Path, sha256: str) -> None:
    evidence_path(data_dir, sha256).unlink(missing_ok=True)
    _cache_path(data_dir, sha256).unlink(missing_ok=True)


def store_report(db: Session, name: str, content: bytes) -> None:
    """Keep the archived PDF ``name`` (its path in the archive) in the database, replacing the
    copy before it (a renewal adds a timestamp), in ``db``'s transaction."""
    if len(content) > MAX_STORED_BYTES:
        raise StoredFileError(
            f"{name}: {len(content) // (1024 * 1024)} MB is more than an archived PDF may hold "
            f"({MAX_STORED_BYTES // (1024 * 1024)} MB)"
        )
    values = {
        "kind": REPORT,
        "name": name,
        "sha256": hashlib.sha256(content).hexdigest(),
        "size": len(content),
        "media_type": "application/pdf",
        "content": content,
        "stored_at": dt.datetime.now(dt.UTC),
    }
    dialect.upsert(db, _TABLE, values, ["kind", "name"])


def read_report(db: Session, name: str) -> bytes:
    """The archived PDF ``name`` from the database, checked against its recorded hash."""
    return _read_row(db, REPORT, name, None)


def report_names(db: Session) -> list[str]:
    return list(
        db.exec(
            select(StoredFile.name).where(col(StoredFile.kind) == REPORT).order_by(StoredFile.name)
        ).all()
    )


def _read_row(db: Session, kind: str, name: str, expected: str | None) -> bytes:
    """The stored bytes of (kind, name); their hash must be the recorded one (and
    ``expected``, when the name itself is the hash)."""
    row = db.exec(
        select(StoredFile.sha256, StoredFile.content).where(
            col(StoredFile.kind) == kind, col(StoredFile.name) == name
        )
    ).first()
    shown = f"{name[:12]}…" if expected is not None else name
    if row is None:
        raise StoredFileError(f"{kind} file {shown} is missing from the database")
    recorded, content = row
    actual = hashlib.sha256(content).hexdigest()
    if actual != recorded or (expected is not None and actual != expected):
        raise StoredFileError(
            f"{kind} file {shown} has changed in the database (its SHA-256 is not the one stored)"
        )
    return bytes(content)


def _file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(_CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def _cache_path(data_dir: Path, sha256: str) -> Path:
    return data_dir / CACHE_DIR / sha256[:2] / sha256


def _write_cache(data_dir: Path, sha256: str, content: bytes) -> Path:
    """A private, read-only copy of checked bytes, put in place atomically (a reader never
    sees half a file)."""
    target = _cache_path(data_dir, sha256)
    (data_dir / CACHE_DIR).mkdir(mode=0o700, exist_ok=True)
    target.parent.mkdir(mode=0o700, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(dir=target.parent, prefix=".incoming-")
    try:
        with os.fdopen(fd, "wb") as out:
            out.write(content)
        os.chmod(tmp_name, 0o400)
        if target.exists():  # a copy that no longer matches: a read-only file cannot be
            os.chmod(target, 0o600)  # replaced on every system
        os.replace(tmp_name, target)
    except BaseException:
        if os.path.exists(tmp_name):
            os.unlink(tmp_name)
        raise
    return target
