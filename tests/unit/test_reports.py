"""Report PDFs read back with poppler: text, fonts, pages, masking, drawn signatures."""

from __future__ import annotations

import datetime as dt
import json
import shutil
import subprocess
from pathlib import Path

import pytest
from PIL import Image
from reportlab.platypus import SimpleDocTemplate

from app.core.reports.blank_form import build_blank_form_pdf
from app.core.reports.drawings import SignatureFlowable, qr_payload
from app.core.reports.incident import HANDLING_HEADING, build_incident_pdf
from app.core.reports.session_summary import build_session_summary_pdf
from app.core.reports.typeface import FONT_NAME, report_font
from app.core.reports.views import (
    ClauseView,
    Copy,
    HandlingView,
    IncidentLineView,
    mask_id_number,
)
from app.core.rulebook.loader import load_rulebook
from tests.support.report_samples import (
    handwriting,
    sample_blank_form,
    sample_incident,
    sample_session_summary,
)

pytestmark = pytest.mark.skipif(shutil.which("pdftotext") is None, reason="needs poppler-utils")


def _clause(clause_id: str = "6.1") -> tuple[ClauseView, HandlingView]:
    rulebook = load_rulebook("cn-national-2021")
    clause = rulebook.clause(clause_id)
    article = rulebook.article_of(clause)
    view = ClauseView(clause.id, article.number, article.head_zh, clause.text_zh, clause.title_zh)
    return view, HandlingView([m.zh for m in article.measures], dt.date(2026, 12, 31))


def _write(tmp_path: Path, name: str, data: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


def _text(pdf: Path, page: int | None = None) -> str:
    args = ["pdftotext", "-enc", "UTF-8"]
    if page is not None:
        args += ["-f", str(page), "-l", str(page)]
    out = subprocess.run([*args, str(pdf), "-"], capture_output=True, check=True, text=True)
    return out.stdout


def _flat(text: str) -> str:
    """Text without whitespace: a line may wrap anywhere in Chinese."""
    return "".join(text.split())


def _pages(pdf: Path) -> int:
    out = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, check=True, text=True)
    line = next(li for li in out.stdout.splitlines() if li.startswith("Pages:"))
    return int(line.split()[1])


def _fonts(pdf: Path) -> list[list[str]]:
    out = subprocess.run(["pdffonts", str(pdf)], capture_output=True, check=True, text=True)
    return [line.split() for line in out.stdout.splitlines()[2:] if line.strip()]


def test_mask_id_number_keeps_ends_only() -> None:
    assert mask_id_number("310104199001011234") == "310104********1234"
    assert mask_id_number("G1234567") == "G1****67"  # a passport number: shorter
    assert "9001" not in mask_id_number("310104199001011234")
    assert mask_id_number("123") == "***"


def test_font_is_registered_once() -> None:
    from reportlab.pdfbase import pdfmetrics

    assert report_font() == FONT_NAME
    first = pdfmetrics.getFont(FONT_NAME)
    assert report_font() == FONT_NAME
    assert pdfmetrics.getFont(FONT_NAME) is first


def test_incident_pdf_carries_every_part(tmp_path: Path) -> None:
    clause, handling = _clause()
    view = sample_incident(clause, handling)
    pdf = _write(tmp_path, "incident.pdf", build_incident_pdf(view, Copy.INSTITUTION))
    flat = _flat(_text(pdf))
    for expected in [
        "考场违纪违规行为记录",
        view.session.institution_name,
        view.session.filing_code,
        view.session.site_name,
        view.session.evaluation_type,
        view.session.occupation,
        view.session.subject,
        "张三",
        "310104199001011234",  # institution's copy: full
        view.place,
        "考生于09:41在座位上使用手机",
        view.statement,
        clause.article_head_zh,  # verbatim article text
        clause.clause_text_zh,
        HANDLING_HEADING,
        "取消其当次全部科目评价成绩",
        "2026年12月31日",
        "SZ-20260512-0007",
        view.evidence[0].sha256,
        "王明·考务管理人员",
        "李华·考务管理人员",
        "陈静·考场负责人",
        "当事人确认签字",
        view.record_number,
        view.record_id,
        view.rulebook_label,
        view.content_hash,
        "第1版",
    ]:
        assert _flat(expected) in flat, expected
    pages = _pages(pdf)
    for page in range(1, pages + 1):
        assert f"第{page}页/共{pages}页" in _flat(_text(pdf, page))


