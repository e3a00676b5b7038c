"""复核决定书 (Art. 19): the answer to a statement and defence against a decision. It names
the objection, the outcome (upheld, changed or annulled), the first decision beside it, and who
reviewed. Served on the person who objected, so it names them in full."""

from __future__ import annotations

from reportlab.lib.units import mm
from reportlab.platypus import Flowable

from app.core.reports import formatting
from app.core.reports.decisions import parts
from app.core.reports.decisions.model import OUTCOME_LABELS, Review, ReviewOutcome
from app.core.reports.grid import field_grid
from app.core.reports.layout import gap, para, paras, render, styles

TITLE = "违纪违规行为处理复核决定书"
KIND = "case-review"


class ReviewDataError(ValueError):
    """A review whose outcome and handling disagree."""


def build_review_pdf(review: Review) -> bytes:
    """The unsigned PDF of a review decision."""
    if (review.outcome is ReviewOutcome.CHANGED) != (review.changed_handling is not None):
        raise ReviewDataError("a changed decision needs its new handling, and only it has one")
    return render(
        review_story(review),
        parts.frame(TITLE, review.number, review.case_ref),
        parts.meta(KIND, TITLE, review.number, review.case_ref, None),
    )


def review_story(review: Review) -> list[Flowable]:
    institution = review.reviewer.institution
    first = review.decision
    numbered = parts.Numbered()
    story: list[Flowable] = [
        *parts.heading(institution.name, TITLE, review.number),
        parts.addressee(review.person),
        *numbered("当事人"),
        parts.person_grid(review.person, masked=False),
        *numbered("原处理决定"),
        field_grid(
            [
                [("文书名称", first.title), ("文书编号", first.number)],
                [("作出日期", formatting.day(first.issued_on))],
            ]
        ),
        gap(2 * mm),
        para("原处理决定的处理：", styles().label),
        *parts.handling_lines(review.decided_handling, review.person.party),
        *numbered("陈述和申辩"),
        para(f"本机构于 {formatting.day(review.objection_received_on)} 收到当事人的陈述和申辩："),
        *paras(review.objection),
        *numbered("复核理由"),
        *paras(review.reasons),
        *numbered("复核决定"),
        para(f"经复核，{OUTCOME_LABELS[review.outcome]}（{first.number}）。"),
    ]
    if review.changed_handling is not None:
        story += [
            gap(1.5 * mm),
            para("变更后的处理：", styles().label),
            *parts.handling_lines(review.changed_handling, review.person.party),
        ]
    if review.outcome is ReviewOutcome.ANNULLED:
        story.append(para("原处理决定所定各项处理不再执行。"))
    story += [
        *numbered("依据"),
        parts.law(review.basis),
        parts.issuer_block(review.reviewer, review.issued_on, role="复核人"),
    ]
    return story
