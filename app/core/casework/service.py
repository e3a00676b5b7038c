"""The facade the command line and the windows share: the cases of one workspace, each call
one transaction, each step by an admin account on the version of the case it read."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from sqlmodel import Session

from app.core.accounts import ADMIN, REVIEWER, Account, require_role
from app.core.casework import cases, deadlines, intake, steps, views
from app.core.casework.tables import CaseRow
from app.core.records.service import Workspace
from app.core.seal.device_keys import DeviceKey

StepFunction = Callable[..., CaseRow]


class CaseDesk:
    """Casework on ``workspace``: a reviewer may list and show; an admin may also act."""

    def __init__(self, workspace: Workspace) -> None:
        self.workspace = workspace

    # Looking --------------------------------------------------------------------------------

    def list(
        self,
        account: Account,
        status: str | None = None,
        today: dt.date | None = None,
        *,
        party: str | None = None,
        session_id: str | None = None,
        overdue: str | None = None,
        offset: int = 0,
        limit: int | None = None,
    ) -> list[dict[str, Any]]:
        """The cases that pass the filters (None: any), oldest first; ``limit`` of them from
        ``offset`` (all when None). ``overdue``: response, objection or any."""
        require_role(account, REVIEWER)
        with self.workspace.reading() as db:
            return views.list_cases(
                db, status, party, session_id, overdue, today, offset=offset, limit=limit
            )

    def count(
        self,
        account: Account,
        status: str | None = None,
        today: dt.date | None = None,
        *,
        party: str | None = None,
        session_id: str | None = None,
        overdue: str | None = None,
    ) -> int:
        """How many cases pass the filters (as ``list``)."""
        require_role(account, REVIEWER)
        with self.workspace.reading() as db:
            return views.count_cases(db, status, party, session_id, overdue, today)

    def show(self, account: Account, ref: str, today: dt.date | None = None) -> dict[str, Any]:
        require_role(account, REVIEWER)
        with self.workspace.reading() as db:
            return views.show_case(db, ref, today)

    def version_of(self, account: Account, ref: str) -> int:
        """The case's version now: what a step that was not given one acts on."""
        require_role(account, REVIEWER)
        with self.workspace.reading() as db:
            return cases.resolve(db, ref).version

    # The documents' data (the admin who makes them) ----------------------------------------

    def notice_data(self, account: Account, ref: str) -> dict[str, Any]:
        require_role(account, ADMIN)
        with self.workspace.reading() as db:
            return views.notice_data(db, ref)

    def decision_data(self, account: Account, ref: str, decision_date: dt.date) -> dict[str, Any]:
        require_role(account, ADMIN)
        with self.workspace.reading() as db:
            return views.decision_data(db, ref, decision_date)

    def review_data(self, account: Account, ref: str, outcome: str, **facts: Any) -> dict[str, Any]:
        require_role(account, ADMIN)
        with self.workspace.reading() as db:
            return views.review_data(db, ref, outcome, **facts)

    # Acting ---------------------------------------------------------------------------------

    def _take(
        self, function: StepFunction, account: Account, ref: str, seen: int, **kwargs: Any
    ) -> dict[str, Any]:
        require_role(account, ADMIN)
        with self.workspace.transaction() as db:
            case = function(db, self.workspace.device, ref, seen, account, **kwargs)
        return self.show(account, case.id)

    def determine(self, account: Account, ref: str, seen: int, **facts: Any) -> dict[str, Any]:
        return self._take(steps.determine, account, ref, seen, **facts)

    def notice(
        self, account: Account, ref: str, seen: int, *, document_sha256: str
    ) -> dict[str, Any]:
        return self._take(steps.notice, account, ref, seen, document_sha256=document_sha256)

    def respond(
        self,
        account: Account,
        ref: str,
        seen: int,
        *,
        text: str,
        received_on: dt.date | None = None,
    ) -> dict[str, Any]:
        return self._take(steps.respond, account, ref, seen, text=text, received_on=received_on)

    def decide(
        self, account: Account, ref: str, seen: int, *, decision_date: dt.date, document_sha256: str
    ) -> dict[str, Any]:
        return self._take(
            steps.decide,
            account,
            ref,
            seen,
            decision_date=decision_date,
            document_sha256=document_sha256,
        )

    def deliver(
        self, account: Account, ref: str, seen: int, *, document: str, method: str, date: dt.date
    ) -> dict[str, Any]:
        return self._take(
            steps.deliver, account, ref, seen, document=document, method=method, date=date
        )

    def object_to(
        self,
        account: Account,
        ref: str,
        seen: int,
        *,
        text: str,
        received_on: dt.date | None = None,
    ) -> dict[str, Any]:
        return self._take(steps.object_to, account, ref, seen, text=text, received_on=received_on)

    def review(
        self,
        account: Account,
        ref: str,
        seen: int,
        *,
        outcome: str,
        document_sha256: str,
        **facts: Any,
    ) -> dict[str, Any]:
        return self._take(
            steps.review,
            account,
            ref,
            seen,
            outcome=outcome,
            document_sha256=document_sha256,
            **facts,
        )

    def close(self, account: Account, ref: str, seen: int, *, note: str = "") -> dict[str, Any]:
        return self._take(steps.close, account, ref, seen, note=note)

    def refer(self, account: Account, ref: str, seen: int, **kwargs: Any) -> dict[str, Any]:
        return self._take(steps.refer, account, ref, seen, **kwargs)

    def other_authority(
        self, account: Account, ref: str, seen: int, *, authority: str, conclusion: str
    ) -> dict[str, Any]:
        return self._take(
            steps.other_authority, account, ref, seen, authority=authority, conclusion=conclusion
        )

    def report(self, account: Account, ref: str, seen: int, **kwargs: Any) -> dict[str, Any]:
        return self._take(steps.report, account, ref, seen, **kwargs)

    def open_without_record(self, account: Account, document: object) -> dict[str, Any]:
        require_role(account, ADMIN)
        with self.workspace.transaction() as db:
            case = steps.open_without_record(db, self.workspace.device, account, document)
        return self.show(account, case.id)

    def deadlines(self, account: Account) -> deadlines.Deadlines:
        """The response and objection periods as set (institution practice), else defaults."""
        require_role(account, REVIEWER)
        with self.workspace.reading() as db:
            return deadlines.deadlines(db)

    def set_deadline(self, account: Account, name: str, days: int) -> None:
        require_role(account, ADMIN)
        with self.workspace.transaction() as db:
            deadlines.set_deadline(db, self.workspace.device, account.name, name, days)


def open_cases_for_import(
    db: Session, device: DeviceKey, session_id: str, incident_ids: list[str]
) -> list[str]:
    """The import's hook (``intake.open_cases_for_import``)."""
    return intake.open_cases_for_import(db, device, session_id, incident_ids)
