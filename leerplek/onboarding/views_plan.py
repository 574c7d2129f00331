"""Pages for running an onboarding (issue #5, area 'plan'): changing a started plan, completing
or cancelling it, the newcomer ticking his tasks and keeping his notebook, observations by
experienced colleagues, and the release to independent work.
"""

from __future__ import annotations

import logging
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import URLPattern, path, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from leerplek.competences import evidence
from leerplek.core.decorators import requires
from leerplek.core.formviews import form_page, fresh_copy, save_with
from leerplek.core.htmx import is_htmx, vary_on_htmx
from leerplek.core.http import OrganisationHttpRequest
from leerplek.onboarding import selectors, selectors_plan, services_plan
from leerplek.onboarding.forms_plan import (
    EndForm,
    NotebookForm,
    ObservationForm,
    PlanTaskForm,
    ReleaseForm,
    ShiftForm,
)
from leerplek.onboarding.models import (
    NotebookEntry,
    Onboarding,
    OnboardingStatus,
    OnboardingTask,
)
from leerplek.onboarding.views import ONBOARDING_RELATED, allowed_onboarding
from leerplek.people.models import Workstation

logger = logging.getLogger(__name__)


def _task(request: OrganisationHttpRequest, perm: str, onboarding_task_id: int) -> OnboardingTask:
    """A task of this organisation's onboardings; `perm` is checked on its onboarding."""
    task = get_object_or_404(
        OnboardingTask.objects.select_related(
            *(f"onboarding__{name}" for name in ONBOARDING_RELATED)
        ),
        onboarding__organisation_id=request.access.organisation_id,
        pk=onboarding_task_id,
    )
    if not request.user.has_perm(perm, task.onboarding):
        raise PermissionDenied
    return task


def _detail_url(onboarding_id: int) -> str:
    return reverse("onboarding:onboarding-detail", kwargs={"onboarding_id": onboarding_id})


def _form_page(
    request: OrganisationHttpRequest,
    form: Any,
    *,
    title: str,
    back_url: str,
    intro: str = "",
    submit: str = "",
    danger: bool = False,
) -> HttpResponse:
    """The shared form page, with a way back to the onboarding (not to a list)."""
    return form_page(
        request,
        form,
        {
            "title": title,
            "back_url": back_url,
            "intro": intro,
            "submit": submit,
            "danger": danger,
            "stylesheet": "onboarding/plan.css",
        },
    )


# --- Editing a started plan ----------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@requires("onboarding.manage_onboarding")
def plan_task_add(request: OrganisationHttpRequest, onboarding_id: int) -> HttpResponse:
    onboarding = allowed_onboarding(request, "onboarding.manage_onboarding", onboarding_id)
    form = PlanTaskForm(
        request.POST or None,
        organisation_id=onboarding.organisation_id,
        initial={"due_on": max(onboarding.start_date, selectors_plan.today())},
    )
    if request.method == "POST" and (
        task := save_with(
            form,
            lambda data: services_plan.plan_task_add(
                onboarding=onboarding, by=request.user, **data
            ),
        )
    ):
        messages.success(request, _("The task %(title)s was added.") % {"title": task.title})
        return redirect(_detail_url(onboarding.pk))
    return _form_page(
        request,
        form,
        title=_("New task for %(name)s") % {"name": onboarding.employee},
        back_url=_detail_url(onboarding.pk),
        intro=_("Who does what, by when and how. The task is added to this plan only."),
    )


@require_http_methods(["GET", "POST"])
@requires("onboarding.manage_onboarding")
def plan_task_edit(request: OrganisationHttpRequest, onboarding_task_id: int) -> HttpResponse:
    task = _task(request, "onboarding.manage_onboarding", onboarding_task_id)
    form = PlanTaskForm(
        request.POST or None,
        instance=fresh_copy(task),
        organisation_id=task.onboarding.organisation_id,
    )
    if request.method == "POST" and save_with(
        form, lambda data: services_plan.plan_task_update(task=task, by=request.user, **data)
    ):
        messages.success(request, _("The task was saved."))
        return redirect(_detail_url(task.onboarding_id))
    return _form_page(
        request,
        form,
        title=_("Edit task %(title)s") % {"title": task.title},
        back_url=_detail_url(task.onboarding_id),
    )


