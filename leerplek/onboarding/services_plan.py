"""Writes while an onboarding runs (ONB-05, ONB-07..09, ONB-12): changing a started plan,
completing or cancelling it, the newcomer ticking his own tasks, his notebook, observations by
experienced colleagues and the release to independent work that closes work-floor tasks.

Every function checks the permission of `by`, validates before it writes, writes inside one
transaction and appends to the audit log. A completed or cancelled plan is read-only.
"""

from __future__ import annotations

import datetime
import uuid
from pathlib import PurePosixPath
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from leerplek.competences import evidence
from leerplek.core import audit
from leerplek.core.errors import field_error
from leerplek.onboarding import services
from leerplek.onboarding.models import (
    NotebookEntry,
    Observation,
    Onboarding,
    OnboardingStatus,
    OnboardingTask,
    TaskOwner,
)
from leerplek.people.models import Employee, User, Workstation

PLAN_TASK_FIELDS = ["section", "title", "owner", "due_on", "how", "on_work_floor", "workstation"]
MAX_SHIFT_DAYS = 365

# Photos of the notebook: the evidence types without PDF (a tip is a picture).
PHOTO_TYPES = {suffix: kind for suffix, kind in evidence.ACCEPTED.items() if kind[0] != "pdf"}

ERRORS = {
    "plan_closed": _(
        "This onboarding is %(status)s since %(date)s; a closed plan cannot change. Start a new "
        "onboarding if the person needs one."
    ),
    "task_done": _(
        "%(title)s was done on %(date)s; a task that is done stays in the plan as a record."
    ),
    "due_before_start": _(
        "The due date cannot be more than 60 days before the start (%(start)s); choose a later "
        "date."
    ),
    "other_organisation": _("Choose one from this organisation."),
    "other_onboarding": _("Choose a task of this onboarding."),
    "no_days": _("Enter a number of days other than 0: positive moves later, negative earlier."),
    "too_many_days": _("Move by at most %(max)s days at once."),
    "no_open_tasks": _("Every task of this plan is done; there is nothing to move."),
    "end_before_start": _("The end date cannot be before the start of the onboarding (%(start)s)."),
    "future_date": _("The date cannot be in the future; today is %(today)s."),
    "cancel_needs_note": _(
        "Say why the onboarding stops, for example: the person left on 3 March."
    ),
    "not_yours": _("This is not a task of your own onboarding."),
    "not_newcomer_task": _(
        "%(owner)s does this task, not you; ask them to mark it done when it is."
    ),
    "empty_tip": _("Write a tip or add a photo; an empty note is of no use."),
    "photo_type": _("Add a photo (JPG, PNG, WEBP or HEIC); %(name)s is not one of these."),
    "photo_content": _("%(name)s is not a real %(kind)s photo inside; add the original photo."),
    "photo_size": _(
        "%(name)s is %(size)s MB; add a photo of at most %(max)s MB (a smaller one will do)."
    ),
    "photo_empty": _("%(name)s is empty; add the photo again."),
    "no_observer": _(
        "Your user account is not linked to a person of this organisation, so the observation "
        "would have no observer. Ask HR to link it."
    ),
    "own_observation": _("A newcomer cannot record an observation about himself."),
    "before_start": _("The date cannot be before the start of the onboarding (%(start)s)."),
    "feedback_required": _(
        "Write the feedback you gave the newcomer; an observation without it does not help him."
    ),
}


def _check(by: User | None, perm: str, obj: Any) -> None:
    if by is None or not by.has_perm(perm, obj):
        raise PermissionDenied


def _locked(onboarding: Onboarding, field: str = "__all__") -> Onboarding:
    """The onboarding row, locked, with its person; refused when it is no longer active."""
    locked = (
        Onboarding.objects.select_for_update(of=("self",))
        .select_related("employee", "employee__unit", "organisation")
        .get(pk=onboarding.pk)
    )
    _refuse_closed(locked, field)
    return locked


def _refuse_closed(onboarding: Onboarding, field: str) -> None:
    if onboarding.status != OnboardingStatus.ACTIVE:
        raise field_error(
            field,
            ERRORS["plan_closed"],
            code="plan_closed",
            params={
                "status": onboarding.get_status_display().lower(),
                "date": onboarding.ended_on or onboarding.end_date,
            },
        )