def test_candidate_copy_masks_the_id_number(tmp_path: Path) -> None:
    clause, handling = _clause()
    view = sample_incident(clause, handling)
    pdf = _write(tmp_path, "candidate.pdf", build_incident_pdf(view, Copy.CANDIDATE))
    flat = _flat(_text(pdf))
    assert "310104199001011234" not in flat
    assert "310104********1234" in flat
    assert "当事人联" in flat


def test_amended_record_names_the_version_it_supersedes(tmp_path: Path) -> None:
    clause, handling = _clause()
    view = sample_incident(clause, handling, version=2)
    flat = _flat(_text(_write(tmp_path, "v2.pdf", build_incident_pdf(view))))
    assert "本记录为更正版本，替代第1版" in flat
    assert "补充考生陈述" in flat


def test_refusal_is_shown_with_its_witness(tmp_path: Path) -> None:
    clause, handling = _clause()
    view = sample_incident(clause, handling, refused=True)
    flat = _flat(_text(_write(tmp_path, "refused.pdf", build_incident_pdf(view))))
    assert "当事人拒绝签字，以下工作人员见证" in flat
    assert "赵强·质量督导员" in flat
    assert "当事人确认签字" not in flat


def test_long_facts_flow_onto_more_pages_with_headers(tmp_path: Path) -> None:
    clause, handling = _clause()
    view = sample_incident(clause, handling, facts_paragraphs=30)
    pdf = _write(tmp_path, "long.pdf", build_incident_pdf(view))
    pages = _pages(pdf)
    assert pages >= 3
    for page in range(1, pages + 1):
        text = _flat(_text(pdf, page))
        assert "考场违纪违规行为记录" in text
        assert view.record_number in text
        assert f"第{page}页/共{pages}页" in text
    # The last paragraph of the facts made it onto a later page.
    assert "（30）考生于" in _flat("".join(_text(pdf, p) for p in range(2, pages + 1)))


def test_no_handling_and_no_clause_are_said_plainly(tmp_path: Path) -> None:
    view = sample_incident(None, None)
    flat = _flat(_text(_write(tmp_path, "none.pdf", build_incident_pdf(view))))
    assert "尚未选定条款" in flat
    assert HANDLING_HEADING in flat


def test_every_font_is_embedded(tmp_path: Path) -> None:
    clause, handling = _clause()
    documents = {
        "incident.pdf": build_incident_pdf(sample_incident(clause, handling)),
        "session.pdf": build_session_summary_pdf(sample_session_summary()),
        "blank.pdf": build_blank_form_pdf(sample_blank_form()),
    }
    for name, data in documents.items():
        rows = _fonts(_write(tmp_path, name, data))
        assert rows, name
        for row in rows:
            # columns: name type encoding emb sub uni object-id gen
            assert row[-5] == "yes", (name, row)
            assert "Helvetica" not in row[0], (name, row)
            assert "WenQuanYi" in row[0], (name, row)


def test_session_summary_lists_staff_rooms_incidents_and_counts(tmp_path: Path) -> None:
    view = sample_session_summary(incidents=5)
    pdf = _write(tmp_path, "session.pdf", build_session_summary_pdf(view))
    flat = _flat(_text(pdf))
    for name in ["陈静", "王明", "李华", "赵强", "第1考场", "第2考场", "第3考场"]:
        assert name in flat
    for line in view.incidents:
        assert line.record_number in flat
    # Three are confirmed; the two still waiting for the site head are listed apart.
    assert "违纪违规记录（已确认3条）" in flat
    assert "未计入统计的记录（2条" in flat
    assert flat.count("已签名，待确认") == 2
    assert "按条款统计" in flat
    assert "合计88" in flat


def test_counts_by_article_orders_articles_and_puts_unclassified_last() -> None:
    view = sample_session_summary(incidents=4)
    extra = IncidentLineView(
        "X-1",
        "id",
        1,
        "某",
        "参评人员",
        "第1考场",
        dt.datetime.now(dt.UTC),
        "",
        "",
        None,
        "",
        "",
        False,
    )
    view = type(view)(
        view.session,
        view.staff,
        view.rooms,
        [extra, *view.incidents],
        view.rulebook_label,
        view.generated_at,
    )
    assert view.counts_by_article() == [(5, 2), (6, 2), (None, 1)]


