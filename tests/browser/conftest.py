"""Headless Chromium (Debian's package) driven by Playwright's sync API against `live_server`.

Never downloads a browser: `executable_path` points at /usr/bin/chromium. Outside CI the browser
tests skip with a visible reason when Chromium is missing; in CI they fail instead.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore

from tests.conftest import IN_CI

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]
SCREENSHOTS = Path(__file__).parent / "screenshots"
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    if not os.path.exists(CHROMIUM):
        if IN_CI:
            pytest.fail(f"Chromium not found at {CHROMIUM}; CI installs Debian's chromium.")
        pytest.skip(f"Chromium not found at {CHROMIUM} (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


def session_cookie_for(user: Any, live_url: str) -> dict[str, Any]:
    """A logged-in session cookie, as `force_login` would make it."""
    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = "leerplek.core.backends.AccountBackend"
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.save()
    return {
        "name": settings.SESSION_COOKIE_NAME,
        "value": session.session_key,
        "url": live_url,
    }


@pytest.fixture
def page_for(browser: Any, live_server: Any) -> Iterator[Callable[..., Any]]:
    """Open a new page logged in as `user` (or anonymous), desktop or phone sized."""
    contexts: list[Any] = []

    def open_page(user: Any = None, *, phone: bool = False) -> Any:
        context = browser.new_context(viewport=PHONE if phone else DESKTOP, locale="nl-BE")
        if user is not None:
            context.add_cookies([session_cookie_for(user, live_server.url)])
        contexts.append(context)
        page = context.new_page()
        page.errors = []  # type: ignore[attr-defined]
        page.on("pageerror", lambda error: page.errors.append(str(error)))
        page.on(
            "console",
            lambda message: page.errors.append(message.text) if message.type == "error" else None,
        )
        return page

    yield open_page
    for context in contexts:
        context.close()


def screenshot(page: Any, name: str) -> Path:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    target = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(target), full_page=True)
    return target


def serious_axe_violations(page: Any) -> list[str]:
    """axe-core (bundled with axe-playwright-python, never fetched) findings of impact serious+."""
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page)
    return [
        f"{violation['id']}: {violation['help']} ({len(violation['nodes'])} nodes: "
        f"{violation['nodes'][0]['target']})"
        for violation in results.response["violations"]
        if violation.get("impact") in {"serious", "critical"}
    ]


def no_horizontal_scroll(page: Any) -> bool:
    """True when the page fits the viewport's width (no sideways scrolling on a phone)."""
    return bool(
        page.evaluate("() => document.documentElement.scrollWidth <= window.innerWidth + 1")
    )
