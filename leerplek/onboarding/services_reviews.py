"""Writes on progress reviews (ONB-06): the schedule, holding a review with its new planning,
correcting it, and the reminder mails.

"Elke maand is er een gesprek met de peter en de leidinggevende" (brochure, S-02): a review of
peter/meter, line manager and newcomer every `review_interval_days` (from the function, default
30) until the planned end. Held reviews are a record: rescheduling never touches them, and only
their recorder may correct one, on the day he recorded it.

Every function checks the permission of `by` (except the internal schedule of a new onboarding,
which runs inside `onboarding_start`), validates before it writes, writes inside one transaction
and appends to the audit log. Reminder mails leave after the commit.
"""

from __future__ import annotations

import datetime
import logging
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.core import mail
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import F, Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from leerplek.core import audit
from leerplek.core.errors import field_error
from leerplek.onboarding.models import (
    Guidance,
    GuidanceKind,
    Onboarding,
    OnboardingStatus,
    OnboardingTask,
    ProgressReview,
)
from leerplek.people.models import Employee, Job, User

logger = logging.getLogger(__name__)

# The model's own bounds: at least a week between reviews; a function without a value gets 30.
MIN_INTERVAL_DAYS = 7
MAX_INTERVAL_DAYS = 365
DEFAULT_INTERVAL_DAYS = 30

REVIEW_TEXT_FIELDS = ["practised", "independent", "open_tasks", "notes", "next_steps"]

ERRORS = {
    "onboarding_closed": _(
        "This onboarding is no longer active (%(status)s); its reviews cannot change."
    ),
    "interval_range": _("Enter a number of days between %(min)s and %(max)s, e.g. 30 for monthly."),
    "already_held": _("This review was already held on %(date)s; open it to read or correct it."),
    "not_held": _("This review has not been held yet; record it first."),
    "earlier_open": _(
        "Record review %(number)s (planned on %(date)s) first: reviews are held in order, so "
        "the next one starts from what the previous one agreed."
    ),
    "before_start": _(
        "The review cannot be held before the onboarding started on %(date)s; enter %(date)s or "
        "a later day."
    ),
    "future_date": _("The date cannot be in the future; today is %(today)s."),
    "before_previous": _(
        "Review %(number)s was held on %(date)s; this one cannot be held earlier."
    ),
    "after_next": _("Review %(number)s was held on %(date)s; this one cannot be held later."),
    "notes_required": _(
        "Write in a few words what you discussed; the next review starts from these notes."
    ),
    "move_before_start": _("Plan the review on or after the start of the onboarding (%(date)s)."),
    "move_before_previous": _(
        "Plan it after review %(number)s (%(date)s): reviews keep their order."
    ),
    "move_after_next": _(
        "Plan it before review %(number)s (%(date)s), or move that one first: reviews keep "
        "their order. To change every date, change the interval."
    ),
    "move_unchanged": _("The review is already planned on %(date)s; choose another day."),
    "plan_other_task": _("Choose tasks of this onboarding for the new planning."),
    "plan_task_done": _("%(title)s was done on %(date)s; plan only open tasks."),
    "plan_before_review": _("Give %(title)s a due date on or after the review day (%(date)s)."),
    "not_recorder": _(
        "Only %(name)s, who recorded this review, may correct it; ask him or her, or add the "
        "correction to the next review."
    ),
    "correct_too_late": _(
        "A review can be corrected only on the day it was recorded (%(date)s); add what "
        "changed to the next review."
    ),
}


def _check(by: User | None, perm: str, obj: Any) -> None:
    if by is None or not by.has_perm(perm, obj):
        raise PermissionDenied


def _short(day: datetime.date) -> str:
    return date_format(day, "SHORT_DATE_FORMAT")


def interval_for(job: Job | None) -> int:
    """The review interval a new onboarding gets from its function (default 30 days)."""
    days = job.review_interval_days if job is not None else DEFAULT_INTERVAL_DAYS
    return min(max(days or DEFAULT_INTERVAL_DAYS, MIN_INTERVAL_DAYS), MAX_INTERVAL_DAYS)


