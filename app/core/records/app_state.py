"""What the desktop app keeps beside the records: device settings, unlocking, clock checks.

Settings (device name, idle-lock minutes, language, the current session, how many rolling
backups of the database to keep) live in a small JSON file in the data folder, written
atomically. They are read before the window first shows, so this module imports nothing heavy
at the top: SQLModel is loaded only by the functions that touch the database.

Who may operate the laptop (the unlock rule), documented here because the UI only asks:

* a staff member of the session with a PIN unlocks with their own PIN;
* a staff member without a PIN is unlocked by a site head of the session entering the site
  head's PIN for them (the site head vouches for who is at the keyboard);
* when no site head of the session has a PIN yet, the site head sets one first
  (``set_staff_pin``, audited) — until then nobody without a PIN can unlock.

Unlocks, PINs set and clock checks go into the audit chain with the actor, so a later review
sees who operated the laptop when, and which clock the records' times rest on.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

from app.core.durable import replace_durably
from app.core.errors import UserError

if TYPE_CHECKING:
    from app.core.records.service import Workspace
    from app.core.records.tables import Staff

SETTINGS_FILE = "settings.json"
IDLE_MINUTES_RANGE = (1, 240)
BACKUPS_KEPT_RANGE = (1, 100)
LANGUAGES = ("zh_CN", "en", "pseudo")
SITE_HEAD = "site_head"
PIN_PATTERN = re.compile(r"^[0-9]{4,8}$")
DEVICE_NAME_MAX = 40


class SettingsError(UserError):
    """A setting out of range, or a settings file that cannot be written."""


class UnlockError(UserError):
    """A refused unlock: wrong PIN, nobody to vouch, or not staff of this session.

    ``code`` names the case so the UI can say it in the reader's language.
    """

    def __init__(self, message: str, code: str) -> None:
        super().__init__(message)
        self.code = code


# Named tuples rather than dataclasses: the settings are read before the first window shows,
# and importing ``dataclasses`` (it brings ``inspect`` and ``ast``) costs start-up time.
class AppSettings(NamedTuple):
    """This laptop's app settings; ``device_name`` empty means the first-run setup is due."""

    device_name: str = ""
    idle_lock_minutes: int = 5
    language: str = "zh_CN"
    current_session: str | None = None
    backups_kept: int = 10  # rolling copies of the database in backups/ (records.backups)
    # The outcome panel's English rendering of the explanation, also in the Chinese interface.
    english_explanation: bool = False
    # While a subject is being sat the proctors watch the room, not the laptop: a longer idle
    # lock then (never shorter than ``idle_lock_minutes``).
    exam_idle_lock_minutes: int = 30
    # Who unlocked last (a staff id): the lock screen preselects them.
    last_operator: str | None = None

    @property
    def set_up(self) -> bool:
        return bool(self.device_name.strip())

    def with_changes(self, **changes: Any) -> AppSettings:
        updated = self._replace(**changes)
        updated.check()
        return updated

    def check(self) -> None:
        low, high = IDLE_MINUTES_RANGE
        if not low <= self.idle_lock_minutes <= high:
            raise SettingsError(
                f"idle lock: {self.idle_lock_minutes} minutes; give {low} to {high} minutes"
            )
        if not low <= self.exam_idle_lock_minutes <= high:
            raise SettingsError(
                f"idle lock during a subject: {self.exam_idle_lock_minutes} minutes; "
                f"give {low} to {high} minutes"
            )
        if self.language not in LANGUAGES:
            raise SettingsError(f"language: '{self.language}'; use one of {', '.join(LANGUAGES)}")
        low, high = BACKUPS_KEPT_RANGE
        if not low <= self.backups_kept <= high:
            raise SettingsError(f"backups kept: {self.backups_kept}; give {low} to {high}")
        if len(self.device_name) > DEVICE_NAME_MAX:
            raise SettingsError(f"device name: at most {DEVICE_NAME_MAX} characters")


