"""Reads for the organisation and people pages, each in a fixed number of queries."""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from leerplek.core.access import Access
from leerplek.people.models import (
    Employee,
    Gender,
    Job,
    JobAssignment,
    Organisation,
    OrgUnit,
    PersonType,
    Workstation,
)

# --- Organisation --------------------------------------------------------------------------------


def organisation_headcount(*, organisation: Organisation) -> dict[str, int]:
    """Active people by person type, and the headcount of own employees (one query)."""
    rows = (
        Employee.objects.active()
        .filter(organisation=organisation)
        .values("person_type")
        .annotate(n=Count("id"))
    )
    by_type = {row["person_type"]: row["n"] for row in rows}
    return {
        "employees": by_type.get(PersonType.EMPLOYEE, 0),
        "total": sum(by_type.values()),
        **{f"type_{key}": value for key, value in by_type.items()},
    }


# --- Units ---------------------------------------------------------------------------------------


@dataclass
class UnitNode:
    unit: OrgUnit
    members: int = 0
    children: list[UnitNode] = field(default_factory=list)
    total: int = 0  # members of this unit and all its sub-units


def unit_tree(*, organisation: Organisation) -> list[UnitNode]:
    """The unit tree with the number of active members per unit (two queries)."""
    units = list(
        OrgUnit.objects.filter(organisation=organisation).select_related("leader").order_by("path")
    )
    counts = dict(
        Employee.objects.active()
        .filter(organisation=organisation, unit__isnull=False)
        .values_list("unit_id")
        .annotate(n=Count("id"))
        .values_list("unit_id", "n")
    )
    nodes = {unit.pk: UnitNode(unit=unit, members=counts.get(unit.pk, 0)) for unit in units}
    roots: list[UnitNode] = []
    for unit in units:
        node = nodes[unit.pk]
        parent = nodes.get(unit.parent_id) if unit.parent_id else None
        (parent.children if parent else roots).append(node)
    # Deepest units first, so each parent adds up totals its children already have.
    for unit in sorted(units, key=lambda u: -u.depth):
        node = nodes[unit.pk]
        node.total += node.members
        if unit.parent_id in nodes:
            nodes[unit.parent_id].total += node.total
    for node in nodes.values():
        node.children.sort(key=lambda child: child.unit.name.lower())
    roots.sort(key=lambda root: root.unit.name.lower())
    return roots


def unit_choices(*, organisation: Organisation) -> list[tuple[int, str]]:
    """Units as (id, indented name) in tree order, for select boxes (one query)."""
    rows = list(
        OrgUnit.objects.filter(organisation=organisation).values_list(
            "pk", "name", "parent_id", "depth"
        )
    )
    tree = unit_tree_order(rows)
    return [(pk, "\u2003" * depth + name) for pk, name, depth in tree]


def unit_tree_order(
    rows: Sequence[tuple[int, str, int | None, int]],
) -> list[tuple[int, str, int]]:
    """Depth-first order with siblings sorted by name."""
    children: dict[int | None, list[tuple[int, str, int | None, int]]] = defaultdict(list)
    for row in rows:
        children[row[2]].append(row)
    ordered: list[tuple[int, str, int]] = []

    def walk(parent: int | None, depth: int) -> None:
        for pk, name, _parent, _depth in sorted(
            children.get(parent, []), key=lambda r: r[1].lower()
        ):
            ordered.append((pk, name, depth))
            walk(pk, depth + 1)

    walk(None, 0)
    return ordered


@dataclass
class UnitDetail:
    unit: OrgUnit
    ancestors: list[OrgUnit]
    children: list[OrgUnit]
    members: list[Employee]
    member_count: int
    hidden_members: int
    workstations: list[Workstation]


def unit_detail(*, unit: OrgUnit, access: Access, limit: int = 200) -> UnitDetail:
    """A unit with its path, sub-units, visible members and workstations (five queries)."""
    ancestor_ids = [int(pk) for pk in unit.path.strip("/").split("/")[:-1] if pk]
    ancestors = list(OrgUnit.objects.filter(pk__in=ancestor_ids).order_by("depth"))
    children = list(unit.children.select_related("leader").order_by("name"))
    members_qs = Employee.objects.active().filter(unit=unit)
    visible = members_qs.filter(access.employee_scope_q()).select_related("job")
    member_count = members_qs.count()
    members = list(visible.order_by("last_name", "first_name")[:limit])
    workstations = list(unit.workstations.order_by("difficulty_rank", "name"))
    return UnitDetail(
        unit=unit,
        ancestors=ancestors,
        children=children,
        members=members,
        member_count=member_count,
        hidden_members=member_count - len(members) if len(members) < limit else 0,
        workstations=workstations,
    )


