"""Files kept in the database (migration 0008): on a shared database every computer reads the
evidence and the archived PDFs from here; SQLite keeps them in its data folder instead
(``records.file_store`` decides which).
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import BigInteger, Column, LargeBinary, UniqueConstraint
from sqlmodel import Field, SQLModel

from app.core.records.tables import UTCDateTime


class StoredFile(SQLModel, table=True):
    """One file's bytes: evidence by its SHA-256 (never changed), an archived PDF by its path
    in the archive (replaced when a timestamp is added)."""

    __tablename__ = "stored_file"
    kind: str = Field(primary_key=True)  # evidence | report
    name: str = Field(primary_key=True)
    sha256: str = Field(max_length=64)  # of ``content``: checked on every read
    size: int = Field(sa_column=Column(BigInteger(), nullable=False))
    media_type: str
    content: bytes = Field(sa_column=Column(LargeBinary(), nullable=False))
    stored_at: dt.datetime = Field(sa_column=Column(UTCDateTime(), nullable=False))


class ArchivedPdfRow(SQLModel, table=True):
    """One entry of the report archive's index (``reports.archive.ArchivedPdf``), in the order
    the PDFs were archived; its PDF is the ``report`` StoredFile named by ``file``."""

    __tablename__ = "archived_pdf"
    __table_args__ = (UniqueConstraint("file"),)
    seq: int | None = Field(default=None, primary_key=True)
    file: str
    id: str
    kind: str
    record: str | None = None
    version: int | None = None
    session_id: str
    bundle_id: str
    timestamped_at: str | None = None
    timestamps: int
    renew_by: str | None = None
    problem: str = ""
