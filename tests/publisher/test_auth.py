"""Signed requests: the client's headers verify, and every kind of bad request is refused."""

from __future__ import annotations

import multiprocessing
from collections.abc import Callable
from multiprocessing.synchronize import Barrier
from pathlib import Path

import pytest
from pydantic import SecretStr

from publisher_restore.publisher.auth import (
    HEADER_APP_ID,
    HEADER_CONTENT_SHA256,
    HEADER_NONCE,
    HEADER_SIGNATURE,
    HEADER_TIMESTAMP,
    Operation,
    RefusalReason,
    RequestRefused,
    RequestVerifier,
    request_target,
    sign_request,
)
from publisher_restore.publisher.nonces import SqliteNonceStore
from publisher_restore.publisher.settings import ClientSettings

KEY = "k3y-that-is-long-enough-for-hmac-0123456789"
NOW = 1_750_000_000.0
TARGET = "/publisher/v1/push/prepare?site=live&x=%2F"
BODY = b"PK\x03\x04 pretend pack bytes"
MAX_BODY = 1024


@pytest.fixture
def store(tmp_path: Path) -> SqliteNonceStore:
    return SqliteNonceStore.in_state_dir(tmp_path / ".state", retention_seconds=600)


def verifier(store: SqliteNonceStore, now: float = NOW) -> RequestVerifier:
    clients = {
        "dev-site": ClientSettings(
            app_id="dev-site", app_key=SecretStr(KEY), allow=frozenset({Operation.PUSH})
        ),
        "reader": ClientSettings(
            app_id="reader", app_key=SecretStr(KEY[::-1]), allow=frozenset({Operation.PULL})
        ),
    }
    return RequestVerifier(clients, store, max_body_bytes=MAX_BODY, clock=lambda: now)


def signed(body: bytes = BODY, **overrides: object) -> dict[str, str]:
    options: dict[str, object] = {"app_id": "dev-site", "app_key": KEY, "now": NOW}
    options.update(overrides)
    return sign_request("post", TARGET, body, **options)  # type: ignore[arg-type]


def refusal(action: Callable[[], object]) -> RequestRefused:
    with pytest.raises(RequestRefused) as caught:
        action()
    assert KEY not in str(caught.value) and KEY[::-1] not in str(caught.value)
    return caught.value


def test_a_signed_request_verifies_and_says_who_sent_it(store: SqliteNonceStore) -> None:
    headers = signed()
    verified = verifier(store).verify("POST", TARGET, headers, BODY, Operation.PUSH)
    assert (verified.app_id, verified.operation, verified.timestamp) == (
        "dev-site",
        Operation.PUSH,
        int(NOW),
    )
    lowered = {name.lower(): value for name, value in signed(body=b"").items()}
    assert verifier(store).verify("POST", TARGET, lowered, b"", None).app_id == "dev-site"
    assert request_target("https://live.example.org/publisher/v1/x?a=1#f") == "/publisher/v1/x?a=1"


@pytest.mark.parametrize("dropped", [HEADER_SIGNATURE, HEADER_NONCE, HEADER_CONTENT_SHA256])
def test_a_missing_header_is_refused(store: SqliteNonceStore, dropped: str) -> None:
    headers = {k: v for k, v in signed().items() if k != dropped}
    error = refusal(lambda: verifier(store).verify("POST", TARGET, headers, BODY, Operation.PUSH))
    assert (error.reason, error.http_status) == (RefusalReason.MISSING_HEADER, 401)
    assert dropped in str(error)


@pytest.mark.parametrize(
    ("header", "value"),
    [
        (HEADER_TIMESTAMP, "yesterday"),
        (HEADER_NONCE, "short"),
        (HEADER_SIGNATURE, "Zm9v"),
        (HEADER_APP_ID, "dev site"),
        (HEADER_CONTENT_SHA256, "0" * 63),
    ],
)
def test_a_malformed_header_is_refused(store: SqliteNonceStore, header: str, value: str) -> None:
    headers = {**signed(), header: value}
    error = refusal(lambda: verifier(store).verify("POST", TARGET, headers, BODY, Operation.PUSH))
    assert (error.reason, error.http_status) == (RefusalReason.MALFORMED_HEADER, 401)


def test_a_header_sent_twice_is_refused(store: SqliteNonceStore) -> None:
    pairs = [*signed().items(), (HEADER_SIGNATURE.lower(), "0" * 64)]
    error = refusal(lambda: verifier(store).verify("POST", TARGET, pairs, BODY, Operation.PUSH))
    assert error.reason is RefusalReason.MALFORMED_HEADER


def test_an_unknown_app_id_is_refused(store: SqliteNonceStore) -> None:
    headers = signed(app_id="stranger")
    error = refusal(lambda: verifier(store).verify("POST", TARGET, headers, BODY, Operation.PUSH))
    assert (error.reason, error.http_status) == (RefusalReason.UNKNOWN_APP, 401)


@pytest.mark.parametrize(
    ("skew", "accepted"), [(-300, True), (300, True), (-301, False), (301, False)]
)
def test_timestamps_outside_five_minutes_are_refused(
    store: SqliteNonceStore, skew: int, accepted: bool
) -> None:
    headers = signed(now=NOW + skew)
    check = lambda: verifier(store).verify("POST", TARGET, headers, BODY, Operation.PUSH)  # noqa: E731
    if accepted:
        assert check().app_id == "dev-site"
    else:
        assert refusal(check).reason is RefusalReason.STALE_TIMESTAMP


