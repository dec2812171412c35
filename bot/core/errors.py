"""Typed domain errors. Transports translate them into a polite message; nothing else leaks."""

from __future__ import annotations


class UserFacingError(Exception):
    """An error whose message is safe and useful to show to the person who caused it."""


class InvalidInput(UserFacingError):
    """The input cannot be used (unknown id, garbled text, a file of the wrong kind)."""


class NotAllowed(UserFacingError):
    """The user may not do this (an admin command from a non-admin, someone else's button)."""


class StaleAction(UserFacingError):
    """A button or step that no longer applies (an old message, a finished self-check)."""
