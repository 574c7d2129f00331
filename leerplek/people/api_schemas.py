"""Shapes of the people API (docs/api.md): what goes in and what comes out.

Input fields carry the model field's name; a related object is given by its id (`"unit": 4`) and
comes back as `{"id": 4, "name": "Packaging"}`. Defaults are read from the models, so the API and
the web forms cannot drift apart. Business rules stay in `people/services.py`; the types here only
keep out what the database could not store (ids beyond 64 bits, NUL characters, broken Unicode).
"""

import datetime
from decimal import Decimal
from typing import TYPE_CHECKING, Annotated, Any, Literal

from django.db import models
from ninja import Field, Schema
from pydantic import AfterValidator, ConfigDict, create_model
from pydantic.fields import FieldInfo

from leerplek.people.models import (
    DutchLevel,
    EducationLevel,
    Employee,
    ExitReason,
    Gender,
    Job,
    OrgUnit,
    PersonType,
    TaskKind,
    UnitKind,
    Workstation,
)

# Primary keys are 64-bit; a larger number cannot name a row and would overflow SQLite.
MAX_ID = 2**63 - 1
Id = Annotated[int, Field(ge=1, le=MAX_ID)]


def _storable(value: str) -> str:
    """Refuse text that PostgreSQL cannot store: NUL characters and lone surrogates."""
    if "\x00" in value:
        raise ValueError("Text cannot contain NUL characters.")
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        raise ValueError("Text must be valid Unicode.") from None
    return value


Text = Annotated[str, AfterValidator(_storable)]


def default_of(model: type[models.Model], name: str) -> Any:
    """The model field's own default, so the API documents and applies the same value."""
    field = model._meta.get_field(name)
    if not isinstance(field, models.Field):
        raise TypeError(f"{model.__name__}.{name} is not a concrete field")
    return field.get_default()


# --- Shared ----------------------------------------------------------------------------------


class Ref(Schema):
    """A related object: its id and display name."""

    id: int
    name: str

    @staticmethod
    def resolve_name(obj: Any) -> str:
        return str(obj)


class FieldErrorOut(Schema):
    field: str | None = Field(description="The input field concerned; null for the whole record.")
    message: str
    code: str


class ValidationErrorOut(Schema):
    detail: list[FieldErrorOut]


class ErrorOut(Schema):
    detail: str


class InputSchema(Schema):
    """Unknown fields are refused, so a misspelt or read-only field is not silently ignored."""

    model_config = ConfigDict(extra="forbid")


def _no_default(schema: dict[str, Any]) -> None:
    schema.pop("default", None)


def patch_of(schema: type[InputSchema]) -> type[InputSchema]:
    """`schema` for PATCH: every field may be left out, none changes type.

    Unlike ninja's PatchDict, a field that cannot be empty stays non-nullable: `"name": null`
    is refused on its field instead of reaching the database. Read the sent fields with
    `payload.dict(exclude_unset=True)`.
    """
    fields: dict[str, Any] = {
        name: (
            info.annotation,
            FieldInfo.merge_field_infos(info, default=None, json_schema_extra=_no_default),
        )
        for name, info in schema.model_fields.items()
    }
    return create_model(f"{schema.__name__.removesuffix('In')}Patch", __base__=schema, **fields)


# --- Units -----------------------------------------------------------------------------------


class UnitOut(Schema):
    id: int
    name: str
    code: str
    kind: UnitKind
    parent: Ref | None
    leader: Ref | None
    description: str
    depth: int


class UnitIn(InputSchema):
    name: Text
    kind: UnitKind
    code: Text = default_of(OrgUnit, "code")
    parent: Id | None = None
    leader: Id | None = Field(None, description="The id of a person who leads the unit.")
    description: Text = default_of(OrgUnit, "description")


# --- Functions (jobs) ------------------------------------------------------------------------


class TaskSchema(InputSchema):
    kind: TaskKind
    # Tasks are written in bulk without model validation, so their length is checked here.
    description: Annotated[Text, Field(min_length=1, max_length=300)]


