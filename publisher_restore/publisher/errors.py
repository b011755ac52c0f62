"""Errors of the publisher foundations (each maps to a documented exit code)."""

from __future__ import annotations

from publisher_restore.errors import PublisherRestoreError


class SelectionError(PublisherRestoreError):
    """An ``--item`` that cannot be parsed, or names nothing (or several things) in the source."""

    exit_code = 2


class PackWriteError(PublisherRestoreError):
    """A sync pack cannot be written (a source file vanished, changed or is not a plain file)."""

    exit_code = 3
