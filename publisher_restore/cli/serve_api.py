"""``serve``: the site's web server, the publisher API for now.

This is the pipeline's minimal ``serve``: the restore dashboard (issue 9) brings the full
one (its pages and sign-in beside the publisher API); when both are merged, its ``serve``
mounts ``web.publisher_api.build_router(runtime)`` and this module goes.  The web stack is
imported only when the command runs.
"""

from __future__ import annotations

import socket
import sys

import click

from publisher_restore.cli.output import emit_json, json_option, warn
from publisher_restore.cli.state import CliState
from publisher_restore.errors import ConfigError

DEFAULT_PORT = 8600


@click.command("serve")
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option(
    "--port",
    default=DEFAULT_PORT,
    show_default=True,
    type=click.IntRange(0, 65535),
    help="Port to listen on (0: any free port).",
)
@json_option
@click.pass_obj
def serve(state: CliState, host: str, port: int, as_json: bool) -> None:
    """Serve the --site folder's publisher API (signed push and pull) until Ctrl+C.

    Clients are those in uSync:Restore:Publisher:Clients; every request must carry their
    HMAC signature. The address printed (--json: {"site", "url", "api"}) is the real one.
    """
    import uvicorn

    from publisher_restore.publisher.settings import load_publisher_settings
    from publisher_restore.web.publisher_api.app import create_publisher_app

    runtime = state.runtime
    site = runtime.site
    settings = load_publisher_settings(site.root)
    if not settings.clients:
        warn(
            "no clients in uSync:Restore:Publisher:Clients: every request will be refused "
            "(401) until one is configured"
        )
    app = create_publisher_app(runtime)
    sock = _bind(host, port)
    url = _url_of(sock)
    click.echo(f"Publisher API of {site.name} at {url}/api/publisher; Ctrl+C stops it.", err=True)
    if as_json:
        emit_json({"site": str(site.root), "url": url, "api": f"{url}/api/publisher"})
    sys.stdout.flush()
    config = uvicorn.Config(
        app, log_level="warning", proxy_headers=False, server_header=False, access_log=False
    )
    uvicorn.Server(config).run(sockets=[sock])


def _bind(host: str, port: int) -> socket.socket:
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


def _url_of(sock: socket.socket) -> str:
    host, port = sock.getsockname()[:2]
    shown = f"[{host}]" if ":" in host else host
    return f"http://{shown}:{port}"


COMMANDS = (serve,)
