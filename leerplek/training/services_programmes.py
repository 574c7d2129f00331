"""Writes of the programme builder (OJT-01, OJT-02, OJT-03, OJT-18): programmes per function,
task or machine, their versions, ordered phases and modules in the 4-part structure
(workstation and surroundings, do-steps, quality care, faults), learning objectives, the
competences a module develops, its work instructions and its sign-off checklist.

Versions: a programme starts with draft version 1. Authors (`training.author_programmes`: HR,
administrator, instructor; the owner and co-authors are credited, and edit when they hold that
permission) edit the open draft and submit it; HR or an administrator
(`training.approve_programmes`) approves it, which supersedes the previous approved version.
The approver is not the one who started the draft unless he is an administrator (four eyes).
An approved version never changes: every edit below refuses it, and `programme_version_draft`
copies it into a draft of the next version. Learners keep the version they were assigned.

Every function validates first, writes inside one transaction and appends to the audit log.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any, TypeVar

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.db.models import Max, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from leerplek.competences.models import Competence, Level
from leerplek.competences.services import scale_for
from leerplek.core import audit
from leerplek.core.errors import field_error
from leerplek.core.roles import Role
from leerplek.core.rules import access_of
from leerplek.people.models import Job, JobTask, Organisation, PersonType, User, Workstation
from leerplek.training.models import (
    EDITABLE_STATUSES,
    ChecklistItem,
    DurationUnit,
    Fault,
    InstructionVersion,
    LeittextCriterion,
    LeittextQuestion,
    Module,
    ModuleCompetence,
    ModuleInstruction,
    ModuleKind,
    Objective,
    Phase,
    Programme,
    ProgrammeVersion,
    VersionStatus,
    WorkInstruction,
)

# Besides the person types, a programme can be meant for people who move to another job inside
# the organisation (OJT-16).
MOVER = "mover"

PROGRAMME_FIELDS = [
    "code",
    "title",
    "description",
    "job",
    "task",
    "workstation",
    "audience",
    "owner",
]
VERSION_FIELDS = ["action_plan", "evaluation", "change_summary"]
PHASE_FIELDS = ["title", "description", "starts_after_days", "requires_attest"]
MODULE_FIELDS = [
    "phase",
    "title",
    "kind",
    "duration",
    "duration_min",
    "duration_max",
    "duration_unit",
    "workstation",
    "environment",
    "quality_care",
    "content_url",
    "problem_statement",
]
OBJECTIVE_FIELDS = ["text", "measure"]
FAULT_FIELDS = ["symptom", "cause", "remedy"]
CHECKLIST_FIELDS = ["text"]

MAX_DURATION = 999
MAX_GATE_DAYS = 3650

ERRORS = {
    "other_organisation": _("Choose one from this organisation."),
    "code_required": _("Give the programme a short code, e.g. 'AOP' or 'HEF-01'."),
    "code_taken": _("Another programme already has the code %(code)s; choose another code."),
    "title_required": _("Write the title, e.g. 'Assistant operator'."),
    "task_without_job": _("Choose the function this task belongs to as well."),
    "task_other_job": _("The task '%(task)s' belongs to the function %(job)s, not to this one."),
    "audience_unknown": _("Choose who the programme is meant for from the list."),
    "not_member": _("%(name)s is not a user of this organisation."),
    "version_locked": _(
        "Version %(number)s of %(programme)s is %(status)s and never changes. Use 'Edit' on the "
        "programme to start a draft of the next version."
    ),
    "no_approved": _(
        "%(programme)s has no approved version to copy yet; finish and approve its draft."
    ),
    "archived": _("%(programme)s is archived; restore it before you change it."),
    "phase_title_required": _("Write the title of the phase, e.g. 'The first two shifts'."),
    "gate_range": _("Enter the number of days as a whole number from 0 to %(max)s, e.g. 120."),
    "other_version": _("This belongs to another version of the programme."),
    "direction_unknown": _("Move the item up or down."),
    "module_title_required": _("Write the title of the module, e.g. 'Filling the sauce kettle'."),
    "kind_unknown": _("Choose the kind of module from the list."),
    "duration_range": _(
        "Enter the planned duration as a whole number from 1 to %(max)s, e.g. 2 (shifts)."
    ),
    "unit_unknown": _("Choose shifts, days, weeks or months."),
    "min_too_long": _(
        "The shortest duration (%(min)s) is longer than the planned one (%(duration)s); lower "
        "it or raise the planned duration."
    ),
    "max_too_short": _(
        "The longest duration (%(max)s) is shorter than the planned one (%(duration)s); raise "
        "it or lower the planned duration."
    ),
    "prerequisite_self": _("A module cannot be its own prerequisite."),
    "prerequisite_other_version": _(
        "'%(title)s' is not a module of this version; choose prerequisites from this version."
    ),
    "prerequisite_cycle": _(
        "'%(title)s' already needs this module first (directly or through other modules); the "
        "two cannot wait for each other."
    ),
    "objective_required": _(
        "Write what the learner can do afterwards, starting with a verb, e.g. 'fill the kettle "
        "without spilling'."
    ),
    "fault_symptom": _("Write what the learner sees or hears, e.g. 'The pump rattles'."),
    "fault_cause": _("Write the cause of the fault, e.g. 'Air in the supply line'."),
    "fault_remedy": _("Write what to do about it, e.g. 'Bleed the supply line'."),
    "checklist_required": _("Write the item to check, e.g. 'Kettle empty and clean'."),
    "competence_taken": _("The module already develops %(competence)s; change its level instead."),
    "level_scale": _(
        "%(competence)s is measured on the scale %(scale)s; choose a level of that scale."
    ),
    "instruction_taken": _("The module already teaches %(code)s."),
    "instruction_archived": _("%(code)s is archived; choose a work instruction in use."),
    "no_phase": _("Add at least one phase with one module before approving."),
    "empty_phase": _("The phase '%(title)s' has no module yet: add one or remove the phase."),
    "summary_required": _(
        "Write what changed since version %(previous)s: everyone who follows the programme "
        "reads it."
    ),
    "elearning_link": _(
        "The e-learning module '%(title)s' has no link yet: give the link to the package or "
        "the video."
    ),
    "instruction_not_approved": _(
        "The module '%(title)s' teaches %(code)s, which has no approved version yet; approve the "
        "work instruction first or remove it from the module."
    ),
    "own_draft": _(
        "You started this draft; another HR colleague or an administrator approves it (four eyes)."
    ),
    "not_submittable": _("Version %(number)s is %(status)s; only a draft can be submitted."),
    "not_in_review": _("Version %(number)s is not waiting for approval."),
    "reason_required": _("Write what the authors must change before you can approve it."),
    "first_draft": _(
        "Version 1 is the programme's first draft; archive the programme if it is not needed."
    ),
}

T = TypeVar("T", bound=models.Model)


def _require(by: User, perm: str, obj: Any) -> None:
    if not by.has_perm(perm, obj):
        raise PermissionDenied


def _same_organisation(field: str, obj: Any, organisation_id: int) -> None:
    if obj is not None and obj.organisation_id != organisation_id:
        raise field_error(field, ERRORS["other_organisation"], code="other_organisation")


def _text(values: dict[str, Any], name: str) -> str:
    return str(values.get(name) or "").strip()


def _locked(version: ProgrammeVersion) -> ProgrammeVersion:
    """The version's row, locked: an approval and an edit of the same draft must not cross."""
    return (
        ProgrammeVersion.objects.select_for_update().select_related("programme").get(pk=version.pk)
    )


