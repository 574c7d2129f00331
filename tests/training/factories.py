"""Small builders shared by the training tests: an approved programme, an approved work
instruction and a learner's assignment, written as plain rows so that each area's tests can start
from them. Areas with services of their own build their state through those services."""

from __future__ import annotations

import datetime
from typing import Any

from django.utils import timezone

from leerplek.people.models import Employee, Workstation
from leerplek.training.models import (
    ChecklistItem,
    InstructionStep,
    InstructionVersion,
    KeyPoint,
    KeyPointKind,
    Module,
    ModuleInstruction,
    ModuleKind,
    ModulePlan,
    Phase,
    Programme,
    ProgrammeAssignment,
    ProgrammeVersion,
    VersionStatus,
    WorkInstruction,
)
from tests.factories import Cast, WorkstationFactory


def station(cast: Cast, code: str = "MENG-1", name: str = "Mengketel 1") -> Workstation:
    return WorkstationFactory(
        organisation=cast.organisation, unit=cast.packaging, code=code, name=name, is_machine=True
    )


def approved_instruction(
    cast: Cast,
    code: str = "WI-SAUS-01",
    title: str = "Saus afvullen",
    steps: int = 3,
    workstation: Workstation | None = None,
    translations: dict[str, str] | None = None,
) -> WorkInstruction:
    """An instruction with an approved version 1 of `steps` steps, each with a safety key point.

    `translations` maps a language code to a prefix, e.g. {"pl": "PL"}: every text then also
    has that language ("PL Stap 1").
    """
    translations = translations or {}
    instruction = WorkInstruction.objects.create(
        organisation=cast.organisation, code=code, workstation=workstation
    )

    def texts(dutch: str) -> dict[str, str]:
        return {"nl": dutch, **{lang: f"{prefix} {dutch}" for lang, prefix in translations.items()}}

    version = InstructionVersion.objects.create(
        organisation=cast.organisation,
        instruction=instruction,
        number=1,
        status=VersionStatus.APPROVED,
        title=texts(title),
        approved_at=timezone.now(),
    )
    for position in range(1, steps + 1):
        step = InstructionStep.objects.create(
            version=version, position=position, text=texts(f"Stap {position}")
        )
        KeyPoint.objects.create(
            step=step,
            position=1,
            kind=KeyPointKind.SAFETY,
            text=texts(f"Handschoenen bij stap {position}"),
            reason=texts("Hete saus"),
        )
    return instruction


def approved_programme(
    cast: Cast,
    code: str = "AOP",
    title: str = "Assistent-operator",
    modules: tuple[tuple[str, str], ...] = (
        ("Basiskennis procestechnieken", ModuleKind.ELEARNING),
        ("Saus afvullen", ModuleKind.PRACTICAL),
    ),
    instruction: WorkInstruction | None = None,
    status: str = VersionStatus.APPROVED,
) -> ProgrammeVersion:
    """A programme for the cast's function with one phase holding `modules` (title, kind); the
    first practical module teaches `instruction` and has a two-item checklist."""
    programme = Programme.objects.create(
        organisation=cast.organisation, code=code, title=title, job=cast.job
    )
    version = ProgrammeVersion.objects.create(
        organisation=cast.organisation,
        programme=programme,
        number=1,
        status=status,
        approved_at=timezone.now() if status == VersionStatus.APPROVED else None,
    )
    phase = Phase.objects.create(version=version, position=1, title="Fase 1")
    practical_done = False
    for position, (module_title, kind) in enumerate(modules, start=1):
        module = Module.objects.create(
            version=version, phase=phase, position=position, title=module_title, kind=kind
        )
        if kind == ModuleKind.PRACTICAL and not practical_done:
            practical_done = True
            ChecklistItem.objects.create(module=module, position=1, text="Ketel leeg")
            ChecklistItem.objects.create(module=module, position=2, text="Deksel dicht")
            if instruction is not None:
                ModuleInstruction.objects.create(module=module, instruction=instruction)
    return version


def assigned(
    cast: Cast,
    version: ProgrammeVersion,
    employee: Employee | None = None,
    guide: Employee | None = None,
    started_on: datetime.date | None = None,
    **fields: Any,
) -> ProgrammeAssignment:
    """`employee` (the cast's worker) follows `version`, with a plan row for every module."""
    employee = employee or cast.worker
    assert employee is not None
    assignment = ProgrammeAssignment.objects.create(
        organisation=cast.organisation,
        version=version,
        employee=employee,
        guide=guide,
        started_on=started_on or timezone.localdate(),
        **fields,
    )
    ModulePlan.objects.bulk_create(
        ModulePlan(assignment=assignment, module=module) for module in version.modules.all()
    )
    return assignment
