"""Pages of the drafts area (REG-08, REG-11; docs/registration-drafts.md).

- `registration:draft-list`: HR reviews the informal registrations drafted from workplace
  learning, by source and year, corrects hours per row and confirms or rejects the selected rows
  in one go; the headline says how many hours of workplace learning became visible this year and
  the informal share of all training hours.
- `registration:quick-log`: a worker logs what he learned today in three fields (phone first),
  and sees his recent logs with their status.
- `registration:quick-log-review`: the line manager (or HR) confirms or rejects the pending logs
  of the people in his units in one go, never his own; with this week's digest per way.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import URLPattern, path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods

from leerplek.core.decorators import requires
from leerplek.core.http import OrganisationHttpRequest
from leerplek.people.models import Employee
from leerplek.registration import selectors_drafts, services_drafts
from leerplek.registration.forms_drafts import DraftFilterForm, QuickLogForm
from leerplek.registration.models import Activity, Participation, QuickLog
from leerplek.registration.selectors_sb import year_of

CONFIRM_DRAFTS = services_drafts.CONFIRM_DRAFTS
LOG_OWN = services_drafts.LOG_OWN
CONFIRM_LOGS = services_drafts.CONFIRM_LOGS
PAGE_SIZE = 50
STYLESHEET = "registration/drafts.css"


def _errors_by_field(error: ValidationError) -> dict[str, list[str]]:
    if hasattr(error, "error_dict"):
        return {field: [str(m) for m in error.message_dict[field]] for field in error.error_dict}
    return {"selected": [str(m) for m in error.messages]}


@dataclass
class DraftRow:
    activity: Activity
    participation: Participation | None
    hours: str
    checked: bool
    error: str


def _draft_rows(
    activities: list[Activity], posted: Any, errors: dict[str, list[str]]
) -> list[DraftRow]:
    selected = set(posted.getlist("selected")) if posted is not None else set()
    rows = []
    for activity in activities:
        participations = list(activity.participations.all())
        participation = participations[0] if participations else None
        field = services_drafts.hours_field(activity.pk)
        typed = posted.get(field) if posted is not None else None
        rows.append(
            DraftRow(
                activity=activity,
                participation=participation,
                hours=typed
                if typed is not None
                else (str(participation.hours) if participation else ""),
                checked=str(activity.pk) in selected,
                error=" ".join(errors.get(field, [])),
            )
        )
    return rows


@require_http_methods(["GET", "POST"])
@requires(CONFIRM_DRAFTS)
def draft_list(request: OrganisationHttpRequest) -> HttpResponse:
    """The drafts waiting for HR, filtered by source and year, with the bulk decision."""
    organisation = request.organisation
    today = timezone.localdate()
    this_year = year_of(organisation, today)
    years = selectors_drafts.draft_year_range(organisation=organisation, today=today)
    form = DraftFilterForm(request.GET or None, years=years, initial={"year": this_year})
    data = form.cleaned_data if form.is_valid() else {}
    year = data.get("year") or this_year
    source = data.get("source") or ""
    errors: dict[str, list[str]] = {}
    posted = request.POST if request.method == "POST" else None
    if posted is not None:
        selected = posted.getlist("selected")
        try:
            done = services_drafts.drafts_decide(
                organisation=organisation,
                ids=selected,
                decision=posted.get("decision", ""),
                by=request.user,
                hours={pk: posted.get(services_drafts.hours_field(pk), "") for pk in selected},
            )
        except ValidationError as error:
            errors = _errors_by_field(error)
        else:
            if posted.get("decision") == "confirm":
                text = ngettext(
                    "%(count)s draft confirmed: %(hours)s hours of workplace learning now count.",
                    "%(count)s drafts confirmed: %(hours)s hours of workplace learning now count.",
                    done.count,
                )
            else:
                text = ngettext(
                    "%(count)s draft rejected.", "%(count)s drafts rejected.", done.count
                )
            messages.success(request, text % {"count": done.count, "hours": done.hours})
            return redirect(request.get_full_path())
    page = Paginator(
        selectors_drafts.drafts(organisation=organisation, year=year, source=source), PAGE_SIZE
    ).get_page(request.GET.get("page"))
    row_errors = {key: value for key, value in errors.items() if key.startswith("hours_")}
    return render(
        request,
        "registration/drafts/draft_list.html",
        {
            "form": form,
            "page_obj": page,
            "rows": _draft_rows(list(page.object_list), posted, row_errors),
            "groups": selectors_drafts.draft_groups(organisation=organisation, year=year),
            "headline": selectors_drafts.visibility(organisation=organisation, year=year),
            "year": year,
            "source": source,
            "errors": [
                message
                for key, items in errors.items()
                if not key.startswith("hours_")
                for message in items
            ],
            "row_errors": sum(len(items) for items in row_errors.values()),
            "stylesheet": STYLESHEET,
        },
        status=422 if errors else 200,
    )


def _own_employee(request: OrganisationHttpRequest) -> Employee:
    return get_object_or_404(
        Employee.objects.select_related("organisation"),
        organisation_id=request.organisation.pk,
        pk=request.access.employee_id or 0,
    )


@require_http_methods(["GET", "POST"])
@requires(LOG_OWN)
def quick_log(request: OrganisationHttpRequest) -> HttpResponse:
    """Log what you learned today: how, what, how many minutes, and one big button."""
    employee = _own_employee(request)
    form = QuickLogForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            services_drafts.quick_log_create(
                employee=employee, by=request.user, **form.cleaned_data
            )
        except ValidationError as error:
            for field, items in error.message_dict.items():
                for message in items:
                    form.add_error(field if field in form.fields else None, message)
        else:
            messages.success(request, _("Logged. Your manager confirms it."))
            return redirect("registration:quick-log")
    return render(
        request,
        "registration/drafts/quick_log.html",
        {
            "form": form,
            "logs": selectors_drafts.my_quick_logs(employee_id=employee.pk),
            "stylesheet": STYLESHEET,
        },
        status=422 if form.errors else 200,
    )


@require_http_methods(["GET", "POST"])
@requires(CONFIRM_LOGS)
def quick_log_review(request: OrganisationHttpRequest) -> HttpResponse:
    """The pending logs of the reviewer's units, to confirm or reject in bulk."""
    errors: list[str] = []
    posted = request.POST if request.method == "POST" else None
    if posted is not None:
        try:
            done = services_drafts.quick_logs_decide(
                organisation=request.organisation,
                ids=posted.getlist("selected"),
                decision=posted.get("decision", ""),
                by=request.user,
            )
        except ValidationError as error:
            errors = [message for items in _errors_by_field(error).values() for message in items]
        else:
            if posted.get("decision") == "confirm":
                text = ngettext(
                    "%(count)s log confirmed (%(hours)s hours).",
                    "%(count)s logs confirmed (%(hours)s hours).",
                    done.count,
                )
            else:
                text = ngettext("%(count)s log rejected.", "%(count)s logs rejected.", done.count)
            messages.success(request, text % {"count": done.count, "hours": done.hours})
            return redirect(request.get_full_path())
    page = Paginator(
        selectors_drafts.quick_logs_to_review(access=request.access), PAGE_SIZE
    ).get_page(request.GET.get("page"))
    selected = set(posted.getlist("selected")) if posted is not None else set()
    logs: list[QuickLog] = list(page.object_list)
    return render(
        request,
        "registration/drafts/quick_log_review.html",
        {
            "page_obj": page,
            "rows": [(log, str(log.pk) in selected) for log in logs],
            "digest": selectors_drafts.week_digest(
                access=request.access, today=timezone.localdate()
            ),
            "errors": errors,
            "stylesheet": STYLESHEET,
        },
        status=422 if errors else 200,
    )


urlpatterns: list[URLPattern] = [
    path("drafts/", draft_list, name="draft-list"),
    path("quick-log/", quick_log, name="quick-log"),
    path("quick-log/review/", quick_log_review, name="quick-log-review"),
]
