"""Reads for the onboarding results page (ONB-10) and the satisfaction pulse (MEN-12).

Every figure is computed from two queries over the onboardings of the period; medians and
percentages are taken in Python (SQLite has no median), so the page costs the same number of
queries for ten onboardings or ten thousand.
"""

from __future__ import annotations

import datetime
import statistics
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings
from django.db.models import Count, Exists, OuterRef, Q, Subquery, Sum
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from leerplek.onboarding.models import (
    Guidance,
    GuidanceKind,
    GuidanceStatus,
    Onboarding,
    OnboardingReason,
    OnboardingStatus,
    PulseRespondent,
    PulseResponse,
)
from leerplek.people.models import Organisation

GRAIN_QUARTER = "quarter"
GRAIN_MONTH = "month"
GRAINS = [(GRAIN_QUARTER, _("Quarter")), (GRAIN_MONTH, _("Month"))]

# A pulse question stays open during its week and the week after, so a newcomer on leave or on
# night shift that week can still answer; never past the start of the next pulse week.
PULSE_OPEN_WEEKS = 2


def _percent(part: int, whole: int) -> int | None:
    return round(100 * part / whole) if whole else None


def _average(total: int, count: int) -> Decimal | None:
    if not count:
        return None
    return (Decimal(total) / Decimal(count)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


@dataclass
class Outcome:
    """What happened to one onboarding, as the figures need it."""

    start_date: datetime.date
    job_id: int | None
    job_name: str
    had_guide: bool
    days_to_independence: int | None
    days_to_exit: int | None  # from the start (hire date for a new hire) to the exit date
    days_followed: int  # from that start to today
    newcomer_total: int
    newcomer_count: int
    guide_total: int
    guide_count: int


@dataclass
class Group:
    """The figures of a set of onboardings: a cohort, a function, with or without a peter."""

    key: str
    label: str
    min_size: int
    week_days: int
    period_days: int
    outcomes: list[Outcome] = field(default_factory=list)

    @property
    def started(self) -> int:
        return len(self.outcomes)

    @property
    def with_guide(self) -> int:
        return sum(1 for outcome in self.outcomes if outcome.had_guide)

    @property
    def is_small(self) -> bool:
        """Fewer onboardings than LEERPLEK["MIN_GROUP_SIZE"]: one person moves the percentage a
        lot. HR still sees it, marked."""
        return 0 < self.started < self.min_size

    # --- Time to independence ---

    @property
    def independence_days(self) -> list[int]:
        return sorted(
            o.days_to_independence for o in self.outcomes if o.days_to_independence is not None
        )

    @property
    def independent(self) -> int:
        return len(self.independence_days)

    @property
    def median_days(self) -> int | None:
        days = self.independence_days
        return round(statistics.median(days)) if days else None

    @property
    def min_days(self) -> int | None:
        days = self.independence_days
        return days[0] if days else None

    @property
    def max_days(self) -> int | None:
        days = self.independence_days
        return days[-1] if days else None

    @property
    def median_weeks(self) -> Decimal | None:
        median = self.median_days
        if median is None:
            return None
        return (Decimal(median) / 7).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)

    # --- Early leavers ---

    def _left_within(self, days: int) -> int:
        return sum(1 for o in self.outcomes if o.days_to_exit is not None and o.days_to_exit < days)

    def _still_within(self, days: int) -> int:
        """Onboardings that have not yet lived `days` days and have not left: they may still
        leave, so the group's figure is provisional."""
        return sum(
            1
            for o in self.outcomes
            if o.days_followed < days and (o.days_to_exit is None or o.days_to_exit >= days)
        )

    @property
    def left_week(self) -> int:
        return self._left_within(self.week_days)

    @property
    def left_week_percent(self) -> int | None:
        return _percent(self.left_week, self.started)

    @property
    def left_period(self) -> int:
        return self._left_within(self.period_days)

    @property
    def left_period_percent(self) -> int | None:
        return _percent(self.left_period, self.started)

    @property
    def period_pending(self) -> int:
        return self._still_within(self.period_days)

    @property
    def week_pending(self) -> int:
        return self._still_within(self.week_days)

    # --- Pulse ---

    @property
    def newcomer_answers(self) -> int:
        return sum(o.newcomer_count for o in self.outcomes)

    @property
    def newcomer_pulse(self) -> Decimal | None:
        return _average(sum(o.newcomer_total for o in self.outcomes), self.newcomer_answers)

    @property
    def guide_answers(self) -> int:
        return sum(o.guide_count for o in self.outcomes)

    @property
    def guide_pulse(self) -> Decimal | None:
        return _average(sum(o.guide_total for o in self.outcomes), self.guide_answers)


