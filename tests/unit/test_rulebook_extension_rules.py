"""An extension rulebook may not weaken or contradict national handling: such files are refused
at load time, every problem named by file, clause and field."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from app.core.rulebook.loader import RulebookValidationError, builtin_dir, load_rulebook
from app.core.rulebook.model import Fact

NATIONAL_FILE = builtin_dir() / "cn-national-2021.toml"


def _head(rid: str = "test-ext", extends: str = "cn-national-2021") -> str:
    return f"""
[rulebook]
id = "{rid}"
extends = "{extends}"
title_zh = "测试扩展"
title_en = "Test extension"
version = "1"
effective_date = 2025-01-01
"""


def _clause(cid: str, article: int, body: str = "", item: int | None = None) -> str:
    numbered = f"item = {item}\n" if item is not None else ""
    return f"""
[[clauses]]
id = "{cid}"
article = {article}
{numbered}local = true
title_zh = "测试条款"
title_en = "Test clause"
text_zh = "测试。"
text_en = "Test."
{body}
"""


def _write(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def _problems(path: Path | str, search_dirs: tuple[Path, ...] = ()) -> tuple[str, ...]:
    with pytest.raises(RulebookValidationError) as info:
        load_rulebook(path, search_dirs)
    return info.value.problems


def _national_copy(rid: str) -> str:
    """The national file's text under another id (a fixture base of the tests' own)."""
    text = NATIONAL_FILE.read_text(encoding="utf-8")
    return text.replace('id = "cn-national-2021"', f'id = "{rid}"', 1)


# --- what still loads ---------------------------------------------------------------------------


def test_the_shipped_example_province_still_loads() -> None:
    province = load_rulebook("example-gd-2024")
    assert province.clauses["GD-5.5"].local
    assert load_rulebook(builtin_dir() / "example-province-2024.toml") is province


def test_a_local_art12_clause_with_the_13_1_escalation_loads(tmp_path: Path) -> None:
    body = (
        'facts = ["severity"]\n'
        'escalations = [{ fact = "severity", equals = "serious", to = "13.1", '
        'note_zh = "本省说明", note_en = "Our own note" }]'
    )
    rb = load_rulebook(_write(tmp_path, "ext.toml", _head() + _clause("X-12.5", 12, body, 5)))
    (esc,) = rb.clauses["X-12.5"].escalations
    assert (esc.fact, esc.equals, esc.to) == (Fact.SEVERITY, "serious", "13.1")


def test_facts_in_another_order_load(tmp_path: Path) -> None:
    body = 'facts = ["refused", "warned"]'  # a set: the order asks nothing different
    rb = load_rulebook(_write(tmp_path, "ext.toml", _head() + _clause("X-5.6", 5, body, 6)))
    assert set(rb.clauses["X-5.6"].facts) == {Fact.WARNED, Fact.REFUSED}


def test_a_local_clause_may_outrank_another_local_clause(tmp_path: Path) -> None:
    text = (
        _head() + _clause("X-6.6", 6, item=6) + _clause("X-6.7", 6, 'outranks = ["X-6.6"]', item=7)
    )
    rb = load_rulebook(_write(tmp_path, "ext.toml", text))
    assert rb.clauses["X-6.7"].outranks == ("X-6.6",)


# --- rule 1: a local clause is shaped like a national clause of its article ----------------------


def test_local_art6_clause_with_a_reminder_condition_is_refused(tmp_path: Path) -> None:
    # "Reminded and corrected" would negate a violation Art. 6 has no such condition for.
    body = 'facts = ["warned", "refused"]'
    path = _write(tmp_path, "ext.toml", _head() + _clause("X-6.6", 6, body, 6))
    (problem,) = _problems(path)
    assert problem.startswith("ext.toml: clause X-6.6: field 'facts': a local clause under ")
    assert "article 6 must need the same facts and escalate the same way" in problem
    assert "(6.1–6.5: facts [], no escalations)" in problem
    assert problem.endswith("this one has facts ['warned', 'refused'] and no escalations")


def test_local_art12_clause_without_the_13_1_escalation_is_refused(tmp_path: Path) -> None:
    path = _write(tmp_path, "ext.toml", _head() + _clause("X-12.5", 12, 'facts = ["severity"]', 5))
    (problem,) = _problems(path)
    assert problem.startswith("ext.toml: clause X-12.5: field 'escalations': a local clause")
    assert "(12.1–12.4: facts ['severity'], escalations [severity=serious → 13.1])" in problem
    assert problem.endswith("this one has facts ['severity'] and no escalations")


def test_local_art12_clause_escalating_past_13_1_is_refused(tmp_path: Path) -> None:
    escalation = '{ fact = "severity", equals = "serious", to = "14.4" }'
    body = f'facts = ["severity"]\nescalations = [{escalation}]'
    path = _write(tmp_path, "ext.toml", _head() + _clause("X-12.5", 12, body, 5))
    (problem,) = _problems(path)
    assert problem.startswith("ext.toml: clause X-12.5: field 'escalations':")
    assert problem.endswith("escalations [severity=serious → 14.4]")


def test_local_art7_clause_escalating_minor_cases_to_art5_is_refused(tmp_path: Path) -> None:
    body = (
        'facts = ["severity"]\nescalations = [{ fact = "severity", equals = "minor", to = "5.4" }]'
    )
    path = _write(tmp_path, "ext.toml", _head() + _clause("X-7.8", 7, body, 8))
    assert _problems(path) == (
        "ext.toml: clause X-7.8: field 'escalations': a local clause under article 7 must need "
        "the same facts and escalate the same way as one of its national clauses (7.1–7.7: "
        "facts ['severity'], no escalations); this one has facts ['severity'] and escalations "
        "[severity=minor → 5.4]",
    )


def test_local_art11_clause_without_adverse_effect_is_refused(tmp_path: Path) -> None:
    path = _write(tmp_path, "ext.toml", _head() + _clause("X-11.1", 11))
    (problem,) = _problems(path)
    assert problem.startswith("ext.toml: clause X-11.1: field 'facts':")
    assert "(11: facts ['adverse_effect'], no escalations)" in problem
    assert problem.endswith("this one has facts [] and no escalations")


def test_the_message_names_every_national_shape_of_the_article(tmp_path: Path) -> None:
    path = _write(tmp_path, "ext.toml", _head() + _clause("X-13.8", 13, 'facts = ["severity"]', 8))
    (problem,) = _problems(path)
    assert (
        "(13.1–13.5, 13.7: facts ['prior_warning'], escalations [prior_warning=true → 14.6]; "
        "13.6: facts [], no escalations)"
    ) in problem


def test_a_nested_extension_follows_the_national_clauses(tmp_path: Path) -> None:
    # The city layer is checked against the national clauses, named in its own file.
    body = 'facts = ["warned", "refused"]'
    text = _head("test-city", "example-gd-2024") + _clause("CITY-6.6", 6, body, 6)
    (problem,) = _problems(_write(tmp_path, "city.toml", text))
    assert problem.startswith("city.toml: clause CITY-6.6: field 'facts': a local clause")


# --- rule 2: item numbers ------------------------------------------------------------------------


def test_a_local_item_may_not_be_a_national_item(tmp_path: Path) -> None:
    path = _write(tmp_path, "ext.toml", _head() + _clause("X-7.4", 7, 'facts = ["severity"]', 4))
    assert _problems(path) == (
        "ext.toml: clause X-7.4: field 'item': item 4 of article 7 is national clause 7.4; "
        "number local clauses after the national items (next free: 8)",
    )


def test_two_local_clauses_may_not_share_an_item(tmp_path: Path) -> None:
    text = _head() + _clause("X-6.6", 6, item=6) + _clause("Y-6.6", 6, item=6)
    (problem,) = _problems(_write(tmp_path, "ext.toml", text))
    assert problem.startswith(
        "ext.toml: clause Y-6.6: field 'item': item 6 of article 6 is already local clause "
        "X-6.6 (ext.toml)"
    )


def test_a_nested_local_item_may_not_repeat_the_province_one(tmp_path: Path) -> None:
    body = 'facts = ["warned", "refused"]'
    text = _head("test-city", "example-gd-2024") + _clause("CITY-5.5", 5, body, 5)
    (problem,) = _problems(_write(tmp_path, "city.toml", text))
    assert problem.startswith(
        "city.toml: clause CITY-5.5: field 'item': item 5 of article 5 is already local clause "
        "GD-5.5 (example-province-2024.toml)"
    )


# --- rule 3: outranks ----------------------------------------------------------------------------


def test_a_local_clause_may_not_outrank_a_national_clause(tmp_path: Path) -> None:
    path = _write(tmp_path, "ext.toml", _head() + _clause("X-6.6", 6, 'outranks = ["5.1"]', 6))
    (problem,) = _problems(path)
    assert problem.startswith(
        "ext.toml: clause X-6.6: field 'outranks': a local clause may not outrank national "
        "clause '5.1'"
    )


# --- every problem at once -----------------------------------------------------------------------


def test_every_problem_of_an_extension_is_listed(tmp_path: Path) -> None:
    text = (
        _head()
        + _clause("X-6.6", 6, 'facts = ["warned", "refused"]\noutranks = ["6.1"]', 6)
        + _clause("X-7.4", 7, 'facts = ["severity"]', 4)
        + _clause("X-11.1", 11)
    )
    problems = _problems(_write(tmp_path, "ext.toml", text))
    assert [p.split(": a ")[0].split(": item ")[0] for p in problems] == [
        "ext.toml: clause X-6.6: field 'facts'",
        "ext.toml: clause X-6.6: field 'outranks'",
        "ext.toml: clause X-7.4: field 'item'",
        "ext.toml: clause X-11.1: field 'facts'",
    ]


# --- rule 4: a file elsewhere may not use a shipped rulebook's id --------------------------------


def _impersonates(problem: str, file: str, rid: str = "cn-national-2021") -> bool:
    return problem.startswith(
        f"{file}: rulebook: field 'id': the id '{rid}' belongs to the shipped rulebook "
    ) and problem.endswith("must use its own id (extend '" + rid + "' to build on it)")


def test_a_copy_with_the_national_id_loaded_by_path_is_refused(tmp_path: Path) -> None:
    path = _write(tmp_path, "copy.toml", NATIONAL_FILE.read_text(encoding="utf-8"))
    (problem,) = _problems(path)
    assert _impersonates(problem, "copy.toml")


def test_a_copy_with_the_province_id_is_refused(tmp_path: Path) -> None:
    shipped = (builtin_dir() / "example-province-2024.toml").read_text(encoding="utf-8")
    (problem,) = _problems(_write(tmp_path, "gd.toml", shipped))
    assert _impersonates(problem, "gd.toml", "example-gd-2024")


def test_a_copy_reached_through_a_relative_extends_is_refused(tmp_path: Path) -> None:
    _write(tmp_path, "national.toml", NATIONAL_FILE.read_text(encoding="utf-8"))
    path = _write(tmp_path, "ext.toml", _head(extends="national.toml"))
    (problem,) = _problems(path)
    assert _impersonates(problem, "national.toml")


def test_a_copy_reached_through_an_absolute_extends_is_refused(tmp_path: Path) -> None:
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    fake = _write(elsewhere, "national.toml", NATIONAL_FILE.read_text(encoding="utf-8"))
    path = _write(tmp_path, "ext.toml", _head(extends=fake.as_posix()))
    (problem,) = _problems(path)
    assert _impersonates(problem, "national.toml")


def test_a_test_base_with_its_own_id_loads(tmp_path: Path) -> None:
    _write(tmp_path, "base.toml", _national_copy("test-base-2021"))
    text = _head(extends="base.toml") + _clause("X-6.6", 6, item=6)
    rb = load_rulebook(_write(tmp_path, "ext.toml", text))
    assert rb.extends == ("test-base-2021",)
    assert load_rulebook("cn-national-2021", [tmp_path]).id == "cn-national-2021"


# --- rule 5: Art. 7 ban years and referrals agree with its measures ------------------------------


def test_ban_years_must_match_the_measures(tmp_path: Path) -> None:
    text = _national_copy("test-base-2021").replace(
        "ban_years = { minor = 2, serious = 5 }", "ban_years = { minor = 1, serious = 5 }"
    )
    (problem,) = _problems(_write(tmp_path, "t.toml", text))
    assert problem.startswith(
        "t.toml: article 7: field 'ban_years': minor = 1 year, but no measure for severity "
        "'minor' says '1年' (its measures: barred_2_years: 情节轻微的，2年内不得参加评价)"
    )
    assert problem.endswith("make ban_years agree with the article's measures")


def test_a_national_copy_with_a_shorter_ban_is_refused_for_both(tmp_path: Path) -> None:
    text = NATIONAL_FILE.read_text(encoding="utf-8")
    text = text.replace("minor = 2, serious = 5", "minor = 1, serious = 5")
    problems = _problems(_write(tmp_path, "t.toml", text))
    assert any(p.startswith("t.toml: article 7: field 'ban_years': minor = 1") for p in problems)
    assert any(_impersonates(p, "t.toml") for p in problems)


def test_referral_severities_must_match_the_referral_measure(tmp_path: Path) -> None:
    base = _national_copy("test-base-2021")
    for given in ("[]", '["minor", "serious"]'):
        text = base.replace('referral_severities = ["serious"]', f"referral_severities = {given}")
        (problem,) = _problems(_write(tmp_path, "t.toml", text))
        assert problem.startswith("t.toml: article 7: field 'referral_severities':")
        measures = "referral measures (code 'referred_to_authorities' or text with '移送')"
        assert f"{measures} are for ['serious']" in problem
        assert problem.endswith("['serious']; list exactly those severities")


def test_consistent_ban_years_and_measures_load(tmp_path: Path) -> None:
    text = _national_copy("test-base-2021")
    text = text.replace("minor = 2, serious = 5", "minor = 3, serious = 5")
    text = text.replace(
        'zh = "情节轻微的，2年内不得参加评价"', 'zh = "情节轻微的，3年内不得参加评价"'
    )
    assert load_rulebook(_write(tmp_path, "t.toml", text)).articles[7].ban_years["minor"] == 3


# --- rule 6: a relative extends is read beside the extension --------------------------------------


def test_a_missing_relative_extends_names_the_file_and_field(tmp_path: Path) -> None:
    path = _write(tmp_path, "ext.toml", _head(extends="bases/none.toml"))
    (problem,) = _problems(path)
    assert problem.startswith(
        "ext.toml: rulebook: field 'extends': base rulebook file not found: bases/none.toml "
        f"(looked beside this file in {tmp_path}"
    )
    assert problem.endswith("give the base rulebook's id, or its path relative to this file")


def test_a_relative_extends_is_read_beside_the_extension_first(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    province = tmp_path / "province"
    province.mkdir()
    _write(tmp_path, "base.toml", _national_copy("test-base-beside"))
    _write(province, "base.toml", _national_copy("test-base-elsewhere"))
    path = _write(tmp_path, "ext.toml", _head(extends="base.toml"))
    monkeypatch.chdir(province)  # the working folder has a base.toml too
    assert load_rulebook(path).extends == ("test-base-beside",)
    nested = _write(province, "ext.toml", _head(extends="../base.toml"))
    monkeypatch.chdir(tmp_path.parent)
    assert load_rulebook(nested).extends == ("test-base-beside",)


# --- rule 7: each layer's effective date -------------------------------------------------------


def test_effective_dates_by_layer() -> None:
    national = dt.date(2021, 12, 23)
    assert load_rulebook("cn-national-2021").effective_dates == {"cn-national-2021": national}
    assert load_rulebook("example-gd-2024").effective_dates == {
        "cn-national-2021": national,
        "example-gd-2024": dt.date(2024, 3, 1),
    }
