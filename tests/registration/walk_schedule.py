"""URL arguments for the registration 'schedule' pages (the URL walk)."""

from __future__ import annotations

from typing import Any

from leerplek.registration import services_schedule
from tests.factories import Cast
from tests.registration.factories_schedule import db_round


def arguments(cast: Cast) -> dict[str, Any]:
    """A value for each URL argument the 'schedule' pages add: a round with one small session
    (computing it, when the walk posts to the solve URL, takes a fraction of a second) and a day
    its participant cannot attend."""
    round = db_round(cast, sessions=1, size=2)
    absence = services_schedule.unavailability_create(
        employee=cast.worker, by=None, start=round.start, end=round.start, reason="Verlof"
    )
    return {
        "round_id": round.pk,
        "schedule_session_id": round.sessions.get().pk,
        "absence_id": absence.pk,
    }
