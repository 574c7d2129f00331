"""Pages of session scheduling (PLAN-02).

- `registration:schedule-list`: the scheduling rounds; `schedule-create` starts one.
- `registration:schedule-detail`: a round's sessions, rooms, peaks and minima, the "Compute
  schedule" button (`schedule-solve`), the schedule by day or why there is none, publishing
  (`schedule-publish`) and the round's iCalendar file (`schedule-ics`); adding a session, room,
  production peak or staffing minimum (`schedule-session-create`, `schedule-room-create`,
  `schedule-peak-create`, `schedule-minimum-create`), a shift pattern (`schedule-pattern-create`),
  a person's work profile (`schedule-profile-set`: own pattern, peter/meter and CoP hours) and
  days someone cannot attend (`schedule-absence-create`); removing a session, an absence, a
  room, a peak or a minimum (`schedule-session-delete`, `schedule-absence-delete`,
  `schedule-room-delete`, `schedule-peak-delete`, `schedule-minimum-delete`).
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
    AbsenceForm,
    MinimumForm,
    PatternForm,
    PeakForm,
    ProfileForm,
    RoomForm,
    RoundForm,
    SessionForm,
)
from leerplek.registration.models import (
    ProductionPeak,
    Room,
    RoundStatus,
    ScheduleRound,
    ScheduleSession,
    StaffingMinimum,
    Unavailability,
    WorkProfile,
)
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
    template: str = "core/form_page.html",
) -> HttpResponse:
    if request.method == "POST" and form.is_valid():
        try:
            write(form.cleaned_data)
        except ValidationError as error:
            put_errors(form, error)
        else:
            messages.success(request, done)
            return redirect(_detail_url(round))
    return form_page(request, form, {"back_url": _detail_url(round), **context}, template)


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


@require_http_methods(["GET", "POST"])
@requires(MANAGE)
def pattern_create(request: OrganisationHttpRequest, round_id: int) -> HttpResponse:
    round = _round(request, round_id)
    form = PatternForm(_posted(request), organisation=request.organisation)
    return _form_view(
        request,
        round,
        form,
        lambda data: services_schedule.pattern_create(
            organisation=request.organisation,
            by=request.user,
            name=data["name"],
            shift=data["shift"],
            week=form.week(),
        ),
        _("The shift pattern was added."),
        {
            "title": _("Add a shift pattern"),
            "intro": _(
                "Tick the parts of the day worked on each weekday. Linked to a shift unit, the "
                "pattern is that of everyone in the shift; people can also get one of their own."
            ),
            "stylesheet": STYLESHEET,
        },
        "registration/schedule/pattern_form.html",
    )


@require_http_methods(["GET", "POST"])
@requires(MANAGE)
def profile_set(request: OrganisationHttpRequest, round_id: int) -> HttpResponse:
    round = _round(request, round_id)
    initial: dict[str, Any] = {}
    chosen = request.GET.get("employee", "")
    if request.method == "GET" and chosen.isdigit():
        profile = (
            WorkProfile.objects.filter(
                organisation_id=request.organisation.pk, employee_id=int(chosen)
            )
            .only("employee_id", "pattern_id", "mentor_hours_per_week", "community_hours_per_week")
            .first()
        )
        initial = {"employee": int(chosen)}
        if profile is not None:
            initial |= {
                "pattern": profile.pattern_id,
                "mentor_hours_per_week": profile.mentor_hours_per_week,
                "community_hours_per_week": profile.community_hours_per_week,
            }
    form = ProfileForm(_posted(request), organisation=request.organisation, initial=initial)
    return _form_view(
        request,
        round,
        form,
        lambda data: services_schedule.work_profile_set(by=request.user, **data),
        _("The work profile was saved."),
        {
            "title": _("A person's work profile"),
            "intro": _(
                "An own shift pattern overrides the shift's. The weekly hours of a peter/meter "
                "or community-of-practice member are neither training time nor floor time: the "
                "staffing minima count them as away."
            ),
        },
    )


@require_http_methods(["GET", "POST"])
@requires(MANAGE)
def absence_create(request: OrganisationHttpRequest, round_id: int) -> HttpResponse:
    round = _round(request, round_id)
    form = AbsenceForm(
        _posted(request),
        organisation=request.organisation,
        initial={"start": round.start, "end": round.start},
    )
    return _form_view(
        request,
        round,
        form,
        lambda data: services_schedule.unavailability_create(by=request.user, **data),
        _("The days are noted; no session is placed on them for this person."),
        {
            "title": _("Days someone cannot attend"),
            "intro": _(
                "Leave, another training or any other commitment of a trainer or participant. "
                "The scheduler places none of his sessions on these days."
            ),
        },
    )


@require_POST
@requires(MANAGE)
def absence_delete(
    request: OrganisationHttpRequest, round_id: int, absence_id: int
) -> HttpResponse:
    round = _round(request, round_id)
    item = get_object_or_404(
        Unavailability.objects.select_related("employee"),
        organisation_id=request.organisation.pk,
        pk=absence_id,
    )
    services_schedule.unavailability_delete(item=item, by=request.user)
    messages.success(request, _("The days of %(person)s were removed.") % {"person": item.employee})
    return redirect(_detail_url(round))


@require_POST
@requires(MANAGE)
def session_delete(
    request: OrganisationHttpRequest, round_id: int, schedule_session_id: int
) -> HttpResponse:
    round = _round(request, round_id)
    session = get_object_or_404(
        ScheduleSession.objects.select_related("round"), round=round, pk=schedule_session_id
    )
    try:
        services_schedule.session_delete(session=session, by=request.user)
    except ValidationError as error:
        messages.error(request, _error_text(error))
    else:
        messages.success(
            request, _("The session %(title)s was removed.") % {"title": session.title}
        )
    return redirect(_detail_url(round))


def _resource_delete(
    request: OrganisationHttpRequest, round_id: int, model: Any, pk: int
) -> HttpResponse:
    round = _round(request, round_id)
    item = get_object_or_404(model, organisation_id=request.organisation.pk, pk=pk)
    text = str(item)
    try:
        services_schedule.resource_delete(item=item, by=request.user)
    except ValidationError as error:
        messages.error(request, _error_text(error))
    else:
        messages.success(request, _("%(item)s was removed.") % {"item": text})
    return redirect(_detail_url(round))


@require_POST
@requires(MANAGE)
def room_delete(request: OrganisationHttpRequest, round_id: int, room_id: int) -> HttpResponse:
    return _resource_delete(request, round_id, Room, room_id)


@require_POST
@requires(MANAGE)
def peak_delete(request: OrganisationHttpRequest, round_id: int, peak_id: int) -> HttpResponse:
    return _resource_delete(request, round_id, ProductionPeak, peak_id)


@require_POST
@requires(MANAGE)
def minimum_delete(
    request: OrganisationHttpRequest, round_id: int, minimum_id: int
) -> HttpResponse:
    return _resource_delete(request, round_id, StaffingMinimum, minimum_id)


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
    path("schedule/<int:round_id>/patterns/new/", pattern_create, name="schedule-pattern-create"),
    path("schedule/<int:round_id>/profiles/", profile_set, name="schedule-profile-set"),
    path("schedule/<int:round_id>/absences/new/", absence_create, name="schedule-absence-create"),
    path(
        "schedule/<int:round_id>/absences/<int:absence_id>/delete/",
        absence_delete,
        name="schedule-absence-delete",
    ),
    path(
        "schedule/<int:round_id>/sessions/<int:schedule_session_id>/delete/",
        session_delete,
        name="schedule-session-delete",
    ),
    path(
        "schedule/<int:round_id>/rooms/<int:room_id>/delete/",
        room_delete,
        name="schedule-room-delete",
    ),
    path(
        "schedule/<int:round_id>/peaks/<int:peak_id>/delete/",
        peak_delete,
        name="schedule-peak-delete",
    ),
    path(
        "schedule/<int:round_id>/minima/<int:minimum_id>/delete/",
        minimum_delete,
        name="schedule-minimum-delete",
    ),
]
