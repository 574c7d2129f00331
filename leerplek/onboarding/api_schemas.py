"""Shapes of the onboarding API (docs/api.md, "Onboarding"): what goes in and what comes out.

The conventions of the people API hold: input fields carry the model field's name, a related
record is sent as its id and comes back as id and name, unknown fields are refused, defaults are
the model's. Ranges the web forms check through the model's validators are checked here too.
"""

import datetime
import enum
from typing import Any

from ninja import Field, Schema

from leerplek.onboarding.models import (
    GuidanceKind,
    GuidanceStatus,
    OnboardingReason,
    OnboardingStatus,
    OnboardingTemplate,
    Section,
    TaskOwner,
    TemplateTask,
)
from leerplek.people.api_schemas import Id, InputSchema, Ref, Text, default_of

# --- Templates -------------------------------------------------------------------------------


class TemplateTaskOut(Schema):
    id: int
    section: Section
    title: str
    owner: TaskOwner
    offset_days: int = Field(description="Days from the first day; negative: before the start.")
    duration_days: int
    how: str
    on_work_floor: bool = Field(description="Waits for a designated peter/meter (Codex I.2-11).")
    position: int


class TemplateOut(Schema):
    id: int
    name: str
    job: Ref | None = Field(description="The function it is for; null: company-wide.")
    description: str
    duration_months: int
    is_active: bool
    tasks: list[TemplateTaskOut] = Field(description="By day, then order.")

    @staticmethod
    def resolve_tasks(obj: Any) -> list[Any]:
        # Prefetched by `api_selectors.templates`, in the model's order.
        return list(obj.tasks.all())


class TemplateTaskIn(InputSchema):
    section: Section
    title: Text = Field(min_length=1, max_length=200)
    owner: TaskOwner
    offset_days: int = Field(
        default_of(TemplateTask, "offset_days"),
        ge=-60,
        le=1100,
        description="Days from the first day (0); negative is before the start.",
    )
    duration_days: int = Field(default_of(TemplateTask, "duration_days"), ge=1, le=365)
    how: Text = Field(default_of(TemplateTask, "how"), max_length=5000)
    on_work_floor: bool = default_of(TemplateTask, "on_work_floor")
    position: int = Field(default_of(TemplateTask, "position"), ge=0, le=32767)


class TemplateIn(InputSchema):
    name: Text = Field(min_length=1, max_length=200)
    job: Id | None = Field(None, description="A function id; leave out for company-wide.")
    description: Text = Field(default_of(OnboardingTemplate, "description"), max_length=5000)
    duration_months: int = Field(default_of(OnboardingTemplate, "duration_months"), ge=1, le=36)
    is_active: bool = default_of(OnboardingTemplate, "is_active")
    tasks: list[TemplateTaskIn] = Field([], max_length=200, description="Its tasks, in order.")


# --- Onboardings and tasks -------------------------------------------------------------------


class PersonRef(Ref):
    """A person, with the unit that scopes who may see his records."""

    unit: Ref | None


class TaskOut(Schema):
    id: int
    onboarding: int = Field(alias="onboarding_id")
    section: Section
    title: str
    owner: TaskOwner
    how: str
    due_on: datetime.date
    duration_days: int
    on_work_floor: bool
    position: int
    competence: Ref | None = Field(description="For a competence-check task: what he lacks.")
    required_level: str | None = Field(description="The level code his function requires.")
    actual_level_code: str = Field(description="His level at the start; empty: never assessed.")
    done_on: datetime.date | None
    blocked_reason: str

    @staticmethod
    def resolve_required_level(obj: Any) -> str | None:
        return obj.required_level.code if obj.required_level_id else None


class OnboardingOut(Schema):
    id: int
    employee: PersonRef
    job: Ref | None
    reason: OnboardingReason
    status: OnboardingStatus
    start_date: datetime.date
    end_date: datetime.date = Field(description="The planned end.")
    organiser: Ref = Field(description="The member of the hierarchical line who welcomes.")
    ended_on: datetime.date | None
    has_guide: bool = Field(description="Whether a primary peter/meter is designated today.")
    task_count: int
    done_count: int
    overdue_count: int = Field(description="Open tasks due before today.")


