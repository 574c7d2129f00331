"""The guidance pages in a browser, on a desktop and at 390 px: the four forms of guidance, a
relationship with its actions, the coach's caseload and answering a request, HR's caseloads,
mentor programmes and instructor selection."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from leerplek.core.roles import Role
from leerplek.onboarding import services_guidance
from leerplek.onboarding.models import GuidanceKind, GuidanceStatus, SelectionOutcome
from tests.browser.conftest import no_horizontal_scroll, screenshot, serious_axe_violations
from tests.factories import Cast
from tests.onboarding.factories import colleague, designate, start, templates
from tests.onboarding.factories_guidance import coaching, programme, selection, today

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def story(cast: Cast) -> dict[str, Any]:
    """A peter with a backup, a running and a waiting coaching, a mentorship in a programme,
    an instruction, and two instructor candidates."""
    templates(cast)
    plan = start(cast)
    peter = designate(cast, plan, colleague(cast, first_name="Marleen", last_name="Maes"))
    designate(cast, plan, colleague(cast, first_name="Bart", last_name="Backx"), is_backup=True)
    running = coaching(
        cast, learner=colleague(cast, first_name="Sofie", last_name="Segers"), accept=True
    )
    waiting = coaching(cast, learner=colleague(cast, first_name="Jonas", last_name="Janssens"))
    scheme = programme(cast, name="New team leaders")
    services_guidance.guidance_start(
        learner=cast.employees[Role.MANAGER],
        guide=colleague(cast, first_name="Greet", last_name="Goossens"),
        kind=GuidanceKind.LONG_TERM_GUIDE,
        by=cast.user(Role.HR),
        programme=scheme,
        planned_end=today() + datetime.timedelta(days=300),
    )
    services_guidance.guidance_start(
        learner=colleague(cast, first_name="Ilse", last_name="Impens"),
        guide=cast.employees[Role.INSTRUCTOR],
        kind=GuidanceKind.INSTRUCTOR,
        by=cast.user(Role.HR),
        target_result="Runs the filler alone, in the order of the work instruction",
        planned_end=today() + datetime.timedelta(days=40),
    )
    kept = selection(cast, candidate=colleague(cast, first_name="Karen", last_name="Kint"))
    services_guidance.selection_decide(
        selection=kept, by=cast.user(Role.HR), outcome=SelectionOutcome.SELECTED
    )
    dropped = selection(cast, candidate=colleague(cast, first_name="Tom", last_name="Thys"))
    services_guidance.selection_decide(
        selection=dropped,
        by=cast.user(Role.HR),
        outcome=SelectionOutcome.NOT_RETAINED,
        feedback_conversation_on=today(),
        feedback_note="Takes over instead of explaining; we look again after the training.",
    )
    selection(cast, candidate=colleague(cast, first_name="Nele", last_name="Nys"))
    return {
        "plan": plan,
        "peter": peter,
        "running": running,
        "waiting": waiting,
        "programme": scheme,
        "kept": kept,
        "dropped": dropped,
    }


def check(page: Any, name: str) -> None:
    screenshot(page, name)
    assert no_horizontal_scroll(page), name
    assert serious_axe_violations(page) == [], name


def test_hr_pages_on_desktop_and_phone(cast: Cast, page_for: Any, live_server: Any) -> None:
    data = story(cast)
    pages = [
        ("guidance-list", reverse("onboarding:guidance-list")),
        ("guidance-detail", reverse("onboarding:guidance-detail", args=[data["running"].pk])),
        ("guidance-create", reverse("onboarding:guidance-create") + "?kind=instructor"),
        ("guidance-replace", reverse("onboarding:guidance-replace", args=[data["peter"].pk])),
        ("caseload-hr", reverse("onboarding:caseload")),
        ("programme-list", reverse("onboarding:programme-list")),
        ("programme-detail", reverse("onboarding:programme-detail", args=[data["programme"].pk])),
        ("selection-list", reverse("onboarding:selection-list")),
        ("selection-detail-kept", reverse("onboarding:selection-detail", args=[data["kept"].pk])),
        (
            "selection-detail-dropped",
            reverse("onboarding:selection-detail", args=[data["dropped"].pk]),
        ),
        (
            "onboarding-detail-guides",
            reverse("onboarding:onboarding-detail", args=[data["plan"].pk]),
        ),
    ]
    for phone in (False, True):
        page = page_for(cast.user(Role.HR), phone=phone)
        for name, url in pages:
            page.goto(live_server.url + url)
            check(page, f"guidance-{name}-{'phone' if phone else 'desktop'}")
    page = page_for(cast.user(Role.HR))
    page.goto(live_server.url + reverse("onboarding:guidance-list"))
    expect(page.get_by_text("Coaching usually spans a short period")).to_be_visible()
    expect(page.locator("table").get_by_text("Sofie")).to_be_visible()


def test_the_coach_answers_on_a_phone(cast: Cast, page_for: Any, live_server: Any) -> None:
    data = story(cast)
    phone = page_for(cast.user(Role.COACH), phone=True)
    phone.goto(live_server.url + reverse("core:home"))
    phone.get_by_role("link", name="Jonas Janssens").click()
    check(phone, "guidance-coaching-answer-phone")
    phone.get_by_label("Decline").check()
    phone.get_by_role("button", name="Send the answer").click()
    expect(phone.get_by_text("Say why you decline")).to_be_visible()
    phone.get_by_label("Accept").check()
    phone.get_by_role("button", name="Send the answer").click()
    expect(phone.get_by_text("You coach Jonas Janssens now.")).to_be_visible()
    check(phone, "guidance-caseload-coach-phone")
    data["waiting"].refresh_from_db()
    assert data["waiting"].status == GuidanceStatus.ACTIVE


def test_an_employee_requests_a_coach(cast: Cast, page_for: Any, live_server: Any) -> None:
    page = page_for(cast.user(Role.EMPLOYEE), phone=True)
    page.goto(live_server.url + reverse("onboarding:coaching-request"))
    check(page, "guidance-coaching-request-phone")
    page.locator("select[name=coach]").select_option(str(cast.employees[Role.COACH].pk))
    page.locator("textarea[name=target_result]").fill("Plans the week alone")
    page.locator("input[name=planned_end]").fill(
        (today() + datetime.timedelta(days=150)).isoformat()
    )
    page.get_by_role("button", name="Send the request").click()
    expect(
        page.locator("#id_planned_end_error").get_by_text("longer than three months")
    ).to_be_visible()
    check(page, "guidance-coaching-request-long-phone")
    page.locator("input[name=long_ok]").check()
    page.get_by_role("button", name="Send the request").click()
    expect(page.get_by_text("has been asked to coach")).to_be_visible()
    check(page, "guidance-mine-requested-phone")
