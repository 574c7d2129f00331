"""Reads for the competence pages and the skills matrix, each in a fixed number of queries."""

from __future__ import annotations

import calendar
import datetime
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from django.conf import settings
from django.db.models import Count, Exists, Max, OuterRef, Q, QuerySet
from django.utils import timezone

from leerplek.competences.models import (
    Assessment,
    Competence,
    CompetenceGroup,
    Level,
    Requirement,
    WorkRelease,
)
from leerplek.core.access import Access
from leerplek.core.permissions import PERMISSIONS
from leerplek.core.roles import Role
from leerplek.people.models import Employee, Organisation, OrgUnit, Workstation
from leerplek.people.selectors import unit_tree_order

MATRIX_ROLES = PERMISSIONS["competences.view_matrix"].roles


def competence_list(
    *, organisation: Organisation, query: str = "", kind: str = "", group: str = ""
) -> QuerySet[Competence]:
    """The catalogue with its groups and the number of requirements per competence (one query
    per page). `group` is a group's id, or "none" for the competences without a group."""
    competences = Competence.objects.filter(organisation=organisation).select_related("group")
    if group == "none":
        competences = competences.filter(group__isnull=True)
    elif group:
        competences = competences.filter(group_id=int(group))
    if query:
        competences = competences.filter(
            Q(code__icontains=query) | Q(name__icontains=query) | Q(description__icontains=query)
        )
    if kind:
        competences = competences.filter(kind=kind)
    return competences.annotate(requirement_count=Count("requirements")).order_by("code")


def competence_requirements(*, competence: Competence) -> list[Requirement]:
    """The requirements of `competence` with their function, workstation and level (one query)."""
    return list(
        competence.requirements.select_related("job", "workstation", "level").order_by(
            "job__name", "workstation__name"
        )
    )


@dataclass
class Holding:
    employee: Employee
    level: Any
    assessed_on: Any


def competence_holders(*, competence: Competence, access: Access) -> list[Holding]:
    """People in the viewer's matrix scope with their current official level (one query)."""
    rows = (
        Assessment.objects.filter(competence=competence, is_self=False)
        .filter(access.employee_scope_q(MATRIX_ROLES, prefix="employee__"))
        .filter(Q(employee__exit_date__isnull=True) | Q(employee__exit_date__gte=_today()))
        .select_related("employee", "employee__unit", "level")
        .order_by("employee_id", "-assessed_on", "-created_at", "-id")
    )
    latest: dict[int, Holding] = {}
    for row in rows:
        latest.setdefault(row.employee_id, Holding(row.employee, row.level, row.assessed_on))
    return sorted(
        latest.values(),
        key=lambda h: (-h.level.rank, h.employee.last_name, h.employee.first_name),
    )


def _today() -> Any:
    return timezone.localdate()


# --- A person's competences ----------------------------------------------------------------------


@dataclass
class PersonCompetence:
    competence: Competence
    official: Assessment | None = None
    self_assessed: Assessment | None = None
    required: Any = None  # the highest required level, or None
    history: list[Assessment] = field(default_factory=list)


@dataclass
class PersonProfile:
    rows: list[PersonCompetence]
    releases: list[WorkRelease]


def employee_competences(*, employee: Employee) -> PersonProfile:
    """Every competence the person is assessed on or needs, with the current official level, the
    latest self-assessment and the full history, and his releases (three queries)."""
    requirements = list(
        Requirement.objects.filter(
            Q(job_id=employee.job_id, job__isnull=False)
            | Q(workstation_id=employee.workstation_id, workstation__isnull=False)
        ).select_related("competence", "level")
    )
    assessments = list(
        Assessment.objects.filter(employee=employee)
        .select_related("competence", "level", "assessor", "recorded_by")
        .order_by("-assessed_on", "-created_at", "-id")
    )
    rows: dict[int, PersonCompetence] = {}
    for requirement in requirements:
        row = rows.setdefault(
            requirement.competence_id, PersonCompetence(competence=requirement.competence)
        )
        if row.required is None or requirement.level.rank > row.required.rank:
            row.required = requirement.level
    for assessment in assessments:
        row = rows.setdefault(
            assessment.competence_id, PersonCompetence(competence=assessment.competence)
        )
        row.history.append(assessment)
        if assessment.is_self:
            row.self_assessed = row.self_assessed or assessment
        else:
            row.official = row.official or assessment
    releases = list(
        WorkRelease.objects.filter(employee=employee)
        .select_related("workstation", "released_by")
        .order_by("-released_on", "-id")
    )
    ordered = sorted(rows.values(), key=lambda row: row.competence.code)
    return PersonProfile(rows=ordered, releases=releases)


