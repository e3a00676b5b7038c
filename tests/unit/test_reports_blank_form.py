"""The blank paper form as the site fills it in when a laptop fails: boxes to tick for the
subject and the room, two witnesses for a refusal or a departure, an evidence section, every
party's clauses, and a long site name shortened in the header, clear of the title."""

from __future__ import annotations

import dataclasses
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from PIL import Image

from app.core.demo.seed import DemoSession
from app.core.records.service import Workspace
from app.core.reports.blank_form import build_blank_form_pdf
from app.core.reports.from_records import blank_form_view
from app.core.rulebook.model import Party
from tests.support.report_samples import sample_blank_form
from tests.unit.test_reports_session_summary import (
    LONG_SITE,
    assert_header_clear_of_title,
    pages_of,
)

pytestmark = pytest.mark.skipif(shutil.which("pdftoppm") is None, reason="needs poppler-utils")
DPI = 100
WORD = re.compile(
    r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)</word>'
)


def _words(pdf: Path) -> list[list[tuple[float, float, float, float, str]]]:
    out = subprocess.run(
        ["pdftotext", "-bbox", "-enc", "UTF-8", str(pdf), "-"],
        capture_output=True,
        check=True,
        text=True,
    ).stdout
    return [
        [(float(m[1]), float(m[2]), float(m[3]), float(m[4]), m[5]) for m in WORD.finditer(page)]
        for page in out.split("<page ")[1:]
    ]


def _box_before(grey: Image.Image, x0: float, y0: float, y1: float) -> bool:
    """Whether a drawn square ends just before a word at (x0, y0..y1) in points: its four
    edges dark, its inside white (the box is 3.2 mm wide and ends 1.5 mm before the word)."""
    scale = DPI / 72
    middle = (y0 + y1) / 2 * scale
    right = (x0 - 4.25) * scale
    left = right - 9.07 * scale
    centre = round((left + right) / 2)

    def grey_at(x: int, y: int) -> int:
        value = grey.getpixel((x, y))
        assert isinstance(value, int)  # one channel: "L"
        return value

    def dark(x: float, low: float, high: float, spread: int = 1) -> bool:
        xs = range(round(x) - spread, round(x) + spread + 1)
        ys = range(round(middle + low * scale), round(middle + high * scale) + 1)
        return any(grey_at(i, j) < 160 for i in xs for j in ys)

    return (
        grey_at(centre, round(middle)) > 200
        and dark(left, -1, 1)
        and dark(right, -1, 1)
        and dark(centre, -7, -2.5, 0)  # the top edge
        and dark(centre, 2.5, 7, 0)  # the bottom edge
    )


def _ticked_labels(pdf: Path, folder: Path) -> set[str]:
    """The words printed right after a drawn square."""
    subprocess.run(["pdftoppm", "-r", str(DPI), "-png", str(pdf), str(folder / "p")], check=True)
    found: set[str] = set()
    for number, words in enumerate(_words(pdf), start=1):
        [png] = [p for p in folder.glob("p-*.png") if int(p.stem.split("-")[1]) == number]
        with Image.open(png) as image:
            grey = image.convert("L")
            found |= {w[4] for w in words if _box_before(grey, w[0], w[1], w[3])}
    return found


def test_subjects_rooms_and_the_party_are_ticked_in_drawn_boxes(tmp_path: Path) -> None:
    view = dataclasses.replace(
        sample_blank_form(),
        subjects=("理论知识", "操作技能"),
        rooms=("第1考场", "第2考场", "第3考场"),
    )
    pdf = tmp_path / "blank.pdf"
    pdf.write_bytes(build_blank_form_pdf(view))
    ticked = _ticked_labels(pdf, tmp_path)
    for label in ["理论知识", "操作技能", "第1考场", "第2考场", "第3考场"]:
        assert label in ticked, (label, sorted(ticked))
    for label in ["参评人员", "工作人员", "评价机构", "当事人拒绝签字", "情节轻微", "待认定"]:
        assert label in ticked, (label, sorted(ticked))


def test_a_refusal_or_a_departure_has_two_witness_boxes_and_evidence_its_own_section(
    tmp_path: Path,
) -> None:
    text = "".join(pages_of(build_blank_form_pdf(sample_blank_form()), tmp_path, "blank.pdf"))
    signing = text[text.index("十、签名") :]
    for label in [
        "工作人员签名",
        "当事人签字",
        "当事人拒绝签字",
        "当事人已离场，未能签字",
        "见证人（一）签名",
        "见证人（二）签名",
        "考场负责人确认",
        "正楷姓名",
    ]:
        assert label in signing, label
    evidence = text[text.index("六、证据材料") : text.index("七、适用条款")]
    assert "证据材料（照片、录像、书面材料、物品等）" in evidence
    assert "来源或位置（如监控机位及起止时间）" in evidence


def test_the_form_lists_the_clauses_for_candidates_staff_and_the_institution(
    ws: Workspace, demo: DemoSession, tmp_path: Path
) -> None:
    view = blank_form_view(ws, demo.session_id)
    rulebook = ws.rulebook(ws.session(demo.session_id)["rulebook_id"])
    text = "".join(pages_of(build_blank_form_pdf(view), tmp_path, "clauses.pdf"))
    clauses = text[text.index("七、适用条款") : text.index("八、")]
    for party, heading in [
        (Party.CANDIDATE, "当事人为参评人员的"),
        (Party.STAFF, "当事人为工作人员的"),
        (Party.INSTITUTION, "当事人为评价机构的"),
    ]:
        assert heading in clauses
        for clause in rulebook.clauses_for(party):
            assert "".join(f"{clause.id}{clause.title_zh}".split()) in clauses, clause.id
    # Who determines, for each party, under the handling heading.
    assert "为工作人员的，待评价机构、评价机构监管部门处理" in text
    subjects = [s["name"] for s in ws.session(demo.session_id)["subjects"]]
    assert list(view.subjects) == subjects


def test_a_long_site_name_is_shortened_in_the_forms_header(tmp_path: Path) -> None:
    view = sample_blank_form()
    view = dataclasses.replace(view, session=dataclasses.replace(view.session, site_name=LONG_SITE))
    pdf = build_blank_form_pdf(view)
    assert_header_clear_of_title(
        pdf, tmp_path, "long-site.pdf", "考场违纪违规行为记录（纸质备用表）"
    )
    assert LONG_SITE in "".join(pages_of(pdf, tmp_path, "long-site.pdf"))


def test_the_person_s_document_type_is_ticked_and_seized_items_have_no_quantity(
    tmp_path: Path,
) -> None:
    """A passport number is no 身份证件号码: the form asks which document, as the report names
    it; and no 数量 column for a count no record holds."""
    from app.core.rosters.idtypes import ID_TYPE_LABELS

    pdf = tmp_path / "blank.pdf"
    pdf.write_bytes(build_blank_form_pdf(sample_blank_form()))
    text = "".join(pages_of(pdf.read_bytes(), tmp_path, "text.pdf"))
    person = text[text.index("二、当事人") : text.index("三、时间和地点")]
    assert "证件类型" in person and "证件号码" in person
    assert "身份证件号码" not in text
    for label in ID_TYPE_LABELS.values():
        assert label in person, label
    seized = text[text.index("九、暂扣物品") : text.index("十、签名")]
    assert "收据编号" in seized and "数量" not in text
    ticked = _ticked_labels(pdf, tmp_path)
    for label in ("居民身份证", "护照"):
        assert label in ticked, (label, sorted(ticked))
