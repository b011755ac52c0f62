"""DC601: a domain is deleted or its root node changes."""

from __future__ import annotations

from collections.abc import Iterable

from publisher_restore.analyser.context import AnalysisContext, Subject
from publisher_restore.analyser.findings import Finding, Severity
from publisher_restore.analyser.rules.base import Rule
from publisher_restore.usync.models import DomainItem


def _root_changed(cur: DomainItem, inc: DomainItem) -> bool:
    if cur.root_key and inc.root_key:
        return cur.root_key != inc.root_key
    return cur.root_path.casefold() != inc.root_path.casefold()


class DomainChangedRule(Rule):
    """DC601: hostname routing breaks."""

    code = "DC601"
    severity = Severity.NOTICE
    title = "Domain deleted or re-rooted"
    why = "Hostname routing breaks."

    def check(self, ctx: AnalysisContext) -> Iterable[Finding]:
        """One finding per deleted domain and per domain bound to another root."""
        for deletion in ctx.deleted("Domain"):
            item = deletion.item
            message = f"Deleting domain '{item.alias}' breaks routing for that hostname."
            yield self.finding(Subject(item, deletion.marker), message, {"new": None}, None)
        for cur, inc, _ in ctx.pairs(DomainItem):
            if not _root_changed(cur, inc):
                continue
            message = (
                f"Domain '{cur.alias}' moves from root '{cur.root_path or cur.root_key}' to "
                f"'{inc.root_path or inc.root_key}'; hostname routing changes."
            )
            detail = {
                "old": {"root_key": cur.root_key, "root_path": cur.root_path},
                "new": {"root_key": inc.root_key, "root_path": inc.root_path},
            }
            yield self.finding(Subject(cur, inc), message, detail, None)
