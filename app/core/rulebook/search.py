"""Finds the clauses a plain description (Chinese or English) most likely falls under.

No segmenter and no model: Chinese is matched by character n-grams and by the keywords kept in
the rulebook, English by words reduced to a crude stem. Each clause's words are weighted by how
rare they are across the rulebook (BM25), so "手机" (in 5.1 and 6.1) counts for less than "替考".
Cues from the rulebook (using a phone → 6.1, carrying it → 5.1) separate close neighbours; they
only add to clauses the description already matches. A negated use ("没使用", "never used") is
read as carrying (携带), so a device there but not used goes to 5.1.

Regional words (Cantonese, Wu, north-eastern, south-western) are read as their Mandarin first;
a description typed in toneless pinyin is matched against the pinyin of the rulebook's Chinese,
its words with a slip of the keyboard mended where the rulebook's syllables say how.
"""

from __future__ import annotations

import math
import re
import string
import unicodedata
import weakref
from collections import Counter
from collections.abc import Callable, Container, Iterable, Sequence
from dataclasses import dataclass
from functools import cache, lru_cache

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
# A keyword found only by its sound (手记 for 手机, 作比 for 作弊: a wrong pick in a pinyin input
# method) counts for this much of a keyword found as written.
_HOMOPHONE = 0.7
_TEXT = 1.0
# A clause of another party than the one the description is about (its first actor named).
_OTHER_PARTY = 0.5
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
# Regional function words and verbs (Cantonese, Wu, northern) read as their Mandarin: 佢睇手机
# → 他看手机, so the rulebook's Mandarin keywords match. Longest first. What a regional word
# means for a clause (出猫 for cheating) goes into the rulebook's keywords instead.
_REGIONAL = {
    "佢哋": "他们", "里厢": "里面", "覅": "不要", "佢": "他", "咗": "了", "嘅": "的", "唔": "不",
    "冇": "没", "睇": "看", "攞": "拿", "俾": "给", "喺": "在", "嗰": "那", "啲": "些", "揾": "找",
    "仲": "还", "嚟": "来", "瞅": "看", "伊": "他", "侬": "你", "搿": "这", "喺度": "在",
    "打交": "打架", "拎": "拿", "企起身": "站起来", "嘢": "东西", "咁": "这么", "边度": "哪里",
    "乜嘢": "什么", "点解": "为什么", "返屋企": "回家", "屋企": "家", "私隐": "隐私", "瞓": "睡",
    "嗌交": "吵架", "人哋": "别人", "夹埋": "一起", "而家": "现在", "辰光": "时候", "揸": "拿",
    "食烟": "吸烟", "畀人": "被人", "畀": "给", "打烂": "砸坏", "整烂": "弄坏", "张相": "照片",
    "唔似": "不像", "出猫": "作弊", "隔篱": "旁边", "枱": "桌", "嗌": "喊", "耳筒": "耳机",
    "考紧试": "考试时", "完场钟": "结束铃", "打钟": "打铃", "夹份": "合伙", "一班人": "一群人",
    "背囊": "背包", "返嚟": "回来", "走鸡": "缺岗", "搞搞震": "捣乱", "郁手": "动手", "咩": "什么",
    "屋里": "家里",
    # More Cantonese: 但系 → 但是, 嗰阵 (that moment) → 时, 考埋 (also sits) → 考.
    "係": "是", "但系": "但是", "唔系": "不是", "嗰阵": "时", "嗰阵时": "时候", "收埋": "收起来",
    "埋": "", "成日": "整天", "成班": "一群", "阿哥": "哥哥", "细佬": "弟弟", "求其": "马虎",
    "乱晒": "很乱", "错晒": "错", "嬲": "生气", "掟": "扔", "影低": "拍下", "影相": "拍照",
    "倾电话": "打电话", "倾偈": "聊天", "钟意": "喜欢", "几多": "多少",
    "出面": "外面", "入面": "里面", "整假": "做假", "整坏": "弄坏", "整废": "弄坏",
    # Wu: 伊拉 (they), 弗 (not), 发拨 (send to), 讲闲话 (chat).
    "伊拉": "他们", "阿拉": "我们", "弗": "不", "发拨": "发给", "拨伊": "给他", "讲闲话": "说话",
    "物事": "东西", "啥人": "谁", "晓得": "知道", "里向": "里面", "一道": "一起",
    # North-eastern and south-western: 外头 (outside), 压根 (at all), 耍 (play), 莫得 (none).
    "外头": "外面", "里头": "里面", "合计": "商量", "一帮人": "一群人", "压根": "根本",
    "啥子": "什么", "啥": "什么", "唠嗑": "聊天", "吱声": "出声", "耍": "玩", "莫得": "没有",
    "兜兜": "口袋", "裤兜": "口袋", "摆龙门阵": "聊天",
    # Cantonese: 佢地 (they, as often typed), 坐低 (sit down), 派卷 (hand out papers).
    "佢地": "他们", "你哋": "你们", "你地": "你们", "我哋": "我们", "我地": "我们", "倾计": "聊天",
    "讲嘢": "说话", "吵交": "吵架", "坐低": "坐下", "企喺": "站在", "瞓觉": "睡觉", "返去": "回去",
    "周围行": "到处走", "行嚟行去": "走来走去", "行来行去": "走来走去", "头先": "刚才",
    "啱啱": "刚刚", "睇住": "看着", "睇实": "盯着", "派卷": "发卷", "派试卷": "发试卷",
    "计数机": "计算器", "纸仔": "纸条", "冒认": "冒充", "系咪": "是不是", "就系": "就是",
    "都系": "都是", "嗰度": "那里", "呢度": "这里", "呢个": "这个", "呢啲": "这些", "掹": "扯",
    "踢烂": "踢坏", "撕烂": "撕坏", "讲大话": "说谎", "假嘢": "假的", "咁样": "这样",
    "报差": "报警", "差佬": "警察", "冇问过": "没问过", "听日": "明天", "琴日": "昨天",
    "寻日": "昨天",
    # Wu: 吃香烟 (smoke), 辣海 (at), 拨人 (by someone).
    "勿要": "不要", "辣海": "在", "事体": "事情", "哪能": "怎么", "拨人": "被人", "吃香烟": "抽烟",
    "吃烟": "抽烟", "交关": "很", "捣糨糊": "敷衍",
    # North-eastern: 揍 and 干仗 (beat, fight), 忽悠 (fool); south-western 打锤 (fight).
    "瞅见": "看见", "搁这": "在这", "搁那": "在那", "忽悠": "骗", "揍": "打", "干仗": "打架",
    "扯犊子": "胡闹", "干哈": "干什么", "嘎哈": "干什么", "咋整": "怎么办", "唠": "聊",
    "打锤": "打架", "勒个": "这个", "咋个": "怎么", "紧到": "一直", "遭抓": "被抓", "日白": "说谎",
}  # fmt: skip
# A number with its measure word (not 年: 2年 says how long). English numbers are dropped
# as words (see _words).
_NUMBER_ZH = re.compile(
    r"(?<=[\u3400-\u9fff])[0-9]+(?:[.:][0-9]+)?(?![0-9年月岁])"
    r"(?:名|个|位|份|条|张|次|人|号|分钟|分|天|点|小时)?"
    r"|[0-9]+(?:[.:][0-9]+)?(?:名|个|位|份|条|张|次|人|号|分钟|天|点|小时)(?=[\u3400-\u9fff])"
)
_REGIONAL_RE = re.compile("|".join(sorted(_REGIONAL, key=len, reverse=True)))
# Prepositions, particles and place words that make no term on their own (see _grams), and
# words of two characters whose second would start a false term; reporting verbs (发现, 看到)
# tell how an act came to light, not what it was.
_EDGE_CHARS = frozenset("在的了把被将于和或及与内里时")
_FUNCTION_WORDS = re.compile("其他|其它|发现|看到|看见")
_CJK_RUN = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]+")
_WORD = re.compile(r"[a-z0-9]+")
_STOPWORDS = frozenset({
    "a", "an", "the", "to", "of", "in", "on", "at", "and", "or", "is", "are", "was", "were",
    "be", "been", "being", "his", "her", "their", "its", "he", "she", "they", "it", "this",
    "that", "with", "for", "from", "by", "as", "into", "during", "after", "before", "who",
    "which", "when", "while", "has", "have", "had", "do", "did", "does", "not", "no", "but",
    "didn", "doesn", "don", "wasn", "weren", "isn", "aren", "hasn", "haven", "hadn", "won",
    "wouldn", "couldn", "shouldn",
    # Reporting verbs (the proctor found / saw …): how it came to light, not what happened.
    "found", "saw", "seen", "noticed", "spotted", "observed", "discovered",
})  # fmt: skip


