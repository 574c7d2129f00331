"""Reads for the peter/meter pool (MEN-02..06, MEN-13, MEN-14), each in a fixed number of queries.

`eligible_guides` is the entry point for matching: the approved peters/meters who still work here
and can take another newcomer. `explain` says, criterion by criterion, why a person meets the
organisation's eligibility criteria or not.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings
from django.db.models import (
    BooleanField,
    Count,
    ExpressionWrapper,
    IntegerField,
    Max,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
)
from django.db.models.functions import Coalesce
from django.utils import formats, timezone
from django.utils.translation import gettext

from leerplek.core.access import Access
from leerplek.core.permissions import PERMISSIONS
from leerplek.onboarding.models import (
    CriterionKind,
    EligibilityCriterion,
    GuidanceKind,
    GuideProfile,
    GuideStatus,
    GuideTraining,
    NumericMeasure,
    QualityConfirmation,
)
from leerplek.onboarding.models import Guidance as GuidanceModel
from leerplek.people.models import Employee, Organisation, OrgUnit, UnitKind

MET = "met"
NOT_MET = "not_met"
UNCONFIRMED = "unconfirmed"

TRAINING_NONE = "none"
TRAINING_CURRENT = "current"
TRAINING_DUE = "due"


def _months_later(day: datetime.date, months: int) -> datetime.date:
    # Imported lazily: services imports nothing from here, but keep the two independent.
    from leerplek.onboarding.services import add_months

    return add_months(day, months)


def refresher_months() -> int:
    return int(settings.LEERPLEK["GUIDE_REFRESHER_MONTHS"])


def default_max_mentees() -> int:
    return int(settings.LEERPLEK["MAX_MENTEES_DEFAULT"])


# --- Criteria, one person ------------------------------------------------------------------------


@dataclass(frozen=True)
class CriterionCheck:
    """How one person fares on one criterion: `state` is MET, NOT_MET or UNCONFIRMED."""

    criterion: EligibilityCriterion
    state: str
    value: Decimal | None
    text: str
    confirmation: QualityConfirmation | None = None

    @property
    def is_met(self) -> bool:
        return self.state == MET

    @property
    def blocks(self) -> bool:
        """A required criterion that is not met (an approval then needs an override reason)."""
        return self.criterion.is_required and self.state == NOT_MET


def years_between(start: datetime.date, end: datetime.date) -> Decimal:
    """Whole and tenth years from `start` to `end` (0 when `start` lies ahead)."""
    days = max((end - start).days, 0)
    return (Decimal(days) / Decimal("365.25")).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def measure_value(
    profile: GuideProfile, measure: str, today: datetime.date | None = None
) -> Decimal | None:
    """The person's value for a numeric measure, or None when it is not recorded."""
    employee = profile.employee
    if measure == NumericMeasure.EXPERIENCE_YEARS:
        return Decimal(employee.experience_years)
    if measure == NumericMeasure.SENIORITY_YEARS:
        return years_between(employee.hire_date, today or timezone.localdate())
    if measure == NumericMeasure.EVALUATION_SCORE:
        return profile.evaluation_score
    return None


def _number(value: Decimal) -> str:
    """10.00 → "10", 7.50 → "7.5", 12.0 → "12.0" for years (one decimal kept)."""
    text = format(value.normalize(), "f")
    return text


def _numeric_check(
    profile: GuideProfile, criterion: EligibilityCriterion, today: datetime.date
) -> CriterionCheck:
    value = measure_value(profile, criterion.measure, today)
    minimum = criterion.minimum if criterion.minimum is not None else Decimal(0)
    needs = _number(minimum)
    if value is None:
        return CriterionCheck(
            criterion=criterion,
            state=UNCONFIRMED,
            value=None,
            text=gettext("No evaluation score recorded yet; needs %(minimum)s.")
            % {"minimum": needs},
        )
    if criterion.measure == NumericMeasure.EXPERIENCE_YEARS:
        text = gettext("%(value)s years of experience, needs %(minimum)s")
        shown = f"{value:.1f}"
    elif criterion.measure == NumericMeasure.SENIORITY_YEARS:
        text = gettext("%(value)s years of seniority, needs %(minimum)s")
        shown = f"{value:.1f}"
    else:
        text = gettext("Last evaluation score %(value)s, needs %(minimum)s")
        shown = _number(value)
    return CriterionCheck(
        criterion=criterion,
        state=MET if value >= minimum else NOT_MET,
        value=value,
        text=text % {"value": shown, "minimum": needs},
    )


