"""The refusals of casework, each a ``UserError`` whose message a person can act on."""

from __future__ import annotations

from app.core.errors import UserError


class CaseError(UserError):
    """A case step or input refused; nothing was changed."""


class CaseNotFound(CaseError):
    """No case with that id (or that prefix)."""


class StepRefused(CaseError):
    """A step that may not come now, or not from this account, or not for this party."""


class CaseInputError(CaseError):
    """Bad input for a step (a date, a file, the JSON of an Art. 8 case); names the field."""


class EditConflict(CaseError):
    """The case changed since the caller read it: another step was taken meanwhile."""
