"""Writes of the social balance's training section: the financial year records, their staff cost
per gender, and closing and reopening a year (REG-06).

Closing freezes the 24 figures into `FinancialYear.figures` (keyed by code, Decimals as text);
from then on the activity services refuse changes to records of the year
(`selectors_sb.is_closed_on`) until HR reopens it with a reason, which the audit log keeps.
Every function validates first, writes in one transaction with its audit entry, and refuses with
a `ValidationError` naming the field.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from leerplek.core import audit
from leerplek.core.errors import field_error
from leerplek.people.models import Organisation, User
from leerplek.registration import selectors_sb
from leerplek.registration.models import FinancialYear, YearStatus

__all__ = [
    "ERROR_MESSAGES",
    "financial_year_get_or_create",
    "year_close",
    "year_reopen",
    "year_set_staff_costs",
]

CLOSE_PERM = "registration.close_years"
REASON_MAX = 300
STAFF_COST_MAX = Decimal("999999999999.99")
CENT = Decimal("0.01")

ERROR_MESSAGES: dict[str, Any] = {
    "already_closed": _("This financial year is already closed."),
    "not_ended": _("A financial year can be closed once its last day has passed."),
    "not_closed": _("This financial year is open; there is nothing to reopen."),
    "reason_missing": _("Say why the year is reopened; the audit log keeps the reason."),
    "reason_long": _("Keep the reason under %(max)s characters."),
    "closed": _("This financial year is closed; reopen it, with a reason, to change it."),
    "not_number": _(
        "Enter the staff cost in euro as a number with at most two decimals, e.g. 125000.50."
    ),
    "negative": _("A staff cost cannot be negative."),
    "too_large": _("This amount is too large for a staff cost."),
    "both": _("Enter the staff cost of both men and women, or of neither."),
}


def _require(by: User | None, organisation: Organisation) -> None:
    if by is None or not by.has_perm(CLOSE_PERM, organisation):
        raise PermissionDenied


def financial_year_get_or_create(organisation: Organisation, year: int) -> FinancialYear:
    """The record of the financial year ending in `year`, made on demand (open, no figures)."""
    start, end = selectors_sb.year_bounds(organisation, year)
    found, _created = FinancialYear.objects.get_or_create(
        organisation=organisation, end_date=end, defaults={"start_date": start}
    )
    return found


@transaction.atomic
def year_close(*, year: FinancialYear, by: User) -> FinancialYear:
    """Freeze the year's 24 figures (keyed by code, as text) and close it. Only after its last
    day; the figures are computed from the records at this moment."""
    _require(by, year.organisation)
    # Lock the row: two HR users may close (or reopen) the same year at once.
    year = FinancialYear.objects.select_for_update().select_related("organisation").get(pk=year.pk)
    if year.is_closed:
        raise field_error("status", ERROR_MESSAGES["already_closed"], code="already_closed")
    if year.end_date >= timezone.localdate():
        raise field_error("status", ERROR_MESSAGES["not_ended"], code="not_ended")
    balance = selectors_sb.social_balance(year.organisation, year.end_date.year)
    year.figures = balance.as_strings()
    year.status = YearStatus.CLOSED
    year.closed_at = timezone.now()
    year.closed_by = by
    year.save(update_fields=["figures", "status", "closed_at", "closed_by"])
    audit.record(
        actor=by,
        action="registration.year_closed",
        obj=year,
        before={"status": YearStatus.OPEN},
        after={"status": YearStatus.CLOSED, "figures": year.figures},
    )
    return year


@transaction.atomic
def year_reopen(*, year: FinancialYear, by: User, reason: str) -> FinancialYear:
    """Open a closed year again so its records can be corrected; `reason` is required and kept
    in the audit log with the figures that were frozen. The frozen figures stay on the record
    until the year is closed again (the page then shows the live ones)."""
    _require(by, year.organisation)
    reason = (reason or "").strip()
    if not reason:
        raise field_error("reason", ERROR_MESSAGES["reason_missing"], code="reason_missing")
    if len(reason) > REASON_MAX:
        raise field_error(
            "reason", ERROR_MESSAGES["reason_long"], code="reason_long", params={"max": REASON_MAX}
        )
    year = FinancialYear.objects.select_for_update().get(pk=year.pk)
    if not year.is_closed:
        raise field_error("status", ERROR_MESSAGES["not_closed"], code="not_closed")
    before = {
        "status": YearStatus.CLOSED,
        "figures": dict(year.figures),
        "closed_at": year.closed_at,
        "closed_by": year.closed_by_id,
    }
    year.status = YearStatus.OPEN
    year.closed_at = None
    year.closed_by = None
    year.save(update_fields=["status", "closed_at", "closed_by"])
    audit.record(
        actor=by,
        action="registration.year_reopened",
        obj=year,
        before=before,
        after={"status": YearStatus.OPEN, "reason": reason},
    )
    return year


def _staff_cost(value: Any, field: str) -> Decimal | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, float):
        value = repr(value)
    try:
        number = Decimal(str(value).strip().replace(" ", "").replace(",", "."))
    except (InvalidOperation, ValueError):
        raise field_error(field, ERROR_MESSAGES["not_number"], code="not_number") from None
    if not number.is_finite() or number != number.quantize(CENT):
        raise field_error(field, ERROR_MESSAGES["not_number"], code="not_number")
    if number < 0:
        raise field_error(field, ERROR_MESSAGES["negative"], code="negative")
    if number > STAFF_COST_MAX:
        raise field_error(field, ERROR_MESSAGES["too_large"], code="too_large")
    return number.quantize(CENT)


@transaction.atomic
def year_set_staff_costs(*, year: FinancialYear, by: User, men: Any, women: Any) -> FinancialYear:
    """The staff cost per gender of the year (SB headings 10231/10232): with both, the
    company-level fund contributions are split by it (`SB_CONTRIBUTION_SPLIT` "auto"); empty
    both to fall back on the headcount at year end. Refused in a closed year."""
    _require(by, year.organisation)
    values = {"staff_cost_men": _staff_cost(men, "staff_cost_men")}
    values["staff_cost_women"] = _staff_cost(women, "staff_cost_women")
    if (values["staff_cost_men"] is None) != (values["staff_cost_women"] is None):
        missing = "staff_cost_men" if values["staff_cost_men"] is None else "staff_cost_women"
        raise field_error(missing, ERROR_MESSAGES["both"], code="both")
    year = FinancialYear.objects.select_for_update().get(pk=year.pk)
    if year.is_closed:
        raise field_error("staff_cost_men", ERROR_MESSAGES["closed"], code="closed")
    before = {"staff_cost_men": year.staff_cost_men, "staff_cost_women": year.staff_cost_women}
    year.staff_cost_men = values["staff_cost_men"]
    year.staff_cost_women = values["staff_cost_women"]
    year.save(update_fields=["staff_cost_men", "staff_cost_women"])
    changed_before, changed_after = audit.changed(audit.jsonable(before), audit.jsonable(values))
    audit.record(
        actor=by,
        action="registration.staff_costs_set",
        obj=year,
        before=changed_before,
        after=changed_after,
    )
    return year
