"""The short cuts taken for speed draw what reportlab's own machinery draws.

QR codewords and modules against reportlab's encoder, the QR mask module by module; text
blocks against a Paragraph of the same lines, pixel for pixel; grids against the Tables they
replaced; the signature grid splitting between pages.
"""

from __future__ import annotations

import io
import shutil
import subprocess
from pathlib import Path

import pytest
from PIL import Image, ImageChops
from reportlab.graphics.barcode import qrencoder
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Paragraph, Table

from app.core.reports.blocks import SignatureGrid, signature_row
from app.core.reports.drawings import QrFlowable
from app.core.reports.grid import FieldGrid, ListTable, SideBySide, field_grid, list_table
from app.core.reports.layout import (
    CELL_PAD,
    CONTENT_WIDTH,
    GRID,
    SHADE,
    TextLine,
    cell,
    styles,
    table_style,
    text,
    text_cells,
)
from app.core.reports.qr import codewords, qr_modules
from tests.support.report_samples import sample_incident

PAYLOADS = [
    "x",
    "0123456789",
    "HELLO WORLD 42",
    '{"id":"3f2b8c1e-5d4a-4e7b-9c61-0a8f2d7e4b15","sha256":"' + "ab" * 32 + '"}',
    "记录 " * 40,
    "z" * 700,
]


@pytest.mark.parametrize("payload", PAYLOADS)
@pytest.mark.parametrize("level", [0, 1, 2, 3])
def test_codewords_are_reportlabs(payload: str, level: int) -> None:
    qr = qrencoder.QRCode(None, level)
    qr.addData(payload)
    version = qr.calculate_version()
    expected = qrencoder.QRCode.createData(version, level, qr.dataList)
    assert codewords(version, level, qr.dataList) == expected


@pytest.mark.parametrize("payload", PAYLOADS)
def test_modules_are_reportlabs(payload: str) -> None:
    qr = qrencoder.QRCode(None, qrencoder.QRErrorCorrectLevel.M)
    qr.addData(payload)
    qr.version = qr.calculate_version()
    qr.makeImpl(False, 0)
    assert qr_modules(payload) == [[bool(m) for m in row] for row in qr.modules]


TEXTS = [
    "我只是看了一下时间，没有查资料。",
    "  runs   of\tspace  and <markup> & ampersands  ",
    "第3考场（教学楼 B 座 204）" * 6,  # wraps: several lines
    "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855" * 2,  # one long word
]


def _render(tmp_path: Path, name: str, flowable: object, width: float = 400) -> Image.Image:
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=A4, initialFontName=styles().font)
    flowable.wrapOn(canvas, width, 600)  # type: ignore[attr-defined]
    flowable.drawOn(canvas, 40, 500)  # type: ignore[attr-defined]
    canvas.showPage()
    canvas.save()
    pdf = tmp_path / f"{name}.pdf"
    pdf.write_bytes(buffer.getvalue())
    subprocess.run(
        ["pdftoppm", "-r", "100", "-png", "-singlefile", str(pdf), str(tmp_path / name)],
        check=True,
    )
    return Image.open(tmp_path / f"{name}.png").convert("L")


@pytest.mark.skipif(shutil.which("pdftoppm") is None, reason="needs poppler-utils")
@pytest.mark.parametrize("style_name", ["body", "section", "title", "quote", "label", "small"])
@pytest.mark.parametrize("value", [TEXTS[0], TEXTS[2], TEXTS[3]])
def test_text_line_draws_what_a_paragraph_draws(
    tmp_path: Path, style_name: str, value: str
) -> None:
    """Drawn pixel for pixel as a Paragraph of the same lines (one line as it is; several
    with the breaks our line breaker chose given to the Paragraph as line breaks)."""
    style = getattr(styles(), style_name)
    line = TextLine(value, style)
    line.wrap(400, 600)
    ours = _render(tmp_path, "ours", line)
    theirs = _render(tmp_path, "theirs", Paragraph(text("\n".join(line._lines)), style))
    assert ours.getextrema()[0] < 128  # something was drawn
    assert ImageChops.difference(ours, theirs).getbbox() is None


def test_text_line_wraps_at_the_width_and_splits_between_pages() -> None:
    style = styles().body
    assert TextLine(TEXTS[0], style).wrap(480, 800) == (480, style.leading)  # one line
    line = TextLine(TEXTS[2], style)
    width, height = line.wrap(120, 800)
    lines = line._lines
    assert (width, height) == (120, style.leading * len(lines))
    assert len(lines) > 3
    assert all(stringWidth(t, style.fontName, style.fontSize) <= 120 for t in lines)
    assert "".join(lines).replace(" ", "") == TEXTS[2].replace(" ", "")
    parts = line.split(120, 2.5 * style.leading)
    assert len(parts) == 2  # a long paragraph still breaks between pages
    first, rest = parts
    assert first.wrap(120, 800)[1] == 2 * style.leading
    assert first._lines + rest._lines == lines
    assert line.split(120, 1.5 * style.leading) == []  # no single orphan line at a page foot
    assert line.split(120, 800) == [line]  # everything fits: nothing to split


