"""The session summary as a reader checks it: only records in force counted, the others listed
apart, a total, the page's signatures and the present count left to the pen, the articles and
signatures kept on one page, and a long site name shortened in the header, clear of the title."""

from __future__ import annotations

import dataclasses
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from app.core.demo.seed import DEMO_PIN, DemoSession
from app.core.records.service import Workspace
from app.core.reports.from_records import session_summary_view
from app.core.reports.page_header import HEADER_GAP, header_width, site_reference
from app.core.reports.session_summary import TITLE, build_session_summary_pdf
from app.core.reports.views import SessionSummaryView
from tests.support.records import INK, confirmed, draft, sign_two
from tests.support.report_samples import sample_session_summary

pytestmark = pytest.mark.skipif(shutil.which("pdftotext") is None, reason="needs poppler-utils")

LONG_SITE = (
    "广东省广州市天河区人力资源和社会保障局直属天河职业技能评价中心第二实训基地北区综合楼考点"
)


def pages_of(pdf: bytes, folder: Path, name: str) -> list[str]:
    """Each page's text without white space (Chinese may wrap anywhere)."""
    path = folder / name
    path.write_bytes(pdf)
    out = subprocess.run(
        ["pdftotext", "-enc", "UTF-8", str(path), "-"], capture_output=True, check=True, text=True
    ).stdout
    return ["".join(page.split()) for page in out.split("\f") if page.strip()]


def header_words(pdf: bytes, folder: Path, name: str) -> list[list[tuple[float, float, str]]]:
    """Per page, the header line's words as (x min, x max, text), left to right."""
    path = folder / name
    path.write_bytes(pdf)
    out = subprocess.run(
        ["pdftotext", "-bbox", "-enc", "UTF-8", str(path), "-"],
        capture_output=True,
        check=True,
        text=True,
    ).stdout
    word = re.compile(r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)"[^>]*>([^<]*)</word>')
    top = 45.0  # the header's baseline is 13 mm below the page's top edge
    return [
        sorted((float(m[1]), float(m[3]), m[4]) for m in word.finditer(page) if float(m[2]) < top)
        for page in out.split("<page ")[1:]
    ]


def assert_header_clear_of_title(pdf: bytes, folder: Path, name: str, title: str) -> None:
    pages = header_words(pdf, folder, name)
    assert pages
    for number, words in enumerate(pages, start=1):
        assert words[0][2] == title, (number, words)
        rest = words[1:]
        assert rest, (number, words)
        # The reference starts after the title ends, with white between them.
        assert rest[0][0] - words[0][1] >= 10, (number, words)
        assert "…" in "".join(w[2] for w in rest), (number, words)


def _with_statuses(view: SessionSummaryView, statuses: list[str]) -> SessionSummaryView:
    lines = [
        dataclasses.replace(line, status=status, complete=status in ("confirmed", "exported"))
        for line, status in zip(view.incidents, statuses, strict=True)
    ]
    return dataclasses.replace(view, incidents=lines)


def test_only_records_in_force_are_counted_and_the_others_are_listed_apart(
    tmp_path: Path,
) -> None:
    view = _with_statuses(
        sample_session_summary(incidents=6),
        ["confirmed", "draft", "void", "exported", "signed", "confirmed"],
    )
    text = "".join(pages_of(build_session_summary_pdf(view), tmp_path, "s.pdf"))
    listed = text[text.index("四、") : text.index("五、")]
    apart = text[text.index("五、") : text.index("六、")]
    by_article = text[text.index("六、") : text.index("七、")]
    assert "违纪违规记录（已确认3条）" in listed
    numbers = [line.record_number for line in view.incidents]
    for i in (0, 3, 5):
        assert numbers[i] in listed and numbers[i] not in apart
    for i in (1, 2, 4):
        assert numbers[i] in apart and numbers[i] not in listed
    assert "未计入统计的记录（3条" in apart
    for status in ("草稿，待签名", "已作废", "已签名，待确认"):
        assert status in apart
    # Lines 0, 3 and 5 are clauses 6.1, 6.1 and 5.3: articles 5 and 6, and the total.
    assert "第5条1" in by_article and "第6条2" in by_article
    assert by_article.endswith("合计3")


def test_summary_from_the_records_counts_an_amended_record_until_its_amendment_is_confirmed(
    ws: Workspace, demo: DemoSession, tmp_path: Path
) -> None:
    kept = confirmed(ws, demo)
    voided = confirmed(ws, demo)
    ws.void(voided, demo.staff["site_head"][0].id, "重复录入", DEMO_PIN)
    amended = confirmed(ws, demo)
    newer = ws.amend(amended, ws.draft_of(amended), reason="补充考生陈述").id
    waiting = ws.create_incident(demo.session_id, draft(demo)).id
    sign_two(ws, demo, waiting)
    fresh = ws.create_incident(demo.session_id, draft(demo)).id

    view = session_summary_view(ws, demo.session_id)
    status = {line.record_id: line.status for line in view.incidents}
    assert status == {
        kept: "confirmed",
        amended: "confirmed",  # v1 stays in force while v2 is a draft
        newer: "draft",
        voided: "void",
        waiting: "signed",
        fresh: "draft",
    }
    text = "".join(pages_of(build_session_summary_pdf(view), tmp_path, "records.pdf"))
    assert "违纪违规记录（已确认2条）" in text
    assert "未计入统计的记录（4条" in text
    apart = text[text.index("五、") : text.index("六、")]
    assert apart.count("草稿，待签名（更正第1版，第1版仍计入统计）") == 1
    by_article = text[text.index("六、") : text.index("七、")]
    assert by_article.endswith("第5条2合计2")  # every record here is clause 5.1


