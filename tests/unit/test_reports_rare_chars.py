"""Names with the rarer ideographs (CJK Extensions A to F) in the reports: drawn in the fallback
font, read back with poppler; and no PDF at all when a character has no glyph in any font."""

from __future__ import annotations

import dataclasses
import shutil
import subprocess
from pathlib import Path

import pytest

from app.core.demo.seed import ADMIN_NAME, CANDIDATE_NAMES, SITE_HEAD_NAME
from app.core.fonts import FALLBACK_ENV_VAR, find_fallback_fonts
from app.core.reports.blank_form import build_blank_form_pdf
from app.core.reports.incident import build_incident_pdf
from app.core.reports.layout import styles
from app.core.reports.linebreak import break_lines, metrics
from app.core.reports.session_summary import build_session_summary_pdf
from app.core.reports.typeface import MissingGlyphError, typeface
from app.core.reports.views import Copy, IncidentReportView, StaffOnDutyView
from tests.support.report_samples import (
    sample_blank_form,
    sample_incident,
    sample_session_summary,
)

pytestmark = pytest.mark.skipif(shutil.which("pdftotext") is None, reason="needs poppler-utils")

needs_fallback = pytest.mark.skipif(
    not find_fallback_fonts(), reason="needs the fallback fonts (fonts-hanazono)"
)

# One character of each block, none of them in WenQuanYi Micro Hei.
EXT_A = "䶮"  # U+4DAE
EXT_B = "𠮷"  # U+20BB7
EXT_C = "𫖯"  # U+2B5AF
EXT_D = "𫟦"  # U+2B7E6
EXT_E = "𬌗"  # U+2C317
EXT_F = "𬺰"  # U+2CEB0
NAME = f"欧阳{EXT_B}{EXT_A}龑"


def _text(pdf: bytes, tmp_path: Path, name: str) -> str:
    path = tmp_path / name
    path.write_bytes(pdf)
    out = subprocess.run(
        ["pdftotext", "-enc", "UTF-8", str(path), "-"], capture_output=True, check=True, text=True
    )
    return out.stdout


def _flat(text: str) -> str:
    return "".join(text.split())


def _fonts(pdf: bytes, tmp_path: Path) -> list[list[str]]:
    path = tmp_path / "fonts.pdf"
    path.write_bytes(pdf)
    out = subprocess.run(["pdffonts", str(path)], capture_output=True, check=True, text=True)
    return [line.split() for line in out.stdout.splitlines()[2:] if line.strip()]


def _rare_incident(statement: str) -> IncidentReportView:
    view = sample_incident(None, None)
    return dataclasses.replace(
        view,
        person=dataclasses.replace(view.person, name=NAME),
        statement=statement,
        session=dataclasses.replace(view.session, session_name=f"王{EXT_A}带队场次{EXT_C}"),
        staff_signatures=[
            dataclasses.replace(view.staff_signatures[0], name=f"张{EXT_D}"),
            dataclasses.replace(view.staff_signatures[1], name=f"陈{EXT_E}"),
        ],
    )


def test_the_main_font_lacks_the_rare_characters() -> None:
    face = typeface(styles().font)
    for char in (EXT_A, EXT_B, EXT_C, EXT_D, EXT_E, EXT_F):
        assert not face.covers(char), f"U+{ord(char):04X}"
    assert face.covers("欧阳龑")


@needs_fallback
def test_names_from_extensions_a_to_f_print_and_read_back(tmp_path: Path) -> None:
    statement = f"我叫{NAME}，同场还有刘{EXT_F}。{EXT_B}"  # 𠮷 the last character
    view = _rare_incident(statement)
    pdf = build_incident_pdf(view, Copy.INSTITUTION)
    flat = _flat(_text(pdf, tmp_path, "incident.pdf"))
    for expected in [
        NAME,
        _flat(statement),
        f"王{EXT_A}带队场次{EXT_C}",
        f"张{EXT_D}",
        f"陈{EXT_E}",
    ]:
        assert expected in flat, expected
    rows = _fonts(pdf, tmp_path)
    assert all(row[-5] == "yes" for row in rows), rows  # every font embedded, fallbacks too
    assert any("WenQuanYi" in row[0] for row in rows), rows
    assert any("WenQuanYi" not in row[0] for row in rows), rows


@needs_fallback
def test_paragraph_text_and_tables_of_the_summary_show_rare_names(tmp_path: Path) -> None:
    view = sample_session_summary(incidents=2)
    view = dataclasses.replace(
        view,
        session=dataclasses.replace(view.session, session_name=f"{NAME}带队场次"),
        staff=[StaffOnDutyView(SITE_HEAD_NAME, "考场负责人"), *view.staff[1:]],
        incidents=[dataclasses.replace(view.incidents[0], person_name=f"李{EXT_C}")],
    )
    flat = _flat(_text(build_session_summary_pdf(view), tmp_path, "summary.pdf"))
    assert f"{NAME}带队场次" in flat  # the subtitle, a reportlab Paragraph
    assert SITE_HEAD_NAME in flat
    assert f"李{EXT_C}" in flat
    blank = dataclasses.replace(
        sample_blank_form(),
        session=dataclasses.replace(sample_blank_form().session, site_name=f"{EXT_B}家考点"),
    )
    assert f"{EXT_B}家考点" in _flat(_text(build_blank_form_pdf(blank), tmp_path, "blank.pdf"))


