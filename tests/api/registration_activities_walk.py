"""The registration API's 'activities' endpoints for the OpenAPI walk."""

from __future__ import annotations

import datetime
from typing import Any

from leerplek.registration.models import CostKind
from tests.factories import Cast
from tests.registration.factories import activity

# Every (path, method) this area's router adds.
ENDPOINTS: set[tuple[str, str]] = {
    ("/api/v1/registration/participations", "get"),
    ("/api/v1/registration/participations/{participation_id}", "patch"),
    ("/api/v1/registration/participations/{participation_id}", "delete"),
    ("/api/v1/registration/cost-lines", "get"),
    ("/api/v1/registration/cost-lines/{line_id}", "delete"),
    ("/api/v1/registration/extra-fields", "get"),
}


def arguments(cast: Cast) -> dict[str, Any]:
    """Path values of this area's endpoints, in HR's scope."""
    assert cast.worker is not None
    item = activity(
        cast,
        "API-walk",
        on=datetime.date(2025, 4, 2),
        participants=[(cast.worker, 3)],
        costs=[(CostKind.EXTERNAL, "80.00")],
    )
    return {
        "participation_id": item.participations.get().pk,
        "line_id": item.cost_lines.get().pk,
    }
