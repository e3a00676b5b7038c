"""The rule engine on the national rulebook: every clause, and each rule of Art. 5–15."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from app.core.rulebook.engine import FactsError, classify
from app.core.rulebook.loader import load_rulebook
from app.core.rulebook.model import Party, Rulebook

# Every item of Art. 5–15 of the guideline (Art. 11 has no items; Art. 15 has two paragraphs).
CANDIDATE_CLAUSES = (
    [f"5.{i}" for i in range(1, 5)]
    + [f"6.{i}" for i in range(1, 6)]
    + [f"7.{i}" for i in range(1, 8)]
)
STAFF_CLAUSES = [f"9.{i}" for i in range(1, 6)] + [f"10.{i}" for i in range(1, 4)] + ["11"]
INSTITUTION_CLAUSES = (
    [f"12.{i}" for i in range(1, 5)]
    + [f"13.{i}" for i in range(1, 8)]
    + [f"14.{i}" for i in range(1, 9)]
    + ["15.1", "15.2"]
)
ROLE_FOR_ARTICLE = {9: "exam_admin", 10: "assessor", 11: "supervisor"}
TITLE = "《技能人才评价违纪违规行为处理工作指引（试行）》"


@pytest.fixture(scope="module")
def rb() -> Rulebook:
    return load_rulebook("cn-national-2021")


def run(rb: Rulebook, **facts: Any) -> dict[str, Any]:
    facts.setdefault("date", "2026-06-12")
    return classify(rb, facts).to_dict()


def plausible(clause: str) -> dict[str, Any]:
    """A fact set under which the clause applies as it stands (no escalation)."""
    article = int(clause.split(".")[0])
    if clause in CANDIDATE_CLAUSES:
        return {
            "party": "candidate",
            "clause": clause,
            "warned": True,
            "refused": True,
            "severity": "minor",
            "subject": "理论知识",
        }
    if clause in STAFF_CLAUSES:
        return {
            "party": "staff",
            "clause": clause,
            "role": ROLE_FOR_ARTICLE[article],
            "adverse_effect": True if article == 11 else None,
        }
    return {"party": "institution", "clause": clause, "severity": "minor", "prior_warning": False}


def test_rulebook_has_exactly_the_clauses_of_art_5_to_15(rb: Rulebook) -> None:
    expected = set(CANDIDATE_CLAUSES + STAFF_CLAUSES + INSTITUTION_CLAUSES)
    assert {c for c, cl in rb.clauses.items() if not cl.local} == expected


@pytest.mark.parametrize("clause", CANDIDATE_CLAUSES + STAFF_CLAUSES + INSTITUTION_CLAUSES)
def test_every_clause_classifies(rb: Rulebook, clause: str) -> None:
    out = run(rb, **plausible(clause))
    article = int(clause.split(".")[0])
    assert out["violation"] is True
    assert (out["clause"], out["input_clause"], out["article"]) == (clause, clause, article)
    assert out["pending"] == []
    assert out["measures"], "a violation lists the article's measures"
    assert out["explanation"].startswith(f"依据{TITLE}第")
    # Only the institution decides (Art. 16–17): every sentence says what may apply, pending it.
    assert "，可能适用的处理：" in out["explanation"]
    # Who determines depends on the party (Art. 16 paras 1-3).
    assert out["explanation"].endswith(
        {
            "candidate": "。待评价机构按程序认定。",
            "staff": (
                "。待评价机构、评价机构监管部门依据本指引有关条款进行处理；"
                "由评价机构处理的，评价机构同时向评价机构监管部门报备处理情况。"
            ),
            "institution": "。待评价机构监管部门认定。",
        }[out["party"]]
    )
    assert out["explanation_en"].startswith(f"Under Art. {article}")
    assert "the handling that may apply" in out["explanation_en"]
    assert ("regulator" in out["explanation_en"].rsplit(".", 2)[-2]) is (
        out["party"] != "candidate"
    )
    assert out["rulebook"] == rb.label
    assert out["party"] == plausible(clause)["party"]


def test_keys_always_present(rb: Rulebook) -> None:
    common = {
        "violation",
        "article",
        "clause",
        "input_clause",
        "party",
        "measures",
        "pending",
        "explanation",
        "explanation_en",
        "rulebook",
    }
    candidate = {
        "scores_cancelled",
        "ban_until",
        "ban_years",
        "referral",
        "invalidate_certificate",
        "subject",
        "decision_date",
    }
    for clause in ("5.1", "9.1", "12.1"):
        out = run(rb, clause=clause, **({"role": "exam_admin"} if clause == "9.1" else {}))
        assert common <= out.keys()
        assert (candidate <= out.keys()) == (clause == "5.1")


# --- Art. 5 -------------------------------------------------------------------------------


@pytest.mark.parametrize("clause", ["5.1", "5.2", "5.3"])
def test_art5_reminded_and_refused_cancels_that_subject(rb: Rulebook, clause: str) -> None:
    out = run(rb, clause=clause, warned=True, refused=True, subject="操作技能")
    assert out["violation"] is True
    assert out["scores_cancelled"] == "subject"
    assert out["subject"] == "操作技能"
    assert out["ban_until"] is None
    assert [m["code"] for m in out["measures"]] == ["subject_score_cancelled"]
    assert "取消其当次该科目的评价成绩" in out["explanation"]


@pytest.mark.parametrize(
    ("warned", "refused", "reason"),
    [(True, False, "经提醒已改正"), (False, None, "未经工作人员提醒"), (False, False, "未经")],
)
def test_art5_corrected_or_never_reminded_is_kept_on_file(
    rb: Rulebook, warned: bool, refused: bool | None, reason: str
) -> None:
    out = run(rb, clause="5.2", warned=warned, refused=refused)
    assert out["violation"] is False
    assert out["scores_cancelled"] == "none"
    assert out["pending"] == []
    assert out["measures"] == []
    assert reason in out["explanation"]
    assert "按所填事实不构成" in out["explanation"]
    assert out["explanation"].endswith("记录留存备查。待评价机构按程序认定。")
    assert "the record is kept on file" in out["explanation_en"]


@pytest.mark.parametrize(
    ("facts", "pending"),
    [({}, ["warned", "refused"]), ({"warned": True}, ["refused"]), ({"refused": True}, ["warned"])],
)
def test_art5_unknown_reminder_is_pending_not_a_violation(
    rb: Rulebook, facts: dict[str, bool], pending: list[str]
) -> None:
    out = run(rb, clause="5.3", **facts)
    assert out["violation"] is False
    assert out["scores_cancelled"] == "none"
    assert out["pending"] == pending
    assert "相关事实确认前尚不能认定构成违纪违规行为" in out["explanation"]
    assert "尚待确认" in out["explanation"]
    assert out["explanation"].endswith("待评价机构按程序认定。")


def test_art5_refused_without_reminder_is_contradictory(rb: Rulebook) -> None:
    with pytest.raises(FactsError) as err:
        run(rb, clause="5.1", warned=False, refused=True)
    assert err.value.field == "refused"


def test_art5_item4_needs_no_reminder(rb: Rulebook) -> None:
    out = run(rb, clause="5.4", subject="理论知识")
    assert out["violation"] is True
    assert out["scores_cancelled"] == "subject"
    assert out["pending"] == []


# --- Art. 6 -------------------------------------------------------------------------------


def test_art6_explanation_cites_the_item_and_the_year_end(rb: Rulebook) -> None:
    out = run(rb, clause="6.1", date="2026-03-02")
    assert out["explanation"] == (
        f"依据{TITLE}第六条第（一）项，可能适用的处理：取消其当次全部科目评价成绩，"
        "且当年不得参加评价（至2026年12月31日）。待评价机构按程序认定。"
    )
    assert out["scores_cancelled"] == "all"
    assert out["referral"] is False


@pytest.mark.parametrize(
    ("date", "until"),
    [("2026-01-01", "2026-12-31"), ("2026-12-31", "2026-12-31"), ("2028-02-29", "2028-12-31")],
)
def test_art6_bars_for_the_year_of_the_incident(rb: Rulebook, date: str, until: str) -> None:
    assert run(rb, clause="6.4", date=date)["ban_until"] == until


def test_art6_year_is_the_incident_year_even_when_decided_later(rb: Rulebook) -> None:
    out = run(rb, clause="6.2", date="2026-12-31", decision_date="2027-01-08")
    assert out["ban_until"] == "2026-12-31"
    assert out["decision_date"] == "2027-01-08"
    # The ban is for the year of the incident; decided later, it has run out: say so.
    assert "（至2026年12月31日，处理决定作出时该期限已届满）" in out["explanation"]
    assert "already over when the decision is made" in out["explanation_en"]
    in_time = run(rb, clause="6.2", date="2026-12-30", decision_date="2026-12-31")
    assert "已届满" not in in_time["explanation"]


# --- Art. 7 -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("date", "severity", "until", "referral"),
    [
        ("2026-06-12", "minor", "2028-06-12", False),
        ("2026-06-12", "serious", "2031-06-12", True),
        ("2028-02-29", "minor", "2030-02-28", False),
        ("2028-02-29", "serious", "2033-02-28", True),
        ("2026-12-31", "minor", "2028-12-31", False),
    ],
)
def test_art7_bans_by_severity(
    rb: Rulebook, date: str, severity: str, until: str, referral: bool
) -> None:
    out = run(rb, clause="7.4", date=date, severity=severity, decision_date=date)
    assert out["violation"] is True
    assert out["scores_cancelled"] == "all"
    assert out["ban_until"] == until
    assert out["ban_years"] == (5 if severity == "serious" else 2)
    assert out["referral"] is referral
    codes = [m["code"] for m in out["measures"]]
    assert ("referred_to_authorities" in codes) is referral
    assert ("barred_5_years" in codes) is (severity == "serious")
    assert ("barred_2_years" in codes) is (severity == "minor")


def test_art7_counts_from_the_decision_date(rb: Rulebook) -> None:
    out = run(rb, clause="7.1", date="2026-06-12", decision_date="2026-07-03", severity="minor")
    assert out["ban_until"] == "2028-07-03"
    assert out["decision_date"] == "2026-07-03"
    assert "（至2028年7月3日）" in out["explanation"]


def test_art7_serious_explanation_reads_as_the_article(rb: Rulebook) -> None:
    out = run(rb, clause="7.5", severity="serious")
    assert out["explanation"] == (
        f"依据{TITLE}第七条第（五）项，可能适用的处理：取消其当次全部科目评价成绩，情节严重的，"
        "5年内不得参加评价（期间起算以处理决定为准），并依据有关法律法规移送有关部门。"
        "待评价机构按程序认定。"
    )


def test_art7_on_site_has_no_decision_date_and_no_end_date(rb: Rulebook) -> None:
    """Art. 17: the decision comes after notice; on site the period cannot be dated yet."""
    out = run(rb, clause="7.4", date="2026-06-12", severity="minor")
    assert out["decision_date"] is None
    assert out["ban_until"] is None
    assert out["ban_years"] == 2
    assert "2年内不得参加评价（期间起算以处理决定为准）" in out["explanation"]
    assert "2028" not in out["explanation"]
    assert "(the period runs as the decision sets it)" in out["explanation_en"]


def test_art7_unknown_severity_keeps_the_certain_part(rb: Rulebook) -> None:
    out = run(rb, clause="7.3")
    assert out["violation"] is True
    assert out["scores_cancelled"] == "all"
    assert out["ban_until"] is None
    assert out["referral"] is False
    assert out["pending"] == ["severity"]
    assert [m["code"] for m in out["measures"]] == ["all_scores_cancelled"]
    # Minor or serious, the article bars for 2 years at least: the ban is not dropped.
    assert out["ban_years"] == 2
    assert "情节轻重待认定，不得参加评价的期限不少于2年" in out["explanation"]
    assert "barred for no less than 2 years" in out["explanation_en"]


# --- Art. 8 -------------------------------------------------------------------------------


def test_art8_certificate_issued_is_invalidated(rb: Rulebook) -> None:
    out = run(
        rb,
        clause="6.2",
        date="2026-05-10",
        decision_date="2026-09-01",
        discovered_after_exam=True,
        certificate_issued=True,
    )
    assert out["invalidate_certificate"] is True
    assert out["scores_cancelled"] == "all"
    assert out["ban_until"] == "2026-12-31"
    assert out["decision_date"] == "2026-09-01"
    codes = [m["code"] for m in out["measures"]]
    assert codes[:2] == ["all_scores_cancelled", "barred_current_year"]
    assert codes[2:] == [m.code for m in rb.articles[8].measures]
    assert any("无效" in m["zh"] for m in out["measures"][2:])
    assert f"{TITLE}第六条第（二）项、第八条，" in out["explanation"]
    assert "Under Art. 6(2) and Art. 8 of the Guidelines" in out["explanation_en"]


def test_art8_ban_counts_from_the_later_decision(rb: Rulebook) -> None:
    out = run(
        rb,
        clause="7.4",
        date="2026-05-10",
        decision_date="2027-03-01",
        severity="minor",
        discovered_after_exam=True,
        certificate_issued=False,
    )
    assert out["ban_until"] == "2029-03-01"
    assert out["invalidate_certificate"] is False
    assert out["pending"] == []


def test_art8_unknown_certificate_is_pending(rb: Rulebook) -> None:
    out = run(rb, clause="5.4", discovered_after_exam=True)
    assert out["violation"] is True
    assert out["pending"] == ["certificate_issued"]
    assert out["invalidate_certificate"] is False


def test_art8_no_violation_invalidates_nothing(rb: Rulebook) -> None:
    out = run(
        rb,
        clause="5.1",
        warned=True,
        refused=False,
        discovered_after_exam=True,
        certificate_issued=True,
    )
    assert out["violation"] is False
    assert out["invalidate_certificate"] is False


def test_art8_certificate_without_after_exam_is_refused(rb: Rulebook) -> None:
    with pytest.raises(FactsError) as err:
        run(rb, clause="6.1", certificate_issued=True)
    assert err.value.field == "certificate_issued"


def test_art8_itself_is_not_a_clause_to_classify(rb: Rulebook) -> None:
    with pytest.raises(FactsError) as err:
        run(rb, clause="8")
    assert err.value.field == "clause"


# --- Staff ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("clause", "role"), [("9.3", "exam_admin"), ("9.3", "site_head"), ("10.2", "assessor")]
)
def test_staff_clause_fits_role(rb: Rulebook, clause: str, role: str) -> None:
    out = run(rb, clause=clause, role=role)
    assert out["violation"] is True
    assert out["role"] == role
    assert "scores_cancelled" not in out


def test_staff_role_mismatch_says_whom_the_clause_is_for(rb: Rulebook) -> None:
    with pytest.raises(FactsError) as err:
        run(rb, clause="10.1", role="exam_admin")
    assert str(err.value) == (
        "field 'role': clause 10.1 applies to assessor (考评人员), not exam_admin"
    )
    assert err.value.field == "role"


@pytest.mark.parametrize(
    ("clause", "role"), [("9.1", "assessor"), ("11", "site_head"), ("9.5", "supervisor")]
)
def test_other_role_mismatches(rb: Rulebook, clause: str, role: str) -> None:
    with pytest.raises(FactsError, match=f"clause {clause} applies to"):
        run(rb, clause=clause, role=role)


def test_staff_role_is_required(rb: Rulebook) -> None:
    with pytest.raises(FactsError) as err:
        run(rb, clause="9.2")
    assert err.value.field == "role"


@pytest.mark.parametrize(
    ("adverse", "violation", "pending"),
    [(True, True, []), (False, False, []), (None, False, ["adverse_effect"])],
)
def test_art11_needs_an_adverse_effect(
    rb: Rulebook, adverse: bool | None, violation: bool, pending: list[str]
) -> None:
    out = run(rb, clause="11", role="supervisor", adverse_effect=adverse)
    assert out["violation"] is violation
    assert out["pending"] == pending
    assert bool(out["measures"]) is violation
    if adverse is False:
        assert "未造成不良影响" in out["explanation"]


# --- Party and clause errors ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("facts", "field"),
    [
        ({"clause": "6.1", "party": "staff"}, "party"),
        ({"clause": "10.1", "party": "candidate", "role": "assessor"}, "party"),
        ({"clause": "13.2", "party": "candidate"}, "party"),
        ({"clause": "6.1", "role": "assessor"}, "role"),
        ({"clause": "12.1", "warned": True}, "warned"),
        ({"clause": "6.9"}, "clause"),
        ({"clause": "99"}, "clause"),
        ({"clause": "17"}, "clause"),
    ],
)
def test_mismatches_name_the_field(rb: Rulebook, facts: dict[str, Any], field: str) -> None:
    with pytest.raises(FactsError) as err:
        run(rb, **facts)
    assert err.value.field == field
    assert str(err.value).startswith(f"field '{field}': ")


def test_party_mismatch_message(rb: Rulebook) -> None:
    with pytest.raises(FactsError, match=r"clause 6\.1 is a candidate clause, not staff"):
        run(rb, clause="6.1", party="staff")


# --- Institutions ---------------------------------------------------------------------------


@pytest.mark.parametrize("clause", ["12.1", "12.2", "12.3", "12.4"])
def test_art12_serious_is_handled_as_13_1(rb: Rulebook, clause: str) -> None:
    out = run(rb, clause=clause, severity="serious", prior_warning=False)
    assert (out["clause"], out["input_clause"], out["article"]) == ("13.1", clause, 13)
    assert out["escalation_path"] == [clause, "13.1"]
    assert out["measures"][0]["code"] == "warning"
    assert "第十三条第（一）项" in out["explanation"]


def test_art12_minor_stays(rb: Rulebook) -> None:
    out = run(rb, clause="12.2", severity="minor")
    assert (out["clause"], out["article"], out["pending"]) == ("12.2", 12, [])
    assert out["escalation_path"] == ["12.2"]


def test_art12_unknown_severity_is_pending_at_art12(rb: Rulebook) -> None:
    out = run(rb, clause="12.4")
    assert (out["clause"], out["violation"], out["pending"]) == ("12.4", True, ["severity"])


@pytest.mark.parametrize("clause", ["13.2", "13.3", "13.4", "13.5", "13.7"])
def test_art13_after_a_warning_is_14_6(rb: Rulebook, clause: str) -> None:
    out = run(rb, clause=clause, prior_warning=True)
    assert (out["clause"], out["input_clause"], out["article"]) == ("14.6", clause, 14)
    assert [m["code"] for m in out["measures"]] == [
        "filing_terminated",
        "certificates_and_data_handled",
    ]


def test_art13_6_is_excepted(rb: Rulebook) -> None:
    out = run(rb, clause="13.6", prior_warning=True)
    assert (out["clause"], out["article"], out["escalation_path"]) == ("13.6", 13, ["13.6"])
    assert out["pending"] == []


def test_art13_unknown_prior_warning_is_pending(rb: Rulebook) -> None:
    out = run(rb, clause="13.4")
    assert (out["clause"], out["pending"]) == ("13.4", ["prior_warning"])


def test_escalations_chain(rb: Rulebook) -> None:
    out = run(rb, clause="12.3", severity="serious", prior_warning=True)
    assert (out["clause"], out["input_clause"], out["article"]) == ("14.6", "12.3", 14)
    assert out["escalation_path"] == ["12.3", "13.1", "14.6"]
    assert out["explanation"].startswith("第十二条第（三）项所列行为，情节严重的")
    assert "依据" + TITLE + "第十四条第（六）项" in out["explanation"]


def test_escalation_reads_as_one_english_sentence(rb: Rulebook) -> None:
    one = run(rb, clause="12.3", severity="serious")["explanation_en"]
    assert one.startswith(
        "Art. 12(3), where serious, is handled under Art. 13(1); under Art. 13(1) of the Guidelines"
    )
    chain = run(rb, clause="12.3", severity="serious", prior_warning=True)["explanation_en"]
    assert chain.startswith(
        "Art. 12(3), where serious, is handled under Art. 13(1); when repeated after a warning "
        "and rectification, it is handled under Art. 14(6); under Art. 14(6) of the Guidelines"
    )
    # No stacked colons, no bare clause ids, no capital after the lead.
    for text in (one, chain):
        assert text.split(" Still to be established")[0].count(":") == 1
        assert "13.1" not in text and "14.6" not in text
        assert "; Under" not in text


def test_escalation_keeps_the_rulebook_chinese_note(rb: Rulebook) -> None:
    out = run(rb, clause="13.2", prior_warning=True)
    assert out["explanation"].startswith(
        "第十三条第（二）项所列行为，已被警告、整改后再次违反的，按第十四条第（六）项处理；依据"
    )
    assert out["explanation_en"].startswith(
        "Art. 13(2), when repeated after a warning and rectification, is handled under Art. 14(6);"
    )


def test_chain_stops_where_a_fact_is_unknown(rb: Rulebook) -> None:
    out = run(rb, clause="12.1", severity="serious")
    assert (out["clause"], out["pending"]) == ("13.1", ["prior_warning"])


def test_art15_range_reaches_termination(rb: Rulebook) -> None:
    first = run(rb, clause="15.1")
    assert any("直至终止备案" in m["zh"] for m in first["measures"])
    assert "第十五条第一款" in first["explanation"]
    second = run(rb, clause="15.2")
    assert {m["code"] for m in second["measures"]}.isdisjoint(
        {m["code"] for m in first["measures"]}
    )


def test_date_is_echoed_and_required(rb: Rulebook) -> None:
    assert run(rb, clause="9.4", role="site_head")["date"] == "2026-06-12"
    with pytest.raises(FactsError) as err:
        classify(rb, {"clause": "6.1"})
    assert err.value.field == "date"


def test_typed_facts_are_accepted(rb: Rulebook) -> None:
    from app.core.rulebook.engine import parse_facts

    facts = parse_facts(
        {"clause": "7.2", "date": "2026-06-12", "severity": "minor", "decision_date": "2026-06-12"}
    )
    assert classify(rb, facts).ban_until == dt.date(2028, 6, 12)
    assert classify(rb, facts).party is Party.CANDIDATE


@pytest.mark.parametrize(
    ("n", "zh"),
    [
        (1, "一"),
        (5, "五"),
        (10, "十"),
        (11, "十一"),
        (15, "十五"),
        (20, "二十"),
        (22, "二十二"),
        (99, "九十九"),
    ],
)
def test_chinese_numbers(n: int, zh: str) -> None:
    from app.core.rulebook.explain import chinese_number

    assert chinese_number(n) == zh


@pytest.mark.parametrize("n", [0, 100, -3])
def test_chinese_numbers_out_of_range(n: int) -> None:
    from app.core.rulebook.explain import chinese_number

    with pytest.raises(ValueError):
        chinese_number(n)


def test_article_without_items_is_cited_as_the_article(rb: Rulebook) -> None:
    out = run(rb, clause="11", role="supervisor", adverse_effect=True)
    assert out["explanation"] == (
        f"依据{TITLE}第十一条，可能适用的处理：由评价机构或评价机构监管部门按有关规定作出相应处理。"
        "待评价机构、评价机构监管部门依据本指引有关条款进行处理；"
        "由评价机构处理的，评价机构同时向评价机构监管部门报备处理情况。"
    )


def test_only_measures_the_text_leaves_to_judgement_are_discretionary(rb: Rulebook) -> None:
    """视情况/视情节 leaves a measure to the decision maker; a condition such as 对违反法律法规的
    (15.2) says when it applies and is not discretionary."""
    for article in rb.articles.values():
        for measure in article.measures:
            assert measure.discretionary == ("视情" in measure.zh), measure.code


def test_a_clause_applies_only_once_its_rulebook_is_in_force(rb: Rulebook) -> None:
    """The guideline took effect when issued (2021-12-23, Art. 24)."""
    assert rb.effective_dates[rb.id] == dt.date(2021, 12, 23)
    assert run(rb, clause="6.1", date="2021-12-23")["violation"] is True
    with pytest.raises(FactsError) as err:
        run(rb, clause="6.1", date="2021-12-22")
    assert err.value.field == "date"
    assert "since 2021-12-23" in str(err.value)


def test_pending_facts_are_named_in_words_in_english(rb: Rulebook) -> None:
    out = run(rb, clause="11", role="supervisor")
    assert out["pending"] == ["adverse_effect"]
    assert "Still to be established: whether it caused an adverse effect." in out["explanation_en"]
    assert "adverse_effect" not in out["explanation_en"]
