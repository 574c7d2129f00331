"""Writes on organisations, units, functions, workstations and people.

Every function validates first, writes inside one transaction and appends to the audit log.
Views, the API, imports and the demo generator all call these.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, Value
from django.db.models.functions import Concat, Substr
from django.utils.translation import gettext_lazy as _

from leerplek.core import audit
from leerplek.core.errors import field_error
from leerplek.people.models import (
    AssignmentReason,
    Employee,
    Job,
    JobAssignment,
    JobTask,
    Organisation,
    OrgUnit,
    User,
    Workstation,
)

ORGANISATION_FIELDS = [
    "name",
    "enterprise_number",
    "sector",
    "joint_committee",
    "training_fund",
    "training_fund_agreements",
    "is_sme",
    "financial_year_end",
]
UNIT_FIELDS = ["name", "code", "kind", "parent", "leader", "description"]
JOB_FIELDS = [
    "code",
    "name",
    "description",
    "classification",
    "classification_committee",
    "classification_date",
    "months_to_independence",
    "tandem_days",
    "review_interval_days",
    "is_active",
]
WORKSTATION_FIELDS = ["code", "name", "unit", "is_machine", "description", "difficulty_rank"]
EMPLOYEE_FIELDS = [
    "employee_number",
    "first_name",
    "last_name",
    "email",
    "phone",
    "person_type",
    "gender",
    "birth_date",
    "hire_date",
    "exit_date",
    "exit_reason",
    "planned_exit_date",
    "experience_years",
    "languages",
    "dutch_level",
    "education_level",
    "unit",
    "manager",
    "workstation",
    "career_note",
]

ERRORS = {
    "other_organisation": _("Choose one from this organisation."),
    "unit_cycle": _("A unit cannot be moved under itself or one of its own sub-units."),
    "duplicate_code": _("Another record in this organisation already uses this code."),
    "duplicate_email": _("Another person in this organisation already has this email address."),
    "exit_before_hire": _("The exit date cannot be before the hire date."),
    "exit_reason_missing": _("Give the reason for leaving when you enter an exit date."),
    "own_manager": _("A person cannot be their own manager."),
    "assignment_before_current": _(
        "The new function must start after the current one started (%(date)s)."
    ),
    "financial_year_end": _("Enter the financial year end as month-day, e.g. 12-31."),
    "same_job": _("This person already holds this function."),
}


def _same_organisation(organisation: Organisation, field: str, obj: Any) -> None:
    if obj is not None and obj.organisation_id != organisation.pk:
        raise field_error(field, ERRORS["other_organisation"], code="other_organisation")


def _apply(obj: Any, values: dict[str, Any], fields: list[str]) -> None:
    for name in fields:
        if name in values:
            setattr(obj, name, values[name])


def _full_clean(obj: Any, exclude: list[str] | None = None) -> None:
    """Run the model's own checks (constraints, choices, lengths) before writing."""
    obj.full_clean(exclude=exclude, validate_unique=True, validate_constraints=True)


# --- Organisation --------------------------------------------------------------------------------


@transaction.atomic
def organisation_update(*, organisation: Organisation, by: User, **values: Any) -> Organisation:
    """Change the organisation profile (ORG-01)."""
    year_end = values.get("financial_year_end", organisation.financial_year_end)
    try:
        datetime.date(2001, int(year_end[:2]), int(year_end[3:]))
        if len(year_end) != 5 or year_end[2] != "-":
            raise ValueError
    except (ValueError, TypeError):
        raise field_error(
            "financial_year_end", ERRORS["financial_year_end"], code="financial_year_end"
        ) from None
    before = audit.snapshot(organisation, ORGANISATION_FIELDS)
    _apply(organisation, values, ORGANISATION_FIELDS)
    _full_clean(organisation)
    organisation.save()
    old, new = audit.changed(before, audit.snapshot(organisation, ORGANISATION_FIELDS))
    audit.record(
        actor=by, action="people.organisation_updated", obj=organisation, before=old, after=new
    )
    return organisation