def _editable(version: ProgrammeVersion, by: User) -> ProgrammeVersion:
    """Check `by` may author `version` and that it may still change; return it locked."""
    _require(by, "training.author_programmes", version)
    locked = _locked(version)
    if locked.status not in EDITABLE_STATUSES:
        raise field_error(
            "version",
            ERRORS["version_locked"],
            code="version_locked",
            params={
                "number": locked.number,
                "programme": locked.programme,
                "status": locked.get_status_display().lower(),
            },
        )
    if locked.programme.is_archived:
        raise field_error(
            "version", ERRORS["archived"], code="archived", params={"programme": locked.programme}
        )
    version.status = locked.status
    return locked


def _record(by: User, action: str, obj: models.Model, version: ProgrammeVersion, **kw: Any) -> None:
    audit.record(actor=by, action=action, obj=obj, organisation=version.organisation, **kw)


def _next_position(queryset: models.QuerySet[Any]) -> int:
    return int(queryset.aggregate(top=Max("position"))["top"] or 0) + 1


def _move(obj: Any, siblings: models.QuerySet[Any], direction: str) -> bool:
    """Swap `obj` with its neighbour in `direction` and number the siblings 1..n again.

    Returns False when it is already first (up) or last (down)."""
    if direction not in ("up", "down"):
        raise field_error("direction", ERRORS["direction_unknown"], code="direction_unknown")
    rows = list(siblings.select_for_update().order_by("position", "id"))
    index = next(i for i, row in enumerate(rows) if row.pk == obj.pk)
    other = index - 1 if direction == "up" else index + 1
    if other < 0 or other >= len(rows):
        return False
    rows[index], rows[other] = rows[other], rows[index]
    for position, row in enumerate(rows, start=1):
        row.position = position
    type(obj).objects.bulk_update(rows, ["position"])
    obj.position = next(row.position for row in rows if row.pk == obj.pk)
    return True


# --- Programmes ----------------------------------------------------------------------------------


def organisation_users(organisation: Organisation) -> models.QuerySet[User]:
    """The users of `organisation`: those holding a role in it and those with a current person
    record in it."""
    return User.objects.filter(
        Q(role_grants__organisation=organisation)
        | Q(employees__organisation=organisation, employees__exit_date__isnull=True)
    ).distinct()


def audience_choices() -> list[tuple[str, Any]]:
    """Who a programme can be meant for: the person types, and people moving to another job."""
    return [*PersonType.choices, (MOVER, _("Internal move"))]


def _check_programme(
    *, organisation: Organisation, values: dict[str, Any], exclude: int | None = None
) -> None:
    code = _text(values, "code")
    if not code:
        raise field_error("code", ERRORS["code_required"], code="code_required")
    taken = Programme.objects.filter(organisation=organisation, code__iexact=code)
    if exclude is not None:
        taken = taken.exclude(pk=exclude)
    if taken.exists():
        raise field_error("code", ERRORS["code_taken"], code="code_taken", params={"code": code})
    if not _text(values, "title"):
        raise field_error("title", ERRORS["title_required"], code="title_required")
    job: Job | None = values.get("job")
    task: JobTask | None = values.get("task")
    _same_organisation("job", job, organisation.pk)
    _same_organisation("workstation", values.get("workstation"), organisation.pk)
    if task is not None:
        if job is None:
            raise field_error("job", ERRORS["task_without_job"], code="task_without_job")
        if task.job_id != job.pk:
            raise field_error(
                "task",
                ERRORS["task_other_job"],
                code="task_other_job",
                params={"task": task, "job": task.job},
            )
    known = {value for value, _label in audience_choices()}
    audience = values.get("audience") or []
    if not isinstance(audience, list | tuple) or any(item not in known for item in audience):
        raise field_error("audience", ERRORS["audience_unknown"], code="audience_unknown")
    people = [values["owner"]] if values.get("owner") is not None else []
    people += list(values.get("co_authors") or [])
    if people:
        members = set(
            organisation_users(organisation)
            .filter(pk__in=[user.pk for user in people])
            .values_list("pk", flat=True)
        )
        for field, user in [("owner", values.get("owner"))] + [
            ("co_authors", user) for user in values.get("co_authors") or []
        ]:
            if user is not None and user.pk not in members:
                raise field_error(
                    field, ERRORS["not_member"], code="not_member", params={"name": user}
                )


