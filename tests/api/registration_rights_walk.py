"""The registration API's 'rights' endpoints for the OpenAPI walk (tests/api/test_openapi.py)."""

from __future__ import annotations

from typing import Any

from tests.factories import Cast

# Every (path, method) this area's router adds.
ENDPOINTS: set[tuple[str, str]] = {
    ("/api/v1/registration/rights", "get"),
    ("/api/v1/registration/rights/{employee_id}", "get"),
}


def arguments(cast: Cast) -> dict[str, Any]:
    """Path values of this area's endpoints, in HR's scope: the packaging worker."""
    assert cast.worker is not None
    return {"employee_id": cast.worker.pk}
