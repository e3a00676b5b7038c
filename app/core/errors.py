"""The base of every error a user can cause; its message is fit to show a person."""

from __future__ import annotations


class UserError(Exception):
    """Bad input or a refused action. The UI and CLI show ``str(exc)``, never a traceback."""
