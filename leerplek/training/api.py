"""The training API: programmes, work instructions read in a language, learners' programmes,
the two-party sign-off, test attempts scored on the server, certificates and their
verification (docs/api.md, "Training").

Each endpoint checks the permission from `core/permissions.py` as the page does, then calls the
same selector or service. Records of another organisation do not exist here (404); records out
of the role's scope are refused (403). Every endpoint runs a fixed number of queries.
"""

from typing import Any

from django.db.models import OuterRef, Prefetch, Q, QuerySet, Subquery
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone
from ninja import Query, Router, Schema
from ninja.pagination import paginate
from ninja.responses import Status
from pydantic import Field

from leerplek.core.http import OrganisationHttpRequest
from leerplek.people.api import ERROR_RESPONSES, Page, require
from leerplek.people.api_schemas import Id
from leerplek.people.models import Employee
from leerplek.training import (
    selectors_certificates,
    selectors_instructions,
    selectors_learning,
    services_learning,
    services_tests,
)
from leerplek.training.api_schemas import (
    AssignmentDetailOut,
    AssignmentOut,
    AttemptIn,
    AttemptOut,
    CertificateOut,
    InstructionOut,
    InstructionReadingOut,
    ProgrammeDetailOut,
    ProgrammeOut,
    SignIn,
    SignoffOut,
    VerificationOut,
)
from leerplek.training.models import (
    Certificate,
    InstructionVersion,
    Module,
    Phase,
    Programme,
    ProgrammeAssignment,
    ProgrammeVersion,
    Signoff,
    Test,
    VersionStatus,
    WorkInstruction,
)
from leerplek.training.models.instructions import SOURCE_LANGUAGE

router = Router()
TAGS = ["training"]


def _approved(model: Any, outer: str, field: str) -> Subquery:
    return Subquery(
        model.objects.filter(**{outer: OuterRef("pk")}, status=VersionStatus.APPROVED).values(
            field
        )[:1]
    )


# --- Programmes ------------------------------------------------------------------------------


def _programmes(request: OrganisationHttpRequest) -> QuerySet[Programme]:
    return (
        Programme.objects.filter(organisation_id=request.organisation.pk, is_archived=False)
        .select_related("job", "workstation")
        .annotate(approved_number=_approved(ProgrammeVersion, "programme", "number"))
        .order_by("code", "id")
    )


@router.get(
    "/training/programmes", response={200: list[ProgrammeOut], **ERROR_RESPONSES}, tags=TAGS
)
@paginate(Page)
def programme_list(request: OrganisationHttpRequest) -> QuerySet[Programme]:
    """The organisation's programmes in use, by code, with the number of their approved
    version (null: none approved yet)."""
    require(request, "training.view_programmes")
    return _programmes(request)


@router.get(
    "/training/programmes/{programme_id}",
    response={200: ProgrammeDetailOut, **ERROR_RESPONSES},
    tags=TAGS,
)
def programme_detail(request: OrganisationHttpRequest, programme_id: Id) -> dict[str, Any]:
    """A programme with the phases and modules of its approved version."""
    require(request, "training.view_programmes")
    programme = get_object_or_404(_programmes(request), pk=programme_id)
    phases = list(
        Phase.objects.filter(version__programme=programme, version__status=VersionStatus.APPROVED)
        .prefetch_related(
            Prefetch(
                "modules",
                queryset=Module.objects.select_related("workstation").order_by("position", "id"),
            )
        )
        .order_by("position", "id")
    )
    return {
        **{name: getattr(programme, name) for name in ("id", "code", "title", "description")},
        "job": programme.job,
        "workstation": programme.workstation,
        "approved_number": programme.approved_number,  # type: ignore[attr-defined]
        "phases": phases,
    }


# --- Work instructions -----------------------------------------------------------------------


def _instructions(request: OrganisationHttpRequest) -> QuerySet[WorkInstruction]:
    return (
        WorkInstruction.objects.filter(organisation_id=request.organisation.pk, is_archived=False)
        .select_related("workstation")
        .annotate(
            approved_version=_approved(InstructionVersion, "instruction", "number"),
            approved_title=_approved(InstructionVersion, "instruction", "title"),
        )
        .order_by("code", "id")
    )


class InstructionFilters(Schema):
    workstation: Id | None = Field(None, description="Only the instructions of this workstation.")


@router.get(
    "/training/instructions", response={200: list[InstructionOut], **ERROR_RESPONSES}, tags=TAGS
)
@paginate(Page)
def instruction_list(
    request: OrganisationHttpRequest, filters: Query[InstructionFilters]
) -> list[dict[str, Any]]:
    """Work instructions in use, by code, with their Dutch title and approved version."""
    require(request, "training.view_instructions")
    queryset = _instructions(request)
    if filters.workstation:
        queryset = queryset.filter(workstation_id=filters.workstation)
    return _InstructionRows(queryset)  # type: ignore[return-value]


