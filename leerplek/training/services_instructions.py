"""Work instructions as TWI Job Instruction breakdowns: writes (OJT-06, OJT-07, OJT-08, OJT-13).

An instruction has versions; only a draft changes. A draft holds the important steps (what to
do, verb first, a photo or short video each), every step its key points (how: safety, quality or
a knack) and the reason of each key point (why). Every text is a dict of language code to text;
the source language (Dutch) is always filled, the organisation's other languages are
translations a worker sees, with the Dutch shown (and marked) where a translation is missing.

Approval is four eyes (`training.approve_instructions`, not the one who started the draft unless
administrator). From version 2 on a change summary is required and everyone who holds the
instruction is asked to read and confirm it by a date, in one bulk insert; they keep their level
meanwhile. A holder confirms his own read request. Anyone raises a "two versions" signal about a
step; the owner, HR or the line holds a round table and closes it, possibly with a new version.

Every function validates first, writes inside one transaction and appends to the audit log.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Mapping
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import UploadedFile
from django.db import connection, models, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from leerplek.core import audit
from leerplek.core.errors import field_error
from leerplek.core.roles import Role
from leerplek.core.rules import access_of
from leerplek.people.models import Employee, Job, Organisation, User, Workstation
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
from leerplek.training.photos import photo_check

EDITABLE_STATUSES = (VersionStatus.DRAFT, VersionStatus.IN_REVIEW)

ERRORS = {
    "version_locked": _(
        "Version %(number)s of %(instruction)s is %(status)s: it can no longer change."
    ),
    "own_draft": _("You started this version: someone else approves it (four eyes)."),
    "change_summary": _(
        "Say in Dutch what changed: everyone who holds the instruction reads it before %(days)s "
        "days are over."
    ),
    "no_title": _("Give the instruction a title in Dutch."),
    "no_steps": _("Add at least one important step."),
    "other_organisation": _("This belongs to another organisation."),
    "code_required": _("Give the instruction a short code, e.g. WI-SAUS-01."),
    "code_taken": _("Another work instruction already has the code %(code)s."),
    "step_text": _(
        "Write the important step in Dutch first (short, starting with the verb, e.g. "
        "'Vul de emmer'); translations follow."
    ),
    "key_point_text": _("Write the key point in Dutch first: how is the step done well?"),
    "reason_text": _("Give the reason in Dutch: why does this key point matter?"),
    "kind_unknown": _("Choose the kind of key point: safety, quality or knack."),
    "language_unknown": _("%(code)s is not one of the organisation's instruction languages."),
    "language_code": _("Enter the two-letter ISO 639-1 code, e.g. pl, ro, tr or ar."),
    "language_name": _("Give the language's name as its readers write it, e.g. Polski."),
    "language_taken": _("This language is already on the list."),
    "language_source": _("Dutch is the source language: every instruction has it already."),
    "draft_open": _("Version %(number)s is already open as a draft: continue there."),
    "no_approved": _("There is no approved version to start from."),
    "first_version": _("Version 1 is the instruction's first draft; archive the instruction."),
    "direction_unknown": _("Move up or down."),
    "description_required": _("Describe the two versions: what you were shown, by whom."),
    "not_own": _("Only the person asked confirms he read the new version."),
    "already_confirmed": _("You confirmed this version already."),
    "signal_closed": _("This signal is closed."),
    "status_unknown": _("Choose what happened with the signal."),
    "resulting_version": _("Name the new version the round table led to."),
    "video_url": _("Give a link starting with https:// to the short video."),
    "workstation_removed": _("This workstation was removed."),
}


# The TWI rule of thumb: a job with more steps, or a step with more key points, is split.
def max_steps() -> int:
    return int(settings.LEERPLEK.get("INSTRUCTION_MAX_STEPS", 7))


def max_key_points() -> int:
    return int(settings.LEERPLEK.get("INSTRUCTION_MAX_KEY_POINTS", 5))


def _require(by: User, perm: str, obj: Any = None) -> None:
    if not by.has_perm(perm, obj):
        raise PermissionDenied


def _record(by: User | None, action: str, obj: Any, organisation: Any, **kw: Any) -> None:
    audit.record(actor=by, action=action, obj=obj, organisation=organisation, **kw)


def _same_organisation(field: str, obj: Any, organisation_id: int) -> None:
    if obj is not None and obj.organisation_id != organisation_id:
        raise field_error(field, ERRORS["other_organisation"], code="other_organisation")


def languages_of(organisation_id: int) -> dict[str, ContentLanguage]:
    return {
        row.code: row for row in ContentLanguage.objects.filter(organisation_id=organisation_id)
    }


def clean_texts(
    values: Mapping[str, Any] | None, allowed: Iterable[str], *, field: str, code: str
) -> dict[str, str]:
    """A texts dict limited to the allowed languages, stripped, the Dutch required."""
    allowed = set(allowed) | {SOURCE_LANGUAGE}
    texts = {
        str(lang): str(text).strip()
        for lang, text in (values or {}).items()
        if lang in allowed and str(text or "").strip()
    }
    if not texts.get(SOURCE_LANGUAGE):
        raise field_error(field, ERRORS[code], code=code)
    return texts


def _merge(
    old: Mapping[str, Any], new: Mapping[str, Any], allowed: Iterable[str]
) -> dict[str, str]:
    """Keep the translations not given in `new`; `new` wins for what it gives."""
    allowed = set(allowed) | {SOURCE_LANGUAGE}
    merged = {k: str(v) for k, v in old.items() if k in allowed and v}
    for lang, text in new.items():
        if lang not in allowed:
            continue
        text = str(text or "").strip()
        if text:
            merged[lang] = text
        else:
            merged.pop(lang, None)
    return merged


def _locked_version(version: InstructionVersion) -> InstructionVersion:
    return (
        InstructionVersion.objects.select_for_update()
        .select_related("instruction")
        .get(pk=version.pk)
    )


def _editable(version: InstructionVersion, by: User) -> InstructionVersion:
    """Check `by` may write `version` and that it may still change; return it locked."""
    _require(by, "training.author_instructions", version)
    locked = _locked_version(version)
    if locked.status not in EDITABLE_STATUSES:
        raise field_error(
            "version",
            ERRORS["version_locked"],
            code="version_locked",
            params={
                "number": locked.number,
                "instruction": locked.instruction,
                "status": locked.get_status_display().lower(),
            },
        )
    return locked


def _next_position(queryset: models.QuerySet[Any]) -> int:
    return int(queryset.aggregate(top=Max("position"))["top"] or 0) + 1


def _move(obj: Any, siblings: models.QuerySet[Any], direction: str) -> bool:
    if direction not in ("up", "down"):
        raise field_error("direction", ERRORS["direction_unknown"], code="direction_unknown")
    rows = list(siblings.order_by("position", "id"))
    index = next(i for i, row in enumerate(rows) if row.pk == obj.pk)
    other = index - 1 if direction == "up" else index + 1
    if other < 0 or other >= len(rows):
        return False
    rows[index], rows[other] = rows[other], rows[index]
    for position, row in enumerate(rows, start=1):
        row.position = position
    type(obj).objects.bulk_update(rows, ["position"])
    return True


def _check_video(url: str) -> str:
    url = (url or "").strip()
    if url and not url.startswith(("https://", "http://")):
        raise field_error("video_url", ERRORS["video_url"], code="video_url")
    return url


# --- Instructions and versions -------------------------------------------------------------------


@transaction.atomic
def instruction_create(
    *,
    organisation: Organisation,
    by: User,
    code: str,
    title: str,
    workstation: Workstation | None = None,
    job: Job | None = None,
    owner: User | None = None,
) -> WorkInstruction:
    """A new instruction with its draft version 1 (the title in Dutch)."""
    _require(by, "training.author_instructions")
    code = (code or "").strip()
    if not code:
        raise field_error("code", ERRORS["code_required"], code="code_required")
    if WorkInstruction.objects.filter(organisation=organisation, code__iexact=code).exists():
        raise field_error("code", ERRORS["code_taken"], code="code_taken", params={"code": code})
    title = (title or "").strip()
    if not title:
        raise field_error("title", ERRORS["no_title"], code="no_title")
    _same_organisation("workstation", workstation, organisation.pk)
    _same_organisation("job", job, organisation.pk)
    instruction = WorkInstruction.objects.create(
        organisation=organisation, code=code, workstation=workstation, job=job, owner=owner or by
    )
    InstructionVersion.objects.create(
        organisation=organisation,
        instruction=instruction,
        number=1,
        title={SOURCE_LANGUAGE: title},
        created_by=by,
        confirm_within_days=read_confirm_days(),
    )
    _record(by, "training.instruction_created", instruction, organisation, after={"code": code})
    return instruction


@transaction.atomic
def instruction_update(
    *,
    instruction: WorkInstruction,
    by: User,
    code: str,
    workstation: Workstation | None,
    job: Job | None,
    owner: User | None,
    is_archived: bool = False,
) -> WorkInstruction:
    _require(by, "training.author_instructions", instruction)
    code = (code or "").strip()
    if not code:
        raise field_error("code", ERRORS["code_required"], code="code_required")
    taken = WorkInstruction.objects.filter(
        organisation_id=instruction.organisation_id, code__iexact=code
    ).exclude(pk=instruction.pk)
    if taken.exists():
        raise field_error("code", ERRORS["code_taken"], code="code_taken", params={"code": code})
    _same_organisation("workstation", workstation, instruction.organisation_id)
    _same_organisation("job", job, instruction.organisation_id)
    before = {
        "code": instruction.code,
        "workstation": instruction.workstation_id,
        "job": instruction.job_id,
        "owner": instruction.owner_id,
        "is_archived": instruction.is_archived,
    }
    instruction.code = code
    instruction.workstation = workstation
    instruction.job = job
    instruction.owner = owner
    instruction.is_archived = is_archived
    instruction.save(update_fields=["code", "workstation", "job", "owner", "is_archived"])
    _record(
        by,
        "training.instruction_changed",
        instruction,
        instruction.organisation_id,
        before=before,
        after={
            "code": code,
            "workstation": getattr(workstation, "pk", None),
            "job": getattr(job, "pk", None),
            "owner": getattr(owner, "pk", None),
            "is_archived": is_archived,
        },
    )
    return instruction


@transaction.atomic
def version_update(
    *,
    version: InstructionVersion,
    by: User,
    title: Mapping[str, Any],
    quality_norm: Mapping[str, Any] | None = None,
    change_summary: Mapping[str, Any] | None = None,
    confirm_within_days: int | None = None,
) -> InstructionVersion:
    """The draft's title, quality norm and change summary (each a texts dict)."""
    locked = _editable(version, by)
    allowed = languages_of(locked.organisation_id)
    locked.title = _merge(locked.title, title, allowed)
    if not locked.title.get(SOURCE_LANGUAGE):
        raise field_error("title", ERRORS["no_title"], code="no_title")
    if quality_norm is not None:
        locked.quality_norm = _merge(locked.quality_norm, quality_norm, allowed)
    if change_summary is not None:
        locked.change_summary = _merge(locked.change_summary, change_summary, allowed)
    if confirm_within_days:
        locked.confirm_within_days = max(1, min(int(confirm_within_days), 365))
    locked.save(update_fields=["title", "quality_norm", "change_summary", "confirm_within_days"])
    _record(
        by,
        "training.instruction_version_changed",
        locked,
        locked.organisation_id,
        after={"title": locked.title.get(SOURCE_LANGUAGE)},
    )
    return locked


