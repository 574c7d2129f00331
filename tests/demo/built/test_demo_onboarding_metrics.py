"""What the demo shows of the onboarding results and the pulse (issue #5): Transportbedrijf X's
two years of drivers, before and after the peters, and the demo newcomer's pulse answers."""

from __future__ import annotations

import pytest
from django.utils import timezone

from leerplek.onboarding.models import Onboarding, PulseRespondent, PulseResponse
from leerplek.onboarding.selectors_metrics import onboarding_metrics
from leerplek.people.models import Organisation

pytestmark = pytest.mark.django_db


def figures(name: str) -> object:
    today = timezone.localdate()
    return onboarding_metrics(
        organisation=Organisation.objects.get(name=name),
        date_from=today.replace(year=today.year - 3),
        date_to=today,
    )


def test_transport_shows_turnover_falling_after_the_peters(demo: Organisation) -> None:
    data = figures("Transportbedrijf X")
    assert data.without_guide.started >= 20
    assert data.with_guide.started >= 20
    assert 30 <= data.without_guide.left_period_percent <= 40  # the brochure's 36 %
    assert data.with_guide.left_period_percent <= 12
    assert data.without_guide.left_week >= 2
    assert data.with_guide.median_days < data.without_guide.median_days
    assert data.with_guide.newcomer_pulse > data.without_guide.newcomer_pulse
    assert data.with_guide.guide_answers > 0


def test_transport_stays_small_enough_for_make_run(demo: Organisation) -> None:
    org = Organisation.objects.get(name="Transportbedrijf X")
    assert Onboarding.objects.filter(organisation=org).count() < 60


def test_the_demo_newcomer_and_her_peter_answered_the_pulse(demo: Organisation) -> None:
    answers = PulseResponse.objects.filter(onboarding__organisation__name="Voedingsbedrijf X")
    assert answers.filter(respondent=PulseRespondent.NEWCOMER).exists()
    assert answers.filter(respondent=PulseRespondent.GUIDE).exists()
    assert all(answer.answered_by_id for answer in answers)
