"""URL arguments for the training 'ranking' pages (the URL walk)."""

from __future__ import annotations

from typing import Any

from leerplek.core.roles import Role
from leerplek.training import services_ranking
from tests.factories import Cast
from tests.training.factories import station
from tests.training.factories_leittext import acting


def arguments(cast: Cast) -> dict[str, Any]:
    """A value for each URL argument the 'ranking' pages add, inside the line manager's scope.

    An open ranking of the production department (packaging lies below it) with one machine,
    scored by HR only: the line manager still sees it on his home card. Keep the walk data out
    of the cast's mentor's guidance: the walk expects his roles alone.
    """
    machine = station(cast, code="WALK-RANK", name="Walk-afvuller")
    ranking_round = services_ranking.ranking_round_create(
        organisation=cast.organisation,
        by=acting(cast, Role.HR),
        title="Walk ranking",
        unit=cast.production,
    )
    services_ranking.machine_scores_save(
        ranking_round=ranking_round,
        by=acting(cast, Role.HR),
        scores={machine.pk: {"problems": 4, "shared_use": 3, "training_time": 5, "downtime": 2}},
    )
    return {"ranking_round_id": ranking_round.pk}
