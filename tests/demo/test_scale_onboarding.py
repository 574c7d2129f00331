"""The onboardings of the scale data set (Schaal NV): two years of plans with tasks, guides (and
newcomers without one), progress reviews held and overdue, within the rules the services keep."""

from __future__ import annotations

import datetime
from io import StringIO

import pytest
from django.core.management import call_command
from django.db.models import Count, F, Q
from django.utils import timezone

from leerplek.demo import builder
from leerplek.onboarding.models import (
    Guidance,
    Onboarding,
    OnboardingStatus,
    OnboardingTask,
    ProgressReview,
)
from leerplek.people.models import Organisation

pytestmark = pytest.mark.django_db

SMALL = [
    "--people", "600", "--units", "20", "--functions", "30", "--workstations", "40",
    "--competences", "60", "--assessments", "600",
    # The training rows have their own scale test.
    "--instructions", "0", "--programme-assignments", "0", "--certificates", "0",
]  # fmt: skip


def build(*extra: str) -> tuple[Organisation, str]:
    out = StringIO()
    call_command("demo", "--scale", *SMALL, *extra, stdout=out)
    return Organisation.objects.get(slug="schaal-nv"), out.getvalue()


def test_the_scale_build_makes_the_asked_onboardings_over_two_years() -> None:
    org, output = build("--onboardings", "300")

    onboardings = Onboarding.objects.filter(organisation=org)
    assert onboardings.count() == 300
    assert "300 onboardings" in output
    today = timezone.localdate()
    first = today - datetime.timedelta(days=365 * 2)
    assert not onboardings.filter(Q(start_date__lt=first) | Q(start_date__gt=today)).exists()
    statuses = set(onboardings.values_list("status", flat=True))
    assert {OnboardingStatus.ACTIVE, OnboardingStatus.COMPLETED} <= statuses
    # One active plan per person, an organiser who is someone else.
    assert onboardings.values("employee").distinct().count() == 300
    assert not onboardings.filter(organiser=F("employee")).exists()


def test_scale_onboardings_have_tasks_guides_and_reviews() -> None:
    org, _ = build("--onboardings", "300")
    today = timezone.localdate()

    tasks = OnboardingTask.objects.filter(onboarding__organisation=org)
    assert tasks.count() >= 300 * 4
    assert tasks.filter(done_on__isnull=False).exists()
    assert tasks.filter(done_on__isnull=True, due_on__lt=today).exists()  # overdue tasks
    assert not tasks.filter(done_on__gt=today).exists()
    active = Onboarding.objects.filter(organisation=org, status=OnboardingStatus.ACTIVE)
    guided = Guidance.objects.filter(organisation=org, is_backup=False, ends_on__isnull=True)
    without = active.exclude(employee_id__in=guided.values("learner_id"))
    assert guided.exists()
    assert without.exists()
    assert Guidance.objects.filter(organisation=org, is_backup=True).exists()
    per_guide = guided.values("guide").annotate(n=Count("id")).order_by("-n").first()
    assert per_guide is not None
    assert per_guide["n"] <= 2
    reviews = ProgressReview.objects.filter(onboarding__organisation=org)
    assert reviews.filter(held_on__isnull=False).exists()
    assert reviews.filter(held_on__isnull=True, planned_on__lt=today).exists()  # overdue
    assert reviews.filter(planned_on__gt=today).exists()  # still to come


def test_the_version_marks_data_built_before_onboardings(db: None) -> None:
    org, _ = build("--onboardings", "20")

    assert builder.scale_version(org) == builder.SCALE_VERSION >= 3


def test_a_rebuild_replaces_the_onboardings() -> None:
    build("--onboardings", "50")
    org, _ = build("--onboardings", "40", "--reset")

    assert Onboarding.objects.filter(organisation=org).count() == 40
    assert Onboarding.objects.count() == 40
