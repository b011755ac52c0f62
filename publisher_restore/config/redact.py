"""Masking of secrets in configuration values, so no secret reaches a log, error or screen."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

MASK = "***"

# Key names are compared with separators removed, so "connection_string",
# "Connection-String" and "ConnectionString" all match.
_SECRET_KEY = re.compile(r"connectionstring|key|secret|password|pwd|token|sas|credential", re.I)
_SEPARATORS = re.compile(r"[\s_\-.:]")

# Secrets embedded in connection strings and SAS URLs.
_INLINE_SECRET = re.compile(
    r"(?i)\b(AccountKey|SharedAccessSignature|SharedAccessKey|Password|Pwd|sig)=([^;&\s\"']*)"
)


def is_secret_key(name: str) -> bool:
    """True when a configuration key's name says its value is a secret."""
    return bool(_SECRET_KEY.search(_SEPARATORS.sub("", name)))


def redact_text(text: str) -> str:
    """The text with inline secrets (``AccountKey=...``, ``sig=...``) masked."""
    return _INLINE_SECRET.sub(lambda match: f"{match.group(1)}={MASK}", text)


def redact(value: Any) -> Any:
    """A copy of ``value`` with secret-named keys masked and inline secrets removed from strings."""
    if isinstance(value, Mapping):
        return {
            key: _mask(item) if is_secret_key(str(key)) else redact(item)
            for key, item in value.items()
        }
    if isinstance(value, list | tuple):
        return [redact(item) for item in value]
    if isinstance(value, str):
        return redact_text(value)
    return value


def describe_value(key_path: str, value: Any) -> str:
    """A short, secret-free rendering of a value for an error message."""
    last_key = key_path.rsplit(":", 1)[-1]
    if is_secret_key(last_key):
        return "(value hidden: secret)"
    shown = repr(redact(value))
    return shown if len(shown) <= 80 else shown[:77] + "..."


def _mask(value: Any) -> Any:
    if value is None or value == "":
        return value
    if isinstance(value, Mapping):
        return {key: _mask(item) for key, item in value.items()}
    return MASK
