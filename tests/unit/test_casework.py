"""Casework on both engines: a case per person per session opened at import from a real
bundle, the state machine refusing every step out of order, steps the database will not let
anyone change, the reviewer rule, ban dates from the decision date, a case found after the
evaluation (Art. 8), a staff case's report, an institution's case left to the regulator, and
two admins acting on the same version."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from app.core.accounts import AccountError
from app.core.casework import cases, intake
from app.core.casework.errors import CaseInputError, EditConflict, StepRefused
from app.core.casework.service import CaseDesk
from app.core.demo.seed import DEMO_PIN
from app.core.records.service import Workspace
from app.core.rulebook.model import StaffRole
from tests.support.casework import ANNA, BO, CHEN, FAKE_SHA, READER, amend, record, send
from tests.support.sync import Institution, make_institution, make_laptop


@pytest.fixture
def bundles(tmp_path: Path) -> Path:
    folder = tmp_path / "bundles"
    folder.mkdir()
    return folder


def at(monkeypatch: pytest.MonkeyPatch, day: str) -> None:
    """Casework's clock at noon (Beijing) of ``day``."""
    instant = dt.datetime.fromisoformat(f"{day}T04:00:00+00:00")
    monkeypatch.setattr(cases, "now", lambda: instant)


def only(desk: CaseDesk, party: str) -> dict[str, object]:
    rows = [r for r in desk.list(ANNA) if r["party"] == party]
    assert len(rows) == 1, rows
    return rows[0]


def test_import_opens_one_case_per_person_per_session(
    inst: Institution, laptop: Workspace, bundles: Path
) -> None:
    first = record(laptop, inst.session_id, index=0, clause="6.1")
    second = record(laptop, inst.session_id, index=0, clause="7.4")
    other = record(laptop, inst.session_id, index=1, clause="5.4")
    send(inst, laptop, bundles, "one")
    desk = CaseDesk(inst.ws)
    rows = desk.list(READER)
    assert sorted((r["clauses"], r["status"]) for r in rows) == [
        (["5.4"], "open"),
        (["6.1", "7.4"], "open"),
    ]
    both = next(r for r in rows if r["clauses"] == ["6.1", "7.4"])
    shown = desk.show(READER, str(both["id"]))
    assert shown["records"] == sorted([first, second])
    assert shown["outcome"]["pending"] == ["severity"]  # Art. 7 left open on site
    assert shown["steps"][0]["kind"] == "opened" and shown["steps"][0]["account"] is None
    assert other not in shown["records"]

    # A record voided on site and sent again: the open case holds what is in force.
    head = next(s for s in laptop.staff(inst.session_id) if s.role == StaffRole.SITE_HEAD.value)
    laptop.void(second, head.id, "记录有误", DEMO_PIN)
    send(inst, laptop, bundles, "two")
    shown = desk.show(READER, str(both["id"]))
    assert shown["records"] == [first]
    assert shown["clauses"] == ["6.1"] and shown["outcome"]["pending"] == []
    assert [s["kind"] for s in shown["steps"]] == ["opened", "records_changed"]
    assert len(desk.list(READER)) == 2  # still one case per person


def test_a_case_growing_over_several_imports_holds_every_clause_of_its_records(
    inst: Institution, laptop: Workspace, bundles: Path
) -> None:
    """Records only added (none leaving): the handling is worked out from the clauses the case
    held and the new records' own, the same as from all its records."""
    record(laptop, inst.session_id, index=0, clause="6.1")
    send(inst, laptop, bundles, "one")
    desk = CaseDesk(inst.ws)
    ref = str(only(desk, "candidate")["id"])
    for name, clauses in (("two", ["7.4", "6.1"]), ("three", ["5.4"])):
        for clause in clauses:
            record(laptop, inst.session_id, index=0, clause=clause)
        send(inst, laptop, bundles, name)
    shown = desk.show(READER, ref)
    assert len(shown["records"]) == 4
    assert shown["clauses"] == ["5.4", "6.1", "7.4"]
    assert shown["outcome"]["pending"] == ["severity"]  # Art. 7 left open on site
    assert [s["kind"] for s in shown["steps"]] == ["opened", "records_changed", "records_changed"]
    with inst.ws.reading() as db:
        assert sorted(intake._held_clauses(db, ref)) == ["5.4", "6.1", "7.4"]


