"""The learning registrations of the scale data set (Schaal NV): activities over ten years in the
three categories with a few excluded ones, every participant employed on the day, cost lines
that give each formal course a gross cost, and a fund contribution per year."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command
from django.db.models import Count, F

from leerplek.people.models import Organisation
from leerplek.registration.models import (
    Activity,
    CompanyContribution,
    CostLine,
    Participation,
)

pytestmark = pytest.mark.django_db

SMALL = [
    "--people", "300", "--units", "10", "--functions", "12", "--workstations", "20",
    "--competences", "20", "--assessments", "300", "--onboardings", "0",
    "--instructions", "0", "--programme-assignments", "0", "--certificates", "0",
    "--learning-activities", "800",
]  # fmt: skip


@pytest.fixture
def org() -> Organisation:
    out = StringIO()
    call_command("demo", "--scale", *SMALL, stdout=out)
    assert "learning registrations" in out.getvalue()
    return Organisation.objects.get(slug="schaal-nv")


def test_activities_span_ten_years_in_every_category(org: Organisation) -> None:
    activities = Activity.objects.filter(organisation=org)
    assert 780 <= activities.count() <= 900
    by_category = dict(activities.values_list("category").annotate(n=Count("id")))
    assert set(by_category) == {"formal", "informal", "initial"}
    assert activities.exclude(exclusion="").exists()
    years = {day.year for day in activities.values_list("start_date", flat=True)}
    assert len(years) >= 10


def test_every_participant_was_employed_on_the_day(org: Organisation) -> None:
    registrations = Participation.objects.filter(activity__organisation=org)
    assert registrations.count() >= 800 * 10
    assert not registrations.filter(employee__hire_date__gt=F("activity__start_date")).exists()
    assert not registrations.filter(employee__exit_date__lt=F("activity__start_date")).exists()
    assert not registrations.filter(hours__gt=F("activity__duration_hours")).exists()


def test_formal_courses_have_a_gross_cost_and_years_a_fund_contribution(org: Organisation) -> None:
    formal = Activity.objects.filter(organisation=org, category="formal")
    assert formal.exists()
    assert not formal.exclude(cost_lines__kind="external").exists()
    assert CostLine.objects.filter(activity__organisation=org, kind="subsidy").exists()
    assert CompanyContribution.objects.filter(organisation=org).count() == 11
