"""Pages of the registration core (see docs/registration.md).

- `registration:activity-list`, `-create`, `-detail`, `-edit`: learning activities with their
  participants and cost lines (REG-01, REG-02, REG-04, REG-05, REG-07, REG-10); HR writes, a line
  manager reads the activities his people took part in.
- `registration:social-balance`: the training section of the social balance for a financial
  year, laid out like the official form; each figure opens the records behind it
  (`registration:sb-records`); exports as PDF, XLSX, CSV and JSON keyed by code; closing and
  reopening the year (REG-03, REG-06).
"""

from __future__ import annotations

import csv
import io
import json
from decimal import Decimal
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Sum
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import URLPattern, path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from leerplek.core.decorators import requires
from leerplek.core.formviews import form_page
from leerplek.core.http import OrganisationHttpRequest
from leerplek.people.models import Employee, PersonType
from leerplek.registration import selectors, services
from leerplek.registration.forms import (
    ActivityFilterForm,
    ActivityForm,
    CostLineForm,
    ParticipantForm,
    ReopenForm,
    StaffCostForm,
)
from leerplek.registration.models import (
    GROSS_COST_KINDS,
    Activity,
    Category,
    CostKind,
    CostLine,
    ExtraField,
    FinancialYear,
    Participation,
)
from leerplek.training.forms_leittext import put_errors

VIEW = "registration.view_activities"
MANAGE = "registration.manage_activities"
VIEW_SB = "registration.view_social_balance"
SB_RECORDS = "registration.view_sb_records"
CLOSE = "registration.close_years"
PAGE_SIZE = 25
STYLESHEET = "registration/registration.css"


def _posted(request: HttpRequest) -> Any:
    return request.POST if request.method == "POST" else None


def visible_activities(request: OrganisationHttpRequest) -> QuerySet[Activity]:
    """The activities the user may see: all of the organisation for HR, otherwise those with a
    participant in the user's scope."""
    activities = Activity.objects.filter(organisation_id=request.organisation.pk)
    if request.user.has_perm(MANAGE):
        return activities
    people = Employee.objects.filter(request.access.employee_scope_q()).filter(
        learning_participations__activity=OuterRef("pk")
    )
    return activities.filter(Exists(people))


def _activity(request: OrganisationHttpRequest, activity_id: int) -> Activity:
    activity = get_object_or_404(
        visible_activities(request).select_related("organisation", "need", "plan_line"),
        pk=activity_id,
    )
    return activity


def _totals(lines: list[CostLine]) -> dict[str, Decimal]:
    gross = sum((line.amount for line in lines if line.kind in GROSS_COST_KINDS), Decimal("0"))
    contributions = sum(
        (line.amount for line in lines if line.kind == CostKind.CONTRIBUTION), Decimal("0")
    )
    subsidies = sum((line.amount for line in lines if line.kind == CostKind.SUBSIDY), Decimal("0"))
    return {
        "gross": gross,
        "contributions": contributions,
        "subsidies": subsidies,
        "net": gross + contributions - subsidies,
    }


@requires(VIEW)
def activity_list(request: OrganisationHttpRequest) -> HttpResponse:
    today = timezone.localdate()
    years = selectors.years_of(request.organisation, today)
    form = ActivityFilterForm(request.GET or None, years=years)
    data = form.cleaned_data if form.is_valid() else {}
    activities = visible_activities(request)
    if data.get("q"):
        activities = activities.filter(
            Q(title__icontains=data["q"]) | Q(organiser_name__icontains=data["q"])
        )
    if data.get("year"):
        start, end = services.year_bounds(request.organisation, data["year"])
        activities = activities.filter(end_date__gte=start, end_date__lte=end)
    if data.get("category"):
        activities = activities.filter(category=data["category"])
    if data.get("status"):
        activities = activities.filter(status=data["status"])
    if data.get("counted") == "yes":
        activities = activities.filter(exclusion="")
    elif data.get("counted") == "no":
        activities = activities.exclude(exclusion="")
    activities = activities.annotate(
        people=Count("participations", distinct=True),
        hours=Sum("participations__hours"),
    ).order_by("-end_date", "-id")
    page = Paginator(activities, PAGE_SIZE).get_page(request.GET.get("page"))
    ids = [activity.pk for activity in page.object_list]
    costs: dict[int, list[CostLine]] = {}
    for line in CostLine.objects.filter(activity_id__in=ids):
        costs.setdefault(line.activity_id, []).append(line)
    rows = [
        {
            "activity": activity,
            "net": _totals(costs.get(activity.pk, []))["net"],
            "flags": services.initial_flags(activity),
        }
        for activity in page.object_list
    ]
    return render(
        request,
        "registration/activity_list.html",
        {
            "form": form,
            "page_obj": page,
            "rows": rows,
            "filtered": any(value not in (None, "") for value in data.values()),
            "can_manage": request.user.has_perm(MANAGE),
            "stylesheet": STYLESHEET,
        },
    )


