"""Pages for onboarding templates, onboardings, guides (peters/meters) and compliance."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from leerplek.core.decorators import get_allowed, requires
from leerplek.core.formviews import form_page, fresh_copy, save_with
from leerplek.core.htmx import is_htmx, vary_on_htmx
from leerplek.core.http import OrganisationHttpRequest
from leerplek.onboarding import parts, selectors, services
from leerplek.onboarding.forms import (
    ApprovalForm,
    GuideForm,
    OnboardingFilterForm,
    StartForm,
    TemplateForm,
    TemplateTaskForm,
    picker_options,
)
from leerplek.onboarding.models import (
    Guidance,
    Onboarding,
    OnboardingStatus,
    OnboardingTask,
    OnboardingTemplate,
    TemplateTask,
)
from leerplek.people.models import Employee

# What the onboarding pages of every area read with the onboarding, in its one query: the
# newcomer with his unit (the permission scope), function and workstation; the plan's function,
# the organiser of the welcome and the organisation.
ONBOARDING_RELATED = (
    "employee",
    "employee__unit",
    "employee__job",
    "employee__workstation",
    "job",
    "organiser",
    "organisation",
)


def allowed_onboarding(
    request: OrganisationHttpRequest, perm: str, onboarding_id: int
) -> Onboarding:
    """The onboarding `onboarding_id` of the user's organisation if he holds `perm` on it (404
    elsewhere, 403 without the permission)."""
    return get_allowed(
        request, Onboarding.objects.select_related(*ONBOARDING_RELATED), perm, pk=onboarding_id
    )


def _template(request: OrganisationHttpRequest, template_id: int) -> OnboardingTemplate:
    return get_allowed(
        request,
        OnboardingTemplate.objects.select_related("job", "organisation"),
        "onboarding.manage_templates",
        pk=template_id,
    )


# --- Templates -----------------------------------------------------------------------------------


@requires("onboarding.manage_templates")
def template_list(request: OrganisationHttpRequest) -> HttpResponse:
    return render(
        request,
        "onboarding/template_list.html",
        {
            "templates": selectors.template_list(organisation=request.organisation),
            "approvals": selectors.approval_list(organisation=request.organisation),
        },
    )


@require_http_methods(["GET", "POST"])
@requires("onboarding.manage_templates")
def template_create(request: OrganisationHttpRequest) -> HttpResponse:
    form = TemplateForm(request.POST or None, organisation=request.organisation)
    if request.method == "POST" and (
        template := save_with(
            form,
            lambda data: services.template_create(
                organisation=request.organisation, by=request.user, **data
            ),
        )
    ):
        messages.success(request, _("The template %(name)s was added.") % {"name": template})
        return redirect("onboarding:template-detail", template_id=template.pk)
    return form_page(
        request,
        form,
        {
            "title": _("New onboarding template"),
            "cancel_url": "onboarding:template-list",
            "intro": _(
                "Leave the function empty for the company-wide part every new hire follows; a "
                "function's template adds the function and task content."
            ),
        },
    )


@requires("onboarding.manage_templates")
def template_detail(request: OrganisationHttpRequest, template_id: int) -> HttpResponse:
    template = _template(request, template_id)
    return render(
        request,
        "onboarding/template_detail.html",
        {"template": template, "sections": selectors.template_sections(template=template)},
    )


@require_http_methods(["GET", "POST"])
@requires("onboarding.manage_templates")
def template_edit(request: OrganisationHttpRequest, template_id: int) -> HttpResponse:
    template = _template(request, template_id)
    form = TemplateForm(
        request.POST or None, instance=fresh_copy(template), organisation=request.organisation
    )
    if request.method == "POST" and save_with(
        form, lambda data: services.template_update(template=template, by=request.user, **data)
    ):
        messages.success(request, _("The template was saved."))
        return redirect("onboarding:template-detail", template_id=template.pk)
    return form_page(
        request,
        form,
        {
            "title": _("Edit template %(name)s") % {"name": template.name},
            "cancel_url": "onboarding:template-list",
        },
    )


@require_http_methods(["GET", "POST"])
@requires("onboarding.manage_templates")
def template_task_add(request: OrganisationHttpRequest, template_id: int) -> HttpResponse:
    template = _template(request, template_id)
    form = TemplateTaskForm(request.POST or None)
    if request.method == "POST" and save_with(
        form,
        lambda data: services.template_task_save(template=template, by=request.user, **data),
    ):
        messages.success(request, _("The task was added."))
        return redirect("onboarding:template-detail", template_id=template.pk)
    return form_page(
        request,
        form,
        {
            "title": _("New task in %(name)s") % {"name": template.name},
            "cancel_url": "onboarding:template-list",
            "intro": _("Who does what, when (days from the first day) and how."),
        },
    )


def _template_task(request: OrganisationHttpRequest, template_task_id: int) -> TemplateTask:
    """A task of one of this organisation's templates (its template carries the organisation)."""
    task = get_object_or_404(
        TemplateTask.objects.select_related("template", "template__organisation"),
        template__organisation_id=request.access.organisation_id,
        pk=template_task_id,
    )
    if not request.user.has_perm("onboarding.manage_templates", task.template):
        raise PermissionDenied
    return task


