"""The mentor predicate: a guide sees his mentees, from ids loaded once per request."""

from __future__ import annotations

from typing import Any

import pytest

from leerplek.core.access import load_access
from leerplek.core.roles import Role
from leerplek.onboarding.models import Onboarding
from leerplek.onboarding.selectors import onboardings_visible_to
from leerplek.people.models import Employee
from tests.factories import Cast, EmployeeFactory
from tests.onboarding.factories import colleague, designate, start, templates

pytestmark = pytest.mark.django_db


def acting(cast: Cast, role: Role) -> Any:
    user = cast.user(role)
    user.access = load_access(user, cast.organisation.pk)
    return user


def test_the_mentee_ids_cost_one_query_whatever_is_checked(
    cast: Cast, django_assert_num_queries: Any
) -> None:
    templates(cast)
    plan = start(cast)
    designate(cast, plan, cast.employees[Role.EMPLOYEE])
    user = acting(cast, Role.EMPLOYEE)
    people = list(Employee.objects.select_related("unit").filter(organisation=cast.organisation))
    with django_assert_num_queries(1):
        allowed = {p.pk for p in people if user.has_perm("people.view_employee", p)}
    assert allowed == {cast.employees[Role.EMPLOYEE].pk, plan.employee_id}


def test_a_user_without_person_record_costs_no_query(
    cast: Cast, django_assert_num_queries: Any
) -> None:
    Employee.objects.filter(user=cast.user(Role.CONSULTATION)).update(user=None)
    user = acting(cast, Role.CONSULTATION)
    with django_assert_num_queries(0):
        assert user.access.mentee_ids() == frozenset()


def test_an_ended_guidance_gives_no_access(cast: Cast) -> None:
    import datetime

    templates(cast)
    plan = start(cast)
    guidance = designate(cast, plan, cast.employees[Role.EMPLOYEE])
    guidance.ends_on = guidance.starts_on
    guidance.save()
    user = acting(cast, Role.EMPLOYEE)
    assert guidance.ends_on < datetime.date.today()
    assert not user.has_perm("people.view_employee", plan.employee)


@pytest.mark.parametrize("role", list(Role), ids=lambda role: role.value)
def test_the_list_filter_agrees_with_the_rule(cast: Cast, role: Role) -> None:
    templates(cast)
    plans = [start(cast)]
    for unit in (cast.office, cast.packaging):
        person = EmployeeFactory(organisation=cast.organisation, unit=unit, job=cast.job)
        plans.append(start(cast, employee=person))
    designate(cast, plans[2], cast.employees[Role.MENTOR])
    designate(cast, plans[1], colleague(cast))
    user = acting(cast, role)
    rows = Onboarding.objects.select_related("employee__unit")
    listed = set(rows.filter(onboardings_visible_to(user.access)).values_list("pk", flat=True))
    allowed = {plan.pk for plan in rows if user.has_perm("onboarding.view_onboarding", plan)}
    assert listed == allowed
