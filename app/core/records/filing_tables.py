"""The institution's filing (备案, Attachment 1 of 人社厅发〔2021〕57号): its tables (migration
0013), kept with the other tables in ``records`` so that the migrations know them.

A filing is recorded once and changed only as a new version: ``filing`` holds one row per
version (the newest is the one in force; earlier ones stay), ``filing_occupation`` one row per
filed occupation (工种) and level of a version, ``filing_branch`` the branches of a version with
the codes their province gave them (Attachment 1, 一(十)5: 分支机构…赋码).
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Column, UniqueConstraint
from sqlmodel import Field, SQLModel

from app.core.records.tables import UTCDateTime


class FilingRow(SQLModel, table=True):
    """One version of the filing: its code (备案码) and kind, who recorded it and when."""

    __tablename__ = "filing"
    version: int = Field(primary_key=True, sa_column_kwargs={"autoincrement": False})
    code: str
    kind: str  # national_employer | social_training_org
    recorded_by: str  # the account that recorded this version
    recorded_at: dt.datetime = Field(sa_column=Column(UTCDateTime(), nullable=False))
    note: str = ""  # why the filing changed (a new 备案回执, a branch added …)


class FilingOccupationRow(SQLModel, table=True):
    """A filed occupation (and work type, 工种) at one level, in one version of the filing."""

    __tablename__ = "filing_occupation"
    __table_args__ = (UniqueConstraint("version", "occupation", "work_type", "level"),)
    id: int | None = Field(default=None, primary_key=True)
    version: int = Field(foreign_key="filing.version", index=True)
    occupation: str
    work_type: str = ""
    level: str


class FilingBranchRow(SQLModel, table=True):
    """A branch (分支机构) in one version of the filing, with its own filing code."""

    __tablename__ = "filing_branch"
    __table_args__ = (UniqueConstraint("version", "code"),)
    id: int | None = Field(default=None, primary_key=True)
    version: int = Field(foreign_key="filing.version", index=True)
    code: str
    name: str
