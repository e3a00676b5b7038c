"""A year of an institution's records, written in bulk for the search and statistics
benchmarks (no tests here): 50 sites, 200,000 candidates over their sessions, their staff,
200,000 records (a few amended or voided) and a few thousand decided cases. Rows go in through
``dialect.insert_rows`` (one COPY on PostgreSQL), not through the services."""

from __future__ import annotations

import datetime as dt
import json
import random
from dataclasses import dataclass, field

from app.core.records import dialect
from app.core.records.service import Workspace
from app.core.records.tables import to_utc_text
from app.core.rosters.idcard import check_char

SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡"
    "余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯"
    "龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
)
GIVEN = (
    "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超秀兰霞平刚桂英华玉萍红娥玲芬燕彬鹏辉宇浩凯"
    "健俊帆帅旭宁龙林欣怡佳琪梓涵子轩雨泽一诺晨阳思远嘉怡欣然"
)
CLAUSES = ("5.1", "5.2", "5.3", "6.1", "6.2", "6.3", "7.1", "7.4", "9.1", "10.1", "12.1")
TYPES = ("职业技能等级认定", "专项职业能力考核")
TRADES = (
    ("电工", "四级/中级工"),
    ("电工", "三级/高级工"),
    ("育婴员", "五级/初级工"),
    ("焊工", "四级/中级工"),
    ("养老护理员", "四级/中级工"),
    ("中式烹调师", "五级/初级工"),
)
NATIONAL = "cn-national-2021"


def resident_id(rng: random.Random, serial: int) -> str:
    born = dt.date(1970, 1, 1) + dt.timedelta(days=rng.randrange(365 * 35))
    body = f"4401{rng.randrange(1, 20):02d}{born:%Y%m%d}{serial % 1000:03d}"
    return body + check_char(body)


@dataclass
class Seeded:
    candidates: int = 0
    staff: int = 0
    incidents: int = 0
    in_force: int = 0
    cases: int = 0
    sample_ids: list[str] = field(default_factory=list)
    sample_names: list[str] = field(default_factory=list)
    sample_tickets: list[str] = field(default_factory=list)
    sample_numbers: list[str] = field(default_factory=list)


