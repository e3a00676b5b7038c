"""The session summary: staff on duty, candidates per room, incidents and their status.

Only the records in force are listed as the sitting's incidents and counted by article:
confirmed versions (exported ones too), not void ones, not drafts or versions still waiting for
the site head, not versions an amendment has replaced. Records not in force are listed apart,
with their status, so that no record number goes missing from the page. The page is printed
and signed by hand: the candidates present per room (实考人数) are written in, and the site
head and the person who drew up the table sign under it.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import replace
from typing import Any

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, KeepTogether, Paragraph

from app.core.records.status import SEALED, RecordStatus
from app.core.reports import formatting
from app.core.reports.blocks import session_grid
from app.core.reports.grid import list_table
from app.core.reports.layout import (
    CONTENT_WIDTH,
    PageFrame,
    PdfMeta,
    gap,
    para,
    render,
    section,
    styles,
    text,
)
from app.core.reports.page_header import site_reference
from app.core.reports.paper import WRITE_ROW, boxes
from app.core.reports.views import IncidentLineView, SessionSummaryView

TITLE = "考场违纪违规情况汇总"
PRESENT_HEADING = "实考人数（现场填写）"
STATUS_ZH: dict[str, str] = {
    RecordStatus.DRAFT: "草稿，待签名",
    RecordStatus.SIGNED: "已签名，待确认",
    RecordStatus.VOID: "已作废",
}
# Signed by hand on the printed summary; the date box takes the day it is signed.
SIGNING_BOXES: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("考场负责人签名", ()),
    ("制表人签名", ()),
    ("日期", ("________年______月______日",)),
)


def in_force(line: IncidentLineView) -> bool:
    """A confirmed version no amendment has replaced (the view lists no replaced ones)."""
    return line.status in SEALED


def build_session_summary_pdf(view: SessionSummaryView) -> bytes:
    """The unsigned PDF summarising one sitting."""
    session = view.session
    zone = session.timezone
    # Beijing time as before; another zone by its name and offset.
    note = formatting.zone_suffix(view.generated_at, zone) or "（北京时间）"
    frame = PageFrame(
        title=TITLE,
        reference=site_reference(TITLE, session.site_name, session.session_code),
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
    story += _headed("三、各考场参评人数", _rooms(view), "（无记录）")

    current = [line for line in view.incidents if in_force(line)]
    apart = [line for line in view.incidents if not in_force(line)]
    incidents = _incident_table(current, view.session.timezone) if current else None
    title = f"四、违纪违规记录（已确认 {len(current)} 条）"
    story += _headed(title, incidents, "本场次无已确认的违纪违规记录。")

    pending = _apart_table(apart, current, view.session.timezone) if apart else None
    title = f"五、未计入统计的记录（{len(apart)} 条：草稿、待确认或已作废）"
    story += _headed(title, pending, "无")

    # The counts and the signatures under them on one page: a signature alone on a last page
    # could be put under any table.
    story.append(KeepTogether([*_by_article(view, current), *_signing()]))
    return story


def _rooms(view: SessionSummaryView) -> Flowable | None:
    """Candidates expected per room, and the candidates present: printed when known, else a
    blank cell to write the count in."""
    if not view.rooms:
        return None
    rows: list[list[Any]] = []
    for room in view.rooms:
        rows.append([room.name, str(room.candidates), _present(room.present)])
    total = sum(r.candidates for r in view.rooms)
    present = [r.present for r in view.rooms]
    known = None if any(p is None for p in present) else sum(p for p in present if p is not None)
    rows.append(["合计", str(total), _present(known)])
    return list_table(["考场", "应考人数", PRESENT_HEADING], rows, [90 * mm, 44 * mm, 44 * mm])


def _present(value: int | None) -> str | Flowable:
    # The blank is a handwritten line's height, not a text line's.
    return gap(WRITE_ROW - 2 * mm) if value is None else str(value)


def _incident_table(lines: Sequence[IncidentLineView], zone: str) -> Flowable:
    rows: list[list[Any]] = []
    for line in lines:
        rows.append(
            [
                f"{line.record_number}\n第 {line.version} 版",
                f"{line.person_name}\n{line.party_label}",
                f"{line.room}\n{formatting.when(line.occurred_at, zone)[11:]}",
                _clause(line),
                line.handling_zh or "—",
                line.signature_status,
            ]
        )
    return list_table(
        ["记录编号", "当事人", "考场/时间", "条款", "可能适用的处理（待认定）", "签名状态"],
        rows,
        [30 * mm, 24 * mm, 24 * mm, 36 * mm, CONTENT_WIDTH - 142 * mm, 28 * mm],
    )


def _apart_table(
    lines: Sequence[IncidentLineView], current: Sequence[IncidentLineView], zone: str
) -> Flowable:
    # An amendment still being signed: the reader is told which version counts meanwhile.
    counted = {line.record_number: line.version for line in current}
    rows: list[list[Any]] = []
    for line in lines:
        status = STATUS_ZH.get(line.status, line.status)
        older = counted.get(line.record_number)
        if older is not None and older < line.version:
            status += f"（更正第 {older} 版，第 {older} 版仍计入统计）"
        rows.append(
            [
                f"{line.record_number}\n第 {line.version} 版",
                f"{line.person_name}\n{line.party_label}",
                f"{line.room}\n{formatting.when(line.occurred_at, zone)[11:]}",
                _clause(line),
                status,
                line.signature_status.removeprefix("已作废 · "),
            ]
        )
    return list_table(
        ["记录编号", "当事人", "考场/时间", "条款", "状态", "签名状态"],
        rows,
        [30 * mm, 24 * mm, 24 * mm, 36 * mm, CONTENT_WIDTH - 142 * mm, 28 * mm],
    )


def _clause(line: IncidentLineView) -> str:
    return f"{line.clause_id} {line.clause_title_zh}".strip() or "未选定"


def _by_article(view: SessionSummaryView, current: Sequence[IncidentLineView]) -> list[Flowable]:
    """Confirmed records per article with their total (kept on one page by the caller: a
    table of ten rows is never split to leave an article alone on the next page)."""
    ordered = replace(view, incidents=current).counts_by_article()
    title = "六、按条款统计（仅计已确认记录）"
    if not ordered:
        return [*section(title), para("无")]
    rows = [["未选定条款" if a is None else f"第{a}条", str(n)] for a, n in ordered]
    rows.append(["合计", str(len(current))])
    table = list_table(["条款", "记录数"], rows, [90 * mm, 44 * mm])
    return [*section(title, table), table]


def _signing() -> list[Flowable]:
    st = styles()
    note = "实考人数由考场负责人据签到表填写；本表打印后由制表人、考场负责人签名。"
    return [*section("七、签名"), boxes(SIGNING_BOXES), gap(2 * mm), para(note, st.small)]


def _headed(title: str, table: Flowable | None, empty: str) -> list[Flowable]:
    """A section: its heading, then the table, or ``empty`` when there is nothing to list."""
    if table is None:
        return [*section(title), para(empty)]
    return [*section(title, table), table]
