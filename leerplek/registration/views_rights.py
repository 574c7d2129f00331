"""Pages of the individual training right (belgian-rules.md §3.2, §3.3) and paid educational
leave (REG-09); see docs/registration-rights-volume.md.

- `registration:rights`: every worker in scope with his right, carry-over, days followed and
  balance for a year; totals; the FLA export (`registration:right-export`).
- `registration:right-detail`: one worker's years and the registrations counted in each; HR
  records his part-time periods here (`right-regime-add`, `right-regime-remove`).
- `registration:my-right`: a worker's own balance, made for a phone.
- `registration:right-settings`: the sector rules and the FTE and rule of each year
  (`right-rule-create`, `right-rule-edit`, `right-year-set`).
- `registration:educational-leave`: paid educational leave followed per employee.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import URLPattern, path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from leerplek.core.decorators import requires
from leerplek.core.formviews import form_page
from leerplek.core.http import OrganisationHttpRequest
from leerplek.people.models import Employee, OrgUnit
from leerplek.registration import exports_fla, selectors_rights, services_rights
from leerplek.registration.forms_rights import (
    RegimeForm,
    RightFilterForm,
    RightYearForm,
    SectorRuleForm,
    YearForm,
    chosen_year,
)
from leerplek.registration.models import EmployeeRegime, SectorRightRule
from leerplek.training.forms_leittext import put_errors

VIEW = "registration.view_rights"
MANAGE = "registration.manage_rights"
OWN = "registration.view_own_right"
PAGE_SIZE = 50
STYLESHEET = "registration/rights.css"


def _posted(request: OrganisationHttpRequest) -> Any:
    return request.POST if request.method == "POST" else None


def _unit_path(request: OrganisationHttpRequest, unit_id: int | None) -> str:
    if not unit_id:
        return ""
    unit = OrgUnit.objects.filter(organisation_id=request.organisation.pk, pk=unit_id).first()
    return unit.path if unit is not None else ""


def _worker(request: OrganisationHttpRequest, employee_id: int) -> Employee:
    """A person of this organisation (404 otherwise) whose right the user may see."""
    employee = get_object_or_404(
        Employee.objects.select_related("unit"),
        organisation_id=request.organisation.pk,
        pk=employee_id,
    )
    if not request.user.has_perm(VIEW, employee):
        raise PermissionDenied
    return employee


@requires(VIEW)
def right_list(request: OrganisationHttpRequest) -> HttpResponse:
    """All workers in scope with their right for the year; totals over all of them."""
    form = RightFilterForm(
        request.GET or None,
        organisation=request.organisation,
        access=request.access,
        initial={"year": timezone.localdate().year},
    )
    data = form.cleaned_data if form.is_valid() else {}
    year = chosen_year(form)
    listing = selectors_rights.right_list(
        access=request.access,
        organisation=request.organisation,
        year=year,
        unit_path=_unit_path(request, data.get("unit")),
        query=data.get("q") or "",
        below_only=bool(data.get("below")),
    )
    page = Paginator(listing.rows, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "registration/rights/list.html",
        {
            "form": form,
            "listing": listing,
            "setting": listing.setting,
            "page_obj": page,
            "year": year,
            "filtered": any(value for key, value in data.items() if key != "year"),
            "can_manage": request.user.has_perm(MANAGE),
            "export_query": query.urlencode(),
            "hours_per_day": selectors_rights.hours_per_day(),
            "stylesheet": STYLESHEET,
        },
    )


@requires(VIEW)
def right_export(request: OrganisationHttpRequest) -> HttpResponse:
    """The FLA fields of every worker in scope for the year (XLSX or CSV, `?format=`)."""
    form = RightFilterForm(
        request.GET or None, organisation=request.organisation, access=request.access
    )
    data = form.cleaned_data if form.is_valid() else {}
    year = chosen_year(form)
    rights, trainings = exports_fla.export_data(
        access=request.access,
        organisation=request.organisation,
        year=year,
        unit_path=_unit_path(request, data.get("unit")),
    )
    if request.GET.get("format") == "csv":
        return exports_fla.csv_file(request.organisation, rights, trainings, year)
    return exports_fla.workbook(request.organisation, rights, trainings, year)


def _detail_context(request: OrganisationHttpRequest, employee: Employee) -> dict[str, Any]:
    year = chosen_year(YearForm(request.GET or None))
    if employee.hire_date.year > year:
        year = employee.hire_date.year
    form = YearForm(request.GET or None, initial={"year": year})
    detail = selectors_rights.right_detail(
        organisation=request.organisation, employee=employee, year=year
    )
    return {
        "employee": employee,
        "detail": detail,
        "current": detail.right.current,
        "year": year,
        "form": form,
        "stylesheet": STYLESHEET,
    }


@requires(VIEW)
def right_detail(request: OrganisationHttpRequest, employee_id: int) -> HttpResponse:
    employee = _worker(request, employee_id)
    context = _detail_context(request, employee)
    context["can_manage"] = request.user.has_perm(MANAGE)
    context["regime_form"] = RegimeForm()
    return render(request, "registration/rights/detail.html", context)


@requires(OWN)
def my_right(request: OrganisationHttpRequest) -> HttpResponse:
    """The worker's own right: what he has, followed and has left this year."""
    if request.access.employee_id is None:
        raise Http404
    employee = Employee.objects.select_related("unit").get(pk=request.access.employee_id)
    context = _detail_context(request, employee)
    return render(request, "registration/rights/mine.html", context)