def _programme_values(values: dict[str, Any]) -> dict[str, Any]:
    cleaned = dict(values)
    for name in ("code", "title", "description"):
        if name in cleaned:
            cleaned[name] = _text(cleaned, name)
    if "audience" in cleaned:
        order = [value for value, _label in audience_choices()]
        cleaned["audience"] = sorted(set(cleaned["audience"] or []), key=order.index)
    return cleaned


@transaction.atomic
def programme_create(
    *, organisation: Organisation, by: User, code: str, title: str, **fields: Any
) -> Programme:
    """Create a programme and its draft version 1.

    `fields`: description, job, task, workstation, audience (person types and "mover"), owner
    (default: `by`) and co_authors (users of the organisation).
    Rules: a code unique in the organisation (any case) and a title; function, task and
    workstation of this organisation, the task of the chosen function. Raises ValidationError on
    "code", "title", "job", "task", "workstation", "audience", "owner" or "co_authors".
    """
    _require(by, "training.author_programmes", organisation)
    values = {"code": code, "title": title, **fields}
    if values.get("owner") is None:
        values["owner"] = by
    _check_programme(organisation=organisation, values=values)
    values = _programme_values(values)
    co_authors = list(values.pop("co_authors", None) or [])
    programme = Programme(organisation=organisation)
    for name in PROGRAMME_FIELDS:
        if name in values:
            setattr(programme, name, values[name])
    programme.save()
    programme.co_authors.set(co_authors)
    version = ProgrammeVersion.objects.create(
        organisation=organisation, programme=programme, number=1, created_by=by
    )
    audit.record(
        actor=by,
        action="training.programme_created",
        obj=programme,
        after={
            **audit.snapshot(programme, PROGRAMME_FIELDS),
            "co_authors": sorted(user.pk for user in co_authors),
            "version": version.number,
        },
    )
    return programme


@transaction.atomic
def programme_update(*, programme: Programme, by: User, **fields: Any) -> Programme:
    """Change what a programme is, for whom and by whom (same rules as `programme_create`).

    The programme's identity is not part of a version: the content of approved versions stays.
    """
    _require(by, "training.author_programmes", programme)
    programme = Programme.objects.select_for_update().get(pk=programme.pk)
    current = {name: getattr(programme, name) for name in PROGRAMME_FIELDS}
    current["co_authors"] = list(programme.co_authors.all())
    merged = current | fields
    _check_programme(organisation=programme.organisation, values=merged, exclude=programme.pk)
    values = _programme_values(fields)
    before = {
        **audit.snapshot(programme, PROGRAMME_FIELDS),
        "co_authors": sorted(user.pk for user in current["co_authors"]),
    }
    for name in PROGRAMME_FIELDS:
        if name in values:
            setattr(programme, name, values[name])
    programme.save()
    if "co_authors" in values:
        programme.co_authors.set(list(values["co_authors"] or []))
    after = {
        **audit.snapshot(programme, PROGRAMME_FIELDS),
        "co_authors": sorted(user.pk for user in programme.co_authors.all()),
    }
    old, new = audit.changed(before, after)
    if new:
        audit.record(
            actor=by, action="training.programme_changed", obj=programme, before=old, after=new
        )
    return programme


@transaction.atomic
def programme_archive(*, programme: Programme, by: User, archived: bool) -> Programme:
    """Archive a programme (it leaves the library and is no longer assigned) or restore it.

    Learners who follow it keep their version. Nothing is deleted."""
    _require(by, "training.author_programmes", programme)
    programme = Programme.objects.select_for_update().get(pk=programme.pk)
    if programme.is_archived != archived:
        programme.is_archived = archived
        programme.save(update_fields=["is_archived"])
        audit.record(
            actor=by,
            action="training.programme_archived" if archived else "training.programme_restored",
            obj=programme,
            before={"is_archived": not archived},
            after={"is_archived": archived},
        )
    return programme


# --- Versions ------------------------------------------------------------------------------------


@transaction.atomic
def version_update(*, version: ProgrammeVersion, by: User, **fields: Any) -> ProgrammeVersion:
    """Change the action plan, the evaluation or the change summary of a draft version.

    Raises ValidationError on "version" when the version is approved or superseded."""
    locked = _editable(version, by)
    before = audit.snapshot(locked, VERSION_FIELDS)
    for name in VERSION_FIELDS:
        if name in fields:
            setattr(locked, name, _text(fields, name))
    locked.save(update_fields=VERSION_FIELDS)
    old, new = audit.changed(before, audit.snapshot(locked, VERSION_FIELDS))
    if new:
        _record(by, "training.programme_version_changed", locked, locked, before=old, after=new)
    return locked


def approval_problems(*, version: ProgrammeVersion) -> dict[str, list[str]]:
    """What keeps `version` from being approved, by field (empty when it is ready).

    At least one phase and a module in every phase; a change summary from version 2 on; every
    e-learning module has its link; every linked work instruction has an approved version.
    Four queries."""
    problems: dict[str, list[str]] = {}

    def add(field: str, key: str, **params: Any) -> None:
        problems.setdefault(field, []).append(
            str(ERRORS[key]) % params if params else str(ERRORS[key])
        )

    phases = list(
        version.phases.annotate(module_count=models.Count("modules")).order_by("position", "id")
    )
    if not phases:
        add("phases", "no_phase")
    for phase in phases:
        if not phase.module_count:
            add("phases", "empty_phase", title=phase.title)
    if version.number > 1 and not version.change_summary.strip():
        add("change_summary", "summary_required", previous=version.number - 1)
    for title in version.modules.filter(kind=ModuleKind.ELEARNING, content_url="").values_list(
        "title", flat=True
    ):
        add("modules", "elearning_link", title=title)
    approved = InstructionVersion.objects.filter(
        instruction=models.OuterRef("instruction_id"), status=VersionStatus.APPROVED
    )
    for title, code in (
        ModuleInstruction.objects.filter(module__version=version)
        .exclude(models.Exists(approved))
        .order_by("module__phase__position", "module__position", "position")
        .values_list("module__title", "instruction__code")
    ):
        add("modules", "instruction_not_approved", title=title, code=code)
    return problems