def _copy_version(source: InstructionVersion, target: InstructionVersion) -> None:
    """Copy steps and key points (photos are shared: a stored file never changes)."""
    steps = list(source.steps.order_by("position", "id").prefetch_related("key_points"))
    copies = InstructionStep.objects.bulk_create(
        InstructionStep(
            version=target,
            position=step.position,
            text=dict(step.text),
            photo=step.photo.name if step.photo else "",
            video_url=step.video_url,
        )
        for step in steps
    )
    KeyPoint.objects.bulk_create(
        KeyPoint(
            step=copy,
            position=point.position,
            kind=point.kind,
            text=dict(point.text),
            reason=dict(point.reason),
        )
        for step, copy in zip(steps, copies, strict=True)
        for point in step.key_points.all()
    )


@transaction.atomic
def instruction_version_draft(*, instruction: WorkInstruction, by: User) -> InstructionVersion:
    """Start the next version as a draft copy of the approved one (an approved version never
    changes)."""
    _require(by, "training.author_instructions", instruction)
    WorkInstruction.objects.select_for_update().get(pk=instruction.pk)
    open_draft = instruction.versions.filter(status__in=EDITABLE_STATUSES).first()
    if open_draft is not None:
        raise field_error(
            "version",
            ERRORS["draft_open"],
            code="draft_open",
            params={"number": open_draft.number},
        )
    source = instruction.versions.filter(status=VersionStatus.APPROVED).first()
    if source is None:
        raise field_error("version", ERRORS["no_approved"], code="no_approved")
    number = int(instruction.versions.aggregate(top=Max("number"))["top"] or 0) + 1
    draft = InstructionVersion.objects.create(
        organisation_id=instruction.organisation_id,
        instruction=instruction,
        number=number,
        title=dict(source.title),
        quality_norm=dict(source.quality_norm),
        created_by=by,
        confirm_within_days=read_confirm_days(),
    )
    _copy_version(source, draft)
    _record(
        by,
        "training.instruction_version_started",
        draft,
        instruction.organisation_id,
        after={"number": number, "from": source.number},
    )
    return draft


