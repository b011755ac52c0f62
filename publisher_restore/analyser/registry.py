"""Collects analyser rules from every plugin through ``register_analyser_rules``."""

from __future__ import annotations

import re
from typing import Any

import pluggy

from publisher_restore.analyser.findings import Severity
from publisher_restore.analyser.rules.base import Rule
from publisher_restore.errors import PublisherRestoreError

_CODE = re.compile(r"^[A-Z]{2,}[0-9]{3,}$")


class RuleRegistrationError(PublisherRestoreError):
    """A plugin registered a rule twice, or a rule without a usable code or severity."""

    exit_code = 3


class RuleRegistry:
    """Rules by code; a code registered twice is refused."""

    def __init__(self) -> None:
        self._rules: dict[str, Rule] = {}

    def register(self, rule: Any) -> None:
        """Add one rule object (the ``register`` callback handed to plugins)."""
        code = getattr(rule, "code", None)
        if not isinstance(code, str) or not _CODE.match(code):
            raise RuleRegistrationError(f"analyser rule {rule!r} has no valid code (e.g. DC101)")
        if not isinstance(getattr(rule, "severity", None), Severity):
            raise RuleRegistrationError(f"analyser rule {code} has no Severity")
        if not callable(getattr(rule, "check", None)):
            raise RuleRegistrationError(f"analyser rule {code} has no check(ctx) method")
        if code in self._rules:
            raise RuleRegistrationError(f"analyser rule {code} is registered twice")
        self._rules[code] = rule

    def rules(self) -> list[Rule]:
        """Every rule, ordered by code."""
        return [self._rules[code] for code in sorted(self._rules)]


def collect_rules(pm: pluggy.PluginManager) -> list[Rule]:
    """Ask every plugin for its rules; raises RuleRegistrationError on a duplicate code."""
    from publisher_restore.lifecycle import Lifecycle

    registry = RuleRegistry()
    Lifecycle(pm).collect_analyser_rules(registry.register)
    return registry.rules()
