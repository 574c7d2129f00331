"""Writes of the registration core: activities, their participants and cost lines, and fund
contributions (closing and reopening a financial year: `services_sb`).

Every function validates, writes inside one transaction, appends an audit entry and returns the
result; a refusal is a `ValidationError` keyed by the field it is about, and nothing is written.
An activity whose end date lies in a closed financial year cannot change: its figures are frozen
until HR reopens the year with a reason.
"""

from __future__ import annotations

import datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from leerplek.core import audit
from leerplek.people.models import Employee, Organisation, User
from leerplek.registration.models import (
    Activity,
    ActivityStatus,
    Category,
    CompanyContribution,
    CostKind,
    CostLine,
    Exclusion,
    ExtraField,
    ExtraFieldKind,
    InformalKind,
    OrganiserKind,
    Participation,
    ParticipationStatus,
)

# The financial-year arithmetic lives with the social balance; other areas import it from here.
from leerplek.registration.selectors_sb import is_closed_on as is_closed_on
from leerplek.registration.selectors_sb import year_bounds as year_bounds
from leerplek.registration.selectors_sb import year_of as year_of

TWO = Decimal("0.01")
ACTIVITY_FIELDS = (
    "title",
    "description",
    "category",
    "organiser_kind",
    "organiser_name",
    "informal_kind",
    "start_date",
    "end_date",
    "duration_hours",
    "place",
    "location",
    "exclusion",
    "exclusion_note",
    "counts_for_right",
    "is_educational_leave",
    "leads_to_qualification",
    "partly_on_shop_floor",
    "qualification",
)


def _require(by: User, perm: str, obj: Any = None) -> None:
    if not by.has_perm(perm, obj):
        raise PermissionDenied


# What the amount column holds (12 digits, two of them decimals).
MAX_CONTRIBUTION = Decimal("9999999999.99")


def decimal_or_error(value: Any, field: str, label: str) -> Decimal:
    """`value` as a Decimal of at most two decimals, or a ValidationError naming `field`."""
    if isinstance(value, float):
        value = repr(value)
    try:
        number = Decimal(str(value).strip().replace(",", "."))
    except (InvalidOperation, ValueError):
        raise ValidationError(
            {field: _("%(label)s must be a number.") % {"label": label}}
        ) from None
    if not number.is_finite():
        raise ValidationError({field: _("%(label)s must be a number.") % {"label": label}})
    if number != number.quantize(TWO):
        raise ValidationError({field: _("%(label)s has at most two decimals.") % {"label": label}})
    return number.quantize(TWO)


# --- Financial years (the social balance: selectors_sb, services_sb) -----------------------


def _refuse_if_closed(activity: Activity, *days: datetime.date) -> None:
    for day in (activity.end_date, *days):
        if day is not None and is_closed_on(activity.organisation, day):
            raise ValidationError(
                {
                    "end_date": _(
                        "The financial year of %(day)s is closed for the social balance; "
                        "HR reopens it, with a reason, before anything changes."
                    )
                    % {"day": day.strftime("%d/%m/%Y")}
                }
            )


# --- Activities --------------------------------------------------------------------------------


def initial_flags(activity: Activity) -> list[str]:
    """Why an initial activity does not meet the definition (REG-10); empty when it does."""
    if activity.category != Category.INITIAL:
        return []
    flags = []
    months = int(settings.LEERPLEK["INITIAL_MIN_MONTHS"])
    start = activity.start_date
    month = start.month - 1 + months
    year, month = start.year + month // 12, month % 12 + 1
    try:
        earliest_end = start.replace(year=year, month=month)
    except ValueError:  # 31 August + 6 months: the last day of February
        earliest_end = datetime.date(year, month + 1, 1) - datetime.timedelta(days=1)
    if activity.end_date < earliest_end - datetime.timedelta(days=1):
        flags.append(
            _("Shorter than %(months)s months: initial training lasts at least that long.")
            % {"months": months}
        )
    if not activity.partly_on_shop_floor:
        flags.append(_("Not partly on the shop floor."))
    if not activity.leads_to_qualification:
        flags.append(_("Does not lead to a recognised certificate or diploma."))
    return flags