@transaction.atomic
def version_discard(*, version: InstructionVersion, by: User) -> WorkInstruction:
    locked = _editable(version, by)
    if locked.number == 1:
        raise field_error("version", ERRORS["first_version"], code="first_version")
    instruction = locked.instruction
    _record(
        by,
        "training.instruction_version_discarded",
        instruction,
        instruction.organisation_id,
        before={"number": locked.number},
    )
    locked.delete()
    return instruction


def approval_problems(version: InstructionVersion) -> list[str]:
    """What stops approval, in words (shown on the approval page before the button)."""
    problems = []
    if not str(version.title.get(SOURCE_LANGUAGE) or "").strip():
        problems.append(str(ERRORS["no_title"]))
    if not version.steps.exists():
        problems.append(str(ERRORS["no_steps"]))
    if version.number >= 2 and not str(version.change_summary.get(SOURCE_LANGUAGE) or "").strip():
        problems.append(str(ERRORS["change_summary"]) % {"days": read_confirm_days()})
    return problems


# --- Steps and key points ------------------------------------------------------------------------


@transaction.atomic
def step_add(
    *,
    version: InstructionVersion,
    by: User,
    text: Mapping[str, Any],
    photo: UploadedFile | None = None,
    video_url: str = "",
) -> InstructionStep:
    """Add an important step at the end. The Dutch text is required; a photo is checked by its
    content and size."""
    locked = _editable(version, by)
    texts = clean_texts(text, languages_of(locked.organisation_id), field="text", code="step_text")
    video_url = _check_video(video_url)
    if photo is not None:
        photo_check(photo, field="photo", label=_("Photo"))
    step = InstructionStep(
        version=locked,
        position=_next_position(locked.steps.all()),
        text=texts,
        video_url=video_url,
    )
    if photo is not None:
        step.photo.save(photo.name or "photo", photo, save=False)
    try:
        step.save()
    except BaseException:
        if step.photo:
            step.photo.storage.delete(step.photo.name)
        raise
    _record(
        by,
        "training.instruction_step_added",
        step,
        locked.organisation_id,
        after={"version": locked.pk, "text": texts[SOURCE_LANGUAGE]},
    )
    return step


