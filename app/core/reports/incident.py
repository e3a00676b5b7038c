"""The incident record (考场违纪违规行为记录) as an unsigned PDF."""

from __future__ import annotations

import json
from typing import Any

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, KeepTogether, Table

from app.core.reports import formatting
from app.core.reports.blocks import session_grid, signature_row
from app.core.reports.drawings import QrFlowable, qr_payload
from app.core.reports.grid import FieldGrid, SideBySide, field_grid, list_table
from app.core.reports.layout import (
    CONTENT_WIDTH,
    GRID,
    SHADE,
    PageFrame,
    PdfMeta,
    gap,
    para,
    paras,
    render,
    section,
    styles,
    table_style,
)
from app.core.reports.transcribed import paper_note, paper_signatures
from app.core.reports.views import Copy, IncidentReportView
from app.core.rosters.idcard import mask_id_number
from app.core.rulebook.explain import chinese_number, handling_heading

TITLE = "考场违纪违规行为记录"
# A candidate's record; a staff or institution record names who determines for it.
HANDLING_HEADING = handling_heading("candidate")
# Printed under the time when the recorder confirmed it lies outside every subject's exam time.
OUTSIDE_SUBJECTS_NOTE = "发生时间不在任何科目考试时间内，经记录人确认。"
COPY_LABELS = {Copy.INSTITUTION: "评价机构留存联", Copy.CANDIDATE: "当事人联"}


def incident_metadata(view: IncidentReportView, copy: Copy) -> PdfMeta:
    """Info dictionary entries; ``keywords`` is JSON that ``report verify`` reads back."""
    keywords = json.dumps(
        {
            "kind": "incident",
            "record_id": view.record_id,
            "version": view.version,
            "sha256": view.content_hash,
            "copy": copy.value,
            # ``report verify`` says a draft, void or replaced version is one, from the PDF.
            "status": view.status,
            **(
                {"superseded_by_version": view.superseded_by_version}
                if view.superseded_by_version is not None
                else {}
            ),
        },
        separators=(",", ":"),
    )
    return PdfMeta(
        title=f"{TITLE} {view.record_number}",
        subject=(
            f"proctor-desk incident {view.record_id} v{view.version} sha256:{view.content_hash}"
        ),
        keywords=keywords,
    )


def build_incident_pdf(view: IncidentReportView, copy: Copy = Copy.INSTITUTION) -> bytes:
    """The unsigned PDF of one incident record, for the candidate's or the institution's copy."""
    frame = PageFrame(
        title=f"{TITLE} · {COPY_LABELS[copy]}",
        reference=f"记录编号 {view.record_number} · 第 {view.version} 版",
        footer_note=f"id {view.record_id} · sha256 {view.content_hash[:16]}…",
        banner=view.notice,
    )
    return render(incident_story(view, copy), frame, incident_metadata(view, copy))


class _Numbers:
    """Section headings numbered in order (一、二、…): a staff or institution record leaves out
    the parts that concern a candidate, and the candidate's copy adds one."""

    def __init__(self) -> None:
        self.count = 0

    def __call__(self, title: str, then: Flowable | None = None) -> list[Flowable]:
        self.count += 1
        return section(f"{chinese_number(self.count)}、{title}", then)


def incident_story(view: IncidentReportView, copy: Copy) -> list[Flowable]:
    st = styles()
    story: list[Flowable] = [
        para(TITLE, st.title),
        para(
            f"{COPY_LABELS[copy]} · 记录编号 {view.record_number} · 第 {view.version} 版",
            st.subtitle,
        ),
    ]
    if view.supersedes_version is not None:
        note = f"本记录为更正版本，替代第 {view.supersedes_version} 版。"
        if view.amendment_reason:
            note += f"更正原因：{view.amendment_reason}"
        story.append(_notice(note))
    if view.paper is not None:
        story.append(_notice(paper_note(view.paper)))
    numbered = _Numbers()
    story += [*numbered("评价活动"), session_grid(view.session)]
    story += [*numbered("当事人"), _person_grid(view, copy)]
    story += [
        *numbered("时间和地点"),
        field_grid(
            [
                [
                    ("发生时间", formatting.when(view.occurred_at, view.session.timezone)),
                    ("地点", view.place),
                ],
                [("考点地址", view.session.site_address or "—")],
            ]
        ),
    ]
    if view.time_outside_subjects_confirmed:
        story += [gap(1.5 * mm), para(OUTSIDE_SUBJECTS_NOTE)]
    story += [*numbered("违纪违规事实"), *paras(view.facts or "（未记录）")]
    # A candidate is asked for a statement (and "none" is what they said); staff and an
    # institution have one printed only where they gave one.
    if view.party == "candidate" or view.statement.strip():
        story += [*numbered("当事人陈述"), *paras(view.statement or "（无）")]
    story += _clause(view, numbered)
    story += _handling(view, numbered)
    if copy is Copy.CANDIDATE:
        story += _procedure(view, numbered)
    story += _seized(view, numbered)
    story += _evidence(view, numbered)
    story += _signatures(view, numbered)
    story.append(KeepTogether([*numbered("记录信息"), _identity(view)]))
    return story