def _clean_activity(organisation: Organisation, values: dict[str, Any]) -> dict[str, Any]:
    clean = {key: values.get(key) for key in ACTIVITY_FIELDS if key in values}
    title = str(clean.get("title") or "").strip()
    if not title:
        raise ValidationError({"title": _("Give the activity a title.")})
    if len(title) > 200:
        raise ValidationError({"title": _("The title has at most 200 characters.")})
    clean["title"] = title
    category = clean.get("category")
    if category not in Category.values:
        raise ValidationError({"category": _("Choose formal, informal or initial.")})
    start, end = clean.get("start_date"), clean.get("end_date")
    if not isinstance(start, datetime.date):
        raise ValidationError({"start_date": _("Give the start date.")})
    if end is None:
        end = clean["end_date"] = start
    if not isinstance(end, datetime.date):
        raise ValidationError({"end_date": _("Give the end date.")})
    if end < start:
        raise ValidationError({"end_date": _("The end date cannot be before the start date.")})
    if category == Category.INFORMAL:
        if clean.get("informal_kind") not in InformalKind.values:
            raise ValidationError({"informal_kind": _("Choose the kind of informal learning.")})
    else:
        clean["informal_kind"] = ""
    if clean.get("organiser_kind", OrganiserKind.INTERNAL) not in OrganiserKind.values:
        raise ValidationError({"organiser_kind": _("Choose an internal or external organiser.")})
    if (
        category == Category.FORMAL
        and clean.get("organiser_kind") == OrganiserKind.EXTERNAL
        and not str(clean.get("organiser_name") or "").strip()
    ):
        raise ValidationError(
            {"organiser_name": _("Name the external organiser of a formal training.")}
        )
    duration = clean.get("duration_hours")
    if duration not in (None, ""):
        duration = decimal_or_error(duration, "duration_hours", _("The duration"))
        if duration < 0:
            raise ValidationError({"duration_hours": _("The duration cannot be negative.")})
        clean["duration_hours"] = duration
    else:
        clean["duration_hours"] = None
    exclusion = clean.get("exclusion") or ""
    if exclusion not in Exclusion.values:
        raise ValidationError({"exclusion": _("Choose a reason from the list.")})
    clean["exclusion"] = exclusion
    note = str(clean.get("exclusion_note") or "").strip()
    if exclusion == Exclusion.OTHER and not note:
        raise ValidationError({"exclusion_note": _("Say why this activity does not count.")})
    clean["exclusion_note"] = note if exclusion else ""
    if category != Category.INITIAL:
        clean["leads_to_qualification"] = False
        clean["partly_on_shop_floor"] = False
        clean["qualification"] = ""
    return clean


def clean_extra(organisation: Organisation, extra: dict[str, Any]) -> dict[str, Any]:
    """The values of the organisation's extra fields (REG-07), checked by their kind."""
    out: dict[str, Any] = {}
    for field in ExtraField.objects.filter(organisation=organisation, active=True):
        raw = extra.get(field.key)
        name = f"extra_{field.key}"
        if raw in (None, ""):
            if field.required:
                raise ValidationError({name: _("Fill in %(label)s.") % {"label": field.label}})
            continue
        if field.kind == ExtraFieldKind.NUMBER:
            out[field.key] = str(decimal_or_error(raw, name, field.label))
        elif field.kind == ExtraFieldKind.DATE:
            try:
                out[field.key] = datetime.date.fromisoformat(str(raw)).isoformat()
            except ValueError:
                raise ValidationError(
                    {name: _("%(label)s must be a date.") % {"label": field.label}}
                ) from None
        elif field.kind == ExtraFieldKind.CHOICE:
            if str(raw) not in field.choice_list:
                raise ValidationError(
                    {name: _("Choose %(label)s from the list.") % {"label": field.label}}
                )
            out[field.key] = str(raw)
        elif field.kind == ExtraFieldKind.YES_NO:
            out[field.key] = raw in (True, "true", "on", "1", "yes")
        else:
            text = str(raw).strip()
            if len(text) > 500:
                raise ValidationError(
                    {name: _("%(label)s has at most 500 characters.") % {"label": field.label}}
                )
            out[field.key] = text
    return out


