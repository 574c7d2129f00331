"""Builders for the work-instruction tests: languages, photos, a draft of the next version and
the people who hold an instruction."""

from __future__ import annotations

import io
from collections.abc import Iterable

from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from leerplek.core.roles import Role
from leerplek.people.models import Employee
from leerplek.training import services_instructions as services
from leerplek.training.models import (
    ContentLanguage,
    InstructionHolder,
    InstructionVersion,
    VersionStatus,
    WorkInstruction,
)
from tests.factories import Cast
from tests.training.factories_leittext import acting


def png(color: str = "orange", size: tuple[int, int] = (64, 48)) -> bytes:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", size, color).save(buffer, "PNG")
    return buffer.getvalue()


def upload(name: str = "stap.png", content: bytes | None = None) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, png() if content is None else content, "image/png")


def language(
    cast: Cast, code: str = "pl", name: str = "Polski", rtl: bool = False
) -> ContentLanguage:
    return ContentLanguage.objects.create(
        organisation=cast.organisation, code=code, name=name, is_rtl=rtl
    )


def approved_version(instruction: WorkInstruction) -> InstructionVersion:
    return instruction.versions.get(status=VersionStatus.APPROVED)


def with_photos(instruction: WorkInstruction) -> WorkInstruction:
    """A photo on every step of the approved version."""
    for step in approved_version(instruction).steps.all():
        step.photo.save(f"stap-{step.position}.png", ContentFile(png()), save=True)
    return instruction


def draft_of(cast: Cast, instruction: WorkInstruction) -> InstructionVersion:
    """The next version as a draft, started by HR (so a manager may approve it)."""
    return services.instruction_version_draft(instruction=instruction, by=acting(cast, Role.HR))


def held_by(instruction: WorkInstruction, people: Iterable[Employee]) -> int:
    version = approved_version(instruction)
    rows = InstructionHolder.objects.bulk_create(
        InstructionHolder(
            organisation_id=instruction.organisation_id,
            instruction=instruction,
            employee=person,
            version=version,
            since=timezone.localdate(),
        )
        for person in people
    )
    return len(rows)
