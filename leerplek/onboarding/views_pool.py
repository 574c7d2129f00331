"""Pages of the peter/meter pool (MEN-02..06, MEN-13, MEN-14): the criteria, candidates and
their checks, the pool with its capacity and coverage per shift, profiles, photos and trainings."""

from __future__ import annotations

import logging
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Q
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import URLPattern, path, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from leerplek.core.decorators import get_allowed, requires
from leerplek.core.formviews import form_page, save_with
from leerplek.core.http import OrganisationHttpRequest
from leerplek.core.permissions import PERMISSIONS
from leerplek.onboarding import selectors_pool, services_pool
from leerplek.onboarding.forms_pool import (
    ApproveForm,
    CriterionForm,
    GuideProfileForm,
    OptionalReasonForm,
    PhotoForm,
    ProposeForm,
    QualitiesForm,
    ReasonForm,
    TrainingForm,
    VolunteerForm,
)
from leerplek.onboarding.models import (
    CriterionKind,
    EligibilityCriterion,
    GuideProfile,
    GuideStatus,
    GuideTraining,
    OnboardingStatus,
)
from leerplek.people.models import Employee

logger = logging.getLogger(__name__)

PROFILE_RELATED = ("employee", "employee__unit", "employee__job", "shift", "organisation")


def _profile(request: OrganisationHttpRequest, perm: str, guide_profile_id: int) -> GuideProfile:
    return get_allowed(
        request, GuideProfile.objects.select_related(*PROFILE_RELATED), perm, pk=guide_profile_id
    )


def _form(
    request: OrganisationHttpRequest,
    form: Any,
    *,
    title: str,
    back_url: str,
    intro: str = "",
    profile: GuideProfile | None = None,
    checks: list[Any] | None = None,
    submit: str = "",
    template: str = "onboarding/pool/form.html",
) -> HttpResponse:
    """A pool form page (core's, with the criteria checks above the form)."""
    return form_page(
        request,
        form,
        {
            "title": title,
            "back_url": back_url,
            "intro": intro,
            "profile": profile,
            "checks": checks,
            "submit": submit,
            "stylesheet": "onboarding/pool.css",
        },
        template=template,
    )


def _profile_url(profile: GuideProfile) -> str:
    return reverse("onboarding:pool-profile", kwargs={"guide_profile_id": profile.pk})


# --- The pool ------------------------------------------------------------------------------------


@requires("onboarding.view_pool")
def pool(request: OrganisationHttpRequest) -> HttpResponse:
    access = request.access
    roles = PERMISSIONS["onboarding.view_pool"].roles
    overview = selectors_pool.pool_overview(
        request.organisation, scope=access.employee_scope_q(roles, prefix="employee__")
    )
    return render(
        request,
        "onboarding/pool/pool.html",
        {
            "overview": overview,
            "can_manage": request.user.has_perm("onboarding.manage_pool"),
            "can_propose": request.user.has_perm("onboarding.propose_guide"),
        },
    )


# --- Criteria ------------------------------------------------------------------------------------


@requires("onboarding.manage_pool")
def criteria(request: OrganisationHttpRequest) -> HttpResponse:
    rows = list(EligibilityCriterion.objects.filter(organisation=request.organisation))
    return render(
        request,
        "onboarding/pool/criteria.html",
        {
            "numeric": [row for row in rows if row.kind == CriterionKind.NUMERIC],
            "qualitative": [row for row in rows if row.kind == CriterionKind.QUALITATIVE],
        },
    )


@require_POST
@requires("onboarding.manage_pool")
def criteria_defaults(request: OrganisationHttpRequest) -> HttpResponse:
    created = services_pool.criteria_create_defaults(
        organisation=request.organisation, by=request.user
    )
    if created:
        messages.success(
            request,
            _("Added: %(names)s.") % {"names": ", ".join(c.name for c in created)},
        )
    else:
        messages.info(request, _("All the brochure's criteria are there already."))
    return redirect("onboarding:pool-criteria")


def _criterion_page(
    request: OrganisationHttpRequest, criterion: EligibilityCriterion | None
) -> HttpResponse:
    initial = CriterionForm.initial_of(criterion) if criterion else {"kind": CriterionKind.NUMERIC}
    form = CriterionForm(request.POST or None, initial=initial)
    if request.method == "POST" and (
        saved := save_with(
            form,
            lambda data: services_pool.criterion_save(
                organisation=request.organisation, by=request.user, criterion=criterion, **data
            ),
        )
    ):
        messages.success(request, _("The criterion %(name)s was saved.") % {"name": saved})
        return redirect("onboarding:pool-criteria")
    return _form(
        request,
        form,
        title=_("Edit criterion %(name)s") % {"name": criterion.name}
        if criterion
        else _("New eligibility criterion"),
        back_url=reverse("onboarding:pool-criteria"),
        intro=_(
            "A numeric criterion is read from the person's record (years of experience, years "
            "since the hire date, the last evaluation score). A qualitative one is confirmed by "
            "a line manager who knows the person."
        ),
    )


