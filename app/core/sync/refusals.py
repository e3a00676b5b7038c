"""Why a bundle is refused: the reasons in a word, what a person can do about each, and the
refusal itself, shared by the checks made while a bundle is read (``checking``), the checks of
each record on its own (``record_checks``, which may run in the helper process) and the
import (``importing``)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from app.core.errors import UserError
from app.core.sync.row_checks import RowError
from app.core.value_limits import LimitViolation

# Why a bundle is refused, in a word the app can say in the person's language (the message
# itself gives the details).
DAMAGED, NOT_A_BUNDLE, WRONG_KEY, UNREADABLE, BAD_SIGNATURE = (
    "damaged",
    "not_a_bundle",
    "wrong_key",
    "unreadable",
    "bad_signature",
)
REVOKED_DEVICE, UNACCEPTED_DEVICE, CONFLICT, MALFORMED = (
    "revoked_device",
    "unaccepted_device",
    "conflict",
    "malformed",
)
WRONG_INSTITUTION, BAD_CERTIFICATE, SITE_KIT = "wrong_institution", "bad_certificate", "site_kit"
# Checked and merged, but the database could not commit the import (a full disk, a lost server).
NOT_SAVED = "not_saved"
# Every reason, for those that say them in other words (the app's import dialog).
REASONS = (
    DAMAGED,
    NOT_A_BUNDLE,
    WRONG_KEY,
    UNREADABLE,
    BAD_SIGNATURE,
    REVOKED_DEVICE,
    UNACCEPTED_DEVICE,
    CONFLICT,
    MALFORMED,
    WRONG_INSTITUTION,
    BAD_CERTIFICATE,
    SITE_KIT,
    NOT_SAVED,
)
# What a person can do about each reason (the message says what was found).
ADVICE = {
    DAMAGED: "Copy the file from the laptop again, or export the bundle again there.",
    NOT_A_BUNDLE: "Choose a sync bundle exported with 'bundle export' (a .pdbundle file).",
    WRONG_KEY: "Import it at the institution whose site kit the laptop used.",
    UNREADABLE: "Check that the file is there and readable, then import it again.",
    BAD_SIGNATURE: "Do not import it: ask the site for a new export and its receipt.",
    REVOKED_DEVICE: "Do not import it: the laptop was revoked; ask the site head why it sent it.",
    UNACCEPTED_DEVICE: (
        "Check the device fingerprint with the site head, then import with --trust FINGERPRINT."
    ),
    CONFLICT: (
        "Do not import it as it is: compare the conflicting records with the site's paper "
        "log and the laptop."
    ),
    MALFORMED: (
        "Do not import it: the file was not written by this app as it is; ask the site for "
        "a new export and compare the receipt in the paper log."
    ),
    WRONG_INSTITUTION: "Send it to the institution it names.",
    BAD_CERTIFICATE: (
        "Do not import it: the laptop is not certified for this session and device; ask the "
        "site to import this session's kit with the site passphrase and export again."
    ),
    SITE_KIT: "Open it on the site laptop with 'kit import'.",
    NOT_SAVED: (
        "Free space on the disk or check the database server (see the log file), then import "
        "it again."
    ),
}


class ImportRejected(UserError):
    """A bundle that is refused as a whole; nothing of it was written. ``bundle_id`` and
    ``fingerprint`` name it once its signed manifest was read (``check_file`` sets them);
    ``reason`` says why in one word (the constants above)."""

    bundle_id: str | None = None
    fingerprint: str | None = None

    def __init__(self, message: str, reason: str = MALFORMED) -> None:
        super().__init__(message)
        self.reason = reason


@contextmanager
def malformed_records() -> Iterator[None]:
    try:
        yield
    except RowError as exc:
        raise ImportRejected(f"a record is malformed: {exc}") from None
    except LimitViolation as exc:
        raise ImportRejected(str(exc)) from None
    except KeyError as exc:
        # Records that are valid JSON but not of the shape the format gives; the message
        # names what is missing, never Python's own words for it.
        key = exc.args[0] if exc.args and isinstance(exc.args[0], str | int) else None
        missing = (
            f"the field {str(key)[:40]!r} is missing" if key is not None else "a field is missing"
        )
        raise ImportRejected(f"a record is not of the form the format gives: {missing}") from None
    except (TypeError, ValueError, AttributeError, RecursionError):
        raise ImportRejected(
            "a record is not of the form the format gives: a value of the wrong kind where "
            "an object, a list or a text is expected"
        ) from None
