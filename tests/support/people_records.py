"""Known records at an institution, written straight into its tables (no tests here): three
sessions at three sites, people with the same ID number in two sessions, an amended record
(counted once, as its latest version), a voided one, a draft, one at midnight of the year's
end in the session's zone, and decided, open and Art. 8 cases. The expected figures are
``EXPECTED_2024`` and ``EXPECTED_DECISIONS_2024``."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from typing import Any

from sqlalchemy import insert

from app.core.casework.tables import CaseRecordRow, CaseRow
from app.core.records.service import Workspace
from app.core.records.tables import (
    Candidate,
    ExamSession,
    Incident,
    IncidentContent,
    Institution,
    Seal,
    Staff,
)
from app.core.rosters.idcard import check_char

SHANGHAI = dt.timezone(dt.timedelta(hours=8))
NATIONAL = "cn-national-2021"
PROVINCE = "example-gd-2024"


def resident_id(body: str) -> str:
    return body + check_char(body)


def _ending_in_x() -> str:
    for serial in range(1000):
        number = resident_id(f"11010119900307{serial:03d}")
        if number.endswith("X"):
            return number
    raise AssertionError("no number ends in X")


ZHANG_ID = _ending_in_x()  # 张三, in sessions S1 and S2
LISI_ID = resident_id("44010519850702781")
WANGWU_ID = resident_id("44010619920101123")
FORMULA_ID = resident_id("44010619930101123")
ABSENT_ID = resident_id("31010119800101000")  # nobody's


@dataclass(frozen=True)
class Known:
    sessions: dict[str, str]  # S1, S2, S3 → id
    people: dict[str, str]  # key → candidate or staff id
    incidents: dict[str, str]  # number/version → id
    cases: dict[str, str]  # K1… → id


EXPECTED_2024 = {
    "total": 6,
    "article": {"5": 1, "6": 2, "7": 1, "9": 1, "12": 1},
    "clause": {"GD-5.5": 1, "6.1": 1, "6.2": 1, "7.1": 1, "9.1": 1, "12.1": 1},
    "party": {"candidate": 4, "staff": 1, "institution": 1},
    "site": {"天河考点": 3, "越秀考点": 2, "番禺考点": 1},
    "occupation_level": {"电工 四级/中级工": 3, "电工 三级/高级工": 2, "育婴员 五级/初级工": 1},
    "evaluation_type": {"职业技能等级认定": 5, "专项职业能力考核": 1},
    "month": {"2024-03": 2, "2024-04": 1, "2024-06": 2, "2024-12": 1},
}
EXPECTED_DECISIONS_2024 = {
    "total": 2,
    "article": {"6": 1, "7": 1},
    "clause": {"6.2": 1, "7.1": 1},
    "party": {"candidate": 2},
    "site": {"天河考点": 1, "越秀考点": 1},
    "month": {"2024-05": 1, "2024-07": 1},
}


def _utc(local: dt.datetime) -> dt.datetime:
    return local.astimezone(dt.UTC)


def seed_known(ws: Workspace) -> Known:
    """Write the known records into ``ws`` (SQLite or PostgreSQL) and say their ids."""
    now = dt.datetime(2025, 3, 1, tzinfo=dt.UTC)
    sessions = {"S1": "s1-tianhe", "S2": "s2-yuexiu", "S3": "s3-panyu"}
    session_rows = [
        ("S1", "天河考点", "电工", "四级/中级工", "职业技能等级认定"),
        ("S2", "越秀考点", "电工", "三级/高级工", "职业技能等级认定"),
        ("S3", "番禺考点", "育婴员", "五级/初级工", "专项职业能力考核"),
    ]
    people: dict[str, str] = {}
    candidates = [
        # key, session, name, id_number, ticket
        ("zhang-s1", "S1", "张三", ZHANG_ID, "T1001"),
        ("zhangsanfeng", "S1", "张三丰", resident_id("11010119900307111"), "T1002"),
        ("lisi", "S1", "李四", LISI_ID, "T1003"),
        ("zhang-s2", "S2", "张三", ZHANG_ID, "T2001"),
        ("wangwu", "S2", "王五", WANGWU_ID, "T2002"),
        ("formula", "S3", "=1+1", FORMULA_ID, "T3001"),
    ]
    incidents: dict[str, str] = {}
    # number/version, session, status, party, clause, rulebook, person key, local time,
    # supersedes, superseded by
    records: list[tuple[Any, ...]] = [
        ("A-001/1", "S1", "confirmed", "candidate", "6.1", NATIONAL, "zhang-s1",
         dt.datetime(2024, 3, 10, 9, 0, tzinfo=SHANGHAI), None, "A-001/2"),
        ("A-001/2", "S1", "exported", "candidate", "6.2", NATIONAL, "zhang-s1",
         dt.datetime(2024, 3, 10, 9, 0, tzinfo=SHANGHAI), "A-001/1", None),
        ("A-002/1", "S1", "confirmed", "candidate", "GD-5.5", PROVINCE, "lisi",
         dt.datetime(2024, 3, 11, 10, 0, tzinfo=SHANGHAI), None, None),
        ("A-003/1", "S1", "void", "candidate", "5.2", NATIONAL, "zhangsanfeng",
         dt.datetime(2024, 3, 12, 10, 0, tzinfo=SHANGHAI), None, None),
        ("A-004/1", "S1", "confirmed", "staff", "9.1", NATIONAL, "zhaoliu",
         dt.datetime(2024, 4, 2, 14, 0, tzinfo=SHANGHAI), None, None),
        ("B-001/1", "S2", "confirmed", "candidate", "7.1", NATIONAL, "zhang-s2",
         dt.datetime(2024, 6, 15, 9, 30, tzinfo=SHANGHAI), None, None),
        ("B-002/1", "S2", "exported", "candidate", "6.1", NATIONAL, "wangwu",
         dt.datetime(2024, 6, 15, 10, 30, tzinfo=SHANGHAI), None, None),
        ("B-003/1", "S2", "draft", "candidate", "5.1", NATIONAL, "wangwu",
         dt.datetime(2024, 6, 16, 10, 30, tzinfo=SHANGHAI), None, None),
        # 23:30 on 31 December in Shanghai: 2024 there (and in UTC).
        ("C-001/1", "S3", "confirmed", "institution", "12.1", NATIONAL, None,
         dt.datetime(2024, 12, 31, 23, 30, tzinfo=SHANGHAI), None, None),
        # 00:30 on 1 January in Shanghai, still 31 December in UTC: 2025.
        ("C-002/1", "S3", "confirmed", "candidate", "5.1", NATIONAL, "formula",
         dt.datetime(2025, 1, 1, 0, 30, tzinfo=SHANGHAI), None, None),
    ]  # fmt: skip
    for ref, *_ in records:
        incidents[ref] = f"inc-{ref.replace('/', '-v')}"
    with ws.transaction() as db:
        db.execute(
            insert(Institution),
            [{"id": "inst", "name": "广东职业技能鉴定中心", "kind": "social_training_org",
              "filing_code": "X", "scope_json": "[]"}],
        )  # fmt: skip
        db.execute(
            insert(ExamSession),
            [
                {"id": sessions[key], "institution_id": "inst", "evaluation_type": kind,
                 "occupation": occupation, "work_type": "", "level": level, "site_name": site,
                 "site_address": "广州", "rulebook_id": NATIONAL, "timezone": "Asia/Shanghai",
                 "created_at": now, "contact": ""}
                for key, site, occupation, level, kind in session_rows
            ],
        )  # fmt: skip
        rows = []
        for seat, (key, session, name, number, ticket) in enumerate(candidates, start=1):
            people[key] = f"cand-{key}"
            rows.append(
                {"id": people[key], "session_id": sessions[session], "name": name,
                 "id_type": "resident_id", "id_number": number, "ticket_number": ticket,
                 "room": "第1考场", "seat": seat, "photo": None}
            )  # fmt: skip
        db.execute(insert(Candidate), rows)
        people["zhaoliu"] = "staff-zhaoliu"
        db.execute(
            insert(Staff),
            [{"id": people["zhaoliu"], "session_id": sessions["S1"], "name": "赵六",
              "role": "exam_admin", "staff_number": "S001", "pin_hash": None, "employer": ""}],
        )  # fmt: skip
        by_key = {key: (name, number, ticket) for key, _s, name, number, ticket in candidates}
        incident_rows, contents, seals = [], [], []
        for ref, session, status, party, clause, rulebook, person, local, older, newer in records:
            number, version = ref.split("/")
            ident = incidents[ref]
            person_json: dict[str, Any] | None = None
            name = None
            if person == "zhaoliu":
                name = "赵六"
                person_json = {"kind": "staff", "id": people[person], "name": name,
                               "role": "exam_admin", "staff_number": "S001"}  # fmt: skip
            elif person is not None:
                name, id_number, ticket = by_key[person]
                person_json = {"kind": "candidate", "id": people[person], "name": name,
                               "id_type": "resident_id", "id_number": id_number,
                               "ticket_number": ticket}  # fmt: skip
            content_hash = f"{ident:0<64}"[:64]
            incident_rows.append(
                {"id": ident, "session_id": sessions[session], "number": number,
                 "device_code": number[0], "seq": int(number[2:]), "version": int(version),
                 "supersedes_id": None if older is None else incidents[older],
                 "superseded_by_id": None if newer is None else incidents[newer],
                 "status": status, "void_reason": "误记" if status == "void" else None,
                 "party": party, "clause": clause, "subject": "理论知识", "room": None,
                 "seat": None, "person_name": name, "occurred_at": _utc(local),
                 "local_date": local.date().isoformat(), "rulebook_id": rulebook,
                 "rulebook_version": "1", "regulator_flag": False, "content_hash": content_hash,
                 "created_at": now, "updated_at": now}
            )  # fmt: skip
            contents.append(
                {"incident_id": ident, "content_json": json.dumps({"person": person_json})}
            )
            if status in ("confirmed", "exported"):
                seals.append(
                    {"incident_id": ident, "device_id": "dev", "public_key": "00" * 32,
                     "payload_hash": f"{'sealed-' + ident:0<64}"[:64], "signature": "00",
                     "sealed_at": now}
                )  # fmt: skip
        # The older version first: the newer one points at it.
        for row in sorted(incident_rows, key=lambda r: r["supersedes_id"] is not None):
            db.execute(insert(Incident), [row])
        db.execute(insert(IncidentContent), contents)
        db.execute(insert(Seal), seals)
        cases = {"K1": "case-k1", "K2": "case-k2", "K3": "case-k3", "K4": "case-k4"}
        case_rows = [
            ("K1", "S1", "zhang-s1", "张三", ZHANG_ID, "decided", "2024-05-20", None),
            ("K2", "S2", "zhang-s2", "张三", ZHANG_ID, "closed", "2024-07-01", None),
            ("K3", "S2", "wangwu", "王五", WANGWU_ID, "open", None, None),
            ("K4", None, "art8:x", "孙七", resident_id("44010619940101123"), "decided",
             "2025-02-01", {"facts": {"clause": "6.1"}}),
        ]  # fmt: skip
        db.execute(
            insert(CaseRow),
            [
                {"id": cases[key], "session_id": None if s is None else sessions[s],
                 "party": "candidate", "person_key": people.get(person, person),
                 "person_name": name, "id_type": "resident_id", "id_number": number,
                 "status": status, "version": 3, "rulebook_id": NATIONAL, "facts_json": "{}",
                 "base_json": None if base is None else json.dumps(base),
                 "outcome_json": "{}",
                 "decided_json": None if day is None else json.dumps({"decision_date": day}),
                 "review_json": None, "created_at": now, "updated_at": now}
                for key, s, person, name, number, status, day, base in case_rows
            ],
        )  # fmt: skip
        db.execute(
            insert(CaseRecordRow),
            [
                {"case_id": cases["K1"], "incident_id": incidents["A-001/2"]},
                {"case_id": cases["K2"], "incident_id": incidents["B-001/1"]},
                {"case_id": cases["K3"], "incident_id": incidents["B-002/1"]},
            ],
        )
    return Known(sessions, people, incidents, cases)
