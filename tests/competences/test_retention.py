"""Knowledge-retention risk: who holds a competence, who leaves, ranking, names, queries."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from leerplek.competences import services
from leerplek.competences.gap_selectors import retention_risks
from leerplek.competences.models import Competence
from leerplek.core.roles import Role
from tests.competences.factories import assess, competence, level
from tests.factories import Cast, EmployeeFactory, JobFactory, WorkstationFactory

pytestmark = pytest.mark.django_db


def years_ago(years: int) -> datetime.date:
    today = timezone.localdate()
    return today.replace(year=today.year - years, day=1)


def in_months(months: int) -> datetime.date:
    return timezone.localdate() + datetime.timedelta(days=30 * months)


def sauce_kitchen(cast: Cast) -> dict[str, Competence]:
    """SAUCE: ideal 3, held by three, one 63 and one with a planned exit (18 months to learn).
    CLEAN: ideal 2 at a workstation, one young holder. KNIFE: ideal 1, two young holders."""
    hr = cast.user(Role.HR)
    cook = JobFactory(organisation=cast.organisation, name="Cook", months_to_independence=18)
    station = WorkstationFactory(organisation=cast.organisation, unit=cast.packaging)
    u = level(cast.organisation, "U")
    sauce, clean, knife = (
        competence(cast, "SAUCE"),
        competence(cast, "CLEAN"),
        competence(cast, "KNIFE"),
    )
    services.requirement_set(competence=sauce, by=hr, level=u, job=cook, ideal_count=3)
    services.requirement_set(competence=clean, by=hr, level=u, workstation=station, ideal_count=2)
    services.requirement_set(competence=knife, by=hr, level=u, job=cook, ideal_count=1)
    senior = EmployeeFactory(
        organisation=cast.organisation,
        unit=cast.packaging,
        last_name="Senior",
        birth_date=years_ago(63),
    )
    leaver = EmployeeFactory(
        organisation=cast.organisation,
        unit=cast.packaging,
        last_name="Vertrekker",
        planned_exit_date=in_months(6),
    )
    young = EmployeeFactory(
        organisation=cast.organisation,
        unit=cast.packaging,
        last_name="Jong",
        birth_date=years_ago(30),
    )
    other = EmployeeFactory(organisation=cast.organisation, unit=cast.packaging, last_name="Ander")
    for person in (senior, leaver, young):
        assess(cast, person, sauce, "O")
    assess(cast, young, clean, "U")
    assess(cast, other, clean, "L")  # below coverage: not a holder
    assess(cast, young, knife, "U")
    assess(cast, other, knife, "U")
    return {"sauce": sauce, "clean": clean, "knife": knife}


def test_risks_are_ranked_by_share_at_risk_times_months_to_independence(cast: Cast) -> None:
    sauce_kitchen(cast)
    risks = retention_risks(organisation=cast.organisation, horizon_months=24, retirement_age=65)
    assert [risk.competence.code for risk in risks] == ["SAUCE", "CLEAN"]
    sauce, clean = risks
    assert (sauce.holder_count, sauce.leaving_count, sauce.ideal) == (3, 2, 3)
    assert sauce.mostly_leaving
    assert not sauce.short
    assert (sauce.months_to_independence, sauce.score) == (18, 67 * 18)
    senior = next(h for h in sauce.holders if h.name.startswith("Senior"))
    assert senior.retires
    assert senior.leaves_on == years_ago(63).replace(year=years_ago(63).year + 65)
    assert (clean.holder_count, clean.ideal, clean.short) == (1, 2, True)
    # Only a workstation requires CLEAN: the function default of 6 months applies.
    assert (clean.months_to_independence, clean.score) == (6, 50 * 6)


def test_a_shorter_horizon_or_later_retirement_removes_the_leavers(cast: Cast) -> None:
    sauce_kitchen(cast)
    risks = retention_risks(organisation=cast.organisation, horizon_months=3, retirement_age=67)
    assert [risk.competence.code for risk in risks] == ["CLEAN"]


def test_retention_page_gives_reasons_and_names_only_to_hr(cast: Cast, client_for: Any) -> None:
    sauce_kitchen(cast)
    body = client_for(cast.user(Role.HR)).get(reverse("competences:retention")).content.decode()
    assert "2 of 3 holders leave or retire within 24 months" in body
    assert "only 1 of ideal 2 holds it" in body
    assert "Senior" in body
    assert "retires" in body
    knowledge = client_for(cast.user(Role.KNOWLEDGE_MANAGER))
    body = knowledge.get(reverse("competences:retention")).content.decode()
    assert "2 of 3 holders leave or retire within 24 months" in body
    assert "Senior" not in body
    assert "Vertrekker" not in body


def test_retention_settings_change_the_page(cast: Cast, client_for: Any, settings: Any) -> None:
    sauce_kitchen(cast)
    settings.LEERPLEK = {**settings.LEERPLEK, "RETENTION_HORIZON_MONTHS": 3}
    body = client_for(cast.user(Role.HR)).get(reverse("competences:retention")).content.decode()
    assert "SAUCE" not in body
    assert "CLEAN" in body


def test_employee_and_manager_are_refused(cast: Cast, client_for: Any) -> None:
    for role in (Role.EMPLOYEE, Role.MANAGER):
        response = client_for(cast.user(role)).get(reverse("competences:retention"))
        assert response.status_code == 403, role


def grow(cast: Cast, competences: int, people: int) -> None:
    hr = cast.user(Role.HR)
    job = JobFactory(organisation=cast.organisation)
    start = Competence.objects.count()
    whats = []
    for i in range(competences):
        what = competence(cast, f"R{start + i:03d}")
        services.requirement_set(
            competence=what, by=hr, level=level(cast.organisation, "U"), job=job, ideal_count=50
        )
        whats.append(what)
    for i in range(people):
        person = EmployeeFactory(
            organisation=cast.organisation, unit=cast.packaging, birth_date=years_ago(50 + i % 15)
        )
        for what in whats:
            assess(cast, person, what, "U")


def test_retention_page_keeps_a_fixed_query_count(
    cast: Cast, client_for: Any, django_assert_max_num_queries: Any
) -> None:
    client = client_for(cast.user(Role.HR))
    grow(cast, 2, 2)
    with django_assert_max_num_queries(10) as small:
        assert client.get(reverse("competences:retention")).status_code == 200
    grow(cast, 10, 12)
    with django_assert_max_num_queries(len(small.captured_queries)):
        response = client.get(reverse("competences:retention"))
    assert response.content.decode().count("<tr>") == 1 + 12
