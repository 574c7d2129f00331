"""What the demo shows of the peter/meter pool (issue #5): the brochure's criteria, a pool with
an exception and a refresher due, candidates at each step, and a night shift without a peter."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext

from leerplek.core.roles import Role
from leerplek.demo.builder import DEMO_USERS
from leerplek.onboarding import selectors_pool
from leerplek.onboarding.models import EligibilityCriterion, GuideProfile, GuideStatus
from leerplek.onboarding.selectors_pool import TRAINING_CURRENT, TRAINING_DUE, TRAINING_NONE
from leerplek.people.models import Organisation, User

pytestmark = pytest.mark.django_db


def food() -> Organisation:
    return Organisation.objects.get(name="Voedingsbedrijf X")


def test_both_organisations_have_the_brochure_criteria(demo: Organisation) -> None:
    for organisation in Organisation.objects.filter(
        name__in=["Voedingsbedrijf X", "Transportbedrijf X"]
    ):
        criteria = EligibilityCriterion.objects.filter(organisation=organisation)
        assert set(criteria.values_list("measure", flat=True)) == {
            "experience_years",
            "seniority_years",
            "",
        }
        assert criteria.filter(kind="qualitative").count() == 6


def test_the_food_pool_tells_the_whole_story(demo: Organisation) -> None:
    overview = selectors_pool.pool_overview(food())
    members = {row.employee.pk: row for row in overview.members}
    assert 4 <= len(members) <= 6
    # The demo peter/meter log-in is in the pool, trained, and guides the demo newcomer.
    mentor = next(row for row in overview.members if row.employee.user_id is not None)
    assert mentor.training_status == TRAINING_CURRENT
    assert mentor.current_mentees >= 1
    assert mentor.profile.photo
    statuses = {row.training_status for row in overview.members}
    assert {TRAINING_CURRENT, TRAINING_DUE, TRAINING_NONE} <= statuses
    assert any(row.profile.override_reason for row in overview.members)
    assert any(row.profile.reduced_load for row in overview.members)
    # Candidates: one waits for the qualities, one for HR's decision.
    assert len(overview.candidates) == 2
    assert any(row.unconfirmed for row in overview.candidates)
    assert any(not row.unconfirmed for row in overview.candidates)
    origins = set(GuideProfile.objects.filter(organisation=food()).values_list("origin", flat=True))
    assert origins == {"volunteered", "proposed"}
    assert (
        GuideProfile.objects.filter(organisation=food(), status=GuideStatus.DECLINED).count() == 1
    )


def test_the_night_shift_has_no_peter_so_the_pool_warns(demo: Organisation) -> None:
    overview = selectors_pool.pool_overview(food())
    assert [row.shift.code for row in overview.uncovered] == ["VP-NACHT"]
    assert selectors_pool.eligible_guides(food())  # matching has peters to propose


def test_the_new_drivers_peter_is_in_the_transport_pool(demo: Organisation) -> None:
    transport = Organisation.objects.get(name="Transportbedrijf X")
    (row,) = selectors_pool.eligible_guides(transport, include_full=True)
    assert row.profile.trainings.count() == 2
    assert row.training_status == TRAINING_CURRENT
    assert row.employee.guiding.filter(learner__employee_number="TX9001").exists()


def test_the_demo_hr_and_manager_open_the_pool(demo: Organisation, client: Any) -> None:
    for role in (Role.HR, Role.MANAGER):
        email = next(email for who, email in DEMO_USERS if who is role)
        user = User.objects.get(email=email)
        client.force_login(user)
        body = client.get(reverse("onboarding:pool")).content.decode()
        # Demo users read Leerplek in their own language (Dutch).
        with translation.override(user.language):
            assert gettext("Peter/meter pool") in body