def test_an_amended_record_replaces_its_earlier_version_in_the_case(
    inst: Institution, laptop: Workspace, bundles: Path
) -> None:
    first = record(laptop, inst.session_id, index=0, clause="6.1")
    send(inst, laptop, bundles, "one")
    desk = CaseDesk(inst.ws)
    ref = str(only(desk, "candidate")["id"])
    newer = amend(laptop, inst.session_id, first, "6.2")
    send(inst, laptop, bundles, "two")
    shown = desk.show(READER, ref)
    assert shown["records"] == [newer] and shown["clauses"] == ["6.2"]
    assert shown["steps"][-1]["details"]["removed"] == [first]
    assert len(desk.list(READER)) == 1


def test_records_imported_before_casework_join_the_persons_first_case(
    inst: Institution, laptop: Workspace, bundles: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import app.core.casework.service as service

    earlier = record(laptop, inst.session_id, index=0, clause="6.1")
    with monkeypatch.context() as before_casework:
        before_casework.setattr(service, "open_cases_for_import", lambda *_a, **_k: [])
        send(inst, laptop, bundles, "one")
    assert CaseDesk(inst.ws).list(READER) == []
    later = record(laptop, inst.session_id, index=0, clause="5.4")
    send(inst, laptop, bundles, "two")
    case = only(CaseDesk(inst.ws), "candidate")
    assert CaseDesk(inst.ws).show(READER, str(case["id"]))["records"] == sorted([earlier, later])


def test_people_are_read_from_the_records_where_the_roster_cannot_tell(
    inst: Institution, laptop: Workspace, bundles: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from app.core.casework import intake

    record(laptop, inst.session_id, index=0, clause="6.1")
    record(laptop, inst.session_id, index=1, clause="6.1")
    record(laptop, inst.session_id, party="staff", role=StaffRole.ASSESSOR, clause="10.1")
    record(laptop, inst.session_id, party="institution", clause="12.1")
    by_roster = intake._roster
    monkeypatch.setattr(intake, "_roster", lambda _db, _session: {})  # as if names collided
    send(inst, laptop, bundles, "one")
    from_content = sorted(
        (r["party"], r["person"]["name"], r["person"]["id_number_masked"])  # type: ignore[index]
        for r in CaseDesk(inst.ws).list(READER)
    )
    assert len(from_content) == 4
    with inst.ws.reading() as db:
        roster = by_roster(db, inst.session_id)
    names = {p.name for people in roster.values() for p in people}
    assert {name for _party, name, _masked in from_content} <= names


def test_records_changed_after_determination_leave_the_handling_alone(
    inst: Institution, laptop: Workspace, bundles: Path
) -> None:
    keep = record(laptop, inst.session_id, index=0, clause="6.1")
    gone = record(laptop, inst.session_id, index=0, clause="7.4")
    send(inst, laptop, bundles, "one")
    desk = CaseDesk(inst.ws)
    case = only(desk, "candidate")
    determined = desk.determine(ANNA, str(case["id"]), 1, severity="serious")
    head = next(s for s in laptop.staff(inst.session_id) if s.role == StaffRole.SITE_HEAD.value)
    laptop.void(gone, head.id, "记录有误", DEMO_PIN)
    send(inst, laptop, bundles, "two")
    shown = desk.show(READER, str(case["id"]))
    assert shown["records"] == [keep]
    assert shown["status"] == "determined"
    assert shown["outcome"] == determined["outcome"]  # not silently changed
    assert shown["steps"][-1]["kind"] == "records_changed"
    assert any("records changed after the case was determined" in n for n in shown["notes"])


def test_every_step_out_of_order_is_refused(
    inst: Institution, laptop: Workspace, bundles: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    record(laptop, inst.session_id, index=0, clause="7.4")
    send(inst, laptop, bundles, "one")
    at(monkeypatch, "2026-03-10")
    desk = CaseDesk(inst.ws)
    ref = str(only(desk, "candidate")["id"])
    day = dt.date(2026, 3, 10)
    tries = {
        "notice": lambda v: desk.notice(ANNA, ref, v, document_sha256=FAKE_SHA),
        "respond": lambda v: desk.respond(ANNA, ref, v, text="不服"),
        "decide": lambda v: desk.decide(ANNA, ref, v, decision_date=day, document_sha256=FAKE_SHA),
        "deliver": lambda v: desk.deliver(
            ANNA, ref, v, document="decision", method="post", date=day
        ),
        "object": lambda v: desk.object_to(ANNA, ref, v, text="不服"),
        "review": lambda v: desk.review(BO, ref, v, outcome="upheld", document_sha256=FAKE_SHA),
        "refer": lambda v: desk.refer(ANNA, ref, v, to="公安机关", date=day),
        "report": lambda v: desk.report(ANNA, ref, v, to="人社局", date=day),
        "determine": lambda v: desk.determine(ANNA, ref, v, severity="minor"),
        "close": lambda v: desk.close(ANNA, ref, v),
    }
    allowed = {
        "open": {"determine", "other_authority"},
        "determined": {"determine", "notice", "refer"},
        "noticed": {"respond", "decide", "deliver", "refer"},
        "decided": {"deliver", "object", "refer"},
        "delivered": {"deliver", "object", "refer", "close"},
        "under_review": {"deliver", "review", "refer"},
    }

    # Close may come in these statuses, but not for a case like this one.
    special = {
        ("open", "close"): "it is open with records in force: determine it first",
        ("determined", "close"): r"a violation is determined: notice \(Art. 17 ¶1\) comes next",
    }

    def refused_except(status: str) -> None:
        version = desk.show(READER, ref)["version"]
        for name, attempt in tries.items():
            if name in allowed[status] or name == "report":
                continue
            expected = special.get((status, name), f"is {status}: .* cannot come now; what may")
            with pytest.raises(StepRefused, match=expected):
                attempt(version)
        # A candidate's case is never reported to the regulator (Art. 16 ¶2).
        with pytest.raises(StepRefused, match="only a staff case"):
            tries["report"](version)
        assert desk.show(READER, ref)["version"] == version  # refusals change nothing

    refused_except("open")
    desk.determine(ANNA, ref, 1, severity="minor")
    refused_except("determined")
    desk.notice(ANNA, ref, 2, document_sha256=FAKE_SHA)
    refused_except("noticed")
    desk.decide(ANNA, ref, 3, decision_date=day, document_sha256=FAKE_SHA)
    refused_except("decided")
    desk.deliver(ANNA, ref, 4, document="decision", method="post", date=day)
    refused_except("delivered")
    desk.object_to(ANNA, ref, 5, text="本人不服")
    refused_except("under_review")
    case = desk.review(BO, ref, 6, outcome="upheld", document_sha256=FAKE_SHA)
    assert case["status"] == "reviewed"
    closed = desk.close(BO, ref, 7)
    assert closed["status"] == "closed" and closed["next"] == []
    for attempt in tries.values():
        with pytest.raises(StepRefused, match=r"closed|only a staff case"):
            attempt(8)
    report = inst.ws.verify()  # the steps' audit entries keep the chain whole
    assert report.ok, report.problems
    kinds = [s["kind"] for s in closed["steps"]]
    assert kinds == [
        "opened", "determine", "notice", "decide", "deliver", "object", "review", "close"
    ]  # fmt: skip
    assert all(s["account"] for s in closed["steps"][1:]) and all(
        s["at"].endswith("Z") for s in closed["steps"]
    )


def test_steps_cannot_be_changed_or_removed_in_the_database(
    inst: Institution, laptop: Workspace, bundles: Path
) -> None:
    record(laptop, inst.session_id, index=0)
    send(inst, laptop, bundles, "one")
    for statement in (
        "UPDATE casework_step SET account = 'mallory'",
        "DELETE FROM casework_step",
    ):
        with (
            pytest.raises(DBAPIError, match="casework_step is append-only"),
            inst.ws.engine.begin() as connection,
        ):
            connection.execute(text(statement))
    with inst.ws.engine.connect() as connection:
        assert connection.execute(text("SELECT account FROM casework_step")).all() == [(None,)]


def test_the_review_is_by_an_admin_who_took_no_part(
    inst: Institution, laptop: Workspace, bundles: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    record(laptop, inst.session_id, index=0, clause="6.1")
    send(inst, laptop, bundles, "one")
    at(monkeypatch, "2026-03-10")
    desk = CaseDesk(inst.ws)
    ref = str(only(desk, "candidate")["id"])
    with pytest.raises(AccountError, match="needs an admin"):
        desk.determine(READER, ref, 1)
    desk.determine(ANNA, ref, 1)
    desk.notice(BO, ref, 2, document_sha256=FAKE_SHA)
    desk.decide(ANNA, ref, 3, decision_date=dt.date(2026, 3, 10), document_sha256=FAKE_SHA)
    desk.object_to(CHEN, ref, 4, text="本人不服")
    for took_part in (ANNA, BO):
        with pytest.raises(StepRefused, match=f"'{took_part.name}' took part in it"):
            desk.review(took_part, ref, 5, outcome="upheld", document_sha256=FAKE_SHA)
    with pytest.raises(AccountError, match="needs an admin"):
        desk.review(READER, ref, 5, outcome="upheld", document_sha256=FAKE_SHA)
    reviewed = desk.review(CHEN, ref, 5, outcome="annulled", document_sha256=FAKE_SHA)
    assert reviewed["review"]["outcome"] == "annulled"
    assert reviewed["decision"]["handling"]["violation"] is True  # the first stays beside it
    assert [d["kind"] for d in reviewed["documents"]] == [
        "notice", "decision", "objection", "review"
    ]  # fmt: skip


def test_ban_dates_run_from_the_decision_date(
    inst: Institution, laptop: Workspace, bundles: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    record(laptop, inst.session_id, index=0, clause="7.4")
    record(laptop, inst.session_id, index=1, clause="6.1")
    send(inst, laptop, bundles, "one")
    at(monkeypatch, "2028-02-29")
    desk = CaseDesk(inst.ws)
    rows = desk.list(ANNA)
    art7 = str(next(r["id"] for r in rows if r["clauses"] == ["7.4"]))
    art6 = str(next(r["id"] for r in rows if r["clauses"] == ["6.1"]))
    with pytest.raises(StepRefused, match="still open: severity; give --severity"):
        desk.determine(ANNA, art7, 1)
    with pytest.raises(StepRefused, match="no record of this case leaves severity"):
        desk.determine(ANNA, art6, 1, severity="minor")
    desk.determine(ANNA, art7, 1, severity="minor")
    desk.notice(ANNA, art7, 2, document_sha256=FAKE_SHA)
    # A two-year ban decided on 29 February ends on 28 February (Civil Code Art. 201–202).
    data = desk.decision_data(ANNA, art7, dt.date(2028, 2, 29))
    assert data["ban"] == {
        "first_day": "2028-03-01",
        "last_day": "2030-02-28",
        "years": 2,
        "elapsed": False,
    }
    assert data["basis"][0]["clause"] == "7.4"
    assert data["basis"][0]["text_zh"] == "由他人冒名顶替参加评价或替他人参加评价的；"
    decided = desk.decide(
        ANNA, art7, 3, decision_date=dt.date(2028, 2, 29), document_sha256=FAKE_SHA
    )
    assert decided["decision"]["ban"]["last_day"] == "2030-02-28"
    assert decided["obligations"] == []  # minor: no referral
    # Art. 6 bars for the sitting's year (2024), whenever the decision is made.
    desk.determine(ANNA, art6, 1)
    desk.notice(ANNA, art6, 2, document_sha256=FAKE_SHA)
    late = desk.decision_data(ANNA, art6, dt.date(2028, 2, 29))
    assert late["ban"]["last_day"] == "2024-12-31" and late["ban"]["elapsed"] is True
    with pytest.raises(CaseInputError, match="in the future"):
        desk.decide(ANNA, art6, 3, decision_date=dt.date(2028, 3, 1), document_sha256=FAKE_SHA)


def test_serious_art7_asks_for_a_referral_before_closing(
    inst: Institution, laptop: Workspace, bundles: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    record(laptop, inst.session_id, index=0, clause="7.5")
    send(inst, laptop, bundles, "one")
    at(monkeypatch, "2026-03-10")
    desk = CaseDesk(inst.ws)
    ref = str(only(desk, "candidate")["id"])
    day = dt.date(2026, 3, 10)
    desk.determine(ANNA, ref, 1, severity="serious")
    desk.notice(ANNA, ref, 2, document_sha256=FAKE_SHA)
    case = desk.decide(ANNA, ref, 3, decision_date=day, document_sha256=FAKE_SHA)
    assert case["decision"]["ban"]["last_day"] == "2031-03-10"
    desk.deliver(ANNA, ref, 4, document="decision", method="in_person", date=day)
    with pytest.raises(StepRefused, match=r"still to do: refer to the competent departments"):
        desk.close(ANNA, ref, 5)
    referred = desk.refer(ANNA, ref, 5, to="广州市公安局", date=day)
    assert referred["steps"][-1]["details"]["basis"] == "art7"
    assert desk.close(ANNA, ref, 6)["status"] == "closed"


def test_a_case_found_after_the_evaluation_without_a_record(
    inst: Institution, monkeypatch: pytest.MonkeyPatch
) -> None:
    desk = CaseDesk(inst.ws)
    finding = {
        "person": {"name": "王小明", "id_type": "resident_id", "id_number": "440106199001011234"},
        "clause": "6.2",
        "date": "2024-06-15",
        "discovered_on": "2024-07-20",
        "certificate_issued": True,
        "description": "阅卷时发现答卷与他人雷同，经核查系抄袭。",
        "confirmed_by": {
            "staff": [
                {"name": "刘一", "role": "考评人员"},
                {"name": "陈二", "role": "考务管理人员"},
            ],
            "responsible": {"name": "赵主任", "role": "评价机构负责人"},
        },
    }
    bad = [
        ({**finding, "remark": "x"}, "remark: unknown field"),
        ({k: v for k, v in finding.items() if k != "confirmed_by"}, "confirmed_by: required"),
        (
            {
                **finding,
                "confirmed_by": {
                    **finding["confirmed_by"],
                    "staff": [{"name": "刘一", "role": "考评人员"}],
                },
            },  # type: ignore[dict-item]
            r"confirmed_by.staff: 1 given; two or more staff must confirm it \(Art. 16",
        ),
        (
            {**finding, "confirmed_by": {"staff": finding["confirmed_by"]["staff"]}},  # type: ignore[index]
            "confirmed_by.responsible: required",
        ),
        ({**finding, "clause": "9.1"}, "clause: 9.1 is no candidate clause"),
        ({**finding, "date": "2024-6-15"}, "date: expected YYYY-MM-DD"),
        (
            {**finding, "certificates": [{"number": "0012024000123"}, {"level": "四级/中级工"}]},
            r"certificates\[1\].number: required; give the number printed on the certificate",
        ),
        (
            {**finding, "certificates": [{"number": "00120\u202e24"}]},
            r"certificates\[0\].number holds the control or direction character U\+202E",
        ),
        (
            {**finding, "certificates": [{"number": "0012024000123", "level": "六级"}]},
            r"certificates\[0\].level: '六级' is no level; use one of 五级/初级工",
        ),
        (
            {**finding, "certificates": [{"number": "1", "issued_on": "2024-06-01"}]},
            r"certificates\[0\].issued_on: 2024-06-01 is before the evaluation",
        ),
        (
            {**finding, "certificates": [{"number": "1"}, {"number": "1"}]},
            r"certificates\[1\].number: '1' is already given as certificates\[0\]",
        ),
        (
            {**finding, "certificates": [{"number": "1", "online": "yes"}]},
            r"certificates\[0\].online: expected true",
        ),
        (
            {**finding, "certificate_issued": False, "certificates": [{"number": "1"}]},
            "certificates: 1 given, but certificate_issued is false",
        ),
    ]
    for document, message in bad:
        with pytest.raises(CaseInputError, match=message) as refused:
            desk.open_without_record(ANNA, document)
        assert str(refused.value).endswith("nothing was changed")
    assert desk.list(ANNA) == []  # nothing was made
    with pytest.raises(AccountError, match="needs an admin"):
        desk.open_without_record(READER, finding)
    finding["certificates"] = [
        {
            "number": " 0012024000123 ",
            "occupation": "电工",
            "level": "四级/中级工",
            "issued_on": "2024-08-01",
            "online": True,
        },
        {"number": "0012024000124"},
    ]
    case = desk.open_without_record(ANNA, finding)
    assert case["without_record"]["certificates"] == [
        {
            "number": "0012024000123",
            "occupation": "电工",
            "work_type": "",
            "level": "四级/中级工",
            "issued_on": "2024-08-01",
            "online": True,
        },
        {
            "number": "0012024000124",
            "occupation": "",
            "work_type": "",
            "level": "",
            "issued_on": None,
            "online": None,
        },
    ]
    assert case["status"] == "open" and case["session_id"] is None and case["records"] == []
    assert case["person"]["id_number_masked"] == "440106********1234"
    assert case["clauses"] == ["6.2"]
    combined = case["outcome"]["combined"]
    assert combined["invalidate_certificate"] is True and combined["scores_cancelled"] == "all"
    assert case["steps"][0]["account"] == "anna"
    assert case["steps"][0]["details"]["confirmed_by"]["responsible"]["name"] == "赵主任"
    listed = desk.list(READER)
    assert [r["session_id"] for r in listed] == [None]
    at(monkeypatch, "2024-08-01")
    assert desk.determine(ANNA, case["id"], 1)["status"] == "determined"


def test_a_staff_case_reports_its_handling_to_the_regulator(
    inst: Institution, laptop: Workspace, bundles: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    record(laptop, inst.session_id, party="staff", role=StaffRole.ASSESSOR, clause="10.1")
    # The site said no adverse effect (Art. 11); the institution determines there was one.
    record(
        laptop,
        inst.session_id,
        party="staff",
        role=StaffRole.SUPERVISOR,
        clause="11",
        facts={"adverse_effect": False},
    )
    send(inst, laptop, bundles, "one")
    at(monkeypatch, "2026-03-10")
    day = dt.date(2026, 3, 10)
    desk = CaseDesk(inst.ws)
    rows = desk.list(ANNA)
    assessor = str(next(r["id"] for r in rows if r["clauses"] == ["10.1"]))
    supervisor = str(next(r["id"] for r in rows if r["clauses"] == ["11"]))
    assert {r["person"]["id_type"] for r in rows} == {"staff_number"}
    # A candidate's fact is not the staff's.
    with pytest.raises(StepRefused, match="severity is a fact of candidate cases"):
        desk.determine(ANNA, supervisor, 1, severity="minor")
    assert desk.determine(ANNA, supervisor, 1, adverse_effect=True)["outcome"]["violation"]

    desk.determine(ANNA, assessor, 1)
    desk.notice(ANNA, assessor, 2, document_sha256=FAKE_SHA)
    desk.decide(ANNA, assessor, 3, decision_date=day, document_sha256=FAKE_SHA)
    case = desk.deliver(ANNA, assessor, 4, document="decision", method="post", date=day)
    assert [(o["kind"], o["basis"], o["done"]) for o in case["obligations"]] == [
        ("report", "Art. 16 ¶2", False),
        ("referral", "art10", False),
    ]
    with pytest.raises(StepRefused, match="still to do: report the handling to the regulator"):
        desk.close(ANNA, assessor, 5)
    desk.report(ANNA, assessor, 5, to="广东省人力资源和社会保障厅", date=day)
    with pytest.raises(StepRefused, match="certificate"):
        desk.close(ANNA, assessor, 6)
    desk.refer(ANNA, assessor, 6, to="考评人员证书颁发部门", date=day)
    assert desk.close(ANNA, assessor, 7)["status"] == "closed"


def test_an_institutions_case_stays_with_the_regulator(
    inst: Institution, laptop: Workspace, bundles: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    record(laptop, inst.session_id, party="institution", clause="12.1")
    send(inst, laptop, bundles, "one")
    desk = CaseDesk(inst.ws)
    case = only(desk, "institution")
    assert case["status"] == "with_regulator" and case["clauses"] == ["12.1"]
    ref = str(case["id"])
    for attempt in (
        lambda: desk.determine(ANNA, ref, 1),
        lambda: desk.notice(ANNA, ref, 1, document_sha256=FAKE_SHA),
        lambda: desk.decide(ANNA, ref, 1, decision_date=dt.date.today(), document_sha256=FAKE_SHA),
    ):
        with pytest.raises(StepRefused, match=r"the regulator determines and decides it"):
            attempt()
    said = desk.other_authority(
        ANNA,
        ref,
        1,
        authority="广东省人力资源和社会保障厅",
        conclusion="约谈主要负责人，责令整改。",
    )
    assert said["status"] == "with_regulator" and said["decision"] is None
    assert said["documents"][0]["kind"] == "conclusion"
    assert desk.close(ANNA, ref, 2)["status"] == "closed"


def test_two_admins_on_the_same_version_the_second_is_refused(
    inst: Institution, laptop: Workspace, bundles: Path
) -> None:
    record(laptop, inst.session_id, index=0, clause="7.4")
    send(inst, laptop, bundles, "one")
    ref = str(only(CaseDesk(inst.ws), "candidate")["id"])
    # Two computers, each with its own connection to the records.
    other = Workspace(inst.ws.data_dir, _engine_like(inst.ws), inst.ws.device)
    try:
        mine, theirs = CaseDesk(inst.ws), CaseDesk(other)
        seen = mine.version_of(ANNA, ref)
        assert theirs.version_of(BO, ref) == seen
        mine.determine(ANNA, ref, seen, severity="minor")
        with pytest.raises(EditConflict, match=r"changed since it was read .*determine by anna"):
            theirs.determine(BO, ref, seen, severity="serious")
        shown = theirs.show(BO, ref)
        assert shown["version"] == seen + 1
        assert shown["outcome"]["combined"]["ban_years"] == 2  # anna's, not overwritten
        assert [s["account"] for s in shown["steps"]] == [None, "anna"]
    finally:
        other.engine.dispose()


def _engine_like(ws: Workspace):  # type: ignore[no-untyped-def]
    from sqlalchemy import create_engine, event

    from app.core.records.db import _on_connect

    url = ws.engine.url
    engine = create_engine(url)
    if url.get_backend_name() == "sqlite":
        event.listen(engine, "connect", _on_connect)
    return engine


def test_list_and_show_have_the_fields_named(
    inst: Institution, laptop: Workspace, bundles: Path
) -> None:
    record(laptop, inst.session_id, index=0, clause="7.4")
    send(inst, laptop, bundles, "one")
    desk = CaseDesk(inst.ws)
    rows = json.loads(json.dumps(desk.list(READER)))
    assert [sorted(r) for r in rows] == [
        ["clauses", "id", "overdue", "party", "person", "session_id", "status"]
    ]
    assert sorted(rows[0]["person"]) == ["id_number_masked", "id_type", "name"]
    assert "*" in rows[0]["person"]["id_number_masked"]
    assert rows[0]["session_id"] == inst.session_id and rows[0]["overdue"] is None
    shown = desk.show(READER, rows[0]["id"][:8])
    assert {"id", "status", "outcome", "steps", "documents"} <= set(shown)
    assert {"account", "at", "kind"} <= set(shown["steps"][0])
    assert desk.list(READER, "closed") == []
    with pytest.raises(CaseInputError, match="status: 'shut'"):
        desk.list(READER, "shut")


def test_deadlines_overdue_and_a_late_objection(
    inst: Institution, laptop: Workspace, bundles: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    record(laptop, inst.session_id, index=0, clause="6.1")
    send(inst, laptop, bundles, "one")
    desk = CaseDesk(inst.ws)
    ref = str(only(desk, "candidate")["id"])
    at(monkeypatch, "2026-03-01")
    desk.determine(ANNA, ref, 1)
    desk.notice(ANNA, ref, 2, document_sha256=FAKE_SHA)
    at(monkeypatch, "2026-03-02")
    desk.deliver(ANNA, ref, 3, document="notice", method="post", date=dt.date(2026, 3, 2))
    at(monkeypatch, "2026-03-07")  # five days from 3 March: due by 7 March
    assert only(desk, "candidate")["overdue"] is None
    at(monkeypatch, "2026-03-08")
    assert only(desk, "candidate")["overdue"] == "response"
    late = desk.respond(ANNA, ref, 4, text="我没有使用手机。")
    assert late["steps"][-1]["details"]["late"] is True and late["overdue"] is None
    desk.decide(ANNA, ref, 5, decision_date=dt.date(2026, 3, 8), document_sha256=FAKE_SHA)
    at(monkeypatch, "2026-03-09")
    desk.deliver(ANNA, ref, 6, document="decision", method="post", date=dt.date(2026, 3, 9))
    at(monkeypatch, "2026-03-25")
    assert only(desk, "candidate")["overdue"] == "objection"
    desk.set_deadline(ANNA, "objection_days", 30)  # the institution's practice, a setting
    assert only(desk, "candidate")["overdue"] is None
    desk.set_deadline(ANNA, "objection_days", 15)
    objected = desk.object_to(ANNA, ref, 7, text="处理过重。")
    assert objected["status"] == "under_review"
    assert objected["steps"][-1]["details"]["late"] is True  # flagged, never refused
    assert any("after its deadline" in n for n in objected["notes"])


def test_on_postgresql_a_second_writer_at_the_same_moment_gets_the_conflict(
    tmp_path: Path, pg_url: str
) -> None:
    """Two connections at once: the first one's update holds the row; the second one's waits
    for its commit, then matches no row (its version is gone) and is refused."""
    import threading

    from sqlmodel import Session

    from app.core.casework.states import Step

    inst = make_institution(tmp_path, pg_url)
    laptop = make_laptop(tmp_path, "laptop-a", "A", inst.kit)
    try:
        record(laptop, inst.session_id, index=0, clause="7.4")
        folder = tmp_path / "bundles"
        folder.mkdir()
        send(inst, laptop, folder, "one")
        ref = str(only(CaseDesk(inst.ws), "candidate")["id"])
        second_engine = _engine_like(inst.ws)
        first, second = Session(inst.ws.engine), Session(second_engine)
        outcome: dict[str, str] = {}

        def act_second() -> None:
            try:
                case = cases.resolve(second, ref)  # version 1: the first has not committed
                cases.advance(
                    second, inst.ws.device, case, 1, "bo", Step.DETERMINE, {"by": "bo"},
                    status="determined",
                )  # fmt: skip
                second.commit()
                outcome["second"] = "written"
            except EditConflict as exc:
                second.rollback()
                outcome["second"] = str(exc)

        try:
            case = cases.resolve(first, ref)
            cases.advance(
                first, inst.ws.device, case, 1, "anna", Step.DETERMINE, {"by": "anna"},
                status="determined",
            )  # fmt: skip
            worker = threading.Thread(target=act_second)
            worker.start()
            worker.join(timeout=1.5)
            assert worker.is_alive(), "the second writer should wait for the first one's row"
            first.commit()
            worker.join(timeout=20)
            assert not worker.is_alive()
        finally:
            first.close()
            second.close()
            second_engine.dispose()
        assert "changed since it was read" in outcome["second"]
        shown = CaseDesk(inst.ws).show(ANNA, ref)
        assert shown["version"] == 2
        assert [s["details"] for s in shown["steps"]][1:] == [{"by": "anna"}]
    finally:
        laptop.close()
        inst.ws.close()