def idle_minutes_at(settings: AppSettings, subjects: list[dict[str, Any]], now: dt.datetime) -> int:
    """The idle lock for ``now``: the longer one while one of ``subjects`` (as
    ``sessions.session_detail`` gives them, UTC text) is being sat, else the usual one."""
    from app.core.records.tables import from_utc_text

    for subject in subjects:
        try:
            starts, ends = from_utc_text(subject["starts_at"]), from_utc_text(subject["ends_at"])
        except (KeyError, TypeError, ValueError):
            continue
        if starts <= now <= ends:
            return max(settings.idle_lock_minutes, settings.exam_idle_lock_minutes)
    return settings.idle_lock_minutes


def settings_path(data_dir: Path) -> Path:
    return data_dir / SETTINGS_FILE


def load_settings(data_dir: Path) -> AppSettings:
    """The saved settings; defaults for a missing file or for values that are unusable.

    An unreadable file is not fatal: the app must still open on exam day. Unknown keys are
    ignored so an older app reads a newer file.
    """
    path = settings_path(data_dir)
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return AppSettings()
    if not isinstance(raw, dict):
        return AppSettings()
    defaults = AppSettings()
    values: dict[str, Any] = {}
    for name, default in defaults._asdict().items():
        value = raw.get(name, default)
        if name in ("current_session", "last_operator"):
            if value is None or isinstance(value, str):
                values[name] = value
        elif isinstance(default, bool):
            if isinstance(value, bool):
                values[name] = value
        elif isinstance(value, type(default)) and not isinstance(value, bool):
            values[name] = value
    settings = defaults._replace(**values)
    try:
        settings.check()
    except SettingsError:
        return settings._replace(
            idle_lock_minutes=defaults.idle_lock_minutes
            if not IDLE_MINUTES_RANGE[0] <= settings.idle_lock_minutes <= IDLE_MINUTES_RANGE[1]
            else settings.idle_lock_minutes,
            exam_idle_lock_minutes=settings.exam_idle_lock_minutes
            if IDLE_MINUTES_RANGE[0] <= settings.exam_idle_lock_minutes <= IDLE_MINUTES_RANGE[1]
            else defaults.exam_idle_lock_minutes,
            language=settings.language if settings.language in LANGUAGES else defaults.language,
            device_name=settings.device_name[:DEVICE_NAME_MAX],
            backups_kept=settings.backups_kept
            if BACKUPS_KEPT_RANGE[0] <= settings.backups_kept <= BACKUPS_KEPT_RANGE[1]
            else defaults.backups_kept,
        )
    return settings


def save_settings(data_dir: Path, settings: AppSettings) -> None:
    """Write the settings atomically (temporary file, fsync, rename)."""
    settings.check()
    path = settings_path(data_dir)
    tmp = path.with_name(path.name + ".tmp")
    text = json.dumps(settings._asdict(), ensure_ascii=False, indent=2)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with tmp.open("w", encoding="utf-8") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        replace_durably(tmp, path)
    except OSError as exc:
        raise SettingsError(f"settings: cannot write {path}: {exc.strerror or exc}") from exc


# -- unlocking ---------------------------------------------------------------------------------


def _staff_member(workspace: Workspace, session_id: str, staff_id: str) -> Staff:
    for person in workspace.staff(session_id):
        if person.id == staff_id:
            return person
    raise UnlockError("unlock: choose a staff member of this session", "not_staff")


def _pin_ok(staff: Staff, pin: str) -> bool:
    from app.core.records.people import pin_matches

    return pin_matches(staff.pin_hash, pin)


def _refuse_if_altered(workspace: Workspace, staff: Staff) -> None:
    from app.core.records import staff_seal

    with workspace.reading() as db:
        staff_seal.refuse_if_altered(db, staff, workspace.device.public_bytes)


def site_heads_with_pin(workspace: Workspace, session_id: str) -> list[Staff]:
    return [
        s for s in workspace.staff(session_id) if s.role == SITE_HEAD and s.pin_hash is not None
    ]


