"""The two kinds of errors (after qutebrowser's ``misc/sql.py``).

A ``UserError`` is caused by the user or the environment (bad input, a locked or newer
database, a record someone else changed); its message is a sentence fit to show as it is.
Anything else is a bug: logged with its traceback and shown in the crash dialog.
"""

from __future__ import annotations


class UserError(Exception):
    """Something the user can understand and act on. ``str(err)`` is the message."""

    def __init__(self, message: str, *, details: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.details = details

    def __str__(self) -> str:
        return self.message


class ValidationError(UserError):
    """Input that breaks a rule: names the item and what is wrong."""

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.field = field


class PermissionDenied(UserError):
    pass


class NotFound(UserError):
    pass


class InvalidTransition(UserError):
    """A workflow step that is not allowed in the record's current state."""


class ConcurrentModification(UserError):
    MESSAGE = "此记录已被其他用户修改，请刷新后重试"

    def __init__(self, message: str | None = None) -> None:
        super().__init__(message or self.MESSAGE)


class DatabaseUnavailable(UserError):
    pass


class SchemaNewerThanApp(UserError):
    pass


class NotAZikaoDatabase(UserError):
    pass


class AuthenticationFailed(UserError):
    pass
