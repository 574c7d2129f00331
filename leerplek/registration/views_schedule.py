"""Pages of session scheduling (PLAN-02).

- `registration:schedule-list`: the scheduling rounds; `schedule-create` starts one.
- `registration:schedule-detail`: a round's sessions, rooms, peaks and minima, the "Compute
  schedule" button (`schedule-solve`), the schedule by day or why there is none, publishing
  (`schedule-publish`) and the round's iCalendar file (`schedule-ics`); adding a session, room,
  production peak or staffing minimum (`schedule-session-create`, `schedule-room-create`,
  `schedule-peak-create`, `schedule-minimum-create`).
- `registration:my-sessions`: a person's own published sessions, made for a phone, and
  `registration:my-sessions-ics` the same as an iCalendar file.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import URLPattern, path, reverse
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from leerplek.core.decorators import requires
from leerplek.core.formviews import form_page
from leerplek.core.http import OrganisationHttpRequest
from leerplek.registration import ical_schedule, selectors_schedule, services_schedule
from leerplek.registration.forms_schedule import (
    MinimumForm,
    PeakForm,
    RoomForm,
    RoundForm,
    SessionForm,
)
from leerplek.registration.models import RoundStatus, ScheduleRound
from leerplek.training.forms_leittext import put_errors

MANAGE = "registration.schedule_sessions"
OWN = "registration.view_own_sessions"
STYLESHEET = "registration/schedule.css"


def _round(request: OrganisationHttpRequest, round_id: int) -> ScheduleRound:
    """A round of this organisation; another organisation's round does not exist here."""
    return get_object_or_404(ScheduleRound, organisation_id=request.organisation.pk, pk=round_id)


def _detail_url(round: ScheduleRound) -> str:
    return reverse("registration:schedule-detail", kwargs={"round_id": round.pk})


def _posted(request: OrganisationHttpRequest) -> Any:
    return request.POST if request.method == "POST" else None


def _error_text(error: ValidationError) -> str:
    return " ".join(str(message) for message in error.messages)


@requires(MANAGE)
def schedule_list(request: OrganisationHttpRequest) -> HttpResponse:
    rounds = list(selectors_schedule.round_list(organisation=request.organisation))
    return render(
        request,
        "registration/schedule/list.html",
        {"rounds": rounds, "stylesheet": STYLESHEET},
    )


@require_http_methods(["GET", "POST"])
@requires(MANAGE)
def schedule_create(request: OrganisationHttpRequest) -> HttpResponse:
    form = RoundForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            round = services_schedule.round_create(
                organisation=request.organisation, by=request.user, **form.cleaned_data
            )
        except ValidationError as error:
            put_errors(form, error)
        else:
            messages.success(request, _("The scheduling round was created; add its sessions."))
            return redirect(_detail_url(round))
    return form_page(
        request,
        form,
        {
            "title": _("New scheduling round"),
            "cancel_url": "registration:schedule-list",
            "intro": _(
                "A round places the sessions of planned formal trainings within a period, "
                "around shifts, calendars, production peaks and staffing minima."
            ),
        },
    )


@requires(MANAGE)
def schedule_detail(request: OrganisationHttpRequest, round_id: int) -> HttpResponse:
    round = _round(request, round_id)
    detail = selectors_schedule.round_detail(round=round)
    return render(
        request,
        "registration/schedule/detail.html",
        {
            "round": round,
            "detail": detail,
            "can_change": round.status != RoundStatus.PUBLISHED,
            "can_publish": round.status == RoundStatus.SOLVED,
            "stylesheet": STYLESHEET,
        },
    )


@require_POST
@requires(MANAGE)
def schedule_solve(request: OrganisationHttpRequest, round_id: int) -> HttpResponse:
    round = _round(request, round_id)
    try:
        result = services_schedule.round_solve(round=round, by=request.user)
    except ValidationError as error:
        messages.error(request, _error_text(error))
    else:
        if result.feasible:
            messages.success(
                request,
                _("A schedule was computed for %(count)s sessions.")
                % {"count": len(result.placements)},
            )
        else:
            messages.error(request, _("No schedule was found; see why below."))
    return redirect(_detail_url(round))


@require_POST
@requires(MANAGE)
def schedule_publish(request: OrganisationHttpRequest, round_id: int) -> HttpResponse:
    round = _round(request, round_id)
    try:
        services_schedule.round_publish(round=round, by=request.user)
    except ValidationError as error:
        messages.error(request, _error_text(error))
    else:
        messages.success(
            request,
            _("The schedule is published; the participants are reserved on their activities."),
        )
    return redirect(_detail_url(round))


