"""Reads one rulebook file into checked parts, recording every problem instead of stopping.

The loader (``loader.py``) finds files, follows ``extends`` and merges the parts of a chain;
this module knows the file format: which tables and fields exist and what each may hold.
"""

from __future__ import annotations

import datetime as dt
import tomllib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from typing import TypeVar

from app.core.rulebook.model import (
    Article,
    Clause,
    Effect,
    Escalation,
    Fact,
    Measure,
    Party,
    StaffRole,
)

# Values of the ``severity`` fact (Art. 7 情节轻微/情节严重; Art. 12 and 13.1).
SEVERITIES = ("minor", "serious")
# The measure that refers a case to the authorities (Art. 7 情节严重的 … 移送有关部门).
REFERRAL_CODE = "referred_to_authorities"
REFERRAL_WORD = "移送"
# What an extension may add to an existing clause (all) or article (notes only).
ADDABLE_FIELDS = ("keywords_zh", "keywords_en", "cues_zh", "cues_en", "notes_zh", "notes_en")
_ARTICLE_ADDABLE = ("notes_zh", "notes_en")

_RULEBOOK_FIELDS = {
    "id", "title_zh", "title_en", "document_number", "version", "effective_date", "extends",
    "notes_zh", "notes_en",
}  # fmt: skip
_ARTICLE_FIELDS = {
    "number", "party", "effect", "roles", "title_zh", "title_en", "head_zh", "head_en",
    "measures", "ban_years", "referral_severities", "notes_zh", "notes_en",
}  # fmt: skip
_MEASURE_FIELDS = {"code", "zh", "en", "clauses", "severity", "discretionary"}
_CLAUSE_FIELDS = {
    "id", "article", "item", "title_zh", "title_en", "text_zh", "text_en", "facts",
    "escalations", "keywords_zh", "keywords_en", "cues_zh", "cues_en", "outranks", "notes_zh",
    "notes_en", "local", "also_parties",
}  # fmt: skip
_ESCALATION_FIELDS = {"fact", "equals", "to", "note_zh", "note_en"}

_E = TypeVar("_E", bound=StrEnum)


class Problems:
    """Problem lines of one file: ``file: place: field 'name': what is wrong``."""

    def __init__(self, file: str) -> None:
        self.file = file
        self.lines: list[str] = []

    def add(self, where: str, field_name: str | None, message: str) -> None:
        parts = [self.file]
        if where:
            parts.append(where)
        if field_name:
            parts.append(f"field '{field_name}'")
        parts.append(message)
        self.lines.append(": ".join(parts))


@dataclass(frozen=True)
class Addition:
    """Entries an extension adds to an existing article (target: its number) or clause (id)."""

    target: str
    where: str
    values: dict[str, tuple[str, ...]]


@dataclass(frozen=True)
class Layer:
    """One file, checked on its own; references to other files are checked when merging."""

    path: Path
    id: str
    title_zh: str
    title_en: str
    document_number: str
    version: str
    effective_date: dt.date
    extends: str | None
    notes_zh: tuple[str, ...] = ()
    notes_en: tuple[str, ...] = ()
    articles: tuple[Article, ...] = ()
    clauses: tuple[Clause, ...] = ()
    article_additions: tuple[Addition, ...] = field(default=())
    clause_additions: tuple[Addition, ...] = field(default=())
    # "article 5", "clause 6.3": tables that had problems (already reported).
    broken: frozenset[str] = frozenset()


def _type_name(value: object) -> str:
    names = {bool: "boolean", int: "integer", float: "number", str: "text", list: "array"}
    if isinstance(value, dict):
        return "table"
    if isinstance(value, dt.datetime):
        return "date-time"
    if isinstance(value, dt.date):
        return "date"
    return names.get(type(value), type(value).__name__)


