"""Headings stay with what they head, wherever the page breaks fall."""

from __future__ import annotations

import re
import shutil
import subprocess
from dataclasses import replace
from pathlib import Path

import pytest

from app.core.reports.incident import build_incident_pdf
from app.core.reports.views import EvidenceFileView
from tests.support.report_samples import sample_incident

pytestmark = pytest.mark.skipif(shutil.which("pdftotext") is None, reason="needs poppler-utils")


def _pages(pdf: Path) -> list[str]:
    out = subprocess.run(
        ["pdftotext", "-enc", "UTF-8", str(pdf), "-"], capture_output=True, check=True, text=True
    ).stdout
    return ["".join(page.split()) for page in out.split("\f")]


def test_table_headings_are_never_left_alone_at_a_page_foot(tmp_path: Path) -> None:
    # Longer and longer facts move the seized-items and evidence tables down the page, so that
    # for some lengths a heading falls where its table's first row no longer fits.
    scan = EvidenceFileView(
        "纸质记录表扫描件 · scan.jpg · 第2考场纸质记录表，两名监考员签字，当事人拒签有见证",
        "a92fb3844229dc58ddd0e0e732c035b540d27355264477b7157f49a660a242ac",
        5957,
        "image/jpeg",
    )
    moved = 0
    for paragraphs in range(1, 16):
        view = sample_incident(None, None, facts_paragraphs=paragraphs)
        view = replace(view, evidence=[scan, *view.evidence])
        pdf = tmp_path / f"r{paragraphs}.pdf"
        pdf.write_bytes(build_incident_pdf(view))
        pages = _pages(pdf)
        headed = (("八、暂扣物品", "SZ-20260512-0007"), ("九、证据文件", scan.sha256))
        for heading, first_row in headed:
            [page] = [p for p in pages if heading in p]
            assert first_row in page, (paragraphs, heading)
            moved += page.startswith("考场违纪违规行为记录") and page.find(heading) < 80
    assert moved > 0  # some lengths did put a heading at the top of a new page


def test_one_long_paragraph_flows_to_the_next_page_whole_and_inside_the_margins(
    tmp_path: Path,
) -> None:
    """A single fact paragraph far longer than a page: broken by our line breaker and split
    between pages, every character printed once in order, headers repeated, no word outside
    the text column."""
    from app.core.reports.layout import MARGIN_X, PAGE_WIDTH

    long_fact = "".join(
        f"第{i}次：考生在座位上使用手机（华为 Mate 60），监考员当场制止；SHA-{i:03d}。"
        for i in range(1, 120)
    )
    view = replace(sample_incident(None, None), facts=long_fact)
    pdf = tmp_path / "long.pdf"
    pdf.write_bytes(build_incident_pdf(view))
    pages = _pages(pdf)
    assert len(pages) >= 3
    header = "考场违纪违规行为记录·评价机构留存联记录编号XH2-20260512-001·第1版"
    footer = re.compile(r"id3f2b8c1e.*?第\d+页/共\d+页")
    bodies = [footer.sub("", page.removeprefix(header)) for page in pages]
    everything = "".join(bodies)
    facts = everything[
        everything.index("四、违纪违规事实") + 8 : everything.index("五、当事人陈述")
    ]
    assert facts == "".join(long_fact.split())  # whole, in order, once, nothing between
    for number, page in enumerate(pages[:-1], start=1):
        assert page.startswith("考场违纪违规行为记录"), number  # the header on every page
        assert f"第{number}页/共{len(pages) - 1}页" in page
    assert "第1次" in pages[0] and "第119次" not in pages[0]

    bbox = subprocess.run(
        ["pdftotext", "-bbox", str(pdf), "-"], capture_output=True, check=True, text=True
    ).stdout
    right = [float(x) for x in re.findall(r'xMax="([0-9.]+)"', bbox)]
    left = [float(x) for x in re.findall(r'xMin="([0-9.]+)"', bbox)]
    assert right and max(right) <= PAGE_WIDTH - MARGIN_X + 0.5
    assert min(left) >= MARGIN_X - 0.5
