"""The CLI's own error: a message for a person and an exit status."""

from __future__ import annotations


class CliError(Exception):
    def __init__(self, message: str, status: int = 2) -> None:
        super().__init__(message)
        self.status = status