class _InstructionRows:
    """The paginated slice, with the Dutch title read from the approved version's texts (the
    database hands a JSON subquery back as text on SQLite)."""

    def __init__(self, queryset: QuerySet[WorkInstruction]) -> None:
        self.queryset = queryset

    def __len__(self) -> int:
        return self.queryset.count()

    def count(self) -> int:
        return self.queryset.count()

    def __getitem__(self, window: slice) -> list[dict[str, Any]]:
        import json

        rows = []
        for row in self.queryset[window]:
            texts = row.approved_title or {}  # type: ignore[attr-defined]
            if isinstance(texts, str):
                texts = json.loads(texts)
            rows.append(
                {
                    "id": row.pk,
                    "code": row.code,
                    "title": str(texts.get(SOURCE_LANGUAGE, "")),
                    "workstation": row.workstation,
                    "approved_version": row.approved_version,  # type: ignore[attr-defined]
                }
            )
        return rows


class ReadingFilters(Schema):
    lang: str = Field("", max_length=10, description="A language code; default: the reader's.")


@router.get(
    "/training/instructions/{instruction_id}",
    response={200: InstructionReadingOut, **ERROR_RESPONSES},
    tags=TAGS,
)
def instruction_read(
    request: OrganisationHttpRequest, instruction_id: Id, filters: Query[ReadingFilters]
) -> dict[str, Any]:
    """The approved version in a language (`lang`, else the reader's own): each text with a
    `fallback` flag where the Dutch shows; safety key points first."""
    require(request, "training.view_instructions")
    instruction = get_object_or_404(_instructions(request), pk=instruction_id)
    version = get_object_or_404(
        InstructionVersion, instruction=instruction, status=VersionStatus.APPROVED
    )
    offered = selectors_instructions.offered_languages(request.organisation.pk)
    person = (
        Employee.objects.select_related("user").filter(pk=request.access.employee_id).first()
        if request.access.employee_id
        else None
    )
    language = selectors_instructions.reader_language(person, offered, filters.lang)
    reading = selectors_instructions.reading(version=version, language=language, offered=offered)
    return {
        "id": instruction.pk,
        "code": instruction.code,
        "version": version.number,
        "language": reading.language,
        "is_rtl": reading.is_rtl,
        "title": reading.title,
        "quality_norm": reading.quality_norm,
        "change_summary": reading.change_summary,
        "fallbacks": reading.fallbacks,
        "steps": [
            {
                "number": view.number,
                "text": view.text,
                "photo_url": view.photo_url,
                "video_url": view.step.video_url,
                "key_points": [
                    {"kind": p.point.kind, "text": p.text, "reason": p.reason}
                    for p in view.key_points
                ],
            }
            for view in reading.steps
        ],
    }


# --- Learners' programmes ----------------------------------------------------------------------


def _assignments(request: OrganisationHttpRequest) -> QuerySet[ProgrammeAssignment]:
    """The programmes of the people in the caller's viewing scope, those he guides, and his own."""
    access = request.access
    reach = Q(pk__in=[])
    if access.has_role(*selectors_learning.VIEW_ROLES):
        reach |= access.employee_scope_q(selectors_learning.VIEW_ROLES, prefix="employee__")
    if access.employee_id is not None:
        reach |= Q(employee_id=access.employee_id) | Q(guide_id=access.employee_id)
        mentees = access.mentee_ids()
        if mentees:
            reach |= Q(employee_id__in=mentees)
    return selectors_learning.with_progress(
        ProgrammeAssignment.objects.filter(reach, organisation_id=request.organisation.pk)
    ).order_by("-started_on", "-id")


@router.get(
    "/training/assignments", response={200: list[AssignmentOut], **ERROR_RESPONSES}, tags=TAGS
)
@paginate(Page)
def assignment_list(request: OrganisationHttpRequest) -> QuerySet[ProgrammeAssignment]:
    """Learners' programmes you may see (your role's units, the learners you guide, your own),
    newest first, with their progress."""
    return _assignments(request)


def _assignment(request: OrganisationHttpRequest, assignment_id: int) -> ProgrammeAssignment:
    return get_object_or_404(_assignments(request), pk=assignment_id)


