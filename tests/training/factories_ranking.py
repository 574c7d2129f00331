"""Ranking state built through the services: the sauce kitchen with its machines (and one
workstation that is not a machine), an open round, and scores per scorer."""

from __future__ import annotations

from typing import Any

from leerplek.core.roles import Role
from leerplek.people.models import User, Workstation
from leerplek.training import services_ranking
from leerplek.training.models import RankingRound
from tests.factories import Cast, WorkstationFactory
from tests.training.factories_leittext import acting

# The sauce kitchen of Voedingsbedrijf X (brochure L1396-1404).
MACHINES = (
    ("SAUS-MENG", "Mengketel"),
    ("SAUS-KOOK", "Kookketel"),
    ("SAUS-AFVUL", "Afvullijn"),
    ("SAUS-ETIK", "Etiketteerder"),
)


def kitchen(cast: Cast, extra: int = 0) -> list[Workstation]:
    """The machines of the packaging team (inside the production department), by name, plus a
    workbench that is no machine; `extra` more machines for the query-count tests."""
    machines = [
        WorkstationFactory(
            organisation=cast.organisation,
            unit=cast.packaging,
            code=code,
            name=name,
            is_machine=True,
        )
        for code, name in MACHINES
    ]
    machines += [
        WorkstationFactory(
            organisation=cast.organisation,
            unit=cast.packaging,
            code=f"EXTRA-{number}",
            name=f"Extra machine {number:02d}",
            is_machine=True,
        )
        for number in range(extra)
    ]
    WorkstationFactory(
        organisation=cast.organisation,
        unit=cast.packaging,
        code="SAUS-TAFEL",
        name="Werktafel",
        is_machine=False,
    )
    return machines


def open_round(cast: Cast, title: str = "Sauskeuken 2026", **fields: Any) -> RankingRound:
    fields.setdefault("unit", cast.production)
    return services_ranking.ranking_round_create(
        organisation=cast.organisation, by=acting(cast, Role.HR), title=title, **fields
    )


def answers(problems: int, shared_use: int, training_time: int, downtime: int) -> dict[str, int]:
    return {
        "problems": problems,
        "shared_use": shared_use,
        "training_time": training_time,
        "downtime": downtime,
    }


def score(ranking_round: RankingRound, by: User, scores: dict[Workstation, dict[str, Any]]) -> None:
    services_ranking.machine_scores_save(
        ranking_round=ranking_round,
        by=by,
        scores={machine.pk: values for machine, values in scores.items()},
    )


def post_data(scores: dict[Workstation, dict[str, Any]]) -> dict[str, Any]:
    """The scoring form's POST data for `scores`."""
    data: dict[str, Any] = {}
    for machine, values in scores.items():
        for question, value in values.items():
            if question == "note":
                data[services_ranking.note_field(machine.pk)] = value
            else:
                data[services_ranking.score_field(machine.pk, question)] = value
    return data
