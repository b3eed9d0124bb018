"""The error hierarchy: everything archgen raises on purpose derives from ArchgenError."""

from __future__ import annotations


class ArchgenError(Exception):
    """Root of every error archgen raises deliberately."""


class UserError(ArchgenError):
    """A problem with the user's input, with a one-line message meant for them.

    The CLI prints the message and exits with ``exit_code``; no traceback is shown.
    """

    exit_code = 2

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class DomainSpecError(UserError):
    """The domain spec does not validate; the message names the path of the bad field."""


class TemplateNotFoundError(ArchgenError):
    """archgen cannot locate the Copier template it should render."""
