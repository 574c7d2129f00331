"""The onboarding API: templates, onboardings and their tasks, guidance relationships and
progress reviews (docs/api.md, "Onboarding").

Each endpoint checks the permission from `core/permissions.py` as the page does (on the
onboarding for its tasks and reviews, on the learner for a guidance), then calls the same
selector or service. Records of another organisation do not exist here (404 on the path, 422 on
an input field); records out of the role's scope are refused (403).
"""

import datetime
from typing import Any

from django.db import transaction
from django.db.models import QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from ninja import Query, Router, Schema
from ninja.pagination import paginate
from ninja.responses import Status
from pydantic import Field

from leerplek.core.decorators import get_allowed
from leerplek.core.errors import field_error
from leerplek.core.http import OrganisationHttpRequest
from leerplek.onboarding import api_selectors as selectors
from leerplek.onboarding import selectors as page_selectors
from leerplek.onboarding import services, services_guidance, services_reviews
from leerplek.onboarding.api_schemas import (
    GuidanceEndIn,
    GuidanceIn,
    GuidanceOut,
    OnboardingDetailOut,
    OnboardingOut,
    OnboardingStartIn,
    OnboardingTaskFilters,
    ReviewOut,
    ReviewRecordIn,
    ReviewState,
    TaskDoneIn,
    TaskOut,
    TemplateIn,
    TemplateOut,
)
from leerplek.onboarding.models import (
    Guidance,
    GuidanceKind,
    Onboarding,
    OnboardingStatus,
    OnboardingTask,
    OnboardingTemplate,
    ProgressReview,
)
from leerplek.people import api_selectors as people_selectors
from leerplek.people.api import ERROR_RESPONSES, Page, related, require
from leerplek.people.api_schemas import Id
from leerplek.people.models import Employee

ERRORS = {
    "range": _("The end of the date range lies before its start."),
}

router = Router()


def _range(start: datetime.date | None, end: datetime.date | None, field: str) -> None:
    if start is not None and end is not None and end < start:
        raise field_error(field, ERRORS["range"], code="range")


# --- Templates -------------------------------------------------------------------------------


class TemplateFilters(Schema):
    active: bool | None = Field(None, description="true: active only; false: inactive only.")


@router.get(
    "/onboarding-templates",
    response={200: list[TemplateOut], **ERROR_RESPONSES},
    tags=["onboarding"],
)
@paginate(Page)
def template_list(
    request: OrganisationHttpRequest, filters: Query[TemplateFilters]
) -> QuerySet[OnboardingTemplate]:
    """Onboarding templates with their tasks: the company-wide one and one per function."""
    require(request, "onboarding.manage_templates")
    return selectors.template_list(access=request.access, active=filters.active)


@router.get(
    "/onboarding-templates/{template_id}",
    response={200: TemplateOut, **ERROR_RESPONSES},
    tags=["onboarding"],
)
def template_detail(request: OrganisationHttpRequest, template_id: Id) -> OnboardingTemplate:
    return get_allowed(
        request,
        selectors.templates(request.access),
        "onboarding.manage_templates",
        pk=template_id,
    )


@router.post(
    "/onboarding-templates",
    response={201: TemplateOut, **ERROR_RESPONSES},
    tags=["onboarding"],
)
def template_create(request: OrganisationHttpRequest, payload: TemplateIn) -> Status[Any]:
    """Add a template with its tasks, in one go: nothing is written if one part is refused.

    One active template per function and one active company-wide template."""
    require(request, "onboarding.manage_templates")
    access = request.access
    values = payload.dict()
    task_values = values.pop("tasks")
    values["job"] = related(people_selectors.jobs(access), "job", values["job"])
    with transaction.atomic():
        template = services.template_create(
            organisation=request.organisation, by=request.user, **values
        )
        for task in task_values:
            services.template_task_save(template=template, by=request.user, **task)
    return Status(201, selectors.templates(access).get(pk=template.pk))


# --- Onboardings -------------------------------------------------------------------------------


