"""The paper fallback: a blank incident form with the sitting's details already printed.

What the form asks for follows what a transcription of it needs (``records/transcription.py``):
the subject and room ticked from the sitting's own, the time, the facts the clause turns on,
evidence, the clause ticked from the rulebook's clauses for candidates, staff and the
institution, two staff signatures, the candidate's signature or two witnesses of a refusal or
a departure, and the site head's confirmation.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
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
    gap,
    para,
    render,
    section,
    styles,
    table_style,
    text,
)
from app.core.reports.page_header import site_reference
from app.core.reports.paper import (
    WRITE_ROW,
    TickBoxes,
    boxes,
    sign_boxes,
    write_lines_table,
)
from app.core.reports.views import BlankFormView
from app.core.rosters.idtypes import ID_TYPE_LABELS
from app.core.rulebook.explain import handling_heading

FRAME_TITLE = f"{TITLE}（纸质备用表）"
PARTIES = ("参评人员", "工作人员", "评价机构")
# The facts the clauses turn on (经提醒拒不改正, 情节, 不良影响): ticked on paper, so that the
# transcription does not have to guess them from the description.
FACT_TICKS = ("经工作人员提醒", "经提醒拒不改正", "造成不良影响")
SEVERITY_TICKS = ("情节轻微", "情节严重", "待认定")
ID_TICKS = (*ID_TYPE_LABELS.values(), "其他证件：____________")
OUTSIDE_TICK = "发生时间不在任何科目考试时间内，经记录人确认"
REFUSED_TICK = "当事人拒绝签字"
DEPARTED_TICK = "当事人已离场，未能签字"
WITNESS_LABELS = ("见证人（一）签名", "见证人（二）签名")
WITNESS_NAME = "正楷姓名：________________"
WITNESS_TIME = "日期时间：________________"
EVIDENCE_ROWS = 3


def build_blank_form_pdf(view: BlankFormView) -> bytes:
    """An unsigned blank incident form for handwriting, pre-filled with the sitting."""
    session = view.session
    frame = PageFrame(
        title=FRAME_TITLE,
        reference=site_reference(FRAME_TITLE, session.site_name, session.session_code),
        footer_note="填写后由工作人员扫描，作为证据文件附入电子记录。",
    )
    keywords = json.dumps(
        {"kind": "blank-form", "session": session.session_code}, separators=(",", ":")
    )
    meta = PdfMeta(
        title=f"{FRAME_TITLE} {session.session_code}",
        subject=f"proctor-desk blank-form {session.session_code}",
        keywords=keywords,
    )
    return render(blank_form_story(view), frame, meta)


def blank_form_story(view: BlankFormView) -> list[Flowable]:
    st = styles()
    number = view.form_number or "________________"
    zone = formatting.zone_suffix(view.session.starts_at, view.session.timezone)
    story: list[Flowable] = [
        Paragraph(text(TITLE), st.title),
        Paragraph(text(f"纸质备用表 · 表号 {number}"), st.subtitle),
        *section("一、评价活动"),
        session_grid(view.session),
        *section("二、当事人"),
        # The document is ticked, not assumed: a passport number is no 身份证件号码, and the
        # transcription and the report name the type (证件类型, as on the incident report).
        _label_rows([("身份", TickBoxes(PARTIES)), ("证件类型", TickBoxes(ID_TICKS))]),
        _blank_grid(
            [
                ("姓名", ""),
                ("证件号码", ""),
                ("准考证号", ""),
                ("座位号", ""),
                ("单位", ""),
                ("岗位", ""),
            ]
        ),
        *section("三、时间和地点"),
        _label_rows(
            [
                ("发生时间", para(f"______月______日  ______时______分{zone}")),
                ("", TickBoxes([OUTSIDE_TICK], st.small)),
                ("科目", TickBoxes(_subjects(view))),
                ("考场", TickBoxes(view.rooms) if view.rooms else para("")),
            ]
        ),
        *section("四、违纪违规事实"),
        write_lines_table(6),
        _label_rows(
            [
                ("事实要件", TickBoxes(FACT_TICKS)),
                ("情节", TickBoxes(SEVERITY_TICKS)),
            ]
        ),
        *section("五、当事人陈述"),
        write_lines_table(3),
    ]
    evidence = _blank_table(
        [
            "序号",
            "证据材料（照片、录像、书面材料、物品等）",
            "来源或位置（如监控机位及起止时间）",
            "编号或页数",
        ],
        [14 * mm, 68 * mm, 66 * mm, CONTENT_WIDTH - 148 * mm],
        EVIDENCE_ROWS,
        numbered=True,
    )
    story += [*section("六、证据材料", evidence), evidence]
    story += _clauses(view)
    story += [*section(f"八、{HANDLING_HEADING}"), para(_who_determines(), st.small)]
    story.append(write_lines_table(2))
    # No 数量 column: a record holds one receipt per item and no count (as the report).
    seized = _blank_table(["物品（名称及特征）", "收据编号"], [120 * mm, 58 * mm], 2)
    story += [*section("九、暂扣物品", seized), seized]
    story.append(KeepTogether(_signing(view)))
    return story


def _subjects(view: BlankFormView) -> list[str]:
    if view.subjects:
        return list(view.subjects)
    # A view made by hand names the subjects only in the header, joined as session_header does.
    return [s for s in view.session.subject.split("、") if s]


def _clauses(view: BlankFormView) -> list[Flowable]:
    """The rulebook's clauses for each party, to tick one; the number written if none fits."""
    st = styles()
    label = "条款编号：____________"
    if view.rulebook_label:
        label += f"（规则 {view.rulebook_label}）"
    out: list[Flowable] = [*section("七、适用条款"), para(label)]
    groups = [
        (PARTIES[0], view.clause_hints),
        (PARTIES[1], view.staff_clause_hints),
        (PARTIES[2], view.institution_clause_hints),
    ]
    for party, hints in groups:
        if not hints:
            continue
        labels = [f"{cid} {title}".strip() for cid, title in hints]
        out += [para(f"当事人为{party}的：", st.label), TickBoxes(labels, st.small, columns=2)]
    return out


