"""The onboarding results page on a desktop and a phone, and the pulse question answered with
a tap on the newcomer's phone and by the peter/meter on the home page."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from leerplek.core.roles import Role
from leerplek.onboarding.models import PulseRespondent, PulseResponse
from tests.browser.conftest import no_horizontal_scroll, screenshot, serious_axe_violations
from tests.factories import Cast, JobFactory
from tests.onboarding.factories import templates
from tests.onboarding.factories_metrics import history, newcomer_user, peter_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

DAY = datetime.timedelta(days=1)


def in_english(user: Any) -> Any:
    """The pages in English, so the test reads the msgids whatever the catalogues hold."""
    user.language = "en"
    user.save(update_fields=["language"])
    return user


def two_years(cast: Cast) -> None:
    """Eight quarters of drivers and operators: the first year without peters and many early
    leavers, the second with peters."""
    templates(cast)
    today = timezone.localdate()
    driver = JobFactory(organisation=cast.organisation, code="DRV", name="Chauffeur")
    for quarter in range(8):
        start = today - (720 - 90 * quarter) * DAY
        with_guide = quarter >= 4
        for index in range(3):
            onboarding = history(
                cast,
                start_date=start + index * 7 * DAY,
                with_guide=with_guide,
                left_after=(4 if index == 0 else 60)
                if (not with_guide and index < 2) or (with_guide and index == 0 and quarter == 5)
                else None,
                independent_after=(
                    None if not with_guide and index < 2 else 28 + 7 * index + 3 * quarter
                ),
                job=driver if index % 2 == 0 else None,
            )
            PulseResponse.objects.create(
                onboarding=onboarding,
                respondent=PulseRespondent.NEWCOMER,
                moment=1,
                score=4 if with_guide else 3,
            )
            if with_guide:
                PulseResponse.objects.create(
                    onboarding=onboarding, respondent=PulseRespondent.GUIDE, moment=1, score=4
                )


def test_the_results_page_on_a_desktop_and_a_phone(
    cast: Cast, page_for: Any, live_server: Any
) -> None:
    two_years(cast)
    url = live_server.url + reverse("onboarding:metrics")
    desktop = page_for(in_english(cast.user(Role.HR)))
    desktop.goto(url)
    expect(desktop.get_by_role("heading", name="Onboarding results")).to_be_visible()
    expect(
        desktop.get_by_role("img", name="Left within 6 months, with and without a peter/meter")
    ).to_be_visible()
    expect(desktop.get_by_role("button", name="Export to Excel")).to_be_visible()
    screenshot(desktop, "onboarding-metrics-desktop")
    assert desktop.errors == []
    assert serious_axe_violations(desktop) == []

    desktop.get_by_label("Cohorts per").select_option("month")
    desktop.get_by_role("button", name="Show").click()
    expect(desktop.get_by_role("heading", name="Per start month")).to_be_visible()

    phone = page_for(in_english(cast.user(Role.HR)), phone=True)
    phone.goto(url)
    expect(phone.get_by_role("heading", name="Per function")).to_be_visible()
    assert no_horizontal_scroll(phone)
    screenshot(phone, "onboarding-metrics-phone")


def test_the_newcomer_taps_a_score_on_his_phone(
    cast: Cast, page_for: Any, live_server: Any
) -> None:
    templates(cast)
    onboarding = history(cast, start_date=timezone.localdate() - 2 * DAY, with_guide=False)
    peter_user(cast, onboarding)
    user = newcomer_user(cast, onboarding)
    phone = page_for(in_english(user), phone=True)
    phone.goto(live_server.url + reverse("onboarding:mine"))
    question = phone.get_by_role(
        "group", name="How satisfied are you with your peter/meter and your start?"
    )
    expect(question).to_be_visible()
    option = phone.locator(".pulse-option").nth(3)
    box = option.bounding_box()
    assert box is not None
    assert box["height"] >= 44
    assert box["width"] >= 44
    assert no_horizontal_scroll(phone)
    screenshot(phone, "onboarding-pulse-newcomer-phone")
    option.click()
    phone.get_by_label("Comment (optional)").fill("Marleen explains everything twice.")
    phone.get_by_role("button", name="Send my answer").click()
    expect(phone.get_by_text("Thank you, your answer was saved.")).to_be_visible()
    expect(phone.get_by_text("You answered 4 · Satisfied.")).to_be_visible()
    phone.get_by_text("Change my answer").click()
    expect(phone.get_by_role("button", name="Send my answer")).to_be_visible()
    screenshot(phone, "onboarding-pulse-newcomer-answered")
    answer = PulseResponse.objects.get()
    assert (answer.score, answer.comment) == (4, "Marleen explains everything twice.")
    assert phone.errors == []
    assert serious_axe_violations(phone) == []


def test_the_peter_answers_on_the_home_page(cast: Cast, page_for: Any, live_server: Any) -> None:
    templates(cast)
    onboarding = history(cast, start_date=timezone.localdate() - 3 * DAY, with_guide=False)
    user = peter_user(cast, onboarding)
    page = page_for(in_english(user))
    page.goto(live_server.url + reverse("core:home"))
    card = page.locator(".pulse-card")
    expect(card).to_contain_text("give you recognition, renewed interest or a challenge?")
    screenshot(page, "onboarding-pulse-peter-home")
    card.locator(".pulse-option").nth(4).click()
    card.get_by_role("button", name="Send my answer").click()
    expect(page.get_by_text("Thank you, your answer was saved.")).to_be_visible()
    assert PulseResponse.objects.get().respondent == PulseRespondent.GUIDE
    assert page.errors == []
