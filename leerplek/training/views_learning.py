"""Pages of a learner's programme (OJT-04, OJT-05, OJT-14, OJT-15; see docs/training.md,
"Following a programme").

- `training:assignment-list`: the programmes of the people in one's scope (HR, the line, the
  prevention adviser); `training:assignment-create` assigns one.
- `training:assignment-detail`: one learner's programme for the guide, HR and the line: the plan
  of the modules on dates (planned vs actual), sign-offs to confirm, TWI sessions and checks.
- `training:mine` and `training:my-programme`: the learner's own pages, made for a phone: what
  is next, and "I have done this" with the module's checklist.
- Sign-off: declare (the learner), confirm (the guide, never the learner), revoke (HR, with a
  reason). TWI: a session in four steps, its follow-up checks.
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
from leerplek.core.permissions import PERMISSIONS
from leerplek.people.models import Employee
from leerplek.training import parts, selectors_learning, services_learning
from leerplek.training.forms_learning import (
    AssignmentForm,
    CheckForm,
    ChecklistForm,
    GuideForm,
    PlanForm,
    RevokeForm,
    SessionForm,
    StopForm,
)
from leerplek.training.models import (
    AssignmentStatus,
    FollowUpCheck,
    Module,
    ModulePlan,
    ProgrammeAssignment,
    Signoff,
    WorkInstruction,
)


def _assignment(request: OrganisationHttpRequest, assignment_id: int) -> ProgrammeAssignment:
    return get_object_or_404(
        ProgrammeAssignment.objects.select_related(
            "employee", "employee__unit", "guide", "version", "version__programme", "onboarding"
        ),
        organisation_id=request.access.organisation_id,
        pk=assignment_id,
    )


def _allowed(
    request: OrganisationHttpRequest, assignment_id: int, perm: str
) -> ProgrammeAssignment:
    assignment = _assignment(request, assignment_id)
    if not request.user.has_perm(perm, assignment):
        raise PermissionDenied
    return assignment


def _own(request: OrganisationHttpRequest, assignment_id: int) -> ProgrammeAssignment:
    assignment = _assignment(request, assignment_id)
    if assignment.employee_id != request.access.employee_id or not request.user.has_perm(
        "training.follow_own", assignment.employee
    ):
        raise PermissionDenied
    return assignment


def _detail_url(request: OrganisationHttpRequest, assignment: ProgrammeAssignment) -> str:
    if assignment.employee_id == request.access.employee_id:
        return reverse("training:my-programme", kwargs={"assignment_id": assignment.pk})
    return reverse("training:assignment-detail", kwargs={"assignment_id": assignment.pk})


def _by_role(request: OrganisationHttpRequest, perm: str) -> None:
    """List pages follow the permission table by role: a guide reaches the learners he guides
    from his own page ("My learning"), not from the organisation's lists."""
    if not request.access.has_role(*PERMISSIONS[perm].roles):
        raise PermissionDenied


# --- Lists ---------------------------------------------------------------------------------------


@requires("training.view_assignments")
def assignment_list(request: OrganisationHttpRequest) -> HttpResponse:
    _by_role(request, "training.view_assignments")
    status = request.GET.get("status", AssignmentStatus.ACTIVE)
    if status not in (*AssignmentStatus.values, "all"):
        status = AssignmentStatus.ACTIVE
    query = request.GET.get("q", "")[:100]
    rows, total = selectors_learning.assignment_list(
        access=request.access, status=status, query=query
    )
    waiting, waiting_total = selectors_learning.waiting_signoffs(access=request.access)
    return render(
        request,
        "training/learning/assignment_list.html",
        {
            "rows": rows,
            "total": total,
            "status": status,
            "query": query,
            "statuses": [("all", _("All")), *AssignmentStatus.choices],
            "waiting": waiting,
            "waiting_total": waiting_total,
            "can_assign": request.user.has_perm("training.assign_programmes"),
        },
    )


