"""The competences of the scale data set (Schaal NV): catalogue, requirements, assessments with
history and expiries, releases, people near retirement, and the version that marks stale data."""

from __future__ import annotations

import datetime
from io import StringIO

import pytest
from django.core.management import call_command
from django.db.models import Count
from django.utils import timezone

from leerplek.competences import gap_selectors
from leerplek.competences.models import (
    Assessment,
    Competence,
    CompetenceGroup,
    Requirement,
    WorkRelease,
)
from leerplek.core.models import AuditEntry
from leerplek.demo import builder
from leerplek.people.models import Employee, Job, Organisation, Workstation

pytestmark = pytest.mark.django_db

SMALL = ["--people", "400", "--units", "20", "--functions", "30", "--workstations", "40",
         # The training rows have their own scale test.
         "--instructions", "0", "--programme-assignments", "0", "--certificates", "0"]  # fmt: skip


def build(*extra: str) -> str:
    out = StringIO()
    call_command("demo", "--scale", *SMALL, *extra, stdout=out)
    return out.getvalue()


def test_small_scale_build_has_the_asked_competences_and_assessments() -> None:
    output = build("--competences", "200", "--assessments", "6000")

    org = Organisation.objects.get(slug="schaal-nv")
    assert Competence.objects.filter(organisation=org).count() == 200
    assert CompetenceGroup.objects.filter(organisation=org).count() > 1
    assert Assessment.objects.filter(organisation=org).count() == 6000
    assert "200 competences" in output
    assert "6000 assessments" in output
    # Every function requires four competences and every workstation three, with an ideal count.
    jobs = Job.objects.filter(organisation=org).count()
    stations = Workstation.objects.filter(organisation=org).count()
    requirements = Requirement.objects.filter(organisation=org)
    assert requirements.filter(job__isnull=False).count() == 4 * jobs
    assert requirements.filter(workstation__isnull=False).count() == 3 * stations
    assert not requirements.filter(ideal_count=0).exists()
    entry = AuditEntry.objects.get(organisation_id=org.pk, action="demo.scale_generated")
    assert entry.after["version"] == builder.SCALE_VERSION
    assert entry.after["assessments"] == 6000


def test_scale_assessments_have_history_expiries_and_releases() -> None:
    build("--competences", "150")

    org = Organisation.objects.get(slug="schaal-nv")
    people = Employee.objects.filter(organisation=org).count()
    assessments = Assessment.objects.filter(organisation=org)
    # The default is 30 assessments per person.
    assert assessments.count() == builder.ASSESSMENTS_PER_PERSON * people
    twice = (
        assessments.filter(is_self=False)
        .values("employee_id", "competence_id")
        .annotate(n=Count("id"))
        .filter(n__gt=1)
    )
    assert twice.count() > people // 10
    today = timezone.localdate()
    assert assessments.filter(valid_until__lt=today).exists()
    assert assessments.filter(valid_until__gte=today).exists()
    for on, hired in assessments.values_list("assessed_on", "employee__hire_date")[:500]:
        assert hired <= on <= today
    assert WorkRelease.objects.filter(organisation=org).count() > people // 4
    horizon = today + datetime.timedelta(days=700)
    assert Employee.objects.filter(organisation=org, planned_exit_date__lte=horizon).exists()
    assert Employee.objects.filter(
        organisation=org, birth_date__lte=today - datetime.timedelta(days=int(60.5 * 365))
    ).exists()
    # The rare know-how makes the retention list non-empty.
    risks = gap_selectors.retention_risks(organisation=org, horizon_months=24, retirement_age=65)
    assert risks


def test_scale_build_is_deterministic_and_reset_replaces_the_competences() -> None:
    build("--competences", "100", "--assessments", "3000")
    org = Organisation.objects.get(slug="schaal-nv")
    first = list(
        Assessment.objects.filter(organisation=org)
        .order_by("employee__employee_number", "competence__code", "assessed_on", "id")
        .values_list("employee__employee_number", "competence__code", "level__code", "assessed_on")
    )

    build("--competences", "100", "--assessments", "3000", "--reset")

    org = Organisation.objects.get(slug="schaal-nv")
    again = list(
        Assessment.objects.filter(organisation=org)
        .order_by("employee__employee_number", "competence__code", "assessed_on", "id")
        .values_list("employee__employee_number", "competence__code", "level__code", "assessed_on")
    )
    assert again == first
    assert Competence.objects.count() == 100


def test_an_older_scale_data_set_is_reported_as_stale() -> None:
    build("--competences", "50", "--assessments", "500")
    org = Organisation.objects.get(slug="schaal-nv")
    assert builder.scale_version(org) == builder.SCALE_VERSION
    # A data set built before versions were recorded counts as version 1.
    AuditEntry.objects.create(
        organisation_id=org.pk, action="demo.scale_generated", after={"people": 400}
    )

    assert builder.scale_version(org) == 1
    assert "older version" in build()
