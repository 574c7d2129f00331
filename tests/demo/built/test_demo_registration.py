"""The demo's learning registrations: three financial years at Voedingsbedrijf X, the two past
ones closed with every one of the 24 social-balance codes non-zero; agency workers, apprentices,
excluded sessions and subsidies in every year."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.utils import timezone

from leerplek.people.models import Organisation
from leerplek.registration import selectors
from leerplek.registration.models import Activity, FinancialYear, Participation

pytestmark = pytest.mark.django_db


def test_the_two_past_years_are_closed_with_every_code_non_zero(demo: Organisation) -> None:
    this_year = timezone.localdate().year
    closed = FinancialYear.objects.filter(organisation=demo, status="closed")
    assert sorted(year.end_date.year for year in closed) == [this_year - 2, this_year - 1]
    for year in closed:
        assert len(year.figures) == 24
        zero = [code for code, value in year.figures.items() if Decimal(value) == 0]
        assert zero == [], f"{year}: {zero}"
        live = selectors.social_balance(demo, year.end_date.year).by_code()
        assert {code: str(value) for code, value in live.items()} == year.figures


def test_every_kind_of_record_is_there(demo: Organisation) -> None:
    activities = Activity.objects.filter(organisation=demo)
    assert {a.category for a in activities} == {"formal", "informal", "initial"}
    assert activities.exclude(exclusion="").count() >= 4
    registrations = Participation.objects.filter(activity__organisation=demo)
    assert registrations.filter(employee__person_type="agency").exists()
    assert registrations.filter(employee__person_type="apprentice").exists()
