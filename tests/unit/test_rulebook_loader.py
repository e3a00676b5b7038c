"""Loading, validating and extending rulebooks."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import pytest

from app.core.errors import UserError
from app.core.rulebook.loader import (
    RulebookNotFoundError,
    RulebookValidationError,
    available_rulebooks,
    builtin_dir,
    load_rulebook,
)
from app.core.rulebook.model import Effect, Fact, Party, Rulebook, StaffRole

DATA = Path(__file__).resolve().parents[1] / "data" / "rulebooks"


@pytest.fixture(scope="module")
def national() -> Rulebook:
    return load_rulebook("cn-national-2021")


def _problems(ref: str | Path, search_dirs: tuple[Path, ...] = ()) -> tuple[str, ...]:
    with pytest.raises(RulebookValidationError) as info:
        load_rulebook(ref, search_dirs)
    return info.value.problems


# --- the national rulebook ------------------------------------------------------------------


def test_header(national: Rulebook) -> None:
    assert national.id == "cn-national-2021"
    assert national.title_zh == "技能人才评价违纪违规行为处理工作指引（试行）"
    assert national.effective_date == dt.date(2021, 12, 23)
    assert national.label == f"cn-national-2021@{national.version}"
    assert national.extends == ()
    assert any(n.startswith("解读") for n in national.notes_zh)


def test_every_clause_has_its_fields(national: Rulebook) -> None:
    for clause in national.clauses.values():
        assert clause.text_zh and clause.text_en, clause.id
        assert clause.title_zh and clause.title_en, clause.id
        assert len(clause.keywords_zh) >= 3 and len(clause.keywords_en) >= 3, clause.id
        assert not clause.local and clause.source == "cn-national-2021"
        assert national.articles[clause.article].party is not None


def test_facts_per_clause(national: Rulebook) -> None:
    facts = {cid: set(c.facts) for cid, c in national.clauses.items()}
    for cid in ("5.1", "5.2", "5.3"):
        assert facts[cid] == {Fact.WARNED, Fact.REFUSED}
    assert facts["5.4"] == set()
    assert all(facts[f"6.{i}"] == set() for i in range(1, 6))
    assert all(facts[f"7.{i}"] == {Fact.SEVERITY} for i in range(1, 8))
    assert facts["11"] == {Fact.ADVERSE_EFFECT}
    assert all(facts[f"12.{i}"] == {Fact.SEVERITY} for i in range(1, 5))
    assert facts["13.6"] == set()
    assert all(facts[f"13.{i}"] == {Fact.PRIOR_WARNING} for i in (1, 2, 3, 4, 5, 7))


def test_escalations(national: Rulebook) -> None:
    for i in range(1, 5):
        (esc,) = national.clauses[f"12.{i}"].escalations
        assert (esc.fact, esc.equals, esc.to) == (Fact.SEVERITY, "serious", "13.1")
    for i in (1, 2, 3, 4, 5, 7):
        (esc,) = national.clauses[f"13.{i}"].escalations
        assert (esc.fact, esc.equals, esc.to) == (Fact.PRIOR_WARNING, True, "14.6")
    assert national.clauses["13.6"].escalations == ()


def test_articles(national: Rulebook) -> None:
    a = national.articles
    assert [a[n].effect for n in (5, 6, 7)] == [
        Effect.SUBJECT_CANCELLED,
        Effect.ALL_CANCELLED_YEAR_BAN,
        Effect.ALL_CANCELLED_MULTI_YEAR_BAN,
    ]
    assert a[7].ban_years == {"minor": 2, "serious": 5}
    assert a[7].referral_severities == ("serious",)
    assert set(a[9].roles) == {StaffRole.EXAM_ADMIN, StaffRole.SITE_HEAD}
    assert a[10].roles == (StaffRole.ASSESSOR,)
    assert a[11].roles == (StaffRole.SUPERVISOR,)
    assert a[11].effect is Effect.STAFF_ADVERSE_EFFECT
    assert all(a[n].party is Party.INSTITUTION for n in (12, 13, 14, 15))
    assert all(a[n].effect is Effect.PROCEDURE and a[n].party is None for n in (8, 16, 20))
    assert [m.code for m in a[6].measures] == ["all_scores_cancelled", "barred_current_year"]
    by_code = {m.code: m for m in a[7].measures}
    assert by_code["barred_5_years"].severity == "serious"
    assert by_code["referred_to_authorities"].severity == "serious"
    scoped = {m.code: m.clauses for m in a[15].measures}
    assert scoped["certificate_data_revoked"] == ("15.1",)
    assert scoped["read_rights_revoked"] == ("15.2",)
    assert len(national.clauses_for(Party.CANDIDATE)) == 16


def test_readings_are_notes(national: Rulebook) -> None:
    assert any("6.1" in n for n in national.clauses["5.1"].notes_en)
    assert any("31 December" in n for n in national.articles[6].notes_en)
    assert any("201" in n for n in national.articles[7].notes_en)
    assert any("13.6" in n for n in national.articles[13].notes_en)


def test_cached_while_unchanged(national: Rulebook) -> None:
    assert load_rulebook("cn-national-2021") is national
    assert load_rulebook(builtin_dir() / "cn-national-2021.toml") is national


def test_reloaded_when_the_file_changes(tmp_path: Path) -> None:
    path = tmp_path / "copy.toml"
    # A copy outside the shipped folder needs its own id (the national one would be refused).
    text = (builtin_dir() / "cn-national-2021.toml").read_text(encoding="utf-8")
    path.write_text(text.replace('id = "cn-national-2021"', 'id = "copy-2021"'), encoding="utf-8")
    first = load_rulebook(path)
    path.write_text(
        path.read_text(encoding="utf-8").replace('version = "2021.12-1"', 'version = "2021.12-9"'),
        encoding="utf-8",
    )
    # Same size and a later mtime, as after a quick edit: the stamp must still differ.
    later = path.stat().st_mtime_ns + 10**9
    os.utime(path, ns=(later, later))
    second = load_rulebook(path)
    assert second is not first and second.version == "2021.12-9"


# --- problems ---------------------------------------------------------------------------------


def test_every_problem_is_reported_at_once() -> None:
    problems = _problems(DATA / "bad-fields.toml")
    expected = [
        "bad-fields.toml: rulebook: field 'effective_date': not a date: '2021-13-45'",
        "bad-fields.toml: article 5: field 'party': unknown party 'pupil'",
        "bad-fields.toml: article 6: field 'head_zh': missing required field",
        "bad-fields.toml: article 9: field 'roles': unknown role 'janitor'",
        "bad-fields.toml: clause 5.1: field 'item': expected integer, got text",
        "bad-fields.toml: clause 6.3: field 'facts': unknown fact 'colour'",
        "bad-fields.toml: clause 6.4: field 'text_en': missing required field",
        "bad-fields.toml: clause 5.1: field 'id': duplicate clause id '5.1'",
        "bad-fields.toml: clause 99.1: field 'article': no article 99",
        "bad-fields.toml: clause 6.4: field 'escalations': escalation to missing clause '42.1'",
    ]
    for line in expected:
        assert any(p.startswith(line) for p in problems), line
    assert len(problems) == len(expected)


def test_the_message_lists_every_problem() -> None:
    with pytest.raises(RulebookValidationError) as info:
        load_rulebook(DATA / "bad-fields.toml")
    message = str(info.value)
    assert message.startswith("rulebook: 10 problems:")
    assert "clause 6.3: field 'facts': unknown fact 'colour'" in message
    assert isinstance(info.value, UserError)


def test_syntax_error_names_the_line() -> None:
    (problem,) = _problems(DATA / "bad-syntax.toml")
    assert problem.startswith("bad-syntax.toml: TOML syntax error:")
    assert "line 7" in problem


def test_wrong_types_and_unknown_fields(tmp_path: Path) -> None:
    text = (builtin_dir() / "cn-national-2021.toml").read_text(encoding="utf-8")
    text = text.replace('id = "5.2"\narticle = 5', 'id = "5.2"\narticle = "five"\ncolor = 1', 1)
    text = text.replace("ban_years = { minor = 2, serious = 5 }", "ban_years = { minor = 0 }")
    text = text.replace('to = "14.6"', 'to = "14.9"', 1)
    (tmp_path / "t.toml").write_text(text, encoding="utf-8")
    problems = _problems(tmp_path / "t.toml")
    assert "t.toml: clause 5.2: field 'article': expected integer, got text" in problems
    assert "t.toml: clause 5.2: field 'color': unknown field" in problems
    assert "t.toml: article 7: field 'ban_years': 'minor' must be a positive number of years" in (
        problems
    )
    assert "t.toml: clause 13.1: field 'escalations': escalation to missing clause '14.9'" in (
        problems
    )


def test_outranks_must_name_a_clause(tmp_path: Path) -> None:
    text = (builtin_dir() / "cn-national-2021.toml").read_text(encoding="utf-8")
    assert 'outranks = ["5.1"]' in text
    text = text.replace('outranks = ["5.1"]', 'outranks = ["5.9"]', 1)
    (tmp_path / "t.toml").write_text(text, encoding="utf-8")
    assert "t.toml: clause 6.1: field 'outranks': no clause '5.9' to outrank" in _problems(
        tmp_path / "t.toml"
    )


def test_escalation_values_are_checked(tmp_path: Path) -> None:
    text = (builtin_dir() / "cn-national-2021.toml").read_text(encoding="utf-8")
    text = text.replace('equals = "serious", to = "13.1"', 'equals = "grave", to = "13.1"', 1)
    text = text.replace("equals = true", 'equals = "yes"', 1)
    (tmp_path / "t.toml").write_text(text, encoding="utf-8")
    problems = _problems(tmp_path / "t.toml")
    assert any(p.startswith("t.toml: clause 12.1: field 'escalations[1]'") for p in problems)
    assert any(p.startswith("t.toml: clause 13.1: field 'escalations[1]'") for p in problems)


def test_unknown_ref_is_a_clear_error() -> None:
    with pytest.raises(RulebookNotFoundError) as info:
        load_rulebook("cn-national-1999")
    assert "no rulebook 'cn-national-1999'" in str(info.value)
    assert "cn-national-2021" in str(info.value)  # says what is available
    assert isinstance(info.value, UserError)


def test_missing_file_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(UserError, match="file not found"):
        load_rulebook(tmp_path / "none.toml")


# --- extensions -------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def province() -> Rulebook:
    return load_rulebook("example-gd-2024")


def test_extension_header_and_chain(province: Rulebook) -> None:
    assert province.id == "example-gd-2024"
    assert province.title_zh.endswith("（示例）")
    assert province.extends == ("cn-national-2021",)
    assert province.label.startswith("example-gd-2024@")
    assert province.effective_date == dt.date(2024, 3, 1)


def test_extension_adds_keywords_and_notes(national: Rulebook, province: Rulebook) -> None:
    c51 = province.clauses["5.1"]
    assert c51.keywords_zh[: len(national.clauses["5.1"].keywords_zh)] == (
        national.clauses["5.1"].keywords_zh
    )
    assert "手机袋" in c51.keywords_zh and "手机袋" not in national.clauses["5.1"].keywords_zh
    assert len(c51.notes_zh) == len(national.clauses["5.1"].notes_zh) + 1
    assert len(province.articles[5].notes_zh) == len(national.articles[5].notes_zh) + 1
    assert province.notes_zh[: len(national.notes_zh)] == national.notes_zh


def test_extension_local_clause(province: Rulebook) -> None:
    local = province.clauses["GD-5.5"]
    assert local.local and local.source == "example-gd-2024"
    assert province.article_of(local).effect is Effect.SUBJECT_CANCELLED
    ids = list(province.clauses)
    assert ids.index("GD-5.5") == ids.index("5.4") + 1  # read under its article
    assert local in province.clauses_for(Party.CANDIDATE)


def test_extension_keeps_national_text(national: Rulebook, province: Rulebook) -> None:
    for cid, clause in national.clauses.items():
        assert province.clauses[cid].text_zh == clause.text_zh
        assert province.clauses[cid].source == "cn-national-2021"
    for number, article in national.articles.items():
        assert province.articles[number].head_zh == article.head_zh
        assert province.articles[number].measures == article.measures
    assert national.clauses["5.1"].keywords_zh[-1] != "未存放手机"  # the base is not mutated


def test_extension_cannot_change_national_text() -> None:
    problems = _problems(DATA / "bad-extension.toml")
    assert any(
        p.startswith(
            "bad-extension.toml: add_to_clauses 5.1: field 'text_zh': an extension may not"
        )
        for p in problems
    )
    assert any(
        p.startswith("bad-extension.toml: add_to_articles 5: field 'head_zh'") for p in problems
    )
    assert any("add_to_clauses 88.8: field 'id': no clause '88.8'" in p for p in problems)
    assert any("clause 6.1: field 'id': duplicate clause id '6.1'" in p for p in problems)
    assert any(
        "clause X-16.1: field 'article': article 16 is a procedure article" in p for p in problems
    )
    assert any(
        "clause X-5.9: field 'escalations': escalation to missing clause 'X-9.9'" in p
        for p in problems
    )
    # No national Art. 5 clause needs the severity or escalates, so neither may a local one.
    assert any(
        p.startswith("bad-extension.toml: clause X-5.9: field 'facts': a local clause")
        for p in problems
    )
    assert len(problems) == 7


def test_nested_extension(tmp_path: Path) -> None:
    (tmp_path / "city.toml").write_text(
        """
