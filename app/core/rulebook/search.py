"""Finds the clauses a plain description (Chinese or English) most likely falls under.

No segmenter and no model: Chinese is matched by character n-grams and by the keywords kept in
the rulebook, English by words reduced to a crude stem. Each clause's words are weighted by how
rare they are across the rulebook (BM25), so "手机" (in 5.1 and 6.1) counts for less than "替考".
Cues from the rulebook (using a phone → 6.1, carrying it → 5.1) separate close neighbours; they
only add to clauses the description already matches. A negated use ("没使用", "never used") is
read as carrying (携带), so a device there but not used goes to 5.1.
"""

from __future__ import annotations

import math
import re
import unicodedata
import weakref
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from app.core.rulebook.model import Clause, Party, Rulebook

__all__ = ["SearchHit", "SearchIndex", "index_for", "search"]


@dataclass(frozen=True)
class SearchHit:
    clause_id: str
    score: float
    title_zh: str
    title_en: str


# Weights, tuned on the table in tests/unit/test_search.py (no case fails, every top hit leads
# the second by more than 10 %): a keyword says more than a shared n-gram; a cue only separates
# clauses that already match; idf squared (see _Bm25) lets a rare term outweigh boilerplate.
_KEYWORD = 3.0
_CUE = 2.0
_TEXT = 1.0
_BM25_K1 = 1.2
_BM25_B = 0.75
_IDF_POWER = 2.0

# Negations that cancel the "use" word right after them. Kept here, not in the rulebook: the
# rulebook schema has no place for them and they are about the language, not the regulation.
# Longest first, so 没有使用 is cut whole rather than leaving 有 behind.
_NEGATED_USE_ZH = re.compile(r"(?:并没有|并未|没有|从未|从没|不曾|没|未)(?:使用|动用|用)")
_NEGATED_USE_EN = re.compile(
    r"\b(?:never|not|did\s+not|didn'?t|does\s+not|doesn'?t|without|no)\s+(?:ever\s+)?"
    r"(?:us(?:e|ed|es|ing)|touch(?:ed|ing)?)\b"
)
# Prepositions, particles and place words that make no term on their own (see _grams), and
# words of two characters whose second would start a false term.
_EDGE_CHARS = frozenset("在的了把被将于和或及与内里时")
_FUNCTION_WORDS = re.compile("其他|其它")
_CJK_RUN = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]+")
_WORD = re.compile(r"[a-z0-9]+")
_STOPWORDS = frozenset({
    "a", "an", "the", "to", "of", "in", "on", "at", "and", "or", "is", "are", "was", "were",
    "be", "been", "being", "his", "her", "their", "its", "he", "she", "they", "it", "this",
    "that", "with", "for", "from", "by", "as", "into", "during", "after", "before", "who",
    "which", "when", "while", "has", "have", "had", "do", "did", "does", "not", "no", "but",
})  # fmt: skip


def stem(word: str) -> str:
    """A crude English stem, the same on both sides: used/uses/using → us, copies → copi."""
    w = word.lower()
    if len(w) > 4 and w.endswith("ies"):
        w = w[:-3] + "y"
    elif len(w) > 4 and w.endswith(("ation", "ing")):  # impersonation → impersonat
        w = w[:-3]
    elif len(w) > 3 and w.endswith("ed") and not w.endswith("eed"):
        w = w[:-2]
    elif len(w) > 3 and w.endswith("s") and not w.endswith("ss"):
        w = w[:-1]
    if len(w) > 2 and w.endswith("e"):
        w = w[:-1]
    if len(w) > 3 and w[-1] == w[-2] and w[-1] not in "lsz":  # stopped → stop
        w = w[:-1]
    if len(w) > 2 and w.endswith("y"):
        w = w[:-1] + "i"
    return w


def _normal(text: str) -> str:
    # NFKC folds full-width letters and digits (Ｕ盘 → U盘) so both scripts match.
    return unicodedata.normalize("NFKC", text).lower().replace("\u2019", "'")


