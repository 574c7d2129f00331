"""Writes on transfer plans (COMP-06, KNOW-12): make a plan to keep a competence at risk, and move
it through planned, in progress, done or dropped.

Every function validates first, writes inside one transaction and appends to the audit log.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from leerplek.competences.models import (
    Competence,
    TransferMethod,
    TransferPlan,
    TransferStatus,
)
from leerplek.competences.transfer_selectors import person_in_reach
from leerplek.core import audit
from leerplek.core.rules import access_of
from leerplek.people.models import Employee, Organisation, User

PLAN_FIELDS = ["competence", "method", "holder", "successor", "due_on", "status", "note"]

ERRORS = {
    "other_organisation": _("Choose one from this organisation."),
    "method": _("Choose how the knowledge is passed on."),
    "tandem_successor": _("A tandem needs a named successor."),
    "successor_is_holder": _("The successor cannot be the experienced holder."),
    "person_left": _("%(name)s left on %(date)s; choose someone who still works here."),
    "out_of_scope": _("%(name)s is not in your units; choose someone you manage."),
    "due_in_past": _("The due date %(date)s is in the past; choose today or later."),
    "status": _("Choose planned, in progress, done or dropped."),
}


def _error(errors: dict[str, list[ValidationError]], field: str, key: str, **params: Any) -> None:
    errors.setdefault(field, []).append(
        ValidationError(ERRORS[key], code=key, params=params or None)
    )


def _check_person(
    errors: dict[str, list[ValidationError]],
    field: str,
    person: Employee | None,
    organisation: Organisation,
    by: User,
    today: datetime.date,
) -> None:
    if person is None:
        return
    if person.organisation_id != organisation.pk:
        _error(errors, field, "other_organisation")
        return
    if person.exit_date is not None and person.exit_date < today:
        _error(errors, field, "person_left", name=person, date=person.exit_date)
    elif not person_in_reach(access_of(by), person):
        _error(errors, field, "out_of_scope", name=person)


@transaction.atomic
def transfer_plan_create(
    *,
    organisation: Organisation,
    by: User,
    competence: Competence,
    method: str,
    due_on: datetime.date,
    holder: Employee | None = None,
    successor: Employee | None = None,
    note: str = "",
) -> TransferPlan:
    """Plan how a competence at risk is kept: write an instruction, train a successor in tandem
    with an experienced holder, or something else, by `due_on`.

    Rules: everything of this organisation; a known method; a tandem names a successor; the
    successor is not the holder; holder and successor still work here and are within the
    actor's reach (his units for a line manager); the due date is today or later. Every broken
    rule is reported at once, as a ValidationError on "competence", "method", "holder",
    "successor" or "due_on".
    """
    today = timezone.localdate()
    errors: dict[str, list[ValidationError]] = {}
    if competence.organisation_id != organisation.pk:
        _error(errors, "competence", "other_organisation")
    if method not in TransferMethod.values:
        _error(errors, "method", "method")
    _check_person(errors, "holder", holder, organisation, by, today)
    _check_person(errors, "successor", successor, organisation, by, today)
    if method == TransferMethod.TANDEM and successor is None:
        _error(errors, "successor", "tandem_successor")
    if successor is not None and holder is not None and successor.pk == holder.pk:
        _error(errors, "successor", "successor_is_holder")
    if due_on < today:
        _error(errors, "due_on", "due_in_past", date=due_on.strftime("%d/%m/%Y"))
    if errors:
        raise ValidationError(errors)
    plan = TransferPlan.objects.create(
        organisation=organisation,
        competence=competence,
        method=method,
        holder=holder,
        successor=successor,
        due_on=due_on,
        note=note,
        created_by=by,
    )
    audit.record(
        actor=by,
        action="competences.transfer_plan_created",
        obj=plan,
        after=audit.snapshot(plan, PLAN_FIELDS),
    )
    return plan


@transaction.atomic
def transfer_plan_set_status(
    *, plan: TransferPlan, by: User, status: str, note: str | None = None
) -> TransferPlan:
    """Move a plan to planned, in progress, done or dropped (and optionally replace its note).
    Raises ValidationError on "status" for an unknown status; a change is audited, a save that
    changes nothing is not."""
    if status not in TransferStatus.values:
        raise ValidationError({"status": ValidationError(ERRORS["status"], code="status")})
    plan = TransferPlan.objects.select_for_update().get(pk=plan.pk)
    before = audit.snapshot(plan, ["status", "note"])
    plan.status = status
    if note is not None:
        plan.note = note
    plan.save(update_fields=["status", "note", "updated_at"])
    old, new = audit.changed(before, audit.snapshot(plan, ["status", "note"]))
    if new:
        audit.record(
            actor=by,
            action="competences.transfer_plan_status_set",
            obj=plan,
            before=old,
            after=new,
        )
    return plan
