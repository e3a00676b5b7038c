"""``proctor-desk rules``: list, show, search and classify clauses of a rulebook.

``classify`` states what the guideline provides for; on site that is the applicable handling
pending the institution's determination (Art. 16–17), never the decision itself.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from app.cli.errors import CliError
from app.core.json_keys import refusing_duplicates
from app.core.rulebook import DEFAULT_RULEBOOK_ID
from app.core.rulebook.model import Article, Clause, Effect, Party, Rulebook

if TYPE_CHECKING:
    from app.core.rulebook.outcome import Outcome

PARTIES = [p.value for p in Party]


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "rules", help="browse the rulebook and classify incidents (规则库与违纪违规认定)"
    )
    commands = parser.add_subparsers(dest="rules_command", metavar="COMMAND", required=True)

    common = argparse.ArgumentParser(add_help=False)
    common.add_argument(
        "--rulebook",
        default=DEFAULT_RULEBOOK_ID,
        metavar="REF",
        help=f"rulebook id or path to a rulebook file (default: {DEFAULT_RULEBOOK_ID})",
    )

    p_list = commands.add_parser("list", parents=[common], help="list the clauses")
    p_list.add_argument("--party", choices=PARTIES, help="only clauses for this party")
    p_list.add_argument("--json", action="store_true", help="print JSON")
    p_list.set_defaults(func=_list)

    p_show = commands.add_parser("show", parents=[common], help="show one clause in full")
    p_show.add_argument(
        "clause",
        metavar="CLAUSE",
        help='clause id, e.g. "6.1" or "11", or a procedural article: 8, 16 to 20',
    )
    p_show.add_argument("--json", action="store_true", help="print JSON")
    p_show.set_defaults(func=_show)

    p_search = commands.add_parser(
        "search", parents=[common], help="find clauses matching a description"
    )
    p_search.add_argument("text", metavar="TEXT", help="what happened, in Chinese or English")
    p_search.add_argument("--party", choices=PARTIES, help="only clauses for this party")
    p_search.add_argument("--limit", type=_positive_int, default=10, help="at most N hits")
    p_search.add_argument("--json", action="store_true", help="print JSON")
    p_search.set_defaults(func=_search)

    p_classify = commands.add_parser(
        "classify",
        parents=[common],
        help="classify incident facts given as one JSON object (stdin by default)",
    )
    p_classify.add_argument(
        "file", nargs="?", default="-", metavar="FILE", help='JSON file, or "-" for stdin'
    )
    p_classify.set_defaults(func=_classify)


def _positive_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a whole number, got '{text}'") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"expected 1 or more, got {value}")
    return value


def _load(ref: str) -> Rulebook:
    from app.core.rulebook.loader import load_rulebook

    return load_rulebook(ref)


def _emit(text: str) -> None:
    """Write UTF-8 whatever the console's code page, so Chinese survives redirection."""
    data = (text if text.endswith("\n") else text + "\n").encode("utf-8")
    sys.stdout.flush()
    buffer = getattr(sys.stdout, "buffer", None)
    if buffer is None:
        sys.stdout.write(data.decode("utf-8"))
    else:
        buffer.write(data)
        buffer.flush()


def _json(obj: object) -> str:
    return json.dumps(obj, ensure_ascii=False, indent=2)


def _list(args: argparse.Namespace) -> int:
    rulebook = _load(args.rulebook)
    rows: list[dict[str, Any]] = []
    for clause in rulebook.clauses.values():
        parties = [p.value for p in rulebook.parties_of(clause)]
        if not parties or (args.party and args.party not in parties):
            continue
        rows.append(
            {
                "clause": clause.id,
                "party": parties[0],  # the article's
                "parties": parties,  # 15.2 reaches staff as well
                "article": clause.article,
                "title_zh": clause.title_zh,
                "title_en": clause.title_en,
                "local": clause.local,
            }
        )
    if args.json:
        _emit(_json(rows))
        return 0
    width = max([len("clause"), *(len(r["clause"]) for r in rows)]) + 2
    shown = ["/".join(r["parties"]) for r in rows]
    party_width = max([len("party"), *(len(p) for p in shown)]) + 2
    lines = [f"{'clause':<{width}}{'party':<{party_width}}title"]
    lines += [
        f"{r['clause']:<{width}}{p:<{party_width}}{r['title_zh']}  {r['title_en']}"
        for r, p in zip(rows, shown, strict=True)
    ]
    _emit("\n".join(lines))
    return 0