def _check_due(onboarding: Onboarding, due_on: datetime.date) -> None:
    if due_on < onboarding.start_date - datetime.timedelta(days=60):
        raise field_error(
            "due_on",
            ERRORS["due_before_start"],
            code="due_before_start",
            params={"start": onboarding.start_date},
        )


def _check_workstation(onboarding: Onboarding, workstation: Workstation | None) -> None:
    if workstation is not None and workstation.organisation_id != onboarding.organisation_id:
        raise field_error("workstation", ERRORS["other_organisation"], code="other_organisation")


# --- Editing a started plan ----------------------------------------------------------------------


@transaction.atomic
def plan_task_add(
    *,
    onboarding: Onboarding,
    by: User | None,
    section: str,
    title: str,
    owner: str,
    due_on: datetime.date,
    how: str = "",
    on_work_floor: bool = False,
    workstation: Workstation | None = None,
) -> OnboardingTask:
    """Add a task to a running onboarding.

    Rules: the plan is active; the due date is at most 60 days before the start (like a
    template's offset); the workstation is of this organisation. Raises ValidationError on
    "due_on", "workstation" or "__all__"; PermissionDenied without manage_onboarding.
    """
    _check(by, "onboarding.manage_onboarding", onboarding)
    onboarding = _locked(onboarding)
    _check_due(onboarding, due_on)
    _check_workstation(onboarding, workstation)
    task = OnboardingTask.objects.create(
        onboarding=onboarding,
        section=section,
        title=title,
        owner=owner,
        due_on=due_on,
        how=how,
        on_work_floor=on_work_floor,
        workstation=workstation,
        position=onboarding.tasks.count(),
    )
    audit.record(
        actor=by,
        action="onboarding.task_added",
        obj=task,
        organisation=onboarding.organisation,
        after={"onboarding": onboarding.pk, **audit.snapshot(task, PLAN_TASK_FIELDS)},
    )
    return task


@transaction.atomic
def plan_task_update(*, task: OnboardingTask, by: User | None, **values: Any) -> OnboardingTask:
    """Change a task's section, title, owner, due date, how, work-floor flag or workstation.

    Rules: the plan is active; a task that is done no longer changes (it is the record of what
    happened); same date and workstation rules as `plan_task_add`.
    """
    _check(by, "onboarding.manage_onboarding", task.onboarding)
    onboarding = _locked(task.onboarding)
    task = OnboardingTask.objects.select_for_update().get(pk=task.pk)
    if task.done_on is not None:
        raise field_error(
            "__all__",
            ERRORS["task_done"],
            code="task_done",
            params={"title": task.title, "date": task.done_on},
        )
    _check_due(onboarding, values.get("due_on", task.due_on))
    _check_workstation(onboarding, values.get("workstation", task.workstation))
    before = audit.snapshot(task, PLAN_TASK_FIELDS)
    for name in PLAN_TASK_FIELDS:
        if name in values:
            setattr(task, name, values[name])
    task.save()
    old, new = audit.changed(before, audit.snapshot(task, PLAN_TASK_FIELDS))
    if new:
        audit.record(
            actor=by,
            action="onboarding.task_changed",
            obj=task,
            organisation=onboarding.organisation,
            before=old,
            after={"onboarding": onboarding.pk, **new},
        )
    return task


@transaction.atomic
def plan_task_remove(*, task: OnboardingTask, by: User | None) -> None:
    """Remove a task that is not done from a running onboarding."""
    _check(by, "onboarding.manage_onboarding", task.onboarding)
    onboarding = _locked(task.onboarding)
    task = OnboardingTask.objects.select_for_update().get(pk=task.pk)
    if task.done_on is not None:
        raise field_error(
            "__all__",
            ERRORS["task_done"],
            code="task_done",
            params={"title": task.title, "date": task.done_on},
        )
    audit.record(
        actor=by,
        action="onboarding.task_removed",
        obj=task,
        organisation=onboarding.organisation,
        before={"onboarding": onboarding.pk, **audit.snapshot(task, PLAN_TASK_FIELDS)},
    )
    task.delete()


