"""Learning registration in a real browser: HR registers an activity and its participant, the
activity list and page on a desktop and a phone (the social-balance worksheet:
tests/browser/test_registration_sb.py)."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from leerplek.core.roles import Role
from leerplek.registration.models import Activity
from tests.browser.conftest import (
    no_horizontal_scroll,
    screenshot,
    serious_axe_violations,
)
from tests.factories import Cast
from tests.registration.test_social_balance import small_world

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_hr_registers_an_activity_with_a_participant(
    cast: Cast, page_for: Any, live_server: Any
) -> None:
    desktop = page_for(cast.user(Role.HR))
    desktop.goto(live_server.url + reverse("registration:activity-create"))
    desktop.locator("input[name=title]").fill("Meedraaien op de mengketel")
    desktop.locator("select[name=category]").select_option("informal")
    desktop.locator("input[name=start_date]").fill("2026-03-02")
    desktop.locator("input[name=end_date]").fill("2026-03-01")
    desktop.locator(
        "form.record-form button[type=submit], main form button[type=submit]"
    ).last.click()
    expect(desktop.locator(".field-error, .errorlist, [role=alert]").first).to_be_visible()
    screenshot(desktop, "registration-activity-form-errors-desktop")
    assert not Activity.objects.exists()
    desktop.locator("select[name=informal_kind]").select_option("on_the_job")
    desktop.locator("input[name=end_date]").fill("2026-03-06")
    desktop.locator("input[name=duration_hours]").fill("12")
    desktop.locator("main form button[type=submit]").last.click()
    expect(desktop.locator("h1")).to_have_text("Meedraaien op de mengketel")
    desktop.locator("details.rg-add summary").first.click()
    assert cast.worker is not None
    desktop.locator("select[name=employee]").first.select_option(str(cast.worker.pk))
    desktop.locator("input[name=hours]").fill("14")
    desktop.locator("details.rg-add").first.locator("button[type=submit]").click()
    expect(desktop.get_by_text("At most 12.00 hours")).to_be_visible()
    desktop.locator("input[name=hours]").fill("9.5")
    desktop.locator("details.rg-add").first.locator("button[type=submit]").click()
    expect(desktop.get_by_role("cell", name=str(cast.worker)).first).to_be_visible()
    assert serious_axe_violations(desktop) == []
    screenshot(desktop, "registration-activity-detail-desktop")
    # The refused forms answer 422, which the console reports; nothing else went wrong.
    assert [error for error in desktop.errors if "422" not in error] == []


def test_the_list_and_an_activity_on_a_phone(cast: Cast, page_for: Any, live_server: Any) -> None:
    small_world(cast)
    phone = page_for(cast.user(Role.HR), phone=True)
    phone.goto(live_server.url + reverse("registration:activity-list") + "?year=2025")
    expect(phone.get_by_role("link", name="Heftruck")).to_be_visible()
    expect(phone.get_by_text("Not counted: Brainstorming").first).to_be_visible()
    assert no_horizontal_scroll(phone)
    assert serious_axe_violations(phone) == []
    screenshot(phone, "registration-activity-list-phone")
    phone.get_by_role("link", name="Heftruck").click()
    expect(phone.get_by_text("not counted in the social balance").first).to_be_visible()
    assert no_horizontal_scroll(phone)
    assert serious_axe_violations(phone) == []
    screenshot(phone, "registration-activity-detail-phone")
    desktop = page_for(cast.user(Role.HR))
    desktop.goto(live_server.url + reverse("registration:activity-list"))
    assert serious_axe_violations(desktop) == []
    screenshot(desktop, "registration-activity-list-desktop")
    assert phone.errors == []
    assert desktop.errors == []