def review_dates(
    *, after: datetime.date, end: datetime.date, interval: int, at_least_one: bool
) -> list[datetime.date]:
    """Every `interval` days after `after` up to `end`. An onboarding shorter than one interval
    still gets one review, on its planned end, when `at_least_one`."""
    dates = []
    day = after + datetime.timedelta(days=interval)
    while day <= end:
        dates.append(day)
        day += datetime.timedelta(days=interval)
    if not dates and at_least_one and end > after:
        dates.append(end)
    return dates


def line_manager(onboarding: Onboarding) -> Employee:
    """The newcomer's line manager for the review: his manager, else his unit's leader, else
    the organiser of his welcome. Callers load employee__manager, employee__unit__leader and
    organiser."""
    employee = onboarding.employee
    if employee.manager is not None and employee.manager_id != employee.pk:
        return employee.manager
    unit = employee.unit
    if unit is not None and unit.leader is not None and unit.leader_id != employee.pk:
        return unit.leader
    return onboarding.organiser


def _primary_guide(onboarding: Onboarding, on: datetime.date) -> Employee | None:
    guidance = (
        Guidance.objects.current(on)
        .filter(
            learner_id=onboarding.employee_id,
            kind=GuidanceKind.MENTOR,
            is_backup=False,
            starts_on__lte=on,
        )
        .select_related("guide")
        .order_by("starts_on", "id")
        .first()
    )
    return guidance.guide if guidance is not None else None


def _lock(onboarding: Onboarding) -> Onboarding:
    return (
        Onboarding.objects.select_for_update(of=("self",))
        .select_related(
            "organisation",
            "employee",
            "employee__unit",
            "employee__unit__leader",
            "employee__manager",
            "organiser",
        )
        .get(pk=onboarding.pk)
    )


def _refuse_closed(onboarding: Onboarding, field_name: str) -> None:
    if onboarding.status != OnboardingStatus.ACTIVE:
        raise field_error(
            field_name,
            ERRORS["onboarding_closed"],
            code="onboarding_closed",
            params={"status": onboarding.get_status_display().lower()},
        )


# --- The schedule --------------------------------------------------------------------------------


def reviews_schedule_initial(*, onboarding: Onboarding) -> list[ProgressReview]:
    """Plan the reviews of a new onboarding: every `review_interval_days` from the start up to
    the planned end. Runs inside `onboarding_start` (whose audit entry counts them) and for
    onboardings started before reviews existed (`reviews_schedule_missing`)."""
    dates = review_dates(
        after=onboarding.start_date,
        end=onboarding.end_date,
        interval=onboarding.review_interval_days,
        at_least_one=True,
    )
    return ProgressReview.objects.bulk_create(
        ProgressReview(onboarding=onboarding, number=number, planned_on=day)
        for number, day in enumerate(dates, start=1)
    )


@transaction.atomic
def reviews_schedule_missing(*, by: User | None = None) -> int:
    """Give every active onboarding without any review its schedule (onboardings started
    before reviews existed). Returns how many onboardings got one; running it again does
    nothing."""
    without = list(
        Onboarding.objects.select_for_update(of=("self",))
        .filter(status=OnboardingStatus.ACTIVE, reviews__isnull=True)
        .select_related("job")
    )
    for onboarding in without:
        reviews = reviews_schedule_initial(onboarding=onboarding)
        audit.record(
            actor=by,
            action="onboarding.reviews_scheduled",
            obj=onboarding,
            after={
                "interval_days": onboarding.review_interval_days,
                "planned_on": [review.planned_on for review in reviews],
            },
        )
    return len(without)


