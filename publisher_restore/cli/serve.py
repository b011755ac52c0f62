"""``serve``: the site's web server (the restore dashboard and the publisher API);
``dashboard hash-password``.

The web stack is imported when a command needs it, so other commands start as fast as
before.
"""

from __future__ import annotations

import sys

import click

from publisher_restore.cli.output import emit_json, json_option, on_terminal
from publisher_restore.cli.state import CliState
from publisher_restore.errors import PublisherRestoreError

DEFAULT_PORT = 8600


class PasswordRefused(PublisherRestoreError):
    """A dashboard password that is too short (or missing)."""

    exit_code = 2


@click.command()
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
    """Serve the restore dashboard and the publisher API of the --site folder until Ctrl+C.

    Sign-in: the password hash in uSync:Restore:Dashboard:PasswordHash; without one,
    a one-time link printed here, and only on a loopback address.  The publisher API
    (/api/publisher/, push and pull from other sites) takes only requests signed by a
    client of uSync:Restore:Publisher:Clients.
    """
    from publisher_restore.web import server
    from publisher_restore.web.app import create_app
    from publisher_restore.web.publisher_api import build_router
    from publisher_restore.web.security.login_links import LINK_MINUTES, LoginLinks
    from publisher_restore.web.settings import load_dashboard_settings

    runtime = state.runtime
    site = runtime.site  # a missing or unusable site stops here (exit 3), before listening
    settings = load_dashboard_settings(site.root)
    if not settings.has_password:
        server.refuse_without_password(host)
    sock = server.bind(host, port)
    links = LoginLinks()
    app = create_app(
        runtime,
        settings,
        links=links,
        routers=[build_router(runtime)],
        allowed_hosts=server.allowed_hosts(host),
    )
    url = server.url_of(sock)
    started: dict[str, object] = {
        "site": str(site.root),
        "url": url + "/",
        "publisher_api": f"{url}/api/publisher",
    }
    if settings.has_password:
        started["sign_in"] = "password"
        click.echo(
            f"Restore dashboard of {site.name} at {url}/ (sign in with the configured "
            "password). Ctrl+C stops it.",
            err=True,
        )
    else:
        link = f"{url}/login/once?token={links.issue()}"
        started.update(sign_in="one-time link", login_link=link)
        click.echo(
            f"Restore dashboard of {site.name}: open {link}\n"
            f"  a one-time sign-in link, valid for {LINK_MINUTES} minutes. No password is "
            "configured, so the dashboard listens on this machine only. Ctrl+C stops it.",
            err=True,
        )
    if as_json:
        emit_json(started)
    sys.stdout.flush()
    server.run(app, sock)


@click.group()
def dashboard() -> None:
    """Settings of the restore dashboard."""


@dashboard.command("hash-password")
@json_option
def hash_password_command(as_json: bool) -> None:
    """Print an Argon2 hash of a new dashboard password (read from the terminal or stdin).

    Paste it into appsettings.json as uSync:Restore:Dashboard:PasswordHash, or set the
    environment variable uSync__Restore__Dashboard__PasswordHash. The password itself
    is never stored or printed.
    """
    from publisher_restore.web.security.passwords import hash_password
    from publisher_restore.web.settings import PASSWORD_HASH_KEY, PASSWORD_HASH_VARIABLE

    if on_terminal():
        password = click.prompt(
            "New dashboard password", hide_input=True, confirmation_prompt=True, err=True
        )
    else:
        password = sys.stdin.readline().rstrip("\r\n")
    try:
        hashed = hash_password(password)
    except ValueError as error:
        raise PasswordRefused(str(error)) from None
    if as_json:
        emit_json({"password_hash": hashed, "key": PASSWORD_HASH_KEY})
        return
    click.echo(hashed)
    click.echo(
        f"Set it as {PASSWORD_HASH_KEY} in appsettings.json, or in the environment as "
        f"{PASSWORD_HASH_VARIABLE}='<the hash>' (single quotes: it contains '$').",
        err=True,
    )


COMMANDS = (serve, dashboard)
