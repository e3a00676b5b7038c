"""15.2 (data read beyond scope, privacy leaked, data sold) reaches staff as well as institutions.

Art. 15 ¶2 directs its measures at "造成上述问题的相关机构、人员" and Art. 16 ¶2 has staff handled
under any clause of the guideline, so a staff member who leaks candidates' data is recorded
under 15.2 with its four measures. Art. 15 ¶1 (uploading, 15.1) is the institution's own act
and stays an institution clause. The reading is in the rulebook's notes on 15.2.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from app.core.demo.seed import DEMO_PIN, DemoSession
from app.core.demo.strokes import synthetic_strokes
from app.core.records.content import IncidentDraft
from app.core.records.service import Workspace
from app.core.rulebook.engine import classify
from app.core.rulebook.facts import FactsError
from app.core.rulebook.loader import RulebookValidationError, builtin_dir, load_rulebook
from app.core.rulebook.model import Party, Rulebook
from app.core.rulebook.search import search

BREACH_MEASURES = [
    "read_rights_revoked",
    "read_data_deleted",
    "penalised",
    "transferred_to_authorities",
]


@pytest.fixture(scope="module")
def national() -> Rulebook:
    return load_rulebook("cn-national-2021")


def test_15_2_classifies_for_a_staff_member_with_its_measures(national: Rulebook) -> None:
    outcome = classify(
        national, {"clause": "15.2", "party": "staff", "role": "exam_admin", "date": "2025-05-10"}
    )
    assert outcome.violation and outcome.party is Party.STAFF
    assert outcome.role is not None and outcome.role.value == "exam_admin"
    assert [m.code for m in outcome.measures] == BREACH_MEASURES
    # Handled as Art. 16 ¶2 says for staff, not determined by the regulator as for institutions.
    assert "进行处理" in outcome.explanation and "报备" in outcome.explanation
    # Every role: Art. 15 names none.
    for role in ("assessor", "supervisor", "site_head"):
        assert classify(
            national, {"clause": "15.2", "party": "staff", "role": role, "date": "2025-05-10"}
        ).violation


def test_15_2_still_classifies_for_the_institution(national: Rulebook) -> None:
    outcome = classify(national, {"clause": "15.2", "party": "institution", "date": "2025-05-10"})
    assert outcome.party is Party.INSTITUTION
    assert [m.code for m in outcome.measures] == BREACH_MEASURES
    # Without a party given, the article's own party: what existing records carry.
    assert classify(national, {"clause": "15.2", "date": "2025-05-10"}).party is Party.INSTITUTION


@pytest.mark.parametrize(
    ("clause", "party", "message"),
    [
        ("15.1", "staff", r"clause 15\.1 is a institution clause, not staff"),
        ("15.2", "candidate", r"clause 15\.2 is a institution or staff clause, not candidate"),
    ],
)
def test_the_text_reaches_no_further(
    national: Rulebook, clause: str, party: str, message: str
) -> None:
    facts = {"clause": clause, "party": party, "date": "2025-05-10"}
    if party == "staff":
        facts["role"] = "exam_admin"
    with pytest.raises(FactsError, match=message):
        classify(national, facts)


def test_the_reading_is_in_the_rulebook(national: Rulebook) -> None:
    breach = national.clause("15.2")
    assert breach.also_parties == (Party.STAFF,)
    assert national.parties_of(breach) == (Party.INSTITUTION, Party.STAFF)
    assert national.parties_of(national.clause("15.1")) == (Party.INSTITUTION,)
    assert breach in national.clauses_for(Party.STAFF)
    assert breach in national.clauses_for(Party.INSTITUTION)
    assert national.clause("15.1") not in national.clauses_for(Party.STAFF)
    reading_zh = " ".join(breach.notes_zh)
    assert "解读" in reading_zh and "造成上述问题的相关机构、人员" in reading_zh
    assert "工作人员" in reading_zh and "第十六条" in reading_zh
    assert "staff" in " ".join(breach.notes_en)


def test_search_for_staff_finds_15_2(national: Rulebook) -> None:
    hits = search(national, "监考员把考生身份证号和电话卖给培训机构", Party.STAFF, limit=3)
    assert hits and hits[0].clause_id == "15.2"


def test_a_staff_breach_is_recorded_and_sealed(ws: Workspace, demo: DemoSession) -> None:
    head = demo.staff["site_head"][0]
    culprit = demo.staff["assessor"][0]
    admins = demo.staff["exam_admin"]
    subject = ws.session(demo.session_id)["subjects"][0]
    draft = IncidentDraft(
        party="staff",
        occurred_at=dt.datetime.fromisoformat(subject["starts_at"].replace("Z", "+00:00"))
        + dt.timedelta(minutes=20),
        subject=subject["name"],
        person_id=culprit.id,
        clause="15.2",
        description="考评人员将考生名单及身份证号拍照发给他人",
    )
    incident = ws.create_incident(demo.session_id, draft, actor_id=admins[0].id)
    outcome = ws.incident(incident.id)["content"]["outcome"]
    assert outcome["party"] == "staff" and outcome["role"] == "assessor"
    assert [m["code"] for m in outcome["measures"]] == BREACH_MEASURES
    for signer in admins[:2]:
        ws.sign(incident.id, signer.id, synthetic_strokes("签名"), DEMO_PIN)
    ws.confirm(incident.id, head.id, synthetic_strokes("签名"), DEMO_PIN)
    assert ws.verify().ok


@pytest.mark.parametrize(
    ("replacement", "problem"),
    [
        (
            'also_parties = ["institution"]',
            "clause 15.2: field 'also_parties': institution is the party of article 15 already",
        ),
        ('also_parties = ["bystander"]', "clause 15.2: field 'also_parties': unknown party"),
    ],
)
def test_also_parties_is_checked(tmp_path: Path, replacement: str, problem: str) -> None:
    text = (builtin_dir() / "cn-national-2021.toml").read_text(encoding="utf-8")
    assert text.count('also_parties = ["staff"]') == 1
    (tmp_path / "t.toml").write_text(
        text.replace('also_parties = ["staff"]', replacement), encoding="utf-8"
    )
    with pytest.raises(RulebookValidationError) as info:
        load_rulebook(tmp_path / "t.toml")
    assert any(problem in line for line in info.value.problems), info.value.problems