[rulebook]
id = "example-city-2025"
extends = "example-gd-2024"
title_zh = "某市细则（示例）"
title_en = "A city's rules (example)"
version = "1"
effective_date = 2025-01-01

[[add_to_clauses]]
id = "GD-5.5"
keywords_zh = ["电子计算尺"]

[[clauses]]
id = "CITY-6.6"
article = 6
title_zh = "市级示例条款"
title_en = "City example clause"
text_zh = "市级示例。"
text_en = "City example."
escalations = []
""",
        encoding="utf-8",
    )
    city = load_rulebook("example-city-2025", search_dirs=[tmp_path])
    assert city.extends == ("example-gd-2024", "cn-national-2021")
    assert "电子计算尺" in city.clauses["GD-5.5"].keywords_zh
    assert city.clauses["GD-5.5"].source == "example-gd-2024"
    assert city.clauses["CITY-6.6"].local
    assert city.document_number == "示例〔2024〕1号"  # the nearest one that names a number
    ids = [rid for rid, _, _ in available_rulebooks([tmp_path])]
    assert ids == ["cn-national-2021", "example-gd-2024", "example-city-2025"]


def test_extends_cycle_and_missing_base(tmp_path: Path) -> None:
    head = 'title_zh = "甲"\ntitle_en = "A"\nversion = "1"\neffective_date = 2025-01-01\n'
    (tmp_path / "a.toml").write_text(f'[rulebook]\nid = "a"\nextends = "b"\n{head}', "utf-8")
    (tmp_path / "b.toml").write_text(f'[rulebook]\nid = "b"\nextends = "a"\n{head}', "utf-8")
    (tmp_path / "c.toml").write_text(f'[rulebook]\nid = "c"\nextends = "zz"\n{head}', "utf-8")
    (problem,) = _problems(tmp_path / "a.toml")
    assert "cycle" in problem
    (problem,) = _problems(tmp_path / "c.toml")
    assert problem.startswith("c.toml: rulebook: field 'extends':") and "'zz'" in problem


def test_available_rulebooks() -> None:
    found = available_rulebooks()
    assert found[0][:2] == ("cn-national-2021", "技能人才评价违纪违规行为处理工作指引（试行）")
    assert "example-gd-2024" in [rid for rid, _, _ in found]


def test_a_shipped_id_cannot_be_shadowed(tmp_path: Path) -> None:
    text = (builtin_dir() / "cn-national-2021.toml").read_text(encoding="utf-8")
    (tmp_path / "fake.toml").write_text(text.replace("2021.12-1", "fake"), encoding="utf-8")
    assert load_rulebook("cn-national-2021", [tmp_path]).version == "2021.12-1"


def test_a_bare_file_name_is_found_in_the_folders() -> None:
    assert load_rulebook("example-province-2024.toml").id == "example-gd-2024"


def test_base_only_and_extension_only_tables(tmp_path: Path) -> None:
    text = (builtin_dir() / "cn-national-2021.toml").read_text(encoding="utf-8")
    text += '\n[[add_to_clauses]]\nid = "5.1"\nkeywords_zh = ["甲"]\n\n[[appendix]]\nx = 1\n'
    (tmp_path / "t.toml").write_text(text, encoding="utf-8")
    problems = _problems(tmp_path / "t.toml")
    assert any(p.startswith("t.toml: field 'add_to_clauses': only an extension") for p in problems)
    assert "t.toml: field 'appendix': unknown field" in problems
