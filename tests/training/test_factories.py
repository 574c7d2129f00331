"""The shared training builders make what the area tests expect."""

from __future__ import annotations

from leerplek.training.models import ModuleKind, VersionStatus
from tests.factories import Cast
from tests.training.factories import approved_instruction, approved_programme, assigned


def test_an_assignment_has_a_plan_row_for_every_module(cast: Cast) -> None:
    instruction = approved_instruction(cast, translations={"pl": "PL"})
    version = approved_programme(cast, instruction=instruction)
    assignment = assigned(cast, version)
    assert version.status == VersionStatus.APPROVED
    assert [plan.module.kind for plan in assignment.module_plans.all()] == [
        ModuleKind.ELEARNING,
        ModuleKind.PRACTICAL,
    ]
    step = instruction.versions.get().steps.first()
    assert step is not None
    assert step.text == {"nl": "Stap 1", "pl": "PL Stap 1"}
    assert step.key_points.get().kind == "safety"
