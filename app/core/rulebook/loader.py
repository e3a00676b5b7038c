"""Loads rulebook files (TOML), validates them and merges extension rulebooks onto their base.

A base rulebook defines ``[[articles]]`` and ``[[clauses]]``. An extension rulebook (Art. 22:
provincial or industry rules) names its base with ``extends`` and may only add: keywords, search
cues and notes to existing articles and clauses (``[[add_to_articles]]``, ``[[add_to_clauses]]``)
and local clauses under existing articles (``[[clauses]]``, marked ``local``). It cannot change
the verbatim national text; trying to is reported as a problem, never applied silently.

A local clause is handled exactly like the national clauses of its article, so it may not weaken
or bypass them: it must need the same facts and escalate the same way as one of them, may not
reuse a national item number, and may not outrank a national clause in the search. A file
outside the shipped folder may not carry the id of a shipped rulebook.

Every problem of a file is reported at once, one line each:
``file.toml: clause 6.3: field 'facts': unknown fact 'colour'``.
"""

from __future__ import annotations

import dataclasses
import functools
import tomllib
from collections.abc import Iterable, Sequence
from pathlib import Path

from app.core.resources import resource_path
from app.core.rulebook.model import Article, Clause, Fact, Rulebook, RulebookError
from app.core.rulebook.schema import Addition, Layer, Problems, read_layer

__all__ = [
    "DEFAULT_RULEBOOK_ID",
    "RulebookNotFoundError",
    "RulebookValidationError",
    "available_rulebooks",
    "builtin_dir",
    "load_rulebook",
]


class RulebookValidationError(RulebookError):
    """A rulebook file with problems; ``problems`` holds one line per problem."""

    def __init__(self, problems: Sequence[str]) -> None:
        self.problems = tuple(problems)
        count = len(self.problems)
        head = "rulebook: 1 problem" if count == 1 else f"rulebook: {count} problems"
        super().__init__(head + ":\n" + "\n".join(f"  {p}" for p in self.problems))


class RulebookNotFoundError(RulebookError):
    def __init__(self, ref: str, known: Sequence[str]) -> None:
        listed = ", ".join(known) if known else "none"
        super().__init__(f"rulebook: no rulebook '{ref}' (available: {listed})")
        self.ref = ref


# The shipped national guideline: what a new session, the rules commands and the rulebook
# browser use unless another rulebook is chosen.
DEFAULT_RULEBOOK_ID = "cn-national-2021"


def builtin_dir() -> Path:
    """The folder of the rulebooks shipped with the app."""
    return resource_path("rulebooks")


def load_rulebook(ref: str | Path, search_dirs: Sequence[str | Path] = ()) -> Rulebook:
    """The rulebook ``ref`` names: a rulebook id or the path of a ``.toml`` file.

    Ids are looked up in the shipped rulebooks first, then in ``search_dirs``. An extension is
    returned merged onto its base chain. The result is cached while the files are unchanged.
    """
    dirs = _dirs(search_dirs)
    path = _resolve(ref, dirs)
    chain = _chain(path, dirs)
    stamps = tuple((layer_path, _stamp(layer_path)) for layer_path in chain)
    return _assemble_cached(stamps)


def available_rulebooks(
    search_dirs: Sequence[str | Path] = (), *, english: bool = False
) -> list[tuple[str, str, str]]:
    """(id, title, version) of every readable rulebook, shipped ones first; the title in
    Chinese, or with ``english`` its English one where the file gives it."""
    return [
        (rid, (english and title_en) or title_zh, version)
        for rid, (_, title_zh, version, title_en) in _catalogue(_dirs(search_dirs))
    ]


# --- finding files -------------------------------------------------------------------------


def _dirs(search_dirs: Sequence[str | Path]) -> tuple[Path, ...]:
    # The shipped folder comes first, so a file elsewhere cannot shadow the national rulebook.
    found = [builtin_dir(), *(Path(d) for d in search_dirs)]
    return tuple(dict.fromkeys(d.resolve() for d in found))


def _stamp(path: Path) -> tuple[int, int]:
    st = path.stat()
    return st.st_mtime_ns, st.st_size


