"""The training-volume page in a real browser: HR on a desktop and a phone (figures, the chart,
the breakdowns, the workers below their right), the consultation body's aggregates."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from leerplek.core.roles import Role
from leerplek.people.models import Gender, PersonType
from leerplek.registration.models import Category, CostKind
from tests.browser.conftest import no_horizontal_scroll, screenshot, serious_axe_violations
from tests.factories import Cast
from tests.registration.factories import activity, person

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

YEAR = datetime.date.today().year - 1


def busy_year(cast: Cast) -> None:
    """Twelve people over two units, a course or two every month of last year."""
    people = [
        person(
            cast,
            f"P{number}",
            Gender.FEMALE if number % 3 else Gender.MALE,
            person_type=PersonType.AGENCY if number == 11 else PersonType.EMPLOYEE,
            unit=cast.packaging if number % 2 else cast.office,
            birth_date=datetime.date(1960 + number * 3, 5, 5),
        )
        for number in range(12)
    ]
    for month in range(1, 13):
        group = people[month % 4 :: 2]
        activity(
            cast,
            title=f"Cursus {month}",
            category=Category.FORMAL if month % 3 else Category.INFORMAL,
            on=datetime.date(YEAR, month, 10),
            participants=[(someone, str(2 + month % 5)) for someone in group],
            costs=[(CostKind.EXTERNAL, str(150 * month)), (CostKind.SUBSIDY, "50")],
        )


def check(page: Any, name: str) -> None:
    assert no_horizontal_scroll(page), name
    assert serious_axe_violations(page) == [], name
    screenshot(page, name)
    assert page.errors == [], name


def test_hr_reads_the_volume_of_last_year(cast: Cast, page_for: Any, live_server: Any) -> None:
    busy_year(cast)
    page = page_for(cast.user(Role.HR))
    page.goto(live_server.url + reverse("registration:volume") + f"?year={YEAR}")
    expect(page.locator("h1")).to_have_text("Training volume")
    expect(page.get_by_role("heading", name="Training hours per month")).to_be_visible()
    expect(page.locator("svg.vol-chart.chart-wide rect")).to_have_count(12)
    expect(page.get_by_role("heading", name="By age band")).to_be_visible()
    expect(
        page.get_by_role("heading", name=f"Below their training right in {YEAR}")
    ).to_be_visible()
    check(page, "registration-volume")
    phone = page_for(cast.user(Role.HR), phone=True)
    phone.goto(live_server.url + reverse("registration:volume") + f"?year={YEAR}")
    expect(phone.locator("svg.vol-chart.chart-narrow")).to_be_visible()
    check(phone, "registration-volume-phone")


def test_the_consultation_body_sees_aggregates_only(
    cast: Cast, page_for: Any, live_server: Any
) -> None:
    busy_year(cast)
    page = page_for(cast.user(Role.CONSULTATION))
    page.goto(live_server.url + reverse("registration:volume") + f"?year={YEAR}")
    expect(page.get_by_text("Aggregates only.")).to_be_visible()
    expect(page.get_by_role("heading", name="Below their training right")).to_have_count(0)
    check(page, "registration-volume-consultation")
