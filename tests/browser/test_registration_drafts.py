"""Drafts and the quick log in a real browser: a worker logs what he learned on a 390 px
phone; HR reviews drafts from workplace learning on a desktop and a phone, corrects a row and
confirms in bulk; the manager confirms his team's logs."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from leerplek.core.roles import Role
from leerplek.registration.models import Activity, ActivityStatus, QuickLog, QuickLogStatus
from leerplek.registration.services_drafts import drafts_generate
from tests.browser.conftest import no_horizontal_scroll, screenshot, serious_axe_violations
from tests.factories import Cast
from tests.registration.factories_drafts import (
    complete,
    confirm,
    ended_coaching,
    ended_peter,
    external_certificate,
    following,
    modules_of,
    passed_test,
    quick_log,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def errors_of(page: Any) -> list[str]:
    """The page's script and console errors, without Chromium's note on the 422 answer that a
    refused form gets on purpose."""
    return [error for error in page.errors if "status of 422" not in error]


def test_a_worker_logs_on_his_phone(cast: Cast, page_for: Any, live_server: Any) -> None:
    quick_log(cast, topic="Etiketten wisselen", how="watched", minutes=15)
    phone = page_for(cast.user(Role.EMPLOYEE), phone=True)
    phone.goto(live_server.url + reverse("registration:quick-log"))
    expect(phone.locator("h1")).to_have_text("Learned today")
    phone.get_by_role("button", name="Log it").click()
    expect(phone.get_by_text("Choose how you learned.")).to_be_visible()
    assert no_horizontal_scroll(phone)
    screenshot(phone, "registration-quick-log-error-phone")
    phone.get_by_label("Tried it out").check()
    phone.get_by_label("What did you learn?").fill("Lijmpot vullen zonder morsen")
    phone.get_by_label("How many minutes?").fill("20")
    phone.get_by_role("button", name="Log it").click()
    expect(phone.get_by_text("Logged. Your manager confirms it.")).to_be_visible()
    expect(phone.get_by_text("Lijmpot vullen zonder morsen")).to_be_visible()
    assert no_horizontal_scroll(phone)
    assert serious_axe_violations(phone) == []
    screenshot(phone, "registration-quick-log-phone")
    log = QuickLog.objects.get(topic="Lijmpot vullen zonder morsen")
    assert (log.how, log.minutes, log.status) == ("tried", 20, QuickLogStatus.PENDING)
    assert errors_of(phone) == []


def workplace_learning(cast: Cast) -> None:
    assignment = following(cast, code="BRW-A", weeks=2)
    confirm(cast, assignment, modules_of(assignment)[1])
    complete(cast, following(cast, code="BRW-B", employee=cast.employees[Role.MENTOR]))
    ended_peter(cast, weeks=6)
    ended_coaching(cast)
    passed_test(cast)
    external_certificate(cast, title="Heftruck", issued_on=assignment.started_on)
    drafts_generate(organisation=cast.organisation)


def test_hr_reviews_and_confirms_drafts(cast: Cast, page_for: Any, live_server: Any) -> None:
    workplace_learning(cast)
    certificate = Activity.objects.get(source="certificate")
    module = Activity.objects.get(source="module")
    desktop = page_for(cast.user(Role.HR))
    desktop.goto(live_server.url + reverse("registration:draft-list"))
    expect(desktop.locator("h1")).to_have_text("Drafts from workplace learning")
    assert serious_axe_violations(desktop) == []
    screenshot(desktop, "registration-drafts-desktop")
    desktop.get_by_label("Select “External certificate “Heftruck””").check()
    desktop.get_by_label("Select “Module “Saus afvullen” of Programma BRW-A”").check()
    desktop.get_by_label("Hours of “External certificate “Heftruck””").fill("30")
    desktop.get_by_role("button", name="Confirm selected").click()
    expect(desktop.get_by_text("at most 24 on its one day").first).to_be_visible()
    assert serious_axe_violations(desktop) == []
    screenshot(desktop, "registration-drafts-error-desktop")
    desktop.get_by_label("Hours of “External certificate “Heftruck””").fill("2")
    desktop.get_by_role("button", name="Confirm selected").click()
    expect(
        desktop.get_by_text("2 drafts confirmed: 78.00 hours of workplace learning now count.")
    ).to_be_visible()
    screenshot(desktop, "registration-drafts-confirmed-desktop")
    certificate.refresh_from_db()
    module.refresh_from_db()
    assert certificate.status == module.status == ActivityStatus.CONFIRMED
    assert certificate.participations.get().hours == 2
    phone = page_for(cast.user(Role.HR), phone=True)
    phone.goto(live_server.url + reverse("registration:draft-list"))
    expect(phone.locator("h1")).to_have_text("Drafts from workplace learning")
    assert no_horizontal_scroll(phone)
    assert serious_axe_violations(phone) == []
    screenshot(phone, "registration-drafts-phone")
    assert errors_of(desktop) == []
    assert errors_of(phone) == []


def test_the_manager_confirms_his_teams_logs(cast: Cast, page_for: Any, live_server: Any) -> None:
    asked = quick_log(cast, topic="Storing sealer verhelpen", minutes=40)
    quick_log(cast, topic="Nieuwe palletwikkelaar", how="read", minutes=25)
    quick_log(cast, employee=cast.employees[Role.MENTOR], topic="Inwerken van Nina", how="tried")
    quick_log(cast, employee=cast.employees[Role.MANAGER], topic="Mijn eigen les")
    desktop = page_for(cast.user(Role.MANAGER))
    desktop.goto(live_server.url + reverse("registration:quick-log-review"))
    expect(desktop.locator("h1")).to_have_text("Quick logs to confirm")
    expect(desktop.get_by_text("Mijn eigen les")).to_have_count(0)
    assert serious_axe_violations(desktop) == []
    screenshot(desktop, "registration-quick-log-review-desktop")
    desktop.get_by_label("Select all rows on this page").check()
    desktop.get_by_label("Select “Nieuwe palletwikkelaar” of Employee Employee").uncheck()
    desktop.get_by_role("button", name="Confirm selected").click()
    expect(desktop.get_by_text("2 logs confirmed (1.17 hours).")).to_be_visible()
    asked.refresh_from_db()
    assert asked.status == QuickLogStatus.CONFIRMED
    phone = page_for(cast.user(Role.MANAGER), phone=True)
    phone.goto(live_server.url + reverse("registration:quick-log-review"))
    expect(phone.get_by_text("Nieuwe palletwikkelaar")).to_be_visible()
    assert no_horizontal_scroll(phone)
    assert serious_axe_violations(phone) == []
    screenshot(phone, "registration-quick-log-review-phone")
    assert errors_of(desktop) == []
    assert errors_of(phone) == []
