"""Errors a clerk can act on (bad input, locked file), told apart from our bugs."""


class UserError(Exception):
    """A problem with the clerk's input or environment; the message is Chinese and says what to do."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return self.message


class Cancelled(Exception):
    """Long work stopped because the clerk pressed 取消."""
