"""The registration API's 'schedule' endpoints for the OpenAPI walk (tests/api/test_openapi.py)."""

from __future__ import annotations

from typing import Any

from tests.factories import Cast
from tests.registration.factories_schedule import db_round

# Every (path, method) this area's router adds.
ENDPOINTS: set[tuple[str, str]] = {
    ("/api/v1/registration/schedule/rounds", "get"),
    ("/api/v1/registration/schedule/rounds/{round_id}", "get"),
}


def arguments(cast: Cast) -> dict[str, Any]:
    """Path values of this area's endpoints, in HR's scope: a round with one session."""
    return {"round_id": db_round(cast, sessions=1, size=2).pk}
