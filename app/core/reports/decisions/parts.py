"""The parts the casework documents share: heading, the person, the sitting, the facts, the
clauses cited, the handling, the practice lines and the issuer's block.

Law and practice are kept apart on the page: a line of the guideline is printed with its
citation and source, a line of the institution's own practice starts with ``PRACTICE_LABEL``
and is drawn in its own style, so the two cannot be read as one.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Sequence

from reportlab.lib import colors
from reportlab.lib.enums import TA_RIGHT
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, KeepTogether

from app.core.reports import formatting
from app.core.reports.decisions.model import (
    PARTY_LABELS,
    PRACTICE_LABEL,
    Acknowledgement,
    CitedClause,
    Deadline,
    FactRecord,
    Handling,
    Party,
    Person,
    Provision,
    Signatory,
    SiteRecord,
    SiteSigner,
    Sitting,
)
from app.core.reports.grid import field_grid
from app.core.reports.layout import PageFrame, PdfMeta, gap, para, paras, section, styles
from app.core.rosters.idcard import mask_id_number
from app.core.rulebook.explain import chinese_number

PRACTICE_INK = colors.HexColor("#1f4e79")
PRACTICE_FILL = colors.HexColor("#eef4fa")


class Numbered:
    """Section headings numbered in order (一、二、…): a part left out leaves no gap."""

    def __init__(self) -> None:
        self.count = 0

    def __call__(self, title: str, then: Flowable | None = None) -> list[Flowable]:
        self.count += 1
        return section(f"{chinese_number(self.count)}、{title}", then)


def _styles() -> dict[str, ParagraphStyle]:
    st = styles()
    return {
        "issuer": ParagraphStyle("issuer", parent=st.body, fontSize=12, leading=17, alignment=1),
        "number": ParagraphStyle("number", parent=st.body, alignment=1, spaceAfter=4),
        "right": ParagraphStyle("right", parent=st.body, alignment=TA_RIGHT),
        "practice": ParagraphStyle(
            "practice",
            parent=st.body,
            textColor=PRACTICE_INK,
            backColor=PRACTICE_FILL,
            borderPadding=(2, 3, 2, 3),
            spaceBefore=3,
            spaceAfter=3,
        ),
        "law": ParagraphStyle("law", parent=st.quote, leftIndent=10),
    }


def heading(institution_name: str, title: str, number: str) -> list[Flowable]:
    """The issuing institution, the document's title and its number, centred."""
    extra = _styles()
    return [
        para(institution_name, extra["issuer"]),
        para(title, styles().title),
        para(f"文书编号：{number}", extra["number"]),
    ]


def addressee(person: Person) -> Flowable:
    """``张三：`` — the opening line of a document addressed to the person."""
    return para(f"{person.name}：")


def person_grid(person: Person, *, masked: bool) -> Flowable:
    """Who the case concerns; the ID number whole, or masked on a copy anyone may read."""
    number = mask_id_number(person.id_number) if masked else person.id_number
    role = PARTY_LABELS[person.party] + (f"（{person.role}）" if person.role else "")
    if person.party is Party.INSTITUTION:
        rows = [[("机构名称", person.name), ("备案码", person.id_number)]]
    else:
        rows = [
            [("姓名", person.name), ("身份", role)],
            [("证件类型", person.id_type), ("证件号码", number)],
        ]
        extra = []
        if person.candidate_number:
            extra.append(("准考证号", person.candidate_number))
        if person.organisation:
            extra.append(("所在单位", person.organisation))
        if extra:
            rows.append(extra)
    return field_grid(rows)


def sitting_part(sitting: Sitting | None, institution_name: str, filing_code: str) -> Flowable:
    if sitting is None:
        # Art. 8: found after the event, with no sitting record of this institution's to name.
        return field_grid(
            [[("评价机构", institution_name), ("备案码", filing_code)], [("评价场次", "无")]]
        )
    return field_grid(
        [
            [("评价机构", institution_name), ("备案码", filing_code)],
            [("考点", sitting.site), ("场次", f"{sitting.session_name}（{sitting.session_code}）")],
            [
                ("职业（工种）及等级", f"{sitting.occupation} {sitting.level}"),
                ("评价日期", formatting.day(sitting.date)),
            ],
        ]
    )


SITE_LABEL = "现场记录"


def _stamp(at: dt.datetime | None, zone: str) -> str:
    """``（2026-06-01 10:32）`` in the record's zone, kept on one line (a no-break space)."""
    return "" if at is None else f"（{formatting.when(at, zone).replace(' ', chr(0xA0))}）"


def _signers(signers: Sequence[SiteSigner], zone: str) -> str:
    """``考务管理人员 张三（2026-06-01 10:30）、李四（2026-06-01 10:31）``: the names in the
    order given, each after its role (a role said once for those next to each other), each
    with the time it signed in the record's zone (none for a paper signature)."""
    groups: list[tuple[str, list[str]]] = []
    for s in signers:
        stamp = _stamp(s.signed_at, zone)
        if groups and groups[-1][0] == s.role:
            groups[-1][1].append(s.name + stamp)
        else:
            groups.append((s.role, [s.name + stamp]))
    return "、".join(f"{role} {'、'.join(names)}".strip() for role, names in groups)