class OnboardingFilters(Schema):
    status: OnboardingStatus | None = Field(None, description="Default: every status.")
    unit: Id | None = Field(None, description="A unit id; its sub-units are included.")
    started_from: datetime.date | None = Field(None, description="Started on or after.")
    started_to: datetime.date | None = Field(None, description="Started on or before.")


@router.get(
    "/onboardings", response={200: list[OnboardingOut], **ERROR_RESPONSES}, tags=["onboarding"]
)
@paginate(Page)
def onboarding_list(
    request: OrganisationHttpRequest, filters: Query[OnboardingFilters]
) -> QuerySet[Onboarding]:
    """Onboardings you may open (your role's units, and the newcomers you guide), newest start
    first, with task progress and whether a peter/meter is designated."""
    require(request, "onboarding.view_onboarding")
    access = request.access
    _range(filters.started_from, filters.started_to, "started_to")
    return selectors.onboarding_list(
        access=access,
        status=filters.status or "",
        unit=related(people_selectors.units(access), "unit", filters.unit),
        started_from=filters.started_from,
        started_to=filters.started_to,
    )


def _onboarding(request: OrganisationHttpRequest, perm: str, onboarding_id: int) -> Onboarding:
    return get_allowed(request, selectors.onboardings(request.access), perm, pk=onboarding_id)


def _detail(request: OrganisationHttpRequest, onboarding: Onboarding) -> dict[str, Any]:
    """The list's fields and counts, plus the tasks and the current guides (two queries)."""
    view = page_selectors.onboarding_detail(onboarding=onboarding)
    guides = [g for g in [view.guide, *view.backups, *view.other_guides] if g is not None]
    for guidance in guides:
        guidance.learner = onboarding.employee
    return {
        **{name: getattr(onboarding, name) for name in DETAIL_FIELDS},
        "has_guide": view.guide is not None,
        "task_count": len(view.tasks),
        "done_count": view.done_count,
        "overdue_count": sum(
            1 for task in view.tasks if task.done_on is None and task.due_on < view.today
        ),
        "tasks": view.tasks,
        "guides": guides,
    }


DETAIL_FIELDS = [
    "id",
    "employee",
    "job",
    "reason",
    "status",
    "start_date",
    "end_date",
    "organiser",
    "ended_on",
    "review_interval_days",
    "independent_on",
    "end_note",
]


@router.get(
    "/onboardings/{onboarding_id}",
    response={200: OnboardingDetailOut, **ERROR_RESPONSES},
    tags=["onboarding"],
)
def onboarding_detail(request: OrganisationHttpRequest, onboarding_id: Id) -> dict[str, Any]:
    """One onboarding with its tasks and its current guides."""
    onboarding = _onboarding(request, "onboarding.view_onboarding", onboarding_id)
    return _detail(request, onboarding)


@router.post(
    "/onboardings",
    response={201: OnboardingDetailOut, **ERROR_RESPONSES},
    tags=["onboarding"],
)
def onboarding_start(
    request: OrganisationHttpRequest, payload: OnboardingStartIn
) -> Status[dict[str, Any]]:
    """Start a person's onboarding from the company-wide template and his function's template.

    A new hire gets every section; another reason the reduced plan without the company
    information. The organiser belongs to the hierarchical line (Codex art. I.2-11)."""
    require(request, "onboarding.start_onboarding")
    access = request.access
    employee = related(people_selectors.employees(access), "employee", payload.employee)
    organiser = related(
        Employee.objects.filter(organisation=request.organisation), "organiser", payload.organiser
    )
    assert employee is not None
    assert organiser is not None
    require(request, "onboarding.start_onboarding", employee)
    onboarding = services.onboarding_start(
        employee=employee,
        by=request.user,
        reason=payload.reason,
        start_date=payload.start_date,
        organiser=organiser,
    )
    fresh = selectors.onboardings(access).get(pk=onboarding.pk)
    return Status(201, _detail(request, fresh))


