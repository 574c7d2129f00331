"""Writes of a learner's programme (OJT-04, OJT-05, OJT-14, OJT-15, X-02).

- `assignment_create`: HR or the line assigns an approved programme version to a person, with a
  peter/meter or instructor as guide; every module gets a dated plan row.
- `module_plan_update`: the guide plans a module on dates and records when it really started.
- `signoff_declare` / `signoff_confirm`: the two-party sign-off. The learner declares a module
  done (ticking its checklist in the order of execution); the guide, the line or HR confirms,
  never the learner himself. The confirmation fixes a SHA-256 of what both signed; a confirmed
  module records the competences it develops (method "module sign-off") and makes the learner a
  holder of the work instructions it teaches.
- `signoff_revoke`: HR revokes a sign-off, only with a reason (kept in the audit log).
- `teaching_session_record` / `followup_check_done`: the TWI four-step session and its tapering
  follow-up checks.
- `assignment_stop`; completion happens by itself when every module is confirmed and the final
  evaluation (a final test of the programme, when there is one) is passed.

Every function validates first, writes inside one transaction and appends to the audit log.
"""

from __future__ import annotations

import datetime
import hashlib
import json
from collections.abc import Iterable, Sequence
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from leerplek.competences.models import Assessment, AssessmentMethod
from leerplek.core import audit
from leerplek.core.errors import field_error
from leerplek.core.roles import Role
from leerplek.core.rules import access_of
from leerplek.onboarding.models import Onboarding
from leerplek.people.models import Employee, User
from leerplek.training.models import (
    AssignmentStatus,
    Attempt,
    Audience,
    Certificate,
    DurationUnit,
    FollowUpCheck,
    Module,
    ModulePlan,
    Phase,
    ProgrammeAssignment,
    ProgrammeVersion,
    Signoff,
    SignoffCapacity,
    TeachingSession,
    Test,
    TestStatus,
    VersionStatus,
)
from leerplek.training.services_instructions import holders_qualify

# The tapering follow-up of a TWI session: often at first, then less (days after the session).
FOLLOW_UP_DAYS = (1, 3, 7, 14, 30)

SIGNABLE_STATUSES = (VersionStatus.APPROVED, VersionStatus.SUPERSEDED)

ERRORS = {
    "not_approved": _(
        "Version %(number)s of %(programme)s is not approved yet: only an approved version can "
        "be assigned or signed."
    ),
    "left": _("%(name)s left the organisation on %(date)s."),
    "other_organisation": _("This belongs to another organisation."),
    "already_following": _("%(name)s already follows %(programme)s."),
    "guide_is_learner": _("The learner cannot be his own guide: choose a colleague."),
    "guide_left": _("%(name)s no longer works here: choose another guide."),
    "not_active": _("This programme is %(status)s: nothing can be signed any more."),
    "module_elsewhere": _("This module is not part of the learner's programme version."),
    "already_signed": _("%(module)s is already declared done."),
    "prerequisite_open": _("First finish %(modules)s: this module builds on it."),
    "gate_days": _(
        "The phase %(phase)s starts at the earliest on %(date)s (%(days)s days after the start)."
    ),
    "gate_attest": _("The phase %(phase)s needs the attest of the previous phase first."),
    "checklist_incomplete": _("Tick every item of the checklist, in order: %(items)s is missing."),
    "checklist_unknown": _("The checklist holds an item that is not on this module's list."),
    "not_own": _("Only the learner himself declares his module done."),
    "self_confirm": _(
        "You cannot confirm your own module: the peter/meter, the instructor or the line does."
    ),
    "not_declared": _("The learner has not declared this module done yet."),
    "already_confirmed": _("This sign-off is already confirmed; it can only be revoked."),
    "revoked": _("This sign-off was revoked."),
    "reason_missing": _("Give the reason: it is kept in the audit log."),
    "end_before_start": _("The planned end lies before the planned start."),
    "future_actual": _("A module cannot have started in the future."),
    "check_before_session": _("A follow-up check lies after the session: %(date)s is before it."),
    "session_future": _("A session that is recorded has already happened: not in the future."),
    "instruction_elsewhere": _("This work instruction is not taught in this module."),
    "instructor_missing": _("Name who taught the job."),
    "instructor_is_learner": _("The learner cannot teach himself."),
    "already_done": _("This check is already done."),
    "capacity_unknown": _("Choose in what capacity you confirm."),
}


