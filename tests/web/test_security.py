"""The security parts on their own: limits, one-time links, sessions, settings, templates."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from publisher_restore.errors import ConfigError
from publisher_restore.web.security.login_links import LoginLinks
from publisher_restore.web.security.passwords import (
    hash_password,
    is_password_hash,
    verify_password,
)
from publisher_restore.web.security.rate_limit import LoginRateLimiter
from publisher_restore.web.security.sessions import SessionStore
from publisher_restore.web.server import is_loopback, refuse_without_password
from publisher_restore.web.settings import load_dashboard_settings

TEMPLATES = Path(__file__).resolve().parents[2] / "publisher_restore/web/templates"


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_failures_are_limited_per_client_and_overall() -> None:
    clock = Clock()
    limiter = LoginRateLimiter(per_client=3, overall=5, window_seconds=60, clock=clock)
    for _ in range(3):
        assert limiter.retry_after("10.0.0.1") is None
        limiter.failed("10.0.0.1")
    assert limiter.retry_after("10.0.0.1") == 60
    assert limiter.retry_after("10.0.0.2") is None  # another client may still try
    limiter.failed("10.0.0.2")
    limiter.failed("10.0.0.3")
    assert limiter.retry_after("10.0.0.4") == 60  # five failures in all: everybody waits
    clock.now += 30
    assert limiter.retry_after("10.0.0.4") == 30
    clock.now += 30
    assert limiter.retry_after("10.0.0.1") is None and limiter.retry_after("10.0.0.4") is None


def test_a_success_clears_only_that_clients_failures() -> None:
    limiter = LoginRateLimiter(per_client=2, overall=100, clock=Clock())
    limiter.failed("a")
    limiter.failed("b")
    limiter.succeeded("a")
    limiter.failed("a")
    limiter.failed("b")
    assert limiter.retry_after("a") is None and limiter.retry_after("b") is not None


def test_a_login_link_works_once_and_only_before_it_expires() -> None:
    clock = Clock()
    links = LoginLinks(minutes=15, clock=clock)
    token, late = links.issue(), links.issue()
    assert not links.redeem("not-a-token")
    assert links.redeem(token)
    assert not links.redeem(token)
    clock.now += 15 * 60
    assert not links.redeem(late)


def test_sessions_end_when_idle_at_their_lifetime_or_on_sign_out() -> None:
    clock = Clock()
    sessions = SessionStore(idle_seconds=600, lifetime_seconds=3600, clock=clock)
    idle, busy, leaving = sessions.create(), sessions.create(), sessions.create()
    assert idle.csrf_token != busy.csrf_token and len(idle.id) >= 40
    sessions.end(leaving.id)
    assert sessions.get(leaving.id) is None
    for _ in range(6):
        clock.now += 500
        assert sessions.get(busy.id) is busy
    assert sessions.get(idle.id) is None
    clock.now += 700
    assert sessions.get(busy.id) is None  # idle again
    fresh = sessions.create()
    for _ in range(8):
        clock.now += 500
        sessions.get(fresh.id)
    assert sessions.get(fresh.id) is None  # past its lifetime, however busy
    assert sessions.get(None) is None and sessions.get("") is None


def test_password_hashes() -> None:
    hashed = hash_password("twelve chars!")
    assert hashed.startswith("$argon2id$") and is_password_hash(hashed)
    assert verify_password(hashed, "twelve chars!")
    assert not verify_password(hashed, "twelve chars?")
    assert not verify_password("not a hash", "twelve chars!")
    assert not is_password_hash("twelve chars!")
    with pytest.raises(ValueError, match="at least 12 characters"):
        hash_password("short")


def test_settings_name_the_key_and_never_show_a_plain_password(tmp_path: Path) -> None:
    site = tmp_path / "site"
    site.mkdir()
    settings = {"uSync": {"Restore": {"Dashboard": {"PasswordHash": "hunter2-plain"}}}}
    (site / "appsettings.json").write_text(json.dumps(settings), encoding="utf-8")
    with pytest.raises(ConfigError) as refused:
        load_dashboard_settings(site, {})
    message = str(refused.value)
    assert message.startswith(
        f"uSync:Restore:Dashboard:PasswordHash in {site / 'appsettings.json'}"
    )
    assert "hunter2" not in message
    hashed = hash_password("a good long password")
    env = {
        "uSync__Restore__Dashboard__PasswordHash": hashed,
        "uSync__Restore__Dashboard__SessionMinutes": "45",
    }
    loaded = load_dashboard_settings(site, env)
    assert loaded.password_hash is not None and loaded.password_hash.get_secret_value() == hashed
    assert loaded.session_minutes == 45 and hashed not in repr(loaded)
    with pytest.raises(ConfigError, match=r"SessionMinutes .* must be 1 to 1440"):
        load_dashboard_settings(site, {**env, "uSync__Restore__Dashboard__SessionMinutes": "0"})
    assert not load_dashboard_settings(tmp_path, {}).has_password


def test_without_a_password_only_loopback_hosts_are_allowed() -> None:
    for host in ("127.0.0.1", "127.1.2.3", "localhost", "::1", "[::1]"):
        assert is_loopback(host)
        refuse_without_password(host)
    for host in ("0.0.0.0", "::", "192.168.1.10", "example.org"):
        assert not is_loopback(host)
        with pytest.raises(ConfigError, match="refusing to listen on"):
            refuse_without_password(host)


@pytest.mark.parametrize("template", sorted(p.name for p in TEMPLATES.glob("*.html")))
def test_templates_carry_no_inline_script_style_or_handler(template: str) -> None:
    """The CSP forbids them; a page that used one would break, so none may creep in."""
    text = (TEMPLATES / template).read_text(encoding="utf-8")
    assert not re.search(r"\sstyle\s*=", text)
    assert not re.search(r"<style\b", text)
    assert not re.search(r"\son[a-z]+\s*=", text)
    for script in re.findall(r"<script\b[^>]*>", text):
        assert re.search(r'\ssrc="', script), script
    for form in re.findall(r'<form\b[^>]*method="post"[^>]*>', text):
        tail = text[text.index(form) : text.index("</form>", text.index(form))]
        assert "_csrf.html" in tail or "login_token" in tail, (template, form)
