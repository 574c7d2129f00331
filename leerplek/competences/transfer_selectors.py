"""Reads for transfer plans (COMP-06, KNOW-12), each in one query.

Who reaches which plan: HR, administrators and knowledge managers every plan of the organisation;
a line manager the plans whose holder or successor works in one of his units, and the plans he
made himself.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterable

from django.db.models import BooleanField, Case, Q, QuerySet, Value, When
from django.utils import timezone

from leerplek.competences.models import TransferPlan, TransferStatus
from leerplek.core.access import Access
from leerplek.core.roles import Role
from leerplek.people.models import Employee

# Roles that plan for the whole organisation, and roles that plan within the units of the grant.
ORG_WIDE_ROLES = (Role.HR, Role.ADMIN, Role.KNOWLEDGE_MANAGER)
SCOPED_ROLES = (Role.MANAGER,)
OPEN_STATUSES = (TransferStatus.PLANNED, TransferStatus.IN_PROGRESS)


def plans_everywhere(access: Access) -> bool:
    return access.has_role(*ORG_WIDE_ROLES)


def _people_reach(access: Access, prefix: str = "") -> Q | None:
    """A filter for the people the user may name in a plan; None when he reaches everybody."""
    if plans_everywhere(access):
        return None
    reach = Q(pk__in=[])
    for path in access.scope_paths(SCOPED_ROLES) or []:
        reach |= Q(**{f"{prefix}unit__path__startswith": path})
    return reach


def person_in_reach(access: Access, employee: Employee) -> bool:
    """Whether the user may name `employee` in a plan (reads no rows: the unit is loaded)."""
    if plans_everywhere(access):
        return True
    unit = employee.unit
    return unit is not None and access.covers_path(SCOPED_ROLES, unit.path)


def transfer_people(*, access: Access) -> QuerySet[Employee]:
    """Active people the user may name as holder or successor, by name."""
    people = Employee.objects.active().filter(organisation=access.organisation)
    reach = _people_reach(access)
    if reach is not None:
        people = people.filter(reach)
    return people.select_related("unit").order_by("last_name", "first_name", "pk")


def _overdue(today: datetime.date) -> Case:
    return Case(
        When(due_on__lt=today, status__in=OPEN_STATUSES, then=Value(True)),
        default=Value(False),
        output_field=BooleanField(),
    )


def transfer_plan_list(
    *,
    access: Access,
    status: str = "open",
    overdue: bool = False,
    competence_ids: Iterable[int] | None = None,
    today: datetime.date | None = None,
) -> QuerySet[TransferPlan]:
    """Plans the user reaches, soonest due first, each with `is_overdue` (due before today and
    neither done nor dropped). `status` is a status, "open" (planned or in progress) or "" for
    every status; `overdue` keeps only the overdue ones. One query per page."""
    today = today or timezone.localdate()
    plans = TransferPlan.objects.filter(organisation=access.organisation)
    reach = _people_reach(access)
    if reach is not None:
        plans = plans.filter(
            _people_reach(access, "holder__")  # type: ignore[operator]
            | _people_reach(access, "successor__")
            | Q(created_by_id=access.user_id)
        )
    if status == "open":
        plans = plans.filter(status__in=OPEN_STATUSES)
    elif status:
        plans = plans.filter(status=status)
    if competence_ids is not None:
        plans = plans.filter(competence_id__in=list(competence_ids))
    plans = plans.annotate(is_overdue=_overdue(today))
    if overdue:
        plans = plans.filter(is_overdue=True)
    return plans.select_related(
        "competence", "holder", "holder__unit", "successor", "successor__unit", "created_by"
    ).order_by("due_on", "competence__code", "id")


def open_plans_by_competence(
    *, access: Access, competence_ids: Iterable[int]
) -> dict[int, list[TransferPlan]]:
    """The open plans (planned or in progress) per competence, for the retention page (one
    query)."""
    found: dict[int, list[TransferPlan]] = defaultdict(list)
    for plan in transfer_plan_list(access=access, status="open", competence_ids=competence_ids):
        found[plan.competence_id].append(plan)
    return dict(found)
