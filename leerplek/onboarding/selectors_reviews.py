"""Reads for progress reviews (ONB-06): the review list with due and overdue flags, one review
pre-filled from the plan, the timeline of an onboarding and the home-page cards. Each in a fixed
number of queries whatever the number of onboardings, reviews or tasks.

A review is
- **held** when it has a date it was held on;
- **overdue** when not held and its planned day plus LEERPLEK["REVIEW_GRACE_DAYS"] has passed;
- **due** when not held, not overdue, and planned within LEERPLEK["REVIEW_REMINDER_DAYS"] days
  (the window in which the reminder mail goes out);
- **planned** otherwise.
Open reviews (due, overdue, planned) count only for active onboardings.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import (
    Case,
    CharField,
    Count,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Concat
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext

from leerplek.competences.models import WorkRelease
from leerplek.competences.selectors import reachable_unit_choices
from leerplek.core.access import Access
from leerplek.core.permissions import PERMISSIONS
from leerplek.onboarding.models import (
    Guidance,
    GuidanceKind,
    Onboarding,
    OnboardingStatus,
    OnboardingTask,
    ProgressReview,
)
from leerplek.onboarding.services_reviews import grace_days, line_manager, reminder_days
from leerplek.people.models import Employee

REVIEW_ROLES = PERMISSIONS["onboarding.view_reviews"].roles

HELD, OVERDUE, DUE, PLANNED = "held", "overdue", "due", "planned"
# The list's filter: "attention" is what needs doing now (overdue and due).
ATTENTION, OPEN, ALL = "attention", "open", "all"
STATE_FILTERS = {
    ATTENTION: Q(state__in=[OVERDUE, DUE]),
    OVERDUE: Q(state=OVERDUE),
    DUE: Q(state=DUE),
    PLANNED: Q(state=PLANNED),
    OPEN: Q(state__in=[OVERDUE, DUE, PLANNED]),
    HELD: Q(state=HELD),
    ALL: Q(),
}
# The newcomer's and participants' fields the list and cards show.
REVIEW_RELATED = (
    "onboarding",
    "onboarding__employee",
    "onboarding__employee__unit",
    "onboarding__job",
)


def reviews_visible_to(access: Access) -> Q:
    """A filter on reviews mirroring `onboarding.view_reviews` on their onboarding: HR, the
    administrator and line managers within their units, plus the people the user guides."""
    if access.organisation is None:
        return Q(pk__in=[])
    org = Q(onboarding__organisation_id=access.organisation.pk)
    scope = Q(pk__in=[])
    if access.has_role(*REVIEW_ROLES):
        paths = access.scope_paths(REVIEW_ROLES)
        if paths is None:
            scope = Q()
        else:
            for path in paths:
                scope |= Q(onboarding__employee__unit__path__startswith=path)
    mentees = access.mentee_ids()
    if mentees:
        scope |= Q(onboarding__employee_id__in=mentees)
    return org & scope


def state_of(today: datetime.date) -> Case:
    """The review's state as an SQL expression (see the module docstring)."""
    return Case(
        When(held_on__isnull=False, then=Value(HELD)),
        When(planned_on__lt=today - datetime.timedelta(days=grace_days()), then=Value(OVERDUE)),
        When(planned_on__lte=today + datetime.timedelta(days=reminder_days()), then=Value(DUE)),
        default=Value(PLANNED),
        output_field=CharField(),
    )


def _guide_name() -> Subquery:
    """The name of the newcomer's current peter/meter, as a subquery per review row."""
    today = timezone.localdate()
    return Subquery(
        Guidance.objects.current(today)
        .filter(
            learner_id=OuterRef("onboarding__employee_id"),
            kind=GuidanceKind.MENTOR,
            is_backup=False,
        )
        .order_by("starts_on", "id")
        .annotate(name=Concat("guide__first_name", Value(" "), "guide__last_name"))
        .values("name")[:1],
        output_field=CharField(),
    )


def _scoped(access: Access, unit_path: str, today: datetime.date) -> QuerySet[ProgressReview]:
    rows = (
        ProgressReview.objects.filter(reviews_visible_to(access))
        # Open reviews only count while the onboarding runs; held ones stay a record.
        .filter(
            Q(
                held_on__isnull=False,
                onboarding__status__in=[OnboardingStatus.ACTIVE, OnboardingStatus.COMPLETED],
            )
            | Q(held_on__isnull=True, onboarding__status=OnboardingStatus.ACTIVE)
        )
        .annotate(state=state_of(today))
    )
    if unit_path:
        rows = rows.filter(onboarding__employee__unit__path__startswith=unit_path)
    return rows


