"""Plan tokens: a fingerprint of everything a prepared plan was computed from.

A token is ``sha256:<hex>`` over the canonical JSON of the plan's inputs.  Execute
computes the inputs again; a different token means the plan no longer describes
what would happen, so execute refuses and says what changed.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping

from pydantic import BaseModel

from publisher_restore.errors import IntegrityError, PlanOutdatedError

PREFIX = "sha256:"
AGAIN = "run check again; nothing was changed"


def fingerprint(value: BaseModel) -> str:
    """The token of a model: SHA-256 over its JSON with sorted keys and no spaces."""
    data = json.dumps(value.model_dump(mode="json"), sort_keys=True, separators=(",", ":"))
    return PREFIX + hashlib.sha256(data.encode("utf-8")).hexdigest()


def refuse_if_tampered(token: str, inputs: BaseModel, what: str) -> None:
    """A plan whose token does not fingerprint its own inputs was altered or damaged."""
    if token != fingerprint(inputs):
        raise IntegrityError(
            f"{what}: the plan's token does not match its inputs (the plan was altered or "
            f"damaged); {AGAIN}"
        )


def differing_paths(then: Mapping[str, str], now: Mapping[str, str]) -> list[str]:
    """Paths added, removed or changed between two path -> hash maps, sorted."""
    return sorted(path for path in then.keys() | now.keys() if then.get(path) != now.get(path))


def refuse_if_files_changed(then: Mapping[str, str], now: Mapping[str, str]) -> None:
    """``PlanOutdatedError`` naming how many files differ and the first of them."""
    changed = differing_paths(then, now)
    if changed:
        raise PlanOutdatedError(
            f"the site changed since the check ({len(changed)} file"
            f"{'' if len(changed) == 1 else 's'} differ{'s' if len(changed) == 1 else ''}, "
            f"first: {changed[0]}); {AGAIN}"
        )