def _require(by: User, perm: str, obj: Any) -> None:
    if not by.has_perm(perm, obj):
        raise PermissionDenied


def _record(by: User, action: str, obj: Any, organisation: Any, **kw: Any) -> None:
    audit.record(actor=by, action=action, obj=obj, organisation=organisation, **kw)


def _locked_assignment(assignment: ProgrammeAssignment) -> ProgrammeAssignment:
    return (
        ProgrammeAssignment.objects.select_for_update()
        .select_related("version__programme", "employee")
        .get(pk=assignment.pk)
    )


def _check_active(assignment: ProgrammeAssignment) -> None:
    if assignment.status != AssignmentStatus.ACTIVE:
        raise field_error(
            "assignment",
            ERRORS["not_active"],
            code="not_active",
            params={"status": assignment.get_status_display().lower()},
        )


def _check_signable(version: ProgrammeVersion) -> None:
    if version.status not in SIGNABLE_STATUSES:
        raise field_error(
            "version",
            ERRORS["not_approved"],
            code="not_approved",
            params={"number": version.number, "programme": version.programme},
        )


# --- Assigning -----------------------------------------------------------------------------------


def _step_days(module: Module) -> int:
    """Calendar days a module takes in the automatic first plan (a shift counts as a day)."""
    per_unit: dict[str, int] = {
        DurationUnit.SHIFTS.value: 1,
        DurationUnit.DAYS.value: 1,
        DurationUnit.WEEKS.value: 7,
        DurationUnit.MONTHS.value: 30,
    }
    return max(1, module.duration) * per_unit.get(module.duration_unit, 1)


def first_plan(
    modules: Sequence[Module], phases: Iterable[Phase], started_on: datetime.date
) -> dict[int, tuple[datetime.date, datetime.date]]:
    """The modules one after the other from the start date, a phase never before its time gate:
    the first plan the guide then adjusts. Returns module id -> (planned start, planned end)."""
    gates = {
        phase.pk: started_on + datetime.timedelta(days=phase.starts_after_days or 0)
        for phase in phases
    }
    plan: dict[int, tuple[datetime.date, datetime.date]] = {}
    day = started_on
    for module in modules:
        day = max(day, gates.get(module.phase_id, started_on))
        end = day + datetime.timedelta(days=_step_days(module) - 1)
        plan[module.pk] = (day, end)
        day = end + datetime.timedelta(days=1)
    return plan


@transaction.atomic
def assignment_create(
    *,
    version: ProgrammeVersion,
    employee: Employee,
    by: User,
    started_on: datetime.date,
    guide: Employee | None = None,
    audience: str = Audience.NEWCOMER,
    onboarding: Onboarding | None = None,
) -> ProgrammeAssignment:
    """Assign `version` to `employee`; raises ValidationError keyed by field, PermissionDenied
    when `by` may not assign programmes to this person."""
    _require(by, "training.assign_programmes", employee)
    organisation_id = employee.organisation_id
    for field, obj in (("version", version), ("guide", guide), ("onboarding", onboarding)):
        if obj is not None and obj.organisation_id != organisation_id:
            raise field_error(field, ERRORS["other_organisation"], code="other_organisation")
    if version.status != VersionStatus.APPROVED:
        raise field_error(
            "version",
            ERRORS["not_approved"],
            code="not_approved",
            params={"number": version.number, "programme": version.programme},
        )
    if employee.exit_date is not None and employee.exit_date < started_on:
        raise field_error(
            "employee",
            ERRORS["left"],
            code="left",
            params={"name": employee, "date": employee.exit_date},
        )
    if guide is not None:
        if guide.pk == employee.pk:
            raise field_error("guide", ERRORS["guide_is_learner"], code="guide_is_learner")
        if guide.exit_date is not None and guide.exit_date < timezone.localdate():
            raise field_error(
                "guide", ERRORS["guide_left"], code="guide_left", params={"name": guide}
            )
    if audience not in Audience.values:
        audience = Audience.OTHER
    if (
        ProgrammeAssignment.objects.active()
        .filter(employee=employee, version__programme_id=version.programme_id)
        .exists()
    ):
        raise field_error(
            "employee",
            ERRORS["already_following"],
            code="already_following",
            params={"name": employee, "programme": version.programme},
        )
    assignment = ProgrammeAssignment.objects.create(
        organisation_id=organisation_id,
        version=version,
        employee=employee,
        guide=guide,
        onboarding=onboarding,
        audience=audience,
        started_on=started_on,
        assigned_by=by,
    )
    modules = list(
        Module.objects.filter(version=version).order_by("phase__position", "position", "id")
    )
    dates = first_plan(modules, Phase.objects.filter(version=version), started_on)
    ModulePlan.objects.bulk_create(
        ModulePlan(
            assignment=assignment,
            module=module,
            planned_start=dates[module.pk][0],
            planned_end=dates[module.pk][1],
        )
        for module in modules
    )
    _record(
        by,
        "training.programme_assigned",
        assignment,
        assignment.organisation,
        after={
            "employee": employee.pk,
            "version": version.pk,
            "guide": getattr(guide, "pk", None),
            "started_on": started_on,
        },
    )
    return assignment


