"""``proctor-desk rules`` run as a user runs it: the installed command in a subprocess."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from app.core.rulebook.loader import load_rulebook

EXE = Path(sys.executable).with_name("proctor-desk")


def cli(
    *args: str, stdin: str | bytes | None = None, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[bytes]:
    data = stdin.encode("utf-8") if isinstance(stdin, str) else stdin
    return subprocess.run(
        [str(EXE), *args],
        input=data,
        capture_output=True,
        timeout=60,
        env={**os.environ, **(env or {})},
        check=False,
    )


def ok_json(*args: str, stdin: str | None = None) -> Any:
    result = cli(*args, stdin=stdin)
    assert result.returncode == 0, result.stderr.decode()
    assert result.stderr == b""
    return json.loads(result.stdout.decode("utf-8"))


def test_list_json_has_every_clause_and_filters_by_party() -> None:
    rows = ok_json("rules", "list", "--json")
    assert len(rows) == 46
    assert rows[0]["clause"] == "5.1"
    assert {r["party"] for r in rows} == {"candidate", "staff", "institution"}
    staff = ok_json("rules", "list", "--json", "--party", "staff")
    assert [r["clause"] for r in staff] == [
        "9.1",
        "9.2",
        "9.3",
        "9.4",
        "9.5",
        "10.1",
        "10.2",
        "10.3",
        "11",
        "15.2",  # an institution's clause whose text reaches the staff responsible
    ]
    assert staff[-1]["party"] == "institution"
    assert staff[-1]["parties"] == ["institution", "staff"]


def test_list_table() -> None:
    result = cli("rules", "list", "--party", "institution")
    lines = result.stdout.decode("utf-8").splitlines()
    assert lines[0].split() == ["clause", "party", "title"]
    assert len(lines) == 1 + 21
    assert lines[1].startswith("12.1") and "institution" in lines[1]


def test_list_of_an_extension_shows_its_local_clause() -> None:
    rows = ok_json("rules", "list", "--json", "--rulebook", "example-gd-2024")
    local = [r for r in rows if r["local"]]
    assert [r["clause"] for r in local] == ["GD-5.5"]


def test_show_prints_the_article_head_and_item_verbatim() -> None:
    result = cli("rules", "show", "6.1")
    assert result.returncode == 0
    text = result.stdout.decode("utf-8")
    assert "参评人员有下列行为之一的，取消其当次全部科目评价成绩，且当年不得参加评价。" in text
    assert "（一）在评价过程中使用规定以外的带拍照、存储、传输" in text
    assert "measures:" in text and "barred_current_year" in text
    assert "Art. 6" in text


def show(*args: str) -> str:
    result = cli("rules", "show", *args)
    assert result.returncode == 0, result.stderr.decode()
    return result.stdout.decode("utf-8")


def test_show_prints_an_itemless_article_once() -> None:
    text = show("11")
    sentence = "质量督导员违反考务管理、督导工作管理等有关规定，造成不良影响的"
    assert text.count(sentence) == 1
    assert f"第十一条  {sentence}" in text
    assert text.count("A quality supervisor") == 1


def test_show_prints_only_the_paragraph_of_a_paragraph_clause() -> None:
    first, second = show("15.1"), show("15.2")
    para1 = "评价机构超范围上传证书数据、上传证书数据有错误的"
    para2 = "评价机构、评价机构监管部门均应建立数据安全"
    assert first.count(para1) == 1 and para2 not in first
    assert second.count(para2) == 1 and para1 not in second
    assert f"第十五条第一款  {para1}" in first
    assert f"第十五条第二款  {para2}" in second
    assert "Art. 15 para. 1  Where an evaluation institution uploads" in first
    assert "Art. 15 para. 2  Evaluation institutions and their regulators" in second


def test_show_marks_a_local_clause_as_the_provincial_rules_own() -> None:
    lines = show("GD-5.5", "--rulebook", "example-gd-2024").splitlines()
    head = lines.index("第五条  参评人员有下列行为之一的，取消其当次该科目的评价成绩。")
    assert lines[head + 1] == "本省增设条款（《某省技能人才评价违纪违规行为处理实施细则（示例）》）"
    assert lines[head + 2].startswith("（五）在考场内使用计算器以外的计算工具")
    assert any(line.startswith("Local clause of the Implementing Rules") for line in lines)
    national = show("5.1", "--rulebook", "example-gd-2024")
    assert "本省增设条款" not in national and "Local clause" not in national


def test_show_json() -> None:
    d = ok_json("rules", "show", "11", "--json")
    assert (d["clause"], d["article"], d["item"], d["party"]) == ("11", 11, None, "staff")
    assert d["roles"] == ["supervisor"]
    assert d["facts"] == ["adverse_effect"]
    assert d["notes_zh"] and d["measures"][0]["code"] == "handled_by_institution_or_regulator"
    assert (d["paragraph"], d["citation_zh"], d["citation_en"]) == (None, "第十一条", "Art. 11")
    paragraph = ok_json("rules", "show", "15.2", "--json")
    assert (paragraph["paragraph"], paragraph["citation_zh"]) == (2, "第十五条第二款")
    assert ok_json("rules", "show", "6.1", "--json")["paragraph"] is None
    local = ok_json("rules", "show", "GD-5.5", "--json", "--rulebook", "example-gd-2024")
    assert (local["local"], local["source"]) == (True, "example-gd-2024")
    assert local["source_title_zh"] == "某省技能人才评价违纪违规行为处理实施细则（示例）"
    escalating = ok_json("rules", "show", "12.1", "--json")
    assert escalating["escalations"][0]["to"] == "13.1"


def test_search_json_is_best_first() -> None:
    hits = ok_json("rules", "search", "考生在考试中使用手机", "--json", "--limit", "4")
    assert 1 <= len(hits) <= 4
    assert all(set(h) == {"clause", "score", "title"} for h in hits)
    scores = [h["score"] for h in hits]
    assert scores == sorted(scores, reverse=True)
    assert "6.1" in [h["clause"] for h in hits]


def test_search_by_party() -> None:
    hits = ok_json("rules", "search", "评分", "--json", "--party", "staff")
    assert hits and all(h["clause"].split(".")[0] in {"9", "10", "11"} for h in hits)


def test_classify_from_stdin() -> None:
    out = ok_json(
        "rules",
        "classify",
        stdin='{"party": "candidate", "clause": "6.1", "date": "2026-12-31", "subject": "理论"}',
    )
    assert out["ban_until"] == "2026-12-31"
    assert out["scores_cancelled"] == "all"
    assert out["subject"] == "理论"
    assert "第六条第（一）项" in out["explanation"]


def test_classify_notes_a_fact_the_clause_does_not_use() -> None:
    out = ok_json(
        "rules",
        "classify",
        stdin='{"clause": "6.1", "date": "2026-06-12", "severity": "serious"}',
    )
    assert out["notes"] == ["事实“情节轻微或严重”不适用于第六条第（一）项，未予采用。"]
    assert out["notes_en"] == ["The fact 'severity' does not apply to Art. 6(1) and was not used."]
    assert out["ban_until"] == "2026-12-31"  # still handled as 6.1 alone
    used = ok_json(
        "rules", "classify", stdin='{"clause": "7.1", "date": "2026-06-12", "severity": "minor"}'
    )
    assert used["notes"] == [] and used["notes_en"] == []
    several = ok_json(
        "rules",
        "classify",
        stdin='{"date": "2026-06-12", "incidents": [{"clause": "5.4", "warned": true}, '
        '{"clause": "6.1"}]}',
    )
    assert [len(o["notes"]) for o in several["outcomes"]] == [1, 0]
    assert "第五条第（四）项" in several["outcomes"][0]["notes"][0]


def test_classify_from_a_file(tmp_path: Path) -> None:
    path = tmp_path / "incident.json"
    facts = {"clause": "7.2", "date": "2028-02-29", "severity": "minor"}
    path.write_text(json.dumps(facts), encoding="utf-8")
    on_site = ok_json("rules", "classify", str(path))
    assert (on_site["ban_until"], on_site["ban_years"], on_site["decision_date"]) == (None, 2, None)
    path.write_text(json.dumps({**facts, "decision_date": "2028-02-29"}), encoding="utf-8")
    assert ok_json("rules", "classify", str(path))["ban_until"] == "2030-02-28"


def test_classify_incidents_prints_outcomes_and_combined() -> None:
    doc = {
        "party": "candidate",
        "date": "2026-06-12",
        "incidents": [
            {"clause": "5.1", "warned": True, "refused": True, "subject": "理论知识"},
            {"clause": "5.4", "subject": "操作技能"},
            {"clause": "7.3"},
        ],
    }
    out = ok_json("rules", "classify", "-", stdin=json.dumps(doc, ensure_ascii=False))
    assert [o["clause"] for o in out["outcomes"]] == ["5.1", "5.4", "7.3"]
    combined = out["combined"]
    assert combined["scores_cancelled"] == "all"
    assert combined["subjects_cancelled"] == ["操作技能", "理论知识"]
    assert combined["pending"] == ["severity"]
    assert combined["articles"] == [5, 7]


def test_staff_incidents_are_not_combined() -> None:
    doc = {
        "party": "staff",
        "date": "2026-06-12",
        "role": "assessor",
        "incidents": [{"clause": "10.1"}, {"clause": "10.3"}],
    }
    out = ok_json("rules", "classify", stdin=json.dumps(doc))
    assert out["combined"] is None
    assert [o["article"] for o in out["outcomes"]] == [10, 10]


def test_classify_with_an_extension_rulebook() -> None:
    out = ok_json(
        "rules",
        "classify",
        "--rulebook",
        "example-gd-2024",
        stdin='{"clause": "GD-5.5", "date": "2026-06-12", "warned": true, "refused": true}',
    )
    assert (out["article"], out["scores_cancelled"]) == (5, "subject")
    assert out["rulebook"] == "example-gd-2024@2024.1-example"


def test_output_is_utf8_whatever_the_locale() -> None:
    result = cli(
        "rules",
        "classify",
        stdin='{"clause": "5.4", "date": "2026-06-12"}',
        env={"LC_ALL": "C", "LANG": "C", "PYTHONIOENCODING": "ascii"},
    )
    assert result.returncode == 0, result.stderr.decode()
    assert "取消其当次该科目的评价成绩" in result.stdout.decode("utf-8")


@pytest.mark.parametrize(
    ("args", "stdin", "field"),
    [
        (["classify"], '{"clause": "6.9", "date": "2026-06-12"}', "clause"),
        (["classify"], '{"clause": "6.1", "party": "staff", "date": "2026-06-12"}', "party"),
        (["classify"], '{"clause": "10.1", "role": "exam_admin", "date": "2026-06-12"}', "role"),
        (["classify"], '{"clause": "9.1", "date": "2026-06-12"}', "role"),
        (["classify"], '{"clause": "6.1", "date": "2026-13-01"}', "date"),
        (["classify"], '{"clause": "6.1"}', "date"),
        (["classify"], '{"clause": "5.1", "date": "2026-06-12", "warned": "yes"}', "warned"),
        (["classify"], '{"clause": "5.1", "date": "2026-06-12", "colour": 1}', "colour"),
        (["classify"], '{"clause": "6.1", "date": "2026-06-12",', "input"),
        (["classify"], "", "input"),
        (["classify"], "[1, 2]", "input"),
        (["classify"], '{"date": "2026-06-12", "incidents": []}', "incidents"),
        (
            ["classify"],
            '{"date": "2026-06-12", "incidents": [{"clause": "6.1"}, '
            '{"clause": "6.1", "severity": "grave"}]}',
            "incidents[1]",
        ),
        (["classify", "/nonexistent/incident.json"], None, "/nonexistent/incident.json"),
        (["show", "99"], None, "clause"),
        (["list", "--rulebook", "no-such-rulebook"], None, "rulebook"),
        (["search", "手机", "--limit", "0"], None, "--limit"),
        (["list", "--party", "regulator"], None, "--party"),
    ],
)
def test_bad_input_is_one_line_exit_2(args: list[str], stdin: str | None, field: str) -> None:
    result = cli("rules", *args, stdin=stdin)
    assert result.returncode == 2
    assert result.stdout == b""
    lines = result.stderr.decode("utf-8").splitlines()
    assert len(lines) == 1, lines
    assert lines[0].startswith("proctor-desk: error: ")
    assert field in lines[0]


def test_bad_field_message_is_exact() -> None:
    result = cli("rules", "classify", stdin='{"clause": "6.1", "date": "2026-13-01"}')
    assert result.stderr.decode("utf-8") == (
        "proctor-desk: error: field 'date': expected YYYY-MM-DD, got '2026-13-01'\n"
    )


@pytest.mark.parametrize("number", ["8", "16", "17", "18", "19", "20"])
def test_show_prints_a_procedural_article(number: str) -> None:
    """Art. 8 and 16–20 have no clause to classify, but their text is read on site."""
    out = ok_json("rules", "show", number, "--json")
    rulebook = load_rulebook("cn-national-2021")
    assert out["article"] == int(number)
    assert out["text_zh"] == rulebook.articles[int(number)].head_zh
    assert out["effect"] == "procedure"