class _Table:
    """Typed reads from one TOML table; each problem is recorded against its place and field."""

    def __init__(
        self, data: dict[str, object], where: str, problems: Problems, allowed: set[str]
    ) -> None:
        self.data, self.where, self.problems = data, where, problems
        for key in data:
            if key not in allowed:
                self.problem(key, "unknown field")

    def problem(self, key: str | None, message: str) -> None:
        self.problems.add(self.where, key, message)

    def _get(self, key: str, required: bool, kind: type, kind_name: str) -> object | None:
        if key not in self.data:
            if required:
                self.problem(key, "missing required field")
            return None
        value = self.data[key]
        # bool is an int in Python; TOML keeps them apart, so do we.
        if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
            self.problem(key, f"expected {kind_name}, got {_type_name(value)}")
            return None
        return value

    def text(self, key: str, required: bool = True) -> str:
        value = self._get(key, required, str, "text")
        if isinstance(value, str) and required and not value.strip():
            self.problem(key, "must not be empty")
        return value if isinstance(value, str) else ""

    def integer(self, key: str, required: bool = True) -> int | None:
        value = self._get(key, required, int, "integer")
        return value if isinstance(value, int) else None

    def boolean(self, key: str, default: bool = False) -> bool:
        value = self._get(key, False, bool, "boolean")
        return value if isinstance(value, bool) else default

    def texts(self, key: str) -> tuple[str, ...]:
        value = self._get(key, False, list, "array of text")
        if not isinstance(value, list):
            return ()
        bad = [v for v in value if not isinstance(v, str)]
        if bad:
            self.problem(key, f"expected array of text, found {_type_name(bad[0])} {bad[0]!r}")
        return tuple(v for v in value if isinstance(v, str))

    def choice(self, key: str, enum: type[_E], label: str, required: bool = True) -> _E | None:
        value = self.text(key, required)
        if not value:
            return None
        try:
            return enum(value)
        except ValueError:
            known = ", ".join(e.value for e in enum)
            self.problem(key, f"unknown {label} '{value}' (known: {known})")
            return None

    def choices(self, key: str, enum: type[_E], label: str) -> tuple[_E, ...]:
        found: list[_E] = []
        for value in self.texts(key):
            try:
                found.append(enum(value))
            except ValueError:
                known = ", ".join(e.value for e in enum)
                self.problem(key, f"unknown {label} '{value}' (known: {known})")
        return tuple(found)

    def tables(self, key: str) -> list[dict[str, object]]:
        value = self._get(key, False, list, "array of tables")
        if not isinstance(value, list):
            return []
        if any(not isinstance(v, dict) for v in value):
            self.problem(key, "expected array of tables")
        return [v for v in value if isinstance(v, dict)]

    def date(self, key: str) -> dt.date | None:
        value = self.data.get(key)
        if value is None:
            self.problem(key, "missing required field")
            return None
        if isinstance(value, dt.datetime):
            return value.date()
        if isinstance(value, dt.date):
            return value
        if isinstance(value, str):
            try:
                return dt.date.fromisoformat(value)
            except ValueError:
                pass
        self.problem(key, f"not a date: {value!r} (write it as 2021-12-23)")
        return None