@transaction.atomic
def assignment_stop(
    *, assignment: ProgrammeAssignment, by: User, reason: str
) -> ProgrammeAssignment:
    _require(by, "training.assign_programmes", assignment)
    locked = _locked_assignment(assignment)
    _check_active(locked)
    reason = (reason or "").strip()
    if not reason:
        raise field_error("stop_reason", ERRORS["reason_missing"], code="reason_missing")
    locked.status = AssignmentStatus.STOPPED
    locked.stop_reason = reason[:300]
    locked.save(update_fields=["status", "stop_reason"])
    _record(by, "training.programme_stopped", locked, locked.organisation, after={"reason": reason})
    return locked


@transaction.atomic
def assignment_guide_set(
    *, assignment: ProgrammeAssignment, by: User, guide: Employee | None
) -> ProgrammeAssignment:
    _require(by, "training.assign_programmes", assignment)
    locked = _locked_assignment(assignment)
    if guide is not None:
        if guide.organisation_id != locked.organisation_id:
            raise field_error("guide", ERRORS["other_organisation"], code="other_organisation")
        if guide.pk == locked.employee_id:
            raise field_error("guide", ERRORS["guide_is_learner"], code="guide_is_learner")
    before = locked.guide_id
    locked.guide = guide
    locked.save(update_fields=["guide"])
    _record(
        by,
        "training.guide_changed",
        locked,
        locked.organisation,
        before={"guide": before},
        after={"guide": getattr(guide, "pk", None)},
    )
    return locked


@transaction.atomic
def module_plan_update(
    *,
    plan: ModulePlan,
    by: User,
    planned_start: datetime.date | None,
    planned_end: datetime.date | None,
    actual_start: datetime.date | None,
) -> ModulePlan:
    """The guide plans a module on dates (planned vs actual)."""
    assignment = plan.assignment
    _require(by, "training.guide_learner", assignment)
    _check_active(assignment)
    if planned_start and planned_end and planned_end < planned_start:
        raise field_error("planned_end", ERRORS["end_before_start"], code="end_before_start")
    if actual_start and actual_start > timezone.localdate():
        raise field_error("actual_start", ERRORS["future_actual"], code="future_actual")
    before = {
        "planned_start": plan.planned_start,
        "planned_end": plan.planned_end,
        "actual_start": plan.actual_start,
    }
    plan.planned_start, plan.planned_end, plan.actual_start = (
        planned_start,
        planned_end,
        actual_start,
    )
    plan.save(update_fields=["planned_start", "planned_end", "actual_start"])
    _record(
        by,
        "training.module_planned",
        plan,
        assignment.organisation,
        before=before,
        after={
            "planned_start": planned_start,
            "planned_end": planned_end,
            "actual_start": actual_start,
        },
    )
    return plan


