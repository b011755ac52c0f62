"""What a rule is: a catalogue code, its default severity, and a check over a comparison."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, ClassVar

from publisher_restore.analyser.context import AnalysisContext, Subject, make_finding
from publisher_restore.analyser.findings import Finding, Impact, Severity


class Rule:
    """Base of every analyser rule; subclasses set the class attributes and ``check``."""

    code: ClassVar[str]
    severity: ClassVar[Severity]
    title: ClassVar[str]
    why: ClassVar[str]

    def check(self, ctx: AnalysisContext) -> Iterable[Finding]:
        """Every finding of this code in the comparison."""
        raise NotImplementedError

    def finding(
        self,
        subject: Subject,
        message: str,
        detail: dict[str, Any] | None = None,
        impact: Impact | None = None,
        severity: Severity | None = None,
    ) -> Finding:
        """A finding of this rule's code (at its default severity unless told otherwise)."""
        return make_finding(self.code, severity or self.severity, subject, message, detail, impact)
