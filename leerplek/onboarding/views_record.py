"""Pages of the legal onthaal record (ONB-04, X-03): the catalogue of safety instructions, a
newcomer's record (instructions given and understood, proposals of the prevention service, the
signed document and its versions), the download of a signed PDF and the prevention adviser's
register. The newcomer confirms on his own page, his peter/meter on the onboarding page."""

from __future__ import annotations

import logging
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import URLPattern, path
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from leerplek.core.decorators import get_allowed, requires
from leerplek.core.formviews import form_page, fresh_copy, save_with
from leerplek.core.htmx import is_htmx, vary_on_htmx
from leerplek.core.http import OrganisationHttpRequest
from leerplek.onboarding import selectors_record, services_record
from leerplek.onboarding.forms_record import (
    GiveForm,
    InstructionForm,
    ProposalsForm,
    RegisterFilterForm,
    SignForm,
)
from leerplek.onboarding.models import (
    GivenInstruction,
    Onboarding,
    OnboardingStatus,
    OnthaalDocument,
    SafetyInstruction,
)
from leerplek.onboarding.pdf import PdfEngineMissingError
from leerplek.onboarding.views import ONBOARDING_RELATED, allowed_onboarding
from leerplek.people.models import Employee

logger = logging.getLogger(__name__)


def _record_url(onboarding_id: int) -> str:
    from django.urls import reverse

    return reverse("onboarding:record-detail", kwargs={"onboarding_id": onboarding_id})


# --- The catalogue -------------------------------------------------------------------------------


@requires("onboarding.manage_instructions")
def instruction_list(request: OrganisationHttpRequest) -> HttpResponse:
    return render(
        request,
        "onboarding/record/instruction_list.html",
        {"instructions": selectors_record.instruction_list(organisation=request.organisation)},
    )


INSTRUCTION_INTRO = gettext_lazy(
    "Leave function and workstation empty for an instruction everybody receives (emergency "
    "exits, first aid, well-being). A function's or workstation's instruction is added to the "
    "record of every newcomer in it."
)


@require_http_methods(["GET", "POST"])
@requires("onboarding.manage_instructions")
def instruction_create(request: OrganisationHttpRequest) -> HttpResponse:
    form = InstructionForm(request.POST or None, organisation=request.organisation)
    if request.method == "POST" and (
        instruction := save_with(
            form,
            lambda data: services_record.instruction_create(
                organisation=request.organisation, by=request.user, **data
            ),
        )
    ):
        messages.success(
            request, _("The instruction %(title)s was added.") % {"title": instruction}
        )
        return redirect("onboarding:instruction-list")
    return form_page(
        request,
        form,
        {
            "title": _("New safety instruction"),
            "cancel_url": "onboarding:instruction-list",
            "intro": str(INSTRUCTION_INTRO),
        },
    )


@require_http_methods(["GET", "POST"])
@requires("onboarding.manage_instructions")
def instruction_edit(request: OrganisationHttpRequest, safety_instruction_id: int) -> HttpResponse:
    instruction = get_allowed(
        request,
        SafetyInstruction.objects.select_related("organisation"),
        "onboarding.manage_instructions",
        pk=safety_instruction_id,
    )
    form = InstructionForm(
        request.POST or None, instance=fresh_copy(instruction), organisation=request.organisation
    )
    if request.method == "POST" and save_with(
        form,
        lambda data: services_record.instruction_update(
            instruction=instruction, by=request.user, **data
        ),
    ):
        messages.success(request, _("The instruction was saved."))
        return redirect("onboarding:instruction-list")
    return form_page(
        request,
        form,
        {
            "title": _("Edit instruction %(title)s") % {"title": instruction.title},
            "cancel_url": "onboarding:instruction-list",
            "intro": _(
                "Records that already list this instruction keep the title it was given under; "
                "to stop using it, untick 'active'."
            ),
        },
    )


# --- One newcomer's record -----------------------------------------------------------------------


