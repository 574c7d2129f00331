"""Rules of progress reviews: the schedule, holding a review with its new planning, correcting,
moving and rescheduling; what they write and what they refuse."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from django.utils.formats import date_format

from leerplek.competences.models import WorkRelease
from leerplek.core.models import AuditEntry
from leerplek.core.roles import Role
from leerplek.onboarding import selectors_reviews, services_reviews
from leerplek.onboarding.models import (
    Onboarding,
    OnboardingStatus,
    OnboardingTask,
    ProgressReview,
)
from leerplek.onboarding.services_reviews import ERRORS
from tests.factories import Cast
from tests.onboarding.factories import START, start, templates
from tests.onboarding.factories_reviews import (
    TODAY,
    actor,
    days_ago,
    hold,
    newcomer_in_packaging,
    review,
    running,
)

pytestmark = pytest.mark.django_db


def message(code: str, **params: object) -> str:
    return str(ERRORS[code]) % params if params else str(ERRORS[code])


def short(day: datetime.date) -> str:
    return date_format(day, "SHORT_DATE_FORMAT")


def planned(onboarding: Onboarding) -> list[datetime.date]:
    return list(onboarding.reviews.order_by("number").values_list("planned_on", flat=True))


# --- The schedule --------------------------------------------------------------------------------


def test_starting_an_onboarding_plans_a_review_every_30_days_until_the_end(cast: Cast) -> None:
    templates(cast)
    onboarding = start(cast)
    assert onboarding.review_interval_days == 30
    assert planned(onboarding) == [
        START + datetime.timedelta(days=days) for days in (30, 60, 90, 120, 150, 180)
    ]
    assert list(onboarding.reviews.values_list("number", flat=True)) == [1, 2, 3, 4, 5, 6]
    assert AuditEntry.objects.get(action="onboarding.started").after["reviews"] == 6


def test_the_function_sets_the_interval(cast: Cast) -> None:
    cast.job.review_interval_days = 45
    cast.job.save()
    templates(cast)
    onboarding = start(cast)
    assert onboarding.review_interval_days == 45
    assert planned(onboarding)[:2] == [
        START + datetime.timedelta(days=45),
        START + datetime.timedelta(days=90),
    ]


def test_an_onboarding_shorter_than_the_interval_gets_one_review_at_its_end(cast: Cast) -> None:
    cast.job.review_interval_days = 60
    cast.job.save()
    company, operator = templates(cast)
    for template in (company, operator):
        template.duration_months = 1
        template.save()
    onboarding = start(cast)
    assert planned(onboarding) == [onboarding.end_date]


def test_onboardings_without_reviews_get_their_schedule_once(cast: Cast) -> None:
    templates(cast)
    onboarding = start(cast)
    onboarding.reviews.all().delete()
    assert services_reviews.reviews_schedule_missing() == 1
    assert len(planned(onboarding)) == 6
    assert services_reviews.reviews_schedule_missing() == 0
    assert onboarding.reviews.count() == 6


# --- Holding a review ----------------------------------------------------------------------------


def test_holding_a_review_keeps_the_talk_its_participants_and_the_new_planning(
    cast: Cast,
) -> None:
    onboarding = running(cast, days=35)
    task = onboarding.tasks.get(title="Agree the training plan")
    first = review(onboarding, 1)
    held_on = days_ago(4)
    new_due = TODAY + datetime.timedelta(days=10)
    hold(
        cast,
        first,
        held_on=held_on,
        practised="- Safety round",
        notes="Werkt vlot mee; vraagt veel.",
        next_steps="De opleidingsafspraken maken.",
        plan={task.pk: new_due},
    )
    first.refresh_from_db()
    assert first.held_on == held_on
    assert first.notes == "Werkt vlot mee; vraagt veel."
    assert first.practised == "- Safety round"
    assert first.next_steps == (
        "De opleidingsafspraken maken.\n\n"
        f"New planning:\n- Agree the training plan: {short(new_due)}"
    )
    assert first.mentor is not None
    assert first.mentor.first_name == "Marleen"
    assert first.manager == cast.employees[Role.MANAGER]  # the organiser: no manager or leader
    assert first.recorded_by == cast.user(Role.MANAGER)
    assert first.recorded_at is not None
    task.refresh_from_db()
    assert task.due_on == new_due
    entry = AuditEntry.objects.get(action="onboarding.review_held")
    old_due = onboarding.start_date + datetime.timedelta(days=20)
    assert entry.after["replanned"] == {str(task.pk): [old_due.isoformat(), new_due.isoformat()]}
    assert AuditEntry.objects.filter(action="onboarding.task_replanned").count() == 1


def test_the_unit_leader_takes_part_as_line_manager_when_the_newcomer_has_no_manager(
    cast: Cast,
) -> None:
    leader = cast.employees[Role.COACH]
    cast.packaging.leader = leader
    cast.packaging.save()
    onboarding = running(cast, days=35)
    hold(cast, review(onboarding, 1))
    assert review(onboarding, 1).manager == leader


def test_a_review_dated_before_the_start_is_refused_naming_the_start(cast: Cast) -> None:
    onboarding = running(cast, days=35)
    first = review(onboarding, 1)
    with pytest.raises(ValidationError) as caught:
        hold(cast, first, held_on=onboarding.start_date - datetime.timedelta(days=1))
    assert caught.value.message_dict == {
        "held_on": [message("before_start", date=short(onboarding.start_date))]
    }
    first.refresh_from_db()
    assert first.held_on is None
    assert not AuditEntry.objects.filter(action="onboarding.review_held").exists()


def test_a_review_cannot_be_held_in_the_future(cast: Cast) -> None:
    onboarding = running(cast, days=35)
    with pytest.raises(ValidationError) as caught:
        hold(cast, review(onboarding, 1), held_on=TODAY + datetime.timedelta(days=1))
    assert caught.value.message_dict == {"held_on": [message("future_date", today=short(TODAY))]}


def test_reviews_are_held_in_order(cast: Cast) -> None:
    onboarding = running(cast, days=100)
    with pytest.raises(ValidationError) as caught:
        hold(cast, review(onboarding, 2))
    first = review(onboarding, 1)
    assert caught.value.message_dict == {
        "held_on": [message("earlier_open", number=1, date=short(first.planned_on))]
    }


def test_a_review_is_not_held_before_the_previous_one(cast: Cast) -> None:
    onboarding = running(cast, days=100)
    hold(cast, review(onboarding, 1), held_on=days_ago(50))
    with pytest.raises(ValidationError) as caught:
        hold(cast, review(onboarding, 2), held_on=days_ago(51))
    assert caught.value.message_dict == {
        "held_on": [message("before_previous", number=1, date=short(days_ago(50)))]
    }


def test_a_review_is_held_once(cast: Cast) -> None:
    onboarding = running(cast, days=35)
    first = hold(cast, review(onboarding, 1))
    with pytest.raises(ValidationError) as caught:
        hold(cast, first)
    assert caught.value.message_dict == {
        "held_on": [message("already_held", date=short(first.planned_on))]
    }


def test_a_review_without_notes_is_refused_and_nothing_is_written(cast: Cast) -> None:
    onboarding = running(cast, days=35)
    task = onboarding.tasks.get(title="Agree the training plan")
    due = task.due_on
    with pytest.raises(ValidationError) as caught:
        hold(cast, review(onboarding, 1), notes="  ", plan={task.pk: TODAY})
    assert caught.value.message_dict == {"notes": [message("notes_required")]}
    task.refresh_from_db()
    assert task.due_on == due
    assert review(onboarding, 1).held_on is None


def test_the_new_planning_takes_only_open_tasks_of_this_onboarding(cast: Cast) -> None:
    onboarding = running(cast, days=35)
    other = start(cast, employee=newcomer_in_packaging(cast), start_date=days_ago(35))
    foreign = other.tasks.first()
    assert foreign is not None
    with pytest.raises(ValidationError) as caught:
        hold(cast, review(onboarding, 1), plan={foreign.pk: TODAY})
    assert caught.value.message_dict == {"plan": [message("plan_other_task")]}


def test_a_done_task_cannot_be_planned_again(cast: Cast) -> None:
    from leerplek.onboarding import services

    onboarding = running(cast, days=35)
    task = onboarding.tasks.get(title="Welcome talk and tour")
    services.task_mark_done(task=task, by=actor(cast, Role.HR), done_on=days_ago(34))
    with pytest.raises(ValidationError) as caught:
        hold(cast, review(onboarding, 1), plan={task.pk: TODAY})
    assert caught.value.message_dict == {
        "plan": [message("plan_task_done", title=task.title, date=short(days_ago(34)))]
    }


def test_a_new_due_date_is_not_before_the_review(cast: Cast) -> None:
    onboarding = running(cast, days=35)
    task = onboarding.tasks.get(title="Agree the training plan")
    with pytest.raises(ValidationError) as caught:
        hold(cast, review(onboarding, 1), held_on=days_ago(2), plan={task.pk: days_ago(3)})
    assert caught.value.message_dict == {
        "plan": [message("plan_before_review", title=task.title, date=short(days_ago(2)))]
    }
    task.refresh_from_db()
    assert task.due_on == onboarding.start_date + datetime.timedelta(days=20)


def test_a_closed_onboarding_takes_no_review(cast: Cast) -> None:
    onboarding = running(cast, days=35)
    Onboarding.objects.filter(pk=onboarding.pk).update(status=OnboardingStatus.COMPLETED)
    with pytest.raises(ValidationError) as caught:
        hold(cast, review(onboarding, 1))
    assert caught.value.message_dict == {
        "held_on": [message("onboarding_closed", status="completed")]
    }


def test_the_peter_may_record_his_mentees_review(cast: Cast) -> None:
    from tests.onboarding.factories import designate

    onboarding = running(cast, days=35, with_guide=False)
    designate(cast, onboarding, cast.employees[Role.MENTOR])
    hold(cast, review(onboarding, 1), role=Role.MENTOR)
    assert review(onboarding, 1).recorded_by == cast.user(Role.MENTOR)


@pytest.mark.parametrize("role", [Role.EMPLOYEE, Role.PREVENTION_ADVISER, Role.MENTOR])
def test_who_neither_leads_nor_guides_the_newcomer_may_not_record(cast: Cast, role: Role) -> None:
    onboarding = running(cast, days=35)
    with pytest.raises(PermissionDenied):
        hold(cast, review(onboarding, 1), role=role)


def test_a_manager_outside_the_newcomers_unit_may_not_record(cast: Cast) -> None:
    from tests.factories import EmployeeFactory

    office_worker = EmployeeFactory(organisation=cast.organisation, unit=cast.office, job=cast.job)
    onboarding = running(cast, days=35, employee=office_worker)
    with pytest.raises(PermissionDenied):
        hold(cast, review(onboarding, 1))


# --- Correcting ----------------------------------------------------------------------------------


def test_the_recorder_corrects_his_review_on_the_same_day(cast: Cast) -> None:
    onboarding = running(cast, days=35)
    first = hold(cast, review(onboarding, 1), notes="Eerst")
    services_reviews.review_correct(
        review=first,
        by=actor(cast, Role.MANAGER),
        held_on=first.planned_on,
        notes="Verbeterd",
    )
    first.refresh_from_db()
    assert first.notes == "Verbeterd"
    entry = AuditEntry.objects.get(action="onboarding.review_corrected")
    assert entry.before == {"notes": "Eerst"}


def test_someone_else_may_not_correct_a_review(cast: Cast) -> None:
    onboarding = running(cast, days=35)
    first = hold(cast, review(onboarding, 1))
    with pytest.raises(ValidationError) as caught:
        services_reviews.review_correct(
            review=first, by=actor(cast, Role.HR), held_on=first.planned_on, notes="Anders"
        )
    assert caught.value.message_dict == {
        "held_on": [message("not_recorder", name=cast.user(Role.MANAGER))]
    }


def test_a_review_recorded_yesterday_cannot_be_corrected(cast: Cast) -> None:
    onboarding = running(cast, days=35)
    first = hold(cast, review(onboarding, 1))
    yesterday = timezone.now() - datetime.timedelta(days=1)
    ProgressReview.objects.filter(pk=first.pk).update(recorded_at=yesterday)
    first.refresh_from_db()
    with pytest.raises(ValidationError) as caught:
        services_reviews.review_correct(
            review=first, by=actor(cast, Role.MANAGER), held_on=first.planned_on, notes="Later"
        )
    assert caught.value.message_dict == {
        "held_on": [message("correct_too_late", date=short(timezone.localdate(yesterday)))]
    }


# --- Moving and rescheduling ---------------------------------------------------------------------


def test_moving_a_review_plans_a_new_reminder(cast: Cast) -> None:
    onboarding = running(cast, days=35)
    second = review(onboarding, 2)
    ProgressReview.objects.filter(pk=second.pk).update(reminded_on=TODAY)
    new_day = second.planned_on + datetime.timedelta(days=5)
    services_reviews.review_move(review=second, planned_on=new_day, by=actor(cast, Role.MANAGER))
    second.refresh_from_db()
    assert (second.planned_on, second.reminded_on) == (new_day, None)
    assert AuditEntry.objects.get(action="onboarding.review_moved").before == {
        "planned_on": (new_day - datetime.timedelta(days=5)).isoformat()
    }


def test_a_review_keeps_its_place_between_the_previous_and_the_next(cast: Cast) -> None:
    onboarding = running(cast, days=35)
    second, third = review(onboarding, 2), review(onboarding, 3)
    with pytest.raises(ValidationError) as caught:
        services_reviews.review_move(
            review=second, planned_on=third.planned_on, by=actor(cast, Role.MANAGER)
        )
    assert caught.value.message_dict == {
        "planned_on": [message("move_after_next", number=3, date=short(third.planned_on))]
    }
    first = review(onboarding, 1)
    with pytest.raises(ValidationError) as caught:
        services_reviews.review_move(
            review=second, planned_on=first.planned_on, by=actor(cast, Role.MANAGER)
        )
    assert caught.value.message_dict == {
        "planned_on": [message("move_before_previous", number=1, date=short(first.planned_on))]
    }


def test_a_held_review_does_not_move(cast: Cast) -> None:
    onboarding = running(cast, days=35)
    first = hold(cast, review(onboarding, 1))
    with pytest.raises(ValidationError) as caught:
        services_reviews.review_move(review=first, planned_on=TODAY, by=actor(cast, Role.MANAGER))
    assert caught.value.message_dict == {
        "planned_on": [message("already_held", date=short(first.held_on))]  # type: ignore[arg-type]
    }


def test_rescheduling_replans_open_reviews_from_the_last_held_one(cast: Cast) -> None:
    onboarding = running(cast, days=100)
    first = hold(cast, review(onboarding, 1), held_on=days_ago(68))
    second = review(onboarding, 2)
    ProgressReview.objects.filter(pk=second.pk).update(reminded_on=TODAY)
    services_reviews.reviews_reschedule(
        onboarding=onboarding, interval_days=14, by=actor(cast, Role.MANAGER)
    )
    first_after = review(onboarding, 1)
    assert (first_after.held_on, first_after.notes) == (first.held_on, first.notes)
    expected = []
    day = days_ago(68) + datetime.timedelta(days=14)
    while day <= onboarding.end_date:
        expected.append(day)
        day += datetime.timedelta(days=14)
    assert planned(onboarding) == [first.planned_on, *expected]
    second.refresh_from_db()  # the same row, so a link in a reminder still works
    assert (second.number, second.planned_on, second.reminded_on) == (2, expected[0], None)
    onboarding.refresh_from_db()
    assert onboarding.review_interval_days == 14


def test_a_longer_interval_removes_open_reviews_beyond_the_end(cast: Cast) -> None:
    onboarding = running(cast, days=10)
    services_reviews.reviews_reschedule(
        onboarding=onboarding, interval_days=90, by=actor(cast, Role.HR)
    )
    start_date = onboarding.start_date
    assert planned(onboarding) == [start_date + datetime.timedelta(days=d) for d in (90, 180)]
    assert list(onboarding.reviews.values_list("number", flat=True)) == [1, 2]


@pytest.mark.parametrize("days", [0, 6, 366])
def test_the_interval_stays_between_a_week_and_a_year(cast: Cast, days: int) -> None:
    onboarding = running(cast, days=10)
    with pytest.raises(ValidationError) as caught:
        services_reviews.reviews_reschedule(
            onboarding=onboarding, interval_days=days, by=actor(cast, Role.HR)
        )
    assert caught.value.message_dict == {
        "interval_days": [message("interval_range", min=7, max=365)]
    }
    assert onboarding.reviews.count() == 6


# --- What a review is pre-filled with ------------------------------------------------------------


def test_the_review_is_prefilled_with_what_happened_since_the_previous_one(cast: Cast) -> None:
    from leerplek.onboarding import services
    from tests.factories import WorkstationFactory

    onboarding = running(cast, days=100)
    hr = actor(cast, Role.HR)
    tasks = {task.title: task for task in onboarding.tasks.all()}
    services.task_mark_done(task=tasks["Welcome talk and tour"], by=hr, done_on=days_ago(100))
    hold(cast, review(onboarding, 1), held_on=days_ago(70))
    services.task_mark_done(task=tasks["Run the line with your peter"], by=hr, done_on=days_ago(60))
    station = WorkstationFactory(organisation=cast.organisation, unit=cast.packaging, name="Lijn 3")
    WorkRelease.objects.create(
        organisation=cast.organisation,
        employee=onboarding.employee,
        workstation=station,
        released_on=days_ago(20),
    )
    second = ProgressReview.objects.select_related(
        "onboarding__employee__unit__leader",
        "onboarding__employee__manager",
        "onboarding__organiser",
    ).get(pk=review(onboarding, 2).pk)
    page = selectors_reviews.review_page(review=second)
    text = page.initial()
    assert text["practised"] == f"- Run the line with your peter ({short(days_ago(60))})"
    assert text["independent"] == (
        f"- Run the line with your peter ({short(days_ago(60))})\n"
        f"- Released to work alone at Lijn 3 ({short(days_ago(20))})"
    )
    assert text["open_tasks"].splitlines()[0] == "Late:"
    assert f"- Safety instructions on the floor ({short(days_ago(99))})" in text["open_tasks"]
    assert page.state == selectors_reviews.OVERDUE
    assert page.mentor is not None
    assert page.mentor.first_name == "Marleen"
    assert [task.title for task in page.open_tasks] == [
        "Safety instructions on the floor",
        "Agree the training plan",
    ]


def test_open_tasks_due_before_the_next_review_are_next(cast: Cast) -> None:
    onboarding = running(cast, days=5)
    first = ProgressReview.objects.select_related(
        "onboarding__employee__unit__leader",
        "onboarding__employee__manager",
        "onboarding__organiser",
    ).get(pk=review(onboarding, 1).pk)
    page = selectors_reviews.review_page(review=first)
    assert [task.title for task in page.upcoming] == [
        "Run the line with your peter",
        "Agree the training plan",
    ]
    assert [task.title for task in page.overdue] == [
        "Welcome talk and tour",
        "Safety instructions on the floor",
    ]
    assert OnboardingTask.objects.filter(onboarding=onboarding).count() == 4