def _catalogue(dirs: Iterable[Path]) -> list[tuple[str, tuple[Path, str, str, str]]]:
    seen: dict[str, tuple[Path, str, str, str]] = {}
    for folder in dirs:
        if not folder.is_dir():
            continue
        for path in sorted(folder.glob("*.toml")):
            header = _header(path.resolve(), _stamp(path))
            if header is not None and header[0] not in seen:
                seen[header[0]] = (path.resolve(), header[1], header[2], header[3])
    return list(seen.items())


@functools.lru_cache(maxsize=256)
def _header(path: Path, stamp: tuple[int, int]) -> tuple[str, str, str, str] | None:
    """(id, title_zh, version, title_en) from a file's ``[rulebook]`` table; None if
    unreadable."""
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError):
        return None
    table = data.get("rulebook")
    if not isinstance(table, dict) or not isinstance(table.get("id"), str):
        return None
    title, version = table.get("title_zh", ""), table.get("version", "")
    return table["id"], str(title), str(version), str(table.get("title_en", ""))


def _resolve(ref: str | Path, dirs: Sequence[Path]) -> Path:
    text = str(ref)
    as_path = Path(ref)
    if isinstance(ref, Path) or text.endswith(".toml") or "/" in text or "\\" in text:
        if as_path.is_file():
            return as_path.resolve()
        # A bare file name ("example-province-2024.toml") is also looked up in the folders.
        named = [d / text for d in dirs if as_path.name == text and (d / text).is_file()]
        if named:
            return named[0]
        raise RulebookError(f"rulebook: file not found: {as_path}")
    for rid, (path, *_) in _catalogue(dirs):
        if rid == text:
            return path
    raise RulebookNotFoundError(text, [rid for rid, _ in _catalogue(dirs)])


def _chain(path: Path, dirs: Sequence[Path]) -> tuple[Path, ...]:
    """The files from the base rulebook to ``path``, following ``extends``."""
    chain = [path]
    while True:
        layer = _layer(chain[-1])
        if layer.extends is None:
            return tuple(reversed(chain))
        try:
            base = _resolve_base(layer.extends, chain[-1], dirs)
        except RulebookNotFoundError as exc:
            raise RulebookValidationError(
                [f"{chain[-1].name}: rulebook: field 'extends': {exc}"]
            ) from None
        except RulebookError:
            raise RulebookValidationError([_missing_base(layer.extends, chain[-1])]) from None
        if base in chain:
            names = " → ".join(p.name for p in [*chain, base])
            raise RulebookValidationError(
                [f"{chain[-1].name}: rulebook: field 'extends': cycle {names}"]
            )
        chain.append(base)


def _path_like(text: str) -> bool:
    return text.endswith(".toml") or "/" in text or "\\" in text


def _resolve_base(ref: str, extension: Path, dirs: Sequence[Path]) -> Path:
    """The file an extension's ``extends`` names.

    A relative path is read from the extension's own folder first (then the working folder),
    so a province folder is self-contained wherever the app is started; an id is looked up in
    the shipped folder first, then the search folders and the extension's folder.
    """
    as_path = Path(ref)
    if _path_like(ref) and not as_path.is_absolute():
        beside = extension.parent / as_path
        if beside.is_file():
            return beside.resolve()
    return _resolve(ref, (*dirs, extension.parent))


def _missing_base(ref: str, extension: Path) -> str:
    if _path_like(ref) and not Path(ref).is_absolute():
        looked = f"looked beside this file in {extension.parent} and in {Path.cwd()}"
    else:
        looked = "no such file"
    return (
        f"{extension.name}: rulebook: field 'extends': base rulebook file not found: {ref} "
        f"({looked}); give the base rulebook's id, or its path relative to this file"
    )


def _shipped_ids() -> dict[str, Path]:
    """Id → file of each rulebook shipped with the app."""
    return {rid: path for rid, (path, *_) in _catalogue([builtin_dir().resolve()])}