@transaction.atomic
def activity_create(
    *,
    organisation: Organisation,
    by: User | None,
    extra: dict[str, Any] | None = None,
    competences: Any = (),
    status: str = ActivityStatus.CONFIRMED,
    source: str = "manual",
    source_key: str = "",
    **values: Any,
) -> Activity:
    """Register an activity. `by` None: a system write (the demo, an import's rows)."""
    if by is not None:
        _require(by, "registration.manage_activities", organisation)
    clean = _clean_activity(organisation, values)
    activity = Activity(organisation=organisation, **clean)
    activity.extra = clean_extra(organisation, extra or {})
    _refuse_if_closed(activity)
    activity.status = status
    activity.source = source
    activity.source_key = source_key
    activity.created_by = by
    if status == ActivityStatus.CONFIRMED:
        activity.confirmed_by = by
        activity.confirmed_at = timezone.now()
    activity.save()
    if competences:
        activity.competences.set(
            [c for c in competences if getattr(c, "organisation_id", None) == organisation.pk]
        )
    audit.record(
        actor=by,
        action="registration.activity_created",
        obj=activity,
        after={key: clean[key] for key in clean},
    )
    return activity


@transaction.atomic
def activity_update(
    *,
    activity: Activity,
    by: User,
    extra: dict[str, Any] | None = None,
    competences: Any = None,
    **values: Any,
) -> Activity:
    _require(by, "registration.manage_activities", activity.organisation)
    activity = Activity.objects.select_for_update().get(pk=activity.pk)
    _refuse_if_closed(activity)
    current = {key: getattr(activity, key) for key in ACTIVITY_FIELDS}
    clean = _clean_activity(activity.organisation, {**current, **values})
    for key, value in clean.items():
        setattr(activity, key, value)
    _refuse_if_closed(activity)
    if extra is not None:
        activity.extra = clean_extra(activity.organisation, extra)
    _check_hours_fit(activity)
    activity.save()
    if competences is not None:
        activity.competences.set(
            [c for c in competences if c.organisation_id == activity.organisation_id]
        )
    before, after = audit.changed(current, clean)
    audit.record(
        actor=by, action="registration.activity_changed", obj=activity, before=before, after=after
    )
    return activity


def _check_hours_fit(activity: Activity) -> None:
    if activity.duration_hours is None or activity.pk is None:
        return
    if activity.participations.filter(hours__gt=activity.duration_hours).exists():
        raise ValidationError(
            {
                "duration_hours": _(
                    "Some participants have more hours than this duration; lower their hours first."
                )
            }
        )
    if activity.participations.exists():
        outside = (
            activity.participations.exclude(employee__hire_date__lte=activity.end_date).exists()
            or activity.participations.filter(employee__exit_date__lt=activity.start_date).exists()
        )
        if outside:
            raise ValidationError(
                {"start_date": _("Some participants were not employed on these dates.")}
            )


@transaction.atomic
def activity_delete(*, activity: Activity, by: User) -> None:
    _require(by, "registration.manage_activities", activity.organisation)
    _refuse_if_closed(activity)
    audit.record(
        actor=by,
        action="registration.activity_deleted",
        obj=activity,
        before={"title": activity.title, "end_date": activity.end_date},
    )
    activity.delete()


# A person's hours in one activity: a whole year of full-time work is about 1,900 hours.
MAX_PARTICIPATION_HOURS = Decimal("9999")


