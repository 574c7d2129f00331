"""Every HTML page, rendered in headless Chromium on a desktop and a 390 px phone.

Pages come from the URL resolver, so a new page is rendered here the day it is added. For each:
no script errors (CSP blocks inline scripts, so a violation shows up here), no serious or
critical axe-core finding, no sideways scrolling on a phone, and a screenshot to look at.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from playwright.sync_api import expect

from leerplek.core.permissions import PERMISSIONS
from leerplek.core.roles import Role
from tests.browser.conftest import (
    DESKTOP,
    PHONE,
    no_horizontal_scroll,
    screenshot,
    serious_axe_violations,
)
from tests.core.test_url_permissions import all_urls, url_arguments, url_kwargs
from tests.factories import Cast

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# The role that opens each page: HR where HR may, else the first role the table allows.
PREFERRED = [Role.HR, Role.ADMIN, Role.MANAGER, Role.EMPLOYEE, Role.CONSULTATION]


def role_for(perm: str) -> Role:
    rule = PERMISSIONS[perm]
    if rule.own and not rule.roles:
        return Role.EMPLOYEE
    return next(role for role in PREFERRED if role in rule.roles)


# (name, role) of every page that answers with a whole HTML document, found once per test
# worker: which views answer that way does not depend on the primary keys of the cast.
_PAGE_NAMES: list[tuple[str, Role]] = []


def html_pages(cast: Cast) -> list[tuple[str, str, Role]]:
    """(name, url, role) of every GET page that answers with HTML."""
    arguments = url_arguments(cast)
    patterns = dict(all_urls())
    if not _PAGE_NAMES:
        client = Client()
        for name, pattern in patterns.items():
            perm = pattern.callback.required_perm
            if perm is None:
                continue
            role = role_for(perm)
            client.force_login(cast.user(role))
            response = client.get(reverse(name, kwargs=url_kwargs(arguments, name, pattern)))
            is_html = response.get("Content-Type", "").startswith("text/html")
            # htmx fragments (no <html> of their own) are rendered inside their page.
            whole = (
                response.status_code == 200
                and is_html
                and not response.streaming
                and b"<!doctype html>" in response.content[:200]
            )
            if whole:
                _PAGE_NAMES.append((name, role))
    return [
        (name, reverse(name, kwargs=url_kwargs(arguments, name, patterns[name])), role)
        for name, role in _PAGE_NAMES
    ]


# The pages are rendered in this many parts, so that the test workers share them.
PARTS = 8


@pytest.mark.parametrize("part", range(PARTS))
def test_every_page_renders_cleanly(cast: Cast, page_for: Any, live_server: Any, part: int) -> None:
    pages = html_pages(cast)
    assert len(pages) >= 15
    problems: list[str] = []
    # One window per role, reused from page to page (as a user moves through the app, with the
    # style sheets and scripts in the browser's cache). Each page is looked at on a desktop,
    # then the same window is narrowed to a 390 px phone: the style sheet's media queries
    # apply as they would on a phone, without loading the page twice.
    windows: dict[Role, Any] = {}
    for name, url, role in sorted(pages[part::PARTS], key=lambda page: page[2]):
        if role not in windows:
            for window in windows.values():
                # Closing a window's context closes its keep-alive sockets, so the live
                # server's request threads end and give back their database connections.
                window.context.close()
            windows = {role: page_for(cast.user(role))}
        window = windows[role]
        slug = name.replace(":", "-")
        window.set_viewport_size(DESKTOP)
        window.errors.clear()
        response = window.goto(live_server.url + url)
        assert response is not None, name
        assert response.status == 200, name
        assert window.locator("h1").first.is_visible(), f"{name}: no visible heading"
        screenshot(window, f"{slug}-desktop")
        problems += [f"{name}: {finding}" for finding in serious_axe_violations(window)]
        problems += [f"{name}: script error {error}" for error in window.errors]
        window.set_viewport_size(PHONE)
        screenshot(window, f"{slug}-phone")
        if not no_horizontal_scroll(window):
            problems.append(f"{name}: scrolls sideways on a 390 px phone")
    assert problems == []


def test_login_page_and_logging_in(cast: Cast, page_for: Any, live_server: Any) -> None:
    page = page_for()
    page.goto(live_server.url + reverse("core:home"))
    assert "/login/" in page.url
    screenshot(page, "login")
    assert serious_axe_violations(page) == []
    page.get_by_label("E-mailadres").fill("hr@example.test")
    page.get_by_label("Wachtwoord").fill("wrong password")
    page.get_by_role("button", name="Aanmelden").click()
    expect(page.get_by_text("komen niet overeen")).to_be_visible()
    page.get_by_label("Wachtwoord").fill("correct horse battery staple")
    page.get_by_role("button", name="Aanmelden").click()
    page.wait_for_url(live_server.url + "/")
    assert page.get_by_role("heading", level=1).inner_text().startswith("Welcome")


def test_switching_language_is_kept_on_the_account(
    cast: Cast, page_for: Any, live_server: Any
) -> None:
    user = cast.user(Role.HR)
    page = page_for(user)
    page.goto(live_server.url + reverse("people:unit-list"))
    page.get_by_role("button", name="Français").click()
    page.wait_for_load_state()
    assert page.get_by_role("heading", level=1).inner_text() == "Unités"
    user.refresh_from_db()
    assert user.language == "fr"
    page.get_by_role("button", name="Nederlands").click()
    page.wait_for_load_state()
    assert page.get_by_role("heading", level=1).inner_text() == "Eenheden"


def dutch(user: Any) -> Any:
    user.language = "nl"
    user.save(update_fields=["language"])
    return user


def test_menu_opens_on_a_phone(cast: Cast, page_for: Any, live_server: Any) -> None:
    page = page_for(dutch(cast.user(Role.HR)), phone=True)
    page.goto(live_server.url + "/")
    page.get_by_text("Menu").click()
    page.get_by_role("link", name="Mensen").click()
    page.wait_for_url(live_server.url + reverse("people:employee-list"))
    expect(page.get_by_role("link", name="Werker, Wout")).to_be_visible()


def test_people_filter_and_bad_form_input(cast: Cast, page_for: Any, live_server: Any) -> None:
    page = page_for(dutch(cast.user(Role.HR)))
    page.goto(live_server.url + reverse("people:employee-list"))
    page.get_by_label("Zoeken").fill("wout")
    page.get_by_role("button", name="Filteren").click()
    expect(page.get_by_role("link", name="Werker, Wout")).to_be_visible()
    expect(page.get_by_text("1 persoon")).to_be_visible()
    page.goto(live_server.url + reverse("people:employee-create"))
    page.get_by_label("Voornaam").fill("Nina")
    page.get_by_role("button", name="Opslaan").click()
    expect(page.get_by_text("Dit veld is verplicht.").first).to_be_visible()
    screenshot(page, "people-employee-create-errors")
    assert page.get_by_label("Voornaam").input_value() == "Nina"


def test_a_filled_skills_matrix_on_desktop_and_phone(
    cast: Cast, page_for: Any, live_server: Any
) -> None:
    import datetime

    from django.utils import timezone

    from tests.competences.factories import assess
    from tests.competences.test_matrix import small_team

    team = small_team(cast)
    today = timezone.localdate()
    assess(cast, team["ann"], team["fill"], "U", on=today - datetime.timedelta(days=30))
    assess(cast, team["ann"], team["clean"], "O", valid_until=today + datetime.timedelta(days=20))
    assess(cast, team["bob"], team["fill"], "I")
    assess(cast, team["bob"], team["clean"], "U", valid_until=today - datetime.timedelta(days=3))
    url = f"{live_server.url}{reverse('competences:matrix')}?unit={cast.packaging.pk}"
    manager = dutch(cast.user(Role.MANAGER))
    desktop = page_for(manager)
    desktop.goto(url)
    row = desktop.get_by_role("row").filter(has_text="Aerts")
    assert "U" in row.inner_text()
    # The cell's text is its level code, the quarter-circle symbol drawn before it by CSS;
    # an expired or expiring cell tells its date in its title.
    assert row.locator("td.q3").inner_text().startswith("U")
    assert row.locator("td.q4").count() == 1
    symbol = row.locator("td.q4").evaluate("td => getComputedStyle(td, '::before').borderRadius")
    assert symbol == "50%"
    assert row.locator("td.soon").get_attribute("title").startswith("vervalt op ")
    bob = desktop.get_by_role("row").filter(has_text="Bos")
    assert bob.locator("td.exp").get_attribute("title").startswith("vervallen op ")
    assert desktop.locator(".matrix-legend .lv").count() >= 5
    coverage = desktop.get_by_role("row").filter(has_text="Dekking")
    # CLEAN: Ann's O counts, Bob's expired U does not; FILL: Ann's U.
    assert coverage.inner_text().count("1/2") == 2
    screenshot(desktop, "competences-matrix-filled-desktop")
    assert serious_axe_violations(desktop) == []
    desktop.goto(url + "&gaps=on&required=on")
    assert desktop.locator("table.matrix.only-gaps").count() == 1
    assert desktop.locator("input[name=gaps]").is_checked()
    screenshot(desktop, "competences-matrix-gaps-desktop")
    phone = page_for(manager, phone=True)
    phone.goto(url)
    screenshot(phone, "competences-matrix-filled-phone")
    assert no_horizontal_scroll(phone)


def test_changing_a_matrix_cell_in_place(cast: Cast, page_for: Any, live_server: Any) -> None:
    from playwright.sync_api import expect

    from tests.competences.factories import assess, level
    from tests.competences.test_matrix import small_team

    team = small_team(cast)
    assess(cast, team["bob"], team["fill"], "I")
    url = f"{live_server.url}{reverse('competences:matrix')}?unit={cast.packaging.pk}"
    page = page_for(dutch(cast.user(Role.HR)))
    page.goto(url)
    page.evaluate("window.notReloaded = true")
    # FILL is the second competence column (CLEAN, FILL): the cell at that column in Bob's row.
    row = page.locator(f"tr[data-e='{team['bob'].pk}']")
    cell = row.locator("td").nth(1)
    expect(cell).to_have_text("IU")
    cell.click()
    page.get_by_label("Niveau").select_option(str(level(cast.organisation, "U").pk))
    screenshot(page, "competences-matrix-cell-edit")
    page.get_by_role("button", name="Opslaan").click()
    expect(cell).to_have_text("UU")
    expect(cell).to_have_class("q3 cv")
    expect(cell).to_be_focused()
    # The keyboard: Enter opens the form, Escape puts the cell back, arrows move along the row.
    page.keyboard.press("Enter")
    expect(page.get_by_label("Niveau")).to_be_focused()
    page.keyboard.press("Escape")
    expect(cell).to_be_focused()
    expect(cell).to_have_text("UU")
    page.keyboard.press("ArrowLeft")
    expect(row.locator("td").nth(0)).to_be_focused()
    assert page.evaluate("window.notReloaded") is True
    assert page.errors == []
