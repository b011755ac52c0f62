"""Azure SDK exceptions turned into ``StorageError`` messages that never carry a secret.

SDK messages can hold request URLs (with a SAS query), response bodies and
connection details, so a message is rebuilt from the status, the error code
and a sanitized first line, with every known secret masked.
"""

from __future__ import annotations

import contextlib
import re
from collections.abc import Iterable, Iterator

from azure.core.exceptions import (
    AzureError,
    ClientAuthenticationError,
    HttpResponseError,
    ServiceRequestError,
    ServiceResponseError,
)

from publisher_restore.config.redact import MASK, redact_text
from publisher_restore.errors import StorageError

_QUERY = re.compile(r"\?(?=[\w%.-]+=)[^\s'\")]*")
_ERRNO = re.compile(r"\[Errno -?\d+\][^'\")]*")
_SECRET_PARTS = ("accountkey", "sharedaccesssignature", "sharedaccesskey")
MAX_DETAIL = 200


def connection_string_secrets(connection_string: str | None) -> list[str]:
    """The whole connection string and every key or signature inside it."""
    if not connection_string:
        return []
    secrets = [connection_string]
    for part in connection_string.split(";"):
        key, _, value = part.partition("=")
        if key.strip().lower() in _SECRET_PARTS and value.strip():
            secrets.append(value.strip())
    return secrets


class ErrorTranslator:
    """Builds secret-free ``StorageError`` messages for one provider."""

    def __init__(self, where: str, secrets: Iterable[str], retry_total: int) -> None:
        self.where = where
        # Longest first, so a secret inside another secret is masked whole.
        self.secrets = sorted({s for s in secrets if len(s) >= 4}, key=len, reverse=True)
        self.retry_total = retry_total

    def sanitize(self, text: str) -> str:
        """``text`` with known secrets, inline keys and URL queries masked."""
        for secret in self.secrets:
            text = text.replace(secret, MASK)
        return _QUERY.sub(f"?{MASK}", redact_text(text))

    def error(self, action: str, error: AzureError) -> StorageError:
        """A ``StorageError`` saying what failed, where, and why, without secrets."""
        return StorageError(self.sanitize(f"{self.where}: cannot {action}: {self.reason(error)}"))

    @contextlib.contextmanager
    def translating(self, action: str) -> Iterator[None]:
        """Re-raise any Azure SDK error in the block as a sanitized ``StorageError``."""
        try:
            yield
        except AzureError as error:
            raise self.error(action, error) from None

    def reason(self, error: AzureError) -> str:
        """A one-line, human explanation of an SDK error."""
        if isinstance(error, HttpResponseError):
            if isinstance(error, ClientAuthenticationError) or error.status_code in (401, 403):
                return (
                    f"authentication failed or access denied ({_status(error)}: "
                    f"{_first_line(error)}); check the connection string's account and key, "
                    "or the role of the identity the default Azure credential signs in as"
                )
            return f"the service answered {_status(error)}: {_first_line(error)}"
        if isinstance(error, ServiceRequestError | ServiceResponseError):
            return (
                f"the service could not be reached or stopped answering "
                f"(gave up after {self.retry_total} retries): {_network_detail(error)}"
            )
        return f"{type(error).__name__}: {_first_line(error)}"


def _status(error: HttpResponseError) -> str:
    code = getattr(error, "error_code", None) or ""
    code = getattr(code, "value", code)  # the SDK gives a StorageErrorCode enum or a string
    status = error.status_code if error.status_code is not None else "?"
    return f"HTTP {status} {code}".strip()


def _first_line(error: AzureError) -> str:
    text = str(getattr(error, "reason", None) or error.message or error).strip()
    line = text.splitlines()[0] if text else type(error).__name__
    return line[:MAX_DETAIL]


def _network_detail(error: AzureError) -> str:
    text = str(error.message or error)
    found = _ERRNO.search(text)
    if found:
        return found.group(0).strip()
    return _first_line(error)
