"""Rosters of candidates and staff: reading, checking and templates for the site's files.

Parsing is all-or-nothing: ``parse_candidates`` / ``parse_staff`` return every row or raise
``RosterError`` listing every problem with its Excel row and column.
"""

from app.core.rosters.columns import CANDIDATE_COLUMNS, STAFF_COLUMNS, Column, RosterKind
from app.core.rosters.idcard import (
    check_resident_id,
    is_valid_resident_id,
    make_id_number,
    mask_id_number,
)
from app.core.rosters.idtypes import ID_TYPE_LABELS, IdType, check_id_number, parse_id_type
from app.core.rosters.parse import parse_candidates, parse_staff
from app.core.rosters.problems import Reason, RosterError, RosterProblem
from app.core.rosters.roles import ROLE_LABELS, parse_role
from app.core.rosters.rows import CandidateRow, StaffRow
from app.core.rosters.template import TemplateError, write_template

__all__ = [
    "CANDIDATE_COLUMNS",
    "ID_TYPE_LABELS",
    "ROLE_LABELS",
    "STAFF_COLUMNS",
    "CandidateRow",
    "Column",
    "IdType",
    "Reason",
    "RosterError",
    "RosterKind",
    "RosterProblem",
    "StaffRow",
    "TemplateError",
    "check_id_number",
    "check_resident_id",
    "is_valid_resident_id",
    "make_id_number",
    "mask_id_number",
    "parse_candidates",
    "parse_id_type",
    "parse_role",
    "parse_staff",
    "write_template",
]
