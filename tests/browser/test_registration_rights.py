"""Training rights in a real browser: HR's list and a worker's years on a desktop, the worker's
own balance on his phone, the settings and paid educational leave."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from leerplek.core.roles import Role
from tests.browser.conftest import no_horizontal_scroll, screenshot, serious_axe_violations
from tests.factories import Cast
from tests.registration.factories import activity, person
from tests.registration.factories_rights import followed, fte, part_time, pc200

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

D = datetime.date
THIS_YEAR = datetime.date.today().year


def world(cast: Cast) -> None:
    rule = pc200(cast, valid_from_year=THIS_YEAR - 1, year_steps={}, reset_start_year=THIS_YEAR - 1)
    fte(cast, THIS_YEAR - 1, "24.5", rule)
    fte(cast, THIS_YEAR, "24.5", rule)
    worker = cast.worker
    assert worker is not None
    followed(cast, worker, "15.20", D(THIS_YEAR - 1, 3, 3), title="HACCP basis")
    followed(cast, worker, "7.60", D(THIS_YEAR, 1, 10), title="Heftruck opfrissing")
    me = cast.employees[Role.EMPLOYEE]
    part_time(me, "0.8", D(THIS_YEAR - 1, 1, 1))
    followed(cast, me, "7.60", D(THIS_YEAR, 1, 12), title="Veilig werken met messen")
    for number in range(6):
        person(cast, f"Extra{number}", last_name="Zuid", hire_date=D(THIS_YEAR - 3, 1, 1))


def check(page: Any, name: str) -> None:
    assert no_horizontal_scroll(page), name
    assert serious_axe_violations(page) == [], name
    screenshot(page, name)
    # A refused form answers 422 on purpose; the browser logs that status as an error.
    assert [error for error in page.errors if "422" not in error] == [], name


def test_hr_reads_the_rights_and_opens_a_worker(
    cast: Cast, page_for: Any, live_server: Any
) -> None:
    world(cast)
    page = page_for(cast.user(Role.HR))
    page.goto(live_server.url + reverse("registration:rights"))
    expect(page.locator("h1")).to_have_text("Training rights")
    expect(page.get_by_role("link", name="Werker Wout")).to_be_visible()
    check(page, "registration-rights-list")
    page.get_by_label("Only workers below their right").check()
    page.get_by_role("button", name="Show").click()
    expect(page.get_by_role("link", name="Werker Wout")).to_be_visible()
    page.get_by_role("link", name="Werker Wout").click()
    expect(page.locator("h1")).to_have_text("Training right of Wout Werker")
    # Last year: 5 - 2 = 3 carried; this year 5 + 3 - 1 = 7 left.
    expect(page.get_by_text("7.00 days left")).to_be_visible()
    expect(page.get_by_text("HACCP basis")).to_be_visible()
    check(page, "registration-rights-detail")
    phone = page_for(cast.user(Role.HR), phone=True)
    phone.goto(live_server.url + reverse("registration:rights"))
    expect(phone.get_by_role("link", name="Werker Wout")).to_be_visible()
    check(phone, "registration-rights-list-phone")


def test_a_worker_sees_his_balance_on_his_phone(
    cast: Cast, page_for: Any, live_server: Any
) -> None:
    world(cast)
    phone = page_for(cast.user(Role.EMPLOYEE), phone=True)
    phone.goto(live_server.url + reverse("registration:my-right"))
    expect(phone.locator("h1")).to_have_text("My training right")
    # 0.8 x 5 = 4 this year, 4 carried from last year, 1 followed: 7 left.
    expect(phone.get_by_text("7.00 days left")).to_be_visible()
    expect(phone.get_by_text("Veilig werken met messen")).to_be_visible()
    check(phone, "registration-rights-mine-phone")


def test_hr_sets_the_company_size_and_adds_a_rule(
    cast: Cast, page_for: Any, live_server: Any
) -> None:
    world(cast)
    page = page_for(cast.user(Role.HR))
    page.goto(live_server.url + reverse("registration:right-settings"))
    expect(page.locator("h1")).to_have_text("Training right: rules and company size")
    check(page, "registration-rights-settings")
    page.get_by_role("button", name="Add a sector rule").click()
    page.get_by_label("Name").fill("PC 118 voeding")
    page.get_by_label("Joint committee (PC/PSC)").fill("118")
    page.get_by_label("Valid from year").fill("2024")
    page.get_by_label("Reset period (years)").fill("5")
    page.get_by_role("button", name="Save").click()
    expect(
        page.get_by_text("A reset period only matters when unused days carry over")
    ).to_be_visible()
    check(page, "registration-rights-rule-error")
    page.get_by_label("Unused days carry over").check()
    page.get_by_label("First year of the first period").fill("2024")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("heading", name="PC 118 voeding")).to_be_visible()
    phone = page_for(cast.user(Role.HR), phone=True)
    phone.goto(live_server.url + reverse("registration:right-settings"))
    check(phone, "registration-rights-settings-phone")


def test_paid_educational_leave_per_employee(cast: Cast, page_for: Any, live_server: Any) -> None:
    worker = cast.worker
    assert worker is not None
    course = activity(
        cast,
        title="Graduaat boekhouden",
        on=D(THIS_YEAR, 1, 15),
        days=60,
        participants=[(worker, "40")],
        is_educational_leave=True,
        counts_for_right=False,
    )
    course.participations.update(outside_working_hours=Decimal("24"))
    page = page_for(cast.user(Role.HR), phone=True)
    page.goto(live_server.url + reverse("registration:educational-leave"))
    expect(page.get_by_text("Graduaat boekhouden")).to_be_visible()
    check(page, "registration-rights-leave-phone")
