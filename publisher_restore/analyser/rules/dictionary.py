"""DC501: a dictionary item is deleted."""

from __future__ import annotations

from collections.abc import Iterable

from publisher_restore.analyser.context import AnalysisContext, Subject
from publisher_restore.analyser.findings import Finding, Severity
from publisher_restore.analyser.rules.base import Rule
from publisher_restore.analyser.wording import plural
from publisher_restore.usync.models import DictionaryItem


class DictionaryDeletedRule(Rule):
    """DC501: templates that use the item show the key or nothing."""

    code = "DC501"
    severity = Severity.NOTICE
    title = "Dictionary item deleted"
    why = "Templates show the key or nothing."

    def check(self, ctx: AnalysisContext) -> Iterable[Finding]:
        """One finding per deleted dictionary item."""
        for deletion in ctx.deleted("Dictionary"):
            item = deletion.item
            cultures = sorted(item.translations) if isinstance(item, DictionaryItem) else []
            translations = (
                f"removes its {plural('translation', len(cultures))} ({', '.join(cultures)})"
                if cultures
                else "removes an item with no translation"
            )
            message = (
                f"Deleting dictionary item '{item.alias}' {translations}; templates that use it "
                "show the key or nothing."
            )
            detail = {"old": {"translations": cultures}, "new": None}
            yield self.finding(Subject(item, deletion.marker), message, detail, None)
