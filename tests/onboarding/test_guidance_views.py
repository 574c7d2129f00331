"""Guidance pages: who may open what, the flows through the forms, and fixed query counts."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.urls import URLPattern, get_resolver, reverse

from leerplek.core.access import load_access
from leerplek.core.permissions import PERMISSIONS
from leerplek.core.roles import Role
from leerplek.onboarding import services_guidance
from leerplek.onboarding.models import (
    Guidance,
    GuidanceKind,
    GuidanceStatus,
    InstructorSelection,
    MentorProgramme,
    SelectionOutcome,
)
from leerplek.people.models import Employee
from tests.core.test_url_permissions import url_kwargs
from tests.factories import Cast, EmployeeFactory
from tests.onboarding import walk_guidance
from tests.onboarding.factories import colleague, designate, start, templates
from tests.onboarding.factories_guidance import coaching, mentorship, programme, selection, today

pytestmark = pytest.mark.django_db

GUIDANCE_URLS = {
    "guidance-list",
    "guidance-create",
    "guidance-detail",
    "guidance-end",
    "guidance-replace",
    "guidance-promote",
    "guidance-programme",
    "coaching-request",
    "coaching-answer",
    "coaching-close",
    "caseload",
    "programme-list",
    "programme-create",
    "programme-detail",
    "programme-edit",
    "selection-list",
    "selection-create",
    "selection-detail",
    "selection-edit",
    "selection-decide",
}


def guidance_patterns() -> list[tuple[str, URLPattern]]:
    resolver = get_resolver().namespace_dict["onboarding"][1]
    return [
        (pattern.name, pattern)
        for pattern in resolver.url_patterns
        if isinstance(pattern, URLPattern) and pattern.name in GUIDANCE_URLS
    ]


def acting(cast: Cast, role: Role) -> Any:
    user = cast.user(role)
    user.access = load_access(user, cast.organisation.pk)
    return user


# --- Every page as every role (the same rule as the URL walk) -------------------------------------


@pytest.mark.parametrize("role", list(Role), ids=lambda role: role.value)
def test_every_guidance_url_as_every_role(cast: Cast, client: Any, role: Role) -> None:
    templates(cast)
    arguments = walk_guidance.arguments(cast, start(cast))
    client.force_login(cast.user(role))
    patterns = guidance_patterns()
    assert {name for name, _ in patterns} == GUIDANCE_URLS
    for name, pattern in patterns:
        perm = pattern.callback.required_perm  # type: ignore[attr-defined]
        kwargs = url_kwargs(arguments, name, pattern)
        url = reverse(f"onboarding:{name}", kwargs=kwargs)
        response = client.get(url)
        if response.status_code == 405:
            response = client.post(url, {})
        rule = PERMISSIONS[perm]
        if role in rule.roles or (rule.own and not kwargs):
            assert response.status_code not in (403, 404), (name, role, response.status_code)
            assert response.status_code < 500, (name, role)
        else:
            assert response.status_code == 403, (name, role, response.status_code)


def test_another_organisation_sees_nothing(cast: Cast, client: Any) -> None:
    templates(cast)
    arguments = walk_guidance.arguments(cast, start(cast))
    client.force_login(cast.other_hr)
    for name, pattern in guidance_patterns():
        kwargs = url_kwargs(arguments, name, pattern)
        response = client.get(reverse(f"onboarding:{name}", kwargs=kwargs))
        if kwargs:
            assert response.status_code in (404, 405), name
        assert b"Wout" not in response.content, name
        assert b"Verpakking" not in response.content, name


# --- "A mentor sees his mentees" ------------------------------------------------------------------


@pytest.mark.parametrize("role", [Role.COACH, Role.INSTRUCTOR])
def test_a_coach_or_instructor_sees_his_learner_and_nobody_else(cast: Cast, role: Role) -> None:
    templates(cast)
    plan = start(cast)
    stranger_plan = start(cast, employee=colleague(cast))
    guide = cast.employees[role]
    if role is Role.COACH:
        request = coaching(cast, learner=plan.employee, coach=guide)
        # A request not accepted yet gives nothing.
        assert not acting(cast, role).has_perm("onboarding.view_onboarding", plan)
        services_guidance.coaching_answer(guidance=request, by=cast.user(role), accept=True)
    else:
        services_guidance.guidance_start(
            learner=plan.employee,
            guide=guide,
            kind=GuidanceKind.INSTRUCTOR,
            by=cast.user(Role.HR),
            target_result="Runs the filler alone",
        )
    user = acting(cast, role)
    learner = Employee.objects.select_related("unit").get(pk=plan.employee_id)
    stranger = Employee.objects.select_related("unit").get(pk=stranger_plan.employee_id)
    assert user.has_perm("people.view_employee", learner)
    assert user.has_perm("onboarding.view_onboarding", plan)
    assert not user.has_perm("people.view_employee", stranger)
    assert not user.has_perm("onboarding.view_onboarding", stranger_plan)
    # Guiding gives no say over the guidance itself.
    assert not user.has_perm("onboarding.manage_guidance", learner)


def test_an_ended_coaching_gives_no_access(cast: Cast) -> None:
    templates(cast)
    plan = start(cast)
    engagement = coaching(cast, learner=plan.employee, accept=True)
    services_guidance.guidance_end(
        guidance=engagement,
        by=cast.user(Role.COACH),
        ends_on=today() - datetime.timedelta(days=0),
        outcome="Done",
        target_reached=True,
    )
    # Ended today: still his learner today; tomorrow not any more.
    assert (
        Guidance.objects.current(today() + datetime.timedelta(days=1))
        .filter(pk=engagement.pk)
        .count()
        == 0
    )


# --- Flows through the pages ----------------------------------------------------------------------


def test_hr_replaces_the_peter_from_the_onboarding_page(cast: Cast, client: Any) -> None:
    templates(cast)
    plan = start(cast)
    old = designate(cast, plan, colleague(cast))
    client.force_login(cast.user(Role.HR))
    page = client.get(reverse("onboarding:onboarding-detail", args=[plan.pk])).content.decode()
    assert reverse("onboarding:guidance-replace", args=[old.pk]) in page
    assert reverse("onboarding:guidance-end", args=[old.pk]) in page
    new_guide = colleague(cast)
    url = reverse("onboarding:guidance-replace", args=[old.pk])
    response = client.post(url, {"guide": new_guide.pk, "on": today(), "reason": ""})
    assert response.status_code == 422
    assert "Say why" in response.content.decode()
    response = client.post(url, {"guide": new_guide.pk, "on": today(), "reason": "Night shift"})
    assert response.status_code == 302
    assert response["Location"] == reverse("onboarding:onboarding-detail", args=[plan.pk])
    assert (
        Guidance.objects.current(today() + datetime.timedelta(days=1))
        .get(learner=plan.employee)
        .guide
        == new_guide
    )


def test_the_manager_promotes_the_backup(cast: Cast, client: Any) -> None:
    templates(cast)
    plan = start(cast)
    designate(cast, plan, colleague(cast))
    backup = designate(cast, plan, colleague(cast), is_backup=True)
    client.force_login(cast.user(Role.MANAGER))
    response = client.post(reverse("onboarding:guidance-promote", args=[backup.pk]))
    assert response.status_code == 302
    assert Guidance.objects.get(guide=backup.guide, is_backup=False).status == GuidanceStatus.ACTIVE
    # Promoting it again says what is wrong instead of failing.
    response = client.post(reverse("onboarding:guidance-promote", args=[backup.pk]), follow=True)
    assert "only an active guidance" in response.content.decode().lower()


def test_an_employee_asks_a_coach_and_the_coach_accepts(cast: Cast, client: Any) -> None:
    me = cast.employees[Role.EMPLOYEE]
    client.force_login(cast.user(Role.EMPLOYEE))
    url = reverse("onboarding:coaching-request")
    form = client.get(url).content.decode()
    assert "Coaching usually spans a short period" in form  # the definition, in context
    data = {
        "learner": me.pk,
        "coach": cast.employees[Role.COACH].pk,
        "target_result": "Plans the week's production alone",
        "starts_on": today(),
        "planned_end": today() + datetime.timedelta(days=150),
    }
    response = client.post(url, data)
    assert response.status_code == 422
    assert "longer than three months" in response.content.decode()
    assert not Guidance.objects.exists()
    response = client.post(url, {**data, "long_ok": "on"})
    assert response.status_code == 302
    assert response["Location"] == reverse("onboarding:mine")
    request = Guidance.objects.get()
    assert request.status == GuidanceStatus.REQUESTED
    assert request.learner == me
    # He may not ask for somebody else.
    other = client.post(url, {**data, "learner": cast.worker.pk, "long_ok": "on"})  # type: ignore[union-attr]
    assert other.status_code == 422

    client.force_login(cast.user(Role.COACH))
    home = client.get(reverse("core:home")).content.decode()
    assert reverse("onboarding:coaching-answer", args=[request.pk]) in home
    answer = reverse("onboarding:coaching-answer", args=[request.pk])
    assert client.post(answer, {"answer": "decline"}).status_code == 422
    assert client.post(answer, {"answer": "accept"}).status_code == 302
    caseload = client.get(reverse("onboarding:caseload")).content.decode()
    assert "Plans the week" in caseload
    close = reverse("onboarding:coaching-close", args=[request.pk])
    response = client.post(
        close, {"ends_on": today(), "outcome": "Plans it in an hour", "target_reached": "yes"}
    )
    assert response.status_code == 302
    request.refresh_from_db()
    assert request.status == GuidanceStatus.CLOSED
    assert request.target_reached is True


def test_another_coach_cannot_answer(cast: Cast, client: Any) -> None:
    request = coaching(cast, coach=colleague(cast))
    client.force_login(cast.user(Role.COACH))
    assert client.get(reverse("onboarding:coaching-answer", args=[request.pk])).status_code == 403
    assert client.get(reverse("onboarding:coaching-close", args=[request.pk])).status_code == 403


def test_hr_starts_a_mentorship_in_a_programme(cast: Cast, client: Any) -> None:
    scheme = programme(cast)
    learner, guide = colleague(cast), colleague(cast)
    client.force_login(cast.user(Role.HR))
    url = reverse("onboarding:guidance-create") + f"?kind=long_term_guide&programme={scheme.pk}"
    page = client.get(url).content.decode()
    assert "A mentor is a more experienced" in page
    assert f'<option value="{scheme.pk}" selected>' in page
    response = client.post(
        url,
        {
            "kind": "long_term_guide",
            "learner": learner.pk,
            "guide": guide.pk,
            "starts_on": today(),
            "programme": scheme.pk,
        },
    )
    assert response.status_code == 302
    guidance = Guidance.objects.get(learner=learner)
    assert guidance.programme == scheme
    assert guidance.kind == GuidanceKind.LONG_TERM_GUIDE
    detail = client.get(reverse("onboarding:programme-detail", args=[scheme.pk])).content.decode()
    assert str(learner) in detail


def test_the_manager_only_starts_guidance_for_his_units(cast: Cast, client: Any) -> None:
    office_person = EmployeeFactory(
        organisation=cast.organisation, unit=cast.office, first_name="Olga", last_name="Office"
    )
    client.force_login(cast.user(Role.MANAGER))
    url = reverse("onboarding:guidance-create")
    page = client.get(url).content.decode()
    learners = page.split('name="learner"')[1].split("</select>")[0]
    assert "Olga" not in learners
    assert "Wout" in learners
    response = client.post(
        url,
        {
            "kind": "long_term_guide",
            "learner": office_person.pk,
            "guide": colleague(cast).pk,
            "starts_on": today(),
        },
    )
    assert response.status_code == 422
    assert not Guidance.objects.exists()


def test_hr_creates_a_programme_with_a_sponsor(cast: Cast, client: Any) -> None:
    client.force_login(cast.user(Role.HR))
    url = reverse("onboarding:programme-create")
    data = {
        "name": "Future leaders",
        "goals": "Lead a team",
        "starts_on": today(),
        "is_active": "on",
    }
    response = client.post(url, data)
    assert response.status_code == 422
    response = client.post(url, {**data, "sponsor": cast.employees[Role.ADMIN].pk})
    assert response.status_code == 302
    assert MentorProgramme.objects.get().sponsor == cast.employees[Role.ADMIN]


def test_a_not_retained_candidate_is_refused_without_feedback(cast: Cast, client: Any) -> None:
    record = selection(cast)
    client.force_login(cast.user(Role.HR))
    url = reverse("onboarding:selection-decide", args=[record.pk])
    response = client.post(url, {"outcome": "not_retained", "decided_on": today()})
    assert response.status_code == 422
    assert "feedback conversation" in response.content.decode()
    response = client.post(
        url,
        {
            "outcome": "not_retained",
            "decided_on": today(),
            "feedback_conversation_on": today(),
            "feedback_note": "Explained the assessment",
        },
    )
    assert response.status_code == 302
    assert InstructorSelection.objects.get().outcome == SelectionOutcome.NOT_RETAINED


def test_a_retained_candidate_gets_an_experienced_instructor(cast: Cast, client: Any) -> None:
    record = selection(cast)
    services_guidance.selection_decide(
        selection=record, by=cast.user(Role.HR), outcome=SelectionOutcome.SELECTED
    )
    client.force_login(cast.user(Role.HR))
    page = client.get(reverse("onboarding:selection-detail", args=[record.pk])).content.decode()
    assert "kind=instructor" in page
    assert f"learner={record.candidate_id}" in page


# --- Fixed query counts ---------------------------------------------------------------------------


def populate(cast: Cast, count: int) -> None:
    for _ in range(count):
        coaching(cast, accept=True)
        coaching(cast, coach=colleague(cast))
        mentorship(cast)
        selection(cast)
    programme(cast, name=f"Programme {MentorProgramme.objects.count()}")


def page_urls() -> list[tuple[str, Role]]:
    return [
        (reverse("onboarding:guidance-list"), Role.HR),
        (reverse("onboarding:guidance-list") + "?state=all&kind=coach", Role.MANAGER),
        (reverse("onboarding:caseload"), Role.HR),
        (reverse("onboarding:caseload"), Role.MANAGER),
        (reverse("onboarding:caseload"), Role.COACH),
        (reverse("onboarding:programme-list"), Role.HR),
        (reverse("onboarding:selection-list"), Role.HR),
        (reverse("onboarding:guidance-create"), Role.HR),
        (reverse("onboarding:coaching-request"), Role.EMPLOYEE),
        (reverse("core:home"), Role.COACH),
    ]


def test_pages_keep_a_fixed_query_count(
    cast: Cast, client: Any, django_assert_max_num_queries: Any
) -> None:
    populate(cast, 2)
    counts = []
    for url, role in page_urls():
        client.force_login(cast.user(role))
        with django_assert_max_num_queries(30) as small:
            assert client.get(url).status_code == 200, url
        counts.append(len(small.captured_queries))
    populate(cast, 8)
    for (url, role), count in zip(page_urls(), counts, strict=True):
        client.force_login(cast.user(role))
        with django_assert_max_num_queries(count):
            assert client.get(url).status_code == 200, url


def test_detail_pages_keep_a_fixed_query_count(
    cast: Cast, client: Any, django_assert_max_num_queries: Any
) -> None:
    learner = colleague(cast)
    scheme = programme(cast)
    guidance = services_guidance.guidance_start(
        learner=learner,
        guide=colleague(cast),
        kind=GuidanceKind.LONG_TERM_GUIDE,
        by=cast.user(Role.HR),
        programme=scheme,
    )
    client.force_login(cast.user(Role.HR))
    urls = [
        reverse("onboarding:guidance-detail", args=[guidance.pk]),
        reverse("onboarding:programme-detail", args=[scheme.pk]),
    ]
    counts = []
    for url in urls:
        with django_assert_max_num_queries(20) as small:
            assert client.get(url).status_code == 200
        counts.append(len(small.captured_queries))
    for _ in range(6):
        current = Guidance.objects.get(learner=learner, ends_on__isnull=True)
        services_guidance.guidance_replace(
            guidance=current,
            guide=colleague(cast),
            by=cast.user(Role.HR),
            reason="Rotation",
        )
        mentorship(cast)
    newest = Guidance.objects.get(learner=learner, ends_on__isnull=True)
    urls[0] = reverse("onboarding:guidance-detail", args=[newest.pk])
    for url, count in zip(urls, counts, strict=True):
        with django_assert_max_num_queries(count):
            assert client.get(url).status_code == 200


def test_any_colleague_asked_as_coach_answers_from_his_home_page(cast: Cast, client: Any) -> None:
    """The brochure: an employee 'kan een ervaren collega als coach vragen' - no role needed."""
    colleague_asked = cast.employees[Role.EMPLOYEE]
    request = coaching(cast, coach=colleague_asked)
    client.force_login(cast.user(Role.EMPLOYEE))
    answer = reverse("onboarding:coaching-answer", args=[request.pk])
    assert answer in client.get(reverse("core:home")).content.decode()
    response = client.post(answer, {"answer": "accept"})
    assert response.status_code == 302
    assert response["Location"] == reverse("core:home")
    request.refresh_from_db()
    assert request.status == GuidanceStatus.ACTIVE
    assert client.get(reverse("onboarding:coaching-close", args=[request.pk])).status_code == 200
    # Someone else's request stays closed to him.
    other = coaching(cast)
    assert client.get(reverse("onboarding:coaching-answer", args=[other.pk])).status_code == 403
