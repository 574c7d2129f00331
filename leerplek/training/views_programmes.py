"""Pages of the programme builder (OJT-01, OJT-02, OJT-03, OJT-18): the programme library, a
programme with its phases, modules and versions, a module in its 4-part structure, and the
forms that edit a draft version (see docs/training.md).

Every member reads approved versions; authors and approvers also read drafts. Edits go to the
open draft only: an approved version never changes, its "Edit" starts the next version."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Model, QuerySet
from django.forms import BaseForm
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import URLPattern, path, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from leerplek.core.decorators import get_allowed, requires
from leerplek.core.formviews import form_page, save_with
from leerplek.core.http import OrganisationHttpRequest
from leerplek.core.permissions import PERMISSIONS
from leerplek.core.roles import Role
from leerplek.training import selectors_programmes as selectors
from leerplek.training import services_programmes as services
from leerplek.training.forms_programmes import (
    ChecklistItemForm,
    ConfirmForm,
    FaultForm,
    ModuleCompetenceForm,
    ModuleForm,
    ModuleInstructionForm,
    MoveForm,
    ObjectiveForm,
    PhaseForm,
    ProgrammeFilterForm,
    ProgrammeForm,
    ReturnForm,
    SubmitForm,
    VersionForm,
)
from leerplek.training.models import (
    ChecklistItem,
    Fault,
    Module,
    ModuleCompetence,
    ModuleInstruction,
    Objective,
    Phase,
    Programme,
    ProgrammeVersion,
    VersionStatus,
)

M = TypeVar("M", bound=Model)

VIEW = "training.view_programmes"
AUTHOR = "training.author_programmes"
APPROVE = "training.approve_programmes"
PAGE_SIZE = 50

PROGRAMME_RELATED = ("job", "task", "task__job", "workstation", "owner", "organisation")
VERSION_RELATED = ("programme", "organisation", "created_by")
MODULE_RELATED = (
    "version",
    "version__programme",
    "version__organisation",
    "phase",
    "workstation",
)
ROW_RELATED = ("module", "module__version", "module__version__programme", "module__phase")


# --- Loaders: the object of this organisation, with the permission checked -----------------------


def _programme(request: OrganisationHttpRequest, programme_id: int, perm: str = VIEW) -> Programme:
    return get_allowed(
        request, Programme.objects.select_related(*PROGRAMME_RELATED), perm, pk=programme_id
    )


def _version(request: OrganisationHttpRequest, version_id: int, perm: str) -> ProgrammeVersion:
    return get_allowed(
        request, ProgrammeVersion.objects.select_related(*VERSION_RELATED), perm, pk=version_id
    )


def _phase(request: OrganisationHttpRequest, phase_id: int) -> Phase:
    phase = get_object_or_404(
        Phase.objects.select_related("version", "version__programme", "version__organisation"),
        version__organisation_id=request.access.organisation_id,
        pk=phase_id,
    )
    if not request.user.has_perm(AUTHOR, phase.version):
        raise PermissionDenied
    return phase


def _module(request: OrganisationHttpRequest, module_id: int, perm: str = AUTHOR) -> Module:
    module = get_object_or_404(
        Module.objects.select_related(*MODULE_RELATED),
        version__organisation_id=request.access.organisation_id,
        pk=module_id,
    )
    if not request.user.has_perm(perm, module.version):
        raise PermissionDenied
    return module


def _row(request: OrganisationHttpRequest, queryset: QuerySet[M], pk: int) -> M:
    """A row hanging from a module (objective, fault, ...) of this organisation's programmes,
    for an author."""
    row = get_object_or_404(
        queryset.select_related(*ROW_RELATED),
        module__version__organisation_id=request.access.organisation_id,
        pk=pk,
    )
    if not request.user.has_perm(AUTHOR, row.module.version):  # type: ignore[attr-defined]
        raise PermissionDenied
    return row


# --- Where to go back to -------------------------------------------------------------------------


def _programme_url(version: ProgrammeVersion, anchor: str = "") -> str:
    url = reverse("training:programme-detail", kwargs={"programme_id": version.programme_id})
    if version.status not in (VersionStatus.DRAFT, VersionStatus.IN_REVIEW, VersionStatus.APPROVED):
        url += f"?version={version.number}"
    return url + (f"#{anchor}" if anchor else "")


def _module_url(module: Module, anchor: str = "") -> str:
    url = reverse("training:module-detail", kwargs={"module_id": module.pk})
    return url + (f"#{anchor}" if anchor else "")


def _locked_message(version: ProgrammeVersion) -> str:
    if version.programme.is_archived:
        return _("%(programme)s is archived; restore it before you change it.") % {
            "programme": version.programme
        }
    return _(
        "Version %(number)s of %(programme)s is %(status)s and never changes. Use 'Edit' on the "
        "programme to start a draft of the next version."
    ) % {
        "number": version.number,
        "programme": version.programme,
        "status": version.get_status_display().lower(),
    }


def _not_editable(
    request: OrganisationHttpRequest, version: ProgrammeVersion, back: str
) -> HttpResponse | None:
    """Send the author back when the version no longer changes (the services refuse it too)."""
    if version.is_editable and not version.programme.is_archived:
        return None
    messages.error(request, _locked_message(version))
    return redirect(back)


def _edit_page(
    request: OrganisationHttpRequest,
    form: BaseForm,
    write: Callable[[dict[str, Any]], Any],
    *,
    title: str,
    back: str,
    success: str,
    intro: str = "",
    submit: str = "",
    done: str | None = None,
    template: str = "core/form_page.html",
    extra: dict[str, Any] | None = None,
) -> HttpResponse:
    """A form page that calls one service on a valid POST, then goes to `done` (or `back`)."""
    if request.method == "POST" and save_with(form, write) is not None:
        messages.success(request, success)
        return redirect(done or back)
    context: dict[str, Any] = {"title": title, "back_url": back, "intro": intro, **(extra or {})}
    if submit:
        context["submit"] = submit
    return form_page(request, form, context, template=template)


def _confirm_page(
    request: OrganisationHttpRequest,
    *,
    title: str,
    question: str,
    back: str,
    write: Callable[[], Any],
    success: str,
    submit: str,
    done: str | None = None,
    danger: bool = True,
) -> HttpResponse:
    """Ask first (GET), then call one service (POST); a refusal shows on the page."""
    form = ConfirmForm(request.POST or None)
    if request.method == "POST" and save_with(form, lambda _data: write() or True) is not None:
        messages.success(request, success)
        return redirect(done or back)
    return form_page(
        request,
        form,
        {"title": title, "back_url": back, "intro": question, "submit": submit, "danger": danger},
    )


def _move(
    request: OrganisationHttpRequest,
    write: Callable[[str], Any],
    back: str,
) -> HttpResponse:
    """Move a row up or down, then back to where the author was."""
    form = MoveForm(request.POST)
    if not form.is_valid():
        return form_page(request, form, {"title": _("Move"), "back_url": back, "submit": _("Move")})
    try:
        write(form.cleaned_data["direction"])
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    return redirect(back)


# --- The library ---------------------------------------------------------------------------------


@requires(VIEW)
def programme_list(request: OrganisationHttpRequest) -> HttpResponse:
    form = ProgrammeFilterForm(request.GET or None, organisation=request.organisation)
    data = form.cleaned_data if form.is_valid() else {}
    programmes = selectors.programme_list(
        organisation=request.organisation,
        query=data.get("q") or "",
        job_id=data["job"].pk if data.get("job") else None,
        workstation_id=data["workstation"].pk if data.get("workstation") else None,
        status=data.get("status") or "",
        mine=request.user if data.get("mine") else None,
    )
    page = Paginator(programmes, PAGE_SIZE).get_page(request.GET.get("page"))
    can_approve = request.user.has_perm(APPROVE)
    return render(
        request,
        "training/programmes/programme_list.html",
        {
            "form": form,
            "page_obj": page,
            "filtered": any(data.values()),
            "can_author": request.user.has_perm(AUTHOR),
            "waiting": selectors.waiting_for_approval(organisation=request.organisation)
            if can_approve
            else [],
        },
    )


@require_http_methods(["GET", "POST"])
@requires(AUTHOR)
def programme_create(request: OrganisationHttpRequest) -> HttpResponse:
    form = ProgrammeForm(request.POST or None, organisation=request.organisation)
    if request.method == "POST" and (
        programme := save_with(
            form,
            lambda data: services.programme_create(
                organisation=request.organisation, by=request.user, **data
            ),
        )
    ):
        messages.success(
            request,
            _("The programme %(title)s was created with draft version 1. Add its phases now.")
            % {"title": programme.title},
        )
        return redirect("training:programme-detail", programme_id=programme.pk)
    return form_page(
        request,
        form,
        {
            "title": _("New programme"),
            "cancel_url": "training:programme-list",
            "intro": _(
                "A programme for a function, one of its tasks or a workstation or machine. It "
                "starts as draft version 1: add phases and modules, then submit it for approval."
            ),
            "submit": _("Create the programme"),
        },
    )


# --- One programme -------------------------------------------------------------------------------


@requires(VIEW)
def programme_detail(request: OrganisationHttpRequest, programme_id: int) -> HttpResponse:
    programme = _programme(request, programme_id)
    asked = request.GET.get("version", "")
    number = int(asked) if asked.isdigit() else None
    detail = selectors.programme_detail(programme=programme, access=request.access, number=number)
    if detail.missing:
        raise Http404
    return render(
        request,
        "training/programmes/programme_detail.html",
        {
            "detail": detail,
            "programme": programme,
            "version": detail.version,
            "can_assign": request.access.has_role(*PERMISSIONS["training.assign_programmes"].roles),
        },
    )


@require_http_methods(["GET", "POST"])
@requires(AUTHOR)
def programme_edit(request: OrganisationHttpRequest, programme_id: int) -> HttpResponse:
    programme = _programme(request, programme_id, AUTHOR)
    form = ProgrammeForm(
        request.POST or None, organisation=request.organisation, programme=programme
    )
    back = reverse("training:programme-detail", kwargs={"programme_id": programme.pk})
    return _edit_page(
        request,
        form,
        lambda data: services.programme_update(programme=programme, by=request.user, **data),
        title=_("Edit %(title)s") % {"title": programme.title},
        back=back,
        success=_("The programme was saved."),
        intro=_(
            "What the programme is, for whom and who writes it. Its phases and modules change "
            "in a draft version only."
        ),
    )


@require_http_methods(["GET", "POST"])
@requires(AUTHOR)
def programme_archive(request: OrganisationHttpRequest, programme_id: int) -> HttpResponse:
    programme = _programme(request, programme_id, AUTHOR)
    back = reverse("training:programme-detail", kwargs={"programme_id": programme.pk})
    restore = programme.is_archived
    return _confirm_page(
        request,
        title=(_("Restore %(title)s") if restore else _("Archive %(title)s"))
        % {"title": programme.title},
        question=_("The programme comes back in the library and can be assigned again.")
        if restore
        else _(
            "The programme leaves the library and is no longer assigned. Learners who follow it "
            "keep their version; nothing is deleted."
        ),
        back=back,
        write=lambda: services.programme_archive(
            programme=programme, by=request.user, archived=not restore
        ),
        success=_("The programme was restored.") if restore else _("The programme was archived."),
        submit=_("Restore") if restore else _("Archive"),
        danger=not restore,
    )


@require_POST
@requires(AUTHOR)
def programme_draft(request: OrganisationHttpRequest, programme_id: int) -> HttpResponse:
    programme = _programme(request, programme_id, AUTHOR)
    try:
        version = services.programme_version_draft(programme=programme, by=request.user)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(
            request,
            _(
                "Version %(number)s is a draft: change it, then submit it for approval. Learners "
                "keep the version they follow."
            )
            % {"number": version.number},
        )
    return redirect("training:programme-detail", programme_id=programme.pk)


# --- Versions ------------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@requires(AUTHOR)
def version_edit(request: OrganisationHttpRequest, version_id: int) -> HttpResponse:
    version = _version(request, version_id, AUTHOR)
    back = _programme_url(version, "plan")
    if refused := _not_editable(request, version, back):
        return refused
    return _edit_page(
        request,
        VersionForm(request.POST or None, version=version),
        lambda data: services.version_update(version=version, by=request.user, **data),
        title=_("Action plan and evaluation of version %(number)s") % {"number": version.number},
        back=back,
        success=_("The version was saved."),
    )


@require_http_methods(["GET", "POST"])
@requires(AUTHOR)
def version_submit(request: OrganisationHttpRequest, version_id: int) -> HttpResponse:
    version = _version(request, version_id, AUTHOR)
    back = _programme_url(version)
    if refused := _not_editable(request, version, back):
        return refused
    if version.status != VersionStatus.DRAFT:
        messages.info(
            request,
            _("Version %(number)s already waits for approval.") % {"number": version.number},
        )
        return redirect(back)
    return _edit_page(
        request,
        SubmitForm(request.POST or None, version=version),
        lambda data: services.version_submit(
            version=version, by=request.user, change_summary=data.get("change_summary")
        ),
        title=_("Submit version %(number)s for approval") % {"number": version.number},
        back=back,
        success=_("Version %(number)s waits for approval by HR.") % {"number": version.number},
        intro=_("HR or an administrator approves it. Until then the authors can still change it."),
        submit=_("Submit for approval"),
        template="training/programmes/version_check.html",
        extra={"problems": services.approval_problems(version=version), "version": version},
    )


@require_http_methods(["GET", "POST"])
@requires(APPROVE)
def version_approve(request: OrganisationHttpRequest, version_id: int) -> HttpResponse:
    version = _version(request, version_id, APPROVE)
    back = _programme_url(version)
    if refused := _not_editable(request, version, back):
        return refused
    own = version.created_by_id == request.user.pk
    return _edit_page(
        request,
        ConfirmForm(request.POST or None),
        lambda _data: services.version_approve(version=version, by=request.user),
        title=_("Approve version %(number)s of %(programme)s")
        % {"number": version.number, "programme": version.programme},
        back=back,
        success=_("Version %(number)s is approved; new assignments follow it.")
        % {"number": version.number},
        intro=_(
            "Once approved the version never changes. The version it replaces stays with the "
            "learners who follow it."
        ),
        submit=_("Approve"),
        template="training/programmes/version_check.html",
        extra={
            "problems": services.approval_problems(version=version),
            "version": version,
            "own_draft": own and not request.access.has_role(Role.ADMIN),
            "change_summary": version.change_summary,
        },
    )


@require_http_methods(["GET", "POST"])
@requires(APPROVE)
def version_return(request: OrganisationHttpRequest, version_id: int) -> HttpResponse:
    version = _version(request, version_id, APPROVE)
    back = _programme_url(version)
    if version.status != VersionStatus.IN_REVIEW:
        messages.info(
            request,
            _("Version %(number)s is not waiting for approval.") % {"number": version.number},
        )
        return redirect(back)
    return _edit_page(
        request,
        ReturnForm(request.POST or None),
        lambda data: services.version_return(
            version=version, by=request.user, reason=data["reason"]
        ),
        title=_("Send version %(number)s back to its authors") % {"number": version.number},
        back=back,
        success=_("Version %(number)s went back to its authors.") % {"number": version.number},
        submit=_("Send back"),
    )


@require_http_methods(["GET", "POST"])
@requires(AUTHOR)
def version_discard(request: OrganisationHttpRequest, version_id: int) -> HttpResponse:
    version = _version(request, version_id, AUTHOR)
    back = _programme_url(version)
    if refused := _not_editable(request, version, back):
        return refused
    if version.number == 1:
        messages.info(
            request,
            _(
                "Version 1 is the programme's first draft; archive the programme if it is not "
                "needed."
            ),
        )
        return redirect(back)
    return _confirm_page(
        request,
        title=_("Discard the draft of version %(number)s") % {"number": version.number},
        question=_(
            "Everything changed in this draft is lost; the approved version stays as it is. The "
            "audit log keeps that the draft existed."
        ),
        back=back,
        write=lambda: services.version_discard(version=version, by=request.user),
        success=_("The draft was discarded."),
        submit=_("Discard the draft"),
        done=reverse("training:programme-detail", kwargs={"programme_id": version.programme_id}),
    )


# --- Phases --------------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@requires(AUTHOR)
def phase_create(request: OrganisationHttpRequest, version_id: int) -> HttpResponse:
    version = _version(request, version_id, AUTHOR)
    back = _programme_url(version, "phases")
    if refused := _not_editable(request, version, back):
        return refused
    return _edit_page(
        request,
        PhaseForm(request.POST or None),
        lambda data: services.phase_add(version=version, by=request.user, **data),
        title=_("New phase in %(programme)s") % {"programme": version.programme},
        back=back,
        success=_("The phase was added; add its modules now."),
        intro=_("New phases go at the end; move them into order on the programme page."),
    )


@require_http_methods(["GET", "POST"])
@requires(AUTHOR)
def phase_edit(request: OrganisationHttpRequest, phase_id: int) -> HttpResponse:
    phase = _phase(request, phase_id)
    back = _programme_url(phase.version, f"phase-{phase.pk}")
    if refused := _not_editable(request, phase.version, back):
        return refused
    return _edit_page(
        request,
        PhaseForm(request.POST or None, phase=phase),
        lambda data: services.phase_update(phase=phase, by=request.user, **data),
        title=_("Edit phase %(title)s") % {"title": phase.title},
        back=back,
        success=_("The phase was saved."),
    )


@require_POST
@requires(AUTHOR)
def phase_move(request: OrganisationHttpRequest, phase_id: int) -> HttpResponse:
    phase = _phase(request, phase_id)
    return _move(
        request,
        lambda direction: services.phase_move(phase=phase, by=request.user, direction=direction),
        _programme_url(phase.version, f"phase-{phase.pk}"),
    )


@require_http_methods(["GET", "POST"])
@requires(AUTHOR)
def phase_remove(request: OrganisationHttpRequest, phase_id: int) -> HttpResponse:
    phase = _phase(request, phase_id)
    back = _programme_url(phase.version, "phases")
    if refused := _not_editable(request, phase.version, back):
        return refused
    count = phase.modules.count()
    return _confirm_page(
        request,
        title=_("Remove phase %(title)s") % {"title": phase.title},
        question=(
            _("The phase and its %(count)s modules are removed from this draft.") % {"count": count}
            if count
            else _("The phase is removed from this draft.")
        ),
        back=back,
        write=lambda: services.phase_remove(phase=phase, by=request.user),
        success=_("The phase was removed."),
        submit=_("Remove the phase"),
    )


# --- Modules -------------------------------------------------------------------------------------


@requires(VIEW)
def module_detail(request: OrganisationHttpRequest, module_id: int) -> HttpResponse:
    module = _module(request, module_id, VIEW)
    version = module.version
    if version.is_editable and not selectors.sees_drafts(request.access):
        # A draft is for its authors; the others read the approved programme.
        messages.info(request, _("This module is part of a draft; here is the approved programme."))
        return redirect("training:programme-detail", programme_id=version.programme_id)
    detail = selectors.module_detail(module=module)
    can_edit = (
        version.is_editable
        and not version.programme.is_archived
        and request.user.has_perm(AUTHOR, version)
    )
    return render(
        request,
        "training/programmes/module_detail.html",
        {
            "detail": detail,
            "module": module,
            "version": version,
            "can_edit": can_edit,
            "programme_url": _programme_url(version, f"module-{module.pk}"),
        },
    )


@require_http_methods(["GET", "POST"])
@requires(AUTHOR)
def module_create(request: OrganisationHttpRequest, phase_id: int) -> HttpResponse:
    phase = _phase(request, phase_id)
    version = phase.version
    back = _programme_url(version, f"phase-{phase.pk}")
    if refused := _not_editable(request, version, back):
        return refused
    form = ModuleForm(request.POST or None, version=version, phase=phase)

    def write(data: dict[str, Any]) -> Module:
        data.pop("phase", None)  # the phase of the URL
        return services.module_add(phase=phase, by=request.user, **data)

    if request.method == "POST" and (module := save_with(form, write)):
        messages.success(
            request,
            _("The module was added. Add its objectives, do-steps, faults and checklist below."),
        )
        return redirect(_module_url(module))
    return form_page(
        request,
        form,
        {
            "title": _("New module in %(phase)s") % {"phase": phase.title},
            "back_url": back,
            "intro": _(
                "The module's 4 parts: 1 the workstation and its surroundings, 2 the do-steps "
                "(work instructions, added on the module page), 3 quality care, 4 faults."
            ),
            "submit": _("Add the module"),
        },
    )


@require_http_methods(["GET", "POST"])
@requires(AUTHOR)
def module_edit(request: OrganisationHttpRequest, module_id: int) -> HttpResponse:
    module = _module(request, module_id)
    back = _module_url(module)
    if refused := _not_editable(request, module.version, back):
        return refused
    return _edit_page(
        request,
        ModuleForm(request.POST or None, version=module.version, module=module),
        lambda data: services.module_update(module=module, by=request.user, **data),
        title=_("Edit module %(title)s") % {"title": module.title},
        back=back,
        success=_("The module was saved."),
    )


@require_POST
@requires(AUTHOR)
def module_move(request: OrganisationHttpRequest, module_id: int) -> HttpResponse:
    module = _module(request, module_id)
    return _move(
        request,
        lambda direction: services.module_move(module=module, by=request.user, direction=direction),
        _programme_url(module.version, f"module-{module.pk}"),
    )


@require_http_methods(["GET", "POST"])
@requires(AUTHOR)
def module_remove(request: OrganisationHttpRequest, module_id: int) -> HttpResponse:
    module = _module(request, module_id)
    back = _module_url(module)
    if refused := _not_editable(request, module.version, back):
        return refused
    return _confirm_page(
        request,
        title=_("Remove module %(title)s") % {"title": module.title},
        question=_(
            "The module, its objectives, faults, checklist and links are removed from this "
            "draft; modules that needed it first no longer do."
        ),
        back=back,
        write=lambda: services.module_remove(module=module, by=request.user),
        success=_("The module was removed."),
        submit=_("Remove the module"),
        done=_programme_url(module.version, f"phase-{module.phase_id}"),
    )


# --- What hangs from a module --------------------------------------------------------------------


def _part_create(
    request: OrganisationHttpRequest,
    module_id: int,
    form_class: type[BaseForm],
    write: Callable[[Module, dict[str, Any]], Any],
    *,
    title: str,
    anchor: str,
    success: str,
    form_kwargs: dict[str, Any] | None = None,
) -> HttpResponse:
    module = _module(request, module_id)
    back = _module_url(module, anchor)
    if refused := _not_editable(request, module.version, back):
        return refused
    return _edit_page(
        request,
        form_class(request.POST or None, **(form_kwargs or {})),
        lambda data: write(module, data),
        title=title % {"module": module.title},
        back=back,
        success=success,
    )


def _part_edit(
    request: OrganisationHttpRequest,
    row: Any,
    form: BaseForm,
    write: Callable[[dict[str, Any]], Any],
    *,
    title: str,
    anchor: str,
) -> HttpResponse:
    back = _module_url(row.module, anchor)
    if refused := _not_editable(request, row.module.version, back):
        return refused
    return _edit_page(request, form, write, title=title, back=back, success=_("Saved."))


def _part_remove(
    request: OrganisationHttpRequest,
    row: Any,
    write: Callable[[], Any],
    *,
    title: str,
    anchor: str,
) -> HttpResponse:
    back = _module_url(row.module, anchor)
    if refused := _not_editable(request, row.module.version, back):
        return refused
    return _confirm_page(
        request,
        title=title,
        question=_("It is removed from this draft; the audit log keeps what it was."),
        back=back,
        write=write,
        success=_("Removed."),
        submit=_("Remove"),
    )


@require_http_methods(["GET", "POST"])
@requires(AUTHOR)
def objective_create(request: OrganisationHttpRequest, module_id: int) -> HttpResponse:
    return _part_create(
        request,
        module_id,
        ObjectiveForm,
        lambda module, data: services.objective_add(module=module, by=request.user, **data),
        title=_("New learning objective of %(module)s"),
        anchor="objectives",
        success=_("The objective was added."),
    )


@require_http_methods(["GET", "POST"])
@requires(AUTHOR)
def objective_edit(request: OrganisationHttpRequest, objective_id: int) -> HttpResponse:
    row = _row(request, Objective.objects.all(), objective_id)
    return _part_edit(
        request,
        row,
        ObjectiveForm(request.POST or None, initial={"text": row.text, "measure": row.measure}),
        lambda data: services.objective_update(objective=row, by=request.user, **data),
        title=_("Edit learning objective"),
        anchor="objectives",
    )


@require_POST
@requires(AUTHOR)
def objective_move(request: OrganisationHttpRequest, objective_id: int) -> HttpResponse:
    row = _row(request, Objective.objects.all(), objective_id)
    return _move(
        request,
        lambda direction: services.objective_move(
            objective=row, by=request.user, direction=direction
        ),
        _module_url(row.module, "objectives"),
    )


@require_http_methods(["GET", "POST"])
@requires(AUTHOR)
def objective_remove(request: OrganisationHttpRequest, objective_id: int) -> HttpResponse:
    row = _row(request, Objective.objects.all(), objective_id)
    return _part_remove(
        request,
        row,
        lambda: services.objective_remove(objective=row, by=request.user),
        title=_("Remove the objective '%(text)s'") % {"text": row.text},
        anchor="objectives",
    )


@require_http_methods(["GET", "POST"])
@requires(AUTHOR)
def fault_create(request: OrganisationHttpRequest, module_id: int) -> HttpResponse:
    return _part_create(
        request,
        module_id,
        FaultForm,
        lambda module, data: services.fault_add(module=module, by=request.user, **data),
        title=_("New fault of %(module)s"),
        anchor="faults",
        success=_("The fault was added."),
    )


@require_http_methods(["GET", "POST"])
@requires(AUTHOR)
def fault_edit(request: OrganisationHttpRequest, fault_id: int) -> HttpResponse:
    row = _row(request, Fault.objects.all(), fault_id)
    return _part_edit(
        request,
        row,
        FaultForm(
            request.POST or None,
            initial={"symptom": row.symptom, "cause": row.cause, "remedy": row.remedy},
        ),
        lambda data: services.fault_update(fault=row, by=request.user, **data),
        title=_("Edit fault"),
        anchor="faults",
    )


@require_POST
@requires(AUTHOR)
def fault_move(request: OrganisationHttpRequest, fault_id: int) -> HttpResponse:
    row = _row(request, Fault.objects.all(), fault_id)
    return _move(
        request,
        lambda direction: services.fault_move(fault=row, by=request.user, direction=direction),
        _module_url(row.module, "faults"),
    )


@require_http_methods(["GET", "POST"])
@requires(AUTHOR)
def fault_remove(request: OrganisationHttpRequest, fault_id: int) -> HttpResponse:
    row = _row(request, Fault.objects.all(), fault_id)
    return _part_remove(
        request,
        row,
        lambda: services.fault_remove(fault=row, by=request.user),
        title=_("Remove the fault '%(symptom)s'") % {"symptom": row.symptom},
        anchor="faults",
    )


@require_http_methods(["GET", "POST"])
@requires(AUTHOR)
def checklist_item_create(request: OrganisationHttpRequest, module_id: int) -> HttpResponse:
    return _part_create(
        request,
        module_id,
        ChecklistItemForm,
        lambda module, data: services.checklist_item_add(module=module, by=request.user, **data),
        title=_("New checklist item of %(module)s"),
        anchor="checklist",
        success=_("The item was added to the checklist."),
    )


@require_http_methods(["GET", "POST"])
@requires(AUTHOR)
def checklist_item_edit(request: OrganisationHttpRequest, checklist_item_id: int) -> HttpResponse:
    row = _row(request, ChecklistItem.objects.all(), checklist_item_id)
    return _part_edit(
        request,
        row,
        ChecklistItemForm(request.POST or None, initial={"text": row.text}),
        lambda data: services.checklist_item_update(item=row, by=request.user, **data),
        title=_("Edit checklist item"),
        anchor="checklist",
    )


@require_POST
@requires(AUTHOR)
def checklist_item_move(request: OrganisationHttpRequest, checklist_item_id: int) -> HttpResponse:
    row = _row(request, ChecklistItem.objects.all(), checklist_item_id)
    return _move(
        request,
        lambda direction: services.checklist_item_move(
            item=row, by=request.user, direction=direction
        ),
        _module_url(row.module, "checklist"),
    )


@require_http_methods(["GET", "POST"])
@requires(AUTHOR)
def checklist_item_remove(request: OrganisationHttpRequest, checklist_item_id: int) -> HttpResponse:
    row = _row(request, ChecklistItem.objects.all(), checklist_item_id)
    return _part_remove(
        request,
        row,
        lambda: services.checklist_item_remove(item=row, by=request.user),
        title=_("Remove the checklist item '%(text)s'") % {"text": row.text},
        anchor="checklist",
    )


@require_http_methods(["GET", "POST"])
@requires(AUTHOR)
def module_competence_create(request: OrganisationHttpRequest, module_id: int) -> HttpResponse:
    return _part_create(
        request,
        module_id,
        ModuleCompetenceForm,
        lambda module, data: services.module_competence_add(module=module, by=request.user, **data),
        title=_("New competence developed by %(module)s"),
        anchor="competences",
        success=_("The competence was added."),
        form_kwargs={"organisation": request.organisation},
    )


@require_http_methods(["GET", "POST"])
@requires(AUTHOR)
def module_competence_edit(
    request: OrganisationHttpRequest, module_competence_id: int
) -> HttpResponse:
    row = _row(
        request,
        ModuleCompetence.objects.select_related("competence", "level"),
        module_competence_id,
    )
    return _part_edit(
        request,
        row,
        ModuleCompetenceForm(
            request.POST or None,
            organisation=request.organisation,
            fixed=True,
            initial={"level": row.level_id},
        ),
        lambda data: services.module_competence_update(
            row=row, by=request.user, level=data["level"]
        ),
        title=_("Level of %(competence)s") % {"competence": row.competence},
        anchor="competences",
    )


@require_http_methods(["GET", "POST"])
@requires(AUTHOR)
def module_competence_remove(
    request: OrganisationHttpRequest, module_competence_id: int
) -> HttpResponse:
    row = _row(request, ModuleCompetence.objects.select_related("competence"), module_competence_id)
    return _part_remove(
        request,
        row,
        lambda: services.module_competence_remove(row=row, by=request.user),
        title=_("Remove the competence %(competence)s") % {"competence": row.competence},
        anchor="competences",
    )


@require_http_methods(["GET", "POST"])
@requires(AUTHOR)
def module_instruction_create(request: OrganisationHttpRequest, module_id: int) -> HttpResponse:
    return _part_create(
        request,
        module_id,
        ModuleInstructionForm,
        lambda module, data: services.module_instruction_add(
            module=module, by=request.user, **data
        ),
        title=_("New do-step (work instruction) of %(module)s"),
        anchor="do-steps",
        success=_("The work instruction was added to the do-steps."),
        form_kwargs={"organisation": request.organisation},
    )


@require_POST
@requires(AUTHOR)
def module_instruction_move(
    request: OrganisationHttpRequest, module_instruction_id: int
) -> HttpResponse:
    row = _row(request, ModuleInstruction.objects.all(), module_instruction_id)
    return _move(
        request,
        lambda direction: services.module_instruction_move(
            link=row, by=request.user, direction=direction
        ),
        _module_url(row.module, "do-steps"),
    )


@require_http_methods(["GET", "POST"])
@requires(AUTHOR)
def module_instruction_remove(
    request: OrganisationHttpRequest, module_instruction_id: int
) -> HttpResponse:
    row = _row(
        request, ModuleInstruction.objects.select_related("instruction"), module_instruction_id
    )
    return _part_remove(
        request,
        row,
        lambda: services.module_instruction_remove(link=row, by=request.user),
        title=_("Remove %(code)s from the do-steps") % {"code": row.instruction.code},
        anchor="do-steps",
    )


# --- The home page -------------------------------------------------------------------------------


def home_part(request: OrganisationHttpRequest) -> tuple[str, dict[str, Any]] | None:
    """Programme versions waiting for approval, for HR and administrators (one query)."""
    if not request.user.has_perm(APPROVE):
        return None
    waiting = selectors.waiting_for_approval(organisation=request.organisation)
    if not waiting:
        return None
    return ("training/programmes/home_part.html", {"waiting": waiting[:5], "count": len(waiting)})


urlpatterns: list[URLPattern] = [
    path("programmes/", programme_list, name="programme-list"),
    path("programmes/new/", programme_create, name="programme-create"),
    path("programmes/<int:programme_id>/", programme_detail, name="programme-detail"),
    path("programmes/<int:programme_id>/edit/", programme_edit, name="programme-edit"),
    path("programmes/<int:programme_id>/archive/", programme_archive, name="programme-archive"),
    path("programmes/<int:programme_id>/new-version/", programme_draft, name="programme-draft"),
    path("programmes/versions/<int:version_id>/edit/", version_edit, name="version-edit"),
    path("programmes/versions/<int:version_id>/submit/", version_submit, name="version-submit"),
    path("programmes/versions/<int:version_id>/approve/", version_approve, name="version-approve"),
    path("programmes/versions/<int:version_id>/return/", version_return, name="version-return"),
    path("programmes/versions/<int:version_id>/discard/", version_discard, name="version-discard"),
    path("programmes/versions/<int:version_id>/phases/new/", phase_create, name="phase-create"),
    path("programmes/phases/<int:phase_id>/edit/", phase_edit, name="phase-edit"),
    path("programmes/phases/<int:phase_id>/move/", phase_move, name="phase-move"),
    path("programmes/phases/<int:phase_id>/remove/", phase_remove, name="phase-remove"),
    path("programmes/phases/<int:phase_id>/modules/new/", module_create, name="module-create"),
    path("programmes/modules/<int:module_id>/", module_detail, name="module-detail"),
    path("programmes/modules/<int:module_id>/edit/", module_edit, name="module-edit"),
    path("programmes/modules/<int:module_id>/move/", module_move, name="module-move"),
    path("programmes/modules/<int:module_id>/remove/", module_remove, name="module-remove"),
    path(
        "programmes/modules/<int:module_id>/objectives/new/",
        objective_create,
        name="objective-create",
    ),
    path("programmes/objectives/<int:objective_id>/edit/", objective_edit, name="objective-edit"),
    path("programmes/objectives/<int:objective_id>/move/", objective_move, name="objective-move"),
    path(
        "programmes/objectives/<int:objective_id>/remove/",
        objective_remove,
        name="objective-remove",
    ),
    path("programmes/modules/<int:module_id>/faults/new/", fault_create, name="fault-create"),
    path("programmes/faults/<int:fault_id>/edit/", fault_edit, name="fault-edit"),
    path("programmes/faults/<int:fault_id>/move/", fault_move, name="fault-move"),
    path("programmes/faults/<int:fault_id>/remove/", fault_remove, name="fault-remove"),
    path(
        "programmes/modules/<int:module_id>/checklist/new/",
        checklist_item_create,
        name="checklist-item-create",
    ),
    path(
        "programmes/checklist/<int:checklist_item_id>/edit/",
        checklist_item_edit,
        name="checklist-item-edit",
    ),
    path(
        "programmes/checklist/<int:checklist_item_id>/move/",
        checklist_item_move,
        name="checklist-item-move",
    ),
    path(
        "programmes/checklist/<int:checklist_item_id>/remove/",
        checklist_item_remove,
        name="checklist-item-remove",
    ),
    path(
        "programmes/modules/<int:module_id>/competences/new/",
        module_competence_create,
        name="module-competence-create",
    ),
    path(
        "programmes/module-competences/<int:module_competence_id>/edit/",
        module_competence_edit,
        name="module-competence-edit",
    ),
    path(
        "programmes/module-competences/<int:module_competence_id>/remove/",
        module_competence_remove,
        name="module-competence-remove",
    ),
    path(
        "programmes/modules/<int:module_id>/instructions/new/",
        module_instruction_create,
        name="module-instruction-create",
    ),
    path(
        "programmes/module-instructions/<int:module_instruction_id>/move/",
        module_instruction_move,
        name="module-instruction-move",
    ),
    path(
        "programmes/module-instructions/<int:module_instruction_id>/remove/",
        module_instruction_remove,
        name="module-instruction-remove",
    ),
]