# --- Two-party sign-off --------------------------------------------------------------------------


def _checklist(module: Module, ticked: Iterable[int]) -> list[dict[str, Any]]:
    """The module's checklist in the order of execution, with what was ticked; every item must
    be ticked."""
    items = list(module.checklist.order_by("position", "id"))
    ticked_ids = {int(pk) for pk in ticked}
    known = {item.pk for item in items}
    if ticked_ids - known:
        raise field_error("checklist", ERRORS["checklist_unknown"], code="checklist_unknown")
    missing = [item.text for item in items if item.pk not in ticked_ids]
    if missing:
        raise field_error(
            "checklist",
            ERRORS["checklist_incomplete"],
            code="checklist_incomplete",
            params={"items": ", ".join(f"“{text}”" for text in missing)},
        )
    return [{"item": item.pk, "text": item.text, "learner": True} for item in items]


def _confirmed_module_ids(assignment: ProgrammeAssignment) -> set[int]:
    return set(
        Signoff.objects.confirmed()
        .filter(assignment=assignment)
        .values_list("module_id", flat=True)
    )


def _check_gates(assignment: ProgrammeAssignment, module: Module, today: datetime.date) -> None:
    phase = module.phase
    if phase.starts_after_days:
        opens = assignment.started_on + datetime.timedelta(days=phase.starts_after_days)
        if today < opens:
            raise field_error(
                "module",
                ERRORS["gate_days"],
                code="gate_days",
                params={"phase": phase.title, "date": opens, "days": phase.starts_after_days},
            )
    if phase.requires_attest:
        previous = (
            Phase.objects.filter(version_id=phase.version_id, position__lt=phase.position)
            .order_by("-position")
            .first()
        )
        if previous is not None:
            valid = Certificate.objects.filter(
                employee_id=assignment.employee_id,
                revoked_at__isnull=True,
                test__in=Test.objects.filter(Q(phase=previous) | Q(module__phase=previous)),
            ).filter(Q(expires_on__isnull=True) | Q(expires_on__gte=today))
            if not valid.exists():
                raise field_error(
                    "module", ERRORS["gate_attest"], code="gate_attest", params={"phase": phase}
                )
    open_prerequisites = [
        other.title
        for other in module.prerequisites.all()
        if other.pk not in _confirmed_module_ids(assignment)
    ]
    if open_prerequisites:
        raise field_error(
            "module",
            ERRORS["prerequisite_open"],
            code="prerequisite_open",
            params={"modules": ", ".join(open_prerequisites)},
        )


@transaction.atomic
def signoff_declare(
    *,
    assignment: ProgrammeAssignment,
    module: Module,
    by: User,
    checklist: Iterable[int] = (),
    note: str = "",
) -> Signoff:
    """The learner declares `module` done. Refused for anyone but the learner, on an unapproved
    version, before a prerequisite or a time gate, with the checklist not fully ticked."""
    locked = _locked_assignment(assignment)
    if locked.employee.user_id is None or locked.employee.user_id != by.pk:
        raise field_error("declared_by", ERRORS["not_own"], code="not_own")
    _require(by, "training.follow_own", locked.employee)
    _check_active(locked)
    _check_signable(locked.version)
    if module.version_id != locked.version_id:
        raise field_error("module", ERRORS["module_elsewhere"], code="module_elsewhere")
    if Signoff.objects.valid().filter(assignment=locked, module=module).exists():
        raise field_error(
            "module", ERRORS["already_signed"], code="already_signed", params={"module": module}
        )
    today = timezone.localdate()
    _check_gates(locked, module, today)
    rows = _checklist(module, checklist)
    signoff = Signoff.objects.create(
        organisation_id=locked.organisation_id,
        assignment=locked,
        module=module,
        version_number=locked.version.number,
        declared_at=timezone.now(),
        declared_by=by,
        learner_note=(note or "").strip(),
        checklist=rows,
    )
    ModulePlan.objects.filter(assignment=locked, module=module, actual_start__isnull=True).update(
        actual_start=today
    )
    _record(
        by,
        "training.module_declared",
        signoff,
        locked.organisation,
        after={"module": module.pk, "version": locked.version.number, "checklist": len(rows)},
    )
    return signoff