@transaction.atomic
def step_update(
    *,
    step: InstructionStep,
    by: User,
    text: Mapping[str, Any],
    photo: UploadedFile | None = None,
    video_url: str = "",
    remove_photo: bool = False,
) -> InstructionStep:
    locked = _editable(step.version, by)
    merged = _merge(step.text, text, languages_of(locked.organisation_id))
    if not merged.get(SOURCE_LANGUAGE):
        raise field_error("text", ERRORS["step_text"], code="step_text")
    video_url = _check_video(video_url)
    if photo is not None:
        photo_check(photo, field="photo", label=_("Photo"))
    before = {"text": step.text.get(SOURCE_LANGUAGE), "photo": step.photo.name or ""}
    step.text = merged
    step.video_url = video_url
    if remove_photo and photo is None:
        # The stored file stays: an approved version may still show it.
        step.photo = ""
    if photo is not None:
        step.photo.save(photo.name or "photo", photo, save=False)
    step.save(update_fields=["text", "video_url", "photo"])
    _record(
        by,
        "training.instruction_step_changed",
        step,
        locked.organisation_id,
        before=before,
        after={"text": merged[SOURCE_LANGUAGE], "photo": step.photo.name or ""},
    )
    return step


@transaction.atomic
def step_move(*, step: InstructionStep, by: User, direction: str) -> bool:
    locked = _editable(step.version, by)
    moved = _move(step, locked.steps.all(), direction)
    _record(
        by, "training.instruction_step_moved", step, locked.organisation_id, after={"to": direction}
    )
    return moved