@transaction.atomic
def reviews_reschedule(
    *, onboarding: Onboarding, interval_days: int, by: User | None
) -> list[ProgressReview]:
    """Change the interval and replan the reviews not held yet: every `interval_days` after the
    last held review (or the start) up to the planned end.

    Held reviews never change. Open reviews keep their rows and numbers in order (a link in a
    reminder keeps working); one whose date changes gets a new reminder; surplus ones go.
    Rules: the onboarding is active; 7 to 365 days. Raises ValidationError on "interval_days".
    """
    _check(by, "onboarding.record_review", onboarding)
    onboarding = _lock(onboarding)
    _refuse_closed(onboarding, "interval_days")
    if not MIN_INTERVAL_DAYS <= interval_days <= MAX_INTERVAL_DAYS:
        raise field_error(
            "interval_days",
            ERRORS["interval_range"],
            code="interval_range",
            params={"min": MIN_INTERVAL_DAYS, "max": MAX_INTERVAL_DAYS},
        )
    reviews = list(onboarding.reviews.select_for_update().order_by("number"))
    held = [review for review in reviews if review.held_on is not None]
    open_reviews = [review for review in reviews if review.held_on is None]
    anchor = max(
        (review.held_on for review in held if review.held_on is not None),
        default=onboarding.start_date,
    )
    dates = review_dates(
        after=anchor, end=onboarding.end_date, interval=interval_days, at_least_one=not held
    )
    before = {
        "interval_days": onboarding.review_interval_days,
        "planned_on": [review.planned_on for review in open_reviews],
    }
    first_number = max((review.number for review in held), default=0) + 1
    changed, created = [], []
    for index, day in enumerate(dates):
        number = first_number + index
        if index < len(open_reviews):
            review = open_reviews[index]
            if review.planned_on != day or review.number != number:
                if review.planned_on != day:
                    review.reminded_on = None
                review.planned_on, review.number = day, number
                changed.append(review)
        else:
            created.append(ProgressReview(onboarding=onboarding, number=number, planned_on=day))
    surplus = open_reviews[len(dates) :]
    ProgressReview.objects.filter(pk__in=[review.pk for review in surplus]).delete()
    # Numbers are unique per onboarding: park the changed rows out of the way first.
    if changed:
        ProgressReview.objects.filter(pk__in=[review.pk for review in changed]).update(
            number=F("number") + 10_000
        )
        ProgressReview.objects.bulk_update(changed, ["planned_on", "number", "reminded_on"])
    ProgressReview.objects.bulk_create(created)
    onboarding.review_interval_days = interval_days
    onboarding.save(update_fields=["review_interval_days"])
    audit.record(
        actor=by,
        action="onboarding.reviews_rescheduled",
        obj=onboarding,
        before=before,
        after={"interval_days": interval_days, "planned_on": dates},
    )
    return held + open_reviews[: len(dates)] + created


def _neighbours(review: ProgressReview) -> tuple[ProgressReview | None, ProgressReview | None]:
    """The reviews just before and after `review` in its onboarding (one query)."""
    others = list(
        ProgressReview.objects.filter(
            onboarding_id=review.onboarding_id, number__in=[review.number - 1, review.number + 1]
        )
    )
    previous = next((r for r in others if r.number == review.number - 1), None)
    following = next((r for r in others if r.number == review.number + 1), None)
    return previous, following


def _day_of(review: ProgressReview) -> datetime.date:
    return review.held_on or review.planned_on


@transaction.atomic
def review_move(
    *, review: ProgressReview, planned_on: datetime.date, by: User | None
) -> ProgressReview:
    """Move one review that is not held yet to another day (the peter is on leave, the line
    stops for maintenance). It gets a new reminder.

    Rules: the onboarding is active; the review is not held; not before the start; after the
    previous review and before the next one. Raises ValidationError on "planned_on".
    """
    _check(by, "onboarding.record_review", review.onboarding)
    onboarding = _lock(review.onboarding)
    review = ProgressReview.objects.select_for_update().get(pk=review.pk)
    _refuse_closed(onboarding, "planned_on")
    if review.held_on is not None:
        raise field_error(
            "planned_on",
            ERRORS["already_held"],
            code="already_held",
            params={"date": _short(review.held_on)},
        )
    if planned_on == review.planned_on:
        raise field_error(
            "planned_on",
            ERRORS["move_unchanged"],
            code="move_unchanged",
            params={"date": _short(planned_on)},
        )
    if planned_on < onboarding.start_date:
        raise field_error(
            "planned_on",
            ERRORS["move_before_start"],
            code="move_before_start",
            params={"date": _short(onboarding.start_date)},
        )
    previous, following = _neighbours(review)
    if previous is not None and planned_on <= _day_of(previous):
        raise field_error(
            "planned_on",
            ERRORS["move_before_previous"],
            code="move_before_previous",
            params={"number": previous.number, "date": _short(_day_of(previous))},
        )
    if following is not None and planned_on >= _day_of(following):
        raise field_error(
            "planned_on",
            ERRORS["move_after_next"],
            code="move_after_next",
            params={"number": following.number, "date": _short(_day_of(following))},
        )
    before = {"planned_on": review.planned_on}
    review.planned_on = planned_on
    review.reminded_on = None
    review.save(update_fields=["planned_on", "reminded_on"])
    audit.record(
        actor=by,
        action="onboarding.review_moved",
        obj=review,
        organisation=onboarding.organisation,
        before=before,
        after={"onboarding": onboarding.pk, "number": review.number, "planned_on": planned_on},
    )
    return review


