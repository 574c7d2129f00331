"""What the demo shows of running an onboarding (issue #5): the demo newcomer's notebook and
observations, and earlier newcomers released to work alone with their plans completed."""

from __future__ import annotations

import pytest

from leerplek.onboarding.models import NotebookEntry, Observation, Onboarding, OnboardingStatus
from leerplek.people.models import Organisation

pytestmark = pytest.mark.django_db


def food() -> Organisation:
    return Organisation.objects.get(name="Voedingsbedrijf X")


def test_the_demo_newcomer_keeps_a_notebook_and_was_observed(demo: Organisation) -> None:
    plan = Onboarding.objects.get(
        organisation=food(), status=OnboardingStatus.ACTIVE, employee__user__isnull=False
    )
    notes = NotebookEntry.objects.filter(onboarding=plan)
    assert notes.count() == 3
    assert notes.filter(task__isnull=False).count() == 1
    assert notes.exclude(photo="").count() == 1
    observations = Observation.objects.filter(onboarding=plan)
    assert observations.count() == 2
    assert all(o.feedback_given for o in observations)
    assert {o.observer_id for o in observations} != {plan.employee_id}


def test_earlier_newcomers_were_released_and_completed(demo: Organisation) -> None:
    done = list(
        Onboarding.objects.filter(
            organisation=food(), status=OnboardingStatus.COMPLETED
        ).prefetch_related("tasks")
    )
    assert 4 <= len(done) <= 6
    assert len({plan.job_id for plan in done}) == 2
    for plan in done:
        assert plan.independent_on is not None
        assert plan.start_date < plan.independent_on <= plan.ended_on  # type: ignore[operator]
        floor = [task for task in plan.tasks.all() if task.on_work_floor]
        assert floor
        assert all(task.release_id and task.done_on == plan.independent_on for task in floor)
    assert len({(plan.independent_on - plan.start_date).days for plan in done}) > 1  # type: ignore[operator]
