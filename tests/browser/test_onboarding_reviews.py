"""Progress review pages in a real browser: the list with its flags, recording a review with a
new planning, the timeline on the onboarding page, the newcomer's next review on a phone and the
home card; desktop and 390 px, axe, no sideways scrolling."""

from __future__ import annotations

import datetime
import re
from typing import Any

import pytest
from django.urls import reverse

from leerplek.core.roles import Role
from leerplek.people.models import Employee
from tests.browser.conftest import no_horizontal_scroll, screenshot, serious_axe_violations
from tests.factories import Cast
from tests.onboarding.factories import start
from tests.onboarding.factories_reviews import (
    TODAY,
    days_ago,
    hold,
    newcomer_in_packaging,
    peter,
    review,
    running,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def story(cast: Cast) -> Any:
    """The worker (the employee's log-in) 100 days in: review 1 held, 2 and 3 overdue; and a
    colleague whose second review is due in two days."""
    worker = cast.worker
    assert worker is not None
    Employee.objects.filter(pk=cast.employees[Role.EMPLOYEE].pk).update(user=None)
    worker.user = cast.user(Role.EMPLOYEE)
    worker.save()
    onboarding = running(cast, days=100)
    hold(
        cast,
        review(onboarding, 1),
        practised="- Welcome talk and tour\n- Safety instructions on the floor",
        notes="Learns fast; asks good questions. Still unsure at the changeover.",
        next_steps="Run the line alone for one hour with the peter nearby.",
    )
    other = start(
        cast,
        employee=newcomer_in_packaging(cast, first_name="Sara", last_name="Vandenbroucke-Aerts"),
        start_date=days_ago(58),
    )
    peter(cast, other)
    hold(cast, review(other, 1), role=Role.HR)
    return onboarding


def check(page: Any, name: str, phone: bool = False) -> None:
    screenshot(page, name)
    assert serious_axe_violations(page) == []
    if phone:
        assert no_horizontal_scroll(page)
    assert page.errors == []


def test_the_review_list_flags_overdue_and_due(cast: Cast, page_for: Any, live_server: Any) -> None:
    from playwright.sync_api import expect

    story(cast)
    url = live_server.url + reverse("onboarding:review-list")
    page = page_for(cast.user(Role.HR))
    page.goto(url)
    expect(page.get_by_role("heading", name="Progress reviews")).to_be_visible()
    expect(page.locator("tr.state-overdue")).to_have_count(2)
    expect(page.locator("tr.state-due")).to_have_count(1)
    check(page, "reviews-list-desktop")
    page.get_by_role("link", name="held").click()
    expect(page.locator("tbody tr")).to_have_count(2)
    phone = page_for(cast.user(Role.MANAGER), phone=True)
    phone.goto(url)
    check(phone, "reviews-list-phone", phone=True)


def test_recording_a_review_with_a_new_planning(
    cast: Cast, page_for: Any, live_server: Any
) -> None:
    from playwright.sync_api import expect

    onboarding = story(cast)
    second = review(onboarding, 2)
    page = page_for(cast.user(Role.MANAGER))
    page.goto(live_server.url + reverse("onboarding:review-record", args=[second.pk]))
    expect(page.get_by_label("Open tasks")).to_have_value(re.compile("^Late:"))
    check(page, "reviews-record-desktop")
    page.get_by_label("Notes of the talk").fill("Runs the line alone now. Changeover still slow.")
    page.get_by_label("What to learn next").fill("Changeover of line 1 with the peter.")
    new_due = TODAY + datetime.timedelta(days=14)
    page.get_by_label("Agree the training plan (new due date)").fill(new_due.isoformat())
    page.get_by_role("button", name="Record the review").click()
    expect(page.get_by_role("heading", name="Notes of the talk")).to_be_visible()
    expect(page.get_by_text("Runs the line alone now.")).to_be_visible()
    expect(page.get_by_text("New planning:")).to_be_visible()
    check(page, "reviews-held-desktop")
    task = onboarding.tasks.get(title="Agree the training plan")
    assert task.due_on == new_due

    phone = page_for(cast.user(Role.MANAGER), phone=True)
    phone.goto(
        live_server.url + reverse("onboarding:review-record", args=[review(onboarding, 3).pk])
    )
    check(phone, "reviews-record-phone", phone=True)


def test_a_review_before_the_start_shows_the_reason(
    cast: Cast, page_for: Any, live_server: Any
) -> None:
    from playwright.sync_api import expect

    onboarding = story(cast)
    page = page_for(cast.user(Role.MANAGER))
    page.goto(
        live_server.url + reverse("onboarding:review-record", args=[review(onboarding, 2).pk])
    )
    page.get_by_label("Held on").fill(
        (onboarding.start_date - datetime.timedelta(days=2)).isoformat()
    )
    page.get_by_label("Notes of the talk").fill("x")
    page.get_by_role("button", name="Record the review").click()
    expect(page.locator(".field-error").first).to_contain_text(
        "cannot be held before the onboarding started"
    )
    screenshot(page, "reviews-record-refused-desktop")


def test_the_timeline_on_the_onboarding_page(cast: Cast, page_for: Any, live_server: Any) -> None:
    from playwright.sync_api import expect

    onboarding = story(cast)
    url = live_server.url + reverse("onboarding:onboarding-detail", args=[onboarding.pk])
    page = page_for(cast.user(Role.MANAGER))
    page.goto(url)
    timeline = page.locator(".review-timeline")
    expect(timeline.get_by_role("heading", name="Progress reviews")).to_be_visible()
    expect(timeline.locator("li")).to_have_count(6)
    expect(timeline.locator("li.state-held")).to_have_count(1)
    timeline.scroll_into_view_if_needed()
    check(page, "reviews-onboarding-detail-desktop")
    phone = page_for(cast.user(Role.MANAGER), phone=True)
    phone.goto(url)
    phone.locator(".review-timeline").scroll_into_view_if_needed()
    screenshot(phone, "reviews-onboarding-detail-phone")
    assert no_horizontal_scroll(phone)


def test_the_newcomer_sees_his_next_review_on_a_phone(
    cast: Cast, page_for: Any, live_server: Any
) -> None:
    from playwright.sync_api import expect

    story(cast)
    phone = page_for(cast.user(Role.EMPLOYEE), phone=True)
    phone.goto(live_server.url + reverse("onboarding:mine"))
    card = phone.locator(".review-card")
    expect(card.get_by_role("heading", name="My next review")).to_be_visible()
    expect(card).to_contain_text("Run the line alone for one hour")
    card.scroll_into_view_if_needed()
    check(phone, "reviews-mine-phone", phone=True)


def test_the_home_card_shows_the_reviews_due(cast: Cast, page_for: Any, live_server: Any) -> None:
    from playwright.sync_api import expect

    story(cast)
    page = page_for(cast.user(Role.MANAGER))
    page.goto(live_server.url + reverse("core:home"))
    card = page.locator(".review-home")
    expect(card.locator(".stat")).to_have_text("3")
    expect(card.locator("li.state-overdue")).to_have_count(2)
    check(page, "reviews-home-desktop")
