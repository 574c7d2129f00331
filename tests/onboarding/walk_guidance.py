"""URL arguments for the 'guidance' pages in the URL walk (tests/core/test_url_permissions.py)."""

from __future__ import annotations

from typing import Any

from leerplek.onboarding.models import Onboarding
from tests.factories import Cast


def arguments(cast: Cast, onboarding: Onboarding) -> dict[str, Any]:
    """A value for each URL argument the 'guidance' pages add, inside the line manager's scope."""
    return {}
