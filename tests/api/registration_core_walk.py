"""The registration API's core endpoints (activities) for the OpenAPI walk."""

from __future__ import annotations

import datetime
from typing import Any

from tests.factories import Cast
from tests.registration.factories import activity

ENDPOINTS: set[tuple[str, str]] = {
    ("/api/v1/registration/activities", "get"),
    ("/api/v1/registration/activities", "post"),
    ("/api/v1/registration/activities/{activity_id}", "get"),
    ("/api/v1/registration/activities/{activity_id}/participants", "post"),
    ("/api/v1/registration/activities/{activity_id}/costs", "post"),
}


def arguments(cast: Cast) -> dict[str, Any]:
    assert cast.worker is not None
    item = activity(
        cast, "API-cursus", on=datetime.date(2025, 4, 1), participants=[(cast.worker, 3)]
    )
    return {"activity_id": item.pk, "year": 2025}