# --- Units ---------------------------------------------------------------------------------------


def _path_for(unit: OrgUnit, parent: OrgUnit | None) -> str:
    return f"{parent.path if parent else '/'}{unit.pk}/"


@transaction.atomic
def unit_create(*, organisation: Organisation, by: User, **values: Any) -> OrgUnit:
    """Add a unit to the tree (ORG-02). The parent and leader must belong to the organisation."""
    _same_organisation(organisation, "parent", values.get("parent"))
    _same_organisation(organisation, "leader", values.get("leader"))
    unit = OrgUnit(organisation=organisation)
    _apply(unit, values, UNIT_FIELDS)
    _full_clean(unit, exclude=["path"])
    unit.save()
    unit.path = _path_for(unit, unit.parent)
    unit.depth = unit.path.count("/") - 2
    unit.save(update_fields=["path", "depth"])
    audit.record(
        actor=by, action="people.unit_created", obj=unit, after=audit.snapshot(unit, UNIT_FIELDS)
    )
    return unit


@transaction.atomic
def unit_update(*, unit: OrgUnit, by: User, **values: Any) -> OrgUnit:
    """Change a unit; a new parent moves it with its whole subtree (no cycles)."""
    unit = OrgUnit.objects.select_for_update().get(pk=unit.pk)
    organisation = unit.organisation
    _same_organisation(organisation, "leader", values.get("leader"))
    before = audit.snapshot(unit, UNIT_FIELDS)
    new_parent = values.get("parent", unit.parent)
    moving = (new_parent.pk if new_parent else None) != unit.parent_id
    if moving and new_parent is not None:
        _same_organisation(organisation, "parent", new_parent)
        if new_parent.path.startswith(unit.path):
            raise field_error("parent", ERRORS["unit_cycle"], code="unit_cycle")
    _apply(unit, values, UNIT_FIELDS)
    _full_clean(unit, exclude=["path"])
    if moving:
        old_path = unit.path
        new_path = _path_for(unit, new_parent)
        depth_shift = new_path.count("/") - old_path.count("/")
        # Rewrite the prefix of the whole subtree in one statement.
        OrgUnit.objects.filter(organisation=organisation, path__startswith=old_path).update(
            path=Concat(Value(new_path), Substr(F("path"), len(old_path) + 1)),
            depth=F("depth") + depth_shift,
        )
        unit.path = new_path
        unit.depth = new_path.count("/") - 2
    unit.save()
    old, new = audit.changed(before, audit.snapshot(unit, UNIT_FIELDS))
    action = "people.unit_moved" if moving else "people.unit_updated"
    audit.record(actor=by, action=action, obj=unit, before=old, after=new)
    return unit


# --- Functions (jobs) ----------------------------------------------------------------------------


@dataclass(frozen=True)
class TaskLine:
    kind: str
    description: str


def _check_job_code(organisation: Organisation, code: str, exclude_pk: int | None) -> None:
    clash = Job.objects.filter(organisation=organisation, code=code).exclude(pk=exclude_pk or 0)
    if clash.exists():
        raise field_error("code", ERRORS["duplicate_code"], code="duplicate_code")


def _replace_tasks(job: Job, tasks: list[TaskLine]) -> None:
    job.tasks.all().delete()
    JobTask.objects.bulk_create(
        JobTask(job=job, kind=task.kind, description=task.description, position=index)
        for index, task in enumerate(tasks)
    )


@transaction.atomic
def job_create(
    *, organisation: Organisation, by: User, tasks: list[TaskLine] | None = None, **values: Any
) -> Job:
    """Add a function to the catalogue (ORG-03), with its tasks."""
    _check_job_code(organisation, values.get("code", ""), None)
    job = Job(organisation=organisation)
    _apply(job, values, JOB_FIELDS)
    _full_clean(job)
    job.save()
    _replace_tasks(job, tasks or [])
    after = audit.snapshot(job, JOB_FIELDS) | {"tasks": [t.__dict__ for t in tasks or []]}
    audit.record(actor=by, action="people.job_created", obj=job, after=after)
    return job


