"""The on-the-job training rows of the scale data set (Schaal NV): instructions of six steps with
a safety key point each, programmes of eight modules, assignments with their plans, a confirmed
sign-off for every module done, and certificates, within the rules the services keep."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command
from django.db.models import Count, F

from leerplek.people.models import Organisation
from leerplek.training.models import (
    AssignmentStatus,
    Certificate,
    InstructionStep,
    KeyPoint,
    ModulePlan,
    ProgrammeAssignment,
    Signoff,
    WorkInstruction,
)

pytestmark = pytest.mark.django_db

SMALL = [
    "--people", "300", "--units", "10", "--functions", "12", "--workstations", "20",
    "--competences", "20", "--assessments", "300", "--onboardings", "0",
    "--instructions", "40", "--programme-assignments", "900", "--certificates", "1500",
]  # fmt: skip


@pytest.fixture
def org() -> Organisation:
    out = StringIO()
    call_command("demo", "--scale", *SMALL, stdout=out)
    assert "900 programme assignments" in out.getvalue()
    return Organisation.objects.get(slug="schaal-nv")


def test_instructions_have_six_steps_with_a_safety_key_point(org: Organisation) -> None:
    assert WorkInstruction.objects.filter(organisation=org).count() == 40
    steps = InstructionStep.objects.filter(version__organisation=org)
    assert steps.count() == 40 * 6
    assert KeyPoint.objects.filter(step__version__organisation=org, kind="safety").count() == 240


def test_every_done_module_has_one_confirmed_signoff_by_someone_else(org: Organisation) -> None:
    assignments = ProgrammeAssignment.objects.filter(organisation=org)
    assert assignments.count() == 900
    assert {AssignmentStatus.ACTIVE, AssignmentStatus.COMPLETED} <= set(
        assignments.values_list("status", flat=True)
    )
    # One active assignment per person and version.
    active = assignments.filter(status=AssignmentStatus.ACTIVE)
    assert active.values("employee", "version").annotate(n=Count("id")).filter(n__gt=1).count() == 0
    done = ModulePlan.objects.filter(assignment__organisation=org, done_on__isnull=False)
    signoffs = Signoff.objects.filter(organisation=org)
    assert signoffs.count() == done.count() > 900
    assert not signoffs.filter(confirmer_id=F("assignment__employee_id")).exists()
    assert not signoffs.filter(content_hash="").exists()
    # A completed programme has every module signed.
    completed = assignments.filter(status=AssignmentStatus.COMPLETED).first()
    assert completed is not None
    assert completed.signoffs.count() == completed.module_plans.count() == 8


def test_certificates_have_unique_codes_and_some_expire_soon(org: Organisation) -> None:
    certificates = Certificate.objects.filter(organisation=org)
    assert certificates.count() == 1500
    assert certificates.values("code").distinct().count() == 1500
    assert certificates.filter(kind="attest").exists()
    assert certificates.filter(expires_on__lt=F("issued_on")).count() == 0
