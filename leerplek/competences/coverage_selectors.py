"""Coverage over time (issue 4): per month, the share of a unit's people at a level that counts for
coverage, for one competence or for each competence the unit requires.

Definitions (also in docs/competences.md, "Coverage over time"):

- The people of a month are the current active members of the unit and its sub-units (as far as
  the viewer's matrix roles reach) whose hire date is on or before the day measured. People who
  left are not counted in any month, and a person who moved into the unit counts in the months
  before the move too: the register keeps no unit history, so the chart shows how the present
  team grew its skills, not how the team of two years ago looked.
- The day measured is the last day of each month, or today for the current month.
- A person's level on that day is his latest official (not self-) assessment on or before it, by
  (assessed on, recorded, id) like the matrix. It covers when its level counts for coverage and
  its "valid until" date, if any, is not before that day: an expired qualification no longer
  covers, even when nobody recorded a new assessment.

Three queries whatever the number of people, competences or assessments (two for one competence).
"""

from __future__ import annotations

import calendar
import datetime
import itertools
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Q
from django.utils import timezone

from leerplek.competences.models import Assessment, Competence, Requirement
from leerplek.competences.selectors import MATRIX_ROLES
from leerplek.core.access import Access
from leerplek.people.models import Employee, Organisation, OrgUnit

# At most this many competences get a line in the chart; the table below it shows them all.
MAX_LINES = 8


@dataclass
class MonthPoint:
    month: datetime.date  # the first day of the month
    as_of: datetime.date  # the day measured: the month's last day, or today
    covered: int = 0
    people: int = 0
    rise: int | None = None  # percentage points up (or down) since the month before

    @property
    def percent(self) -> int | None:
        """The share of people covering, in whole percent; None for a month without people."""
        if not self.people:
            return None
        return (200 * self.covered + self.people) // (2 * self.people)  # halves round up

    @property
    def previous_percent(self) -> int | None:
        """The share the month before, when there was one to compare with."""
        percent = self.percent
        return None if percent is None or self.rise is None else percent - self.rise


@dataclass
class CoverageSeries:
    competence: Competence
    points: list[MonthPoint]
    index: int = 0  # the line's colour and dash pattern in the chart

    @property
    def biggest_rise(self) -> MonthPoint | None:
        """The month with the largest rise over the month before (the earliest on a tie); None
        when coverage never rose."""
        best: MonthPoint | None = None
        for point in self.points:
            if (point.rise or 0) > 0 and (best is None or (point.rise or 0) > (best.rise or 0)):
                best = point
        return best

    @property
    def latest(self) -> MonthPoint | None:
        return self.points[-1] if self.points else None


@dataclass
class CoverageHistory:
    unit: OrgUnit
    months: list[MonthPoint]  # the months measured, with the number of people in each
    series: list[CoverageSeries] = field(default_factory=list)

    @property
    def charted(self) -> list[CoverageSeries]:
        return self.series[:MAX_LINES]

    @property
    def rows(self) -> list[tuple[MonthPoint, list[tuple[CoverageSeries, MonthPoint]]]]:
        """The table under the chart: per month, each series' point."""
        return [
            (month, [(series, series.points[index]) for series in self.series])
            for index, month in enumerate(self.months)
        ]

    @property
    def has_people(self) -> bool:
        return any(point.people for point in self.months)

    @property
    def biggest_rise(self) -> tuple[CoverageSeries, MonthPoint] | None:
        """The largest monthly rise of any series, for the summary above the chart."""
        best: tuple[CoverageSeries, MonthPoint] | None = None
        for series in self.series:
            point = series.biggest_rise
            if point is not None and (best is None or (point.rise or 0) > (best[1].rise or 0)):
                best = (series, point)
        return best


def coverage_months(*, months: int, today: datetime.date) -> list[MonthPoint]:
    """The last `months` months up to and including the current one, oldest first."""
    points = []
    for back in range(months - 1, -1, -1):
        year, month = divmod(today.year * 12 + today.month - 1 - back, 12)
        first = datetime.date(year, month + 1, 1)
        last = first.replace(day=calendar.monthrange(first.year, first.month)[1])
        points.append(MonthPoint(month=first, as_of=min(last, today)))
    return points


