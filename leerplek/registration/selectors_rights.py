"""Reads of the individual training right (belgian-rules.md §3.2;
docs/registration-rights-volume.md).

Per worker per calendar year:

- **entitled** = the days a full-timer has that year x the share of the year he was employed,
  weighted by his work regime (`EmployeeRegime`; full-time outside every period), two decimals.
  The full-time days come from the company size in FTE (`OrganisationRightYear.fte`, or an
  estimate from the register, see `estimate_fte`): `LEERPLEK["RIGHT_DAYS_BY_SIZE"]` (< 10 FTE
  none, 10-19 one day, >= 20 five days from 2024), or from the sector rule in use for that year;
- **carried** = the balance of the previous year, when the rule in use carries unused days over
  and both years lie in the same reset period (otherwise 0; the legal right does not carry over);
- **followed** = the hours of completed participations on confirmed, not excluded activities that
  count for the right (`Activity.counts_for_right`) and end in that year, ÷
  `LEERPLEK["HOURS_PER_DAY"]`, two decimals;
- **balance** = entitled + carried - followed, never below 0 (days followed beyond the right are
  not carried on as an advance).

Everything is computed for a whole list of workers in a fixed number of queries (the year
settings with their rules, the own staff for the FTE estimate, the work regimes, and the hours per
worker per year aggregated in SQL); a Python pass over the years follows per worker.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.conf import settings
from django.db.models import Func, IntegerField, Q, QuerySet, Sum
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from leerplek.core.access import Access
from leerplek.core.roles import Role
from leerplek.people.models import Employee, Organisation, PersonType
from leerplek.registration.models import (
    ActivityStatus,
    EmployeeRegime,
    OrganisationRightYear,
    Participation,
    ParticipationStatus,
    SectorRightRule,
)

CENT = Decimal("0.01")
ZERO = Decimal("0.00")
FULL_TIME = Decimal("1")
VIEW_ROLES = (Role.HR, Role.ADMIN, Role.MANAGER)


def config(key: str, default: Any) -> Any:
    """The one place this area reads settings; the defaults are documented in
    docs/registration-rights-volume.md and set in settings.LEERPLEK; the default here only
    serves a settings module that leaves a key out."""
    return settings.LEERPLEK.get(key, default)


def hours_per_day() -> Decimal:
    return Decimal(str(config("HOURS_PER_DAY", "7.6")))


def size_table() -> list[tuple[Decimal, Decimal]]:
    """(from FTE, days per full-timer), lowest first."""
    rows = config("RIGHT_DAYS_BY_SIZE", ((0, 0), (10, 1), (20, 5)))
    return sorted((Decimal(str(low)), Decimal(str(days))) for low, days in rows)


def first_right_year() -> int:
    """[V-primary] The Arbeidsdeal's individual right starts in 2022; no right before."""
    return int(config("RIGHT_FIRST_YEAR", 2022))


def early_top_days() -> dict[int, Decimal]:
    """[V-secondary] The top size class had 3 days in 2022 and 4 in 2023 (5 from 2024)."""
    rows = config("RIGHT_DAYS_TOP_CLASS_EARLY", ((2022, 3), (2023, 4)))
    return {int(year): Decimal(str(days)) for year, days in rows}


def right_person_types() -> tuple[str, ...]:
    """Workers with a right: own staff under an employment contract (agency workers have theirs
    at the agency; apprentices, interns and trainees are not workers of the organisation)."""
    return tuple(config("RIGHT_PERSON_TYPES", (PersonType.EMPLOYEE,)))


def _round(value: Decimal) -> Decimal:
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def year_start(year: int) -> datetime.date:
    return datetime.date(year, 1, 1)


def year_end(year: int) -> datetime.date:
    return datetime.date(year, 12, 31)


# --- Work regimes and FTE ---------------------------------------------------------------------


def regimes_by_employee(
    regimes: Iterable[EmployeeRegime],
) -> dict[int, list[tuple[datetime.date, datetime.date | None, Decimal]]]:
    found: dict[int, list[tuple[datetime.date, datetime.date | None, Decimal]]] = defaultdict(list)
    for regime in regimes:
        found[regime.employee_id].append((regime.start, regime.end, regime.fraction))
    for periods in found.values():
        periods.sort(key=lambda period: period[0])
    return found