@transaction.atomic
def job_update(*, job: Job, by: User, tasks: list[TaskLine] | None = None, **values: Any) -> Job:
    """Change a function; `tasks`, when given, replaces its task list."""
    if "code" in values:
        _check_job_code(job.organisation, values["code"], job.pk)
    before = audit.snapshot(job, JOB_FIELDS)
    before_tasks = [{"kind": t.kind, "description": t.description} for t in job.tasks.all()]
    _apply(job, values, JOB_FIELDS)
    _full_clean(job)
    job.save()
    old, new = audit.changed(before, audit.snapshot(job, JOB_FIELDS))
    if tasks is not None:
        after_tasks = [t.__dict__ for t in tasks]
        if after_tasks != before_tasks:
            _replace_tasks(job, tasks)
            old["tasks"], new["tasks"] = before_tasks, after_tasks
    audit.record(actor=by, action="people.job_updated", obj=job, before=old, after=new)
    return job


# --- Workstations --------------------------------------------------------------------------------


@transaction.atomic
def workstation_create(*, organisation: Organisation, by: User, **values: Any) -> Workstation:
    """Register a workstation or machine under a unit (ORG-04)."""
    _same_organisation(organisation, "unit", values.get("unit"))
    if Workstation.objects.filter(organisation=organisation, code=values.get("code")).exists():
        raise field_error("code", ERRORS["duplicate_code"], code="duplicate_code")
    workstation = Workstation(organisation=organisation)
    _apply(workstation, values, WORKSTATION_FIELDS)
    _full_clean(workstation)
    workstation.save()
    audit.record(
        actor=by,
        action="people.workstation_created",
        obj=workstation,
        after=audit.snapshot(workstation, WORKSTATION_FIELDS),
    )
    return workstation


@transaction.atomic
def workstation_update(*, workstation: Workstation, by: User, **values: Any) -> Workstation:
    organisation = workstation.organisation
    _same_organisation(organisation, "unit", values.get("unit"))
    code = values.get("code", workstation.code)
    clash = Workstation.objects.filter(organisation=organisation, code=code)
    if clash.exclude(pk=workstation.pk).exists():
        raise field_error("code", ERRORS["duplicate_code"], code="duplicate_code")
    before = audit.snapshot(workstation, WORKSTATION_FIELDS)
    _apply(workstation, values, WORKSTATION_FIELDS)
    _full_clean(workstation)
    workstation.save()
    old, new = audit.changed(before, audit.snapshot(workstation, WORKSTATION_FIELDS))
    audit.record(
        actor=by, action="people.workstation_updated", obj=workstation, before=old, after=new
    )
    return workstation


# --- People --------------------------------------------------------------------------------------


def _check_employee(organisation: Organisation, employee: Employee) -> None:
    for field in ("unit", "manager", "workstation"):
        _same_organisation(organisation, field, getattr(employee, field))
    if employee.manager_id is not None and employee.manager_id == employee.pk:
        raise field_error("manager", ERRORS["own_manager"], code="own_manager")
    if employee.exit_date and employee.hire_date and employee.exit_date < employee.hire_date:
        raise field_error("exit_date", ERRORS["exit_before_hire"], code="exit_before_hire")
    if employee.exit_date and not employee.exit_reason:
        raise field_error("exit_reason", ERRORS["exit_reason_missing"], code="exit_reason_missing")
    if employee.email:
        employee.email = employee.email.strip().lower()
        clash = Employee.objects.filter(organisation=organisation, email=employee.email)
        if clash.exclude(pk=employee.pk).exists():
            raise field_error("email", ERRORS["duplicate_email"], code="duplicate_email")


