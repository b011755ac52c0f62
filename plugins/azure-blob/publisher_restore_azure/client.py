"""The ``ContainerClient`` a provider talks through: credentials, retries, timeouts, chunk sizes."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from azure.storage.blob import BlobServiceClient, ContainerClient, ExponentialRetry

from publisher_restore.errors import ConfigError
from publisher_restore_azure.settings import AzureSettings

CONNECTION_TIMEOUT = 10  # seconds to open a connection
READ_TIMEOUT = 60  # seconds without a byte from the service


def retry_policy(retry_total: int) -> ExponentialRetry:
    """azure-core's pipeline retry (the storage flavour): about 1, 3, 5, 9, 17 s between tries.

    It retries connection failures, timeouts, 408, 429 and 5xx answers; any
    other answer is permanent and fails at once.
    """
    return ExponentialRetry(
        initial_backoff=1, increment_base=2, retry_total=retry_total, random_jitter_range=1
    )


def client_options(settings: AzureSettings) -> dict[str, Any]:
    """Keyword options shared by every client the provider builds."""
    return {
        "retry_policy": retry_policy(settings.retry_total),
        "connection_timeout": CONNECTION_TIMEOUT,
        "read_timeout": READ_TIMEOUT,
        # Reads fetch block-sized chunks too.  The SDK briefly holds about 9x a chunk
        # while it assembles one (it preallocates a list of the body's length).
        "max_single_get_size": settings.block_size,
        "max_chunk_get_size": settings.block_size,
        "max_block_size": settings.block_size,
        "max_single_put_size": settings.block_size,
    }


def service_client(settings: AzureSettings, *, source: str) -> BlobServiceClient:
    """A service client from the connection string, or the account URL and default credential."""
    options = client_options(settings)
    if settings.connection_string:
        try:
            return BlobServiceClient.from_connection_string(settings.connection_string, **options)
        except ValueError:
            # The SDK's message is generic; the string itself is a secret and is not shown.
            raise ConfigError(
                f"uSync:Restore:Storage:Azure:ConnectionString in {source}: not a valid Azure "
                "Storage connection string (value hidden: secret)"
            ) from None
    assert settings.account_url is not None  # parse_settings requires one of the two
    from azure.identity import DefaultAzureCredential

    return BlobServiceClient(settings.account_url, credential=DefaultAzureCredential(), **options)


def container_client(settings: AzureSettings, *, source: str) -> ContainerClient:
    """The client of the configured container (not created here)."""
    return service_client(settings, source=source).get_container_client(settings.container)


def account_url(client: ContainerClient) -> str:
    """The account's blob endpoint, without the container or a query (a SAS token is secret)."""
    parts = urlsplit(client.url)
    path = parts.path.rstrip("/").rsplit("/", 1)[0]
    return f"{parts.scheme}://{parts.netloc}{path}"
