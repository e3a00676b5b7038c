"""The institution's filing (备案, Attachment 1 of 人社厅发〔2021〕57号) and the scope it sets.

The filing is recorded once — its code (备案码), its kind (用人单位 or 社会培训评价组织), the
filed occupations (工种) with their levels, and, for an employer, its branches with the codes
their province gave them — and changed only as a new version: the old one is kept and the
change is audited with the account that made it. A CSV import is checked in full first: any
problem (its row, its field, what to do) leaves the filing as it was.

``scope_check`` says whether a session plan falls outside the filed scope. It never refuses:
Art. 14(2) sanctions evaluating *seriously* beyond the filed scope (严重超出备案范围), and
whether an excess is serious is the institution's to weigh; the finding quotes the article
from the rulebook, verbatim, so that the admin who goes ahead does so knowingly.

Attachment 1 has branches (分支机构) only for a 全国性用人单位, given their own code at
provincial filing; it publishes one occupation scope for the employer and its branches, so a
branch here has a code and a name and shares the filing's scope.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from sqlalchemy import func
from sqlmodel import Session, col, select

from app.core.errors import UserError
from app.core.records import audit
from app.core.records.filing_tables import FilingBranchRow, FilingOccupationRow, FilingRow
from app.core.records.sessions import INSTITUTION_KINDS, LEVELS
from app.core.records.tables import ExamSession, Institution
from app.core.rulebook import DEFAULT_RULEBOOK_ID
from app.core.rulebook.explain import citation_en, citation_zh
from app.core.rulebook.loader import load_rulebook

if TYPE_CHECKING:
    from app.core.records.service import Workspace
    from app.core.records.sessions import SessionSpec
    from app.core.seal.device_keys import DeviceKey

KIND_ZH = {"national_employer": "用人单位", "social_training_org": "社会培训评价组织"}
SCOPE_CLAUSE = "14.2"  # 严重超出备案范围开展评价工作的
MAX_TEXT = 200


class FilingError(UserError):
    """A filing that cannot be recorded as given; ``problems`` names each one."""

    def __init__(self, problems: Sequence[FilingProblem], source: str = "") -> None:
        self.problems = list(problems)
        self.source = source
        head = (
            f"备案信息{('文件 ' + source) if source else ''}有 {len(self.problems)} 处问题，"
            "未作任何更改 "
            f"(the filing{(' file ' + source) if source else ''} has {len(self.problems)} "
            "problem(s); nothing was changed):"
        )
        super().__init__("\n  ".join([head, *(str(p) for p in self.problems)]))


@dataclass(frozen=True)
class FilingProblem:
    """One problem: the CSV row (the header is row 1; None for a filing not read from a
    file), the field, and what to do, in Chinese and English."""

    row: int | None
    field: str
    reason_zh: str
    reason_en: str

    def __str__(self) -> str:
        where_zh = (f"第{self.row}行 " if self.row is not None else "") + self.field
        where_en = (f"row {self.row} " if self.row is not None else "") + self.field
        return f"{where_zh}: {self.reason_zh} ({where_en}: {self.reason_en})"


@dataclass(frozen=True)
class FiledOccupation:
    occupation: str
    work_type: str = ""
    levels: tuple[str, ...] = ()


@dataclass(frozen=True)
class Branch:
    code: str
    name: str


@dataclass(frozen=True)
class Filing:
    code: str
    kind: str
    occupations: tuple[FiledOccupation, ...] = ()
    branches: tuple[Branch, ...] = ()
    version: int = 0  # 0 until recorded
    recorded_by: str = ""
    recorded_at: dt.datetime | None = None
    note: str = ""

    def codes(self) -> dict[str, Branch | None]:
        """Every filing code this filing gives: its own (None) and each branch's."""
        out: dict[str, Branch | None] = {self.code: None}
        out.update({b.code: b for b in self.branches})
        return out


@dataclass(frozen=True)
class ScopeFinding:
    """A plan outside the filed scope: what is outside, and the article it comes near."""

    reasons_zh: tuple[str, ...]
    reasons_en: tuple[str, ...]
    citation_zh: str  # 第十四条第（二）项
    citation_en: str  # Art. 14(2)
    text_zh: str  # the rulebook's text, verbatim
    text_en: str

    def message_zh(self) -> str:
        return (
            "；".join(self.reasons_zh) + f"。终止备案的情形见{self.citation_zh}：“{self.text_zh}”"
            "这只是提醒，不是拒绝：是否属于“严重超出”，由机构判断。"
        )

    def message_en(self) -> str:
        return (
            "; ".join(self.reasons_en)
            + f". Filing is terminated under {self.citation_en} for “{self.text_en}” "
            "This is a warning, not a refusal: whether the excess is serious is the "
            "institution's to judge."
        )

    def __str__(self) -> str:
        return f"{self.message_zh()} ({self.message_en()})"