# Who the description is about: the first of these it names is the actor (考生 … / 监考老师 …
# / 机构 …), and clauses of the other parties count for less. The guideline's three parties and
# the names its roles go by; a description naming none is ranked without this.
_ACTORS_ZH: dict[Party, tuple[str, ...]] = {
    Party.CANDIDATE: (
        "考生", "参评人员", "应试人员", "应考人员", "学员", "考试人员", "报考人员", "应试者",
    ),
    Party.STAFF: (
        "监考", "考务", "考评员", "考评人员", "阅卷", "改卷", "评卷", "督导", "工作人员",
        "巡考", "主考", "出题", "考官", "评委",
    ),
    Party.INSTITUTION: (
        "机构", "评价中心", "培训中心", "考点", "鉴定站", "鉴定所", "公司", "学校", "培训班",
        "企业",
    ),
}  # fmt: skip
_ACTORS_EN: dict[Party, tuple[str, ...]] = {
    Party.CANDIDATE: (
        "candidate", "examinee", "test taker", "student", "applicant", "trainee", "participant",
    ),
    Party.STAFF: (
        "invigilator", "proctor", "examiner", "assessor", "marker", "grader", "supervisor",
        "inspector", "staff", "officer", "clerk", "administrator", "exam office", "scorer", "rater",
        "evaluator",
    ),
    Party.INSTITUTION: (
        "institution", "centre", "center", "organisation", "organization", "school", "company",
        "provider", "agency", "academy", "college", "firm", "operator",
    ),
}  # fmt: skip