@requires("training.assign_programmes")
def assignment_create(request: OrganisationHttpRequest) -> HttpResponse:
    _by_role(request, "training.assign_programmes")
    form = AssignmentForm(
        request.POST or None,
        organisation=request.organisation,
        initial={"employee": request.GET.get("employee"), "version": request.GET.get("version")},
    )
    if request.method == "POST" and (
        assignment := save_with(
            form, lambda data: services_learning.assignment_create(by=request.user, **data)
        )
    ):
        messages.success(
            request,
            _(
                "%(name)s follows %(programme)s from %(date)s. The modules are planned one after "
                "the other: adjust the dates with the guide."
            )
            % {
                "name": assignment.employee,
                "programme": assignment.version.programme.title,
                "date": assignment.started_on.strftime("%d/%m/%Y"),
            },
        )
        return redirect("training:assignment-detail", assignment_id=assignment.pk)
    return form_page(
        request,
        form,
        {
            "title": _("Assign a programme"),
            "cancel_url": "training:assignment-list",
            "intro": _(
                "The learner follows the approved version of today; a later version does not "
                "change his programme."
            ),
            "submit": _("Assign"),
        },
    )


# --- One learner's programme ---------------------------------------------------------------------


def _page(
    request: OrganisationHttpRequest,
    assignment: ProgrammeAssignment,
    *,
    as_learner: bool,
    bound: ChecklistForm | None = None,
    bound_module: int | None = None,
) -> HttpResponse:
    view = selectors_learning.assignment_detail(assignment=assignment)
    user = request.user
    active = assignment.status == AssignmentStatus.ACTIVE
    declare_forms: dict[int, ChecklistForm] = {}
    if as_learner and active:
        for phase in view.phases:
            for row in phase.modules:
                if row.state == "to_do":
                    declare_forms[row.module.pk] = (
                        bound
                        if bound is not None and bound_module == row.module.pk
                        else ChecklistForm(items=row.checklist, prefix=f"m{row.module.pk}")
                    )
                    row.declare_form = declare_forms[row.module.pk]
    can_guide = not as_learner and active and user.has_perm("training.guide_learner", assignment)
    return render(
        request,
        "training/learning/assignment_detail.html",
        {
            "assignment": assignment,
            "view": view,
            "as_learner": as_learner,
            "active": active,
            "can_guide": can_guide,
            "can_assign": not as_learner
            and user.has_perm("training.assign_programmes", assignment),
            "can_revoke": not as_learner and user.has_perm("training.revoke_signoffs", assignment),
            "open_tests": services_learning.open_final_tests(assignment),
            "parts": parts.assignment_parts(request, assignment),
            "bound_module": bound_module,
            "back_to_list": request.access.has_role(
                *PERMISSIONS["training.view_assignments"].roles
            ),
        },
        status=422 if bound is not None else 200,
    )


@requires("training.view_assignments")
def assignment_detail(request: OrganisationHttpRequest, assignment_id: int) -> HttpResponse:
    assignment = _allowed(request, assignment_id, "training.view_assignments")
    if assignment.employee_id == request.access.employee_id:
        return redirect("training:my-programme", assignment_id=assignment.pk)
    return _page(request, assignment, as_learner=False)


@requires("training.view_programmes")
def my_programme(request: OrganisationHttpRequest, assignment_id: int) -> HttpResponse:
    """The learner's own programme. A forwarded link opens the learner's programme page for
    whoever may read it, and the programme itself for anyone else."""
    assignment = _assignment(request, assignment_id)
    if assignment.employee_id == request.access.employee_id and request.user.has_perm(
        "training.follow_own", assignment.employee
    ):
        return _page(request, assignment, as_learner=True)
    if request.user.has_perm("training.view_assignments", assignment):
        return redirect("training:assignment-detail", assignment_id=assignment.pk)
    return redirect("training:programme-detail", programme_id=assignment.version.programme_id)