def test_signature_grid_splits_between_rows() -> None:
    view = sample_incident(None, None)
    signatures = [*view.staff_signatures, *view.staff_signatures, view.site_head.signature]  # type: ignore[union-attr]
    grid = signature_row(signatures, per_row=3)
    assert isinstance(grid, SignatureGrid)
    assert len(grid.rows) == 2 and grid.columns == 3
    _, height = grid.wrap(500, 800)
    assert height == 2 * grid.row_height
    first, rest = grid.split(500, grid.row_height * 1.5)
    assert [len(r) for r in first.rows] == [3] and [len(r) for r in rest.rows] == [2]
    assert grid.split(500, grid.row_height * 0.5) == []  # not even one row fits here


def _field_table(rows: list[list[tuple[str, str]]], label_width: float = 24 * mm) -> Table:
    """The reportlab Table the field grid replaced, as it was built: the reference."""
    st = styles()
    pairs = max(len(r) for r in rows)
    value_width = (CONTENT_WIDTH - pairs * label_width) / pairs
    data: list[list[object]] = []
    spans = []
    for r, row in enumerate(rows):
        cells: list[object] = []
        for label, value in row:
            cells += [
                cell(label, st.label, label_width - 2 * CELL_PAD),
                cell(value, st.cell, value_width - 2 * CELL_PAD),
            ]
        if len(row) < pairs:
            cells += [""] * (2 * (pairs - len(row)))
            spans.append(("SPAN", (2 * len(row) - 1, r), (2 * pairs - 1, r)))
        data.append(cells)
    table = Table(data, colWidths=[label_width, value_width] * pairs)
    commands: list[object] = [
        *text_cells(st.cell),
        ("GRID", (0, 0), (-1, -1), 0.5, GRID),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("TOPPADDING", (0, 0), (-1, -1), 3),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
        *spans,
    ]
    for c in range(pairs):
        commands.append(("BACKGROUND", (2 * c, 0), (2 * c, -1), SHADE))
        commands.append(("TEXTCOLOR", (2 * c, 0), (2 * c, -1), st.label.textColor))
    table.setStyle(table_style(commands))
    return table


GRID_ROWS = [
    [("评价机构", "华东职业技能评价中心"), ("备案码", "S000031000012")],
    [("考点", "上海市徐汇区第二考点"), ("场次", "2026年5月第二批次上午场（2026-05-12-AM）")],
    [("评价类型", "职业技能等级认定"), ("职业（工种）及等级", "电工 四级/中级工")],
    [("单位", "一个很长的单位名称，" * 6)],  # a short row: its value runs to the right edge
]


@pytest.mark.skipif(shutil.which("pdftoppm") is None, reason="needs poppler-utils")
@pytest.mark.parametrize("rows", [GRID_ROWS, GRID_ROWS[:1], [GRID_ROWS[3], GRID_ROWS[0]]])
def test_field_grid_draws_what_the_table_drew(
    tmp_path: Path, rows: list[list[tuple[str, str]]]
) -> None:
    ours = field_grid(rows)
    theirs = _field_table(rows)
    width = CONTENT_WIDTH
    assert ours.wrap(width, 800) == pytest.approx(theirs.wrap(width, 800))
    mine = _render(tmp_path, "grid", ours, width)
    reference = _render(tmp_path, "table", theirs, width)
    diff = ImageChops.difference(mine, reference)
    assert mine.getextrema()[0] < 128
    # Anti-aliasing of the same lines drawn in another order may differ by a shade; no pixel
    # differs by more (a shifted line or word would).
    assert diff.getextrema()[1] <= 40


def _list_table_reference(
    header: list[str], rows: list[list[object]], col_widths: list[float]
) -> Table:
    """The reportlab Table the list table replaced, as it was built: the reference."""
    st = styles()
    inner = [w - 2 * CELL_PAD for w in col_widths]
    data: list[list[object]] = [[cell(h, st.head, w) for h, w in zip(header, inner, strict=True)]]
    for row in rows:
        pairs = zip(row, inner, strict=True)
        data.append([cell(c, st.cell, w) if isinstance(c, str) else c for c, w in pairs])
    table = Table(data, colWidths=list(col_widths), repeatRows=1)
    table.setStyle(
        table_style(
            [
                *text_cells(st.cell),
                ("GRID", (0, 0), (-1, -1), 0.5, GRID),
                ("BACKGROUND", (0, 0), (-1, 0), SHADE),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("TOPPADDING", (0, 0), (-1, -1), 3),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
            ]
        )
    )
    return table


LIST_HEADER = ["文件", "大小", "SHA-256"]
LIST_WIDTHS = [58 * mm, 16 * mm, CONTENT_WIDTH - 74 * mm]


def _list_rows(n: int) -> list[list[object]]:
    return [
        [f"IMG_{i:04d}.jpg\n手机屏幕照片", f"{i + 1}.2 MB", TextLine("ab" * 32, styles().small)]
        for i in range(n)
    ]