def _impersonation(path: Path, layer: Layer) -> list[str]:
    """A problem when a file outside the shipped folder uses a shipped rulebook's id.

    Outcomes record the rulebook by id, so such a file (loaded by path or reached through
    ``extends``) would have its handling recorded as the shipped regulation's.
    """
    shipped = _shipped_ids().get(layer.id)
    if shipped is None or path.resolve().parent == builtin_dir().resolve():
        return []
    problems = Problems(path.name)
    problems.add(
        "rulebook",
        "id",
        f"the id '{layer.id}' belongs to the shipped rulebook {shipped.name}; a rulebook file "
        f"outside {builtin_dir()} must use its own id (extend '{layer.id}' to build on it)",
    )
    return problems.lines


@functools.lru_cache(maxsize=64)
def _read(path: Path, stamp: tuple[int, int]) -> tuple[Layer | None, tuple[str, ...]]:
    """One file's parts and its problems; the parts are None when the file cannot be parsed."""
    problems = Problems(path.name)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        problems.add("", None, f"cannot read the file: {exc}")
        return None, tuple(problems.lines)
    return read_layer(text, path, problems), tuple(problems.lines)


def _layer(path: Path) -> Layer:
    """The parts of a file that at least parses (its other problems are reported later)."""
    layer, problems = _read(path, _stamp(path))
    if layer is None:
        raise RulebookValidationError(problems)
    return layer


# --- merging -------------------------------------------------------------------------------


@functools.lru_cache(maxsize=32)
def _assemble_cached(stamps: tuple[tuple[Path, tuple[int, int]], ...]) -> Rulebook:
    chain: list[Layer] = []
    lines: list[str] = []
    for path, stamp in stamps:
        layer, problems = _read(path, stamp)
        if layer is None:
            raise RulebookValidationError(problems)
        chain.append(layer)
        lines.extend(problems)
        lines.extend(_impersonation(path, layer))
    return assemble(chain, lines)


def assemble(chain: Sequence[Layer], lines: Sequence[str] = ()) -> Rulebook:
    """One rulebook from a base layer and its extensions (base first); checks references.

    ``lines`` are problems already found in the files; all are raised together.
    """
    base, top = chain[0], chain[-1]
    articles: dict[int, Article] = {a.number: a for a in base.articles}
    clauses: dict[str, Clause] = {}
    lines = list(lines)
    national_ids = frozenset(c.id for c in base.clauses)
    local_items: dict[tuple[int, int], str] = {}  # (article, item) → "clause (file)"
    for layer in chain:
        problems = Problems(layer.path.name)
        if layer is not base:
            articles = _add_to_articles(articles, layer.article_additions, problems)
            clauses = _add_to_clauses(clauses, layer.clause_additions, problems)
        clauses = _add_clauses(articles, clauses, layer, problems)
        if layer is not base:
            _check_local_clauses(layer, clauses, national_ids, local_items, problems)
        _check_measures(layer, clauses, problems)
        lines.extend(problems.lines)
    if lines:
        raise RulebookValidationError(lines)
    notes_zh = tuple(n for layer in chain for n in layer.notes_zh)
    notes_en = tuple(n for layer in chain for n in layer.notes_en)
    document_number = next(
        (layer.document_number for layer in reversed(chain) if layer.document_number), ""
    )
    return Rulebook(
        id=top.id,
        title_zh=top.title_zh,
        title_en=top.title_en,
        document_number=document_number,
        version=top.version,
        effective_date=top.effective_date,
        articles=dict(sorted(articles.items())),
        clauses=clauses,
        extends=tuple(layer.id for layer in reversed(chain[:-1])),
        notes_zh=notes_zh,
        notes_en=notes_en,
        effective_dates={layer.id: layer.effective_date for layer in chain},
    )


def _merged(old: tuple[str, ...], add: Addition, name: str) -> tuple[str, ...]:
    """The old entries, then the added ones not yet present."""
    return old + tuple(v for v in add.values.get(name, ()) if v not in old)