def content_hash(signoff: Signoff) -> str:
    """SHA-256 of what both parties signed: learner, module, version, checklist and the two
    signatures (who and when)."""
    assert signoff.confirmed_at is not None
    content = {
        "assignment": signoff.assignment_id,
        "learner": signoff.assignment.employee_id,
        "module": signoff.module_id,
        "module_title": signoff.module.title,
        "version": signoff.version_number,
        "checklist": signoff.checklist,
        "declared_by": signoff.declared_by_id,
        "declared_at": signoff.declared_at.isoformat(),
        "confirmed_by": signoff.confirmed_by_id,
        "confirmer": signoff.confirmer_id,
        "capacity": signoff.capacity,
        "confirmed_at": signoff.confirmed_at.isoformat(),
    }
    encoded = json.dumps(content, sort_keys=True, separators=(",", ":")).encode()
    return hashlib.sha256(encoded).hexdigest()


def capacity_of(by: User, assignment: ProgrammeAssignment) -> str:
    """In what capacity `by` confirms: the named guide, else his role."""
    access = access_of(by)
    if access.employee_id is not None and assignment.guide_id == access.employee_id:
        if assignment.guide is not None and access.has_role(Role.INSTRUCTOR):
            return SignoffCapacity.INSTRUCTOR
        return SignoffCapacity.MENTOR
    if access.employee_id is not None and assignment.employee_id in access.mentee_ids():
        return SignoffCapacity.MENTOR
    if access.has_role(Role.HR, Role.ADMIN):
        return SignoffCapacity.HR
    return SignoffCapacity.MANAGER


@transaction.atomic
def signoff_confirm(
    *,
    signoff: Signoff,
    by: User,
    checklist: Iterable[int] = (),
    note: str = "",
) -> Signoff:
    """The second party confirms a declared module; never the learner himself. Returns the
    confirmed sign-off; raises ValidationError keyed by field."""
    locked = Signoff.objects.select_for_update().get(pk=signoff.pk)
    assignment = _locked_assignment(locked.assignment)
    locked.assignment = assignment
    access = access_of(by)
    if by.pk == assignment.employee.user_id or access.employee_id == assignment.employee_id:
        raise field_error("confirmed_by", ERRORS["self_confirm"], code="self_confirm")
    _require(by, "training.guide_learner", assignment)
    if locked.revoked_at is not None:
        raise field_error("signoff", ERRORS["revoked"], code="revoked")
    if locked.confirmed_at is not None:
        raise field_error("signoff", ERRORS["already_confirmed"], code="already_confirmed")
    _check_active(assignment)
    _check_signable(assignment.version)
    module = Module.objects.select_related("phase").get(pk=locked.module_id)
    rows = _checklist(module, checklist)
    learner_rows = {row["item"]: row for row in locked.checklist}
    locked.checklist = [
        {
            **row,
            "learner": bool(learner_rows.get(row["item"], {}).get("learner")),
            "confirmer": True,
        }
        for row in rows
    ]
    now = timezone.now()
    locked.confirmed_at = now
    locked.confirmed_by = by
    locked.confirmer_id = access.employee_id
    locked.capacity = capacity_of(by, assignment)
    locked.confirmer_note = (note or "").strip()
    locked.module = module
    locked.content_hash = content_hash(locked)
    locked.save(
        update_fields=[
            "checklist",
            "confirmed_at",
            "confirmed_by",
            "confirmer",
            "capacity",
            "confirmer_note",
            "content_hash",
        ]
    )
    today = timezone.localdate()
    ModulePlan.objects.filter(assignment=assignment, module=module).update(done_on=today)
    recorded = _record_competences(locked, assignment, module, by, today)
    instructions = [link.instruction for link in module.instruction_links.all()]
    if instructions:
        holders_qualify(instructions=instructions, employee=assignment.employee, on=today, by=by)
    _record(
        by,
        "training.module_confirmed",
        locked,
        assignment.organisation,
        after={
            "module": module.pk,
            "version": locked.version_number,
            "hash": locked.content_hash,
            "competences": recorded,
        },
    )
    complete_if_done(assignment=assignment, by=by)
    return locked