@transaction.atomic
def plan_shift(*, onboarding: Onboarding, by: User | None, days: int) -> int:
    """Move every open task of the plan by `days` (negative is earlier), for example when the
    first day moved or the newcomer was ill. Done tasks keep their date. Returns how many moved.

    Rules: the plan is active; 0 < |days| <= 365; at least one open task. Raises ValidationError
    on "days".
    """
    _check(by, "onboarding.manage_onboarding", onboarding)
    onboarding = _locked(onboarding, "days")
    if days == 0:
        raise field_error("days", ERRORS["no_days"], code="no_days")
    if abs(days) > MAX_SHIFT_DAYS:
        raise field_error(
            "days", ERRORS["too_many_days"], code="too_many_days", params={"max": MAX_SHIFT_DAYS}
        )
    open_tasks = list(onboarding.tasks.select_for_update().filter(done_on__isnull=True))
    if not open_tasks:
        raise field_error("days", ERRORS["no_open_tasks"], code="no_open_tasks")
    delta = datetime.timedelta(days=days)
    earliest = min(task.due_on for task in open_tasks) + delta
    if earliest < onboarding.start_date - datetime.timedelta(days=60):
        raise field_error(
            "days",
            ERRORS["due_before_start"],
            code="due_before_start",
            params={"start": onboarding.start_date},
        )
    for task in open_tasks:
        task.due_on += delta
    OnboardingTask.objects.bulk_update(open_tasks, ["due_on"])
    audit.record(
        actor=by,
        action="onboarding.tasks_moved",
        obj=onboarding,
        after={"days": days, "tasks": len(open_tasks)},
    )
    return len(open_tasks)


def _end(
    *,
    onboarding: Onboarding,
    by: User | None,
    status: str,
    ended_on: datetime.date,
    note: str,
    action: str,
) -> Onboarding:
    _check(by, "onboarding.manage_onboarding", onboarding)
    onboarding = _locked(onboarding, "ended_on")
    today = timezone.localdate()
    if ended_on > today:
        raise field_error(
            "ended_on", ERRORS["future_date"], code="future_date", params={"today": today}
        )
    if ended_on < onboarding.start_date:
        raise field_error(
            "ended_on",
            ERRORS["end_before_start"],
            code="end_before_start",
            params={"start": onboarding.start_date},
        )
    onboarding.status = status
    onboarding.ended_on = ended_on
    onboarding.end_note = note.strip()
    onboarding.save(update_fields=["status", "ended_on", "end_note"])
    audit.record(
        actor=by,
        action=action,
        obj=onboarding,
        before={"status": OnboardingStatus.ACTIVE},
        after={"status": status, "ended_on": ended_on, "end_note": onboarding.end_note},
    )
    return onboarding


@transaction.atomic
def onboarding_complete(
    *, onboarding: Onboarding, by: User | None, ended_on: datetime.date, note: str = ""
) -> Onboarding:
    """Close an onboarding that reached its goal; it becomes read-only. Open tasks stay open
    (they show what was skipped).

    Rules: active; the date is not in the future nor before the start. Raises ValidationError on
    "ended_on".
    """
    return _end(
        onboarding=onboarding,
        by=by,
        status=OnboardingStatus.COMPLETED,
        ended_on=ended_on,
        note=note,
        action="onboarding.completed",
    )


@transaction.atomic
def onboarding_cancel(
    *, onboarding: Onboarding, by: User | None, ended_on: datetime.date, note: str
) -> Onboarding:
    """Stop an onboarding early, for example because the person left; it becomes read-only.

    Rules: as `onboarding_complete`, and a note saying why is required (ValidationError on
    "note").
    """
    if not note.strip():
        _check(by, "onboarding.manage_onboarding", onboarding)
        raise field_error("note", ERRORS["cancel_needs_note"], code="cancel_needs_note")
    return _end(
        onboarding=onboarding,
        by=by,
        status=OnboardingStatus.CANCELLED,
        ended_on=ended_on,
        note=note,
        action="onboarding.cancelled",
    )


# --- The newcomer ticks his own tasks ------------------------------------------------------------


@transaction.atomic
def own_task_mark_done(*, task: OnboardingTask, by: User) -> OnboardingTask:
    """The newcomer marks one of HIS tasks (owner "newcomer") done from his own page.

    Rules: it is a task of his own onboarding (PermissionDenied otherwise); he is its owner; and
    the rules of `services.task_mark_done` (active plan, not done yet, a work-floor task needs a
    peter/meter). Raises ValidationError on "done_on".
    """
    onboarding = Onboarding.objects.select_related("employee", "employee__unit").get(
        pk=task.onboarding_id
    )
    _check(by, "onboarding.view_own", onboarding.employee)
    if task.owner != TaskOwner.NEWCOMER:
        raise field_error(
            "done_on",
            ERRORS["not_newcomer_task"],
            code="not_newcomer_task",
            params={"owner": task.get_owner_display()},
        )
    return services.task_mark_done(task=task, by=by)