# --- Holding a review ----------------------------------------------------------------------------


def _check_held_on(review: ProgressReview, onboarding: Onboarding, held_on: datetime.date) -> None:
    today = timezone.localdate()
    if held_on < onboarding.start_date:
        raise field_error(
            "held_on",
            ERRORS["before_start"],
            code="before_start",
            params={"date": _short(onboarding.start_date)},
        )
    if held_on > today:
        raise field_error(
            "held_on", ERRORS["future_date"], code="future_date", params={"today": _short(today)}
        )
    previous, following = _neighbours(review)
    if previous is not None and previous.held_on is not None and held_on < previous.held_on:
        raise field_error(
            "held_on",
            ERRORS["before_previous"],
            code="before_previous",
            params={"number": previous.number, "date": _short(previous.held_on)},
        )
    if following is not None and following.held_on is not None and held_on > following.held_on:
        raise field_error(
            "held_on",
            ERRORS["after_next"],
            code="after_next",
            params={"number": following.number, "date": _short(following.held_on)},
        )


def _check_plan(
    onboarding: Onboarding, held_on: datetime.date, plan: Mapping[int, datetime.date]
) -> list[tuple[OnboardingTask, datetime.date]]:
    tasks = {
        task.pk: task
        for task in OnboardingTask.objects.select_for_update().filter(
            onboarding=onboarding, pk__in=list(plan)
        )
    }
    planned = []
    for task_id, due_on in plan.items():
        task = tasks.get(task_id)
        if task is None:
            raise field_error("plan", ERRORS["plan_other_task"], code="plan_other_task")
        if task.done_on is not None:
            raise field_error(
                "plan",
                ERRORS["plan_task_done"],
                code="plan_task_done",
                params={"title": task.title, "date": _short(task.done_on)},
            )
        if due_on < held_on:
            raise field_error(
                "plan",
                ERRORS["plan_before_review"],
                code="plan_before_review",
                params={"title": task.title, "date": _short(held_on)},
            )
        planned.append((task, due_on))
    return sorted(planned, key=lambda pair: (pair[1], pair[0].title))


def _with_plan(next_steps: str, planned: list[tuple[OnboardingTask, datetime.date]]) -> str:
    """What to learn next, followed by the new planning, kept with the review as it was agreed."""
    if not planned:
        return next_steps.strip()
    lines = [gettext("New planning:")] + [
        f"- {task.title}: {_short(due_on)}" for task, due_on in planned
    ]
    return "\n\n".join(part for part in (next_steps.strip(), "\n".join(lines)) if part)


