"""Work instructions: reads (see docs/training.md, "Work instructions"). Each function runs a fixed
number of queries whatever the number of steps, key points, holders or instructions."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, IntegerField, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.urls import reverse

from leerplek.people.models import Employee
from leerplek.training.models import (
    ContentLanguage,
    InstructionHolder,
    InstructionStep,
    InstructionVersion,
    KeyPoint,
    KeyPointKind,
    PracticeSignal,
    ReadRequest,
    SignalStatus,
    StationCode,
    VersionStatus,
    WorkInstruction,
)
from leerplek.training.models.instructions import SOURCE_LANGUAGE
from leerplek.training.services_instructions import max_key_points, max_steps

SOURCE_NAME = "Nederlands"


def reader_language(
    employee: Employee | None, offered: dict[str, ContentLanguage], wanted: str = ""
) -> str:
    """The language a worker reads in: the one asked for (`?lang=`), else the first of his
    languages (then his interface language) that the organisation translates into; else Dutch."""
    if wanted and (wanted == SOURCE_LANGUAGE or wanted in offered):
        return wanted
    if employee is None:
        return SOURCE_LANGUAGE
    codes = [code.lower() for code in employee.language_list]
    user = employee.user if employee.user_id else None
    if user is not None and user.language:
        codes.append(user.language)
    for code in codes:
        if code == SOURCE_LANGUAGE or code in offered:
            return code
    return SOURCE_LANGUAGE


def text_in(texts: dict[str, Any], language: str) -> tuple[str, bool]:
    """The text in `language`, or the Dutch source with True (marked as a fallback)."""
    value = str(texts.get(language) or "").strip()
    if value:
        return value, False
    return str(texts.get(SOURCE_LANGUAGE) or ""), language != SOURCE_LANGUAGE


def offered_languages(organisation_id: int) -> dict[str, ContentLanguage]:
    return {
        row.code: row
        for row in ContentLanguage.objects.filter(organisation_id=organisation_id).order_by("name")
    }


@dataclass
class Text:
    value: str
    fallback: bool


@dataclass
class KeyPointView:
    point: KeyPoint
    text: Text
    reason: Text

    @property
    def is_safety(self) -> bool:
        return self.point.kind == KeyPointKind.SAFETY


@dataclass
class StepView:
    step: InstructionStep
    number: int
    text: Text
    key_points: list[KeyPointView]
    photo_url: str
    too_many_key_points: bool


@dataclass
class Reading:
    version: InstructionVersion
    language: str
    language_name: str
    is_rtl: bool
    title: Text
    quality_norm: Text
    change_summary: Text
    steps: list[StepView]
    languages: list[tuple[str, str]]
    fallbacks: int = 0
    warnings: list[str] = field(default_factory=list)


def _photo_url(step: InstructionStep) -> str:
    if not step.photo:
        return ""
    return reverse("training:step-photo", kwargs={"instruction_step_id": step.pk})


def reading(
    *, version: InstructionVersion, language: str, offered: dict[str, ContentLanguage]
) -> Reading:
    """The version as a worker reads it in `language`: steps in order, safety key points first,
    each text with a fallback mark where the Dutch is shown instead. Two queries."""
    from django.utils.translation import gettext as _

    steps = list(
        InstructionStep.objects.filter(version=version)
        .prefetch_related(
            Prefetch("key_points", queryset=KeyPoint.objects.order_by("position", "id"))
        )
        .order_by("position", "id")
    )
    views: list[StepView] = []
    fallbacks = 0
    for number, step in enumerate(steps, start=1):
        points = sorted(
            step.key_points.all(), key=lambda p: (p.kind != KeyPointKind.SAFETY, p.position, p.pk)
        )
        point_views = []
        for point in points:
            text = Text(*text_in(point.text, language))
            reason = Text(*text_in(point.reason, language))
            fallbacks += text.fallback + reason.fallback
            point_views.append(KeyPointView(point=point, text=text, reason=reason))
        text = Text(*text_in(step.text, language))
        fallbacks += text.fallback
        views.append(
            StepView(
                step=step,
                number=number,
                text=text,
                key_points=point_views,
                photo_url=_photo_url(step),
                too_many_key_points=len(points) > max_key_points(),
            )
        )
    warnings = []
    if len(steps) > max_steps():
        warnings.append(
            _(
                "%(count)s important steps: more than %(max)s is hard to learn at once. Split the "
                "job into two instructions."
            )
            % {"count": len(steps), "max": max_steps()}
        )
    if any(view.too_many_key_points for view in views):
        warnings.append(
            _("A step with more than %(max)s key points is too much to remember: split the step.")
            % {"max": max_key_points()}
        )
    if steps and not any(point.is_safety for view in views for point in view.key_points):
        warnings.append(
            _(
                "No safety key point: check each step for what could hurt (cuts, heat, lifting, "
                "chemicals) and add it. Safety is always a key point."
            )
        )
    chosen = offered.get(language)
    title = Text(*text_in(version.title, language))
    return Reading(
        version=version,
        language=language,
        language_name=chosen.name if chosen else SOURCE_NAME,
        is_rtl=bool(chosen and chosen.is_rtl),
        title=title,
        quality_norm=Text(*text_in(version.quality_norm, language)),
        change_summary=Text(*text_in(version.change_summary, language)),
        steps=views,
        languages=[(SOURCE_LANGUAGE, SOURCE_NAME)] + [(c, row.name) for c, row in offered.items()],
        fallbacks=fallbacks + title.fallback,
        warnings=warnings,
    )


def instruction_list(
    *, organisation_id: int, query: str = "", workstation_id: int | None = None, limit: int = 200
) -> tuple[list[WorkInstruction], int]:
    """The organisation's instructions with their approved and draft version, step count, the
    number of people who hold them and open signals: one count and one query."""
    versions = InstructionVersion.objects.filter(instruction=OuterRef("pk"))
    approved = versions.filter(status=VersionStatus.APPROVED)
    draft = versions.filter(status__in=(VersionStatus.DRAFT, VersionStatus.IN_REVIEW))
    queryset = WorkInstruction.objects.filter(organisation_id=organisation_id, is_archived=False)
    query = query.strip()
    if query:
        queryset = queryset.filter(
            Q(code__icontains=query)
            | Q(versions__title__icontains=query)
            | Q(workstation__name__icontains=query)
        ).distinct()
    if workstation_id:
        queryset = queryset.filter(workstation_id=workstation_id)
    total = queryset.count()
    rows = list(
        queryset.select_related("workstation", "job", "owner")
        .annotate(
            approved_number=Subquery(approved.values("number")[:1]),
            approved_title=Subquery(approved.values("title")[:1]),
            draft_number=Subquery(draft.values("number")[:1]),
            draft_title=Subquery(draft.values("title")[:1]),
            step_count=Subquery(
                InstructionStep.objects.filter(
                    version__instruction=OuterRef("pk"), version__status=VersionStatus.APPROVED
                )
                .values("version")
                .annotate(n=Count("pk"))
                .values("n")[:1],
                output_field=IntegerField(),
            ),
            holder_count=Subquery(
                InstructionHolder.objects.filter(instruction=OuterRef("pk"))
                .values("instruction")
                .annotate(n=Count("pk"))
                .values("n")[:1],
                output_field=IntegerField(),
            ),
            open_signals=Subquery(
                PracticeSignal.objects.filter(
                    instruction=OuterRef("pk"),
                    status__in=(SignalStatus.OPEN, SignalStatus.ROUND_TABLE),
                )
                .values("instruction")
                .annotate(n=Count("pk"))
                .values("n")[:1],
                output_field=IntegerField(),
            ),
        )
        .order_by("code", "id")[:limit]
    )
    for row in rows:
        texts = row.approved_title or row.draft_title or {}
        if isinstance(texts, str):  # SQLite returns the JSON of a subquery as text
            import json

            texts = json.loads(texts)
        row.title_text = str(texts.get(SOURCE_LANGUAGE, ""))  # type: ignore[attr-defined]
    return rows, total  # type: ignore[return-value]


@dataclass
class InstructionDetail:
    instruction: WorkInstruction
    versions: list[InstructionVersion]
    shown: InstructionVersion | None
    approved: InstructionVersion | None
    draft: InstructionVersion | None
    holders: int
    holders_on_shown: int
    open_requests: int
    late_requests: int
    signals: list[PracticeSignal]


def instruction_detail(
    *, instruction: WorkInstruction, number: int | None, sees_drafts: bool
) -> InstructionDetail:
    """The versions of an instruction, the one to show, who holds it and what is open. Five
    queries."""
    from django.utils import timezone

    versions = list(
        instruction.versions.select_related("approved_by", "created_by").order_by("-number")
    )
    approved = next((v for v in versions if v.status == VersionStatus.APPROVED), None)
    draft = next((v for v in versions if v.is_editable), None)
    visible = [v for v in versions if sees_drafts or not v.is_editable]
    shown = next((v for v in visible if v.number == number), None) if number else None
    shown = shown or approved or (draft if sees_drafts else None)
    holders = InstructionHolder.objects.filter(instruction=instruction).aggregate(
        all=Count("pk"), shown=Count("pk", filter=Q(version=shown) if shown else Q(pk__in=[]))
    )
    requests = ReadRequest.objects.filter(
        version__instruction=instruction, confirmed_at__isnull=True
    ).aggregate(open=Count("pk"), late=Count("pk", filter=Q(due_on__lt=timezone.localdate())))
    signals = list(
        PracticeSignal.objects.filter(instruction=instruction)
        .select_related("raised_by", "step", "version")
        .order_by("-created_at")[:20]
    )
    return InstructionDetail(
        instruction=instruction,
        versions=visible,
        shown=shown,
        approved=approved,
        draft=draft,
        holders=holders["all"],
        holders_on_shown=holders["shown"],
        open_requests=requests["open"],
        late_requests=requests["late"],
        signals=signals,
    )


def station_instructions(code: StationCode) -> list[InstructionVersion]:
    """The approved versions of the instructions of the code's workstation (one query)."""
    if code.workstation_id is None:
        return []
    return list(
        InstructionVersion.objects.filter(
            instruction__workstation_id=code.workstation_id,
            instruction__is_archived=False,
            status=VersionStatus.APPROVED,
        )
        .select_related("instruction")
        .annotate(step_count=Count("steps"))
        .order_by("instruction__code")
    )


def open_read_requests(*, employee_id: int, limit: int = 10) -> list[ReadRequest]:
    return list(
        ReadRequest.objects.filter(employee_id=employee_id, confirmed_at__isnull=True)
        .select_related("version__instruction")
        .order_by("due_on", "id")[:limit]
    )


def open_signals(*, organisation_id: int, limit: int = 50) -> QuerySet[PracticeSignal]:
    return (
        PracticeSignal.objects.filter(
            organisation_id=organisation_id,
            status__in=(SignalStatus.OPEN, SignalStatus.ROUND_TABLE),
        )
        .select_related("instruction", "raised_by", "step", "version")
        .order_by("created_at")[:limit]
    )
