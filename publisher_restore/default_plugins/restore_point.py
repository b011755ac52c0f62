"""The built-in restore-point plugin: takes the decided restore point before an import writes.

When the decision of a push, pull or pack import is ``restore-point``, this plugin takes a
restore point of the target from ``before_import`` (which fires for all three).  It is
``trylast``: every other plugin's ``before_*`` runs first, so a veto means no point is
taken.  If the point cannot be written, the error stops the operation before anything is
imported.  An organisation that wants something else (a database snapshot, a point in
another store) unregisters this plugin (``pm.unregister(name=...)``, the name is this
module's) and registers its own ``before_import``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from publisher_restore.hookspecs import hookimpl

if TYPE_CHECKING:  # the plugin manager loads this module on every start: import lightly
    from publisher_restore.operations.contexts import PublishContext


@hookimpl(trylast=True)
def before_import(context: PublishContext) -> None:
    from publisher_restore.operations.decisions import Choice

    if context.decision.choice is Choice.RESTORE_POINT:
        context.take_restore_point()
