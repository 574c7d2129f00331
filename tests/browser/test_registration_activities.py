"""The activities area in a real browser: the import page with a file whose rows are wrong
(every problem listed by row and column, nothing saved) and then a good file; the extra fields
of the registration form with a refused field; an initial activity flagged and an agency worker
marked on its page; on a desktop and a 390 px phone, with screenshots."""

from __future__ import annotations

import datetime
from pathlib import Path
from typing import Any

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from leerplek.core.roles import Role
from leerplek.people.models import PersonType
from leerplek.registration.models import Activity, ExtraField
from tests.browser.conftest import no_horizontal_scroll, screenshot, serious_axe_violations
from tests.factories import Cast
from tests.registration.factories import activity, person
from tests.registration.factories_activities import workbook
from tests.registration.test_activities_import import GOOD, people

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def check(page: Any, name: str) -> None:
    assert no_horizontal_scroll(page), name
    assert serious_axe_violations(page) == [], name
    screenshot(page, name)


def write(tmp_path: Path, name: str, content: bytes) -> str:
    target = tmp_path / name
    target.write_bytes(content)
    return str(target)


@pytest.mark.parametrize("phone", [False, True], ids=["desktop", "phone"])
def test_the_import_lists_every_problem_then_takes_a_good_file(
    cast: Cast, page_for: Any, live_server: Any, tmp_path: Path, phone: bool
) -> None:
    people(cast)
    rows = [list(row) for row in GOOD]
    rows[0][9] = "-2"
    rows[1][1] = "informal"
    rows[2][8] = "9999"
    page = page_for(cast.user(Role.HR), phone=phone)
    page.goto(live_server.url + reverse("registration:import"))
    expect(page.get_by_role("heading", name="Import registrations")).to_be_visible()

    page.locator("input[type=file]").set_input_files(write(tmp_path, "fonds.xlsx", workbook(rows)))
    page.get_by_role("button", name="Check and import").click()

    expect(
        page.get_by_text("The file was not imported: 3 problems. Nothing was saved.")
    ).to_be_visible()
    expect(
        page.get_by_text("No person with employee_number 9999 in this organisation.")
    ).to_be_visible()
    expect(page.get_by_text("Row 2 of the same activity", exact=False)).to_be_visible()
    assert not Activity.objects.exists()
    check(page, f"registration-import-errors-{'phone' if phone else 'desktop'}")

    page.locator("input[type=file]").set_input_files(write(tmp_path, "goed.xlsx", workbook(GOOD)))
    page.get_by_role("button", name="Check and import").click()
    expect(page.get_by_text("2 activities, 3 participations imported.")).to_be_visible()
    assert Activity.objects.count() == 2
    check(page, f"registration-import-done-{'phone' if phone else 'desktop'}")
    assert [error for error in page.errors if "422" not in error] == []


@pytest.mark.parametrize("phone", [False, True], ids=["desktop", "phone"])
def test_hr_adds_an_extra_field_and_it_shows_on_the_form(
    cast: Cast, page_for: Any, live_server: Any, phone: bool
) -> None:
    ExtraField.objects.create(
        organisation=cast.organisation, key="fund_file", label="Sector fund file", position=2
    )
    page = page_for(cast.user(Role.HR), phone=phone)
    page.goto(live_server.url + reverse("registration:field-create"))
    page.get_by_label("Label").fill("Budget line")
    page.get_by_label("Kind").select_option("choice")
    page.get_by_role("button", name="Add the field").click()
    expect(page.get_by_text("Give at least one choice, one per line.")).to_be_visible()
    check(page, f"registration-field-form-errors-{'phone' if phone else 'desktop'}")

    page.get_by_label("Choices").fill("Opleiding\nVeiligheid")
    page.get_by_role("button", name="Add the field").click()
    expect(page.get_by_role("link", name="Budget line")).to_be_visible()
    check(page, f"registration-field-list-{'phone' if phone else 'desktop'}")

    page.goto(live_server.url + reverse("registration:activity-create"))
    expect(page.get_by_label("Budget line")).to_be_visible()


def test_an_initial_activity_is_flagged_and_an_agency_worker_marked(
    cast: Cast, page_for: Any, live_server: Any
) -> None:
    agent = person(cast, "Tijl", person_type=PersonType.AGENCY)
    own = person(cast, "Anna")
    item = activity(
        cast,
        "Duaal leren operator",
        category="initial",
        on=datetime.date(2025, 9, 1),
        days=60,
        participants=[(agent, 40), (own, 40)],
        costs=[("trainer_pay", "800.00"), ("subsidy", "300.00")],
    )
    for phone in (False, True):
        page = page_for(cast.user(Role.HR), phone=phone)
        page.goto(live_server.url + reverse("registration:activity-detail", args=[item.pk]))
        expect(page.get_by_text("Shorter than 6 months", exact=False)).to_be_visible()
        expect(page.get_by_text("Net cost", exact=True)).to_be_visible()
        check(page, f"registration-activity-initial-{'phone' if phone else 'desktop'}")
        page.goto(live_server.url + reverse("registration:activity-list"))
        expect(page.get_by_role("link", name="Duaal leren operator")).to_be_visible()
        check(page, f"registration-activity-list-flags-{'phone' if phone else 'desktop'}")