def _quality_check(
    criterion: EligibilityCriterion, confirmation: QualityConfirmation | None
) -> CriterionCheck:
    if confirmation is None:
        return CriterionCheck(
            criterion=criterion,
            state=UNCONFIRMED,
            value=None,
            text=gettext("Not yet confirmed by a line manager."),
        )
    who = confirmation.confirmed_by.get_full_name() if confirmation.confirmed_by else ""
    if confirmation.is_met:
        text = gettext("Confirmed by %(who)s on %(date)s.")
    else:
        text = gettext("Not met according to %(who)s (%(date)s).")
    day = formats.date_format(confirmation.confirmed_on, "SHORT_DATE_FORMAT")
    text = text % {"who": who or gettext("a manager"), "date": day}
    if confirmation.note:
        text = f"{text} {confirmation.note}"
    return CriterionCheck(
        criterion=criterion,
        state=MET if confirmation.is_met else NOT_MET,
        value=None,
        text=text,
        confirmation=confirmation,
    )


def explain(
    profile: GuideProfile,
    criteria: Iterable[EligibilityCriterion],
    *,
    confirmations: Iterable[QualityConfirmation] | None = None,
    today: datetime.date | None = None,
) -> list[CriterionCheck]:
    """One check per active criterion, in the criteria's order: met, not met or not yet known,
    with the value ("12.0 years of experience, needs 10").

    Reads no rows when `profile.employee` is loaded and `confirmations` is given (or the
    profile's `qualities` were prefetched with their `confirmed_by`).
    """
    day = today or timezone.localdate()
    if confirmations is None:
        confirmations = profile.qualities.all()
    by_criterion = {confirmation.criterion_id: confirmation for confirmation in confirmations}
    checks = []
    for criterion in criteria:
        if not criterion.is_active:
            continue
        if criterion.kind == CriterionKind.NUMERIC:
            checks.append(_numeric_check(profile, criterion, day))
        else:
            checks.append(_quality_check(criterion, by_criterion.get(criterion.pk)))
    return checks


def active_criteria(organisation: Organisation) -> list[EligibilityCriterion]:
    """The organisation's active criteria, numeric first, in their order (one query)."""
    return list(EligibilityCriterion.objects.filter(organisation=organisation, is_active=True))


# --- The pool ------------------------------------------------------------------------------------


def current_primary_mentorships(on: datetime.date | None = None) -> QuerySet[GuidanceModel]:
    """Guidances that count against a peter/meter's capacity: current, primary, of a newcomer
    who still works here. `services.guide_designate` counts the same rows."""
    day = on or timezone.localdate()
    return (
        GuidanceModel.objects.current(day)
        .filter(kind=GuidanceKind.MENTOR, is_backup=False)
        .exclude(learner__exit_date__lt=day)
    )


@dataclass
class GuideCandidate:
    """A person in the pool (or a candidate) with his load, capacity, shift and training state."""

    profile: GuideProfile
    current_mentees: int
    last_training_on: datetime.date | None
    refresher_due_on: datetime.date | None
    shift: OrgUnit | None
    checks: list[CriterionCheck] = field(default_factory=list)

    @property
    def employee(self) -> Employee:
        return self.profile.employee

    @property
    def max_mentees(self) -> int:
        return self.profile.max_mentees

    @property
    def remaining(self) -> int:
        """How many more newcomers he can take now (never below 0)."""
        return max(self.profile.max_mentees - self.current_mentees, 0)

    @property
    def has_capacity(self) -> bool:
        return self.remaining > 0

    @property
    def training_status(self) -> str:
        """TRAINING_NONE (never trained), TRAINING_DUE (refresher overdue) or TRAINING_CURRENT."""
        if self.last_training_on is None:
            return TRAINING_NONE
        if self.refresher_due_on is not None and self.refresher_due_on <= timezone.localdate():
            return TRAINING_DUE
        return TRAINING_CURRENT

    @property
    def meets_required(self) -> bool:
        """Every required criterion met (a profile approved with an override may not)."""
        return all(check.is_met for check in self.checks if check.criterion.is_required)

    @property
    def unmet(self) -> list[CriterionCheck]:
        return [check for check in self.checks if check.state == NOT_MET]

    @property
    def met_count(self) -> int:
        return sum(1 for check in self.checks if check.is_met)

    @property
    def unconfirmed(self) -> list[CriterionCheck]:
        return [check for check in self.checks if check.state == UNCONFIRMED]