@require_http_methods(["GET", "POST"])
@requires("onboarding.manage_onboarding")
def plan_task_remove(request: OrganisationHttpRequest, onboarding_task_id: int) -> HttpResponse:
    """GET asks to confirm; POST removes."""
    task = _task(request, "onboarding.manage_onboarding", onboarding_task_id)
    back = _detail_url(task.onboarding_id)
    if request.method == "POST":
        try:
            services_plan.plan_task_remove(task=task, by=request.user)
        except ValidationError as problem:
            messages.error(request, " ".join(problem.messages))
        else:
            messages.success(request, _("The task %(title)s was removed.") % {"title": task.title})
        return redirect(back)
    return render(request, "onboarding/plan/task_remove.html", {"task": task, "back_url": back})


@require_http_methods(["GET", "POST"])
@requires("onboarding.manage_onboarding")
def plan_shift(request: OrganisationHttpRequest, onboarding_id: int) -> HttpResponse:
    onboarding = allowed_onboarding(request, "onboarding.manage_onboarding", onboarding_id)
    form = ShiftForm(request.POST or None)
    if request.method == "POST" and (
        moved := save_with(
            form,
            lambda data: services_plan.plan_shift(
                onboarding=onboarding, by=request.user, days=data["days"]
            ),
        )
    ):
        messages.success(request, _("%(count)s open tasks were moved.") % {"count": moved})
        return redirect(_detail_url(onboarding.pk))
    return _form_page(
        request,
        form,
        title=_("Move the open tasks of %(name)s") % {"name": onboarding.employee},
        back_url=_detail_url(onboarding.pk),
        intro=_(
            "Every task that is not done moves by the same number of days, for example when "
            "the first day moved or the newcomer was ill. Tasks that are done keep their date."
        ),
        submit=_("Move the tasks"),
    )


@require_http_methods(["GET", "POST"])
@requires("onboarding.manage_onboarding")
def onboarding_complete(request: OrganisationHttpRequest, onboarding_id: int) -> HttpResponse:
    onboarding = allowed_onboarding(request, "onboarding.manage_onboarding", onboarding_id)
    form = EndForm(request.POST or None)
    if request.method == "POST" and save_with(
        form,
        lambda data: services_plan.onboarding_complete(
            onboarding=onboarding, by=request.user, **data
        ),
    ):
        messages.success(
            request,
            _("The onboarding of %(name)s is completed.") % {"name": onboarding.employee},
        )
        return redirect(_detail_url(onboarding.pk))
    return _form_page(
        request,
        form,
        title=_("Complete the onboarding of %(name)s") % {"name": onboarding.employee},
        back_url=_detail_url(onboarding.pk),
        intro=_(
            "A completed onboarding can no longer change: no tasks, notes or observations are "
            "added. Tasks still open stay visible as not done."
        ),
        submit=_("Complete the onboarding"),
    )


@require_http_methods(["GET", "POST"])
@requires("onboarding.manage_onboarding")
def onboarding_cancel(request: OrganisationHttpRequest, onboarding_id: int) -> HttpResponse:
    onboarding = allowed_onboarding(request, "onboarding.manage_onboarding", onboarding_id)
    form = EndForm(request.POST or None, note_required=True)
    if request.method == "POST" and save_with(
        form,
        lambda data: services_plan.onboarding_cancel(
            onboarding=onboarding, by=request.user, **data
        ),
    ):
        messages.success(
            request, _("The onboarding of %(name)s was stopped.") % {"name": onboarding.employee}
        )
        return redirect(_detail_url(onboarding.pk))
    return _form_page(
        request,
        form,
        title=_("Stop the onboarding of %(name)s") % {"name": onboarding.employee},
        back_url=_detail_url(onboarding.pk),
        intro=_(
            "Stop an onboarding that will not be finished, for example because the person left "
            "or moved to another function. Say why; the plan then becomes read-only."
        ),
        submit=_("Stop the onboarding"),
        danger=True,
    )


