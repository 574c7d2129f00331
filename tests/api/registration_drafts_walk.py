"""The registration API's 'drafts' endpoints for the OpenAPI walk (tests/api/test_openapi.py)."""

from __future__ import annotations

from typing import Any

from tests.factories import Cast

# Every (path, method) this area's router adds.
ENDPOINTS: set[tuple[str, str]] = {
    ("/api/v1/registration/drafts", "get"),
    ("/api/v1/registration/drafts/decide", "post"),
    ("/api/v1/registration/quick-logs", "post"),
    ("/api/v1/registration/quick-logs/mine", "get"),
    ("/api/v1/registration/quick-logs/decide", "post"),
}


def arguments(cast: Cast) -> dict[str, Any]:
    """Path values of this area's endpoints, in HR's scope: none take a path value."""
    return {}
