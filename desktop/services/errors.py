"""Errors caused by what a user asked for (bad name, bad path): exit code 2."""

from __future__ import annotations


class UserError(Exception):
    """A request that cannot be done as asked; the message says why and what to do."""


class NotFound(UserError):
    pass
