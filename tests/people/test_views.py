"""The organisation and people pages as users see them: content, refusals, errors, query counts."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from leerplek.core.models import AuditEntry
from leerplek.core.roles import Role
from leerplek.people.models import Employee, OrgUnit
from tests.factories import Cast, EmployeeFactory, JobFactory, WorkstationFactory, make_unit

pytestmark = pytest.mark.django_db


def add_people(cast: Cast, count: int) -> None:
    start = OrgUnit.objects.count()
    units = [
        make_unit(cast.organisation, f"Ploeg {start + i}", parent=cast.packaging) for i in range(3)
    ]
    jobs = [JobFactory(organisation=cast.organisation) for _ in range(3)]
    for i in range(count):
        EmployeeFactory(
            organisation=cast.organisation, unit=units[i % 3], job=jobs[i % 3], manager=cast.worker
        )
        WorkstationFactory(organisation=cast.organisation, unit=units[i % 3])


PAGES = [
    ("people:employee-list", {}),
    ("people:unit-list", {}),
    ("people:job-list", {}),
    ("people:workstation-list", {}),
    ("people:aggregates", {}),
    ("people:organisation", {}),
    ("core:home", {}),
    ("core:audit-list", {}),
    ("core:profile", {}),
]


@pytest.mark.parametrize(("name", "kwargs"), PAGES)
def test_list_pages_keep_a_fixed_query_count(
    cast: Cast, client_for: Any, django_assert_max_num_queries: Any, name: str, kwargs: dict
) -> None:
    client = client_for(cast.user(Role.HR))
    add_people(cast, 3)
    # The home page carries a card of each module (onboarding, training): more, still fixed.
    cap = 30 if name == "core:home" else 16
    with django_assert_max_num_queries(cap) as small:
        assert client.get(reverse(name, kwargs=kwargs)).status_code == 200
    add_people(cast, 40)
    with django_assert_max_num_queries(len(small.captured_queries)):
        assert client.get(reverse(name, kwargs=kwargs)).status_code == 200


def test_detail_pages_keep_a_fixed_query_count(
    cast: Cast, client_for: Any, django_assert_max_num_queries: Any
) -> None:
    client = client_for(cast.user(Role.HR))
    add_people(cast, 3)
    urls = [
        reverse("people:employee-detail", kwargs={"employee_id": cast.worker.pk}),
        reverse("people:unit-detail", kwargs={"unit_id": cast.packaging.pk}),
        reverse("people:job-detail", kwargs={"job_id": cast.job.pk}),
    ]
    counts = []
    for url in urls:
        with django_assert_max_num_queries(16) as captured:
            client.get(url)
        counts.append(len(captured.captured_queries))
    add_people(cast, 40)
    for url, count in zip(urls, counts, strict=True):
        with django_assert_max_num_queries(count):
            assert client.get(url).status_code == 200


def test_manager_sees_only_people_of_his_units(cast: Cast, client_for: Any) -> None:
    outsider = EmployeeFactory(
        organisation=cast.organisation, unit=cast.office, first_name="Olga", last_name="Outside"
    )
    client = client_for(cast.user(Role.MANAGER))
    body = client.get(reverse("people:employee-list")).content.decode()
    assert "Werker, Wout" in body
    assert "Outside" not in body
    detail = reverse("people:employee-detail", kwargs={"employee_id": outsider.pk})
    assert client.get(detail).status_code == 403


def test_employee_sees_his_own_record_only(cast: Cast, client_for: Any) -> None:
    client = client_for(cast.user(Role.EMPLOYEE))
    own = cast.employees[Role.EMPLOYEE]
    assert (
        client.get(reverse("people:employee-detail", kwargs={"employee_id": own.pk})).status_code
        == 200
    )
    other = reverse("people:employee-detail", kwargs={"employee_id": cast.worker.pk})
    assert client.get(other).status_code == 403
    assert client.get(reverse("people:employee-list")).status_code == 403


def test_consultation_member_sees_suppressed_aggregates(cast: Cast, client_for: Any) -> None:
    client = client_for(cast.user(Role.CONSULTATION))
    response = client.get(reverse("people:aggregates"))
    body = response.content.decode()
    assert response.status_code == 200
    assert "Groups of fewer than 5 people are hidden" in body
    # The office holds 7 people of the cast, packaging 3: packaging's numbers are hidden.
    assert "Werker" not in body
    assert client.get(reverse("people:employee-list")).status_code == 403


def test_filters_find_people_by_name_unit_and_type(cast: Cast, client_for: Any) -> None:
    client = client_for(cast.user(Role.HR))
    response = client.get(
        reverse("people:employee-list"), {"q": "wout", "unit": cast.production.pk}
    )
    assert [p.pk for p in response.context["page_obj"]] == [cast.worker.pk]
    response = client.get(reverse("people:employee-list"), {"type": "agency"})
    assert list(response.context["page_obj"]) == []
    assert "Nobody matches these filters" in response.content.decode()


def test_creating_a_person_with_errors_keeps_input_and_names_fields(
    cast: Cast, client_for: Any
) -> None:
    client = client_for(cast.user(Role.HR))
    before = Employee.objects.count()
    response = client.post(
        reverse("people:employee-create"),
        {
            "first_name": "Nina",
            "last_name": "",
            "gender": "f",
            "hire_date": "31/02/2024",
            "person_type": "employee",
            "dutch_level": "native",
            "education_level": "unknown",
            "experience_years": "2",
        },
    )
    assert response.status_code == 422
    form = response.context["form"]
    assert form.errors["last_name"] == ["This field is required."]
    assert form.errors["hire_date"] == ["Enter a valid date."]
    assert 'value="Nina"' in response.content.decode()
    assert Employee.objects.count() == before


def test_creating_a_person_records_function_history_and_audit(cast: Cast, client_for: Any) -> None:
    client = client_for(cast.user(Role.HR))
    response = client.post(
        reverse("people:employee-create"),
        {
            "first_name": "Nina",
            "last_name": "Nieuw",
            "gender": "f",
            "hire_date": "2026-01-05",
            "person_type": "agency",
            "dutch_level": "A2",
            "education_level": "unknown",
            "experience_years": "2",
            "unit": cast.packaging.pk,
            "job": cast.job.pk,
        },
    )
    person = Employee.objects.get(last_name="Nieuw")
    assert response.status_code == 302
    assert person.assignments.get().reason == "hire"
    entry = AuditEntry.objects.get(action="people.employee_created")
    assert entry.actor_id == cast.user(Role.HR).pk


def test_moving_a_unit_under_itself_shows_a_clear_error(cast: Cast, client_for: Any) -> None:
    client = client_for(cast.user(Role.HR))
    response = client.post(
        reverse("people:unit-edit", kwargs={"unit_id": cast.production.pk}),
        {"name": "Productie", "kind": "department", "parent": cast.packaging.pk},
    )
    assert response.status_code == 422
    assert "parent" in response.context["form"].errors
    assert OrgUnit.objects.get(pk=cast.production.pk).parent_id is None


def test_job_tasks_with_an_unknown_kind_are_refused(cast: Cast, client_for: Any) -> None:
    client = client_for(cast.user(Role.HR))
    response = client.post(
        reverse("people:job-create"),
        {
            "code": "SAU",
            "name": "Sausmaker",
            "months_to_independence": 6,
            "tandem_days": 0,
            "review_interval_days": 30,
            "is_active": "on",
            "tasks": "executive: Cook\nsleeping: Rest",
        },
    )
    assert response.status_code == 422
    assert response.context["form"].errors["tasks"] == [
        "Line 2: start with executive, preparatory or supporting, then a colon."
    ]


def test_empty_unit_tree_tells_what_to_do(client_for: Any) -> None:
    from tests.factories import OrganisationFactory, UserFactory, grant

    org = OrganisationFactory()
    user = UserFactory()
    grant(user, org, Role.HR)
    body = client_for(user).get(reverse("people:unit-list")).content.decode()
    assert "There are no units yet" in body
    assert reverse("people:unit-create") in body


def test_user_without_organisation_gets_an_explanation(client_for: Any) -> None:
    from tests.factories import UserFactory

    response = client_for(UserFactory()).get(reverse("core:home"))
    assert response.status_code == 403
    assert "You do not belong to an organisation yet" in response.content.decode()


def test_aggregates_cannot_be_undone_by_subtraction() -> None:
    from leerplek.people.models import Gender
    from leerplek.people.selectors import people_aggregates
    from tests.factories import OrganisationFactory

    org = OrganisationFactory()
    big = make_unit(org, "Big")
    small = make_unit(org, "Small")
    for i in range(12):
        EmployeeFactory(organisation=org, unit=big, gender=Gender.MALE if i < 9 else Gender.FEMALE)
    for _ in range(6):
        EmployeeFactory(organisation=org, unit=small, gender=Gender.MALE)
    EmployeeFactory(organisation=org, unit=None, gender=Gender.FEMALE)  # one on her own
    data = people_aggregates(organisation=org, min_group=5)
    rows = {row.label: row for row in data.by_unit}
    assert data.total == 19
    # The lone person's group is hidden, and so is the next smallest, so 19 - visible != 1.
    assert rows["—"].total is None
    assert rows["Small"].total is None
    # 3 women in "Big": showing 9 men would reveal them by subtraction from 12.
    assert (rows["Big"].total, rows["Big"].men, rows["Big"].women) == (12, None, None)
