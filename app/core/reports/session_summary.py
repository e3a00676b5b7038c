"""The session summary: staff on duty, candidates per room, incidents and their status."""

from __future__ import annotations

import json
from typing import Any

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Paragraph

from app.core.reports import formatting
from app.core.reports.blocks import session_grid
from app.core.reports.grid import list_table
from app.core.reports.layout import (
    CONTENT_WIDTH,
    PageFrame,
    PdfMeta,
    para,
    render,
    section,
    styles,
    text,
)
from app.core.reports.views import SessionSummaryView

TITLE = "考场违纪违规情况汇总"


def build_session_summary_pdf(view: SessionSummaryView) -> bytes:
    """The unsigned PDF summarising one sitting."""
    session = view.session
    zone = session.timezone
    # Beijing time as before; another zone by its name and offset.
    note = formatting.zone_suffix(view.generated_at, zone) or "（北京时间）"
    frame = PageFrame(
        title=TITLE,
        reference=f"{session.site_name} · {session.session_code}",
        footer_note=(
            f"生成于 {formatting.when(view.generated_at, zone)}{note} · {view.rulebook_label}"
        ),
    )
    keywords = json.dumps(
        {"kind": "session", "session": session.session_code}, separators=(",", ":")
    )
    meta = PdfMeta(
        title=f"{TITLE} {session.session_code}",
        subject=f"proctor-desk session {session.session_code}",
        keywords=keywords,
    )
    return render(session_story(view), frame, meta)


def session_story(view: SessionSummaryView) -> list[Flowable]:
    st = styles()
    story: list[Flowable] = [
        Paragraph(TITLE, st.title),
        Paragraph(text(f"{view.session.session_name}（{view.session.session_code}）"), st.subtitle),
        *section("一、评价活动"),
        session_grid(view.session),
    ]
    staff = None
    if view.staff:
        rows = [[s.name, s.role, s.room or "—"] for s in view.staff]
        staff = list_table(["姓名", "岗位", "考场"], rows, [50 * mm, 70 * mm, 58 * mm])
    story += _headed("二、在岗工作人员", staff, "（无记录）")

    rooms = None
    if view.rooms:
        room_rows: list[list[Any]] = []
        for room in view.rooms:
            present = "—" if room.present is None else str(room.present)
            room_rows.append([room.name, str(room.candidates), present])
        total = sum(r.candidates for r in view.rooms)
        room_rows.append(["合计", str(total), _present_total(view)])
        widths = [90 * mm, 44 * mm, 44 * mm]
        rooms = list_table(["考场", "应考人数", "实考人数"], room_rows, widths)
    story += _headed("三、各考场参评人数", rooms, "（无记录）")

    incidents = None
    if view.incidents:
        rows2: list[list[Any]] = []
        for line in view.incidents:
            clause = f"{line.clause_id} {line.clause_title_zh}".strip() or "未选定"
            rows2.append(
                [
                    f"{line.record_number}\n第 {line.version} 版",
                    f"{line.person_name}\n{line.party_label}",
                    f"{line.room}\n{formatting.when(line.occurred_at, view.session.timezone)[11:]}",
                    clause,
                    line.handling_zh or "—",
                    line.signature_status,
                ]
            )
        incidents = list_table(
            ["记录编号", "当事人", "考场/时间", "条款", "可能适用的处理（待认定）", "签名状态"],
            rows2,
            [30 * mm, 24 * mm, 24 * mm, 36 * mm, CONTENT_WIDTH - 142 * mm, 28 * mm],
        )
    title = f"四、违纪违规记录（{len(view.incidents)} 条）"
    story += _headed(title, incidents, "本场次无违纪违规记录。")
    incomplete = sum(1 for line in view.incidents if not line.complete)
    if incomplete:
        story.append(para(f"其中 {incomplete} 条签名或确认尚未完成。", st.label))

    counts = view.counts_by_article()
    by_article = None
    if counts:
        count_rows = [
            ["未选定条款" if article is None else f"第{article}条", str(n)] for article, n in counts
        ]
        by_article = list_table(["条款", "记录数"], count_rows, [90 * mm, 44 * mm])
    story += _headed("五、按条款统计", by_article, "无")
    return story


def _headed(title: str, table: Flowable | None, empty: str) -> list[Flowable]:
    """A section: its heading, then the table, or ``empty`` when there is nothing to list."""
    if table is None:
        return [*section(title), para(empty)]
    return [*section(title, table), table]


def _present_total(view: SessionSummaryView) -> str:
    present = [r.present for r in view.rooms]
    if any(p is None for p in present):
        return "—"
    return str(sum(p for p in present if p is not None))