def _notice(message: str) -> Table:
    table = Table([[para(message)]], colWidths=[CONTENT_WIDTH])
    table.setStyle(
        table_style([("BOX", (0, 0), (-1, -1), 1.0, GRID), ("BACKGROUND", (0, 0), (-1, -1), SHADE)])
    )
    return table


def _person_grid(view: IncidentReportView, copy: Copy) -> Table:
    """Who the record is about, with the fields their party has: a candidate's document by its
    type (a passport number is no 身份证件号码), a staff member's staff number, an
    institution's filing code."""
    person = view.person
    rows: list[list[tuple[str, str]]] = [[("姓名", person.name), ("身份", person.party_label)]]
    if view.party == "institution":
        rows[0][0] = ("名称", person.name)
        rows.append([("备案码", person.filing_code or "—")])
    elif view.party == "staff":
        # The staff list's 工号/证书编号; an employer only where the data names one.
        staff_row = [("工号/证书编号", person.staff_number or "—")]
        if person.organisation:
            staff_row.append(("工作单位", person.organisation))
        rows.append(staff_row)
    else:
        id_number = person.id_number
        if copy is Copy.CANDIDATE and id_number:
            id_number = mask_id_number(id_number)
        rows.append([("证件类型", person.id_type_label or "—"), ("证件号码", id_number or "—")])
        rows.append([("准考证号", person.candidate_number or "—"), ("座位号", person.seat or "—")])
    return field_grid(rows)


def _clause(view: IncidentReportView, numbered: _Numbers) -> list[Flowable]:
    out: list[Flowable] = [*numbered("适用条款")]
    clause = view.clause
    if clause is None:
        out.append(para("尚未选定条款。"))
        return out
    st = styles()
    # Cited as the handling and the guideline cite it (第六条第（一）项), with the app's id.
    label = clause.citation_zh or f"第{chinese_number(clause.article_number)}条"
    if clause.title_zh:
        label += f"（{clause.title_zh}）"
    out.append(para(f"{label} · 条款编号 {clause.clause_id}"))
    out.append(para(clause.article_head_zh, st.quote))
    if clause.clause_text_zh:
        out.append(para(clause.clause_text_zh, st.quote))
    if view.elements:
        # What the clause turns on, as recorded on site: a measure conditioned on it (情节轻微的…)
        # must not read as decided when nobody has judged it.
        out.append(para("本项构成要件及现场记录：", st.label))
        out.append(field_grid([[pair] for pair in view.elements], 44 * mm))
        out.append(gap(1.5 * mm))
    out.append(para(f"规则版本：{view.rulebook_label}", st.small))
    return out


def _handling(view: IncidentReportView, numbered: _Numbers) -> list[Flowable]:
    out: list[Flowable] = [*numbered(handling_heading(view.party))]
    handling = view.handling
    if handling is None or not handling.measures_zh:
        out.append(para("（条款未规定处理，或尚待补充事实。）"))
        return out
    # The end date goes on the ban itself: the ban is stated once.
    measures = formatting.with_end_date(
        handling.measures_zh, handling.ban_last_day, handling.ban_index, handling.ban_reading_zh
    )
    for measure in measures:
        out.append(para(f"· {measure}"))
    if handling.ban_last_day is None and handling.ban_years is not None:
        # Severity open: no ban measure yet, but the article's shortest period applies at least.
        out.append(
            para(
                f"· 不得参加评价的期限不少于{handling.ban_years}年"
                "（情节轻重待认定；期间起算以处理决定为准）"
            )
        )
    for note in handling.notes_zh:
        if note != handling.sentence_zh:  # it restates the list above
            out.append(para(note, styles().small))
    return out


PROCEDURE_INTRO = "本记录是考场记录，不是处理决定。{source}关于处理决定的规定（原文）："


def _procedure(view: IncidentReportView, numbered: _Numbers) -> list[Flowable]:
    """On the person's copy: what the guideline says follows (Art. 17 ¶1–2, Art. 19), in its
    own words and nothing more, and whom to address: the institution, its contact and the site
    as the session plan gives them."""
    if not view.procedure:
        return []
    st = styles()
    out: list[Flowable] = [
        *numbered("处理决定的程序"),
        para(PROCEDURE_INTRO.format(source=view.procedure_source)),
    ]
    for cited, text in view.procedure:
        out.append(para(f"{cited}：“{text}”", st.quote))
    session = view.session
    out.append(para(f"评价机构：{session.institution_name}（备案码 {session.filing_code}）"))
    contact = session.institution_contact or "（本场次计划未载明，请向考点询问）"
    out.append(para(f"评价机构联系方式：{contact}"))
    site = session.site_name + (f"（{session.site_address}）" if session.site_address else "")
    out.append(para(f"考点：{site}"))
    return [KeepTogether(out)]  # whom to address stays with the text it follows