@requires("onboarding.view_onboarding")
def record_detail(request: OrganisationHttpRequest, onboarding_id: int) -> HttpResponse:
    onboarding = allowed_onboarding(request, "onboarding.view_onboarding", onboarding_id)
    record = selectors_record.record_detail(onboarding=onboarding)
    is_open = onboarding.status != OnboardingStatus.CANCELLED
    user = request.user
    return render(
        request,
        "onboarding/record/record_detail.html",
        {
            "onboarding": onboarding,
            "record": record,
            "can_give": is_open
            and bool(record.pending)
            and user.has_perm("onboarding.record_instruction", onboarding),
            "can_propose": is_open and user.has_perm("onboarding.add_proposals", onboarding),
            "can_sign": is_open and user.has_perm("onboarding.sign_document", onboarding),
            "can_confirm": _is_guide(request, onboarding),
        },
    )


@require_http_methods(["GET", "POST"])
@requires("onboarding.record_instruction")
def instruction_give(request: OrganisationHttpRequest, onboarding_id: int) -> HttpResponse:
    onboarding = allowed_onboarding(request, "onboarding.record_instruction", onboarding_id)
    record = selectors_record.record_detail(onboarding=onboarding)
    pending = record.pending
    form = GiveForm(
        request.POST or None,
        instructions=[(row.pk, f"{row.get_topic_display()}: {row.title}") for row in pending],
        people=selectors_record.giver_choices(onboarding=onboarding),
        # Most instructions are explained by the peter/meter on the floor.
        initial={"given_by": record.guide.guide_id if record.guide else None},
    )

    def give(data: dict[str, Any]) -> list[GivenInstruction]:
        chosen = [row for row in pending if row.pk in set(data["instructions"])]
        return services_record.instructions_give(
            onboarding=onboarding,
            instructions=chosen,
            given_on=data["given_on"],
            given_by=Employee.objects.get(organisation=request.organisation, pk=data["given_by"]),
            by=request.user,
        )

    if request.method == "POST" and (rows := save_with(form, give)):
        messages.success(
            request,
            _(
                "%(count)s instruction(s) recorded as given. %(name)s and the peter/meter now "
                "confirm they were understood."
            )
            % {"count": len(rows), "name": onboarding.employee},
        )
        return redirect("onboarding:record-detail", onboarding_id=onboarding.pk)
    if not pending and request.method == "GET":
        messages.info(request, _("Every instruction that applies was already recorded."))
        return redirect("onboarding:record-detail", onboarding_id=onboarding.pk)
    return form_page(
        request,
        form,
        {
            "title": _("Instructions given to %(name)s") % {"name": onboarding.employee},
            "cancel_url": "onboarding:onboarding-list",
            "intro": _(
                "Tick the instructions that were explained, with the day and who explained "
                "them. The newcomer and the peter/meter then each confirm they were understood."
            ),
        },
    )


def _is_guide(request: OrganisationHttpRequest, onboarding: Onboarding) -> bool:
    """Whether the viewer guides this newcomer (no query: the mentee ids are loaded once)."""
    return (
        onboarding.employee_id != request.access.employee_id
        and onboarding.employee_id in request.access.mentee_ids()
    )


@require_POST
@requires("onboarding.confirm_instruction")
def instruction_confirm(
    request: OrganisationHttpRequest, given_instruction_id: int
) -> HttpResponse:
    """The newcomer or his peter/meter confirms an instruction was understood. htmx gets the
    row back; a plain form post returns to the page it came from."""
    given = get_object_or_404(
        GivenInstruction.objects.select_related(
            *(f"onboarding__{name}" for name in ONBOARDING_RELATED), "given_by"
        ),
        onboarding__organisation_id=request.access.organisation_id,
        pk=given_instruction_id,
    )
    onboarding = given.onboarding
    if not request.user.has_perm("onboarding.confirm_instruction", onboarding.employee):
        raise PermissionDenied
    error = ""
    try:
        given = services_record.instruction_confirm(given=given, by=request.user)
    except ValidationError as problem:
        error = " ".join(problem.messages)
    as_newcomer = onboarding.employee_id == request.access.employee_id
    if is_htmx(request):
        given.refresh_from_db()
        response = render(
            request,
            "onboarding/record/partials/confirm_item.html",
            {"row": given, "as_newcomer": as_newcomer, "error": error},
            status=422 if error else 200,
        )
        return vary_on_htmx(response)
    if error:
        messages.error(request, error)
    else:
        messages.success(request, _("Confirmed: %(title)s.") % {"title": given.title})
    target = (
        redirect("onboarding:mine")
        if as_newcomer
        else redirect("onboarding:onboarding-detail", onboarding_id=onboarding.pk)
    )
    return vary_on_htmx(target)


