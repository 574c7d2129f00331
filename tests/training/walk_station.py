"""URL arguments for the training 'station' pages (the URL walk)."""

from __future__ import annotations

from typing import Any

from leerplek.training.models import WorkInstruction
from leerplek.training.services_instructions import station_code_for
from tests.factories import Cast


def arguments(cast: Cast) -> dict[str, Any]:
    """The QR tokens of the walk's instruction and of its workstation (made by the
    'instructions' walk, which runs first). Keep the walk data out of the cast's mentor's
    guidance: the walk expects his roles alone.
    """
    instruction = WorkInstruction.objects.get(organisation=cast.organisation, code="WALK-WI")
    assert instruction.workstation is not None
    return {
        "instruction_token": instruction.token,
        "station_token": station_code_for(instruction.workstation).token,
    }