def _seized(view: IncidentReportView, numbered: _Numbers) -> list[Flowable]:
    title = "暂扣物品"
    if not view.seized_items:
        return [*numbered(title), para("无")]
    # No 数量 column: the record holds no count (one receipt per item), and a printed "1"
    # would be a figure nobody recorded.
    rows = [[i.description, i.receipt_number] for i in view.seized_items]
    table = list_table(["物品", "收据编号"], rows, [128 * mm, 50 * mm])
    return [*numbered(title, table), table]


def _evidence(view: IncidentReportView, numbered: _Numbers) -> list[Flowable]:
    title = "证据文件"
    if not view.evidence:
        return [*numbered(title), para("无")]
    small = styles().small
    rows: list[list[Any]] = []
    for e in view.evidence:
        name = e.file_name + (f"\n{e.description}" if e.description else "")
        rows.append([name, formatting.size(e.size_bytes), para(e.sha256, small)])
    widths = [58 * mm, 16 * mm, CONTENT_WIDTH - 74 * mm]
    table = list_table(["文件", "大小", "SHA-256"], rows, widths)
    return [*numbered(title, table), table]


# Who signs a record under the app's rules (signing.py); only a candidate's is Art. 16 ¶1.
STAFF_SIGNERS_LABEL = {
    "candidate": "工作人员签名（第十六条：2 名（含）以上）",
    "staff": "工作人员签名（2 名（含）以上，不含当事人）",
    "institution": "质量督导员及工作人员签名（记录的质量督导员和另 1 名工作人员）",
}


def _signatures(view: IncidentReportView, numbered: _Numbers) -> list[Flowable]:
    zone = view.session.timezone
    if view.paper is not None:  # signed with a pen on paper: names, no strokes
        confirmation = view.site_head.signature if view.site_head else None
        return [*numbered("签名"), *paper_signatures(view.paper, confirmation, zone)]
    out: list[Flowable] = []
    label = STAFF_SIGNERS_LABEL.get(view.party, STAFF_SIGNERS_LABEL["staff"])
    staff = [*numbered("签名"), para(label, styles().label)]
    if view.staff_signatures:
        staff.append(signature_row(view.staff_signatures, zone=zone))
    else:
        staff.append(para("（尚无工作人员签名）"))
    out.append(KeepTogether(staff))
    out.append(gap(2 * mm))
    before = len(out)
    ack = view.acknowledgement
    if ack is None:
        # Only a candidate must confirm or have a refusal or departure witnessed (Art. 16);
        # staff and an institution are not asked, so nothing is "still to come".
        if view.party == "candidate":
            out.append(para("当事人确认：（尚未确认）"))
    elif ack.departed:
        block: list[Flowable] = [
            para("当事人已离场，未能确认。以下工作人员见证其已离场：", styles().label)
        ]
        if ack.witnesses:
            block.append(signature_row(ack.witnesses, zone=zone))
        out.append(KeepTogether(block))
    elif ack.refused:
        block = [para("当事人拒绝签字，以下工作人员见证：", styles().label)]
        if ack.note:
            block.append(para(ack.note))
        if ack.witnesses:
            block.append(signature_row(ack.witnesses, zone=zone))
        out.append(KeepTogether(block))
    elif ack.signature is not None:
        block = [
            para("当事人确认签字：", styles().label),
            signature_row([ack.signature], zone=zone),
        ]
        if ack.note:
            block.append(para(ack.note))
        out.append(KeepTogether(block))
    if len(out) > before:
        out.append(gap(2 * mm))
    head = view.site_head
    if head is None:
        out.append(para(f"{view.confirmer_role}确认：（尚未确认）"))
    else:
        # The role of the one who confirmed, as signed (a quality supervisor confirms a
        # record about the site head, and an institution's).
        block = [
            para(f"{head.signature.role}确认：", styles().label),
            signature_row([head.signature], zone=zone),
        ]
        if head.remarks:
            block.append(para(head.remarks))
        out.append(KeepTogether(block))
    return out


def _identity(view: IncidentReportView) -> SideBySide:
    qr_size = 30 * mm
    lines = [
        ("记录编号", view.record_number),
        ("记录 ID", view.record_id),
        (
            "版本",
            f"第 {view.version} 版"
            + (f"（替代第 {view.supersedes_version} 版）" if view.supersedes_version else ""),
        ),
        ("规则版本", view.rulebook_label),
        ("内容哈希 SHA-256", view.content_hash),
        ("时间", formatting.times_note(view.occurred_at, view.session.timezone)),
    ]
    if view.recorded_by:
        lines.append(("记录人", view.recorded_by))
    # An unruled list (a grid flowable: a nested Table cost twice the rest of this block).
    info = FieldGrid(
        [[line] for line in lines],
        28 * mm,
        width=CONTENT_WIDTH - qr_size - 8 * mm,
        ruled=False,
        pad_y=1,
    )
    qr = QrFlowable(qr_payload(view.record_id, view.content_hash), qr_size)
    return SideBySide(info, qr, [CONTENT_WIDTH - qr_size - 6 * mm, qr_size + 6 * mm])
