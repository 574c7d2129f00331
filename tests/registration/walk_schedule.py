"""URL arguments for the registration 'schedule' pages (the URL walk)."""

from __future__ import annotations

from typing import Any

from tests.factories import Cast
from tests.registration.factories_schedule import db_round


def arguments(cast: Cast) -> dict[str, Any]:
    """A value for each URL argument the 'schedule' pages add: a round with one small session
    (computing it, when the walk posts to the solve URL, takes a fraction of a second)."""
    return {"round_id": db_round(cast, sessions=1, size=2).pk}