def _refuse(problems: dict[str, list[str]], code: str) -> None:
    if problems:
        raise ValidationError(
            {
                field: [ValidationError(text, code=code) for text in texts]
                for field, texts in problems.items()
            }
        )


@transaction.atomic
def version_submit(
    *, version: ProgrammeVersion, by: User, change_summary: str | None = None
) -> ProgrammeVersion:
    """Send a draft for approval; `change_summary` (optional) replaces the version's summary.

    Rules: the version is a draft and ready (see `approval_problems`). The version stays
    editable while it waits. Raises ValidationError on "version", "phases", "change_summary" or
    "modules"."""
    locked = _editable(version, by)
    if locked.status != VersionStatus.DRAFT:
        raise field_error(
            "version",
            ERRORS["not_submittable"],
            code="not_submittable",
            params={"number": locked.number, "status": locked.get_status_display().lower()},
        )
    if change_summary is not None:
        locked.change_summary = change_summary.strip()
    _refuse(approval_problems(version=locked), "not_ready")
    locked.status = VersionStatus.IN_REVIEW
    locked.submitted_at = timezone.now()
    locked.save(update_fields=["status", "submitted_at", "change_summary"])
    _record(
        by,
        "training.programme_version_submitted",
        locked,
        locked,
        before={"status": VersionStatus.DRAFT},
        after={"status": locked.status, "change_summary": locked.change_summary},
    )
    version.status = locked.status
    return locked


@transaction.atomic
def version_return(*, version: ProgrammeVersion, by: User, reason: str) -> ProgrammeVersion:
    """An approver sends a version that waits for approval back to its authors, with the reason
    (kept in the audit log and shown on the programme page). Raises ValidationError on
    "version" or "reason"."""
    _require(by, "training.approve_programmes", version)
    locked = _locked(version)
    if locked.status != VersionStatus.IN_REVIEW:
        raise field_error(
            "version",
            ERRORS["not_in_review"],
            code="not_in_review",
            params={"number": locked.number},
        )
    reason = (reason or "").strip()
    if not reason:
        raise field_error("reason", ERRORS["reason_required"], code="reason_required")
    locked.status = VersionStatus.DRAFT
    locked.submitted_at = None
    locked.save(update_fields=["status", "submitted_at"])
    _record(
        by,
        "training.programme_version_returned",
        locked,
        locked,
        before={"status": VersionStatus.IN_REVIEW},
        after={"status": VersionStatus.DRAFT, "reason": reason},
    )
    version.status = locked.status
    return locked


@transaction.atomic
def version_approve(*, version: ProgrammeVersion, by: User) -> ProgrammeVersion:
    """Approve a draft (or a version waiting for approval); the approved version it replaces
    becomes superseded. From now on it never changes.

    Rules: `by` holds `training.approve_programmes` and did not start the draft, unless he is an
    administrator; the version is ready (see `approval_problems`). Raises ValidationError on
    "version", "approved_by", "phases", "change_summary" or "modules"."""
    _require(by, "training.approve_programmes", version)
    # Lock the programme first: a second approval or a new draft of it waits for this one.
    programme = Programme.objects.select_for_update().get(pk=version.programme_id)
    locked = _locked(version)
    if locked.status not in EDITABLE_STATUSES:
        raise field_error(
            "version",
            ERRORS["version_locked"],
            code="version_locked",
            params={
                "number": locked.number,
                "programme": programme,
                "status": locked.get_status_display().lower(),
            },
        )
    if programme.is_archived:
        raise field_error(
            "version", ERRORS["archived"], code="archived", params={"programme": programme}
        )
    if locked.created_by_id == by.pk and not access_of(by).has_role(Role.ADMIN):
        raise field_error("approved_by", ERRORS["own_draft"], code="own_draft")
    _refuse(approval_problems(version=locked), "not_ready")
    previous = (
        ProgrammeVersion.objects.select_for_update()
        .filter(programme=programme, status=VersionStatus.APPROVED)
        .first()
    )
    if previous is not None:
        previous.status = VersionStatus.SUPERSEDED
        previous.save(update_fields=["status"])
    before_status = locked.status
    locked.status = VersionStatus.APPROVED
    locked.approved_by = by
    locked.approved_at = timezone.now()
    locked.save(update_fields=["status", "approved_by", "approved_at"])
    _record(
        by,
        "training.programme_version_approved",
        locked,
        locked,
        before={"status": before_status, "superseded": previous.number if previous else None},
        after={"status": locked.status, "change_summary": locked.change_summary},
    )
    version.status = locked.status
    version.approved_by = by
    version.approved_at = locked.approved_at
    return locked


@transaction.atomic
def version_discard(*, version: ProgrammeVersion, by: User) -> Programme:
    """Throw away a draft of version 2 or later; the approved version stays as it is.

    Raises ValidationError on "version" for an approved version or the first draft."""
    locked = _editable(version, by)
    if locked.number == 1:
        raise field_error("version", ERRORS["first_draft"], code="first_draft")
    programme = locked.programme
    _record(
        by,
        "training.programme_version_discarded",
        locked,
        locked,
        before={"number": locked.number, "status": locked.status},
    )
    locked.delete()
    return programme


# Rows that hang from a module and are copied with it into a new version. Every concrete field
# is copied, so fields other areas add to their rows (the Leittext questions) come along.
MODULE_CHILDREN: tuple[type[models.Model], ...] = (
    Objective,
    Fault,
    ChecklistItem,
    ModuleCompetence,
    ModuleInstruction,
    LeittextQuestion,
    LeittextCriterion,
)


