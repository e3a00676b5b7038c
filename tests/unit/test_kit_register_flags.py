"""A site kit carries nothing of the register but its own roster's flags: the kit read back
holds a flag (clause, last day) for each rostered candidate barred on the sitting's day and for
no one else, and no ID number, hash or case of any other entry. The laptop keeps the flags with
the session and knows which candidates the kit's roster held; one added on site is not checked,
and the institution screens it when the session's records come in."""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Iterator
from pathlib import Path

import pytest

from app.core.bundles import open_bundle
from app.core.kits.kit_envelope import ENVELOPE_RECORD, open_kit
from app.core.kits.kit_export import export_kit
from app.core.kits.kit_import import import_kit
from app.core.register import service
from app.core.register.kit_flags import Flag, KitRegisterError, parse_kit_register
from app.core.rosters.rows import CandidateRow
from app.core.seal.canonical import canonical_text
from app.core.sync.export import export_bundle
from app.core.sync.importing import IMPORTED, import_bundles
from tests.support.casework import record
from tests.support.register import decide, entries
from tests.support.sync import SITE_PASS, Institution, dump, make_institution, make_laptop

OUTSIDER = ("钱七", "44010619850505123X")  # barred, on no roster of this session


@pytest.fixture
def inst(tmp_path: Path) -> Iterator[Institution]:
    institution = make_institution(tmp_path)
    yield institution
    institution.ws.close()


def _read_back(kit: Path) -> dict[str, object]:
    with open_bundle(kit) as bundle:
        fields = bundle.fields
        content, _p12 = open_kit(
            bundle.record(ENVELOPE_RECORD),
            SITE_PASS,
            str(fields["institution_id"]),
            str(fields["session_id"]),
        )
    return content


def _bans(inst: Institution, monkeypatch: pytest.MonkeyPatch) -> tuple[str, str]:
    """The first rostered candidate barred over the sitting (2024-06-15), the second barred
    only to the end of 2023, and an outsider barred over it too: the barred one's id."""
    roster = inst.ws.candidates(inst.session_id)
    barred, lapsed = roster[0], roster[1]
    decide(
        inst.ws, monkeypatch, (barred.name, barred.id_number), "7.4",
        severity="minor", day="2024-03-10", sat_on="2023-11-01",
    )  # fmt: skip
    decide(
        inst.ws, monkeypatch, (lapsed.name, lapsed.id_number), "6.1",
        severity=None, day="2023-12-01", sat_on="2023-11-01",
    )  # fmt: skip
    decide(
        inst.ws, monkeypatch, OUTSIDER, "7.5", severity="serious", day="2024-03-10",
        sat_on="2023-11-01",
    )  # fmt: skip
    return barred.id, lapsed.id


def test_the_kit_holds_flags_only_for_its_own_barred_candidates(
    inst: Institution, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    barred, _lapsed = _bans(inst, monkeypatch)
    kit = tmp_path / "again.kit"
    export_kit(inst.ws, inst.identity, inst.session_id, kit, SITE_PASS)
    content = _read_back(kit)
    assert content["register"] == {
        "first_day": "2024-06-15",
        "last_day": "2024-06-15",
        "flags": [{"candidate_id": barred, "clause": "7.4", "last_day": "2026-03-10"}],
    }
    text = canonical_text(content)
    rostered = {c.id_number for c in inst.ws.candidates(inst.session_id)}
    others = [e for e in entries(inst.ws) if e.id_number not in rostered]
    assert [e.person_name for e in others] == [OUTSIDER[0]]
    for entry in entries(inst.ws):
        assert entry.case_id not in text  # no case of any entry, the kit's own either
        assert entry.id_number.lower() not in text.lower() or entry.id_number in rostered
        for form in {entry.id_number, entry.id_key, entry.id_number.lower()}:
            assert hashlib.sha256(form.encode()).hexdigest() not in text
    assert OUTSIDER[0] not in text and OUTSIDER[1] not in text


def test_the_laptop_keeps_the_flags_and_the_institution_screens_the_site_added(
    inst: Institution, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    barred, lapsed = _bans(inst, monkeypatch)
    kit = tmp_path / "again.kit"
    export_kit(inst.ws, inst.identity, inst.session_id, kit, SITE_PASS, overwrite=True)
    laptop = make_laptop(tmp_path, "laptop-a", "A", kit)
    flags = service.site_flags(laptop, inst.session_id)
    assert flags.screened and flags.flags == {barred: Flag("7.4", "2026-03-10")}
    assert flags.flag(lapsed) is None and not flags.added_on_site(lapsed)
    # The same kit imported again changes nothing of what the laptop keeps.
    before = [line for line in dump(laptop) if line.startswith("register_")]
    import_kit(laptop, kit, SITE_PASS)
    assert [line for line in dump(laptop) if line.startswith("register_")] == before
    # The outsider comes on site, added to the roster there: not checked offline.
    rooms = laptop.rooms(inst.session_id)
    room = sorted(rooms)[-1]
    on_site = CandidateRow(
        OUTSIDER[0], "resident_id", OUTSIDER[1], "T-ON-SITE", room, rooms[room], None
    )
    laptop.import_candidates(inst.session_id, [on_site])
    added = next(c for c in laptop.candidates(inst.session_id) if c.name == OUTSIDER[0])
    flags = service.site_flags(laptop, inst.session_id)
    assert flags.added_on_site(added.id) and flags.flag(added.id) is None
    # The session's records come in: the institution finds the outsider barred.
    record(laptop, inst.session_id, index=2, clause="5.4")
    bundle = tmp_path / "one.pdbundle"
    export_bundle(laptop, inst.session_id, bundle)
    laptop.close()
    (outcome,) = import_bundles(inst.ws, inst.identity, [bundle])
    # The import itself says so: the one added on site is barred (the rostered one was
    # flagged in the kit before the sitting).
    assert outcome.status == IMPORTED and outcome.barred_on_site == [OUTSIDER[0]]
    assert outcome.counts["barred_added_on_site"] == 1
    assert "BARRED: 1 candidate(s) added on site" in outcome.line()
    found = service.screen_session(inst.ws, None, inst.session_id)
    assert sorted((f["name"], f["clause"], f["added_on_site"]) for f in found) == sorted(
        [
            (inst.ws.candidates(inst.session_id)[0].name, "7.4", False),
            (OUTSIDER[0], "7.5", True),
        ]
    )


def test_a_kit_flag_for_no_candidate_of_its_roster_is_refused() -> None:
    good = {"first_day": "2024-06-15", "last_day": "2024-06-15", "flags": []}
    assert parse_kit_register(good, {"a"})["flags"] == {}
    for flags, message in (
        ([{"candidate_id": "b", "clause": "7.4", "last_day": "2026-03-10"}], "no candidate"),
        ([{"candidate_id": "a", "clause": "7.4", "last_day": "x"}], "not a date"),
        ([{"candidate_id": "a", "clause": "7.4", "last_day": "2026-03-10", "id": "1"}], "fields"),
    ):
        with pytest.raises(KitRegisterError, match=message):
            parse_kit_register({**good, "flags": flags}, {"a"})
    with pytest.raises(KitRegisterError):
        parse_kit_register({**good, "entries": []}, {"a"})
    assert dt.date.fromisoformat(good["first_day"])  # the days are dates
