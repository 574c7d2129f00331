"""Rules of the onboarding services: what they write, and what they refuse."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from leerplek.competences import services as competence_services
from leerplek.core.models import AuditEntry
from leerplek.core.roles import Role
from leerplek.onboarding import services
from leerplek.onboarding.models import (
    Guidance,
    Onboarding,
    OnboardingReason,
    OnboardingTask,
    Section,
)
from leerplek.onboarding.services import ERRORS
from tests.competences.factories import assess
from tests.factories import Cast, EmployeeFactory
from tests.onboarding.factories import START, colleague, designate, start, templates

pytestmark = pytest.mark.django_db


def message(code: str, **params: object) -> str:
    return str(ERRORS[code]) % params if params else str(ERRORS[code])


def test_a_new_hire_gets_every_task_dated_from_the_start(cast: Cast) -> None:
    templates(cast)
    onboarding = start(cast)
    tasks = {t.title: t.due_on for t in onboarding.tasks.all()}
    assert tasks == {
        "Welcome talk and tour": START,
        "Safety instructions on the floor": START + datetime.timedelta(days=1),
        "Run the line with your peter": START + datetime.timedelta(days=8),
        "Agree the training plan": START + datetime.timedelta(days=20),
    }
    assert onboarding.end_date == datetime.date(2027, 5, 2)  # six months
    entry = AuditEntry.objects.get(action="onboarding.started")
    assert entry.after["tasks"] == 4


@pytest.mark.parametrize(
    "reason", [OnboardingReason.INTERNAL_MOVE, OnboardingReason.REORGANISATION]
)
def test_a_mover_gets_the_reduced_plan_without_company_information(cast: Cast, reason: str) -> None:
    templates(cast)
    onboarding = start(cast, reason=reason)
    assert set(onboarding.tasks.values_list("section", flat=True)) == {
        Section.FUNCTION,
        Section.TRAINING_PLAN,
    }


def test_the_competence_check_lists_the_gaps_against_the_function(cast: Cast) -> None:
    hr = cast.user(Role.HR)
    templates(cast)
    scale = competence_services.default_scale(cast.organisation)
    haccp = competence_services.competence_create(
        organisation=cast.organisation, by=hr, code="HACCP", name="Food safety"
    )
    forklift = competence_services.competence_create(
        organisation=cast.organisation, by=hr, code="FORK", name="Forklift"
    )
    for competence in (haccp, forklift):
        competence_services.requirement_set(
            competence=competence, by=hr, job=cast.job, level=scale.levels.get(code="U")
        )
    assess(cast, cast.worker, forklift, "O")  # type: ignore[arg-type]
    onboarding = start(cast)
    check = onboarding.tasks.get(section=Section.COMPETENCE_CHECK)
    assert (check.competence, check.required_level.code, check.actual_level_code) == (
        haccp,
        "U",
        "",
    )
    assert check.due_on == onboarding.end_date


def test_a_person_with_an_active_onboarding_cannot_get_a_second(cast: Cast) -> None:
    templates(cast)
    first = start(cast)
    with pytest.raises(ValidationError) as caught:
        start(cast)
    assert caught.value.message_dict == {
        "employee": [message("already_onboarding", name=cast.worker, date=first.start_date)]
    }
    assert Onboarding.objects.count() == 1


def test_no_template_is_refused_and_writes_nothing(cast: Cast) -> None:
    with pytest.raises(ValidationError) as caught:
        start(cast)
    assert caught.value.message_dict == {"employee": [message("no_template", name=cast.worker)]}
    assert not Onboarding.objects.exists()
    assert not AuditEntry.objects.filter(action="onboarding.started").exists()


def test_the_organiser_belongs_to_the_hierarchical_line(cast: Cast) -> None:
    templates(cast)
    plain = colleague(cast)
    with pytest.raises(ValidationError) as caught:
        services.onboarding_start(
            employee=cast.worker,
            by=cast.user(Role.HR),
            reason=OnboardingReason.NEW_HIRE,
            start_date=START,
            organiser=plain,
        )
    assert caught.value.message_dict == {"organiser": [message("organiser_not_line", name=plain)]}


def test_a_second_company_wide_template_is_refused(cast: Cast) -> None:
    templates(cast)
    with pytest.raises(ValidationError) as caught:
        services.template_create(organisation=cast.organisation, by=None, name="Another")
    assert caught.value.message_dict == {"job": [message("company_template_exists")]}


# --- Designating a guide -------------------------------------------------------------------------


def test_designating_a_peter_is_recorded_and_audited(cast: Cast) -> None:
    templates(cast)
    onboarding = start(cast)
    peter = colleague(cast)
    guidance = designate(cast, onboarding, peter)
    assert (guidance.guide, guidance.learner, guidance.starts_on) == (peter, cast.worker, START)
    assert AuditEntry.objects.get(action="onboarding.guide_designated").after["guide"] == peter.pk


def test_a_newcomer_cannot_be_his_own_peter(cast: Cast) -> None:
    templates(cast)
    onboarding = start(cast)
    with pytest.raises(ValidationError) as caught:
        designate(cast, onboarding, cast.worker)  # type: ignore[arg-type]
    assert caught.value.message_dict == {"guide": [message("own_guide")]}
    assert not Guidance.objects.exists()


def test_a_guide_who_left_is_refused(cast: Cast) -> None:
    templates(cast)
    onboarding = start(cast)
    gone = colleague(cast, exit_date=timezone.localdate() - datetime.timedelta(days=1))
    with pytest.raises(ValidationError) as caught:
        designate(cast, onboarding, gone)
    assert caught.value.message_dict == {"guide": [message("guide_left", name=gone)]}


def test_a_second_peter_is_refused_but_a_backup_is_welcome(cast: Cast) -> None:
    templates(cast)
    onboarding = start(cast)
    first, second = colleague(cast), colleague(cast)
    designate(cast, onboarding, first)
    with pytest.raises(ValidationError) as caught:
        designate(cast, onboarding, second)
    assert caught.value.message_dict == {
        "is_backup": [message("primary_exists", learner=cast.worker, guide=first)]
    }
    backup = designate(cast, onboarding, second, is_backup=True)
    assert backup.is_backup


def test_a_backup_needs_a_peter_first(cast: Cast) -> None:
    templates(cast)
    onboarding = start(cast)
    with pytest.raises(ValidationError) as caught:
        designate(cast, onboarding, colleague(cast), is_backup=True)
    assert caught.value.message_dict == {"is_backup": [message("backup_without_primary")]}


def test_a_peter_beyond_his_maximum_is_refused(cast: Cast, settings: object) -> None:
    settings.LEERPLEK = {**settings.LEERPLEK, "MAX_MENTEES_DEFAULT": 1}  # type: ignore[attr-defined]
    templates(cast)
    peter = colleague(cast)
    designate(cast, start(cast), peter)
    other = start(cast, employee=EmployeeFactory(organisation=cast.organisation, job=cast.job))
    with pytest.raises(ValidationError) as caught:
        designate(cast, other, peter)
    assert caught.value.message_dict == {"guide": [message("guide_full", name=peter, count=1)]}


# --- Tasks ---------------------------------------------------------------------------------------


def test_a_work_floor_task_waits_for_a_peter(cast: Cast) -> None:
    templates(cast)
    onboarding = start(cast)
    floor = onboarding.tasks.get(title="Safety instructions on the floor")
    with pytest.raises(ValidationError) as caught:
        services.task_mark_done(task=floor, by=cast.user(Role.MANAGER))
    assert caught.value.message_dict == {"done_on": [message("no_guide")]}
    assert "I.2-11" in message("no_guide")
    floor.refresh_from_db()
    assert floor.done_on is None
    designate(cast, onboarding, colleague(cast))
    services.task_mark_done(task=floor, by=cast.user(Role.MANAGER))
    floor.refresh_from_db()
    assert floor.done_on == timezone.localdate()
    assert floor.done_by == cast.user(Role.MANAGER)


def test_a_task_is_done_once(cast: Cast) -> None:
    templates(cast)
    task = start(cast).tasks.get(title="Welcome talk and tour")
    services.task_mark_done(task=task, by=None)
    with pytest.raises(ValidationError) as caught:
        services.task_mark_done(task=task, by=None)
    assert caught.value.message_dict == {
        "done_on": [message("already_done", date=timezone.localdate())]
    }
    assert AuditEntry.objects.filter(action="onboarding.task_done").count() == 1


def test_tasks_of_a_closed_onboarding_do_not_change(cast: Cast) -> None:
    templates(cast)
    onboarding = start(cast)
    Onboarding.objects.filter(pk=onboarding.pk).update(status="cancelled")
    task = OnboardingTask.objects.filter(onboarding=onboarding).first()
    with pytest.raises(ValidationError) as caught:
        services.task_mark_done(task=task, by=None)  # type: ignore[arg-type]
    assert caught.value.message_dict == {"done_on": [message("onboarding_closed")]}


def test_an_approval_cannot_be_dated_in_the_future(cast: Cast) -> None:
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    with pytest.raises(ValidationError) as caught:
        services.approval_record(
            organisation=cast.organisation, by=None, body="works_council", meeting_date=tomorrow
        )
    assert caught.value.message_dict == {
        "meeting_date": [message("future_date", today=timezone.localdate())]
    }