def _copy_values(row: models.Model, skip: Iterable[str]) -> dict[str, Any]:
    skipped = set(skip)
    return {
        field.attname: getattr(row, field.attname)
        for field in row._meta.concrete_fields
        if not field.primary_key and field.name not in skipped
    }


def _copy_content(source: ProgrammeVersion, target: ProgrammeVersion) -> None:
    """Copy phases, modules, what hangs from the modules and the prerequisites (remapped to
    the copies) from `source` into the empty `target`; a fixed number of queries."""
    phases = list(source.phases.order_by("position", "id"))
    copies = Phase.objects.bulk_create(
        Phase(
            **_copy_values(phase, ["version", "copied_from"]),
            version=target,
            copied_from=phase,
        )
        for phase in phases
    )
    phase_map = {old.pk: new.pk for old, new in zip(phases, copies, strict=True)}
    modules = list(source.modules.order_by("phase__position", "position", "id"))
    module_copies = Module.objects.bulk_create(
        Module(
            **_copy_values(module, ["version", "phase", "copied_from"]),
            version=target,
            phase_id=phase_map[module.phase_id],
            copied_from=module,
        )
        for module in modules
    )
    module_map = {old.pk: new.pk for old, new in zip(modules, module_copies, strict=True)}
    for model in MODULE_CHILDREN:
        rows = list(model._default_manager.filter(module__version=source))
        model._default_manager.bulk_create(
            model(**_copy_values(row, ["module"]), module_id=module_map[row.module_id])  # type: ignore[attr-defined]
            for row in rows
        )
    through = Module.prerequisites.through
    links = through.objects.filter(from_module__version=source).values_list(
        "from_module_id", "to_module_id"
    )
    through.objects.bulk_create(
        through(from_module_id=module_map[source_id], to_module_id=module_map[target_id])
        for source_id, target_id in links
    )


@transaction.atomic
def programme_version_draft(*, programme: Programme, by: User) -> ProgrammeVersion:
    """The open draft of `programme`, or a new draft of the next version copied from the
    approved one: phases, modules, objectives, faults, competences, work instruction links,
    checklist, Leittext questions and criteria, with the prerequisites remapped to the copies.

    Idempotent: returns the open draft when there is one. Raises ValidationError on "version"
    when there is nothing approved to copy, on "programme" when it is archived."""
    _require(by, "training.author_programmes", programme)
    programme = Programme.objects.select_for_update().get(pk=programme.pk)
    open_draft = programme.versions.filter(status__in=EDITABLE_STATUSES).first()
    if open_draft is not None:
        return open_draft
    if programme.is_archived:
        raise field_error(
            "programme", ERRORS["archived"], code="archived", params={"programme": programme}
        )
    source = programme.versions.filter(status=VersionStatus.APPROVED).first()
    if source is None:
        raise field_error(
            "version", ERRORS["no_approved"], code="no_approved", params={"programme": programme}
        )
    number = int(programme.versions.aggregate(top=Max("number"))["top"] or 0) + 1
    draft = ProgrammeVersion.objects.create(
        organisation=programme.organisation,
        programme=programme,
        number=number,
        action_plan=source.action_plan,
        evaluation=source.evaluation,
        created_by=by,
    )
    _copy_content(source, draft)
    _record(
        by,
        "training.programme_version_drafted",
        draft,
        draft,
        after={"number": draft.number, "copied_from": source.number},
    )
    return draft


# --- Phases --------------------------------------------------------------------------------------


def _check_phase(values: dict[str, Any]) -> None:
    if not _text(values, "title"):
        raise field_error("title", ERRORS["phase_title_required"], code="phase_title_required")
    gate = values.get("starts_after_days")
    if gate is not None and not (0 <= int(gate) <= MAX_GATE_DAYS):
        raise field_error(
            "starts_after_days",
            ERRORS["gate_range"],
            code="gate_range",
            params={"max": MAX_GATE_DAYS},
        )


@transaction.atomic
def phase_add(
    *,
    version: ProgrammeVersion,
    by: User,
    title: str,
    description: str = "",
    starts_after_days: int | None = None,
    requires_attest: bool = False,
) -> Phase:
    """Add a phase at the end of a draft version.

    `starts_after_days` is the time gate: the phase starts at the earliest that many days after
    the programme starts; `requires_attest`: it needs the attest of the previous phase's test.
    Raises ValidationError on "version", "title" or "starts_after_days"."""
    locked = _editable(version, by)
    values = {
        "title": title,
        "description": description,
        "starts_after_days": starts_after_days,
        "requires_attest": requires_attest,
    }
    _check_phase(values)
    phase = Phase.objects.create(
        version=locked,
        position=_next_position(locked.phases.all()),
        title=_text(values, "title"),
        description=_text(values, "description"),
        starts_after_days=starts_after_days,
        requires_attest=bool(requires_attest),
    )
    _record(by, "training.phase_added", phase, locked, after=audit.snapshot(phase, PHASE_FIELDS))
    return phase


@transaction.atomic
def phase_update(*, phase: Phase, by: User, **fields: Any) -> Phase:
    """Change a phase of a draft version (same rules as `phase_add`)."""
    _editable(phase.version, by)
    merged = {name: getattr(phase, name) for name in PHASE_FIELDS} | fields
    _check_phase(merged)
    before = audit.snapshot(phase, PHASE_FIELDS)
    for name in PHASE_FIELDS:
        if name in fields:
            value = fields[name]
            setattr(phase, name, _text(fields, name) if name in ("title", "description") else value)
    phase.save()
    old, new = audit.changed(before, audit.snapshot(phase, PHASE_FIELDS))
    if new:
        _record(by, "training.phase_changed", phase, phase.version, before=old, after=new)
    return phase


