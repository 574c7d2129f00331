"""URL arguments for the registration core pages (activities, the social balance): the URL walk."""

from __future__ import annotations

import datetime
from typing import Any

from leerplek.registration.models import CostKind
from tests.factories import Cast
from tests.registration.factories import activity


def arguments(cast: Cast) -> dict[str, Any]:
    """A formal activity of last year with the packaging worker (inside the line manager's
    scope) and a cost line that names him."""
    assert cast.worker is not None
    item = activity(
        cast,
        "Walk-cursus",
        on=datetime.date(2025, 5, 5),
        participants=[(cast.worker, 4)],
        costs=[(CostKind.TRAINEE_PAY, "120.00", cast.worker)],
    )
    return {
        "activity_id": item.pk,
        "participation_id": item.participations.get().pk,
        "cost_line_id": item.cost_lines.get().pk,
        "registration:year": 2025,
        "registration:code": "5801",
        "registration:fmt": "csv",
    }