class GuidanceOut(Schema):
    id: int
    kind: GuidanceKind
    guide: PersonRef
    learner: PersonRef
    is_backup: bool
    onboarding: int | None = Field(alias="onboarding_id")
    starts_on: datetime.date
    ends_on: datetime.date | None
    planned_end: datetime.date | None
    status: GuidanceStatus
    target_result: str
    reason: str
    end_reason: str
    outcome: str
    target_reached: bool | None


class OnboardingDetailOut(OnboardingOut):
    review_interval_days: int
    independent_on: datetime.date | None
    end_note: str
    tasks: list[TaskOut] = Field(description="By due date, section and order.")
    guides: list[GuidanceOut] = Field(
        description="Current guides: the peter/meter first, then backups and other guides."
    )


class OnboardingStartIn(InputSchema):
    employee: Id = Field(description="The newcomer's person id (see /people).")
    reason: OnboardingReason = Field(
        description="`new_hire` gets the full plan; any other reason the reduced plan."
    )
    start_date: datetime.date
    organiser: Id = Field(description="A person of the hierarchical line who welcomes him.")


class TaskDoneIn(InputSchema):
    done_on: datetime.date | None = Field(None, description="Default: today; never later.")


class OnboardingTaskFilters(Schema):
    open: bool | None = Field(None, description="true: open tasks only; false: done only.")


# --- Guidance ----------------------------------------------------------------------------------


class GuidanceIn(InputSchema):
    learner: Id = Field(description="The person guided (the newcomer).")
    guide: Id = Field(description="The colleague who guides him.")
    kind: GuidanceKind = GuidanceKind.MENTOR
    is_backup: bool = Field(False, description="Stands in next to the primary guide.")
    starts_on: datetime.date | None = Field(None, description="Default: today.")
    planned_end: datetime.date | None = Field(None, description="After the start.")
    target_result: Text = Field(
        "",
        max_length=2000,
        description="What the learner can do at the end, observable; required for `instructor`.",
    )
    reason: Text = Field("", max_length=1000, description="Why this colleague.")


class GuidanceEndIn(InputSchema):
    ends_on: datetime.date | None = Field(None, description="Default: today; never later.")
    reason: Text = Field("", max_length=1000, description="Why it ended (required).")
    outcome: Text = Field(
        "", max_length=2000, description="With a target result: what was achieved (required)."
    )
    target_reached: bool | None = Field(
        None, description="With a target result: whether it was reached (required)."
    )


# --- Progress reviews --------------------------------------------------------------------------


class ReviewState(enum.StrEnum):
    """The states of `selectors_reviews`, and the filters over them."""

    ATTENTION = "attention"
    OVERDUE = "overdue"
    DUE = "due"
    PLANNED = "planned"
    OPEN = "open"
    HELD = "held"
    ALL = "all"


class ReviewOut(Schema):
    id: int
    onboarding: int = Field(alias="onboarding_id")
    employee: PersonRef = Field(description="The newcomer.")
    number: int
    planned_on: datetime.date
    held_on: datetime.date | None
    state: str = Field(description="`held`, `overdue`, `due` or `planned`.")
    practised: str
    independent: str
    open_tasks: str
    notes: str
    next_steps: str
    mentor: Ref | None = Field(description="The peter/meter who took part.")
    manager: Ref | None = Field(description="The line manager who took part.")

    @staticmethod
    def resolve_employee(obj: Any) -> Any:
        return obj.onboarding.employee


class ReviewRecordIn(InputSchema):
    held_on: datetime.date | None = Field(None, description="Default: today; never later.")
    notes: Text = Field(min_length=1, max_length=5000, description="What was discussed.")
    practised: Text = Field("", max_length=5000)
    independent: Text = Field("", max_length=5000, description="What he does on his own.")
    open_tasks: Text = Field("", max_length=5000)
    next_steps: Text = Field("", max_length=5000, description="What to learn next.")
    plan: dict[Id, datetime.date] = Field(
        {},
        max_length=500,
        description="New due dates of open tasks of this onboarding: task id → date.",
    )
