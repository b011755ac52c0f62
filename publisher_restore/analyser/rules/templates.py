"""DC401: a template that content uses is deleted, or no longer allowed on its type.

Only pages the import keeps count: a page the same import deletes (its own Delete marker,
a deleted ancestor, absence under complete semantics) or gives another template is not left
without a template.
"""

from __future__ import annotations

from collections.abc import Iterable

from publisher_restore.analyser.context import AnalysisContext, Subject
from publisher_restore.analyser.findings import Finding, Impact, Severity
from publisher_restore.analyser.impact import noun_for
from publisher_restore.analyser.rules.base import Rule
from publisher_restore.analyser.rules.content import deleted_content
from publisher_restore.analyser.rules.type_support import instances
from publisher_restore.analyser.wording import counted, verb
from publisher_restore.usync.identity import ref_in, same_ref
from publisher_restore.usync.models import (
    AnyItem,
    ContentItem,
    ContentTypeItem,
    ItemRef,
    TemplateItem,
)


def using(items: Iterable[ContentItem], template: ItemRef) -> list[ContentItem]:
    """Content whose template is ``template`` (by Key, else Alias)."""
    return [i for i in items if i.template is not None and same_ref(i.template, template)]


def left_using(
    ctx: AnalysisContext, items: Iterable[ContentItem], template: ItemRef
) -> list[ContentItem]:
    """The pages using ``template`` that still use it after the import."""
    gone = deleted_content(ctx)
    return [
        page
        for page in using(items, template)
        if id(page) not in gone and _still_uses(ctx.after_of(page), template)
    ]


def _still_uses(after: AnyItem | None, template: ItemRef) -> bool:
    return (
        isinstance(after, ContentItem)
        and after.template is not None
        and same_ref(after.template, template)
    )


class TemplateRemovedRule(Rule):
    """DC401: pages lose their template and stop rendering."""

    code = "DC401"
    severity = Severity.RISKY
    title = "Template in use deleted or disallowed"
    why = "Those pages lose their template and stop rendering."

    def check(self, ctx: AnalysisContext) -> Iterable[Finding]:
        """One finding per deleted template in use, one per disallowed template in use."""
        deleted: list[ItemRef] = []
        for deletion in ctx.deleted("Template"):
            ref = ItemRef(key=deletion.item.key, alias=deletion.item.alias)
            deleted.append(ref)
            pages = left_using(ctx, ctx.content.iter_all(), ref)
            if pages and isinstance(deletion.item, TemplateItem):
                message = (
                    f"Deleting template '{ref.alias}' leaves {counted(len(pages), noun_for(pages))}"
                    f" that {verb(len(pages), 'uses', 'use')} it without a template."
                )
                detail = {"old": {"alias": ref.alias}, "new": None}
                impact = Impact(items=len(pages))
                yield self.finding(Subject(deletion.item, deletion.marker), message, detail, impact)
        yield from self._disallowed(ctx, tuple(deleted))

    def _disallowed(self, ctx: AnalysisContext, deleted: tuple[ItemRef, ...]) -> Iterable[Finding]:
        for cur, inc, _ in ctx.pairs(ContentTypeItem):
            for ref in cur.allowed_templates:
                if ref_in(ref, inc.allowed_templates) or ref_in(ref, deleted):
                    continue
                pages = left_using(ctx, instances(ctx, [cur]), ref)
                if not pages:
                    continue
                message = (
                    f"'{cur.alias}' no longer allows template '{ref.alias}', which "
                    f"{counted(len(pages), noun_for(pages))} {verb(len(pages), 'uses', 'use')}."
                )
                detail = {"template": {"key": ref.key, "alias": ref.alias}}
                yield self.finding(Subject(cur, inc), message, detail, Impact(items=len(pages)))