def _extra_fields(request: OrganisationHttpRequest) -> list[ExtraField]:
    return list(ExtraField.objects.filter(organisation_id=request.organisation.pk, active=True))


@require_http_methods(["GET", "POST"])
@requires(MANAGE)
def activity_create(request: OrganisationHttpRequest) -> HttpResponse:
    form = ActivityForm(
        _posted(request),
        extra_fields=_extra_fields(request),
        initial={"start_date": timezone.localdate(), "counts_for_right": True},
    )
    if request.method == "POST" and form.is_valid():
        values, extra = form.values()
        try:
            activity = services.activity_create(
                organisation=request.organisation, by=request.user, extra=extra, **values
            )
        except ValidationError as error:
            put_errors(form, error)
        else:
            messages.success(
                request,
                _("%(title)s was registered. Add its participants and costs.")
                % {"title": activity.title},
            )
            return redirect("registration:activity-detail", activity_id=activity.pk)
    return form_page(
        request,
        form,
        {
            "title": _("Register a learning activity"),
            "back_url": reverse("registration:activity-list"),
            "intro": _(
                "A course, a training, or learning in the work: coaching, learning on the job, "
                "a study visit, self-study. Participants and costs come on the next page."
            ),
            "submit": _("Register"),
        },
    )


@require_http_methods(["GET", "POST"])
@requires(MANAGE)
def activity_edit(request: OrganisationHttpRequest, activity_id: int) -> HttpResponse:
    activity = _activity(request, activity_id)
    form = ActivityForm(
        _posted(request),
        extra_fields=_extra_fields(request),
        initial=ActivityForm.initial_of(activity),
    )
    if request.method == "POST" and form.is_valid():
        values, extra = form.values()
        try:
            services.activity_update(activity=activity, by=request.user, extra=extra, **values)
        except ValidationError as error:
            put_errors(form, error)
        else:
            messages.success(request, _("The activity was saved."))
            return redirect("registration:activity-detail", activity_id=activity.pk)
    return form_page(
        request,
        form,
        {
            "title": _("Change %(title)s") % {"title": activity.title},
            "back_url": reverse("registration:activity-detail", args=[activity.pk]),
            "submit": _("Save"),
        },
    )


def _detail(
    request: OrganisationHttpRequest,
    activity: Activity,
    participant_form: ParticipantForm | None = None,
    cost_form: CostLineForm | None = None,
    status: int = 200,
) -> HttpResponse:
    participations = list(
        Participation.objects.filter(activity=activity)
        .select_related("employee", "employee__unit")
        .order_by("employee__last_name", "employee__first_name", "id")
    )
    lines = list(CostLine.objects.filter(activity=activity).select_related("employee"))
    counted_types = set(selectors._setting("SB_CONTINUING_PERSON_TYPES"))
    initial_types = set(selectors._setting("SB_INITIAL_PERSON_TYPES"))
    types = initial_types if activity.category == Category.INITIAL else counted_types
    can_manage = request.user.has_perm(MANAGE)
    closed = services.is_closed_on(activity.organisation, activity.end_date)
    return render(
        request,
        "registration/activity_detail.html",
        {
            "activity": activity,
            "rows": [
                {"participation": p, "counted": p.employee.person_type in types}
                for p in participations
            ],
            "hours": sum((p.hours for p in participations), Decimal("0")),
            "lines": lines,
            "totals": _totals(lines),
            "flags": services.initial_flags(activity),
            "competences": list(activity.competences.all()),
            "extra": [
                (field.label, activity.extra.get(field.key))
                for field in _extra_fields(request)
                if field.key in (activity.extra or {})
            ],
            "closed": closed,
            "can_manage": can_manage and not closed,
            "participant_form": participant_form
            or ParticipantForm(access=request.access, initial={"hours": activity.duration_hours}),
            "cost_form": cost_form or CostLineForm(activity=activity),
            "agency": PersonType.AGENCY,
            "stylesheet": STYLESHEET,
        },
        status=status,
    )


