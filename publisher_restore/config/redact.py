"""The one masking rule for secrets: every value, key name, URL and exception text that can
reach a message, a log or a screen passes through here first.

What is masked:

- values of keys whose name says they are secret (``ConnectionString``, ``AccountKey``,
  ``Password``, ``SasToken``, ...), whole;
- inline secrets in connection strings and URLs (``AccountKey=...``,
  ``SharedAccessSignature=...``, ``Password=...``, ``sig=...``);
- the user-info of any URL (``https://user:PASSWORD@host`` shows as ``https://***@host``),
  also inside a connection string's ``BlobEndpoint``;
- key names that are not plain names (a connection string pasted where a key belongs).
"""

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
# The user-info of a URL: everything between "scheme://" and the last "@" of the authority.
_URL_USER_INFO = re.compile(r"(?i)\b([a-z][a-z0-9+.\-]*://)[^/?#\s\"'<>]*@")
# A key name that is safe to echo: a word, as configuration keys are.
_PLAIN_KEY = re.compile(r"[A-Za-z0-9_.\-$]{1,64}")


def is_secret_key(name: str) -> bool:
    """True when a configuration key's name says its value is a secret."""
    return bool(_SECRET_KEY.search(_SEPARATORS.sub("", name)))


def redact_text(text: str) -> str:
    """The text with inline secrets (``AccountKey=...``, ``sig=...``) and URL user-info masked."""
    text = _URL_USER_INFO.sub(lambda match: f"{match.group(1)}{MASK}@", text)
    return _INLINE_SECRET.sub(lambda match: f"{match.group(1)}={MASK}", text)


def redact(value: Any) -> Any:
    """A copy of ``value`` with secret-named keys masked and inline secrets removed from strings."""
    if isinstance(value, Mapping):
        return {
            shown_key(str(key)): _mask(item) if is_secret_key(str(key)) else redact(item)
            for key, item in value.items()
        }
    if isinstance(value, list | tuple):
        return [redact(item) for item in value]
    if isinstance(value, str):
        return redact_text(value)
    return value


def shown_key(name: str) -> str:
    """A configuration key name as a message may show it: plain names as they are, anything
    else (a pasted connection string, a URL) replaced, since it may be a secret."""
    if _PLAIN_KEY.fullmatch(name):
        return name
    return "(a key that is not a plain name, not shown: it may hold a secret)"


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
        return {shown_key(str(key)): _mask(item) for key, item in value.items()}
    return MASK