# --- The matrix ----------------------------------------------------------------------------------


def matrix_unit_choices(*, organisation: Organisation, access: Access) -> list[tuple[int, str]]:
    """Units whose matrix the viewer may open, indented in tree order (one query)."""
    return reachable_unit_choices(organisation=organisation, access=access, roles=MATRIX_ROLES)


def reachable_unit_choices(
    *, organisation: Organisation, access: Access, roles: Iterable[Role]
) -> list[tuple[int, str]]:
    """Units reachable through `roles`, indented in tree order (one query)."""
    paths = access.scope_paths(roles)
    units = OrgUnit.objects.filter(organisation=organisation)
    if paths is not None:
        reach = Q(pk__in=[])
        for path in paths:
            reach |= Q(path__startswith=path)
        units = units.filter(reach)
    found = list(units.values_list("pk", "name", "parent_id", "depth"))
    known = {row[0] for row in found}
    # A unit whose parent is out of reach is a root of the viewer's tree.
    rows: list[tuple[int, str, int | None, int]] = [
        (pk, name, parent if parent in known else None, depth) for pk, name, parent, depth in found
    ]
    return [(pk, "\u2003" * depth + name) for pk, name, depth in unit_tree_order(rows)]


def matrix_workstation_choices(*, organisation: Organisation) -> list[tuple[int, str]]:
    """Workstations of the organisation for the matrix filter, by unit and code (one query)."""
    rows = Workstation.objects.filter(organisation=organisation).order_by(
        "unit__name", "code", "pk"
    )
    return [
        (pk, f"{code} {name} ({unit})")
        for pk, code, name, unit in rows.values_list("pk", "code", "name", "unit__name")
    ]


def matrix_group_choices(*, organisation: Organisation) -> list[tuple[int, str]]:
    """Competence groups of the organisation for the matrix filter (one query)."""
    return list(
        CompetenceGroup.objects.filter(organisation=organisation)
        .order_by("name", "pk")
        .values_list("pk", "name")
    )


# Expiry: one rule for the matrix, its export and its single-cell update.


def add_months(day: datetime.date, months: int) -> datetime.date:
    """`day` plus `months` calendar months, on the last day of a shorter month."""
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    return day.replace(
        year=year, month=month, day=min(day.day, calendar.monthrange(year, month)[1])
    )


def expires_on(
    assessed_on: datetime.date, valid_until: datetime.date | None, validity_months: int | None
) -> datetime.date | None:
    """When an assessment stops being valid: its own valid-until date or, when a requirement asks
    for re-qualification every `validity_months`, that many months after the assessment; the
    earlier of the two. None when it never expires."""
    ends = valid_until
    if validity_months:
        by_requirement = add_months(assessed_on, validity_months)
        ends = by_requirement if ends is None else min(ends, by_requirement)
    return ends


def expiry_warning_days() -> int:
    return int(settings.LEERPLEK.get("EXPIRY_WARNING_DAYS", 60))


def quarters(rank: int, top: int) -> int:
    """The number of filled quarters of the level symbol: round(4 x rank / highest rank)."""
    if top <= 0:
        return 0
    return min(4, max(0, int(4 * rank / top + 0.5)))


