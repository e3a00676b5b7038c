"""HTML for the browser's detail pane: an article or a clause, verbatim text first.

The Chinese text comes from the rulebook unchanged (escaped, whitespace kept), so what the
pane shows is what the guideline says.
"""

from __future__ import annotations

from collections.abc import Iterable
from html import escape

from PySide6.QtCore import QCoreApplication

from app.core.rulebook.model import Article, Clause, Measure, Rulebook
from app.ui.labels import (
    article_label,
    chinese_number,
    fact_label,
    fact_state_label,
    in_chinese,
    item_label,
    join_list,
    labelled,
    party_label,
    role_label,
    with_note,
)

# A plain name with a literal context in every call, so pyside6-lupdate extracts the strings.
translate = QCoreApplication.translate


def _verbatim(text: str) -> str:
    # pre-wrap keeps the source's spacing ("U 盘") exactly as the rulebook holds it.
    return f'<p style="white-space: pre-wrap;">{escape(text)}</p>'


def _section(title: str) -> str:
    return f"<h3>{escape(title)}</h3>"


def _list(items: Iterable[str]) -> str:
    rows = "".join(f"<li>{escape(i)}</li>" for i in items)
    return f"<ul>{rows}</ul>" if rows else ""


def _measures(measures: Iterable[Measure], clause_id: str | None = None) -> str:
    rows = []
    for m in measures:
        if clause_id is not None and m.clauses and clause_id not in m.clauses:
            continue  # a measure of another paragraph of the article (Art. 15)
        tags = []
        if m.severity:
            tags.append(fact_state_label("severity", m.severity))
        if m.discretionary:
            tags.append(translate("ClauseDetail", "视情况"))
        # The tags are interface text: after the Chinese in Chinese, after the English otherwise.
        tag = with_note("", join_list(tags)) if tags else ""
        zh_tag, en_tag = (tag, "") if in_chinese() else ("", tag)
        rows.append(f"<li>{escape(m.zh + zh_tag)}<br/><i>{escape(m.en)}</i>{escape(en_tag)}</li>")
    return (
        f"<ul>{''.join(rows)}</ul>"
        if rows
        else f"<p>{escape(translate('ClauseDetail', '（无）'))}</p>"
    )


def _notes(zh: Iterable[str], en: Iterable[str]) -> str:
    zh, en = list(zh), list(en)
    if not zh and not en:
        return ""
    return _list(zh) + (f"<ul>{''.join(f'<li><i>{escape(n)}</i></li>' for n in en)}</ul>")


def _source(rulebook: Rulebook, source: str, local: bool) -> str:
    if local:
        text = translate("ClauseDetail", "本地条款（%1）").replace("%1", source or rulebook.id)
        return f'<p style="color:#8a4b00;"><b>{escape(text)}</b></p>'
    return ""


def article_html(rulebook: Rulebook, article: Article) -> str:
    """The article head (verbatim), its English rendering, roles, measures and notes."""
    title = f"{article_label(article.number)} {article.title_zh}".strip()
    parts = [f"<h2>{escape(title)}</h2>"]
    if article.title_en:
        parts.append(f"<p><i>{escape(article.title_en)}</i></p>")
    party = translate("ClauseDetail", "当事方")
    parts.append(f"<p>{escape(labelled(party, party_label(article.party)))}</p>")
    if article.roles:
        roles = join_list(role_label(r) for r in article.roles)
        parts.append(f"<p>{escape(labelled(translate('ClauseDetail', '适用人员'), roles))}</p>")
    parts += [_section(translate("ClauseDetail", "原文")), _verbatim(article.head_zh)]
    parts += [
        _section(translate("ClauseDetail", "英文")),
        f"<p><i>{escape(article.head_en)}</i></p>",
    ]
    if article.measures:
        parts += [_section(translate("ClauseDetail", "处理措施")), _measures(article.measures)]
    notes = _notes(article.notes_zh, article.notes_en)
    if notes:
        parts += [_section(translate("ClauseDetail", "说明（采用的理解）")), notes]
    return "".join(parts)


def clause_html(rulebook: Rulebook, clause: Clause) -> str:
    """The clause: article head and item text verbatim, English, facts, measures, notes."""
    article = rulebook.article_of(clause)
    where = f"{article_label(article.number)}{item_label(clause.item)}"
    parts = [
        f"<h2>{escape(clause.id)} {escape(clause.title_zh)}</h2>",
        f"<p><i>{escape(clause.title_en)}</i></p>",
        # Every party the clause reaches (15.2: institutions and the staff responsible).
        f"<p>{escape(where)} · "
        f"{escape(join_list(party_label(p) for p in rulebook.parties_of(clause)))}</p>",
        _source(rulebook, clause.source, clause.local),
        _section(translate("ClauseDetail", "原文")),
        _verbatim(article.head_zh),
    ]
    # An article without items (Art. 11) is one sentence: its head is the clause text.
    own_text = clause.item is not None or clause.text_zh != article.head_zh
    if own_text:
        numbered = f"（{chinese_number(clause.item)}）" if clause.item is not None else ""
        parts.append(_verbatim(numbered + clause.text_zh))
    parts += [
        _section(translate("ClauseDetail", "英文")),
        f"<p><i>{escape(article.head_en)}</i></p>",
    ]
    if own_text:
        parts.append(f"<p><i>{escape(clause.text_en)}</i></p>")
    parts.append(_section(translate("ClauseDetail", "认定所需事实")))
    if clause.facts:
        parts.append(_list(fact_label(f.value) for f in clause.facts))
    else:
        parts.append(f"<p>{escape(translate('ClauseDetail', '无需另行查明的事实'))}</p>")
    if article.roles:
        roles = join_list(role_label(r) for r in article.roles)
        parts.append(f"<p>{escape(labelled(translate('ClauseDetail', '适用人员'), roles))}</p>")
    for escalation in clause.escalations:
        text = translate("ClauseDetail", "%1时，按 %2 处理").replace(
            "%1", fact_state_label(escalation.fact.value, escalation.equals)
        )
        parts.append(f"<p>{escape(text.replace('%2', escalation.to))}</p>")
        if escalation.note_zh:
            parts.append(f'<p style="color:#555555;">{escape(escalation.note_zh)}</p>')
    parts += [
        _section(translate("ClauseDetail", "处理措施")),
        _measures(article.measures, clause.id),
    ]
    notes = _notes([*clause.notes_zh, *article.notes_zh], [*clause.notes_en, *article.notes_en])
    if notes:
        parts += [_section(translate("ClauseDetail", "说明（采用的理解）")), notes]
    return "".join(parts)