@require_http_methods(["GET", "POST"])
@requires("onboarding.manage_pool")
def criterion_create(request: OrganisationHttpRequest) -> HttpResponse:
    return _criterion_page(request, None)


@require_http_methods(["GET", "POST"])
@requires("onboarding.manage_pool")
def criterion_edit(request: OrganisationHttpRequest, eligibility_criterion_id: int) -> HttpResponse:
    criterion = get_allowed(
        request,
        EligibilityCriterion.objects.all(),
        "onboarding.manage_pool",
        pk=eligibility_criterion_id,
    )
    return _criterion_page(request, criterion)


# --- Candidates ----------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@requires("onboarding.propose_guide")
def propose(request: OrganisationHttpRequest) -> HttpResponse:
    form = ProposeForm(
        request.POST or None, people=selectors_pool.proposable_people(access=request.access)
    )

    def write(data: dict[str, Any]) -> GuideProfile:
        employee = get_allowed(
            request,
            Employee.objects.select_related("organisation", "unit"),
            "onboarding.propose_guide",
            pk=data["employee"],
        )
        return services_pool.guide_propose(
            employee=employee, by=request.user, motivation=data["motivation"]
        )

    if request.method == "POST" and (profile := save_with(form, write)):
        messages.success(
            request,
            _("%(name)s is now a candidate peter/meter. A line manager confirms the qualities.")
            % {"name": profile.employee},
        )
        return redirect(_profile_url(profile))
    return _form(
        request,
        form,
        title=_("Propose a peter/meter"),
        back_url=reverse("onboarding:pool"),
        intro=_(
            "Propose an experienced colleague of your units. HR decides who enters the pool, "
            "after checking the criteria."
        ),
        submit=_("Propose"),
    )


@require_http_methods(["GET", "POST"])
@requires("onboarding.volunteer")
def volunteer(request: OrganisationHttpRequest) -> HttpResponse:
    """A person offers himself as peter/meter."""
    employee = get_object_or_404(
        Employee.objects.select_related("organisation", "unit"),
        organisation_id=request.access.organisation_id,
        pk=request.access.employee_id,
    )
    current = selectors_pool.own_profile(employee_id=employee.pk)
    form = VolunteerForm(request.POST or None)
    if current is not None and current.status in (GuideStatus.APPROVED, GuideStatus.CANDIDATE):
        return render(request, "onboarding/pool/volunteer_done.html", {"profile": current})
    if request.method == "POST" and save_with(
        form,
        lambda data: services_pool.guide_volunteer(
            employee=employee, by=request.user, motivation=data["motivation"]
        ),
    ):
        messages.success(
            request,
            _(
                "Thank you! You are a candidate peter/meter now. Your line manager and HR will "
                "talk with you."
            ),
        )
        return redirect("core:home")
    return _form(
        request,
        form,
        title=_("Become a peter/meter"),
        back_url=reverse("core:home"),
        intro=_(
            "A peter/meter shows a newcomer the job on the floor, answers questions and helps "
            "him or her feel at home. You get a training for it, and less production while you "
            "guide. Your line manager confirms your qualities; HR decides."
        ),
        submit=_("Offer myself"),
    )


@require_POST
@requires("onboarding.volunteer")
def leave(request: OrganisationHttpRequest) -> HttpResponse:
    """The person takes himself out of the pool (or withdraws his candidacy)."""
    profile = selectors_pool.own_profile(employee_id=request.access.employee_id)
    if profile is None or profile.status not in (GuideStatus.APPROVED, GuideStatus.CANDIDATE):
        messages.info(request, _("You are not in the peter/meter pool."))
        return redirect("core:home")
    services_pool.guide_withdraw(profile=profile, by=request.user, reason="")
    messages.success(
        request,
        _(
            "You left the peter/meter pool. Newcomers you guide now keep you until HR arranges "
            "another peter/meter."
        ),
    )
    return redirect("core:home")


# --- One profile ---------------------------------------------------------------------------------


