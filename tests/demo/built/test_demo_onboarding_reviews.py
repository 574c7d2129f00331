"""What the demo shows about progress reviews (ONB-06): Transportbedrijf X's new driver with two
monthly reviews held and the third overdue; the Voedingsbedrijf X newcomer with two held and the
next one due; HR's review list and home page flag it."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from leerplek.core.access import load_access
from leerplek.demo.builder import TRANSPORT_HR_EMAIL
from leerplek.onboarding import selectors_reviews
from leerplek.onboarding.models import Onboarding, ProgressReview
from leerplek.people.models import Organisation, User

pytestmark = pytest.mark.django_db


def states(onboarding: Onboarding) -> list[str]:
    return [review.state for review in selectors_reviews.reviews_of(onboarding=onboarding)]  # type: ignore[attr-defined]


def test_the_new_driver_has_two_reviews_held_and_one_overdue(demo: Organisation) -> None:
    driver = Onboarding.objects.get(employee__employee_number="TX9001")
    assert 95 <= (timezone.localdate() - driver.start_date).days <= 105
    assert states(driver)[:4] == ["held", "held", "overdue", "planned"]
    first, second = driver.reviews.filter(held_on__isnull=False).order_by("number")
    assert first.mentor is not None
    assert first.mentor.job == driver.employee.job
    assert first.mentor.first_name in first.notes  # the peter who rides along is named
    assert first.manager is not None
    assert first.recorded_by is not None
    assert first.recorded_by.email == TRANSPORT_HR_EMAIL
    assert "Vertrekcontrole" in first.notes
    assert first.practised  # pre-filled from the tasks done
    assert "Nieuwe planning" in second.next_steps or "New planning" in second.next_steps
    replanned = driver.tasks.get(title__startswith="Internationale rit")
    assert replanned.done_on is None
    assert replanned.due_on > timezone.localdate()


def test_the_food_newcomer_has_two_reviews_held_and_the_next_one_due(demo: Organisation) -> None:
    plan = Onboarding.objects.get(
        organisation__slug="voedingsbedrijf-x", employee__user__email__startswith="employee@"
    )
    found = states(plan)
    assert found[:2] == ["held", "held"]
    assert found[2] in {"due", "planned"}
    held = plan.reviews.filter(held_on__isnull=False).order_by("number").first()
    assert held is not None
    assert held.mentor is not None
    assert held.mentor.user is not None
    assert held.mentor.user.email.startswith("mentor@")
    assert held.recorded_by is not None
    assert held.recorded_by.email.startswith("manager@")


def test_transport_hr_sees_the_overdue_review_in_the_list_and_on_home(demo: Organisation) -> None:
    hr = User.objects.get(email=TRANSPORT_HR_EMAIL)
    transport = Organisation.objects.get(slug="transportbedrijf-x")
    overdue = list(
        selectors_reviews.review_list(access=load_access(hr, transport.pk), state="overdue")
    )
    assert "Claes" in [review.onboarding.employee.last_name for review in overdue]
    client = Client()
    client.force_login(hr)
    home = client.get(reverse("core:home")).content.decode()
    assert "Claes" in home
    assert 'class="state-overdue"' in home


def test_no_other_running_onboarding_of_the_food_demo_is_overdue(demo: Organisation) -> None:
    manager = User.objects.get(
        email__startswith="manager@", email__endswith="voedingsbedrijf-x.demo"
    )
    food = Organisation.objects.get(slug="voedingsbedrijf-x")
    counts = selectors_reviews.review_counts(access=load_access(manager, food.pk))
    assert counts.overdue == 0
    assert counts.held >= 2
    assert ProgressReview.objects.filter(onboarding__organisation=food).exists()
