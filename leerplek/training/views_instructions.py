"""Pages of work instructions (OJT-06, OJT-07, OJT-08, OJT-13; see docs/training.md, "Work
instructions").

- `training:instruction-list` / `-detail`: the library; an instruction in the reader's language
  with its versions, holders, read requests and "two versions" signals.
- The TWI editor on a draft (`training:version-edit`): title, quality norm, what changed; the
  important steps with a photo each, every step's key points with their reasons; a translation
  page per language; approval (four eyes) fans out the read requests.
- Languages, signals and the confirmation of a read request.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import URLPattern, path, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from leerplek.core.decorators import requires
from leerplek.core.formviews import form_page, save_with
from leerplek.core.http import OrganisationHttpRequest
from leerplek.people.models import Employee
from leerplek.training import selectors_instructions as selectors
from leerplek.training import services_instructions as services
from leerplek.training.forms_instructions import (
    ConfirmForm,
    InstructionForm,
    InstructionSettingsForm,
    KeyPointForm,
    LanguageForm,
    MoveForm,
    SignalForm,
    SignalHandleForm,
    StepForm,
    TranslationForm,
    VersionForm,
)
from leerplek.training.models import (
    ContentLanguage,
    InstructionStep,
    InstructionVersion,
    KeyPoint,
    PracticeSignal,
    ReadRequest,
    SignalStatus,
    VersionStatus,
    WorkInstruction,
)
from leerplek.training.models.instructions import SOURCE_LANGUAGE
from leerplek.training.photos import photo_response


def _instruction(request: OrganisationHttpRequest, instruction_id: int) -> WorkInstruction:
    return get_object_or_404(
        WorkInstruction.objects.select_related("workstation", "job", "owner"),
        organisation_id=request.access.organisation_id,
        pk=instruction_id,
    )


def _version(request: OrganisationHttpRequest, version_id: int) -> InstructionVersion:
    return get_object_or_404(
        InstructionVersion.objects.select_related("instruction"),
        organisation_id=request.access.organisation_id,
        pk=version_id,
    )


def _step(request: OrganisationHttpRequest, step_id: int) -> InstructionStep:
    return get_object_or_404(
        InstructionStep.objects.select_related("version__instruction"),
        version__organisation_id=request.access.organisation_id,
        pk=step_id,
    )


def _point(request: OrganisationHttpRequest, point_id: int) -> KeyPoint:
    return get_object_or_404(
        KeyPoint.objects.select_related("step__version__instruction"),
        step__version__organisation_id=request.access.organisation_id,
        pk=point_id,
    )


def _locked_redirect(request: OrganisationHttpRequest, version: InstructionVersion) -> Any:
    """An approved version never changes: its edit links lead back to the instruction."""
    if version.is_editable:
        return None
    messages.info(
        request,
        _("Version %(number)s is approved and can no longer change: start a new version.")
        % {"number": version.number},
    )
    return redirect("training:instruction-detail", instruction_id=version.instruction_id)


def _person(request: OrganisationHttpRequest) -> Employee | None:
    if request.access.employee_id is None:
        return None
    return Employee.objects.select_related("user").filter(pk=request.access.employee_id).first()


def _editor_url(version: InstructionVersion, anchor: str = "") -> str:
    url = reverse("training:version-edit", kwargs={"instruction_version_id": version.pk})
    return f"{url}#{anchor}" if anchor else url


def sees_drafts(request: OrganisationHttpRequest) -> bool:
    return bool(
        request.user.has_perm("training.author_instructions")
        or request.user.has_perm("training.approve_instructions")
    )


# --- Library -------------------------------------------------------------------------------------


@requires("training.view_instructions")
def instruction_list(request: OrganisationHttpRequest) -> HttpResponse:
    query = request.GET.get("q", "")[:100]
    rows, total = selectors.instruction_list(organisation_id=request.organisation.pk, query=query)
    return render(
        request,
        "training/instructions/instruction_list.html",
        {
            "rows": rows,
            "total": total,
            "query": query,
            "can_author": request.user.has_perm("training.author_instructions"),
            "can_languages": request.user.has_perm("training.manage_languages"),
            "can_signals": request.user.has_perm("training.handle_signals"),
        },
    )


@requires("training.author_instructions")
def instruction_create(request: OrganisationHttpRequest) -> HttpResponse:
    form = InstructionForm(
        request.POST or None,
        organisation=request.organisation,
        initial={"workstation": request.GET.get("workstation")},
    )
    if request.method == "POST" and (
        instruction := save_with(
            form,
            lambda data: services.instruction_create(
                organisation=request.organisation, by=request.user, **data
            ),
        )
    ):
        messages.success(request, _("Draft version 1 is open: add the important steps."))
        return redirect(_editor_url(instruction.versions.get()))
    return form_page(
        request,
        form,
        {
            "title": _("New work instruction"),
            "cancel_url": "training:instruction-list",
            "intro": _(
                "A job broken down the TWI way: important steps (what), key points (how) and "
                "reasons (why), a photo per step."
            ),
            "submit": _("Create and write the steps"),
        },
    )


@requires("training.view_instructions")
def instruction_detail(request: OrganisationHttpRequest, instruction_id: int) -> HttpResponse:
    instruction = _instruction(request, instruction_id)
    drafts = sees_drafts(request)
    number = request.GET.get("version", "")
    detail = selectors.instruction_detail(
        instruction=instruction,
        number=int(number) if number.isdigit() else None,
        sees_drafts=drafts,
    )
    offered = selectors.offered_languages(request.organisation.pk)
    language = selectors.reader_language(_person(request), offered, request.GET.get("lang", ""))
    reading = (
        selectors.reading(version=detail.shown, language=language, offered=offered)
        if detail.shown
        else None
    )
    user = request.user
    return render(
        request,
        "training/instructions/instruction_detail.html",
        {
            "instruction": instruction,
            "detail": detail,
            "reading": reading,
            "can_author": user.has_perm("training.author_instructions", instruction),
            "can_approve": user.has_perm("training.approve_instructions", instruction),
            "can_print": user.has_perm("training.print_codes"),
            "can_signal": request.access.employee_id is not None,
            "can_handle": user.has_perm("training.handle_signals", instruction),
        },
    )


@requires("training.author_instructions")
def instruction_edit(request: OrganisationHttpRequest, instruction_id: int) -> HttpResponse:
    instruction = _instruction(request, instruction_id)
    form = InstructionSettingsForm(
        request.POST or None,
        organisation=request.organisation,
        initial={
            "code": instruction.code,
            "workstation": instruction.workstation_id,
            "job": instruction.job_id,
            "owner": instruction.owner_id,
            "is_archived": instruction.is_archived,
        },
    )
    if request.method == "POST" and save_with(
        form,
        lambda data: services.instruction_update(instruction=instruction, by=request.user, **data),
    ):
        messages.success(request, _("The instruction is saved."))
        return redirect("training:instruction-detail", instruction_id=instruction.pk)
    return form_page(
        request,
        form,
        {
            "title": _("Settings of %(code)s") % {"code": instruction.code},
            "back_url": reverse("training:instruction-detail", args=[instruction.pk]),
        },
    )


@requires("training.author_instructions")
def instruction_draft(request: OrganisationHttpRequest, instruction_id: int) -> HttpResponse:
    instruction = _instruction(request, instruction_id)
    form = ConfirmForm(request.POST or None)
    if request.method == "POST" and (
        draft := save_with(
            form,
            lambda _data: services.instruction_version_draft(
                instruction=instruction, by=request.user
            ),
        )
    ):
        messages.success(
            request,
            _("Version %(number)s is open as a draft; the approved version stays in use.")
            % {"number": draft.number},
        )
        return redirect(_editor_url(draft))
    return form_page(
        request,
        form,
        {
            "title": _("A new version of %(code)s") % {"code": instruction.code},
            "back_url": reverse("training:instruction-detail", args=[instruction.pk]),
            "intro": _(
                "The approved version is copied into a draft. Once the draft is approved, "
                "everyone who holds the instruction is asked to read what changed."
            ),
            "submit": _("Start the new version"),
        },
    )


# --- The TWI editor ------------------------------------------------------------------------------


def _editor_page(
    request: OrganisationHttpRequest,
    version: InstructionVersion,
    *,
    status: int = 200,
    version_form: VersionForm | None = None,
    step_form: StepForm | None = None,
) -> HttpResponse:
    if not request.user.has_perm("training.author_instructions", version):
        raise PermissionDenied
    offered = selectors.offered_languages(request.organisation.pk)
    reading = selectors.reading(version=version, language=SOURCE_LANGUAGE, offered=offered)
    translated = {
        code: sum(1 for view in reading.steps if view.step.text.get(code)) for code in offered
    }
    return render(
        request,
        "training/instructions/editor.html",
        {
            "version": version,
            "instruction": version.instruction,
            "reading": reading,
            "editable": version.is_editable,
            "version_form": version_form or VersionForm.for_version(version),
            "step_form": step_form or StepForm(),
            "languages": [(row, translated[code]) for code, row in offered.items()],
            "max_steps": services.max_steps(),
        },
        status=status,
    )


@requires("training.author_instructions")
def version_edit(request: OrganisationHttpRequest, instruction_version_id: int) -> HttpResponse:
    version = _version(request, instruction_version_id)
    if request.method != "POST":
        return _editor_page(request, version)
    form = VersionForm(request.POST)
    if form.is_valid() and save_with(
        form,
        lambda _data: services.version_update(
            version=version, by=request.user, **form.service_values()
        ),
    ):
        messages.success(request, _("Saved."))
        return redirect(_editor_url(version))
    return _editor_page(request, version, status=422, version_form=form)


@require_POST
@requires("training.author_instructions")
def step_add(request: OrganisationHttpRequest, instruction_version_id: int) -> HttpResponse:
    version = _version(request, instruction_version_id)
    form = StepForm(request.POST, request.FILES)
    if step := save_with(
        form,
        lambda data: services.step_add(
            version=version,
            by=request.user,
            text={SOURCE_LANGUAGE: data["text"]},
            photo=data["photo"],
            video_url=data["video_url"],
        ),
    ):
        messages.success(
            request, _("Step %(n)s is added. Now its key points.") % {"n": step.position}
        )
        return redirect(_editor_url(version, f"step-{step.pk}"))
    return _editor_page(request, version, status=422, step_form=form)


@requires("training.author_instructions")
def step_edit(request: OrganisationHttpRequest, instruction_step_id: int) -> HttpResponse:
    step = _step(request, instruction_step_id)
    if locked := _locked_redirect(request, step.version):
        return locked
    form = StepForm.for_step(step, request.POST or None, request.FILES or None)
    if request.method == "POST" and save_with(
        form,
        lambda data: services.step_update(
            step=step,
            by=request.user,
            text={SOURCE_LANGUAGE: data["text"]},
            photo=data["photo"] or None,
            video_url=data["video_url"],
            remove_photo=data.get("remove_photo", False),
        ),
    ):
        messages.success(request, _("The step is saved."))
        return redirect(_editor_url(step.version, f"step-{step.pk}"))
    return form_page(
        request,
        form,
        {
            "title": _("Step %(n)s") % {"n": step.position},
            "back_url": _editor_url(step.version, f"step-{step.pk}"),
        },
    )


@require_POST
@requires("training.author_instructions")
def step_move(request: OrganisationHttpRequest, instruction_step_id: int) -> HttpResponse:
    step = _step(request, instruction_step_id)
    form = MoveForm(request.POST)
    if (
        save_with(
            form,
            lambda data: services.step_move(
                step=step, by=request.user, direction=data["direction"]
            ),
        )
        is None
        and form.errors
    ):
        messages.error(request, _("Choose up or down."))
    return redirect(_editor_url(step.version, f"step-{step.pk}"))


def _remove_page(
    request: OrganisationHttpRequest, *, what: str, back: str, remove: Any
) -> HttpResponse:
    form = ConfirmForm(request.POST or None)
    if request.method == "POST" and save_with(form, lambda _data: remove() or True):
        messages.success(request, _("Removed."))
        return redirect(back)
    return form_page(
        request,
        form,
        {
            "title": _("Remove %(what)s?") % {"what": what},
            "back_url": back,
            "submit": _("Remove"),
            "danger": True,
        },
    )


@requires("training.author_instructions")
def step_remove(request: OrganisationHttpRequest, instruction_step_id: int) -> HttpResponse:
    step = _step(request, instruction_step_id)
    if locked := _locked_redirect(request, step.version):
        return locked
    return _remove_page(
        request,
        what=str(step.text.get(SOURCE_LANGUAGE, "")),
        back=_editor_url(step.version, "steps"),
        remove=lambda: services.step_remove(step=step, by=request.user),
    )


@requires("training.author_instructions")
def key_point_add(request: OrganisationHttpRequest, instruction_step_id: int) -> HttpResponse:
    step = _step(request, instruction_step_id)
    if locked := _locked_redirect(request, step.version):
        return locked
    form = KeyPointForm(request.POST or None, initial={"kind": "safety"})
    if request.method == "POST" and save_with(
        form,
        lambda data: services.key_point_add(
            step=step,
            by=request.user,
            kind=data["kind"],
            text={SOURCE_LANGUAGE: data["text"]},
            reason={SOURCE_LANGUAGE: data["reason"]},
        ),
    ):
        messages.success(request, _("The key point is added."))
        return redirect(_editor_url(step.version, f"step-{step.pk}"))
    return form_page(
        request,
        form,
        {
            "title": _("Key point of step %(n)s") % {"n": step.position},
            "intro": step.text.get(SOURCE_LANGUAGE, ""),
            "back_url": _editor_url(step.version, f"step-{step.pk}"),
            "submit": _("Add the key point"),
        },
    )


@requires("training.author_instructions")
def key_point_edit(request: OrganisationHttpRequest, key_point_id: int) -> HttpResponse:
    point = _point(request, key_point_id)
    if locked := _locked_redirect(request, point.step.version):
        return locked
    form = KeyPointForm.for_point(point, request.POST or None)
    if request.method == "POST" and save_with(
        form,
        lambda data: services.key_point_update(
            point=point,
            by=request.user,
            kind=data["kind"],
            text={SOURCE_LANGUAGE: data["text"]},
            reason={SOURCE_LANGUAGE: data["reason"]},
        ),
    ):
        messages.success(request, _("The key point is saved."))
        return redirect(_editor_url(point.step.version, f"step-{point.step_id}"))
    return form_page(
        request,
        form,
        {
            "title": _("Key point"),
            "intro": point.step.text.get(SOURCE_LANGUAGE, ""),
            "back_url": _editor_url(point.step.version, f"step-{point.step_id}"),
        },
    )


@require_POST
@requires("training.author_instructions")
def key_point_move(request: OrganisationHttpRequest, key_point_id: int) -> HttpResponse:
    point = _point(request, key_point_id)
    form = MoveForm(request.POST)
    if (
        save_with(
            form,
            lambda data: services.key_point_move(
                point=point, by=request.user, direction=data["direction"]
            ),
        )
        is None
        and form.errors
    ):
        messages.error(request, _("Choose up or down."))
    return redirect(_editor_url(point.step.version, f"step-{point.step_id}"))


@requires("training.author_instructions")
def key_point_remove(request: OrganisationHttpRequest, key_point_id: int) -> HttpResponse:
    point = _point(request, key_point_id)
    if locked := _locked_redirect(request, point.step.version):
        return locked
    return _remove_page(
        request,
        what=str(point.text.get(SOURCE_LANGUAGE, "")),
        back=_editor_url(point.step.version, f"step-{point.step_id}"),
        remove=lambda: services.key_point_remove(point=point, by=request.user),
    )


@requires("training.author_instructions")
def version_translate(
    request: OrganisationHttpRequest, instruction_version_id: int, language: str
) -> HttpResponse:
    version = _version(request, instruction_version_id)
    chosen = get_object_or_404(ContentLanguage, organisation=request.organisation, code=language)
    steps = list(version.steps.prefetch_related("key_points").order_by("position", "id"))
    form = TranslationForm(request.POST or None, version=version, language=language, steps=steps)
    if request.method == "POST" and save_with(
        form,
        lambda data: services.translation_save(
            version=version, by=request.user, language=language, texts=data
        ),
    ):
        messages.success(
            request, _("The %(language)s texts are saved.") % {"language": chosen.name}
        )
        return redirect(_editor_url(version, "languages"))
    return form_page(
        request,
        form,
        {
            "title": _("%(code)s in %(language)s")
            % {
                "code": version.instruction.code,
                "language": chosen.name,
            },
            "intro": _(
                "Each field shows the Dutch text. Leave a field empty and the worker sees the "
                "Dutch, marked as untranslated."
            ),
            "back_url": _editor_url(version, "languages"),
            "stylesheet": "training/instructions.css",
        },
    )


@requires("training.approve_instructions")
def version_approve(request: OrganisationHttpRequest, instruction_version_id: int) -> HttpResponse:
    version = _version(request, instruction_version_id)
    form = ConfirmForm(request.POST or None)
    if request.method == "POST" and (
        approved := save_with(
            form, lambda _data: services.version_approve(version=version, by=request.user)
        )
    ):
        asked = ReadRequest.objects.filter(version=approved).count()
        text = _("Version %(number)s is approved and in use.") % {"number": approved.number}
        if asked:
            text += " " + _("%(n)s holders are asked to read and confirm it.") % {"n": asked}
        messages.success(request, text)
        return redirect("training:instruction-detail", instruction_id=version.instruction_id)
    problems = services.approval_problems(version)
    offered = selectors.offered_languages(request.organisation.pk)
    return render(
        request,
        "training/instructions/approve.html",
        {
            "form": form,
            "version": version,
            "instruction": version.instruction,
            "problems": problems,
            "reading": selectors.reading(
                version=version, language=SOURCE_LANGUAGE, offered=offered
            ),
            "holders": version.instruction.holders.count(),
        },
        status=422 if form.errors else 200,
    )


@requires("training.author_instructions")
def version_discard(request: OrganisationHttpRequest, instruction_version_id: int) -> HttpResponse:
    version = _version(request, instruction_version_id)
    return _remove_page(
        request,
        what=_("the draft of version %(number)s") % {"number": version.number},
        back=reverse("training:instruction-detail", args=[version.instruction_id]),
        remove=lambda: services.version_discard(version=version, by=request.user),
    )


@requires("training.view_instructions")
def step_photo(request: OrganisationHttpRequest, instruction_step_id: int) -> HttpResponse:
    step = _step(request, instruction_step_id)
    if step.version.is_editable and not sees_drafts(request):
        raise PermissionDenied
    # A streamed file, not an HttpResponse subclass; Django's handler takes either.
    return photo_response(step.photo)  # type: ignore[return-value]


# --- Languages -----------------------------------------------------------------------------------


@requires("training.manage_languages")
def language_list(request: OrganisationHttpRequest) -> HttpResponse:
    form = LanguageForm(request.POST or None)
    if request.method == "POST" and (
        language := save_with(
            form,
            lambda data: services.language_add(
                organisation=request.organisation, by=request.user, **data
            ),
        )
    ):
        messages.success(request, _("%(name)s is added.") % {"name": language.name})
        return redirect("training:language-list")
    return render(
        request,
        "training/instructions/languages.html",
        {
            "form": form,
            "languages": ContentLanguage.objects.filter(organisation=request.organisation),
        },
        status=422 if form.errors else 200,
    )


@requires("training.manage_languages")
def language_remove(request: OrganisationHttpRequest, content_language_id: int) -> HttpResponse:
    language = get_object_or_404(
        ContentLanguage, organisation_id=request.access.organisation_id, pk=content_language_id
    )
    return _remove_page(
        request,
        what=language.name,
        back=reverse("training:language-list"),
        remove=lambda: services.language_remove(language=language, by=request.user),
    )


# --- Signals and reading -------------------------------------------------------------------------


@requires("training.raise_signal")
def signal_create(request: OrganisationHttpRequest, instruction_id: int) -> HttpResponse:
    instruction = _instruction(request, instruction_id)
    approved = instruction.versions.filter(status=VersionStatus.APPROVED).first()
    steps = approved.steps.order_by("position") if approved else InstructionStep.objects.none()
    form = SignalForm(request.POST or None, steps=steps, initial={"step": request.GET.get("step")})
    if request.method == "POST" and save_with(
        form,
        lambda data: services.signal_raise(
            instruction=instruction, by=request.user, raised_by=_person(request), **data
        ),
    ):
        messages.success(
            request, _("Thank you. The owner of the instruction plans a round table about it.")
        )
        return redirect("training:instruction-detail", instruction_id=instruction.pk)
    return form_page(
        request,
        form,
        {
            "title": _("Two versions of %(code)s?") % {"code": instruction.code},
            "intro": _(
                "Were you shown a step differently than the instruction says? Tell it here: the "
                "owner brings both ways to a round table and the best one becomes the rule."
            ),
            "back_url": reverse("training:instruction-detail", args=[instruction.pk]),
            "submit": _("Send"),
        },
    )


@requires("training.handle_signals")
def signal_list(request: OrganisationHttpRequest) -> HttpResponse:
    return render(
        request,
        "training/instructions/signals.html",
        {"signals": list(selectors.open_signals(organisation_id=request.organisation.pk))},
    )


@requires("training.handle_signals")
def signal_handle(request: OrganisationHttpRequest, practice_signal_id: int) -> HttpResponse:
    signal = get_object_or_404(
        PracticeSignal.objects.select_related("instruction", "raised_by", "step"),
        organisation_id=request.access.organisation_id,
        pk=practice_signal_id,
    )
    form = SignalHandleForm(
        request.POST or None,
        versions=signal.instruction.versions.order_by("-number"),
        initial={
            "status": SignalStatus.ROUND_TABLE
            if signal.status == SignalStatus.OPEN
            else signal.status,
            "round_table_on": signal.round_table_on,
            "participants": signal.participants,
            "outcome": signal.outcome,
        },
    )
    if request.method == "POST" and save_with(
        form, lambda data: services.signal_handle(signal=signal, by=request.user, **data)
    ):
        messages.success(request, _("The signal is saved."))
        return redirect("training:signal-list")
    return form_page(
        request,
        form,
        {
            "title": _("Two versions: %(code)s") % {"code": signal.instruction.code},
            "intro": f"{signal.raised_by}: “{signal.description}”",
            "back_url": reverse("training:signal-list"),
        },
    )


@require_POST
@requires("training.confirm_reading")
def read_confirm(request: OrganisationHttpRequest, read_request_id: int) -> HttpResponse:
    read = get_object_or_404(
        ReadRequest.objects.select_related("version"),
        organisation_id=request.access.organisation_id,
        pk=read_request_id,
    )
    if read.employee_id != request.access.employee_id:
        raise PermissionDenied
    if save_with(
        ConfirmForm(request.POST), lambda _d: services.read_confirm(request=read, by=request.user)
    ):
        messages.success(request, _("Thank you: you hold the new version now."))
    return redirect(reverse("training:instruction-read", args=[read.version.instruction_id]))


def _read_part(employee_id: int | None) -> Any:
    """New versions this person must read and confirm (one query)."""
    if employee_id is None:
        return None
    rows = selectors.open_read_requests(employee_id=employee_id)
    if not rows:
        return None
    return ("training/instructions/read_part.html", {"rows": rows})


def mine_part(request: OrganisationHttpRequest, employee: Any) -> Any:
    return _read_part(employee.pk)


def home_part(request: OrganisationHttpRequest) -> Any:
    return _read_part(request.access.employee_id)


urlpatterns: list[URLPattern] = [
    path("instructions/", instruction_list, name="instruction-list"),
    path("instructions/new/", instruction_create, name="instruction-create"),
    path("instructions/<int:instruction_id>/", instruction_detail, name="instruction-detail"),
    path("instructions/<int:instruction_id>/edit/", instruction_edit, name="instruction-edit"),
    path("instructions/<int:instruction_id>/draft/", instruction_draft, name="instruction-draft"),
    path("instructions/<int:instruction_id>/signal/", signal_create, name="signal-create"),
    path(
        "instruction-versions/<int:instruction_version_id>/",
        version_edit,
        name="version-edit",
    ),
    path(
        "instruction-versions/<int:instruction_version_id>/steps/new/",
        step_add,
        name="step-add",
    ),
    path(
        "instruction-versions/<int:instruction_version_id>/approve/",
        version_approve,
        name="instruction-version-approve",
    ),
    path(
        "instruction-versions/<int:instruction_version_id>/discard/",
        version_discard,
        name="instruction-version-discard",
    ),
    path(
        "instruction-versions/<int:instruction_version_id>/translate/<slug:language>/",
        version_translate,
        name="version-translate",
    ),
    path("steps/<int:instruction_step_id>/edit/", step_edit, name="step-edit"),
    path("steps/<int:instruction_step_id>/move/", step_move, name="step-move"),
    path("steps/<int:instruction_step_id>/remove/", step_remove, name="step-remove"),
    path("steps/<int:instruction_step_id>/photo/", step_photo, name="step-photo"),
    path("steps/<int:instruction_step_id>/key-points/new/", key_point_add, name="key-point-add"),
    path("key-points/<int:key_point_id>/edit/", key_point_edit, name="key-point-edit"),
    path("key-points/<int:key_point_id>/move/", key_point_move, name="key-point-move"),
    path("key-points/<int:key_point_id>/remove/", key_point_remove, name="key-point-remove"),
    path("instruction-languages/", language_list, name="language-list"),
    path(
        "instruction-languages/<int:content_language_id>/remove/",
        language_remove,
        name="language-remove",
    ),
    path("signals/", signal_list, name="signal-list"),
    path("signals/<int:practice_signal_id>/", signal_handle, name="signal-handle"),
    path("read-requests/<int:read_request_id>/confirm/", read_confirm, name="read-confirm"),
]
