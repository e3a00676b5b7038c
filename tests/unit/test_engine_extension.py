"""A provincial extension's local clauses are handled like the national ones of their article."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest

from app.core.rulebook.engine import FactsError, ScoresCancelled, classify, combine
from app.core.rulebook.loader import load_rulebook
from app.core.rulebook.model import Rulebook

NATIONAL = "《技能人才评价违纪违规行为处理工作指引（试行）》"
PROVINCE = "《某省技能人才评价违纪违规行为处理实施细则（示例）》"


@pytest.fixture(scope="module")
def province() -> Rulebook:
    return load_rulebook("example-gd-2024")


def run(rb: Rulebook, **facts: Any) -> dict[str, Any]:
    return classify(rb, {"date": "2026-06-12", **facts}).to_dict()


def test_local_clause_under_art5_is_handled_like_5_1(province: Rulebook) -> None:
    local = run(province, clause="GD-5.5", warned=True, refused=True, subject="理论知识")
    national = run(province, clause="5.1", warned=True, refused=True, subject="理论知识")
    same = ("violation", "article", "scores_cancelled", "ban_until", "measures", "pending")
    assert {k: local[k] for k in same} == {k: national[k] for k in same}
    assert local["scores_cancelled"] == "subject"
    assert local["rulebook"] == "example-gd-2024@2024.1-example"
    assert local["explanation"].startswith(f"依据{PROVINCE}第五条第（五）项及{NATIONAL}第五条")


def test_local_clause_found_after_the_exam_cites_art8_under_the_guideline(
    province: Rulebook,
) -> None:
    out = run(
        province,
        clause="GD-5.5",
        warned=True,
        refused=True,
        discovered_after_exam=True,
        certificate_issued=True,
    )
    assert out["explanation"].startswith(
        f"依据{PROVINCE}第五条第（五）项及{NATIONAL}第五条、第八条，"
        "可能适用的处理：取消其当次该科目的评价成绩"
    )
    assert out["explanation"].count("及《") == 1
    assert out["explanation_en"].startswith(
        "Under Art. 5(5) of the Implementing Rules of a Province"
    )
    assert "Example), and Art. 5 and Art. 8 of the Guidelines" in out["explanation_en"]


def test_local_clause_not_established_cites_only_the_clause(province: Rulebook) -> None:
    out = run(
        province,
        clause="GD-5.5",
        warned=True,
        refused=False,
        discovered_after_exam=True,
        certificate_issued=True,
    )
    assert out["explanation"] == (
        f"经提醒已改正，按所填事实不构成{PROVINCE}第五条第（五）项所列违纪违规行为，"
        "记录留存备查。待评价机构按程序认定。"
    )


@pytest.mark.parametrize(
    ("facts", "violation", "pending"),
    [
        ({"warned": True, "refused": False}, False, []),
        ({"warned": False}, False, []),
        ({}, False, ["warned", "refused"]),
    ],
)
def test_local_clause_needs_the_refused_reminder(
    province: Rulebook, facts: dict[str, bool], violation: bool, pending: list[str]
) -> None:
    out = run(province, clause="GD-5.5", **facts)
    assert (out["violation"], out["pending"], out["scores_cancelled"]) == (
        violation,
        pending,
        "none",
    )


def test_national_clauses_keep_their_citation(province: Rulebook) -> None:
    out = run(province, clause="6.1")
    assert out["explanation"].startswith(f"依据{NATIONAL}第六条第（一）项")


def test_local_and_national_parts_combine(province: Rulebook) -> None:
    parts = [
        classify(
            province,
            {
                "clause": "GD-5.5",
                "date": "2026-06-12",
                "warned": True,
                "refused": True,
                "subject": "理论知识",
            },
        ),
        classify(province, {"clause": "5.4", "date": "2026-06-12", "subject": "操作技能"}),
    ]
    combined = combine(parts)
    assert combined.scores_cancelled is ScoresCancelled.SUBJECT
    assert combined.subjects_cancelled == ("操作技能", "理论知识")


EXTENSION = """
[rulebook]
id = "test-ext-2025"
extends = "cn-national-2021"
title_zh = "测试扩展规则"
title_en = "Test extension rules"
document_number = "测试〔2025〕1号"
version = "2025.1"
effective_date = 2025-01-01

