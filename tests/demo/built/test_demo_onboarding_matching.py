"""What the demo shows of matching (issue #5): next week's packers in Voedingsbedrijf X wait for
a peter/meter, and the batch proposes one from the pool for each of them."""

from __future__ import annotations

import pytest

from leerplek.demo.onboarding_matching import NEW_PACKERS
from leerplek.onboarding import selectors_matching
from leerplek.onboarding.models import Guidance, MatchDecision, Onboarding
from leerplek.people.models import Organisation

pytestmark = pytest.mark.django_db


def test_next_weeks_packers_wait_for_a_peter(demo: Organisation) -> None:
    food = Organisation.objects.get(name="Voedingsbedrijf X")
    numbers = [row[0] for row in NEW_PACKERS]
    plans = Onboarding.objects.filter(organisation=food, employee__employee_number__in=numbers)
    assert plans.count() == 3
    assert len({plan.start_date for plan in plans}) == 1
    assert plans.first().start_date.weekday() == 0  # type: ignore[union-attr]
    assert not Guidance.objects.filter(learner__in=[p.employee_id for p in plans]).exists()
    assert not MatchDecision.objects.exists()
    week = selectors_matching.batch(organisation=food, week=plans.first().start_date)  # type: ignore[union-attr]
    assert {row.onboarding.employee.employee_number for row in week.rows} == set(numbers)


def test_the_batch_proposes_from_the_pool_when_there_is_one(demo: Organisation) -> None:
    food = Organisation.objects.get(name="Voedingsbedrijf X")
    data = selectors_matching.batch(organisation=food)
    if not data.candidates:
        pytest.skip("the demo pool is empty (built by the pool's demo part)")
    assert data.proposed > 0
    for row in data.rows:
        if row.proposal is not None:
            assert row.proposal.reasons
    transport = Organisation.objects.get(name="Transportbedrijf X")
    assert not Onboarding.objects.filter(
        organisation=transport, employee__employee_number__in=[r[0] for r in NEW_PACKERS]
    ).exists()
