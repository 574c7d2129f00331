"""The matching pages in a browser: the batch of newcomers and one newcomer's proposal, on a
desktop and a phone, and confirming a batch."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from leerplek.core.roles import Role
from leerplek.onboarding.models import Guidance, MatchDecision
from tests.browser.conftest import no_horizontal_scroll, screenshot, serious_axe_violations
from tests.factories import Cast
from tests.onboarding.factories_matching import Scene, newcomer, pool_member, scene

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def batch_scene(cast: Cast) -> Scene:
    s = scene(cast)
    newcomer(cast, first_name="Zoë", last_name="Zwart-Vandermeulen", languages="fr, nl")
    newcomer(cast, first_name="Piotr", last_name="Nowak", languages="pl", unit=cast.office)
    pool_member(cast, first_name="Chloé", last_name="Claes", languages="fr, nl", unit=cast.office)
    return s


def test_the_batch_on_a_desktop_and_a_phone(cast: Cast, page_for: Any, live_server: Any) -> None:
    batch_scene(cast)
    url = live_server.url + reverse("onboarding:matching")
    desktop = page_for(cast.user(Role.HR))
    desktop.goto(url)
    assert desktop.locator("article.match-row").count() == 3
    assert desktop.locator(".match-option.best").count() == 3
    screenshot(desktop, "onboarding-matching-batch-desktop")
    assert serious_axe_violations(desktop) == []
    phone = page_for(cast.user(Role.HR), phone=True)
    phone.goto(url)
    screenshot(phone, "onboarding-matching-batch-phone")
    assert no_horizontal_scroll(phone)
    assert serious_axe_violations(phone) == []


def test_confirming_the_batch_with_an_override(cast: Cast, page_for: Any, live_server: Any) -> None:
    s = batch_scene(cast)
    page = page_for(cast.user(Role.HR))
    page.goto(live_server.url + reverse("onboarding:matching"))
    row = page.locator(f"#newcomer-{s.onboarding.pk}")
    # Choose the second option (an alternative) for Wout without a reason: refused, nothing saved.
    row.locator(".match-option").nth(1).click()
    page.get_by_role("button", name="Confirm the chosen peters/meters").click()
    expect(page.get_by_text("Nothing was designated")).to_be_visible()
    screenshot(page, "onboarding-matching-batch-refused")
    assert not Guidance.objects.exists()
    row = page.locator(f"#newcomer-{s.onboarding.pk}")
    row.get_by_label("Why another choice").fill("Works the same hours")
    page.get_by_role("button", name="Confirm the chosen peters/meters").click()
    expect(page.get_by_text("3 peters/meters designated.")).to_be_visible()
    assert Guidance.objects.count() == 3
    assert MatchDecision.objects.exclude(reason="").count() == 1
    screenshot(page, "onboarding-matching-batch-done")


def test_one_newcomers_proposal(cast: Cast, page_for: Any, live_server: Any) -> None:
    s = batch_scene(cast)
    desktop = page_for(cast.user(Role.HR))
    desktop.goto(live_server.url + reverse("onboarding:onboarding-detail", args=[s.onboarding.pk]))
    section = desktop.locator("section.match-part")
    expect(section.get_by_text("Anna Aerts")).to_be_visible()
    screenshot(desktop, "onboarding-matching-detail-part")
    section.get_by_role("button", name="Propose a peter/meter").click()
    url = live_server.url + reverse("onboarding:match-propose", args=[s.onboarding.pk])
    assert desktop.url == url
    assert desktop.locator(".match-option.best").inner_text().lower().startswith("proposal")
    screenshot(desktop, "onboarding-matching-propose-desktop")
    assert serious_axe_violations(desktop) == []
    phone = page_for(cast.user(Role.HR), phone=True)
    phone.goto(url)
    screenshot(phone, "onboarding-matching-propose-phone")
    assert no_horizontal_scroll(phone)
    phone.get_by_role("button", name="Designate").click()
    assert Guidance.objects.get().guide == s.anna.employee