def unlock(
    workspace: Workspace,
    session_id: str,
    staff_id: str,
    pin: str,
    *,
    device_name: str = "",
) -> Staff:
    """Check ``pin`` for ``staff_id`` under the unlock rule; audit and return the operator.

    For staff without a PIN, ``pin`` is a site head's PIN (any site head of the session).
    """
    from app.core.records import pin_guard

    staff = _staff_member(workspace, session_id, staff_id)
    _refuse_if_altered(workspace, staff)
    try:  # five wrong PINs in a row lock the person out, here and in the signing dialogs
        pin_guard.refuse_if_locked(workspace, staff.id)
    except pin_guard.PinLockedError as exc:
        raise UnlockError(str(exc), "locked") from None
    vouched_by: str | None = None
    if staff.pin_hash is not None:
        if not _pin_ok(staff, pin):
            pin_guard.record_failure(workspace, staff.id, "unlock")
            raise UnlockError(f"PIN: wrong PIN for {staff.name}; try again", "wrong_pin")
    else:
        heads = site_heads_with_pin(workspace, session_id)
        if not heads:
            raise UnlockError(
                f"unlock: {staff.name} has no PIN and no site head has set one; "
                "the site head sets a PIN first",
                "no_head_pin",
            )
        for candidate in heads:
            _refuse_if_altered(workspace, candidate)
        head = next((h for h in heads if _pin_ok(h, pin)), None)
        if head is None:
            pin_guard.record_failure(workspace, staff.id, "unlock")
            raise UnlockError(
                f"PIN: {staff.name} has no PIN of their own; a site head's PIN is needed, "
                "and this one is wrong",
                "wrong_head_pin",
            )
        vouched_by = head.id
    _audit(
        workspace,
        "unlock",
        session_id,
        staff.id,
        {"device_name": device_name, "vouched_by": vouched_by},
    )
    return staff


def set_staff_pin(
    workspace: Workspace, session_id: str, staff_id: str, pin: str, *, actor_id: str | None
) -> None:
    """Give a staff member a PIN (4–8 digits), stored only as an argon2 hash; audited.

    A PIN already set is not replaced here: that would let anyone at the laptop take over
    another person's signature.
    """
    from sqlmodel import Session

    from app.core.records.people import hash_pin
    from app.core.records.tables import Staff

    if not PIN_PATTERN.match(pin):
        raise UnlockError("PIN: use 4 to 8 digits", "pin_format")
    with Session(workspace.engine, expire_on_commit=False) as db:
        staff = db.get(Staff, staff_id)
        if staff is None or staff.session_id != session_id:
            raise UnlockError("PIN: choose a staff member of this session", "not_staff")
        if staff.pin_hash is not None:
            raise UnlockError(f"PIN: {staff.name} already has a PIN", "pin_exists")
        staff.pin_hash = hash_pin(pin)
        db.add(staff)
        _append(db, workspace, "pin_set", session_id, actor_id, {"staff_id": staff_id})
        from app.core.records import staff_seal

        staff_seal.record(db, workspace.device, session_id, actor_id)
        db.commit()


def give_staff_pin(
    workspace: Workspace,
    session_id: str,
    head_id: str,
    head_pin: str,
    staff_id: str,
    pin: str,
) -> Staff:
    """A site head gives a staff member without a PIN their first one; returns the new row.

    The site head's own PIN is checked (and counts towards their lockout) so that only the site
    head, in front of the laptop, can let a person sign: a staff member without a PIN cannot
    sign at all. The new PIN is typed by the person it is for.
    """
    from app.core.records import pin_guard
    from app.core.records.people import PinError, check_pin

    head = _staff_member(workspace, session_id, head_id)
    if head.role != SITE_HEAD:
        raise UnlockError(
            f"PIN: {head.name} is not a site head; the site head gives PINs", "not_site_head"
        )
    if head.pin_hash is None:
        raise UnlockError(
            f"PIN: {head.name} has no PIN yet; the site head sets one first", "no_head_pin"
        )
    try:
        pin_guard.refuse_if_locked(workspace, head.id)
    except pin_guard.PinLockedError as exc:
        raise UnlockError(str(exc), "locked") from None
    _refuse_if_altered(workspace, head)
    try:
        check_pin(head, head_pin or None)
    except PinError as exc:
        if exc.reason == "wrong":
            pin_guard.record_failure(workspace, head.id, "give_pin")
        raise UnlockError(str(exc), "wrong_head_pin") from None
    set_staff_pin(workspace, session_id, staff_id, pin, actor_id=head.id)
    return _staff_member(workspace, session_id, staff_id)


