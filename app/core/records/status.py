"""Where an incident record stands in its workflow: one name for each stored status.

A ``StrEnum``, so a member is the very string stored in ``incident.status`` and written to
bundles and JSON output (``RecordStatus.CONFIRMED == "confirmed"``, and it prints as
``confirmed``): nothing stored or printed changes. The column stays a plain ``str``: a status
read back from a database file or a bundle is not trusted to be one of these, and ``verify``
and import name the ones that are not.
"""

from __future__ import annotations

from enum import StrEnum


class RecordStatus(StrEnum):
    """A record's status, in workflow order."""

    DRAFT = "draft"  # being written and signed
    SIGNED = "signed"  # the staff signatures it needs are in; waiting to be confirmed
    CONFIRMED = "confirmed"  # confirmed and sealed
    EXPORTED = "exported"  # confirmed, then marked by a bundle export
    VOID = "void"  # voided, with its reason


# Content, evidence and signatures can still change; after this the record is amended instead.
EDITABLE = (RecordStatus.DRAFT, RecordStatus.SIGNED)
# Confirmed: the record carries a seal (an export changes nothing the seal covers).
SEALED = (RecordStatus.CONFIRMED, RecordStatus.EXPORTED)

_VALUES = frozenset(status.value for status in RecordStatus)


def is_record_status(value: object) -> bool:
    """Whether ``value``, read from a database file or a bundle, is one of the statuses."""
    return isinstance(value, str) and value in _VALUES
