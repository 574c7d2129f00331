"""The searchable person pickers of the start and designate forms: at most 20 people in the
user's scope, found by name or personnel number, with htmx or without scripts."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.urls import reverse

from leerplek.core.access import load_access
from leerplek.core.roles import Role
from leerplek.onboarding import selectors
from leerplek.onboarding.models import Guidance, Onboarding
from leerplek.people.models import Employee
from tests.factories import Cast, EmployeeFactory
from tests.onboarding.factories import colleague, designate, start, templates

pytestmark = pytest.mark.django_db

START_URL = "onboarding:onboarding-start"


def crowd(cast: Cast, count: int, unit: Any = None, **values: Any) -> list[Employee]:
    return [
        EmployeeFactory(
            organisation=cast.organisation,
            unit=unit or cast.packaging,
            job=cast.job,
            first_name=values.get("first_name", "Jan"),
            last_name=f"{values.get('last_name', 'Peeters')}{number:03d}",
            employee_number=f"{values.get('prefix', 'P')}{number:04d}",
        )
        for number in range(count)
    ]


def options(body: bytes) -> list[str]:
    """The values of the options of a picker answer or page (the empty one left out)."""
    return [value for value in re.findall(r'<option value="([^"]*)"', body.decode()) if value]


def start_form(cast: Cast, employee: Any, **extra: Any) -> dict[str, Any]:
    return {
        "employee": employee,
        "reason": "new_hire",
        "start_date": "2026-11-02",
        "organiser": cast.employees[Role.MANAGER].pk,
        **extra,
    }


# --- Selectors ---------------------------------------------------------------------------------


def test_start_candidates_are_capped_and_found_by_every_word(cast: Cast) -> None:
    crowd(cast, 30)
    target = EmployeeFactory(
        organisation=cast.organisation, unit=cast.packaging, first_name="Noor", last_name="Vos"
    )
    access = load_access(cast.user(Role.HR), cast.organisation.pk)

    everyone = selectors.start_candidates(access=access)
    found = selectors.start_candidates(access=access, query="noor VOS")
    by_number = selectors.start_candidates(access=access, query="p0007")

    assert len(everyone.choices) == selectors.PICKER_LIMIT
    assert everyone.more is True
    assert found.choices == [(target.pk, "Vos, Noor (Verpakking)")]
    assert found.more is False
    assert [label for _, label in by_number.choices] == ["Peeters007, Jan (Verpakking)"]


def test_a_selected_person_is_always_offered_first(cast: Cast) -> None:
    people = crowd(cast, 30)
    access = load_access(cast.user(Role.HR), cast.organisation.pk)

    result = selectors.start_candidates(access=access, query="zzz", selected=[people[29].pk])

    assert [pk for pk, _ in result.choices] == [people[29].pk]


def test_the_guide_picker_offers_the_newcomers_unit_first(cast: Cast) -> None:
    templates(cast)
    plan = start(cast)
    crowd(cast, 5, unit=cast.office, last_name="Kantoor")
    near = crowd(cast, 3, last_name="Dichtbij", prefix="D")

    result = selectors.guide_choices(onboarding=plan)
    found = selectors.guide_choices(onboarding=plan, query="kantoor002")

    offered = [pk for pk, _ in result.choices]
    assert plan.employee_id not in offered
    assert set(offered) <= set(
        Employee.objects.filter(unit=cast.packaging).values_list("pk", flat=True)
    )
    assert {person.pk for person in near} <= set(offered)
    assert [label for _, label in found.choices] == ["Jan Kantoor002 (Kantoor, guides 0)"]


# --- The start form ----------------------------------------------------------------------------


def test_the_search_endpoint_answers_options_in_the_users_scope(
    cast: Cast, client_for: Any
) -> None:
    crowd(cast, 3, last_name="Verpakker")
    crowd(cast, 3, unit=cast.office, last_name="Kantoorklerk")
    url = reverse("onboarding:start-people")

    manager = client_for(cast.user(Role.MANAGER))
    inside = manager.get(url, {"employee_q": "verpakker"}, headers={"HX-Request": "true"})
    outside = manager.get(url, {"employee_q": "kantoorklerk"})
    hr = client_for(cast.user(Role.HR)).get(url, {"employee_q": "kantoorklerk"})

    assert inside.status_code == 200
    assert len(options(inside.content)) == 3
    assert "3 people found for “verpakker”" in inside.content.decode()
    assert options(outside.content) == []
    assert "Nobody found for “kantoorklerk”" in outside.content.decode()
    assert len(options(hr.content)) == 3
    assert client_for(cast.user(Role.EMPLOYEE)).get(url).status_code == 403
    assert manager.post(url).status_code == 405


def test_the_start_page_lists_at_most_twenty_with_a_search_box(cast: Cast, client_for: Any) -> None:
    crowd(cast, 40)

    response = client_for(cast.user(Role.HR)).get(reverse(START_URL))

    body = response.content.decode()
    assert response.status_code == 200
    begin = body.index('<div class="person-picker">')
    picker = body[begin : body.index("</select>", begin)]
    assert f'hx-get="{reverse("onboarding:start-people")}"' in picker
    assert 'name="_search" value="employee"' in picker
    assert len(options(picker.encode())) == selectors.PICKER_LIMIT
    assert "First 20 shown" in picker


def test_searching_without_scripts_refreshes_the_list_and_keeps_the_form(
    cast: Cast, client_for: Any
) -> None:
    templates(cast)
    crowd(cast, 40)
    client = client_for(cast.user(Role.HR))

    response = client.post(
        reverse(START_URL),
        start_form(cast, "", employee_q="peeters031", _search="employee", reason="internal_move"),
    )

    assert response.status_code == 200
    assert not Onboarding.objects.exists()
    form = response.context["form"]
    assert not form.is_bound
    only = Employee.objects.get(employee_number="P0031")
    assert form.initial["employee"] == only.pk  # the single match is chosen
    assert form.initial["reason"] == "internal_move"
    body = response.content.decode()
    assert f'<option value="{only.pk}" selected>' in body
    assert 'value="peeters031"' in body


def test_a_person_beyond_the_first_twenty_can_be_chosen(cast: Cast, client_for: Any) -> None:
    templates(cast)
    people = crowd(cast, 40)
    late = people[-1]

    response = client_for(cast.user(Role.HR)).post(reverse(START_URL), start_form(cast, late.pk))

    assert response.status_code == 302
    assert Onboarding.objects.get().employee == late


def test_a_person_outside_the_scope_is_refused_on_the_field(cast: Cast, client_for: Any) -> None:
    templates(cast)
    office = EmployeeFactory(organisation=cast.organisation, unit=cast.office)

    response = client_for(cast.user(Role.MANAGER)).post(
        reverse(START_URL), start_form(cast, office.pk)
    )

    assert response.status_code == 422
    assert "employee" in response.context["form"].errors
    assert not Onboarding.objects.exists()


def test_a_link_with_the_person_preselects_him(cast: Cast, client_for: Any) -> None:
    people = crowd(cast, 30)

    response = client_for(cast.user(Role.HR)).get(reverse(START_URL), {"employee": people[25].pk})

    assert f'<option value="{people[25].pk}" selected>' in response.content.decode()


# --- The designate form ------------------------------------------------------------------------


def test_the_guide_search_and_designation(cast: Cast, client_for: Any) -> None:
    templates(cast)
    plan = start(cast)
    crowd(cast, 30, last_name="Collega")
    busy = colleague(cast, first_name="Bart", last_name="Bezig", employee_number="B0001")
    designate(cast, start(cast, employee=EmployeeFactory(organisation=cast.organisation,
              unit=cast.packaging)), busy)  # fmt: skip
    client = client_for(cast.user(Role.HR))
    search = reverse("onboarding:guide-people", kwargs={"onboarding_id": plan.pk})
    page = reverse("onboarding:guide-designate", kwargs={"onboarding_id": plan.pk})

    found = client.get(search, {"guide_q": "b0001"})
    without_scripts = client.post(page, {"guide": "", "guide_q": "bezig", "_search": "guide"})
    designated = client.post(page, {"guide": busy.pk, "is_backup": "on"})

    assert options(found.content) == [str(busy.pk)]
    assert f'<option value="{busy.pk}" selected>' in found.content.decode()  # the only one
    assert "guides 1" in found.content.decode()
    assert without_scripts.status_code == 200
    assert without_scripts.context["form"].initial["guide"] == busy.pk
    assert designated.status_code == 422  # no primary yet: a backup needs one
    assert client.post(page, {"guide": busy.pk}).status_code == 302
    assert Guidance.objects.filter(learner=plan.employee, guide=busy).exists()


def test_the_guide_search_follows_the_designate_scope(cast: Cast, client_for: Any) -> None:
    templates(cast)
    office_plan = start(cast, employee=EmployeeFactory(organisation=cast.organisation,
                        unit=cast.office))  # fmt: skip
    url = reverse("onboarding:guide-people", kwargs={"onboarding_id": office_plan.pk})

    assert client_for(cast.user(Role.MANAGER)).get(url).status_code == 403
    assert client_for(cast.user(Role.HR)).get(url).status_code == 200


# --- Query counts at two sizes -----------------------------------------------------------------


def picker_urls(plan: Onboarding) -> list[str]:
    return [
        reverse(START_URL),
        reverse("onboarding:start-people") + "?employee_q=jan",
        reverse("onboarding:guide-designate", kwargs={"onboarding_id": plan.pk}),
        reverse("onboarding:guide-people", kwargs={"onboarding_id": plan.pk}) + "?guide_q=jan",
    ]


def test_the_pickers_keep_a_fixed_query_count(
    cast: Cast, client_for: Any, django_assert_max_num_queries: Any
) -> None:
    templates(cast)
    plan = start(cast)
    crowd(cast, 5)
    client = client_for(cast.user(Role.HR))
    counts = []
    for url in picker_urls(plan):
        with django_assert_max_num_queries(10) as small:
            assert client.get(url).status_code == 200, url
        counts.append(len(small.captured_queries))
    crowd(cast, 150, prefix="Q")
    crowd(cast, 50, unit=cast.office, prefix="R")
    for url, count in zip(picker_urls(plan), counts, strict=True):
        with django_assert_max_num_queries(count):
            response = client.get(url)
        assert response.status_code == 200, url
        assert len(options(response.content)) <= 2 * selectors.PICKER_LIMIT + 5