class JobOut(Schema):
    id: int
    code: str
    name: str
    description: str
    classification: str
    classification_committee: str
    classification_date: datetime.date | None
    months_to_independence: int
    tandem_days: int
    review_interval_days: int
    is_active: bool
    tasks: list[TaskSchema]


class JobIn(InputSchema):
    code: Text
    name: Text
    description: Text = default_of(Job, "description")
    classification: Text = default_of(Job, "classification")
    classification_committee: Text = default_of(Job, "classification_committee")
    classification_date: datetime.date | None = None
    months_to_independence: int = default_of(Job, "months_to_independence")
    tandem_days: int = default_of(Job, "tandem_days")
    review_interval_days: int = default_of(Job, "review_interval_days")
    is_active: bool = default_of(Job, "is_active")
    tasks: list[TaskSchema] | None = Field(
        None, description="The function's tasks, in order; on update the list replaces them all."
    )


# --- Workstations ----------------------------------------------------------------------------


class WorkstationOut(Schema):
    id: int
    code: str
    name: str
    unit: Ref
    is_machine: bool
    description: str
    difficulty_rank: int


class WorkstationIn(InputSchema):
    code: Text
    name: Text
    unit: Id
    is_machine: bool = default_of(Workstation, "is_machine")
    description: Text = default_of(Workstation, "description")
    difficulty_rank: int = Field(
        default_of(Workstation, "difficulty_rank"), description="1 (easiest) to 10."
    )


# --- People ----------------------------------------------------------------------------------


class EmployeeOut(Schema):
    id: int
    employee_number: str
    first_name: str
    last_name: str
    email: str
    phone: str
    person_type: PersonType
    gender: Gender
    birth_date: datetime.date | None
    hire_date: datetime.date
    exit_date: datetime.date | None
    exit_reason: ExitReason | Literal[""]
    planned_exit_date: datetime.date | None
    experience_years: Decimal
    languages: str
    dutch_level: DutchLevel
    education_level: EducationLevel
    unit: Ref | None
    manager: Ref | None
    job: Ref | None
    workstation: Ref | None
    career_note: str


class EmployeeFields(InputSchema):
    """The fields a create and an update share. The function is set on create only."""

    first_name: Text
    last_name: Text
    gender: Gender
    hire_date: datetime.date
    employee_number: Text = default_of(Employee, "employee_number")
    email: Text = default_of(Employee, "email")
    phone: Text = default_of(Employee, "phone")
    person_type: PersonType = default_of(Employee, "person_type")
    birth_date: datetime.date | None = None
    exit_date: datetime.date | None = None
    exit_reason: ExitReason | Literal[""] = default_of(Employee, "exit_reason")
    planned_exit_date: datetime.date | None = None
    experience_years: Decimal = Decimal(default_of(Employee, "experience_years"))
    languages: Text = default_of(Employee, "languages")
    dutch_level: DutchLevel = default_of(Employee, "dutch_level")
    education_level: EducationLevel = default_of(Employee, "education_level")
    unit: Id | None = None
    manager: Id | None = None
    workstation: Id | None = None
    career_note: Text = default_of(Employee, "career_note")


class EmployeeIn(EmployeeFields):
    job: Id | None = Field(
        None, description="The function held from the hire date; it opens the function history."
    )


# mypy cannot follow a class made at run time; to it, a patch has the fields of its schema.
if TYPE_CHECKING:
    UnitPatch = UnitIn
    JobPatch = JobIn
    WorkstationPatch = WorkstationIn
    EmployeePatch = EmployeeFields
else:
    UnitPatch = patch_of(UnitIn)
    JobPatch = patch_of(JobIn)
    WorkstationPatch = patch_of(WorkstationIn)
    EmployeePatch = patch_of(EmployeeFields)

# The `status` filter of the people list: still employed today, or gone.
EmployeeStatus = Literal["active", "left"]