def _record_competences(
    signoff: Signoff,
    assignment: ProgrammeAssignment,
    module: Module,
    by: User,
    today: datetime.date,
) -> int:
    """A confirmed module records the levels of the competences it develops, as new
    assessments with method "module sign-off" (earlier ones stay as history)."""
    rows = list(module.competences.all())
    if not rows:
        return 0
    note = str(
        _("Module “%(module)s” (version %(version)s) signed off.")
        % {"module": module.title, "version": signoff.version_number}
    )
    Assessment.objects.bulk_create(
        Assessment(
            organisation_id=assignment.organisation_id,
            employee_id=assignment.employee_id,
            competence_id=row.competence_id,
            level_id=row.level_id,
            assessed_on=today,
            assessor_id=signoff.confirmer_id,
            recorded_by=by,
            method=AssessmentMethod.MODULE_SIGNOFF,
            note=note,
        )
        for row in rows
    )
    return len(rows)


@transaction.atomic
def signoff_revoke(*, signoff: Signoff, by: User, reason: str) -> Signoff:
    """HR revokes a sign-off with a reason; the module is to do again, a completed programme
    opens again. The signature itself stays, marked revoked."""
    locked = Signoff.objects.select_for_update().select_related("assignment").get(pk=signoff.pk)
    _require(by, "training.revoke_signoffs", locked.assignment)
    reason = (reason or "").strip()
    if not reason:
        raise field_error("revoke_reason", ERRORS["reason_missing"], code="reason_missing")
    if locked.revoked_at is not None:
        raise field_error("signoff", ERRORS["revoked"], code="revoked")
    locked.revoked_at = timezone.now()
    locked.revoked_by = by
    locked.revoke_reason = reason[:300]
    locked.save(update_fields=["revoked_at", "revoked_by", "revoke_reason"])
    ModulePlan.objects.filter(
        assignment_id=locked.assignment_id, module_id=locked.module_id
    ).update(done_on=None)
    assignment = _locked_assignment(locked.assignment)
    if assignment.status == AssignmentStatus.COMPLETED:
        assignment.status = AssignmentStatus.ACTIVE
        assignment.completed_on = None
        assignment.save(update_fields=["status", "completed_on"])
    _record(
        by,
        "training.signoff_revoked",
        locked,
        assignment.organisation,
        before={"confirmed_at": locked.confirmed_at, "hash": locked.content_hash},
        after={"reason": reason},
    )
    return locked


# --- Completion ----------------------------------------------------------------------------------


def final_tests(version: ProgrammeVersion) -> list[Test]:
    """The final evaluations of a programme version: published final tests of the programme, or
    of one of the version's phases or modules."""
    return list(
        Test.objects.filter(is_final=True, status=TestStatus.PUBLISHED).filter(
            Q(programme_id=version.programme_id)
            | Q(phase__version=version)
            | Q(module__version=version)
        )
    )


def open_final_tests(assignment: ProgrammeAssignment) -> list[Test]:
    tests = final_tests(assignment.version)
    if not tests:
        return []
    passed = set(
        Attempt.objects.filter(
            test__in=tests,
            employee_id=assignment.employee_id,
            is_practice=False,
            passed=True,
        ).values_list("test_id", flat=True)
    )
    return [test for test in tests if test.pk not in passed]


def complete_if_done(*, assignment: ProgrammeAssignment, by: User) -> bool:
    """Complete the programme when every module is confirmed and the final evaluation passed;
    called after each confirmation and each passed test. Returns whether it is completed."""
    if assignment.status != AssignmentStatus.ACTIVE:
        return assignment.status == AssignmentStatus.COMPLETED
    modules = set(
        Module.objects.filter(version_id=assignment.version_id).values_list("pk", flat=True)
    )
    if not modules or modules - _confirmed_module_ids(assignment):
        return False
    if open_final_tests(assignment):
        return False
    assignment.status = AssignmentStatus.COMPLETED
    assignment.completed_on = timezone.localdate()
    assignment.save(update_fields=["status", "completed_on"])
    _record(
        by,
        "training.programme_completed",
        assignment,
        assignment.organisation,
        after={"completed_on": assignment.completed_on},
    )
    return True