@dataclass(slots=True)
class Cell:
    competence_id: int = 0
    code: str = ""  # the current official level's code, "" when never assessed
    level_name: str = ""
    quarters: int = 0  # 0-4 quarters of the level symbol
    name: str = ""  # the competence's name
    required: str = ""  # code of the required level, "" when not required
    mandatory: bool = True  # False when the requirement is only desirable
    meets: bool = True
    covers: bool = False  # at a level that counts for coverage and not expired
    not_released: bool = False
    assessed_on: datetime.date | None = None
    expires_on: datetime.date | None = None
    expired: bool = False
    expiring: bool = False  # still valid, but expires within the warning period


@dataclass
class LegendLevel:
    code: str
    name: str
    quarters: int


@dataclass
class LegendScale:
    name: str
    levels: list[LegendLevel]


@dataclass
class MatrixColumn:
    competence: Competence
    coverage: int = 0
    ideal: int = 0
    scale_id: int | None = None
    trainers: int = 0  # people at a level that may train others (O), not expired
    ideal_trainers: int = 0

    @property
    def short(self) -> bool:
        return self.coverage < self.ideal

    @property
    def short_of_trainers(self) -> bool:
        return self.trainers < self.ideal_trainers


@dataclass
class MatrixRow:
    """A person's row. `filled` holds, by column index, only the cells with a level or a
    requirement: most cells of a large matrix are blank (never assessed, not required), and the
    page draws those without looking at them. `cells` lists every cell, built on first use."""

    employee: Employee
    filled: dict[int, Cell]
    polyvalence: int = 0  # percent of the matrix's competences at a covering level
    not_released: bool = False
    columns: list[MatrixColumn] = field(default_factory=list, repr=False)

    @cached_property
    def cells(self) -> list[Cell]:
        filled = self.filled
        return [
            filled.get(index) or Cell(column.competence.pk, name=column.competence.name)
            for index, column in enumerate(self.columns)
        ]


@dataclass
class MatrixFilters:
    """What the viewer narrowed the matrix to; all optional, all from GET parameters."""

    workstation: Workstation | None = None
    group_id: int | None = None
    required_only: bool = False  # only mandatory requirements, no desirable ones
    gaps_only: bool = False  # highlight the gaps, fade the rest (presentation only)


@dataclass
class MatrixSummary:
    gaps: int = 0
    expired: int = 0
    expiring: int = 0
    not_released: int = 0


@dataclass
class Matrix:
    unit: OrgUnit
    columns: list[MatrixColumn]
    rows: list[MatrixRow]
    filters: MatrixFilters = field(default_factory=MatrixFilters)
    scales: list[LegendScale] = field(default_factory=list)
    summary: MatrixSummary = field(default_factory=MatrixSummary)


@dataclass
class _Scales:
    """The organisation's level scales, read once: each level's code, name, rank, whether it
    covers, its symbol and whether it may train others; the highest rank per scale; the legend."""

    levels: dict[int, tuple[str, str, int, bool, int, bool]]
    top: dict[int, int]
    default_id: int | None
    legend: dict[int, LegendScale]

    def scale_id(self, competence: Competence) -> int | None:
        """As services.scale_for: the group's scale, else the default (group loaded with it)."""
        group = competence.group
        if group is not None and group.scale_id is not None:
            return group.scale_id
        return self.default_id


def _scales(organisation_id: int) -> _Scales:
    rows = list(
        Level.objects.filter(scale__organisation_id=organisation_id)
        .order_by("scale__is_default", "scale__name", "scale_id", "rank")
        .values_list(
            "pk",
            "scale_id",
            "scale__name",
            "scale__is_default",
            "code",
            "name",
            "rank",
            "counts_for_coverage",
            "may_train",
        )
    )
    top: dict[int, int] = {}
    default_id = None
    for _pk, scale_id, _name, is_default, _code, _level, rank, _covers, _trains in rows:
        top[scale_id] = max(top.get(scale_id, 0), rank)
        if is_default:
            default_id = scale_id
    levels: dict[int, tuple[str, str, int, bool, int, bool]] = {}
    legend: dict[int, LegendScale] = {}
    for pk, scale_id, name, _default, code, level_name, rank, covers, trains in rows:
        filled = quarters(rank, top[scale_id])
        levels[pk] = (code, level_name, rank, covers, filled, trains)
        legend.setdefault(scale_id, LegendScale(name, [])).levels.append(
            LegendLevel(code, level_name, filled)
        )
    return _Scales(levels, top, default_id, legend)


