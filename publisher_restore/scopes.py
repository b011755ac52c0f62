"""The parts of a site a file can belong to; restore points record and restore them by scope."""

from __future__ import annotations

from enum import StrEnum


class Scope(StrEnum):
    """Which part of the site a file belongs to; a restore touches only the scopes a point has."""

    USYNC = "usync"
    VIEWS = "views"
    STATIC = "static"
    MEDIA = "media"
