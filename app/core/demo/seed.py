"""A realistic demo session: institution, site in Guangzhou, rooms, staff in every role,
candidates with valid resident ID numbers, and confirmed incidents across all candidate
clauses plus some staff ones, signed with synthetic strokes."""

from __future__ import annotations

import datetime as dt
import functools
import random
from collections.abc import Callable
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from app.core.demo.strokes import synthetic_strokes
from app.core.records.content import IncidentDraft, SeizedItem
from app.core.records.service import Workspace
from app.core.records.sessions import (
    InstitutionSpec,
    RoomSpec,
    ScopeEntry,
    SessionSpec,
    SubjectSpec,
)
from app.core.records.tables import Candidate, Staff
from app.core.rosters.idcard import make_id_number
from app.core.rosters.rows import CandidateRow, StaffRow
from app.core.rulebook import DEFAULT_RULEBOOK_ID
from app.core.rulebook.model import Fact, Party, StaffRole

DEMO_FILING_CODE = "S000044010620240137"
TZ = "Asia/Shanghai"
SEATS_PER_ROOM = 30
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何林罗高郑梁谢宋唐许韩冯邓曹彭曾肖田董潘袁蔡蒋余"
GIVEN = [
    "伟",
    "芳",
    "娜",
    "敏",
    "静",
    "丽",
    "强",
    "磊",
    "军",
    "洋",
    "勇",
    "艳",
    "杰",
    "娟",
    "涛",
    "明",
    "超",
    "秀英",
    "华",
    "慧",
    "建国",
    "志强",
    "海燕",
    "晓东",
    "文博",
    "子涵",
    "雨桐",
    "浩然",
    "思远",
    "嘉怡",
    "俊杰",
    "梓萱",
    "宇航",
    "欣怡",
    "家豪",
    "诗琪",
    "振华",
    "丽华",
    "国强",
    "春梅",
]
# Names with the rarer ideographs real rosters have, one from each of CJK Extensions A to F
# (none is in the main CJK font; the reports draw them in the fallback font): the site head,
# who confirms every incident, so every report shows one; an exam administrator, who signs
# most; the first candidates, who have the first incidents.
SITE_HEAD_NAME = "欧阳𠮷"  # 𠮷 U+20BB7, Extension B
ADMIN_NAME = "王䶮"  # 䶮 U+4DAE, Extension A
CANDIDATE_NAMES = (
    "李𫖯",  # 𫖯 U+2B5AF, Extension C (in the Table of General Standard Chinese Characters)
    "张𫟦",  # 𫟦 U+2B7E6, Extension D
    "陈𬌗",  # 𬌗 U+2C317, Extension E
    "刘𭀀",  # 𭀀 U+2D000, Extension F
)
# Guangdong area codes (GB/T 2260): Guangzhou districts, Foshan, Dongguan, Shenzhen.
AREAS = ("440103", "440104", "440105", "440106", "440111", "440604", "441900", "440304")


@dataclass
class DemoSession:
    session_id: str
    staff: dict[str, list[Staff]] = field(default_factory=dict)  # role -> staff
    candidates: list[Candidate] = field(default_factory=list)
    incident_ids: list[str] = field(default_factory=list)


def _name(rng: random.Random, used: set[str]) -> str:
    while True:
        name = rng.choice(SURNAMES) + rng.choice(GIVEN)
        if name not in used or len(used) > 1500:
            used.add(name)
            return name


def subjects_around(now: dt.datetime) -> tuple[SubjectSpec, ...]:
    """The demo's two subjects placed so that ``now`` is about an hour into the second: an
    incident recorded now falls inside its exam time, and the seeded ones (5 to 85 minutes
    after a subject starts) all happened before now, as a record's time must (more than five
    minutes ahead is refused). Times are on the half hour in the demo site's zone; just after
    local midnight the first subject starts the evening before."""
    local = now.astimezone(ZoneInfo(TZ))
    anchor = local.replace(minute=local.minute - local.minute % 30, second=0, microsecond=0)
    practical = anchor - dt.timedelta(minutes=90)
    theory = practical - dt.timedelta(hours=4, minutes=30)
    return (
        SubjectSpec("理论知识", theory, theory + dt.timedelta(minutes=90)),
        SubjectSpec("操作技能", practical, practical + dt.timedelta(hours=3)),
    )


# The PIN every staff member of the app's demo session gets, so that a person trying the app can
# sign as any of them (the lock screen says so on the demo session only).
DEMO_PIN = "1234"

# Synthetic, like every demo value (a number of the 020 area that is not in service).
DEMO_CONTACT = "020-3888 0000（评价机构考务办公室，工作日 9:00–17:00）"


