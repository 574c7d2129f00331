"""Reads of the training plan (PLAN-01, PLAN-05..08), each in a fixed number of queries.

- `plan_figures`: planned against realised per line and in total, and the realised hours and
  net cost per month. Realised = confirmed, counted (not excluded) activities linked to the line:
  their completed participations (distinct people, hours) and their net cost (gross +
  contributions - subsidies, from the cost lines). Six queries whatever the size.
- `needs_page`: the needs of a year (from competence gaps and submitted), with how each is met;
  `needs_aggregate` the same without any person, for the consultation body.
- `transfer_list`: the follow-ups after formal courses within the user's scope.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.core.paginator import Page, Paginator
from django.db.models import Count, Q, QuerySet, Sum
from django.db.models.functions import ExtractMonth

from leerplek.competences.models import NeedStatus, TrainingNeed
from leerplek.core.access import Access
from leerplek.core.roles import Role
from leerplek.people.models import Organisation
from leerplek.registration.models import (
    GROSS_COST_KINDS,
    ActivityStatus,
    CostKind,
    CostLine,
    Participation,
    ParticipationStatus,
    PlanLine,
    SubmittedNeed,
    TrainingPlan,
    TransferFollowUp,
    TransferStatus,
)

ZERO = Decimal("0")
CENT = Decimal("0.01")
PAGE_SIZE = 50
# Aggregates for the consultation body hide groups smaller than this (architecture, privacy).
SMALL_GROUP = 5


def _dec(value: Any) -> Decimal:
    return Decimal(str(value or 0)).quantize(CENT)


@dataclass
class LineFigures:
    line: PlanLine
    participants: int = 0
    hours: Decimal = ZERO
    cost: Decimal = ZERO
    needs: int = 0
    answers: list[str] = field(default_factory=list)  # what the line answers, no names
    risks: list[str] = field(default_factory=list)  # labels of its risk groups

    @staticmethod
    def share(realised: Decimal | int, planned: Decimal | int) -> int | None:
        return round(100 * Decimal(realised) / Decimal(planned)) if planned else None

    @property
    def hours_share(self) -> int | None:
        return self.share(self.hours, self.line.planned_hours)

    @property
    def cost_share(self) -> int | None:
        return self.share(self.cost, self.line.planned_cost)

    @property
    def participants_share(self) -> int | None:
        return self.share(self.participants, self.line.planned_participants)


@dataclass
class PlanFigures:
    lines: list[LineFigures]
    participants: int = 0  # distinct people over the whole plan (one person in two lines: 1)
    months_hours: list[Decimal] = field(default_factory=lambda: [ZERO] * 12)
    months_cost: list[Decimal] = field(default_factory=lambda: [ZERO] * 12)

    @property
    def planned_hours(self) -> Decimal:
        return sum((f.line.planned_hours for f in self.lines), ZERO)

    @property
    def planned_cost(self) -> Decimal:
        return sum((f.line.planned_cost for f in self.lines), ZERO)

    @property
    def planned_participants(self) -> int:
        return sum(f.line.planned_participants for f in self.lines)

    @property
    def hours(self) -> Decimal:
        return sum((f.hours for f in self.lines), ZERO)

    @property
    def cost(self) -> Decimal:
        return sum((f.cost for f in self.lines), ZERO)

    @property
    def hours_share(self) -> int | None:
        return LineFigures.share(self.hours, self.planned_hours)

    @property
    def cost_share(self) -> int | None:
        return LineFigures.share(self.cost, self.planned_cost)


def _counted(plan: TrainingPlan, prefix: str) -> Q:
    return Q(
        **{
            f"{prefix}plan_line__plan": plan,
            f"{prefix}status": ActivityStatus.CONFIRMED,
            f"{prefix}exclusion": "",
        }
    )


def _net(row: dict[str, Any]) -> Decimal:
    return _dec(row["gross"]) + _dec(row["contributions"]) - _dec(row["subsidies"])


def plan_figures(plan: TrainingPlan) -> PlanFigures:
    """Planned against realised per line, in total and per month of the plan's year (by the
    activity's end date). Six queries."""
    lines = list(plan.lines.annotate(need_count=Count("resolutions")).order_by("position", "id"))
    figures = {line.pk: LineFigures(line, needs=line.need_count) for line in lines}
    done = Participation.objects.filter(
        _counted(plan, "activity__"), status=ParticipationStatus.COMPLETED
    )
    per_line = (
        done.values("activity__plan_line")
        .annotate(people=Count("employee", distinct=True), hours=Sum("hours"))
        .order_by()
    )
    people = done.aggregate(people=Count("employee", distinct=True))["people"]
    # One month extraction per row, grouped (twelve filtered sums would extract twelve times).
    months_hours = [ZERO] * 12
    for row in (
        done.filter(activity__end_date__year=plan.year)
        .annotate(month=ExtractMonth("activity__end_date"))
        .values("month")
        .annotate(hours=Sum("hours"))
        .order_by()
    ):
        months_hours[int(row["month"]) - 1] = _dec(row["hours"])
    for row in per_line:
        found = figures.get(row["activity__plan_line"])
        if found is not None:
            found.participants, found.hours = row["people"], _dec(row["hours"])
    sums = {
        "gross": Sum("amount", filter=Q(kind__in=GROSS_COST_KINDS)),
        "contributions": Sum("amount", filter=Q(kind=CostKind.CONTRIBUTION)),
        "subsidies": Sum("amount", filter=Q(kind=CostKind.SUBSIDY)),
    }
    costs = CostLine.objects.filter(_counted(plan, "activity__"))
    for row in costs.values("activity__plan_line").annotate(**sums).order_by():
        found = figures.get(row["activity__plan_line"])
        if found is not None:
            found.cost = _net(row)
    months_cost = [ZERO] * 12
    for row in (
        costs.filter(activity__end_date__year=plan.year)
        .annotate(month=ExtractMonth("activity__end_date"))
        .values("month")
        .annotate(**sums)
        .order_by()
    ):
        months_cost[int(row["month"]) - 1] = _net(row)
    return PlanFigures(
        lines=[figures[line.pk] for line in lines],
        participants=people or 0,
        months_hours=months_hours,
        months_cost=months_cost,
    )