@require_http_methods(["GET", "POST"])
@requires("onboarding.add_proposals")
def proposals_edit(request: OrganisationHttpRequest, onboarding_id: int) -> HttpResponse:
    onboarding = allowed_onboarding(request, "onboarding.add_proposals", onboarding_id)
    form = ProposalsForm(
        request.POST or None, initial={"prevention_proposals": onboarding.prevention_proposals}
    )
    if request.method == "POST" and save_with(
        form,
        lambda data: services_record.proposals_save(
            onboarding=onboarding, text=data["prevention_proposals"], by=request.user
        ),
    ):
        messages.success(request, _("The proposals of the prevention service were saved."))
        return redirect("onboarding:record-detail", onboarding_id=onboarding.pk)
    return form_page(
        request,
        form,
        {
            "title": _("Proposals of the prevention service for %(name)s")
            % {"name": onboarding.employee},
            "cancel_url": "onboarding:onboarding-list",
            "intro": _(
                "The prevention service's proposals for this newcomer's welcome and work. They "
                "are printed on the onthaal document when it is signed; a signed version keeps "
                "the proposals it was signed with."
            ),
        },
    )


@require_http_methods(["GET", "POST"])
@requires("onboarding.sign_document")
def document_sign(request: OrganisationHttpRequest, onboarding_id: int) -> HttpResponse:
    """Show what will be signed and sign it. Someone without the right to sign this person's
    document sees why (the service names the problem)."""
    onboarding = allowed_onboarding(request, "onboarding.view_onboarding", onboarding_id)
    record = selectors_record.record_detail(onboarding=onboarding)
    latest = record.latest
    form = SignForm(
        request.POST or None, initial={"expected_version": latest.version if latest else 0}
    )
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            document = services_record.document_sign(
                onboarding=onboarding,
                by=request.user,
                correction=form.cleaned_data["correction"],
                expected_version=form.cleaned_data["expected_version"] or None,
            )
        except ValidationError as problem:
            form.add_error(None, problem.messages)
        except PdfEngineMissingError as problem:
            logger.error("Onthaal document not rendered: %s", problem)
            form.add_error(None, str(problem))
        else:
            messages.success(
                request,
                _("Version %(version)s of the onthaal document is signed and stored.")
                % {"version": document.version},
            )
            return redirect("onboarding:record-detail", onboarding_id=onboarding.pk)
    if form.is_bound and form.errors:
        status = 422
    return render(
        request,
        "onboarding/record/document_sign.html",
        {
            "onboarding": onboarding,
            "record": record,
            "form": form,
            "may_sign": request.user.has_perm("onboarding.sign_document", onboarding),
        },
        status=status,
    )


@requires("onboarding.view_onboarding")
def document_download(request: OrganisationHttpRequest, onthaal_document_id: int) -> HttpResponse:
    """A signed PDF, as a download. MEDIA_ROOT is never served as such: whoever may open the
    onboarding, or keeps the register, gets the file."""
    document = get_object_or_404(
        OnthaalDocument.objects.select_related(
            "onboarding", "onboarding__employee", "onboarding__employee__unit"
        ),
        onboarding__organisation_id=request.access.organisation_id,
        pk=onthaal_document_id,
    )
    onboarding = document.onboarding
    if not (
        request.user.has_perm("onboarding.view_onboarding", onboarding)
        or request.user.has_perm("onboarding.view_register", onboarding)
    ):
        raise PermissionDenied
    return _pdf_download(document)


@requires("onboarding.view_own")
def my_document(request: OrganisationHttpRequest) -> HttpResponse:
    """The newcomer's own onthaal document, the newest signed version."""
    employee_id = request.access.employee_id
    document = (
        OnthaalDocument.objects.select_related("onboarding__employee")
        .filter(
            onboarding__organisation=request.organisation,
            onboarding__employee_id=employee_id,
        )
        .order_by("-signed_at", "-id")
        .first()
        if employee_id is not None
        else None
    )
    if document is None:
        messages.info(request, _("Your onthaal document is not signed yet."))
        return redirect("onboarding:mine")
    return _pdf_download(document)


