"""URL arguments for the registration 'schedule' pages (the URL walk)."""

from __future__ import annotations

from typing import Any

from leerplek.registration import services_schedule
from tests.factories import Cast
from tests.registration.factories_schedule import db_round


def arguments(cast: Cast) -> dict[str, Any]:
    """A value for each URL argument the 'schedule' pages add: a round with one small session
    (computing it, when the walk posts to the solve URL, takes a fraction of a second), a day
    its participant cannot attend, its room, a production peak and a staffing minimum."""
    round = db_round(cast, sessions=1, size=2)
    absence = services_schedule.unavailability_create(
        employee=cast.worker, by=None, start=round.start, end=round.start, reason="Verlof"
    )
    from leerplek.registration.models import Room

    peak = services_schedule.peak_create(
        organisation=cast.organisation,
        by=None,
        unit=cast.packaging,
        start=round.start,
        end=round.start,
    )
    minimum = services_schedule.minimum_create(
        organisation=cast.organisation, by=None, unit=cast.packaging, minimum=0
    )
    return {
        "round_id": round.pk,
        "room_id": Room.objects.get(organisation=cast.organisation, name="Zaal 1").pk,
        "peak_id": peak.pk,
        "minimum_id": minimum.pk,
        "schedule_session_id": round.sessions.get().pk,
        "absence_id": absence.pk,
    }
