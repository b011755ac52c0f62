"""``push`` and ``pull``: move a selection of items between this site and another one.

``--to``/``--from`` name a site folder on this machine or a server configured in this
site's ``uSync:Restore:Publisher:Servers`` (a value that is an existing folder, or holds
a path separator, is a folder; otherwise a server name).
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

from publisher_restore.cli.output import json_option
from publisher_restore.cli.publishing import decision_options, finish, publish_run
from publisher_restore.cli.state import CliState
from publisher_restore.errors import ConfigError
from publisher_restore.operations.pack_sources import PublishRequest
from publisher_restore.operations.pull import pull_from_site, pull_pack
from publisher_restore.operations.push import push_to_site
from publisher_restore.operations.remote import PublisherClient, RemotePack, push_to_server
from publisher_restore.publisher.settings import ServerSettings, load_publisher_settings
from publisher_restore.runtime import Runtime


def selection_options(command: Callable[..., Any]) -> Callable[..., Any]:
    """``--item`` (repeatable), ``--files``, ``--media``, ``--mirror``, ``--no-dependencies``."""
    for option in reversed(
        [
            click.option(
                "--item",
                "items",
                multiple=True,
                metavar="TYPE:ALIAS_OR_KEY",
                help="Only this item (e.g. ContentType:home) and what it needs; repeatable. "
                "None: every item of the source.",
            ),
            click.option("--files", is_flag=True, help="Views and static files too."),
            click.option("--media", is_flag=True, help="Media files too."),
            click.option(
                "--mirror",
                is_flag=True,
                help="Make the target match: items only the target holds, in the handler "
                "folders the selection covers, are deleted (Delete markers).",
            ),
            click.option(
                "--no-dependencies",
                is_flag=True,
                help="Do not add what the selected items need.",
            ),
        ]
    ):
        command = option(command)
    return command


def publish_request(
    items: tuple[str, ...], files: bool, media: bool, mirror: bool, no_dependencies: bool
) -> PublishRequest:
    return PublishRequest(
        items=items, dependencies=not no_dependencies, files=files, media=media, mirror=mirror
    )


def resolve_place(value: str, site_dir: Path) -> Path | ServerSettings:
    """A site folder, or a server configured in the site's ``Publisher:Servers``."""
    path = Path(value)
    if path.is_dir():
        return path
    if os.sep in value or "/" in value:
        raise ConfigError(f"{value}: no such site folder")
    servers = load_publisher_settings(site_dir)
    if value.casefold() in servers.servers:
        return servers.server(value)
    known = ", ".join(sorted(s.name for s in servers.servers.values())) or "none configured"
    raise ConfigError(
        f"{value!r} is neither a site folder nor a server in uSync:Restore:Publisher:Servers "
        f"({known})"
    )


@click.command()
@click.option("--to", "to", required=True, metavar="DIR|NAME", help="Target site or server.")
@selection_options
@decision_options
@json_option
@click.pass_obj
def push(
    state: CliState,
    to: str,
    items: tuple[str, ...],
    files: bool,
    media: bool,
    mirror: bool,
    no_dependencies: bool,
    yes: bool,
    no_input: bool,
    as_json: bool,
) -> None:
    """Push items (and files) from this site to another site or a server.

    The TARGET's policy (uSync:Restore:Publisher:Push) decides about a restore point on
    the target. Exit 13 when a decision is needed and nobody can answer it.
    """
    source = state.runtime.site
    request = publish_request(items, files, media, mirror, no_dependencies)
    run, keeper = publish_run(yes, no_input, as_json)
    place = resolve_place(to, state.site_dir)
    if isinstance(place, Path):
        result = push_to_site(source, Runtime.open(place, state.pm).env, request, run)
    else:
        result = push_to_server(source, PublisherClient(place), request, run)
    finish(result, keeper, as_json)


@click.command()
@click.option("--from", "from_", required=True, metavar="DIR|NAME", help="Source site or server.")
@selection_options
@decision_options
@json_option
@click.pass_obj
def pull(
    state: CliState,
    from_: str,
    items: tuple[str, ...],
    files: bool,
    media: bool,
    mirror: bool,
    no_dependencies: bool,
    yes: bool,
    no_input: bool,
    as_json: bool,
) -> None:
    """Pull items (and files) from another site or a server into this site.

    This site's policy (uSync:Restore:Publisher:Pull) decides about a restore point here.
    Exit 13 when a decision is needed and nobody can answer it.
    """
    request = publish_request(items, files, media, mirror, no_dependencies)
    run, keeper = publish_run(yes, no_input, as_json)
    target = state.runtime.env
    place = resolve_place(from_, state.site_dir)
    if isinstance(place, Path):
        result = pull_from_site(Runtime.open(place, state.pm).site, target, request, run)
    else:
        limit = load_publisher_settings(state.site_dir).max_body_bytes
        pack = RemotePack(PublisherClient(place), request, max_bytes=limit)
        result = pull_pack(pack, target, request, run)
    finish(result, keeper, as_json)


COMMANDS = (push, pull)
