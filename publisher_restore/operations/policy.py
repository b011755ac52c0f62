"""The target's restore-point policy, ``uSync:Restore:Publisher`` in its appsettings.

```jsonc
"Publisher": {
  "Push": "Prompt",      // Prompt (default) | Auto | Always | Never; also Pull and Import
  "Threshold": "risky",  // Auto takes a restore point at or above this severity
  "IncludeMedia": false  // whether those restore points include media
}
```

- ``Prompt``: ask a person (a terminal, the dashboard); ``--yes`` answers with the safe choice.
- ``Auto``: a restore point when an unacknowledged finding reaches ``Threshold``, without asking.
- ``Always``: a restore point on every operation, findings or not.
- ``Never``: no restore point.

Keys and values are case-insensitive, as .NET binds them.  The built-in policy plugin
(``default_plugins/policy.py``) answers ``decide_damaging_change`` from this.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Any

from pydantic import BaseModel, ConfigDict

from publisher_restore.analyser.findings import Severity
from publisher_restore.config import RestoreSettings
from publisher_restore.config.values import Where, as_bool, as_section, is_unset, lookup
from publisher_restore.operations.decisions import (
    Choice,
    Decision,
    DecisionRequest,
    OperationKind,
)

SECTION = "uSync:Restore:Publisher"
DECIDED_BY = "policy"
COVERED = frozenset({OperationKind.PUSH, OperationKind.PULL, OperationKind.IMPORT})


class PolicyMode(StrEnum):
    """What the policy does for one kind of operation."""

    PROMPT = "Prompt"
    AUTO = "Auto"
    ALWAYS = "Always"
    NEVER = "Never"


class PublisherPolicy(BaseModel):
    """The validated ``uSync:Restore:Publisher`` section."""

    model_config = ConfigDict(frozen=True)

    push: PolicyMode = PolicyMode.PROMPT
    pull: PolicyMode = PolicyMode.PROMPT
    import_: PolicyMode = PolicyMode.PROMPT
    threshold: Severity = Severity.RISKY
    include_media: bool = False

    @classmethod
    def from_settings(cls, settings: RestoreSettings) -> PublisherPolicy:
        """Parse the section from the settings' pass-through keys; ``ConfigError`` names the key."""
        source = ", ".join(settings.sources) or "defaults"
        found = lookup(settings.extra, "Publisher")
        section = as_section(None if found is None else found[1], Where(SECTION, source))

        def value(key: str) -> tuple[Any, Where]:
            entry = lookup(section, key)
            return (None if entry is None else entry[1]), Where(f"{SECTION}:{key}", source)

        modes = {name: _mode(*value(key)) for name, key in _MODE_KEYS.items()}
        return cls(
            **{name: mode for name, mode in modes.items() if mode is not None},
            threshold=_severity(*value("Threshold")),
            include_media=as_bool(*value("IncludeMedia")) or False,
        )

    def mode_for(self, operation: OperationKind) -> PolicyMode | None:
        """The mode for push, pull or import; None for operations the policy does not cover."""
        modes = {
            OperationKind.PUSH: self.push,
            OperationKind.PULL: self.pull,
            OperationKind.IMPORT: self.import_,
        }
        return modes.get(operation)

    def decide(self, request: DecisionRequest) -> Decision | None:
        """The policy's answer to a request, None when it has no rule for the operation."""
        mode = self.mode_for(request.operation)
        if mode is None:
            return None
        choice = {
            PolicyMode.PROMPT: Choice.PROMPT,
            PolicyMode.ALWAYS: Choice.RESTORE_POINT,
            PolicyMode.NEVER: Choice.CONTINUE,
        }.get(mode)
        if choice is None:  # Auto
            reached = request.reaches(self.threshold)
            choice = Choice.RESTORE_POINT if reached else Choice.CONTINUE
        reason = f"{SECTION}:{_MODE_NAMES[request.operation]} is {mode.value}"
        if mode is PolicyMode.AUTO:
            reason += f" (threshold {self.threshold.value})"
        return Decision(
            choice=choice, decided_by=DECIDED_BY, reason=reason, include_media=self.include_media
        )


_MODE_KEYS = {"push": "Push", "pull": "Pull", "import_": "Import"}
_MODE_NAMES = {
    OperationKind.PUSH: "Push",
    OperationKind.PULL: "Pull",
    OperationKind.IMPORT: "Import",
}


def _mode(raw: Any, where: Where) -> PolicyMode | None:
    if is_unset(raw):
        return None
    for mode in PolicyMode:
        if isinstance(raw, str) and raw.strip().casefold() == mode.value.casefold():
            return mode
    raise where.error("expected Prompt, Auto, Always or Never", raw)


def _severity(raw: Any, where: Where) -> Severity:
    if is_unset(raw):
        return Severity.RISKY
    for severity in Severity:
        if isinstance(raw, str) and raw.strip().casefold() == severity.value:
            return severity
    raise where.error("expected damaging, risky or notice", raw)
