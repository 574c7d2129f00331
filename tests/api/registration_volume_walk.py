"""The registration API's 'volume' endpoints for the OpenAPI walk (tests/api/test_openapi.py)."""

from __future__ import annotations

from typing import Any

from tests.factories import Cast

# Every (path, method) this area's router adds.
ENDPOINTS: set[tuple[str, str]] = {("/api/v1/registration/volume", "get")}


def arguments(cast: Cast) -> dict[str, Any]:
    """Path values of this area's endpoints, in HR's scope (none: the volume takes a query)."""
    return {}