def test_the_summary_has_a_signature_block_and_the_present_count_to_fill_in(
    tmp_path: Path,
) -> None:
    view = sample_session_summary(incidents=2)  # room 3 has no present count
    text = "".join(pages_of(build_session_summary_pdf(view), tmp_path, "signing.pdf"))
    rooms = text[text.index("三、") : text.index("四、")]
    assert "实考人数（现场填写）" in rooms
    assert "第3考场28" in rooms and "—" not in rooms  # a blank to write in, not a dash
    assert rooms.endswith("合计88")
    signing = text[text.index("七、签名") :]
    for label in ("考场负责人签名", "制表人签名", "日期", "年月日"):
        assert label in signing.replace("_", ""), label


def test_no_article_or_signature_is_left_alone_on_a_page(tmp_path: Path) -> None:
    """Longer and longer incident lists move the counts by article down to a page foot: the
    counts, their total and the signatures stay together on one page whatever the length."""
    moved = 0
    for count in range(4, 30):
        view = sample_session_summary(incidents=count)
        pages = pages_of(build_session_summary_pdf(view), tmp_path, f"s{count}.pdf")
        [page] = [p for p in pages if "六、按条款统计" in p]
        counts = page[page.index("六、") :]
        current = [line for line in view.incidents if line.status == "confirmed"]
        for article, n in dataclasses.replace(view, incidents=current).counts_by_article():
            assert f"第{article}条{n}" in counts, count
        assert f"合计{len(current)}" in counts, count
        assert "考场负责人签名" in counts and "制表人签名" in counts, count
        moved += page.index("六、") < 80  # the block starts a page
    assert moved > 0  # some lengths did move it to a new page


def test_a_long_site_name_is_shortened_in_the_header_and_never_runs_into_the_title(
    tmp_path: Path,
) -> None:
    view = sample_session_summary(incidents=30)
    view = dataclasses.replace(view, session=dataclasses.replace(view.session, site_name=LONG_SITE))
    pdf = build_session_summary_pdf(view)
    assert_header_clear_of_title(pdf, tmp_path, "long-site.pdf", TITLE)
    text = "".join(pages_of(pdf, tmp_path, "long-site.pdf"))
    assert LONG_SITE in text  # the body still names the site in full


def test_the_header_reference_keeps_a_short_name_and_the_code_whole() -> None:
    assert site_reference(TITLE, "天河考点", "ab12cd34") == "天河考点 · ab12cd34"
    short = site_reference(TITLE, LONG_SITE, "ab12cd34")
    assert short.endswith("考点 · ab12cd34") and short.startswith("广东省")
    from app.core.reports.layout import CONTENT_WIDTH

    assert header_width(TITLE) + HEADER_GAP + header_width(short) <= CONTENT_WIDTH


def test_a_site_name_outside_the_main_font_is_shortened_by_whole_characters() -> None:
    site = "𠮷" * 60 + "考点"
    short = site_reference(TITLE, site, "ab12cd34")
    assert "…" in short and "\ufffd" not in short
    assert all(not 0xD800 <= ord(c) <= 0xDFFF for c in short)


def test_the_cli_and_the_app_build_the_summary_with_the_same_counts(
    ws: Workspace, demo: DemoSession
) -> None:
    """``report session`` and the app's preview both run ``session_summary_job``."""
    from app.core.reports.signed import session_summary_job

    confirmed(ws, demo)
    ws.create_incident(demo.session_id, draft(demo))
    view = session_summary_job(ws, demo.session_id).view
    assert isinstance(view, SessionSummaryView)
    assert [line.status for line in view.incidents] in (
        ["confirmed", "draft"],
        ["draft", "confirmed"],
    )


def test_the_summary_states_the_ban_once_with_the_art_6_reading_marked(
    ws: Workspace, demo: DemoSession, tmp_path: Path
) -> None:
    """As on the incident report: the end date on the ban itself, and the Art. 6 date marked
    as this rulebook's reading of 当年 (no bare 2024-12-31 after the measures)."""
    from app.core.reports.from_records import CURRENT_YEAR_READING_ZH

    record = ws.create_incident(demo.session_id, draft(demo, clause="6.1", facts={})).id
    sign_two(ws, demo, record)
    ws.acknowledge(record, INK)
    # in force: printed with its line
    ws.confirm(record, demo.staff["site_head"][0].id, INK, DEMO_PIN)
    (line,) = [
        x for x in session_summary_view(ws, demo.session_id).incidents if x.record_id == record
    ]
    assert (
        f"当年不得参加评价（至 2024年12月31日（含）；{CURRENT_YEAR_READING_ZH}）"
        in line.handling_zh
    )
    assert line.handling_zh.count("不得参加评价") == 1
    assert "2024-12-31" not in line.handling_zh
    view = session_summary_view(ws, demo.session_id)
    text = "".join(pages_of(build_session_summary_pdf(view), tmp_path, "ban.pdf"))
    assert "".join(CURRENT_YEAR_READING_ZH.split()) in text
    assert "2024-12-31" not in text