# --- Needs ------------------------------------------------------------------------------------


@dataclass
class NeedRow:
    """One need for the HR list, whichever its kind."""

    kind: str  # "gap" or "submitted"
    pk: int
    source: str
    description: str
    target: str
    competence: Any
    resolution: Any
    suggestion: Any

    @property
    def label(self) -> str:
        """A short name of the need for links (screen readers)."""
        name = self.competence.name if self.competence is not None else self.description
        return str(name)[:40]


def _target(need: TrainingNeed | SubmittedNeed) -> str:
    employee = getattr(need, "employee", None)
    unit = getattr(need, "unit", None)
    parts = [str(employee) if employee else "", unit.name if unit else ""]
    if isinstance(need, SubmittedNeed):
        parts.append(need.target_group)
    return " · ".join(part for part in parts if part)


def gap_needs(organisation: Organisation) -> QuerySet[TrainingNeed]:
    """The competences app's needs still to plan or planned (open or planned)."""
    return (
        TrainingNeed.objects.filter(
            organisation=organisation, status__in=[NeedStatus.OPEN, NeedStatus.PLANNED]
        )
        .select_related("employee", "unit", "competence", "resolution__plan_line")
        .order_by("competence__name", "-created_at", "-id")
    )


def submitted_needs(organisation: Organisation, year: int) -> QuerySet[SubmittedNeed]:
    return (
        SubmittedNeed.objects.filter(organisation=organisation, year=year)
        .select_related("employee", "unit", "competence", "submitted_by", "resolution__plan_line")
        .order_by("-created_at", "-id")
    )


def need_rows(page: Page[Any], kind: str) -> list[NeedRow]:
    from leerplek.registration.services_plan import suggest_form

    rows = []
    for need in page.object_list:
        resolution = getattr(need, "resolution", None)
        rows.append(
            NeedRow(
                kind=kind,
                pk=need.pk,
                source=need.get_source_display(),
                description=need.description if kind == "submitted" else need.note,
                target=_target(need),
                competence=need.competence,
                resolution=resolution,
                suggestion=suggest_form(need.competence),
            )
        )
    return rows


def needs_page(
    organisation: Organisation, year: int, kind: str, number: Any
) -> tuple[Page[Any], list[NeedRow]]:
    """One page of needs of one kind (three queries: count, rows and nothing per row)."""
    queryset: QuerySet[Any] = (
        submitted_needs(organisation, year) if kind == "submitted" else gap_needs(organisation)
    )
    page = Paginator(queryset, PAGE_SIZE).get_page(number)
    return page, need_rows(page, kind)


@dataclass
class NeedGroup:
    """Needs counted together, without any person: what the consultation body sees."""

    kind: str
    source: str
    subject: str
    target: str
    count: int | None  # None: fewer than SMALL_GROUP people, hidden
    resolved: int | None