def _clean_participation(activity: Activity, employee: Employee, values: dict[str, Any]) -> dict:
    if employee.organisation_id != activity.organisation_id:
        raise ValidationError({"employee": _("Choose a person of this organisation.")})
    if employee.hire_date > activity.end_date or (
        employee.exit_date is not None and employee.exit_date < activity.start_date
    ):
        raise ValidationError(
            {
                "employee": _("%(name)s was not employed between %(start)s and %(end)s.")
                % {
                    "name": employee,
                    "start": activity.start_date.strftime("%d/%m/%Y"),
                    "end": activity.end_date.strftime("%d/%m/%Y"),
                }
            }
        )
    hours = decimal_or_error(values.get("hours", 0), "hours", _("The hours"))
    if hours < 0:
        raise ValidationError({"hours": _("Hours cannot be negative.")})
    if hours > MAX_PARTICIPATION_HOURS:
        raise ValidationError(
            {"hours": _("At most %(hours)s hours per person.") % {"hours": MAX_PARTICIPATION_HOURS}}
        )
    if activity.duration_hours is not None and hours > activity.duration_hours:
        raise ValidationError(
            {
                "hours": _("At most %(hours)s hours: the duration of the activity.")
                % {"hours": activity.duration_hours}
            }
        )
    outside = decimal_or_error(
        values.get("outside_working_hours", 0) or 0,
        "outside_working_hours",
        _("The hours outside working time"),
    )
    if outside < 0:
        raise ValidationError({"outside_working_hours": _("Hours cannot be negative.")})
    if outside > hours:
        raise ValidationError(
            {"outside_working_hours": _("At most the hours of the participation itself.")}
        )
    status = values.get("status", ParticipationStatus.COMPLETED)
    if status not in ParticipationStatus.values:
        raise ValidationError({"status": _("Choose a status from the list.")})
    note = str(values.get("note") or "").strip()[:300]
    return {
        "hours": hours,
        "outside_working_hours": outside,
        "status": status,
        "certificate_obtained": bool(values.get("certificate_obtained", False)),
        "note": note,
    }


@transaction.atomic
def participant_add(
    *, activity: Activity, by: User | None, employee: Employee, **values: Any
) -> Participation:
    if by is not None:
        _require(by, "registration.manage_activities", activity.organisation)
    _refuse_if_closed(activity)
    clean = _clean_participation(activity, employee, values)
    if Participation.objects.filter(activity=activity, employee=employee).exists():
        raise ValidationError({"employee": _("This person already takes part in this activity.")})
    participation = Participation.objects.create(activity=activity, employee=employee, **clean)
    audit.record(
        actor=by,
        action="registration.participant_added",
        obj=activity,
        after={"employee": employee.pk, **clean},
    )
    return participation


@transaction.atomic
def participant_update(*, participation: Participation, by: User, **values: Any) -> Participation:
    activity = participation.activity
    _require(by, "registration.manage_activities", activity.organisation)
    _refuse_if_closed(activity)
    current = {
        "hours": participation.hours,
        "outside_working_hours": participation.outside_working_hours,
        "status": participation.status,
        "certificate_obtained": participation.certificate_obtained,
        "note": participation.note,
    }
    clean = _clean_participation(activity, participation.employee, {**current, **values})
    for key, value in clean.items():
        setattr(participation, key, value)
    participation.save()
    before, after = audit.changed(current, clean)
    audit.record(
        actor=by,
        action="registration.participant_changed",
        obj=activity,
        before={"employee": participation.employee_id, **before},
        after=after,
    )
    return participation


@transaction.atomic
def participant_remove(*, participation: Participation, by: User) -> None:
    activity = participation.activity
    _require(by, "registration.manage_activities", activity.organisation)
    _refuse_if_closed(activity)
    audit.record(
        actor=by,
        action="registration.participant_removed",
        obj=activity,
        before={"employee": participation.employee_id, "hours": participation.hours},
    )
    participation.delete()