@dataclass
class Cohort:
    """The onboardings that started in one quarter or month, split by having had a peter."""

    key: str
    label: str
    first_day: datetime.date
    total: Group
    with_guide: Group
    without_guide: Group


@dataclass
class Metrics:
    date_from: datetime.date
    date_to: datetime.date
    grain: str
    total: Group
    with_guide: Group
    without_guide: Group
    cohorts: list[Cohort]
    functions: list[Group]
    min_size: int
    week_days: int
    period_days: int

    @property
    def is_empty(self) -> bool:
        return self.total.started == 0

    @property
    def period_months(self) -> int:
        return round(self.period_days / 30.5)

    @property
    def comparable(self) -> bool:
        """Both sides of the with/without comparison have onboardings."""
        return self.with_guide.started > 0 and self.without_guide.started > 0


def cohort_of(day: datetime.date, grain: str) -> tuple[str, datetime.date]:
    """The cohort key ("2025-Q3" or "2025-07") and its first day."""
    if grain == GRAIN_MONTH:
        first = day.replace(day=1)
        return f"{day.year}-{day.month:02d}", first
    quarter = (day.month - 1) // 3 + 1
    return f"{day.year}-Q{quarter}", datetime.date(day.year, 3 * quarter - 2, 1)


def cohort_label(key: str, first_day: datetime.date, grain: str) -> str:
    if grain == GRAIN_MONTH:
        from django.utils.dateformat import format as date_format

        return date_format(first_day, "M Y")
    return gettext("Q%(quarter)s %(year)s") % {
        "quarter": (first_day.month - 1) // 3 + 1,
        "year": first_day.year,
    }


def _had_guide() -> Exists:
    """A primary peter/meter whose designation overlaps the onboarding (designated before its
    end, not ended before its start). A request that was declined never guided anyone."""
    return Exists(
        Guidance.objects.filter(
            learner_id=OuterRef("employee_id"),
            kind=GuidanceKind.MENTOR,
            is_backup=False,
            status__in=[GuidanceStatus.ACTIVE, GuidanceStatus.CLOSED],
            starts_on__lte=Coalesce(OuterRef("ended_on"), OuterRef("end_date")),
        ).filter(Q(ends_on__isnull=True) | Q(ends_on__gte=OuterRef("start_date")))
    )


def counted_onboardings(*, organisation: Organisation) -> Q:
    """Which onboardings the figures count: every one of the organisation, except one cancelled
    while the newcomer stayed (started by mistake or replaced); one cancelled because the person
    left is exactly what the leaver figures are about."""
    return Q(organisation=organisation) & ~Q(
        status=OnboardingStatus.CANCELLED, employee__exit_date__isnull=True
    )


def _outcomes(
    *,
    organisation: Organisation,
    date_from: datetime.date,
    date_to: datetime.date,
    job_id: int | None,
    today: datetime.date,
) -> list[Outcome]:
    rows = Onboarding.objects.filter(
        counted_onboardings(organisation=organisation),
        start_date__gte=date_from,
        start_date__lte=date_to,
    )
    if job_id is not None:
        rows = rows.filter(job_id=job_id)
    # The pulse sums come from their own grouped query: grouping the onboarding rows (with their
    # person and function) by a join on the answers took twice as long at 2,000 onboardings.
    pulses: dict[tuple[int, str], tuple[int, int]] = {
        (onboarding_id, respondent): (total, count)
        for onboarding_id, respondent, total, count in PulseResponse.objects.filter(
            onboarding__in=rows.values("pk")
        )
        .values("onboarding_id", "respondent")
        .annotate(total=Sum("score"), count=Count("id"))
        .values_list("onboarding_id", "respondent", "total", "count")
        .order_by()
    }
    values = (
        rows.annotate(had_guide=_had_guide())
        .order_by("start_date", "id")
        .values_list(
            "pk",
            "start_date",
            "reason",
            "job_id",
            "job__name",
            "employee__hire_date",
            "employee__exit_date",
            "independent_on",
            "had_guide",
        )
    )
    outcomes = []
    for (
        pk,
        start_date,
        reason,
        job,
        job_name,
        hire_date,
        exit_date,
        independent_on,
        had_guide,
    ) in values:
        newcomer_total, newcomer_count = pulses.get((pk, PulseRespondent.NEWCOMER), (0, 0))
        guide_total, guide_count = pulses.get((pk, PulseRespondent.GUIDE), (0, 0))
        # A new hire's time with the company runs from the hire date; someone who moved inside
        # the company is counted from the start of his new function.
        base = hire_date if reason == OnboardingReason.NEW_HIRE and hire_date else start_date
        outcomes.append(
            Outcome(
                start_date=start_date,
                job_id=job,
                job_name=job_name or "",
                had_guide=bool(had_guide),
                days_to_independence=(
                    max((independent_on - start_date).days, 0) if independent_on else None
                ),
                days_to_exit=max((exit_date - base).days, 0) if exit_date else None,
                days_followed=(today - base).days,
                newcomer_total=newcomer_total,
                newcomer_count=newcomer_count,
                guide_total=guide_total,
                guide_count=guide_count,
            )
        )
    return outcomes


