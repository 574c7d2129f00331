"""Path values of the onboarding API for the OpenAPI walk (tests/api/test_openapi.py)."""

from __future__ import annotations

from typing import Any

from leerplek.onboarding.models import OnboardingTask
from tests.factories import Cast, EmployeeFactory
from tests.onboarding.factories import colleague, designate, start, templates


def arguments(cast: Cast) -> dict[str, Any]:
    """A template, an onboarding with a task, a guidance and a review of the cast's HR scope."""
    company, _ = templates(cast)
    person = EmployeeFactory(organisation=cast.organisation, unit=cast.packaging, job=cast.job)
    plan = start(cast, employee=person)
    guidance = designate(cast, plan, colleague(cast))
    task = OnboardingTask.objects.filter(onboarding=plan).first()
    review = plan.reviews.order_by("number").first()
    return {
        "template_id": company.pk,
        "onboarding_id": plan.pk,
        "task_id": task.pk if task else 0,
        "guidance_id": guidance.pk,
        "review_id": review.pk if review else 0,
    }
