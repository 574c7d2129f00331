"""Import and export of units, functions and people (see docs/import.md).

Upload → validation page (every problem, or a preview with a Confirm button) → the import runs
(in the request, or in a background thread with a polled progress fragment) → result.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path, reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from leerplek.core.decorators import get_allowed, requires
from leerplek.core.htmx import hx_redirect, is_htmx
from leerplek.core.http import OrganisationHttpRequest
from leerplek.people import imports
from leerplek.people.import_forms import ImportUploadForm
from leerplek.people.models import ImportJob, ImportKind, ImportStatus

PROBLEMS_PER_PAGE = 200
STATUS_TONES = {
    ImportStatus.INVALID: "bad",
    ImportStatus.READY: "neutral",
    ImportStatus.QUEUED: "warn",
    ImportStatus.RUNNING: "warn",
    ImportStatus.DONE: "ok",
    ImportStatus.FAILED: "bad",
}


def _kind(kind: str) -> str:
    if kind not in imports.COLUMNS:
        raise Http404
    return kind


def _check_whole_organisation(request: OrganisationHttpRequest) -> None:
    # An import may touch any record of the organisation; a unit-scoped grant is not enough.
    if not imports.may_import(request.access):
        raise PermissionDenied


def _import_job(request: OrganisationHttpRequest, import_id: int) -> ImportJob:
    _check_whole_organisation(request)
    return get_allowed(
        request,
        # A matrix import (its own pages in competences) is not a job of these pages.
        ImportJob.objects.filter(kind__in=list(imports.COLUMNS))
        .select_related("created_by")
        .defer("data"),
        "people.import_data",
        pk=import_id,
    )


@require_http_methods(["GET", "POST"])
@requires("people.import_data")
def import_upload(request: OrganisationHttpRequest) -> HttpResponse:
    _check_whole_organisation(request)
    form = ImportUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        job = imports.import_job_create(
            organisation=request.organisation,
            by=request.user,
            kind=form.cleaned_data["kind"],
            name=upload.name or "",
            content=upload.read(),
        )
        return redirect("people:import-detail", import_id=job.pk)
    kinds = [
        {
            "value": value,
            "label": label,
            "xlsx": reverse("people:import-template", kwargs={"kind": value}),
            "csv": reverse("people:import-template", kwargs={"kind": value}) + "?format=csv",
            "export": reverse("people:export", kwargs={"kind": value}),
        }
        for value, label in ImportKind.choices
        if value in imports.COLUMNS
    ]
    return render(
        request,
        "people/import_upload.html",
        {
            "form": form,
            "kinds": kinds,
            "can_export": request.user.has_perm("people.export_data"),
            "recent": [
                {"job": job, "tone": STATUS_TONES[ImportStatus(job.status)]}
                for job in imports.import_job_list(organisation=request.organisation)
            ],
        },
        status=422 if form.errors else 200,
    )


@require_http_methods(["GET"])
@requires("people.import_data")
def import_template(request: OrganisationHttpRequest, kind: str) -> HttpResponse:
    kind = _kind(kind)
    if request.GET.get("format") == "csv":
        response = HttpResponse(imports.template_csv(kind=kind), content_type="text/csv")
        response["Content-Disposition"] = f'attachment; filename="leerplek-{kind}.csv"'
        return response
    response = HttpResponse(imports.template_workbook(kind=kind), content_type=imports.XLSX_TYPE)
    response["Content-Disposition"] = f'attachment; filename="leerplek-{kind}.xlsx"'
    return response


@require_http_methods(["GET"])
@requires("people.import_data")
def import_detail(request: OrganisationHttpRequest, import_id: int) -> HttpResponse:
    job = _import_job(request, import_id)
    context: dict[str, object] = {
        "job": job,
        "tone": STATUS_TONES[ImportStatus(job.status)],
        "stale": imports.import_is_stale(job),
    }
    if job.status == ImportStatus.INVALID:
        problems = imports.import_problems(job)
        page = Paginator(problems, PROBLEMS_PER_PAGE).get_page(request.GET.get("page"))
        context |= {
            "page_obj": page,
            "rows_with_problems": len({problem.row for problem in problems}),
            "listed": len(problems),
        }
    if job.is_active:
        context["progress"] = imports.import_progress(job)
    return render(request, "people/import_detail.html", context)


@require_POST
@requires("people.import_data")
def import_confirm(request: OrganisationHttpRequest, import_id: int) -> HttpResponse:
    job = _import_job(request, import_id)
    try:
        imports.import_job_confirm(job=job, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect("people:import-detail", import_id=job.pk)


@require_http_methods(["GET"])
@requires("people.import_data")
def import_status(request: OrganisationHttpRequest, import_id: int) -> HttpResponse:
    """The progress fragment that the detail page polls while an import runs."""
    job = _import_job(request, import_id)
    if not job.is_active and is_htmx(request):
        # Finished: reload the page, which shows the result or the problems.
        return hx_redirect(HttpResponse(), reverse("people:import-detail", args=[job.pk]))
    return render(
        request,
        "people/partials/import_status.html",
        {
            "job": job,
            "progress": imports.import_progress(job),
            "stale": imports.import_is_stale(job),
        },
    )


@require_http_methods(["GET"])
@requires("people.export_data")
def export(request: OrganisationHttpRequest, kind: str) -> HttpResponse:
    kind = _kind(kind)
    content = imports.export_workbook(kind=kind, access=request.access)
    day = timezone.localdate().isoformat()
    name = f"{kind}-{request.organisation.slug}-{day}.xlsx"
    response = HttpResponse(content, content_type=imports.XLSX_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


urlpatterns: list[URLPattern] = [
    path("import/", import_upload, name="import"),
    path("import/template/<str:kind>/", import_template, name="import-template"),
    path("import/<int:import_id>/", import_detail, name="import-detail"),
    path("import/<int:import_id>/confirm/", import_confirm, name="import-confirm"),
    path("import/<int:import_id>/status/", import_status, name="import-status"),
    path("export/<str:kind>/", export, name="export"),
]
