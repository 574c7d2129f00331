"""URL arguments for the training 'learning' pages (the URL walk)."""

from __future__ import annotations

from typing import Any

from tests.factories import Cast
from tests.training.factories_learning import declared, following, session


def arguments(cast: Cast) -> dict[str, Any]:
    """A value for each URL argument the 'learning' pages add, inside the line manager's scope.

    The packaging worker (no log-in, no guide) follows an approved programme: he declared its
    practical module done and was taught it in a TWI session. `assignment_id` comes from the
    Leittext walk. Keep the walk data out of the cast's mentor's guidance: the walk expects his
    roles alone.
    """
    assignment = following(cast, code="WALK-L")
    signoff = declared(assignment)
    taught = session(cast, assignment)
    return {
        "module_plan_id": assignment.module_plans.first().pk,  # type: ignore[union-attr]
        "signoff_id": signoff.pk,
        "follow_up_check_id": taught.checks.first().pk,  # type: ignore[union-attr]
    }
