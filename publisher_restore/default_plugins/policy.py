"""The built-in restore-point policy: answers ``decide_damaging_change`` last, from configuration.

Any plugin that answers first wins (``firstresult``); this one has ``trylast`` so it
only speaks when nobody else did.  It covers push, pull and import
(``uSync:Restore:Publisher``, see ``operations/policy.py``) and leaves every other
operation to its caller.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from publisher_restore.hookspecs import hookimpl

if TYPE_CHECKING:  # the plugin manager loads this module on every start: import lightly
    from publisher_restore.operations.contexts import DecisionContext
    from publisher_restore.operations.decisions import Decision, DecisionRequest


@hookimpl(trylast=True)
def decide_damaging_change(context: DecisionContext, request: DecisionRequest) -> Decision | None:
    from publisher_restore.operations.policy import COVERED, PublisherPolicy

    if request.operation not in COVERED:
        return None  # parsed only when it applies: a bad Push value never stops a restore
    return PublisherPolicy.from_settings(context.site.settings).decide(request)
