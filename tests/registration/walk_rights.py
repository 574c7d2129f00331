"""URL arguments for the registration 'rights' pages (the URL walk)."""

from __future__ import annotations

import datetime
from typing import Any

from leerplek.registration import services_rights
from tests.factories import Cast


def arguments(cast: Cast) -> dict[str, Any]:
    """A value for each URL argument the 'rights' pages add, inside the line manager's scope:
    the packaging worker, a sector rule and a part-time period of the worker."""
    assert cast.worker is not None
    rule = services_rights.sector_rule_create(
        organisation=cast.organisation,
        by=None,
        name="Walk rule",
        joint_committee="200",
        valid_from_year=2024,
    )
    regime = services_rights.regime_add(
        employee=cast.worker, by=None, fraction="0.8", start=datetime.date(2024, 1, 1)
    )
    return {
        "registration:employee_id": cast.worker.pk,
        "rule_id": rule.pk,
        "regime_id": regime.pk,
    }