@transaction.atomic
def review_record(
    *,
    review: ProgressReview,
    by: User | None,
    held_on: datetime.date,
    notes: str,
    practised: str = "",
    independent: str = "",
    open_tasks: str = "",
    next_steps: str = "",
    plan: Mapping[int, datetime.date] | None = None,
) -> ProgressReview:
    """Record that `review` was held: what was practised, what the newcomer does on his own,
    the open tasks (a snapshot, so later changes to the plan do not alter it), the notes, what
    to learn next and the new planning: `plan` gives open tasks of this onboarding a new due
    date. The peter/meter on that day and the line manager are kept as participants.

    Rules: the onboarding is active; the review is not held yet and every earlier one is;
    held not before the start of the onboarding, not in the future, not before the previous
    review; notes are written; planned tasks belong to this onboarding, are open and due on or
    after the review day. Raises ValidationError on "held_on", "notes" or "plan".
    """
    _check(by, "onboarding.record_review", review.onboarding)
    onboarding = _lock(review.onboarding)
    review = ProgressReview.objects.select_for_update().get(pk=review.pk)
    _refuse_closed(onboarding, "held_on")
    if review.held_on is not None:
        raise field_error(
            "held_on",
            ERRORS["already_held"],
            code="already_held",
            params={"date": _short(review.held_on)},
        )
    earlier = (
        onboarding.reviews.filter(number__lt=review.number, held_on__isnull=True)
        .order_by("number")
        .first()
    )
    if earlier is not None:
        raise field_error(
            "held_on",
            ERRORS["earlier_open"],
            code="earlier_open",
            params={"number": earlier.number, "date": _short(earlier.planned_on)},
        )
    _check_held_on(review, onboarding, held_on)
    if not notes.strip():
        raise field_error("notes", ERRORS["notes_required"], code="notes_required")
    planned = _check_plan(onboarding, held_on, plan or {})
    mentor = _primary_guide(onboarding, held_on)
    review.held_on = held_on
    review.practised = practised.strip()
    review.independent = independent.strip()
    review.open_tasks = open_tasks.strip()
    review.notes = notes.strip()
    review.next_steps = _with_plan(next_steps, planned)
    review.mentor = mentor
    review.manager = line_manager(onboarding)
    review.recorded_by = by
    review.recorded_at = timezone.now()
    review.save()
    replanned = {}
    for task, due_on in planned:
        replanned[task.pk] = [task.due_on, due_on]
        audit.record(
            actor=by,
            action="onboarding.task_replanned",
            obj=task,
            organisation=onboarding.organisation,
            before={"due_on": task.due_on},
            after={"onboarding": onboarding.pk, "due_on": due_on, "review": review.pk},
        )
        task.due_on = due_on
    OnboardingTask.objects.bulk_update([task for task, _day in planned], ["due_on"])
    audit.record(
        actor=by,
        action="onboarding.review_held",
        obj=review,
        organisation=onboarding.organisation,
        after={
            "onboarding": onboarding.pk,
            "number": review.number,
            "held_on": held_on,
            "mentor": review.mentor_id,
            "manager": review.manager_id,
            "replanned": replanned,
            **audit.snapshot(review, REVIEW_TEXT_FIELDS),
        },
    )
    return review


def may_correct(review: ProgressReview, user: Any, today: datetime.date | None = None) -> bool:
    """Whether `user` may still correct the held `review`: he recorded it, today."""
    if review.held_on is None or review.recorded_at is None:
        return False
    day = today or timezone.localdate()
    return (
        review.recorded_by_id == getattr(user, "pk", None)
        and timezone.localdate(review.recorded_at) == day
    )


@transaction.atomic
def review_correct(
    *,
    review: ProgressReview,
    by: User | None,
    held_on: datetime.date,
    notes: str,
    practised: str = "",
    independent: str = "",
    open_tasks: str = "",
    next_steps: str = "",
) -> ProgressReview:
    """Correct what a held review says (a typo, a forgotten point, the wrong day).

    Rules: only its recorder, on the day he recorded it; after that the review is a record and a
    correction belongs in the next review. The new planning is not redone (change a task's date
    in the plan). Same date rules as `review_record`. Raises ValidationError on "held_on" or
    "notes".
    """
    _check(by, "onboarding.record_review", review.onboarding)
    onboarding = _lock(review.onboarding)
    review = (
        ProgressReview.objects.select_for_update(of=("self",))
        .select_related("recorded_by")
        .get(pk=review.pk)
    )
    _refuse_closed(onboarding, "held_on")
    if review.held_on is None:
        raise field_error("held_on", ERRORS["not_held"], code="not_held")
    if review.recorded_by_id != getattr(by, "pk", None):
        raise field_error(
            "held_on",
            ERRORS["not_recorder"],
            code="not_recorder",
            params={"name": review.recorded_by or gettext("someone else")},
        )
    if not may_correct(review, by):
        assert review.recorded_at is not None
        raise field_error(
            "held_on",
            ERRORS["correct_too_late"],
            code="correct_too_late",
            params={"date": _short(timezone.localdate(review.recorded_at))},
        )
    _check_held_on(review, onboarding, held_on)
    if not notes.strip():
        raise field_error("notes", ERRORS["notes_required"], code="notes_required")
    fields = ["held_on", *REVIEW_TEXT_FIELDS]
    before = audit.snapshot(review, fields)
    review.held_on = held_on
    review.practised = practised.strip()
    review.independent = independent.strip()
    review.open_tasks = open_tasks.strip()
    review.notes = notes.strip()
    review.next_steps = next_steps.strip()
    review.save(update_fields=fields)
    old, new = audit.changed(before, audit.snapshot(review, fields))
    if new:
        audit.record(
            actor=by,
            action="onboarding.review_corrected",
            obj=review,
            organisation=onboarding.organisation,
            before=old,
            after={"onboarding": onboarding.pk, **new},
        )
    return review


