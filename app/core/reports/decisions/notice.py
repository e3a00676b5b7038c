"""告知书 (Art. 17 ¶1): before deciding, the person is told the intended decision with its
facts, reasons and basis. The notice is served on the person, so it names them in full.

A date by which to answer is the institution's practice (the guideline sets none): it is
printed under the practice label, apart from the lines of the guideline."""

from __future__ import annotations

from reportlab.platypus import Flowable

from app.core.reports.decisions import parts
from app.core.reports.decisions.model import Notice
from app.core.reports.layout import paras, render

TITLE = "违纪违规行为处理告知书"
KIND = "case-notice"


def build_notice_pdf(notice: Notice) -> bytes:
    """The unsigned PDF of the notice of an intended decision."""
    return render(
        notice_story(notice),
        parts.frame(TITLE, notice.number, notice.case_ref),
        parts.meta(KIND, TITLE, notice.number, notice.case_ref, notice.sitting),
    )


def notice_story(notice: Notice) -> list[Flowable]:
    institution = notice.signatory.institution
    numbered = parts.Numbered()
    story: list[Flowable] = [
        *parts.heading(institution.name, TITLE, notice.number),
        parts.addressee(notice.person),
        *paras(
            f"本机构拟对你（单位）的违纪违规行为作出处理决定。依据{notice.basis.source}"
            f"{notice.basis.citation}，现将拟作出的处理决定及相关事实、理由和依据告知如下。"
        ),
        *numbered("当事人"),
        parts.person_grid(notice.person, masked=False),
        *numbered("评价活动"),
        parts.sitting_part(notice.sitting, institution.name, institution.filing_code),
        *numbered("违纪违规事实"),
        *parts.facts_part(notice.facts),
        *numbered("理由"),
        *paras(notice.reasons),
        *numbered("依据"),
        *parts.clauses_part(notice.clauses),
        *numbered("拟作出的处理决定"),
        *parts.handling_lines(notice.intended, notice.person.party),
        *numbered("告知依据"),
        parts.law(notice.basis),
    ]
    if notice.respond is not None:
        story += [*numbered("陈述意见"), parts.deadline_line(notice.respond)]
    story.append(parts.issuer_block(notice.signatory, notice.issued_on))
    return story
