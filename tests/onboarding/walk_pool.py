"""URL arguments for the 'pool' pages in the URL walk (tests/core/test_url_permissions.py)."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile

from leerplek.core.roles import Role
from leerplek.onboarding import services_pool
from leerplek.onboarding.models import EligibilityCriterion, Onboarding
from tests.factories import Cast, EmployeeFactory
from tests.onboarding.factories_pool import acting

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def arguments(cast: Cast, onboarding: Onboarding) -> dict[str, Any]:
    """A value for each URL argument the 'pool' pages add, inside the line manager's scope: a
    candidate of packaging (not one of the walk's users) with a photo and a training."""
    hr = acting(cast, Role.HR)
    criterion = EligibilityCriterion.objects.create(
        organisation=cast.organisation, kind="qualitative", name="Patience"
    )
    person = EmployeeFactory(
        organisation=cast.organisation,
        unit=cast.packaging,
        first_name="Greet",
        last_name="Gids",
        experience_years=Decimal(15),
    )
    profile = services_pool.guide_propose(employee=person, by=hr)
    services_pool.guide_photo_set(
        profile=profile, by=hr, photo=SimpleUploadedFile("greet.png", PNG, "image/png")
    )
    training = services_pool.guide_training_record(
        profile=profile,
        by=hr,
        kind="initial",
        completed_on=datetime.date(2025, 5, 6),
        topics="Giving feedback",
        hours=Decimal(7),
    )
    return {
        "guide_profile_id": profile.pk,
        "eligibility_criterion_id": criterion.pk,
        "guide_training_id": training.pk,
    }