def _without_negated_use(text: str) -> str:
    """``text`` (normalised) with each negated use read as what it says, that the item was
    there but not used: 手机没有使用 → 手机，携带， (the regulation's own word for it)."""
    return _NEGATED_USE_EN.sub(" , carried , ", _NEGATED_USE_ZH.sub("，携带，", text))


def _words(text: str) -> list[str]:
    return [stem(w) for w in _WORD.findall(_normal(text)) if w not in _STOPWORDS]


def _grams(text: str) -> list[str]:
    """Chinese character bigrams and trigrams of every run of Chinese characters.

    A gram that starts or ends on a function character (在考场, 考场内) is dropped: it is rare in
    the rulebook, so BM25 would weigh where an act happened over what it was. Function words
    are cut out first: the 他作弊 of 其他作弊 (6.5) would otherwise match 帮他作弊.
    """
    grams: list[str] = []
    for run in _CJK_RUN.findall(_FUNCTION_WORDS.sub("，", _normal(text))):
        for n in (2, 3):
            grams.extend(
                g
                for i in range(len(run) - n + 1)
                if (g := run[i : i + n])[0] not in _EDGE_CHARS and g[-1] not in _EDGE_CHARS
            )
    return grams


def _longest_only(matches: Iterable[str]) -> list[str]:
    """Drop matches contained in a longer match, so 拒不上交 is not also counted as 不交."""
    found = sorted(set(matches), key=len, reverse=True)
    kept: list[str] = []
    for m in found:
        if not any(m in k for k in kept):
            kept.append(m)
    return kept


class _Bm25:
    """BM25 over one kind of term (n-grams or stems), one document per clause."""

    def __init__(self, docs: Sequence[list[str]]) -> None:
        self.tf = [Counter(d) for d in docs]
        self.len = [len(d) for d in docs]
        avg = sum(self.len) / max(len(docs), 1)
        self.avg = avg or 1.0
        df: Counter[str] = Counter()
        for counts in self.tf:
            df.update(counts.keys())
        n = len(docs)
        # Raised to _IDF_POWER: a term of one clause (算盘) should far outweigh boilerplate that
        # several clauses share (经提醒拒不改正).
        self.idf = {t: math.log(1 + (n - f + 0.5) / (f + 0.5)) ** _IDF_POWER for t, f in df.items()}

    def score(self, terms: set[str], doc: int) -> float:
        tf, total = self.tf[doc], 0.0
        norm = _BM25_K1 * (1 - _BM25_B + _BM25_B * self.len[doc] / self.avg)
        for t in terms:
            f = tf.get(t)
            if f:
                total += self.idf[t] * f * (_BM25_K1 + 1) / (f + norm)
        return total


def _rarity(lists: Sequence[Sequence[str]]) -> dict[str, float]:
    """Weight of a keyword: lower the more clauses share it."""
    df: Counter[str] = Counter()
    for words in lists:
        df.update(set(words))
    n = len(lists)
    return {k: math.log(1 + n / f) / math.log(1 + n) for k, f in df.items()}


def _phrase(words: Sequence[str], query: Sequence[str], prefix: bool) -> bool:
    """Whether the stemmed phrase occurs in the query (each word a stem prefix if ``prefix``)."""
    n = len(words)
    for i in range(len(query) - n + 1):
        window = query[i : i + n]
        if all(q.startswith(w) if prefix else q == w for w, q in zip(words, window, strict=True)):
            return True
    return False


