"""Reads for gaps against requirements, training needs and knowledge-retention risk (COMP-05,
COMP-06), each in a fixed number of queries."""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from leerplek.competences.models import (
    Assessment,
    Competence,
    Level,
    NeedStatus,
    Requirement,
    TrainingNeed,
    WorkRelease,
)
from leerplek.competences.selectors import expiry_warning_days, reachable_unit_choices
from leerplek.core.access import Access
from leerplek.core.permissions import PERMISSIONS
from leerplek.core.roles import Role
from leerplek.people.models import Employee, Job, JobAssignment, Organisation, OrgUnit

GAP_ROLES = PERMISSIONS["competences.view_gaps"].roles
NEED_ROLES = PERMISSIONS["competences.manage_needs"].roles


def unit_choices(
    *, organisation: Organisation, access: Access, roles: Iterable[Role]
) -> list[tuple[int, str]]:
    """Units reachable through `roles`, indented in tree order (one query)."""
    return reachable_unit_choices(organisation=organisation, access=access, roles=roles)


# --- Gaps ----------------------------------------------------------------------------------------


@dataclass
class Gap:
    employee: Employee
    competence: Competence
    required: Level
    actual_code: str = ""  # "" when the person was never officially assessed
    actual_name: str = ""
    assessed_on: datetime.date | None = None
    since: datetime.date | None = None
    mandatory: bool = True
    has_open_need: bool = False


def gaps_for_unit(*, unit: OrgUnit, access: Access) -> list[Gap]:
    """Every requirement of the function or workstation of each active person in `unit` and its
    sub-units (as far as `access` reaches through the gap roles) that his current official level
    does not meet: below the required rank, or never assessed.

    When a competence is required by both his function and his workstation the higher level
    counts, and it is mandatory if either says so. "Since" is the start of his current function
    assignment for a function requirement, else his hire date (requirements carry no date).
    Five queries whatever the size; a competence or level required many times is one object.
    """
    scope = (
        Employee.objects.active()
        .in_subtree(unit)
        .filter(organisation_id=unit.organisation_id)
        .filter(access.employee_scope_q(GAP_ROLES))
    )
    people = list(scope.select_related("unit"))
    job_ids = {p.job_id for p in people if p.job_id}
    station_ids = {p.workstation_id for p in people if p.workstation_id}
    if not people or not (job_ids or station_ids):
        return []
    by_job: dict[int, list[_Need]] = defaultdict(list)
    by_station: dict[int, list[_Need]] = defaultdict(list)
    for requirement in _needs(
        Requirement.objects.filter(organisation_id=unit.organisation_id, competence__is_active=True)
        .filter(Q(job_id__in=job_ids) | Q(workstation_id__in=station_ids))
        .order_by("competence__code", "id")
    ):
        if requirement.job_id:
            by_job[requirement.job_id].append(requirement)
        else:
            by_station[requirement.workstation_id].append(requirement)  # type: ignore[index]
    competence_ids = {
        r.competence_id for rs in (*by_job.values(), *by_station.values()) for r in rs
    }
    latest: dict[tuple[int, int], tuple[int, str, str, datetime.date]] = {}
    for row in (
        Assessment.objects.filter(
            employee__in=scope, competence_id__in=competence_ids, is_self=False
        )
        .order_by("employee_id", "competence_id", "-assessed_on", "-created_at", "-id")
        .values_list(
            "employee_id",
            "competence_id",
            "level__rank",
            "level__code",
            "level__name",
            "assessed_on",
        )
    ):
        latest.setdefault((row[0], row[1]), row[2:])
    open_needs = set(
        TrainingNeed.objects.filter(
            employee__in=scope, competence_id__in=competence_ids, status=NeedStatus.OPEN
        ).values_list("employee_id", "competence_id")
    )
    # The start of the current (open) assignment to the person's current function.
    started: dict[tuple[int, int], datetime.date] = {}
    for employee_id, job_id, start in (
        JobAssignment.objects.filter(employee__in=scope, end_date__isnull=True)
        .order_by("employee_id", "-start_date")
        .values_list("employee_id", "job_id", "start_date")
    ):
        started.setdefault((employee_id, job_id), start)
    gaps: list[Gap] = []
    for person in people:
        wanted: dict[int, tuple[_Need, bool, bool]] = {}  # competence: (req, mandatory, job)
        job_reqs = by_job.get(person.job_id, []) if person.job_id else []
        station_reqs = by_station.get(person.workstation_id, []) if person.workstation_id else []
        for requirement in [*job_reqs, *station_reqs]:
            current = wanted.get(requirement.competence_id)
            from_job = requirement.job_id is not None
            if current is None:
                wanted[requirement.competence_id] = (requirement, requirement.mandatory, from_job)
                continue
            mandatory = current[1] or requirement.mandatory
            best = requirement if requirement.level.rank > current[0].level.rank else current[0]
            wanted[requirement.competence_id] = (best, mandatory, current[2] or from_job)
        for competence_id, (requirement, mandatory, from_job) in wanted.items():
            found = latest.get((person.pk, competence_id))
            if found is not None and found[0] >= requirement.level.rank:
                continue
            since = person.hire_date
            assigned = started.get((person.pk, person.job_id or 0))
            if from_job and assigned is not None:
                since = max(since, assigned)
            gaps.append(
                Gap(
                    employee=person,
                    competence=requirement.competence,
                    required=requirement.level,
                    actual_code=found[1] if found else "",
                    actual_name=found[2] if found else "",
                    assessed_on=found[3] if found else None,
                    since=since,
                    mandatory=mandatory,
                    has_open_need=(person.pk, competence_id) in open_needs,
                )
            )
    gaps.sort(
        key=lambda g: (
            g.employee.last_name,
            g.employee.first_name,
            g.employee.pk,
            g.competence.code,
        )
    )
    return gaps


