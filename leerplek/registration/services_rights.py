"""Writes of the individual training right: sector rules, the organisation's FTE and rule per
year, and workers' work regimes (belgian-rules.md §3.2).

Every function validates everything first, writes inside one transaction, appends an audit entry
and returns the result; a refusal is a `ValidationError` keyed by the field it is about, and
nothing is written. The views and the API check the permission (`registration.manage_rights`).
"""

from __future__ import annotations

import datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from leerplek.core import audit
from leerplek.people.models import Employee, Organisation, User
from leerplek.registration.models import EmployeeRegime, OrganisationRightYear, SectorRightRule

TWO = Decimal("0.01")
FIRST_YEAR, LAST_YEAR = 2000, 2100

ERRORS = {
    "required": _("Fill in %(label)s."),
    "too_long": _("Keep %(label)s under %(max)s characters."),
    "number": _("Enter %(label)s as a number with at most two decimals, e.g. 4.5."),
    "days_range": _("Enter %(label)s between 0 and 365 days."),
    "year": _("Enter a year between 2000 and 2100, e.g. 2024."),
    "step_before_rule": _(
        "The step of %(year)s lies before the rule's first year (%(first)s); remove it or "
        "change the first year."
    ),
    "reset_without_carry": _(
        "A reset period only matters when unused days carry over; tick 'unused days carry "
        "over' or leave the reset period empty."
    ),
    "reset_start_missing": _("Give the first year of the first reset period, e.g. 2024."),
    "reset_years": _("Enter the reset period as a whole number of years between 1 and 20."),
    "duplicate_name": _("Another sector rule is called %(name)s; choose another name."),
    "fte": _("Enter the FTE as a number of at least 0 with at most two decimals, e.g. 23.5."),
    "rule_other": _("Choose one of this organisation's sector rules."),
    "fraction": _(
        "Enter the work regime as a fraction above 0 and at most 1, e.g. 0.5 for half-time "
        "or 0.8 for four days a week."
    ),
    "end_before_start": _("The end date cannot be before the start date (%(start)s)."),
    "overlap": _(
        "This period overlaps the work regime from %(start)s; end that one first or choose "
        "other dates."
    ),
    "employee_other": _("Choose a person of this organisation."),
}


def _error(field: str, code: str, **params: Any) -> ValidationError:
    message = ERRORS[code]
    return ValidationError({field: ValidationError(message, code=code, params=params or None)})


def _days(value: Any, field: str, label: Any) -> Decimal:
    try:
        number = Decimal(str(value).strip().replace(",", "."))
    except (InvalidOperation, ValueError):
        raise _error(field, "number", label=label) from None
    if not number.is_finite() or number != number.quantize(TWO):
        raise _error(field, "number", label=label)
    if number < 0 or number > 365:
        raise _error(field, "days_range", label=label)
    return number.quantize(TWO)


def _year(value: Any, field: str) -> int:
    try:
        year = int(value)
    except (TypeError, ValueError):
        raise _error(field, "year") from None
    if isinstance(value, bool) or not FIRST_YEAR <= year <= LAST_YEAR:
        raise _error(field, "year")
    return year


RULE_FIELDS = (
    "name",
    "joint_committee",
    "cao_number",
    "valid_from_year",
    "days_under_10",
    "days_10_to_19",
    "days_20_plus",
    "year_steps",
    "carries_over",
    "reset_years",
    "reset_start_year",
    "note",
)
DAY_DEFAULTS = {"days_under_10": 0, "days_10_to_19": 1, "days_20_plus": 5}
DAY_LABELS = {
    "days_under_10": _("the days under 10 FTE"),
    "days_10_to_19": _("the days for 10 to 19 FTE"),
    "days_20_plus": _("the days for 20 FTE or more"),
}


