"""Rules of running an onboarding: editing a started plan, ending it, the newcomer's own tasks,
his notebook, observations and the release to work alone."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from leerplek.competences.models import WorkRelease
from leerplek.core.models import AuditEntry
from leerplek.core.roles import Role
from leerplek.onboarding import services_plan
from leerplek.onboarding.models import (
    NotebookEntry,
    Observation,
    OnboardingStatus,
    OnboardingTask,
    Section,
    TaskOwner,
)
from leerplek.onboarding.services_plan import ERRORS
from tests.factories import Cast
from tests.onboarding.factories import designate
from tests.onboarding.factories_plan import actor, newcomer, png, running_plan, station

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()


def message(code: str, **params: object) -> str:
    return str(ERRORS[code]) % params if params else str(ERRORS[code])


def errors_of(problem: pytest.ExceptionInfo[ValidationError]) -> dict[str, list[str]]:
    return problem.value.message_dict


def own_task(cast: Cast, plan: object, title: str = "Read the hygiene booklet") -> OnboardingTask:
    return services_plan.plan_task_add(
        onboarding=plan,  # type: ignore[arg-type]
        by=actor(cast, Role.HR),
        section=Section.FUNCTION,
        title=title,
        owner=TaskOwner.NEWCOMER,
        due_on=TODAY,
    )


# --- Editing a started plan ----------------------------------------------------------------------


def test_a_task_is_added_changed_and_removed_with_an_audit_trail(cast: Cast) -> None:
    plan = running_plan(cast)
    hr = actor(cast, Role.HR)
    task = own_task(cast, plan)
    assert task.onboarding_id == plan.pk
    assert task.owner == TaskOwner.NEWCOMER
    services_plan.plan_task_update(task=task, by=hr, title="Read it twice", due_on=TODAY)
    task.refresh_from_db()
    assert task.title == "Read it twice"
    services_plan.plan_task_remove(task=task, by=hr)
    assert not OnboardingTask.objects.filter(pk=task.pk).exists()
    actions = list(
        AuditEntry.objects.filter(object_id=str(task.pk), action__startswith="onboarding.task_")
        .order_by("id")
        .values_list("action", flat=True)
    )
    assert actions == [
        "onboarding.task_added",
        "onboarding.task_changed",
        "onboarding.task_removed",
    ]


def test_a_done_task_is_neither_changed_nor_removed(cast: Cast) -> None:
    plan = running_plan(cast)
    hr = actor(cast, Role.HR)
    task = plan.tasks.get(title="Welcome talk and tour")
    task.done_on = plan.start_date
    task.save()
    with pytest.raises(ValidationError) as problem:
        services_plan.plan_task_remove(task=task, by=hr)
    assert errors_of(problem) == {
        "__all__": [message("task_done", title=task.title, date=plan.start_date)]
    }
    with pytest.raises(ValidationError):
        services_plan.plan_task_update(task=task, by=hr, title="Other")
    task.refresh_from_db()
    assert task.title == "Welcome talk and tour"


def test_a_due_date_far_before_the_start_is_refused(cast: Cast) -> None:
    plan = running_plan(cast)
    with pytest.raises(ValidationError) as problem:
        services_plan.plan_task_add(
            onboarding=plan,
            by=actor(cast, Role.HR),
            section=Section.FUNCTION,
            title="Too early",
            owner=TaskOwner.HR,
            due_on=plan.start_date - datetime.timedelta(days=61),
        )
    assert errors_of(problem) == {"due_on": [message("due_before_start", start=plan.start_date)]}
    assert not plan.tasks.filter(title="Too early").exists()


def test_only_the_line_may_edit_the_plan(cast: Cast) -> None:
    plan = running_plan(cast)
    with pytest.raises(PermissionDenied):
        services_plan.plan_task_add(
            onboarding=plan,
            by=actor(cast, Role.MENTOR),
            section=Section.FUNCTION,
            title="Sneaky",
            owner=TaskOwner.HR,
            due_on=TODAY,
        )
    assert not plan.tasks.filter(title="Sneaky").exists()


def test_moving_the_open_tasks_keeps_the_done_ones(cast: Cast) -> None:
    plan = running_plan(cast)
    done = plan.tasks.get(title="Welcome talk and tour")
    done.done_on = plan.start_date
    done.save()
    before = dict(plan.tasks.values_list("pk", "due_on"))
    moved = services_plan.plan_shift(onboarding=plan, by=actor(cast, Role.MANAGER), days=7)
    after = dict(plan.tasks.values_list("pk", "due_on"))
    assert moved == len(before) - 1
    assert after[done.pk] == before[done.pk]
    assert all(
        after[pk] == day + datetime.timedelta(days=7) for pk, day in before.items() if pk != done.pk
    )


@pytest.mark.parametrize(
    ("days", "code", "params"),
    [(0, "no_days", {}), (400, "too_many_days", {"max": 365})],
)
def test_moving_by_nothing_or_too_much_is_refused(
    cast: Cast, days: int, code: str, params: dict[str, object]
) -> None:
    plan = running_plan(cast)
    with pytest.raises(ValidationError) as problem:
        services_plan.plan_shift(onboarding=plan, by=actor(cast, Role.HR), days=days)
    assert errors_of(problem) == {"days": [message(code, **params)]}


# --- Completing and cancelling -------------------------------------------------------------------


def test_a_completed_plan_is_read_only(cast: Cast) -> None:
    plan = running_plan(cast)
    hr = actor(cast, Role.HR)
    services_plan.onboarding_complete(onboarding=plan, by=hr, ended_on=TODAY, note="Well done")
    plan.refresh_from_db()
    assert (plan.status, plan.ended_on, plan.end_note) == ("completed", TODAY, "Well done")
    closed = message("plan_closed", status="completed", date=TODAY)
    with pytest.raises(ValidationError) as problem:
        own_task(cast, plan)
    assert errors_of(problem) == {"__all__": [closed]}
    with pytest.raises(ValidationError) as problem:
        services_plan.plan_shift(onboarding=plan, by=hr, days=3)
    assert errors_of(problem) == {"days": [closed]}
    with pytest.raises(ValidationError):
        services_plan.onboarding_cancel(onboarding=plan, by=hr, ended_on=TODAY, note="again")


def test_cancelling_needs_a_reason(cast: Cast) -> None:
    plan = running_plan(cast)
    hr = actor(cast, Role.HR)
    with pytest.raises(ValidationError) as problem:
        services_plan.onboarding_cancel(onboarding=plan, by=hr, ended_on=TODAY, note="  ")
    assert errors_of(problem) == {"note": [message("cancel_needs_note")]}
    plan.refresh_from_db()
    assert plan.status == OnboardingStatus.ACTIVE
    services_plan.onboarding_cancel(onboarding=plan, by=hr, ended_on=TODAY, note="Left on day 9")
    plan.refresh_from_db()
    assert plan.status == OnboardingStatus.CANCELLED
    entry = AuditEntry.objects.get(action="onboarding.cancelled")
    assert entry.after["end_note"] == "Left on day 9"


@pytest.mark.parametrize("offset", [1, -30])
def test_the_end_date_is_between_the_start_and_today(cast: Cast, offset: int) -> None:
    plan = running_plan(cast, days_ago=10)
    with pytest.raises(ValidationError) as problem:
        services_plan.onboarding_complete(
            onboarding=plan, by=actor(cast, Role.HR), ended_on=TODAY + datetime.timedelta(offset)
        )
    assert list(errors_of(problem)) == ["ended_on"]


# --- The newcomer's own tasks --------------------------------------------------------------------


def test_the_newcomer_ticks_his_own_task(cast: Cast) -> None:
    plan = running_plan(cast)
    me = newcomer(cast)
    task = own_task(cast, plan)
    services_plan.own_task_mark_done(task=task, by=me)
    task.refresh_from_db()
    assert task.done_on == TODAY
    assert task.done_by == me


def test_the_newcomer_cannot_tick_a_task_someone_else_does(cast: Cast) -> None:
    plan = running_plan(cast)
    me = newcomer(cast)
    task = plan.tasks.get(title="Agree the training plan")
    with pytest.raises(ValidationError) as problem:
        services_plan.own_task_mark_done(task=task, by=me)
    assert errors_of(problem) == {"done_on": [message("not_newcomer_task", owner="Line manager")]}


def test_nobody_ticks_another_newcomers_task(cast: Cast) -> None:
    plan = running_plan(cast)
    task = own_task(cast, plan)
    with pytest.raises(PermissionDenied):
        services_plan.own_task_mark_done(task=task, by=actor(cast, Role.MENTOR))


def test_a_work_floor_task_of_the_newcomer_still_needs_a_peter(cast: Cast) -> None:
    plan = running_plan(cast, with_guide=False)
    me = newcomer(cast)
    task = own_task(cast, plan)
    OnboardingTask.objects.filter(pk=task.pk).update(on_work_floor=True)
    task.refresh_from_db()
    with pytest.raises(ValidationError) as problem:
        services_plan.own_task_mark_done(task=task, by=me)
    assert "done_on" in errors_of(problem)


# --- Notebook ------------------------------------------------------------------------------------


def test_the_newcomer_writes_a_tip_with_a_photo_about_a_task(cast: Cast) -> None:
    plan = running_plan(cast)
    me = newcomer(cast)
    task = plan.tasks.first()
    entry = services_plan.notebook_add(
        onboarding=plan, by=me, text=" Press twice ", photo=png("IMG_Wout.png"), task=task
    )
    assert entry.text == "Press twice"
    assert entry.task == task
    assert entry.photo.name.startswith(f"notebook/{plan.organisation_id}/")
    assert "Wout" not in entry.photo.name  # stored under a random name
    assert entry.photo.read().startswith(b"\x89PNG")


@pytest.mark.parametrize(
    ("name", "content", "code"),
    [
        ("tip.pdf", b"%PDF-1.4", "photo_type"),
        ("tip.jpg", b"MZ\x90\x00 not a jpeg at all", "photo_content"),
        ("tip.png", b"", "photo_empty"),
    ],
)
def test_a_photo_must_be_a_real_photo(cast: Cast, name: str, content: bytes, code: str) -> None:
    plan = running_plan(cast)
    me = newcomer(cast)
    with pytest.raises(ValidationError) as problem:
        services_plan.notebook_add(onboarding=plan, by=me, photo=SimpleUploadedFile(name, content))
    assert [error.code for error in problem.value.error_dict["photo"]] == [code]
    assert not NotebookEntry.objects.exists()


def test_a_photo_too_large_is_refused(cast: Cast, settings: object) -> None:
    settings.LEERPLEK = {**settings.LEERPLEK, "EVIDENCE_MAX_MB": 1}  # type: ignore[attr-defined]
    plan = running_plan(cast)
    me = newcomer(cast)
    big = SimpleUploadedFile("big.jpg", b"\xff\xd8\xff" + b"0" * (1024 * 1024 + 1))
    with pytest.raises(ValidationError) as problem:
        services_plan.notebook_add(onboarding=plan, by=me, photo=big)
    assert [error.code for error in problem.value.error_dict["photo"]] == ["photo_size"]


def test_an_empty_tip_and_another_persons_notebook_are_refused(cast: Cast) -> None:
    plan = running_plan(cast)
    me = newcomer(cast)
    with pytest.raises(ValidationError) as problem:
        services_plan.notebook_add(onboarding=plan, by=me, text="   ")
    assert errors_of(problem) == {"text": [message("empty_tip")]}
    with pytest.raises(PermissionDenied):
        services_plan.notebook_add(onboarding=plan, by=actor(cast, Role.HR), text="Not mine")
    assert not NotebookEntry.objects.exists()


def test_the_newcomer_removes_a_tip_and_its_photo(
    cast: Cast, django_capture_on_commit_callbacks: object
) -> None:
    plan = running_plan(cast)
    me = newcomer(cast)
    entry = services_plan.notebook_add(onboarding=plan, by=me, photo=png())
    storage, name = entry.photo.storage, entry.photo.name
    with django_capture_on_commit_callbacks(execute=True):  # type: ignore[operator]
        services_plan.notebook_remove(entry=entry, by=me)
    assert not NotebookEntry.objects.exists()
    assert not storage.exists(name)


# --- Observations --------------------------------------------------------------------------------


def test_an_experienced_colleague_records_an_observation(cast: Cast) -> None:
    plan = running_plan(cast)
    task = plan.tasks.get(title="Run the line with your peter")
    observation = services_plan.observation_record(
        onboarding=plan,
        by=actor(cast, Role.MENTOR),
        observed_on=TODAY,
        task=task,
        went_well="Safe start-up",
        to_improve="Check the labels",
        feedback_given="Told him to check every tenth label",
    )
    assert observation.observer == cast.employees[Role.MENTOR]
    assert observation.task == task
    assert AuditEntry.objects.filter(action="onboarding.observed").count() == 1


def test_the_peter_observes_without_an_observing_role(cast: Cast) -> None:
    plan = running_plan(cast, with_guide=False)
    adviser = cast.employees[Role.PREVENTION_ADVISER]
    with pytest.raises(PermissionDenied):
        services_plan.observation_record(
            onboarding=plan,
            by=actor(cast, Role.PREVENTION_ADVISER),
            observed_on=TODAY,
            feedback_given="x",
        )
    designate(cast, plan, adviser)
    observation = services_plan.observation_record(
        onboarding=plan,
        by=actor(cast, Role.PREVENTION_ADVISER),
        observed_on=TODAY,
        feedback_given="Good job",
    )
    assert observation.observer == adviser


@pytest.mark.parametrize(
    ("field", "values"),
    [
        ("feedback_given", {"feedback_given": "  "}),
        ("observed_on", {"observed_on": TODAY + datetime.timedelta(days=1)}),
        ("observed_on", {"observed_on": TODAY - datetime.timedelta(days=30)}),
    ],
)
def test_an_observation_needs_feedback_and_a_date_in_the_plan(
    cast: Cast, field: str, values: dict[str, object]
) -> None:
    plan = running_plan(cast, days_ago=10)
    arguments: dict[str, object] = {"observed_on": TODAY, "feedback_given": "Fine", **values}
    with pytest.raises(ValidationError) as problem:
        services_plan.observation_record(
            onboarding=plan,
            by=actor(cast, Role.MENTOR),
            **arguments,  # type: ignore[arg-type]
        )
    assert list(errors_of(problem)) == [field]
    assert not Observation.objects.exists()


# --- Release to independent work -----------------------------------------------------------------


def test_a_release_at_his_own_workstation_closes_the_floor_tasks(cast: Cast) -> None:
    plan = running_plan(cast)
    worker = cast.worker
    assert worker is not None
    assert worker.workstation is not None
    floor = list(plan.tasks.filter(on_work_floor=True))
    assert floor
    assert all(task.workstation_id == worker.workstation_id for task in floor)
    closed = services_plan.onboarding_release(
        onboarding=plan,
        by=actor(cast, Role.MANAGER),
        workstation=worker.workstation,
        released_on=TODAY,
    )
    assert {task.pk for task in closed} == {task.pk for task in floor}
    release = WorkRelease.objects.get(employee=worker)
    for task in plan.tasks.filter(on_work_floor=True):
        assert (task.done_on, task.release_id) == (TODAY, release.pk)
    plan.refresh_from_db()
    assert plan.independent_on == TODAY
    # Office tasks stay open: the release is about the work floor only.
    assert plan.tasks.filter(on_work_floor=False, done_on__isnull=True).exists()


def test_a_release_elsewhere_closes_only_that_workstations_tasks(cast: Cast) -> None:
    plan = running_plan(cast)
    hr = actor(cast, Role.HR)
    forklift = station(cast, "Forklift")
    task = services_plan.plan_task_add(
        onboarding=plan,
        by=hr,
        section=Section.FUNCTION,
        title="Drive the forklift with your peter",
        owner=TaskOwner.MENTOR,
        due_on=TODAY,
        on_work_floor=True,
        workstation=forklift,
    )
    manager = actor(cast, Role.MANAGER)
    closed = services_plan.onboarding_release(
        onboarding=plan, by=manager, workstation=forklift, released_on=TODAY
    )
    assert [t.pk for t in closed] == [task.pk]
    plan.refresh_from_db()
    assert plan.independent_on is None  # his own workstation's tasks are still open
    worker = cast.worker
    assert worker is not None
    services_plan.onboarding_release(
        onboarding=plan,
        by=manager,
        workstation=worker.workstation,
        released_on=TODAY,  # type: ignore[arg-type]
    )
    plan.refresh_from_db()
    assert plan.independent_on == TODAY


def test_only_the_line_manager_releases(cast: Cast) -> None:
    plan = running_plan(cast)
    worker = cast.worker
    assert worker is not None
    with pytest.raises(PermissionDenied):
        services_plan.onboarding_release(
            onboarding=plan,
            by=actor(cast, Role.HR),
            workstation=worker.workstation,  # type: ignore[arg-type]
            released_on=TODAY,
        )
    assert not WorkRelease.objects.exists()


def test_a_release_before_the_start_writes_nothing(cast: Cast) -> None:
    plan = running_plan(cast, days_ago=5)
    worker = cast.worker
    assert worker is not None
    with pytest.raises(ValidationError) as problem:
        services_plan.onboarding_release(
            onboarding=plan,
            by=actor(cast, Role.MANAGER),
            workstation=worker.workstation,  # type: ignore[arg-type]
            released_on=plan.start_date - datetime.timedelta(days=1),
        )
    assert list(errors_of(problem)) == ["released_on"]
    assert not WorkRelease.objects.exists()
    assert not plan.tasks.filter(done_on__isnull=False).exists()


def test_plans_started_from_templates_put_floor_tasks_at_his_workstation(cast: Cast) -> None:
    plan = running_plan(cast)
    worker = cast.worker
    assert worker is not None
    assert set(plan.tasks.filter(on_work_floor=True).values_list("workstation", flat=True)) == {
        worker.workstation_id
    }
    assert set(plan.tasks.filter(on_work_floor=False).values_list("workstation", flat=True)) == {
        None
    }