@transaction.atomic
def phase_move(*, phase: Phase, by: User, direction: str) -> Phase:
    """Move a phase one place up or down. Raises ValidationError on "version" or "direction"."""
    _editable(phase.version, by)
    before = phase.position
    if _move(phase, Phase.objects.filter(version_id=phase.version_id), direction):
        _record(
            by,
            "training.phase_moved",
            phase,
            phase.version,
            before={"position": before},
            after={"position": phase.position},
        )
    return phase


@transaction.atomic
def phase_remove(*, phase: Phase, by: User) -> None:
    """Remove a phase of a draft version with its modules (and their place as prerequisites).

    Raises ValidationError on "version"."""
    _editable(phase.version, by)
    modules = list(phase.modules.values_list("title", flat=True))
    _record(
        by,
        "training.phase_removed",
        phase,
        phase.version,
        before={**audit.snapshot(phase, PHASE_FIELDS), "modules": modules},
    )
    phase.delete()


# --- Modules -------------------------------------------------------------------------------------


def _prerequisite_cycle(
    version: ProgrammeVersion, module_id: int | None, chosen: Sequence[Module]
) -> Module | None:
    """The chosen prerequisite that already waits for the module (directly or further down),
    or None. One query."""
    if module_id is None:
        return None  # a new module: nothing can wait for it yet
    needs: dict[int, set[int]] = {}
    for source_id, target_id in Module.prerequisites.through.objects.filter(
        from_module__version=version
    ).values_list("from_module_id", "to_module_id"):
        if source_id != module_id:
            needs.setdefault(source_id, set()).add(target_id)
    for candidate in chosen:
        seen: set[int] = set()
        todo = [candidate.pk]
        while todo:
            current = todo.pop()
            if current == module_id:
                return candidate
            if current not in seen:
                seen.add(current)
                todo.extend(needs.get(current, ()))
    return None


def _check_module(
    *, version: ProgrammeVersion, values: dict[str, Any], module_id: int | None = None
) -> None:
    phase = values.get("phase")
    if phase is not None and phase.version_id != version.pk:
        raise field_error("phase", ERRORS["other_version"], code="other_version")
    if not _text(values, "title"):
        raise field_error("title", ERRORS["module_title_required"], code="module_title_required")
    if values.get("kind") not in ModuleKind.values:
        raise field_error("kind", ERRORS["kind_unknown"], code="kind_unknown")
    duration = values.get("duration")
    if not isinstance(duration, int) or not (1 <= duration <= MAX_DURATION):
        raise field_error(
            "duration",
            ERRORS["duration_range"],
            code="duration_range",
            params={"max": MAX_DURATION},
        )
    shortest, longest = values.get("duration_min"), values.get("duration_max")
    if shortest is not None and shortest > duration:
        raise field_error(
            "duration_min",
            ERRORS["min_too_long"],
            code="min_too_long",
            params={"min": shortest, "duration": duration},
        )
    if longest is not None and longest < duration:
        raise field_error(
            "duration_max",
            ERRORS["max_too_short"],
            code="max_too_short",
            params={"max": longest, "duration": duration},
        )
    if values.get("duration_unit") not in DurationUnit.values:
        raise field_error("duration_unit", ERRORS["unit_unknown"], code="unit_unknown")
    _same_organisation("workstation", values.get("workstation"), version.organisation_id)
    prerequisites = list(values.get("prerequisites") or [])
    for prerequisite in prerequisites:
        if module_id is not None and prerequisite.pk == module_id:
            raise field_error(
                "prerequisites", ERRORS["prerequisite_self"], code="prerequisite_self"
            )
        if prerequisite.version_id != version.pk:
            raise field_error(
                "prerequisites",
                ERRORS["prerequisite_other_version"],
                code="prerequisite_other_version",
                params={"title": prerequisite.title},
            )
    looping = _prerequisite_cycle(version, module_id, prerequisites)
    if looping is not None:
        raise field_error(
            "prerequisites",
            ERRORS["prerequisite_cycle"],
            code="prerequisite_cycle",
            params={"title": looping.title},
        )


def _module_snapshot(module: Module) -> dict[str, Any]:
    return {
        **audit.snapshot(module, MODULE_FIELDS),
        "prerequisites": sorted(module.prerequisites.values_list("pk", flat=True)),
    }


@transaction.atomic
def module_add(
    *,
    phase: Phase,
    by: User,
    title: str,
    kind: str,
    duration: int = 1,
    duration_min: int | None = None,
    duration_max: int | None = None,
    duration_unit: str = DurationUnit.DAYS,
    workstation: Workstation | None = None,
    environment: str = "",
    quality_care: str = "",
    content_url: str = "",
    problem_statement: str = "",
    prerequisites: Sequence[Module] = (),
) -> Module:
    """Add a module at the end of `phase` (a phase of a draft version).

    Rules: a title and a known kind; the planned duration from 1 to 999 in shifts, days, weeks
    or months, with the shortest not above and the longest not below it; a workstation of this
    organisation; prerequisites are other modules of the same version. Raises ValidationError
    on "version", "title", "kind", "duration", "duration_min", "duration_max",
    "duration_unit", "workstation" or "prerequisites"."""
    locked = _editable(phase.version, by)
    values: dict[str, Any] = {
        "phase": phase,
        "title": title,
        "kind": kind,
        "duration": duration,
        "duration_min": duration_min,
        "duration_max": duration_max,
        "duration_unit": duration_unit,
        "workstation": workstation,
        "environment": environment,
        "quality_care": quality_care,
        "content_url": content_url,
        "problem_statement": problem_statement,
        "prerequisites": prerequisites,
    }
    _check_module(version=locked, values=values)
    module = Module(version=locked, position=_next_position(phase.modules.all()))
    for name in MODULE_FIELDS:
        value = values[name]
        setattr(module, name, value.strip() if isinstance(value, str) else value)
    module.save()
    module.prerequisites.set(list(prerequisites))
    _record(by, "training.module_added", module, locked, after=_module_snapshot(module))
    return module