def _clean_rule(organisation: Organisation, values: dict[str, Any], pk: int | None) -> dict:
    # pk: the rule being changed (None for a new one), left out of the unique-name check.
    """Every field of a sector rule checked; the first problem of each field is raised."""
    errors: dict[str, Any] = {}
    clean: dict[str, Any] = {}

    def check(name: str, compute: Any) -> None:
        try:
            clean[name] = compute()
        except ValidationError as error:
            errors.update(error.error_dict)

    def text(name: str, label: Any, limit: int, required: bool) -> Any:
        value = str(values.get(name) or "").strip()
        if required and not value:
            raise _error(name, "required", label=label)
        if len(value) > limit:
            raise _error(name, "too_long", label=label, max=limit)
        return value

    check("name", lambda: text("name", _("the name"), 200, True))
    check("joint_committee", lambda: text("joint_committee", _("the joint committee"), 20, True))
    check("cao_number", lambda: text("cao_number", _("the CAO number"), 40, False))
    check("note", lambda: text("note", _("the note"), 300, False))
    check("valid_from_year", lambda: _year(values.get("valid_from_year"), "valid_from_year"))
    for name, label in DAY_LABELS.items():
        try:
            clean[name] = _days(values.get(name, DAY_DEFAULTS[name]), name, label)
        except ValidationError as error:
            errors.update(error.error_dict)

    def steps() -> dict[str, str]:
        found: dict[str, str] = {}
        for year, days in dict(values.get("year_steps") or {}).items():
            number = _year(year, "year_steps")
            found[str(number)] = str(_days(days, "year_steps", _("the days of a step")))
        return dict(sorted(found.items()))

    check("year_steps", steps)
    clean["carries_over"] = bool(values.get("carries_over"))

    def reset_years() -> int | None:
        raw = values.get("reset_years")
        if raw in (None, ""):
            return None
        try:
            number = int(str(raw))
        except (TypeError, ValueError):
            raise _error("reset_years", "reset_years") from None
        if isinstance(raw, bool) or not 1 <= number <= 20:
            raise _error("reset_years", "reset_years")
        if not clean["carries_over"]:
            raise _error("reset_years", "reset_without_carry")
        return number

    check("reset_years", reset_years)

    def reset_start() -> int | None:
        raw = values.get("reset_start_year")
        if raw in (None, ""):
            if clean.get("reset_years"):
                raise _error("reset_start_year", "reset_start_missing")
            return None
        return _year(raw, "reset_start_year")

    check("reset_start_year", reset_start)
    first = clean.get("valid_from_year")
    if first is not None and "year_steps" in clean:
        early = [int(year) for year in clean["year_steps"] if int(year) < first]
        if early:
            errors.setdefault(
                "year_steps",
                _error("year_steps", "step_before_rule", year=early[0], first=first).error_dict[
                    "year_steps"
                ],
            )
    if "name" in clean and (
        SectorRightRule.objects.filter(organisation=organisation, name=clean["name"])
        .exclude(pk=pk or 0)
        .exists()
    ):
        errors.setdefault(
            "name", _error("name", "duplicate_name", name=clean["name"]).error_dict["name"]
        )
    if errors:
        raise ValidationError(errors)
    return clean


def _snapshot(rule: SectorRightRule) -> dict[str, Any]:
    return audit.snapshot(rule, list(RULE_FIELDS))


@transaction.atomic
def sector_rule_create(
    *, organisation: Organisation, by: User | None, **values: Any
) -> SectorRightRule:
    """Add a sector (joint-committee) rule for the training right.

    Rules: name and joint committee required, the name unique in the organisation; days between
    0 and 365 with two decimals; year steps not before the first year; a reset period only with
    carry-over and with the first year of its period. Raises ValidationError on the field."""
    clean = _clean_rule(organisation, values, None)
    rule = SectorRightRule.objects.create(organisation=organisation, **clean)
    audit.record(
        actor=by, action="registration.right_rule_created", obj=rule, after=_snapshot(rule)
    )
    return rule


@transaction.atomic
def sector_rule_update(*, rule: SectorRightRule, by: User | None, **values: Any) -> SectorRightRule:
    """Change a sector rule (same rules as `sector_rule_create`); past rights are recomputed."""
    rule = SectorRightRule.objects.select_for_update().get(pk=rule.pk)
    before = _snapshot(rule)
    merged = {name: getattr(rule, name) for name in RULE_FIELDS} | values
    clean = _clean_rule(rule.organisation, merged, rule.pk)
    for name, value in clean.items():
        setattr(rule, name, value)
    rule.save()
    old, new = audit.changed(before, _snapshot(rule))
    audit.record(
        actor=by, action="registration.right_rule_changed", obj=rule, before=old, after=new
    )
    return rule


