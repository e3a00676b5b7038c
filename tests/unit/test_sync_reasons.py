"""Each rejected bundle says why in one word (``Outcome.reason``), which the app renders in the
person's language: damaged, not a bundle, wrong key or institution, revoked, unaccepted,
conflict (``test_sync.py``), a certificate not from this institution."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.core.demo.seed import seed_demo
from app.core.records.service import Workspace
from app.core.sync.export import export_bundle
from app.core.sync.importing import import_bundles
from app.core.trust.device_trust import DeviceTrustError
from app.core.trust.institution import init_institution
from tests.support.sync import make_institution, make_laptop, record_incident, revoke_device


def test_reasons(tmp_path: Path, institution_db: str | None) -> None:
    inst = make_institution(tmp_path, institution_db)
    laptop = make_laptop(tmp_path, "laptop", "A", inst.kit)
    try:
        record_incident(laptop, inst.session_id, 0)
        good = tmp_path / "good.pdbundle"
        export_bundle(laptop, inst.session_id, good)
        cut = tmp_path / "cut.pdbundle"
        cut.write_bytes(good.read_bytes()[:-100])
        text = tmp_path / "notes.pdbundle"
        text.write_text("考场记录", encoding="utf-8")
        missing = tmp_path / "missing.pdbundle"
        other = init_institution(tmp_path / "other", "另一机构", "other-pass-1")
        outcomes = import_bundles(inst.ws, other, [good, cut, text, missing])
        assert [o.reason for o in outcomes] == [
            "wrong_key",
            "damaged",
            "not_a_bundle",
            "unreadable",
        ]
        (ok,) = import_bundles(inst.ws, inst.identity, [good])
        assert ok.status == "imported" and ok.reason is None

        plain = Workspace.open(tmp_path / "no-kit")
        session_id = seed_demo(plain, candidates=4, incidents=1).session_id
        unkitted = tmp_path / "plain.pdbundle"
        export_bundle(plain, session_id, unkitted)
        (outcome,) = import_bundles(inst.ws, inst.identity, [unkitted])
        assert outcome.reason == "unaccepted_device"
        assert outcome.device_fingerprint == plain.device.fingerprint
        revoke_device(inst.ws, plain.device.public_bytes.hex(), "laptop lost")
        (outcome,) = import_bundles(
            inst.ws, inst.identity, [unkitted], trust=[plain.device.fingerprint]
        )
        assert outcome.reason == "revoked_device"
        plain.close()
        # A site kit is no records bundle; a bundle certified by another institution's root
        # is refused for its certificate.
        other_ws = Workspace.open(tmp_path / "other-ws")
        from app.core.kits.kit_export import export_kit

        other_session = seed_demo(other_ws, candidates=4, incidents=0).session_id
        kit = tmp_path / "other.kit"
        export_kit(other_ws, other, other_session, kit, "site-pass-123")
        (as_bundle,) = import_bundles(inst.ws, inst.identity, [inst.kit])
        assert as_bundle.reason == "site_kit"
        foreign_laptop = make_laptop(tmp_path, "foreign", "F", kit)
        record_incident(foreign_laptop, other_session, 0)
        foreign = tmp_path / "foreign.pdbundle"
        export_bundle(foreign_laptop, other_session, foreign)
        foreign_laptop.close()
        other_ws.close()
        (outcome,) = import_bundles(inst.ws, inst.identity, [foreign])
        assert outcome.reason == "wrong_key"  # encrypted to the other institution
        with pytest.raises(DeviceTrustError, match="whole fingerprint"):
            import_bundles(inst.ws, inst.identity, [unkitted], trust=["abcd1234"])
    finally:
        laptop.close()
        inst.ws.close()
