"""URL arguments for the 'reviews' pages in the URL walk (tests/core/test_url_permissions.py)."""

from __future__ import annotations

from typing import Any

from leerplek.onboarding.models import Onboarding
from tests.factories import Cast


def arguments(cast: Cast, onboarding: Onboarding) -> dict[str, Any]:
    """A value for each URL argument the 'reviews' pages add, inside the line manager's scope:
    the first review the start of the worker's onboarding planned."""
    first = onboarding.reviews.order_by("number").first()
    assert first is not None, "onboarding_start plans the reviews"
    return {"review_id": first.pk}
