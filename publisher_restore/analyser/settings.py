"""The ``uSync:Restore:Analyser`` section: acknowledgements, severity overrides, disabled codes.

Example (appsettings.json)::

    "uSync": { "Restore": { "Analyser": {
      "Acknowledge": [
        { "Fingerprint": "DC101:5f0c2a...", "Reason": "pageTitle replaced by seoTitle",
          "Expires": "2026-12-31", "MaxValues": 50, "MaxItems": 40 }
      ],
      "Severity": { "DC113": "risky" },
      "Disable": [ "DC110" ],
      "DowngradeZeroImpact": true
    } } }

Keys are case-insensitive; arrays may also arrive as .NET-style objects keyed "0", "1", ...
(environment variables).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from publisher_restore.analyser.findings import Severity
from publisher_restore.errors import ConfigError

SECTION = "uSync:Restore:Analyser"


class Acknowledgement(BaseModel):
    """A reviewed, intended change: matched by fingerprint, within expiry and impact ceilings."""

    model_config = ConfigDict(frozen=True)

    fingerprint: str
    reason: str
    expires: date | None = None
    max_values: int | None = None
    max_items: int | None = None


class AnalyserSettings(BaseModel):
    """Validated analyser configuration."""

    model_config = ConfigDict(frozen=True)

    acknowledgements: tuple[Acknowledgement, ...] = ()
    severity_overrides: dict[str, Severity] = Field(default_factory=dict)
    disabled: frozenset[str] = frozenset()
    downgrade_zero_impact: bool = False

    @classmethod
    def from_section(cls, raw: Mapping[str, Any] | None) -> AnalyserSettings:
        """Parse the raw section (e.g. ``RestoreSettings.analyser``); raises ConfigError."""
        section = {str(k).casefold(): v for k, v in (raw or {}).items()}
        acks = [
            _ack(entry, i)
            for i, entry in enumerate(_list(section.get("acknowledge"), "Acknowledge"))
        ]
        return cls(
            acknowledgements=tuple(acks),
            severity_overrides=_overrides(section.get("severity")),
            disabled=frozenset(
                _code(c, "Disable") for c in _list(section.get("disable"), "Disable")
            ),
            downgrade_zero_impact=_bool(section.get("downgradezeroimpact"), "DowngradeZeroImpact"),
        )


def _where(key: str) -> str:
    return f"{SECTION}:{key}"


def _list(value: Any, key: str) -> list[Any]:
    if value is None or value == "":
        return []
    if isinstance(value, list):
        return value
    if isinstance(value, dict) and all(str(k).isdigit() for k in value):
        return [value[k] for k in sorted(value, key=lambda k: int(str(k)))]
    raise ConfigError(f"{_where(key)}: expected a list, got {type(value).__name__}")


def _code(value: Any, key: str) -> str:
    text = str(value).strip().upper()
    if not text or not text[:2].isalpha():
        raise ConfigError(f"{_where(key)}: {value!r} is not an analyser code such as DC101")
    return text


def _severity(value: Any, key: str) -> Severity:
    try:
        return Severity(str(value).strip().casefold())
    except ValueError:
        allowed = ", ".join(s.value for s in Severity)
        raise ConfigError(f"{_where(key)}: {value!r} is not one of {allowed}") from None


def _overrides(value: Any) -> dict[str, Severity]:
    if value is None or value == "":
        return {}
    if not isinstance(value, dict):
        raise ConfigError(f"{_where('Severity')}: expected an object of code -> severity")
    return {_code(k, "Severity"): _severity(v, f"Severity:{k}") for k, v in value.items()}


def _bool(value: Any, key: str) -> bool:
    if value is None or isinstance(value, bool):
        return bool(value)
    if str(value).strip().casefold() in {"true", "false"}:
        return str(value).strip().casefold() == "true"
    raise ConfigError(f"{_where(key)}: expected true or false, got {value!r}")


def _int(value: Any, key: str) -> int | None:
    if value is None or value == "":
        return None
    try:
        number = int(str(value).strip()) if not isinstance(value, int) else value
    except ValueError:
        raise ConfigError(f"{_where(key)}: expected a whole number, got {value!r}") from None
    if isinstance(number, bool) or number < 0:
        raise ConfigError(f"{_where(key)}: expected a whole number >= 0, got {value!r}")
    return number


def _ack(entry: Any, index: int) -> Acknowledgement:
    key = f"Acknowledge:{index}"
    if not isinstance(entry, dict):
        raise ConfigError(f"{_where(key)}: expected an object with Fingerprint and Reason")
    fields = {str(k).casefold(): v for k, v in entry.items()}
    fingerprint = str(fields.get("fingerprint") or "").strip()
    reason = str(fields.get("reason") or "").strip()
    if not fingerprint or not reason:
        raise ConfigError(f"{_where(key)}: Fingerprint and Reason are both required")
    return Acknowledgement(
        fingerprint=fingerprint,
        reason=reason,
        expires=_date(fields.get("expires"), f"{key}:Expires"),
        max_values=_int(fields.get("maxvalues"), f"{key}:MaxValues"),
        max_items=_int(fields.get("maxitems"), f"{key}:MaxItems"),
    )


def _date(value: Any, key: str) -> date | None:
    if value is None or value == "":
        return None
    try:
        return date.fromisoformat(str(value).strip()[:10])
    except ValueError:
        raise ConfigError(f"{_where(key)}: expected a date (YYYY-MM-DD), got {value!r}") from None
