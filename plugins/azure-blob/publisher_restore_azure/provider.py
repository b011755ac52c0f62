"""Restore points in an Azure Blob Storage container.

Object ``name`` is the blob ``<Prefix>/<name>``; locks are leased blobs
under ``<Prefix>/.locks/`` and are never listed.  The container is created
on the first write or lock if it does not exist.
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, BinaryIO

from azure.core.exceptions import (
    AzureError,
    HttpResponseError,
    ResourceExistsError,
    ResourceModifiedError,
    ResourceNotFoundError,
)
from azure.storage.blob import BlobClient, ContainerClient

from publisher_restore.config.redact import redact_text
from publisher_restore.errors import ObjectExistsError, ObjectNotFoundError, StorageError
from publisher_restore.storage.base import (
    LockHolder,
    LockWaitCallback,
    ObjectInfo,
    ProgressCallback,
    StorageProvider,
    check_name,
)
from publisher_restore_azure.client import account_url, container_client
from publisher_restore_azure.download import chunk_stream
from publisher_restore_azure.errors import ErrorTranslator, connection_string_secrets
from publisher_restore_azure.lease import LeaseWatch, hold_lease, lease_holder
from publisher_restore_azure.settings import AzureSettings, parse_settings
from publisher_restore_azure.upload import no_overwrite_conditions, upload_in_blocks

if TYPE_CHECKING:
    from publisher_restore.storage.registry import StorageRequest

LOCKS_DIR = ".locks"
CONTAINER_NOT_FOUND = "ContainerNotFound"
RANGE_NOT_SATISFIABLE = 416


class AzureBlobStorageProvider(StorageProvider):
    """A container (and optional prefix) in Azure Blob Storage used as an object store."""

    scheme = "azure"

    def __init__(self, settings: AzureSettings, *, source: str = "defaults") -> None:
        self.settings = settings
        self.container: ContainerClient = container_client(settings, source=source)
        self.root = f"{settings.prefix}/" if settings.prefix else ""
        self.errors = ErrorTranslator(
            self.describe(),
            connection_string_secrets(settings.connection_string),
            settings.retry_total,
        )
        self._container_ready = False
        self._container_mutex = threading.Lock()
        self._leases: list[LeaseWatch] = []

    @classmethod
    def from_request(cls, request: StorageRequest) -> AzureBlobStorageProvider:
        """The provider for a site's ``uSync:Restore:Storage:Azure`` settings."""
        return cls(parse_settings(request), source=request.source)

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.describe()})"

    def describe(self) -> str:
        where = f"Azure container {self.settings.container!r} at {account_url(self.container)}"
        where = f"{where} (prefix {self.settings.prefix!r})" if self.settings.prefix else where
        # A BlobEndpoint may carry user:password@ in its URL.
        return redact_text(where)

    def put_file(
        self,
        name: str,
        source: Path,
        *,
        overwrite: bool = False,
        progress: ProgressCallback | None = None,
    ) -> None:
        blob = self._blob(name)
        self.ensure_container()
        try:
            stream = open(source, "rb")  # noqa: SIM115 - closed by the with below
        except OSError as error:
            raise StorageError(f"cannot read {source} to store it as {name!r}: {error}") from None
        with stream, self._writing(name, overwrite):
            upload_in_blocks(
                blob,
                stream,
                overwrite=overwrite,
                block_size=self.settings.block_size,
                concurrency=self.settings.concurrency,
                progress=progress,
            )

    def put_bytes(self, name: str, data: bytes, *, overwrite: bool = False) -> None:
        blob = self._blob(name)
        self.ensure_container()
        with self._writing(name, overwrite):
            blob.upload_blob(
                data,
                overwrite=overwrite,
                length=len(data),
                **no_overwrite_conditions(overwrite),
            )

    def open_read(self, name: str) -> BinaryIO:
        blob = self._blob(name)
        try:
            downloader = blob.download_blob()
        except ResourceNotFoundError:
            raise ObjectNotFoundError(f"no object {name!r} in {self.describe()}") from None
        except AzureError as error:
            raise self.errors.error(f"read {name!r}", error) from None
        return chunk_stream(
            downloader.chunks(), lambda error: self.errors.error(f"read {name!r}", error)
        )

    def read_range(self, name: str, offset: int, length: int) -> bytes:
        if length <= 0:
            self._require(name)
            return b""
        blob = self._blob(name)
        try:
            return blob.download_blob(offset=offset, length=length).readall()
        except ResourceNotFoundError:
            raise ObjectNotFoundError(f"no object {name!r} in {self.describe()}") from None
        except HttpResponseError as error:
            if error.status_code == RANGE_NOT_SATISFIABLE:  # the range starts past the end
                self._require(name)
                return b""
            raise self.errors.error(f"read {name!r}", error) from None
        except AzureError as error:
            raise self.errors.error(f"read {name!r}", error) from None

    def stat(self, name: str) -> ObjectInfo | None:
        blob = self._blob(name)
        try:
            properties = blob.get_blob_properties()
        except ResourceNotFoundError:
            return None
        except AzureError as error:
            raise self.errors.error(f"look up {name!r}", error) from None
        return ObjectInfo(name=name, size=properties.size)

    def list(self, prefix: str = "") -> Iterator[ObjectInfo]:
        pages = self.container.list_blobs(name_starts_with=self.root + prefix)
        try:
            for blob in pages:
                name = blob.name[len(self.root) :]
                if not name.startswith(f"{LOCKS_DIR}/"):
                    yield ObjectInfo(name=name, size=blob.size)
        except ResourceNotFoundError:
            return  # no container yet: no objects
        except AzureError as error:
            raise self.errors.error(f"list objects starting {prefix!r}", error) from None

    def delete(self, name: str) -> None:
        blob = self._blob(name)
        try:
            blob.delete_blob(delete_snapshots="include")
        except ResourceNotFoundError:
            return
        except AzureError as error:
            raise self.errors.error(f"delete {name!r}", error) from None

    def lock(
        self,
        name: str,
        *,
        timeout: float = 30.0,
        holder: LockHolder | None = None,
        on_wait: LockWaitCallback | None = None,
    ) -> contextlib.AbstractContextManager[None]:
        check_name(name)
        return self._locked(name, timeout, holder, on_wait)

    def lock_holder(self, name: str) -> LockHolder | None:
        check_name(name)
        with self.errors.translating(f"look up lock {name!r}"):
            return lease_holder(self._lock_blob(name))

    def ensure_container(self) -> None:
        """Create the container unless this provider already knows it exists."""
        with self._container_mutex:
            if self._container_ready:
                return
            try:
                self.container.create_container()
            except ResourceExistsError:
                pass
            except HttpResponseError as error:
                # A SAS or role scoped to one container may not create containers; the
                # container may exist anyway, and the real operation will say if it does not.
                if error.status_code != 403:
                    raise self.errors.error("create the container", error) from None
            except AzureError as error:
                raise self.errors.error("create the container", error) from None
            self._container_ready = True

    @contextlib.contextmanager
    def _locked(
        self,
        name: str,
        timeout: float,
        holder: LockHolder | None,
        on_wait: LockWaitCallback | None,
    ) -> Iterator[None]:
        blob = self._lock_blob(name)
        label = f"lock {name!r} of {self.describe()}"
        self.ensure_container()
        held = contextlib.ExitStack()
        with self.errors.translating(f"take lock {name!r}"), self._noticing_lost_container():
            watch = held.enter_context(
                hold_lease(
                    blob,
                    label=label,
                    timeout=timeout,
                    lease_seconds=self.settings.lease_seconds,
                    holder=holder,
                    on_wait=on_wait,
                )
            )
        with held:
            self._leases.append(watch)
            try:
                yield
            finally:
                self._leases.remove(watch)

    @contextlib.contextmanager
    def _writing(self, name: str, overwrite: bool) -> Iterator[None]:
        """Translate a write's SDK errors; a refused no-overwrite write is ``ObjectExistsError``.

        A write made under a lock whose lease was lost is refused: the manifest that
        publishes a restore point must never be written by a holder that lost its lock.
        """
        for watch in self._leases:
            watch.check()
        try:
            with self._noticing_lost_container():
                yield
        except (ResourceExistsError, ResourceModifiedError) as error:
            if overwrite:
                raise self.errors.error(f"store {name!r}", error) from None
            raise ObjectExistsError(
                f"object {name!r} already exists in {self.describe()}"
            ) from None
        except AzureError as error:
            raise self.errors.error(f"store {name!r}", error) from None

    @contextlib.contextmanager
    def _noticing_lost_container(self) -> Iterator[None]:
        """Forget that the container exists once Azure says it does not, so the next
        operation creates it again; the failed one still fails (its earlier writes are gone).
        """
        try:
            yield
        except ResourceNotFoundError as error:
            if getattr(error, "error_code", None) == CONTAINER_NOT_FOUND:
                with self._container_mutex:
                    self._container_ready = False
            raise

    def _require(self, name: str) -> None:
        if self.stat(name) is None:
            raise ObjectNotFoundError(f"no object {name!r} in {self.describe()}")

    def _lock_blob(self, name: str) -> BlobClient:
        return self.container.get_blob_client(f"{self.root}{LOCKS_DIR}/{name}")

    def _blob(self, name: str) -> BlobClient:
        check_name(name)
        if name.split("/", 1)[0] == LOCKS_DIR:
            raise StorageError(f"invalid storage object name {name!r}: {LOCKS_DIR}/ is internal")
        return self.container.get_blob_client(self.root + name)