# --- Tasks ---------------------------------------------------------------------------------------


@router.get(
    "/onboardings/{onboarding_id}/tasks",
    response={200: list[TaskOut], **ERROR_RESPONSES},
    tags=["onboarding"],
)
@paginate(Page)
def task_list(
    request: OrganisationHttpRequest, onboarding_id: Id, filters: Query[OnboardingTaskFilters]
) -> QuerySet[OnboardingTask]:
    """The onboarding's tasks by due date."""
    onboarding = _onboarding(request, "onboarding.view_onboarding", onboarding_id)
    return selectors.task_list(onboarding=onboarding, open=filters.open)


@router.post(
    "/onboarding-tasks/{task_id}/done",
    response={200: TaskOut, **ERROR_RESPONSES},
    tags=["onboarding"],
)
def task_done(request: OrganisationHttpRequest, task_id: Id, payload: TaskDoneIn) -> OnboardingTask:
    """Mark a task done (default today). A work-floor task needs a designated peter/meter."""
    task = get_object_or_404(selectors.tasks(request.access), pk=task_id)
    require(request, "onboarding.complete_task", task.onboarding)
    services.task_mark_done(task=task, by=request.user, done_on=payload.done_on)
    return selectors.tasks(request.access).get(pk=task.pk)


# --- Guidance ------------------------------------------------------------------------------------


class GuidanceFilters(Schema):
    learner: Id | None = Field(None, description="A person id: who is guided.")
    guide: Id | None = Field(None, description="A person id: who guides.")
    kind: GuidanceKind | None = None
    onboarding: Id | None = Field(None, description="An onboarding id.")
    current: bool | None = Field(
        None, description="true: neither closed, declined nor ended before today; false: ended."
    )


@router.get("/guidances", response={200: list[GuidanceOut], **ERROR_RESPONSES}, tags=["onboarding"])
@paginate(Page)
def guidance_list(
    request: OrganisationHttpRequest, filters: Query[GuidanceFilters]
) -> QuerySet[Guidance]:
    """Guidance relationships (peter/meter, backup, long-term guide, coach, instructor) of the
    people in your role's units, and your own, newest first."""
    access = request.access
    if access.employee_id is None:  # no relationship of his own: only through his roles
        require(request, "onboarding.manage_guidance")
    people = Employee.objects.filter(organisation=request.organisation)
    return selectors.guidance_list(
        access=access,
        learner=related(people, "learner", filters.learner),
        guide=related(people, "guide", filters.guide),
        kind=filters.kind,
        current=filters.current,
        onboarding=related(selectors.onboardings(access), "onboarding", filters.onboarding),
    )


def _guidance(request: OrganisationHttpRequest, guidance_id: int) -> Guidance:
    """A relationship the user may see: his own (as guide or learner), or one of a learner
    within the scope of his guidance roles."""
    guidance = get_object_or_404(selectors.guidances(request.access), pk=guidance_id)
    me = request.access.employee_id
    if me is None or me not in (guidance.guide_id, guidance.learner_id):
        require(request, "onboarding.manage_guidance", guidance.learner)
    return guidance


@router.get(
    "/guidances/{guidance_id}",
    response={200: GuidanceOut, **ERROR_RESPONSES},
    tags=["onboarding"],
)
def guidance_detail(request: OrganisationHttpRequest, guidance_id: Id) -> Guidance:
    return _guidance(request, guidance_id)