# Irregular past forms and British spellings, read as the form the stem rules handle: "stole"
# matches "steal", "organised" "organized". The same on both sides, so a merge is harmless.
_IRREGULAR = {
    "took": "take", "taken": "take", "stole": "steal", "stolen": "steal", "broke": "break",
    "broken": "break", "tore": "tear", "torn": "tear", "sold": "sell", "gave": "give",
    "given": "give", "caught": "catch", "brought": "bring", "left": "leave", "sat": "sit",
    "ran": "run", "wrote": "write", "written": "write", "hid": "hide", "hidden": "hide",
    "got": "get", "bought": "buy", "threw": "throw", "thrown": "throw", "saw": "see",
    "seen": "see", "fell": "fall", "fought": "fight", "hit": "hit", "lost": "lose",
    "paid": "pay", "sent": "send", "spoke": "speak", "struck": "strike", "swore": "swear",
    "told": "tell", "went": "go", "gone": "go", "made": "make", "kept": "keep", "held": "hold",
    "centre": "center", "centres": "centers", "neighbour": "neighbor", "neighbours": "neighbors",
    "favour": "favor", "favouritism": "favoritism", "behaviour": "behavior",
    "licence": "license", "programme": "program", "signalling": "signal", "signalled": "signal",
    "cancelled": "cancel", "labelled": "label", "travelled": "travel",
}  # fmt: skip
_BRITISH_ISE = re.compile(r"(?<=[a-z]{3})is(e|ed|es|ing|ation|ations)$")


# Words of finding or seeing: the actor named just before them may be the one who reports.
_FINDING_ZH = ("发现", "看到", "看见", "注意到", "抓到", "逮到", "查到", "查出", "巡查")
_FINDING_PY = tuple(f" {s}" for s in ("fa xian", "kan dao", "kan jian", "zhu yi dao"))
_FINDING_REACH = 14  # characters after the name (监考老师在巡视时发现)


