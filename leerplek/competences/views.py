"""Pages for the competence catalogue, requirements, assessments, releases and the skills matrix."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from leerplek.competences import selectors, services
from leerplek.competences.forms import (
    AssessmentForm,
    CompetenceFilterForm,
    CompetenceForm,
    MatrixFilterForm,
    RequirementForm,
    RevokeForm,
    SelfAssessmentForm,
    WorkReleaseForm,
)
from leerplek.competences.matrix_cells import (
    CellRenderer,
    cell_url_template,
    matrix_cell_values,
    matrix_filters,
)
from leerplek.competences.models import AssessmentMethod, Competence, Requirement, WorkRelease
from leerplek.core.decorators import get_allowed, requires
from leerplek.core.formviews import form_page, fresh_copy, save_with
from leerplek.core.http import OrganisationHttpRequest
from leerplek.people.imports import may_import
from leerplek.people.models import Employee, OrgUnit


def _employee(request: OrganisationHttpRequest, perm: str, employee_id: int) -> Employee:
    return get_allowed(
        request,
        Employee.objects.select_related("unit", "job", "workstation", "organisation"),
        perm,
        pk=employee_id,
    )


# --- Catalogue -----------------------------------------------------------------------------------


@requires("competences.view_catalogue")
def competence_list(request: OrganisationHttpRequest) -> HttpResponse:
    form = CompetenceFilterForm(request.GET or None, organisation=request.organisation)
    query = kind = group = ""
    if form.is_valid():
        query, kind = form.cleaned_data["q"], form.cleaned_data["kind"]
        group = form.cleaned_data["group"]
    competences = selectors.competence_list(
        organisation=request.organisation, query=query, kind=kind, group=group
    )
    page = Paginator(competences, settings.LEERPLEK["PAGE_SIZE"]).get_page(request.GET.get("page"))
    return render(
        request,
        "competences/competence_list.html",
        {
            "form": form,
            "page_obj": page,
            "filtered": bool(query or kind or group),
            "can_change": request.user.has_perm("competences.change_catalogue"),
            "can_view_matrix": request.user.has_perm("competences.view_matrix"),
            "can_import": request.user.has_perm("people.import_data")
            and may_import(request.access),
            "can_export": request.user.has_perm("people.export_data"),
        },
    )


def _competence_form_page(
    request: OrganisationHttpRequest, form: CompetenceForm, title: str, cancel_url: str
) -> HttpResponse:
    status = 422 if form.is_bound and form.errors else 200
    return render(
        request,
        "competences/catalogue/competence_form.html",
        {"form": form, "title": title, "cancel_url": cancel_url},
        status=status,
    )


@require_http_methods(["GET", "POST"])
@requires("competences.change_catalogue")
def competence_create(request: OrganisationHttpRequest) -> HttpResponse:
    organisation = request.organisation
    form = CompetenceForm(
        request.POST or None,
        organisation=organisation,
        initial={"group": request.GET["group"]} if "group" in request.GET else None,
        refresh_url=request.path,
    )
    if request.method == "POST" and (
        competence := save_with(
            form,
            lambda data: services.competence_create(
                organisation=organisation, by=request.user, **data
            ),
        )
    ):
        messages.success(request, _("The competence %(name)s was added.") % {"name": competence})
        return redirect("competences:competence-detail", competence_id=competence.pk)
    return _competence_form_page(
        request, form, _("New competence"), reverse("competences:competence-list")
    )


@requires("competences.view_catalogue")
def competence_detail(request: OrganisationHttpRequest, competence_id: int) -> HttpResponse:
    competence = get_allowed(
        request,
        Competence.objects.select_related("group__scale", "organisation"),
        "competences.view_catalogue",
        pk=competence_id,
    )
    can_view_holders = request.user.has_perm("competences.view_matrix")
    scale = services.scale_for(competence)
    texts = competence.level_texts or {}
    return render(
        request,
        "competences/competence_detail.html",
        {
            "competence": competence,
            "scale": scale,
            "level_texts": [
                (level, texts.get(level.code, "")) for level in scale.levels.order_by("rank")
            ],
            "requirements": selectors.competence_requirements(competence=competence),
            "holders": selectors.competence_holders(competence=competence, access=request.access)
            if can_view_holders
            else None,
            "can_change": request.user.has_perm("competences.change_catalogue", competence),
        },
    )


@require_http_methods(["GET", "POST"])
@requires("competences.change_catalogue")
def competence_edit(request: OrganisationHttpRequest, competence_id: int) -> HttpResponse:
    competence = get_allowed(
        request, Competence.objects.all(), "competences.change_catalogue", pk=competence_id
    )
    form = CompetenceForm(
        request.POST or None,
        instance=fresh_copy(competence),
        organisation=request.organisation,
        initial={"group": request.GET["group"]} if "group" in request.GET else None,
        refresh_url=request.path,
    )
    if request.method == "POST" and save_with(
        form,
        lambda data: services.competence_update(competence=competence, by=request.user, **data),
    ):
        messages.success(request, _("The competence was saved."))
        return redirect("competences:competence-detail", competence_id=competence.pk)
    return _competence_form_page(
        request,
        form,
        _("Edit competence %(name)s") % {"name": competence.name},
        reverse("competences:competence-detail", args=[competence.pk]),
    )


@require_http_methods(["GET", "POST"])
@requires("competences.change_catalogue")
def requirement_add(request: OrganisationHttpRequest, competence_id: int) -> HttpResponse:
    competence = get_allowed(
        request,
        Competence.objects.select_related("organisation"),
        "competences.change_catalogue",
        pk=competence_id,
    )
    scale = services.scale_for(competence)
    form = RequirementForm(request.POST or None, organisation=request.organisation, scale=scale)
    if request.method == "POST" and save_with(
        form,
        lambda data: services.requirement_set(competence=competence, by=request.user, **data),
    ):
        messages.success(request, _("The requirement was saved."))
        return redirect("competences:competence-detail", competence_id=competence.pk)
    return form_page(
        request,
        form,
        {
            "title": _("Requirement for %(name)s") % {"name": competence.name},
            "cancel_url": "competences:competence-list",
            "intro": _(
                "Which function or workstation needs this competence, at which level, how many "
                "people should hold it at U or higher and how many of them should be able to "
                "teach it (O). Saving an existing pair changes it."
            ),
        },
    )


@require_http_methods(["GET", "POST"])
@requires("competences.change_catalogue")
def requirement_remove(request: OrganisationHttpRequest, requirement_id: int) -> HttpResponse:
    requirement = get_allowed(
        request,
        Requirement.objects.select_related("competence", "job", "workstation", "level"),
        "competences.change_catalogue",
        pk=requirement_id,
    )
    if request.method == "POST":
        services.requirement_remove(requirement=requirement, by=request.user)
        messages.success(request, _("The requirement was removed."))
        return redirect("competences:competence-detail", competence_id=requirement.competence_id)
    return render(request, "competences/requirement_remove.html", {"requirement": requirement})


# --- A person's competences ----------------------------------------------------------------------


@requires("competences.view_matrix")
def employee_competences(request: OrganisationHttpRequest, employee_id: int) -> HttpResponse:
    employee = _employee(request, "competences.view_matrix", employee_id)
    can_release = request.user.has_perm("competences.release_employee", employee) and (
        employee.pk != request.access.employee_id
    )
    return render(
        request,
        "competences/employee_competences.html",
        {
            "employee": employee,
            "profile": selectors.employee_competences(employee=employee),
            "is_own": False,
            "can_assess": request.user.has_perm("competences.assess_employee", employee)
            and employee.pk != request.access.employee_id,
            "can_release": can_release,
            "release_url": f"{reverse('competences:work-release-create')}?employee={employee.pk}"
            if can_release
            else None,
        },
    )


@require_http_methods(["GET", "POST"])
@requires("competences.assess_employee")
def assessment_create(request: OrganisationHttpRequest, employee_id: int) -> HttpResponse:
    employee = _employee(request, "competences.assess_employee", employee_id)
    initial: dict[str, Any] = {"assessor": request.access.employee_id}
    if competence_id := request.GET.get("competence"):
        initial["competence"] = competence_id
    form = AssessmentForm(
        request.POST or None,
        request.FILES or None,
        organisation=request.organisation,
        initial=initial,
    )
    if request.method == "POST" and save_with(
        form,
        lambda data: services.assessment_record(employee=employee, by=request.user, **data),
    ):
        messages.success(request, _("The assessment of %(name)s was saved.") % {"name": employee})
        return redirect("competences:employee-competences", employee_id=employee.pk)
    return form_page(
        request,
        form,
        {
            "title": _("Assess %(name)s") % {"name": employee},
            "cancel_url": "competences:matrix",
            "intro": _(
                "Each assessment is kept: the newest official one is the current level. "
                "Nobody assesses his own level."
            ),
        },
    )


def _release_scope(request: OrganisationHttpRequest, prefix: str = "") -> Any:
    """People the user may release: his scope as manager or administrator, never himself."""
    from leerplek.core.permissions import PERMISSIONS

    roles = PERMISSIONS["competences.release_employee"].roles
    scope = request.access.employee_scope_q(roles, prefix=prefix)
    own = {f"{prefix}pk": request.access.employee_id}
    return scope, own


@require_http_methods(["GET", "POST"])
@requires("competences.release_employee")
def work_release_create(request: OrganisationHttpRequest) -> HttpResponse:
    scope, own = _release_scope(request)
    people = (
        Employee.objects.active()
        .filter(scope)
        .exclude(**own)
        .select_related("unit", "organisation")
    )
    initial = {"employee": request.GET.get("employee")} if request.GET.get("employee") else {}
    form = WorkReleaseForm(
        request.POST or None, organisation=request.organisation, people=people, initial=initial
    )
    if request.method == "POST" and (
        release := save_with(
            form,
            lambda data: services.work_release_grant(by=request.user, **data),
        )
    ):
        messages.success(
            request, _("%(name)s is released to work alone.") % {"name": release.employee}
        )
        return redirect("competences:employee-competences", employee_id=release.employee_id)
    return form_page(
        request,
        form,
        {
            "title": _("Release to work alone"),
            "cancel_url": "competences:matrix",
            "intro": _(
                "Your dated decision that this person may work alone at the workstation. "
                "The matrix marks people who are not released."
            ),
        },
    )


@require_http_methods(["GET", "POST"])
@requires("competences.release_employee")
def work_release_revoke(request: OrganisationHttpRequest) -> HttpResponse:
    scope, own = _release_scope(request, prefix="employee__")
    releases = (
        WorkRelease.objects.filter(revoked_on__isnull=True)
        .filter(scope)
        .exclude(**own)
        .select_related("employee", "workstation")
        .order_by("employee__last_name", "workstation__name")
    )
    initial = {"release": request.GET.get("release")} if request.GET.get("release") else {}
    form = RevokeForm(request.POST or None, releases=releases, initial=initial)
    if request.method == "POST" and (
        release := save_with(
            form,
            lambda data: services.work_release_revoke(
                release=data["release"], by=request.user, revoked_on=data["revoked_on"]
            ),
        )
    ):
        messages.success(request, _("The release to work alone was revoked."))
        return redirect("competences:employee-competences", employee_id=release.employee_id)
    return form_page(
        request,
        form,
        {"title": _("Revoke a release to work alone"), "cancel_url": "competences:matrix"},
    )


# --- My own competences --------------------------------------------------------------------------


def _me(request: OrganisationHttpRequest) -> Employee:
    employee_id = request.access.employee_id
    if employee_id is None:
        raise Http404
    return Employee.objects.select_related("unit", "job", "workstation", "organisation").get(
        pk=employee_id
    )


@requires("competences.self_assess")
def my_competences(request: OrganisationHttpRequest) -> HttpResponse:
    employee = _me(request)
    return render(
        request,
        "competences/employee_competences.html",
        {
            "employee": employee,
            "profile": selectors.employee_competences(employee=employee),
            "is_own": True,
            "can_assess": False,
            "can_release": False,
        },
    )


@require_http_methods(["GET", "POST"])
@requires("competences.self_assess")
def self_assessment_create(request: OrganisationHttpRequest) -> HttpResponse:
    employee = _me(request)
    form = SelfAssessmentForm(
        request.POST or None, request.FILES or None, organisation=request.organisation
    )
    if request.method == "POST" and save_with(
        form,
        lambda data: services.assessment_record(
            employee=employee,
            by=request.user,
            method=AssessmentMethod.SELF_ASSESSMENT,
            assessed_on=timezone.localdate(),
            **data,
        ),
    ):
        messages.success(request, _("Your self-assessment was saved."))
        return redirect("competences:my-competences")
    return form_page(
        request,
        form,
        {
            "title": _("Assess myself"),
            "cancel_url": "competences:my-competences",
            "intro": _(
                "Your manager sees your own view next to the official level and can discuss it "
                "with you."
            ),
        },
    )


# --- The matrix ----------------------------------------------------------------------------------


@requires("competences.view_matrix")
def matrix(request: OrganisationHttpRequest) -> HttpResponse:
    choices = selectors.matrix_unit_choices(
        organisation=request.organisation, access=request.access
    )
    lists = {
        "choices": choices,
        "workstations": selectors.matrix_workstation_choices(organisation=request.organisation),
        "groups": selectors.matrix_group_choices(organisation=request.organisation),
    }
    form = MatrixFilterForm(request.GET or None, **lists)
    unit_id = None
    filters = selectors.MatrixFilters()
    if form.is_bound:
        # A unit outside the viewer's scope is not a choice: the form says so, no matrix.
        if form.is_valid():
            unit_id = form.cleaned_data["unit"]
            filters = matrix_filters(request.GET, request.organisation)
    elif choices:
        unit_id = choices[0][0]
        form = MatrixFilterForm(initial={"unit": unit_id}, **lists)
    data = None
    if unit_id is not None:
        unit = get_allowed(request, OrgUnit.objects.all(), "competences.view_matrix", pk=unit_id)
        data = selectors.matrix_for_unit(unit=unit, access=request.access, filters=filters)
    head = foot = tbody = ""
    editable = False
    if data:
        me, user = request.access.employee_id, request.user

        def can_assess(employee: Employee) -> bool:
            # Role scopes are loaded: asking who the viewer may assess costs no query per row.
            return employee.pk != me and user.has_perm("competences.assess_employee", employee)

        renderer = CellRenderer()
        head, foot = renderer.head(data), renderer.foot(data)
        tbody = renderer.rows(data, can_assess)
        editable = renderer.editable
    return render(
        request,
        "competences/matrix.html",
        {
            "form": form,
            "matrix": data,
            "head": head,
            "foot": foot,
            "tbody": tbody,
            "editable": editable,
            "cell_url": cell_url_template(),
            "query": request.GET.urlencode(),
            "cell_values": matrix_cell_values(filters),
            "expiry_days": selectors.expiry_warning_days(),
            "can_change_catalogue": request.user.has_perm("competences.change_catalogue"),
        },
    )


urlpatterns = [
    path("", competence_list, name="competence-list"),
    path("new/", competence_create, name="competence-create"),
    path("<int:competence_id>/", competence_detail, name="competence-detail"),
    path("<int:competence_id>/edit/", competence_edit, name="competence-edit"),
    path("<int:competence_id>/requirements/new/", requirement_add, name="requirement-add"),
    path(
        "requirements/<int:requirement_id>/remove/", requirement_remove, name="requirement-remove"
    ),
    path("matrix/", matrix, name="matrix"),
    path("people/<int:employee_id>/", employee_competences, name="employee-competences"),
    path("people/<int:employee_id>/assess/", assessment_create, name="assessment-create"),
    path("releases/new/", work_release_create, name="work-release-create"),
    path("releases/revoke/", work_release_revoke, name="work-release-revoke"),
    path("mine/", my_competences, name="my-competences"),
    path("mine/assess/", self_assessment_create, name="self-assessment-create"),
]
