"""Leittext in a real browser: the learner's work page on his phone after the expert talk, the
coach's page with both scores side by side, and the author's page."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from leerplek.core.roles import Role
from tests.browser.conftest import no_horizontal_scroll, screenshot, serious_axe_violations
from tests.factories import Cast
from tests.training.factories_leittext import (
    approved_plan,
    coach_scored,
    draft_leittext,
    leittext_assignment,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def urls(name: str, assignment: Any, module: Any) -> str:
    return reverse(name, kwargs={"assignment_id": assignment.pk, "module_id": module.pk})


def test_the_learner_works_on_his_phone_after_the_expert_talk(
    cast: Cast, page_for: Any, live_server: Any
) -> None:
    assignment, module = leittext_assignment(cast, questions=4, criteria=3)
    approved_plan(cast, assignment, module)
    phone = page_for(cast.user(Role.EMPLOYEE), phone=True)
    phone.goto(live_server.url + urls("training:leittext-work", assignment, module))
    expect(phone.locator("h1")).to_be_visible()
    assert no_horizontal_scroll(phone)
    assert serious_axe_violations(phone) == []
    screenshot(phone, "training-leittext-work-phone")
    assert phone.errors == []


def test_the_coach_sees_both_scores_and_the_author_writes_questions(
    cast: Cast, page_for: Any, live_server: Any
) -> None:
    assignment, module = leittext_assignment(cast, questions=4, criteria=3)
    coach_scored(cast, assignment, module)
    desktop = page_for(cast.user(Role.MENTOR))
    desktop.goto(live_server.url + urls("training:leittext-review", assignment, module))
    assert serious_axe_violations(desktop) == []
    screenshot(desktop, "training-leittext-review-desktop")
    author = page_for(cast.user(Role.HR))
    draft = draft_leittext(cast, code="LT-2", questions=3, criteria=2)
    author.goto(live_server.url + reverse("training:leittext-edit", args=[draft.pk]))
    assert serious_axe_violations(author) == []
    screenshot(author, "training-leittext-edit-desktop")
    assert desktop.errors == []
    assert author.errors == []