def _add_to_articles(
    articles: dict[int, Article], additions: Sequence[Addition], problems: Problems
) -> dict[int, Article]:
    result = dict(articles)
    for add in additions:
        number = int(add.target)
        if number not in result:
            problems.add(add.where, "number", f"no article {number} in the base rulebook")
            continue
        article = result[number]
        result[number] = dataclasses.replace(
            article,
            notes_zh=_merged(article.notes_zh, add, "notes_zh"),
            notes_en=_merged(article.notes_en, add, "notes_en"),
        )
    return result


def _add_to_clauses(
    clauses: dict[str, Clause], additions: Sequence[Addition], problems: Problems
) -> dict[str, Clause]:
    result = dict(clauses)
    for add in additions:
        if add.target not in result:
            problems.add(add.where, "id", f"no clause '{add.target}' in the base rulebook")
            continue
        clause = result[add.target]
        result[add.target] = dataclasses.replace(
            clause,
            keywords_zh=_merged(clause.keywords_zh, add, "keywords_zh"),
            keywords_en=_merged(clause.keywords_en, add, "keywords_en"),
            cues_zh=_merged(clause.cues_zh, add, "cues_zh"),
            cues_en=_merged(clause.cues_en, add, "cues_en"),
            notes_zh=_merged(clause.notes_zh, add, "notes_zh"),
            notes_en=_merged(clause.notes_en, add, "notes_en"),
        )
    return result


def _add_clauses(
    articles: dict[int, Article], clauses: dict[str, Clause], layer: Layer, problems: Problems
) -> dict[str, Clause]:
    """``clauses`` with the layer's own clauses, each after the last clause of its article."""
    order = list(clauses.values())
    known = set(clauses)
    for clause in layer.clauses:
        where = f"clause {clause.id}"
        if clause.id in known:
            hint = " (use [[add_to_clauses]] to add keywords or notes)" if clause.local else ""
            problems.add(where, "id", f"duplicate clause id '{clause.id}'{hint}")
            continue
        article = articles.get(clause.article)
        if f"article {clause.article}" in layer.broken:
            pass  # the article's own problem is reported already
        elif article is None:
            problems.add(where, "article", f"no article {clause.article}")
            continue
        elif article.party is None:
            problems.add(where, "article", f"article {clause.article} is a procedure article")
            continue
        elif article.party in clause.also_parties:
            problems.add(
                where,
                "also_parties",
                f"{article.party.value} is the party of article {clause.article} already",
            )
        known.add(clause.id)
        same = [i for i, c in enumerate(order) if c.article == clause.article]
        at = same[-1] + 1 if same else _insert_point(order, clause.article)
        order.insert(at, clause)
    for clause in order:
        if clause.source != layer.id:
            continue
        for esc in clause.escalations:
            if esc.to not in known and f"clause {esc.to}" not in layer.broken:
                problems.add(
                    f"clause {clause.id}", "escalations", f"escalation to missing clause '{esc.to}'"
                )
        for other in clause.outranks:
            if other not in known and f"clause {other}" not in layer.broken:
                problems.add(f"clause {clause.id}", "outranks", f"no clause '{other}' to outrank")
    return {c.id: c for c in order}


# --- local clauses may not weaken the national handling -------------------------------------

# The handling-relevant shape of a clause: the facts it needs (a set: the order does not change
# what the engine asks) and its escalations as (fact, equals, to), in order (the engine takes
# the first that matches); notes are wording only.
_Shape = tuple[frozenset[Fact], tuple[tuple[Fact, str | bool, str], ...]]


def _shape(clause: Clause) -> _Shape:
    return frozenset(clause.facts), tuple((e.fact, e.equals, e.to) for e in clause.escalations)


def _describe(shape: _Shape) -> tuple[str, str]:
    facts, escalations = shape
    named = str([f.value for f in Fact if f in facts])  # in a fixed order, easy to compare
    if not escalations:
        return named, "no escalations"
    steps = ", ".join(
        f"{fact.value}={str(equals).lower() if isinstance(equals, bool) else equals} → {to}"
        for fact, equals, to in escalations
    )
    return named, f"escalations [{steps}]"


