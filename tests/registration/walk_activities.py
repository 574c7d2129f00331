"""URL arguments for the registration 'activities' pages (the URL walk)."""

from __future__ import annotations

from typing import Any

from leerplek.registration.models import ExtraField
from tests.factories import Cast


def arguments(cast: Cast) -> dict[str, Any]:
    """A value for each URL argument the 'activities' pages add: an extra registration field.

    Keys are namespaced where another app uses the same name: "registration:field_id"."""
    field = ExtraField.objects.create(
        organisation=cast.organisation, key="walk_budget", label="Walk budget"
    )
    return {"registration:field_id": field.pk}
