"""Named crash points for the interruption tests.

``PUBLISHER_RESTORE_CRASH_AT=<point>:<n>`` makes the process SIGKILL itself the
n-th time it passes ``<point>``; ``<point>:<n>:INT`` sends SIGINT instead (Ctrl-C);
``<point>:<n>:STOP`` sends SIGSTOP, so a test can look at a live process caught
mid-way (holding its locks) and then let it go on with SIGCONT.
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
    due = int(count or "1")
    once = sent == "STOP"  # a stopped process that is let go must then run on
    if _hits[name] == due or (_hits[name] > due and not once):
        signals = {"INT": signal.SIGINT, "STOP": signal.SIGSTOP}
        os.kill(os.getpid(), signals.get(sent, signal.SIGKILL))