@transaction.atomic
def step_remove(*, step: InstructionStep, by: User) -> None:
    locked = _editable(step.version, by)
    _record(
        by,
        "training.instruction_step_removed",
        locked,
        locked.organisation_id,
        before={"text": step.text.get(SOURCE_LANGUAGE)},
    )
    step.delete()
    rows = list(locked.steps.order_by("position", "id"))
    for position, row in enumerate(rows, start=1):
        row.position = position
    InstructionStep.objects.bulk_update(rows, ["position"])


def _check_kind(kind: str) -> str:
    if kind not in KeyPointKind.values:
        raise field_error("kind", ERRORS["kind_unknown"], code="kind_unknown")
    return kind


@transaction.atomic
def key_point_add(
    *,
    step: InstructionStep,
    by: User,
    kind: str,
    text: Mapping[str, Any],
    reason: Mapping[str, Any],
) -> KeyPoint:
    """A key point (how) with its reason (why), both in Dutch at least. Safety key points are
    shown first, whatever their order."""
    locked = _editable(step.version, by)
    allowed = languages_of(locked.organisation_id)
    kind = _check_kind(kind)
    texts = clean_texts(text, allowed, field="text", code="key_point_text")
    reasons = clean_texts(reason, allowed, field="reason", code="reason_text")
    point = KeyPoint.objects.create(
        step=step,
        position=_next_position(step.key_points.all()),
        kind=kind,
        text=texts,
        reason=reasons,
    )
    _record(
        by,
        "training.instruction_key_point_added",
        point,
        locked.organisation_id,
        after={"kind": kind, "text": texts[SOURCE_LANGUAGE]},
    )
    return point


@transaction.atomic
def key_point_update(
    *,
    point: KeyPoint,
    by: User,
    kind: str,
    text: Mapping[str, Any],
    reason: Mapping[str, Any],
) -> KeyPoint:
    locked = _editable(point.step.version, by)
    allowed = languages_of(locked.organisation_id)
    kind = _check_kind(kind)
    texts = _merge(point.text, text, allowed)
    reasons = _merge(point.reason, reason, allowed)
    if not texts.get(SOURCE_LANGUAGE):
        raise field_error("text", ERRORS["key_point_text"], code="key_point_text")
    if not reasons.get(SOURCE_LANGUAGE):
        raise field_error("reason", ERRORS["reason_text"], code="reason_text")
    before = {"kind": point.kind, "text": point.text.get(SOURCE_LANGUAGE)}
    point.kind, point.text, point.reason = kind, texts, reasons
    point.save(update_fields=["kind", "text", "reason"])
    _record(
        by,
        "training.instruction_key_point_changed",
        point,
        locked.organisation_id,
        before=before,
        after={"kind": kind, "text": texts[SOURCE_LANGUAGE]},
    )
    return point


@transaction.atomic
def key_point_move(*, point: KeyPoint, by: User, direction: str) -> bool:
    locked = _editable(point.step.version, by)
    moved = _move(point, point.step.key_points.all(), direction)
    _record(
        by,
        "training.instruction_key_point_moved",
        point,
        locked.organisation_id,
        after={"to": direction},
    )
    return moved


@transaction.atomic
def key_point_remove(*, point: KeyPoint, by: User) -> None:
    locked = _editable(point.step.version, by)
    _record(
        by,
        "training.instruction_key_point_removed",
        point.step,
        locked.organisation_id,
        before={"text": point.text.get(SOURCE_LANGUAGE)},
    )
    step = point.step
    point.delete()
    rows = list(step.key_points.order_by("position", "id"))
    for position, row in enumerate(rows, start=1):
        row.position = position
    KeyPoint.objects.bulk_update(rows, ["position"])