# --- The newcomer's own tasks and notebook -------------------------------------------------------


@require_POST
@requires("onboarding.view_own")
def my_task_done(request: OrganisationHttpRequest, onboarding_task_id: int) -> HttpResponse:
    """The newcomer ticks one of his tasks. htmx gets the task back; a plain post goes back to
    his page."""
    task = get_object_or_404(
        OnboardingTask.objects.select_related("onboarding__employee__unit"),
        onboarding__organisation_id=request.access.organisation_id,
        pk=onboarding_task_id,
    )
    if not request.user.has_perm("onboarding.view_own", task.onboarding.employee):
        raise PermissionDenied
    error = ""
    try:
        services_plan.own_task_mark_done(task=task, by=request.user)
    except ValidationError as problem:
        error = " ".join(problem.messages)
    if is_htmx(request):
        task.refresh_from_db()
        response = render(
            request,
            "onboarding/partials/my_task.html",
            {"task": task, "today": selectors_plan.today(), "can_tick": True, "error": error},
            status=422 if error else 200,
        )
        return vary_on_htmx(response)
    if error:
        messages.error(request, error)
    else:
        messages.success(request, _("Done: %(title)s.") % {"title": task.title})
    return vary_on_htmx(redirect("onboarding:mine"))


def _own_onboarding(request: OrganisationHttpRequest) -> Onboarding | None:
    onboarding = selectors.own_onboarding(employee_id=request.access.employee_id)
    if onboarding is None or onboarding.status != OnboardingStatus.ACTIVE:
        return None
    return onboarding


@require_http_methods(["GET", "POST"])
@requires("onboarding.write_notebook")
def notebook_add(request: OrganisationHttpRequest) -> HttpResponse:
    onboarding = _own_onboarding(request)
    if onboarding is None:
        messages.info(request, _("Your notebook is open while your onboarding runs."))
        return redirect("onboarding:mine")
    form = NotebookForm(
        request.POST or None,
        request.FILES or None,
        tasks=selectors_plan.task_choices(onboarding=onboarding),
    )

    def write(data: dict[str, Any]) -> NotebookEntry:
        task = onboarding.tasks.filter(pk=data["task"]).first() if data["task"] else None
        return services_plan.notebook_add(
            onboarding=onboarding,
            by=request.user,
            text=data["text"],
            photo=data["photo"],
            task=task,
        )

    if request.method == "POST" and save_with(form, write):
        messages.success(request, _("Your tip was saved in your notebook."))
        return redirect(reverse("onboarding:mine") + "#notebook")
    return _form_page(
        request,
        form,
        title=_("New tip in my notebook"),
        back_url=reverse("onboarding:mine"),
        intro=_(
            "Write down what you learned or take a photo, for example of a machine setting. "
            "Your peter/meter and your line manager can read your notebook."
        ),
    )


@require_POST
@requires("onboarding.write_notebook")
def notebook_remove(request: OrganisationHttpRequest, notebook_entry_id: int) -> HttpResponse:
    entry = _entry(request, notebook_entry_id)
    if not request.user.has_perm("onboarding.write_notebook", entry.onboarding.employee):
        raise PermissionDenied
    try:
        services_plan.notebook_remove(entry=entry, by=request.user)
    except ValidationError as problem:
        messages.error(request, " ".join(problem.messages))
    else:
        messages.success(request, _("The tip was removed from your notebook."))
    return redirect(reverse("onboarding:mine") + "#notebook")


def _entry(request: OrganisationHttpRequest, notebook_entry_id: int) -> NotebookEntry:
    return get_object_or_404(
        NotebookEntry.objects.select_related(
            "onboarding", "onboarding__employee", "onboarding__employee__unit"
        ),
        onboarding__organisation_id=request.access.organisation_id,
        pk=notebook_entry_id,
    )