def stem(word: str) -> str:
    """A crude English stem, the same on both sides: used/uses/using → us, copies → copi."""
    w = word.lower()
    w = _IRREGULAR.get(w, w)
    w = _BRITISH_ISE.sub(r"iz\1", w)
    if len(w) > 5 and w.endswith("ly") and not w.endswith(("ily", "ply", "bly")):
        w = w[:-2]  # loudly → loud, deliberately → deliberate
    if len(w) > 4 and w.endswith("ies"):
        w = w[:-3] + "y"
    elif len(w) > 4 and w.endswith(("ation", "ing")):  # impersonation → impersonat
        w = w[:-3]
    elif len(w) > 5 and w.endswith(("ations", "ings")):  # applications → applicat
        w = w[:-4]
    elif len(w) > 6 and w.endswith(("tion", "tions")):  # disruption → disrupt
        w = w[: w.rindex("ion")]
    elif len(w.removesuffix("s")) > 8 and w.endswith(("ment", "ments")):  # assessment → assess
        w = w[: w.rindex("ment")]
    elif len(w) > 6 and w.endswith(("tion", "tions")):  # disruption → disrupt
        w = w[: w.rindex("ion")]
    elif len(w.removesuffix("s")) > 8 and w.endswith(("ment", "ments")):  # assessment → assess
        w = w[: w.rindex("ment")]
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


_FINDING_EN = frozenset(
    map(stem, ("saw", "found", "noticed", "caught", "spotted", "observed", "discovered", "heard"))
)


def _normal(text: str) -> str:
    # NFKC folds full-width letters and digits (Ｕ盘 → U盘) so both scripts match.
    text = unicodedata.normalize("NFKC", text).lower().replace("\u2019", "'")
    return _REGIONAL_RE.sub(lambda m: _REGIONAL[m.group()], text)


def _without_numbers(text: str) -> str:
    """``text`` (normalised) without counts and numbers in Chinese (第5考场, 3号桌, 帮20名考生,
    40分钟): they are no terms, and cut out whole they no longer split a keyword (帮考生)."""
    return _NUMBER_ZH.sub("", text)


def _without_negated_use(text: str) -> str:
    """``text`` (normalised) with each negated use read as what it says, that the item was
    there but not used: 手机没有使用 → 手机，携带， (the regulation's own word for it)."""
    return _NEGATED_USE_EN.sub(" , carried , ", _NEGATED_USE_ZH.sub("，携带，", text))


_ASPECT = re.compile("[了着]")


def _with_bare_verbs(text: str) -> str:
    """``text`` and, after it, the same without the aspect particles 了 and 着, so 改了分数 and
    偷着办证 also read as 改分数 and 偷办证 (a keyword is rarely written with them)."""
    if not _ASPECT.search(text) or not _CJK_RUN.search(text):
        return text
    return f"{text}\n{_ASPECT.sub('', text)}"


# A possessive or a contraction's tail (the centre's, didn't) is no word of its own.
_APOSTROPHE_TAIL = re.compile(r"(?<=[a-z])'(?:s|t|d|ll|re|ve|m)\b")


def _words(text: str) -> list[str]:
    # A number (desk 12, room 7, 30 minutes) is no term: it would match an article's number.
    plain = _APOSTROPHE_TAIL.sub("", _normal(text))
    return [stem(w) for w in _WORD.findall(plain) if w not in _STOPWORDS and not w.isdigit()]


def _actor_words(text: str) -> list[str]:
    """The words of ``text`` as _words gives them, but keeping the verbs of finding (found, saw),
    which are no terms but tell a reporter from the actor (see _actor)."""
    plain = _APOSTROPHE_TAIL.sub("", _normal(text))
    return [
        s
        for w in _WORD.findall(plain)
        if not w.isdigit() and ((s := stem(w)) in _FINDING_EN or w not in _STOPWORDS)
    ]


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


@cache
def _readings() -> dict[str, str]:
    """Character → toneless pinyin; the table is imported on the first pinyin search only."""
    from app.core.rulebook.pinyin_table import READINGS

    return {ch: syllable for syllable, chars in READINGS.items() for ch in chars}


@cache
def _all_readings() -> dict[str, tuple[str, ...]]:
    """Character → every reading, the most common first (露: lu, lou)."""
    from app.core.rulebook.pinyin_table import OTHER_READINGS

    readings = {ch: [syllable] for ch, syllable in _readings().items()}
    for syllable, chars in OTHER_READINGS.items():
        for ch in chars:
            readings.setdefault(ch, []).append(syllable)
    return {ch: tuple(r) for ch, r in readings.items()}


