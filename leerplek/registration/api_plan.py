"""The registration API: the plan area (docs/api.md, "Registration").

- `GET /registration/needs`: the needs of a year, one kind at a time (HR: with the person);
  `GET /registration/needs/summary`: the same as counts by target group, no person (every
  role that views the plan, the consultation body too); `POST /registration/needs`: put a need
  forward (every member; the person or unit only within the caller's scope).
- `GET /registration/plans`, `/registration/plans/{plan_id}`: the plans, one with its lines
  planned against realised and its legal deadlines; `/registration/plans/{plan_id}/lines` and
  `/registration/plan-lines/{line_id}`: the lines with the same figures as the plan page.
"""

import datetime
from decimal import Decimal
from typing import Any, Literal

from django.db.models import Q, QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone
from ninja import Query, Router, Schema
from ninja.pagination import paginate
from ninja.responses import Status
from pydantic import Field

from leerplek.competences.models import Competence
from leerplek.core.http import OrganisationHttpRequest
from leerplek.core.roles import Role
from leerplek.people.api import ERROR_RESPONSES, Page, related, require
from leerplek.people.api_schemas import Id, Text
from leerplek.people.models import Employee, OrgUnit
from leerplek.registration import selectors_plan, services_plan
from leerplek.registration.models import PlanLine, SubmittedNeed, TrainingPlan

router = Router(tags=["registration"])


class NeedFilters(Schema):
    year: int | None = Field(None, ge=2000, le=2200, description="The plan year; default now.")
    kind: Literal["submitted", "gap"] = Field(
        "submitted", description="Submitted needs, or needs from competence gaps."
    )


class Named(Schema):
    id: int
    name: str


class ResolutionOut(Schema):
    learning_form: str
    suggested_form: str
    overridden: bool
    plan_line: int | None


class NeedOut(Schema):
    kind: str
    id: int
    source: str
    description: str
    target_group: str
    person: Named | None
    unit: Named | None
    competence: Named | None
    suggested_form: str | None
    resolution: ResolutionOut | None


class NeedGroupOut(Schema):
    kind: str
    source: str
    subject: str
    target_group: str
    count: int | None = Field(description="Needs in the group; null: a small group, hidden.")
    resolved: int | None


class NeedIn(Schema):
    year: int = Field(ge=2000, le=2200)
    description: Text = Field(max_length=2000)
    target_group: Text = Field("", max_length=300)
    competence: Id | None = None
    employee: Id | None = Field(None, description="A person within your scope.")
    unit: Id | None = Field(None, description="A unit within your scope.")
    source: Literal["", "employee", "manager", "representative", "gap", "hr"] = ""


def _named(obj: Any, name: str) -> dict[str, Any] | None:
    return {"id": obj.pk, "name": name} if obj is not None else None


def need_out(row: selectors_plan.NeedRow, need: Any) -> dict[str, Any]:
    resolution = row.resolution
    return {
        "kind": row.kind,
        "id": row.pk,
        "source": need.source,
        "description": row.description,
        "target_group": getattr(need, "target_group", ""),
        "person": _named(need.employee, str(need.employee)) if need.employee else None,
        "unit": _named(need.unit, need.unit.name) if need.unit else None,
        "competence": _named(need.competence, need.competence.name) if need.competence else None,
        "suggested_form": row.suggestion.form if row.suggestion else None,
        "resolution": {
            "learning_form": resolution.learning_form,
            "suggested_form": resolution.suggested_form,
            "overridden": resolution.overridden,
            "plan_line": resolution.plan_line_id,
        }
        if resolution
        else None,
    }


