"""The registration API's 'sb' endpoints for the OpenAPI walk (tests/api/test_openapi.py)."""

from __future__ import annotations

import datetime
from typing import Any

from tests.factories import Cast
from tests.registration.factories import activity

# Every (path, method) this area's router adds.
ENDPOINTS: set[tuple[str, str]] = {
    ("/api/v1/registration/social-balance/{year}", "get"),
}


def arguments(cast: Cast) -> dict[str, Any]:
    """Path values of this area's endpoints, in HR's scope: a year with a counted activity."""
    assert cast.worker is not None
    activity(cast, "SB-walk", on=datetime.date(2025, 4, 2), participants=[(cast.worker, 2)])
    return {"year": 2025}