@router.get(
    "/training/assignments/{assignment_id}",
    response={200: AssignmentDetailOut, **ERROR_RESPONSES},
    tags=TAGS,
)
def assignment_detail(request: OrganisationHttpRequest, assignment_id: Id) -> Any:
    """One learner's programme with the state of each module."""
    assignment = _assignment(request, assignment_id)
    view = selectors_learning.assignment_detail(assignment=assignment)
    assignment.modules = [  # type: ignore[attr-defined]
        {
            "module_id": row.module.pk,
            "phase": phase.phase.title,
            "title": row.module.title,
            "kind": row.module.kind,
            "state": row.state,
            "planned_start": row.plan.planned_start if row.plan else None,
            "planned_end": row.plan.planned_end if row.plan else None,
            "done_on": row.plan.done_on if row.plan else None,
            "signoff_id": row.signoff.pk if row.signoff else None,
        }
        for phase in view.phases
        for row in phase.modules
    ]
    return assignment


def _signoff_out(signoff: Signoff) -> Signoff:
    return Signoff.objects.select_related("confirmer").get(pk=signoff.pk)


@router.post(
    "/training/assignments/{assignment_id}/modules/{module_id}/declare",
    response={201: SignoffOut, **ERROR_RESPONSES},
    tags=TAGS,
)
def signoff_declare(
    request: OrganisationHttpRequest, assignment_id: Id, module_id: Id, payload: SignIn
) -> Status[Any]:
    """The learner declares a module of his own programme done, with the checklist ticked."""
    assignment = _assignment(request, assignment_id)
    module = get_object_or_404(Module, version_id=assignment.version_id, pk=module_id)
    signoff = services_learning.signoff_declare(
        assignment=assignment,
        module=module,
        by=request.user,
        checklist=payload.checklist,
        note=payload.note,
    )
    return Status(201, _signoff_out(signoff))


@router.post(
    "/training/signoffs/{signoff_id}/confirm",
    response={200: SignoffOut, **ERROR_RESPONSES},
    tags=TAGS,
)
def signoff_confirm(request: OrganisationHttpRequest, signoff_id: Id, payload: SignIn) -> Signoff:
    """The second signature (the guide, the line or HR; never the learner): the checklist
    confirmed again; the answer carries the SHA-256 of what both signed."""
    signoff = get_object_or_404(
        Signoff.objects.filter(assignment__in=_assignments(request)), pk=signoff_id
    )
    confirmed = services_learning.signoff_confirm(
        signoff=signoff, by=request.user, checklist=payload.checklist, note=payload.note
    )
    return _signoff_out(confirmed)


# --- Tests and certificates ------------------------------------------------------------------


@router.post(
    "/training/tests/{test_id}/attempts",
    response={201: AttemptOut, **ERROR_RESPONSES},
    tags=TAGS,
)
def attempt_submit(
    request: OrganisationHttpRequest, test_id: Id, payload: AttemptIn
) -> Status[Any]:
    """Your answers to a questionnaire you are assigned: scored here, never by the client. Past
    the last attempt the test is blocked until HR decides."""
    test = get_object_or_404(Test, organisation_id=request.organisation.pk, pk=test_id)
    person = get_object_or_404(
        Employee, organisation_id=request.organisation.pk, pk=request.access.employee_id or 0
    )
    require(request, "training.take_tests", person)
    attempt = services_tests.attempt_submit(
        test=test,
        employee=person,
        answers={str(key): value for key, value in payload.answers.items()},
        by=request.user,
        practice=payload.practice,
    )
    return Status(201, attempt)


@router.get(
    "/training/certificates", response={200: list[CertificateOut], **ERROR_RESPONSES}, tags=TAGS
)
@paginate(Page)
def certificate_list(request: OrganisationHttpRequest) -> Any:
    """Certificates and attests of the people in your scope, and your own, soonest expiry first."""
    require(request, "training.view_certificates")
    return _Certificates(
        selectors_certificates.visible_certificates(access=request.access).order_by(
            "expires_on", "id"
        )
    )


class _Certificates:
    """The paginated slice with each certificate's state on today."""

    def __init__(self, queryset: QuerySet[Certificate]) -> None:
        self.queryset = queryset

    def __len__(self) -> int:
        return self.queryset.count()

    def count(self) -> int:
        return self.queryset.count()

    def __getitem__(self, window: slice) -> list[Certificate]:
        today = timezone.localdate()
        rows = list(self.queryset[window])
        for row in rows:
            row.state = selectors_certificates.state_of(row, today)  # type: ignore[attr-defined]
        return rows


@router.get(
    "/training/certificates/verify/{code}",
    response={200: VerificationOut, **ERROR_RESPONSES},
    tags=TAGS,
)
def certificate_verify(request: OrganisationHttpRequest, code: str) -> Any:
    """What the public verification page shows for a code: name, title, issue and expiry date,
    and whether it is valid. The same five facts whatever your role."""
    found = selectors_certificates.public_verification(code)
    if found is None:
        raise Http404
    return found
