"""The scheduler's inputs from the round page: shift patterns, a person's work profile, days
someone cannot attend, removing a session; errors that name the field; query bounds."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from django.urls import reverse

from leerplek.core.models import AuditEntry
from leerplek.core.roles import Role
from leerplek.people.models import UnitKind
from leerplek.registration import services_schedule as services
from leerplek.registration.models import (
    ScheduledSession,
    ScheduleSession,
    ShiftPattern,
    Unavailability,
    WorkProfile,
)
from tests.factories import Cast, make_unit
from tests.registration.factories import person
from tests.registration.factories_schedule import day, db_round

pytestmark = pytest.mark.django_db


def url(name: str, **kwargs: Any) -> str:
    return reverse(f"registration:{name}", kwargs=kwargs)


def test_a_shift_pattern_from_the_weekday_check_boxes(cast: Cast, client_for: Any) -> None:
    round = db_round(cast, sessions=1)
    late = make_unit(cast.organisation, "Late ploeg", parent=cast.packaging, kind=UnitKind.SHIFT)
    client = client_for(cast.user(Role.HR))
    form = client.get(url("schedule-pattern-create", round_id=round.pk)).content.decode()
    assert 'type="checkbox"' in form
    assert form.count('value="night"') == 7
    response = client.post(
        url("schedule-pattern-create", round_id=round.pk),
        {
            "name": "Laat",
            "shift": late.pk,
            **{day: ["late"] for day in ("monday", "tuesday", "wednesday", "thursday", "friday")},
            "saturday": ["early", "late"],
        },
    )
    assert response.status_code == 302
    pattern = ShiftPattern.objects.get(name="Laat")
    assert pattern.shift == late
    assert pattern.week == [["late"]] * 5 + [["early", "late"], []]
    detail = client.get(url("schedule-detail", round_id=round.pk)).content.decode()
    assert "<title>Voorjaar · Leerplek</title>" in detail
    assert "Laat" in detail
    assert "Mon–Fri: late · Sat: early, late" in detail  # noqa: RUF001


def test_a_pattern_needs_a_name_and_a_shift_unit(cast: Cast, client_for: Any) -> None:
    round = db_round(cast, sessions=1)
    client = client_for(cast.user(Role.HR))
    response = client.post(
        url("schedule-pattern-create", round_id=round.pk),
        {"name": "", "shift": cast.packaging.pk, "monday": ["early"]},
    )
    assert response.status_code == 422
    body = response.content.decode()
    assert "This field is required." in body
    # Packaging is a department, not a shift: it is not among the choices.
    assert "Select a valid choice." in body
    assert not ShiftPattern.objects.exists()
    # What was ticked is still ticked.
    assert body.count(" checked") == 1
    assert 'value="early" id="id_monday_0" checked' in body


def test_a_work_profile_is_set_and_opened_again(cast: Cast, client_for: Any) -> None:
    round = db_round(cast, sessions=1)
    client = client_for(cast.user(Role.HR))
    nights = services.pattern_create(
        organisation=cast.organisation, by=None, name="Nacht", week=[["night"]] * 4 + [[]] * 3
    )
    address = url("schedule-profile-set", round_id=round.pk)
    response = client.post(
        address,
        {
            "employee": cast.worker.pk,  # type: ignore[union-attr]
            "pattern": nights.pk,
            "mentor_hours_per_week": "2.5",
            "community_hours_per_week": "1",
        },
    )
    assert response.status_code == 302
    profile = WorkProfile.objects.get(employee=cast.worker)
    assert (profile.pattern, profile.mentor_hours_per_week) == (nights, Decimal("2.50"))
    detail = client.get(url("schedule-detail", round_id=round.pk)).content.decode()
    assert f"{address}?employee={cast.worker.pk}" in detail  # type: ignore[union-attr]
    assert "peter/meter 2.50 h/week · CoP 1 h/week" in detail
    again = client.get(f"{address}?employee={cast.worker.pk}").content.decode()  # type: ignore[union-attr]
    assert 'value="2.50"' in again
    assert f'<option value="{nights.pk}" selected>' in again


def test_allowance_hours_out_of_range_name_the_field(cast: Cast, client_for: Any) -> None:
    round = db_round(cast, sessions=1)
    response = client_for(cast.user(Role.HR)).post(
        url("schedule-profile-set", round_id=round.pk),
        {
            "employee": cast.worker.pk,  # type: ignore[union-attr]
            "mentor_hours_per_week": "61",
            "community_hours_per_week": "0.125",
        },
    )
    assert response.status_code == 422
    body = response.content.decode()
    assert "Ensure this value is less than or equal to 60." in body
    assert "Ensure that there are no more than 2 decimal places." in body
    assert not WorkProfile.objects.exists()


def test_days_someone_cannot_attend_are_kept_out_of_the_schedule(
    cast: Cast, client_for: Any, settings: Any
) -> None:
    settings.LEERPLEK = {**settings.LEERPLEK, "SCHEDULER_TIME_LIMIT_S": 5}
    round = db_round(cast, sessions=1)
    client = client_for(cast.user(Role.HR))
    response = client.post(
        url("schedule-absence-create", round_id=round.pk),
        {
            "employee": cast.worker.pk,  # type: ignore[union-attr]
            "start": day(0).isoformat(),
            "end": day(3).isoformat(),
            "reason": "Verlof",
        },
    )
    assert response.status_code == 302
    detail = client.get(url("schedule-detail", round_id=round.pk)).content.decode()
    assert "Verlof" in detail
    client.post(url("schedule-solve", round_id=round.pk))
    placement = ScheduledSession.objects.get(session__round=round)
    assert placement.day == day(4)


def test_an_absence_ending_before_it_starts_is_refused(cast: Cast, client_for: Any) -> None:
    round = db_round(cast, sessions=1)
    response = client_for(cast.user(Role.HR)).post(
        url("schedule-absence-create", round_id=round.pk),
        {
            "employee": cast.worker.pk,  # type: ignore[union-attr]
            "start": day(3).isoformat(),
            "end": day(1).isoformat(),
        },
    )
    assert response.status_code == 422
    assert "2026-03-05" in response.content.decode()
    assert not Unavailability.objects.exists()


def test_removing_an_absence_and_a_session(cast: Cast, client_for: Any) -> None:
    round = db_round(cast, sessions=2)
    client = client_for(cast.user(Role.HR))
    absence = services.unavailability_create(
        employee=cast.worker, by=None, start=day(1), end=day(1)
    )
    client.post(url("schedule-absence-delete", round_id=round.pk, absence_id=absence.pk))
    assert not Unavailability.objects.exists()
    assert AuditEntry.objects.filter(action="registration.unavailability_deleted").exists()
    first = round.sessions.order_by("title").first()
    assert first is not None
    response = client.post(
        url("schedule-session-delete", round_id=round.pk, schedule_session_id=first.pk)
    )
    assert response.status_code == 302
    assert list(round.sessions.values_list("title", flat=True)) == ["Heftruck 2"]
    response = client.get(url("schedule-detail", round_id=round.pk))
    assert "The session Heftruck 1 was removed." in response.content.decode()


def test_a_published_round_keeps_its_sessions(cast: Cast, client_for: Any) -> None:
    round = db_round(cast, sessions=1)
    services.round_solve(round=round, by=None, seconds=5)
    services.round_publish(round=round, by=None)
    session = round.sessions.get()
    client = client_for(cast.user(Role.HR))
    response = client.post(
        url("schedule-session-delete", round_id=round.pk, schedule_session_id=session.pk),
        follow=True,
    )
    assert ScheduleSession.objects.filter(pk=session.pk).exists()
    assert "This round is published" in response.content.decode()
    page = response.content.decode()
    assert (
        url("schedule-session-delete", round_id=round.pk, schedule_session_id=session.pk)
        not in page
    )


def test_another_organisations_absence_cannot_be_removed(cast: Cast, client_for: Any) -> None:
    round = db_round(cast, sessions=1)
    absence = services.unavailability_create(
        employee=cast.worker, by=None, start=day(1), end=day(1)
    )
    from django.test import Client

    other = Client()
    other.force_login(cast.other_hr)  # type: ignore[arg-type]
    response = other.post(url("schedule-absence-delete", round_id=round.pk, absence_id=absence.pk))
    assert response.status_code == 404
    assert Unavailability.objects.filter(pk=absence.pk).exists()


def test_the_round_page_with_many_profiles_and_absences_keeps_its_queries(
    cast: Cast, client_for: Any, django_assert_max_num_queries: Any
) -> None:
    client = client_for(cast.user(Role.HR))
    round = db_round(cast, sessions=1, size=2)
    with django_assert_max_num_queries(17):
        client.get(url("schedule-detail", round_id=round.pk))
    big = db_round(cast, sessions=4, size=4)
    pattern = services.pattern_create(
        organisation=cast.organisation, by=None, name="Vroeg", week=[["early"]] * 5 + [[], []]
    )
    for session in big.sessions.all():
        for member in session.participants.all():
            services.work_profile_set(employee=member, by=None, pattern=pattern)
            services.unavailability_create(employee=member, by=None, start=day(0), end=day(0))
    bystander = person(cast, "Buiten")
    services.unavailability_create(employee=bystander, by=None, start=day(0), end=day(0))
    with django_assert_max_num_queries(17):
        body = client.get(url("schedule-detail", round_id=big.pk)).content.decode()
    # Only the round's own people are listed: the bystander is not.
    assert "Buiten" not in body
    assert body.count("Vroeg") >= 5


def test_rooms_peaks_and_minima_are_removed_but_a_room_in_use_stays(
    cast: Cast, client_for: Any
) -> None:
    from leerplek.registration.models import ProductionPeak, Room, StaffingMinimum

    round = db_round(cast, sessions=1)
    client = client_for(cast.user(Role.HR))
    peak = services.peak_create(
        organisation=cast.organisation, by=None, unit=cast.packaging, start=day(1), end=day(1)
    )
    minimum = services.minimum_create(
        organisation=cast.organisation, by=None, unit=cast.packaging, minimum=1
    )
    spare = services.room_create(organisation=cast.organisation, by=None, name="Kelder", capacity=4)
    page = client.post(
        url("schedule-peak-delete", round_id=round.pk, peak_id=peak.pk), follow=True
    ).content.decode()
    assert " was removed." in page
    client.post(url("schedule-minimum-delete", round_id=round.pk, minimum_id=minimum.pk))
    client.post(url("schedule-room-delete", round_id=round.pk, room_id=spare.pk))
    assert not ProductionPeak.objects.exists()
    assert not StaffingMinimum.objects.exists()
    assert list(Room.objects.values_list("name", flat=True)) == ["Zaal 1"]
    assert AuditEntry.objects.filter(action="registration.productionpeak_deleted").exists()
    services.round_solve(round=round, by=None, seconds=5)
    used = Room.objects.get(name="Zaal 1")
    response = client.post(
        url("schedule-room-delete", round_id=round.pk, room_id=used.pk), follow=True
    )
    assert Room.objects.filter(pk=used.pk).exists()
    assert "Sessions are placed in Zaal 1" in response.content.decode()