@router.post("/guidances", response={201: GuidanceOut, **ERROR_RESPONSES}, tags=["onboarding"])
def guidance_create(request: OrganisationHttpRequest, payload: GuidanceIn) -> Status[Guidance]:
    """Designate a guide: by default the newcomer's peter/meter (Codex art. I.2-11), attached
    to his active onboarding; or start a mentorship (long-term guide) or an instruction.

    One current primary guide of a kind per learner (another is a backup, next to a primary);
    a peter/meter guides at most the organisation's maximum of newcomers; an instruction names
    an observable target result. Coaching starts with a request on the web pages."""
    require(request, "onboarding.designate_guide")
    access = request.access
    everyone = Employee.objects.filter(organisation=request.organisation).select_related(
        "unit", "organisation"
    )
    learner = related(everyone, "learner", payload.learner)
    guide = related(everyone, "guide", payload.guide)
    assert learner is not None
    assert guide is not None
    require(request, "onboarding.designate_guide", learner)
    guidance = services_guidance.guidance_start(
        learner=learner, guide=guide, by=request.user, **payload.dict(exclude={"learner", "guide"})
    )
    return Status(201, selectors.guidances(access).get(pk=guidance.pk))


@router.post(
    "/guidances/{guidance_id}/end",
    response={200: GuidanceOut, **ERROR_RESPONSES},
    tags=["onboarding"],
)
def guidance_end(
    request: OrganisationHttpRequest, guidance_id: Id, payload: GuidanceEndIn
) -> Guidance:
    """End an active guidance relationship (default today) with the reason; one with a target
    result (coaching, instruction) also records the outcome and whether it was reached."""
    guidance = _guidance(request, guidance_id)
    require(request, "onboarding.manage_guidance", guidance.learner)
    services_guidance.guidance_end(guidance=guidance, by=request.user, **payload.dict())
    return selectors.guidances(request.access).get(pk=guidance.pk)


# --- Progress reviews ----------------------------------------------------------------------------


class ReviewFilters(Schema):
    state: ReviewState = Field(
        ReviewState.ALL,
        description=(
            "`overdue`: not held, planned more than the grace days ago; `due`: planned within "
            "the reminder days; `attention`: both; `planned`: later; `open`: not held; `held`."
        ),
    )
    unit: Id | None = Field(None, description="A unit id; its sub-units are included.")
    onboarding: Id | None = Field(None, description="An onboarding id.")


@router.get(
    "/progress-reviews", response={200: list[ReviewOut], **ERROR_RESPONSES}, tags=["onboarding"]
)
@paginate(Page)
def review_list(
    request: OrganisationHttpRequest, filters: Query[ReviewFilters]
) -> QuerySet[ProgressReview]:
    """Progress reviews of the newcomers in your role's units and of those you guide: open ones
    soonest first (the most overdue on top), then held ones. Open reviews of a closed
    onboarding are left out."""
    require(request, "onboarding.view_reviews")
    access = request.access
    return selectors.review_list(
        access=access,
        state=filters.state.value,
        unit=related(people_selectors.units(access), "unit", filters.unit),
        onboarding=related(selectors.onboardings(access), "onboarding", filters.onboarding),
    )


def _review(request: OrganisationHttpRequest, perm: str, review_id: int) -> ProgressReview:
    review = get_object_or_404(selectors.reviews(request.access), pk=review_id)
    require(request, perm, review.onboarding)
    return review


@router.get(
    "/progress-reviews/{review_id}",
    response={200: ReviewOut, **ERROR_RESPONSES},
    tags=["onboarding"],
)
def review_detail(request: OrganisationHttpRequest, review_id: Id) -> ProgressReview:
    return _review(request, "onboarding.view_reviews", review_id)


@router.post(
    "/progress-reviews/{review_id}/record",
    response={200: ReviewOut, **ERROR_RESPONSES},
    tags=["onboarding"],
)
def review_record(
    request: OrganisationHttpRequest, review_id: Id, payload: ReviewRecordIn
) -> ProgressReview:
    """Record that a progress review was held: what was practised, what the newcomer does on
    his own, the open tasks, the notes (required), what to learn next, and new due dates for
    open tasks (`plan`). Reviews are recorded in order; the onboarding is active."""
    review = _review(request, "onboarding.record_review", review_id)
    values = payload.dict()
    values["held_on"] = values["held_on"] or timezone.localdate()
    services_reviews.review_record(review=review, by=request.user, **values)
    return selectors.reviews(request.access).get(pk=review.pk)