def _annotated(profiles: QuerySet[GuideProfile], day: datetime.date) -> QuerySet[GuideProfile]:
    load = (
        current_primary_mentorships(day)
        .filter(guide_id=OuterRef("employee_id"))
        .order_by()
        .values("guide_id")
        .annotate(n=Count("id"))
        .values("n")
    )
    return (
        profiles.select_related("employee", "employee__unit", "employee__job", "shift")
        .annotate(
            mentee_count=Coalesce(Subquery(load, output_field=IntegerField()), 0),
            last_training_on=Max("trainings__completed_on"),
        )
        .prefetch_related(
            Prefetch(
                "qualities",
                queryset=QualityConfirmation.objects.select_related("confirmed_by"),
            )
        )
    )


def _shift_of(profile: GuideProfile, shifts: Sequence[OrgUnit]) -> OrgUnit | None:
    """His shift: the one on the profile, else the nearest shift his unit lies in."""
    if profile.shift is not None:
        return profile.shift
    unit = profile.employee.unit
    if unit is None:
        return None
    found = [shift for shift in shifts if unit.path.startswith(shift.path)]
    return max(found, key=lambda shift: len(shift.path)) if found else None


def _shifts(organisation: Organisation) -> list[OrgUnit]:
    return list(OrgUnit.objects.filter(organisation=organisation, kind=UnitKind.SHIFT))


def _rows(
    profiles: QuerySet[GuideProfile],
    organisation: Organisation,
    day: datetime.date,
    shifts: Sequence[OrgUnit] | None = None,
    criteria: Sequence[EligibilityCriterion] | None = None,
) -> list[GuideCandidate]:
    shifts = _shifts(organisation) if shifts is None else shifts
    criteria = active_criteria(organisation) if criteria is None else criteria
    months = refresher_months()
    rows = []
    for profile in _annotated(profiles, day):
        last: datetime.date | None = profile.last_training_on  # type: ignore[attr-defined]
        rows.append(
            GuideCandidate(
                profile=profile,
                current_mentees=profile.mentee_count,  # type: ignore[attr-defined]
                last_training_on=last,
                refresher_due_on=_months_later(last, months) if last else None,
                shift=_shift_of(profile, shifts),
                checks=explain(profile, criteria, today=day),
            )
        )
    return rows


def eligible_guides(
    organisation: Organisation,
    *,
    include_full: bool = False,
    on: datetime.date | None = None,
) -> list[GuideCandidate]:
    """The peters/meters matching may propose: approved profiles of people still employed
    (on `on`, default today) with remaining capacity, i.e. `max_mentees` minus their current
    primary peter/meter guidances (`current_primary_mentorships`). With `include_full`, the
    approved ones without free capacity are included too (`remaining == 0`).

    Each `GuideCandidate` carries `profile` (with `employee`, its `unit` and `job`, and `shift`
    loaded), `current_mentees`, `remaining`, `shift` (the profile's shift or the shift his unit
    lies in), training dates and `checks` (see `explain`). Ordered by name. Four queries,
    whatever the size of the pool.
    """
    day = on or timezone.localdate()
    profiles = GuideProfile.objects.filter(
        organisation=organisation, status=GuideStatus.APPROVED
    ).filter(Q(employee__exit_date__isnull=True) | Q(employee__exit_date__gte=day))
    rows = _rows(profiles, organisation, day)
    if include_full:
        return rows
    return [row for row in rows if row.has_capacity]


# --- Pool page -----------------------------------------------------------------------------------


@dataclass
class ShiftCoverage:
    """One shift: how many people work in it and which peters/meters with free capacity cover it."""

    shift: OrgUnit
    people: int
    guides: list[GuideCandidate]
    full: list[GuideCandidate] = field(default_factory=list)  # in this shift, no free place

    @property
    def covered(self) -> bool:
        return bool(self.guides)

    @property
    def free_places(self) -> int:
        return sum(guide.remaining for guide in self.guides)


@dataclass
class PoolOverview:
    members: list[GuideCandidate]
    candidates: list[GuideCandidate]
    coverage: list[ShiftCoverage]
    criteria: list[EligibilityCriterion]
    refresher_months: int

    @property
    def capacity(self) -> int:
        return sum(member.max_mentees for member in self.members)

    @property
    def in_use(self) -> int:
        return sum(min(member.current_mentees, member.max_mentees) for member in self.members)

    @property
    def free(self) -> int:
        return sum(member.remaining for member in self.members)

    @property
    def uncovered(self) -> list[ShiftCoverage]:
        return [row for row in self.coverage if not row.covered]

    @property
    def training_due(self) -> list[GuideCandidate]:
        return [m for m in self.members if m.training_status != TRAINING_CURRENT]


