"""Reads for the onboarding API, scoped like the permission rules, in a fixed number of queries.

The onboarding list and detail come from the selectors the pages use (`selectors.py`); this
module holds the querysets behind the other lists, so every answer reads the same columns and a
list of any length costs the same queries.
"""

from __future__ import annotations

import datetime

from django.db.models import Prefetch, Q, QuerySet
from django.utils import timezone

from leerplek.core.access import Access
from leerplek.core.permissions import PERMISSIONS
from leerplek.onboarding import selectors, selectors_reviews
from leerplek.onboarding.models import (
    Guidance,
    GuidanceStatus,
    Onboarding,
    OnboardingTask,
    OnboardingTemplate,
    ProgressReview,
    TemplateTask,
)
from leerplek.people.models import Employee, OrgUnit

REVIEW_RELATED = (
    "onboarding",
    "onboarding__employee",
    "onboarding__employee__unit",
    "onboarding__organisation",
    "mentor",
    "manager",
)
GUIDANCE_ROLES = PERMISSIONS["onboarding.manage_guidance"].roles
PERSON = ("employee", "employee__unit")


def templates(access: Access) -> QuerySet[OnboardingTemplate]:
    """The organisation's templates with their tasks (two queries a page)."""
    if access.organisation is None:
        return OnboardingTemplate.objects.none()
    return (
        OnboardingTemplate.objects.filter(organisation=access.organisation)
        .select_related("job", "organisation")
        .prefetch_related(
            Prefetch("tasks", TemplateTask.objects.order_by("offset_days", "position", "id"))
        )
    )


def template_list(*, access: Access, active: bool | None = None) -> QuerySet[OnboardingTemplate]:
    """Company-wide first, then by function and name."""
    result = templates(access)
    if active is not None:
        result = result.filter(is_active=active)
    return result.order_by("job__name", "name", "pk")


def onboardings(access: Access) -> QuerySet[Onboarding]:
    """The organisation's onboardings with what a detail shows and the rules look at."""
    if access.organisation is None:
        return Onboarding.objects.none()
    return Onboarding.objects.filter(organisation=access.organisation).select_related(
        *PERSON, "job", "organiser", "organisation"
    )


def onboarding_list(
    *,
    access: Access,
    status: str = "",
    unit: OrgUnit | None = None,
    started_from: datetime.date | None = None,
    started_to: datetime.date | None = None,
) -> QuerySet[Onboarding]:
    """The onboardings the viewer may open, newest start first, with task counts and whether a
    peter/meter is designated (the page's selector: one query a page, plus the count)."""
    result = selectors.onboarding_list(
        access=access, status=status, unit_path=unit.path if unit is not None else ""
    )
    if started_from is not None:
        result = result.filter(start_date__gte=started_from)
    if started_to is not None:
        result = result.filter(start_date__lte=started_to)
    return result.select_related("organiser")


def task_list(*, onboarding: Onboarding, open: bool | None = None) -> QuerySet[OnboardingTask]:
    result = onboarding.tasks.select_related("competence", "required_level")
    if open is not None:
        result = result.filter(done_on__isnull=open)
    return result.order_by("due_on", "section", "position", "id")


def tasks(access: Access) -> QuerySet[OnboardingTask]:
    if access.organisation is None:
        return OnboardingTask.objects.none()
    return OnboardingTask.objects.filter(
        onboarding__organisation=access.organisation
    ).select_related(
        "onboarding",
        "onboarding__employee",
        "onboarding__employee__unit",
        "competence",
        "required_level",
    )


# --- Guidance ----------------------------------------------------------------------------------


def guidances(access: Access) -> QuerySet[Guidance]:
    if access.organisation is None:
        return Guidance.objects.none()
    return Guidance.objects.filter(organisation=access.organisation).select_related(
        "guide", "guide__unit", "learner", "learner__unit", "organisation"
    )


def guidances_visible_to(access: Access) -> Q:
    """Relationships of learners within the scope of the guidance roles, and the user's own
    ones, as guide or as learner."""
    if access.has_role(*GUIDANCE_ROLES):
        scope = access.employee_scope_q(GUIDANCE_ROLES, prefix="learner__")
    else:
        scope = Q(pk__in=[])
    if access.employee_id is not None:
        scope |= Q(guide_id=access.employee_id) | Q(learner_id=access.employee_id)
    return scope


def guidance_list(
    *,
    access: Access,
    learner: Employee | None = None,
    guide: Employee | None = None,
    kind: str | None = None,
    current: bool | None = None,
    onboarding: Onboarding | None = None,
) -> QuerySet[Guidance]:
    """Newest start first. `current`: neither closed, declined nor ended before today (future
    starts count)."""
    result = guidances(access).filter(guidances_visible_to(access))
    if learner is not None:
        result = result.filter(learner=learner)
    if guide is not None:
        result = result.filter(guide=guide)
    if kind:
        result = result.filter(kind=kind)
    if onboarding is not None:
        result = result.filter(onboarding=onboarding)
    if current is not None:
        today = timezone.localdate()
        ongoing = (Q(ends_on__isnull=True) | Q(ends_on__gte=today)) & ~Q(
            status__in=[GuidanceStatus.CLOSED, GuidanceStatus.DECLINED]
        )
        result = result.filter(ongoing if current else ~ongoing)
    return result.order_by("-starts_on", "-pk")


# --- Progress reviews --------------------------------------------------------------------------

REVIEW_STATES = list(selectors_reviews.STATE_FILTERS)


def reviews(access: Access) -> QuerySet[ProgressReview]:
    """The organisation's reviews with their state (`selectors_reviews.state_of`) and what the
    answer shows."""
    if access.organisation is None:
        return ProgressReview.objects.none()
    return (
        ProgressReview.objects.filter(onboarding__organisation=access.organisation)
        .annotate(state=selectors_reviews.state_of(timezone.localdate()))
        .select_related(*REVIEW_RELATED)
    )


def review_list(
    *,
    access: Access,
    state: str = selectors_reviews.ALL,
    unit: OrgUnit | None = None,
    onboarding: Onboarding | None = None,
) -> QuerySet[ProgressReview]:
    """The review page's list (`selectors_reviews.review_list`: the same scope, states and
    order; open reviews of closed onboardings left out), one query a page."""
    result = selectors_reviews.review_list(
        access=access, state=state, unit_path=unit.path if unit is not None else ""
    ).select_related(*REVIEW_RELATED)
    if onboarding is not None:
        result = result.filter(onboarding=onboarding)
    return result
