"""The demo's scheduling round: the packaging shifts with their patterns, rooms, a peak, a
minimum per shift, a peter's allowance and a leave; computing it gives a schedule that keeps
every rule, with each shift trained in its own part of the day."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from leerplek.core.roles import Role
from leerplek.demo.builder import DEMO_USERS
from leerplek.people.models import Organisation, User
from leerplek.registration import services_schedule
from leerplek.registration.models import (
    ScheduledSession,
    ScheduleRound,
    ShiftPattern,
    Unavailability,
    WorkProfile,
)

pytestmark = pytest.mark.django_db


def test_the_round_has_everything_the_scheduler_takes(demo: Organisation) -> None:
    round = ScheduleRound.objects.get(organisation=demo)
    assert round.status == "draft"
    assert round.sessions.count() == 3
    assert {p.shift.name for p in ShiftPattern.objects.filter(organisation=demo)} == {
        "Vroege ploeg",
        "Late ploeg",
        "Nachtploeg",
    }
    assert WorkProfile.objects.filter(organisation=demo, mentor_hours_per_week=4).count() == 1
    assert Unavailability.objects.filter(organisation=demo, reason="Verlof").count() == 1


def test_computing_the_demo_round_places_each_shift_in_its_own_part(
    demo: Organisation,
) -> None:
    round = ScheduleRound.objects.get(organisation=demo)
    result = services_schedule.round_solve(round=round, by=None, seconds=5)
    assert result.feasible, result
    parts = {
        placement.session.title: placement.part
        for placement in ScheduledSession.objects.filter(session__round=round).select_related(
            "session"
        )
    }
    assert parts == {
        "Heftruck opfrissing (vroege ploeg)": "early",
        "Heftruck opfrissing (late ploeg)": "late",
        "Eerste hulp (nachtploeg)": "night",
    }


def test_the_demo_hr_sees_the_inputs_on_the_round_page(demo: Organisation, client: Any) -> None:
    round = ScheduleRound.objects.get(organisation=demo)
    email = next(email for who, email in DEMO_USERS if who is Role.HR)
    client.force_login(User.objects.get(email=email))
    body = client.get(
        reverse("registration:schedule-detail", kwargs={"round_id": round.pk})
    ).content.decode()
    assert "Nachtploeg (zo–do)" in body  # noqa: RUF001
    assert "Verlof" in body
    assert "peter/meter 4 u/week" in body