def _who_determines() -> str:
    """Who decides, for each party, in the words the incident record heads this section with."""

    def body(party: str) -> str:
        heading = handling_heading(party)
        return heading[heading.index("（") + 1 : heading.rindex("）")]

    return (
        f"当事人为参评人员的，{body('candidate')}；为工作人员的，{body('staff')}；"
        f"为评价机构的，{body('institution')}。"
    )


def _signing(view: BlankFormView) -> list[Flowable]:
    st = styles()
    # The person's own signature, or (ticked above it) two staff witnessing their refusal or
    # their departure: side by side, as the alternatives they are.
    return [
        *section("十、签名"),
        sign_boxes(["工作人员签名"] * max(2, view.staff_lines)),
        _label_rows([("当事人未签字", TickBoxes([REFUSED_TICK, DEPARTED_TICK]))]),
        boxes(
            [
                ("当事人签字", ["日期时间：________________"]),
                *[(label, [WITNESS_NAME, WITNESS_TIME]) for label in WITNESS_LABELS],
            ]
        ),
        sign_boxes(["考场负责人确认"]),
        gap(2 * mm),
        para(
            f"当事人拒绝签字或已离场的，勾选“{REFUSED_TICK}”或“{DEPARTED_TICK}”，由两名不同的"
            "工作人员（不得为当事人本人）在见证人处签名。本表扫描后附入电子记录作为证据文件。",
            st.small,
        ),
    ]


def _label_rows(rows: Sequence[tuple[str, Flowable]]) -> Table:
    """Rows of a shaded label and a flowable (tick boxes, a line to fill in) spanning the
    rest of the width."""
    st = styles()
    label_w = 24 * mm
    data: list[list[Any]] = [[Paragraph(text(label), st.label), value] for label, value in rows]
    table = Table(data, colWidths=[label_w, CONTENT_WIDTH - label_w])
    table.setStyle(
        table_style(
            [
                ("GRID", (0, 0), (-1, -1), 0.5, GRID),
                ("BACKGROUND", (0, 0), (0, -1), SHADE),
                ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
            ]
        )
    )
    return table


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


def _blank_table(
    header: list[str], widths: list[float], rows: int, *, numbered: bool = False
) -> Table:
    st = styles()
    data: list[list[Any]] = [[Paragraph(text(h), st.head) for h in header]]
    for n in range(1, rows + 1):
        data.append([str(n) if numbered else ""] + [""] * (len(header) - 1))
    table = Table(data, colWidths=widths, rowHeights=[None] + [WRITE_ROW] * rows)
    table.setStyle(
        table_style(
            [
                ("GRID", (0, 0), (-1, -1), 0.5, GRID),
                ("BACKGROUND", (0, 0), (-1, 0), SHADE),
                ("FONTSIZE", (0, 1), (-1, -1), 8.5),
                ("VALIGN", (0, 1), (-1, -1), "MIDDLE"),
            ]
        )
    )
    return table