@dataclass
class _Need:
    """A requirement as the gap list needs it, sharing one object per competence and level."""

    competence_id: int
    competence: Competence
    level: Level
    mandatory: bool
    job_id: int | None
    workstation_id: int | None


_COMPETENCE_FIELDS = [f.attname for f in Competence._meta.concrete_fields]
_COMPETENCE_COLUMNS = [f"competence__{f.name}" for f in Competence._meta.concrete_fields]
_LEVEL_FIELDS = [f.attname for f in Level._meta.concrete_fields]


def _needs(requirements: QuerySet[Requirement]) -> list[_Need]:
    """The requirements in one query of plain values: building a model instance per row costs
    more than the query when a unit's people need a thousand requirements of a few hundred
    competences. The competences and levels are whole instances (every concrete field)."""
    own = ["competence_id", "mandatory", "job_id", "workstation_id"]
    columns = [
        *own,
        *_COMPETENCE_COLUMNS,
        *(f"level__{f.name}" for f in Level._meta.concrete_fields),
    ]
    competences: dict[int, Competence] = {}
    levels: dict[int, Level] = {}
    db = requirements.db
    found = []
    split = len(own) + len(_COMPETENCE_FIELDS)
    for row in requirements.values_list(*columns):
        competence_values, level_values = row[len(own) : split], row[split:]
        competence = competences.get(competence_values[0])
        if competence is None:
            competence = Competence.from_db(db, _COMPETENCE_FIELDS, competence_values)
            competences[competence.pk] = competence
        level = levels.get(level_values[0])
        if level is None:
            level = levels[level_values[0]] = Level.from_db(db, _LEVEL_FIELDS, level_values)
        found.append(_Need(row[0], competence, level, row[1], row[2], row[3]))
    return found


# --- Training needs ------------------------------------------------------------------------------


def training_need_list(*, access: Access, status: str = NeedStatus.OPEN) -> QuerySet[TrainingNeed]:
    """Needs of people and units the viewer reaches through the need roles, newest first; one
    query per page. An empty `status` lists every status."""
    needs = TrainingNeed.objects.filter(organisation=access.organisation)
    paths = access.scope_paths(NEED_ROLES)
    if paths is not None:
        reach = Q(pk__in=[])
        for path in paths:
            reach |= Q(employee__unit__path__startswith=path) | Q(unit__path__startswith=path)
        needs = needs.filter(reach)
    if status:
        needs = needs.filter(status=status)
    return needs.select_related(
        "employee", "employee__unit", "unit", "competence", "required_level", "created_by"
    ).order_by("-created_at", "-id")