@requires("onboarding.view_pool")
def profile_detail(request: OrganisationHttpRequest, guide_profile_id: int) -> HttpResponse:
    profile = _profile(request, "onboarding.view_pool", guide_profile_id)
    row = selectors_pool.guide_detail(profile)
    user = request.user
    manage = user.has_perm("onboarding.manage_pool", profile)
    open_statuses = (GuideStatus.APPROVED, GuideStatus.CANDIDATE)
    return render(
        request,
        "onboarding/pool/profile.html",
        {
            "row": row,
            "profile": row.profile,
            "trainings": selectors_pool.trainings_of(profile),
            "has_qualities": any(c.criterion.kind == CriterionKind.QUALITATIVE for c in row.checks),
            "can_confirm": profile.status in open_statuses
            and user.has_perm("onboarding.confirm_qualities", profile)
            and profile.employee.user_id != user.pk,
            "can_decide": manage and profile.status == GuideStatus.CANDIDATE,
            "can_withdraw": manage and profile.status in open_statuses,
            "can_manage": manage,
        },
    )


@require_http_methods(["GET", "POST"])
@requires("onboarding.confirm_qualities")
def qualities(request: OrganisationHttpRequest, guide_profile_id: int) -> HttpResponse:
    profile = _profile(request, "onboarding.confirm_qualities", guide_profile_id)
    criteria = [
        criterion
        for criterion in selectors_pool.active_criteria(request.organisation)
        if criterion.kind == CriterionKind.QUALITATIVE
    ]
    current = {confirmation.criterion_id: confirmation for confirmation in profile.qualities.all()}
    form = QualitiesForm(request.POST or None, criteria=criteria, current=current)
    if request.method == "POST" and form.is_valid():
        try:
            services_pool.qualities_confirm(
                profile=profile, answers=form.answers(), by=request.user
            )
        except ValidationError as error:
            # The service names the criterion in each message; show them above the form.
            form.add_error(None, error.messages)
        else:
            messages.success(request, _("The qualities were saved."))
            return redirect(_profile_url(profile))
    return _form(
        request,
        form,
        title=_("Qualities of %(name)s") % {"name": profile.employee},
        back_url=_profile_url(profile),
        intro=_(
            "Judge only what you have seen at work. Say why when a quality is not met, so the "
            "candidate knows what to work on. Leave a quality open when you cannot judge it."
        ),
        profile=profile,
        submit=_("Save the qualities"),
        template="onboarding/pool/qualities.html",
    )


@require_http_methods(["GET", "POST"])
@requires("onboarding.manage_pool")
def approve(request: OrganisationHttpRequest, guide_profile_id: int) -> HttpResponse:
    profile = _profile(request, "onboarding.manage_pool", guide_profile_id)
    row = selectors_pool.guide_detail(profile)
    form = ApproveForm(request.POST or None)
    if request.method == "POST" and save_with(
        form,
        lambda data: services_pool.guide_approve(profile=profile, by=request.user, **data),
    ):
        messages.success(
            request, _("%(name)s is in the peter/meter pool now.") % {"name": profile.employee}
        )
        return redirect(_profile_url(profile))
    missing = [c for c in row.checks if c.criterion.is_required and not c.is_met]
    return _form(
        request,
        form,
        title=_("Take %(name)s into the pool") % {"name": profile.employee},
        back_url=_profile_url(profile),
        intro=_(
            "Some required criteria are not met or not yet confirmed: give the reason for this "
            "exception, or go back and ask the line manager to confirm the qualities first."
        )
        if missing
        else _("Every required criterion is met."),
        checks=missing,
        submit=_("Take into the pool"),
    )


@require_http_methods(["GET", "POST"])
@requires("onboarding.manage_pool")
def decline(request: OrganisationHttpRequest, guide_profile_id: int) -> HttpResponse:
    profile = _profile(request, "onboarding.manage_pool", guide_profile_id)
    form = ReasonForm(request.POST or None)
    if request.method == "POST" and save_with(
        form,
        lambda data: services_pool.guide_decline(profile=profile, by=request.user, **data),
    ):
        messages.success(request, _("%(name)s was not retained.") % {"name": profile.employee})
        return redirect("onboarding:pool")
    return _form(
        request,
        form,
        title=_("Do not retain %(name)s") % {"name": profile.employee},
        back_url=_profile_url(profile),
        intro=_("Tell the person why; he or she may become a candidate again later."),
        submit=_("Do not retain"),
    )