def seed_year(
    ws: Workspace, *, candidates: int = 200_000, records: int = 200_000, sites: int = 50,
    seed: int = 2024,
) -> Seeded:  # fmt: skip
    """Write a year (2024) at ``sites`` sites into ``ws``; what was written, with samples."""
    rng = random.Random(seed)
    out = Seeded()
    now = to_utc_text(dt.datetime(2025, 1, 15, tzinfo=dt.UTC))
    sessions_per_site = 40
    session_ids = []
    session_rows = []
    session_day: dict[str, dt.date] = {}
    for site in range(sites):
        for n in range(sessions_per_site):
            sid = f"s{site:02d}-{n:02d}"
            occupation, level = TRADES[(site + n) % len(TRADES)]
            session_ids.append(sid)
            # Each site's sittings spread over the year (the last ends on 31 December).
            session_day[sid] = dt.date(2024, 1, 1) + dt.timedelta(days=(n * 9 + site) % 365)
            session_rows.append(
                (sid, "inst", TYPES[n % 2], occupation, "", level, f"第{site + 1}考点",
                 "广东", NATIONAL, "Asia/Shanghai", now, "")
            )  # fmt: skip
    candidate_rows = []
    people: list[tuple[str, str, str, str]] = []  # id, session, name, id_number
    for i in range(candidates):
        sid = session_ids[i % len(session_ids)]
        surname = SURNAMES[min(int(rng.paretovariate(1.2)) - 1, len(SURNAMES) - 1)]
        name = surname + "".join(rng.choice(GIVEN) for _ in range(rng.choice((1, 2, 2))))
        number = resident_id(rng, i)
        ticket = f"24{i:08d}"
        cid = f"c{i:07d}"
        candidate_rows.append(
            (cid, sid, name, "resident_id", number, ticket, f"第{i % 30 + 1}考场", i // 30, None)
        )
        people.append((cid, sid, name, number))
        if i % 20_000 == 7:
            out.sample_ids.append(number)
            out.sample_names.append(name)
            out.sample_tickets.append(ticket)
    staff_rows = []
    for s, sid in enumerate(session_ids):
        for k in range(8):
            name = rng.choice(SURNAMES) + rng.choice(GIVEN) + rng.choice(GIVEN)
            staff_rows.append((f"st{s:04d}-{k}", sid, name, "exam_admin", f"S{s:04d}{k}", None, ""))
    incident_rows = []
    seq_of: dict[str, int] = {}
    for r in range(records):
        cid, sid, name, _number = people[rng.randrange(len(people))]
        seq = seq_of[sid] = seq_of.get(sid, 0) + 1
        number = f"A-{seq:04d}"
        # A sitting lasts one or two days: its records fall on them.
        day = session_day[sid] + dt.timedelta(days=rng.randrange(2))
        occurred = dt.datetime.combine(day, dt.time(9, 30), dt.timezone(dt.timedelta(hours=8)))
        status = "void" if r % 97 == 0 else ("exported" if r % 3 else "confirmed")
        clause = CLAUSES[rng.randrange(len(CLAUSES))]
        party = (
            "staff"
            if clause in ("9.1", "10.1")
            else ("institution" if clause == "12.1" else "candidate")
        )
        incident_rows.append(
            [f"i{r:07d}", sid, number, "A", seq, 1, None, None, status, None, party, clause,
             "理论知识", None, None, None if party == "institution" else name,
             to_utc_text(occurred), day.isoformat(), NATIONAL, "1", False, "0" * 64, now, now]
        )  # fmt: skip
        if r % 20_000 == 11:
            out.sample_numbers.append(number)
    # Every 50th record amended: its second version replaces the first (counted once).
    amended = []
    for r in range(0, records, 50):
        first = incident_rows[r]
        second = list(first)
        second[0], second[5], second[6] = first[0] + "-v2", 2, first[0]
        first[7] = second[0]
        amended.append(second)
    columns = ["id", "session_id", "number", "device_code", "seq", "version", "supersedes_id",
               "superseded_by_id", "status", "void_reason", "party", "clause", "subject", "room",
               "seat", "person_name", "occurred_at", "local_date", "rulebook_id",
               "rulebook_version", "regulator_flag", "content_hash", "created_at",
               "updated_at"]  # fmt: skip
    case_rows = []
    record_rows = []
    for k, row in enumerate(incident_rows[: records // 40]):
        if row[10] != "candidate" or row[7] is not None or row[8] == "void":
            continue
        day = dt.date.fromisoformat(row[17]) + dt.timedelta(days=30)
        case_rows.append(
            (f"k{k:06d}", row[1], "candidate", f"p{k}", row[15], "resident_id",
             resident_id(rng, k),
             "decided", 3, NATIONAL, "{}", None, "{}",
             json.dumps({"decision_date": day.isoformat()}), None, now, now)
        )  # fmt: skip
        record_rows.append((f"k{k:06d}", row[0]))
    with ws.transaction() as db, dialect.large_cache(db, 256_000):
        dialect.insert_rows(
            db, "institution", ["id", "name", "kind", "filing_code", "scope_json"],
            [("inst", "某职业技能鉴定中心", "social_training_org", "X", "[]")],
        )  # fmt: skip
        dialect.insert_rows(
            db, "exam_session",
            ["id", "institution_id", "evaluation_type", "occupation", "work_type", "level",
             "site_name", "site_address", "rulebook_id", "timezone", "created_at", "contact"],
            session_rows,
        )  # fmt: skip
        dialect.insert_rows(
            db, "candidate",
            ["id", "session_id", "name", "id_type", "id_number", "ticket_number", "room", "seat",
             "photo"],
            candidate_rows,
        )  # fmt: skip
        dialect.insert_rows(
            db, "staff",
            ["id", "session_id", "name", "role", "staff_number", "pin_hash", "employer"],
            staff_rows,
        )  # fmt: skip
        # The amendments point at the versions they replace: those go in first.
        dialect.insert_rows(db, "incident", columns, [tuple(r) for r in incident_rows])
        dialect.insert_rows(db, "incident", columns, [tuple(r) for r in amended])
        dialect.insert_rows(
            db, "casework_case",
            ["id", "session_id", "party", "person_key", "person_name", "id_type", "id_number",
             "status", "version", "rulebook_id", "facts_json", "base_json", "outcome_json",
             "decided_json", "review_json", "created_at", "updated_at"],
            case_rows,
        )  # fmt: skip
        dialect.insert_rows(db, "casework_case_record", ["case_id", "incident_id"], record_rows)
        db.connection().exec_driver_sql("ANALYZE")
    out.candidates, out.staff = len(candidate_rows), len(staff_rows)
    out.incidents = len(incident_rows) + len(amended)
    out.in_force = sum(1 for r in incident_rows if r[8] != "void")  # amended: its second
    out.cases = len(case_rows)
    return out
