"""Shapes of the competences API (docs/api.md, "Competences"): what goes in and what comes out.

The conventions of the people API hold: input fields carry the model field's name, a related
record is sent as its id and comes back as id and name, unknown fields are refused. A level is
sent by its code (`"level": "U"`, on the competence's own scale) or by its id (`"level_id"`).
"""

import datetime
from typing import TYPE_CHECKING, Annotated, Any

from ninja import Field, Schema

from leerplek.competences.models import AssessmentMethod, Competence, CompetenceKind, LevelScale
from leerplek.people.api_schemas import Id, InputSchema, Ref, Text, default_of, patch_of

LevelCode = Annotated[Text, Field(min_length=1, max_length=5)]


# --- Shared ----------------------------------------------------------------------------------


class CompetenceRef(Schema):
    id: int
    code: str
    name: str


class LevelRef(Schema):
    id: int
    code: str
    name: str
    rank: int


class LevelOut(LevelRef):
    description: str
    counts_for_coverage: bool
    may_train: bool


class ScaleOut(Schema):
    id: int
    name: str
    is_default: bool
    levels: list[LevelOut]

    @staticmethod
    def resolve_levels(obj: Any) -> list[Any]:
        return sorted(obj.levels.all(), key=lambda level: level.rank)


class GroupOut(Schema):
    id: int
    name: str
    description: str
    scale: Ref | None = Field(description="The group's own scale; null: the default scale.")


# --- Competences -----------------------------------------------------------------------------


class CompetenceOut(Schema):
    id: int
    code: str
    name: str
    kind: CompetenceKind
    description: str
    group: Ref | None
    scale: Ref = Field(description="The scale its levels come from: the group's, else the default.")
    level_texts: dict[str, str] = Field(description="What each level means, by level code.")
    is_active: bool

    @staticmethod
    def resolve_scale(obj: Any) -> LevelScale:
        # Annotated by `api_selectors.competences`, so no query per competence.
        return LevelScale(pk=obj.scale_pk, name=obj.scale_name)

    @staticmethod
    def resolve_level_texts(obj: Any) -> dict[str, str]:
        texts = obj.level_texts if isinstance(obj.level_texts, dict) else {}
        return {str(code): str(text) for code, text in texts.items()}


class CompetenceIn(InputSchema):
    code: Text
    name: Text
    kind: CompetenceKind = default_of(Competence, "kind")
    description: Text = default_of(Competence, "description")
    is_active: bool = default_of(Competence, "is_active")
    group: Id | None = Field(None, description="The id of a group from /competence-groups.")
    level_texts: dict[Text, Text] = Field(
        {},
        description="What each level means for this competence, by level code of its scale.",
    )


# --- Requirements ----------------------------------------------------------------------------


class RequirementOut(Schema):
    id: int
    competence: CompetenceRef
    job: Ref | None
    workstation: Ref | None
    level: LevelRef
    mandatory: bool
    validity_months: int | None
    ideal_count: int
    ideal_trainers: int


class RequirementIn(InputSchema):
    competence: Id
    job: Id | None = Field(None, description="A function id; give a function or a workstation.")
    workstation: Id | None = Field(None, description="A workstation id.")
    level: LevelCode | None = Field(
        None, description="The required level's code on the competence's scale, e.g. `U`."
    )
    level_id: Id | None = Field(None, description="Or the required level's id (see /scales).")
    mandatory: bool = True
    validity_months: int | None = Field(
        None, ge=1, le=240, description="Months until re-qualification; null: never."
    )
    ideal_count: int = Field(
        0, ge=0, le=999, description="The ideal number of people at a level that covers it."
    )
    ideal_trainers: int = Field(
        0,
        ge=0,
        le=999,
        description="The ideal number of people at a level that may train others (O); at most "
        "ideal_count.",
    )


# --- Assessments -----------------------------------------------------------------------------


class AssessmentOut(Schema):
    id: int
    employee: Ref
    competence: CompetenceRef
    level: LevelRef
    assessed_on: datetime.date
    assessor: Ref | None
    method: AssessmentMethod
    note: str
    valid_until: datetime.date | None
    is_self: bool = Field(description="A self-assessment, which never sets the official level.")
    evidence_name: str = Field(description='The name of the evidence file; "" when none.')
    created_at: datetime.datetime


class AssessmentIn(InputSchema):
    employee: Id
    competence: Id
    level: LevelCode | None = Field(
        None, description="The level's code on the competence's scale, e.g. `U`."
    )
    level_id: Id | None = Field(None, description="Or the level's id (see /scales).")
    method: AssessmentMethod
    assessed_on: datetime.date | None = Field(None, description="Default: today.")
    assessor: Id | None = Field(
        None, description="The person who assessed; default: your own person record."
    )
    note: Text = ""
    valid_until: datetime.date | None = None


# --- Matrix, gaps and retention --------------------------------------------------------------


class MatrixColumnOut(Schema):
    competence: CompetenceRef
    coverage: int = Field(description="People at a level that counts for coverage.")
    ideal: int = Field(description="The highest ideal number of its requirements.")
    short: bool = Field(description="Coverage below the ideal.")
    trainers: int = Field(description="People at a level that may train others (O), not expired.")
    ideal_trainers: int = Field(
        description="The highest ideal number of people who can teach it of its requirements."
    )


class MatrixCellOut(Schema):
    competence: int = Field(description="The competence id of the column.")
    level: str | None = Field(description="The current official level's code; null: none.")
    required: str | None = Field(description="The required level's code; null: not required.")
    mandatory: bool = Field(description="Required, and not only desirable.")
    meets: bool = Field(description="The level reaches the required one (true when not required).")
    covers: bool = Field(description="At a level that counts for coverage, and not expired.")
    not_released: bool = Field(description="Required at his workstation, where not released.")
    assessed_on: datetime.date | None
    expires_on: datetime.date | None = Field(description="The assessment's valid-until date.")
    expired: bool
    expiring: bool = Field(description="Still valid, but expires within the warning period.")


class MatrixRowOut(Schema):
    employee: Ref
    unit: Ref | None
    job: Ref | None
    workstation: Ref | None
    polyvalence: int = Field(description="Percent of the columns held at a covering level.")
    not_released: bool
    cells: list[MatrixCellOut]


class MatrixOut(Schema):
    unit: Ref
    competences: list[MatrixColumnOut]
    people: list[MatrixRowOut]


class LevelName(Schema):
    code: str
    name: str


class GapOut(Schema):
    employee: Ref
    unit: Ref | None
    competence: CompetenceRef
    required_level: LevelRef
    current_level: LevelName | None = Field(description="null: never officially assessed.")
    assessed_on: datetime.date | None
    since: datetime.date | None
    mandatory: bool
    has_open_need: bool


class HolderOut(Schema):
    employee: int
    name: str
    leaves_on: datetime.date | None
    retires: bool


class RetentionRiskOut(Schema):
    competence: CompetenceRef
    ideal: int
    holder_count: int
    leaving_count: int
    months_to_independence: int
    score: int
    short: bool
    mostly_leaving: bool
    holders: list[HolderOut] | None = Field(
        description="Who holds it; null unless your role may see names (HR, administrator)."
    )


# mypy cannot follow a class made at run time; to it, a patch has the fields of its schema.
if TYPE_CHECKING:
    CompetencePatch = CompetenceIn
else:
    CompetencePatch = patch_of(CompetenceIn)
