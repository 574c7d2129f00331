"""Pages for the organisation profile, units, functions, workstations and people."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from leerplek.core.decorators import get_allowed, requires
from leerplek.core.formviews import form_page, fresh_copy, save_with
from leerplek.core.http import OrganisationHttpRequest
from leerplek.people import selectors, services
from leerplek.people.forms import (
    AssignJobForm,
    EmployeeCreateForm,
    EmployeeForm,
    JobForm,
    OrganisationForm,
    PeopleFilterForm,
    SearchForm,
    UnitForm,
    WorkstationForm,
)
from leerplek.people.models import Employee, Job, OrgUnit, Workstation

# --- Organisation --------------------------------------------------------------------------------


@requires("people.view_organisation")
def organisation_detail(request: OrganisationHttpRequest) -> HttpResponse:
    organisation = request.organisation
    return render(
        request,
        "people/organisation_detail.html",
        {
            "organisation": organisation,
            "headcount": selectors.organisation_headcount(organisation=organisation),
            "can_change": request.user.has_perm("people.change_organisation", organisation),
        },
    )


@require_http_methods(["GET", "POST"])
@requires("people.change_organisation")
def organisation_edit(request: OrganisationHttpRequest) -> HttpResponse:
    organisation = request.organisation
    form = OrganisationForm(request.POST or None, instance=fresh_copy(organisation))
    if request.method == "POST" and save_with(
        form,
        lambda data: services.organisation_update(
            organisation=organisation, by=request.user, **data
        ),
    ):
        messages.success(request, _("The organisation profile was saved."))
        return redirect("people:organisation")
    return form_page(
        request,
        form,
        {"title": _("Edit organisation profile"), "cancel_url": "people:organisation"},
    )


# --- Units ---------------------------------------------------------------------------------------


@requires("people.view_unit")
def unit_list(request: OrganisationHttpRequest) -> HttpResponse:
    organisation = request.organisation
    return render(
        request,
        "people/unit_list.html",
        {
            "tree": selectors.unit_tree(organisation=organisation),
            "can_change": request.user.has_perm("people.change_unit"),
        },
    )


@requires("people.view_unit")
def unit_detail(request: OrganisationHttpRequest, unit_id: int) -> HttpResponse:
    unit = get_allowed(
        request, OrgUnit.objects.select_related("leader", "parent"), "people.view_unit", pk=unit_id
    )
    detail = selectors.unit_detail(unit=unit, access=request.access)
    return render(
        request,
        "people/unit_detail.html",
        {
            "detail": detail,
            "unit": unit,
            "can_change": request.user.has_perm("people.change_unit", unit),
            "can_view_people": request.user.has_perm("people.list_employees"),
        },
    )


@require_http_methods(["GET", "POST"])
@requires("people.change_unit")
def unit_create(request: OrganisationHttpRequest) -> HttpResponse:
    organisation = request.organisation
    initial = {}
    if parent_id := request.GET.get("parent"):
        initial["parent"] = parent_id
    form = UnitForm(request.POST or None, organisation=organisation, initial=initial)
    if request.method == "POST" and (
        unit := save_with(
            form,
            lambda data: services.unit_create(organisation=organisation, by=request.user, **data),
        )
    ):
        messages.success(request, _("The unit %(name)s was added.") % {"name": unit})
        return redirect("people:unit-detail", unit_id=unit.pk)
    return form_page(request, form, {"title": _("New unit"), "cancel_url": "people:unit-list"})


@require_http_methods(["GET", "POST"])
@requires("people.change_unit")
def unit_edit(request: OrganisationHttpRequest, unit_id: int) -> HttpResponse:
    unit = get_allowed(request, OrgUnit.objects.all(), "people.change_unit", pk=unit_id)
    form = UnitForm(
        request.POST or None, instance=fresh_copy(unit), organisation=request.organisation
    )
    if request.method == "POST" and save_with(
        form, lambda data: services.unit_update(unit=unit, by=request.user, **data)
    ):
        messages.success(request, _("The unit was saved."))
        return redirect("people:unit-detail", unit_id=unit.pk)
    return form_page(
        request,
        form,
        {"title": _("Edit unit %(name)s") % {"name": unit.name}, "cancel_url": "people:unit-list"},
    )


# --- Functions -----------------------------------------------------------------------------------


@requires("people.view_job")
def job_list(request: OrganisationHttpRequest) -> HttpResponse:
    search = SearchForm(request.GET or None)
    query = search.cleaned_data["q"] if search.is_valid() else ""
    jobs = selectors.job_list(organisation=request.organisation, query=query)
    page = Paginator(jobs, settings.LEERPLEK["PAGE_SIZE"]).get_page(request.GET.get("page"))
    return render(
        request,
        "people/job_list.html",
        {
            "search": search,
            "page_obj": page,
            "query": query,
            "can_change": request.user.has_perm("people.change_job"),
        },
    )


@requires("people.view_job")
def job_detail(request: OrganisationHttpRequest, job_id: int) -> HttpResponse:
    job = get_allowed(request, Job.objects.all(), "people.view_job", pk=job_id)
    return render(
        request,
        "people/job_detail.html",
        {
            "job": job,
            "tasks": list(job.tasks.all()),
            "people": selectors.job_detail_people(job=job, access=request.access)
            if request.user.has_perm("people.list_employees")
            else None,
            "can_change": request.user.has_perm("people.change_job", job),
        },
    )


def _job_values(data: dict[str, Any]) -> tuple[dict[str, Any], Any]:
    values = dict(data)
    return values, values.pop("tasks")


@require_http_methods(["GET", "POST"])
@requires("people.change_job")
def job_create(request: OrganisationHttpRequest) -> HttpResponse:
    organisation = request.organisation
    form = JobForm(request.POST or None, organisation=organisation)

    def write(data: dict[str, Any]) -> Job:
        values, tasks = _job_values(data)
        return services.job_create(
            organisation=organisation, by=request.user, tasks=tasks, **values
        )

    if request.method == "POST" and (job := save_with(form, write)):
        messages.success(request, _("The function %(name)s was added.") % {"name": job})
        return redirect("people:job-detail", job_id=job.pk)
    return form_page(request, form, {"title": _("New function"), "cancel_url": "people:job-list"})


@require_http_methods(["GET", "POST"])
@requires("people.change_job")
def job_edit(request: OrganisationHttpRequest, job_id: int) -> HttpResponse:
    job = get_allowed(request, Job.objects.all(), "people.change_job", pk=job_id)
    form = JobForm(
        request.POST or None, instance=fresh_copy(job), organisation=request.organisation
    )

    def write(data: dict[str, Any]) -> Job:
        values, tasks = _job_values(data)
        return services.job_update(job=job, by=request.user, tasks=tasks, **values)

    if request.method == "POST" and save_with(form, write):
        messages.success(request, _("The function was saved."))
        return redirect("people:job-detail", job_id=job.pk)
    return form_page(
        request,
        form,
        {
            "title": _("Edit function %(name)s") % {"name": job.name},
            "cancel_url": "people:job-list",
        },
    )


# --- Workstations --------------------------------------------------------------------------------


@requires("people.view_workstation")
def workstation_list(request: OrganisationHttpRequest) -> HttpResponse:
    search = SearchForm(request.GET or None)
    query = search.cleaned_data["q"] if search.is_valid() else ""
    stations = selectors.workstation_list(organisation=request.organisation, query=query)
    page = Paginator(stations, settings.LEERPLEK["PAGE_SIZE"]).get_page(request.GET.get("page"))
    return render(
        request,
        "people/workstation_list.html",
        {
            "search": search,
            "page_obj": page,
            "query": query,
            "can_change": request.user.has_perm("people.change_workstation"),
        },
    )


@require_http_methods(["GET", "POST"])
@requires("people.change_workstation")
def workstation_create(request: OrganisationHttpRequest) -> HttpResponse:
    organisation = request.organisation
    form = WorkstationForm(request.POST or None, organisation=organisation)
    if request.method == "POST" and save_with(
        form,
        lambda data: services.workstation_create(
            organisation=organisation, by=request.user, **data
        ),
    ):
        messages.success(request, _("The workstation was added."))
        return redirect("people:workstation-list")
    return form_page(
        request, form, {"title": _("New workstation"), "cancel_url": "people:workstation-list"}
    )


@require_http_methods(["GET", "POST"])
@requires("people.change_workstation")
def workstation_edit(request: OrganisationHttpRequest, workstation_id: int) -> HttpResponse:
    station = get_allowed(
        request,
        Workstation.objects.select_related("unit"),
        "people.change_workstation",
        pk=workstation_id,
    )
    form = WorkstationForm(
        request.POST or None, instance=fresh_copy(station), organisation=request.organisation
    )
    if request.method == "POST" and save_with(
        form, lambda data: services.workstation_update(workstation=station, by=request.user, **data)
    ):
        messages.success(request, _("The workstation was saved."))
        return redirect("people:workstation-list")
    return form_page(
        request,
        form,
        {
            "title": _("Edit workstation %(name)s") % {"name": station.name},
            "cancel_url": "people:workstation-list",
        },
    )


# --- People --------------------------------------------------------------------------------------


@requires("people.list_employees")
def employee_list(request: OrganisationHttpRequest) -> HttpResponse:
    organisation = request.organisation
    form = PeopleFilterForm(request.GET or None, organisation=organisation)
    filters = selectors.PeopleFilter()
    if form.is_valid():
        data = form.cleaned_data
        filters = selectors.PeopleFilter(
            query=data["q"],
            unit=data["unit"],
            person_type=data["type"],
            job=data["job"],
            status=data["status"] or "active",
        )
    people = selectors.employee_list(access=request.access, filters=filters)
    page = Paginator(people, settings.LEERPLEK["PAGE_SIZE"]).get_page(request.GET.get("page"))
    return render(
        request,
        "people/employee_list.html",
        {
            "form": form,
            "page_obj": page,
            "filtered": form.is_valid()
            and any(form.cleaned_data.get(k) for k in ("q", "unit", "type", "job")),
            "can_change": request.user.has_perm("people.change_employee"),
            "can_export": request.user.has_perm("people.export_data"),
            "can_import": request.user.has_perm("people.import_data"),
        },
    )


def _employee_queryset() -> Any:
    return Employee.objects.select_related(
        "unit", "job", "manager", "workstation", "user", "organisation"
    )


@requires("people.view_employee")
def employee_detail(request: OrganisationHttpRequest, employee_id: int) -> HttpResponse:
    employee = get_allowed(request, _employee_queryset(), "people.view_employee", pk=employee_id)
    return render(
        request,
        "people/employee_detail.html",
        {
            "detail": selectors.employee_detail(employee=employee, access=request.access),
            "employee": employee,
            "can_change": request.user.has_perm("people.change_employee", employee),
            "can_list": request.user.has_perm("people.list_employees"),
        },
    )


@require_http_methods(["GET", "POST"])
@requires("people.change_employee")
def employee_create(request: OrganisationHttpRequest) -> HttpResponse:
    organisation = request.organisation
    form = EmployeeCreateForm(request.POST or None, organisation=organisation)
    if request.method == "POST" and (
        employee := save_with(
            form,
            lambda data: services.employee_create(
                organisation=organisation, by=request.user, **data
            ),
        )
    ):
        messages.success(
            request, _("%(name)s was added to the people register.") % {"name": employee}
        )
        return redirect("people:employee-detail", employee_id=employee.pk)
    return form_page(
        request, form, {"title": _("New person"), "cancel_url": "people:employee-list"}
    )


@require_http_methods(["GET", "POST"])
@requires("people.change_employee")
def employee_edit(request: OrganisationHttpRequest, employee_id: int) -> HttpResponse:
    employee = get_allowed(request, _employee_queryset(), "people.change_employee", pk=employee_id)
    form = EmployeeForm(
        request.POST or None, instance=fresh_copy(employee), organisation=request.organisation
    )
    if request.method == "POST" and save_with(
        form, lambda data: services.employee_update(employee=employee, by=request.user, **data)
    ):
        messages.success(request, _("The changes were saved."))
        return redirect("people:employee-detail", employee_id=employee.pk)
    return form_page(
        request,
        form,
        {
            "title": _("Edit %(name)s") % {"name": employee},
            "cancel_url": "people:employee-list",
        },
    )


@require_http_methods(["GET", "POST"])
@requires("people.change_employee")
def employee_assign_job(request: OrganisationHttpRequest, employee_id: int) -> HttpResponse:
    employee = get_allowed(request, _employee_queryset(), "people.change_employee", pk=employee_id)
    form = AssignJobForm(request.POST or None, organisation=request.organisation)
    if request.method == "POST" and save_with(
        form,
        lambda data: services.employee_assign_job(employee=employee, by=request.user, **data),
    ):
        messages.success(request, _("The new function was recorded."))
        return redirect("people:employee-detail", employee_id=employee.pk)
    return form_page(
        request,
        form,
        {
            "title": _("Change the function of %(name)s") % {"name": employee},
            "cancel_url": "people:employee-list",
            "intro": _(
                "The current function ends the day before the new one starts; the history is kept."
            ),
        },
    )


# --- Aggregates ----------------------------------------------------------------------------------


@requires("people.view_aggregates")
def aggregates(request: OrganisationHttpRequest) -> HttpResponse:
    if not request.user.has_perm("people.view_aggregates", request.organisation):
        raise PermissionDenied
    data = selectors.people_aggregates(
        organisation=request.organisation, min_group=settings.LEERPLEK["MIN_GROUP_SIZE"]
    )
    return render(request, "people/aggregates.html", {"data": data})


urlpatterns = [
    path("organisation/", organisation_detail, name="organisation"),
    path("organisation/edit/", organisation_edit, name="organisation-edit"),
    path("units/", unit_list, name="unit-list"),
    path("units/new/", unit_create, name="unit-create"),
    path("units/<int:unit_id>/", unit_detail, name="unit-detail"),
    path("units/<int:unit_id>/edit/", unit_edit, name="unit-edit"),
    path("functions/", job_list, name="job-list"),
    path("functions/new/", job_create, name="job-create"),
    path("functions/<int:job_id>/", job_detail, name="job-detail"),
    path("functions/<int:job_id>/edit/", job_edit, name="job-edit"),
    path("workstations/", workstation_list, name="workstation-list"),
    path("workstations/new/", workstation_create, name="workstation-create"),
    path("workstations/<int:workstation_id>/edit/", workstation_edit, name="workstation-edit"),
    path("", employee_list, name="employee-list"),
    path("new/", employee_create, name="employee-create"),
    path("<int:employee_id>/", employee_detail, name="employee-detail"),
    path("<int:employee_id>/edit/", employee_edit, name="employee-edit"),
    path("<int:employee_id>/function/", employee_assign_job, name="employee-assign-job"),
    path("figures/", aggregates, name="aggregates"),
]
