"""Pages for guidance relationships (MEN-01, MEN-08..11, MEN-15): the four forms of guidance,
ending and replacing guides, coaching requests, caseloads, mentor programmes and instructor
selection."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import URLPattern, path, reverse
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from leerplek.core.decorators import get_allowed, requires
from leerplek.core.formviews import form_page, fresh_copy, save_with
from leerplek.core.http import OrganisationHttpRequest
from leerplek.core.roles import Role
from leerplek.onboarding import selectors_guidance as selectors
from leerplek.onboarding import services_guidance as services
from leerplek.onboarding.forms_guidance import (
    GLOSSARY,
    AnswerForm,
    CoachingRequestForm,
    DecideForm,
    EndForm,
    GuidanceForm,
    ProgrammeForm,
    ProgrammeLinkForm,
    ReplaceForm,
    SelectionForm,
)
from leerplek.onboarding.models import (
    Guidance,
    GuidanceKind,
    GuidanceStatus,
    InstructorSelection,
    MentorProgramme,
    Onboarding,
    SelectionOutcome,
)
from leerplek.onboarding.parts import Part
from leerplek.people.models import Employee

MANAGE = "onboarding.manage_guidance"
PROGRAMMES = "onboarding.manage_programmes"
SELECT = "onboarding.select_instructors"


def _guidance(request: OrganisationHttpRequest, perm: str, guidance_id: int) -> Guidance:
    return get_allowed(
        request,
        Guidance.objects.select_related(*selectors.GUIDANCE_RELATED, "onboarding"),
        perm,
        pk=guidance_id,
    )


def _person(request: OrganisationHttpRequest, person_id: int) -> Employee:
    return Employee.objects.get(organisation=request.organisation, pk=person_id)


def _programme_or_none(request: OrganisationHttpRequest, pk: int | None) -> MentorProgramme | None:
    if pk is None:
        return None
    return MentorProgramme.objects.get(organisation=request.organisation, pk=pk)


def _form_page(
    request: OrganisationHttpRequest, form: Any, context: dict[str, Any]
) -> HttpResponse:
    """Core's form page, with a back link to an object and the definition of the form of
    guidance concerned."""
    return form_page(
        request,
        form,
        {"stylesheet": "onboarding/guidance.css", **context},
        template="onboarding/guidance/form.html",
    )


def _definition(kind: str) -> Any:
    return next((entry for entry in GLOSSARY if entry.kind == kind), None)


def _may_answer(request: OrganisationHttpRequest, guidance: Guidance) -> bool:
    """The coach asked answers; HR and the administrator may answer for him."""
    access = request.access
    return guidance.guide_id == access.employee_id or access.has_role(Role.HR, Role.ADMIN)


def _coaching(request: OrganisationHttpRequest, guidance_id: int) -> Guidance:
    """A coaching relationship the user may answer or close: he is the colleague asked, or HR.

    Any colleague may be asked as coach, with or without the coach role, so the check is on the
    relationship rather than on the role (`onboarding.answer_coaching` is `own`).
    """
    guidance = get_object_or_404(
        Guidance.objects.select_related(*selectors.GUIDANCE_RELATED, "onboarding"),
        organisation_id=request.access.organisation_id,
        pk=guidance_id,
    )
    if not _may_answer(request, guidance):
        raise PermissionDenied
    return guidance


def _after_answer(request: OrganisationHttpRequest) -> HttpResponse:
    if request.user.has_perm("onboarding.view_caseload"):
        return redirect("onboarding:caseload")
    return redirect("core:home")


# --- The list and the four forms (MEN-01) --------------------------------------------------------


@requires(MANAGE)
def guidance_list(request: OrganisationHttpRequest) -> HttpResponse:
    kind = request.GET.get("kind", "")
    kind = kind if kind in GuidanceKind.values else ""
    state = request.GET.get("state", selectors.OPEN)
    state = state if state in (selectors.OPEN, selectors.CLOSED, "all") else selectors.OPEN
    rows = selectors.guidance_list(access=request.access, kind=kind, state=state)
    page = Paginator(rows, settings.LEERPLEK["PAGE_SIZE"]).get_page(request.GET.get("page"))
    return render(
        request,
        "onboarding/guidance/guidance_list.html",
        {
            "page_obj": page,
            "glossary": GLOSSARY,
            "kinds": GuidanceKind.choices,
            "kind": kind,
            "state": state,
            "filtered": bool(kind) or state != selectors.OPEN,
            "can_programmes": request.user.has_perm(PROGRAMMES),
            "can_select": request.user.has_perm(SELECT),
        },
    )


@require_http_methods(["GET", "POST"])
@requires(MANAGE)
def guidance_create(request: OrganisationHttpRequest) -> HttpResponse:
    kind = request.POST.get("kind") or request.GET.get("kind") or GuidanceKind.LONG_TERM_GUIDE
    kind = (
        kind
        if kind in GuidanceKind.values and kind != GuidanceKind.COACH
        else GuidanceKind.LONG_TERM_GUIDE
    )
    initial: dict[str, Any] = {"kind": kind}
    if request.GET.get("learner", "").isdigit():
        initial["learner"] = int(request.GET["learner"])
    if request.GET.get("programme", "").isdigit():
        initial["programme"] = int(request.GET["programme"])
    if request.GET.get("target"):
        initial["target_result"] = request.GET["target"][:500]
    form = GuidanceForm(
        request.POST or None,
        initial=initial,
        learners=selectors.learner_choices(access=request.access),
        guides=selectors.guide_choices(organisation=request.organisation, kind=kind),
        programmes=selectors.programme_choices(organisation=request.organisation),
    )

    def start(data: dict[str, Any]) -> Guidance:
        learner = get_allowed(
            request, Employee.objects.select_related("unit"), MANAGE, pk=data["learner"]
        )
        return services.guidance_start(
            learner=learner,
            guide=_person(request, data["guide"]),
            kind=data["kind"],
            by=request.user,
            starts_on=data["starts_on"],
            planned_end=data["planned_end"],
            target_result=data["target_result"],
            programme=_programme_or_none(request, data["programme"]),
            is_backup=data["is_backup"],
            reason=data["reason"],
        )

    if request.method == "POST" and (guidance := save_with(form, start)):
        messages.success(
            request,
            _("%(guide)s now guides %(learner)s (%(kind)s).")
            % {
                "guide": guidance.guide,
                "learner": guidance.learner,
                "kind": guidance.form_label.lower(),
            },
        )
        return redirect("onboarding:guidance-detail", guidance_id=guidance.pk)
    return _form_page(
        request,
        form,
        {
            "title": _("Start a guidance"),
            "back_url": reverse("onboarding:guidance-list"),
            "intro": _(
                "Choose the form by the learner, the goal and its duration, and the guide. "
                "Coaching starts with a request the coach accepts: use Request a coach."
            ),
            "glossary": GLOSSARY,
            "open_kind": kind,
        },
    )


@requires(MANAGE)
def guidance_detail(request: OrganisationHttpRequest, guidance_id: int) -> HttpResponse:
    guidance = _guidance(request, MANAGE, guidance_id)
    active = guidance.status == GuidanceStatus.ACTIVE and guidance.ends_on is None
    return render(
        request,
        "onboarding/guidance/guidance_detail.html",
        {
            "guidance": guidance,
            "definition": _definition(guidance.kind),
            "history": selectors.guidance_detail(guidance=guidance),
            "active": active,
            "is_coaching": guidance.kind == GuidanceKind.COACH,
            "is_requested": guidance.status == GuidanceStatus.REQUESTED,
            "may_answer": _may_answer(request, guidance),
            "may_link": active
            and guidance.kind in (GuidanceKind.MENTOR, GuidanceKind.LONG_TERM_GUIDE),
            "is_long": guidance.kind == GuidanceKind.COACH
            and services.coaching_is_long(guidance.starts_on, guidance.planned_end),
        },
    )


@require_http_methods(["GET", "POST"])
@requires(MANAGE)
def guidance_end(request: OrganisationHttpRequest, guidance_id: int) -> HttpResponse:
    guidance = _guidance(request, MANAGE, guidance_id)
    return _end_page(
        request, guidance, back=reverse("onboarding:guidance-detail", args=[guidance.pk])
    )


def _end_page(request: OrganisationHttpRequest, guidance: Guidance, back: str) -> HttpResponse:
    with_target = bool(guidance.target_result)
    form = EndForm(request.POST or None, with_target=with_target)
    if request.method == "POST" and save_with(
        form,
        lambda data: services.guidance_end(
            guidance=guidance,
            by=request.user,
            ends_on=data["ends_on"],
            reason=data["reason"],
            outcome=data.get("outcome", ""),
            target_reached=data.get("target_reached"),
        ),
    ):
        messages.success(
            request,
            _("The guidance of %(learner)s by %(guide)s has ended.")
            % {"learner": guidance.learner, "guide": guidance.guide},
        )
        return redirect(back)
    title = (
        _("Close the coaching of %(name)s")
        if guidance.kind == GuidanceKind.COACH
        else _("End the guidance of %(name)s")
    ) % {"name": guidance.learner}
    return _form_page(
        request,
        form,
        {
            "title": title,
            "back_url": back,
            "intro": _("%(kind)s by %(guide)s since %(date)s.")
            % {
                "kind": guidance.form_label,
                "guide": guidance.guide,
                "date": date_format(guidance.starts_on, "SHORT_DATE_FORMAT"),
            },
            "target": guidance.target_result,
            "submit": _("Close the coaching") if guidance.kind == GuidanceKind.COACH else _("End"),
        },
    )


@require_http_methods(["GET", "POST"])
@requires(MANAGE)
def guidance_replace(request: OrganisationHttpRequest, guidance_id: int) -> HttpResponse:
    guidance = _guidance(request, MANAGE, guidance_id)
    form = ReplaceForm(
        request.POST or None,
        guides=selectors.guide_choices(
            organisation=request.organisation, kind=guidance.kind, exclude_id=guidance.learner_id
        ),
    )
    if request.method == "POST" and (
        successor := save_with(
            form,
            lambda data: services.guidance_replace(
                guidance=guidance,
                guide=_person(request, data["guide"]),
                by=request.user,
                on=data["on"],
                reason=data["reason"],
            ),
        )
    ):
        messages.success(
            request,
            _("%(new)s replaces %(old)s as guide of %(learner)s.")
            % {"new": successor.guide, "old": guidance.guide, "learner": guidance.learner},
        )
        if guidance.onboarding_id:
            return redirect("onboarding:onboarding-detail", onboarding_id=guidance.onboarding_id)
        return redirect("onboarding:guidance-detail", guidance_id=successor.pk)
    return _form_page(
        request,
        form,
        {
            "title": _("Replace %(guide)s as guide of %(learner)s")
            % {"guide": guidance.guide, "learner": guidance.learner},
            "back_url": reverse("onboarding:guidance-detail", args=[guidance.pk]),
            "intro": _(
                "The current guide's last day is the new guide's first day; both are recorded "
                "together. The new guide takes over the target and the planned end."
            ),
            "submit": _("Replace"),
        },
    )


@require_POST
@requires(MANAGE)
def guidance_promote(request: OrganisationHttpRequest, guidance_id: int) -> HttpResponse:
    backup = _guidance(request, MANAGE, guidance_id)
    try:
        promoted = services.backup_promote(backup=backup, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("onboarding:guidance-detail", guidance_id=backup.pk)
    messages.success(
        request,
        _("%(guide)s is now the guide of %(learner)s.")
        % {"guide": promoted.guide, "learner": promoted.learner},
    )
    if promoted.onboarding_id:
        return redirect("onboarding:onboarding-detail", onboarding_id=promoted.onboarding_id)
    return redirect("onboarding:guidance-detail", guidance_id=promoted.pk)


@require_http_methods(["GET", "POST"])
@requires(MANAGE)
def guidance_programme(request: OrganisationHttpRequest, guidance_id: int) -> HttpResponse:
    guidance = _guidance(request, MANAGE, guidance_id)
    form = ProgrammeLinkForm(
        request.POST or None,
        initial={"programme": guidance.programme_id},
        programmes=selectors.programme_choices(organisation=request.organisation),
    )
    if request.method == "POST" and save_with(
        form,
        lambda data: services.guidance_set_programme(
            guidance=guidance,
            programme=_programme_or_none(request, data["programme"]),
            by=request.user,
        ),
    ):
        messages.success(request, _("The mentor programme was saved."))
        return redirect("onboarding:guidance-detail", guidance_id=guidance.pk)
    return _form_page(
        request,
        form,
        {
            "title": _("Mentor programme of %(learner)s") % {"learner": guidance.learner},
            "back_url": reverse("onboarding:guidance-detail", args=[guidance.pk]),
            "intro": _("Leave it empty to take the guidance out of its programme."),
        },
    )


# --- Coaching (MEN-10) ---------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@requires("onboarding.request_coaching")
def coaching_request(request: OrganisationHttpRequest) -> HttpResponse:
    access = request.access
    learners = (
        selectors.learner_choices(access=access) if access.has_role(*selectors.MANAGE_ROLES) else []
    )
    if not learners and access.employee_id is not None:
        me = Employee.objects.select_related("unit").get(pk=access.employee_id)
        learners = [(me.pk, str(me))]
    initial: dict[str, Any] = {}
    if request.GET.get("learner", "").isdigit():
        initial["learner"] = int(request.GET["learner"])
    form = CoachingRequestForm(
        request.POST or None,
        initial=initial,
        learners=learners,
        coaches=selectors.guide_choices(organisation=request.organisation, kind=GuidanceKind.COACH),
    )

    def ask(data: dict[str, Any]) -> Guidance | None:
        learner = get_allowed(
            request,
            Employee.objects.select_related("unit"),
            "onboarding.request_coaching",
            pk=data["learner"],
        )
        if services.coaching_is_long(data["starts_on"], data["planned_end"]) and not data.get(
            "long_ok"
        ):
            form.ask_to_confirm_long()
            form.add_error(
                "planned_end",
                _(
                    "This is longer than three months. Coaching is meant to be short, with one "
                    "observable result; for long-term development a mentorship fits better. "
                    "Tick the box below to keep this planned end."
                ),
            )
            return None
        return services.coaching_request(
            learner=learner,
            coach=_person(request, data["coach"]),
            by=request.user,
            target_result=data["target_result"],
            planned_end=data["planned_end"],
            starts_on=data["starts_on"],
            reason=data["reason"],
        )

    if request.method == "POST" and (guidance := save_with(form, ask)):
        messages.success(
            request,
            _("%(coach)s has been asked to coach %(learner)s and can now accept or decline.")
            % {"coach": guidance.guide, "learner": guidance.learner},
        )
        if request.user.has_perm(MANAGE, guidance):
            return redirect("onboarding:guidance-detail", guidance_id=guidance.pk)
        return redirect("onboarding:mine")
    return _form_page(
        request,
        form,
        {
            "title": _("Request a coach"),
            "back_url": reverse("core:home"),
            "intro": _(
                "Ask an experienced colleague to coach you (or someone of your team) towards "
                "one observable result, for a short time. The coach accepts or declines."
            ),
            "glossary": [_definition(GuidanceKind.COACH)],
            "open_kind": GuidanceKind.COACH,
            "submit": _("Send the request"),
        },
    )


@require_http_methods(["GET", "POST"])
@requires("onboarding.answer_coaching")
def coaching_answer(request: OrganisationHttpRequest, guidance_id: int) -> HttpResponse:
    guidance = _coaching(request, guidance_id)
    form = AnswerForm(request.POST or None)
    if request.method == "POST" and (
        answered := save_with(
            form,
            lambda data: services.coaching_answer(
                guidance=guidance,
                by=request.user,
                accept=data["answer"] == "accept",
                reason=data["reason"],
                is_coach=guidance.guide_id == request.access.employee_id,
            ),
        )
    ):
        if answered.status == GuidanceStatus.ACTIVE:
            messages.success(
                request, _("You coach %(learner)s now.") % {"learner": answered.learner}
            )
        else:
            messages.success(request, _("The request was declined."))
        return _after_answer(request)
    return _form_page(
        request,
        form,
        {
            "title": _("Coaching request for %(learner)s") % {"learner": guidance.learner},
            "back_url": reverse("core:home"),
            "intro": _("%(coach)s is asked to coach %(learner)s from %(start)s to %(end)s.")
            % {
                "coach": guidance.guide,
                "learner": guidance.learner,
                "start": date_format(guidance.starts_on, "SHORT_DATE_FORMAT"),
                "end": date_format(guidance.planned_end, "SHORT_DATE_FORMAT")
                if guidance.planned_end
                else "-",
            },
            "target": guidance.target_result,
            "note": guidance.reason,
            "submit": _("Send the answer"),
        },
    )


@require_http_methods(["GET", "POST"])
@requires("onboarding.answer_coaching")
def coaching_close(request: OrganisationHttpRequest, guidance_id: int) -> HttpResponse:
    guidance = _coaching(request, guidance_id)
    back = (
        "onboarding:caseload" if request.user.has_perm("onboarding.view_caseload") else "core:home"
    )
    return _end_page(request, guidance, back=reverse(back))


# --- Caseload (MEN-09) ---------------------------------------------------------------------------


@requires("onboarding.view_caseload")
def caseload(request: OrganisationHttpRequest) -> HttpResponse:
    return render(
        request,
        "onboarding/guidance/caseload.html",
        {
            "data": selectors.caseload(access=request.access),
            "can_manage": request.user.has_perm(MANAGE),
        },
    )


# --- Mentor programmes (MEN-08) ------------------------------------------------------------------


def _programme(request: OrganisationHttpRequest, programme_id: int) -> MentorProgramme:
    return get_allowed(
        request, MentorProgramme.objects.select_related("sponsor"), PROGRAMMES, pk=programme_id
    )


@requires(PROGRAMMES)
def programme_list(request: OrganisationHttpRequest) -> HttpResponse:
    return render(
        request,
        "onboarding/guidance/programme_list.html",
        {"programmes": selectors.programme_list(organisation=request.organisation)},
    )


@require_http_methods(["GET", "POST"])
@requires(PROGRAMMES)
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
        messages.success(request, _("The programme %(name)s was added.") % {"name": programme})
        return redirect("onboarding:programme-detail", programme_id=programme.pk)
    return _form_page(
        request,
        form,
        {
            "title": _("New mentor programme"),
            "back_url": reverse("onboarding:programme-list"),
            "intro": _(
                "A formal mentor programme has roles, goals, expectations and agreements; "
                "mentors and mentees are selected, matched and followed up, both are trained "
                "for their role, and the support of top management is crucial."
            ),
        },
    )


@requires(PROGRAMMES)
def programme_detail(request: OrganisationHttpRequest, programme_id: int) -> HttpResponse:
    programme = _programme(request, programme_id)
    return render(
        request,
        "onboarding/guidance/programme_detail.html",
        {
            "programme": programme,
            "guidances": selectors.programme_guidances(programme=programme),
            "can_manage": request.user.has_perm(MANAGE),
        },
    )


@require_http_methods(["GET", "POST"])
@requires(PROGRAMMES)
def programme_edit(request: OrganisationHttpRequest, programme_id: int) -> HttpResponse:
    programme = _programme(request, programme_id)
    form = ProgrammeForm(
        request.POST or None, instance=fresh_copy(programme), organisation=request.organisation
    )
    if request.method == "POST" and save_with(
        form, lambda data: services.programme_update(programme=programme, by=request.user, **data)
    ):
        messages.success(request, _("The programme was saved."))
        return redirect("onboarding:programme-detail", programme_id=programme.pk)
    return _form_page(
        request,
        form,
        {
            "title": _("Edit %(name)s") % {"name": programme.name},
            "back_url": reverse("onboarding:programme-detail", args=[programme.pk]),
        },
    )


# --- Instructor selection (MEN-11, MEN-15) -------------------------------------------------------


def _selection(request: OrganisationHttpRequest, selection_id: int) -> InstructorSelection:
    return get_allowed(
        request,
        InstructorSelection.objects.select_related(
            "candidate", "candidate__unit", "workstation", "competence", "decided_by"
        ),
        SELECT,
        pk=selection_id,
    )


def _selection_form(request: OrganisationHttpRequest, **kwargs: Any) -> SelectionForm:
    form = SelectionForm(request.POST or None, organisation=request.organisation, **kwargs)
    # Candidates from the user's units only.
    form.fields["candidate"].queryset = (  # type: ignore[attr-defined]
        Employee.objects.filter(request.access.employee_scope_q(selectors.SELECT_ROLES))
        .select_related("unit")
        .order_by("last_name", "first_name")
    )
    return form


@requires(SELECT)
def selection_list(request: OrganisationHttpRequest) -> HttpResponse:
    rows = selectors.selection_list(access=request.access)
    page = Paginator(rows, settings.LEERPLEK["PAGE_SIZE"]).get_page(request.GET.get("page"))
    return render(
        request,
        "onboarding/guidance/selection_list.html",
        {"page_obj": page},
    )


@require_http_methods(["GET", "POST"])
@requires(SELECT)
def selection_create(request: OrganisationHttpRequest) -> HttpResponse:
    form = _selection_form(request)
    if request.method == "POST" and (
        selection := save_with(
            form,
            lambda data: services.selection_create(
                organisation=request.organisation, by=request.user, **data
            ),
        )
    ):
        messages.success(
            request, _("The selection record of %(name)s was opened.") % {"name": selection}
        )
        return redirect("onboarding:selection-detail", selection_id=selection.pk)
    return _form_page(
        request,
        form,
        {
            "title": _("New instructor candidate"),
            "back_url": reverse("onboarding:selection-list"),
            "intro": _(
                "Compare the candidate with the ideal instructor profile, record the assessment "
                "and what his team says. Decide when the record is complete."
            ),
        },
    )


@requires(SELECT)
def selection_detail(request: OrganisationHttpRequest, selection_id: int) -> HttpResponse:
    selection = _selection(request, selection_id)
    peter_url = ""
    if selection.outcome == SelectionOutcome.SELECTED and request.user.has_perm(
        MANAGE, selection.candidate
    ):
        target = _("Instructs at %(where)s the way all instructors do.") % {
            "where": selection.workstation or selection.competence or "-"
        }
        peter_url = (
            reverse("onboarding:guidance-create")
            + f"?kind={GuidanceKind.INSTRUCTOR}&learner={selection.candidate_id}&"
            + urlencode({"target": target})
        )
    return render(
        request,
        "onboarding/guidance/selection_detail.html",
        {
            "selection": selection,
            "pending": selection.outcome == SelectionOutcome.PENDING,
            "peter_url": peter_url,
        },
    )


@require_http_methods(["GET", "POST"])
@requires(SELECT)
def selection_edit(request: OrganisationHttpRequest, selection_id: int) -> HttpResponse:
    selection = _selection(request, selection_id)
    form = _selection_form(request, instance=fresh_copy(selection))
    if request.method == "POST" and save_with(
        form, lambda data: services.selection_update(selection=selection, by=request.user, **data)
    ):
        messages.success(request, _("The selection record was saved."))
        return redirect("onboarding:selection-detail", selection_id=selection.pk)
    return _form_page(
        request,
        form,
        {
            "title": _("Selection record of %(name)s") % {"name": selection.candidate},
            "back_url": reverse("onboarding:selection-detail", args=[selection.pk]),
        },
    )


@require_http_methods(["GET", "POST"])
@requires(SELECT)
def selection_decide(request: OrganisationHttpRequest, selection_id: int) -> HttpResponse:
    selection = _selection(request, selection_id)
    form = DecideForm(request.POST or None)
    if request.method == "POST" and (
        decided := save_with(
            form,
            lambda data: services.selection_decide(selection=selection, by=request.user, **data),
        )
    ):
        messages.success(
            request,
            _("The decision on %(name)s was recorded: %(outcome)s.")
            % {"name": decided.candidate, "outcome": decided.get_outcome_display().lower()},
        )
        return redirect("onboarding:selection-detail", selection_id=selection.pk)
    return _form_page(
        request,
        form,
        {
            "title": _("Decide on %(name)s") % {"name": selection.candidate},
            "back_url": reverse("onboarding:selection-detail", args=[selection.pk]),
            "intro": _(
                "Talk with a candidate who is not retained before you record it, so that he "
                "understands why and stays motivated. The date and what was said are required."
            ),
            "submit": _("Record the decision"),
        },
    )


# --- Shared pages --------------------------------------------------------------------------------


def mine_part(request: OrganisationHttpRequest, onboarding: Onboarding | None) -> Part | None:
    """The person's coaches, mentors and instructors, with a way to ask for a coach."""
    employee_id = request.access.employee_id
    if employee_id is None:
        return None
    return (
        "onboarding/guidance/mine_part.html",
        {
            "guides": selectors.guides_of(employee_id=employee_id),
            "can_request": request.user.has_perm("onboarding.request_coaching"),
        },
    )


