"""URL arguments for the training 'programmes' pages (the URL walk)."""

from __future__ import annotations

from typing import Any

from tests.factories import Cast
from tests.training.factories_programmes import built_programme


def arguments(cast: Cast) -> dict[str, Any]:
    """A value for each URL argument the 'programmes' pages add, inside the line manager's scope.

    A draft version 1 (only a draft can be edited) with every kind of module part. Keep the walk
    data out of the cast's mentor's guidance: the walk expects his roles alone.
    """
    version = built_programme(cast, code="WALK-P")
    filling = version.modules.get(title="Saus afvullen")
    return {
        "training:programme_id": version.programme_id,
        "version_id": version.pk,
        "phase_id": version.phases.order_by("position").last().pk,  # type: ignore[union-attr]
        "module_id": filling.pk,
        "objective_id": filling.objectives.first().pk,  # type: ignore[union-attr]
        "fault_id": filling.faults.first().pk,  # type: ignore[union-attr]
        "checklist_item_id": filling.checklist.first().pk,  # type: ignore[union-attr]
        "module_competence_id": filling.competences.first().pk,  # type: ignore[union-attr]
        "module_instruction_id": filling.instruction_links.first().pk,  # type: ignore[union-attr]
    }