@requires("training.follow_own")
def mine(request: OrganisationHttpRequest) -> HttpResponse:
    """The learner's own page: his programmes and what is next, what he guides, and what each
    training area adds (read requests, tests, certificates, Leittext)."""
    access = request.access
    own = (
        selectors_learning.own_assignments(
            employee_id=access.employee_id, organisation_id=request.organisation.pk
        )
        if access.employee_id is not None
        else []
    )
    guided = selectors_learning.guided_by(
        employee_id=access.employee_id, organisation_id=request.organisation.pk
    )
    employee = (
        Employee.objects.filter(pk=access.employee_id).select_related("user").first()
        if access.employee_id is not None
        else None
    )
    return render(
        request,
        "training/learning/mine.html",
        {
            "own": own,
            "guided": guided,
            "checks": selectors_learning.open_checks(access=access),
            "parts": parts.mine_parts(request, employee) if employee is not None else [],
        },
    )


# --- Plan, guide, stop ---------------------------------------------------------------------------


@requires("training.guide_learner")
def module_plan(request: OrganisationHttpRequest, module_plan_id: int) -> HttpResponse:
    plan = get_object_or_404(
        ModulePlan.objects.select_related("assignment__employee__unit", "module"),
        assignment__organisation_id=request.access.organisation_id,
        pk=module_plan_id,
    )
    assignment = _allowed(request, plan.assignment_id, "training.guide_learner")
    plan.assignment = assignment
    form = PlanForm(
        request.POST or None,
        initial={
            "planned_start": plan.planned_start,
            "planned_end": plan.planned_end,
            "actual_start": plan.actual_start,
        },
    )
    if request.method == "POST" and save_with(
        form,
        lambda data: services_learning.module_plan_update(plan=plan, by=request.user, **data),
    ):
        messages.success(request, _("The plan of %(module)s is saved.") % {"module": plan.module})
        return redirect(f"{_detail_url(request, assignment)}#module-{plan.module_id}")
    return form_page(
        request,
        form,
        {
            "title": _("Plan %(module)s") % {"module": plan.module.title},
            "back_url": _detail_url(request, assignment),
            "intro": _("For %(name)s. The module is done when its sign-off is confirmed.")
            % {"name": assignment.employee},
        },
    )


@requires("training.assign_programmes")
def assignment_guide(request: OrganisationHttpRequest, assignment_id: int) -> HttpResponse:
    assignment = _allowed(request, assignment_id, "training.assign_programmes")
    form = GuideForm(
        request.POST or None,
        organisation=request.organisation,
        initial={"guide": assignment.guide_id},
    )
    if request.method == "POST" and save_with(
        form,
        lambda data: services_learning.assignment_guide_set(
            assignment=assignment, by=request.user, guide=data["guide"]
        ),
    ):
        messages.success(request, _("The guide is saved."))
        return redirect("training:assignment-detail", assignment_id=assignment.pk)
    return form_page(
        request,
        form,
        {
            "title": _("Guide of %(name)s") % {"name": assignment.employee},
            "back_url": _detail_url(request, assignment),
        },
    )


@requires("training.assign_programmes")
def assignment_stop(request: OrganisationHttpRequest, assignment_id: int) -> HttpResponse:
    assignment = _allowed(request, assignment_id, "training.assign_programmes")
    form = StopForm(request.POST or None)
    if request.method == "POST" and save_with(
        form,
        lambda data: services_learning.assignment_stop(
            assignment=assignment, by=request.user, reason=data["stop_reason"]
        ),
    ):
        messages.success(request, _("The programme is stopped; its sign-offs stay on record."))
        return redirect("training:assignment-detail", assignment_id=assignment.pk)
    return form_page(
        request,
        form,
        {
            "title": _("Stop %(programme)s for %(name)s")
            % {"programme": assignment.version.programme.title, "name": assignment.employee},
            "back_url": _detail_url(request, assignment),
            "submit": _("Stop the programme"),
            "danger": True,
        },
    )


# --- Sign-off ------------------------------------------------------------------------------------


def _module_of(assignment: ProgrammeAssignment, module_id: int) -> Module:
    return get_object_or_404(
        Module.objects.select_related("phase"), version_id=assignment.version_id, pk=module_id
    )


