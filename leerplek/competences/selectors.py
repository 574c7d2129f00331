"""Reads for the competence pages and the skills matrix, each in a fixed number of queries."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from leerplek.competences.models import (
    Assessment,
    Competence,
    Requirement,
    WorkRelease,
)
from leerplek.core.access import Access
from leerplek.core.permissions import PERMISSIONS
from leerplek.core.roles import Role
from leerplek.people.models import Employee, Organisation, OrgUnit
from leerplek.people.selectors import unit_tree_order

MATRIX_ROLES = PERMISSIONS["competences.view_matrix"].roles


def competence_list(
    *, organisation: Organisation, query: str = "", kind: str = ""
) -> QuerySet[Competence]:
    """The catalogue with the number of requirements per competence (one query per page)."""
    competences = Competence.objects.filter(organisation=organisation)
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


@dataclass
class Cell:
    competence_id: int = 0
    code: str = ""
    title: str = ""
    required: str = ""  # code of the required level, "" when not required
    meets: bool = True
    covers: bool = False
    not_released: bool = False
    assessed_on: Any = None


@dataclass
class MatrixColumn:
    competence: Competence
    coverage: int = 0
    ideal: int = 0

    @property
    def short(self) -> bool:
        return self.coverage < self.ideal


@dataclass
class MatrixRow:
    employee: Employee
    cells: list[Cell]
    polyvalence: int = 0  # percent of the unit's competences at a covering level
    not_released: bool = False


@dataclass
class Matrix:
    unit: OrgUnit
    columns: list[MatrixColumn]
    rows: list[MatrixRow]


def matrix_for_unit(*, unit: OrgUnit, access: Access) -> Matrix:
    """The skills matrix of `unit` and its sub-units: active people the viewer may see by the
    competences their functions and workstations (and the unit's workstations) require.

    Per cell the current official level, the required level and whether the person is released
    at his workstation; per competence the coverage against the ideal number; per person the
    polyvalence. Four queries whatever the size.
    """
    scope = (
        Employee.objects.active()
        .in_subtree(unit)
        .filter(organisation_id=unit.organisation_id)
        .filter(access.employee_scope_q(MATRIX_ROLES))
    )
    people = list(
        scope.select_related("job", "workstation", "unit").order_by("last_name", "first_name")
    )
    job_ids = {p.job_id for p in people if p.job_id}
    station_ids = {p.workstation_id for p in people if p.workstation_id}
    requirements = list(
        Requirement.objects.filter(organisation_id=unit.organisation_id, competence__is_active=True)
        .filter(
            Q(job_id__in=job_ids)
            | Q(workstation_id__in=station_ids)
            | Q(workstation__unit__path__startswith=unit.path)
        )
        .select_related("competence", "level")
    )
    competences: dict[int, MatrixColumn] = {}
    by_job: dict[int, list[Requirement]] = defaultdict(list)
    by_station: dict[int, list[Requirement]] = defaultdict(list)
    for requirement in requirements:
        column = competences.setdefault(
            requirement.competence_id, MatrixColumn(competence=requirement.competence)
        )
        column.ideal = max(column.ideal, requirement.ideal_count)
        if requirement.job_id:
            by_job[requirement.job_id].append(requirement)
        if requirement.workstation_id:
            by_station[requirement.workstation_id].append(requirement)
    columns = sorted(competences.values(), key=lambda c: c.competence.code)
    # Latest official level per (person, competence): newest first, keep the first seen.
    latest: dict[tuple[int, int], tuple[str, str, int, bool, Any]] = {}
    if people and columns:
        for key in (
            Assessment.objects.filter(
                employee__in=scope, competence_id__in=competences.keys(), is_self=False
            )
            .order_by("employee_id", "competence_id", "-assessed_on", "-created_at", "-id")
            .values_list(
                "employee_id",
                "competence_id",
                "level__code",
                "level__name",
                "level__rank",
                "level__counts_for_coverage",
                "assessed_on",
            )
        ):
            latest.setdefault((key[0], key[1]), key[2:])
    released = set(
        WorkRelease.objects.filter(employee__in=scope, revoked_on__isnull=True).values_list(
            "employee_id", "workstation_id"
        )
    )
    rows: list[MatrixRow] = []
    for person in people:
        required: dict[int, Requirement] = {}
        station_reqs = by_station.get(person.workstation_id, []) if person.workstation_id else []
        for requirement in by_job.get(person.job_id, []) + station_reqs:  # type: ignore[arg-type]
            current = required.get(requirement.competence_id)
            if current is None or requirement.level.rank > current.level.rank:
                required[requirement.competence_id] = requirement
        person_not_released = bool(station_reqs) and (
            (person.pk, person.workstation_id) not in released
        )
        cells = []
        covered = 0
        for column in columns:
            cid = column.competence.pk
            cell = Cell(competence_id=cid)
            found = latest.get((person.pk, cid))
            if found is not None:
                code, name, rank, covers, assessed_on = found
                cell.code, cell.covers, cell.assessed_on = code, covers, assessed_on
                cell.title = f"{column.competence.name}: {code} {name} ({assessed_on:%d/%m/%Y})"
            else:
                rank = -1
                cell.title = column.competence.name
            need = required.get(cid)
            if need is not None:
                cell.required = need.level.code
                cell.meets = rank >= need.level.rank
                cell.not_released = person_not_released and need.workstation_id is not None
            if cell.covers:
                covered += 1
                column.coverage += 1
            cells.append(cell)
        polyvalence = round(100 * covered / len(columns)) if columns else 0
        rows.append(MatrixRow(person, cells, polyvalence, person_not_released))
    return Matrix(unit=unit, columns=columns, rows=rows)


def matrix_cell(*, employee: Employee, competence: Competence) -> Cell:
    """One cell of the matrix, as `matrix_for_unit` builds it, after an in-place edit (three
    queries): the current official level, the highest level required by the person's function or
    workstation, and whether he is released at his workstation."""
    cell = Cell(competence_id=competence.pk, title=competence.name)
    latest = (
        Assessment.objects.filter(employee=employee, competence=competence, is_self=False)
        .select_related("level")
        .order_by("-assessed_on", "-created_at", "-id")
        .first()
    )
    rank = -1
    if latest is not None:
        level = latest.level
        rank = level.rank
        cell.code, cell.covers = level.code, level.counts_for_coverage
        cell.assessed_on = latest.assessed_on
        cell.title = f"{competence.name}: {level.code} {level.name} ({latest.assessed_on:%d/%m/%Y})"
    reach = Q(pk__in=[])
    if employee.job_id:
        reach |= Q(job_id=employee.job_id)
    if employee.workstation_id:
        reach |= Q(workstation_id=employee.workstation_id)
    requirements = list(
        Requirement.objects.filter(reach, competence=competence).select_related("level")
    )
    need = max(requirements, key=lambda r: r.level.rank, default=None)
    if need is not None:
        cell.required = need.level.code
        cell.meets = rank >= need.level.rank
        if need.workstation_id is not None:
            cell.not_released = not WorkRelease.objects.filter(
                employee=employee, workstation_id=need.workstation_id, revoked_on__isnull=True
            ).exists()
    return cell