def test_blank_form_is_prefilled_with_the_session(tmp_path: Path) -> None:
    view = sample_blank_form()
    flat = _flat(_text(_write(tmp_path, "blank.pdf", build_blank_form_pdf(view))))
    for expected in [
        view.session.institution_name,
        view.session.site_name,
        view.session.filing_code,
        view.form_number,
        "纸质备用表",
        HANDLING_HEADING,
        "工作人员签名",
        "考场负责人确认",
        "当事人拒绝签字",
        "当事人已离场，未能签字",
        "见证人（一）签名",
        "见证人（二）签名",
    ]:
        assert _flat(expected) in flat, expected


def test_qr_payload_carries_id_and_hash() -> None:
    payload = json.loads(qr_payload("abc", "0" * 64))
    assert payload == {"id": "abc", "sha256": "0" * 64}


def test_signature_strokes_are_drawn_inside_their_box(tmp_path: Path) -> None:
    # A one-flowable page: the box is 200 x 60 pt at (78, 78) from the top left (margin 72 and
    # the frame's 6 pt padding); the ink must stay inside it and fill it in one dimension.
    pdf = tmp_path / "sig.pdf"
    doc = SimpleDocTemplate(str(pdf), leftMargin=72, topMargin=72, initialFontName=report_font())
    doc.build([SignatureFlowable(handwriting("王明", 2), 200, 60)])
    subprocess.run(["pdftoppm", "-r", "72", "-png", str(pdf), str(tmp_path / "sig")], check=True)
    png = next(tmp_path.glob("sig*.png"))
    with Image.open(png) as image:
        grey = image.convert("L")
        box = grey.point(lambda v: 255 if v < 128 else 0).getbbox()
    assert box is not None, "nothing drawn"
    left, top, right, bottom = box
    assert left >= 78 and right <= 279
    assert top >= 78 and bottom <= 139
    assert right - left > 180 or bottom - top > 50


def test_empty_signature_draws_nothing(tmp_path: Path) -> None:
    pdf = tmp_path / "empty.pdf"
    doc = SimpleDocTemplate(str(pdf), initialFontName=report_font())
    doc.build([SignatureFlowable([], 200, 60)])
    assert pdf.stat().st_size > 0


@pytest.mark.skipif(shutil.which("zbarimg") is None, reason="needs zbar-tools to read QR codes")
def test_qr_code_on_the_record_decodes_to_id_and_hash(tmp_path: Path) -> None:
    clause, handling = _clause()
    view = sample_incident(clause, handling)
    pdf = _write(tmp_path, "qr.pdf", build_incident_pdf(view))
    last = _pages(pdf)
    subprocess.run(
        [
            "pdftoppm",
            "-r",
            "150",
            "-f",
            str(last),
            "-l",
            str(last),
            "-png",
            str(pdf),
            str(tmp_path / "page"),
        ],
        check=True,
    )
    png = next(tmp_path.glob("page*.png"))
    out = subprocess.run(["zbarimg", "-q", "--raw", str(png)], capture_output=True, text=True)
    assert json.loads(out.stdout) == {"id": view.record_id, "sha256": view.content_hash}


def test_long_incident_table_repeats_its_header_row_on_every_page(tmp_path: Path) -> None:
    view = sample_session_summary(incidents=40)
    pdf = _write(tmp_path, "long-session.pdf", build_session_summary_pdf(view))
    pages = _pages(pdf)
    assert pages >= 3
    continued = 0
    for page in range(2, pages + 1):
        text = _flat(_text(pdf, page))
        if "XH2-20260512-0" not in text:
            continue  # a page past the incident table (counts by article)
        assert "记录编号当事人考场/时间" in text, page
        continued += 1
    assert continued >= 2