@require_POST
@requires("training.follow_own")
def signoff_declare(
    request: OrganisationHttpRequest, assignment_id: int, module_id: int
) -> HttpResponse:
    """ "I have done this module": the learner ticks the checklist in the order of execution, on
    his own programme page (422 with the form's errors there when something is missing)."""
    assignment = _own(request, assignment_id)
    module = _module_of(assignment, module_id)
    items = list(module.checklist.order_by("position", "id"))
    form = ChecklistForm(request.POST, items=items, prefix=f"m{module.pk}")
    if save_with(
        form,
        lambda data: services_learning.signoff_declare(
            assignment=assignment,
            module=module,
            by=request.user,
            checklist=form.ticked(),
            note=data["note"],
        ),
    ):
        messages.success(
            request,
            _("Declared done. %(guide)s confirms it.")
            % {"guide": assignment.guide or _("Your peter/meter or instructor")},
        )
        return redirect(f"{_detail_url(request, assignment)}#module-{module.pk}")
    return _page(request, assignment, as_learner=True, bound=form, bound_module=module.pk)


def _signoff(request: OrganisationHttpRequest, signoff_id: int, perm: str) -> Signoff:
    signoff = get_object_or_404(
        Signoff.objects.select_related("module", "assignment"),
        organisation_id=request.access.organisation_id,
        pk=signoff_id,
    )
    signoff.assignment = _allowed(request, signoff.assignment_id, perm)
    return signoff


@requires("training.guide_learner")
def signoff_confirm(request: OrganisationHttpRequest, signoff_id: int) -> HttpResponse:
    """The second signature: the guide checks the same checklist and confirms."""
    signoff = _signoff(request, signoff_id, "training.guide_learner")
    assignment = signoff.assignment
    items = list(signoff.module.checklist.order_by("position", "id"))
    form = ChecklistForm(request.POST or None, items=items)
    if request.method == "POST" and save_with(
        form,
        lambda data: services_learning.signoff_confirm(
            signoff=signoff, by=request.user, checklist=form.ticked(), note=data["note"]
        ),
    ):
        assignment.refresh_from_db()
        text = _("%(module)s is signed off by both.") % {"module": signoff.module.title}
        if assignment.status == AssignmentStatus.COMPLETED:
            text = f"{text} {_('The whole programme is completed.')}"
        messages.success(request, text)
        return redirect(f"{_detail_url(request, assignment)}#module-{signoff.module_id}")
    return form_page(
        request,
        form,
        {
            "title": _("Confirm: %(module)s") % {"module": signoff.module.title},
            "back_url": _detail_url(request, assignment),
            "intro": _(
                "%(name)s declared this module done on %(date)s. Watch the job and tick each "
                "step as it is done; your confirmation is signed and cannot be changed."
            )
            % {
                "name": assignment.employee,
                "date": signoff.declared_at.strftime("%d/%m/%Y"),
            },
            "submit": _("Confirm and sign"),
        },
    )


@requires("training.revoke_signoffs")
def signoff_revoke(request: OrganisationHttpRequest, signoff_id: int) -> HttpResponse:
    signoff = _signoff(request, signoff_id, "training.revoke_signoffs")
    form = RevokeForm(request.POST or None)
    if request.method == "POST" and save_with(
        form,
        lambda data: services_learning.signoff_revoke(
            signoff=signoff, by=request.user, reason=data["revoke_reason"]
        ),
    ):
        messages.success(request, _("The sign-off is revoked; the module is to do again."))
        return redirect(_detail_url(request, signoff.assignment))
    return form_page(
        request,
        form,
        {
            "title": _("Revoke the sign-off of %(module)s") % {"module": signoff.module.title},
            "back_url": _detail_url(request, signoff.assignment),
            "submit": _("Revoke"),
            "danger": True,
        },
    )


# --- TWI sessions --------------------------------------------------------------------------------