@router.get("/registration/needs", response={200: list[NeedOut], **ERROR_RESPONSES})
@paginate(Page)
def need_list(request: OrganisationHttpRequest, filters: Query[NeedFilters]) -> list[Any]:
    """The needs of one kind, with the person and how each is met (HR: manage_plan)."""
    require(request, "registration.manage_plan")
    year = filters.year or timezone.localdate().year
    if filters.kind == "submitted":
        queryset: QuerySet[Any] = selectors_plan.submitted_needs(request.organisation, year)
    else:
        queryset = selectors_plan.gap_needs(request.organisation)
    return _NeedPage(queryset, filters.kind)  # type: ignore[return-value]


class _NeedPage:
    """A lazy list for the paginator: it slices the queryset, then builds the rows of that slice
    only (a fixed number of queries per page)."""

    def __init__(self, queryset: QuerySet[Any], kind: str) -> None:
        self.queryset, self.kind = queryset, kind

    def count(self) -> int:
        return self.queryset.count()

    def __len__(self) -> int:
        return self.count()

    def __getitem__(self, window: slice) -> list[dict[str, Any]]:
        from leerplek.registration.services_plan import suggest_form

        out = []
        for need in self.queryset[window]:
            row = selectors_plan.NeedRow(
                kind=self.kind,
                pk=need.pk,
                source=need.source,
                description=need.description if self.kind == "submitted" else need.note,
                target="",
                competence=need.competence,
                resolution=getattr(need, "resolution", None),
                suggestion=suggest_form(need.competence),
            )
            out.append(need_out(row, need))
        return out


@router.get("/registration/needs/summary", response={200: list[NeedGroupOut], **ERROR_RESPONSES})
def need_summary(
    request: OrganisationHttpRequest, year: int | None = Query(None, ge=2000, le=2200)
) -> list[dict[str, Any]]:
    """The needs as counts by subject and target group, without any person."""
    require(request, "registration.view_plan")
    groups = selectors_plan.needs_aggregate(request.organisation, year or timezone.localdate().year)
    return [
        {
            "kind": group.kind,
            "source": group.source,
            "subject": group.subject,
            "target_group": group.target,
            "count": group.count,
            "resolved": group.resolved,
        }
        for group in groups
    ]


class SubmittedOut(Schema):
    id: int
    year: int
    source: str
    description: str
    target_group: str


@router.post("/registration/needs", response={201: SubmittedOut, **ERROR_RESPONSES})
def need_create(request: OrganisationHttpRequest, payload: NeedIn) -> Status[SubmittedNeed]:
    """Put a training need forward for the plan of `year`."""
    require(request, "registration.submit_needs")
    access = request.access
    people = Employee.objects.filter(access.employee_scope_q())
    units = OrgUnit.objects.filter(organisation_id=request.organisation.pk)
    paths = access.scope_paths((Role.HR, Role.ADMIN, Role.MANAGER))
    if paths is not None:
        reach = Q(pk__in=[])
        for unit_path in paths:
            reach |= Q(path__startswith=unit_path)
        units = units.filter(reach)
    competences = Competence.objects.filter(organisation_id=request.organisation.pk)
    need = services_plan.need_submit(
        organisation=request.organisation,
        by=request.user,
        year=payload.year,
        description=payload.description,
        target_group=payload.target_group,
        employee=related(people, "employee", payload.employee),
        unit=related(units, "unit", payload.unit),
        competence=related(competences, "competence", payload.competence),
        source=payload.source,
    )
    return Status(201, need)


# --- Plans ------------------------------------------------------------------------------------


class PlanOut(Schema):
    id: int
    year: int
    title: str
    status: str
    budget: Decimal
    body: str
    shared_on: datetime.date | None
    meeting_on: datetime.date | None
    advice_on: datetime.date | None
    in_force_on: datetime.date | None
    filed_on: datetime.date | None


class FiguresOut(Schema):
    planned_participants: int
    participants: int
    planned_hours: Decimal
    hours: Decimal
    planned_cost: Decimal
    cost: Decimal = Field(description="Net cost: gross + fund contributions - subsidies.")


