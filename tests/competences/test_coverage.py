"""Coverage over time: the numbers per month, expiry, self-assessments, hire dates, the chart page,
scope and a query count that does not grow with the data."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from leerplek.competences import coverage_selectors, services
from leerplek.competences.coverage_chart import chart_layout
from leerplek.competences.coverage_selectors import coverage_history, coverage_months
from leerplek.competences.models import Assessment, Competence
from leerplek.core.roles import Role
from leerplek.people.models import Employee, OrgUnit
from tests.competences.factories import acting, competence, level
from tests.factories import Cast, EmployeeFactory, JobFactory, make_unit

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 11, 25)


def record(
    person: Employee,
    what: Competence,
    code: str,
    on: datetime.date,
    *,
    is_self: bool = False,
    valid_until: datetime.date | None = None,
) -> Assessment:
    """An assessment row as the service writes it, on any date (the service refuses dates after
    the real today, and these tests pin their own today)."""
    return Assessment.objects.create(
        organisation=person.organisation,
        employee=person,
        competence=what,
        level=level(person.organisation, code),
        assessed_on=on,
        method="self_assessment" if is_self else "observation",
        is_self=is_self,
        valid_until=valid_until,
    )


def changeover_team(cast: Cast) -> dict[str, Any]:
    """Seven operators of the unit "Omstelling", all hired in 2020, and the changeover skill CHG
    their function requires: 3 at U in March 2025, 5 from February 2026; one of the first three's
    qualification expires at the end of June 2026; one self-assessment at O and one leaver at U
    that never count; an eighth person hired in May 2026."""
    unit = make_unit(cast.organisation, "Omstelling", parent=cast.production)
    changer = JobFactory(organisation=cast.organisation, code="CHG", name="Changer")
    chg = competence(cast, "CHG", name="Changeover")
    services.requirement_set(
        competence=chg,
        by=cast.user(Role.HR),
        job=changer,
        level=level(cast.organisation, "U"),
        ideal_count=3,
    )
    people = [
        EmployeeFactory(organisation=cast.organisation, unit=unit, job=changer, last_name=f"Op{n}")
        for n in range(7)
    ]
    for person in people[:3]:
        record(person, chg, "U", datetime.date(2025, 3, 10), valid_until=None)
    record(people[0], chg, "U", datetime.date(2025, 3, 11), valid_until=datetime.date(2026, 6, 30))
    for person in people[3:5]:
        record(person, chg, "I", datetime.date(2025, 1, 5))
        record(person, chg, "U", datetime.date(2026, 2, 15))
    record(people[5], chg, "O", datetime.date(2025, 1, 1), is_self=True)
    leaver = EmployeeFactory(
        organisation=cast.organisation,
        unit=unit,
        job=changer,
        exit_date=datetime.date(2026, 1, 31),
    )
    record(leaver, chg, "O", datetime.date(2025, 1, 1))
    newcomer = EmployeeFactory(
        organisation=cast.organisation,
        unit=unit,
        job=changer,
        hire_date=datetime.date(2026, 5, 4),
    )
    return {"unit": unit, "chg": chg, "people": people, "newcomer": newcomer, "job": changer}


def by_month(history: Any) -> dict[datetime.date, tuple[int, int, int | None]]:
    series = history.series[0]
    return {p.month: (p.covered, p.people, p.percent) for p in series.points}


def test_coverage_per_month_from_dated_assessments(cast: Cast) -> None:
    team = changeover_team(cast)
    history = coverage_history(
        unit=team["unit"],
        access=acting(cast.user(Role.HR), cast.organisation).access,
        months=24,
        competence=team["chg"],
        today=TODAY,
    )
    months = by_month(history)
    assert len(months) == 24
    assert min(months) == datetime.date(2024, 12, 1)
    # Before March 2025 nobody counts: the I levels do not cover, the self-assessment at O is
    # ignored and the leaver is not one of the current people.
    assert months[datetime.date(2025, 2, 1)] == (0, 7, 0)
    assert months[datetime.date(2025, 3, 1)] == (3, 7, 43)
    assert months[datetime.date(2026, 1, 1)] == (3, 7, 43)
    assert months[datetime.date(2026, 2, 1)] == (5, 7, 71)
    # The newcomer counts from the month he started.
    assert months[datetime.date(2026, 4, 1)] == (5, 7, 71)
    assert months[datetime.date(2026, 5, 1)] == (5, 8, 63)
    # The qualification valid until 30 June still covers on that day, not at the end of July.
    assert months[datetime.date(2026, 6, 1)] == (5, 8, 63)
    assert months[datetime.date(2026, 7, 1)] == (4, 8, 50)
    assert months[datetime.date(2026, 11, 1)] == (4, 8, 50)
    # The current month is measured today.
    assert history.months[-1].as_of == TODAY
    rise = history.series[0].biggest_rise
    assert rise is not None
    assert (rise.month, rise.rise, rise.previous_percent, rise.percent) == (
        datetime.date(2025, 3, 1),
        43,
        0,
        43,
    )


def test_a_later_lower_official_level_stops_coverage_but_a_self_assessment_does_not(
    cast: Cast,
) -> None:
    team = changeover_team(cast)
    first = team["people"][1]
    record(first, team["chg"], "L", datetime.date(2026, 10, 2))
    record(team["people"][2], team["chg"], "I", datetime.date(2026, 10, 3), is_self=True)
    history = coverage_history(
        unit=team["unit"],
        access=acting(cast.user(Role.HR), cast.organisation).access,
        months=24,
        competence=team["chg"],
        today=TODAY,
    )
    months = by_month(history)
    assert months[datetime.date(2026, 9, 1)] == (4, 8, 50)
    assert months[datetime.date(2026, 10, 1)] == (3, 8, 38)


def test_without_a_competence_every_required_competence_gets_a_series(cast: Cast) -> None:
    team = changeover_team(cast)
    clean = competence(cast, "CLEAN", name="Cleaning")
    services.requirement_set(
        competence=clean,
        by=cast.user(Role.HR),
        job=team["job"],
        level=level(cast.organisation, "U"),
    )
    record(team["people"][0], clean, "O", datetime.date(2026, 8, 1))
    history = coverage_history(
        unit=cast.production,  # the parent unit includes Omstelling
        access=acting(cast.user(Role.HR), cast.organisation).access,
        months=6,
        today=TODAY,
    )
    assert [s.competence.code for s in history.series] == ["CHG", "CLEAN"]
    assert [p.month for p in history.months] == [
        datetime.date(2026, month, 1) for month in range(6, 12)
    ]
    clean_points = {p.month: p.covered for p in history.series[1].points}
    assert clean_points[datetime.date(2026, 7, 1)] == 0
    assert clean_points[datetime.date(2026, 8, 1)] == 1
    # Production's people: the eight of Omstelling plus the packaging people of the cast.
    assert (
        history.months[-1].people
        == Employee.objects.active(TODAY).in_subtree(cast.production).count()
    )


def test_months_cross_the_new_year() -> None:
    months = coverage_months(months=3, today=datetime.date(2026, 1, 15))
    assert [(m.month, m.as_of) for m in months] == [
        (datetime.date(2025, 11, 1), datetime.date(2025, 11, 30)),
        (datetime.date(2025, 12, 1), datetime.date(2025, 12, 31)),
        (datetime.date(2026, 1, 1), datetime.date(2026, 1, 15)),
    ]


def grow(cast: Cast, unit: OrgUnit, what: Competence, people: int) -> None:
    job = JobFactory(organisation=cast.organisation, name=f"Grown {people}")
    for n in range(people):
        person = EmployeeFactory(organisation=cast.organisation, unit=unit, job=job)
        record(person, what, "U", datetime.date(2025, 5 + n % 6, 1))
        record(person, what, "L", datetime.date(2024, 1, 1))
        extra = competence(cast, f"X{people}{n}")
        services.requirement_set(
            competence=extra, by=cast.user(Role.HR), job=job, level=level(cast.organisation, "U")
        )
        record(person, extra, "O", datetime.date(2026, 1, 1))


def test_query_count_does_not_grow_with_the_data(
    cast: Cast, django_assert_num_queries: Any
) -> None:
    team = changeover_team(cast)
    access = acting(cast.user(Role.HR), cast.organisation).access
    for size in (0, 12):
        grow(cast, team["unit"], team["chg"], size)
        with django_assert_num_queries(3):
            history = coverage_history(unit=team["unit"], access=access, months=24, today=TODAY)
        assert len(history.series) == 1 + size
        with django_assert_num_queries(2):
            coverage_history(
                unit=team["unit"], access=access, months=24, competence=team["chg"], today=TODAY
            )


def test_chart_geometry_marks_the_biggest_rise_and_breaks_on_empty_months(cast: Cast) -> None:
    team = changeover_team(cast)
    history = coverage_history(
        unit=team["unit"],
        access=acting(cast.user(Role.HR), cast.organisation).access,
        months=24,
        competence=team["chg"],
        today=TODAY,
    )
    chart = chart_layout(history, width=760, height=300, label_every=3)
    line = chart.lines[0]
    assert len(line.dots) == 24
    assert line.path.startswith(f"M{chart.left}.0 {chart.bottom}.0")
    assert chart.rise is not None
    assert chart.rise.percent == 43
    assert chart.rise_label == "+43"
    assert chart.x_ticks[-1].month == datetime.date(2026, 11, 1)
    assert len(chart.x_ticks) == 8
    # A month without people leaves a gap in the line.
    history.series[0].points[5].people = 0
    history.series[0].points[5].covered = 0
    assert chart_layout(history, width=760, height=300, label_every=3).lines[0].path.count("M") == 2


@pytest.fixture
def pinned_today(monkeypatch: Any) -> None:
    monkeypatch.setattr(timezone, "localdate", lambda *args, **kw: TODAY)


def test_page_shows_chart_table_and_biggest_rise(
    cast: Cast, client_for: Any, pinned_today: None
) -> None:
    team = changeover_team(cast)
    url = f"{reverse('competences:coverage')}?unit={team['unit'].pk}&competence={team['chg'].pk}"
    response = client_for(cast.user(Role.MANAGER)).get(url)
    assert response.status_code == 200
    body = response.content.decode()
    assert body.count('<svg class="coverage-chart') == 2  # wide and narrow
    assert "style=" not in body.split("<main", 1)[-1]
    assert "Biggest rise: CHG from 0 % to 43 % in March 2025 (+43 points)." in body
    assert "43 %" in body
    assert "71 %" in body
    assert "5/7" in body
    assert "biggest rise:" in body  # the table marks the month for screen readers


def test_page_without_a_competence_shows_a_legend(
    cast: Cast, client_for: Any, pinned_today: None
) -> None:
    team = changeover_team(cast)
    clean = competence(cast, "CLEAN", name="Cleaning")
    services.requirement_set(
        competence=clean,
        by=cast.user(Role.HR),
        job=team["job"],
        level=level(cast.organisation, "U"),
    )
    body = (
        client_for(cast.user(Role.HR))
        .get(f"{reverse('competences:coverage')}?unit={team['unit'].pk}")
        .content.decode()
    )
    assert 'class="coverage-legend"' in body
    assert "Changeover" in body
    assert "Cleaning" in body


def test_page_query_count_is_fixed(
    cast: Cast, client_for: Any, pinned_today: None, django_assert_max_num_queries: Any
) -> None:
    team = changeover_team(cast)
    client = client_for(cast.user(Role.HR))
    url = f"{reverse('competences:coverage')}?unit={team['unit'].pk}"
    client.get(url)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as small:
        client.get(url)
    grow(cast, team["unit"], team["chg"], 10)
    with django_assert_max_num_queries(len(small.captured_queries)):
        assert client.get(url).status_code == 200


def test_scope_employee_refused_and_manager_limited_to_his_units(
    cast: Cast, client_for: Any, pinned_today: None
) -> None:
    team = changeover_team(cast)
    assert (
        client_for(cast.user(Role.EMPLOYEE)).get(reverse("competences:coverage")).status_code == 403
    )
    manager = client_for(cast.user(Role.MANAGER))
    body = manager.get(f"{reverse('competences:coverage')}?unit={cast.office.pk}").content.decode()
    assert "coverage-chart" not in body
    assert "Select a valid choice" in body
    # Without a choice the first unit in reach is shown.
    body = manager.get(reverse("competences:coverage")).content.decode()
    assert "coverage-chart" in body or "No competence is required" in body
    del team


def test_the_matrix_and_the_competence_page_link_to_coverage(cast: Cast, client_for: Any) -> None:
    chg = competence(cast, "CHGX", name="Changeover")
    client = client_for(cast.user(Role.HR))
    detail = client.get(reverse("competences:competence-detail", args=[chg.pk])).content.decode()
    assert f"{reverse('competences:coverage')}?competence={chg.pk}" in detail
    team = changeover_team(cast)
    matrix = client.get(f"{reverse('competences:matrix')}?unit={team['unit'].pk}")
    assert f"{reverse('competences:coverage')}?unit={team['unit'].pk}" in matrix.content.decode()


def test_the_chart_draws_at_most_eight_lines_and_the_table_all(cast: Cast) -> None:
    team = changeover_team(cast)
    grow(cast, team["unit"], team["chg"], 9)
    history = coverage_history(
        unit=team["unit"],
        access=acting(cast.user(Role.HR), cast.organisation).access,
        months=24,
        today=TODAY,
    )
    assert len(history.series) == 10
    assert len(chart_layout(history, width=760, height=300, label_every=3).lines) == 8
    assert all(len(cells) == 10 for _month, cells in history.rows)
    assert coverage_selectors.MAX_LINES == 8