def _clause_or_error(rulebook: Rulebook, clause_id: str) -> Clause:
    clause = rulebook.clauses.get(clause_id)
    if clause is None:
        raise CliError(f"field 'clause': unknown clause '{clause_id}' in rulebook {rulebook.id}")
    return clause


def clause_details(rulebook: Rulebook, clause: Clause) -> dict[str, Any]:
    """Everything ``rules show`` prints about a clause, as JSON-ready data."""
    from app.core.rulebook.explain import citation_en, citation_zh, defining_rulebook, paragraph_of

    article = rulebook.article_of(clause)
    source = defining_rulebook(rulebook, clause.source)
    measures = [m for m in article.measures if not m.clauses or clause.id in m.clauses]
    return {
        "clause": clause.id,
        "article": article.number,
        "item": clause.item,
        "paragraph": paragraph_of(clause),
        "citation_zh": citation_zh(clause),
        "citation_en": citation_en(clause),
        "party": None if article.party is None else article.party.value,
        "parties": [p.value for p in rulebook.parties_of(clause)],
        "effect": article.effect.value,
        "roles": [r.value for r in article.roles],
        "title_zh": clause.title_zh,
        "title_en": clause.title_en,
        "head_zh": article.head_zh,
        "head_en": article.head_en,
        "text_zh": clause.text_zh,
        "text_en": clause.text_en,
        "facts": [f.value for f in clause.facts],
        "escalations": [
            {
                "fact": e.fact.value,
                "equals": e.equals,
                "to": e.to,
                "note_zh": e.note_zh,
                "note_en": e.note_en,
            }
            for e in clause.escalations
        ],
        "measures": [
            {
                "code": m.code,
                "zh": m.zh,
                "en": m.en,
                "severity": m.severity or None,
                "discretionary": m.discretionary,
            }
            for m in measures
        ],
        "ban_years": dict(article.ban_years),
        "notes_zh": [*article.notes_zh, *clause.notes_zh],
        "notes_en": [*article.notes_en, *clause.notes_en],
        "local": clause.local,
        "source": clause.source or rulebook.id,
        "source_title_zh": source.title_zh,
        "source_title_en": source.title_en,
        "rulebook": rulebook.label,
    }


def _show(args: argparse.Namespace) -> int:
    rulebook = _load(args.rulebook)
    if args.clause not in rulebook.clauses and args.clause.isdigit():
        article = rulebook.articles.get(int(args.clause))
        if article is not None and article.effect is Effect.PROCEDURE:
            return _show_article(rulebook, article, json_out=args.json)
    d = clause_details(rulebook, _clause_or_error(rulebook, args.clause))
    if args.json:
        _emit(_json(d))
        return 0
    lines = [f"{d['clause']}  {d['title_zh']}  {d['title_en']}", "", *_text_lines(d), ""]
    lines += [
        f"party: {'/'.join(d['parties']) or d['party']}    effect: {d['effect']}"
        + (f"    roles: {', '.join(d['roles'])}" if d["roles"] else ""),
        f"facts: {', '.join(d['facts']) or '-'}",
    ]
    for e in d["escalations"]:
        lines.append(
            f"escalation: {e['fact']} = {json.dumps(e['equals'])} → {e['to']}"
            + (f"  {e['note_zh']}" if e["note_zh"] else "")
        )
    if d["ban_years"]:
        years = ", ".join(f"{k} {v}" for k, v in d["ban_years"].items())
        lines.append(f"ban years: {years}")
    lines.append("measures:")
    for m in d["measures"]:
        qualifier = "".join(
            [
                f" [{m['severity']}]" if m["severity"] else "",
                " [discretionary]" if m["discretionary"] else "",
            ]
        )
        lines.append(f"  - {m['code']}{qualifier}: {m['zh']} / {m['en']}")
    if d["notes_zh"] or d["notes_en"]:
        lines.append("notes:")
        lines += [f"  {n}" for n in [*d["notes_zh"], *d["notes_en"]]]
    lines.append(f"rulebook: {d['rulebook']}" + ("  (local clause)" if d["local"] else ""))
    _emit("\n".join(lines))
    return 0