def review_list(
    *,
    access: Access,
    state: str = ATTENTION,
    unit_path: str = "",
    today: datetime.date | None = None,
) -> QuerySet[ProgressReview]:
    """Reviews the viewer may see, with `state` and `guide_name` annotated (one query per page).

    `state` is one of STATE_FILTERS: "attention" (overdue and due, the default), "overdue",
    "due", "planned", "open", "held" or "all". Open reviews come soonest first (the most
    overdue on top); held ones most recent first. `unit_path` limits to a unit and its sub-units.
    """
    today = today or timezone.localdate()
    rows = (
        _scoped(access, unit_path, today)
        .filter(STATE_FILTERS.get(state, STATE_FILTERS[ATTENTION]))
        .annotate(guide_name=_guide_name())
        .select_related(*REVIEW_RELATED)
    )
    if state == HELD:
        return rows.order_by("-held_on", "onboarding__employee__last_name", "id")
    return rows.order_by(
        Case(When(held_on__isnull=True, then=Value(0)), default=Value(1)),
        "planned_on",
        "onboarding__employee__last_name",
        "id",
    )


@dataclass
class ReviewCounts:
    overdue: int = 0
    due: int = 0
    planned: int = 0
    held: int = 0

    @property
    def attention(self) -> int:
        return self.overdue + self.due


def review_counts(
    *, access: Access, unit_path: str = "", today: datetime.date | None = None
) -> ReviewCounts:
    """How many reviews the viewer sees in each state (one query)."""
    today = today or timezone.localdate()
    totals = _scoped(access, unit_path, today).aggregate(
        **{name: Count("id", filter=Q(state=name)) for name in (OVERDUE, DUE, PLANNED, HELD)}
    )
    return ReviewCounts(**{name: value or 0 for name, value in totals.items()})


def review_unit_choices(*, access: Access) -> list[tuple[int, str]]:
    """Units the viewer reaches through the review roles, in tree order (one query; none for a
    peter/meter without a role)."""
    if access.organisation is None or not access.has_role(*REVIEW_ROLES):
        return []
    return reachable_unit_choices(
        organisation=access.organisation, access=access, roles=REVIEW_ROLES
    )


# --- One review, pre-filled ----------------------------------------------------------------------


def _line(task: OnboardingTask, day: datetime.date | None) -> str:
    when = f" ({date_format(day, 'SHORT_DATE_FORMAT')})" if day else ""
    return f"- {task.title}{when}"


@dataclass
class ReviewPage:
    """A review with what the form is pre-filled with, the open tasks for the new planning and
    the participants."""

    review: ProgressReview
    onboarding: Onboarding
    previous: ProgressReview | None
    following: ProgressReview | None
    since: datetime.date
    day: datetime.date
    practised: list[OnboardingTask]
    independent: list[OnboardingTask]
    releases: list[WorkRelease]
    overdue: list[OnboardingTask]
    upcoming: list[OnboardingTask]
    open_tasks: list[OnboardingTask]
    mentor: Employee | None
    manager: Employee
    state: str
    today: datetime.date
    later_count: int = 0
    earlier_open: ProgressReview | None = None

    @property
    def is_held(self) -> bool:
        return self.review.held_on is not None

    def initial(self) -> dict[str, str]:
        """The texts the form starts from (the snapshot kept once the review is saved)."""
        practised = [_line(task, task.done_on) for task in self.practised]
        independent = [_line(task, task.done_on) for task in self.independent] + [
            "- "
            + gettext("Released to work alone at %(workstation)s (%(date)s)")
            % {
                "workstation": release.workstation.name,
                "date": date_format(release.released_on, "SHORT_DATE_FORMAT"),
            }
            for release in self.releases
        ]
        open_lines = []
        if self.overdue:
            open_lines.append(gettext("Late:"))
            open_lines += [_line(task, task.due_on) for task in self.overdue]
        if self.upcoming:
            open_lines.append(gettext("Next:"))
            open_lines += [_line(task, task.due_on) for task in self.upcoming]
        if self.later_count:
            open_lines.append(
                gettext("and %(count)s more later in the plan") % {"count": self.later_count}
            )
        return {
            "practised": "\n".join(practised),
            "independent": "\n".join(independent),
            "open_tasks": "\n".join(open_lines),
        }