[[clauses]]
id = "T-7.8"
article = 7
item = 8
local = true
title_zh = "测试：冒用他人准考证"
title_en = "Test: using another's admission ticket"
text_zh = "冒用他人准考证参加评价的。"
text_en = "Taking part with another person's admission ticket."
facts = ["severity"]

[[clauses]]
id = "T-12.5"
article = 12
item = 5
local = true
title_zh = "测试：未按时报送评价计划"
title_en = "Test: evaluation plan not filed in time"
text_zh = "未按时报送评价计划的。"
text_en = "Not filing the evaluation plan in time."
facts = ["severity"]
escalations = [{ fact = "severity", equals = "serious", to = "13.1" }]

[[clauses]]
id = "T-10.4"
article = 10
item = 4
local = true
title_zh = "测试：考评人员擅自透露评分"
title_en = "Test: assessor discloses marks"
text_zh = "擅自透露评分结果的。"
text_en = "Disclosing marks without authorisation."
"""


@pytest.fixture(scope="module")
def extension(tmp_path_factory: pytest.TempPathFactory) -> Rulebook:
    path: Path = tmp_path_factory.mktemp("rulebooks") / "test-ext-2025.toml"
    path.write_text(EXTENSION, encoding="utf-8")
    return load_rulebook(path)


def test_local_clause_under_art7_gets_the_multi_year_ban(extension: Rulebook) -> None:
    out = run(
        extension,
        clause="T-7.8",
        severity="serious",
        date="2028-02-29",
        decision_date="2028-02-29",
    )
    assert (out["article"], out["scores_cancelled"], out["referral"]) == (7, "all", True)
    assert out["ban_until"] == "2033-02-28"
    pending = classify(extension, {"clause": "T-7.8", "date": "2026-01-05"})
    assert (pending.ban_until, pending.ban_years) == (None, 2)


def test_local_clause_under_art12_escalates_and_chains(extension: Rulebook) -> None:
    out = run(extension, clause="T-12.5", severity="serious", prior_warning=True)
    assert out["escalation_path"] == ["T-12.5", "13.1", "14.6"]
    assert (out["clause"], out["input_clause"], out["article"]) == ("14.6", "T-12.5", 14)


def test_local_clause_under_art10_checks_the_role(extension: Rulebook) -> None:
    assert run(extension, clause="T-10.4", role="assessor")["violation"] is True
    with pytest.raises(FactsError, match=r"clause T-10\.4 applies to assessor"):
        run(extension, clause="T-10.4", role="exam_admin")


def test_extension_date_is_the_incident_date(extension: Rulebook) -> None:
    facts = {"clause": "T-7.8", "date": "2026-06-12", "severity": "minor"}
    out = classify(extension, {**facts, "decision_date": "2026-06-12"})
    assert out.ban_until == dt.date(2028, 6, 12)
    assert out.date == dt.date(2026, 6, 12)
    assert out.rulebook == "test-ext-2025@2025.1"


def test_a_local_clause_applies_from_the_province_date(province: Rulebook) -> None:
    """The example province took effect on 2024-03-01: its local clause does not reach back,
    while the national clauses it carries apply from the guideline's own date."""
    facts = {"warned": True, "refused": True, "subject": "理论知识"}
    with pytest.raises(FactsError, match=r"clause GD-5\.5 has applied only since 2024-03-01"):
        run(province, clause="GD-5.5", date="2023-06-12", **facts)
    assert run(province, clause="GD-5.5", date="2024-03-01", **facts)["violation"] is True
    assert run(province, clause="5.1", date="2023-06-12", **facts)["violation"] is True