@requires("training.guide_learner")
def session_create(request: OrganisationHttpRequest, assignment_id: int) -> HttpResponse:
    assignment = _allowed(request, assignment_id, "training.guide_learner")
    modules = Module.objects.filter(version_id=assignment.version_id).order_by(
        "phase__position", "position"
    )
    instructions = WorkInstruction.objects.filter(
        module_links__module__version_id=assignment.version_id
    ).distinct()
    initial: dict[str, Any] = {
        "module": request.GET.get("module"),
        "instructor": request.access.employee_id,
    }
    form = SessionForm(
        request.POST or None,
        organisation=request.organisation,
        modules=modules,
        instructions=instructions,
        initial=initial,
    )
    if request.method == "POST" and save_with(
        form,
        lambda data: services_learning.teaching_session_record(
            assignment=assignment, by=request.user, **data
        ),
    ):
        messages.success(request, _("The session is recorded with its follow-up checks."))
        return redirect(f"{_detail_url(request, assignment)}#sessions")
    return form_page(
        request,
        form,
        {
            "title": _("Teach a job to %(name)s") % {"name": assignment.employee},
            "back_url": _detail_url(request, assignment),
            "intro": _(
                "The four steps of Job Instruction: prepare the worker, present the job three "
                "times, let him try it out while he explains, follow up."
            ),
            "submit": _("Record the session"),
        },
    )


@requires("training.guide_learner")
def check_done(request: OrganisationHttpRequest, follow_up_check_id: int) -> HttpResponse:
    check = get_object_or_404(
        FollowUpCheck.objects.select_related("session__module"),
        session__organisation_id=request.access.organisation_id,
        pk=follow_up_check_id,
    )
    assignment = _allowed(request, check.session.assignment_id, "training.guide_learner")
    form = CheckForm(request.POST or None)
    if request.method == "POST" and save_with(
        form,
        lambda data: services_learning.followup_check_done(
            check=check, by=request.user, note=data["note"]
        ),
    ):
        messages.success(request, _("The check is recorded."))
        return redirect(f"{_detail_url(request, assignment)}#sessions")
    return form_page(
        request,
        form,
        {
            "title": _("Follow-up of %(module)s") % {"module": check.session.module.title},
            "back_url": _detail_url(request, assignment),
            "intro": _("Planned for %(date)s. Did %(name)s do the job as taught?")
            % {"date": check.due_on.strftime("%d/%m/%Y"), "name": assignment.employee},
            "submit": _("Checked"),
        },
    )


# --- Parts for the shared pages ------------------------------------------------------------------


def home_part(request: OrganisationHttpRequest) -> Any:
    """The guide's card: modules waiting for his confirmation and follow-up checks due (two
    queries and a count)."""
    waiting, total = selectors_learning.waiting_signoffs(access=request.access, limit=5)
    checks = selectors_learning.open_checks(access=request.access, limit=5)
    if not waiting and not checks:
        return None
    return (
        "training/learning/home_part.html",
        {"waiting": waiting, "total": total, "checks": checks},
    )


urlpatterns: list[URLPattern] = [
    path("mine/", mine, name="mine"),
    path("mine/<int:assignment_id>/", my_programme, name="my-programme"),
    path(
        "mine/<int:assignment_id>/modules/<int:module_id>/done/",
        signoff_declare,
        name="signoff-declare",
    ),
    path("learners/", assignment_list, name="assignment-list"),
    path("learners/new/", assignment_create, name="assignment-create"),
    path("learners/<int:assignment_id>/", assignment_detail, name="assignment-detail"),
    path("learners/<int:assignment_id>/guide/", assignment_guide, name="assignment-guide"),
    path("learners/<int:assignment_id>/stop/", assignment_stop, name="assignment-stop"),
    path("learners/<int:assignment_id>/sessions/new/", session_create, name="session-create"),
    path("plans/<int:module_plan_id>/", module_plan, name="module-plan"),
    path("signoffs/<int:signoff_id>/confirm/", signoff_confirm, name="signoff-confirm"),
    path("signoffs/<int:signoff_id>/revoke/", signoff_revoke, name="signoff-revoke"),
    path("checks/<int:follow_up_check_id>/", check_done, name="check-done"),
]