@pytest.mark.skipif(shutil.which("pdftoppm") is None, reason="needs poppler-utils")
def test_list_table_draws_what_the_table_drew(tmp_path: Path) -> None:
    ours = list_table(LIST_HEADER, _list_rows(3), LIST_WIDTHS)
    theirs = _list_table_reference(LIST_HEADER, _list_rows(3), LIST_WIDTHS)
    assert ours.wrap(CONTENT_WIDTH, 800) == pytest.approx(theirs.wrap(CONTENT_WIDTH, 800))
    mine = _render(tmp_path, "list", ours, CONTENT_WIDTH)
    reference = _render(tmp_path, "table", theirs, CONTENT_WIDTH)
    assert mine.getextrema()[0] < 128
    assert ImageChops.difference(mine, reference).getextrema()[1] <= 40


def test_list_table_splits_between_rows_with_the_header_repeated() -> None:
    table = list_table(LIST_HEADER, _list_rows(30), LIST_WIDTHS)
    reference = _list_table_reference(LIST_HEADER, _list_rows(30), LIST_WIDTHS)
    _, height = table.wrap(CONTENT_WIDTH, 800)
    reference.wrap(CONTENT_WIDTH, 800)
    first, rest = table.split(CONTENT_WIDTH, height / 3)
    theirs = reference.split(CONTENT_WIDTH, height / 3)
    assert isinstance(first, ListTable) and isinstance(rest, ListTable)
    assert len(first.rows) == len(theirs[0]._cellvalues)  # the same rows on the first page
    assert len(first.rows) + len(rest.rows) == 31 + 1  # the header twice
    assert first.rows[0] is rest.rows[0]
    assert first.wrap(CONTENT_WIDTH, 800)[1] <= height / 3
    assert table.split(CONTENT_WIDTH, table.first_rows_height(CONTENT_WIDTH, 800) - 1) == []


@pytest.mark.skipif(shutil.which("pdftoppm") is None, reason="needs poppler-utils")
def test_side_by_side_draws_what_a_one_row_table_drew(tmp_path: Path) -> None:
    def parts() -> tuple[FieldGrid, QrFlowable]:
        info = FieldGrid(GRID_ROWS[:2], 28 * mm, width=CONTENT_WIDTH - 38 * mm, ruled=False)
        return info, QrFlowable("{}", 30 * mm)

    widths = [CONTENT_WIDTH - 36 * mm, 36 * mm]
    ours = SideBySide(*parts(), widths)
    theirs = Table([list(parts())], colWidths=widths)
    theirs.setStyle(
        table_style([("BOX", (0, 0), (-1, -1), 0.5, GRID), ("VALIGN", (0, 0), (-1, -1), "TOP")])
    )
    assert ours.wrapOn(None, CONTENT_WIDTH, 800) == pytest.approx(
        theirs.wrapOn(None, CONTENT_WIDTH, 800)
    )
    mine = _render(tmp_path, "side", ours, CONTENT_WIDTH)
    reference = _render(tmp_path, "table", theirs, CONTENT_WIDTH)
    assert mine.getextrema()[0] < 128
    assert ImageChops.difference(mine, reference).getextrema()[1] <= 40


def test_segment_widths_are_the_pen_widths_of_each_segment() -> None:
    """The one-pass pen widths equal the per-segment definition, edge pressures included."""
    import itertools
    import random

    from app.core.reports.drawings import _width_units, segment_widths

    rng = random.Random(7)
    pressures = [rng.uniform(-0.3, 1.4) for _ in range(2000)] + [0.0, 1.0, 0.5, -0.0, 1.0]
    expected = [_width_units((a + b) / 2) for a, b in itertools.pairwise(pressures)]
    assert segment_widths(pressures) == expected
    assert len(set(expected)) > 10  # the widths do vary with pressure


@pytest.mark.skipif(shutil.which("pdftoppm") is None, reason="needs poppler-utils")
def test_qr_mask_paints_exactly_the_dark_modules(tmp_path: Path) -> None:
    """The stencil mask, rendered, is dark at the centre of every dark module and light at
    every light one, inside the quiet zone (checked module by module at 100 dpi)."""
    payload = '{"id":"3f2b8c1e-5d4a-4e7b-9c61-0a8f2d7e4b15","sha256":"' + "ab" * 32 + '"}'
    qr = QrFlowable(payload, 60 * mm)
    page = _render(tmp_path, "qr", qr)
    modules = qr_modules(payload)
    count = len(modules)
    box = qr.width / (count + 8)
    dpi = 100 / 72
    left, top = 40 * dpi, (A4[1] - 500 - qr.height) * dpi  # drawn at (40, 500) from below
    for r, row in enumerate(modules):
        for c, dark in enumerate(row):
            x = left + (4 + c + 0.5) * box * dpi
            y = top + (4 + r + 0.5) * box * dpi
            assert (page.getpixel((int(x), int(y))) < 128) == dark, (r, c)
    quiet = page.crop((int(left), int(top), int(left + 4 * box * dpi) - 1, int(top + 60 * dpi)))
    assert quiet.getextrema()[0] > 200  # nothing in the quiet zone