def test_without_the_fallback_fonts_no_pdf_is_made(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(FALLBACK_ENV_VAR, "")
    view = sample_incident(None, None)
    view = dataclasses.replace(view, person=dataclasses.replace(view.person, name="欧阳𠮷"))
    with pytest.raises(MissingGlyphError) as caught:
        build_incident_pdf(view, Copy.INSTITUTION)
    message = str(caught.value)
    assert "U+20BB7 𠮷" in message
    assert "fonts-hanazono" in message
    assert "SimSun-ExtB" in message
    assert "WenQuanYi" in message  # the font searched
    assert caught.value.char == "𠮷"


def test_a_missing_font_file_counts_as_absent(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv(FALLBACK_ENV_VAR, str(tmp_path / "HanaMinA.ttf"))
    with pytest.raises(MissingGlyphError, match=r"U\+4DAE 䶮.*fonts-hanazono"):
        typeface(styles().font).runs(f"王{EXT_A}")


@needs_fallback
def test_a_character_no_font_has_is_refused_even_with_the_fallbacks(tmp_path: Path) -> None:
    view = sample_incident(None, None)
    ext_g = "\U00030000"  # Extension G: not in Hanazono (SimSun-ExtG has it)
    view = dataclasses.replace(view, statement=f"{NAME}：本人是{ext_g}")
    with pytest.raises(MissingGlyphError) as caught:
        build_incident_pdf(view, Copy.INSTITUTION)
    message = str(caught.value)
    assert f"U+30000 {ext_g}" in message
    assert "HanaMinB" in message  # searched
    assert FALLBACK_ENV_VAR in message
    assert "SimSun-ExtG" in message


@needs_fallback
def test_the_fallback_fonts_come_back_when_installed_again(monkeypatch: pytest.MonkeyPatch) -> None:
    face = typeface(styles().font)
    monkeypatch.setenv(FALLBACK_ENV_VAR, "")
    with pytest.raises(MissingGlyphError):
        face.runs(NAME)
    monkeypatch.delenv(FALLBACK_ENV_VAR)
    runs = face.runs(NAME)
    assert "".join(run for _, run in runs) == NAME
    assert [font is face.main for font, _ in runs] == [True, False, True]


def test_invisible_characters_need_no_glyph(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(FALLBACK_ENV_VAR, "")
    face = typeface(styles().font)
    for char, drawn in (("\ufe0f", ""), ("\u2060", ""), ("\x07", ""), ("\u2028", " ")):
        if face.covers(char):
            continue  # the main font draws it itself
        assert "".join(run for _, run in face.runs(f"王{char}明")) == f"王{drawn}明"


@needs_fallback
def test_rare_characters_are_measured_in_the_font_that_draws_them() -> None:
    font = styles().font
    face = typeface(font)
    ((fallback, _),) = [(f, r) for f, r in face.runs(EXT_B) if f is not face.main]
    units = fallback.face.charWidths.get(ord(EXT_B), fallback.face.defaultWidth)
    measure = metrics(font)
    assert measure.width(f"欧阳{EXT_B}", 10) == pytest.approx(
        measure.width("欧阳", 10) + units * 0.01
    )
    # Three full-width characters to a line, whichever font draws them.
    three = measure.width(f"欧阳{EXT_B}", 10)
    assert break_lines(f"欧阳{EXT_B}{EXT_A}龑王{EXT_C}", font, 10, three) == [
        f"欧阳{EXT_B}",
        f"{EXT_A}龑王",
        EXT_C,
    ]


@needs_fallback
def test_the_demo_names_need_the_fallback_fonts() -> None:
    face = typeface(styles().font)
    for name in (SITE_HEAD_NAME, ADMIN_NAME, *CANDIDATE_NAMES):
        assert not face.covers(name), name
        assert "".join(run for _, run in face.runs(name)) == name
    blocks = {
        (0x3400, 0x4DBF),  # A
        (0x20000, 0x2A6DF),  # B
        (0x2A700, 0x2B73F),  # C
        (0x2B740, 0x2B81F),  # D
        (0x2B820, 0x2CEAF),  # E
        (0x2CEB0, 0x2EBEF),  # F
    }
    chars = "".join((SITE_HEAD_NAME, ADMIN_NAME, *CANDIDATE_NAMES))
    for low, high in blocks:
        assert any(low <= ord(c) <= high for c in chars), hex(low)