@transaction.atomic
def employee_create(
    *,
    organisation: Organisation,
    by: User | None,
    job: Job | None = None,
    **values: Any,
) -> Employee:
    """Add a person to the register (ORG-05). A function given here opens his function history."""
    employee = Employee(organisation=organisation)
    _apply(employee, values, EMPLOYEE_FIELDS)
    _check_employee(organisation, employee)
    _same_organisation(organisation, "job", job)
    employee.job = job
    _full_clean(employee, exclude=["user"])
    employee.save()
    if job is not None:
        JobAssignment.objects.create(
            employee=employee,
            job=job,
            unit=employee.unit,
            start_date=employee.hire_date,
            reason=AssignmentReason.HIRE,
        )
    audit.record(
        actor=by,
        action="people.employee_created",
        obj=employee,
        after=audit.snapshot(employee, [*EMPLOYEE_FIELDS, "job"]),
    )
    return employee


@transaction.atomic
def employee_update(*, employee: Employee, by: User, **values: Any) -> Employee:
    """Change a person's record. The function changes only through `employee_assign_job`."""
    organisation = employee.organisation
    before = audit.snapshot(employee, EMPLOYEE_FIELDS)
    _apply(employee, values, EMPLOYEE_FIELDS)
    _check_employee(organisation, employee)
    _full_clean(employee, exclude=["user"])
    employee.save()
    old, new = audit.changed(before, audit.snapshot(employee, EMPLOYEE_FIELDS))
    audit.record(actor=by, action="people.employee_updated", obj=employee, before=old, after=new)
    return employee


@transaction.atomic
def employee_assign_job(
    *,
    employee: Employee,
    job: Job,
    start_date: datetime.date,
    reason: str,
    by: User | None,
    unit: OrgUnit | None = None,
    note: str = "",
) -> JobAssignment:
    """Give a person a (new) function from `start_date`, closing the current one the day before.

    Rules: the function and unit belong to the organisation; the new period starts after the
    current one. Raises ValidationError on "job", "unit" or "start_date".
    """
    employee = Employee.objects.select_for_update().get(pk=employee.pk)
    organisation = employee.organisation
    _same_organisation(organisation, "job", job)
    _same_organisation(organisation, "unit", unit)
    if reason not in AssignmentReason.values:
        raise field_error("reason", _("Choose a reason from the list."), code="invalid_choice")
    current = employee.assignments.filter(end_date__isnull=True).order_by("-start_date").first()
    if current is not None:
        if current.job_id == job.pk and (unit is None or unit.pk == employee.unit_id):
            raise field_error("job", ERRORS["same_job"], code="same_job")
        if start_date <= current.start_date:
            raise field_error(
                "start_date",
                ERRORS["assignment_before_current"],
                code="assignment_before_current",
                params={"date": current.start_date.isoformat()},
            )
        current.end_date = start_date - datetime.timedelta(days=1)
        current.save(update_fields=["end_date"])
    before = {"job": employee.job_id, "unit": employee.unit_id}
    assignment = JobAssignment.objects.create(
        employee=employee,
        job=job,
        unit=unit or employee.unit,
        start_date=start_date,
        reason=reason,
        note=note,
    )
    employee.job = job
    if unit is not None:
        employee.unit = unit
    employee.save(update_fields=["job", "unit"])
    audit.record(
        actor=by,
        action="people.job_assigned",
        obj=employee,
        before=before,
        after={"job": job.pk, "unit": employee.unit_id, "reason": reason, "from": start_date},
    )
    return assignment


@transaction.atomic
def employee_link_user(*, employee: Employee, user: User, by: User | None) -> Employee:
    """Link a log-in to a person record, so he sees his own data."""
    others = Employee.objects.filter(organisation_id=employee.organisation_id, user=user)
    if others.exclude(pk=employee.pk or 0).exists():
        raise ValidationError(
            _("This user account is already linked to another person here."), code="user_linked"
        )
    employee.user = user
    employee.save(update_fields=["user"])
    audit.record(actor=by, action="people.user_linked", obj=employee, after={"user": user.pk})
    return employee