# --- TWI teaching sessions -----------------------------------------------------------------------


def follow_up_dates(held_on: datetime.date) -> list[datetime.date]:
    return [held_on + datetime.timedelta(days=days) for days in FOLLOW_UP_DAYS]


@transaction.atomic
def teaching_session_record(
    *,
    assignment: ProgrammeAssignment,
    module: Module,
    by: User,
    held_on: datetime.date,
    instructor: Employee | None,
    check_dates: Sequence[datetime.date] = (),
    **steps: Any,
) -> TeachingSession:
    """Record a TWI Job Instruction session: the four steps as ticks and notes, the go-to person
    and the follow-up checks (tapering by default)."""
    _require(by, "training.guide_learner", assignment)
    _check_active(assignment)
    if module.version_id != assignment.version_id:
        raise field_error("module", ERRORS["module_elsewhere"], code="module_elsewhere")
    if held_on > timezone.localdate():
        raise field_error("held_on", ERRORS["session_future"], code="session_future")
    if instructor is None:
        raise field_error("instructor", ERRORS["instructor_missing"], code="instructor_missing")
    if instructor.pk == assignment.employee_id:
        raise field_error(
            "instructor", ERRORS["instructor_is_learner"], code="instructor_is_learner"
        )
    for field in ("instructor", "go_to_person"):
        person = instructor if field == "instructor" else steps.get(field)
        if person is not None and person.organisation_id != assignment.organisation_id:
            raise field_error(field, ERRORS["other_organisation"], code="other_organisation")
    instruction = steps.pop("instruction", None)
    if (
        instruction is not None
        and not module.instruction_links.filter(instruction=instruction).exists()
    ):
        raise field_error(
            "instruction", ERRORS["instruction_elsewhere"], code="instruction_elsewhere"
        )
    dates = sorted(set(check_dates)) if check_dates else follow_up_dates(held_on)
    early = [day for day in dates if day <= held_on]
    if early:
        raise field_error(
            "check_dates",
            ERRORS["check_before_session"],
            code="check_before_session",
            params={"date": early[0]},
        )
    allowed = {
        "prepared",
        "preparation_note",
        "presented_steps",
        "presented_key_points",
        "presented_reasons",
        "tried_steps",
        "tried_key_points",
        "tried_reasons",
        "tryout_note",
        "go_to_person",
    }
    values = {key: value for key, value in steps.items() if key in allowed}
    session = TeachingSession.objects.create(
        organisation_id=assignment.organisation_id,
        assignment=assignment,
        module=module,
        instruction=instruction,
        held_on=held_on,
        instructor=instructor,
        recorded_by=by,
        **values,
    )
    FollowUpCheck.objects.bulk_create(FollowUpCheck(session=session, due_on=day) for day in dates)
    ModulePlan.objects.filter(
        assignment=assignment, module=module, actual_start__isnull=True
    ).update(actual_start=held_on)
    _record(
        by,
        "training.session_recorded",
        session,
        assignment.organisation,
        after={"module": module.pk, "held_on": held_on, "checks": len(dates)},
    )
    return session


@transaction.atomic
def followup_check_done(*, check: FollowUpCheck, by: User, note: str = "") -> FollowUpCheck:
    locked = (
        FollowUpCheck.objects.select_for_update()
        .select_related("session__assignment")
        .get(pk=check.pk)
    )
    assignment = locked.session.assignment
    _require(by, "training.guide_learner", assignment)
    if locked.done_on is not None:
        raise field_error("check", ERRORS["already_done"], code="already_done")
    locked.done_on = timezone.localdate()
    locked.note = (note or "").strip()[:300]
    locked.save(update_fields=["done_on", "note"])
    _record(
        by,
        "training.followup_checked",
        locked,
        assignment.organisation,
        after={"due_on": locked.due_on, "note": locked.note},
    )
    return locked
