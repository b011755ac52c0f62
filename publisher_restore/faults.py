"""Named crash points for the interruption tests.

``PUBLISHER_RESTORE_CRASH_AT=<point>:<n>`` makes the process SIGKILL itself the
n-th time it passes ``<point>``; ``<point>:<n>:INT`` sends SIGINT instead (Ctrl-C).
Unset (always, outside tests) it does nothing.
"""

from __future__ import annotations

import os
import signal

_ENV = "PUBLISHER_RESTORE_CRASH_AT"
_hits: dict[str, int] = {}


def crash_point(name: str) -> None:
    """Die here, as a killed process would, when the test environment asks for it."""
    spec = os.environ.get(_ENV)
    if not spec:
        return
    point, _, rest = spec.partition(":")
    count, _, sent = rest.partition(":")
    if point != name:
        return
    _hits[name] = _hits.get(name, 0) + 1
    if _hits[name] >= int(count or "1"):
        os.kill(os.getpid(), signal.SIGINT if sent == "INT" else signal.SIGKILL)
