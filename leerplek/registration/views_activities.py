"""Pages of the activities area (the activity list, page and form are the registration core's, in
`views.py`):

- `registration:import` — upload one XLSX sheet of registrations, one row per participant (a
  payroll secretariat's or sector fund's export); every problem is listed with its row and
  column and nothing is saved, or everything is (REG-01). `registration:import-template` is the
  empty workbook with an example row and a Help sheet.
- `registration:field-list`, `-create`, `-edit`, `-deactivate`, `-activate` — the organisation's
  extra fields on the registration form (REG-07).
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import URLPattern, path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_POST

from leerplek.core.decorators import requires
from leerplek.core.formviews import form_page
from leerplek.core.http import OrganisationHttpRequest
from leerplek.core.xlsx import XLSX_TYPE
from leerplek.people import imports as people_imports
from leerplek.registration import imports_activities, selectors_activities, services_activities
from leerplek.registration.forms_activities import ExtraFieldForm, ImportForm
from leerplek.registration.models import ExtraField
from leerplek.training.forms_leittext import put_errors

IMPORT = "registration.import_activities"
CONFIGURE = "registration.configure"
STYLESHEET = "registration/registration.css"


def _import_page(
    request: OrganisationHttpRequest,
    form: ImportForm,
    result: imports_activities.ImportResult | None = None,
    status: int = 200,
) -> HttpResponse:
    problems = result.problems if result is not None else []
    listed = problems[: imports_activities.MAX_PROBLEMS]
    return render(
        request,
        "registration/activities/import.html",
        {
            "form": form,
            "result": result,
            # The shared problem table pages its rows; all listed problems fit on one page.
            "page_obj": Paginator(listed, max(len(listed), 1)).get_page(1),
            "listed": len(listed),
            "job": {"problem_count": len(problems)},
            "columns": imports_activities.COLUMNS,
            "extra_fields": [
                field
                for field in selectors_activities.extra_field_list(
                    organisation=request.organisation
                )
                if field.active
            ],
            "recent": selectors_activities.import_list(organisation=request.organisation),
            "max_rows": people_imports.max_rows(),
            "max_mb": people_imports.MAX_UPLOAD_MB,
            "stylesheet": STYLESHEET,
        },
        status=status,
    )


@require_http_methods(["GET", "POST"])
@requires(IMPORT)
def activity_import(request: OrganisationHttpRequest) -> HttpResponse:
    if request.method != "POST":
        return _import_page(request, ImportForm())
    form = ImportForm(request.POST, request.FILES)
    if not form.is_valid():
        return _import_page(request, form, status=422)
    upload = form.cleaned_data["file"]
    if upload.size > imports_activities.MAX_UPLOAD_BYTES:
        form.add_error(
            "file",
            _("The file is larger than %(max)s MB. Split it into smaller files.")
            % {"max": people_imports.MAX_UPLOAD_MB},
        )
        return _import_page(request, form, status=422)
    result = imports_activities.activities_import(
        organisation=request.organisation,
        by=request.user,
        name=upload.name or "",
        content=upload.read(),
    )
    if not result.ok:
        return _import_page(request, ImportForm(), result, status=422)
    activities = ngettext("%(count)s activity", "%(count)s activities", result.activities) % {
        "count": result.activities
    }
    participations = ngettext(
        "%(count)s participation", "%(count)s participations", result.participations
    ) % {"count": result.participations}
    messages.success(
        request,
        _("%(activities)s, %(participations)s imported.")
        % {"activities": activities, "participations": participations},
    )
    return redirect("registration:import")


@requires(IMPORT)
def import_template(request: OrganisationHttpRequest) -> HttpResponse:
    response = HttpResponse(
        imports_activities.template_workbook(organisation=request.organisation),
        content_type=XLSX_TYPE,
    )
    response["Content-Disposition"] = 'attachment; filename="leerplek-registraties.xlsx"'
    return response


# --- Extra fields (REG-07) -----------------------------------------------------------------------


def _field(request: OrganisationHttpRequest, field_id: int) -> ExtraField:
    return get_object_or_404(
        ExtraField.objects.select_related("organisation"),
        organisation_id=request.organisation.pk,
        pk=field_id,
    )


@requires(CONFIGURE)
def field_list(request: OrganisationHttpRequest) -> HttpResponse:
    return render(
        request,
        "registration/activities/field_list.html",
        {
            "fields": selectors_activities.extra_field_list(organisation=request.organisation),
            "stylesheet": STYLESHEET,
        },
    )


@require_http_methods(["GET", "POST"])
@requires(CONFIGURE)
def field_create(request: OrganisationHttpRequest) -> HttpResponse:
    form = ExtraFieldForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            field = services_activities.extra_field_create(
                organisation=request.organisation, by=request.user, **form.cleaned_data
            )
        except ValidationError as error:
            put_errors(form, error)
        else:
            messages.success(
                request,
                _("%(label)s is on the registration form now.") % {"label": field.label},
            )
            return redirect("registration:field-list")
    return form_page(
        request,
        form,
        {
            "title": _("Add a field to the registration form"),
            "back_url": reverse("registration:field-list"),
            "intro": _(
                "Record what your organisation needs beside the legal data, e.g. a budget code "
                "or the sector fund's file number."
            ),
            "submit": _("Add the field"),
        },
    )


@require_http_methods(["GET", "POST"])
@requires(CONFIGURE)
def field_edit(request: OrganisationHttpRequest, field_id: int) -> HttpResponse:
    field = _field(request, field_id)
    form = ExtraFieldForm(
        request.POST if request.method == "POST" else None,
        field=field,
        initial=ExtraFieldForm.initial_of(field),
    )
    if request.method == "POST" and form.is_valid():
        values = {k: v for k, v in form.cleaned_data.items() if k not in ("key", "kind")}
        try:
            services_activities.extra_field_update(field=field, by=request.user, **values)
        except ValidationError as error:
            put_errors(form, error)
        else:
            messages.success(request, _("The field was saved."))
            return redirect("registration:field-list")
    return form_page(
        request,
        form,
        {
            "title": _("Change the field %(label)s") % {"label": field.label},
            "back_url": reverse("registration:field-list"),
            "submit": _("Save"),
        },
    )


@require_POST
@requires(CONFIGURE)
def field_deactivate(request: OrganisationHttpRequest, field_id: int) -> HttpResponse:
    field = _field(request, field_id)
    try:
        services_activities.extra_field_deactivate(field=field, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            _("%(label)s is off the form; the values already entered are kept.")
            % {"label": field.label},
        )
    return redirect("registration:field-list")


@require_POST
@requires(CONFIGURE)
def field_activate(request: OrganisationHttpRequest, field_id: int) -> HttpResponse:
    field = _field(request, field_id)
    try:
        services_activities.extra_field_update(field=field, by=request.user, active=True)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("%(label)s is back on the form.") % {"label": field.label})
    return redirect("registration:field-list")


urlpatterns: list[URLPattern] = [
    path("activities/import/", activity_import, name="import"),
    path("activities/import/template.xlsx", import_template, name="import-template"),
    path("fields/", field_list, name="field-list"),
    path("fields/new/", field_create, name="field-create"),
    path("fields/<int:field_id>/edit/", field_edit, name="field-edit"),
    path("fields/<int:field_id>/deactivate/", field_deactivate, name="field-deactivate"),
    path("fields/<int:field_id>/activate/", field_activate, name="field-activate"),
]