@transaction.atomic
def module_update(*, module: Module, by: User, **fields: Any) -> Module:
    """Change a module of a draft version, or move it to another phase of it (at the end).

    Same rules as `module_add`; a prerequisite may not wait for this module (no cycle)."""
    locked = _editable(module.version, by)
    merged: dict[str, Any] = {name: getattr(module, name) for name in MODULE_FIELDS}
    merged["prerequisites"] = list(module.prerequisites.all())
    merged |= fields
    _check_module(version=locked, values=merged, module_id=module.pk)
    before = _module_snapshot(module)
    new_phase = fields.get("phase")
    if new_phase is not None and new_phase.pk != module.phase_id:
        module.position = _next_position(new_phase.modules.all())
    for name in MODULE_FIELDS:
        if name in fields:
            value = fields[name]
            setattr(module, name, value.strip() if isinstance(value, str) else value)
    module.save()
    if "prerequisites" in fields:
        module.prerequisites.set(list(fields["prerequisites"] or []))
    old, new = audit.changed(before, _module_snapshot(module))
    if new:
        _record(by, "training.module_changed", module, locked, before=old, after=new)
    return module


@transaction.atomic
def module_move(*, module: Module, by: User, direction: str) -> Module:
    """Move a module one place up or down within its phase."""
    _editable(module.version, by)
    before = module.position
    if _move(module, Module.objects.filter(phase_id=module.phase_id), direction):
        _record(
            by,
            "training.module_moved",
            module,
            module.version,
            before={"position": before},
            after={"position": module.position},
        )
    return module


@transaction.atomic
def module_remove(*, module: Module, by: User) -> None:
    """Remove a module of a draft version, with everything that hangs from it; modules that
    needed it first no longer do."""
    _editable(module.version, by)
    _record(by, "training.module_removed", module, module.version, before=_module_snapshot(module))
    module.delete()


# --- What hangs from a module: objectives, faults, checklist -------------------------------------


def _check_required(values: dict[str, Any], checks: Sequence[tuple[str, str]]) -> None:
    for name, key in checks:
        if not _text(values, name):
            raise field_error(name, ERRORS[key], code=key)


def _row_add(
    model: type[T],
    *,
    module: Module,
    by: User,
    names: list[str],
    checks: Sequence[tuple[str, str]],
    values: dict[str, Any],
    action: str,
) -> T:
    locked = _editable(module.version, by)
    _check_required(values, checks)
    row = model(
        module=module,
        position=_next_position(model._default_manager.filter(module=module)),
        **{name: _text(values, name) for name in names},
    )
    row.save()
    _record(by, action, row, locked, after=audit.snapshot(row, names))
    return row


def _row_update(
    row: Any, *, by: User, names: list[str], values: dict[str, Any], action: str
) -> Any:
    before = audit.snapshot(row, names)
    for name in names:
        if name in values:
            setattr(row, name, _text(values, name))
    row.save()
    old, new = audit.changed(before, audit.snapshot(row, names))
    if new:
        _record(by, action, row, row.module.version, before=old, after=new)
    return row


def _row_move(row: Any, *, by: User, direction: str, action: str) -> Any:
    _editable(row.module.version, by)
    before = row.position
    if _move(row, type(row).objects.filter(module_id=row.module_id), direction):
        _record(
            by,
            action,
            row,
            row.module.version,
            before={"position": before},
            after={"position": row.position},
        )
    return row


def _row_remove(row: Any, *, by: User, names: list[str], action: str) -> None:
    _editable(row.module.version, by)
    _record(by, action, row, row.module.version, before=audit.snapshot(row, names))
    row.delete()


OBJECTIVE_CHECKS = [("text", "objective_required")]
FAULT_CHECKS = [("symptom", "fault_symptom"), ("cause", "fault_cause"), ("remedy", "fault_remedy")]
CHECKLIST_CHECKS = [("text", "checklist_required")]


@transaction.atomic
def objective_add(*, module: Module, by: User, text: str, measure: str = "") -> Objective:
    """Add a measurable learning objective: "the learner can <text>", checked by <measure>.

    Raises ValidationError on "version" or "text"."""
    values = {"text": text, "measure": measure}
    return _row_add(
        Objective,
        module=module,
        by=by,
        names=OBJECTIVE_FIELDS,
        checks=OBJECTIVE_CHECKS,
        values=values,
        action="training.module_objective_added",
    )


@transaction.atomic
def objective_update(*, objective: Objective, by: User, **fields: Any) -> Objective:
    """Change a learning objective (same rules as `objective_add`)."""
    _editable(objective.module.version, by)
    _check_required({"text": objective.text} | fields, OBJECTIVE_CHECKS)
    return _row_update(
        objective,
        by=by,
        names=OBJECTIVE_FIELDS,
        values=fields,
        action="training.module_objective_changed",
    )


@transaction.atomic
def objective_move(*, objective: Objective, by: User, direction: str) -> Objective:
    return _row_move(
        objective, by=by, direction=direction, action="training.module_objective_moved"
    )


@transaction.atomic
def objective_remove(*, objective: Objective, by: User) -> None:
    _row_remove(
        objective, by=by, names=OBJECTIVE_FIELDS, action="training.module_objective_removed"
    )


@transaction.atomic
def fault_add(*, module: Module, by: User, symptom: str, cause: str, remedy: str) -> Fault:
    """Add a fault to part 4 of a module: symptom, cause and remedy, all three required.

    Raises ValidationError on "version", "symptom", "cause" or "remedy"."""
    values = {"symptom": symptom, "cause": cause, "remedy": remedy}
    return _row_add(
        Fault,
        module=module,
        by=by,
        names=FAULT_FIELDS,
        checks=FAULT_CHECKS,
        values=values,
        action="training.module_fault_added",
    )


