"""Path values and endpoints of the registration API, one module per area."""

from __future__ import annotations

from typing import Any

from tests.api import (
    registration_activities_walk,
    registration_core_walk,
    registration_drafts_walk,
    registration_plan_walk,
    registration_rights_walk,
    registration_sb_walk,
    registration_schedule_walk,
    registration_volume_walk,
)
from tests.factories import Cast

AREAS = (
    registration_core_walk,
    registration_activities_walk,
    registration_drafts_walk,
    registration_sb_walk,
    registration_volume_walk,
    registration_plan_walk,
    registration_rights_walk,
    registration_schedule_walk,
)
ENDPOINTS: set[tuple[str, str]] = set().union(*(area.ENDPOINTS for area in AREAS))


def arguments(cast: Cast) -> dict[str, Any]:
    values: dict[str, Any] = {}
    for area in AREAS:
        values.update(area.arguments(cast))
    return values
