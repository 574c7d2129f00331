"""What the demo shows a new user on the competence pages (issue #4): every team's matrix with
gaps, expiring and expired certificates and someone not released; the sauce kitchen's retention
risk with transfer plans; the changeover skill's rise after a training; a 1-5 scale."""

from __future__ import annotations

import datetime

import pytest
from django.conf import settings
from django.utils import timezone

from leerplek.competences import selectors
from leerplek.competences.coverage_selectors import coverage_history
from leerplek.competences.gap_selectors import retention_risks
from leerplek.competences.models import (
    Assessment,
    Competence,
    CompetenceGroup,
    TransferPlan,
)
from leerplek.core.access import load_access
from leerplek.core.models import AuditEntry
from leerplek.demo.builder import ADMIN_EMAIL
from leerplek.people.models import Organisation, OrgUnit, User

pytestmark = pytest.mark.django_db

TEAM_KINDS = ("team", "shift", "cell", "zone")


def org(slug: str) -> Organisation:
    return Organisation.objects.get(slug=slug)


def admin_access(organisation: Organisation) -> object:
    return load_access(User.objects.get(email=ADMIN_EMAIL), organisation.pk)


def current(people: list[int]) -> dict[tuple[int, int], Assessment]:
    latest: dict[tuple[int, int], Assessment] = {}
    for assessment in Assessment.objects.filter(employee__in=people, is_self=False).order_by(
        "assessed_on", "created_at", "id"
    ):
        latest[(assessment.employee_id, assessment.competence_id)] = assessment
    return latest


@pytest.mark.parametrize("slug", ["voedingsbedrijf-x", "transportbedrijf-x"])
def test_every_team_matrix_has_gaps_and_certificates_about_to_run_out(
    demo: Organisation, slug: str
) -> None:
    organisation = org(slug)
    access = admin_access(organisation)
    today = timezone.localdate()
    teams = OrgUnit.objects.filter(organisation=organisation, kind__in=TEAM_KINDS)
    assert teams.count() >= 2
    for unit in teams:
        matrix = selectors.matrix_for_unit(unit=unit, access=access)
        assert matrix.columns, unit.name
        cells = [cell for row in matrix.rows for cell in row.cells if cell.required]
        gaps = [cell for cell in cells if not cell.meets]
        assert 0 < len(gaps) < len(cells), unit.name  # some gaps, not all
        latest = current([row.employee.pk for row in matrix.rows])
        ends = [a.valid_until for a in latest.values() if a.valid_until]
        soon = [day for day in ends if today <= day <= today + datetime.timedelta(days=60)]
        assert len(soon) >= 2, unit.name
        assert any(day < today for day in ends), unit.name
        if any(row.employee.workstation_id for row in matrix.rows):
            assert any(row.not_released for row in matrix.rows), unit.name


def test_the_sauce_kitchen_risk_is_held_only_by_people_about_to_leave(demo: Organisation) -> None:
    food = org("voedingsbedrijf-x")
    risks = retention_risks(
        organisation=food,
        horizon_months=settings.LEERPLEK["RETENTION_HORIZON_MONTHS"],
        retirement_age=settings.LEERPLEK["RETIREMENT_AGE"],
    )

    vacuum = next(risk for risk in risks if risk.competence.code == "SK-VAC")
    assert risks.index(vacuum) < 3
    assert vacuum.holder_count >= 2
    assert vacuum.leaving_count == vacuum.holder_count
    plans = TransferPlan.objects.filter(competence=vacuum.competence)
    assert {plan.method for plan in plans} == {"tandem", "instruction"}
    tandem = plans.get(method="tandem")
    assert tandem.status == "in_progress"
    assert tandem.successor is not None
    assert AuditEntry.objects.filter(action="competences.transfer_plan_created").count() == 2


def test_the_changeover_skill_rises_from_about_43_to_65_percent_after_a_training(
    demo: Organisation,
) -> None:
    food = org("voedingsbedrijf-x")
    unit = OrgUnit.objects.get(organisation=food, name="Vroege ploeg")
    history = coverage_history(
        unit=unit,
        access=admin_access(food),
        months=24,
        competence=Competence.objects.get(organisation=food, code="VP-OMST"),
    )

    points = history.series[0].points
    assert all(35 <= (point.percent or 0) <= 50 for point in points[:-6])
    assert all(60 <= (point.percent or 0) <= 70 for point in points[-5:])
    rise = history.biggest_rise
    assert rise is not None
    _series, jump = rise
    assert jump.month == points[-6].month
    assert (jump.rise or 0) >= 15


def test_attitudes_and_software_are_scored_one_to_five(demo: Organisation) -> None:
    food = org("voedingsbedrijf-x")
    attitudes = CompetenceGroup.objects.get(organisation=food, name="Attitudes")

    assert attitudes.scale is not None
    assert list(attitudes.scale.levels.values_list("code", flat=True)) == list("12345")
    levels = set(
        Assessment.objects.filter(competence__group=attitudes).values_list(
            "level__scale", flat=True
        )
    )
    assert levels == {attitudes.scale.pk}
    assert Competence.objects.filter(organisation=food, group__isnull=True).count() == 0


def test_demo_people_with_a_log_in_give_their_own_view(demo: Organisation) -> None:
    own = Assessment.objects.filter(is_self=True, employee__user__isnull=False)

    assert own.count() >= 3
    assert own.filter(employee__user__email="employee@voedingsbedrijf-x.demo").exists()
