"""The statuses of a case and which step may follow which (Art. 16–20).

The order is the guideline's: determination (认定, Art. 16), notice of the intended decision
(告知, Art. 17 ¶1), the decision in writing (处理决定, Art. 17 ¶2), its delivery or
announcement, a statement and defence against it (陈述和申辩, Art. 19) and the review decision
(复核决定). An institution's case belongs to the regulator (Art. 16 ¶3, 12–15): here it only
waits ``with_regulator`` while what the regulator says is recorded.
"""

from __future__ import annotations

from enum import StrEnum

from app.core.casework.errors import StepRefused


class Status(StrEnum):
    OPEN = "open"
    DETERMINED = "determined"
    NOTICED = "noticed"
    DECIDED = "decided"
    DELIVERED = "delivered"
    UNDER_REVIEW = "under_review"
    REVIEWED = "reviewed"
    CLOSED = "closed"
    WITH_REGULATOR = "with_regulator"


class Step(StrEnum):
    """The kinds of step; the command-line name is the value with ``_`` as ``-``."""

    OPENED = "opened"  # at import, or by `case open --without-record`
    RECORDS_CHANGED = "records_changed"  # an import changed the records the case holds
    DETERMINE = "determine"
    NOTICE = "notice"
    RESPOND = "respond"
    DECIDE = "decide"
    DELIVER = "deliver"
    OBJECT = "object"
    REVIEW = "review"
    CLOSE = "close"
    REFER = "refer"
    OTHER_AUTHORITY = "other_authority"
    REPORT = "report"  # a staff case's handling reported to the regulator (Art. 16 ¶2)

    @property
    def command(self) -> str:
        return self.value.replace("_", "-")


S = Status
_ALL_BUT_CLOSED = frozenset(Status) - {S.CLOSED}
_DECIDED_ON = frozenset({S.DECIDED, S.DELIVERED, S.UNDER_REVIEW, S.REVIEWED})

# Where each step may be taken (further conditions, such as the party, are checked by the step).
ALLOWED_FROM: dict[Step, frozenset[Status]] = {
    Step.DETERMINE: frozenset({S.OPEN, S.DETERMINED}),
    Step.NOTICE: frozenset({S.DETERMINED}),
    Step.RESPOND: frozenset({S.NOTICED}),
    Step.DECIDE: frozenset({S.NOTICED}),
    Step.DELIVER: frozenset({S.NOTICED}) | _DECIDED_ON,
    Step.OBJECT: frozenset({S.DECIDED, S.DELIVERED}),
    Step.REVIEW: frozenset({S.UNDER_REVIEW}),
    Step.CLOSE: frozenset({S.OPEN, S.DETERMINED, S.DELIVERED, S.REVIEWED, S.WITH_REGULATOR}),
    Step.REFER: _ALL_BUT_CLOSED - {S.OPEN},
    Step.OTHER_AUTHORITY: _ALL_BUT_CLOSED,
    Step.REPORT: _DECIDED_ON,
}

# What each step leads to (None: the status stays).
LEADS_TO: dict[Step, Status | None] = {
    Step.DETERMINE: S.DETERMINED,
    Step.NOTICE: S.NOTICED,
    Step.RESPOND: None,
    Step.DECIDE: S.DECIDED,
    Step.DELIVER: None,  # a decision's delivery: delivered (decided by the step)
    Step.OBJECT: S.UNDER_REVIEW,
    Step.REVIEW: S.REVIEWED,
    Step.CLOSE: S.CLOSED,
    Step.REFER: None,
    Step.OTHER_AUTHORITY: None,
    Step.REPORT: None,
}

# The regulator's steps for an institution's case: the workspace records, never decides.
REGULATOR_STEPS = frozenset({Step.OTHER_AUTHORITY, Step.REFER, Step.CLOSE})

_LABEL = {
    Step.DETERMINE: "determine (认定)",
    Step.NOTICE: "notice (告知, Art. 17 ¶1)",
    Step.RESPOND: "respond (the response to the notice)",
    Step.DECIDE: "decide (处理决定, Art. 17 ¶2)",
    Step.DELIVER: "deliver (送达 or announcement)",
    Step.OBJECT: "object (陈述和申辩, Art. 19)",
    Step.REVIEW: "review (复核决定, Art. 19)",
    Step.CLOSE: "close",
    Step.REFER: "refer (移送/移交)",
    Step.OTHER_AUTHORITY: "other-authority (Art. 18)",
    Step.REPORT: "report (报备, Art. 16 ¶2)",
}


def next_steps(status: Status, party: str) -> list[Step]:
    """The steps that may come in ``status`` for a case of ``party``, in procedure order."""
    steps = [step for step, where in ALLOWED_FROM.items() if status in where]
    if party == "institution":
        steps = [s for s in steps if s in REGULATOR_STEPS]
    if party != "staff":
        steps = [s for s in steps if s is not Step.REPORT]
    return steps


def what_may_come(status: Status, party: str) -> str:
    steps = next_steps(status, party)
    if not steps:
        return "nothing: the case is closed"
    return ", ".join(_LABEL[s] for s in steps)


def check_step(case_id: str, status: str, party: str, step: Step) -> Status:
    """The case's status, if ``step`` may come now; else ``StepRefused`` naming the status and
    what may come next."""
    try:
        current = Status(status)
    except ValueError:
        raise StepRefused(
            f"case {case_id}: unknown status '{status}'; nothing was changed"
        ) from None
    if party == "institution" and step not in REGULATOR_STEPS:
        raise StepRefused(
            f"case {case_id} concerns the institution: the regulator determines and decides it "
            f"(Art. 16 ¶3, 12–15), so {step.command} is not taken here; what may come: "
            f"{what_may_come(current, party)}"
        )
    if step is Step.REPORT and party != "staff":
        raise StepRefused(
            f"case {case_id}: only a staff case's handling is reported to the regulator "
            "(Art. 16 ¶2); nothing was changed"
        )
    if current not in ALLOWED_FROM[step]:
        raise StepRefused(
            f"case {case_id} is {current.value}: {step.command} cannot come now; what may "
            f"come next: {what_may_come(current, party)}"
        )
    return current
