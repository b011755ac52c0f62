"""publisher-restore: restore points and damaging-change protection for uSync sites.

The plugin API, importable from here (``from publisher_restore import hookimpl, Decision``):
the ``hookimpl`` marker, the hook context and result types, ``OperationVetoed`` and the
decision types.  ``docs/hooks.md`` lists every hook.  Names are loaded on first use, so
importing the package stays cheap and no layer below imports the operations through it.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING

from publisher_restore.version import __version__

if TYPE_CHECKING:
    from publisher_restore.errors import OperationVetoed
    from publisher_restore.hookspecs import hookimpl
    from publisher_restore.operations.contexts import (
        DecisionContext,
        PublishContext,
        PublishOutcome,
        PublishResult,
        RegisterAnalyserRule,
        RegisterStorageProvider,
        RestoreContext,
        RestoreResult,
    )
    from publisher_restore.operations.decisions import (
        Choice,
        Decision,
        DecisionRequest,
        OperationKind,
    )
    from publisher_restore.operations.history import OperationRecord
    from publisher_restore.operations.undo_plan import UndoContext, UndoResult
    from publisher_restore.restore.manifest import Manifest

_EXPORTS = {
    "hookimpl": "publisher_restore.hookspecs",
    "OperationVetoed": "publisher_restore.errors",
    "DecisionContext": "publisher_restore.operations.contexts",
    "RegisterAnalyserRule": "publisher_restore.operations.contexts",
    "RegisterStorageProvider": "publisher_restore.operations.contexts",
    "RestoreContext": "publisher_restore.operations.contexts",
    "RestoreResult": "publisher_restore.operations.contexts",
    "PublishContext": "publisher_restore.operations.contexts",
    "PublishOutcome": "publisher_restore.operations.contexts",
    "PublishResult": "publisher_restore.operations.contexts",
    "OperationRecord": "publisher_restore.operations.history",
    "UndoContext": "publisher_restore.operations.undo_plan",
    "UndoResult": "publisher_restore.operations.undo_plan",
    "Choice": "publisher_restore.operations.decisions",
    "Decision": "publisher_restore.operations.decisions",
    "DecisionRequest": "publisher_restore.operations.decisions",
    "OperationKind": "publisher_restore.operations.decisions",
    "Manifest": "publisher_restore.restore.manifest",
}

__all__ = [
    "Choice",
    "Decision",
    "DecisionContext",
    "DecisionRequest",
    "Manifest",
    "OperationKind",
    "OperationRecord",
    "OperationVetoed",
    "PublishContext",
    "PublishOutcome",
    "PublishResult",
    "RegisterAnalyserRule",
    "RegisterStorageProvider",
    "RestoreContext",
    "RestoreResult",
    "UndoContext",
    "UndoResult",
    "__version__",
    "hookimpl",
]


def __getattr__(name: str) -> object:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'publisher_restore' has no attribute {name!r}")
    return getattr(importlib.import_module(module), name)
