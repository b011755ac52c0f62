"""DC114: an item is re-created (same Alias, new Key), in any family but content and media."""

from __future__ import annotations

from collections.abc import Iterable

from publisher_restore.analyser.context import AnalysisContext, Subject
from publisher_restore.analyser.findings import Finding, Severity
from publisher_restore.analyser.rules.base import Rule


class RecreatedRule(Rule):
    """DC114: the import matches by alias; keys other items hold may no longer resolve."""

    code = "DC114"
    severity = Severity.NOTICE
    title = "Item re-created with a new Key"
    why = "The import matches by alias; keys that other items hold may no longer resolve."

    def check(self, ctx: AnalysisContext) -> Iterable[Finding]:
        """One finding per pair matched by Alias whose Keys differ."""
        for pair in ctx.pairing.items.changed:  # an unchanged item cannot be re-created
            if not pair.recreated:
                continue
            cur, inc = pair.current, pair.incoming
            message = (
                f"{cur.item_type} '{cur.alias}' is re-created with a new Key ({cur.key} -> "
                f"{inc.key}); the import matches it by alias, but references to the old Key "
                "may no longer resolve."
            )
            detail = {"old": {"key": cur.key}, "new": {"key": inc.key}}
            yield self.finding(Subject(cur, inc), message, detail, None)
