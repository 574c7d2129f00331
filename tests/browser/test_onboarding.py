"""The onboarding pages with real content: the newcomer's own page on a phone, and ticking a
task in place on the onboarding page."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from leerplek.core.roles import Role
from leerplek.people.models import Employee
from tests.browser.conftest import no_horizontal_scroll, screenshot, serious_axe_violations
from tests.factories import Cast
from tests.onboarding.factories import colleague, designate, start, templates

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def newcomer_with_peter(cast: Cast) -> Any:
    """The worker, logged in as the employee user, ten days into his onboarding."""
    worker = cast.worker
    assert worker is not None
    Employee.objects.filter(pk=cast.employees[Role.EMPLOYEE].pk).update(user=None)
    worker.user = cast.user(Role.EMPLOYEE)
    worker.save()
    templates(cast)
    plan = start(cast, start_date=timezone.localdate() - datetime.timedelta(days=10))
    designate(
        cast,
        plan,
        colleague(
            cast,
            first_name="Marleen",
            last_name="Vandenbroucke-Verstraeten",
            phone="+32 470 12 34 56",
            email="marleen@example.test",
        ),
    )
    designate(cast, plan, colleague(cast, first_name="Bart", last_name="Backx"), is_backup=True)
    return plan


def test_the_newcomers_page_on_a_phone_and_a_desktop(
    cast: Cast, page_for: Any, live_server: Any
) -> None:
    newcomer_with_peter(cast)
    url = live_server.url + reverse("onboarding:mine")
    phone = page_for(cast.user(Role.EMPLOYEE), phone=True)
    phone.goto(url)
    assert phone.locator(".guide-card .name").first.inner_text() == (
        "Marleen Vandenbroucke-Verstraeten"
    )
    call = phone.get_by_role("button", name="Call Marleen Vandenbroucke-Verstraeten")
    assert call.get_attribute("href") == "tel:+32470123456"
    box = call.bounding_box()
    assert box is not None
    assert box["height"] >= 44
    expect(phone.get_by_role("heading", name="This week")).to_be_visible()
    expect(phone.get_by_role("heading", name="My backup")).to_be_visible()
    screenshot(phone, "onboarding-mine-filled-phone")
    assert no_horizontal_scroll(phone)
    assert serious_axe_violations(phone) == []
    desktop = page_for(cast.user(Role.EMPLOYEE))
    desktop.goto(url)
    screenshot(desktop, "onboarding-mine-filled-desktop")
    assert serious_axe_violations(desktop) == []


def test_ticking_a_task_in_place(cast: Cast, page_for: Any, live_server: Any) -> None:
    from playwright.sync_api import expect

    plan = newcomer_with_peter(cast)
    task = plan.tasks.get(title="Welcome talk and tour")
    page = page_for(cast.user(Role.MANAGER))
    page.goto(live_server.url + reverse("onboarding:onboarding-detail", args=[plan.pk]))
    page.evaluate("window.notReloaded = true")
    row = page.locator(f"#task-{task.pk}")
    row.get_by_role("button", name="Mark done").click()
    expect(page.locator(f"#task-{task.pk}")).to_contain_text("done")
    assert page.evaluate("window.notReloaded") is True
    screenshot(page, "onboarding-detail-filled-desktop")
    assert serious_axe_violations(page) == []
    phone = page_for(cast.user(Role.MANAGER), phone=True)
    phone.goto(live_server.url + reverse("onboarding:onboarding-detail", args=[plan.pk]))
    screenshot(phone, "onboarding-detail-filled-phone")
    assert no_horizontal_scroll(phone)
    assert page.errors == []