# -- checking -------------------------------------------------------------------------------


def problems_of(filing: Filing) -> list[FilingProblem]:
    """What keeps ``filing`` from being recorded (an empty list: nothing)."""
    out: list[FilingProblem] = []

    def add(f: str, zh: str, en: str) -> None:
        out.append(FilingProblem(None, f, zh, en))

    if not filing.code.strip():
        add("备案码 code", "为空；请照备案回执填写", "empty; copy it from the filing receipt")
    if filing.kind not in INSTITUTION_KINDS:
        add(
            "类型 kind",
            f"“{filing.kind}”不是备案类型；请用 用人单位 或 社会培训评价组织",
            f"'{filing.kind}' is not a kind; use {' or '.join(INSTITUTION_KINDS)}",
        )
    if not filing.occupations:
        add("职业 occupation", "未填写备案职业；请至少填写一个", "no occupation filed; give one")
    seen: set[tuple[str, str]] = set()
    for occ in filing.occupations:
        key = (occ.occupation, occ.work_type)
        if not occ.occupation.strip():
            add("职业 occupation", "为空；请填写职业名称", "empty; give the occupation")
        if key in seen:
            add(
                "职业 occupation",
                f"“{occ.occupation}”重复；每个职业（工种）填一次",
                f"'{occ.occupation}' twice; list each occupation (work type) once",
            )
        seen.add(key)
        if not occ.levels:
            add("等级 levels", f"“{occ.occupation}”未填写等级", f"'{occ.occupation}': no level")
        for level in occ.levels:
            if level not in LEVELS:
                add(
                    "等级 levels",
                    f"“{level}”不是等级；请用 {'、'.join(LEVELS)}",
                    f"'{level}' is not a level; use one of {', '.join(LEVELS)}",
                )
    if filing.branches and filing.kind == "social_training_org":
        add(
            "分支机构 branch",
            "附件1只为全国性用人单位的分支机构赋码；社会培训评价组织请勿填写分支机构",
            "Attachment 1 codes branches of a national employer only; a social training "
            "organisation has none",
        )
    codes = [filing.code, *(b.code for b in filing.branches)]
    for branch in filing.branches:
        if not branch.code.strip() or not branch.name.strip():
            add(
                "分支机构 branch", "请填写分支机构的名称和备案码", "give the branch's name and code"
            )
        elif codes.count(branch.code) > 1:
            add("分支机构 branch", f"备案码“{branch.code}”重复", f"code '{branch.code}' twice")
    for text in [filing.code, filing.note, *(b.name for b in filing.branches)]:
        if len(text) > MAX_TEXT:
            add("文字 text", f"超过 {MAX_TEXT} 字", f"longer than {MAX_TEXT} characters")
    return out


def scope_check(
    filing: Filing | None,
    occupation: str,
    work_type: str,
    level: str,
    branch: str | None = None,
) -> ScopeFinding | None:
    """None where the plan is within the filed scope (or nothing is filed yet); else what is
    outside it, quoting Art. 14(2). ``branch`` is the filing code the plan is made under."""
    if filing is None:
        return None
    zh: list[str] = []
    en: list[str] = []
    if branch is not None and branch not in filing.codes():
        zh.append(f"备案码“{branch}”不是本机构或其分支机构的备案码")
        en.append(f"filing code '{branch}' is neither the institution's nor a branch's")
    filed = _filed_entry(filing, occupation.strip(), work_type.strip())
    what = occupation + (f"（{work_type}）" if work_type else "")
    if filed is None:
        zh.append(f"职业（工种）“{what}”未备案")
        en.append(f"occupation (work type) '{what}' is not filed")
    elif level and level not in filed.levels:
        zh.append(f"“{what}”未备案等级“{level}”（已备案：{'、'.join(filed.levels)}）")
        en.append(f"'{what}' is not filed at level '{level}' (filed: {', '.join(filed.levels)})")
    if not zh:
        return None
    clause = load_rulebook(DEFAULT_RULEBOOK_ID).clause(SCOPE_CLAUSE)
    return ScopeFinding(
        tuple(zh),
        tuple(en),
        citation_zh(clause),
        citation_en(clause),
        clause.text_zh,
        clause.text_en,
    )


