"""处理决定书 (Art. 17 ¶2): the decision in writing, with the ban's first and last day as the
caller computed them, and how to object (Art. 19: a statement and defence to the body that
decided, which then makes a review decision).

Served on the person it names them in full; an announced copy (公告) masks the ID number, as
anyone may read it. A date to object by is the institution's practice, labelled as such."""

from __future__ import annotations

from reportlab.platypus import Flowable

from app.core.reports import formatting
from app.core.reports.decisions import parts
from app.core.reports.decisions.model import Decision, Delivery
from app.core.reports.layout import para, paras, render, styles

TITLE = "违纪违规行为处理决定书"
KIND = "case-decision"
ANNOUNCED_LABEL = "（公告）"


def build_decision_pdf(decision: Decision) -> bytes:
    """The unsigned PDF of a decision."""
    title = TITLE + (ANNOUNCED_LABEL if decision.delivery is Delivery.ANNOUNCED else "")
    return render(
        decision_story(decision),
        parts.frame(title, decision.number, decision.case_ref),
        parts.meta(KIND, TITLE, decision.number, decision.case_ref, decision.sitting),
    )


def decision_story(decision: Decision) -> list[Flowable]:
    institution = decision.signatory.institution
    announced = decision.delivery is Delivery.ANNOUNCED
    title = TITLE + (ANNOUNCED_LABEL if announced else "")
    numbered = parts.Numbered()
    story: list[Flowable] = [*parts.heading(institution.name, title, decision.number)]
    if not announced:
        story.append(parts.addressee(decision.person))
    story += [
        *numbered("当事人"),
        parts.person_grid(decision.person, masked=announced),
        *numbered("评价活动"),
        parts.sitting_part(decision.sitting, institution.name, institution.filing_code),
        *numbered("违纪违规事实"),
        *parts.facts_part(decision.facts),
    ]
    if decision.notice is not None:
        ref = decision.notice
        story += [
            *numbered("告知及陈述意见"),
            para(
                f"本机构已于 {formatting.day(ref.issued_on)} 以{ref.title}（{ref.number}）"
                "告知拟作出的处理决定及相关事实、理由和依据。"
            ),
        ]
        if not announced:  # what the person said is theirs, not the public's
            story += paras(f"当事人意见：{decision.response or '未提出意见。'}")
    story += [
        *numbered("理由"),
        *paras(decision.reasons),
        *numbered("依据"),
        *parts.clauses_part(decision.clauses),
        *numbered("处理决定"),
        *parts.handling_lines(decision.handling, decision.person.party),
        *numbered("异议途径"),
        para(
            f"对本处理决定存在异议的，可以向作出本处理决定的{institution.name}"
            "进行陈述和申辩；经复核后，本机构作出复核决定。"
        ),
        parts.law(decision.objection_route, "依据："),
    ]
    if decision.objection_deadline is not None:
        story.append(parts.deadline_line(decision.objection_deadline))
    story.append(parts.issuer_block(decision.signatory, decision.issued_on))
    if announced:
        story.append(para("公告稿中证件号码已作部分隐藏。", styles().small))
    return story
