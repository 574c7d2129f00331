"""Builders for the training-plan tests, through the plan's services: a plan with lines, a
plan taken through its consultation, a competence of a kind, needs of both kinds."""

from __future__ import annotations

import datetime
from typing import Any

from leerplek.competences.models import Competence, NeedSource, TrainingNeed
from leerplek.core.access import load_access
from leerplek.core.roles import Role
from leerplek.registration import services_plan
from leerplek.registration.models import PlanLine, TrainingPlan
from tests.factories import Cast

D = datetime.date


def acting(cast: Cast, role: Role) -> Any:
    """The cast's user of `role`, with his access loaded as a request would."""
    user = cast.user(role)
    user.access = load_access(user, cast.organisation.pk)
    return user


def plan_with_lines(cast: Cast, year: int = 2026) -> tuple[TrainingPlan, PlanLine, PlanLine]:
    hr = acting(cast, Role.HR)
    plan = services_plan.plan_create(
        organisation=cast.organisation, by=hr, year=year, budget="9000"
    )
    forklift = services_plan.line_add(
        plan=plan,
        by=hr,
        title="Heftruckattest",
        category="formal",
        learning_form="external",
        target_group="Magazijniers en nieuwe operatoren",
        planned_participants=6,
        planned_hours="45.60",
        planned_cost="1800.00",
        risk_groups=["50_plus", "low_skilled"],
        gender_note="Ook vrouwelijke operatoren uitnodigen",
        counts_for_right=True,
        right_note="1 dag opleidingsrecht per deelnemer",
    )
    kettle = services_plan.line_add(
        plan=plan,
        by=hr,
        title="Meedraaien op de mengketel",
        category="informal",
        learning_form="mentoring",
        target_group="Nieuwe operatoren sauskeuken",
        planned_participants=4,
        planned_hours="96.00",
        planned_cost="1200.00",
    )
    return plan, forklift, kettle


def in_consultation(cast: Cast, plan: TrainingPlan) -> TrainingPlan:
    return services_plan.plan_share(
        plan=plan,
        by=acting(cast, Role.HR),
        body="works_council",
        shared_on=D(plan.year, 2, 1),
        meeting_on=D(plan.year, 2, 20),
    )


def competence(cast: Cast, code: str, name: str, kind: str = "technical") -> Competence:
    return Competence.objects.create(
        organisation=cast.organisation, code=code, name=name, kind=kind
    )


def gap_need(cast: Cast, employee: Any, item: Competence, **fields: Any) -> TrainingNeed:
    return TrainingNeed.objects.create(
        organisation=cast.organisation,
        employee=employee,
        competence=item,
        source=fields.pop("source", NeedSource.GAP),
        **fields,
    )