def demo_spec(
    rooms: int, day: dt.date = dt.date(2024, 6, 15), *, now: dt.datetime | None = None
) -> SessionSpec:
    """The demo session on ``day`` (a fixed day keeps the tests' demo reproducible), or, given
    ``now``, with its subjects around that moment (the demo a person opens)."""
    zone = ZoneInfo(TZ)

    def at(hour: int, minute: int) -> dt.datetime:
        return dt.datetime(day.year, day.month, day.day, hour, minute, tzinfo=zone)

    subjects = (
        subjects_around(now)
        if now is not None
        else (
            SubjectSpec("理论知识", at(9, 0), at(10, 30)),
            SubjectSpec("操作技能", at(13, 30), at(16, 30)),
        )
    )
    return SessionSpec(
        institution=InstitutionSpec(
            name="广州南粤职业技能评价中心",
            kind="social_training_org",
            filing_code=DEMO_FILING_CODE,
            scope=(
                ScopeEntry("电工", "", ("五级/初级工", "四级/中级工", "三级/高级工")),
                ScopeEntry("中式烹调师", "", ("五级/初级工", "四级/中级工")),
            ),
        ),
        evaluation_type="职业技能等级认定",
        occupation="电工",
        level="四级/中级工",
        site_name="天河职业技能评价考点",
        site_address="广东省广州市天河区天河北路 233 号实训楼",
        contact=DEMO_CONTACT,
        rooms=tuple(
            RoomSpec(f"第{i}考场", SEATS_PER_ROOM, responsible=f"第{i}考场主监考")
            for i in range(1, rooms + 1)
        ),
        subjects=subjects,
        rulebook_id=DEFAULT_RULEBOOK_ID,
        timezone=TZ,
    )


@functools.cache
def demo_pin_hash() -> str:
    """One Argon2 hash of the published demo PIN, shared by the demo's staff: hashing it once
    keeps seeding quick, and a PIN everyone knows has no secret for a salt to protect."""
    from app.core.records.people import hash_pin

    return hash_pin(DEMO_PIN)


def _people(rng: random.Random, n: int, rooms: int) -> tuple[list[CandidateRow], list[StaffRow]]:
    used: set[str] = set()
    staff: list[StaffRow] = []
    counts = {
        StaffRole.EXAM_ADMIN: 2 * rooms,
        StaffRole.ASSESSOR: 3,
        StaffRole.SUPERVISOR: 2,
        StaffRole.SITE_HEAD: 1,
    }
    for role, count in counts.items():
        for i in range(count):
            name = _name(rng, used)
            if role is StaffRole.SITE_HEAD and i == 0:
                name = SITE_HEAD_NAME
            elif role is StaffRole.EXAM_ADMIN and i == 1:
                name = ADMIN_NAME
            number = f"GZ{len(staff) + 1:04d}"
            staff.append(StaffRow(name, role.value, number, None, pin_hash=demo_pin_hash()))
    candidates = []
    for i in range(n):
        birth = dt.date(rng.randint(1972, 2004), rng.randint(1, 12), rng.randint(1, 28))
        name = _name(rng, used)  # drawn even when replaced: the other names stay as they were
        if i < len(CANDIDATE_NAMES):
            name = CANDIDATE_NAMES[i]
        room = i // SEATS_PER_ROOM + 1
        candidates.append(
            CandidateRow(
                name=name,
                id_type="resident_id",
                id_number=make_id_number(rng.choice(AREAS), birth, rng.randint(0, 999)),
                ticket_number=f"2406{room:02d}{i % SEATS_PER_ROOM + 1:02d}{i:04d}",
                room=f"第{room}考场",
                seat=i % SEATS_PER_ROOM + 1,
                photo=None,
            )
        )
    return candidates, staff


def _facts(fact_names: tuple[Fact, ...], rng: random.Random) -> dict[str, str | bool]:
    facts: dict[str, str | bool] = {}
    for fact in fact_names:
        if fact in (Fact.WARNED, Fact.REFUSED, Fact.ADVERSE_EFFECT):
            facts[fact.value] = True
        elif fact is Fact.SEVERITY:
            facts[fact.value] = rng.choice(("minor", "serious"))
        elif fact is Fact.PRIOR_WARNING:
            facts[fact.value] = False
    return facts


