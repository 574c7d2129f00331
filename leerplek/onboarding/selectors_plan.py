"""Reads for running an onboarding: the notebook, observations and what a release to work alone
would close. Each in a fixed number of queries whatever the data size."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from pathlib import PurePosixPath

from django.db.models import QuerySet
from django.utils import timezone

from leerplek.competences.models import WorkRelease
from leerplek.onboarding.models import NotebookEntry, Observation, Onboarding, OnboardingTask
from leerplek.onboarding.services_plan import closes
from leerplek.people.models import Workstation

# Browsers show these inline; a HEIC photo is offered as a download instead.
INLINE_PHOTOS = {".jpg", ".jpeg", ".png", ".webp"}


def today() -> datetime.date:
    return timezone.localdate()


def photo_is_inline(entry: NotebookEntry) -> bool:
    return bool(entry.photo) and PurePosixPath(entry.photo.name).suffix.lower() in INLINE_PHOTOS


def notebook_of(*, onboarding: Onboarding) -> list[NotebookEntry]:
    """The newcomer's tips, newest first, with their task (one query)."""
    entries = list(
        NotebookEntry.objects.filter(onboarding=onboarding)
        .select_related("task")
        .order_by("-created_at", "-id")
    )
    for entry in entries:
        entry.photo_inline = photo_is_inline(entry)  # type: ignore[attr-defined]
    return entries


def observations_of(*, onboarding: Onboarding) -> QuerySet[Observation]:
    """Observations of the onboarding, latest first, with observer and task (one query)."""
    return (
        Observation.objects.filter(onboarding=onboarding)
        .select_related("observer", "task")
        .order_by("-observed_on", "-id")
    )


def task_choices(*, onboarding: Onboarding, open_only: bool = False) -> list[tuple[int, str]]:
    """The plan's tasks as form choices, in date order (one query)."""
    tasks = onboarding.tasks.order_by("due_on", "position", "id")
    if open_only:
        tasks = tasks.filter(done_on__isnull=True)
    return [(pk, title) for pk, title in tasks.values_list("pk", "title")]


@dataclass
class StationTasks:
    workstation: Workstation | None
    tasks: list[OnboardingTask] = field(default_factory=list)
    release: WorkRelease | None = None


@dataclass
class ReleaseView:
    """Work-floor tasks per workstation and the newcomer's releases to work alone."""

    own_workstation: Workstation | None
    open_by_station: list[StationTasks]
    releases: list[WorkRelease]
    floor_count: int
    floor_open: int
    independent_on: datetime.date | None

    @property
    def floor_done(self) -> int:
        return self.floor_count - self.floor_open


def release_view(*, onboarding: Onboarding) -> ReleaseView:
    """What the manager needs to release the newcomer: his open work-floor tasks grouped by the
    workstation whose release closes them, and his open releases (two queries; a third reads
    his own workstation when an open task names none and the caller did not load it)."""
    employee = onboarding.employee
    floor = list(
        onboarding.tasks.filter(on_work_floor=True)
        .select_related("workstation")
        .order_by("due_on", "position", "id")
    )
    releases = list(
        WorkRelease.objects.filter(employee_id=onboarding.employee_id, revoked_on__isnull=True)
        .select_related("workstation", "released_by")
        .order_by("-released_on", "-id")
    )
    # Tasks without a workstation are about his own: read it only when such a task is open
    # (at most one more query; plans from templates name the workstation on every floor task).
    loose = any(t.done_on is None and t.workstation_id is None for t in floor)
    own = employee.workstation if loose and employee.workstation_id else None
    groups: dict[int | None, StationTasks] = {}
    for task in floor:
        if task.done_on is not None:
            continue
        station = task.workstation if task.workstation_id else own
        key = station.pk if station else None
        if key not in groups:
            groups[key] = StationTasks(station)
        groups[key].tasks.append(task)
    return ReleaseView(
        own_workstation=own,
        open_by_station=list(groups.values()),
        releases=releases,
        floor_count=len(floor),
        floor_open=sum(1 for task in floor if task.done_on is None),
        independent_on=onboarding.independent_on,
    )


def release_choices(*, onboarding: Onboarding) -> tuple[list[tuple[int, str]], int | None]:
    """Workstations of the organisation as form choices, those that close open work-floor tasks
    first, each saying how many it closes; and the one closing the most, if any (two
    queries)."""
    from django.utils.translation import gettext

    own_id = onboarding.employee.workstation_id
    floor = list(onboarding.tasks.filter(on_work_floor=True, done_on__isnull=True))
    stations = list(
        Workstation.objects.filter(organisation_id=onboarding.organisation_id)
        .select_related("unit")
        .order_by("name", "code", "id")
    )
    counted = [
        (sum(1 for task in floor if closes(task, station.pk, own_id)), station)
        for station in stations
    ]
    counted.sort(key=lambda item: (-item[0], item[1].name))
    best = counted[0][1].pk if counted and counted[0][0] else None
    choices = [
        (
            station.pk,
            gettext("%(name)s (%(code)s) · closes %(count)s tasks")
            % {"name": station.name, "code": station.code, "count": count}
            if count
            else f"{station.name} ({station.code})",
        )
        for count, station in counted
    ]
    return choices, best
