"""Onboarding pages: what each role sees and may do, and their query counts."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from leerplek.core.roles import Role
from leerplek.onboarding.models import Onboarding, OnboardingTask
from leerplek.people.models import Employee
from tests.factories import Cast, EmployeeFactory
from tests.onboarding.factories import colleague, designate, start, templates

pytestmark = pytest.mark.django_db


def newcomers(cast: Cast, count: int, with_guide: bool = True) -> list[Onboarding]:
    """`count` onboardings in packaging, each with its own peter when `with_guide`."""
    plans = []
    for _ in range(count):
        person = EmployeeFactory(organisation=cast.organisation, unit=cast.packaging, job=cast.job)
        plan = start(cast, employee=person)
        if with_guide:
            designate(cast, plan, colleague(cast, phone="0470 12 34 56"))
        plans.append(plan)
    return plans


def page_urls(plan: Onboarding) -> list[tuple[str, Role]]:
    template = plan.tasks.first().template_task.template  # type: ignore[union-attr]
    return [
        (reverse("onboarding:onboarding-list"), Role.HR),
        (reverse("onboarding:onboarding-list"), Role.MANAGER),
        (reverse("onboarding:onboarding-detail", args=[plan.pk]), Role.HR),
        (reverse("onboarding:onboarding-detail", args=[plan.pk]) + "?view=week", Role.HR),
        (reverse("onboarding:compliance"), Role.PREVENTION_ADVISER),
        (reverse("onboarding:template-list"), Role.HR),
        (reverse("onboarding:template-detail", args=[template.pk]), Role.HR),
        (reverse("onboarding:onboarding-start"), Role.HR),
        (reverse("onboarding:guide-designate", args=[plan.pk]), Role.HR),
    ]


def test_pages_keep_a_fixed_query_count(
    cast: Cast, client: Any, django_assert_max_num_queries: Any
) -> None:
    templates(cast)
    plan = newcomers(cast, 2)[0]
    newcomers(cast, 1, with_guide=False)
    counts = []
    for url, role in page_urls(plan):
        client.force_login(cast.user(role))
        with django_assert_max_num_queries(22) as small:
            assert client.get(url).status_code == 200, url
        counts.append(len(small.captured_queries))
    newcomers(cast, 12)
    newcomers(cast, 5, with_guide=False)
    for (url, role), count in zip(page_urls(plan), counts, strict=True):
        client.force_login(cast.user(role))
        with django_assert_max_num_queries(count):
            assert client.get(url).status_code == 200, url


def test_the_newcomers_page_keeps_a_fixed_query_count(
    cast: Cast, client: Any, django_assert_max_num_queries: Any
) -> None:
    templates(cast)
    person = EmployeeFactory(organisation=cast.organisation, unit=cast.packaging, job=cast.job)
    person.user = cast.user(Role.EMPLOYEE)
    Employee.objects.filter(pk=cast.employees[Role.EMPLOYEE].pk).update(user=None)
    person.save()
    plan = start(cast, employee=person)
    designate(cast, plan, colleague(cast))
    client.force_login(cast.user(Role.EMPLOYEE))
    with django_assert_max_num_queries(17) as small:
        assert client.get(reverse("onboarding:mine")).status_code == 200
    designate(cast, plan, colleague(cast), is_backup=True)
    with django_assert_max_num_queries(len(small.captured_queries)):
        assert client.get(reverse("onboarding:mine")).status_code == 200


def mine_for_worker(cast: Cast) -> Onboarding:
    """Give the worker the employee user's log-in and start his onboarding."""
    worker = cast.worker
    assert worker is not None
    Employee.objects.filter(pk=cast.employees[Role.EMPLOYEE].pk).update(user=None)
    worker.user = cast.user(Role.EMPLOYEE)
    worker.save()
    templates(cast)
    return start(cast)


def test_the_newcomer_sees_his_peter_backup_and_tasks(cast: Cast, client_for: Any) -> None:
    plan = mine_for_worker(cast)
    designate(
        cast, plan, colleague(cast, first_name="Piet", last_name="Peter", phone="0470 12 34 56")
    )
    designate(cast, plan, colleague(cast, first_name="Bea", last_name="Backup"), is_backup=True)
    body = client_for(cast.user(Role.EMPLOYEE)).get(reverse("onboarding:mine")).content.decode()
    assert "Piet Peter" in body
    assert 'href="tel:0470123456"' in body
    assert "My backup" in body
    assert "Bea Backup" in body
    assert "Welcome talk and tour" in body


def test_the_newcomer_without_peter_is_told_not_to_work_alone(cast: Cast, client_for: Any) -> None:
    mine_for_worker(cast)
    body = client_for(cast.user(Role.EMPLOYEE)).get(reverse("onboarding:mine")).content.decode()
    assert "Not chosen yet. Until then, do not work alone" in body


def test_without_onboarding_my_page_says_so(cast: Cast, client_for: Any) -> None:
    body = client_for(cast.user(Role.EMPLOYEE)).get(reverse("onboarding:mine")).content.decode()
    assert "You have no onboarding plan." in body


