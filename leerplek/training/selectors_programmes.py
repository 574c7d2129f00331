"""Reads of the programme builder: the library, one programme with a version's phases and
modules, and one module in its 4-part structure. Each function runs a fixed number of queries
whatever the data size."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.utils import translation
from django.utils.translation import gettext, ngettext

from leerplek.core.access import Access
from leerplek.core.models import AuditEntry
from leerplek.core.permissions import PERMISSIONS
from leerplek.people.models import Organisation, User
from leerplek.training.models import (
    EDITABLE_STATUSES,
    SOURCE_LANGUAGE,
    ChecklistItem,
    DurationUnit,
    Fault,
    InstructionVersion,
    Module,
    ModuleCompetence,
    ModuleInstruction,
    ModuleKind,
    Objective,
    Phase,
    Programme,
    ProgrammeVersion,
    VersionStatus,
)
from leerplek.training.services_programmes import approval_problems, audience_choices

# --- Durations -----------------------------------------------------------------------------------

UNIT_ORDER = [DurationUnit.SHIFTS, DurationUnit.DAYS, DurationUnit.WEEKS, DurationUnit.MONTHS]


def amount_text(count: int, unit: str) -> str:
    """'2 shifts', '1 day', '4 months'."""
    if unit == DurationUnit.SHIFTS:
        text = ngettext("%(count)s shift", "%(count)s shifts", count)
    elif unit == DurationUnit.WEEKS:
        text = ngettext("%(count)s week", "%(count)s weeks", count)
    elif unit == DurationUnit.MONTHS:
        text = ngettext("%(count)s month", "%(count)s months", count)
    else:
        text = ngettext("%(count)s day", "%(count)s days", count)
    return text % {"count": count}


def duration_text(duration: int, unit: str, shortest: int | None, longest: int | None) -> str:
    """'2 shifts (1 to 3)', '4 months (at least 3)', '5 days (at most 8)', '1 week'."""
    amount = amount_text(duration, unit)
    low = shortest if shortest is not None and shortest != duration else None
    high = longest if longest is not None and longest != duration else None
    if low is not None and high is not None:
        return gettext("%(amount)s (%(low)s\u2013%(high)s)") % {
            "amount": amount,
            "low": low,
            "high": high,
        }
    if low is not None:
        return gettext("%(amount)s (at least %(low)s)") % {"amount": amount, "low": low}
    if high is not None:
        return gettext("%(amount)s (at most %(high)s)") % {"amount": amount, "high": high}
    return amount


def total_text(modules: Iterable[Module]) -> str:
    """The planned time of `modules` per unit, e.g. '2 shifts, 3 days (2 to 5) and 4 months'.

    Units are not converted into each other: a shift, a day and a month of practice are not
    the same amount of learning time in every organisation."""
    planned: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0])
    for module in modules:
        total = planned[module.duration_unit]
        total[0] += module.duration
        total[1] += module.duration_min if module.duration_min is not None else module.duration
        total[2] += module.duration_max if module.duration_max is not None else module.duration
    parts = [
        duration_text(planned[unit][0], unit, planned[unit][1], planned[unit][2])
        for unit in UNIT_ORDER
        if unit in planned
    ]
    if not parts:
        return ""
    if len(parts) == 1:
        return parts[0]
    return gettext("%(first)s and %(last)s") % {"first": ", ".join(parts[:-1]), "last": parts[-1]}


def gate_texts(phase: Phase) -> list[str]:
    """The time gates of a phase, as the learner and his guide read them."""
    texts = []
    if phase.starts_after_days:
        texts.append(
            ngettext(
                "Starts at the earliest after %(days)s day",
                "Starts at the earliest after %(days)s days",
                phase.starts_after_days,
            )
            % {"days": phase.starts_after_days}
        )
    if phase.requires_attest:
        texts.append(gettext("Needs the attest of the previous phase"))
    return texts


KIND_TONES = {
    ModuleKind.PRACTICAL: "ok",
    ModuleKind.LEITTEXT: "ok",
    ModuleKind.SAFETY: "warn",
    ModuleKind.SECTOR_SAFETY: "warn",
}


def kind_tone(kind: str) -> str:
    return KIND_TONES.get(kind, "neutral")  # type: ignore[call-overload]


STATUS_TONES = {
    VersionStatus.DRAFT: "neutral",
    VersionStatus.IN_REVIEW: "warn",
    VersionStatus.APPROVED: "ok",
    VersionStatus.SUPERSEDED: "neutral",
}


def holds(access: Access, perm: str) -> bool:
    """Whether the user holds an organisation-wide permission of the table (no object)."""
    rule = PERMISSIONS[perm]
    return access.organisation is not None and access.has_role(*rule.roles)


def sees_drafts(access: Access) -> bool:
    """Authors and approvers read drafts; every other member reads approved versions."""
    return holds(access, "training.author_programmes") or holds(
        access, "training.approve_programmes"
    )


# --- The library ---------------------------------------------------------------------------------


class LibraryStatus:
    APPROVED = "approved"
    DRAFT = "draft"
    IN_REVIEW = "in_review"
    NOT_APPROVED = "not_approved"
    ARCHIVED = "archived"


def library_status_choices() -> list[tuple[str, str]]:
    return [
        (LibraryStatus.APPROVED, gettext("Has an approved version")),
        (LibraryStatus.DRAFT, gettext("A draft is open")),
        (LibraryStatus.IN_REVIEW, gettext("Waiting for approval")),
        (LibraryStatus.NOT_APPROVED, gettext("Never approved yet")),
        (LibraryStatus.ARCHIVED, gettext("Archived")),
    ]


def programme_list(
    *,
    organisation: Organisation,
    query: str = "",
    job_id: int | None = None,
    workstation_id: int | None = None,
    status: str = "",
    mine: User | None = None,
) -> QuerySet[Programme]:
    """The organisation's programmes, each with its approved version (number, date, module
    count) and its open draft (number, status); archived ones only when asked. One query (plus
    the count when paged).

    `query` searches code, title and description; `mine` keeps the programmes the user owns or
    co-writes."""
    versions = ProgrammeVersion.objects.filter(programme=OuterRef("pk"))
    approved = versions.filter(status=VersionStatus.APPROVED)
    open_draft = versions.filter(status__in=EDITABLE_STATUSES)
    approved_modules = (
        Module.objects.filter(version__programme=OuterRef("pk"), version__status="approved")
        .order_by()
        .values("version__programme")
        .annotate(count=Count("pk"))
        .values("count")
    )
    programmes = (
        Programme.objects.filter(organisation=organisation)
        .select_related("job", "task", "workstation", "owner")
        .annotate(
            approved_number=Subquery(approved.values("number")[:1]),
            approved_at=Subquery(approved.values("approved_at")[:1]),
            approved_module_count=Subquery(approved_modules[:1]),
            draft_number=Subquery(open_draft.values("number")[:1]),
            draft_status=Subquery(open_draft.values("status")[:1]),
        )
    )
    if status == LibraryStatus.ARCHIVED:
        programmes = programmes.filter(is_archived=True)
    else:
        programmes = programmes.filter(is_archived=False)
    if status == LibraryStatus.APPROVED:
        programmes = programmes.filter(Exists(approved))
    elif status == LibraryStatus.DRAFT:
        programmes = programmes.filter(Exists(open_draft.filter(status=VersionStatus.DRAFT)))
    elif status == LibraryStatus.IN_REVIEW:
        programmes = programmes.filter(Exists(open_draft.filter(status=VersionStatus.IN_REVIEW)))
    elif status == LibraryStatus.NOT_APPROVED:
        programmes = programmes.exclude(
            Exists(versions.filter(status__in=[VersionStatus.APPROVED, VersionStatus.SUPERSEDED]))
        )
    query = query.strip()
    if query:
        programmes = programmes.filter(
            Q(code__icontains=query) | Q(title__icontains=query) | Q(description__icontains=query)
        )
    if job_id:
        programmes = programmes.filter(job_id=job_id)
    if workstation_id:
        programmes = programmes.filter(
            Q(workstation_id=workstation_id)
            | Exists(
                Module.objects.filter(
                    version__programme=OuterRef("pk"), workstation_id=workstation_id
                )
            )
        )
    if mine is not None:
        programmes = programmes.filter(
            Q(owner=mine)
            | Exists(
                Programme.co_authors.through.objects.filter(
                    programme_id=OuterRef("pk"), user_id=mine.pk
                )
            )
        )
    return programmes.order_by("title", "code", "id")


def waiting_for_approval(*, organisation: Organisation) -> list[ProgrammeVersion]:
    """The versions waiting for approval, oldest request first (one query)."""
    return list(
        ProgrammeVersion.objects.filter(
            organisation=organisation,
            status=VersionStatus.IN_REVIEW,
            programme__is_archived=False,
        )
        .select_related("programme", "created_by")
        .order_by("submitted_at", "id")
    )


# --- One programme -------------------------------------------------------------------------------


@dataclass
class ModuleRow:
    module: Module
    duration: str
    tone: str
    prerequisites: list[Module]
    competences: list[ModuleCompetence]
    position: int = 0


@dataclass
class PhaseRow:
    phase: Phase
    number: int
    gates: list[str]
    modules: list[ModuleRow]
    total: str


@dataclass
class VersionRow:
    version: ProgrammeVersion
    tone: str
    learners: int
    is_shown: bool


@dataclass
class ReturnNote:
    """Why an approver sent the draft back (from the audit log)."""

    reason: str
    by: str
    at: Any


@dataclass
class ProgrammeDetail:
    programme: Programme
    co_authors: list[User]
    audience: list[str]
    versions: list[VersionRow]
    version: ProgrammeVersion | None
    phases: list[PhaseRow]
    total: str
    module_count: int
    can_author: bool
    can_approve: bool
    approved: ProgrammeVersion | None
    open_draft: ProgrammeVersion | None
    problems: dict[str, list[str]] = field(default_factory=dict)
    returned: ReturnNote | None = None
    missing: bool = False
    next_number: int = 1

    @property
    def is_editable(self) -> bool:
        return (
            self.can_author
            and self.version is not None
            and self.version.is_editable
            and not self.programme.is_archived
        )

    @property
    def can_start_draft(self) -> bool:
        return (
            self.can_author
            and self.open_draft is None
            and self.approved is not None
            and not self.programme.is_archived
        )

    @property
    def problem_list(self) -> list[str]:
        return [text for texts in self.problems.values() for text in texts]


def _module_rows(version: ProgrammeVersion) -> tuple[list[Phase], dict[int, list[ModuleRow]]]:
    """The phases of `version` and its modules by phase, with prerequisites and competences
    (four queries)."""
    phases = list(version.phases.order_by("position", "id"))
    modules = list(
        version.modules.select_related("workstation")
        .prefetch_related(
            Prefetch(
                "prerequisites", queryset=Module.objects.order_by("phase__position", "position")
            ),
            Prefetch(
                "competences",
                queryset=ModuleCompetence.objects.select_related("competence", "level").order_by(
                    "competence__code"
                ),
            ),
        )
        .order_by("phase__position", "phase_id", "position", "id")
    )
    by_phase: dict[int, list[ModuleRow]] = defaultdict(list)
    for number, module in enumerate(modules, start=1):
        by_phase[module.phase_id].append(
            ModuleRow(
                module=module,
                duration=duration_text(
                    module.duration, module.duration_unit, module.duration_min, module.duration_max
                ),
                tone=kind_tone(module.kind),
                prerequisites=list(module.prerequisites.all()),
                competences=list(module.competences.all()),
                position=number,
            )
        )
    return phases, by_phase


def _choose_version(
    versions: Sequence[ProgrammeVersion], number: int | None, drafts: bool
) -> tuple[ProgrammeVersion | None, bool]:
    """The version to show and whether the one asked for is missing."""
    visible = [v for v in versions if drafts or v.status not in EDITABLE_STATUSES]
    if number is not None:
        chosen = next((v for v in visible if v.number == number), None)
        return chosen, chosen is None
    if drafts:
        draft = next((v for v in visible if v.is_editable), None)
        if draft is not None:
            return draft, False
    return next((v for v in visible if v.status == VersionStatus.APPROVED), None), False


def programme_detail(
    *, programme: Programme, access: Access, number: int | None = None
) -> ProgrammeDetail:
    """A programme with one version: the approved one, or for authors and approvers the open
    draft; `number` asks for a given version (drafts only for them). The version history with
    how many learners follow each version; for a draft, what still keeps it from approval and
    why an approver sent it back. At most ten queries.

    `programme` comes with job, task, workstation and owner loaded."""
    can_author = holds(access, "training.author_programmes")
    can_approve = holds(access, "training.approve_programmes")
    drafts = can_author or can_approve
    co_authors = list(programme.co_authors.order_by("first_name", "last_name", "id"))
    versions = list(
        programme.versions.select_related("created_by", "approved_by")
        .annotate(learners=Count("assignments", filter=Q(assignments__status="active")))
        .order_by("-number")
    )
    version, missing = _choose_version(versions, number, drafts)
    approved = next((v for v in versions if v.status == VersionStatus.APPROVED), None)
    open_draft = next((v for v in versions if v.is_editable), None)
    rows = [
        VersionRow(
            version=v,
            tone=STATUS_TONES[VersionStatus(v.status)],
            learners=v.learners,
            is_shown=version is not None and v.pk == version.pk,
        )
        for v in versions
        if drafts or v.status not in EDITABLE_STATUSES
    ]
    labels = dict(audience_choices())
    detail = ProgrammeDetail(
        programme=programme,
        co_authors=co_authors,
        audience=[str(labels[item]) for item in programme.audience if item in labels],
        versions=rows,
        version=version,
        phases=[],
        total="",
        module_count=0,
        can_author=can_author,
        can_approve=can_approve,
        approved=approved,
        open_draft=open_draft if drafts else None,
        missing=missing,
        next_number=max((v.number for v in versions), default=0) + 1,
    )
    if version is None:
        return detail
    phases, by_phase = _module_rows(version)
    all_modules = [row.module for rows in by_phase.values() for row in rows]
    detail.phases = [
        PhaseRow(
            phase=phase,
            number=index,
            gates=gate_texts(phase),
            modules=by_phase.get(phase.pk, []),
            total=total_text(row.module for row in by_phase.get(phase.pk, [])),
        )
        for index, phase in enumerate(phases, start=1)
    ]
    detail.total = total_text(all_modules)
    detail.module_count = len(all_modules)
    if version.is_editable:
        detail.problems = approval_problems(version=version)
        if version.status == VersionStatus.DRAFT:
            entry = (
                AuditEntry.objects.filter(
                    organisation_id=version.organisation_id,
                    action="training.programme_version_returned",
                    object_type=ProgrammeVersion._meta.label,
                    object_id=str(version.pk),
                )
                .order_by("-id")
                .first()
            )
            if entry is not None:
                detail.returned = ReturnNote(
                    reason=str((entry.after or {}).get("reason", "")),
                    by=entry.actor_label,
                    at=entry.at,
                )
    return detail


# --- One module ----------------------------------------------------------------------------------


@dataclass
class InstructionRow:
    link: ModuleInstruction
    title: str
    version_number: int | None
    is_approved: bool


@dataclass
class ModuleDetail:
    module: Module
    duration: str
    tone: str
    objectives: list[Objective]
    competences: list[ModuleCompetence]
    instructions: list[InstructionRow]
    quality_care: str
    faults: list[Fault]
    checklist: list[ChecklistItem]
    prerequisites: list[Module]
    unlocks: list[Module]
    previous: Module | None
    next: Module | None
    number: int


def localised(texts: dict[str, str]) -> str:
    language = (translation.get_language() or SOURCE_LANGUAGE).split("-")[0]
    return texts.get(language) or texts.get(SOURCE_LANGUAGE) or next(iter(texts.values()), "")


def _instruction_rows(module: Module) -> list[InstructionRow]:
    """The do-steps: each linked work instruction with the title of its approved version (else
    its newest). Two queries."""
    links = list(
        ModuleInstruction.objects.filter(module=module)
        .select_related("instruction")
        .prefetch_related(
            Prefetch(
                "instruction__versions",
                queryset=InstructionVersion.objects.order_by("-number").only(
                    "pk", "instruction_id", "number", "status", "title"
                ),
            )
        )
        .order_by("position", "id")
    )
    rows = []
    for link in links:
        versions = list(link.instruction.versions.all())
        approved = next((v for v in versions if v.status == VersionStatus.APPROVED), None)
        shown = approved or (versions[0] if versions else None)
        rows.append(
            InstructionRow(
                link=link,
                title=localised(shown.title) if shown is not None else "",
                version_number=shown.number if shown is not None else None,
                is_approved=approved is not None,
            )
        )
    return rows


def module_detail(*, module: Module) -> ModuleDetail:
    """A module in its 4-part structure: 1 the workstation and its surroundings, 2 the do-steps
    (work instructions in order), 3 quality care, 4 faults by symptom, cause and remedy; with
    its objectives, the competences it develops, the sign-off checklist, what it needs first
    and what waits for it, and the modules around it. Nine queries.

    `module` comes with version, version's programme, phase and workstation loaded."""
    order = list(
        Module.objects.filter(version_id=module.version_id)
        .order_by("phase__position", "phase_id", "position", "id")
        .only("pk", "title", "phase_id", "position")
    )
    index = next(i for i, row in enumerate(order) if row.pk == module.pk)
    return ModuleDetail(
        module=module,
        duration=duration_text(
            module.duration, module.duration_unit, module.duration_min, module.duration_max
        ),
        tone=kind_tone(module.kind),
        objectives=list(module.objectives.order_by("position", "id")),
        competences=list(
            module.competences.select_related("competence", "level").order_by("competence__code")
        ),
        instructions=_instruction_rows(module),
        quality_care=module.quality_care,
        faults=list(module.faults.order_by("position", "id")),
        checklist=list(module.checklist.order_by("position", "id")),
        prerequisites=list(module.prerequisites.order_by("phase__position", "position", "id")),
        unlocks=list(module.unlocks.order_by("phase__position", "position", "id")),
        previous=order[index - 1] if index > 0 else None,
        next=order[index + 1] if index + 1 < len(order) else None,
        number=index + 1,
    )


def module_choices(*, version: ProgrammeVersion, exclude: int | None = None) -> QuerySet[Module]:
    """The modules of `version` to choose prerequisites from (one query when read)."""
    modules = Module.objects.filter(version=version).select_related("phase")
    if exclude is not None:
        modules = modules.exclude(pk=exclude)
    return modules.order_by("phase__position", "phase_id", "position", "id")
