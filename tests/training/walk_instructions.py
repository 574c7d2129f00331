"""URL arguments for the training 'instructions' pages (the URL walk)."""

from __future__ import annotations

from typing import Any

from leerplek.core.roles import Role
from leerplek.training import services_instructions
from leerplek.training.models import ReadRequest
from tests.factories import Cast
from tests.training.factories import approved_instruction, station
from tests.training.factories_instructions import (
    approved_version,
    draft_of,
    held_by,
    language,
    with_photos,
)
from tests.training.factories_leittext import acting


def arguments(cast: Cast) -> dict[str, Any]:
    """A value for each URL argument the 'instructions' pages add, inside the line manager's scope.

    An approved version 1 with photos (its steps and key points: edit links on an approved
    version lead back to the instruction) and a draft version 2 (the editor, the translation
    page, approval). The packaging worker holds it and is asked to read version 2; he raised a
    "two versions" signal. Keep the walk data out of the cast's mentor's guidance: the walk
    expects his roles alone.
    """
    polish = language(cast, code="pl", name="Polski")
    instruction = with_photos(
        approved_instruction(
            cast, code="WALK-WI", workstation=station(cast, code="WALK-ST", name="Walk station")
        )
    )
    version = approved_version(instruction)
    step = version.steps.order_by("position").first()
    assert step is not None
    assert cast.worker is not None
    held_by(instruction, [cast.worker])
    signal = services_instructions.signal_raise(
        instruction=instruction,
        by=acting(cast, Role.HR),
        raised_by=cast.worker,
        description="Piet doet het met de andere hand",
        step=step,
    )
    draft = draft_of(cast, instruction)
    read = ReadRequest.objects.create(
        organisation=cast.organisation,
        version=draft,
        employee=cast.worker,
        due_on=draft.created_at.date(),
    )
    return {
        "instruction_id": instruction.pk,
        "instruction_version_id": draft.pk,
        "language": polish.code,
        "instruction_step_id": step.pk,
        "key_point_id": step.key_points.first().pk,  # type: ignore[union-attr]
        "content_language_id": polish.pk,
        "practice_signal_id": signal.pk,
        "read_request_id": read.pk,
    }