@cache
def _syllables() -> frozenset[str]:
    from app.core.rulebook.pinyin_table import OTHER_READINGS, READINGS

    return frozenset(READINGS) | frozenset(OTHER_READINGS)


def _pinyin_variants(text: str, limit: int = 8) -> list[str]:
    """Chinese ``text`` as spaced syllables in each of its readings (泄露: " xie lu ",
    " xie lou "), at most ``limit``; none if a character has no reading."""
    readings = _all_readings()
    variants = [""]
    for ch in text:
        options = readings.get(ch)
        if options is None:
            return []
        variants = [f"{v} {o}" for v in variants for o in options][:limit]
    return [v + " " for v in variants]


@lru_cache(maxsize=8192)  # a slip is mended by trying some hundred spellings (see _mend)
def _split_syllables(token: str) -> tuple[str, ...] | None:
    """``token`` cut into pinyin syllables (fewest pieces), or None if it is no pinyin."""
    syllables, n = _syllables(), len(token)
    best: list[list[str] | None] = [None] * (n + 1)
    best[0] = []
    for end in range(1, n + 1):
        for start in range(max(0, end - 6), end):
            head, current = best[start], best[end]
            if (
                head is not None
                and token[start:end] in syllables
                and (current is None or len(head) + 1 < len(current))
            ):
                best[end] = [*head, token[start:end]]
    found = best[n]
    return None if found is None else tuple(found)


# A slip of the keyboard puts a key next to the one meant (hesbi for heshi).
_KEY_ROWS = ("qwertyuiop", "asdfghjkl", "zxcvbnm")


@cache
def _next_keys() -> dict[str, str]:
    """Letter → the letters around it on a QWERTY keyboard (rows are staggered half a key)."""
    near: dict[str, set[str]] = {ch: set() for row in _KEY_ROWS for ch in row}
    for r, row in enumerate(_KEY_ROWS):
        for i, ch in enumerate(row):
            near[ch].update(row[max(0, i - 1) : i + 2])
            if r + 1 < len(_KEY_ROWS):  # the row below sits half a key to the right
                for below in _KEY_ROWS[r + 1][max(0, i - 1) : i + 1]:
                    near[ch].add(below)
                    near[below].add(ch)
    return {ch: "".join(sorted(n - {ch})) for ch, n in near.items()}


def _edits(token: str) -> Iterable[str]:
    """``token`` with one slip undone: a letter doubled or stray, two swapped, a neighbouring
    key hit, a letter dropped."""
    n, near = len(token), _next_keys()
    yield from (token[:i] + token[i + 1 :] for i in range(n))
    yield from (token[:i] + token[i + 1] + token[i] + token[i + 2 :] for i in range(n - 1))
    yield from (token[:i] + k + token[i + 1 :] for i in range(n) for k in near.get(token[i], ""))
    yield from (token[:i] + k + token[i:] for i in range(n + 1) for k in string.ascii_lowercase)


def _mend(
    tokens: list[str], split: list[tuple[str, ...] | None], known: Container[str]
) -> list[tuple[str, ...]]:
    """The syllables of ``tokens``, word by word, each word that is no pinyin mended if a single
    slip explains it: a space typed inside a syllable (touk an: tou kan) or one key wrong
    (shouuji, hesbi). Of the readings, the one whose syllable pairs (with the syllables around
    it) occur most in the rulebook is taken, the fewest syllables on a tie; a word no reading
    of which meets the rulebook is left out, as before."""

    def first(at: int) -> tuple[str, ...]:
        found = split[at] if at < len(split) else None
        return found[:1] if found else ()

    words: list[tuple[str, ...]] = []
    i = 0
    while i < len(tokens):
        done = split[i]
        if done is not None:
            words.append(done)
            i += 1
            continue
        options: list[tuple[tuple[str, ...], int]] = []  # a reading, and how many words it takes
        if i + 1 < len(tokens) and (joined := _split_syllables(tokens[i] + tokens[i + 1])):
            options.append((joined, 2))
        options.extend(
            (p, 1) for e in dict.fromkeys(_edits(tokens[i])) if (p := _split_syllables(e))
        )
        best: tuple[int, int, int] | None = None
        chosen = None
        for order, (option, used) in enumerate(options):
            seq = [*(words[-1][-1:] if words else ()), *option, *first(i + used)]
            met = sum(" ".join(seq[j : j + 2]) in known for j in range(len(seq) - 1))
            key = (met, -len(option), -order)
            if met and (best is None or key > best):
                best, chosen = key, (option, used)
        if chosen is None:
            i += 1
        else:
            words.append(chosen[0])
            i += chosen[1]
    return words