# --- Knowledge-retention risk --------------------------------------------------------------------


@dataclass
class Holder:
    employee_id: int
    name: str
    leaves_on: datetime.date | None = None  # planned exit, exit or retirement within the horizon
    retires: bool = False


@dataclass
class RetentionRisk:
    competence: Competence
    ideal: int
    months_to_independence: int
    holders: list[Holder] = field(default_factory=list)
    score: int = 0

    @property
    def holder_count(self) -> int:
        return len(self.holders)

    @property
    def leaving(self) -> list[Holder]:
        return [h for h in self.holders if h.leaves_on is not None]

    @property
    def leaving_count(self) -> int:
        return len(self.leaving)

    @property
    def short(self) -> bool:
        return self.holder_count < self.ideal

    @property
    def mostly_leaving(self) -> bool:
        return self.holder_count > 0 and 2 * self.leaving_count > self.holder_count


def _add_months(day: datetime.date, months: int) -> datetime.date:
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    for last in (31, 30, 29, 28):
        try:
            return day.replace(year=year, month=month, day=min(day.day, last))
        except ValueError:
            continue
    raise ValueError(day)  # pragma: no cover - day 28 exists in every month


def retention_risks(
    *,
    organisation: Organisation,
    horizon_months: int,
    retirement_age: int,
    today: datetime.date | None = None,
) -> list[RetentionRisk]:
    """Competences with a requirement whose knowledge is at risk, highest score first.

    A competence is at risk when fewer active people hold it at a level that counts for coverage
    than its ideal number (the highest ideal of its requirements, at least 1), or when more than
    half of its holders leave within `horizon_months`: an exit or planned exit date in the
    horizon, or reaching `retirement_age` (from the birth date) in it. The score is the worse of
    the two shares (missing holders after the leavers go, over the ideal; leavers over holders),
    in percent, times the months a successor needs to become independent: the highest
    `months_to_independence` of the functions requiring it, or the function default when only
    workstations require it. Three queries.
    """
    today = today or timezone.localdate()
    horizon_end = _add_months(today, horizon_months)
    default_months: int = Job._meta.get_field("months_to_independence").default
    risks: dict[int, RetentionRisk] = {}
    # Plain values, one competence instance each: an organisation has thousands of requirements.
    requirements = Requirement.objects.filter(
        organisation=organisation, competence__is_active=True
    ).order_by()
    db = requirements.db
    for ideal, job_id, months, *competence_values in requirements.values_list(
        "ideal_count", "job_id", "job__months_to_independence", *_COMPETENCE_COLUMNS
    ):
        risk = risks.get(competence_values[0])
        if risk is None:
            competence = Competence.from_db(db, _COMPETENCE_FIELDS, competence_values)
            risk = risks[competence.pk] = RetentionRisk(
                competence=competence, ideal=1, months_to_independence=0
            )
        risk.ideal = max(risk.ideal, ideal)
        if job_id is not None:
            risk.months_to_independence = max(risk.months_to_independence, months)
    if not risks:
        return []
    # The holders: active people whose latest official assessment of a competence (by date, then
    # recording time, then id) is at a covering level. The database keeps the latest rows (a
    # newer one would exist otherwise), so only holdings travel, not every assessment.
    active = Employee.objects.filter(organisation=organisation).filter(
        Q(exit_date__isnull=True) | Q(exit_date__gte=today)
    )
    newer = Assessment.objects.filter(
        employee_id=OuterRef("employee_id"), competence_id=OuterRef("competence_id"), is_self=False
    ).filter(
        Q(assessed_on__gt=OuterRef("assessed_on"))
        | Q(assessed_on=OuterRef("assessed_on"), created_at__gt=OuterRef("created_at"))
        | Q(
            assessed_on=OuterRef("assessed_on"),
            created_at=OuterRef("created_at"),
            id__gt=OuterRef("id"),
        )
    )
    held = list(
        Assessment.objects.filter(
            organisation=organisation,
            competence_id__in=risks.keys(),
            is_self=False,
            level__counts_for_coverage=True,
            employee__in=active.values("pk"),
        )
        .exclude(Exists(newer))
        .order_by()
        .values_list("employee_id", "competence_id")
    )
    held.sort()  # holders with the same name stay in a fixed order
    holding = {employee_id for employee_id, _competence_id in held}
    people: dict[int, tuple[str, Any, Any, Any]] = {
        pk: (f"{last_name}, {first_name}", birth_date, exit_date, planned_exit)
        for pk, first_name, last_name, birth_date, exit_date, planned_exit in active.values_list(
            "pk", "first_name", "last_name", "birth_date", "exit_date", "planned_exit_date"
        )
        if pk in holding
    }
    leaving: dict[int, tuple[datetime.date | None, bool]] = {}
    for employee_id, (_name, birth_date, exit_date, planned_exit) in people.items():
        dates = [d for d in (exit_date, planned_exit) if d is not None and d <= horizon_end]
        retires_on = None
        if birth_date is not None:
            retires_on = _add_months(birth_date, 12 * retirement_age)
            if retires_on > horizon_end:
                retires_on = None
        first = min([*dates, *([retires_on] if retires_on else [])], default=None)
        leaving[employee_id] = (first, first is not None and first == retires_on)
    for employee_id, competence_id in held:
        leaves_on, retires = leaving[employee_id]
        risks[competence_id].holders.append(
            Holder(employee_id, people[employee_id][0], leaves_on, retires)
        )
    result = []
    for risk in risks.values():
        if not (risk.short or risk.mostly_leaving):
            continue
        risk.months_to_independence = risk.months_to_independence or default_months
        remaining = risk.holder_count - risk.leaving_count
        missing_share = max(risk.ideal - remaining, 0) / risk.ideal
        leaving_share = risk.leaving_count / risk.holder_count if risk.holder_count else 0
        risk.score = round(100 * max(missing_share, leaving_share)) * risk.months_to_independence
        risk.holders.sort(key=lambda h: h.name)
        result.append(risk)
    result.sort(key=lambda r: (-r.score, r.competence.code))
    return result