# --- Functions and workstations ------------------------------------------------------------------


def job_list(*, organisation: Organisation, query: str = "") -> QuerySet[Job]:
    jobs = Job.objects.filter(organisation=organisation).annotate(
        people=Count("employees", filter=Q(employees__exit_date__isnull=True))
    )
    if query:
        jobs = jobs.filter(Q(name__icontains=query) | Q(code__icontains=query))
    return jobs.order_by("-is_active", "name")


def job_detail_people(*, job: Job, access: Access, limit: int = 100) -> list[Employee]:
    return list(
        Employee.objects.active()
        .filter(job=job)
        .filter(access.employee_scope_q())
        .select_related("unit")
        .order_by("last_name", "first_name")[:limit]
    )


def workstation_list(
    *, organisation: Organisation, unit: OrgUnit | None = None, query: str = ""
) -> QuerySet[Workstation]:
    stations = Workstation.objects.filter(organisation=organisation).select_related("unit")
    if unit is not None:
        stations = stations.filter(unit__path__startswith=unit.path)
    if query:
        stations = stations.filter(Q(name__icontains=query) | Q(code__icontains=query))
    return stations.order_by("unit__path", "difficulty_rank", "name")


# --- People --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class PeopleFilter:
    query: str = ""
    unit: OrgUnit | None = None
    person_type: str = ""
    job: Job | None = None
    status: str = "active"  # active | left | all


def employee_list(*, access: Access, filters: PeopleFilter) -> QuerySet[Employee]:
    """The people `access` may see, filtered; related rows loaded for the list (lazy queryset)."""
    people = Employee.objects.filter(access.employee_scope_q()).select_related(
        "unit", "job", "manager"
    )
    if filters.query:
        for word in filters.query.split():
            people = people.filter(
                Q(first_name__icontains=word)
                | Q(last_name__icontains=word)
                | Q(email__icontains=word)
                | Q(employee_number__icontains=word)
            )
    if filters.unit is not None:
        people = people.filter(unit__path__startswith=filters.unit.path)
    if filters.person_type:
        people = people.filter(person_type=filters.person_type)
    if filters.job is not None:
        people = people.filter(job=filters.job)
    today = timezone.localdate()
    if filters.status == "active":
        people = people.filter(Q(exit_date__isnull=True) | Q(exit_date__gte=today))
    elif filters.status == "left":
        people = people.filter(exit_date__lt=today)
    return people.order_by("last_name", "first_name", "id")


@dataclass
class EmployeeDetail:
    employee: Employee
    assignments: list[JobAssignment]
    reports: list[Employee]
    age: int | None
    seniority_years: float


def _years_between(start: datetime.date, end: datetime.date) -> int:
    years = end.year - start.year
    if (end.month, end.day) < (start.month, start.day):
        years -= 1
    return years


def employee_detail(*, employee: Employee, access: Access) -> EmployeeDetail:
    """A person's record with function history and direct reports (two queries)."""
    today = timezone.localdate()
    assignments = list(
        employee.assignments.select_related("job", "unit").order_by("-start_date", "-id")
    )
    reports = list(
        Employee.objects.active()
        .filter(manager=employee)
        .filter(access.employee_scope_q())
        .order_by("last_name", "first_name")[:50]
    )
    end = employee.exit_date or today
    return EmployeeDetail(
        employee=employee,
        assignments=assignments,
        reports=reports,
        age=_years_between(employee.birth_date, today) if employee.birth_date else None,
        seniority_years=round((end - employee.hire_date).days / 365.25, 1),
    )


# --- Aggregates for consultation bodies ----------------------------------------------------------

AGE_BANDS = [(0, 24, "<25"), (25, 49, "25-49"), (50, 200, "50+")]


@dataclass
class AggregateRow:
    label: str
    total: int | None  # None: suppressed, fewer people than the minimum group size
    men: int | None
    women: int | None
    hidden_total: int = 0  # never shown: used to decide on secondary suppression


@dataclass
class Aggregates:
    min_group: int
    total: int
    by_unit: list[AggregateRow]
    by_type: list[AggregateRow]
    by_age: list[AggregateRow]


