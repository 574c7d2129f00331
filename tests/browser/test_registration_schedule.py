"""Scheduling training sessions in a real browser: HR makes a round, computes and publishes the
schedule on a desktop; the forms for sessions, rooms, peaks and minima; a worker reads his
sessions on his phone."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from leerplek.core.roles import Role
from leerplek.registration.models import ScheduleRound, ScheduleSession
from tests.browser.conftest import no_horizontal_scroll, screenshot, serious_axe_violations
from tests.factories import Cast
from tests.registration.factories_schedule import db_round

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def check(page: Any, name: str) -> None:
    assert no_horizontal_scroll(page), name
    assert serious_axe_violations(page) == [], name
    screenshot(page, name)
    # A refused form answers 422 on purpose; the browser logs that status as an error.
    assert [error for error in page.errors if "422" not in error] == [], name


def test_hr_computes_and_publishes_a_round(
    cast: Cast, page_for: Any, live_server: Any, settings: Any
) -> None:
    settings.LEERPLEK = {**settings.LEERPLEK, "SCHEDULER_TIME_LIMIT_S": 5}
    round = db_round(cast)
    page = page_for(cast.user(Role.HR))
    page.goto(live_server.url + reverse("registration:schedule-list"))
    expect(page.get_by_role("link", name="Voorjaar")).to_be_visible()
    check(page, "registration-schedule-list")
    page.get_by_role("link", name="Voorjaar").click()
    expect(page.locator("h1")).to_have_text("Voorjaar")
    expect(page.get_by_text("Heftruck 2").first).to_be_visible()
    check(page, "registration-schedule-detail-open")
    page.get_by_role("button", name="Compute schedule").click()
    expect(page.get_by_text("A schedule was computed for 2 sessions.")).to_be_visible()
    expect(page.get_by_role("heading", name="Schedule", exact=True)).to_be_visible()
    check(page, "registration-schedule-detail-computed")
    page.get_by_role("button", name="Publish").click()
    expect(page.get_by_text("The schedule is published")).to_be_visible()
    round.refresh_from_db()
    assert round.status == "published"
    phone = page_for(cast.user(Role.HR), phone=True)
    phone.goto(live_server.url + reverse("registration:schedule-detail", args=[round.pk]))
    expect(phone.locator("h1")).to_have_text("Voorjaar")
    check(phone, "registration-schedule-detail-phone")


def test_hr_makes_a_round_and_its_parts(cast: Cast, page_for: Any, live_server: Any) -> None:
    page = page_for(cast.user(Role.HR))
    page.goto(live_server.url + reverse("registration:schedule-create"))
    check(page, "registration-schedule-create")
    page.get_by_label("Title").fill("Najaar")
    page.get_by_label("First day").fill("2026-09-18")
    page.get_by_label("Last day").fill("2026-09-07")
    page.get_by_role("button", name="Save").click()
    # The refused round keeps what was typed and says which day is wrong.
    expect(page.get_by_label("Title")).to_have_value("Najaar")
    assert not ScheduleRound.objects.filter(title="Najaar").exists()
    check(page, "registration-schedule-create-error")
    page.get_by_label("First day").fill("2026-09-07")
    page.get_by_label("Last day").fill("2026-09-18")
    page.get_by_role("button", name="Save").click()
    expect(page.locator("h1")).to_have_text("Najaar")
    round = ScheduleRound.objects.get(title="Najaar")
    for name, shot in (
        ("registration:schedule-room-create", "registration-schedule-room"),
        ("registration:schedule-peak-create", "registration-schedule-peak"),
        ("registration:schedule-minimum-create", "registration-schedule-minimum"),
        ("registration:schedule-session-create", "registration-schedule-session"),
    ):
        page.goto(live_server.url + reverse(name, kwargs={"round_id": round.pk}))
        expect(page.locator("main form button[type=submit]").first).to_be_visible()
        check(page, shot)
    page.get_by_role("button", name="Save").click()
    # An empty session is refused and nothing is saved.
    assert not ScheduleSession.objects.filter(round=round).exists()
    check(page, "registration-schedule-session-error")
    phone = page_for(cast.user(Role.HR), phone=True)
    phone.goto(
        live_server.url
        + reverse("registration:schedule-session-create", kwargs={"round_id": round.pk})
    )
    check(phone, "registration-schedule-session-phone")


def test_a_worker_reads_his_sessions_on_his_phone(
    cast: Cast, page_for: Any, live_server: Any
) -> None:
    from leerplek.registration import services_schedule as services

    round = db_round(cast)
    worker = cast.employees[Role.EMPLOYEE]
    session = ScheduleSession.objects.filter(round=round).order_by("title").first()
    assert session is not None
    session.participants.add(worker)
    services.round_solve(round=round, by=None, seconds=5)
    services.round_publish(round=round, by=None)
    phone = page_for(cast.user(Role.EMPLOYEE), phone=True)
    phone.goto(live_server.url + reverse("registration:my-sessions"))
    expect(phone.get_by_text("Heftruck 1")).to_be_visible()
    expect(phone.get_by_text("Heftruck 2")).to_have_count(0)
    check(phone, "registration-schedule-mine-phone")


def test_hr_enters_shifts_profiles_and_absences(
    cast: Cast, page_for: Any, live_server: Any
) -> None:
    from leerplek.people.models import UnitKind
    from leerplek.registration.models import ShiftPattern, Unavailability, WorkProfile
    from tests.factories import make_unit

    round = db_round(cast, sessions=1)
    make_unit(cast.organisation, "Nachtploeg", parent=cast.packaging, kind=UnitKind.SHIFT)
    detail = live_server.url + reverse("registration:schedule-detail", args=[round.pk])
    # On a phone: the pattern's week is ticked box by box.
    phone = page_for(cast.user(Role.HR), phone=True)
    phone.goto(detail)
    phone.get_by_role("link", name="Add a shift pattern").click()
    expect(phone.locator("h1")).to_have_text("Add a shift pattern")
    phone.get_by_label("Name").fill("Nacht")
    phone.get_by_label("Shift").select_option(label="Nachtploeg")
    for weekday in ("Monday", "Tuesday", "Wednesday", "Thursday"):
        phone.get_by_role("group", name=weekday).get_by_label("Night").check()
    check(phone, "registration-schedule-pattern-phone")
    phone.get_by_role("button", name="Save").click()
    expect(phone.get_by_text("The shift pattern was added.")).to_be_visible()
    expect(phone.get_by_text("Mon–Thu: night")).to_be_visible()  # noqa: RUF001
    assert ShiftPattern.objects.get(name="Nacht").week == [["night"]] * 4 + [[]] * 3
    # On a desktop: the worker's own pattern and allowance, then a day he cannot attend.
    page = page_for(cast.user(Role.HR))
    page.goto(detail)
    page.get_by_role("link", name="Set a work profile").click()
    page.get_by_label("Person").select_option(label=str(cast.worker))
    page.get_by_label("Own shift pattern").select_option(label="Nacht")
    page.get_by_label("Peter/meter hours per week").fill("70")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("Ensure this value is less than or equal to 60.")).to_be_visible()
    check(page, "registration-schedule-profile-error")
    page.get_by_label("Peter/meter hours per week").fill("4")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("The work profile was saved.")).to_be_visible()
    assert WorkProfile.objects.get(employee=cast.worker).mentor_hours_per_week == 4
    expect(page.get_by_text("peter/meter 4 h/week")).to_be_visible()
    page.get_by_role("link", name="Add days someone cannot attend").click()
    page.get_by_label("Person").select_option(label=str(cast.worker))
    page.get_by_label("First day").fill("2026-03-03")
    page.get_by_label("Last day").fill("2026-03-04")
    page.get_by_label("Reason").fill("Verlof")
    check(page, "registration-schedule-absence")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("(Verlof)")).to_be_visible()
    check(page, "registration-schedule-detail-inputs")
    page.get_by_role("button", name="Remove", exact=False).last.click()
    expect(page.get_by_text("were removed")).to_be_visible()
    assert not Unavailability.objects.exists()
    page.get_by_role("button", name="Remove Heftruck 1").click()
    expect(page.get_by_text("The session Heftruck 1 was removed.")).to_be_visible()
    expect(page.get_by_text("No sessions yet.")).to_be_visible()
    # The organisation's resources are removed the same way (a real form post, with its token).
    page.get_by_role("button", name="Remove Zaal 1").click()
    expect(page.get_by_text("Zaal 1 was removed.")).to_be_visible()
    expect(page.get_by_text("No rooms yet.")).to_be_visible()