# Per competence: required level code, mandatory, required rank, validity months, at a workstation.
Need = tuple[str, bool, int, int | None, bool]


# Up to this many columns the matrix asks the database for their assessments only.
FEW_COLUMNS = 40

# A requirement as the matrix reads it: competence id, level code, level rank, mandatory,
# validity months, at a workstation.
Req = tuple[int, str, int, bool, int | None, bool]


def _needs(requirements: Iterable[Req]) -> dict[int, Need]:
    """What a person's requirements ask per competence: the highest level (mandatory before
    desirable at the same level) and the shortest validity period of any of them."""
    needs: dict[int, Need] = {}
    for competence_id, code, rank, mandatory, months, at_station in requirements:
        current = needs.get(competence_id)
        if current is not None:
            if current[3]:
                months = min(months, current[3]) if months else current[3]
            if rank < current[2] or (rank == current[2] and not mandatory):
                needs[competence_id] = (*current[:3], months, current[4])
                continue
        needs[competence_id] = (code, mandatory, rank, months, at_station)
    return needs


def matrix_for_unit(
    *,
    unit: OrgUnit,
    access: Access,
    filters: MatrixFilters | None = None,
    today: datetime.date | None = None,
) -> Matrix:
    """The skills matrix of `unit` and its sub-units: active people the viewer may see by the
    competences their functions and workstations (and the unit's workstations) require.

    Per cell the current official level with its symbol on the competence's own scale, the
    required level, whether the assessment expired or expires soon, and whether the person is
    released at his workstation; per competence the coverage against the ideal number; per person
    the polyvalence. An expired assessment does not count for coverage or polyvalence; whether a
    cell meets its requirement depends on the level only, as in the gap list.

    Filters: a workstation (its competences as columns, its requirement and release for every
    person of the unit), a competence group, mandatory requirements only. Five queries whatever
    the size or the number of scales.
    """
    filters = filters or MatrixFilters()
    today = today or _today()
    warn_until = today + datetime.timedelta(days=expiry_warning_days())
    station = filters.workstation
    scope = (
        Employee.objects.active()
        .in_subtree(unit)
        .filter(organisation_id=unit.organisation_id)
        .filter(access.employee_scope_q(MATRIX_ROLES))
    )
    # Whether each person is released to work alone where the matrix measures him: at the
    # filtered workstation, else at his own.
    release_at: Any = station.pk if station is not None else OuterRef("workstation_id")
    release = WorkRelease.objects.filter(
        employee_id=OuterRef("pk"), workstation_id=release_at, revoked_on__isnull=True
    )
    people = list(
        scope.annotate(released=Exists(release))
        .select_related("job", "workstation", "unit")
        .order_by("last_name", "first_name")
    )
    # The people's ids, not the scope again as a subquery: SQLite would scan the organisation.
    person_ids = [p.pk for p in people]
    job_ids = {p.job_id for p in people if p.job_id}
    station_ids = {p.workstation_id for p in people if p.workstation_id}
    requirements_q = Requirement.objects.filter(
        organisation_id=unit.organisation_id, competence__is_active=True
    )
    if station is not None:
        # The station's competences; the people's own requirements only add to those.
        requirements_q = requirements_q.filter(
            Q(workstation_id=station.pk)
            | (
                (Q(job_id__in=job_ids) | Q(workstation_id__in=station_ids))
                & Q(
                    competence_id__in=Requirement.objects.filter(workstation_id=station.pk).values(
                        "competence_id"
                    )
                )
            )
        )
    else:
        requirements_q = requirements_q.filter(
            Q(job_id__in=job_ids)
            | Q(workstation_id__in=station_ids)
            | Q(workstation__unit__path__startswith=unit.path)
        )
    if filters.group_id is not None:
        requirements_q = requirements_q.filter(competence__group_id=filters.group_id)
    if filters.required_only:
        requirements_q = requirements_q.filter(mandatory=True)
    requirements = list(
        requirements_q.values_list(
            "competence_id",
            "job_id",
            "workstation_id",
            "level_id",
            "mandatory",
            "validity_months",
            "ideal_count",
            "ideal_trainers",
        )
    )
    scales = _scales(unit.organisation_id)
    levels = scales.levels
    # The columns' competences: a few hundred model instances, not one per requirement.
    competence_of = (
        {
            competence.pk: competence
            for competence in Competence.objects.filter(
                pk__in={row[0] for row in requirements}
            ).select_related("group")
        }
        if requirements
        else {}
    )
    competences: dict[int, MatrixColumn] = {}
    by_job: dict[int, list[Req]] = defaultdict(list)
    by_station: dict[int, list[Req]] = defaultdict(list)
    for cid, job_id, station_id, level_id, mandatory, months, ideal, trainers in requirements:
        column = competences.get(cid)
        if column is None:
            competence = competence_of[cid]
            column = competences[cid] = MatrixColumn(
                competence=competence, scale_id=scales.scale_id(competence)
            )
        column.ideal = max(column.ideal, ideal)
        column.ideal_trainers = max(column.ideal_trainers, trainers)
        code, _name, rank = levels[level_id][:3]
        requirement = (cid, code, rank, mandatory, months, station_id is not None)
        if job_id:
            by_job[job_id].append(requirement)
        if station_id:
            by_station[station_id].append(requirement)
    columns = sorted(competences.values(), key=lambda c: c.competence.code)
    # Latest official level per person and competence: newest first, keep the first seen.
    latest: dict[int, dict[int, tuple[Any, ...]]] = defaultdict(dict)
    if people and columns:
        assessments = Assessment.objects.filter(employee_id__in=person_ids, is_self=False)
        if len(columns) <= FEW_COLUMNS:
            # With many columns SQLite would probe the index once per person and competence;
            # reading all the people's assessments and skipping the others here is cheaper.
            assessments = assessments.filter(competence_id__in=competences.keys())
        for pid, cid, level_id, day, until in assessments.order_by(
            "employee_id", "competence_id", "-assessed_on", "-created_at", "-id"
        ).values_list("employee_id", "competence_id", "level_id", "assessed_on", "valid_until"):
            mine = latest[pid]
            if cid not in mine and cid in competences:
                mine[cid] = (level_id, day, until)
    station_requirements = by_station.get(station.pk, []) if station is not None else []
    summary = MatrixSummary()
    rows: list[MatrixRow] = []
    # Column index and name per competence id.
    index_of = {
        column.competence.pk: (i, column.competence.name) for i, column in enumerate(columns)
    }
    coverage = [0] * len(columns)
    teaching = [0] * len(columns)
    needs_of: dict[tuple[int | None, int | None], dict[int, Need]] = {}
    nothing: dict[int, Any] = {}
    for person in people:
        pid = person.pk
        # In a workstation's matrix everybody is measured against that station.
        own_station = by_station.get(person.workstation_id, []) if person.workstation_id else []
        if station is not None and person.workstation_id == station.pk:
            own_station = []  # already in station_requirements
        at_release = station_requirements if station is not None else own_station
        person_not_released = bool(at_release) and not person.released  # type: ignore[attr-defined]
        # People with the same function and workstation share their requirements.
        profile = (person.job_id, person.workstation_id)
        needs = needs_of.get(profile)
        if needs is None:
            needs = needs_of[profile] = _needs(
                [*by_job.get(person.job_id or 0, []), *station_requirements, *own_station]
            )
        assessed = latest.get(pid, nothing)
        filled: dict[int, Cell] = {}
        covered = 0
        # Only the cells with a level or a requirement; the others stay blank.
        for cid in assessed.keys() | needs.keys() if needs else assessed:
            index, cname = index_of[cid]
            found = assessed.get(cid)
            need = needs.get(cid)
            code = level_name = ""
            filled_quarters, rank, covers, trains = 0, -1, False, False
            on = ends = None
            expired = expiring = False
            if found is not None:
                level_id, on, ends = found
                code, level_name, rank, covers, filled_quarters, trains = levels[level_id]
                if need is not None and need[3]:
                    ends = expires_on(on, ends, need[3])
                if ends is not None:
                    if ends < today:
                        expired, covers, trains = True, False, False
                        summary.expired += 1
                    elif ends <= warn_until:
                        expiring = True
                        summary.expiring += 1
            # Positional, in field order.
            if need is None:
                cell = Cell(
                    cid, code, level_name, filled_quarters, cname, "", True, True, covers, False,
                    on, ends, expired, expiring,
                )  # fmt: skip
            else:
                meets = rank >= need[2]
                summary.gaps += not meets
                cell = Cell(
                    cid, code, level_name, filled_quarters, cname, need[0], need[1], meets, covers,
                    person_not_released and need[4], on, ends, expired, expiring,
                )  # fmt: skip
            if covers:
                covered += 1
                coverage[index] += 1
            if trains:
                teaching[index] += 1
            filled[index] = cell
        summary.not_released += person_not_released
        polyvalence = round(100 * covered / len(columns)) if columns else 0
        rows.append(MatrixRow(person, filled, polyvalence, person_not_released, columns))
    for column, count, trainers_count in zip(columns, coverage, teaching, strict=True):
        column.coverage = count
        column.trainers = trainers_count
    used = {column.scale_id for column in columns}
    legend = [
        scales.legend[i]
        for i in scales.legend
        if i in used or (not used and i == scales.default_id)
    ]
    return Matrix(
        unit=unit, columns=columns, rows=rows, filters=filters, scales=legend, summary=summary
    )