@requires(VIEW)
def activity_detail(request: OrganisationHttpRequest, activity_id: int) -> HttpResponse:
    return _detail(request, _activity(request, activity_id))


@require_POST
@requires(MANAGE)
def participant_add(request: OrganisationHttpRequest, activity_id: int) -> HttpResponse:
    activity = _activity(request, activity_id)
    form = ParticipantForm(request.POST, access=request.access)
    if form.is_valid():
        data = dict(form.cleaned_data)
        employee = data.pop("employee")
        data["outside_working_hours"] = data.get("outside_working_hours") or 0
        try:
            services.participant_add(activity=activity, by=request.user, employee=employee, **data)
        except ValidationError as error:
            put_errors(form, error)
        else:
            messages.success(request, _("%(name)s was added.") % {"name": employee})
            return redirect("registration:activity-detail", activity_id=activity.pk)
    return _detail(request, activity, participant_form=form, status=422)


@require_POST
@requires(MANAGE)
def participant_remove(
    request: OrganisationHttpRequest, activity_id: int, participation_id: int
) -> HttpResponse:
    activity = _activity(request, activity_id)
    participation = get_object_or_404(Participation, activity=activity, pk=participation_id)
    try:
        services.participant_remove(participation=participation, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("%(name)s was removed.") % {"name": participation.employee})
    return redirect("registration:activity-detail", activity_id=activity.pk)