def _filed_entry(filing: Filing, occupation: str, work_type: str) -> FiledOccupation | None:
    """The filed entry a plan falls under: its occupation and work type, or the occupation
    filed as a whole (no work type)."""
    exact = whole = None
    for occ in filing.occupations:
        if occ.occupation == occupation and occ.work_type == work_type:
            exact = occ
        elif occ.occupation == occupation and not occ.work_type:
            whole = occ
    return exact or whole


# -- storing --------------------------------------------------------------------------------


def current_filing(db: Session) -> Filing | None:
    """The filing in force (its newest version); None before one is recorded."""
    latest = db.exec(select(func.max(FilingRow.version))).one()
    return None if latest is None else filing_version(db, int(latest))


def filing_version(db: Session, version: int) -> Filing | None:
    row = db.get(FilingRow, version)
    if row is None:
        return None
    occ_rows = db.exec(
        select(FilingOccupationRow)
        .where(col(FilingOccupationRow.version) == version)
        .order_by(col(FilingOccupationRow.id))
    ).all()
    grouped: dict[tuple[str, str], list[str]] = {}
    for o in occ_rows:
        grouped.setdefault((o.occupation, o.work_type), []).append(o.level)
    branches = db.exec(
        select(FilingBranchRow)
        .where(col(FilingBranchRow.version) == version)
        .order_by(col(FilingBranchRow.id))
    ).all()
    return Filing(
        code=row.code,
        kind=row.kind,
        occupations=tuple(
            FiledOccupation(o, w, tuple(sorted(levels, key=LEVELS.index)))
            for (o, w), levels in grouped.items()
        ),
        branches=tuple(Branch(b.code, b.name) for b in branches),
        version=row.version,
        recorded_by=row.recorded_by,
        recorded_at=row.recorded_at,
        note=row.note,
    )


def filing_history(db: Session) -> list[Filing]:
    """Every version, oldest first."""
    versions = db.exec(select(FilingRow.version).order_by(col(FilingRow.version))).all()
    return [f for v in versions if (f := filing_version(db, v)) is not None]


def record_filing(
    db: Session, filing: Filing, *, actor: str, device: DeviceKey, now: dt.datetime | None = None
) -> Filing:
    """Record ``filing`` as the new version (the first, or one after the one in force),
    audited under ``actor``; refuses it whole (``FilingError``) on any problem."""
    if problems := problems_of(filing):
        raise FilingError(problems)
    before = current_filing(db)
    version = 1 if before is None else before.version + 1
    at = now or dt.datetime.now(dt.UTC)
    db.add(
        FilingRow(
            version=version,
            code=filing.code.strip(),
            kind=filing.kind,
            recorded_by=actor,
            recorded_at=at,
            note=filing.note.strip(),
        )
    )
    db.flush()
    for occ in filing.occupations:
        for level in dict.fromkeys(occ.levels):
            db.add(
                FilingOccupationRow(
                    version=version,
                    occupation=occ.occupation.strip(),
                    work_type=occ.work_type.strip(),
                    level=level,
                )
            )
    for branch in filing.branches:
        db.add(FilingBranchRow(version=version, code=branch.code.strip(), name=branch.name.strip()))
    db.flush()
    audit.append(
        db,
        action="record_filing",
        device=device,
        session_id=None,
        details={"version": version, "filing": filing_json(filing), "account": actor},
    )
    recorded = filing_version(db, version)
    assert recorded is not None
    return recorded


# -- the services the interfaces ask ------------------------------------------------------------


def filing_in_force(ws: Workspace) -> Filing | None:
    """The filing in force in ``ws`` (None before one is recorded)."""
    with ws.reading() as db:
        return current_filing(db)


def filing_versions(ws: Workspace) -> list[Filing]:
    """Every version of the filing in ``ws``, oldest first."""
    with ws.reading() as db:
        return filing_history(db)


def save_filing(ws: Workspace, filing: Filing, *, actor: str) -> Filing:
    """Record ``filing`` in ``ws`` as a new version under the account ``actor``."""
    with ws.transaction() as db:
        return record_filing(db, filing, actor=actor, device=ws.device)


def plan_scope(ws: Workspace, spec: SessionSpec) -> ScopeFinding | None:
    """What of a plan about to be made is outside the filing (under the code it names)."""
    return scope_check(
        filing_in_force(ws),
        spec.occupation,
        spec.work_type,
        spec.level,
        branch=spec.institution.filing_code,
    )


