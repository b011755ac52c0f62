"""Dates and sizes as people read them: local time, "3 hours ago", the CLI's size units."""

from __future__ import annotations

from datetime import UTC, datetime

from publisher_restore.cli.output import human_size as human_size

_UNITS = (("year", 365 * 86400), ("month", 30 * 86400), ("day", 86400), ("hour", 3600),
          ("minute", 60))  # fmt: skip


def local_time(moment: datetime) -> str:
    """``2026-11-30 14:03`` in the server's time zone."""
    return moment.astimezone().strftime("%Y-%m-%d %H:%M")


def local_time_zone(moment: datetime) -> str:
    """The server's time zone name at ``moment`` (``CET``, ``UTC``)."""
    return moment.astimezone().strftime("%Z")


def ago(moment: datetime, now: datetime | None = None) -> str:
    """``just now``, ``1 minute ago``, ``3 hours ago``, ``2 days ago`` (``in the future``)."""
    seconds = ((now or datetime.now(UTC)) - moment).total_seconds()
    if seconds < -60:
        return "in the future"
    for unit, size in _UNITS:
        count = int(seconds // size)
        if count >= 1:
            return f"{count} {unit}{'' if count == 1 else 's'} ago"
    return "just now"


def iso(moment: datetime) -> str:
    """The ISO 8601 form for ``<time datetime>``."""
    return moment.astimezone(UTC).isoformat(timespec="seconds")


def sentence(text: str) -> str:
    """First letter up and a full stop (ids and paths inside are left as they are)."""
    text = text.strip()
    if not text:
        return text
    return text[:1].upper() + text[1:] + ("" if text.endswith((".", "!", "?")) else ".")


def duration(seconds: int) -> str:
    """``45 seconds``, ``5 minutes`` (rounded up): how long to wait."""
    if seconds < 90:
        return f"{seconds} second{'' if seconds == 1 else 's'}"
    minutes = -(-seconds // 60)
    return f"{minutes} minutes"