def _pinyin_query(
    text: str, share: float = 0.75, known: Callable[[], Container[str]] | None = None
) -> str | None:
    """A description typed in toneless pinyin (kaosheng dai shouji) as its syllables, the words
    it was typed in kept apart by "/" (" kao sheng / dai / shou ji "), or None when it has
    Chinese characters or reads as English: fewer than ``share`` of its words are pinyin. The
    words that are not, a slip of the keyboard, are mended when ``known`` (the rulebook's
    syllable pairs) says how (see _mend), else left out."""
    if _CJK_RUN.search(text):
        return None
    tokens = re.findall(r"[a-z]+", text.replace("ü", "v"))
    if not tokens:
        return None
    split = [_split_syllables(t) for t in tokens]
    found = sum(p is not None for p in split)
    if not found or found < share * len(tokens):
        return None
    if known is not None and found < len(tokens):
        words = _mend(tokens, split, known())
    else:
        words = [p for p in split if p]
    return " " + " / ".join(" ".join(w) for w in words) + " "


def _flat(pinyin: str) -> str:
    """A pinyin description's syllables without its word breaks: " kao sheng dai shou ji "."""
    return " " + " ".join(pinyin.replace("/", " ").split()) + " "


def _pinyin_of(text: str) -> str:
    """Chinese ``text`` as spaced syllables (" shou ji "); a run breaks at any other character."""
    readings = _readings()
    return " " + " ".join(readings.get(ch, "|") for ch in text) + " "


def _pinyin_grams(spaced: str) -> list[str]:
    """Syllable bigrams and trigrams of a description typed in pinyin (see _pinyin_query). A pair
    split by the typist's space after or before a word of several syllables (kaosheng yinsi:
    sheng yin, 声音) is left out, as it is most often no word; a pair of one-syllable words
    (kao sheng, typed a syllable at a time) and a triple across words are kept."""
    syl: list[str] = []
    size: list[int] = []  # syllables in the word each syllable was typed in
    breaks: set[int] = set()  # i: a space was typed between syllables i and i + 1
    for typed in spaced.split("/"):
        word = typed.split()
        syl.extend(word)
        size.extend([len(word)] * len(word))
        breaks.add(len(syl) - 1)
    return [
        " ".join(syl[i : i + n])
        for n in (2, 3)
        for i in range(len(syl) - n + 1)
        if n == 3 or i not in breaks or size[i] == size[i + 1] == 1
    ]


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


def _spans(words: Sequence[str], longest: int) -> set[tuple[str, ...]]:
    """Every run of up to ``longest`` consecutive words of the query: a phrase occurs in the
    query as a whole-word match exactly when it is one of them (one set lookup per phrase,
    not a scan of the query for each of the rulebook's phrases)."""
    return {
        tuple(words[i : i + n]) for n in range(1, longest + 1) for i in range(len(words) - n + 1)
    }


def _phrase(words: Sequence[str], query: Sequence[str], prefix: bool) -> bool:
    """Whether the stemmed phrase occurs in the query (each word a stem prefix if ``prefix``)."""
    n = len(words)
    for i in range(len(query) - n + 1):
        window = query[i : i + n]
        if all(q.startswith(w) if prefix else q == w for w, q in zip(words, window, strict=True)):
            return True
    return False


@dataclass(frozen=True)
class _Script:
    """How one script of the description meets the clauses' Chinese: as characters, or as the
    pinyin of those characters (a description typed without characters)."""

    kw: list[list[str]]  # per clause: keywords, each a substring to find in the query
    cue: list[list[str]]
    rare: dict[str, float]
    grams: _Bm25


def _pinyin_script(rulebook_docs: Sequence[str], clauses: Sequence[Clause]) -> _Script:
    def spaced(words: Iterable[str]) -> list[str]:
        return [v for w in words for v in _pinyin_variants(_normal(w))]

    kw = [spaced(c.keywords_zh) for c in clauses]
    docs = [[v.strip() for g in _grams(d) for v in _pinyin_variants(g, 4)] for d in rulebook_docs]
    return _Script(kw, [spaced(c.cues_zh) for c in clauses], _rarity(kw), _Bm25(docs))