def site_line(site: SiteRecord, zone: str) -> str:
    """How the record was signed on site (Art. 16), in the order it happened: the staff who
    signed, the person's own word (signed, refused or had left, and who witnessed it), the
    confirmation; a record transcribed from paper says so first."""
    paper = bool(site.paper_form)
    on_paper = "在纸质记录上" if paper else ""
    out = [f"{_signers(site.staff, zone)}{on_paper}签名" if site.staff else "无工作人员签名"]
    if site.acknowledgement is Acknowledgement.SIGNED:
        out.append(f"当事人{on_paper}签名{_stamp(site.acknowledged_at, zone)}")
    elif site.acknowledgement is Acknowledgement.REFUSED:
        out.append(f"当事人拒绝签名，{_signers(site.witnesses, zone)}见证")
    elif site.acknowledgement is Acknowledgement.DEPARTED:
        out.append(f"当事人已离场未签名，{_signers(site.witnesses, zone)}见证")
    if site.confirmed is not None:
        out.append(f"{_signers([site.confirmed], zone)}{'确认誊录' if paper else '确认'}")
    else:
        out.append("未经确认")
    lead = f"依纸质记录（表号 {site.paper_form}）誊录：" if paper else ""
    return lead + "；".join(out)


def facts_part(facts: Sequence[FactRecord]) -> list[Flowable]:
    out: list[Flowable] = []
    for i, fact in enumerate(facts, start=1):
        when = (
            formatting.when(fact.occurred_at, fact.zone) if fact.occurred_at is not None else "不详"
        )
        grid = field_grid(
            [
                [("记录编号", fact.number or "—"), ("发生时间", when)],
                [("地点", fact.place or "—")],
                [(SITE_LABEL, site_line(fact.site, fact.zone))]
                if fact.site is not None
                else [
                    ("签字工作人员", "、".join(fact.signed_by) or "—"),
                    ("确认人", fact.confirmed_by or "—"),
                ],
            ],
            label_width=26 * mm,
        )
        # A fact's heading goes with its grid, never alone at a page foot.
        if len(facts) > 1:
            out.append(KeepTogether([para(f"事实{chinese_number(i)}", styles().label), grid]))
        else:
            out.append(grid)
        out += [gap(1.5 * mm), *paras(fact.description), gap(2 * mm)]
    return out


def law(provision: Provision, lead: str = "") -> Flowable:
    """A provision, verbatim, under its source and citation."""
    return para(f"{lead}{provision.source}{provision.citation}：{provision.text}", _styles()["law"])


def clauses_part(clauses: Sequence[CitedClause]) -> list[Flowable]:
    st = _styles()
    out: list[Flowable] = []
    for clause in clauses:
        # The citation stays on the page of the text it cites.
        out.append(
            KeepTogether(
                [
                    para(f"{clause.source}{clause.citation}", styles().label),
                    para(clause.article_text, st["law"]),
                ]
            )
        )
        if clause.item_text:
            out.append(para(clause.item_text, st["law"]))
        if clause.consequence:
            out.append(para(f"本条规定的处理：{clause.consequence}。", st["law"]))
        out.append(gap(1.5 * mm))
    return out


# What a ban keeps each party from (Art. 6/7 candidates: 参加评价; Art. 9 staff: 参加评价工作;
# Art. 13 institutions: their evaluations suspended).
BAN_WORDS: dict[Party, str] = {
    Party.CANDIDATE: "不得参加评价",
    Party.STAFF: "不得参加评价工作",
    Party.INSTITUTION: "暂停评价活动",
}


def handling_lines(handling: Handling, party: Party) -> list[Flowable]:
    out = [para(f"{i}. {m}") for i, m in enumerate(handling.measures, start=1)]
    n = len(handling.measures)
    if handling.ban is not None:
        n += 1
        ban = handling.ban
        out.append(
            para(
                f"{n}. {BAN_WORDS[party]}，自 {formatting.day(ban.first_day)} 起至 "
                f"{formatting.day(ban.last_day)} 止（含首尾两日）。"
            )
        )
    if handling.referral:
        n += 1
        out.append(para(f"{n}. {handling.referral}"))
    return out


def practice(text: str) -> Flowable:
    """A line of the institution's own practice, labelled as such."""
    return para(f"【{PRACTICE_LABEL}】{text}", _styles()["practice"])


def deadline_line(deadline: Deadline) -> Flowable:
    where = f"，{deadline.where}" if deadline.where else ""
    text = f"请于 {formatting.day(deadline.by)}（含）前{deadline.what}{where}。"
    return practice(text) if deadline.practice else para(text)


def issuer_block(signatory: Signatory, issued_on: dt.date, role: str = "经办") -> Flowable:
    """The issuing institution, who acted for it (name and account), and the date."""
    right = _styles()["right"]
    return KeepTogether(
        [
            gap(8 * mm),
            para(signatory.institution.name, right),
            para(f"{role}：{signatory.name}（账号 {signatory.account}）", right),
            para(formatting.day(issued_on), right),
            gap(2 * mm),
            para("本文书附评价机构电子签名。", styles().small),
        ]
    )


def frame(title: str, number: str, case_ref: str) -> PageFrame:
    return PageFrame(title=title, reference=f"文书编号 {number}", footer_note=f"案件 {case_ref}")


def meta(kind: str, title: str, number: str, case_ref: str, sitting: Sitting | None) -> PdfMeta:
    """Info entries; ``keywords`` is JSON that ``report verify`` reads (its ``kind`` and
    ``session``)."""
    session = {"session": sitting.session_code} if sitting is not None else {}
    keywords = json.dumps(
        {"kind": kind, "document": number, "case": case_ref, **session},
        ensure_ascii=False,
        separators=(",", ":"),
    )
    return PdfMeta(
        title=f"{title} {number}",
        subject=f"proctor-desk {kind} {number}",
        keywords=keywords,
    )
