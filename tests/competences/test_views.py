"""The competence pages as users see them: content, refusals, errors and query counts."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from leerplek.competences import services
from leerplek.competences.models import Assessment, Competence, Requirement, WorkRelease
from leerplek.core.roles import Role
from tests.competences.factories import DAY, assess, competence, level
from tests.factories import Cast, EmployeeFactory, WorkstationFactory

pytestmark = pytest.mark.django_db


def fill(cast: Cast, count: int) -> Competence:
    """`count` more competences required by the operator function, each assessed for the worker
    and a new colleague, plus history."""
    first = None
    start = Competence.objects.count()
    for i in range(count):
        what = competence(cast, f"C{start + i:03d}")
        services.requirement_set(
            competence=what,
            by=cast.user(Role.HR),
            level=level(cast.organisation, "U"),
            job=cast.job,
        )
        colleague = EmployeeFactory(organisation=cast.organisation, unit=cast.packaging)
        for person in (cast.worker, colleague):
            assess(cast, person, what, "L", on=datetime.date(2025, 1, 6))
            assess(cast, person, what, "U")
        first = first or what
    assert first is not None
    return first


PAGES = [
    ("competences:competence-list", {}, Role.HR),
    ("competences:matrix", {}, Role.MANAGER),
    ("competences:my-competences", {}, Role.EMPLOYEE),
    ("competences:self-assessment-create", {}, Role.EMPLOYEE),
    ("competences:competence-create", {}, Role.HR),
    ("competences:work-release-create", {}, Role.MANAGER),
    ("competences:work-release-revoke", {}, Role.MANAGER),
]


@pytest.mark.parametrize(("name", "kwargs", "role"), PAGES)
def test_pages_keep_a_fixed_query_count(
    cast: Cast,
    client_for: Any,
    django_assert_max_num_queries: Any,
    name: str,
    kwargs: dict,
    role: Role,
) -> None:
    client = client_for(cast.user(role))
    fill(cast, 2)
    with django_assert_max_num_queries(16) as small:
        assert client.get(reverse(name, kwargs=kwargs)).status_code == 200
    fill(cast, 20)
    with django_assert_max_num_queries(len(small.captured_queries)):
        assert client.get(reverse(name, kwargs=kwargs)).status_code == 200


def test_object_pages_keep_a_fixed_query_count(
    cast: Cast, client_for: Any, django_assert_max_num_queries: Any
) -> None:
    client = client_for(cast.user(Role.HR))
    what = fill(cast, 2)
    requirement = Requirement.objects.filter(competence=what).get()
    urls = [
        reverse("competences:competence-detail", kwargs={"competence_id": what.pk}),
        reverse("competences:competence-edit", kwargs={"competence_id": what.pk}),
        reverse("competences:requirement-add", kwargs={"competence_id": what.pk}),
        reverse("competences:requirement-remove", kwargs={"requirement_id": requirement.pk}),
        reverse("competences:employee-competences", kwargs={"employee_id": cast.worker.pk}),
        reverse("competences:assessment-create", kwargs={"employee_id": cast.worker.pk}),
    ]
    counts = []
    for url in urls:
        with django_assert_max_num_queries(16) as captured:
            assert client.get(url).status_code == 200
        counts.append(len(captured.captured_queries))
    fill(cast, 20)
    for url, count in zip(urls, counts, strict=True):
        with django_assert_max_num_queries(count):
            assert client.get(url).status_code == 200


def test_catalogue_search_kind_filter_and_empty_state(cast: Cast, client_for: Any) -> None:
    client = client_for(cast.user(Role.EMPLOYEE))
    body = client.get(reverse("competences:competence-list")).content.decode()
    assert "The competence catalogue is empty." in body
    competence(cast, "HACCP", name="Food safety", kind="general")
    competence(cast, "FORK", name="Forklift")
    body = client.get(reverse("competences:competence-list") + "?q=food").content.decode()
    assert "Food safety" in body
    assert "Forklift" not in body
    body = client.get(reverse("competences:competence-list") + "?kind=technical").content.decode()
    assert "Forklift" in body
    assert "Food safety" not in body
    body = client.get(reverse("competences:competence-list") + "?q=zzz").content.decode()
    assert "No competence matches these filters." in body


def test_hr_adds_a_competence_and_a_requirement(cast: Cast, client_for: Any) -> None:
    client = client_for(cast.user(Role.HR))
    response = client.post(
        reverse("competences:competence-create"),
        {"code": "KOOK", "name": "Cook a sauce", "kind": "technical", "is_active": "on"},
    )
    what = Competence.objects.get(code="KOOK")
    assert response.status_code == 302
    url = reverse("competences:requirement-add", kwargs={"competence_id": what.pk})
    u = level(cast.organisation, "U")
    response = client.post(url, {"level": u.pk, "ideal_count": 2})
    assert response.status_code == 422
    assert "Choose either a function or a workstation, not both." in response.content.decode()
    response = client.post(url, {"job": cast.job.pk, "level": u.pk, "ideal_count": 2})
    assert response.status_code == 302
    assert Requirement.objects.get().ideal_count == 2


def test_assessment_form_refuses_a_future_date_next_to_the_field(
    cast: Cast, client_for: Any
) -> None:
    what = competence(cast)
    client = client_for(cast.user(Role.MANAGER))
    url = reverse("competences:assessment-create", kwargs={"employee_id": cast.worker.pk})
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    data = {
        "competence": what.pk,
        "level": level(cast.organisation, "U").pk,
        "assessed_on": tomorrow.isoformat(),
        "method": "observation",
        "assessor": cast.employees[Role.MANAGER].pk,
    }
    response = client.post(url, data)
    assert response.status_code == 422
    assert "The assessment date cannot be in the future" in response.content.decode()
    assert not Assessment.objects.exists()
    response = client.post(url, {**data, "assessed_on": DAY.isoformat()})
    assert response.status_code == 302
    assert Assessment.objects.get().level.code == "U"


def test_person_page_shows_official_and_self_assessment_side_by_side(
    cast: Cast, client_for: Any
) -> None:
    what = competence(cast, "SAUS", name="Sauce recipe")
    me = cast.employees[Role.EMPLOYEE]
    assess(cast, me, what, "L", on=datetime.date(2025, 1, 6))
    own = client_for(cast.user(Role.EMPLOYEE))
    response = own.post(
        reverse("competences:self-assessment-create"),
        {"competence": what.pk, "level": level(cast.organisation, "O").pk},
    )
    assert response.status_code == 302
    body = own.get(reverse("competences:my-competences")).content.decode()
    assert "<strong>L</strong>" in body
    assert "<strong>O</strong>" in body
    hr = client_for(cast.user(Role.HR))
    url = reverse("competences:employee-competences", kwargs={"employee_id": me.pk})
    assert "Sauce recipe" in hr.get(url).content.decode()


def test_employee_cannot_open_someone_elses_competences_or_assess(
    cast: Cast, client_for: Any
) -> None:
    client = client_for(cast.user(Role.EMPLOYEE))
    url = reverse("competences:employee-competences", kwargs={"employee_id": cast.worker.pk})
    assert client.get(url).status_code == 403
    url = reverse("competences:assessment-create", kwargs={"employee_id": cast.worker.pk})
    assert client.post(url, {}).status_code == 403


def test_manager_releases_and_revokes(cast: Cast, client_for: Any) -> None:
    station = WorkstationFactory(organisation=cast.organisation, unit=cast.packaging)
    client = client_for(cast.user(Role.MANAGER))
    response = client.post(
        reverse("competences:work-release-create"),
        {"employee": cast.worker.pk, "workstation": station.pk, "released_on": DAY.isoformat()},
    )
    assert response.status_code == 302
    release = WorkRelease.objects.get()
    response = client.post(
        reverse("competences:work-release-revoke"),
        {"release": release.pk, "revoked_on": "2025-01-01"},
    )
    assert response.status_code == 422
    assert "The revocation cannot be before the release (2025-03-03)." in response.content.decode()
    response = client.post(
        reverse("competences:work-release-revoke"),
        {"release": release.pk, "revoked_on": DAY.isoformat()},
    )
    assert response.status_code == 302
    release.refresh_from_db()
    assert release.revoked_on == DAY
