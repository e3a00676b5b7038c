"""Chinese resident ID numbers (居民身份证号码) under GB 11643-1999: check, generate, mask."""

from __future__ import annotations

import datetime as dt

from app.core.rosters.problems import Reason

LENGTH = 18
WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
CHECK_CHARS = "10X98765432"  # indexed by (weighted sum mod 11)
EARLIEST_BIRTH = dt.date(1900, 1, 1)

# First two digits of the area code (GB/T 2260 provinces; 81–83 are the residence permits of
# Hong Kong, Macao and Taiwan residents, which use the same number format).
PROVINCE_CODES = frozenset(
    {
        "11", "12", "13", "14", "15",
        "21", "22", "23",
        "31", "32", "33", "34", "35", "36", "37",
        "41", "42", "43", "44", "45", "46",
        "50", "51", "52", "53", "54",
        "61", "62", "63", "64", "65",
        "71", "81", "82", "83",
    }
)  # fmt: skip


def check_char(first17: str) -> str:
    """The check character for the first 17 digits of a resident ID number."""
    if len(first17) != LENGTH - 1 or not first17.isascii() or not first17.isdigit():
        raise ValueError(f"need 17 ASCII digits, got {first17!r}")
    total = sum(int(digit) * weight for digit, weight in zip(first17, WEIGHTS, strict=True))
    return CHECK_CHARS[total % 11]


def check_resident_id(number: str, *, today: dt.date | None = None) -> Reason | None:
    """Why ``number`` is not a valid resident ID number, or ``None`` if it is.

    Expects the number already trimmed; a lower-case ``x`` check character is accepted.
    """
    if len(number) != LENGTH:
        return Reason(
            f"长度应为18位，实为{len(number)}位，请核对证件号码",
            f"must be 18 characters, got {len(number)}; check the number",
        )
    body, last = number[:17], number[17]
    if not (body.isascii() and body.isdigit()) or last not in "0123456789Xx":
        return Reason(
            "含有非法字符：前17位应为数字，第18位为数字或X，请核对证件号码",
            "bad characters: the first 17 must be digits and the last a digit or X; "
            "check the number",
        )
    if body[:2] not in PROVINCE_CODES:
        return Reason(
            f"地址码 {body[:6]} 不存在（前两位应为省级代码），请核对证件号码",
            f"area code {body[:6]} does not exist (its first two digits must be a province); "
            "check the number",
        )
    birth = _birth_date(body[6:14])
    if birth is None:
        return Reason(
            f"出生日期 {body[6:14]} 不是有效日期，请核对证件号码",
            f"birth date {body[6:14]} is not a real date; check the number",
        )
    if birth < EARLIEST_BIRTH or birth > (today or dt.date.today()):
        return Reason(
            f"出生日期 {birth.isoformat()} 不在合理范围内，请核对证件号码",
            f"birth date {birth.isoformat()} is out of range; check the number",
        )
    expected = check_char(body)
    if last.upper() != expected:
        return Reason(
            f"校验位错误，应为 {expected}，请核对证件号码",
            f"wrong check digit, expected {expected}; check the number",
        )
    return None


def is_valid_resident_id(number: str, *, today: dt.date | None = None) -> bool:
    return check_resident_id(number, today=today) is None


def make_id_number(area: str, birth_date: dt.date, seq: int) -> str:
    """A valid resident ID number: 6-digit area code, birth date, 3-digit sequence, check char.

    The sequence is odd for men and even for women, as on real cards.
    """
    if len(area) != 6 or not area.isascii() or not area.isdigit():
        raise ValueError(f"area code must be 6 digits, got {area!r}")
    if area[:2] not in PROVINCE_CODES:
        raise ValueError(f"area code {area} is in no province")
    if not 0 <= seq <= 999:
        raise ValueError(f"sequence must be 0–999, got {seq}")
    body = f"{area}{birth_date:%Y%m%d}{seq:03d}"
    return body + check_char(body)


def birth_date_of(number: str) -> dt.date | None:
    """The birth date written in an 18-character resident ID number, if it is a real date."""
    return _birth_date(number[6:14]) if len(number) == LENGTH else None


def mask_id_number(number: str) -> str:
    """Hide the middle of an ID number for copies handed to the person or posted.

    Resident IDs keep the area code and the last four (``110101********4518``); shorter
    documents keep a third at each end so that no more than a third shows on either side, and
    one of four characters or fewer is masked whole.
    """
    number = number.strip()
    length = len(number)
    if length <= 4:
        return "*" * length
    head = min(6, length // 3)
    tail = min(4, length // 3)
    return number[:head] + "*" * (length - head - tail) + number[length - tail :]


def _birth_date(text: str) -> dt.date | None:
    try:
        return dt.date(int(text[:4]), int(text[4:6]), int(text[6:8]))
    except ValueError:
        return None
