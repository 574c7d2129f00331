"""The pages of a learner's programme: the learner declares on his phone page, his peter confirms,
HR assigns and revokes; who sees what; errors on the page; fixed query counts."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from leerplek.core.roles import Role
from leerplek.training import services_learning
from leerplek.training.models import ModulePlan, ProgrammeAssignment, Signoff
from tests.factories import Cast, EmployeeFactory
from tests.training.factories import approved_programme
from tests.training.factories_leittext import acting, learner, user_of

pytestmark = pytest.mark.django_db


def assign(cast: Cast, code: str = "AOP", employee: Any = None) -> ProgrammeAssignment:
    return services_learning.assignment_create(
        version=approved_programme(cast, code=code),
        employee=employee or learner(cast),
        by=acting(cast, Role.HR),
        guide=cast.employees[Role.MENTOR],
        started_on=timezone.localdate(),
    )


def practical(assignment: ProgrammeAssignment) -> Any:
    return assignment.version.modules.get(kind="practical")


def test_hr_assigns_a_programme_on_the_form(cast: Cast, client_for: Any) -> None:
    version = approved_programme(cast)
    client = client_for(cast.user(Role.HR))
    assert client.get(reverse("training:assignment-create")).status_code == 200
    response = client.post(
        reverse("training:assignment-create"),
        {
            "employee": learner(cast).pk,
            "version": version.pk,
            "guide": cast.employees[Role.MENTOR].pk,
            "audience": "newcomer",
            "started_on": "2026-11-02",
        },
    )
    assert response.status_code == 302
    assignment = ProgrammeAssignment.objects.get()
    assert response["Location"] == reverse("training:assignment-detail", args=[assignment.pk])
    assert ModulePlan.objects.filter(assignment=assignment).count() == 2


def test_the_guide_as_learner_is_refused_on_the_form(cast: Cast, client_for: Any) -> None:
    version = approved_programme(cast)
    client = client_for(cast.user(Role.HR))
    response = client.post(
        reverse("training:assignment-create"),
        {
            "employee": learner(cast).pk,
            "version": version.pk,
            "guide": learner(cast).pk,
            "audience": "newcomer",
            "started_on": "2026-11-02",
        },
    )
    assert response.status_code == 422
    assert "cannot be his own guide" in response.content.decode()
    assert not ProgrammeAssignment.objects.exists()


def test_the_learner_declares_on_his_page_and_the_peter_confirms(
    cast: Cast, client_for: Any
) -> None:
    assignment = assign(cast)
    module = practical(assignment)
    items = list(module.checklist.order_by("position"))
    client = client_for(user_of(learner(cast), cast))
    page = client.get(reverse("training:my-programme", args=[assignment.pk]))
    assert page.status_code == 200
    assert "I have done this" in page.content.decode()
    url = reverse("training:signoff-declare", args=[assignment.pk, module.pk])
    # Only the first item ticked: the page comes back with what is missing.
    response = client.post(url, {f"m{module.pk}-item_{items[0].pk}": "on"})
    assert response.status_code == 422
    assert "Deksel dicht" in response.content.decode()
    assert not Signoff.objects.exists()
    response = client.post(url, {f"m{module.pk}-item_{item.pk}": "on" for item in items})
    assert response.status_code == 302
    signoff = Signoff.objects.get()
    # The peter sees it waiting and confirms on the same checklist.
    peter = client_for(cast.user(Role.MENTOR))
    mine = peter.get(reverse("training:mine")).content.decode()
    assert str(learner(cast)) in mine
    confirm_url = reverse("training:signoff-confirm", args=[signoff.pk])
    assert peter.get(confirm_url).status_code == 200
    response = peter.post(confirm_url, {f"item_{item.pk}": "on" for item in items})
    assert response.status_code == 302
    signoff.refresh_from_db()
    assert signoff.confirmed_at is not None
    assert len(signoff.content_hash) == 64
    detail = peter.get(reverse("training:assignment-detail", args=[assignment.pk])).content.decode()
    assert "SHA-256" in detail


def test_the_learner_cannot_confirm_himself_through_the_url(cast: Cast, client_for: Any) -> None:
    assignment = assign(cast)
    module = practical(assignment)
    signoff = services_learning.signoff_declare(
        assignment=assignment,
        module=module,
        by=user_of(learner(cast), cast),
        checklist=module.checklist.values_list("pk", flat=True),
    )
    client = client_for(user_of(learner(cast), cast))
    response = client.post(reverse("training:signoff-confirm", args=[signoff.pk]), {})
    assert response.status_code == 403
    signoff.refresh_from_db()
    assert signoff.confirmed_at is None


def test_a_mentor_without_learners_does_not_see_the_organisations_list(
    cast: Cast, client_for: Any
) -> None:
    client = client_for(cast.user(Role.MENTOR))
    assert client.get(reverse("training:assignment-list")).status_code == 403
    assert b'href="/training/learners/"' not in client.get(reverse("core:home")).content
    hr = client_for(cast.user(Role.HR))
    assert b'href="/training/learners/"' in hr.get(reverse("core:home")).content


def test_someone_elses_my_programme_link_goes_to_the_right_page(
    cast: Cast, client_for: Any
) -> None:
    assignment = assign(cast)
    url = reverse("training:my-programme", args=[assignment.pk])
    hr = client_for(cast.user(Role.HR)).get(url)
    assert hr["Location"] == reverse("training:assignment-detail", args=[assignment.pk])
    other = client_for(cast.user(Role.KNOWLEDGE_MANAGER)).get(url)
    assert other["Location"] == reverse(
        "training:programme-detail", args=[assignment.version.programme_id]
    )


def test_the_pages_keep_their_query_count_as_the_data_grows(
    cast: Cast, client_for: Any, django_assert_max_num_queries: Any
) -> None:
    first = assign(cast, code="P1")
    client = client_for(cast.user(Role.HR))
    learner_client_user = user_of(learner(cast), cast)
    pages = {
        "list": reverse("training:assignment-list"),
        "detail": reverse("training:assignment-detail", args=[first.pk]),
    }
    counts = {}
    for name, url in pages.items():
        with django_assert_max_num_queries(30) as before:
            assert client.get(url).status_code == 200
        counts[name] = len(before.captured_queries)
    # Twelve more learners, each with a declared module, and a longer programme.
    for number in range(12):
        person = EmployeeFactory(organisation=cast.organisation, unit=cast.packaging)
        other = assign(cast, code=f"X{number}", employee=person)
        module = practical(other)
        Signoff.objects.create(
            organisation=cast.organisation,
            assignment=other,
            module=module,
            version_number=1,
            declared_at=timezone.now(),
        )
    phase = first.version.phases.get()
    for position in range(3, 15):
        module = first.version.modules.create(
            phase=phase, position=position, title=f"Module {position}", kind="practical"
        )
        module.checklist.create(position=1, text="Klaar")
        ModulePlan.objects.create(assignment=first, module=module)
    for name, url in pages.items():
        with django_assert_max_num_queries(counts[name]):
            assert client.get(url).status_code == 200
    learner_client = client_for(learner_client_user)
    with django_assert_max_num_queries(30) as own:
        assert (
            learner_client.get(reverse("training:my-programme", args=[first.pk])).status_code == 200
        )
    with django_assert_max_num_queries(30):
        assert learner_client.get(reverse("training:mine")).status_code == 200
    assert len(own.captured_queries) <= 30