def _show_article(rulebook: Rulebook, article: Article, *, json_out: bool) -> int:
    """A procedural article (Art. 8, 16–20): no clause to classify, its text to read."""
    from app.core.rulebook.explain import chinese_number

    d = {
        "article": article.number,
        "effect": article.effect.value,
        "title_zh": article.title_zh,
        "title_en": article.title_en,
        "text_zh": article.head_zh,
        "text_en": article.head_en,
        "measures": [{"code": m.code, "zh": m.zh, "en": m.en} for m in article.measures],
        "notes_zh": list(article.notes_zh),
        "notes_en": list(article.notes_en),
        "rulebook": rulebook.label,
    }
    if json_out:
        _emit(_json(d))
        return 0
    lines = [
        f"第{chinese_number(article.number)}条  {article.title_zh}  {article.title_en}",
        "",
        article.head_zh,
        article.head_en,
        "",
        "a procedural provision: it is followed, not classified",
    ]
    lines += [f"  - {m.code}: {m.zh} / {m.en}" for m in article.measures]
    if article.notes_zh or article.notes_en:
        lines.append("notes:")
        lines += [f"  {n}" for n in [*article.notes_zh, *article.notes_en]]
    lines.append(f"rulebook: {rulebook.label}")
    _emit("\n".join(lines))
    return 0


def _text_lines(d: Mapping[str, Any]) -> list[str]:
    """The clause's text in both languages, each sentence once.

    A paragraph clause (15.1) is that paragraph alone, cited 第十五条第一款; an article without
    items whose clause text is the article itself (Art. 11) is printed once; a local clause is
    marked as the provincial rules' own under the national article's head.
    """
    from app.core.rulebook.explain import chinese_number

    article_zh, article_en = f"第{chinese_number(d['article'])}条", f"Art. {d['article']}"
    if d["paragraph"] is not None:
        # The English head holds the paragraphs' full translation; the clause's English is a
        # summary, used only when the head is not split the same way as the Chinese.
        heads_zh, heads_en = d["head_zh"].splitlines(), d["head_en"].splitlines()
        at = d["paragraph"] - 1
        same = len(heads_en) == len(heads_zh) and 0 <= at < len(heads_en)
        return [
            f"{d['citation_zh']}  {d['text_zh']}",
            "",
            f"{d['citation_en']}  {heads_en[at] if same else d['text_en']}",
        ]
    if d["item"] is None and d["text_zh"].strip() == d["head_zh"].strip():
        return [f"{article_zh}  {d['head_zh']}", "", f"{article_en}  {d['head_en']}"]
    local_zh, local_en = [], []
    if d["local"]:
        title_zh = d["source_title_zh"].strip()
        title_zh = title_zh if title_zh.startswith("《") else f"《{title_zh}》"
        local_zh = [f"本省增设条款（{title_zh}）"]
        local_en = [f"Local clause of {_with_the(d['source_title_en'])}"]
    item_zh = "" if d["item"] is None else f"（{chinese_number(d['item'])}）"
    item_en = "" if d["item"] is None else f"({d['item']}) "
    return [
        f"{article_zh}  {d['head_zh']}",
        *local_zh,
        f"{item_zh}{d['text_zh']}",
        "",
        f"{article_en}  {d['head_en']}",
        *local_en,
        f"{item_en}{d['text_en']}",
    ]


def _with_the(title: str) -> str:
    title = title.strip()
    return title if title.lower().startswith("the ") else f"the {title}"