def seed_demo(
    workspace: Workspace,
    *,
    candidates: int = 60,
    incidents: int | None = None,
    seed: int = 2024,
    progress: Callable[[int, int], None] | None = None,
    now: dt.datetime | None = None,
) -> DemoSession:
    """Create the demo session; ``incidents`` defaults to every candidate clause plus three
    staff incidents. All incidents are signed by two staff and confirmed (so sealed).
    ``progress(done, total)`` is called after each incident. Given ``now``, the subjects are
    placed around it (see ``subjects_around``); without, on a fixed day in 2024."""
    rng = random.Random(seed)
    rooms = max(3, -(-candidates // SEATS_PER_ROOM))
    spec = demo_spec(rooms, now=now)
    session_id = workspace.create_session(spec)
    cand_rows, staff_rows = _people(rng, candidates, rooms)
    workspace.import_staff(session_id, staff_rows)
    if cand_rows:
        workspace.import_candidates(session_id, cand_rows)
    result = DemoSession(session_id)
    for person in workspace.staff(session_id):
        result.staff.setdefault(person.role, []).append(person)
    result.candidates = workspace.candidates(session_id)
    rulebook = workspace.rulebook(spec.rulebook_id)
    cand_clauses = rulebook.clauses_for(Party.CANDIDATE) if result.candidates else []
    staff_clauses = [
        c for c in rulebook.clauses_for(Party.STAFF) if rulebook.articles[c.article].roles
    ]
    plan = [(Party.CANDIDATE, c) for c in cand_clauses] + [
        (Party.STAFF, c) for c in staff_clauses[:: max(1, len(staff_clauses) // 3)][:3]
    ]
    total = len(plan) if incidents is None else incidents
    admins = result.staff[StaffRole.EXAM_ADMIN]
    head = result.staff[StaffRole.SITE_HEAD][0]
    subjects = [(s.name, s.starts_at) for s in spec.subjects]
    for index in range(total):
        party, clause = plan[index % len(plan)] if plan else (Party.CANDIDATE, None)
        if clause is None:
            break
        subject, start = subjects[index % len(subjects)]
        occurred = start + dt.timedelta(minutes=5 + rng.randint(0, 80))
        if party is Party.CANDIDATE:
            person_id, room, seat = _candidate_place(
                result.candidates[index % len(result.candidates)]
            )
        else:
            role = rulebook.articles[clause.article].roles[0]
            person_id, room, seat = result.staff[role][0].id, None, None
        signers = [a for a in admins if a.id != person_id][index % 3 : index % 3 + 2]
        draft = IncidentDraft(
            party=party.value,
            occurred_at=occurred,
            subject=subject,
            room=room,
            seat=seat,
            person_id=person_id,
            clause=clause.id,
            facts=_facts(clause.facts, rng),
            description=f"监考人员发现：{clause.title_zh}。已当场记录并告知本人。",
            statement="本人对上述记录无异议。" if index % 2 == 0 else None,
            seized_items=(SeizedItem("手机一部", f"SZ-{index + 1:04d}"),)
            if clause.id in ("5.1", "6.1")
            else (),
        )
        incident = workspace.create_incident(session_id, draft, actor_id=signers[0].id)
        for signer in signers:
            workspace.sign(incident.id, signer.id, synthetic_strokes(signer.name), DEMO_PIN)
        if party is Party.CANDIDATE:
            _acknowledge(workspace, incident.id, index, signers, draft)
        confirmer = head
        if party is Party.STAFF and result.staff[StaffRole.SITE_HEAD][0].id == person_id:
            confirmer = result.staff[StaffRole.SUPERVISOR][0]
        workspace.confirm(incident.id, confirmer.id, synthetic_strokes(confirmer.name), DEMO_PIN)
        result.incident_ids.append(incident.id)
        if progress is not None:
            progress(index + 1, total)
    return result


def _candidate_place(candidate: Candidate) -> tuple[str, str, int]:
    return candidate.id, candidate.room, candidate.seat


def _acknowledge(
    workspace: Workspace, incident_id: str, index: int, signers: list[Staff], draft: IncidentDraft
) -> None:
    if index % 4 == 3:  # now and then the candidate refuses to sign; two staff witness it
        workspace.refuse(
            incident_id, [(s.id, synthetic_strokes(s.name), DEMO_PIN) for s in signers[:2]]
        )
    else:
        workspace.acknowledge(incident_id, synthetic_strokes(f"candidate-{index}"))


def find_demo_session(workspace: Workspace) -> str | None:
    """The id of the newest demo session in this workspace, if any."""
    for summary in workspace.list_sessions():
        detail = workspace.session(summary["id"])
        if detail["institution"]["filing_code"] == DEMO_FILING_CODE:
            return str(summary["id"])
    return None


def give_demo_pins(workspace: Workspace, session_id: str) -> None:
    """Give every staff member of the demo session without a PIN the demo PIN (audited, like
    any PIN set): no name is signed without a PIN, and the demo can still be tried."""
    from app.core.records.app_state import set_staff_pin

    for person in workspace.staff(session_id):
        if person.pin_hash is None:
            set_staff_pin(workspace, session_id, person.id, DEMO_PIN, actor_id=None)