# -- clock checks -------------------------------------------------------------------------------


class ClockCheck(NamedTuple):
    """The site head's check of the laptop clock at the start of a session."""

    session_id: str
    staff_id: str
    laptop_time: dt.datetime
    confirmed_time: dt.datetime

    @property
    def offset_seconds(self) -> int:
        """Seconds to add to the laptop clock to get the confirmed time (0 when confirmed)."""
        return round((self.confirmed_time - self.laptop_time).total_seconds())


def record_clock_check(
    workspace: Workspace,
    session_id: str,
    staff_id: str,
    pin: str,
    laptop_time: dt.datetime,
    confirmed_time: dt.datetime | None = None,
) -> ClockCheck:
    """Record that a site head confirmed the laptop clock (``confirmed_time`` None) or
    corrected it; the PIN is checked where the site head has one."""
    from app.core.records.people import check_pin

    staff = _staff_member(workspace, session_id, staff_id)
    if staff.role != SITE_HEAD:
        raise UnlockError(
            f"clock: {staff.name} is not a site head; the site head confirms", "not_site_head"
        )
    if laptop_time.tzinfo is None or (confirmed_time and confirmed_time.tzinfo is None):
        raise UnlockError("clock: give times with their time zone", "naive_time")
    from app.core.records import pin_guard

    try:
        pin_guard.refuse_if_locked(workspace, staff.id)
    except pin_guard.PinLockedError as exc:
        raise UnlockError(str(exc), "locked") from None
    _refuse_if_altered(workspace, staff)
    try:
        check_pin(staff, pin or None)
    except UserError as exc:
        if getattr(exc, "reason", None) == "wrong":
            pin_guard.record_failure(workspace, staff.id, "clock_check")
        raise UnlockError(str(exc), "wrong_pin") from None
    check = ClockCheck(session_id, staff.id, laptop_time, confirmed_time or laptop_time)
    _audit(
        workspace,
        "clock_check",
        session_id,
        staff.id,
        {
            "laptop_time": laptop_time.astimezone(dt.UTC).isoformat(),
            "confirmed_time": check.confirmed_time.astimezone(dt.UTC).isoformat(),
            "offset_seconds": check.offset_seconds,
            "corrected": confirmed_time is not None,
        },
    )
    return check


def latest_clock_check(workspace: Workspace, session_id: str) -> ClockCheck | None:
    """This device's most recent clock check for the session, or None if there was none."""
    from sqlmodel import Session, col, select

    from app.core.records.tables import AuditEntry

    with Session(workspace.engine) as db:
        entry = db.exec(
            select(AuditEntry)
            .where(
                col(AuditEntry.action) == "clock_check",
                col(AuditEntry.session_id) == session_id,
                col(AuditEntry.device_id) == workspace.device.device_id,
            )
            .order_by(col(AuditEntry.seq).desc())
            .limit(1)
        ).first()
    if entry is None:
        return None
    details = json.loads(entry.details_json)
    return ClockCheck(
        session_id,
        entry.actor_id or "",
        dt.datetime.fromisoformat(details["laptop_time"]),
        dt.datetime.fromisoformat(details["confirmed_time"]),
    )


# -- audit ----------------------------------------------------------------------------------------


def _append(
    db: Any,
    workspace: Workspace,
    action: str,
    session_id: str,
    actor_id: str | None,
    details: dict[str, Any],
) -> None:
    from app.core.records import audit

    audit.append(
        db,
        action=action,
        device=workspace.device,
        session_id=session_id,
        actor_id=actor_id,
        details=details,
    )


def _audit(
    workspace: Workspace,
    action: str,
    session_id: str,
    actor_id: str | None,
    details: dict[str, Any],
) -> None:
    with workspace.transaction() as db:
        _append(db, workspace, action, session_id, actor_id, details)
