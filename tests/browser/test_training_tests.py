"""Tests in a real browser: the learner takes a questionnaire with a photo question on his
phone and reads his result, practises with feedback, the author's question bank and the
observer's checklist."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from leerplek.core.roles import Role
from leerplek.training.models import Attempt
from tests.browser.conftest import no_horizontal_scroll, screenshot, serious_axe_violations
from tests.factories import Cast
from tests.training.factories_tests import (
    acting,
    assigned_learner,
    photo_question,
    practical,
    programme_module,
    questionnaire,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def published_with_photo(cast: Cast, module: Any) -> Any:
    from leerplek.training import services_tests

    test = questionnaire(cast, module, questions=3, publish=False)
    photo_question(cast, test)
    return services_tests.test_set_status(test=test, by=acting(cast, Role.HR), status="published")


def test_the_learner_takes_a_test_on_his_phone(cast: Cast, page_for: Any, live_server: Any) -> None:
    version, module = programme_module(cast)
    test = published_with_photo(cast, module)
    assigned_learner(cast, version)
    phone = page_for(cast.user(Role.EMPLOYEE), phone=True)
    phone.goto(live_server.url + reverse("training:my-tests"))
    screenshot(phone, "training-tests-mine-phone")
    phone.get_by_role("button", name=f"Take the test {test.title}").click()
    expect(phone.locator("h1")).to_have_text(test.title)
    assert no_horizontal_scroll(phone)
    assert serious_axe_violations(phone) == []
    screenshot(phone, "training-tests-take-phone")
    for number in (1, 2):
        phone.get_by_label(f"Juist {number}").check()
    phone.get_by_label("Fout 3").check()
    phone.get_by_label("Photo 1").check()
    phone.get_by_role("button", name="Submit my answers").click()
    expect(phone.locator(".tt-big")).to_have_text("75 %")
    assert no_horizontal_scroll(phone)
    assert serious_axe_violations(phone) == []
    screenshot(phone, "training-tests-result-phone")
    attempt = Attempt.objects.get()
    assert (attempt.points, attempt.passed) == (3, True)
    assert phone.errors == []


def test_a_missing_answer_is_shown_at_the_question(
    cast: Cast, page_for: Any, live_server: Any
) -> None:
    version, module = programme_module(cast)
    test = questionnaire(cast, module, questions=2)
    assigned_learner(cast, version)
    phone = page_for(cast.user(Role.EMPLOYEE), phone=True)
    phone.goto(live_server.url + reverse("training:test-practice", args=[test.pk]))
    phone.get_by_label("Fout 1").check()
    phone.get_by_role("button", name="Check my answers").click()
    expect(phone.get_by_text("Choose an answer to question 2.")).to_be_visible()
    screenshot(phone, "training-tests-practice-error-phone")
    phone.get_by_label("Juist 2").check()
    phone.get_by_role("button", name="Check my answers").click()
    expect(phone.get_by_text("Practice never counts.")).to_be_visible()
    assert serious_axe_violations(phone) == []
    screenshot(phone, "training-tests-practice-result-phone")
    assert not Attempt.objects.filter(is_practice=False).exists()


def test_the_author_and_the_observer(cast: Cast, page_for: Any, live_server: Any) -> None:
    version, module = programme_module(cast)
    bank = questionnaire(cast, module, questions=2, publish=False)
    photo_question(cast, bank)
    author = page_for(cast.user(Role.HR))
    author.goto(live_server.url + reverse("training:test-detail", args=[bank.pk]))
    assert serious_axe_violations(author) == []
    screenshot(author, "training-tests-detail-desktop")
    author.goto(live_server.url + reverse("training:test-list"))
    assert serious_axe_violations(author) == []
    screenshot(author, "training-tests-list-desktop")
    test = practical(cast, module)
    assigned_learner(cast, version)
    observer = page_for(cast.user(Role.INSTRUCTOR), phone=True)
    observer.goto(live_server.url + reverse("training:test-observe", args=[test.pk]))
    observer.get_by_role("button", name="Score now").first.click()
    observer.get_by_label("Meet de temperatuur").check()
    observer.get_by_label("Ruimt de werkpost op").check()
    assert no_horizontal_scroll(observer)
    assert serious_axe_violations(observer) == []
    screenshot(observer, "training-tests-observe-phone")
    observer.get_by_role("button", name="Save the score").click()
    expect(observer.get_by_text("did not pass")).to_be_visible()
    attempt = Attempt.objects.get()
    assert attempt.passed is False  # the critical criterion was missed
    assert author.errors == []
    assert observer.errors == []