# --- Notebook (ONB-07) ---------------------------------------------------------------------------


def check_photo(file: UploadedFile) -> None:
    """A photo is a JPG, PNG, WEBP or HEIC whose first bytes say so, not larger than
    LEERPLEK["EVIDENCE_MAX_MB"]. Raises ValidationError on "photo"."""
    try:
        evidence.check_upload(
            file, accepted=PHOTO_TYPES, limit=evidence.max_bytes(), errors=ERRORS, prefix="photo"
        )
    except ValidationError as error:
        raise ValidationError({"photo": error.error_list}) from error


@transaction.atomic
def notebook_add(
    *,
    onboarding: Onboarding,
    by: User,
    text: str = "",
    photo: UploadedFile | None = None,
    task: OnboardingTask | None = None,
) -> NotebookEntry:
    """The newcomer writes a tip in his notebook: text, a photo, or both, maybe about one task.

    Rules: his own active onboarding (PermissionDenied for anyone else); text or photo; the
    task belongs to this onboarding; the photo passes `check_photo`. The photo is stored under a
    random name and removed again when the write fails. Raises ValidationError on "text",
    "photo" or "task".
    """
    _check(by, "onboarding.write_notebook", onboarding.employee)
    onboarding = _locked(onboarding, "text")
    text = text.strip()
    if not text and photo is None:
        raise field_error("text", ERRORS["empty_tip"], code="empty_tip")
    if task is not None and task.onboarding_id != onboarding.pk:
        raise field_error("task", ERRORS["other_onboarding"], code="other_onboarding")
    if photo is not None:
        check_photo(photo)
    entry = NotebookEntry(onboarding=onboarding, task=task, text=text, created_by=by)
    stored = ""
    if photo is not None:
        suffix = PurePosixPath(photo.name or "").suffix.lower()
        # A random name: the original may carry a person's name; the download view checks access.
        entry.photo.save(f"{onboarding.organisation_id}/{uuid.uuid4().hex}{suffix}", photo, False)
        stored = entry.photo.name
    try:
        entry.save()
        audit.record(
            actor=by,
            action="onboarding.note_written",
            obj=entry,
            organisation=onboarding.organisation,
            after={
                "onboarding": onboarding.pk,
                "task": task.pk if task else None,
                "text": text,
                "photo": bool(stored),
            },
        )
    except BaseException:
        if stored:
            entry.photo.storage.delete(stored)
        raise
    return entry


@transaction.atomic
def notebook_remove(*, entry: NotebookEntry, by: User) -> None:
    """The newcomer removes one of his tips (with its photo) while his onboarding runs."""
    onboarding = Onboarding.objects.select_related("employee", "employee__unit").get(
        pk=entry.onboarding_id
    )
    _check(by, "onboarding.write_notebook", onboarding.employee)
    _locked(onboarding)
    audit.record(
        actor=by,
        action="onboarding.note_removed",
        obj=entry,
        organisation=onboarding.organisation,
        before={"onboarding": onboarding.pk, "text": entry.text, "photo": bool(entry.photo)},
    )
    stored = entry.photo.name if entry.photo else ""
    storage = entry.photo.storage
    entry.delete()
    if stored:
        transaction.on_commit(lambda: storage.delete(stored))


# --- Observations (ONB-08) -----------------------------------------------------------------------