def test_an_art7_record_made_on_site_states_the_period_not_a_date(tmp_path: Path) -> None:
    """No decision on site (Art. 17 notice comes first): the printed record says how long the
    ban is and that the decision sets when it runs, no less than 2 years while the severity is
    open, each once, and names the
    open fact in Chinese."""
    from app.core.reports.from_records import _handling
    from app.core.rulebook.engine import classify

    rulebook = load_rulebook("cn-national-2021")
    clause, _ = _clause("7.4")
    for facts, expected in (
        ({"severity": "minor"}, "情节轻微的，2年内不得参加评价（期间起算以处理决定为准）"),
        ({}, "不得参加评价的期限不少于2年（情节轻重待认定；期间起算以处理决定为准）"),
    ):
        outcome = classify(rulebook, {"clause": "7.4", "date": "2026-06-12", **facts}).to_dict()
        handling = _handling(outcome, {})
        assert handling is not None and handling.ban_last_day is None
        pdf = _write(tmp_path, "art7.pdf", build_incident_pdf(sample_incident(clause, handling)))
        flat = _flat(_text(pdf))
        # One bullet states the ban (the measure carries its period, never a second line).
        bullets = [b for b in flat.split("·") if "不得参加评价" in b[:30]]
        assert len(bullets) == 1, bullets
        assert "·" + expected in flat
        assert "不得参加评价至" not in flat
        assert "2028" not in flat
        assert ("尚待确认的事实：情节轻微或严重" in flat) is (not facts)
        assert "severity" not in flat


@pytest.mark.parametrize(
    ("party", "heading"),
    [
        ("candidate", "依据条款可能适用的处理（待评价机构认定）"),
        ("staff", "依据条款可能适用的处理（待评价机构、评价机构监管部门处理）"),
        ("institution", "依据条款可能适用的处理（待评价机构监管部门认定）"),
    ],
)
def test_the_handling_heading_names_who_determines(
    tmp_path: Path, party: str, heading: str
) -> None:
    """Art. 16: the institution for a candidate, the institution or its regulator for staff,
    the regulator for an institution."""
    from dataclasses import replace

    clause, handling = _clause()
    view = replace(sample_incident(clause, handling), party=party)
    flat = _flat(_text(_write(tmp_path, f"{party}.pdf", build_incident_pdf(view))))
    assert heading in flat


def test_a_record_made_before_undated_bans_does_not_print_the_guessed_date() -> None:
    """Older records stored an Art. 7 ban dated from the incident, as if decided that day, and
    no ban_years; without a decision date in their facts, the report prints the period."""
    from app.core.reports.from_records import _handling, _handling_line
    from app.core.rulebook.engine import classify

    rulebook = load_rulebook("cn-national-2021")
    outcome = classify(
        rulebook, {"clause": "7.4", "date": "2026-06-12", "severity": "minor"}
    ).to_dict()
    del outcome["ban_years"]
    outcome["ban_until"] = "2028-06-12"  # what the older engine stored
    handling = _handling(outcome, {"severity": "minor"})
    assert handling is not None and handling.ban_last_day is None
    assert "情节轻微的，2年内不得参加评价（期间起算以处理决定为准）" in handling.measures_zh
    assert "2028" not in _handling_line(outcome, {"severity": "minor"})
    decided = _handling(outcome, {"severity": "minor", "decision_date": "2026-06-12"})
    assert decided is not None and decided.ban_last_day == dt.date(2028, 6, 12)


def test_an_older_records_sentence_is_left_out_of_its_report() -> None:
    """Records made before the sentence said what may apply and who determines carry no
    explanation_version; their report states the measures under the heading instead."""
    from app.core.reports.from_records import _handling
    from app.core.rulebook.engine import classify

    rulebook = load_rulebook("cn-national-2021")
    outcome = classify(rulebook, {"clause": "6.1", "date": "2026-06-12"}).to_dict()
    current = _handling(outcome, {})
    assert current is not None and outcome["explanation"] in current.notes_zh
    del outcome["explanation_version"]
    older = _handling(outcome, {})
    assert older is not None and outcome["explanation"] not in older.notes_zh
    assert older.measures_zh == current.measures_zh


def test_the_page_footer_is_in_chinese_only(tmp_path: Path) -> None:
    # The report is a Chinese document: its footer said "page 1 of 2" beside the Chinese.
    clause, handling = _clause()
    data = build_incident_pdf(sample_incident(clause, handling), Copy.INSTITUTION)
    pdf = _write(tmp_path, "footer.pdf", data)
    text = _flat(_text(pdf))
    assert f"第1页/共{_pages(pdf)}页" in text
    assert "page1of" not in text
