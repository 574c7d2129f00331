"""Reads of a learner's programme: the list of assignments, one learner's programme page, the
learner's own page and the guide's queue. Each function runs a fixed number of queries whatever
the number of modules, sign-offs or sessions."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils import timezone

from leerplek.core.access import Access
from leerplek.core.roles import Role
from leerplek.people.models import Employee
from leerplek.training.models import (
    AssignmentStatus,
    ChecklistItem,
    FollowUpCheck,
    Module,
    ModulePlan,
    Phase,
    ProgrammeAssignment,
    Signoff,
    TeachingSession,
)
from leerplek.training.selectors_programmes import duration_text, kind_tone

VIEW_ROLES = (Role.HR, Role.ADMIN, Role.MANAGER, Role.PREVENTION_ADVISER)


def with_progress(queryset: QuerySet[ProgrammeAssignment]) -> QuerySet[ProgrammeAssignment]:
    return queryset.select_related("version__programme", "employee__unit", "guide").annotate(
        module_count=Count("module_plans", distinct=True),
        done_count=Count(
            "signoffs",
            filter=Q(signoffs__revoked_at__isnull=True, signoffs__confirmed_at__isnull=False),
            distinct=True,
        ),
        waiting_count=Count(
            "signoffs",
            filter=Q(signoffs__revoked_at__isnull=True, signoffs__confirmed_at__isnull=True),
            distinct=True,
        ),
    )


def assignment_list(
    *, access: Access, status: str = "active", query: str = "", limit: int = 200
) -> tuple[list[ProgrammeAssignment], int]:
    """The programmes of the people in the user's scope, newest first, with progress; and how
    many there are in all (the page shows the first `limit`)."""
    queryset = ProgrammeAssignment.objects.filter(
        access.employee_scope_q(VIEW_ROLES, prefix="employee__")
    )
    if status in AssignmentStatus.values:
        queryset = queryset.filter(status=status)
    query = query.strip()
    if query:
        queryset = queryset.filter(
            Q(employee__first_name__icontains=query)
            | Q(employee__last_name__icontains=query)
            | Q(version__programme__title__icontains=query)
            | Q(version__programme__code__icontains=query)
        )
    total = queryset.count()
    rows = list(with_progress(queryset).order_by("-started_on", "-id")[:limit])
    return rows, total


def guided_by(*, employee_id: int | None, organisation_id: int) -> list[ProgrammeAssignment]:
    """The active programmes this person guides as peter/meter or instructor."""
    if employee_id is None:
        return []
    return list(
        with_progress(
            ProgrammeAssignment.objects.active().filter(
                organisation_id=organisation_id, guide_id=employee_id
            )
        ).order_by("employee__last_name", "employee__first_name", "id")
    )


def own_assignments(*, employee_id: int, organisation_id: int) -> list[ProgrammeAssignment]:
    return list(
        with_progress(
            ProgrammeAssignment.objects.filter(
                organisation_id=organisation_id, employee_id=employee_id
            ).exclude(status=AssignmentStatus.STOPPED)
        ).order_by("status", "-started_on", "-id")
    )


@dataclass
class ModuleState:
    module: Module
    plan: ModulePlan | None
    signoff: Signoff | None
    checklist: list[ChecklistItem]
    duration: str
    tone: str
    prerequisites: list[str]
    late: bool
    # The learner's "I have done this" form, set by the page (views_learning).
    declare_form: Any = None

    @property
    def state(self) -> str:
        """to_do, declared (waiting for the second party) or confirmed."""
        if self.signoff is None:
            return "to_do"
        return "confirmed" if self.signoff.confirmed_at else "declared"


@dataclass
class PhaseState:
    phase: Phase
    modules: list[ModuleState]
    opens_on: datetime.date | None

    @property
    def done(self) -> int:
        return sum(1 for row in self.modules if row.state == "confirmed")


@dataclass
class AssignmentView:
    assignment: ProgrammeAssignment
    phases: list[PhaseState]
    sessions: list[TeachingSession]
    revoked: list[Signoff]
    total: int = 0
    done: int = 0
    waiting: int = 0
    next_module: ModuleState | None = None
    modules: list[Module] = field(default_factory=list)

    @property
    def percent(self) -> int:
        return round(100 * self.done / self.total) if self.total else 0


def assignment_detail(*, assignment: ProgrammeAssignment) -> AssignmentView:
    """Phases and modules of the learner's version with plan, sign-off and checklist; the TWI
    sessions with their checks; revoked sign-offs (kept, with their reason). Seven queries."""
    today = timezone.localdate()
    phases = list(Phase.objects.filter(version_id=assignment.version_id).order_by("position", "id"))
    modules = list(
        Module.objects.filter(version_id=assignment.version_id)
        .select_related("workstation")
        .prefetch_related(
            Prefetch("checklist", queryset=ChecklistItem.objects.order_by("position", "id")),
            Prefetch("prerequisites", queryset=Module.objects.only("id", "title", "version_id")),
        )
        .order_by("phase__position", "position", "id")
    )
    plans = {plan.module_id: plan for plan in ModulePlan.objects.filter(assignment=assignment)}
    signoffs = list(
        Signoff.objects.filter(assignment=assignment).select_related(
            "declared_by", "confirmed_by", "revoked_by", "confirmer"
        )
    )
    valid = {s.module_id: s for s in signoffs if s.revoked_at is None}
    revoked = [s for s in signoffs if s.revoked_at is not None]
    by_phase: dict[int, list[ModuleState]] = {phase.pk: [] for phase in phases}
    for module in modules:
        plan = plans.get(module.pk)
        signoff = valid.get(module.pk)
        late = bool(
            plan
            and plan.planned_end
            and plan.planned_end < today
            and (signoff is None or signoff.confirmed_at is None)
        )
        by_phase.setdefault(module.phase_id, []).append(
            ModuleState(
                module=module,
                plan=plan,
                signoff=signoff,
                checklist=list(module.checklist.all()),
                duration=duration_text(
                    module.duration, module.duration_unit, module.duration_min, module.duration_max
                ),
                tone=kind_tone(module.kind),
                prerequisites=[other.title for other in module.prerequisites.all()],
                late=late,
            )
        )
    phase_states = [
        PhaseState(
            phase=phase,
            modules=by_phase.get(phase.pk, []),
            opens_on=(
                assignment.started_on + datetime.timedelta(days=phase.starts_after_days)
                if phase.starts_after_days
                else None
            ),
        )
        for phase in phases
    ]
    sessions = list(
        TeachingSession.objects.filter(assignment=assignment)
        .select_related("module", "instruction", "instructor", "go_to_person")
        .prefetch_related(Prefetch("checks", queryset=FollowUpCheck.objects.order_by("due_on")))
        .order_by("-held_on", "-id")[:50]
    )
    rows = [row for phase in phase_states for row in phase.modules]
    view = AssignmentView(
        assignment=assignment,
        phases=phase_states,
        sessions=sessions,
        revoked=revoked,
        total=len(rows),
        done=sum(1 for row in rows if row.state == "confirmed"),
        waiting=sum(1 for row in rows if row.state == "declared"),
        modules=modules,
    )
    view.next_module = next((row for row in rows if row.state == "to_do"), None)
    return view


def waiting_signoffs(*, access: Access, limit: int = 20) -> tuple[list[Signoff], int]:
    """Modules declared done that wait for this user's confirmation: those of the learners he
    guides, and for HR and the line the people in their scope."""
    organisation_id = access.organisation_id or 0
    reach = Q(pk__in=[])
    if access.employee_id is not None:
        reach |= Q(assignment__guide_id=access.employee_id)
        mentees = access.mentee_ids()
        if mentees:
            reach |= Q(assignment__employee_id__in=mentees)
    if access.has_role(Role.HR, Role.ADMIN, Role.MANAGER):
        reach |= access.employee_scope_q(
            (Role.HR, Role.ADMIN, Role.MANAGER), prefix="assignment__employee__"
        )
    queryset = (
        Signoff.objects.filter(
            organisation_id=organisation_id,
            confirmed_at__isnull=True,
            revoked_at__isnull=True,
            assignment__status=AssignmentStatus.ACTIVE,
        )
        .filter(reach)
        .exclude(assignment__employee_id=access.employee_id or 0)
    )
    total = queryset.count()
    rows = list(
        queryset.select_related("assignment__employee", "module").order_by("declared_at")[:limit]
    )
    return rows, total


def open_checks(*, access: Access, limit: int = 20) -> list[FollowUpCheck]:
    """Follow-up checks due today or earlier of the sessions this person taught or the
    learners he guides."""
    if access.employee_id is None:
        return []
    today = timezone.localdate()
    return list(
        FollowUpCheck.objects.filter(
            done_on__isnull=True,
            due_on__lte=today,
            session__organisation_id=access.organisation_id or 0,
            session__assignment__status=AssignmentStatus.ACTIVE,
        )
        .filter(
            Q(session__instructor_id=access.employee_id)
            | Q(session__assignment__guide_id=access.employee_id)
        )
        .select_related("session__assignment__employee", "session__module")
        .order_by("due_on", "id")[:limit]
    )


def employee_choices(organisation_id: int) -> QuerySet[Employee]:
    return Employee.objects.filter(
        organisation_id=organisation_id, exit_date__isnull=True
    ).order_by("last_name", "first_name")