# --- Reminders -----------------------------------------------------------------------------------


def reminder_days() -> int:
    return int(settings.LEERPLEK["REVIEW_REMINDER_DAYS"])


def grace_days() -> int:
    return int(settings.LEERPLEK["REVIEW_GRACE_DAYS"])


@dataclass
class ReminderItem:
    review: ProgressReview
    overdue: bool
    relation: str  # "self", "mentor" or "manager": how the recipient relates to the newcomer


@dataclass
class Recipient:
    email: str
    name: str
    language: str
    items: list[ReminderItem] = field(default_factory=list)


@dataclass
class ReminderRun:
    reviews: list[ProgressReview]
    recipients: list[Recipient]
    dry_run: bool
    sent: int = 0
    failed: list[str] = field(default_factory=list)
    without_address: list[str] = field(default_factory=list)


def _reminder_candidates(today: datetime.date) -> Q:
    """Open reviews of active onboardings that are due within the reminder days and were not
    reminded yet, or overdue and last reminded before they were (so at most two mails: one
    before, one when overdue)."""
    grace = datetime.timedelta(days=grace_days())
    due = Q(planned_on__lte=today + datetime.timedelta(days=reminder_days()))
    overdue = Q(planned_on__lt=today - grace)
    reminded_before_overdue = Q(reminded_on__lte=F("planned_on") + grace)
    return (
        Q(held_on__isnull=True, onboarding__status=OnboardingStatus.ACTIVE)
        & due
        & (Q(reminded_on__isnull=True) | (overdue & reminded_before_overdue))
    )


def _address(person: Employee | None) -> str:
    if person is None:
        return ""
    if person.email:
        return person.email
    return person.user.email if person.user is not None else ""


def _language(person: Employee) -> str:
    if person.user is not None and person.user.language:
        return person.user.language
    return str(settings.LANGUAGE_CODE)


def _recipients(
    reviews: list[ProgressReview], today: datetime.date, run: ReminderRun
) -> list[Recipient]:
    """One recipient per address with every review he should hear about (one query for the
    peters/meters)."""
    grace = datetime.timedelta(days=grace_days())
    learners = {review.onboarding.employee_id for review in reviews}
    guides: dict[int, Employee] = {}
    for guidance in (
        Guidance.objects.current(today)
        .filter(learner_id__in=learners, kind=GuidanceKind.MENTOR, is_backup=False)
        .select_related("guide", "guide__user")
        .order_by("-starts_on", "-id")
    ):
        guides.setdefault(guidance.learner_id, guidance.guide)
    by_address: dict[str, Recipient] = {}
    for review in reviews:
        onboarding = review.onboarding
        overdue = review.planned_on + grace < today
        people = [
            (onboarding.employee, "self"),
            (guides.get(onboarding.employee_id), "mentor"),
            (line_manager(onboarding), "manager"),
        ]
        for person, relation in people:
            if person is None:
                continue
            address = _address(person).strip().lower()
            if not address:
                run.without_address.append(str(person))
                continue
            recipient = by_address.setdefault(
                address, Recipient(address, str(person), _language(person))
            )
            if all(item.review.pk != review.pk for item in recipient.items):
                recipient.items.append(ReminderItem(review, overdue, relation))
    return sorted(by_address.values(), key=lambda recipient: recipient.email)