def _actor(query: str, words: Sequence[str], pinyin: bool) -> Party | None:
    """The party the description is about: the one whose name comes first in it, unless what
    follows is a finding (监考发现…, the proctor saw…): then the one who found it may only be
    reporting, and no party is preferred."""
    first: tuple[int, int, Party] | None = None  # where the name starts, ends, its party
    for party, names in _ACTORS_ZH.items():
        for name in names:
            needle = _pinyin_of(name)[:-1] if pinyin else name
            at = query.find(needle)
            if at >= 0 and (first is None or at < first[0]):
                first = (at, at + len(needle), party)
    if first is not None or pinyin:
        if first is None:
            return None
        after = query[first[1] : first[1] + _FINDING_REACH]
        finding = _FINDING_PY if pinyin else _FINDING_ZH
        return None if any(f in after for f in finding) else first[2]
    for party, names in _ACTORS_EN.items():
        for name in names:
            phrase = _words(name)
            for at in range(len(words) - len(phrase) + 1):
                if list(words[at : at + len(phrase)]) == phrase:
                    if first is None or at < first[0]:
                        first = (at, at + len(phrase), party)
                    break
    if first is None:
        return None
    next_words = words[first[1] : first[1] + 2]
    return None if any(w in _FINDING_EN for w in next_words) else first[2]