def fraction_on(
    periods: Sequence[tuple[datetime.date, datetime.date | None, Decimal]], day: datetime.date
) -> Decimal:
    """The work regime on `day`: the period holding it, else full-time."""
    for start, end, fraction in periods:
        if start <= day and (end is None or day <= end):
            return fraction
    return FULL_TIME


def weighted_days(
    *,
    hire: datetime.date,
    exit: datetime.date | None,
    periods: Sequence[tuple[datetime.date, datetime.date | None, Decimal]],
    start: datetime.date,
    end: datetime.date,
) -> Decimal:
    """The days of [start, end] the person was employed, each weighted by his work regime
    (a half-timer employed the whole of a 365-day year gives 182.5)."""
    first = max(hire, start)
    last = min(exit, end) if exit is not None else end
    if last < first:
        return Decimal("0")
    employed = Decimal((last - first).days + 1)
    # Days inside a part-time period count for `fraction` instead of 1.
    reduction = Decimal("0")
    for p_start, p_end, fraction in periods:
        low = max(first, p_start)
        high = min(last, p_end) if p_end is not None else last
        if high >= low:
            reduction += Decimal((high - low).days + 1) * (FULL_TIME - fraction)
    return employed - reduction


def reference_days(year: int) -> list[datetime.date]:
    """The quarter ends of the reference period that sets the company size for `year`: the FTE
    counts over Q4 of year n-2 and Q1-Q3 of year n-1 before each two-year period (the first
    started on 1 January 2022; FOD WASO FAQ, belgian-rules.md §3.1)."""
    first = first_right_year()
    period = first + 2 * ((year - first) // 2) if year >= first else year
    return [
        datetime.date(period - 2, 12, 31),
        datetime.date(period - 1, 3, 31),
        datetime.date(period - 1, 6, 30),
        datetime.date(period - 1, 9, 30),
    ]


def estimate_fte(
    staff: Sequence[tuple[int, datetime.date, datetime.date | None]],
    regimes: dict[int, list[tuple[datetime.date, datetime.date | None, Decimal]]],
    year: int,
) -> Decimal:
    """The own staff's FTE averaged over the reference period's four quarter ends, from the
    register (hire and exit dates, work regimes). An estimate: the legal count uses the FTE
    declared to the RSZ/ONSS, which HR can enter instead."""
    days = reference_days(year)
    total = Decimal("0")
    for pk, hire, exit in staff:
        periods = regimes.get(pk, ())
        for day in days:
            if hire <= day and (exit is None or exit >= day):
                total += fraction_on(periods, day)
    return _round(total / len(days))


# --- The rule of each year ----------------------------------------------------------------------


class SizeClass:
    UNDER_10 = "under_10"
    FROM_10 = "10_to_19"
    FROM_20 = "20_plus"


SIZE_LABELS = {
    SizeClass.UNDER_10: _("under 10 FTE"),
    SizeClass.FROM_10: _("10 to 19 FTE"),
    SizeClass.FROM_20: _("20 FTE or more"),
}


def size_class(fte: Decimal) -> str:
    if fte >= 20:
        return SizeClass.FROM_20
    if fte >= 10:
        return SizeClass.FROM_10
    return SizeClass.UNDER_10


def legal_days(fte: Decimal, year: int) -> Decimal:
    """Days per full-timer by company size (RIGHT_DAYS_BY_SIZE), none before the right began."""
    if year < first_right_year():
        return Decimal("0")
    table = size_table()
    days = Decimal("0")
    for low, class_days in table:
        if fte >= low:
            days = class_days
    if table and fte >= table[-1][0] and year in early_top_days():
        return early_top_days()[year]
    return days


def rule_days(rule: SectorRightRule, fte: Decimal, year: int) -> Decimal:
    """Days per full-timer under a sector rule: by size class; for 20 FTE or more, the latest
    year step at or before `year` when the rule has steps."""
    klass = size_class(fte)
    if klass == SizeClass.UNDER_10:
        return Decimal(rule.days_under_10)
    if klass == SizeClass.FROM_10:
        return Decimal(rule.days_10_to_19)
    steps = sorted(
        (int(key), Decimal(str(value))) for key, value in (rule.year_steps or {}).items()
    )
    days = Decimal(rule.days_20_plus)
    applicable = [value for step_year, value in steps if step_year <= year]
    if applicable:
        days = applicable[-1]
    return days


def period_index(rule: SectorRightRule, year: int) -> int:
    """Which reset period of the rule holds `year` (0 without a reset)."""
    if not rule.reset_years or rule.reset_start_year is None:
        return 0
    return (year - rule.reset_start_year) // rule.reset_years


@dataclass
class YearSetting:
    """How the right works in one year for the organisation."""

    year: int
    fte: Decimal
    fte_estimated: bool
    rule: SectorRightRule | None
    days: Decimal  # for a full-timer employed the whole year

    @property
    def size_class(self) -> str:
        return size_class(self.fte)

    @property
    def size_label(self) -> Any:
        return SIZE_LABELS[self.size_class]

    @property
    def carries_over(self) -> bool:
        return self.rule is not None and self.rule.carries_over


@dataclass
class _Context:
    """What one computation loaded: the year records and the data to estimate the FTE."""

    records: dict[int, OrganisationRightYear]
    staff: list[tuple[int, datetime.date, datetime.date | None]] | None
    regimes: dict[int, list[tuple[datetime.date, datetime.date | None, Decimal]]]
    organisation: Organisation
    settings: dict[int, YearSetting] = field(default_factory=dict)
    fte_cache: dict[datetime.date, Decimal] = field(default_factory=dict)
    carry_cache: dict[int, bool] = field(default_factory=dict)

    def rule_for(self, year: int) -> SectorRightRule | None:
        """The year's own record decides; a year without one keeps the rule of the latest
        earlier record (HR chooses the rule once). A rule applies from its first year."""
        record = self.records.get(year)
        if record is None:
            earlier = [y for y in self.records if y < year]
            record = self.records[max(earlier)] if earlier else None
        rule = record.rule if record is not None else None
        if rule is not None and rule.valid_from_year > year:
            return None
        return rule

    def staff_rows(self) -> list[tuple[int, datetime.date, datetime.date | None]]:
        if self.staff is None:
            self.staff = list(
                Employee.objects.filter(
                    organisation=self.organisation, person_type__in=right_person_types()
                ).values_list("pk", "hire_date", "exit_date")
            )
        return self.staff

    def setting(self, year: int) -> YearSetting:
        if year not in self.settings:
            record = self.records.get(year)
            rule = self.rule_for(year)
            if record is not None and record.fte is not None:
                fte, estimated = Decimal(record.fte), False
            else:
                key = reference_days(year)[0]
                if key not in self.fte_cache:
                    self.fte_cache[key] = estimate_fte(self.staff_rows(), self.regimes, year)
                fte, estimated = self.fte_cache[key], True
            days = rule_days(rule, fte, year) if rule is not None else legal_days(fte, year)
            self.settings[year] = YearSetting(
                year=year, fte=fte, fte_estimated=estimated, rule=rule, days=days
            )
        return self.settings[year]

    def carries_into(self, year: int) -> bool:
        """Whether the balance of `year - 1` carries into `year`: the same carrying rule in both
        years, inside one reset period."""
        if year not in self.carry_cache:
            self.carry_cache[year] = self._carries_into(year)
        return self.carry_cache[year]

    def _carries_into(self, year: int) -> bool:
        rule = self.rule_for(year)
        if rule is None or not rule.carries_over:
            return False
        previous = self.rule_for(year - 1)
        if previous is None or previous.pk != rule.pk or year - 1 < rule.valid_from_year:
            return False
        return period_index(rule, year - 1) == period_index(rule, year)

    def chain_start(self, year: int) -> int:
        """The first year whose balance can still reach `year` through carry-over."""
        start = year
        floor = first_right_year()
        while start > floor and self.carries_into(start):
            start -= 1
        return start


def _context(
    organisation: Organisation,
    regimes: dict[int, list[tuple[datetime.date, datetime.date | None, Decimal]]] | None = None,
) -> _Context:
    records = {
        record.year: record
        for record in OrganisationRightYear.objects.filter(organisation=organisation)
        .select_related("rule")
        .order_by("year")
    }
    if regimes is None:
        regimes = regimes_by_employee(EmployeeRegime.objects.filter(organisation=organisation))
    return _Context(records=records, staff=None, regimes=regimes, organisation=organisation)


def year_setting(organisation: Organisation, year: int) -> YearSetting:
    """The size, FTE (entered or estimated) and rule of `year` (at most four queries)."""
    return _context(organisation).setting(year)


# --- Rights per worker -----------------------------------------------------------------------


@dataclass
class RightYear:
    year: int
    entitled: Decimal
    carried: Decimal
    hours: Decimal
    followed: Decimal
    balance: Decimal
    regime: Decimal
    setting: YearSetting

    @property
    def available(self) -> Decimal:
        return self.entitled + self.carried

    @property
    def below(self) -> bool:
        """Fewer days followed than the right: the minimum-days compliance list."""
        return self.balance > 0


@dataclass
class WorkerRight:
    employee: Employee
    years: dict[int, RightYear]
    year: int

    @property
    def current(self) -> RightYear:
        """The figures of the year asked for."""
        return self.years[self.year]


class Unindexed(Func):
    """`(+column)`: the same number, but SQLite's planner no longer drives the join from an
    index on it. Filtering participations by `employee_id IN (subquery)` otherwise makes SQLite
    probe the (activity, employee) index once per activity and per person in scope: 30 s instead
    of 0.1 s on a million registrations. PostgreSQL reads `+x` as x."""

    template = "(+%(expressions)s)"
    output_field = IntegerField()


def counted_participations(organisation: Organisation) -> QuerySet[Participation]:
    """Participations whose hours count for the right (any year)."""
    return Participation.objects.filter(
        status=ParticipationStatus.COMPLETED,
        activity__organisation=organisation,
        activity__status=ActivityStatus.CONFIRMED,
        activity__exclusion="",
        activity__counts_for_right=True,
    )


def compute_rights(
    *,
    organisation: Organisation,
    people: Sequence[Employee],
    people_filter: QuerySet[Employee] | None,
    first: int,
    last: int,
) -> list[WorkerRight]:
    """The rights of `people` for the years `first`..`last` (and the earlier years their
    carry-over needs), in at most five queries. `people_filter` selects the same people in SQL
    (a subquery for the hours; None: by their ids)."""
    regime_rows = EmployeeRegime.objects.filter(organisation=organisation)
    context = _context(organisation, regimes_by_employee(regime_rows))
    start = min(context.chain_start(year) for year in range(first, last + 1))
    hours: dict[tuple[int, int], Decimal] = {}
    if people:
        selected = (
            people_filter.values("pk")
            if people_filter is not None
            else [person.pk for person in people]
        )
        # One conditional sum per year, grouped by person: no per-row date function (SQLite
        # runs EXTRACT as Python, a second per 200,000 rows).
        sums = {
            f"y{year}": Sum(
                "hours",
                filter=Q(
                    activity__end_date__gte=year_start(year),
                    activity__end_date__lte=year_end(year),
                ),
            )
            for year in range(start, last + 1)
        }
        rows = (
            counted_participations(organisation)
            .alias(person=Unindexed("employee_id"))
            .filter(
                person__in=selected,
                activity__end_date__gte=year_start(start),
                activity__end_date__lte=year_end(last),
            )
            .values("employee_id")
            .annotate(**sums)
            .order_by()
        )
        for row in rows:
            for year in range(start, last + 1):
                if row[f"y{year}"] is not None:
                    hours[(row["employee_id"], year)] = Decimal(row[f"y{year}"])
    per_day = hours_per_day()
    today = timezone.localdate()
    results: list[WorkerRight] = []
    for person in people:
        periods = context.regimes.get(person.pk, [])
        carried_on = ZERO
        years: dict[int, RightYear] = {}
        for year in range(start, last + 1):
            setting = context.setting(year)
            weight = weighted_days(
                hire=person.hire_date,
                exit=person.exit_date,
                periods=periods,
                start=year_start(year),
                end=year_end(year),
            )
            days_in_year = Decimal((year_end(year) - year_start(year)).days + 1)
            entitled = _round(setting.days * weight / days_in_year)
            carried = carried_on if context.carries_into(year) else ZERO
            spent = hours.get((person.pk, year), Decimal("0"))
            followed = _round(spent / per_day)
            balance = max(ZERO, entitled + carried - followed)
            last_day = min(
                year_end(year), person.exit_date or year_end(year), max(today, year_start(year))
            )
            years[year] = RightYear(
                year=year,
                entitled=entitled,
                carried=carried,
                hours=_round(spent),
                followed=followed,
                balance=balance,
                regime=fraction_on(periods, last_day),
                setting=setting,
            )
            carried_on = balance
        results.append(
            WorkerRight(
                employee=person,
                years={year: row for year, row in years.items() if year >= first},
                year=last,
            )
        )
    return results


def _scope_q(access: Access, roles: Iterable[Role], prefix: str = "") -> Q:
    """The people of the units the roles are granted on (the whole organisation for a grant
    without a unit); unlike `employee_scope_q`, not the user's own record."""
    if access.organisation is None:
        return Q(pk__in=[])
    org = Q(**{f"{prefix}organisation_id": access.organisation.pk})
    paths = access.scope_paths(roles)
    if paths is None:
        return org
    reach = Q(pk__in=[])
    for path in paths:
        reach |= Q(**{f"{prefix}unit__path__startswith": path})
    return org & reach


def employed_in(start: datetime.date, end: datetime.date) -> Q:
    return Q(hire_date__lte=end) & (Q(exit_date__isnull=True) | Q(exit_date__gte=start))


def workers_in_scope(
    *, access: Access, year: int, unit_path: str = "", query: str = ""
) -> QuerySet[Employee]:
    """The workers with a right in `year` whom `access` may see through the rights roles."""
    people = Employee.objects.filter(
        _scope_q(access, VIEW_ROLES),
        employed_in(year_start(year), year_end(year)),
        person_type__in=right_person_types(),
    )
    if unit_path:
        people = people.filter(unit__path__startswith=unit_path)
    for word in query.split():
        people = people.filter(Q(first_name__icontains=word) | Q(last_name__icontains=word))
    # Only what the lists and the export show: 10,000 full rows cost a second to build.
    return (
        people.select_related("unit").only(*WORKER_FIELDS).order_by("last_name", "first_name", "id")
    )


WORKER_FIELDS = (
    "organisation_id",
    "first_name",
    "last_name",
    "birth_date",
    "hire_date",
    "exit_date",
    "unit__name",
    "unit__path",
)


@dataclass
class RightList:
    year: int
    setting: YearSetting
    rows: list[WorkerRight]
    total_workers: int
    below_count: int
    entitled: Decimal
    followed: Decimal
    balance: Decimal


def right_list(
    *,
    access: Access,
    organisation: Organisation,
    year: int,
    unit_path: str = "",
    query: str = "",
    below_only: bool = False,
) -> RightList:
    """Every worker in scope with his right for `year`, by name; totals over all of them
    (six queries whatever the number of workers)."""
    people_filter = workers_in_scope(access=access, year=year, unit_path=unit_path, query=query)
    people = list(people_filter)
    rows = compute_rights(
        organisation=organisation,
        people=people,
        people_filter=people_filter,
        first=year,
        last=year,
    )
    below = [row for row in rows if row.current.below]
    setting = rows[0].current.setting if rows else year_setting(organisation, year)
    return RightList(
        year=year,
        setting=setting,
        rows=below if below_only else rows,
        total_workers=len(rows),
        below_count=len(below),
        entitled=sum((row.current.entitled + row.current.carried for row in rows), ZERO),
        followed=sum((row.current.followed for row in rows), ZERO),
        balance=sum((row.current.balance for row in rows), ZERO),
    )


@dataclass
class RightDetail:
    right: WorkerRight
    participations: dict[int, list[Participation]]
    regimes: list[EmployeeRegime]

    @property
    def years(self) -> list[RightYear]:
        return sorted(self.right.years.values(), key=lambda row: row.year, reverse=True)

    @property
    def groups(self) -> list[tuple[int, list[Participation]]]:
        """The counted registrations per year, newest year first."""
        return sorted(self.participations.items(), reverse=True)


def right_detail(*, organisation: Organisation, employee: Employee, year: int) -> RightDetail:
    """One worker's right for every year from his hire (or the right's first year) to `year`,
    with the registrations counted in each (seven queries at most)."""
    first = max(employee.hire_date.year, first_right_year())
    first = min(first, year)
    [right] = compute_rights(
        organisation=organisation, people=[employee], people_filter=None, first=first, last=year
    )
    counted = (
        counted_participations(organisation)
        .filter(
            employee=employee,
            activity__end_date__gte=year_start(first),
            activity__end_date__lte=year_end(year),
        )
        .select_related("activity")
        .order_by("-activity__end_date", "-activity_id")
    )
    by_year: dict[int, list[Participation]] = defaultdict(list)
    for participation in counted:
        by_year[participation.activity.end_date.year].append(participation)
    regimes = list(
        EmployeeRegime.objects.filter(organisation=organisation, employee=employee).order_by(
            "start", "id"
        )
    )
    return RightDetail(right=right, participations=dict(by_year), regimes=regimes)


def own_right(*, organisation: Organisation, employee: Employee, year: int) -> RightDetail:
    """A worker's own right (the same figures HR sees)."""
    return right_detail(organisation=organisation, employee=employee, year=year)


def rules_of(organisation: Organisation) -> list[SectorRightRule]:
    return list(SectorRightRule.objects.filter(organisation=organisation))


def right_years_of(organisation: Organisation) -> list[OrganisationRightYear]:
    return list(
        OrganisationRightYear.objects.filter(organisation=organisation)
        .select_related("rule")
        .order_by("-year")
    )


# --- Paid educational leave (REG-09) --------------------------------------------------------------


@dataclass
class LeaveRow:
    employee: Employee
    hours: Decimal
    outside: Decimal
    participations: list[Participation]


def educational_leave(
    *, access: Access, organisation: Organisation, year: int, unit_path: str = ""
) -> QuerySet[Employee]:
    """The people in scope who followed paid educational leave courses ending in `year`, with
    their totals (annotated `leave_hours`, `leave_outside`), by name."""
    leave = Q(
        learning_participations__status=ParticipationStatus.COMPLETED,
        learning_participations__activity__is_educational_leave=True,
        learning_participations__activity__organisation=organisation,
        learning_participations__activity__status=ActivityStatus.CONFIRMED,
        learning_participations__activity__end_date__gte=year_start(year),
        learning_participations__activity__end_date__lte=year_end(year),
    )
    people = Employee.objects.filter(_scope_q(access, VIEW_ROLES))
    if unit_path:
        people = people.filter(unit__path__startswith=unit_path)
    return (
        people.filter(leave)
        .annotate(
            leave_hours=Sum("learning_participations__hours", filter=leave),
            leave_outside=Sum("learning_participations__outside_working_hours", filter=leave),
        )
        .select_related("unit")
        .order_by("last_name", "first_name", "id")
    )


def leave_rows(
    *, organisation: Organisation, people: Sequence[Employee], year: int
) -> list[LeaveRow]:
    """The courses of one page of `educational_leave` (one query)."""
    courses: dict[int, list[Participation]] = defaultdict(list)
    for participation in (
        Participation.objects.filter(
            employee__in=[person.pk for person in people],
            status=ParticipationStatus.COMPLETED,
            activity__is_educational_leave=True,
            activity__organisation=organisation,
            activity__status=ActivityStatus.CONFIRMED,
            activity__end_date__gte=year_start(year),
            activity__end_date__lte=year_end(year),
        )
        .select_related("activity")
        .order_by("activity__start_date", "activity_id")
    ):
        courses[participation.employee_id].append(participation)
    return [
        LeaveRow(
            employee=person,
            hours=_round(Decimal(getattr(person, "leave_hours", 0) or 0)),
            outside=_round(Decimal(getattr(person, "leave_outside", 0) or 0)),
            participations=courses.get(person.pk, []),
        )
        for person in people
    ]
