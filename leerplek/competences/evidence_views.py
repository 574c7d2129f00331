"""Download of an assessment's evidence file (COMP-09).

MEDIA_ROOT is never served as such (no /media/ URL): a certificate or a photo is personal, so each
download passes here and is allowed to whoever may see the person's levels, and to the person.
"""

from __future__ import annotations

import logging

from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import path

from leerplek.competences import evidence as evidence_files
from leerplek.competences.models import Assessment
from leerplek.core.decorators import requires
from leerplek.core.http import OrganisationHttpRequest

logger = logging.getLogger(__name__)


@requires("competences.view_evidence")
def assessment_evidence(request: OrganisationHttpRequest, assessment_id: int) -> HttpResponse:
    # Another organisation's assessment does not exist for this user (404); the person assessed
    # decides the scope (his unit for a manager, or his own record), so the check is on him.
    assessment = get_object_or_404(
        Assessment.objects.select_related("employee__unit"),
        organisation_id=request.access.organisation_id,
        pk=assessment_id,
    )
    if not request.user.has_perm("competences.view_evidence", assessment.employee):
        raise PermissionDenied
    if not assessment.evidence:
        raise Http404
    try:
        handle = assessment.evidence.open("rb")
    except FileNotFoundError as missing:
        logger.warning("Evidence file of assessment %s is missing", assessment.pk)
        raise Http404 from missing
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=assessment.evidence_name or "evidence",
        content_type=evidence_files.content_type_of(assessment.evidence.name),
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    # A streamed file, not an HttpResponse subclass; Django's handler takes either.
    return response  # type: ignore[return-value]


urlpatterns = [
    path(
        "assessments/<int:assessment_id>/evidence/",
        assessment_evidence,
        name="assessment-evidence",
    ),
]