def _id_ranges(ids: Sequence[str], order: Sequence[str]) -> str:
    """Clause ids, runs of three or more neighbours written as a range: ``7.1–7.7, 7.9``."""
    position = {cid: i for i, cid in enumerate(order)}
    runs: list[list[str]] = []
    for cid in ids:
        if runs and position[cid] == position[runs[-1][-1]] + 1:
            runs[-1].append(cid)
        else:
            runs.append([cid])
    return ", ".join(f"{r[0]}–{r[-1]}" if len(r) > 2 else ", ".join(r) for r in runs)


def _check_shape(clause: Clause, national: Sequence[Clause], problems: Problems) -> None:
    """A local clause needs the facts and escalations of one national clause of its article;
    otherwise it could add a condition that negates a violation (Art. 6 "reminded and
    corrected"), drop one (Art. 11 adverse effect) or skip or redirect an escalation."""
    shape = _shape(clause)
    groups: dict[_Shape, list[str]] = {}
    for other in national:
        groups.setdefault(_shape(other), []).append(other.id)
    if shape in groups:
        return
    order = [c.id for c in national]
    allowed = "; ".join(
        f"{_id_ranges(ids, order)}: facts {', '.join(_describe(s))}" for s, ids in groups.items()
    )
    # The field at fault: the facts, unless they match and only the escalations differ.
    field_name = "escalations" if any(s[0] == shape[0] for s in groups) else "facts"
    facts, escalations = _describe(shape)
    if not groups:
        message = f"article {clause.article} has no national clause for a local clause to follow"
    else:
        message = (
            f"a local clause under article {clause.article} must need the same facts and "
            f"escalate the same way as one of its national clauses ({allowed}); this one has "
            f"facts {facts} and {escalations}"
        )
    problems.add(f"clause {clause.id}", field_name, message)


def _check_local_clauses(
    layer: Layer,
    clauses: dict[str, Clause],
    national_ids: frozenset[str],
    local_items: dict[tuple[int, int], str],
    problems: Problems,
) -> None:
    """Refuses the layer's local clauses that would weaken or bypass national handling."""
    for clause in layer.clauses:
        if clauses.get(clause.id) is not clause:
            continue  # not merged (duplicate id, procedure article): reported already
        where = f"clause {clause.id}"
        same_article = [c for c in clauses.values() if c.article == clause.article]
        national = [c for c in same_article if c.id in national_ids]
        # A clause with problems of its own has lost the facts or escalations that were wrong.
        if where not in layer.broken:
            _check_shape(clause, national, problems)
        if clause.item is not None:
            free = max((c.item or 0 for c in same_article), default=0) + 1
            clash = next((c for c in national if c.item == clause.item), None)
            key = (clause.article, clause.item)
            if clash is not None:
                problems.add(
                    where,
                    "item",
                    f"item {clause.item} of article {clause.article} is national clause "
                    f"{clash.id}; number local clauses after the national items "
                    f"(next free: {free})",
                )
            elif key in local_items:
                problems.add(
                    where,
                    "item",
                    f"item {clause.item} of article {clause.article} is already local clause "
                    f"{local_items[key]}; give each local clause its own item (next free: {free})",
                )
            else:
                local_items[key] = f"{clause.id} ({layer.path.name})"
        for other in clause.outranks:
            if other in national_ids:
                problems.add(
                    where,
                    "outranks",
                    f"a local clause may not outrank national clause '{other}' (the search "
                    f"would rank it above the national clause); remove '{other}', a local "
                    "clause may outrank only other local clauses",
                )


def _insert_point(order: Sequence[Clause], article: int) -> int:
    return next((i for i, c in enumerate(order) if c.article > article), len(order))


def _check_measures(layer: Layer, clauses: dict[str, Clause], problems: Problems) -> None:
    for article in layer.articles:
        for measure in article.measures:
            for cid in measure.clauses:
                clause = clauses.get(cid)
                if clause is None or clause.article != article.number:
                    problems.add(
                        f"article {article.number}",
                        "measures",
                        f"measure '{measure.code}' names clause '{cid}', "
                        f"which is not a clause of article {article.number}",
                    )