def _row(label: str, counts: dict[str, int], min_group: int) -> AggregateRow:
    total = sum(counts.values())
    if total < min_group:
        return AggregateRow(label=label, total=None, men=None, women=None, hidden_total=total)
    # The split by gender is shown only when no gender (including "other") forms a small group:
    # otherwise the small one could be worked out by subtraction from the total.
    if any(0 < count < min_group for count in counts.values()):
        return AggregateRow(label=label, total=total, men=None, women=None)
    return AggregateRow(
        label=label,
        total=total,
        men=counts.get(Gender.MALE, 0),
        women=counts.get(Gender.FEMALE, 0),
    )


def _suppress_complement(rows: list[AggregateRow], min_group: int) -> list[AggregateRow]:
    """Hide more rows until the hidden ones add up to at least `min_group` people.

    The grand total is shown, so one small hidden group could otherwise be worked out by
    subtracting the visible rows from it (secondary suppression).
    """
    hidden = [row for row in rows if row.total is None]
    if not hidden:
        return rows
    hidden_sum = sum(row.hidden_total for row in hidden)
    visible = sorted((row for row in rows if row.total is not None), key=lambda r: r.total or 0)
    for row in visible:
        if hidden_sum >= min_group:
            break
        hidden_sum += row.total or 0
        row.hidden_total, row.total, row.men, row.women = row.total or 0, None, None, None
    return rows


def people_aggregates(*, organisation: Organisation, min_group: int) -> Aggregates:
    """Headcounts by top-level unit, person type and age band, split by gender (two queries).

    Groups (and gender cells) under `min_group` people are suppressed (X-07).
    """
    today = timezone.localdate()
    top_units = {
        unit.pk: unit
        for unit in OrgUnit.objects.filter(organisation=organisation, depth__lte=1).order_by("path")
    }
    rows = (
        Employee.objects.active()
        .filter(organisation=organisation)
        .values_list("unit__path", "person_type", "gender", "birth_date")
    )
    by_unit: dict[int | None, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    by_type: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    by_age: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    total = 0
    for path, person_type, gender, birth_date in rows:
        total += 1
        ids = [int(pk) for pk in (path or "").strip("/").split("/") if pk]
        # Count people under the first unit of depth 1 on their path (the departments),
        # or the root when the tree has a single level.
        key = next((pk for pk in ids[1:2] if pk in top_units), ids[0] if ids else None)
        by_unit[key][gender] += 1
        by_type[person_type][gender] += 1
        if birth_date:
            age = _years_between(birth_date, today)
            band = next(label for low, high, label in AGE_BANDS if low <= age <= high)
            by_age[band][gender] += 1
    unit_rows = [
        _row(top_units[pk].name if pk in top_units else "—", counts, min_group)
        for pk, counts in sorted(
            by_unit.items(),
            key=lambda item: top_units[item[0]].path if item[0] in top_units else "~",
        )
    ]
    type_rows = [
        _row(str(PersonType(key).label), counts, min_group) for key, counts in by_type.items()
    ]
    age_rows = [_row(label, by_age[label], min_group) for _l, _h, label in AGE_BANDS]
    return Aggregates(
        min_group=min_group,
        total=total,
        by_unit=_suppress_complement(unit_rows, min_group),
        by_type=_suppress_complement(type_rows, min_group),
        by_age=_suppress_complement(age_rows, min_group),
    )


def home_counts(*, access: Access) -> dict[str, Any]:
    """The figures on the home page for the roles the user holds (at most three queries)."""
    organisation = access.organisation
    if organisation is None:
        return {}
    today = timezone.localdate()
    visible = Employee.objects.filter(access.employee_scope_q())
    counts = visible.aggregate(
        active=Count("id", filter=Q(exit_date__isnull=True) | Q(exit_date__gte=today)),
        newcomers=Count(
            "id",
            filter=Q(hire_date__gte=today - datetime.timedelta(days=183))
            & (Q(exit_date__isnull=True) | Q(exit_date__gte=today)),
        ),
        no_unit=Count("id", filter=Q(unit__isnull=True, exit_date__isnull=True)),
        no_job=Count("id", filter=Q(job__isnull=True, exit_date__isnull=True)),
        retiring=Count(
            "id",
            filter=Q(
                birth_date__lte=datetime.date(today.year - 60, today.month, min(today.day, 28))
            )
            & Q(exit_date__isnull=True),
        ),
    )
    structure = OrgUnit.objects.filter(organisation=organisation).aggregate(units=Count("id"))
    counts["units"] = structure["units"]
    counts["jobs"] = Job.objects.filter(organisation=organisation).count()
    return counts