@transaction.atomic
def cost_line_add(
    *,
    activity: Activity,
    by: User | None,
    kind: str,
    amount: Any,
    currency: str = "EUR",
    description: str = "",
    employee: Employee | None = None,
) -> CostLine:
    if by is not None:
        _require(by, "registration.manage_activities", activity.organisation)
    _refuse_if_closed(activity)
    if kind not in CostKind.values:
        raise ValidationError({"kind": _("Choose the kind of cost.")})
    if amount in (None, ""):
        raise ValidationError({"amount": _("Give the amount.")})
    value = decimal_or_error(amount, "amount", _("The amount"))
    if value < 0:
        raise ValidationError(
            {"amount": _("An amount cannot be negative; a subsidy is its own kind of line.")}
        )
    if (currency or "").strip().upper() != "EUR":
        raise ValidationError(
            {
                "currency": _("Amounts are in euro; convert %(currency)s first.")
                % {"currency": currency}
            }
        )
    if employee is not None and not activity.participations.filter(employee=employee).exists():
        raise ValidationError({"employee": _("Choose one of the activity's participants.")})
    line = CostLine.objects.create(
        activity=activity,
        kind=kind,
        amount=value,
        currency="EUR",
        description=(description or "").strip()[:200],
        employee=employee,
    )
    audit.record(
        actor=by,
        action="registration.cost_added",
        obj=activity,
        after={"kind": kind, "amount": value, "employee": getattr(employee, "pk", None)},
    )
    return line


@transaction.atomic
def cost_line_remove(*, line: CostLine, by: User) -> None:
    activity = line.activity
    _require(by, "registration.manage_activities", activity.organisation)
    _refuse_if_closed(activity)
    audit.record(
        actor=by,
        action="registration.cost_removed",
        obj=activity,
        before={"kind": line.kind, "amount": line.amount},
    )
    line.delete()


@transaction.atomic
def contribution_add(
    *,
    organisation: Organisation,
    by: User | None,
    paid_on: datetime.date,
    amount: Any,
    fund: str,
    description: str = "",
) -> CompanyContribution:
    """A company-level payment to a collective fund (58032/58132)."""
    if by is not None:
        _require(by, "registration.manage_activities", organisation)
    if not isinstance(paid_on, datetime.date):
        raise ValidationError({"paid_on": _("Give the date of payment.")})
    if is_closed_on(organisation, paid_on):
        raise ValidationError({"paid_on": _("The financial year of this date is closed.")})
    fund = (fund or "").strip()
    if not fund:
        raise ValidationError({"fund": _("Name the fund.")})
    value = decimal_or_error(amount, "amount", _("The amount"))
    if value < 0:
        raise ValidationError({"amount": _("An amount cannot be negative.")})
    if value > MAX_CONTRIBUTION:
        raise ValidationError(
            {"amount": _("An amount is at most %(max)s euro.") % {"max": MAX_CONTRIBUTION}}
        )
    row = CompanyContribution.objects.create(
        organisation=organisation,
        paid_on=paid_on,
        amount=value,
        fund=fund[:200],
        description=(description or "").strip()[:200],
    )
    audit.record(
        actor=by,
        action="registration.contribution_added",
        obj=row,
        after={"fund": fund, "amount": value, "paid_on": paid_on},
    )
    return row


@transaction.atomic
def contribution_remove(*, contribution: CompanyContribution, by: User | None) -> None:
    """Takes back a company-level fund contribution (entered twice, wrong year), unless its
    financial year is closed."""
    if by is not None:
        _require(by, "registration.manage_activities", contribution.organisation)
    if is_closed_on(contribution.organisation, contribution.paid_on):
        raise ValidationError(
            {"paid_on": _("The financial year of this date is closed; reopen it first.")}
        )
    audit.record(
        actor=by,
        action="registration.contribution_removed",
        obj=contribution,
        before={
            "fund": contribution.fund,
            "amount": contribution.amount,
            "paid_on": contribution.paid_on,
        },
    )
    contribution.delete()


# The social balance's year writes moved to `services_sb`; these names stay importable from the
# core (the demo, the benchmarks). Resolved on first use: `services_sb` imports this module.
_MOVED_TO_SB = frozenset(
    {"financial_year_get_or_create", "year_close", "year_reopen", "year_set_staff_costs"}
)


def __getattr__(name: str) -> Any:
    if name in _MOVED_TO_SB:
        from leerplek.registration import services_sb

        return getattr(services_sb, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
