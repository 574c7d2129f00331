"""Writes on training needs (COMP-05): one by hand, many from a gap list, and status changes.

Every function validates first, writes inside one transaction and appends to the audit log.
"""

from __future__ import annotations

from collections.abc import Sequence

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from leerplek.competences.gap_selectors import Gap
from leerplek.competences.models import (
    Competence,
    Level,
    NeedSource,
    NeedStatus,
    TrainingNeed,
)
from leerplek.core import audit
from leerplek.core.errors import field_error
from leerplek.people.models import Employee, Organisation, OrgUnit, User

NEED_FIELDS = ["employee", "unit", "competence", "required_level", "source", "status", "note"]

ERRORS = {
    "other_organisation": _("Choose one from this organisation."),
    "person_or_unit": _("Choose the person or the unit (for a group) that needs the training."),
    "person_left": _("%(name)s left on %(date)s; record no new needs for this person."),
    "already_open": _("%(name)s already has an open training need for %(competence)s."),
    "source": _("Choose where the need comes from."),
    "status": _("Choose open, planned, met or dropped."),
}


def _same_organisation(organisation: Organisation, field: str, obj: object) -> None:
    if obj is not None and getattr(obj, "organisation_id", None) != organisation.pk:
        raise field_error(field, ERRORS["other_organisation"], code="other_organisation")


def _check_no_open_need(employee: Employee, competence: Competence, exclude: int | None) -> None:
    others = TrainingNeed.objects.filter(
        employee=employee, competence=competence, status=NeedStatus.OPEN
    )
    if exclude is not None:
        others = others.exclude(pk=exclude)
    if others.exists():
        raise field_error(
            "competence",
            ERRORS["already_open"],
            code="already_open",
            params={"name": employee, "competence": competence.name},
        )


@transaction.atomic
def training_need_create(
    *,
    organisation: Organisation,
    by: User,
    competence: Competence,
    source: str,
    employee: Employee | None = None,
    unit: OrgUnit | None = None,
    required_level: Level | None = None,
    note: str = "",
) -> TrainingNeed:
    """Record an open training need of a person (or a group: a unit) for a competence.

    Rules: a person or a unit, everything of this organisation, a person who has not left, a
    known source, at most one open need per person and competence. Raises ValidationError on
    "employee", "competence" or "source".
    """
    if employee is None and unit is None:
        raise field_error("employee", ERRORS["person_or_unit"], code="person_or_unit")
    _same_organisation(organisation, "employee", employee)
    _same_organisation(organisation, "unit", unit)
    _same_organisation(organisation, "competence", competence)
    if source not in NeedSource.values:
        raise field_error("source", ERRORS["source"], code="source")
    if employee is not None:
        # Lock the person: two clicks must not make two open needs for one competence.
        employee = Employee.objects.select_for_update().get(pk=employee.pk)
        if employee.exit_date is not None and employee.exit_date < timezone.localdate():
            raise field_error(
                "employee",
                ERRORS["person_left"],
                code="person_left",
                params={"name": employee, "date": employee.exit_date},
            )
        _check_no_open_need(employee, competence, exclude=None)
    need = TrainingNeed.objects.create(
        organisation=organisation,
        employee=employee,
        unit=unit,
        competence=competence,
        required_level=required_level,
        source=source,
        note=note,
        created_by=by,
    )
    audit.record(
        actor=by,
        action="competences.training_need_created",
        obj=need,
        after=audit.snapshot(need, NEED_FIELDS),
    )
    return need


@transaction.atomic
def training_needs_from_gaps(*, unit: OrgUnit, by: User, gaps: Sequence[Gap]) -> int:
    """Turn `gaps` into open training needs with source "gap"; returns how many were created.

    A gap whose person already has an open need for the competence is skipped, so running it
    twice creates nothing the second time. One audit entry on `unit` summarises the run (the
    pairs created), rather than one per need: a 500-person unit would otherwise write hundreds.
    """
    # Lock the unit: two managers pressing the button at once must not both create the needs.
    OrgUnit.objects.select_for_update().get(pk=unit.pk)
    pairs = {(gap.employee.pk, gap.competence.pk): gap for gap in gaps}
    if not pairs:
        return 0
    existing = set(
        TrainingNeed.objects.filter(
            employee_id__in={p[0] for p in pairs},
            competence_id__in={p[1] for p in pairs},
            status=NeedStatus.OPEN,
        ).values_list("employee_id", "competence_id")
    )
    new = [
        TrainingNeed(
            organisation_id=unit.organisation_id,
            employee=gap.employee,
            competence=gap.competence,
            required_level=gap.required,
            source=NeedSource.GAP,
            created_by=by,
        )
        for pair, gap in pairs.items()
        if pair not in existing and gap.employee.organisation_id == unit.organisation_id
    ]
    TrainingNeed.objects.bulk_create(new)
    if new:
        audit.record(
            actor=by,
            action="competences.training_needs_from_gaps",
            obj=unit,
            after={
                "count": len(new),
                "needs": [[need.employee_id, need.competence_id] for need in new],
            },
        )
    return len(new)


@transaction.atomic
def training_need_set_status(
    *, need: TrainingNeed, by: User, status: str, note: str | None = None
) -> TrainingNeed:
    """Move a need to open, planned, met or dropped (and optionally replace its note).

    Rules: a known status; reopening is refused while the person has another open need for the
    same competence. Raises ValidationError on "status" or "competence".
    """
    need = (
        TrainingNeed.objects.select_for_update(of=("self",))
        .select_related("competence")
        .get(pk=need.pk)
    )
    if status not in NeedStatus.values:
        raise field_error("status", ERRORS["status"], code="status")
    if status == NeedStatus.OPEN and need.status != NeedStatus.OPEN and need.employee_id:
        employee = Employee.objects.select_for_update().get(pk=need.employee_id)
        _check_no_open_need(employee, need.competence, exclude=need.pk)
    before = audit.snapshot(need, ["status", "note"])
    need.status = status
    if note is not None:
        need.note = note
    need.save(update_fields=["status", "note"])
    old, new = audit.changed(before, audit.snapshot(need, ["status", "note"]))
    if new:
        audit.record(
            actor=by,
            action="competences.training_need_status_set",
            obj=need,
            before=old,
            after=new,
        )
    return need