def _pdf_download(document: OnthaalDocument) -> HttpResponse:
    onboarding = document.onboarding
    try:
        handle = document.pdf.open("rb")
    except FileNotFoundError as missing:
        logger.warning("PDF of onthaal document %s is missing", document.pk)
        raise Http404 from missing
    employee = onboarding.employee
    filename = f"onthaal-{employee.last_name}-{employee.first_name}-v{document.version}.pdf"
    response = FileResponse(
        handle, as_attachment=True, filename=filename, content_type="application/pdf"
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response  # type: ignore[return-value]


# --- The prevention adviser's register ----------------------------------------------------------


@requires("onboarding.view_register")
def register(request: OrganisationHttpRequest) -> HttpResponse:
    organisation = request.organisation
    form = RegisterFilterForm(
        request.GET or None,
        years=selectors_record.register_years(organisation=organisation),
        units=selectors_record.unit_choices(organisation=organisation),
    )
    year, unit_path = None, ""
    if form.is_bound and form.is_valid():
        year = form.cleaned_data["year"]
        unit_path = form.cleaned_data["unit"]
    rows: QuerySet[OnthaalDocument] = selectors_record.register(
        organisation=organisation, year=year, unit_path=unit_path
    )
    page = Paginator(rows, settings.LEERPLEK["PAGE_SIZE"]).get_page(request.GET.get("page"))
    return render(
        request,
        "onboarding/record/register.html",
        {"form": form, "page_obj": page, "filtered": bool(year or unit_path)},
    )


# --- Sections on shared pages -------------------------------------------------------------------


def detail_part(request: OrganisationHttpRequest, onboarding: Onboarding) -> Any:
    """The record's summary on the onboarding page (one query); the peter/meter confirms here
    (one more)."""
    is_guide = _is_guide(request, onboarding)
    return (
        "onboarding/record/detail_part.html",
        {
            "summary": selectors_record.record_summary(onboarding=onboarding),
            "rows": selectors_record.to_confirm(onboarding=onboarding) if is_guide else [],
            "onboarding": onboarding,
            "can_confirm": is_guide and onboarding.status != OnboardingStatus.CANCELLED,
        },
    )


def mine_part(request: OrganisationHttpRequest, onboarding: Onboarding | None) -> Any:
    """The newcomer's own confirmations, with big buttons."""
    if onboarding is None:
        return None
    rows = selectors_record.to_confirm(onboarding=onboarding)
    document = onboarding.documents.order_by("-version").first()
    if not rows and document is None:
        return None
    return (
        "onboarding/record/mine_part.html",
        {
            "rows": rows,
            "document": document,
            "open": [row for row in rows if row.newcomer_confirmed_at is None],
            "can_confirm": onboarding.status != OnboardingStatus.CANCELLED
            and request.user.has_perm("onboarding.confirm_instruction", onboarding.employee),
        },
    )


urlpatterns: list[URLPattern] = [
    path("instructions/", instruction_list, name="instruction-list"),
    path("instructions/new/", instruction_create, name="instruction-create"),
    path(
        "instructions/<int:safety_instruction_id>/edit/",
        instruction_edit,
        name="instruction-edit",
    ),
    path("mine/document/", my_document, name="my-document"),
    path("<int:onboarding_id>/record/", record_detail, name="record-detail"),
    path("<int:onboarding_id>/record/give/", instruction_give, name="instruction-give"),
    path("<int:onboarding_id>/record/proposals/", proposals_edit, name="proposals-edit"),
    path("<int:onboarding_id>/record/sign/", document_sign, name="document-sign"),
    path(
        "record/given/<int:given_instruction_id>/confirm/",
        instruction_confirm,
        name="instruction-confirm",
    ),
    path(
        "record/documents/<int:onthaal_document_id>/pdf/",
        document_download,
        name="document-download",
    ),
    path("register/", register, name="register"),
]