class LineOut(Schema):
    id: int
    plan: int
    title: str
    category: str
    learning_form: str
    target_group: str
    risk_groups: list[str]
    gender_note: str
    counts_for_right: bool
    right_note: str
    figures: FiguresOut
    needs: int = Field(description="Needs taken up in this line.")


class DeadlineOut(Schema):
    key: str
    label: str
    due: datetime.date | None
    done: datetime.date | None
    state: str


class PlanDetailOut(PlanOut):
    figures: FiguresOut
    hours_by_month: list[Decimal]
    lines: list[LineOut]
    deadlines: list[DeadlineOut]


def line_out(row: selectors_plan.LineFigures) -> dict[str, Any]:
    line = row.line
    return {
        "id": line.pk,
        "plan": line.plan_id,
        "title": line.title,
        "category": line.category,
        "learning_form": line.learning_form,
        "target_group": line.target_group,
        "risk_groups": line.risk_groups,
        "gender_note": line.gender_note,
        "counts_for_right": line.counts_for_right,
        "right_note": line.right_note,
        "needs": row.needs,
        "figures": {
            "planned_participants": line.planned_participants,
            "participants": row.participants,
            "planned_hours": line.planned_hours,
            "hours": row.hours,
            "planned_cost": line.planned_cost,
            "cost": row.cost,
        },
    }


def _plan(request: OrganisationHttpRequest, plan_id: int) -> TrainingPlan:
    require(request, "registration.view_plan")
    return get_object_or_404(TrainingPlan, organisation_id=request.organisation.pk, pk=plan_id)


@router.get("/registration/plans", response={200: list[PlanOut], **ERROR_RESPONSES})
@paginate(Page)
def plan_list(request: OrganisationHttpRequest) -> QuerySet[TrainingPlan]:
    """The training plans, newest year first."""
    require(request, "registration.view_plan")
    return TrainingPlan.objects.filter(organisation_id=request.organisation.pk).order_by("-year")


@router.get("/registration/plans/{plan_id}", response={200: PlanDetailOut, **ERROR_RESPONSES})
def plan_detail(request: OrganisationHttpRequest, plan_id: Id) -> dict[str, Any]:
    """One plan: planned against realised per line and in total, hours by month, deadlines."""
    plan = _plan(request, plan_id)
    figures = selectors_plan.plan_figures(plan)
    steps = services_plan.deadlines(year=plan.year, plan=plan, today=timezone.localdate())
    return {
        **{field: getattr(plan, field) for field in PlanOut.model_fields},
        "figures": {
            "planned_participants": figures.planned_participants,
            "participants": figures.participants,
            "planned_hours": figures.planned_hours,
            "hours": figures.hours,
            "planned_cost": figures.planned_cost,
            "cost": figures.cost,
        },
        "hours_by_month": figures.months_hours,
        "lines": [line_out(row) for row in figures.lines],
        "deadlines": [
            {"key": s.key, "label": s.label, "due": s.due, "done": s.done, "state": s.state}
            for s in steps
        ],
    }


@router.get("/registration/plans/{plan_id}/lines", response={200: list[LineOut], **ERROR_RESPONSES})
def plan_lines(request: OrganisationHttpRequest, plan_id: Id) -> list[dict[str, Any]]:
    """The lines of a plan with planned against realised (every line: a plan has few)."""
    plan = _plan(request, plan_id)
    return [line_out(row) for row in selectors_plan.plan_figures(plan).lines]


@router.get("/registration/plan-lines/{line_id}", response={200: LineOut, **ERROR_RESPONSES})
def plan_line_detail(request: OrganisationHttpRequest, line_id: Id) -> dict[str, Any]:
    """One plan line with planned against realised."""
    require(request, "registration.view_plan")
    line = get_object_or_404(
        PlanLine.objects.select_related("plan"),
        plan__organisation_id=request.organisation.pk,
        pk=line_id,
    )
    row = next(
        row for row in selectors_plan.plan_figures(line.plan).lines if row.line.pk == line.pk
    )
    return line_out(row)