def review_page(*, review: ProgressReview, today: datetime.date | None = None) -> ReviewPage:
    """`review` (with its onboarding, newcomer, unit, unit leader, manager and organiser
    loaded) and what it is pre-filled with, in four queries: its neighbours, the tasks, the
    releases and the peter/meter.

    - practised: tasks done after the previous held review (or ever, for the first) up to the
      review day (the day it was held, else today);
    - independent: work-floor tasks done by then, and the workstations where the line manager
      released the newcomer to work alone (ONB-09);
    - open tasks: the late ones and those due before the next review.
    """
    today = today or timezone.localdate()
    onboarding = review.onboarding
    neighbours = list(
        onboarding.reviews.filter(number__lte=review.number + 1)
        .exclude(pk=review.pk)
        .order_by("number")
    )
    previous_held = [r for r in neighbours if r.number < review.number and r.held_on]
    previous = previous_held[-1] if previous_held else None
    earlier_open = next(
        (r for r in neighbours if r.number < review.number and r.held_on is None), None
    )
    following = next((r for r in neighbours if r.number == review.number + 1), None)
    day = review.held_on or today
    since = previous.held_on if previous is not None and previous.held_on else None
    tasks = list(onboarding.tasks.order_by("due_on", "position", "id"))
    done_by_day = [t for t in tasks if t.done_on is not None and t.done_on <= day]
    practised = [t for t in done_by_day if since is None or t.done_on > since]  # type: ignore[operator]
    independent = [t for t in done_by_day if t.on_work_floor]
    releases = list(
        WorkRelease.objects.filter(
            employee_id=onboarding.employee_id, released_on__lte=day, revoked_on__isnull=True
        )
        .select_related("workstation")
        .order_by("released_on", "id")
    )
    open_tasks = [t for t in tasks if t.done_on is None]
    horizon = (
        following.planned_on
        if following is not None
        else day + datetime.timedelta(days=onboarding.review_interval_days)
    )
    overdue = [t for t in open_tasks if t.due_on < day]
    upcoming = [t for t in open_tasks if day <= t.due_on <= horizon]
    later = [t for t in open_tasks if t.due_on > horizon]
    guidance = (
        Guidance.objects.current(day)
        .filter(learner_id=onboarding.employee_id, kind=GuidanceKind.MENTOR, is_backup=False)
        .select_related("guide")
        .order_by("starts_on", "id")
        .first()
    )
    is_held = review.held_on is not None
    grace = datetime.timedelta(days=grace_days())
    if is_held:
        state = HELD
    elif review.planned_on + grace < today:
        state = OVERDUE
    elif review.planned_on <= today + datetime.timedelta(days=reminder_days()):
        state = DUE
    else:
        state = PLANNED
    return ReviewPage(
        review=review,
        onboarding=onboarding,
        previous=previous,
        following=following,
        since=since or onboarding.start_date,
        day=day,
        practised=practised,
        independent=independent,
        releases=releases,
        overdue=overdue,
        upcoming=upcoming,
        open_tasks=open_tasks,
        mentor=review.mentor if is_held else (guidance.guide if guidance else None),
        manager=review.manager if is_held and review.manager else line_manager(onboarding),
        state=state,
        today=today,
        later_count=len(later),
        earlier_open=earlier_open,
    )


# --- The timeline, the newcomer's next review, the home cards ------------------------------------


def reviews_of(
    *, onboarding: Onboarding, today: datetime.date | None = None
) -> list[ProgressReview]:
    """The reviews of one onboarding in order, with `state` (one query)."""
    today = today or timezone.localdate()
    return list(
        onboarding.reviews.annotate(state=state_of(today))
        .select_related("mentor", "manager")
        .order_by("number")
    )


@dataclass
class NextReview:
    next: ProgressReview | None
    last_held: ProgressReview | None
    held: int
    total: int


def next_review_of(*, onboarding: Onboarding, today: datetime.date | None = None) -> NextReview:
    """The newcomer's next review and what the last one agreed (one query)."""
    reviews = reviews_of(onboarding=onboarding, today=today)
    open_reviews = [r for r in reviews if r.held_on is None]
    held = [r for r in reviews if r.held_on is not None]
    return NextReview(
        next=open_reviews[0] if open_reviews else None,
        last_held=held[-1] if held else None,
        held=len(held),
        total=len(reviews),
    )


@dataclass
class HomeReviews:
    counts: ReviewCounts
    rows: list[ProgressReview]
    next_planned: ProgressReview | None = None


def home_reviews(*, access: Access, limit: int = 5) -> HomeReviews:
    """The viewer's reviews that need attention: counts and the first `limit` ones, overdue
    first; with nothing to do, the next planned one (at most three queries)."""
    today = timezone.localdate()
    counts = review_counts(access=access, today=today)
    found = HomeReviews(counts=counts, rows=[])
    if counts.attention:
        found.rows = list(review_list(access=access, state=ATTENTION, today=today)[:limit])
    elif counts.planned:
        found.next_planned = review_list(access=access, state=PLANNED, today=today).first()
    return found