def _search(args: argparse.Namespace) -> int:
    from app.core.rulebook.search import search

    rulebook = _load(args.rulebook)
    if not args.text.strip():
        raise CliError("text: empty description")
    party = None if args.party is None else Party(args.party)
    hits = search(rulebook, args.text, party=party, limit=args.limit)
    if args.json:
        rows = [{"clause": h.clause_id, "score": h.score, "title": h.title_zh} for h in hits]
        _emit(_json(rows))
        return 0
    if not hits:
        _emit("no matching clause")
        return 0
    width = max(len(h.clause_id) for h in hits) + 2
    _emit(
        "\n".join(f"{h.clause_id:<{width}}{h.score:6.2f}  {h.title_zh}  {h.title_en}" for h in hits)
    )
    return 0


# A JSON object of facts is a few hundred bytes; a megabyte is far beyond any real input and
# keeps ``classify /dev/zero`` (or a wrong file) from filling the memory.
MAX_INPUT_BYTES = 1 << 20
# The facts hold no number of more than a few digits (years, counts).
MAX_NUMBER_DIGITS = 30


def _read_input(name: str) -> Any:
    if name == "-":
        raw = sys.stdin.buffer.read(MAX_INPUT_BYTES + 1)
        where = "stdin"
    else:
        try:
            with Path(name).open("rb") as handle:
                raw = handle.read(MAX_INPUT_BYTES + 1)
        except OSError as exc:
            raise CliError(f"file '{name}': cannot read it: {exc.strerror or exc}") from None
        where = f"file '{name}'"
    if len(raw) > MAX_INPUT_BYTES:
        raise CliError(
            f"input: {where} is too large (more than {MAX_INPUT_BYTES // 1024} KB); "
            "expected one JSON object of facts"
        )
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise CliError(f"input: {where} is not UTF-8 text") from None
    if not text.strip():
        raise CliError(f"input: {where} is empty; expected one JSON object")
    return _parse_json(text, where)


_unique_keys = refusing_duplicates(
    lambda key: CliError(f"input: the key '{key}' twice in one object; give each fact once")
)


def _bounded_int(text: str) -> int:
    digits = len(text.lstrip("-"))
    if digits > MAX_NUMBER_DIGITS:
        raise CliError(f"input: a number of {digits} digits; no fact is that long")
    return int(text)


def _parse_json(text: str, where: str) -> Any:
    try:
        return json.loads(text, object_pairs_hook=_unique_keys, parse_int=_bounded_int)
    except json.JSONDecodeError as exc:
        raise CliError(
            f"input: malformed JSON in {where} at line {exc.lineno} column {exc.colno}: {exc.msg}"
        ) from None
    except RecursionError:
        raise CliError(
            f"input: JSON in {where} is nested too deep; expected one flat object of facts"
        ) from None


def classify_document(rulebook: Rulebook, data: object) -> dict[str, Any]:
    """Classify one incident, or several sharing the outer fields (``incidents``)."""
    from app.core.rulebook.engine import FactsError, combine

    if not isinstance(data, Mapping):
        raise CliError("input: expected one JSON object")
    if "incidents" not in data:
        return _classify_one(rulebook, data).to_dict()
    incidents = data["incidents"]
    if not isinstance(incidents, list) or not incidents:
        raise CliError("field 'incidents': expected a non-empty list of incident objects")
    shared = {k: v for k, v in data.items() if k != "incidents"}
    outcomes = []
    for index, incident in enumerate(incidents):
        if not isinstance(incident, Mapping):
            raise CliError(f"field 'incidents[{index}]': expected an object")
        try:
            outcomes.append(_classify_one(rulebook, {**shared, **incident}))
        except FactsError as exc:
            raise CliError(f"incidents[{index}]: {exc}") from None
    # Only a candidate's incidents in one sitting add up (Art. 5–7); others stand alone.
    all_candidates = all(o.party is Party.CANDIDATE for o in outcomes)
    return {
        "outcomes": [o.to_dict() for o in outcomes],
        "combined": combine(outcomes).to_dict() if all_candidates else None,
    }


def _classify_one(rulebook: Rulebook, data: Mapping[str, Any]) -> Outcome:
    from app.core.rulebook.engine import classify

    return classify(rulebook, data)


def _classify(args: argparse.Namespace) -> int:
    data = _read_input(args.file)
    rulebook = _load(args.rulebook)
    _emit(json.dumps(classify_document(rulebook, data), ensure_ascii=False, indent=2))
    return 0