@transaction.atomic
def observation_record(
    *,
    onboarding: Onboarding,
    by: User,
    observed_on: datetime.date,
    feedback_given: str,
    went_well: str = "",
    to_improve: str = "",
    task: OnboardingTask | None = None,
) -> Observation:
    """An experienced colleague records what he saw the newcomer do and the feedback he gave.

    Rules: `by` holds onboarding.observe on the onboarding (his role in the newcomer's unit, or
    he guides the newcomer) and is a person of this organisation, not the newcomer; the plan is
    active; the date is between the start and today; the task belongs to this onboarding; the
    feedback given is required. Raises ValidationError on "observed_on", "task",
    "feedback_given" or "__all__".
    """
    _check(by, "onboarding.observe", onboarding)
    onboarding = _locked(onboarding)
    observer = (
        Employee.objects.filter(user=by, organisation_id=onboarding.organisation_id)
        .order_by("-hire_date", "id")
        .first()
    )
    if observer is None:
        raise field_error("__all__", ERRORS["no_observer"], code="no_observer")
    if observer.pk == onboarding.employee_id:
        raise field_error("__all__", ERRORS["own_observation"], code="own_observation")
    today = timezone.localdate()
    if observed_on > today:
        raise field_error(
            "observed_on", ERRORS["future_date"], code="future_date", params={"today": today}
        )
    if observed_on < onboarding.start_date:
        raise field_error(
            "observed_on",
            ERRORS["before_start"],
            code="before_start",
            params={"start": onboarding.start_date},
        )
    if task is not None and task.onboarding_id != onboarding.pk:
        raise field_error("task", ERRORS["other_onboarding"], code="other_onboarding")
    if not feedback_given.strip():
        raise field_error("feedback_given", ERRORS["feedback_required"], code="feedback_required")
    observation = Observation.objects.create(
        onboarding=onboarding,
        observer=observer,
        observed_on=observed_on,
        task=task,
        went_well=went_well.strip(),
        to_improve=to_improve.strip(),
        feedback_given=feedback_given.strip(),
        recorded_by=by,
    )
    audit.record(
        actor=by,
        action="onboarding.observed",
        obj=observation,
        organisation=onboarding.organisation,
        after={
            "onboarding": onboarding.pk,
            "observer": observer.pk,
            "observed_on": observed_on,
            "task": task.pk if task else None,
        },
    )
    return observation


# --- Release to independent work (ONB-09) --------------------------------------------------------


def closes(task: OnboardingTask, workstation_id: int, own_workstation_id: int | None) -> bool:
    """Whether a release at `workstation_id` closes `task`: an open work-floor task about that
    workstation, or one about no workstation in particular when the release is at the
    newcomer's own workstation (his usual place of work)."""
    if task.done_on is not None or not task.on_work_floor:
        return False
    if task.workstation_id is None:
        return workstation_id == own_workstation_id
    return task.workstation_id == workstation_id


@transaction.atomic
def onboarding_release(
    *,
    onboarding: Onboarding,
    by: User,
    workstation: Workstation,
    released_on: datetime.date,
    note: str = "",
) -> list[OnboardingTask]:
    """The line manager releases the newcomer to work alone at `workstation`
    (`competences.services.work_release_grant`) and so closes the plan's open work-floor tasks
    there (`closes`): each gets the release and `done_on` = the release date. When no open
    work-floor task remains, the onboarding records `independent_on` = the release date.
    Returns the tasks closed.

    Rules: the plan is active; the release date is not before the start; and the rules of
    `work_release_grant` (manager with scope over the person; not in the future; not released
    there already). Raises ValidationError on "released_on" or "workstation".
    """
    from leerplek.competences.services import work_release_grant

    _check(by, "competences.release_employee", onboarding.employee)
    onboarding = _locked(onboarding, "released_on")
    if released_on < onboarding.start_date:
        raise field_error(
            "released_on",
            ERRORS["before_start"],
            code="before_start",
            params={"start": onboarding.start_date},
        )
    employee = onboarding.employee
    release = work_release_grant(
        employee=employee, workstation=workstation, released_on=released_on, by=by, note=note
    )
    tasks = list(onboarding.tasks.select_for_update().filter(on_work_floor=True))
    closed = [t for t in tasks if closes(t, workstation.pk, employee.workstation_id)]
    for task in closed:
        task.release = release
        task.done_on = released_on
        task.done_by = by
        task.blocked_reason = ""
    OnboardingTask.objects.bulk_update(closed, ["release", "done_on", "done_by", "blocked_reason"])
    still_open = [t for t in tasks if t.done_on is None]
    update: dict[str, Any] = {}
    if not still_open and onboarding.independent_on is None:
        onboarding.independent_on = released_on
        onboarding.save(update_fields=["independent_on"])
        update = {"independent_on": released_on}
    audit.record(
        actor=by,
        action="onboarding.released",
        obj=onboarding,
        after={
            "workstation": workstation.pk,
            "released_on": released_on,
            "release": release.pk,
            "tasks": sorted(t.pk for t in closed),
            **update,
        },
    )
    return closed