class SearchIndex:
    """Precomputed search data of one rulebook; build it once, query it often."""

    def __init__(self, rulebook: Rulebook) -> None:
        self.clauses: list[Clause] = list(rulebook.clauses.values())
        # Each clause's parties (15.2 is an institution's and a staff member's).
        self.parties = [rulebook.parties_of(c) for c in self.clauses]
        kw_zh = [[_normal(k) for k in c.keywords_zh] for c in self.clauses]
        kw_en = [[tuple(_words(k)) for k in c.keywords_en] for c in self.clauses]
        # Once each: "signal", "signals" and "signalling" are one stem, not three matches.
        self.kw_en = [list(dict.fromkeys(k for k in ks if k)) for ks in kw_en]
        self.cue_en = [[tuple(_words(k)) for k in c.cues_en] for c in self.clauses]
        self.rare_en = _rarity([[" ".join(k) for k in ks] for ks in self.kw_en])
        self.longest_en = max((len(k) for ks in [*self.kw_en, *self.cue_en] for k in ks), default=0)
        self.docs_zh = ["\n".join([c.text_zh, c.title_zh, *c.keywords_zh]) for c in self.clauses]
        self.zh = _Script(
            kw_zh,
            [[_normal(k) for k in c.cues_zh] for c in self.clauses],
            _rarity(kw_zh),
            _Bm25([_grams(d) for d in self.docs_zh]),
        )
        self._pinyin: _Script | None = None
        self._sounds: list[list[tuple[str, str]]] | None = None
        self.words = _Bm25(
            [_words("\n".join([c.text_en, c.title_en, *c.keywords_en])) for c in self.clauses]
        )

    @property
    def pinyin(self) -> _Script:
        """The Chinese side read as pinyin, built on the first description typed in pinyin."""
        if self._pinyin is None:
            self._pinyin = _pinyin_script(self.docs_zh, self.clauses)
        return self._pinyin

    def _known_pairs(self) -> Container[str]:
        """The syllable pairs and triples of the rulebook's Chinese (builds the pinyin side)."""
        return self.pinyin.grams.idf

    @property
    def sounds(self) -> list[list[tuple[str, str]]]:
        """Per clause: each Chinese keyword of two characters or more with its pinyin."""
        if self._sounds is None:
            self._sounds = [
                [(k, p) for k in ks if len(k) > 1 for p in _pinyin_variants(k)] for ks in self.zh.kw
            ]
        return self._sounds

    def search(self, text: str, party: Party | None = None, limit: int = 10) -> list[SearchHit]:
        query = _with_bare_verbs(_without_negated_use(_without_numbers(_normal(text))))
        known = self._known_pairs
        hits = self._search(query, _pinyin_query(query, known=known), party)
        if not hits:  # Read as English, nothing matched: try its pinyin words (hesh i zuobi).
            pinyin = _pinyin_query(query, share=0.0, known=known)
            hits = self._search(query, pinyin, party) if pinyin is not None else []
        return hits[:limit]

    def _search(self, query: str, pinyin: str | None, party: Party | None) -> list[SearchHit]:
        sounds = _pinyin_of(query) if pinyin is None and _CJK_RUN.search(query) else ""
        script, query = (self.zh, query) if pinyin is None else (self.pinyin, _flat(pinyin))
        grams = set(_grams(query) if pinyin is None else _pinyin_grams(pinyin))
        words = _words(query) if pinyin is None else []
        spans = _spans(words, self.longest_en)
        if not grams and not words:
            return []
        actor = None
        if party is None:
            actor = _actor(query, _actor_words(query), pinyin is not None)
        hits: list[SearchHit] = []
        for i, clause in enumerate(self.clauses):
            if party is not None and party not in self.parties[i]:
                continue
            score = self._score(i, script, query, grams, words, spans)
            if sounds:
                score += self._homophones(i, query, sounds)
            if actor is not None and actor not in self.parties[i]:
                score *= _OTHER_PARTY
            if score > 0:
                hits.append(SearchHit(clause.id, round(score, 4), clause.title_zh, clause.title_en))
        hits = self._apply_outranks(hits, script, query, spans)
        hits.sort(key=lambda h: -h.score)  # stable: ties keep the reading order
        return hits

    def _apply_outranks(
        self, hits: list[SearchHit], script: _Script, query: str, spans: set[tuple[str, ...]]
    ) -> list[SearchHit]:
        """A clause whose cues match ranks just above the clauses it outranks (rulebook data)."""
        by_id = {h.clause_id: h for h in hits}
        for i, clause in enumerate(self.clauses):
            hit = by_id.get(clause.id)
            if hit is None or not clause.outranks or not self._cued(i, script, query, spans):
                continue
            beaten = [by_id[o].score for o in clause.outranks if o in by_id]
            if beaten and max(beaten) >= hit.score:
                by_id[clause.id] = SearchHit(
                    clause.id, round(max(beaten) * 1.1 + _CUE, 4), hit.title_zh, hit.title_en
                )
        return [by_id[h.clause_id] for h in hits]

    def _cued(self, i: int, script: _Script, query: str, spans: set[tuple[str, ...]]) -> bool:
        # Whole (stemmed) words only: a prefix match would let "use" (stem "us") match "usb".
        return any(k in query for k in script.cue[i]) or any(
            c and c in spans for c in self.cue_en[i]
        )

    def _score(
        self,
        i: int,
        script: _Script,
        query: str,
        grams: set[str],
        words: list[str],
        spans: set[tuple[str, ...]],
    ) -> float:
        score = _TEXT * (script.grams.score(grams, i) + self.words.score(set(words), i))
        for kw in _longest_only(k for k in script.kw[i] if k in query):
            score += _KEYWORD * script.rare[kw] * min(_length(kw), 4) / 2
        for phrase in self.kw_en[i]:
            if phrase in spans:
                score += _KEYWORD * self.rare_en[" ".join(phrase)] * min(len(phrase) + 1, 3) / 2
        if score <= 0:
            return 0.0
        cues = len(_longest_only(k for k in script.cue[i] if k in query))
        cues += sum(1 for c in self.cue_en[i] if c and _phrase(c, words, prefix=True))
        return score + _CUE * cues

    def _homophones(self, i: int, query: str, sounds: str) -> float:
        """Keywords the description has only by sound (a homophone typed for them)."""
        found = [(k, p) for k, p in self.sounds[i] if p in sounds and k not in query]
        if not found:
            return 0.0
        kept = set(_longest_only(p for _, p in found))
        return sum(
            _HOMOPHONE * _KEYWORD * self.zh.rare[k] * min(len(k), 4) / 2
            for k, p in found
            if p in kept
        )


def _length(keyword: str) -> int:
    """Characters of a Chinese keyword, syllables of its pinyin (" shou ji " → 2)."""
    return len(keyword.split()) if keyword.startswith(" ") else len(keyword)


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
