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


def test_last_years_and_this_years_plans_are_linked_to_their_activities(
    org: Organisation,
) -> None:
    from django.utils import timezone

    from leerplek.registration import selectors_plan
    from leerplek.registration.models import TrainingPlan

    this_year = timezone.localdate().year
    plans = TrainingPlan.objects.filter(organisation=org, status="in_force")
    assert sorted(plans.values_list("year", flat=True)) == [this_year - 1, this_year]
    last = plans.get(year=this_year - 1)
    assert last.lines.count() == 14
    linked = Activity.objects.filter(organisation=org, plan_line__plan=last)
    assert linked.exists()
    assert not linked.exclude(end_date__year=this_year - 1).exists()
    assert not Activity.objects.filter(
        organisation=org, end_date__year=this_year - 1, title="Heftruckattest", plan_line=None
    ).exists()
    figures = selectors_plan.plan_figures(last)
    assert figures.participants > 0
    assert figures.hours > 0
    assert sum(figures.months_hours) == figures.hours
