"""The identity documents a candidate may present, and how far each number can be checked."""

from __future__ import annotations

import datetime as dt
from enum import StrEnum

from app.core.rosters.idcard import check_resident_id
from app.core.rosters.problems import Reason
from app.core.rosters.text import fold


class IdType(StrEnum):
    RESIDENT_ID = "resident_id"
    HK_MACAO_PERMIT = "hk_macao_permit"
    TAIWAN_PERMIT = "taiwan_permit"
    PASSPORT = "passport"
    FOREIGN_PERMANENT_RESIDENT = "foreign_permanent_resident"


ID_TYPE_LABELS: dict[IdType, str] = {
    IdType.RESIDENT_ID: "居民身份证",
    IdType.HK_MACAO_PERMIT: "港澳居民来往内地通行证",
    IdType.TAIWAN_PERMIT: "台湾居民来往大陆通行证",
    IdType.PASSPORT: "护照",
    IdType.FOREIGN_PERMANENT_RESIDENT: "外国人永久居留身份证",
}

# Names people actually type in the 证件类型 column, besides the official ones and the codes.
_EXTRA_NAMES: dict[str, IdType] = {
    "身份证": IdType.RESIDENT_ID,
    "二代身份证": IdType.RESIDENT_ID,
    "idcard": IdType.RESIDENT_ID,
    "港澳通行证": IdType.HK_MACAO_PERMIT,
    "回乡证": IdType.HK_MACAO_PERMIT,
    "台胞证": IdType.TAIWAN_PERMIT,
    "台湾通行证": IdType.TAIWAN_PERMIT,
    "外国人永久居留证": IdType.FOREIGN_PERMANENT_RESIDENT,
    "永居证": IdType.FOREIGN_PERMANENT_RESIDENT,
}

_BY_NAME: dict[str, IdType] = {
    **{fold(label): id_type for id_type, label in ID_TYPE_LABELS.items()},
    **{fold(id_type.value): id_type for id_type in IdType},
    **{fold(name): id_type for name, id_type in _EXTRA_NAMES.items()},
}

# Other documents are checked only for plausible shape: their formats vary by issue and country.
OTHER_MIN_LENGTH = 5
OTHER_MAX_LENGTH = 20


def parse_id_type(text: str) -> IdType | None:
    """The document type named by ``text`` (Chinese name, common short name or code)."""
    return _BY_NAME.get(fold(text))


def normalize_id_number(text: str) -> str:
    """Full-width to ASCII, spaces removed, letters upper-case (the ``x`` check char too)."""
    return "".join(fold(text).split()).upper()


def check_id_number(id_type: IdType, number: str, *, today: dt.date | None = None) -> Reason | None:
    """Why ``number`` is not a plausible number for ``id_type`` (already normalised), or None."""
    if id_type is IdType.RESIDENT_ID:
        return check_resident_id(number, today=today)
    if not OTHER_MIN_LENGTH <= len(number) <= OTHER_MAX_LENGTH:
        return Reason(
            f"长度应为{OTHER_MIN_LENGTH}–{OTHER_MAX_LENGTH}位，实为{len(number)}位，请核对证件号码",
            f"must be {OTHER_MIN_LENGTH}–{OTHER_MAX_LENGTH} characters, got {len(number)}; "
            "check the number",
        )
    if not (number.isascii() and number.isalnum()):
        return Reason(
            "只能包含字母和数字，请核对证件号码",
            "may contain only letters and digits; check the number",
        )
    return None
