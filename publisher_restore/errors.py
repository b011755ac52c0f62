"""One root error and a shallow tree of the errors that stop an operation.

Each error carries an exit code so the CLI can map it without a lookup table,
and a message that names the file or item and what is wrong.
"""

from __future__ import annotations


class PublisherRestoreError(Exception):
    """Root of every expected error; the CLI prints its message without a traceback."""

    exit_code = 1


class ConfigError(PublisherRestoreError):
    """A configuration value is missing or invalid (names the key and the file)."""

    exit_code = 3


class SiteError(PublisherRestoreError):
    """The site folder or its uSync folder cannot be used."""

    exit_code = 3


class ItemParseError(PublisherRestoreError):
    """A uSync item file is not usable XML (names the file, line and problem)."""

    exit_code = 4

    def __init__(self, path: str, line: int | None, problem: str) -> None:
        self.path = path
        self.line = line
        self.problem = problem
        where = f"{path}:{line}" if line else path
        super().__init__(f"{where}: {problem}")


class HostileInputError(PublisherRestoreError):
    """An archive member or XML document is refused as unsafe (traversal, entity, oversize)."""

    exit_code = 5


class IntegrityError(PublisherRestoreError):
    """An archive does not match its manifest (bit flip, truncation, missing member)."""

    exit_code = 5


class StorageError(PublisherRestoreError):
    """A storage provider failed permanently."""

    exit_code = 6


class ObjectExistsError(StorageError):
    """A write that must not overwrite found the object already there."""


class ObjectNotFoundError(StorageError):
    """The named object does not exist in storage."""


class LockTimeoutError(PublisherRestoreError):
    """Another process holds the site's lock and did not release it in time."""

    exit_code = 7


class RestorePointNotFoundError(PublisherRestoreError):
    """No restore point has the given id (or none exists for 'latest')."""

    exit_code = 8


class OperationCancelled(PublisherRestoreError):
    """The user declined a confirmation or a hook vetoed the operation."""

    exit_code = 9


class OperationVetoed(OperationCancelled):
    """A plugin's before-hook refused the operation."""


class DamagingChangeError(PublisherRestoreError):
    """Findings at or above the configured fail level (used by analyse --fail-on)."""

    exit_code = 10


class RecoveryNeededError(PublisherRestoreError):
    """An interrupted restore must be completed before anything else touches the site."""

    exit_code = 11


class PlanOutdatedError(PublisherRestoreError):
    """A prepared plan no longer fits the site or its inputs; execute refused, nothing changed."""

    exit_code = 12


class PlanExpiredError(PlanOutdatedError):
    """A prepared operation waited past its expiry for an answer and was discarded."""


class DecisionRequiredError(PublisherRestoreError):
    """A push, pull or import needs a person's decision and nobody can give it; nothing changed.

    Raised when the policy (or a plugin) asks for a prompt, findings reach the threshold,
    and there is no terminal (or ``--no-input``) and no ``--yes``.
    """

    exit_code = 13


class PackContentError(PublisherRestoreError):
    """A sync pack carries something the import was not asked for (media without ``--media``)."""

    exit_code = 2


class UndoImpossibleError(PublisherRestoreError):
    """An operation cannot be undone (it took no restore point, or its point is gone)."""

    exit_code = 9


class OperationNotFoundError(PublisherRestoreError):
    """No recorded operation has the given id."""

    exit_code = 8