def pool_overview(
    organisation: Organisation, *, on: datetime.date | None = None, scope: Q | None = None
) -> PoolOverview:
    """Everyone in the pool and every open candidate, the capacity, and the coverage per shift
    (MEN-03: at least one peter/meter per shift: every unit of the kind shift in which active
    people work). With `scope` (a filter on the profiles, e.g.
    `access.employee_scope_q(roles, prefix="employee__")`), members and candidates are limited
    to the people the viewer may see; the coverage stays organisation-wide. Five queries."""
    day = on or timezone.localdate()
    shifts = _shifts(organisation)
    criteria = active_criteria(organisation)
    profiles = GuideProfile.objects.filter(
        organisation=organisation, status__in=[GuideStatus.APPROVED, GuideStatus.CANDIDATE]
    ).filter(Q(employee__exit_date__isnull=True) | Q(employee__exit_date__gte=day))
    if scope is not None:
        profiles = profiles.annotate(in_scope=ExpressionWrapper(scope, output_field=BooleanField()))
    rows = _rows(profiles, organisation, day, shifts, criteria)
    approved = [row for row in rows if row.profile.status == GuideStatus.APPROVED]
    # People per shift: one query of the active people's unit paths.
    paths = list(
        Employee.objects.filter(organisation=organisation, unit__isnull=False)
        .active(day)
        .values_list("unit__path", flat=True)
    )
    coverage = []
    for shift in shifts:
        people = sum(1 for path in paths if path.startswith(shift.path))
        if not people:
            continue  # a shift nobody works in needs no peter/meter
        here = [row for row in approved if row.shift is not None and row.shift.pk == shift.pk]
        coverage.append(
            ShiftCoverage(
                shift=shift,
                people=people,
                guides=[row for row in here if row.has_capacity],
                full=[row for row in here if not row.has_capacity],
            )
        )
    if scope is not None:
        rows = [row for row in rows if row.profile.in_scope]  # type: ignore[attr-defined]
    return PoolOverview(
        members=[row for row in rows if row.profile.status == GuideStatus.APPROVED],
        candidates=[row for row in rows if row.profile.status == GuideStatus.CANDIDATE],
        coverage=coverage,
        criteria=criteria,
        refresher_months=refresher_months(),
    )


def guide_detail(profile: GuideProfile, *, on: datetime.date | None = None) -> GuideCandidate:
    """One profile as a row of the pool, with its checks (four queries)."""
    day = on or timezone.localdate()
    rows = _rows(GuideProfile.objects.filter(pk=profile.pk), profile.organisation, day)
    return rows[0]


def trainings_of(profile: GuideProfile) -> list[GuideTraining]:
    return list(profile.trainings.select_related("recorded_by"))


def proposable_people(*, access: Access) -> list[tuple[int, str]]:
    """People the viewer may propose as peter/meter: active, within the proposing roles' scope,
    not himself, not already in the pool or a candidate (one query)."""
    roles = PERMISSIONS["onboarding.propose_guide"].roles
    people = (
        Employee.objects.active()
        .filter(access.employee_scope_q(roles))
        .exclude(
            guide_profile__status__in=[GuideStatus.APPROVED, GuideStatus.CANDIDATE],
        )
        .select_related("unit")
        .order_by("last_name", "first_name", "id")
    )
    if access.employee_id is not None:
        people = people.exclude(pk=access.employee_id)
    return [
        (
            person.pk,
            f"{person.last_name}, {person.first_name}"
            + (f" ({person.unit.name})" if person.unit else ""),
        )
        for person in people
    ]


def own_profile(*, employee_id: int | None) -> GuideProfile | None:
    """The person's own pool profile, if any (one query)."""
    if employee_id is None:
        return None
    return GuideProfile.objects.filter(employee_id=employee_id).select_related("employee").first()


def shift_choices(organisation: Organisation) -> QuerySet[OrgUnit]:
    return OrgUnit.objects.filter(organisation=organisation, kind=UnitKind.SHIFT)


def is_guide_of(*, guide: Employee, learner_id: int | None) -> bool:
    """Whether `guide` currently guides the person `learner_id` (primary or backup; one query)."""
    if learner_id is None:
        return False
    return GuidanceModel.objects.current().filter(guide=guide, learner_id=learner_id).exists()