@require_POST
@requires(MANAGE)
def cost_add(request: OrganisationHttpRequest, activity_id: int) -> HttpResponse:
    activity = _activity(request, activity_id)
    form = CostLineForm(request.POST, activity=activity)
    if form.is_valid():
        try:
            services.cost_line_add(activity=activity, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            put_errors(form, error)
        else:
            messages.success(request, _("The cost line was added."))
            return redirect("registration:activity-detail", activity_id=activity.pk)
    return _detail(request, activity, cost_form=form, status=422)


@require_POST
@requires(MANAGE)
def cost_remove(request: OrganisationHttpRequest, activity_id: int, line_id: int) -> HttpResponse:
    activity = _activity(request, activity_id)
    line = get_object_or_404(CostLine, activity=activity, pk=line_id)
    try:
        services.cost_line_remove(line=line, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The cost line was removed."))
    return redirect("registration:activity-detail", activity_id=activity.pk)


# --- The social balance ------------------------------------------------------------------------


def _year_param(request: HttpRequest, default: int) -> int:
    try:
        year = int(request.GET.get("year") or default)
    except ValueError:
        raise Http404 from None
    if not 1990 <= year <= 2200:
        raise Http404
    return year


def _figures(request: OrganisationHttpRequest, year: int) -> tuple[Any, FinancialYear | None]:
    """The live balance and the year's record (None when nobody opened the year yet)."""
    balance = selectors.social_balance(request.organisation, year, with_notes=True)
    record = FinancialYear.objects.filter(
        organisation_id=request.organisation.pk, end_date=balance.end
    ).first()
    return balance, record


def _shown(balance: Any, record: FinancialYear | None) -> dict[str, Any]:
    """The figures to show: frozen ones for a closed year, with the codes that now differ."""
    live = {code: str(value) for code, value in balance.by_code().items()}
    if record is not None and record.is_closed and record.figures:
        differ = [code for code, value in live.items() if record.figures.get(code) != value]
        return {"figures": dict(record.figures), "differ": differ}
    return {"figures": live, "differ": []}


@requires(VIEW_SB)
def social_balance(request: OrganisationHttpRequest) -> HttpResponse:
    today = timezone.localdate()
    years = selectors.years_of(request.organisation, today)
    last_closed = services.year_of(request.organisation, today) - 1
    year = _year_param(request, last_closed)
    balance, record = _figures(request, year)
    shown = _shown(balance, record)
    figures = shown["figures"]
    blocks = [
        {
            "title": block.title,
            "category": block.category,
            "lines": [
                {
                    "label": line.label,
                    "men": (line.men.code, figures[line.men.code]),
                    "women": (line.women.code, figures[line.women.code]),
                    "total": Decimal(figures[line.men.code]) + Decimal(figures[line.women.code]),
                    "is_count": line.line == "workers",
                    "is_money": line.line not in ("workers", "hours"),
                }
                for line in block.lines
            ],
        }
        for block in balance.blocks()
    ]
    can_close = request.user.has_perm(CLOSE)
    return render(
        request,
        "registration/social_balance.html",
        {
            "balance": balance,
            "blocks": blocks,
            "year": year,
            "years": years if year in years else sorted({*years, year}, reverse=True),
            "record": record,
            "closed": record is not None and record.is_closed,
            "differ": shown["differ"],
            "can_records": request.user.has_perm(SB_RECORDS),
            "can_close": can_close,
            "can_close_now": can_close and balance.end < today,
            "reopen_form": ReopenForm(),
            "staff_form": StaffCostForm(
                initial={
                    "staff_cost_men": record.staff_cost_men if record else None,
                    "staff_cost_women": record.staff_cost_women if record else None,
                }
            ),
            "settings_used": {
                "unstated": selectors.unstated_column(),
                "split": selectors._setting("SB_COST_SPLIT"),
            },
            "stylesheet": STYLESHEET,
        },
    )


@requires(SB_RECORDS)
def sb_records(request: OrganisationHttpRequest, year: int, code: str) -> HttpResponse:
    """The records behind one figure: participations for workers and hours, cost lines for
    costs."""
    if code not in selectors.CODE_INDEX:
        raise Http404
    category, line, column = selectors.CODE_INDEX[code]
    if line in ("workers", "hours"):
        records: Any = selectors.counted_participations(
            request.organisation, year, category, column
        )
    else:
        records = selectors.cost_lines_behind(request.organisation, year, category)
    page = Paginator(records, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "registration/sb_records.html",
        {
            "code": code,
            "year": year,
            "label": selectors.LINE_LABELS[line],
            "category_title": selectors.CATEGORY_TITLES[category],
            "column": column,
            "is_people": line in ("workers", "hours"),
            "page_obj": page,
            "stylesheet": STYLESHEET,
        },
    )


def _export_rows(request: OrganisationHttpRequest, year: int) -> tuple[Any, list[list[Any]]]:
    balance, record = _figures(request, year)
    figures = _shown(balance, record)["figures"]
    rows = []
    for block in balance.blocks():
        for line in block.lines:
            for figure, column in ((line.men, _("men")), (line.women, _("women"))):
                rows.append(
                    [
                        figure.code,
                        str(block.title),
                        f"{line.label} ({column})",
                        figures[figure.code],
                    ]
                )
    return balance, rows


@requires(VIEW_SB)
def sb_export(request: OrganisationHttpRequest, year: int, fmt: str) -> HttpResponse:
    balance, rows = _export_rows(request, year)
    org = request.organisation
    stem = f"sociale-balans-opleidingen-{org.slug}-{year}"
    if fmt == "json":
        body = {
            "organisation": org.name,
            "enterprise_number": org.enterprise_number,
            "financial_year": {"start": balance.start.isoformat(), "end": balance.end.isoformat()},
            "figures": {code: value for code, _block, _label, value in rows},
        }
        response = HttpResponse(
            json.dumps(body, indent=2, ensure_ascii=False), content_type="application/json"
        )
    elif fmt == "csv":
        out = io.StringIO()
        writer = csv.writer(out, delimiter=";")
        writer.writerow(["code", "value", "label"])
        for code, block, label, value in rows:
            writer.writerow([code, value, f"{block}: {label}"])
        response = HttpResponse(out.getvalue(), content_type="text/csv; charset=utf-8")
    elif fmt == "xlsx":
        response = HttpResponse(
            _xlsx(org, balance, rows),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
    elif fmt == "pdf":
        response = HttpResponse(_pdf(request, year), content_type="application/pdf")
    else:
        raise Http404
    response["Content-Disposition"] = f'attachment; filename="{stem}.{fmt}"'
    return response


def _xlsx(org: Any, balance: Any, rows: list[list[Any]]) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook()
    sheet: Any = book.active
    sheet.title = str(balance.year)
    sheet.append([_("Social balance: information on training"), org.name, org.enterprise_number])
    sheet.append([_("Financial year"), balance.start.isoformat(), balance.end.isoformat()])
    sheet.append([])
    sheet.append([_("Code"), _("Category"), _("Line"), _("Value")])
    for cell in sheet[4]:
        cell.font = Font(bold=True)
    for code, block, label, value in rows:
        number = Decimal(value)
        sheet.append(
            [
                code,
                block,
                label,
                int(number) if number == number.to_integral() and "." not in value else number,
            ]
        )
    sheet.column_dimensions["B"].width = 60
    sheet.column_dimensions["C"].width = 70
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _pdf(request: OrganisationHttpRequest, year: int) -> bytes:
    from leerplek.onboarding.pdf import _weasyprint

    balance, record = _figures(request, year)
    figures = _shown(balance, record)["figures"]
    html = render_to_string(
        "registration/social_balance_pdf.html",
        {
            "organisation": request.organisation,
            "balance": balance,
            "closed": record is not None and record.is_closed,
            "blocks": [
                {
                    "title": block.title,
                    "lines": [
                        {
                            "label": line.label,
                            "men": (line.men.code, figures[line.men.code]),
                            "women": (line.women.code, figures[line.women.code]),
                        }
                        for line in block.lines
                    ],
                }
                for block in balance.blocks()
            ],
            "printed": timezone.localdate(),
        },
        request=None,
    )
    return bytes(_weasyprint().HTML(string=html).write_pdf())


def _year_record(request: OrganisationHttpRequest, year: int) -> FinancialYear:
    if not 1990 <= year <= 2200:
        raise Http404
    return services.financial_year_get_or_create(request.organisation, year)


def _back(year: int) -> HttpResponse:
    return redirect(f"{reverse('registration:social-balance')}?year={year}")


@require_POST
@requires(CLOSE)
def year_close(request: OrganisationHttpRequest, year: int) -> HttpResponse:
    record = _year_record(request, year)
    try:
        services.year_close(year=record, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            _("The financial year %(year)s is closed; its figures are frozen.") % {"year": year},
        )
    return _back(year)


@require_POST
@requires(CLOSE)
def year_reopen(request: OrganisationHttpRequest, year: int) -> HttpResponse:
    record = _year_record(request, year)
    form = ReopenForm(request.POST)
    reason = form.data.get("reason", "")
    try:
        services.year_reopen(year=record, by=request.user, reason=reason)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The financial year %(year)s is open again.") % {"year": year})
    return _back(year)


@require_POST
@requires(CLOSE)
def year_staff_costs(request: OrganisationHttpRequest, year: int) -> HttpResponse:
    record = _year_record(request, year)
    try:
        services.year_set_staff_costs(
            year=record,
            by=request.user,
            men=request.POST.get("staff_cost_men", ""),
            women=request.POST.get("staff_cost_women", ""),
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The staff costs were saved."))
    return _back(year)


urlpatterns: list[URLPattern] = [
    path("activities/", activity_list, name="activity-list"),
    path("activities/new/", activity_create, name="activity-create"),
    path("activities/<int:activity_id>/", activity_detail, name="activity-detail"),
    path("activities/<int:activity_id>/edit/", activity_edit, name="activity-edit"),
    path("activities/<int:activity_id>/participants/", participant_add, name="participant-add"),
    path(
        "activities/<int:activity_id>/participants/<int:participation_id>/remove/",
        participant_remove,
        name="participant-remove",
    ),
    path("activities/<int:activity_id>/costs/", cost_add, name="cost-add"),
    path(
        "activities/<int:activity_id>/costs/<int:line_id>/remove/",
        cost_remove,
        name="cost-remove",
    ),
    path("social-balance/", social_balance, name="social-balance"),
    path("social-balance/<int:year>/figures/<str:code>/", sb_records, name="sb-records"),
    path(
        "social-balance/<int:year>/export.<str:fmt>",
        sb_export,
        name="sb-export",
    ),
    path("social-balance/<int:year>/close/", year_close, name="year-close"),
    path("social-balance/<int:year>/reopen/", year_reopen, name="year-reopen"),
    path("social-balance/<int:year>/staff-costs/", year_staff_costs, name="year-staff-costs"),
]
