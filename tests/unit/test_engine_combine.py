"""Several incidents of one candidate in one sitting, taken together."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.core.rulebook.engine import Outcome, ScoresCancelled, classify, combine
from app.core.rulebook.explain import is_ban
from app.core.rulebook.loader import load_rulebook
from app.core.rulebook.model import Party
from app.core.rulebook.outcome import CombineError

RB = load_rulebook("cn-national-2021")
CANDIDATE_CLAUSES = [c.id for c in RB.clauses_for(Party.CANDIDATE)]


def part(clause: str, date: str = "2026-06-12", **facts: Any) -> Outcome:
    return classify(RB, {"clause": clause, "date": date, **facts})


def test_cancelled_subjects_add_up() -> None:
    combined = combine(
        [
            part("5.1", warned=True, refused=True, subject="理论知识"),
            part("5.4", subject="操作技能"),
            part("5.2", warned=True, refused=False, subject="综合评审"),  # only a reminder
        ]
    )
    assert combined.scores_cancelled is ScoresCancelled.SUBJECT
    assert combined.subjects_cancelled == ("操作技能", "理论知识")
    assert combined.ban_until is None
    assert combined.violation is True
    assert combined.articles == (5,)
    d = combined.to_dict()
    assert d["subjects_cancelled"] == ["操作技能", "理论知识"]
    assert "取消当次操作技能、理论知识的评价成绩" in d["explanation"]


def test_a_subject_without_a_name_is_still_said_to_be_cancelled() -> None:
    combined = combine([part("5.4", subject="理论"), part("5.4")])
    assert combined.subjects_cancelled == ("理论",)
    assert "取消当次理论及其他相关科目的评价成绩" in combined.explanation
    assert (
        "the scores of 理论 and the other subjects concerned in this sitting are cancelled"
        in combined.explanation_en
    )


def test_subjects_are_named_alone_when_every_part_names_one() -> None:
    named = combine([part("5.4", subject="理论"), part("5.4", subject="实操")])
    assert "取消当次实操、理论的评价成绩" in named.explanation
    assert "其他相关科目" not in named.explanation
    nameless = combine([part("5.4"), part("5.4")])
    assert "取消当次相关科目的评价成绩" in nameless.explanation
    assert "the scores of the subjects concerned" in nameless.explanation_en


def test_an_unnamed_part_that_is_only_a_reminder_adds_no_subject() -> None:
    combined = combine([part("5.4", subject="理论"), part("5.1", warned=True, refused=False)])
    assert "取消当次理论的评价成绩" in combined.explanation


def test_all_wins_and_latest_ban_wins() -> None:
    combined = combine(
        [
            part("5.4", subject="理论知识"),
            part("6.1", subject="操作技能"),
            part("7.4", severity="minor", decision_date="2026-07-01"),
        ]
    )
    assert combined.scores_cancelled is ScoresCancelled.ALL
    assert combined.ban_until == dt.date(2028, 7, 1)
    assert combined.referral is False
    assert combined.articles == (5, 6, 7)
    assert combined.to_dict()["ban_until"] == "2028-07-01"


def test_referral_and_invalidation_if_any_part_has_them() -> None:
    combined = combine(
        [
            part("6.2", discovered_after_exam=True, certificate_issued=True),
            part("7.5", severity="serious"),
        ]
    )
    assert combined.referral is True
    assert combined.invalidate_certificate is True
    # No decision yet: five years from it, not a date.
    assert combined.ban_until is None
    assert (combined.ban_years, combined.ban_at_least) == (5, False)
    assert "5年内不得参加评价（期间起算以处理决定为准）" in combined.explanation
    assert (
        "宣布评价成绩无效，并对已发放证书、已上网证书数据及时作出相应处理" in combined.explanation
    )
    assert "依据有关法律法规移送有关部门" in combined.explanation
    codes = [m.code for m in combined.measures]
    assert "referred_to_authorities" in codes and "certificate_invalidated" in codes


def test_pending_severity_keeps_its_at_least_effect() -> None:
    combined = combine([part("5.4", subject="理论知识"), part("7.1")])
    assert combined.scores_cancelled is ScoresCancelled.ALL
    assert combined.ban_until is None
    assert combined.pending == ("severity",)
    assert combined.violation is True
    # Minor or serious, Art. 7 bars for at least 2 years: never the lighter year ban of 6.3.
    with_year_ban = combine([part("6.3", date="2026-03-01"), part("7.1", date="2026-03-01")])
    assert with_year_ban.ban_until is None
    assert (with_year_ban.ban_years, with_year_ban.ban_at_least) == (2, True)
    assert "不得参加评价的期限不少于2年" in with_year_ban.explanation
    assert "no less than 2 years" in with_year_ban.explanation_en
    assert with_year_ban.pending == ("severity",)
    # A settled serious part is already longer than the open part's minimum: exactly 5 years.
    settled = combine([part("7.5", severity="serious"), part("7.1")])
    assert (settled.ban_years, settled.ban_at_least) == (5, False)
    # A settled minor part may yet be outlasted by the open one.
    open_ = combine([part("7.5", severity="minor"), part("7.1")])
    assert (open_.ban_years, open_.ban_at_least) == (2, True)


def test_a_dated_art7_ban_is_kept_with_an_undated_one() -> None:
    combined = combine(
        [
            part("7.4", severity="serious", decision_date="2026-07-01"),
            part("7.1", severity="minor"),
        ]
    )
    assert combined.ban_until is None
    assert combined.ban_years == 5


def test_pending_is_the_union() -> None:
    combined = combine([part("5.1", warned=True), part("5.2"), part("6.1")])
    assert combined.pending == ("refused", "warned")
    assert combined.violation is True


def test_no_violation_when_no_part_is_one() -> None:
    combined = combine([part("5.3", warned=False), part("5.1", warned=True, refused=False)])
    assert combined.violation is False
    assert combined.scores_cancelled is ScoresCancelled.NONE
    assert combined.subjects_cancelled == ()
    assert "不构成违纪违规行为" in combined.explanation


def test_combined_measures_state_only_what_stands() -> None:
    combined = combine(
        [
            part("5.4", subject="理论知识"),
            part("6.1", subject="操作技能"),
            part("7.4", severity="minor"),
        ]
    )
    assert [m.code for m in combined.measures] == ["all_scores_cancelled", "barred_2_years"]
    assert "2年内不得参加评价（期间起算以处理决定为准）" in combined.to_dict()["explanation"]
    dated = combine([part("6.1"), part("7.4", severity="minor", decision_date="2026-06-20")])
    assert "不得参加评价（至2028年6月20日）" in dated.explanation
    longer = combine([part("7.4", severity="serious"), part("7.1", severity="minor")])
    codes = [m.code for m in longer.measures]
    assert "barred_5_years" in codes and "barred_2_years" not in codes


def test_pending_facts_are_named_in_chinese_in_the_combined_sentence() -> None:
    d = combine([part("5.4", subject="理论知识"), part("7.1")]).to_dict()
    assert d["pending"] == ["severity"]
    assert "尚待确认：情节轻微或严重" in d["explanation"]
    assert "severity" not in d["explanation"]


def test_combined_keys() -> None:
    d = combine([part("6.1")]).to_dict()
    assert {
        "violation",
        "scores_cancelled",
        "subjects_cancelled",
        "ban_until",
        "referral",
        "invalidate_certificate",
        "pending",
        "articles",
        "explanation",
        "rulebook",
    } <= d.keys()


def test_nothing_to_combine() -> None:
    with pytest.raises(CombineError, match="incidents"):
        combine([])


def test_only_candidates_combine() -> None:
    staff = classify(RB, {"clause": "9.1", "date": "2026-06-12", "role": "exam_admin"})
    with pytest.raises(CombineError, match="party"):
        combine([part("6.1"), staff])


# --- properties -----------------------------------------------------------------------------


@st.composite
def candidate_facts(draw: st.DrawFn) -> dict[str, Any]:
    date = draw(st.dates(dt.date(2024, 1, 1), dt.date(2030, 12, 31)))
    facts: dict[str, Any] = {
        "clause": draw(st.sampled_from(CANDIDATE_CLAUSES)),
        "date": date.isoformat(),
    }
    if draw(st.booleans()):
        later = date + dt.timedelta(days=draw(st.integers(0, 800)))
        facts["decision_date"] = later.isoformat()
    warned = draw(st.sampled_from([True, False, None]))
    refused = draw(st.sampled_from([False, None] if warned is False else [True, False, None]))
    severity = draw(st.sampled_from(["minor", "serious", None]))
    after = draw(st.sampled_from([True, False, None]))
    certificate = draw(st.sampled_from([True, False, None])) if after else None
    subject = draw(st.sampled_from(["理论知识", "操作技能", "综合评审", None]))
    optional = {
        "warned": warned,
        "refused": refused,
        "severity": severity,
        "discovered_after_exam": after,
        "certificate_issued": certificate,
        "subject": subject,
    }
    facts.update({k: v for k, v in optional.items() if v is not None})
    return facts


outcome_lists = st.lists(candidate_facts().map(lambda f: classify(RB, f)), min_size=1, max_size=6)


def _ban_covers(combined: Any, o: Outcome) -> bool:
    """The combination bars at least as long as the part: a later last day, or an undated
    Art. 7 ban of as many years or more (which outlasts any year ban)."""
    if combined.ban_until is None:
        return combined.ban_years is not None and (o.ban_years or 0) <= combined.ban_years
    return o.ban_until is not None and o.ban_until <= combined.ban_until


@settings(max_examples=200, deadline=None)
@given(outcome_lists)
def test_combining_is_never_lighter_than_a_part(outcomes: list[Outcome]) -> None:
    combined = combine(outcomes)
    for o in outcomes:
        assert combined.scores_cancelled.rank >= o.scores_cancelled.rank
        assert combined.referral >= o.referral
        assert combined.invalidate_certificate >= o.invalidate_certificate
        assert combined.violation >= o.violation
        assert set(o.pending) <= set(combined.pending)
        assert o.article in combined.articles
        if o.subject is not None and o.scores_cancelled is not ScoresCancelled.NONE:
            assert o.subject in combined.subjects_cancelled
        subject_only = ScoresCancelled.SUBJECT
        if o.subject is None and o.scores_cancelled == combined.scores_cancelled == subject_only:
            assert "相关科目" in combined.explanation  # an unnamed cancelled subject is not lost
        # Each part's measure stands in the combination, or a heavier one there covers it.
        kept = {m.code for m in combined.measures}
        for m in o.measures:
            covered_by_all = o.scores_cancelled.rank < combined.scores_cancelled.rank
            covered_by_longer_ban = is_ban(m) and _ban_covers(combined, o)
            assert m.code in kept or covered_by_all or covered_by_longer_ban
        if o.ban_until is not None or o.ban_years is not None:
            assert _ban_covers(combined, o)
    undated = [o for o in outcomes if o.ban_years is not None and o.ban_until is None]
    if undated:
        assert combined.ban_until is None
        assert combined.ban_years == max(o.ban_years or 0 for o in outcomes)
    else:
        assert combined.ban_until == max(
            (o.ban_until for o in outcomes if o.ban_until is not None), default=None
        )
    assert list(combined.subjects_cancelled) == sorted(combined.subjects_cancelled)


@settings(max_examples=200, deadline=None)
@given(outcome_lists.flatmap(lambda xs: st.tuples(st.just(xs), st.permutations(xs))))
def test_combine_is_order_independent(pair: tuple[list[Outcome], list[Outcome]]) -> None:
    outcomes, shuffled = pair
    assert combine(shuffled).to_dict() == combine(outcomes).to_dict()


@settings(max_examples=100, deadline=None)
@given(candidate_facts())
def test_one_part_combines_to_itself(facts: dict[str, Any]) -> None:
    o = classify(RB, facts)
    combined = combine([o])
    assert (
        combined.scores_cancelled,
        combined.ban_until,
        combined.referral,
        combined.invalidate_certificate,
        combined.violation,
        set(combined.pending),
    ) == (
        o.scores_cancelled,
        o.ban_until,
        o.referral,
        o.invalidate_certificate,
        o.violation,
        set(o.pending),
    )
