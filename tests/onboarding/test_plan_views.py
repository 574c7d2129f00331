"""Pages for running an onboarding: who may do what, what they show, and their query counts."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from leerplek.core.roles import Role
from leerplek.onboarding import services_plan
from leerplek.onboarding.models import (
    NotebookEntry,
    Observation,
    Onboarding,
    OnboardingStatus,
    Section,
    TaskOwner,
)
from tests.factories import Cast
from tests.onboarding.factories_plan import actor, newcomer, png, running_plan

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()


def detail(plan: Onboarding) -> str:
    return reverse("onboarding:onboarding-detail", args=[plan.pk])


def grow(cast: Cast, plan: Onboarding, count: int) -> None:
    """`count` more tips, observations and tasks on `plan`."""
    me = newcomer(cast)
    mentor = actor(cast, Role.MENTOR)
    for number in range(count):
        task = services_plan.plan_task_add(
            onboarding=plan,
            by=actor(cast, Role.HR),
            section=Section.FUNCTION,
            title=f"Task {number}",
            owner=TaskOwner.NEWCOMER,
            due_on=TODAY,
            on_work_floor=number % 2 == 0,
        )
        services_plan.notebook_add(
            onboarding=plan, by=me, text=f"Tip {number}", photo=png(), task=task
        )
        services_plan.observation_record(
            onboarding=plan, by=mentor, observed_on=TODAY, task=task, feedback_given=f"F{number}"
        )


def test_the_onboarding_page_keeps_a_fixed_query_count_with_every_part(
    cast: Cast, client: Any, django_assert_max_num_queries: Any
) -> None:
    plan = running_plan(cast)
    grow(cast, plan, 1)
    counts = {}
    for role in (Role.HR, Role.MANAGER):
        client.force_login(cast.user(role))
        with django_assert_max_num_queries(40) as small:
            response = client.get(detail(plan))
        assert response.status_code == 200
        assert "Tip 0" in response.content.decode()
        counts[role] = len(small.captured_queries)
    grow(cast, plan, 8)
    for role, count in counts.items():
        client.force_login(cast.user(role))
        with django_assert_max_num_queries(count):
            response = client.get(detail(plan))
        assert response.content.decode().count('class="observation"') == 9


def test_the_newcomers_page_keeps_a_fixed_query_count_with_his_notebook(
    cast: Cast, client: Any, django_assert_max_num_queries: Any
) -> None:
    plan = running_plan(cast)
    grow(cast, plan, 1)
    client.force_login(cast.user(Role.EMPLOYEE))
    with django_assert_max_num_queries(40) as small:
        assert client.get(reverse("onboarding:mine")).status_code == 200
    grow(cast, plan, 8)
    with django_assert_max_num_queries(len(small.captured_queries)):
        body = client.get(reverse("onboarding:mine")).content.decode()
    assert body.count('class="note"') == 9  # two shown, the rest folded
    assert "I did this" in body


def test_hr_adds_edits_and_removes_a_task(cast: Cast, client: Any) -> None:
    plan = running_plan(cast)
    client.force_login(cast.user(Role.HR))
    url = reverse("onboarding:plan-task-add", args=[plan.pk])
    assert client.get(url).status_code == 200
    response = client.post(
        url,
        {
            "section": Section.FUNCTION,
            "title": "Visit the warehouse",
            "owner": TaskOwner.MENTOR,
            "due_on": TODAY.isoformat(),
            "how": "",
        },
    )
    assert response.status_code == 302
    assert response["Location"] == detail(plan)
    task = plan.tasks.get(title="Visit the warehouse")
    page = client.get(detail(plan)).content.decode()
    assert reverse("onboarding:plan-task-edit", args=[task.pk]) in page
    edit = reverse("onboarding:plan-task-edit", args=[task.pk])
    response = client.post(
        edit,
        {
            "section": Section.FUNCTION,
            "title": "Visit the cold store",
            "owner": TaskOwner.MENTOR,
            "due_on": TODAY.isoformat(),
        },
    )
    assert response.status_code == 302
    task.refresh_from_db()
    assert task.title == "Visit the cold store"
    remove = reverse("onboarding:plan-task-remove", args=[task.pk])
    assert "Remove the task" in client.get(remove).content.decode()
    assert client.post(remove).status_code == 302
    assert not plan.tasks.filter(pk=task.pk).exists()


def test_a_closed_plan_refuses_changes_naming_why(cast: Cast, client: Any) -> None:
    plan = running_plan(cast)
    client.force_login(cast.user(Role.HR))
    response = client.post(
        reverse("onboarding:onboarding-cancel", args=[plan.pk]),
        {"ended_on": TODAY.isoformat(), "note": ""},
    )
    assert response.status_code == 422
    assert str(services_plan.ERRORS["cancel_needs_note"]) in response.content.decode()
    response = client.post(
        reverse("onboarding:onboarding-cancel", args=[plan.pk]),
        {"ended_on": TODAY.isoformat(), "note": "Left after a week"},
    )
    assert response.status_code == 302
    plan.refresh_from_db()
    assert plan.status == OnboardingStatus.CANCELLED
    page = client.get(detail(plan)).content.decode()
    assert "Left after a week" in page
    assert reverse("onboarding:plan-task-add", args=[plan.pk]) not in page
    response = client.post(reverse("onboarding:plan-shift", args=[plan.pk]), {"days": "3"})
    assert response.status_code == 422
    assert "cancelled since" in response.content.decode()


def test_the_newcomer_ticks_his_task_in_place(cast: Cast, client: Any) -> None:
    plan = running_plan(cast)
    newcomer(cast)
    task = services_plan.plan_task_add(
        onboarding=plan,
        by=actor(cast, Role.HR),
        section=Section.FUNCTION,
        title="Read the booklet",
        owner=TaskOwner.NEWCOMER,
        due_on=TODAY,
    )
    client.force_login(cast.user(Role.EMPLOYEE))
    url = reverse("onboarding:my-task-done", args=[task.pk])
    assert client.get(url).status_code == 405
    response = client.post(url, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert "Done on" in response.content.decode()
    assert "HX-Request" in response["Vary"]
    again = client.post(url, HTTP_HX_REQUEST="true")
    assert again.status_code == 422


def test_nobody_else_ticks_through_the_newcomers_button(cast: Cast, client: Any) -> None:
    plan = running_plan(cast)
    task = plan.tasks.first()
    assert task is not None
    client.force_login(cast.user(Role.HR))
    assert client.post(reverse("onboarding:my-task-done", args=[task.pk])).status_code == 403
    client.force_login(cast.other_hr)
    assert client.post(reverse("onboarding:my-task-done", args=[task.pk])).status_code in (403, 404)


def test_the_newcomer_adds_a_tip_from_his_page_and_his_guide_sees_the_photo(
    cast: Cast, client: Any
) -> None:
    plan = running_plan(cast)
    newcomer(cast)
    client.force_login(cast.user(Role.EMPLOYEE))
    response = client.post(
        reverse("onboarding:notebook-add"),
        {"text": "Blue button first", "photo": png(), "task": plan.tasks.first().pk},  # type: ignore[union-attr]
    )
    assert response.status_code == 302
    entry = NotebookEntry.objects.get()
    mine = client.get(reverse("onboarding:mine")).content.decode()
    assert "Blue button first" in mine
    photo = reverse("onboarding:notebook-photo", args=[entry.pk])
    assert photo in mine
    assert client.get(photo)["Content-Type"] == "image/png"
    client.force_login(cast.user(Role.HR))
    response = client.get(photo)
    assert response.status_code == 200
    assert response["Cache-Control"] == "private, no-store"
    # A colleague who is neither his guide nor in the line: no access to his notebook.
    client.force_login(cast.user(Role.COACH))
    assert client.get(photo).status_code == 403
    assert "Notebook of the newcomer" not in client.get(detail(plan)).content.decode()


def test_a_bad_photo_is_shown_next_to_the_field(cast: Cast, client: Any) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    running_plan(cast)
    newcomer(cast)
    client.force_login(cast.user(Role.EMPLOYEE))
    response = client.post(
        reverse("onboarding:notebook-add"),
        {"text": "", "photo": SimpleUploadedFile("virus.jpg", b"MZ not a photo at all")},
    )
    assert response.status_code == 422
    assert "virus.jpg is not a real JPEG photo inside" in response.content.decode()
    assert not NotebookEntry.objects.exists()


def test_a_colleague_records_an_observation_from_his_phone(cast: Cast, client: Any) -> None:
    plan = running_plan(cast)
    client.force_login(cast.user(Role.MENTOR))
    url = reverse("onboarding:observation-add", args=[plan.pk])
    assert client.get(url).status_code == 200
    response = client.post(url, {"observed_on": TODAY.isoformat(), "feedback_given": ""})
    assert response.status_code == 422
    response = client.post(
        url,
        {
            "observed_on": TODAY.isoformat(),
            "task": plan.tasks.first().pk,  # type: ignore[union-attr]
            "went_well": "Calm",
            "feedback_given": "Keep the line clean",
        },
    )
    assert response.status_code == 302
    assert Observation.objects.get().feedback_given == "Keep the line clean"


def test_the_manager_releases_from_the_onboarding_page(cast: Cast, client: Any) -> None:
    plan = running_plan(cast)
    worker = cast.worker
    assert worker is not None
    client.force_login(cast.user(Role.MANAGER))
    page = client.get(detail(plan)).content.decode()
    url = reverse("onboarding:onboarding-release") + f"?onboarding={plan.pk}"
    assert url in page
    form = client.get(url + f"&workstation={worker.workstation_id}").content.decode()
    assert "closes 2 tasks" in form
    response = client.post(
        url, {"workstation": worker.workstation_id, "released_on": TODAY.isoformat()}
    )
    assert response.status_code == 302
    plan.refresh_from_db()
    assert plan.independent_on == TODAY
    again = client.post(
        url, {"workstation": worker.workstation_id, "released_on": TODAY.isoformat()}
    )
    assert again.status_code == 422
    client.force_login(cast.user(Role.HR))
    assert client.get(url).status_code == 403
    client.force_login(cast.user(Role.MANAGER))
    assert client.get(reverse("onboarding:onboarding-release")).status_code == 302
    client.force_login(cast.other_hr)
    assert client.get(url).status_code == 403  # no release right there: says nothing more