@require_http_methods(["GET", "POST"])
@requires("onboarding.manage_templates")
def template_task_edit(request: OrganisationHttpRequest, template_task_id: int) -> HttpResponse:
    task = _template_task(request, template_task_id)
    template = task.template
    form = TemplateTaskForm(request.POST or None, instance=fresh_copy(task))
    if request.method == "POST" and save_with(
        form,
        lambda data: services.template_task_save(
            template=template, task=task, by=request.user, **data
        ),
    ):
        messages.success(request, _("The task was saved."))
        return redirect("onboarding:template-detail", template_id=template.pk)
    return form_page(
        request,
        form,
        {
            "title": _("Edit task %(title)s") % {"title": task.title},
            "cancel_url": "onboarding:template-list",
        },
    )


@require_POST
@requires("onboarding.manage_templates")
def template_task_remove(request: OrganisationHttpRequest, template_task_id: int) -> HttpResponse:
    task = _template_task(request, template_task_id)
    template_id = task.template_id
    services.template_task_remove(task=task, by=request.user)
    messages.success(request, _("The task was removed from the template."))
    return redirect("onboarding:template-detail", template_id=template_id)


@require_http_methods(["GET", "POST"])
@requires("onboarding.manage_templates")
def approval_create(request: OrganisationHttpRequest) -> HttpResponse:
    form = ApprovalForm(request.POST or None)
    if request.method == "POST" and save_with(
        form,
        lambda data: services.approval_record(
            organisation=request.organisation, by=request.user, **data
        ),
    ):
        messages.success(request, _("The approval of the procedure was recorded."))
        return redirect("onboarding:template-list")
    return form_page(
        request,
        form,
        {
            "title": _("Approval of the onboarding procedure"),
            "cancel_url": "onboarding:template-list",
            "intro": _(
                "Record when the works council, the prevention committee (CPBW) or the union "
                "delegation approved the onboarding procedure."
            ),
        },
    )


# --- Onboardings ---------------------------------------------------------------------------------


@requires("onboarding.view_onboarding")
def onboarding_list(request: OrganisationHttpRequest) -> HttpResponse:
    form = OnboardingFilterForm(request.GET or None, initial={"status": OnboardingStatus.ACTIVE})
    query, status, without_guide = "", OnboardingStatus.ACTIVE.value, False
    if form.is_bound and form.is_valid():
        query = form.cleaned_data["q"]
        status = form.cleaned_data["status"]
        without_guide = form.cleaned_data["without_guide"]
    rows = selectors.onboarding_list(
        access=request.access, status=status, query=query, without_guide=without_guide
    )
    page = Paginator(rows, settings.LEERPLEK["PAGE_SIZE"]).get_page(request.GET.get("page"))
    return render(
        request,
        "onboarding/onboarding_list.html",
        {
            "form": form,
            "page_obj": page,
            "filtered": bool(query or without_guide or status != OnboardingStatus.ACTIVE),
            "can_start": request.user.has_perm("onboarding.start_onboarding"),
            "can_compliance": request.user.has_perm("onboarding.view_compliance"),
        },
    )


def _picked(request: OrganisationHttpRequest, field: str) -> tuple[str, int | None, bool]:
    """A person picker's state from the request: the search text, the chosen id, and whether
    the form was posted by the picker's Search button (no scripts) rather than to save."""
    source = request.POST if request.method == "POST" else request.GET
    query = source.get(f"{field}_q", "").strip()[:100]
    value = source.get(field, "")
    searching = request.method == "POST" and request.POST.get("_search") == field
    chosen = int(value) if value.isdigit() and len(value) < 19 and not searching else None
    return query, chosen, searching


def _searched(
    request: OrganisationHttpRequest, field: str, people: selectors.PersonChoices
) -> dict[str, Any]:
    """The form's values after a Search without scripts: what was typed stays, and a single
    match is chosen."""
    values: dict[str, Any] = request.POST.dict()
    values.pop("csrfmiddlewaretoken", None)
    values[field] = people.choices[0][0] if len(people.choices) == 1 else None
    return values


