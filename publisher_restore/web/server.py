"""Listening: which hosts are allowed, the socket, and uvicorn.

Without a configured password the dashboard signs people in with a one-time link and
so must only be reachable from this machine: a non-loopback host is refused
(``ConfigError``, exit 3) before anything listens.  The socket is bound here, so
``--port 0`` works and the printed address is the real one.  Forwarded headers are
ignored (``proxy_headers=False``): the client address used for rate limiting is the
socket's peer, which a request cannot forge.
"""

from __future__ import annotations

import ipaddress
import socket

import uvicorn
from fastapi import FastAPI

from publisher_restore.errors import ConfigError
from publisher_restore.web.settings import PASSWORD_HASH_KEY, PASSWORD_HASH_VARIABLE

LOOPBACK_NAMES = frozenset({"localhost"})
LOOPBACK_HOSTS = ("127.0.0.1", "localhost", "::1", "[::1]")
"""``Host`` names a loopback server answers to (DNS rebinding reaches nothing)."""


def is_loopback(host: str) -> bool:
    """True for ``localhost``, 127.0.0.0/8 and ``::1``."""
    if host.casefold() in LOOPBACK_NAMES:
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def allowed_hosts(host: str) -> list[str] | None:
    """The ``Host`` names to accept: loopback names on loopback, anything elsewhere."""
    return [*LOOPBACK_HOSTS, host.strip("[]")] if is_loopback(host) else None


def refuse_without_password(host: str) -> None:
    """No password: listening anywhere but loopback is refused with what to do instead."""
    if not is_loopback(host):
        raise ConfigError(
            f"refusing to listen on {host}: no dashboard password is configured "
            f"({PASSWORD_HASH_KEY}, or the environment variable {PASSWORD_HASH_VARIABLE}); "
            "run 'publisher-restore dashboard hash-password' and configure the hash, or serve "
            "on 127.0.0.1"
        )


def bind(host: str, port: int) -> socket.socket:
    """A listening socket on ``host:port`` (``port`` 0: any free port)."""
    try:
        family, kind, proto, _name, address = socket.getaddrinfo(
            host.strip("[]"), port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE
        )[0]
        sock = socket.socket(family, kind, proto)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind(address)
        sock.listen(128)
    except OSError as error:
        raise ConfigError(f"cannot listen on {host}:{port}: {error.strerror or error}") from None
    return sock


def url_of(sock: socket.socket) -> str:
    """``http://127.0.0.1:8600`` for a bound socket."""
    host, port = sock.getsockname()[:2]
    shown = f"[{host}]" if ":" in host else host
    return f"http://{shown}:{port}"


def run(app: FastAPI, sock: socket.socket) -> None:
    """Serve until interrupted (Ctrl+C, SIGTERM)."""
    config = uvicorn.Config(
        app,
        log_level="warning",
        proxy_headers=False,
        server_header=False,
        access_log=False,
    )
    uvicorn.Server(config).run(sockets=[sock])
