"""URL arguments for the registration 'sb' pages (the URL walk)."""

from __future__ import annotations

import datetime
from typing import Any

from leerplek.registration.models import CostKind
from tests.factories import Cast
from tests.registration.factories import activity


def arguments(cast: Cast) -> dict[str, Any]:
    """A value for each URL argument the 'sb' pages add: a finished year with a counted course of
    the packaging worker (inside the line manager's scope), a code, an export format, a fund
    contribution paid at company level.

    Keys are namespaced where another app uses the same name: "registration:activity_id"."""
    assert cast.worker is not None
    activity(
        cast,
        "Walk-SB",
        on=datetime.date(2025, 5, 6),
        participants=[(cast.worker, 3)],
        costs=[(CostKind.EXTERNAL, "90.00")],
    )
    from leerplek.registration import services

    contribution = services.contribution_add(
        organisation=cast.organisation,
        by=None,
        paid_on=datetime.date(2025, 6, 30),
        amount="120.00",
        fund="Walk-fonds",
    )
    return {
        "registration:year": 2025,
        "registration:code": "5801",
        "registration:fmt": "csv",
        "contribution_id": contribution.pk,
    }