class SearchIndex:
    """Precomputed search data of one rulebook; build it once, query it often."""

    def __init__(self, rulebook: Rulebook) -> None:
        self.clauses: list[Clause] = list(rulebook.clauses.values())
        self.parties = [rulebook.articles[c.article].party for c in self.clauses]
        kw_zh = [[_normal(k) for k in c.keywords_zh] for c in self.clauses]
        kw_en = [[tuple(_words(k)) for k in c.keywords_en] for c in self.clauses]
        self.kw_zh, self.kw_en = kw_zh, [[k for k in ks if k] for ks in kw_en]
        self.cue_zh = [[_normal(k) for k in c.cues_zh] for c in self.clauses]
        self.cue_en = [[tuple(_words(k)) for k in c.cues_en] for c in self.clauses]
        self.rare_zh = _rarity(kw_zh)
        self.rare_en = _rarity([[" ".join(k) for k in ks] for ks in self.kw_en])
        self.grams = _Bm25(
            [_grams("\n".join([c.text_zh, c.title_zh, *c.keywords_zh])) for c in self.clauses]
        )
        self.words = _Bm25(
            [_words("\n".join([c.text_en, c.title_en, *c.keywords_en])) for c in self.clauses]
        )

    def search(self, text: str, party: Party | None = None, limit: int = 10) -> list[SearchHit]:
        query = _without_negated_use(_normal(text))
        grams, words = set(_grams(query)), _words(query)
        if not grams and not words:
            return []
        hits: list[SearchHit] = []
        for i, clause in enumerate(self.clauses):
            if party is not None and self.parties[i] is not party:
                continue
            score = self._score(i, query, grams, words)
            if score > 0:
                hits.append(SearchHit(clause.id, round(score, 4), clause.title_zh, clause.title_en))
        hits = self._apply_outranks(hits, query, words)
        hits.sort(key=lambda h: -h.score)  # stable: ties keep the reading order
        return hits[:limit]

    def _apply_outranks(
        self, hits: list[SearchHit], query: str, words: list[str]
    ) -> list[SearchHit]:
        """A clause whose cues match ranks just above the clauses it outranks (rulebook data)."""
        by_id = {h.clause_id: h for h in hits}
        for i, clause in enumerate(self.clauses):
            hit = by_id.get(clause.id)
            if hit is None or not clause.outranks or not self._cued(i, query, words):
                continue
            beaten = [by_id[o].score for o in clause.outranks if o in by_id]
            if beaten and max(beaten) >= hit.score:
                by_id[clause.id] = SearchHit(
                    clause.id, round(max(beaten) * 1.1 + _CUE, 4), hit.title_zh, hit.title_en
                )
        return [by_id[h.clause_id] for h in hits]

    def _cued(self, i: int, query: str, words: list[str]) -> bool:
        # Whole (stemmed) words only: a prefix match would let "use" (stem "us") match "usb".
        return any(k in query for k in self.cue_zh[i]) or any(
            c and _phrase(c, words, prefix=False) for c in self.cue_en[i]
        )

    def _score(self, i: int, query: str, grams: set[str], words: list[str]) -> float:
        score = _TEXT * (self.grams.score(grams, i) + self.words.score(set(words), i))
        for kw in _longest_only(k for k in self.kw_zh[i] if k in query):
            score += _KEYWORD * self.rare_zh[kw] * min(len(kw), 4) / 2
        for phrase in self.kw_en[i]:
            if _phrase(phrase, words, prefix=False):
                score += _KEYWORD * self.rare_en[" ".join(phrase)] * min(len(phrase) + 1, 3) / 2
        if score <= 0:
            return 0.0
        cues = len(_longest_only(k for k in self.cue_zh[i] if k in query))
        cues += sum(1 for c in self.cue_en[i] if c and _phrase(c, words, prefix=True))
        return score + _CUE * cues


# One index per rulebook object, dropped with it (rulebooks are frozen and not hashable).
_INDEXES: dict[int, tuple[weakref.ref[Rulebook], SearchIndex]] = {}


def index_for(rulebook: Rulebook) -> SearchIndex:
    """The search index of ``rulebook``, built on first use."""
    key = id(rulebook)
    entry = _INDEXES.get(key)
    if entry is not None and entry[0]() is rulebook:
        return entry[1]
    index = SearchIndex(rulebook)
    _INDEXES[key] = (weakref.ref(rulebook, lambda _: _INDEXES.pop(key, None)), index)
    return index


def search(
    rulebook: Rulebook, text: str, party: Party | None = None, limit: int = 10
) -> list[SearchHit]:
    """Clauses ranked for a plain description, best first; none for empty text."""
    return index_for(rulebook).search(text, party, limit)