@transaction.atomic
def translation_save(
    *, version: InstructionVersion, by: User, language: str, texts: Mapping[str, str]
) -> int:
    """Save the translation of a whole draft into `language` at once. `texts` keys: "title",
    "quality_norm", "change_summary", "step-<id>", "point-<id>", "reason-<id>"; an empty text
    removes that translation (the worker then sees the Dutch, marked). Returns the number of
    texts now translated."""
    locked = _editable(version, by)
    if language == SOURCE_LANGUAGE or language not in languages_of(locked.organisation_id):
        raise field_error(
            "language",
            ERRORS["language_unknown"],
            code="language_unknown",
            params={"code": language},
        )

    def put(current: Mapping[str, Any], key: str) -> dict[str, Any]:
        value = dict(current)
        text = str(texts.get(key) or "").strip()
        if text:
            value[language] = text
        else:
            value.pop(language, None)
        return value

    for name in ("title", "quality_norm", "change_summary"):
        if name in texts:
            setattr(locked, name, put(getattr(locked, name), name))
    locked.save(update_fields=["title", "quality_norm", "change_summary"])
    steps = list(locked.steps.prefetch_related("key_points"))
    points: list[KeyPoint] = []
    for step in steps:
        if f"step-{step.pk}" in texts:
            step.text = put(step.text, f"step-{step.pk}")
        for point in step.key_points.all():
            if f"point-{point.pk}" in texts:
                point.text = put(point.text, f"point-{point.pk}")
            if f"reason-{point.pk}" in texts:
                point.reason = put(point.reason, f"reason-{point.pk}")
            points.append(point)
    InstructionStep.objects.bulk_update(steps, ["text"])
    KeyPoint.objects.bulk_update(points, ["text", "reason"])
    done = sum(1 for step in steps if step.text.get(language)) + sum(
        1 for point in points if point.text.get(language)
    )
    _record(
        by,
        "training.instruction_translated",
        locked,
        locked.organisation_id,
        after={"language": language, "translated": done},
    )
    return done


# --- Languages -----------------------------------------------------------------------------------


@transaction.atomic
def language_add(
    *, organisation: Organisation, by: User, code: str, name: str, is_rtl: bool = False
) -> ContentLanguage:
    _require(by, "training.manage_languages")
    code = (code or "").strip().lower()
    if code == SOURCE_LANGUAGE:
        raise field_error("code", ERRORS["language_source"], code="language_source")
    if not (2 <= len(code) <= 3 and code.isalpha() and code.isascii()):
        raise field_error("code", ERRORS["language_code"], code="language_code")
    name = (name or "").strip()
    if not name:
        raise field_error("name", ERRORS["language_name"], code="language_name")
    if ContentLanguage.objects.filter(organisation=organisation, code=code).exists():
        raise field_error("code", ERRORS["language_taken"], code="language_taken")
    language = ContentLanguage.objects.create(
        organisation=organisation, code=code, name=name, is_rtl=is_rtl
    )
    _record(by, "training.language_added", language, organisation, after={"code": code})
    return language


@transaction.atomic
def language_remove(*, language: ContentLanguage, by: User) -> None:
    """Take a language off the list; texts already translated stay stored (adding the language
    again shows them)."""
    _require(by, "training.manage_languages")
    _record(
        by,
        "training.language_removed",
        language.organisation,
        language.organisation_id,
        before={"code": language.code},
    )
    language.delete()


# --- Station codes -------------------------------------------------------------------------------


def station_code_for(workstation: Workstation) -> StationCode:
    """The QR code of a workstation: made on first print, the same one afterwards."""
    code, _made = StationCode.objects.get_or_create(
        workstation=workstation,
        defaults={"organisation_id": workstation.organisation_id, "label": workstation.name},
    )
    if code.label != workstation.name:
        code.label = workstation.name
        code.save(update_fields=["label"])
    return code


# --- Reading a new version -----------------------------------------------------------------------


