"""What the demo shows of the onthaal record (issue #5): the food newcomer's instructions given
and confirmed with a signed document and a correction, and the new driver's record still open."""

from __future__ import annotations

import pytest

from leerplek.onboarding.models import (
    GivenInstruction,
    Onboarding,
    OnboardingStatus,
    OnthaalDocument,
    SafetyInstruction,
)
from leerplek.onboarding.selectors import compliance
from leerplek.people.models import Organisation

pytestmark = pytest.mark.django_db


def test_the_food_newcomer_confirmed_everything_and_the_document_is_signed_twice(
    demo: Organisation,
) -> None:
    food = Organisation.objects.get(name="Voedingsbedrijf X")
    assert SafetyInstruction.objects.filter(organisation=food, job__isnull=False).exists()
    plan = Onboarding.objects.get(
        organisation=food, status=OnboardingStatus.ACTIVE, employee__user__isnull=False
    )
    given = list(GivenInstruction.objects.filter(onboarding=plan))
    assert len(given) == 5
    assert all(row.is_confirmed for row in given)
    first, second = OnthaalDocument.objects.filter(onboarding=plan).order_by("version")
    assert (first.version, second.version) == (1, 2)
    assert second.supersedes == first
    assert second.correction
    assert "Gehoorbescherming" in second.prevention_proposals
    assert not first.prevention_proposals
    # The PDF went to the module's MEDIA_ROOT (each test gets its own): check what is stored.
    assert len(second.sha256) == 64
    assert second.sha256 != first.sha256
    assert second.pdf.name.startswith("onthaal/")
    assert second.pdf.name.endswith(".pdf")


def test_the_new_driver_has_instructions_to_confirm_and_no_signed_document(
    demo: Organisation,
) -> None:
    transport = Organisation.objects.get(name="Transportbedrijf X")
    plan = Onboarding.objects.get(organisation=transport, employee__employee_number="TX9001")
    given = list(GivenInstruction.objects.filter(onboarding=plan))
    assert len(given) == 6  # three for everybody, two for drivers, one for his truck
    assert not any(row.is_confirmed for row in given)
    assert not OnthaalDocument.objects.filter(onboarding=plan).exists()
    data = compliance(organisation=transport)
    assert plan in data.unsigned
    assert plan in data.instructions_open
