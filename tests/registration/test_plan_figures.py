"""Planned against realised, computed by hand in the test, and the fixed query counts of the plan
pages and selectors whatever the data size."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

import pytest
from django.urls import reverse

from leerplek.core.roles import Role
from leerplek.registration import selectors_plan, services_plan
from leerplek.registration.models import Activity, ActivityStatus
from leerplek.registration.plan_chart import plan_chart
from tests.factories import Cast
from tests.registration.factories import activity, person
from tests.registration.factories_plan import acting, competence, gap_need, plan_with_lines

pytestmark = pytest.mark.django_db
D = datetime.date


def realised_world(cast: Cast) -> Any:
    plan, forklift, kettle = plan_with_lines(cast)
    ann, bart, chris = person(cast, "Ann", "f"), person(cast, "Bart"), person(cast, "Chris")
    activity(
        cast, "Heftruck voorjaar", on=D(2026, 3, 2), plan_line=forklift,
        participants=[(ann, "7.60"), (bart, "7.60")],
        costs=[("external", "580.00"), ("trainee_pay", "300.00"), ("subsidy", "100.00"),
               ("contribution", "20.00")],
    )  # fmt: skip
    activity(
        cast, "Heftruck najaar", on=D(2026, 10, 5), plan_line=forklift,
        participants=[(ann, "7.60")], costs=[("external", "290.00")],
    )  # fmt: skip
    # Not counted: excluded, a draft, a participation not followed.
    activity(
        cast, "Niet meegeteld", on=D(2026, 4, 1), plan_line=forklift, exclusion="brainstorming",
        participants=[(bart, 3)], costs=[("external", "999")],
    )  # fmt: skip
    draft = activity(
        cast, "Ontwerp", on=D(2026, 4, 1), plan_line=forklift, participants=[(chris, 5)],
        costs=[("external", "50")],
    )  # fmt: skip
    Activity.objects.filter(pk=draft.pk).update(status=ActivityStatus.DRAFT)
    activity(
        cast, "Niet gevolgd", on=D(2026, 5, 4), plan_line=forklift, status="not_followed",
        participants=[(chris, 7)],
    )  # fmt: skip
    activity(
        cast, "Mengketel", category="informal", on=D(2026, 3, 20), days=5, plan_line=kettle,
        participants=[(ann, "12.50"), (chris, "20")], costs=[("trainer_pay", "240.00")],
    )  # fmt: skip
    return plan, forklift, kettle


def test_planned_against_realised_by_hand(cast: Cast) -> None:
    plan, forklift, kettle = realised_world(cast)
    figures = selectors_plan.plan_figures(plan)
    first, second = figures.lines
    assert (first.line, second.line) == (forklift, kettle)
    # Forklift: Ann and Bart (Ann twice counts once); 7.60 * 3 hours;
    # net = gross 580 + 300 + 290 + contribution 20 - subsidy 100 = 1090.
    assert (first.participants, first.hours, first.cost) == (
        2,
        Decimal("22.80"),
        Decimal("1090.00"),
    )
    assert first.hours_share == 50  # 22.80 of 45.60
    assert first.cost_share == 61  # 1090 of 1800
    assert first.participants_share == 33  # 2 of 6
    # Kettle: Ann and Chris, 32.50 hours, 240.00.
    assert (second.participants, second.hours, second.cost) == (
        2,
        Decimal("32.50"),
        Decimal("240.00"),
    )
    # Total: Ann, Bart, Chris (Ann in both lines once): 3; 55.30 hours; 1330.00.
    assert (figures.participants, figures.hours, figures.cost) == (
        3,
        Decimal("55.30"),
        Decimal("1330.00"),
    )
    assert (figures.planned_participants, figures.planned_hours, figures.planned_cost) == (
        10,
        Decimal("141.60"),
        Decimal("3000.00"),
    )
    # By the activity's end month: March 15.20 + 32.50 (the kettle ends 24 March), October 7.60.
    assert figures.months_hours[2] == Decimal("47.70")
    assert figures.months_hours[9] == Decimal("7.60")
    assert sum(figures.months_hours) == figures.hours
    assert figures.months_cost[2] == Decimal("1040.00")  # 580 + 300 + 20 - 100 + 240
    assert figures.months_cost[9] == Decimal("290.00")


def test_the_chart_draws_the_year(cast: Cast) -> None:
    plan, _forklift, _kettle = realised_world(cast)
    chart = plan_chart(selectors_plan.plan_figures(plan), plan.year)
    assert len(chart.bars) == 12
    assert chart.bars[2].hours == Decimal("47.70")
    assert chart.bars[11].cumulative == Decimal("55.30")
    # The axis goes to 200 (planned 141.60 rounded up); the planned line sits at 141.6/200.
    assert [tick.label for tick in chart.ticks] == ["0", "100", "200"]
    assert chart.planned_y is not None
    assert chart.bars[0].y > chart.planned_y
    assert chart.path.startswith("M")
    assert chart.path.count("L") == 11


def test_a_plan_without_records_shows_zero(cast: Cast) -> None:
    plan, _f, _k = plan_with_lines(cast)
    figures = selectors_plan.plan_figures(plan)
    assert (figures.participants, figures.hours, figures.cost) == (0, Decimal("0"), Decimal("0"))
    assert figures.hours_share == 0


def grow(cast: Cast, plan: Any, lines: int) -> None:
    hr = acting(cast, Role.HR)
    start = plan.lines.count()
    skill = competence(cast, f"C{start}", f"Vaardigheid {start}")
    for number in range(start, start + lines):
        line = services_plan.line_add(
            plan=plan,
            by=hr,
            title=f"Cursus {number}",
            category="formal",
            target_group="Iedereen",
            risk_groups=["young"],
        )
        people = [person(cast, f"P{number}-{index}", unit=cast.packaging) for index in range(3)]
        activity(
            cast,
            f"A{number}",
            on=D(2026, 1 + number % 12, 1),
            plan_line=line,
            participants=[(someone, 2) for someone in people],
            costs=[("external", "10"), ("subsidy", "1")],
        )
        need = gap_need(cast, people[0], skill)
        services_plan.need_resolve(need=need, by=hr, learning_form="external", plan_line=line)
        services_plan.need_submit(
            organisation=cast.organisation,
            by=hr,
            year=2026,
            description=f"Nood {number}",
            target_group="Ploeg A",
        )


def test_the_plan_page_keeps_its_query_count(
    cast: Cast, client_for: Any, django_assert_max_num_queries: Any
) -> None:
    plan, _forklift, _kettle = plan_with_lines(cast)
    client = client_for(cast.user(Role.HR))
    url = reverse("registration:plan-detail", args=[plan.pk])
    with django_assert_max_num_queries(30) as small:
        assert client.get(url).status_code == 200
    grow(cast, plan, 12)
    with django_assert_max_num_queries(len(small.captured_queries)):
        body = client.get(url).content.decode()
    assert "Cursus 11" in body


@pytest.mark.parametrize(
    ("name", "role", "query"),
    [
        ("registration:plan-list", Role.HR, ""),
        ("registration:need-list", Role.HR, "?year=2026"),
        ("registration:need-list", Role.HR, "?year=2026&kind=gap"),
        ("registration:need-list", Role.CONSULTATION, "?year=2026"),
        ("registration:transfer-list", Role.MANAGER, "?status=all"),
    ],
)
def test_the_lists_keep_their_query_count(
    cast: Cast,
    client_for: Any,
    django_assert_max_num_queries: Any,
    name: str,
    role: Role,
    query: str,
) -> None:
    plan, _forklift, _kettle = plan_with_lines(cast)
    grow(cast, plan, 1)
    services_plan.transfer_followups_create(today=D(2026, 12, 31))
    client = client_for(cast.user(role))
    url = reverse(name) + query
    with django_assert_max_num_queries(30) as small:
        assert client.get(url).status_code == 200
    grow(cast, plan, 10)
    services_plan.transfer_followups_create(today=D(2026, 12, 31))
    with django_assert_max_num_queries(len(small.captured_queries)):
        assert client.get(url).status_code == 200


def test_the_exports_keep_their_query_count(
    cast: Cast, client_for: Any, django_assert_max_num_queries: Any
) -> None:
    plan, _forklift, _kettle = plan_with_lines(cast)
    client = client_for(cast.user(Role.HR))
    url = reverse("registration:plan-export", args=[plan.pk, "xlsx"])
    with django_assert_max_num_queries(30) as small:
        client.get(url)
    grow(cast, plan, 8)
    with django_assert_max_num_queries(len(small.captured_queries)):
        client.get(url)
