"""The reports' own line breaker: CJK breaks, punctuation rules, whole Latin words, exact widths."""

from __future__ import annotations

import io

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from reportlab.lib.pagesizes import A4
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas

from app.core.reports.layout import styles
from app.core.reports.linebreak import NO_LINE_END, NO_LINE_START, break_lines, metrics
from app.core.reports.textout import escape, number, write_lines


def _font() -> str:
    return styles().font


def _fits(lines: list[str], size: float, width: float) -> bool:
    return all(stringWidth(line, _font(), size) <= width for line in lines)


def test_metrics_give_reportlabs_string_width_to_the_last_bit() -> None:
    measure = metrics(_font())
    for text in ["", "a", "考场违纪违规行为记录", "IMG_0412.jpg 2.2 MB", "（教学楼 B 座 204）" * 7]:
        for size in (7.5, 8.5, 9.5, 16):
            assert measure.width(text, size) == stringWidth(text, _font(), size)


def test_chinese_breaks_between_any_two_characters_and_fills_the_line() -> None:
    text = "考生于在座位上使用手机被监考员发现手机屏幕显示与试题相关的图片" * 3
    lines = break_lines(text, _font(), 9.5, 100)
    assert "".join(lines) == text
    assert len(lines) > 5 and _fits(lines, 9.5, 100)
    one = stringWidth("考", _font(), 9.5)
    # Greedy: every line but the last is full to within one character.
    assert all(stringWidth(line, _font(), 9.5) > 100 - one for line in lines[:-1])


@pytest.mark.parametrize("width", [x * 9.5 for x in range(3, 14)])
def test_no_line_starts_with_closing_or_ends_with_opening_punctuation(width: float) -> None:
    text = (
        "考生称：“我只是看了一下时间（手表），没有查资料。”"
        "监考员认为：《规则》第六条适用！是否？是；"
    )
    lines = break_lines(text, _font(), 9.5, width)
    assert "".join(lines) == text
    assert _fits(lines, 9.5, width)
    assert all(line[0] not in NO_LINE_START for line in lines[1:]), lines
    assert all(line[-1] not in NO_LINE_END for line in lines[:-1]), lines


def test_punctuation_moves_with_the_character_it_touches() -> None:
    three = metrics(_font()).width("监考员", 9.5)  # room for exactly three characters
    # The comma may not open a line: "机" goes down with it.
    assert break_lines("监考员看手机，考生", _font(), 9.5, three) == [
        "监考员",
        "看手",
        "机，考",
        "生",
    ]
    # An opening bracket may not end a line: it goes down with "手".
    assert break_lines("监考（手机）考生", _font(), 9.5, three) == ["监考", "（手", "机）考", "生"]


def test_latin_words_stay_whole_and_spaces_collapse() -> None:
    text = "the  candidate   used a mobile phone during the exam 第3考场 IMG_0412.jpg"
    lines = break_lines(text, _font(), 9.5, 90)
    assert _fits(lines, 9.5, 90)
    words = " ".join(text.split()).replace("第3考场", " 第 3 考 场 ").split()
    pieces = [w for line in lines for w in line.replace("第3考场", " 第 3 考 场 ").split()]
    assert pieces == words  # no word was cut
    assert all(not line.startswith(" ") and not line.endswith(" ") for line in lines)
    assert break_lines("  a \t b  ", _font(), 9.5, 400) == ["a b"]


@pytest.mark.parametrize("word", ["IMG_0412.jpg", "09:41", "rsz-2021-57@1.0.0", "(B-204),"])
def test_ascii_punctuation_stays_inside_its_word(word: str) -> None:
    room = stringWidth(word, _font(), 9.5) + 1  # the word fits on a line of its own
    for text in (f"监考员发现{word}考生", f"see {word} now", f"考生{word}"):
        lines = break_lines(text, _font(), 9.5, room)
        assert any(word in line for line in lines), (text, lines)


def test_a_word_wider_than_the_line_is_cut_between_characters() -> None:
    digest = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
    lines = break_lines(f"SHA-256 {digest}", _font(), 7.5, 80)
    assert lines[0] == "SHA-256"
    assert "".join(lines[1:]) == digest
    assert len(lines) > 3 and _fits(lines, 7.5, 80)
    # Nothing fits: still one character a line, never an endless loop or an empty line.
    assert break_lines("考场", _font(), 9.5, 1) == ["考", "场"]


def test_line_breaks_in_the_text_are_kept() -> None:
    assert break_lines("IMG_0412.jpg\n手机屏幕照片", _font(), 8.5, 200) == [
        "IMG_0412.jpg",
        "手机屏幕照片",
    ]
    assert break_lines("a\r\nb\rc", _font(), 8.5, 200) == ["a", "b", "c"]
    assert break_lines("", _font(), 8.5, 200) == [""]


TEXT = st.text(
    alphabet="考场违纪记录（）《》，。、；：？！“”abcXYZ0123 \t-_.",
    max_size=120,
)


@settings(max_examples=300, deadline=None)
@given(text=TEXT, width=st.floats(min_value=20, max_value=400))
def test_any_text_keeps_its_characters_and_never_exceeds_the_width(text: str, width: float) -> None:
    lines = break_lines(text, _font(), 9.5, width)
    assert "".join(lines).replace(" ", "") == "".join(text.split())
    single = max((stringWidth(c, _font(), 9.5) for c in text), default=0.0)
    if single <= width:
        assert _fits(lines, 9.5, width)
    assert all(line for line in lines) or lines == [""]


def test_text_object_writes_what_draw_string_writes() -> None:
    """Same subsets, codes and escapes as reportlab's drawString, one BT … ET for all lines."""
    font = _font()
    texts = ["考场（教学楼 B 座 204）", "a\\b(c)d", "第 1 页 / 共 2 页 · page 1 of 2"]

    def page(draw: str) -> str:
        buffer = io.BytesIO()
        canvas = Canvas(buffer, pagesize=A4, initialFontName=font, pageCompression=0)
        canvas.setFont(font, 9.5)
        if draw == "ours":
            write_lines(canvas, font, 9.5, [(40, 700 - 20 * i, t) for i, t in enumerate(texts)])
        else:
            for i, t in enumerate(texts):
                canvas.drawString(40, 700 - 20 * i, t)
        return " ".join(canvas._code)

    ours, theirs = page("ours"), page("theirs")
    assert ours.count("BT") == 1 and theirs.count("BT") == len(texts)
    strings = [p for p in theirs.split(" Tj") if "(" in p]
    for literal in strings:
        assert literal[literal.index("(") :] in ours
    assert number(700.0) == "700" and number(33.3333) == "33.333" and number(-0.0001) == "0"
    assert escape(bytes([40, 41, 92, 10, 200, 65])) == "\\(\\)\\\\\\012\\310A"