@require_http_methods(["GET", "POST"])
@requires("onboarding.manage_pool")
def withdraw(request: OrganisationHttpRequest, guide_profile_id: int) -> HttpResponse:
    profile = _profile(request, "onboarding.manage_pool", guide_profile_id)
    form = OptionalReasonForm(request.POST or None)
    if request.method == "POST" and save_with(
        form,
        lambda data: services_pool.guide_withdraw(profile=profile, by=request.user, **data),
    ):
        messages.success(
            request, _("%(name)s left the peter/meter pool.") % {"name": profile.employee}
        )
        return redirect("onboarding:pool")
    return _form(
        request,
        form,
        title=_("Take %(name)s out of the pool") % {"name": profile.employee},
        back_url=_profile_url(profile),
        intro=_(
            "Newcomers he or she guides now keep their peter/meter until you designate another "
            "one on their onboarding."
        ),
        submit=_("Take out of the pool"),
    )


@require_http_methods(["GET", "POST"])
@requires("onboarding.manage_pool")
def profile_edit(request: OrganisationHttpRequest, guide_profile_id: int) -> HttpResponse:
    profile = _profile(request, "onboarding.manage_pool", guide_profile_id)
    initial = {
        name: getattr(profile, name)
        for name in (
            "max_mentees",
            "shift",
            "load_unit",
            "normal_load",
            "reduced_load",
            "evaluation_score",
        )
    }
    form = GuideProfileForm(
        request.POST or None,
        initial=initial,
        shifts=selectors_pool.shift_choices(request.organisation),
    )
    if request.method == "POST" and save_with(
        form,
        lambda data: services_pool.guide_profile_update(profile=profile, by=request.user, **data),
    ):
        messages.success(request, _("The profile was saved."))
        return redirect(_profile_url(profile))
    return _form(
        request,
        form,
        title=_("Peter/meter profile of %(name)s") % {"name": profile.employee},
        back_url=_profile_url(profile),
        intro=_(
            "Guiding takes time: lower the production load while he or she guides (MEN-05), "
            "and keep the number of newcomers at a time small."
        ),
    )


@require_http_methods(["GET", "POST"])
@requires("onboarding.manage_pool")
def photo(request: OrganisationHttpRequest, guide_profile_id: int) -> HttpResponse:
    profile = _profile(request, "onboarding.manage_pool", guide_profile_id)
    form = PhotoForm(request.POST or None, request.FILES or None)

    def write(data: dict[str, Any]) -> GuideProfile:
        if not data["photo"] and not data["remove"]:
            raise ValidationError(
                {"photo": _("Choose a photo, or tick the box to remove the current one.")}
            )
        return services_pool.guide_photo_set(
            profile=profile, by=request.user, photo=None if data["remove"] else data["photo"]
        )

    if request.method == "POST" and save_with(form, write):
        messages.success(request, _("The photo was saved."))
        return redirect(_profile_url(profile))
    return _form(
        request,
        form,
        title=_("Photo of %(name)s") % {"name": profile.employee},
        back_url=_profile_url(profile),
        intro=_("Newcomers see it on their own page, so they recognise their peter/meter."),
        profile=profile,
        template="onboarding/pool/photo.html",
    )