def onboarding_metrics(
    *,
    organisation: Organisation,
    date_from: datetime.date,
    date_to: datetime.date,
    grain: str = GRAIN_QUARTER,
    job_id: int | None = None,
    today: datetime.date | None = None,
) -> Metrics:
    """Outcome figures of the onboardings that started from `date_from` to `date_to`: in total,
    with and without a peter/meter, per cohort (start quarter or month) and per function
    (two queries)."""
    today = today or timezone.localdate()
    config = settings.LEERPLEK
    min_size = int(config["MIN_GROUP_SIZE"])
    week_days = int(config["EARLY_LEAVER_WEEK_DAYS"])
    period_days = int(config["EARLY_LEAVER_PERIOD_DAYS"])

    def group(key: str, label: str) -> Group:
        return Group(key, label, min_size, week_days, period_days)

    outcomes = _outcomes(
        organisation=organisation,
        date_from=date_from,
        date_to=date_to,
        job_id=job_id,
        today=today,
    )
    total = group("total", gettext("All onboardings"))
    with_guide = group("with", gettext("With a peter/meter"))
    without_guide = group("without", gettext("Without a peter/meter"))
    cohorts: dict[str, Cohort] = {}
    functions: dict[int | None, Group] = {}
    for outcome in outcomes:
        key, first_day = cohort_of(outcome.start_date, grain)
        cohort = cohorts.get(key)
        if cohort is None:
            label = cohort_label(key, first_day, grain)
            cohort = cohorts[key] = Cohort(
                key,
                label,
                first_day,
                group(key, label),
                group(f"{key}-with", label),
                group(f"{key}-without", label),
            )
        side = (
            (with_guide, cohort.with_guide)
            if outcome.had_guide
            else (without_guide, cohort.without_guide)
        )
        for target in (total, cohort.total, *side):
            target.outcomes.append(outcome)
        function = functions.get(outcome.job_id)
        if function is None:
            function = functions[outcome.job_id] = group(
                str(outcome.job_id or ""), outcome.job_name or gettext("No function")
            )
        function.outcomes.append(outcome)
    return Metrics(
        date_from=date_from,
        date_to=date_to,
        grain=grain,
        total=total,
        with_guide=with_guide,
        without_guide=without_guide,
        cohorts=sorted(cohorts.values(), key=lambda cohort: cohort.first_day),
        functions=sorted(
            functions.values(), key=lambda g: (g.key == "", g.label.casefold(), g.key)
        ),
        min_size=min_size,
        week_days=week_days,
        period_days=period_days,
    )


# --- The satisfaction pulse ----------------------------------------------------------------------


def pulse_weeks() -> tuple[int, ...]:
    return tuple(sorted(int(week) for week in settings.LEERPLEK_PULSE_WEEKS))


def open_pulse_week(start_date: datetime.date, today: datetime.date) -> int | None:
    """The pulse week whose question is open on `today`, or None. Week 1 is the first seven
    days from the start."""
    days = (today - start_date).days
    if days < 0:
        return None
    weeks = pulse_weeks()
    for index, week in enumerate(weeks):
        opens = (week - 1) * 7
        closes = opens + 7 * PULSE_OPEN_WEEKS
        if index + 1 < len(weeks):
            closes = min(closes, (weeks[index + 1] - 1) * 7)
        if opens <= days < closes:
            return week
    return None


def pulse_closes_on(start_date: datetime.date, week: int) -> datetime.date:
    """The last day the question of `week` can be answered."""
    weeks = pulse_weeks()
    closes = (week - 1) * 7 + 7 * PULSE_OPEN_WEEKS
    later = [w for w in weeks if w > week]
    if later:
        closes = min(closes, (later[0] - 1) * 7)
    return start_date + datetime.timedelta(days=closes - 1)


