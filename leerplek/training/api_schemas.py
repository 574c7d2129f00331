"""Shapes of the training API (docs/api.md, "Training"): what goes in and what comes out.

The conventions of the people API hold: a related record comes back as id and name, unknown
input fields are refused. Texts of a work instruction come with a `fallback` flag: true when the
Dutch source is shown because the asked language has no translation yet.
"""

import datetime
from decimal import Decimal
from typing import Any

from ninja import Field, Schema

from leerplek.people.api_schemas import Id, InputSchema, Ref, Text

# --- Programmes ------------------------------------------------------------------------------


class ModuleOut(Schema):
    id: int
    position: int
    title: str
    kind: str
    duration: int
    duration_unit: str
    workstation: Ref | None


class PhaseOut(Schema):
    id: int
    position: int
    title: str
    starts_after_days: int | None = Field(description="Time gate after the programme's start.")
    requires_attest: bool
    modules: list[ModuleOut]

    @staticmethod
    def resolve_modules(obj: Any) -> list[Any]:
        return list(obj.modules.all())


class ProgrammeOut(Schema):
    id: int
    code: str
    title: str
    job: Ref | None
    workstation: Ref | None
    approved_version: int | None = Field(description="The number of the approved version.")

    @staticmethod
    def resolve_approved_version(obj: Any) -> int | None:
        return getattr(obj, "approved_number", None)


class ProgrammeDetailOut(ProgrammeOut):
    description: str
    phases: list[PhaseOut] = Field(description="Of the approved version, in order.")


# --- Work instructions -----------------------------------------------------------------------


class TextOut(Schema):
    value: str
    fallback: bool = Field(description="True: the Dutch source, not translated yet.")


class KeyPointOut(Schema):
    kind: str = Field(description="safety, quality or knack; safety key points come first.")
    text: TextOut
    reason: TextOut


class StepOut(Schema):
    number: int
    text: TextOut
    photo_url: str
    video_url: str
    key_points: list[KeyPointOut]


class InstructionOut(Schema):
    id: int
    code: str
    title: str = Field(description="In Dutch.")
    workstation: Ref | None
    approved_version: int | None


class InstructionReadingOut(Schema):
    id: int
    code: str
    version: int
    language: str
    is_rtl: bool
    title: TextOut
    quality_norm: TextOut
    change_summary: TextOut
    steps: list[StepOut]
    fallbacks: int = Field(description="How many texts show in Dutch for want of a translation.")


# --- Assignments and sign-offs ---------------------------------------------------------------


class AssignmentOut(Schema):
    id: int
    employee: Ref
    programme: Ref
    version: int
    guide: Ref | None
    audience: str
    status: str
    started_on: datetime.date
    completed_on: datetime.date | None
    modules_total: int
    modules_done: int
    waiting_for_confirmation: int

    @staticmethod
    def resolve_programme(obj: Any) -> Any:
        return obj.version.programme

    @staticmethod
    def resolve_version(obj: Any) -> int:
        return int(obj.version.number)

    @staticmethod
    def resolve_modules_total(obj: Any) -> int:
        return int(obj.module_count)

    @staticmethod
    def resolve_modules_done(obj: Any) -> int:
        return int(obj.done_count)

    @staticmethod
    def resolve_waiting_for_confirmation(obj: Any) -> int:
        return int(obj.waiting_count)


class ModuleStateOut(Schema):
    module_id: int
    phase: str
    title: str
    kind: str
    state: str = Field(description="to_do, declared (waits for the second signature), confirmed.")
    planned_start: datetime.date | None
    planned_end: datetime.date | None
    done_on: datetime.date | None
    signoff_id: int | None


class AssignmentDetailOut(AssignmentOut):
    modules: list[ModuleStateOut]


class SignoffOut(Schema):
    id: int
    assignment_id: int
    module_id: int
    version_number: int
    declared_at: datetime.datetime
    confirmed_at: datetime.datetime | None
    confirmer: Ref | None
    capacity: str
    content_hash: str = Field(description="SHA-256 of what both parties signed.")
    revoked_at: datetime.datetime | None
    revoke_reason: str


class SignIn(InputSchema):
    checklist: list[Id] = Field(
        default_factory=list, description="Ids of the module's checklist items ticked: all."
    )
    note: Text = Field("", max_length=2000)


# --- Tests and certificates ------------------------------------------------------------------


class AttemptIn(InputSchema):
    answers: dict[str, int] = Field(description="{question id: choice id}; scored on the server.")
    practice: bool = Field(False, description="A practice attempt never counts.")


class AttemptOut(Schema):
    id: int
    test_id: int
    number: int = Field(description="0 for a practice attempt.")
    is_practice: bool
    points: int
    max_points: int
    score_percent: Decimal | None
    passed: bool | None


class CertificateOut(Schema):
    id: int
    employee: Ref
    kind: str
    title: str
    issuer: str
    issued_on: datetime.date
    expires_on: datetime.date | None
    code: str
    state: str = Field(description="valid, expiring, expired or revoked (today).")


class VerificationOut(Schema):
    """The five facts the public verification page shows; nothing else."""

    name: str
    title: str
    issued_on: datetime.date
    expires_on: datetime.date | None
    state: str