@transaction.atomic
def fault_update(*, fault: Fault, by: User, **fields: Any) -> Fault:
    """Change a fault (same rules as `fault_add`)."""
    _editable(fault.module.version, by)
    current = {name: getattr(fault, name) for name in FAULT_FIELDS}
    _check_required(current | fields, FAULT_CHECKS)
    return _row_update(
        fault, by=by, names=FAULT_FIELDS, values=fields, action="training.module_fault_changed"
    )


@transaction.atomic
def fault_move(*, fault: Fault, by: User, direction: str) -> Fault:
    return _row_move(fault, by=by, direction=direction, action="training.module_fault_moved")


@transaction.atomic
def fault_remove(*, fault: Fault, by: User) -> None:
    _row_remove(fault, by=by, names=FAULT_FIELDS, action="training.module_fault_removed")


@transaction.atomic
def checklist_item_add(*, module: Module, by: User, text: str) -> ChecklistItem:
    """Add an item at the end of the module's sign-off checklist (the order of execution).

    Raises ValidationError on "version" or "text"."""
    values = {"text": text}
    return _row_add(
        ChecklistItem,
        module=module,
        by=by,
        names=CHECKLIST_FIELDS,
        checks=CHECKLIST_CHECKS,
        values=values,
        action="training.module_checklist_added",
    )


@transaction.atomic
def checklist_item_update(*, item: ChecklistItem, by: User, **fields: Any) -> ChecklistItem:
    _editable(item.module.version, by)
    _check_required({"text": item.text} | fields, CHECKLIST_CHECKS)
    return _row_update(
        item,
        by=by,
        names=CHECKLIST_FIELDS,
        values=fields,
        action="training.module_checklist_changed",
    )


@transaction.atomic
def checklist_item_move(*, item: ChecklistItem, by: User, direction: str) -> ChecklistItem:
    return _row_move(item, by=by, direction=direction, action="training.module_checklist_moved")


@transaction.atomic
def checklist_item_remove(*, item: ChecklistItem, by: User) -> None:
    _row_remove(item, by=by, names=CHECKLIST_FIELDS, action="training.module_checklist_removed")


# --- Competences and work instructions of a module -----------------------------------------------


def _check_level(competence: Competence, level: Level) -> None:
    scale = scale_for(competence)
    if level.scale_id != scale.pk:
        raise field_error(
            "level",
            ERRORS["level_scale"],
            code="level_scale",
            params={"competence": competence, "scale": scale.name},
        )


@transaction.atomic
def module_competence_add(
    *, module: Module, by: User, competence: Competence, level: Level
) -> ModuleCompetence:
    """Record that the module develops `competence` up to `level`; a confirmed sign-off of the
    module records that level for the learner.

    Rules: a competence of this organisation, once per module; a level of the competence's
    scale. Raises ValidationError on "version", "competence" or "level"."""
    locked = _editable(module.version, by)
    _same_organisation("competence", competence, locked.organisation_id)
    if ModuleCompetence.objects.filter(module=module, competence=competence).exists():
        raise field_error(
            "competence",
            ERRORS["competence_taken"],
            code="competence_taken",
            params={"competence": competence},
        )
    _check_level(competence, level)
    row = ModuleCompetence.objects.create(module=module, competence=competence, level=level)
    _record(
        by,
        "training.module_competence_added",
        row,
        locked,
        after={"competence": competence.pk, "level": level.pk},
    )
    return row


@transaction.atomic
def module_competence_update(*, row: ModuleCompetence, by: User, level: Level) -> ModuleCompetence:
    """Change the level a module develops a competence to. Raises ValidationError on "level"."""
    locked = _editable(row.module.version, by)
    _check_level(row.competence, level)
    before = {"level": row.level_id}
    row.level = level
    row.save(update_fields=["level"])
    if before["level"] != level.pk:
        _record(
            by,
            "training.module_competence_changed",
            row,
            locked,
            before=before,
            after={"level": level.pk},
        )
    return row


@transaction.atomic
def module_competence_remove(*, row: ModuleCompetence, by: User) -> None:
    locked = _editable(row.module.version, by)
    _record(
        by,
        "training.module_competence_removed",
        row,
        locked,
        before={"competence": row.competence_id, "level": row.level_id},
    )
    row.delete()


@transaction.atomic
def module_instruction_add(
    *, module: Module, by: User, instruction: WorkInstruction
) -> ModuleInstruction:
    """Add a work instruction at the end of the module's do-steps (part 2).

    Rules: an instruction of this organisation, in use (not archived), once per module. Raises
    ValidationError on "version" or "instruction"."""
    locked = _editable(module.version, by)
    _same_organisation("instruction", instruction, locked.organisation_id)
    if instruction.is_archived:
        raise field_error(
            "instruction",
            ERRORS["instruction_archived"],
            code="instruction_archived",
            params={"code": instruction.code},
        )
    if ModuleInstruction.objects.filter(module=module, instruction=instruction).exists():
        raise field_error(
            "instruction",
            ERRORS["instruction_taken"],
            code="instruction_taken",
            params={"code": instruction.code},
        )
    link = ModuleInstruction.objects.create(
        module=module,
        instruction=instruction,
        position=_next_position(ModuleInstruction.objects.filter(module=module)),
    )
    _record(
        by, "training.module_instruction_added", link, locked, after={"instruction": instruction.pk}
    )
    return link


@transaction.atomic
def module_instruction_move(
    *, link: ModuleInstruction, by: User, direction: str
) -> ModuleInstruction:
    return _row_move(link, by=by, direction=direction, action="training.module_instruction_moved")


@transaction.atomic
def module_instruction_remove(*, link: ModuleInstruction, by: User) -> None:
    _row_remove(link, by=by, names=["instruction"], action="training.module_instruction_removed")