@dataclass
class PulsePrompt:
    """An open pulse question for one respondent, with his answer when he gave one."""

    onboarding: Onboarding
    respondent: str
    week: int
    closes_on: datetime.date
    has_guide: bool
    answer: PulseResponse | None = None
    person_name: str = ""  # the newcomer, on the guide's card

    @property
    def key(self) -> str:
        return f"pulse-{self.onboarding.pk}-{self.respondent}"


def _answers(pairs: Iterable[tuple[int, int]], respondent: str) -> dict[int, PulseResponse]:
    """The answers of `respondent` for (onboarding id, week) pairs, by onboarding id."""
    pairs = list(pairs)
    if not pairs:
        return {}
    match = Q(pk__in=[])
    for onboarding_id, week in pairs:
        match |= Q(onboarding_id=onboarding_id, moment=week)
    return {
        answer.onboarding_id: answer
        for answer in PulseResponse.objects.filter(match, respondent=respondent)
    }


def newcomer_pulse(
    *, onboarding: Onboarding, employee_id: int | None, today: datetime.date | None = None
) -> PulsePrompt | None:
    """The newcomer's open pulse question on his own active onboarding, with whether he has a
    peter/meter and his answer so far (one query when a question is open, none otherwise)."""
    today = today or timezone.localdate()
    if employee_id is None or onboarding.employee_id != employee_id:
        return None
    if onboarding.status != OnboardingStatus.ACTIVE:
        return None
    week = open_pulse_week(onboarding.start_date, today)
    if week is None:
        return None
    answer = PulseResponse.objects.filter(
        onboarding_id=OuterRef("pk"), respondent=PulseRespondent.NEWCOMER, moment=week
    )
    has_guide, answer_id, score, comment = (
        Onboarding.objects.filter(pk=onboarding.pk)
        .annotate(
            has_guide=Exists(
                Guidance.objects.current(today).filter(
                    learner_id=OuterRef("employee_id"),
                    kind=GuidanceKind.MENTOR,
                    is_backup=False,
                )
            ),
            answer_id=Subquery(answer.values("pk")[:1]),
            answer_score=Subquery(answer.values("score")[:1]),
            answer_comment=Subquery(answer.values("comment")[:1]),
        )
        .values_list("has_guide", "answer_id", "answer_score", "answer_comment")
        .get()
    )
    return PulsePrompt(
        onboarding=onboarding,
        respondent=PulseRespondent.NEWCOMER,
        week=week,
        closes_on=pulse_closes_on(onboarding.start_date, week),
        has_guide=bool(has_guide),
        answer=PulseResponse(
            pk=answer_id,
            onboarding=onboarding,
            respondent=PulseRespondent.NEWCOMER,
            moment=week,
            score=score,
            comment=comment or "",
        )
        if answer_id is not None
        else None,
    )


def guide_pulses(
    *,
    employee_id: int | None,
    today: datetime.date | None = None,
    onboarding_id: int | None = None,
) -> list[PulsePrompt]:
    """The open pulse questions of a peter/meter: one per active onboarding of a newcomer he
    guides as primary peter/meter (two queries; one when none is open). `onboarding_id`
    narrows it to one onboarding."""
    today = today or timezone.localdate()
    if employee_id is None:
        return []
    guided = Guidance.objects.current(today).filter(
        learner_id=OuterRef("employee_id"),
        guide_id=employee_id,
        kind=GuidanceKind.MENTOR,
        is_backup=False,
        status=GuidanceStatus.ACTIVE,
        starts_on__lte=today,
    )
    rows = Onboarding.objects.filter(Exists(guided), status=OnboardingStatus.ACTIVE)
    if onboarding_id is not None:
        rows = rows.filter(pk=onboarding_id)
    prompts = []
    for onboarding in rows.select_related("employee").order_by("start_date", "id"):
        week = open_pulse_week(onboarding.start_date, today)
        if week is None:
            continue
        prompts.append(
            PulsePrompt(
                onboarding=onboarding,
                respondent=PulseRespondent.GUIDE,
                week=week,
                closes_on=pulse_closes_on(onboarding.start_date, week),
                has_guide=True,
                person_name=str(onboarding.employee),
            )
        )
    answers = _answers(((p.onboarding.pk, p.week) for p in prompts), PulseRespondent.GUIDE)
    for prompt in prompts:
        prompt.answer = answers.get(prompt.onboarding.pk)
    return prompts


def pulse_history(*, onboarding: Onboarding) -> Sequence[PulseResponse]:
    """Every pulse answer of one onboarding, by week (one query)."""
    return list(
        PulseResponse.objects.filter(onboarding=onboarding)
        .select_related("answered_by")
        .order_by("moment", "respondent", "id")
    )
