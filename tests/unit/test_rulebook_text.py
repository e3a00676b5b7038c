"""The Chinese text in the national rulebook is the regulation's, character for character."""

from __future__ import annotations

import re

import pytest

from app.core.resources import resource_path
from app.core.rulebook.loader import load_rulebook
from app.core.rulebook.model import Rulebook

# The regulation's text ships with the rulebooks (resources/regulation/README.md says whence).
SOURCE = resource_path("regulation", "rsz-2021-57.txt")

EXPECTED_CLAUSES = (
    [f"5.{i}" for i in range(1, 5)]
    + [f"6.{i}" for i in range(1, 6)]
    + [f"7.{i}" for i in range(1, 8)]
    + [f"9.{i}" for i in range(1, 6)]
    + [f"10.{i}" for i in range(1, 4)]
    + ["11"]
    + [f"12.{i}" for i in range(1, 5)]
    + [f"13.{i}" for i in range(1, 8)]
    + [f"14.{i}" for i in range(1, 9)]
    + ["15.1", "15.2"]
)


def _squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


@pytest.fixture(scope="module")
def source() -> str:
    assert SOURCE.is_file(), f"regulation source text not found at {SOURCE}"
    text = _squash(SOURCE.read_text(encoding="utf-8"))
    # Attachment 2 only: the same phrases must not be matched in Attachment 1 or the letter.
    return text[text.index("附件2技能人才评价违纪违规行为处理工作指引") :]


@pytest.fixture(scope="module")
def national() -> Rulebook:
    return load_rulebook("cn-national-2021")


def test_every_clause_text_is_verbatim(source: str, national: Rulebook) -> None:
    missing = [c.id for c in national.clauses.values() if _squash(c.text_zh) not in source]
    assert missing == []


def test_every_article_head_is_verbatim(source: str, national: Rulebook) -> None:
    missing = [a.number for a in national.articles.values() if _squash(a.head_zh) not in source]
    assert missing == []


def test_every_measure_is_a_verbatim_fragment(source: str, national: Rulebook) -> None:
    missing = [
        (a.number, m.code)
        for a in national.articles.values()
        for m in a.measures
        if _squash(m.zh) not in source
    ]
    assert missing == []


def test_item_text_carries_no_numbering(national: Rulebook) -> None:
    numbered = [
        c.id for c in national.clauses.values() if re.match(r"^（[一二三四五六七八]）", c.text_zh)
    ]
    assert numbered == []


def test_the_full_clause_set_in_reading_order(national: Rulebook) -> None:
    assert list(national.clauses) == EXPECTED_CLAUSES


def test_articles_five_to_twenty(national: Rulebook) -> None:
    assert sorted(national.articles) == list(range(5, 21))


def test_item_numbers_follow_the_ids(national: Rulebook) -> None:
    for clause in national.clauses.values():
        article, _, item = clause.id.partition(".")
        assert clause.article == int(article)
        if clause.article in (11, 15):
            assert clause.item is None
        else:
            assert clause.item == int(item)


def test_known_texts_exactly(national: Rulebook) -> None:
    assert national.articles[5].head_zh == "参评人员有下列行为之一的，取消其当次该科目的评价成绩。"
    assert national.clauses["7.4"].text_zh == "由他人冒名顶替参加评价或替他人参加评价的；"
    # The source ends 5(3) with an ASCII semicolon; verbatim means keeping it.
    assert national.clauses["5.3"].text_zh.endswith("经提醒拒不改正的;")
    assert national.clauses["15.1"].text_zh.startswith("评价机构超范围上传证书数据、上传证书数据")
    assert "超范围读取证书数据、泄露个人隐私、利用证书数据等提供有偿服务" in (
        national.clauses["15.2"].text_zh
    )
    assert national.document_number == "人社职司便函〔2021〕57号"