@pytest.mark.parametrize(
    ("method", "target", "headers"),
    [
        ("POST", TARGET, signed(app_key=KEY + "x")),  # wrong key
        ("PUT", TARGET, signed()),  # another method
        ("POST", TARGET.replace("live", "dev"), signed()),  # another query
        ("POST", "/publisher/v1/pull/prepare?site=live&x=%2F", signed()),  # another path
        ("POST", TARGET, {**signed(), HEADER_CONTENT_SHA256: "0" * 64}),  # swapped body hash
        ("POST", TARGET, {**signed(), HEADER_NONCE: "another-nonce-0123456789"}),
        ("POST", TARGET, signed(app_id="reader")),  # a real app id, the other's key
    ],
)
def test_a_signature_that_does_not_match_is_refused(
    store: SqliteNonceStore, method: str, target: str, headers: dict[str, str]
) -> None:
    error = refusal(lambda: verifier(store).verify(method, target, headers, BODY, Operation.PUSH))
    assert (error.reason, error.http_status) == (RefusalReason.BAD_SIGNATURE, 401)
    assert store.count() == 0  # unauthenticated requests never fill the nonce store


def test_an_operation_the_client_is_not_allowed_is_forbidden(store: SqliteNonceStore) -> None:
    headers = signed()
    error = refusal(lambda: verifier(store).verify("POST", TARGET, headers, BODY, Operation.PULL))
    assert (error.reason, error.http_status) == (RefusalReason.OPERATION_NOT_ALLOWED, 403)


def test_an_oversized_body_is_refused_before_and_while_it_is_read(
    store: SqliteNonceStore,
) -> None:
    big = b"x" * (MAX_BODY + 1)
    headers = signed(body=big)
    error = refusal(lambda: verifier(store).verify("POST", TARGET, headers, big, Operation.PUSH))
    assert (error.reason, error.http_status) == (RefusalReason.BODY_TOO_LARGE, 413)
    streamed = signed(body=big)  # no Content-Length (chunked): refused as it arrives
    verified = verifier(store).verify_head("POST", TARGET, streamed, Operation.PUSH, None)
    check = verifier(store).body_check(verified)
    check.update(big[:MAX_BODY])
    assert refusal(lambda: check.update(b"x")).reason is RefusalReason.BODY_TOO_LARGE


def test_a_body_that_is_not_the_signed_one_is_refused(store: SqliteNonceStore) -> None:
    headers = signed()
    tampered = BODY.replace(b"pretend", b"evil!!!")
    error = refusal(
        lambda: verifier(store).verify("POST", TARGET, headers, tampered, Operation.PUSH)
    )
    assert (error.reason, error.http_status) == (RefusalReason.BODY_HASH_MISMATCH, 401)


def test_a_replayed_nonce_is_refused_even_after_a_restart(store: SqliteNonceStore) -> None:
    headers = signed()
    verifier(store).verify("POST", TARGET, headers, BODY, Operation.PUSH)
    error = refusal(lambda: verifier(store).verify("POST", TARGET, headers, BODY, Operation.PUSH))
    assert (error.reason, error.http_status) == (RefusalReason.REPLAYED_NONCE, 401)
    restarted = SqliteNonceStore(store.path, retention_seconds=600)
    later = verifier(restarted, now=NOW + 120)
    replay = refusal(lambda: later.verify("POST", TARGET, headers, BODY, Operation.PUSH))
    assert replay.reason is RefusalReason.REPLAYED_NONCE


def test_old_nonces_are_pruned_by_age(store: SqliteNonceStore) -> None:
    verifier(store).verify("POST", TARGET, signed(), BODY, Operation.PUSH)
    assert store.count() == 1
    much_later = NOW + 3600
    fresh = signed(now=much_later)
    verifier(store, now=much_later).verify("POST", TARGET, fresh, BODY, Operation.PUSH)
    assert store.count() == 1  # the first one is gone; its timestamp is refused anyway


def _remember_all(
    path: str, nonces: list[str], start: Barrier, results: multiprocessing.Queue[int]
) -> None:
    store = SqliteNonceStore(Path(path), retention_seconds=600)
    start.wait(30)  # both processes insert at once: SQLite's lock decides, per nonce
    results.put(sum(store.remember("dev-site", nonce, int(NOW), NOW) for nonce in nonces))


def test_two_processes_never_both_accept_one_nonce(tmp_path: Path) -> None:
    # Each round on a new file: two processes' first writes also race to set the file up.
    nonces = [f"nonce-{index:04d}-abcdefghijkl" for index in range(150)]
    context = multiprocessing.get_context("spawn")
    for round_ in range(4):
        store = SqliteNonceStore(tmp_path / f"round-{round_}" / "nonces.sqlite3")
        results: multiprocessing.Queue[int] = context.Queue()
        start = context.Barrier(2)
        workers = [
            context.Process(target=_remember_all, args=(str(store.path), nonces, start, results))
            for _ in range(2)
        ]
        for worker in workers:
            worker.start()
        for worker in workers:
            worker.join(timeout=60)
        assert [worker.exitcode for worker in workers] == [0, 0]
        accepted = [results.get(timeout=5) for _ in workers]
        assert sum(accepted) == len(nonces)
        assert store.count() == len(nonces)
