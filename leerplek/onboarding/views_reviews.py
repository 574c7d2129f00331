"""Pages for progress reviews (ONB-06): the review list, one review (record, read, correct,
move), the schedule of an onboarding, and the review sections of the shared pages."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import URLPattern, path, reverse
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from leerplek.core.decorators import get_allowed, requires
from leerplek.core.formviews import save_with
from leerplek.core.http import OrganisationHttpRequest
from leerplek.onboarding import selectors_reviews as selectors
from leerplek.onboarding import services_reviews as services
from leerplek.onboarding.forms_reviews import (
    CorrectForm,
    MoveForm,
    ReviewFilterForm,
    ReviewForm,
    ScheduleForm,
)
from leerplek.onboarding.models import Onboarding, OnboardingStatus, ProgressReview
from leerplek.people.models import OrgUnit

# What the review pages read of the onboarding: the newcomer, his unit (permission scope) and
# the people who take part (manager, unit leader, organiser).
ONBOARDING_RELATED = (
    "employee",
    "employee__unit",
    "employee__unit__leader",
    "employee__manager",
    "job",
    "organiser",
)
TEXT_FIELDS = ["practised", "independent", "open_tasks", "notes", "next_steps"]


def _short(day: Any) -> str:
    return date_format(day, "SHORT_DATE_FORMAT")


def _review(request: OrganisationHttpRequest, perm: str, review_id: int) -> ProgressReview:
    """A review of this organisation on whose onboarding the user holds `perm` (404 for
    another organisation's, 403 out of scope)."""
    review = get_object_or_404(
        ProgressReview.objects.select_related(
            *(f"onboarding__{name}" for name in ONBOARDING_RELATED),
            "mentor",
            "manager",
            "recorded_by",
        ),
        onboarding__organisation_id=request.access.organisation_id,
        pk=review_id,
    )
    if not request.user.has_perm(perm, review.onboarding):
        raise PermissionDenied
    return review


def _can_record(request: OrganisationHttpRequest, onboarding: Onboarding) -> bool:
    return onboarding.status == OnboardingStatus.ACTIVE and request.user.has_perm(
        "onboarding.record_review", onboarding
    )


# --- The list ------------------------------------------------------------------------------------


@requires("onboarding.view_reviews")
def review_list(request: OrganisationHttpRequest) -> HttpResponse:
    units = selectors.review_unit_choices(access=request.access)
    form = ReviewFilterForm(request.GET or None, units=units)
    state, unit_path = selectors.ATTENTION, ""
    if form.is_bound and form.is_valid():
        state = form.cleaned_data["state"] or selectors.ATTENTION
        unit_id = form.cleaned_data.get("unit")
        if unit_id:
            unit_path = (
                OrgUnit.objects.filter(organisation=request.organisation, pk=unit_id)
                .values_list("path", flat=True)
                .first()
                or ""
            )
    rows = selectors.review_list(access=request.access, state=state, unit_path=unit_path)
    page = Paginator(rows, settings.LEERPLEK["PAGE_SIZE"]).get_page(request.GET.get("page"))
    return render(
        request,
        "onboarding/reviews/review_list.html",
        {
            "form": form,
            "page_obj": page,
            "state": state,
            "counts": selectors.review_counts(access=request.access, unit_path=unit_path),
            "reminder_days": services.reminder_days(),
            "grace_days": services.grace_days(),
        },
    )


# --- One review ----------------------------------------------------------------------------------


@requires("onboarding.view_reviews")
def review_detail(request: OrganisationHttpRequest, review_id: int) -> HttpResponse:
    review = _review(request, "onboarding.view_reviews", review_id)
    page = selectors.review_page(review=review)
    can_record = _can_record(request, review.onboarding)
    return render(
        request,
        "onboarding/reviews/review_detail.html",
        {
            "page": page,
            "review": review,
            "onboarding": review.onboarding,
            "prefill": page.initial() if not page.is_held else None,
            "can_record": can_record and not page.is_held,
            "can_correct": can_record and services.may_correct(review, request.user),
        },
    )


@require_http_methods(["GET", "POST"])
@requires("onboarding.record_review")
def review_record(request: OrganisationHttpRequest, review_id: int) -> HttpResponse:
    review = _review(request, "onboarding.record_review", review_id)
    if review.held_on is not None:
        messages.info(request, _("This review was already held; here is what it says."))
        return redirect("onboarding:review-detail", review_id=review.pk)
    page = selectors.review_page(review=review)
    form = ReviewForm(request.POST or None, initial=page.initial(), open_tasks=page.open_tasks)

    def record(data: dict[str, Any]) -> ProgressReview:
        return services.review_record(
            review=review,
            by=request.user,
            held_on=data["held_on"],
            plan=data["plan"],
            **{name: data[name] for name in TEXT_FIELDS},
        )

    if request.method == "POST" and save_with(form, record):
        messages.success(
            request,
            _("Review %(number)s of %(name)s was recorded.")
            % {"number": review.number, "name": review.onboarding.employee},
        )
        return redirect("onboarding:review-detail", review_id=review.pk)
    status = 422 if form.is_bound and form.errors else 200
    return render(
        request,
        "onboarding/reviews/review_form.html",
        {"page": page, "review": review, "onboarding": review.onboarding, "form": form},
        status=status,
    )


@require_http_methods(["GET", "POST"])
@requires("onboarding.record_review")
def review_correct(request: OrganisationHttpRequest, review_id: int) -> HttpResponse:
    review = _review(request, "onboarding.record_review", review_id)
    if review.held_on is None:
        return redirect("onboarding:review-record", review_id=review.pk)
    if not services.may_correct(review, request.user):
        messages.error(
            request,
            _(
                "Only whoever recorded a review may correct it, on the day it was recorded. "
                "Add what changed to the next review."
            ),
        )
        return redirect("onboarding:review-detail", review_id=review.pk)
    page = selectors.review_page(review=review)
    initial = {"held_on": review.held_on, **{name: getattr(review, name) for name in TEXT_FIELDS}}
    form = CorrectForm(request.POST or None, initial=initial)

    def correct(data: dict[str, Any]) -> ProgressReview:
        return services.review_correct(
            review=review,
            by=request.user,
            held_on=data["held_on"],
            **{name: data[name] for name in TEXT_FIELDS},
        )

    if request.method == "POST" and save_with(form, correct):
        messages.success(request, _("The review was corrected."))
        return redirect("onboarding:review-detail", review_id=review.pk)
    status = 422 if form.is_bound and form.errors else 200
    return render(
        request,
        "onboarding/reviews/review_form.html",
        {
            "page": page,
            "review": review,
            "onboarding": review.onboarding,
            "form": form,
            "correcting": True,
        },
        status=status,
    )


def _small_form(
    request: OrganisationHttpRequest, form: Any, context: dict[str, Any]
) -> HttpResponse:
    status = 422 if form.is_bound and form.errors else 200
    return render(
        request, "onboarding/reviews/small_form.html", {"form": form, **context}, status=status
    )


@require_http_methods(["GET", "POST"])
@requires("onboarding.record_review")
def review_move(request: OrganisationHttpRequest, review_id: int) -> HttpResponse:
    review = _review(request, "onboarding.record_review", review_id)
    if review.held_on is not None:
        messages.info(request, _("This review was already held; a held review keeps its date."))
        return redirect("onboarding:review-detail", review_id=review.pk)
    form = MoveForm(request.POST or None, initial={"planned_on": review.planned_on})
    if request.method == "POST" and save_with(
        form,
        lambda data: services.review_move(
            review=review, planned_on=data["planned_on"], by=request.user
        ),
    ):
        messages.success(request, _("Review %(number)s was moved.") % {"number": review.number})
        return redirect("onboarding:onboarding-detail", onboarding_id=review.onboarding_id)
    return _small_form(
        request,
        form,
        {
            "title": _("Move review %(number)s of %(name)s")
            % {"number": review.number, "name": review.onboarding.employee},
            "intro": _(
                "Planned on %(date)s. The new day must fall between the previous and the next "
                "review; the participants get a new reminder."
            )
            % {"date": _short(review.planned_on)},
            "back_url": reverse("onboarding:onboarding-detail", args=[review.onboarding_id]),
        },
    )


@require_http_methods(["GET", "POST"])
@requires("onboarding.record_review")
def review_schedule(request: OrganisationHttpRequest, onboarding_id: int) -> HttpResponse:
    onboarding = get_allowed(
        request,
        Onboarding.objects.select_related(*ONBOARDING_RELATED),
        "onboarding.record_review",
        pk=onboarding_id,
    )
    form = ScheduleForm(
        request.POST or None, initial={"interval_days": onboarding.review_interval_days}
    )
    if request.method == "POST" and save_with(
        form,
        lambda data: services.reviews_reschedule(
            onboarding=onboarding, interval_days=data["interval_days"], by=request.user
        ),
    ):
        messages.success(request, _("The reviews were planned again."))
        return redirect("onboarding:onboarding-detail", onboarding_id=onboarding.pk)
    return _small_form(
        request,
        form,
        {
            "title": _("Review schedule of %(name)s") % {"name": onboarding.employee},
            "intro": _(
                "Now every %(days)s days, up to the planned end on %(end)s. Held reviews do "
                "not change."
            )
            % {
                "days": onboarding.review_interval_days,
                "end": _short(onboarding.end_date),
            },
            "back_url": reverse("onboarding:onboarding-detail", args=[onboarding.pk]),
        },
    )


# --- Sections of the shared pages ----------------------------------------------------------------


def detail_part(
    request: OrganisationHttpRequest, onboarding: Onboarding
) -> tuple[str, dict[str, Any]] | None:
    """The reviews timeline on the onboarding page (one query)."""
    if not request.user.has_perm("onboarding.view_reviews", onboarding):
        return None
    return (
        "onboarding/reviews/timeline.html",
        {
            "onboarding": onboarding,
            "reviews": selectors.reviews_of(onboarding=onboarding),
            "can_record": _can_record(request, onboarding),
        },
    )


def mine_part(
    request: OrganisationHttpRequest, onboarding: Onboarding | None
) -> tuple[str, dict[str, Any]] | None:
    """The newcomer's next review and what the last one agreed (one query)."""
    if onboarding is None or onboarding.status != OnboardingStatus.ACTIVE:
        return None
    found = selectors.next_review_of(onboarding=onboarding)
    if found.total == 0:
        return None
    return ("onboarding/reviews/mine_card.html", {"found": found})


def home_part(request: OrganisationHttpRequest) -> tuple[str, dict[str, Any]] | None:
    """ "Reviews due" for HR, line managers and peters/meters (two queries)."""
    if not request.user.has_perm("onboarding.view_reviews"):
        return None
    found = selectors.home_reviews(access=request.access)
    if not found.counts.attention and not found.counts.planned:
        return None
    return (
        "onboarding/reviews/home_card.html",
        {"found": found, "grace_days": services.grace_days()},
    )


urlpatterns: list[URLPattern] = [
    path("reviews/", review_list, name="review-list"),
    path("reviews/<int:review_id>/", review_detail, name="review-detail"),
    path("reviews/<int:review_id>/record/", review_record, name="review-record"),
    path("reviews/<int:review_id>/correct/", review_correct, name="review-correct"),
    path("reviews/<int:review_id>/move/", review_move, name="review-move"),
    path("<int:onboarding_id>/reviews/schedule/", review_schedule, name="review-schedule"),
]