@require_http_methods(["GET", "POST"])
@requires(MANAGE)
def regime_add(request: OrganisationHttpRequest, employee_id: int) -> HttpResponse:
    employee = _worker(request, employee_id)
    back = reverse("registration:right-detail", kwargs={"employee_id": employee.pk})
    form = RegimeForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            services_rights.regime_add(employee=employee, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            put_errors(form, error)
        else:
            messages.success(request, _("The work regime was recorded."))
            return redirect(back)
    return form_page(
        request,
        form,
        {
            "title": _("Part-time period of %(name)s") % {"name": employee},
            "back_url": back,
            "intro": _(
                "Outside every period the person works full-time. The right is reduced pro "
                "rata for the days in a part-time period."
            ),
            "submit": _("Record"),
        },
    )


@require_POST
@requires(MANAGE)
def regime_remove(request: OrganisationHttpRequest, regime_id: int) -> HttpResponse:
    regime = get_object_or_404(
        EmployeeRegime.objects.select_related("employee", "employee__unit"),
        organisation_id=request.organisation.pk,
        pk=regime_id,
    )
    if not request.user.has_perm(MANAGE, regime.employee):
        raise PermissionDenied
    services_rights.regime_remove(regime=regime, by=request.user)
    messages.success(request, _("The work regime was removed."))
    return redirect("registration:right-detail", employee_id=regime.employee_id)


@requires(MANAGE)
def right_settings(request: OrganisationHttpRequest) -> HttpResponse:
    """The sector rules and the FTE and rule of each year, with this year's effect."""
    year = timezone.localdate().year
    return render(
        request,
        "registration/rights/settings.html",
        {
            "rules": selectors_rights.rules_of(request.organisation),
            "years": selectors_rights.right_years_of(request.organisation),
            "setting": selectors_rights.year_setting(request.organisation, year),
            "year": year,
            "stylesheet": STYLESHEET,
        },
    )


def _rule_values(form: SectorRuleForm) -> dict[str, Any]:
    return dict(form.cleaned_data)


@require_http_methods(["GET", "POST"])
@requires(MANAGE)
def rule_create(request: OrganisationHttpRequest) -> HttpResponse:
    form = SectorRuleForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            services_rights.sector_rule_create(
                organisation=request.organisation, by=request.user, **_rule_values(form)
            )
        except ValidationError as error:
            put_errors(form, error)
        else:
            messages.success(request, _("The sector rule was added."))
            return redirect("registration:right-settings")
    return form_page(
        request,
        form,
        {
            "title": _("Add a sector rule"),
            "cancel_url": "registration:right-settings",
            "intro": _(
                "A sector agreement (CAO) may set other days than the law, a growth path and a "
                "carry-over with a reset period, e.g. PC 200."
            ),
        },
    )


@require_http_methods(["GET", "POST"])
@requires(MANAGE)
def rule_edit(request: OrganisationHttpRequest, rule_id: int) -> HttpResponse:
    rule = get_object_or_404(SectorRightRule, organisation_id=request.organisation.pk, pk=rule_id)
    form = SectorRuleForm(_posted(request), initial=SectorRuleForm.initial_of(rule))
    if request.method == "POST" and form.is_valid():
        try:
            services_rights.sector_rule_update(rule=rule, by=request.user, **_rule_values(form))
        except ValidationError as error:
            put_errors(form, error)
        else:
            messages.success(request, _("The sector rule was changed."))
            return redirect("registration:right-settings")
    return form_page(
        request,
        form,
        {
            "title": _("Change %(name)s") % {"name": rule.name},
            "cancel_url": "registration:right-settings",
            "intro": _("The rights of every year using this rule are computed again."),
        },
    )


@require_http_methods(["GET", "POST"])
@requires(MANAGE)
def year_set(request: OrganisationHttpRequest) -> HttpResponse:
    year = chosen_year(YearForm(request.GET or None))
    record = next(
        (row for row in selectors_rights.right_years_of(request.organisation) if row.year == year),
        None,
    )
    initial = {
        "year": year,
        "fte": record.fte if record else None,
        "rule": record.rule if record else None,
    }
    form = RightYearForm(_posted(request), initial=initial, organisation=request.organisation)
    if request.method == "POST" and form.is_valid():
        try:
            services_rights.right_year_set(
                organisation=request.organisation, by=request.user, **form.cleaned_data
            )
        except ValidationError as error:
            put_errors(form, error)
        else:
            messages.success(
                request,
                _("The settings of %(year)s were saved.") % {"year": form.cleaned_data["year"]},
            )
            return redirect("registration:right-settings")
    return form_page(
        request,
        form,
        {
            "title": _("Company size and rule of a year"),
            "cancel_url": "registration:right-settings",
            "intro": _(
                "The company size in FTE decides the days: under 10 FTE no individual right, "
                "10 to 19 one day, 20 or more five days (from 2024), unless a sector rule says "
                "otherwise. A year without a rule of its own keeps the rule of the year before."
            ),
        },
    )


@requires(VIEW)
def educational_leave(request: OrganisationHttpRequest) -> HttpResponse:
    """Paid educational leave (betaald educatief verlof) followed per employee (REG-09)."""
    form = RightFilterForm(
        request.GET or None,
        organisation=request.organisation,
        access=request.access,
        initial={"year": timezone.localdate().year},
    )
    data = form.cleaned_data if form.is_valid() else {}
    year = chosen_year(form)
    people = selectors_rights.educational_leave(
        access=request.access,
        organisation=request.organisation,
        year=year,
        unit_path=_unit_path(request, data.get("unit")),
    )
    page = Paginator(people, PAGE_SIZE).get_page(request.GET.get("page"))
    rows = selectors_rights.leave_rows(
        organisation=request.organisation, people=list(page.object_list), year=year
    )
    return render(
        request,
        "registration/rights/leave.html",
        {"form": form, "rows": rows, "page_obj": page, "year": year, "stylesheet": STYLESHEET},
    )


urlpatterns: list[URLPattern] = [
    path("rights/", right_list, name="rights"),
    path("rights/export/", right_export, name="right-export"),
    path("rights/mine/", my_right, name="my-right"),
    path("rights/settings/", right_settings, name="right-settings"),
    path("rights/settings/year/", year_set, name="right-year-set"),
    path("rights/settings/rules/new/", rule_create, name="right-rule-create"),
    path("rights/settings/rules/<int:rule_id>/", rule_edit, name="right-rule-edit"),
    path("rights/educational-leave/", educational_leave, name="educational-leave"),
    path("rights/<int:employee_id>/", right_detail, name="right-detail"),
    path("rights/<int:employee_id>/regime/", regime_add, name="right-regime-add"),
    path("rights/regimes/<int:regime_id>/remove/", regime_remove, name="right-regime-remove"),
]