def home_part(request: OrganisationHttpRequest) -> Part | None:
    """Coaching requests waiting for the user's answer."""
    employee_id = request.access.employee_id
    if employee_id is None:
        return None
    waiting = selectors.requests_waiting(employee_id=employee_id)
    if not waiting:
        return None
    return (
        "onboarding/guidance/home_part.html",
        {"requests": waiting, "can_caseload": request.user.has_perm("onboarding.view_caseload")},
    )


urlpatterns: list[URLPattern] = [
    path("guidance/", guidance_list, name="guidance-list"),
    path("guidance/new/", guidance_create, name="guidance-create"),
    path("guidance/<int:guidance_id>/", guidance_detail, name="guidance-detail"),
    path("guidance/<int:guidance_id>/end/", guidance_end, name="guidance-end"),
    path("guidance/<int:guidance_id>/replace/", guidance_replace, name="guidance-replace"),
    path("guidance/<int:guidance_id>/promote/", guidance_promote, name="guidance-promote"),
    path("guidance/<int:guidance_id>/programme/", guidance_programme, name="guidance-programme"),
    path("guidance/coaching/request/", coaching_request, name="coaching-request"),
    path("guidance/<int:guidance_id>/answer/", coaching_answer, name="coaching-answer"),
    path("guidance/<int:guidance_id>/close/", coaching_close, name="coaching-close"),
    path("guidance/caseload/", caseload, name="caseload"),
    path("guidance/programmes/", programme_list, name="programme-list"),
    path("guidance/programmes/new/", programme_create, name="programme-create"),
    path("guidance/programmes/<int:programme_id>/", programme_detail, name="programme-detail"),
    path("guidance/programmes/<int:programme_id>/edit/", programme_edit, name="programme-edit"),
    path("guidance/instructors/", selection_list, name="selection-list"),
    path("guidance/instructors/new/", selection_create, name="selection-create"),
    path("guidance/instructors/<int:selection_id>/", selection_detail, name="selection-detail"),
    path("guidance/instructors/<int:selection_id>/edit/", selection_edit, name="selection-edit"),
    path(
        "guidance/instructors/<int:selection_id>/decide/",
        selection_decide,
        name="selection-decide",
    ),
]