@transaction.atomic
def right_year_set(
    *,
    organisation: Organisation,
    by: User | None,
    year: Any,
    fte: Any = None,
    rule: SectorRightRule | None = None,
) -> OrganisationRightYear:
    """Record the FTE of the reference period (empty: estimated from the register) and the
    sector rule in use (none: the legal days) for `year`.

    Rules: a year between 2000 and 2100; FTE at least 0 with two decimals; a rule of this
    organisation. Raises ValidationError on the field."""
    errors: dict[str, Any] = {}
    clean_year: int | None = None
    clean_fte: Decimal | None = None
    try:
        clean_year = _year(year, "year")
    except ValidationError as error:
        errors.update(error.error_dict)
    if fte not in (None, ""):
        try:
            clean_fte = Decimal(str(fte).strip().replace(",", "."))
            if not clean_fte.is_finite() or clean_fte < 0 or clean_fte != clean_fte.quantize(TWO):
                raise InvalidOperation
            if clean_fte >= Decimal("10000000"):
                raise InvalidOperation
        except (InvalidOperation, ValueError):
            errors.update(_error("fte", "fte").error_dict)
    if rule is not None and rule.organisation_id != organisation.pk:
        errors.update(_error("rule", "rule_other").error_dict)
    if errors:
        raise ValidationError(errors)
    assert clean_year is not None
    record, created = OrganisationRightYear.objects.select_for_update().get_or_create(
        organisation=organisation, year=clean_year
    )
    before = {} if created else audit.snapshot(record, ["fte", "rule"])
    record.fte = clean_fte
    record.rule = rule
    record.save()
    audit.record(
        actor=by,
        action="registration.right_year_set",
        obj=record,
        before=before,
        after=audit.snapshot(record, ["year", "fte", "rule"]),
    )
    return record


@transaction.atomic
def regime_add(
    *,
    employee: Employee,
    by: User | None,
    fraction: Any,
    start: datetime.date | None,
    end: datetime.date | None = None,
) -> EmployeeRegime:
    """Record that `employee` works `fraction` of a full-time job from `start` (until `end`).

    Rules: 0 < fraction <= 1 with at most four decimals; a start date; the end not before the
    start; no overlap with another period of the same person. Raises ValidationError."""
    # Lock the person: two HR users adding periods at once must not both pass the overlap check.
    employee = Employee.objects.select_for_update().get(pk=employee.pk)
    errors: dict[str, Any] = {}
    number: Decimal | None = None
    try:
        number = Decimal(str(fraction).strip().replace(",", "."))
        if not number.is_finite() or not 0 < number <= 1:
            raise InvalidOperation
        if number != number.quantize(Decimal("0.0001")):
            raise InvalidOperation
    except (InvalidOperation, ValueError):
        errors.update(_error("fraction", "fraction").error_dict)
    if start is None:
        errors.update(_error("start", "required", label=_("the start date")).error_dict)
    elif end is not None and end < start:
        errors.update(_error("end", "end_before_start", start=start.isoformat()).error_dict)
    if not errors and start is not None:
        clash = (
            EmployeeRegime.objects.filter(employee=employee)
            .filter(Q(end__isnull=True) | Q(end__gte=start))
            .order_by("start")
        )
        if end is not None:
            clash = clash.filter(start__lte=end)
        first = clash.first()
        if first is not None:
            errors.update(_error("start", "overlap", start=first.start.isoformat()).error_dict)
    if errors:
        raise ValidationError(errors)
    assert number is not None
    assert start is not None
    regime = EmployeeRegime.objects.create(
        organisation_id=employee.organisation_id,
        employee=employee,
        fraction=number,
        start=start,
        end=end,
    )
    audit.record(
        actor=by,
        action="registration.regime_added",
        obj=regime,
        after=audit.snapshot(regime, ["employee", "fraction", "start", "end"]),
    )
    return regime


@transaction.atomic
def regime_remove(*, regime: EmployeeRegime, by: User | None) -> None:
    """Delete a work-regime period entered by mistake (the audit keeps what it was)."""
    before = audit.snapshot(regime, ["employee", "fraction", "start", "end"])
    audit.record(actor=by, action="registration.regime_removed", obj=regime, before=before)
    regime.delete()