@require_http_methods(["GET", "POST"])
@requires("onboarding.start_onboarding")
def onboarding_start(request: OrganisationHttpRequest) -> HttpResponse:
    query, chosen, searching = _picked(request, "employee")
    people = selectors.start_candidates(access=request.access, query=query, selected=[chosen])
    initial: dict[str, Any] = {"employee": chosen} if chosen else {}
    if searching:
        initial = _searched(request, "employee", people)
    form = StartForm(
        None if searching else (request.POST or None),
        initial=initial,
        people=people,
        organisers=selectors.organiser_choices(organisation=request.organisation),
        search_url=reverse("onboarding:start-people"),
    )

    def start(data: dict[str, Any]) -> Onboarding:
        employee = get_allowed(
            request,
            Employee.objects.select_related("organisation", "unit"),
            "onboarding.start_onboarding",
            pk=data["employee"],
        )
        organiser = Employee.objects.get(organisation=request.organisation, pk=data["organiser"])
        return services.onboarding_start(
            employee=employee,
            by=request.user,
            reason=data["reason"],
            start_date=data["start_date"],
            organiser=organiser,
        )

    if form.is_bound and (onboarding := save_with(form, start)):
        messages.success(
            request,
            _("The onboarding of %(name)s has started. Now designate a peter/meter.")
            % {"name": onboarding.employee},
        )
        return redirect("onboarding:onboarding-detail", onboarding_id=onboarding.pk)
    return form_page(
        request,
        form,
        {
            "title": _("Start an onboarding"),
            "cancel_url": "onboarding:onboarding-list",
            "intro": _(
                "The plan is built from the company-wide template and the template of the "
                "person's function. Only a new hire gets the company information; an internal "
                "move, reorganisation or new equipment gets the reduced plan."
            ),
        },
    )


@requires("onboarding.view_onboarding")
def onboarding_detail(request: OrganisationHttpRequest, onboarding_id: int) -> HttpResponse:
    onboarding = allowed_onboarding(request, "onboarding.view_onboarding", onboarding_id)
    by_week = request.GET.get("view") == "week"
    view = selectors.onboarding_detail(onboarding=onboarding)
    return render(
        request,
        "onboarding/onboarding_detail.html",
        {
            "view": view,
            "onboarding": onboarding,
            "groups": view.by_week() if by_week else view.by_section(),
            "by_week": by_week,
            "can_complete": onboarding.status == OnboardingStatus.ACTIVE
            and request.user.has_perm("onboarding.complete_task", onboarding),
            "can_designate": onboarding.status == OnboardingStatus.ACTIVE
            and request.user.has_perm("onboarding.designate_guide", onboarding.employee),
            "can_manage": onboarding.status == OnboardingStatus.ACTIVE
            and request.user.has_perm("onboarding.manage_onboarding", onboarding),
            "parts": parts.detail_parts(request, onboarding),
        },
    )


@require_http_methods(["GET", "POST"])
@requires("onboarding.designate_guide")
def guide_designate(request: OrganisationHttpRequest, onboarding_id: int) -> HttpResponse:
    onboarding = allowed_onboarding(request, "onboarding.designate_guide", onboarding_id)
    query, chosen, searching = _picked(request, "guide")
    people = selectors.guide_choices(onboarding=onboarding, query=query, selected=[chosen])
    form = GuideForm(
        None if searching else (request.POST or None),
        initial=_searched(request, "guide", people) if searching else {},
        people=people,
        search_url=reverse("onboarding:guide-people", kwargs={"onboarding_id": onboarding.pk}),
    )

    def designate(data: dict[str, Any]) -> Guidance:
        guide = Employee.objects.get(organisation=request.organisation, pk=data["guide"])
        return services.guide_designate(
            learner=onboarding.employee,
            guide=guide,
            by=request.user,
            is_backup=data["is_backup"],
            onboarding=onboarding,
            reason=data["reason"],
        )

    if form.is_bound and (guidance := save_with(form, designate)):
        messages.success(
            request,
            _("%(guide)s now guides %(learner)s.")
            % {"guide": guidance.guide, "learner": onboarding.employee},
        )
        return redirect("onboarding:onboarding-detail", onboarding_id=onboarding.pk)
    return form_page(
        request,
        form,
        {
            "title": _("Peter/meter for %(name)s") % {"name": onboarding.employee},
            "cancel_url": "onboarding:onboarding-list",
            "intro": _(
                "Every newcomer works alongside an experienced colleague, designated by the "
                "employer or the hierarchical line (Codex welzijn op het werk, art. I.2-11). "
                "Work-floor tasks wait until one is designated."
            ),
        },
    )