def _message(recipient: Recipient, base_url: str, today: datetime.date) -> mail.EmailMessage:
    with translation.override(recipient.language):
        context = {
            "recipient": recipient,
            "items": recipient.items,
            "overdue": any(item.overdue for item in recipient.items),
            "list_url": base_url + reverse("onboarding:review-list") if base_url else "",
            "mine_url": base_url + reverse("onboarding:mine") if base_url else "",
            "for_guide": any(item.relation != "self" for item in recipient.items),
            "for_newcomer": any(item.relation == "self" for item in recipient.items),
            "base_url": base_url,
            "today": today,
        }
        subject = " ".join(
            render_to_string("onboarding/reviews/email/reminder_subject.txt", context).split()
        )
        body = render_to_string("onboarding/reviews/email/reminder_body.txt", context)
    return mail.EmailMessage(subject=subject, body=body, to=[recipient.email])


def review_reminders_send(
    *, today: datetime.date | None = None, dry_run: bool = False, base_url: str = ""
) -> ReminderRun:
    """Mail peter/meter, line manager and newcomer about reviews due within
    LEERPLEK["REVIEW_REMINDER_DAYS"] days or overdue (planned_on + REVIEW_GRACE_DAYS passed),
    one mail per person in his own language, listing all his reviews.

    Idempotent: a review is marked `reminded_on` in the same transaction that selects it, so a
    second run sends nothing new; an overdue review gets one more mail if the last one was sent
    before it became overdue. The rows are locked, so two runs at once (cron) do not both mail.
    Mails leave after the commit; a failed one is reported, not retried. `dry_run` writes and
    sends nothing. People without an e-mail address are listed in the result.
    """
    today = today or timezone.localdate()
    base_url = base_url.rstrip("/")
    with transaction.atomic():
        reviews = list(
            ProgressReview.objects.select_for_update(of=("self",))
            .filter(_reminder_candidates(today))
            .select_related(
                "onboarding",
                "onboarding__organisation",
                "onboarding__employee",
                "onboarding__employee__user",
                "onboarding__employee__manager",
                "onboarding__employee__manager__user",
                "onboarding__employee__unit",
                "onboarding__employee__unit__leader",
                "onboarding__employee__unit__leader__user",
                "onboarding__organiser",
                "onboarding__organiser__user",
            )
            .order_by("planned_on", "onboarding__employee__last_name", "id")
        )
        run = ReminderRun(reviews=reviews, recipients=[], dry_run=dry_run)
        run.recipients = _recipients(reviews, today, run)
        if dry_run or not reviews:
            return run
        ProgressReview.objects.filter(pk__in=[review.pk for review in reviews]).update(
            reminded_on=today
        )
        mailed: dict[int, list[str]] = {}
        for recipient in run.recipients:
            for item in recipient.items:
                mailed.setdefault(item.review.pk, []).append(recipient.email)
        for review in reviews:
            audit.record(
                actor=None,
                action="onboarding.review_reminded",
                obj=review,
                organisation=review.onboarding.organisation,
                before={"reminded_on": review.reminded_on},
                after={
                    "onboarding": review.onboarding_id,
                    "reminded_on": today,
                    "to": mailed.get(review.pk, []),
                },
            )
            review.reminded_on = today
        messages = [_message(recipient, base_url, today) for recipient in run.recipients]

        def send() -> None:
            # SMTP errors are OSErrors: one refused address must not stop the others.
            connection = mail.get_connection()
            try:
                connection.open()
            except OSError as problem:
                logger.warning("Review reminders not sent: %s", problem)
                run.failed.extend(f"{', '.join(m.to)}: {problem}" for m in messages)
                return
            try:
                for message in messages:
                    message.connection = connection
                    try:
                        message.send()
                    except OSError as problem:
                        logger.warning("Review reminder to %s failed: %s", message.to, problem)
                        run.failed.append(f"{', '.join(message.to)}: {problem}")
                    else:
                        run.sent += 1
            finally:
                connection.close()

        transaction.on_commit(send)
    return run
