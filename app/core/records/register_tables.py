"""The register of barred candidates: its tables (migration 0011), kept with the other tables in
``records`` so that the migrations know them without importing the register.

At the institution: ``register_entry`` (one row per ban as decided or as a review changed or
annulled it; an entry is never removed, and the only change it takes is the one that names the
entry superseding it) and ``register_mark`` (the last casework step the register took in). On
both sides: ``register_kit_screen`` and ``register_kit_candidate``, what a kit's screening found
for its session (at the institution when the kit was written, on the laptop when it was
imported). Days are ISO text (``2026-12-31``): they compare as dates on every engine.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Column, Index, UniqueConstraint
from sqlmodel import Field, SQLModel

from app.core.records.tables import UTCDateTime

MARK_CASEWORK = "casework_step"


class RegisterEntry(SQLModel, table=True):
    """A ban as a casework step made it: the decision, or a review that changed or annulled
    it (then ``first_day`` and ``last_day`` are None: nothing is barred)."""

    __tablename__ = "register_entry"
    __table_args__ = (
        UniqueConstraint("case_id", "step_seq"),
        Index("ix_register_entry_active", "id_key", "superseded_by"),
    )
    id: int | None = Field(default=None, primary_key=True)
    case_id: str = Field(index=True)
    step_seq: int  # the casework step that made it
    source: str  # decision | review_changed | review_annulled
    person_name: str
    id_type: str
    id_number: str  # as the case holds it; shown in full only to an account
    id_key: str  # normalised (``rosters.idtypes.normalize_id_number``): what screening matches
    clause: str
    decision_date: str
    first_day: str | None = None
    last_day: str | None = None
    document_sha256: str | None = None  # the decision or review decision
    supersedes: int | None = None  # the entry this one replaces
    superseded_by: int | None = None  # set once, when a review replaces this entry
    entered_at: dt.datetime = Field(sa_column=Column(UTCDateTime(), nullable=False))


class RegisterMark(SQLModel, table=True):
    """How far the register has read a source (the casework steps, by ``seq``)."""

    __tablename__ = "register_mark"
    name: str = Field(primary_key=True)
    last_seq: int


class KitScreen(SQLModel, table=True):
    """A session's roster screened for a kit: on which days, and when."""

    __tablename__ = "register_kit_screen"
    session_id: str = Field(primary_key=True)
    first_day: str  # the sitting's days the roster was screened for
    last_day: str
    screened_at: dt.datetime = Field(sa_column=Column(UTCDateTime(), nullable=False))


class KitCandidate(SQLModel, table=True):
    """A candidate the kit's roster held: screened; ``clause`` and ``last_day`` when barred."""

    __tablename__ = "register_kit_candidate"
    session_id: str = Field(primary_key=True)
    candidate_id: str = Field(primary_key=True)
    clause: str | None = None
    last_day: str | None = None