def needs_aggregate(organisation: Organisation, year: int) -> list[NeedGroup]:
    """The needs of `year` grouped by subject and target group, with no name: gap needs by
    competence and unit (small groups hidden); submitted needs by their text and target group.
    Two queries."""
    from leerplek.registration.models import SubmittedNeedSource

    groups: list[NeedGroup] = []
    labels = dict(SubmittedNeedSource.choices)
    for row in (
        gap_needs(organisation)
        .order_by()
        .values("competence__name", "unit__name", "employee__unit__name")
        .annotate(count=Count("id"), resolved=Count("resolution"))
        .order_by("competence__name", "unit__name", "employee__unit__name")
    ):
        small = row["count"] < SMALL_GROUP and not row["unit__name"]
        groups.append(
            NeedGroup(
                kind="gap",
                source=str(labels[SubmittedNeedSource.GAP]),
                subject=row["competence__name"],
                target=row["unit__name"] or row["employee__unit__name"] or "",
                count=None if small else row["count"],
                resolved=None if small else row["resolved"],
            )
        )
    for row in (
        SubmittedNeed.objects.filter(organisation=organisation, year=year)
        .values("source", "description", "target_group", "unit__name")
        .annotate(count=Count("id"), resolved=Count("resolution"))
        .order_by("source", "description")
    ):
        groups.append(
            NeedGroup(
                kind="submitted",
                source=str(labels.get(row["source"], row["source"])),
                subject=row["description"],
                target=row["target_group"] or row["unit__name"] or "",
                count=row["count"],
                resolved=row["resolved"],
            )
        )
    return groups


def plan_page(plan: TrainingPlan) -> PlanFigures:
    """`plan_figures` with what each line answers and its risk-group labels (five queries)."""
    from leerplek.registration.services_plan import risk_group_choices

    figures = plan_figures(plan)
    answers = needs_by_line(plan)
    labels = dict(risk_group_choices())
    for row in figures.lines:
        row.answers = answers.get(row.line.pk, [])
        row.risks = [labels.get(code, code) for code in row.line.risk_groups]
    return figures


def needs_by_line(plan: TrainingPlan) -> dict[int, list[str]]:
    """What each line answers, without names: the competence or the submitted text, with a
    count (for the plan page and the filing copy). One query."""
    from leerplek.registration.models import NeedResolution

    out: dict[int, list[str]] = {}
    rows = (
        NeedResolution.objects.filter(plan_line__plan=plan)
        .values(
            "plan_line_id",
            "training_need__competence__name",
            "submitted_need__description",
            "submitted_need__target_group",
        )
        .annotate(count=Count("id"))
        .order_by("plan_line_id", "training_need__competence__name")
    )
    for row in rows:
        subject = row["training_need__competence__name"] or row["submitted_need__description"]
        text = f"{subject} ({row['count']})" if row["count"] > 1 else str(subject)
        out.setdefault(row["plan_line_id"], []).append(text[:160])
    return out


# --- Transfer follow-up -----------------------------------------------------------------------

TRANSFER_ROLES = (Role.HR, Role.ADMIN, Role.MANAGER)


@dataclass
class TransferCounts:
    open: int
    overdue: int
    applied: int
    partly: int
    not_applied: int


def transfer_list(
    *, access: Access, status: str, today: datetime.date, number: Any
) -> tuple[Page[Any], TransferCounts]:
    """The follow-ups of the people in the user's scope (a line manager: his units), oldest due
    first; with the counts per status. Three queries."""
    scope = access.employee_scope_q(TRANSFER_ROLES, prefix="participation__employee__")
    rows = TransferFollowUp.objects.filter(scope, organisation=access.organisation)
    counts = rows.aggregate(
        open=Count("id", filter=Q(status=TransferStatus.OPEN)),
        overdue=Count("id", filter=Q(status=TransferStatus.OPEN, due_on__lt=today)),
        applied=Count("id", filter=Q(status=TransferStatus.APPLIED)),
        partly=Count("id", filter=Q(status=TransferStatus.PARTLY)),
        not_applied=Count("id", filter=Q(status=TransferStatus.NOT_APPLIED)),
    )
    if status:
        rows = rows.filter(status=status)
    rows = rows.select_related("participation__employee__unit", "participation__activity").order_by(
        "due_on", "id"
    )
    page = Paginator(rows, PAGE_SIZE).get_page(number)
    return page, TransferCounts(**counts)