def coverage_competence_choices(*, organisation: Organisation) -> list[tuple[int, str]]:
    """Active competences of the organisation, by code, for the chart's choice (one query)."""
    return [
        (pk, f"{code} {name}")
        for pk, code, name in Competence.objects.filter(
            organisation=organisation, is_active=True
        ).values_list("pk", "code", "name")
    ]


def coverage_history(
    *,
    unit: OrgUnit,
    access: Access,
    months: int,
    competence: Competence | None = None,
    today: datetime.date | None = None,
) -> CoverageHistory:
    """Coverage per month over the last `months` months of `unit` and its sub-units: for
    `competence`, or else for every active competence the unit requires (by its people's
    functions and workstations, or its own workstations), by code. See the module docstring for
    who counts and which level counts."""
    today = today or timezone.localdate()
    points = coverage_months(months=max(months, 1), today=today)
    scope = (
        Employee.objects.active(today)
        .in_subtree(unit)
        .filter(organisation_id=unit.organisation_id)
        .filter(access.employee_scope_q(MATRIX_ROLES))
    )
    people = list(scope.values_list("pk", "hire_date", "job_id", "workstation_id"))
    hired = {pk: hire_date for pk, hire_date, _job, _station in people}
    for point in points:
        point.people = sum(1 for day in hired.values() if day <= point.as_of)
    history = CoverageHistory(unit=unit, months=points)
    if competence is not None:
        competences = [competence]
    else:
        if not people:
            return history
        job_ids = {job for _pk, _day, job, _station in people if job}
        station_ids = {station for _pk, _day, _job, station in people if station}
        found = {
            requirement.competence_id: requirement.competence
            for requirement in Requirement.objects.filter(
                organisation_id=unit.organisation_id, competence__is_active=True
            )
            .filter(
                Q(job_id__in=job_ids)
                | Q(workstation_id__in=station_ids)
                | Q(workstation__unit__path__startswith=unit.path)
            )
            .select_related("competence")
        }
        competences = sorted(found.values(), key=lambda c: c.code)
    if not competences:
        return history
    # Each person's official assessments per competence, oldest first.
    timelines: dict[tuple[int, int], list[tuple[datetime.date, bool, datetime.date | None]]]
    timelines = defaultdict(list)
    if people:
        for employee_id, competence_id, assessed_on, covers, valid_until in (
            Assessment.objects.filter(
                employee__in=scope,
                competence_id__in=[c.pk for c in competences],
                is_self=False,
                assessed_on__lte=points[-1].as_of,
            )
            .order_by("employee_id", "competence_id", "assessed_on", "created_at", "id")
            .values_list(
                "employee_id",
                "competence_id",
                "assessed_on",
                "level__counts_for_coverage",
                "valid_until",
            )
        ):
            timelines[(employee_id, competence_id)].append((assessed_on, covers, valid_until))
    covered: dict[int, list[int]] = {c.pk: [0] * len(points) for c in competences}
    for (employee_id, competence_id), timeline in timelines.items():
        hire_date = hired[employee_id]
        counts = covered[competence_id]
        position = -1
        for index, point in enumerate(points):
            while position + 1 < len(timeline) and timeline[position + 1][0] <= point.as_of:
                position += 1
            if position < 0 or hire_date > point.as_of:
                continue
            _assessed_on, covers, valid_until = timeline[position]
            if covers and (valid_until is None or valid_until >= point.as_of):
                counts[index] += 1
    for number, item in enumerate(competences):
        series_points = [
            MonthPoint(month=p.month, as_of=p.as_of, covered=count, people=p.people)
            for p, count in zip(points, covered[item.pk], strict=True)
        ]
        for before, after in itertools.pairwise(series_points):
            if before.percent is not None and after.percent is not None:
                after.rise = after.percent - before.percent
        history.series.append(CoverageSeries(competence=item, points=series_points, index=number))
    return history
