"""The search box: a search, and the audit entry a search for an ID number leaves.

Every search whose text could be an ID number is audited with the account that ran it, whether
it finds anyone or not (looking up a neighbour who is in no record is the misuse to see). The
entry holds no clear number, since the audit log travels with the database and its backups:

- ``id_number_masked``: the number as every list shows it (``110101********4518``), for a
  person reading the log;
- ``id_number_tag``: HMAC-SHA256 of the normalised number under a key derived from the
  recording computer's device key (``id_number_tag``). An auditor who asks "who looked up this
  number?" computes the tag on that computer and finds the entries; a thief with only the
  database file cannot, and cannot test guesses (a resident ID number has few enough
  possibilities that a plain hash would be reversed by trying them all);
- ``found``: the people and cases the search returned (type and id), so whose record was seen
  is known without the number.
"""

from __future__ import annotations

import hashlib
import hmac
from typing import TYPE_CHECKING

from cryptography.hazmat.primitives.serialization import Encoding, NoEncryption, PrivateFormat

from app.core.accounts.service import record_action
from app.core.records import audit
from app.core.rosters.idcard import mask_id_number
from app.core.seal.device_keys import DeviceKey
from app.core.search.query import Hit, as_id_number, clean, find, looks_like_id_number

if TYPE_CHECKING:
    from app.core.accounts import Account
    from app.core.records.service import Workspace

AUDIT_ACTION = "search_id_number"
_TAG_CONTEXT = b"proctor-desk id-number search audit v1"


def id_number_tag(device: DeviceKey, number: str) -> str:
    """The keyed tag of an ID number in this computer's audit entries (hex)."""
    raw = device.private_key.private_bytes(Encoding.Raw, PrivateFormat.Raw, NoEncryption())
    key = hashlib.sha256(_TAG_CONTEXT + raw).digest()
    return hmac.new(key, as_id_number(number).encode(), hashlib.sha256).hexdigest()


def search(ws: Workspace, account: Account | None, text: str) -> list[Hit]:
    """What ``text`` finds (``query.find``); a search for what could be an ID number is
    audited with ``account`` (None on a site laptop, where no one signs in)."""
    text = clean(text)
    with ws.reading() as db:
        hits = find(db, text)
    if looks_like_id_number(text):
        number = as_id_number(text)
        details = {
            "id_number_masked": mask_id_number(number),
            "id_number_tag": id_number_tag(ws.device, number),
            "found": [{"type": h.type, "id": h.id} for h in hits if h.type != "incident"],
        }
        if account is not None:
            record_action(ws, account, AUDIT_ACTION, details)
        else:
            with ws.transaction() as db:
                audit.append(db, action=AUDIT_ACTION, device=ws.device, details=details)
    return hits