@requires("onboarding.view_guide_photo")
def photo_file(request: OrganisationHttpRequest, guide_profile_id: int) -> HttpResponse:
    """The photo, for whoever may see the pool, the person himself and his current newcomers."""
    profile = get_object_or_404(
        GuideProfile.objects.select_related("employee__unit"),
        organisation_id=request.access.organisation_id,
        pk=guide_profile_id,
    )
    access = request.access
    own = profile.employee_id == access.employee_id
    if not (
        own
        or request.user.has_perm("onboarding.view_guide_photo", profile)
        or selectors_pool.is_guide_of(guide=profile.employee, learner_id=access.employee_id)
    ):
        raise PermissionDenied
    if not profile.photo:
        raise Http404
    try:
        handle = profile.photo.open("rb")
    except FileNotFoundError as missing:
        logger.warning("Photo of peter/meter profile %s is missing", profile.pk)
        raise Http404 from missing
    response = FileResponse(
        handle, content_type=services_pool.photo_content_type(profile.photo.name)
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, max-age=3600"
    return response  # type: ignore[return-value]


# --- Trainings -----------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@requires("onboarding.manage_pool")
def training_add(request: OrganisationHttpRequest, guide_profile_id: int) -> HttpResponse:
    profile = _profile(request, "onboarding.manage_pool", guide_profile_id)
    form = TrainingForm(request.POST or None)
    if request.method == "POST" and save_with(
        form,
        lambda data: services_pool.guide_training_record(profile=profile, by=request.user, **data),
    ):
        messages.success(request, _("The training was recorded."))
        return redirect(_profile_url(profile))
    return _form(
        request,
        form,
        title=_("Peter/meter training of %(name)s") % {"name": profile.employee},
        back_url=_profile_url(profile),
        intro=_(
            "A peter/meter follows an initial training and a refresher every %(months)s months."
        )
        % {"months": selectors_pool.refresher_months()},
    )


@require_POST
@requires("onboarding.manage_pool")
def training_remove(request: OrganisationHttpRequest, guide_training_id: int) -> HttpResponse:
    training = get_object_or_404(
        GuideTraining.objects.select_related(
            "profile", "profile__employee", "profile__employee__unit"
        ),
        profile__organisation_id=request.access.organisation_id,
        pk=guide_training_id,
    )
    if not request.user.has_perm("onboarding.manage_pool", training.profile):
        raise PermissionDenied
    profile = training.profile
    services_pool.guide_training_remove(training=training, by=request.user)
    messages.success(request, _("The training was removed."))
    return redirect(_profile_url(profile))


# --- Parts of shared pages -----------------------------------------------------------------------


def home_part(request: OrganisationHttpRequest) -> tuple[str, dict[str, Any]] | None:
    """A card on the home page: HR and managers see the candidates waiting; anybody else may
    offer himself as peter/meter, or sees where his candidacy stands (two queries at most)."""
    access = request.access
    user = request.user
    part: dict[str, Any] = {}
    if user.has_perm("onboarding.view_pool"):
        roles = PERMISSIONS["onboarding.view_pool"].roles
        counts = GuideProfile.objects.filter(
            access.employee_scope_q(roles, prefix="employee__")
        ).aggregate(
            candidates=Count("id", filter=Q(status=GuideStatus.CANDIDATE)),
            members=Count("id", filter=Q(status=GuideStatus.APPROVED)),
        )
        part["pool"] = counts
    if access.employee_id is not None and user.has_perm("onboarding.volunteer"):
        # One query: his own profile, and whether he is a newcomer himself right now.
        me = (
            Employee.objects.filter(pk=access.employee_id)
            .annotate(
                onboarding_running=Count(
                    "onboardings", filter=Q(onboardings__status=OnboardingStatus.ACTIVE)
                )
            )
            .select_related("guide_profile")
            .first()
        )
        if me is not None:
            profile = getattr(me, "guide_profile", None)
            if profile is not None and profile.status in (
                GuideStatus.APPROVED,
                GuideStatus.CANDIDATE,
            ):
                part["mine"] = profile
            elif not me.onboarding_running:  # type: ignore[attr-defined]
                part["offer"] = True
    if not part:
        return None
    return "onboarding/pool/home_card.html", part


urlpatterns: list[URLPattern] = [
    path("pool/", pool, name="pool"),
    path("pool/criteria/", criteria, name="pool-criteria"),
    path("pool/criteria/defaults/", criteria_defaults, name="pool-criteria-defaults"),
    path("pool/criteria/new/", criterion_create, name="pool-criterion-create"),
    path(
        "pool/criteria/<int:eligibility_criterion_id>/edit/",
        criterion_edit,
        name="pool-criterion-edit",
    ),
    path("pool/propose/", propose, name="pool-propose"),
    path("pool/volunteer/", volunteer, name="pool-volunteer"),
    path("pool/leave/", leave, name="pool-leave"),
    path("pool/<int:guide_profile_id>/", profile_detail, name="pool-profile"),
    path("pool/<int:guide_profile_id>/edit/", profile_edit, name="pool-profile-edit"),
    path("pool/<int:guide_profile_id>/qualities/", qualities, name="pool-qualities"),
    path("pool/<int:guide_profile_id>/approve/", approve, name="pool-approve"),
    path("pool/<int:guide_profile_id>/decline/", decline, name="pool-decline"),
    path("pool/<int:guide_profile_id>/withdraw/", withdraw, name="pool-withdraw"),
    path("pool/<int:guide_profile_id>/photo/", photo, name="pool-photo"),
    path("pool/<int:guide_profile_id>/photo/file/", photo_file, name="pool-photo-file"),
    path("pool/<int:guide_profile_id>/trainings/new/", training_add, name="pool-training-add"),
    path(
        "pool/trainings/<int:guide_training_id>/remove/",
        training_remove,
        name="pool-training-remove",
    ),
]
