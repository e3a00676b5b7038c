"""The paper fallback: a blank incident form with the sitting's details already printed."""

from __future__ import annotations

import json
from typing import Any

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, KeepTogether, Paragraph, Table

from app.core.reports import formatting
from app.core.reports.blocks import session_grid
from app.core.reports.incident import HANDLING_HEADING, TITLE
from app.core.reports.layout import (
    CONTENT_WIDTH,
    GRID,
    SHADE,
    PageFrame,
    PdfMeta,
    para,
    render,
    section,
    styles,
    table_style,
    text,
)
from app.core.reports.views import BlankFormView

WRITE_ROW = 8 * mm  # height of one handwritten line


def build_blank_form_pdf(view: BlankFormView) -> bytes:
    """An unsigned blank incident form for handwriting, pre-filled with the sitting."""
    session = view.session
    frame = PageFrame(
        title=f"{TITLE}（纸质备用表）",
        reference=f"{session.site_name} · {session.session_code}",
        footer_note="填写后由工作人员扫描，作为证据文件附入电子记录。",
    )
    keywords = json.dumps(
        {"kind": "blank-form", "session": session.session_code}, separators=(",", ":")
    )
    meta = PdfMeta(
        title=f"{TITLE}（纸质备用表） {session.session_code}",
        subject=f"proctor-desk blank-form {session.session_code}",
        keywords=keywords,
    )
    return render(blank_form_story(view), frame, meta)


def blank_form_story(view: BlankFormView) -> list[Flowable]:
    st = styles()
    number = view.form_number or "________________"
    story: list[Flowable] = [
        Paragraph(text(TITLE), st.title),
        Paragraph(text(f"纸质备用表 · 表号 {number}"), st.subtitle),
        *section("一、评价活动"),
        session_grid(view.session),
        *section("二、当事人"),
        _blank_grid(
            [
                ("姓名", ""),
                ("身份", "□ 参评人员  □ 工作人员"),
                ("身份证件号码", ""),
                ("准考证号", ""),
                ("座位号", ""),
                ("单位", ""),
            ]
        ),
        *section("三、时间和地点"),
        _blank_grid(
            [
                (
                    "发生时间",
                    "____时____分"
                    + formatting.zone_suffix(view.session.starts_at, view.session.timezone),
                ),
                ("考场", "  ".join(view.rooms)),
            ]
        ),
        *section("四、违纪违规事实"),
        _lines(7),
        *section("五、当事人陈述"),
        _lines(4),
        *section("六、适用条款"),
    ]
    hint = "条款编号：____________"
    if view.rulebook_label:
        hint += f"（规则 {view.rulebook_label}）"
    story.append(para(hint))
    if view.clause_hints:
        hints = "；".join(f"{cid} {title}" for cid, title in view.clause_hints)
        story.append(para(f"常用条款：{hints}", st.small))
    story += [*section(f"七、{HANDLING_HEADING}"), _lines(2)]
    story += [
        *section("八、暂扣物品"),
        _blank_table(["物品", "数量", "收据编号"], [100 * mm, 20 * mm, 58 * mm], 2),
    ]
    signing: list[Flowable] = [*section("九、签名")]
    signing.append(_sign_boxes(["工作人员签名"] * max(2, view.staff_lines)))
    signing.append(_sign_boxes(["当事人签字", "拒签见证人签名"]))
    signing.append(_sign_boxes(["考场负责人确认"]))
    story.append(KeepTogether(signing))
    story.append(
        para(
            "当事人拒绝签字的，在“拒签见证人签名”处由见证的工作人员签名并注明。"
            "本表扫描后附入电子记录作为证据文件。",
            st.small,
        )
    )
    return story


def _blank_grid(pairs: list[tuple[str, str]]) -> Table:
    st = styles()
    rows: list[list[Any]] = []
    for i in range(0, len(pairs), 2):
        row: list[Any] = []
        for label, value in pairs[i : i + 2]:
            row += [Paragraph(text(label), st.label), Paragraph(text(value), st.cell)]
        rows.append(row)
    label_w = 24 * mm
    value_w = (CONTENT_WIDTH - 2 * label_w) / 2
    table = Table(
        rows,
        colWidths=[label_w, value_w, label_w, value_w],
        rowHeights=[WRITE_ROW + 2 * mm] * len(rows),
    )
    table.setStyle(
        table_style(
            [
                ("GRID", (0, 0), (-1, -1), 0.5, GRID),
                ("BACKGROUND", (0, 0), (0, -1), SHADE),
                ("BACKGROUND", (2, 0), (2, -1), SHADE),
                ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
            ]
        )
    )
    return table


def _lines(count: int) -> Table:
    table = Table(
        [[""] for _ in range(count)], colWidths=[CONTENT_WIDTH], rowHeights=[WRITE_ROW] * count
    )
    table.setStyle(table_style([("LINEBELOW", (0, 0), (-1, -1), 0.4, GRID)]))
    return table


def _blank_table(header: list[str], widths: list[float], rows: int) -> Table:
    st = styles()
    data: list[list[Any]] = [[Paragraph(text(h), st.head) for h in header]]
    data += [[""] * len(header) for _ in range(rows)]
    table = Table(data, colWidths=widths, rowHeights=[None] + [WRITE_ROW] * rows)
    table.setStyle(
        table_style([("GRID", (0, 0), (-1, -1), 0.5, GRID), ("BACKGROUND", (0, 0), (-1, 0), SHADE)])
    )
    return table


def _sign_boxes(labels: list[str]) -> Table:
    st = styles()
    width = CONTENT_WIDTH / 3
    cells = [
        [Paragraph(text(label), st.label), para("日期时间：________________", st.small)]
        for label in labels
    ]
    data = [[_box(c) for c in cells]]
    table = Table(data, colWidths=[width] * len(labels), hAlign="LEFT")
    table.setStyle(
        table_style([("GRID", (0, 0), (-1, -1), 0.5, GRID), ("VALIGN", (0, 0), (-1, -1), "TOP")])
    )
    return table


def _box(parts: list[Flowable]) -> Table:
    # A tall blank space between the caption and the date line, for the signature itself.
    inner = Table([[parts[0]], [""], [parts[1]]], rowHeights=[None, 18 * mm, None])
    inner.setStyle(table_style([("LEFTPADDING", (0, 0), (-1, -1), 0)]))
    return inner