@transaction.atomic
def read_confirm(*, request: ReadRequest, by: User) -> ReadRequest:
    """The holder confirms he read the new version: he now holds it."""
    locked = (
        ReadRequest.objects.select_for_update()
        .select_related("employee", "version")
        .get(pk=request.pk)
    )
    if locked.employee.user_id != by.pk:
        raise field_error("employee", ERRORS["not_own"], code="not_own")
    if locked.confirmed_at is not None:
        raise field_error("confirmed_at", ERRORS["already_confirmed"], code="already_confirmed")
    now = timezone.now()
    locked.confirmed_at = now
    locked.save(update_fields=["confirmed_at"])
    InstructionHolder.objects.filter(
        instruction_id=locked.version.instruction_id, employee_id=locked.employee_id
    ).update(version_id=locked.version_id)
    _record(
        by,
        "training.instruction_read",
        locked,
        locked.organisation_id,
        after={"version": locked.version_id, "late": timezone.localdate() > locked.due_on},
    )
    return locked


# --- Two versions of a step (OJT-13) -------------------------------------------------------------


@transaction.atomic
def signal_raise(
    *,
    instruction: WorkInstruction,
    by: User,
    raised_by: Employee | None,
    description: str,
    step: InstructionStep | None = None,
) -> PracticeSignal:
    _require(by, "training.raise_signal", instruction)
    description = (description or "").strip()
    if not description:
        raise field_error(
            "description", ERRORS["description_required"], code="description_required"
        )
    if raised_by is None:
        raise PermissionDenied
    version = instruction.versions.filter(status=VersionStatus.APPROVED).first()
    if version is None:
        version = instruction.versions.order_by("-number").first()
    assert version is not None
    if step is not None and step.version.instruction_id != instruction.pk:
        raise field_error("step", ERRORS["other_organisation"], code="other_organisation")
    signal = PracticeSignal.objects.create(
        organisation_id=instruction.organisation_id,
        instruction=instruction,
        version=version,
        step=step,
        raised_by=raised_by,
        description=description,
    )
    _record(
        by,
        "training.practice_signal_raised",
        signal,
        instruction.organisation_id,
        after={"step": getattr(step, "pk", None)},
    )
    return signal


@transaction.atomic
def signal_handle(
    *,
    signal: PracticeSignal,
    by: User,
    status: str,
    round_table_on: datetime.date | None = None,
    participants: str = "",
    outcome: str = "",
    resulting_version: InstructionVersion | None = None,
) -> PracticeSignal:
    """Plan the round table or close the signal (no change, or a new version)."""
    _require(by, "training.handle_signals", signal.instruction)
    locked = PracticeSignal.objects.select_for_update().get(pk=signal.pk)
    if locked.status in (SignalStatus.NO_CHANGE, SignalStatus.NEW_VERSION):
        raise field_error("status", ERRORS["signal_closed"], code="signal_closed")
    if status not in SignalStatus.values or status == SignalStatus.OPEN:
        raise field_error("status", ERRORS["status_unknown"], code="status_unknown")
    if status == SignalStatus.NEW_VERSION and (
        resulting_version is None or resulting_version.instruction_id != locked.instruction_id
    ):
        raise field_error(
            "resulting_version", ERRORS["resulting_version"], code="resulting_version"
        )
    locked.status = status
    locked.round_table_on = round_table_on
    locked.participants = (participants or "").strip()[:300]
    locked.outcome = (outcome or "").strip()
    locked.resulting_version = resulting_version
    if status in (SignalStatus.NO_CHANGE, SignalStatus.NEW_VERSION):
        locked.closed_by = by
        locked.closed_at = timezone.now()
    locked.save()
    _record(
        by,
        "training.practice_signal_handled",
        locked,
        locked.organisation_id,
        after={"status": status, "round_table_on": round_table_on},
    )
    return locked


def read_confirm_days() -> int:
    return int(settings.LEERPLEK.get("READ_CONFIRM_DAYS", 14))


def fan_out_read_requests(*, version: InstructionVersion, due_on: datetime.date) -> int:
    """Ask everyone who holds an older version of the instruction to read `version`, in ONE
    INSERT ... SELECT (a fixed number of queries whatever the number of holders). Holders keep
    their row and level meanwhile. Returns how many requests were made."""
    holder = InstructionHolder._meta.db_table
    request = ReadRequest._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {request} (organisation_id, version_id, employee_id, due_on, created_at) "  # noqa: S608
            f"SELECT h.organisation_id, %s, h.employee_id, %s, %s FROM {holder} h "
            "WHERE h.instruction_id = %s AND h.version_id <> %s "
            "ON CONFLICT (version_id, employee_id) DO NOTHING",
            [version.pk, due_on, timezone.now(), version.instruction_id, version.pk],
        )
        return int(cursor.rowcount)