def read_layer(text: str, path: Path, problems: Problems) -> Layer | None:
    """The checked parts of one file; None (with problems recorded) when it cannot be read."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:  # its message names the line and column
        problems.add("", None, f"TOML syntax error: {exc}")
        return None
    head_data = data.get("rulebook")
    if not isinstance(head_data, dict):
        problems.add("", None, "missing the [rulebook] table")
        return None
    head = _Table(head_data, "rulebook", problems, _RULEBOOK_FIELDS)
    extends = head.text("extends", required=False) or None
    allowed = {"rulebook", "articles", "clauses", "add_to_articles", "add_to_clauses"}
    top = _Table(data, "", problems, allowed)
    if extends is None:
        for key in ("add_to_articles", "add_to_clauses"):
            if key in data:
                top.problem(key, "only an extension rulebook (with 'extends') may use it")
    rulebook_id = head.text("id")
    header = {
        "title_zh": head.text("title_zh"),
        "title_en": head.text("title_en"),
        "document_number": head.text("document_number", required=extends is None),
        "version": head.text("version"),
    }
    effective_date = head.date("effective_date") or dt.date.min
    notes_zh, notes_en = head.texts("notes_zh"), head.texts("notes_en")
    article_tables = top.tables("articles")
    clause_tables = top.tables("clauses")
    if extends is None:
        if not article_tables:
            top.problem("articles", "a base rulebook needs [[articles]]")
        if not clause_tables:
            top.problem("clauses", "a base rulebook needs [[clauses]]")
    elif article_tables:
        top.problem("articles", "an extension may not define articles; use [[add_to_articles]]")
    # A table with problems is kept when it can be named, so references to it are not reported
    # again as missing; its name goes into ``broken`` so merging skips checks that would repeat.
    broken: set[str] = set()
    articles: list[Article] = []
    for i, t in enumerate(article_tables):
        before = len(problems.lines)
        article = _article(t, i, rulebook_id, problems)
        if len(problems.lines) != before:
            broken.add(f"article {t.get('number')}")
        if article is not None:
            articles.append(article)
    clauses: list[Clause] = []
    for i, t in enumerate(clause_tables):
        before = len(problems.lines)
        clause = _clause(t, i, rulebook_id, extends is not None, problems)
        if len(problems.lines) != before:
            broken.add(f"clause {t.get('id')}")
        if clause is not None:
            clauses.append(clause)
    _no_duplicates([a.number for a in articles], "article", "number", problems)
    # Duplicate clause ids are found when merging, where ids of the base are known too.
    additions = [
        _addition(t, i, True, problems) for i, t in enumerate(top.tables("add_to_articles"))
    ]
    clause_additions = [
        _addition(t, i, False, problems) for i, t in enumerate(top.tables("add_to_clauses"))
    ]
    return Layer(
        path=path,
        id=rulebook_id,
        title_zh=header["title_zh"],
        title_en=header["title_en"],
        document_number=header["document_number"],
        version=header["version"],
        effective_date=effective_date,
        extends=extends,
        notes_zh=notes_zh,
        notes_en=notes_en,
        articles=tuple(articles),
        clauses=tuple(clauses),
        broken=frozenset(broken),
        article_additions=tuple(a for a in additions if a is not None),
        clause_additions=tuple(a for a in clause_additions if a is not None),
    )


_T = TypeVar("_T")


def _present(items: Iterable[_T | None]) -> tuple[_T, ...]:
    return tuple(i for i in items if i is not None)


def _no_duplicates(keys: Sequence[object], kind: str, key: str, problems: Problems) -> None:
    seen: set[object] = set()
    for value in keys:
        if value in seen:
            problems.add(f"{kind} {value}", key, f"duplicate {kind} {key} '{value}'")
        seen.add(value)


def _article(
    data: dict[str, object], index: int, source: str, problems: Problems
) -> Article | None:
    number = data.get("number")
    where = f"article {number}" if isinstance(number, int) else f"article #{index + 1}"
    before = len(problems.lines)
    t = _Table(data, where, problems, _ARTICLE_FIELDS)
    num = t.integer("number")
    effect = t.choice("effect", Effect, "effect")
    party = t.choice("party", Party, "party", required=effect is not Effect.PROCEDURE)
    roles = t.choices("roles", StaffRole, "role")
    if roles and party is not None and party is not Party.STAFF:
        t.problem("roles", "roles are only for staff articles")
    ban_years: dict[str, int] = {}
    ban_data = t._get("ban_years", False, dict, "table")
    if isinstance(ban_data, dict):
        for key, value in ban_data.items():
            if key not in SEVERITIES:
                t.problem("ban_years", f"unknown severity '{key}' (known: {', '.join(SEVERITIES)})")
            elif not isinstance(value, int) or isinstance(value, bool) or value <= 0:
                t.problem("ban_years", f"'{key}' must be a positive number of years")
            else:
                ban_years[key] = value
    referrals = t.texts("referral_severities")
    for value in referrals:
        if value not in SEVERITIES:
            t.problem("referral_severities", f"unknown severity '{value}'")
    article = Article(
        number=num or 0,
        party=party,
        effect=effect or Effect.PROCEDURE,
        head_zh=t.text("head_zh"),
        head_en=t.text("head_en"),
        title_zh=t.text("title_zh", required=False),
        title_en=t.text("title_en", required=False),
        roles=roles,
        measures=_present(
            _measure(m, where, i, problems) for i, m in enumerate(t.tables("measures"))
        ),
        ban_years=ban_years,
        referral_severities=referrals,
        notes_zh=t.texts("notes_zh"),
        notes_en=t.texts("notes_en"),
        source=source,
    )
    # Checked only on an article without other problems: a dropped measure or ban entry would
    # otherwise be reported a second time as a mismatch.
    if effect is Effect.ALL_CANCELLED_MULTI_YEAR_BAN and len(problems.lines) == before:
        _check_multi_year_ban(article, t)
    return article if num is not None else None


def _check_multi_year_ban(article: Article, t: _Table) -> None:
    """The ban years and referrals the engine applies must be the ones the verbatim measures
    state, so an edited copy cannot shorten a ban or drop a referral unnoticed."""
    for severity, years in article.ban_years.items():
        said = f"{years}年"
        own = [m for m in article.measures if m.severity == severity]
        if not any(said in m.zh for m in own):
            stated = "; ".join(f"{m.code}: {m.zh}" for m in own) or "none"
            unit = "year" if years == 1 else "years"
            t.problem(
                "ban_years",
                f"{severity} = {years} {unit}, but no measure for severity '{severity}' says "
                f"'{said}' (its measures: {stated}); make ban_years agree with the article's "
                "measures",
            )
    # A referral measure without a severity refers every case.
    referring = {
        s
        for m in article.measures
        if m.code == REFERRAL_CODE or REFERRAL_WORD in m.zh
        for s in ((m.severity,) if m.severity else SEVERITIES)
    }
    given = set(article.referral_severities)
    if given != referring:
        t.problem(
            "referral_severities",
            f"{[s for s in SEVERITIES if s in given]} here, but the article's referral measures "
            f"(code '{REFERRAL_CODE}' or text with '{REFERRAL_WORD}') are for "
            f"{[s for s in SEVERITIES if s in referring]}; list exactly those severities",
        )


def _measure(
    data: dict[str, object], article_where: str, index: int, problems: Problems
) -> Measure | None:
    code = data.get("code")
    label = code if isinstance(code, str) else f"#{index + 1}"
    t = _Table(data, f"{article_where}: measure {label}", problems, _MEASURE_FIELDS)
    before = len(problems.lines)
    severity = t.text("severity", required=False)
    if severity and severity not in SEVERITIES:
        t.problem("severity", f"unknown severity '{severity}' (known: {', '.join(SEVERITIES)})")
    measure = Measure(
        code=t.text("code"),
        zh=t.text("zh"),
        en=t.text("en"),
        clauses=t.texts("clauses"),
        severity=severity,
        discretionary=t.boolean("discretionary"),
    )
    return measure if len(problems.lines) == before else None


def _clause(
    data: dict[str, object], index: int, source: str, extension: bool, problems: Problems
) -> Clause | None:
    cid = data.get("id")
    where = f"clause {cid}" if isinstance(cid, str) and cid else f"clause #{index + 1}"
    t = _Table(data, where, problems, _CLAUSE_FIELDS)
    facts = t.choices("facts", Fact, "fact")
    local = t.boolean("local", default=extension)
    if local != extension:
        t.problem(
            "local",
            "an extension's clauses are local"
            if extension
            else "only extensions add local clauses",
        )
    escalations = _present(
        _escalation(e, where, i, facts, problems) for i, e in enumerate(t.tables("escalations"))
    )
    clause = Clause(
        id=t.text("id"),
        article=t.integer("article") or 0,
        item=t.integer("item", required=False),
        text_zh=t.text("text_zh"),
        text_en=t.text("text_en"),
        title_zh=t.text("title_zh"),
        title_en=t.text("title_en"),
        facts=facts,
        escalations=escalations,
        keywords_zh=t.texts("keywords_zh"),
        keywords_en=t.texts("keywords_en"),
        cues_zh=t.texts("cues_zh"),
        cues_en=t.texts("cues_en"),
        outranks=t.texts("outranks"),
        notes_zh=t.texts("notes_zh"),
        notes_en=t.texts("notes_en"),
        also_parties=t.choices("also_parties", Party, "party"),
        local=local,
        source=source,
    )
    return clause if clause.id else None


def _escalation(
    data: dict[str, object],
    clause_where: str,
    index: int,
    facts: Sequence[Fact],
    problems: Problems,
) -> Escalation | None:
    t = _Table(data, clause_where, problems, _ESCALATION_FIELDS)
    before = len(problems.lines)
    fact = t.choice("fact", Fact, "fact")
    to = t.text("to")
    equals = data.get("equals")
    label = f"escalations[{index + 1}]"
    if fact is not None and fact not in facts:
        t.problem(label, f"fact '{fact.value}' is not among the clause's facts")
    if equals is None:
        t.problem(label, "missing 'equals'")
    elif fact is Fact.SEVERITY and equals not in SEVERITIES:
        t.problem(label, f"'equals' for severity must be one of {', '.join(SEVERITIES)}")
    elif fact is not None and fact is not Fact.SEVERITY and not isinstance(equals, bool):
        t.problem(label, f"'equals' for fact '{fact.value}' must be true or false")
    if len(problems.lines) != before or fact is None or not isinstance(equals, str | bool):
        return None
    return Escalation(
        fact=fact,
        equals=equals,
        to=to,
        note_zh=t.text("note_zh", required=False),
        note_en=t.text("note_en", required=False),
    )


def _addition(
    data: dict[str, object], index: int, is_article: bool, problems: Problems
) -> Addition | None:
    key = "number" if is_article else "id"
    target = data.get(key)
    kind = "add_to_articles" if is_article else "add_to_clauses"
    where = f"{kind} {target}" if target is not None else f"{kind} #{index + 1}"
    addable = _ARTICLE_ADDABLE if is_article else ADDABLE_FIELDS
    national = _ARTICLE_FIELDS if is_article else _CLAUSE_FIELDS
    before = len(problems.lines)
    values: dict[str, tuple[str, ...]] = {}
    t = _Table(data, where, problems, set(data))  # unknown and forbidden fields checked below
    for name in data:
        if name == key or name in addable:
            continue
        if name in national:
            t.problem(name, "an extension may not change the base rulebook's text; add a note")
        else:
            t.problem(name, "unknown field")
    ident = t.integer(key) if is_article else t.text(key)
    for name in addable:
        if name in data:
            values[name] = t.texts(name)
    if len(problems.lines) != before or ident is None:
        return None
    return Addition(target=str(ident), where=where, values=values)