# The person pickers' searches: htmx swaps the answer (options) into the picker's select; a
# single match comes chosen, as after a Search without scripts.


def _options(people: selectors.PersonChoices) -> HttpResponse:
    only = people.choices[0][0] if len(people.choices) == 1 else None
    return HttpResponse(picker_options(people, only))


@require_GET
@requires("onboarding.start_onboarding")
def start_people(request: OrganisationHttpRequest) -> HttpResponse:
    """Up to PICKER_LIMIT people the user may start an onboarding for, matching `employee_q`."""
    query, _chosen, _searching = _picked(request, "employee")
    return _options(selectors.start_candidates(access=request.access, query=query))


@require_GET
@requires("onboarding.designate_guide")
def guide_people(request: OrganisationHttpRequest, onboarding_id: int) -> HttpResponse:
    """Up to PICKER_LIMIT colleagues who could guide the newcomer, matching `guide_q`."""
    onboarding = allowed_onboarding(request, "onboarding.designate_guide", onboarding_id)
    query, _chosen, _searching = _picked(request, "guide")
    return _options(selectors.guide_choices(onboarding=onboarding, query=query))


@require_POST
@requires("onboarding.complete_task")
def task_done(request: OrganisationHttpRequest, onboarding_task_id: int) -> HttpResponse:
    """Tick a task done. htmx gets the task back; a plain form post returns to the page."""
    task = get_object_or_404(
        OnboardingTask.objects.select_related(
            *(f"onboarding__{name}" for name in ONBOARDING_RELATED)
        ),
        onboarding__organisation_id=request.access.organisation_id,
        pk=onboarding_task_id,
    )
    if not request.user.has_perm("onboarding.complete_task", task.onboarding):
        raise PermissionDenied
    error = ""
    try:
        services.task_mark_done(task=task, by=request.user)
    except ValidationError as problem:
        error = " ".join(problem.messages)
    if is_htmx(request):
        task.refresh_from_db()
        response = render(
            request,
            "onboarding/partials/task_item.html",
            {"task": task, "can_complete": True, "error": error},
            status=422 if error else 200,
        )
        return vary_on_htmx(response)
    if error:
        messages.error(request, error)
    else:
        messages.success(request, _("Done: %(title)s.") % {"title": task.title})
    return vary_on_htmx(redirect("onboarding:onboarding-detail", onboarding_id=task.onboarding_id))


# --- Compliance and the newcomer's own page ------------------------------------------------------


@requires("onboarding.view_compliance")
def compliance(request: OrganisationHttpRequest) -> HttpResponse:
    return render(
        request,
        "onboarding/compliance.html",
        {
            "data": selectors.compliance(
                organisation=request.organisation, unit_path=request.GET.get("unit") or None
            )
        },
    )


@requires("onboarding.view_own")
def my_onboarding(request: OrganisationHttpRequest) -> HttpResponse:
    onboarding = selectors.own_onboarding(employee_id=request.access.employee_id)
    view = selectors.onboarding_detail(onboarding=onboarding) if onboarding else None
    return render(
        request,
        "onboarding/mine.html",
        {
            "view": view,
            "onboarding": onboarding,
            "parts": parts.mine_parts(request, onboarding),
            # The newcomer ticks his own tasks while his plan runs.
            "can_tick": onboarding is not None and onboarding.status == OnboardingStatus.ACTIVE,
        },
    )


urlpatterns = [
    path("", onboarding_list, name="onboarding-list"),
    path("start/", onboarding_start, name="onboarding-start"),
    path("start/people/", start_people, name="start-people"),
    path("<int:onboarding_id>/", onboarding_detail, name="onboarding-detail"),
    path("<int:onboarding_id>/guide/", guide_designate, name="guide-designate"),
    path("<int:onboarding_id>/guide/people/", guide_people, name="guide-people"),
    path("tasks/<int:onboarding_task_id>/done/", task_done, name="task-done"),
    path("compliance/", compliance, name="compliance"),
    path("mine/", my_onboarding, name="mine"),
    path("templates/", template_list, name="template-list"),
    path("templates/new/", template_create, name="template-create"),
    path("templates/<int:template_id>/", template_detail, name="template-detail"),
    path("templates/<int:template_id>/edit/", template_edit, name="template-edit"),
    path("templates/<int:template_id>/tasks/new/", template_task_add, name="template-task-add"),
    path(
        "templates/tasks/<int:template_task_id>/edit/",
        template_task_edit,
        name="template-task-edit",
    ),
    path(
        "templates/tasks/<int:template_task_id>/remove/",
        template_task_remove,
        name="template-task-remove",
    ),
    path("templates/approvals/new/", approval_create, name="approval-create"),
]