def matrix_cell(
    *,
    employee: Employee,
    competence: Competence,
    filters: MatrixFilters | None = None,
    today: datetime.date | None = None,
) -> Cell:
    """One cell of the matrix, exactly as `matrix_for_unit` builds it with the same filters,
    after an in-place edit (four queries)."""
    filters = filters or MatrixFilters()
    today = today or _today()
    station = filters.workstation
    cell = Cell(competence_id=competence.pk, name=competence.name)
    latest = (
        Assessment.objects.filter(employee=employee, competence=competence, is_self=False)
        .select_related("level")
        .order_by("-assessed_on", "-created_at", "-id")
        .first()
    )
    reach = Q(pk__in=[])
    if employee.job_id:
        reach |= Q(job_id=employee.job_id)
    if employee.workstation_id:
        reach |= Q(workstation_id=employee.workstation_id)
    if station is not None:
        reach |= Q(workstation_id=station.pk)
    requirements_q = Requirement.objects.filter(reach, competence=competence)
    if filters.required_only:
        requirements_q = requirements_q.filter(mandatory=True)
    need = _needs(
        (competence.pk, code, rank, mandatory, months, station_id is not None)
        for code, rank, mandatory, months, station_id in requirements_q.values_list(
            "level__code", "level__rank", "mandatory", "validity_months", "workstation_id"
        )
    ).get(competence.pk)
    rank = -1
    if latest is not None:
        level = latest.level
        rank = level.rank
        top = (
            Level.objects.filter(scale_id=level.scale_id).aggregate(top=Max("rank"))["top"] or rank
        )
        cell.code, cell.level_name, cell.assessed_on = level.code, level.name, latest.assessed_on
        cell.quarters = quarters(rank, top)
        cell.expires_on = expires_on(
            latest.assessed_on, latest.valid_until, need[3] if need is not None else None
        )
        if cell.expires_on is not None:
            cell.expired = cell.expires_on < today
            warn_until = today + datetime.timedelta(days=expiry_warning_days())
            cell.expiring = not cell.expired and cell.expires_on <= warn_until
        cell.covers = level.counts_for_coverage and not cell.expired
    if need is not None:
        cell.required, cell.mandatory = need[0], need[1]
        cell.meets = rank >= need[2]
        release_at = station.pk if station is not None else employee.workstation_id
        if need[4] and release_at is not None:
            cell.not_released = not WorkRelease.objects.filter(
                employee=employee, workstation_id=release_at, revoked_on__isnull=True
            ).exists()
    return cell
