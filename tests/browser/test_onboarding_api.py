"""The searchable person pickers of the start and designate forms in a real browser: typing a
name narrows the list in place (htmx); without scripts, the Search button does the same by
posting the form back."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from leerplek.core.roles import Role
from leerplek.onboarding.models import Guidance, Onboarding
from tests.browser.conftest import no_horizontal_scroll, screenshot, serious_axe_violations
from tests.factories import Cast, EmployeeFactory
from tests.onboarding.factories import start, templates

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

NAMES = ["Peeters", "Janssens", "Maes", "Jacobs", "Mertens", "Willems", "Claes", "Goossens"]


def crowd(cast: Cast, count: int = 48) -> None:
    for number in range(count):
        EmployeeFactory(
            organisation=cast.organisation,
            unit=cast.packaging,
            job=cast.job,
            first_name=["Lotte", "Jonas", "Emma", "Lucas"][number % 4],
            last_name=f"{NAMES[number % len(NAMES)]}-{number:02d}",
            employee_number=f"P{number:04d}",
        )


def test_starting_an_onboarding_with_the_searchable_picker(
    cast: Cast, page_for: Any, live_server: Any
) -> None:
    from playwright.sync_api import expect

    templates(cast)
    crowd(cast)
    target = EmployeeFactory(
        organisation=cast.organisation,
        unit=cast.packaging,
        job=cast.job,
        first_name="Noor",
        last_name="Van den Bossche",
    )
    page = page_for(cast.user(Role.HR))
    page.goto(live_server.url + reverse("onboarding:onboarding-start"))
    select = page.locator("#id_employee")
    assert select.locator("option").count() == 21  # 20 people and the status line
    screenshot(page, "onboarding-start-picker-desktop")

    page.get_by_placeholder("Name or personnel number").fill("bossche")
    expect(select.locator("option")).to_have_count(2)
    expect(select.locator("option").first).to_contain_text("1 person found")
    select.select_option(str(target.pk))
    page.locator("#id_organiser").select_option(str(cast.employees[Role.MANAGER].pk))
    screenshot(page, "onboarding-start-picker-found-desktop")
    assert serious_axe_violations(page) == []
    page.get_by_role("button", name="Save").click()
    expect(page.locator("h1")).to_contain_text("Van den Bossche")
    assert Onboarding.objects.get().employee == target
    assert page.errors == []

    phone = page_for(cast.user(Role.HR), phone=True)
    phone.goto(live_server.url + reverse("onboarding:onboarding-start"))
    screenshot(phone, "onboarding-start-picker-phone")
    assert no_horizontal_scroll(phone)


def test_the_picker_works_without_scripts(cast: Cast, page_for: Any, live_server: Any) -> None:
    from playwright.sync_api import expect

    templates(cast)
    crowd(cast)
    page = page_for(cast.user(Role.HR))
    page.context.route("**/htmx*.js", lambda route: route.abort())
    page.goto(live_server.url + reverse("onboarding:onboarding-start"))
    page.get_by_placeholder("Name or personnel number").fill("p0031")
    page.get_by_role("button", name="Search").click()
    select = page.locator("#id_employee")
    expect(select.locator("option")).to_have_count(2)
    assert select.locator("option:checked").inner_text().startswith("Goossens-31")
    page.locator("#id_organiser").select_option(str(cast.employees[Role.MANAGER].pk))
    page.get_by_role("button", name="Save").click()
    expect(page.locator("h1")).to_contain_text("Goossens-31")


def test_designating_a_peter_with_the_picker(cast: Cast, page_for: Any, live_server: Any) -> None:
    from playwright.sync_api import expect

    templates(cast)
    crowd(cast)
    plan = start(cast)
    page = page_for(cast.user(Role.MANAGER))
    page.goto(live_server.url + reverse("onboarding:guide-designate", args=[plan.pk]))
    page.get_by_placeholder("Name or personnel number").fill("emma claes")
    select = page.locator("#id_guide")
    expect(select.locator("option").first).to_contain_text("found for")
    assert all("guides 0" in text for text in select.locator("option").all_inner_texts()[1:])
    choice = select.locator("option").nth(1).get_attribute("value")
    assert choice is not None
    select.select_option(choice)
    screenshot(page, "onboarding-guide-picker-desktop")
    assert serious_axe_violations(page) == []
    page.get_by_role("button", name="Save").click()
    expect(page.locator(".messages, [role=status], main").first).to_contain_text("now guides")
    assert Guidance.objects.get(learner=plan.employee).guide_id == int(choice)
    phone = page_for(cast.user(Role.MANAGER), phone=True)
    phone.goto(live_server.url + reverse("onboarding:guide-designate", args=[plan.pk]))
    screenshot(phone, "onboarding-guide-picker-phone")
    assert no_horizontal_scroll(phone)