def _ics(text: str, name: str) -> HttpResponse:
    response = HttpResponse(text, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{name}.ics"'
    return response


@requires(MANAGE)
def schedule_ics(request: OrganisationHttpRequest, round_id: int) -> HttpResponse:
    round = _round(request, round_id)
    events = selectors_schedule.round_events(
        round=round, organisation_slug=request.organisation.slug
    )
    return _ics(
        ical_schedule.calendar(events, name=round.title),
        slugify(round.title) or f"round-{round.pk}",
    )


def _form_view(
    request: OrganisationHttpRequest,
    round: ScheduleRound,
    form: Any,
    write: Any,
    done: str,
    context: dict[str, Any],
) -> HttpResponse:
    if request.method == "POST" and form.is_valid():
        try:
            write(form.cleaned_data)
        except ValidationError as error:
            put_errors(form, error)
        else:
            messages.success(request, done)
            return redirect(_detail_url(round))
    return form_page(request, form, {"back_url": _detail_url(round), **context})


@require_http_methods(["GET", "POST"])
@requires(MANAGE)
def session_create(request: OrganisationHttpRequest, round_id: int) -> HttpResponse:
    round = _round(request, round_id)
    form = SessionForm(
        _posted(request),
        organisation=request.organisation,
        initial={"earliest": round.start, "latest": round.end},
    )
    return _form_view(
        request,
        round,
        form,
        lambda data: services_schedule.session_create(round=round, by=request.user, **data),
        _("The session was added."),
        {
            "title": _("Add a session to %(round)s") % {"round": round.title},
            "intro": _(
                "A session fits in one shift part (at most 8 hours). Everyone in it must "
                "work that part on the chosen day."
            ),
        },
    )


@require_http_methods(["GET", "POST"])
@requires(MANAGE)
def room_create(request: OrganisationHttpRequest, round_id: int) -> HttpResponse:
    round = _round(request, round_id)
    return _form_view(
        request,
        round,
        RoomForm(_posted(request)),
        lambda data: services_schedule.room_create(
            organisation=request.organisation, by=request.user, **data
        ),
        _("The room was added."),
        {"title": _("Add a training room")},
    )


@require_http_methods(["GET", "POST"])
@requires(MANAGE)
def peak_create(request: OrganisationHttpRequest, round_id: int) -> HttpResponse:
    round = _round(request, round_id)
    return _form_view(
        request,
        round,
        PeakForm(_posted(request), organisation=request.organisation),
        lambda data: services_schedule.peak_create(
            organisation=request.organisation, by=request.user, **data
        ),
        _("The production peak was added."),
        {
            "title": _("Declare a production peak"),
            "intro": _("Nobody of the unit (and its sub-units) is trained during a peak."),
        },
    )


@require_http_methods(["GET", "POST"])
@requires(MANAGE)
def minimum_create(request: OrganisationHttpRequest, round_id: int) -> HttpResponse:
    round = _round(request, round_id)
    return _form_view(
        request,
        round,
        MinimumForm(_posted(request), organisation=request.organisation),
        lambda data: services_schedule.minimum_create(
            organisation=request.organisation, by=request.user, **data
        ),
        _("The staffing minimum was added."),
        {
            "title": _("Add a staffing minimum"),
            "intro": _(
                "The people of the unit who work a slot, less those in training and the time "
                "allowances of peters/meters and CoP members, must stay at or above the minimum."
            ),
        },
    )


def _own_events(request: OrganisationHttpRequest) -> list[selectors_schedule.Event]:
    if request.access.employee_id is None:
        raise Http404
    return selectors_schedule.own_events(
        organisation=request.organisation, employee_id=request.access.employee_id
    )


@requires(OWN)
def my_sessions(request: OrganisationHttpRequest) -> HttpResponse:
    """The person's own published sessions, for a phone."""
    return render(
        request,
        "registration/schedule/mine.html",
        {"events": _own_events(request), "stylesheet": STYLESHEET},
    )


@requires(OWN)
def my_sessions_ics(request: OrganisationHttpRequest) -> HttpResponse:
    events = _own_events(request)
    return _ics(ical_schedule.calendar(events, name=_("My training sessions")), "my-sessions")


urlpatterns: list[URLPattern] = [
    path("schedule/", schedule_list, name="schedule-list"),
    path("schedule/new/", schedule_create, name="schedule-create"),
    path("schedule/mine/", my_sessions, name="my-sessions"),
    path("schedule/mine/calendar.ics", my_sessions_ics, name="my-sessions-ics"),
    path("schedule/<int:round_id>/", schedule_detail, name="schedule-detail"),
    path("schedule/<int:round_id>/solve/", schedule_solve, name="schedule-solve"),
    path("schedule/<int:round_id>/publish/", schedule_publish, name="schedule-publish"),
    path("schedule/<int:round_id>/calendar.ics", schedule_ics, name="schedule-ics"),
    path("schedule/<int:round_id>/sessions/new/", session_create, name="schedule-session-create"),
    path("schedule/<int:round_id>/rooms/new/", room_create, name="schedule-room-create"),
    path("schedule/<int:round_id>/peaks/new/", peak_create, name="schedule-peak-create"),
    path("schedule/<int:round_id>/minima/new/", minimum_create, name="schedule-minimum-create"),
]
