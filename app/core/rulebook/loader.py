"""Loads rulebook files (TOML), validates them and merges extension rulebooks onto their base.

A base rulebook defines ``[[articles]]`` and ``[[clauses]]``. An extension rulebook (Art. 22:
provincial or industry rules) names its base with ``extends`` and may only add: keywords, search
cues and notes to existing articles and clauses (``[[add_to_articles]]``, ``[[add_to_clauses]]``)
and local clauses under existing articles (``[[clauses]]``, marked ``local``). It cannot change
the verbatim national text; trying to is reported as a problem, never applied silently.

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
from app.core.rulebook.model import Article, Clause, Rulebook, RulebookError
from app.core.rulebook.schema import Addition, Layer, Problems, read_layer

__all__ = [
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
        # A base is looked up beside the extension too, so a province folder is self-contained.
        base_dirs = (*dirs, chain[-1].parent)
        try:
            base = _resolve(layer.extends, base_dirs)
        except RulebookNotFoundError as exc:
            raise RulebookValidationError(
                [f"{chain[-1].name}: rulebook: field 'extends': {exc}"]
            ) from None
        if base in chain:
            names = " → ".join(p.name for p in [*chain, base])
            raise RulebookValidationError(
                [f"{chain[-1].name}: rulebook: field 'extends': cycle {names}"]
            )
        chain.append(base)


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
    return assemble(chain, lines)


def assemble(chain: Sequence[Layer], lines: Sequence[str] = ()) -> Rulebook:
    """One rulebook from a base layer and its extensions (base first); checks references.

    ``lines`` are problems already found in the files; all are raised together.
    """
    base, top = chain[0], chain[-1]
    articles: dict[int, Article] = {a.number: a for a in base.articles}
    clauses: dict[str, Clause] = {}
    lines = list(lines)
    for layer in chain:
        problems = Problems(layer.path.name)
        if layer is not base:
            articles = _add_to_articles(articles, layer.article_additions, problems)
            clauses = _add_to_clauses(clauses, layer.clause_additions, problems)
        clauses = _add_clauses(articles, clauses, layer, problems)
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