@transaction.atomic
def version_approve(*, version: InstructionVersion, by: User) -> InstructionVersion:
    """Approve a draft of a work instruction; the approved version it replaces is superseded.

    Four eyes: `by` holds `training.approve_instructions` and did not start the draft (an
    administrator may). From version 2 on a change summary in Dutch is required, and everyone
    holding the previous version gets a read request due READ_CONFIRM_DAYS ahead (one bulk
    insert). Raises ValidationError on "version", "approved_by", "title", "steps" or
    "change_summary"."""
    _require(by, "training.approve_instructions", version)
    instruction = WorkInstruction.objects.select_for_update().get(pk=version.instruction_id)
    locked = InstructionVersion.objects.select_for_update().get(pk=version.pk)
    if locked.status not in EDITABLE_STATUSES:
        raise field_error(
            "version",
            ERRORS["version_locked"],
            code="version_locked",
            params={
                "number": locked.number,
                "instruction": instruction,
                "status": locked.get_status_display().lower(),
            },
        )
    if locked.created_by_id == by.pk and not access_of(by).has_role(Role.ADMIN):
        raise field_error("approved_by", ERRORS["own_draft"], code="own_draft")
    if not str(locked.title.get(SOURCE_LANGUAGE) or "").strip():
        raise field_error("title", ERRORS["no_title"], code="no_title")
    if not locked.steps.exists():
        raise field_error("steps", ERRORS["no_steps"], code="no_steps")
    days = read_confirm_days()
    if locked.number >= 2 and not str(locked.change_summary.get(SOURCE_LANGUAGE) or "").strip():
        raise field_error(
            "change_summary", ERRORS["change_summary"], code="change_summary", params={"days": days}
        )
    superseded = InstructionVersion.objects.filter(
        instruction=instruction, status=VersionStatus.APPROVED
    ).update(status=VersionStatus.SUPERSEDED)
    locked.status = VersionStatus.APPROVED
    locked.approved_by = by
    locked.approved_at = timezone.now()
    locked.confirm_within_days = days
    locked.save(update_fields=["status", "approved_by", "approved_at", "confirm_within_days"])
    asked = 0
    if locked.number >= 2:
        due_on = timezone.localdate() + datetime.timedelta(days=days)
        asked = fan_out_read_requests(version=locked, due_on=due_on)
    audit.record(
        actor=by,
        action="training.instruction_version_approved",
        obj=locked,
        organisation=locked.organisation,
        before={"superseded": bool(superseded)},
        after={"number": locked.number, "read_requests": asked},
    )
    version.status = locked.status
    version.approved_by = by
    version.approved_at = locked.approved_at
    return locked


@transaction.atomic
def holders_qualify(
    *,
    instructions: Iterable[WorkInstruction],
    employee: Employee,
    on: datetime.date,
    by: User,
) -> int:
    """Mark `employee` as holder of the current approved version of each instruction (called when
    a module that teaches them is signed off). Open read requests of older versions stay; a
    request for the version he now holds is confirmed. Returns how many instructions he holds
    now on their current version. Instructions without an approved version are skipped."""
    ids = [i.pk for i in instructions]
    if not ids:
        return 0
    current = list(
        InstructionVersion.objects.filter(
            instruction_id__in=ids,
            status=VersionStatus.APPROVED,
            organisation_id=employee.organisation_id,
        ).only("id", "instruction_id", "organisation_id")
    )
    if not current:
        return 0
    InstructionHolder.objects.bulk_create(
        [
            InstructionHolder(
                organisation_id=v.organisation_id,
                instruction_id=v.instruction_id,
                employee=employee,
                version_id=v.pk,
                since=on,
            )
            for v in current
        ],
        update_conflicts=True,
        unique_fields=["instruction", "employee"],
        update_fields=["version", "since"],
    )
    ReadRequest.objects.filter(
        employee=employee, version_id__in=[v.pk for v in current], confirmed_at__isnull=True
    ).update(confirmed_at=timezone.now())
    audit.record(
        actor=by,
        action="training.instruction_holders_qualified",
        obj=employee,
        organisation=employee.organisation,
        after={"versions": [v.pk for v in current], "on": on.isoformat()},
    )
    return len(current)