def test_a_peter_sees_his_mentee_and_ticks_tasks(cast: Cast, client_for: Any) -> None:
    templates(cast)
    plan = start(cast)
    peter = cast.employees[Role.EMPLOYEE]  # a plain employee, no role beyond his own record
    designate(cast, plan, peter)
    client = client_for(cast.user(Role.EMPLOYEE))
    assert client.get(reverse("onboarding:onboarding-detail", args=[plan.pk])).status_code == 200
    assert client.get(reverse("people:employee-detail", args=[plan.employee_id])).status_code == 200
    listed = client.get(reverse("onboarding:onboarding-list")).content.decode()
    assert "Werker, Wout" in listed
    home = client.get(reverse("core:home")).content.decode()
    assert "Newcomers I guide" in home
    assert reverse("onboarding:onboarding-detail", args=[plan.pk]) in home
    task = plan.tasks.get(title="Run the line with your peter")
    client.post(reverse("onboarding:task-done", args=[task.pk]))
    task.refresh_from_db()
    assert task.done_by == cast.user(Role.EMPLOYEE)


def test_someone_elses_peter_sees_nothing(cast: Cast, client_for: Any) -> None:
    templates(cast)
    plan = start(cast)
    designate(cast, plan, colleague(cast))
    client = client_for(cast.user(Role.MENTOR))
    assert client.get(reverse("onboarding:onboarding-detail", args=[plan.pk])).status_code == 403
    assert client.get(reverse("people:employee-detail", args=[plan.employee_id])).status_code == 403


def test_a_work_floor_task_without_peter_is_refused_with_the_reason(
    cast: Cast, client_for: Any
) -> None:
    templates(cast)
    task = start(cast).tasks.get(title="Safety instructions on the floor")
    client = client_for(cast.user(Role.MANAGER))
    response = client.post(reverse("onboarding:task-done", args=[task.pk]), follow=True)
    assert "Designate a peter/meter first" in response.content.decode()
    response = client.post(reverse("onboarding:task-done", args=[task.pk]), HTTP_HX_REQUEST="true")
    assert response.status_code == 422
    assert "art. I.2-11" in response.content.decode()
    assert OnboardingTask.objects.get(pk=task.pk).done_on is None


def test_ticking_with_htmx_returns_the_row(cast: Cast, client_for: Any) -> None:
    templates(cast)
    task = start(cast).tasks.get(title="Welcome talk and tour")
    client = client_for(cast.user(Role.HR))
    response = client.post(reverse("onboarding:task-done", args=[task.pk]), HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    body = response.content.decode()
    assert body.startswith(f'<tr id="task-{task.pk}"')
    assert "done" in body
    assert "HX-Request" in response["Vary"]


def test_the_compliance_page_lists_newcomers_without_peter_by_unit(
    cast: Cast, client_for: Any
) -> None:
    templates(cast)
    guided = start(cast)
    designate(cast, guided, colleague(cast))
    alone = EmployeeFactory(
        organisation=cast.organisation, unit=cast.office, first_name="Alex", last_name="Alleen"
    )
    start(cast, employee=alone)
    body = (
        client_for(cast.user(Role.PREVENTION_ADVISER))
        .get(reverse("onboarding:compliance"))
        .content.decode()
    )
    # The onthaal-record lists below (unsigned documents) name everyone; the peter list does not.
    without_peter = body.split("Safety instructions not yet given or confirmed")[0]
    assert "Alleen, Alex" in without_peter
    assert "Werker, Wout" not in without_peter
    assert '<td data-label="Unit">Kantoor</td>' in body


def test_starting_an_onboarding_from_the_form(cast: Cast, client_for: Any) -> None:
    templates(cast)
    client = client_for(cast.user(Role.MANAGER))
    response = client.post(
        reverse("onboarding:onboarding-start"),
        {
            "employee": cast.worker.pk,  # type: ignore[union-attr]
            "reason": "new_hire",
            "start_date": "2026-11-02",
            "organiser": cast.employees[Role.MANAGER].pk,
        },
    )
    plan = Onboarding.objects.get()
    assert response["Location"] == reverse("onboarding:onboarding-detail", args=[plan.pk])


def test_a_manager_cannot_start_one_outside_his_units(cast: Cast, client_for: Any) -> None:
    templates(cast)
    client = client_for(cast.user(Role.MANAGER))
    response = client.post(
        reverse("onboarding:onboarding-start"),
        {
            "employee": cast.employees[Role.HR].pk,  # in the office, outside production
            "reason": "new_hire",
            "start_date": "2026-11-02",
            "organiser": cast.employees[Role.MANAGER].pk,
        },
    )
    assert response.status_code == 422
    assert not Onboarding.objects.exists()


def test_designating_from_the_form_shows_the_refusal_on_the_field(
    cast: Cast, client_for: Any
) -> None:
    templates(cast)
    plan = start(cast)
    peter = colleague(cast)
    designate(cast, plan, peter)
    response = client_for(cast.user(Role.HR)).post(
        reverse("onboarding:guide-designate", args=[plan.pk]),
        {"guide": colleague(cast).pk},
    )
    assert response.status_code == 422
    assert response.context["form"].errors["is_backup"] == [
        f"{cast.worker} already has {peter} as peter/meter. Designate this person as backup, or "
        "end the current designation first."
    ]


def test_the_list_filters_newcomers_without_peter(cast: Cast, client_for: Any) -> None:
    templates(cast)
    guided = start(cast)
    designate(cast, guided, colleague(cast))
    start(
        cast,
        employee=EmployeeFactory(
            organisation=cast.organisation,
            unit=cast.packaging,
            first_name="Alex",
            last_name="Alleen",
        ),
    )
    client = client_for(cast.user(Role.HR))
    body = client.get(reverse("onboarding:onboarding-list") + "?status=active&without_guide=on")
    text = body.content.decode()
    assert "Alleen, Alex" in text
    assert "Werker, Wout" not in text
