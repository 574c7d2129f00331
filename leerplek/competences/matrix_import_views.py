"""Import an existing skills matrix from Excel or CSV (see docs/competences.md).

Upload → the job's page: the mapping (prefilled with a guess), the preview or the problems →
confirm → the levels are recorded and the matrix shows them.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path
from django.utils.translation import gettext, ngettext
from django.views.decorators.http import require_http_methods, require_POST

from leerplek.competences import matrix_import
from leerplek.competences.matrix_import_forms import MatrixMappingForm, MatrixUploadForm
from leerplek.core.decorators import get_allowed, requires
from leerplek.core.http import OrganisationHttpRequest
from leerplek.people import imports
from leerplek.people.import_views import STATUS_TONES
from leerplek.people.models import ImportJob, ImportKind, ImportStatus

PERM = "competences.import_matrix"
PROBLEMS_PER_PAGE = 200


def _check_whole_organisation(request: OrganisationHttpRequest) -> None:
    # An import records levels of anyone in the organisation; a unit-scoped grant is not enough.
    if not imports.may_import(request.access):
        raise PermissionDenied


def _job(request: OrganisationHttpRequest, matrix_import_id: int) -> ImportJob:
    """A matrix import of this organisation; another organisation's or another kind's is a 404."""
    _check_whole_organisation(request)
    return get_allowed(
        request,
        ImportJob.objects.filter(kind=ImportKind.MATRIX).select_related(
            "created_by", "organisation"
        ),
        PERM,
        pk=matrix_import_id,
    )


@require_http_methods(["GET", "POST"])
@requires(PERM)
def matrix_import_upload(request: OrganisationHttpRequest) -> HttpResponse:
    _check_whole_organisation(request)
    form = MatrixUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        job = matrix_import.matrix_import_create(
            organisation=request.organisation,
            by=request.user,
            access=request.access,
            name=upload.name or "",
            content=upload.read(),
        )
        return redirect("competences:matrix-import-detail", matrix_import_id=job.pk)
    recent = [
        {"job": job, "tone": STATUS_TONES[ImportStatus(job.status)]}
        for job in matrix_import.matrix_import_list(organisation=request.organisation)
    ]
    return render(
        request,
        "competences/matrix_import_upload.html",
        {"form": form, "recent": recent},
        status=422 if form.errors else 200,
    )


@require_http_methods(["GET", "POST"])
@requires(PERM)
def matrix_import_detail(request: OrganisationHttpRequest, matrix_import_id: int) -> HttpResponse:
    """The job's page: the mapping form, then the preview or the problems (POST: a new mapping)."""
    job = _job(request, matrix_import_id)
    changeable = job.status in (ImportStatus.INVALID, ImportStatus.READY) and bool(
        job.data.get("rows")
    )
    form = None
    if changeable:
        form = MatrixMappingForm(
            request.POST if request.method == "POST" else None,
            grid=matrix_import._grid_of(job),
            mapping=matrix_import.Mapping.from_json(job.data["mapping"]),
            organisation=request.organisation,
        )
        if request.method == "POST" and form.is_valid():
            matrix_import.matrix_import_remap(
                job=job, by=request.user, access=request.access, mapping=form.to_mapping()
            )
            return redirect("competences:matrix-import-detail", matrix_import_id=job.pk)
    elif request.method == "POST":
        messages.error(request, gettext("This import can no longer be changed."))
        return redirect("competences:matrix-import-detail", matrix_import_id=job.pk)
    problems = matrix_import.matrix_import_problems(job)
    page = Paginator(problems, PROBLEMS_PER_PAGE).get_page(request.GET.get("page"))
    summary = job.data.get("summary") or {}
    return render(
        request,
        "competences/matrix_import_detail.html",
        {
            "job": job,
            "tone": STATUS_TONES[ImportStatus(job.status)],
            "form": form,
            "summary": summary,
            "new_count": len(summary.get("new", [])),
            "page_obj": page,
            "listed": len(problems),
        },
        status=422 if form is not None and form.errors else 200,
    )


@require_POST
@requires(PERM)
def matrix_import_confirm(request: OrganisationHttpRequest, matrix_import_id: int) -> HttpResponse:
    job = _job(request, matrix_import_id)
    try:
        job = matrix_import.matrix_import_confirm(job=job, by=request.user, access=request.access)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        if job.status == ImportStatus.DONE:
            messages.success(request, _done_message(job))
    return redirect("competences:matrix-import-detail", matrix_import_id=job.pk)


def _done_message(job: ImportJob) -> str:
    return ngettext(
        "%(count)s assessment was recorded.",
        "%(count)s assessments were recorded.",
        job.create_count,
    ) % {"count": job.create_count}


urlpatterns: list[URLPattern] = [
    path("matrix/import/", matrix_import_upload, name="matrix-import"),
    path(
        "matrix/import/<int:matrix_import_id>/",
        matrix_import_detail,
        name="matrix-import-detail",
    ),
    path(
        "matrix/import/<int:matrix_import_id>/confirm/",
        matrix_import_confirm,
        name="matrix-import-confirm",
    ),
]