def kit_scope(ws: Workspace, session_ref: str) -> ScopeFinding | None:
    """What of a planned session is outside the filing, before its kit is written."""
    session_id = ws.resolve_session_id(session_ref)
    with ws.reading() as db:
        return session_scope(db, session_id)


# -- what applies to a session ----------------------------------------------------------------


def _session_code(db: Session, session_id: str) -> tuple[ExamSession, str]:
    session = db.get(ExamSession, session_id)
    if session is None:
        raise UserError(f"session {session_id} is not in this database")
    institution = db.get(Institution, session.institution_id)
    assert institution is not None  # a foreign key
    return session, institution.filing_code


def filing_code_for(db: Session, session_id: str) -> str:
    """The filing code that applies to the session: the branch's own where the session is
    planned under a branch's code, else the filing's; the code it was planned under where no
    filing is recorded."""
    _session, code = _session_code(db, session_id)
    filing = current_filing(db)
    if filing is None or code in filing.codes():
        return code
    return filing.code


def session_scope(db: Session, session_id: str) -> ScopeFinding | None:
    """``scope_check`` for a session already planned (at kit export)."""
    session, code = _session_code(db, session_id)
    return scope_check(
        current_filing(db), session.occupation, session.work_type, session.level, branch=code
    )


def filed_occupation(db: Session, session_id: str) -> FiledOccupation | None:
    """The filed occupation (工种) a session falls under, for statistics broken down by filed
    occupation; None where nothing is filed or the session is outside the filing."""
    session, _code = _session_code(db, session_id)
    filing = current_filing(db)
    if filing is None:
        return None
    return _filed_entry(filing, session.occupation, session.work_type)


def filed_occupations(db: Session, session_ids: Sequence[str]) -> dict[str, FiledOccupation | None]:
    """``filed_occupation`` for many sessions at once (the filing read once, the sessions in
    one query): what a year's statistics ask."""
    filing = current_filing(db)
    out: dict[str, FiledOccupation | None] = dict.fromkeys(session_ids)
    if filing is None or not session_ids:
        return out
    rows = db.exec(
        select(ExamSession.id, ExamSession.occupation, ExamSession.work_type).where(
            col(ExamSession.id).in_(list(session_ids))
        )
    ).all()
    for session_id, occupation, work_type in rows:
        out[session_id] = _filed_entry(filing, occupation, work_type)
    return out


# -- files ----------------------------------------------------------------------------------


def filing_json(filing: Filing) -> dict[str, Any]:
    return {
        "code": filing.code,
        "kind": filing.kind,
        "occupations": [
            {"occupation": o.occupation, "work_type": o.work_type, "levels": list(o.levels)}
            for o in filing.occupations
        ],
        "branches": [{"code": b.code, "name": b.name} for b in filing.branches],
        "note": filing.note,
    }


def filing_from_json(value: object) -> Filing:
    """A filing from its JSON form (``filing_json``); ``FilingError`` names what is amiss."""

    def bad(f: str, en: str) -> FilingError:
        return FilingError([FilingProblem(None, f, "格式不对", en)])

    if not isinstance(value, dict):
        raise bad("file", "expected an object with code, kind, occupations, branches")
    try:
        occupations = tuple(
            FiledOccupation(
                str(o["occupation"]),
                str(o.get("work_type", "")),
                tuple(str(x) for x in o["levels"]),
            )
            for o in value.get("occupations", [])
        )
        branches = tuple(Branch(str(b["code"]), str(b["name"])) for b in value.get("branches", []))
    except (KeyError, TypeError, AttributeError) as exc:
        raise bad("occupations/branches", f"an entry lacks {exc}") from None
    return Filing(
        code=str(value.get("code", "")),
        kind=kind_of(str(value.get("kind", ""))),
        occupations=occupations,
        branches=branches,
        note=str(value.get("note", "")),
    )


def kind_of(text: str) -> str:
    """A kind as typed (its code, or its Chinese name) → its code."""
    text = text.strip()
    return next((k for k, zh in KIND_ZH.items() if text == zh), text)


def dumps(filing: Filing) -> str:
    data = filing_json(filing)
    data["version"] = filing.version
    data["recorded_by"] = filing.recorded_by
    data["recorded_at"] = filing.recorded_at.isoformat() if filing.recorded_at else None
    return json.dumps(data, ensure_ascii=False, indent=2)