@dataclass
class TeamSummary:
    """What a line manager's home page shows about the competences of his units."""

    gaps: int
    people_with_gaps: int
    expiring: int
    not_released: int
    first_unit_id: int | None
    warning_days: int = 60


def team_summary(*, access: Access) -> TeamSummary | None:
    """Gaps, current qualifications whose valid-until date falls within the warning period
    (`LEERPLEK["EXPIRY_WARNING_DAYS"]`) and people not released to work alone at their
    workstation, over the units a manager leads. None for someone who manages no unit.
    An assessment replaced by a newer official one no longer counts as expiring.

    Gaps cost the queries of `gaps_for_unit` once per managed unit (a manager leads one or a few);
    the other two figures are one query each, whatever the number of people.
    """
    unit_ids = [g.unit_id for g in access.grants if g.role == Role.MANAGER and g.unit_id]
    if access.organisation is None or not unit_ids:
        return None
    units = list(OrgUnit.objects.filter(pk__in=unit_ids).order_by("path"))
    gaps: list[Gap] = []
    for unit in units:
        gaps.extend(gaps_for_unit(unit=unit, access=access))
    scope = Employee.objects.active().filter(access.employee_scope_q([Role.MANAGER]))
    today = timezone.localdate()
    newer = Assessment.objects.filter(
        employee=OuterRef("employee"), competence=OuterRef("competence"), is_self=False
    ).filter(
        Q(assessed_on__gt=OuterRef("assessed_on"))
        | Q(assessed_on=OuterRef("assessed_on"), created_at__gt=OuterRef("created_at"))
    )
    expiring = (
        Assessment.objects.filter(
            employee__in=scope,
            is_self=False,
            valid_until__gte=today,
            valid_until__lte=today + datetime.timedelta(days=expiry_warning_days()),
        )
        .exclude(Exists(newer))
        .count()
    )
    released = WorkRelease.objects.filter(
        employee=OuterRef("pk"), workstation=OuterRef("workstation"), revoked_on__isnull=True
    )
    not_released = scope.filter(workstation__isnull=False).exclude(Exists(released)).count()
    return TeamSummary(
        gaps=len(gaps),
        people_with_gaps=len({gap.employee.pk for gap in gaps}),
        expiring=expiring,
        not_released=not_released,
        first_unit_id=units[0].pk if units else None,
        warning_days=expiry_warning_days(),
    )