def _photo_response(entry: NotebookEntry) -> HttpResponse:
    if not entry.photo:
        raise Http404
    try:
        handle = entry.photo.open("rb")
    except FileNotFoundError as missing:
        logger.warning("Photo of notebook entry %s is missing", entry.pk)
        raise Http404 from missing
    response = FileResponse(
        handle,
        # Shown in the page; a HEIC photo, which browsers cannot show, is downloaded.
        as_attachment=not selectors_plan.photo_is_inline(entry),
        filename=f"tip-{entry.pk}{entry.photo.name[entry.photo.name.rfind('.') :]}",
        content_type=evidence.content_type_of(entry.photo.name),
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response  # type: ignore[return-value]


@requires("onboarding.view_notebook")
def notebook_photo(request: OrganisationHttpRequest, notebook_entry_id: int) -> HttpResponse:
    """A photo of a newcomer's notebook, for himself and whoever may read his notebook (HR, his
    line manager and the prevention adviser within their units, his peter/meter)."""
    entry = _entry(request, notebook_entry_id)
    if not request.user.has_perm("onboarding.view_notebook", entry.onboarding.employee):
        raise PermissionDenied
    return _photo_response(entry)


# --- Observations and the release to independent work -------------------------------------------


@require_http_methods(["GET", "POST"])
@requires("onboarding.observe")
def observation_add(request: OrganisationHttpRequest, onboarding_id: int) -> HttpResponse:
    onboarding = allowed_onboarding(request, "onboarding.observe", onboarding_id)
    form = ObservationForm(
        request.POST or None, tasks=selectors_plan.task_choices(onboarding=onboarding)
    )

    def record(data: dict[str, Any]) -> Any:
        task_id = data.pop("task")
        task = onboarding.tasks.filter(pk=task_id).first() if task_id else None
        return services_plan.observation_record(
            onboarding=onboarding, by=request.user, task=task, **data
        )

    # A colleague who observes may not open the whole onboarding: he goes back home.
    can_view = request.user.has_perm("onboarding.view_onboarding", onboarding)
    back = _detail_url(onboarding.pk) if can_view else reverse("core:home")
    if request.method == "POST" and save_with(form, record):
        messages.success(
            request,
            _("Your observation of %(name)s was recorded.") % {"name": onboarding.employee},
        )
        return redirect(back + ("#observations" if can_view else ""))
    return _form_page(
        request,
        form,
        title=_("Observation of %(name)s") % {"name": onboarding.employee},
        back_url=back,
        intro=_(
            "What did you see the newcomer do? Note what went well, what can be better and the "
            "feedback you gave him."
        ),
    )


@require_http_methods(["GET", "POST"])
@requires("competences.release_employee")
def onboarding_release(request: OrganisationHttpRequest) -> HttpResponse:
    """Release the newcomer of `?onboarding=<id>` to work alone (optionally `&workstation=<id>`).

    The onboarding is a query parameter, not a path argument, like the competence pages' release:
    only line managers and administrators hold the permission, and for anyone else the page must
    not reveal whether an onboarding exists.
    """
    onboarding_id = request.GET.get("onboarding", "")
    if not onboarding_id.isdigit():
        messages.info(request, _("Open the onboarding of the person you want to release."))
        return redirect("onboarding:onboarding-list")
    onboarding = get_object_or_404(
        Onboarding.objects.select_related(*ONBOARDING_RELATED),
        organisation_id=request.access.organisation_id,
        pk=int(onboarding_id),
    )
    if not request.user.has_perm("competences.release_employee", onboarding.employee):
        raise PermissionDenied
    stations, best = selectors_plan.release_choices(onboarding=onboarding)
    chosen = request.GET.get("workstation", "")
    form = ReleaseForm(
        request.POST or None,
        initial={"workstation": int(chosen) if chosen.isdigit() else best},
        stations=stations,
    )

    def release(data: dict[str, Any]) -> list[OnboardingTask]:
        station = Workstation.objects.get(organisation=request.organisation, pk=data["workstation"])
        return services_plan.onboarding_release(
            onboarding=onboarding,
            by=request.user,
            workstation=station,
            released_on=data["released_on"],
            note=data["note"],
        )

    if request.method == "POST" and (closed := save_with(form, release)) is not None:
        messages.success(
            request,
            _("%(name)s works alone there now; %(count)s work-floor tasks were closed.")
            % {"name": onboarding.employee, "count": len(closed)},
        )
        return redirect(_detail_url(onboarding.pk) + "#release")
    return _form_page(
        request,
        form,
        title=_("Release %(name)s to work alone") % {"name": onboarding.employee},
        back_url=_detail_url(onboarding.pk),
        intro=_(
            "Your decision that the newcomer masters the workstation and may work there without "
            "his peter/meter. It closes the plan's open work-floor tasks for that workstation; "
            "tasks without a workstation belong to his own workstation."
        ),
        submit=_("Release"),
    )


# --- Sections on shared pages --------------------------------------------------------------------


def detail_part(
    request: OrganisationHttpRequest, onboarding: Onboarding
) -> tuple[str, dict[str, Any]]:
    """On the onboarding page: the plan's actions or how it ended, the release to work alone,
    observations and the newcomer's notebook (four queries)."""
    active = onboarding.status == OnboardingStatus.ACTIVE
    user = request.user
    return (
        "onboarding/plan/detail_part.html",
        {
            "onboarding": onboarding,
            "active": active,
            "can_manage": active and user.has_perm("onboarding.manage_onboarding", onboarding),
            "can_observe": active and user.has_perm("onboarding.observe", onboarding),
            "can_release": active
            and user.has_perm("competences.release_employee", onboarding.employee),
            "release": selectors_plan.release_view(onboarding=onboarding),
            "observations": list(selectors_plan.observations_of(onboarding=onboarding)),
            "notes": selectors_plan.notebook_of(onboarding=onboarding)
            if user.has_perm("onboarding.view_notebook", onboarding.employee)
            else None,
        },
    )


def mine_part(
    request: OrganisationHttpRequest, onboarding: Onboarding | None
) -> tuple[str, dict[str, Any]] | None:
    """On the newcomer's page: his notebook with a quick add (two queries)."""
    if onboarding is None:
        return None
    active = onboarding.status == OnboardingStatus.ACTIVE
    form = (
        NotebookForm(tasks=selectors_plan.task_choices(onboarding=onboarding, open_only=True))
        if active
        else None
    )
    return (
        "onboarding/plan/mine_part.html",
        {
            "onboarding": onboarding,
            "active": active,
            "form": form,
            "notes": selectors_plan.notebook_of(onboarding=onboarding),
        },
    )


urlpatterns: list[URLPattern] = [
    path("<int:onboarding_id>/tasks/new/", plan_task_add, name="plan-task-add"),
    path("tasks/<int:onboarding_task_id>/edit/", plan_task_edit, name="plan-task-edit"),
    path("tasks/<int:onboarding_task_id>/remove/", plan_task_remove, name="plan-task-remove"),
    path("<int:onboarding_id>/move/", plan_shift, name="plan-shift"),
    path("<int:onboarding_id>/complete/", onboarding_complete, name="onboarding-complete"),
    path("<int:onboarding_id>/cancel/", onboarding_cancel, name="onboarding-cancel"),
    path("<int:onboarding_id>/observations/new/", observation_add, name="observation-add"),
    path("release/", onboarding_release, name="onboarding-release"),
    path("notebook/<int:notebook_entry_id>/photo/", notebook_photo, name="notebook-photo"),
    path("mine/tasks/<int:onboarding_task_id>/done/", my_task_done, name="my-task-done"),
    path("mine/notebook/new/", notebook_add, name="notebook-add"),
    path("mine/notebook/<int:notebook_entry_id>/remove/", notebook_remove, name="notebook-remove"),
]
