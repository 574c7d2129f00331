"""Writes of the activities area: the organisation's extra registration fields (REG-07) and the
net cost of an activity (REG-05).

The writes on activities, participants and cost lines themselves (`activity_create`,
`participant_add`, `cost_line_add`, ... with the closed-year refusal) live in
`registration/services.py`, the registration core; the XLSX import (`imports_activities.py`)
runs its rows through them. This module re-exports them so that callers of this area need one
import, and holds no second copy of their rules.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.text import slugify
from django.utils.translation import gettext as _

from leerplek.core import audit
from leerplek.people.models import Organisation, User
from leerplek.registration.models import (
    GROSS_COST_KINDS,
    Activity,
    CostKind,
    CostLine,
    ExtraField,
    ExtraFieldKind,
)
from leerplek.registration.services import (
    activity_create,
    activity_update,
    cost_line_add,
    cost_line_remove,
    initial_flags,
    participant_add,
    participant_remove,
    participant_update,
)

__all__ = [
    "CostTotals",
    "activity_create",
    "activity_update",
    "cost_line_add",
    "cost_line_remove",
    "cost_totals",
    "extra_field_create",
    "extra_field_deactivate",
    "extra_field_update",
    "initial_flags",
    "net_cost",
    "participant_add",
    "participant_remove",
    "participant_update",
]

CONFIGURE = "registration.configure"
ZERO = Decimal("0.00")

# --- Net cost (REG-05) ---------------------------------------------------------------------------


@dataclass(frozen=True)
class CostTotals:
    """The social balance's cost of an activity: gross (pay of trainees and trainers, external
    invoices, running costs, travel) + contributions to collective funds - subsidies = net."""

    gross: Decimal = ZERO
    contributions: Decimal = ZERO
    subsidies: Decimal = ZERO

    @property
    def net(self) -> Decimal:
        return self.gross + self.contributions - self.subsidies


def cost_totals(lines: Iterable[CostLine]) -> CostTotals:
    """Add up already-loaded cost lines (no query): the list pages call this per row."""
    gross = contributions = subsidies = ZERO
    for line in lines:
        if line.kind in GROSS_COST_KINDS:
            gross += line.amount
        elif line.kind == CostKind.CONTRIBUTION:
            contributions += line.amount
        elif line.kind == CostKind.SUBSIDY:
            subsidies += line.amount
    return CostTotals(gross=gross, contributions=contributions, subsidies=subsidies)


def net_cost(activity: Activity) -> CostTotals:
    """The cost totals of one activity, from its cost lines (one query unless prefetched)."""
    return cost_totals(activity.cost_lines.all())


# --- Extra registration fields (REG-07) ----------------------------------------------------------

FIELD_VALUES = ("label", "key", "kind", "choices", "required", "position")


def _require(by: User, organisation: Organisation) -> None:
    if not by.has_perm(CONFIGURE, organisation):
        raise PermissionDenied


def _clean_field(
    organisation: Organisation, values: dict[str, Any], current: ExtraField | None
) -> dict[str, Any]:
    label = str(values.get("label") or "").strip()
    if not label:
        raise ValidationError({"label": _("Give the field a label, e.g. Training budget code.")})
    if len(label) > 100:
        raise ValidationError({"label": _("The label has at most 100 characters.")})
    if current is not None:
        # The key names the values already stored in activities: it never changes.
        key = current.key
    else:
        key = str(values.get("key") or "").strip() or slugify(label).replace("-", "_")
        if key != slugify(key).replace("-", "_") or not key:
            raise ValidationError(
                {
                    "key": _(
                        "Use only lower-case letters, digits and underscores in the key, "
                        "e.g. budget_code."
                    )
                }
            )
        if len(key) > 40:
            raise ValidationError({"key": _("The key has at most 40 characters.")})
        if ExtraField.objects.filter(organisation=organisation, key=key).exists():
            raise ValidationError(
                {"key": _("Another field has the key %(key)s; choose another.") % {"key": key}}
            )
    kind = values.get("kind") or ExtraFieldKind.TEXT
    if kind not in ExtraFieldKind.values:
        raise ValidationError({"kind": _("Choose a kind of field from the list.")})
    if current is not None and kind != current.kind:
        raise ValidationError(
            {
                "kind": _(
                    "The kind of a field in use cannot change: the values already entered would "
                    "no longer fit. Deactivate it and add a new field instead."
                )
            }
        )
    choices: list[str] = []
    for line in str(values.get("choices") or "").splitlines():
        choice = line.strip()
        if choice and choice not in choices:
            choices.append(choice)
    if kind == ExtraFieldKind.CHOICE and not choices:
        raise ValidationError({"choices": _("Give at least one choice, one per line.")})
    if any(len(choice) > 100 for choice in choices):
        raise ValidationError({"choices": _("A choice has at most 100 characters.")})
    try:
        position = int(values.get("position") or 0)
    except (TypeError, ValueError):
        raise ValidationError({"position": _("The position is a whole number.")}) from None
    if not 0 <= position <= 32767:
        raise ValidationError({"position": _("The position is a number from 0 to 32767.")})
    return {
        "label": label,
        "key": key,
        "kind": kind,
        "choices": "\n".join(choices) if kind == ExtraFieldKind.CHOICE else "",
        "required": bool(values.get("required")),
        "position": position,
    }


@transaction.atomic
def extra_field_create(*, organisation: Organisation, by: User, **values: Any) -> ExtraField:
    """Add a field to the organisation's registration form.

    Rules: a label; a unique key of lower-case letters, digits and underscores (made from the
    label when empty); a choice field has at least one choice. Raises ValidationError on the
    field concerned, PermissionDenied without `registration.configure`.
    """
    _require(by, organisation)
    clean = _clean_field(organisation, values, None)
    field = ExtraField.objects.create(organisation=organisation, active=True, **clean)
    audit.record(actor=by, action="registration.extra_field_created", obj=field, after=clean)
    return field


@transaction.atomic
def extra_field_update(*, field: ExtraField, by: User, **values: Any) -> ExtraField:
    """Change a field's label, choices, whether it is required and its place in the form; its
    key and kind stay (the values already entered depend on them). `active` True reactivates."""
    _require(by, field.organisation)
    field = ExtraField.objects.select_for_update().get(pk=field.pk)
    current = {name: getattr(field, name) for name in FIELD_VALUES}
    clean = _clean_field(field.organisation, {**current, **values}, field)
    if "active" in values:
        clean["active"] = bool(values["active"])
        current["active"] = field.active
    for name, value in clean.items():
        setattr(field, name, value)
    field.save()
    before, after = audit.changed(current, clean)
    audit.record(
        actor=by, action="registration.extra_field_changed", obj=field, before=before, after=after
    )
    return field


@transaction.atomic
def extra_field_deactivate(*, field: ExtraField, by: User) -> ExtraField:
    """Take a field off the form. The values already entered stay in the activities (and in the
    audit log); reactivating the field shows them again."""
    _require(by, field.organisation)
    field = ExtraField.objects.select_for_update().get(pk=field.pk)
    if not field.active:
        raise ValidationError({"active": _("This field is already out of use.")})
    field.active = False
    field.save(update_fields=["active"])
    audit.record(
        actor=by,
        action="registration.extra_field_deactivated",
        obj=field,
        before={"active": True},
        after={"active": False},
    )
    return field
