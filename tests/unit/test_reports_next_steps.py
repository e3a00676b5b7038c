"""The person's copy says what follows the record in the guideline's own words (Art. 17 ¶1 and
¶2, Art. 19) and names the institution and the site from the session plan; nothing more."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from app.core.demo.seed import DemoSession
from app.core.records.service import Workspace
from app.core.reports.from_records import incident_view, procedure_zh
from app.core.reports.incident import build_incident_pdf
from app.core.reports.views import Copy
from app.core.rulebook.loader import load_rulebook
from tests.support.pdf import flat_pdf_text
from tests.support.records import confirmed

pytestmark = pytest.mark.skipif(shutil.which("pdftotext") is None, reason="needs poppler-utils")

ART_17_1 = (
    "对评价机构和参评人员、相关工作人员违纪违规行为作出处理决定前，应当告知评价机构和相关人员"
    "拟作出的处理决定及相关事实、理由和依据。"
)
ART_19 = (
    "对处理决定存在异议的机构或个人，可以向作出处理决定的评价机构或评价机构监管部门进行陈述和"
    "申辩。经复核后，评价机构或评价机构监管部门作出复核决定。"
)


def text_of(pdf: bytes, folder: Path, name: str) -> str:
    path = folder / name
    path.write_bytes(pdf)
    return flat_pdf_text(path)


def test_the_procedure_is_quoted_from_the_rulebook_paragraph_by_paragraph() -> None:
    quoted = procedure_zh(load_rulebook("cn-national-2021"))
    assert [cited for cited, _ in quoted] == ["第十七条第一款", "第十七条第二款", "第十九条"]
    assert quoted[0][1] == ART_17_1
    assert "以书面形式送达相关机构或人员，或按有关规定进行公告" in quoted[1][1]
    assert quoted[2][1] == ART_19
    # A provincial rulebook that extends the national one quotes the same text.
    assert procedure_zh(load_rulebook("example-gd-2024")) == quoted


def test_the_candidates_copy_says_what_follows_and_whom_to_address(
    ws: Workspace, demo: DemoSession, tmp_path: Path
) -> None:
    record = confirmed(ws, demo)
    view = incident_view(ws, record)
    text = text_of(build_incident_pdf(view, Copy.CANDIDATE), tmp_path, "candidate.pdf")
    assert "处理决定的程序" in text
    assert "本记录是考场记录，不是处理决定。" in text
    assert "《技能人才评价违纪违规行为处理工作指引（试行）》关于处理决定的规定（原文）" in text
    assert f"第十七条第一款：“{ART_17_1}”" in text
    assert "第十七条第二款：“对评价机构和参评人员、工作人员违纪违规行为作出处理决定的" in text
    assert f"第十九条：“{ART_19}”" in text
    session = ws.session(demo.session_id)
    assert f"评价机构：{session['institution']['name']}" in text
    assert session["institution"]["filing_code"] in text
    address = "".join(session["site"]["address"].split())  # the text is read without spaces
    assert f"考点：{session['site']['name']}（{address}）" in text
    contact = "".join(session["contact"].split())
    assert contact and f"评价机构联系方式：{contact}" in text
    # Promises the text does not make.
    for beyond in ("申诉", "复议", "诉讼", "日内"):
        assert beyond not in text


def test_the_institutions_copy_leaves_it_out(
    ws: Workspace, demo: DemoSession, tmp_path: Path
) -> None:
    record = confirmed(ws, demo)
    text = text_of(build_incident_pdf(incident_view(ws, record)), tmp_path, "institution.pdf")
    assert "处理决定的程序" not in text


def test_a_plan_without_a_contact_says_so_rather_than_leave_the_person_guessing(
    ws: Workspace, demo: DemoSession, tmp_path: Path
) -> None:
    import sqlite3

    from app.core.records.db import DB_FILE

    with sqlite3.connect(ws.data_dir / DB_FILE) as con:  # as planned by an earlier version
        con.execute("UPDATE exam_session SET contact = ''")
    record = confirmed(ws, demo)
    view = incident_view(ws, record)
    text = text_of(build_incident_pdf(view, Copy.CANDIDATE), tmp_path, "candidate.pdf")
    assert "评价机构联系方式：（本场次计划未载明，请向考点询问）" in text
