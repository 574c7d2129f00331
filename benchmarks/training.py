"""On-the-job training benchmarks (issue #6) over Schaal NV's training data (2,000 instructions of
six steps, 50,000 programme assignments, some 365,000 sign-offs, 100,000 certificates):

- a learner's programme page (the assignment with the most modules),
- the instruction page at a workstation (the floor reader),
- the organisation's expiring certificates (the register filtered on "expires soon"),
- the read-request fan-out of a new version of an instruction 30,000 people hold.

`cases(org)` gives `run.py` the pages; each floor view fetches what the page shows with raw SQL
and writes it out in a plain loop. `fan_out_row(warmup, runs)` approves a new version (the
service, with its checks and audit entry) against the bare INSERT ... SELECT on the same rows,
each run inside a transaction that is rolled back. The 30,000 holders belong to a separate
organisation ("Fan-out NV") made once in the benchmark database.
"""

from __future__ import annotations

import datetime
import statistics
import time
from collections.abc import Callable
from html import escape
from typing import Any

from django.db import connection, transaction
from django.http import HttpRequest, HttpResponse
from django.urls import path, reverse
from django.utils import timezone

FAN_OUT_HOLDERS = 30_000
FAN_OUT_SLUG = "fan-out-nv"
PAGE_SIZE = 25  # views_certificates.PAGE_SIZE


def _html(rows: list[tuple[Any, ...]], count: int) -> HttpResponse:
    out = ["<table>"]
    for row in rows:
        out.append("<tr>" + "".join(f"<td>{escape(str(cell))}</td>" for cell in row) + "</tr>")
    out.append("</table>")
    response = HttpResponse("".join(out))
    response["X-Rows"] = str(count)
    return response


def programme(request: HttpRequest) -> HttpResponse:
    """The modules of one learner's version with phase, plan dates and sign-off state."""
    assignment = int(request.GET["assignment"])
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT p.title, m.title, m.kind, m.duration, m.duration_unit, mp.planned_start,"
            " mp.planned_end, mp.actual_start, mp.done_on, s.declared_at, s.confirmed_at,"
            " s.content_hash"
            " FROM training_programmeassignment a"
            " JOIN training_module m ON m.version_id = a.version_id"
            " JOIN training_phase p ON p.id = m.phase_id"
            " LEFT JOIN training_moduleplan mp ON mp.assignment_id = a.id AND mp.module_id = m.id"
            " LEFT JOIN training_signoff s ON s.assignment_id = a.id AND s.module_id = m.id"
            "   AND s.revoked_at IS NULL"
            " WHERE a.id = %s ORDER BY p.position, m.position, m.id",
            [assignment],
        )
        rows = cursor.fetchall()
    return _html(rows, len(rows))


def instruction(request: HttpRequest) -> HttpResponse:
    """The approved version's steps with their key points and reasons."""
    version = int(request.GET["version"])
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT s.position, s.text, s.photo, k.kind, k.text, k.reason"
            " FROM training_instructionstep s LEFT JOIN training_keypoint k ON k.step_id = s.id"
            " WHERE s.version_id = %s ORDER BY s.position, s.id, k.position, k.id",
            [version],
        )
        rows = cursor.fetchall()
    return _html(rows, len(rows))


def expiring(request: HttpRequest) -> HttpResponse:
    """The certificates that expire within the warning days: how many, one page of them, and the
    soonest twenty."""
    from django.conf import settings

    org = int(request.GET["org"])
    today = timezone.localdate()
    soon = today + datetime.timedelta(days=int(settings.LEERPLEK["CERTIFICATE_WARNING_DAYS"]))
    where = (
        "FROM training_certificate c JOIN people_employee e ON e.id = c.employee_id"
        " LEFT JOIN people_orgunit u ON u.id = e.unit_id"
        " WHERE c.organisation_id = %s AND c.revoked_at IS NULL"
        " AND c.expires_on >= %s AND c.expires_on <= %s"
    )
    params: list[Any] = [org, today.isoformat(), soon.isoformat()]
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT COUNT(*) {where}", params)
        count = cursor.fetchone()[0]
        select = (
            "SELECT c.id, c.title, c.kind, c.issued_on, c.expires_on, e.first_name, e.last_name,"
            f" u.name {where} ORDER BY c.expires_on, c.id LIMIT %s"
        )
        cursor.execute(select, [*params, PAGE_SIZE])
        rows = cursor.fetchall()
        cursor.execute(select, [*params, 20])
        rows += cursor.fetchall()
    return _html(rows, count)


urlpatterns = [
    path("bench/floor/programme/", programme, name="bench-floor-programme"),
    path("bench/floor/instruction/", instruction, name="bench-floor-instruction"),
    path("bench/floor/expiring/", expiring, name="bench-floor-expiring"),
]


def cases(org: Any) -> list[tuple[str, str, dict[str, Any], str]]:
    """(name, page url, floor parameters, floor url name) for `run.py`."""
    from django.db.models import Count

    from leerplek.training.models import InstructionVersion, ProgrammeAssignment, VersionStatus

    assignment = (
        ProgrammeAssignment.objects.filter(organisation=org)
        .annotate(n=Count("version__modules"))
        .order_by("-n", "pk")
        .first()
    )
    version = (
        InstructionVersion.objects.filter(
            organisation=org, status=VersionStatus.APPROVED, instruction__workstation__isnull=False
        )
        .annotate(n=Count("steps"))
        .order_by("-n", "pk")
        .first()
    )
    if assignment is None or version is None:
        return []
    return [
        (
            "learner's programme page",
            reverse("training:assignment-detail", args=[assignment.pk]),
            {"assignment": assignment.pk},
            "bench-floor-programme",
        ),
        (
            "instruction at the workstation",
            reverse("training:instruction-read", args=[version.instruction_id]),
            {"version": version.pk},
            "bench-floor-instruction",
        ),
        (
            "expiring certificates (organisation)",
            reverse("training:certificate-list") + "?state=expiring",
            {},
            "bench-floor-expiring",
        ),
    ]


# --- The fan-out ---------------------------------------------------------------------------------


def _fan_out_data(user: Any) -> Any:
    """Fan-out NV: 30,000 people who hold one approved instruction (made once)."""
    from leerplek.core.models import RoleGrant
    from leerplek.core.roles import Role
    from leerplek.people.models import Employee, Organisation
    from leerplek.training.models import (
        InstructionHolder,
        InstructionStep,
        InstructionVersion,
        VersionStatus,
        WorkInstruction,
    )

    org, _ = Organisation.objects.get_or_create(slug=FAN_OUT_SLUG, defaults={"name": "Fan-out NV"})
    RoleGrant.objects.get_or_create(organisation=org, user=user, role=Role.ADMIN)
    instruction = WorkInstruction.objects.filter(organisation=org, code="FAN-1").first()
    if instruction is not None and instruction.holders.count() >= FAN_OUT_HOLDERS:
        return instruction
    with transaction.atomic():
        WorkInstruction.objects.filter(organisation=org).delete()
        Employee.objects.filter(organisation=org).delete()
        Employee.objects.bulk_create(
            (
                Employee(
                    organisation=org,
                    first_name="Houder",
                    last_name=f"{number:05d}",
                    employee_number=f"F{number:05d}",
                    gender="x" if number % 97 == 0 else ("f" if number % 2 else "m"),
                    hire_date=datetime.date(2020, 1, 1),
                )
                for number in range(FAN_OUT_HOLDERS)
            ),
            batch_size=2_000,
        )
        instruction = WorkInstruction.objects.create(organisation=org, code="FAN-1")
        version = InstructionVersion.objects.create(
            organisation=org,
            instruction=instruction,
            number=1,
            status=VersionStatus.APPROVED,
            title={"nl": "Saus afvullen"},
            approved_at=timezone.now(),
        )
        InstructionStep.objects.bulk_create(
            InstructionStep(version=version, position=n, text={"nl": f"Stap {n}"})
            for n in range(1, 7)
        )
        InstructionHolder.objects.bulk_create(
            (
                InstructionHolder(
                    organisation=org,
                    instruction=instruction,
                    employee_id=pk,
                    version=version,
                    since=timezone.localdate(),
                )
                for pk in Employee.objects.filter(organisation=org).values_list("pk", flat=True)
            ),
            batch_size=5_000,
        )
    return instruction


class _RollbackError(Exception):
    pass


def _rolled_back(work: Callable[[], Any]) -> int:
    """Run `work` inside a transaction that is rolled back; return its number of queries."""
    from django.test.utils import CaptureQueriesContext

    try:
        with transaction.atomic(), CaptureQueriesContext(connection) as captured:
            work()
            raise _RollbackError
    except _RollbackError:
        pass
    return len(captured.captured_queries)


def fan_out_row(user: Any, warmup: int = 1, runs: int = 5) -> dict[str, Any]:
    """Approving version 2 of an instruction 30,000 people hold, as the fields of `run.Row`."""
    from leerplek.core.access import load_access
    from leerplek.training import services_instructions as services
    from leerplek.training.models import InstructionVersion, ReadRequest, VersionStatus

    instruction = _fan_out_data(user)
    user.access = load_access(user, instruction.organisation_id)
    asked: dict[str, float] = {"n": 0}

    def approve() -> None:
        draft = InstructionVersion.objects.create(
            organisation_id=instruction.organisation_id,
            instruction=instruction,
            number=2,
            status=VersionStatus.DRAFT,
            title={"nl": "Saus afvullen"},
            change_summary={"nl": "Stap 3 in twee keer"},
        )
        draft.steps.create(position=1, text={"nl": "Stap 1"})
        started = time.perf_counter()
        services.version_approve(version=draft, by=user)
        asked["ms"] = (time.perf_counter() - started) * 1000
        asked["n"] = ReadRequest.objects.filter(version=draft).count()

    def bare() -> None:
        draft = InstructionVersion.objects.create(
            organisation_id=instruction.organisation_id,
            instruction=instruction,
            number=2,
            status=VersionStatus.DRAFT,
            title={"nl": "Saus afvullen"},
        )
        started = time.perf_counter()
        services.fan_out_read_requests(version=draft, due_on=timezone.localdate())
        asked["floor_ms"] = (time.perf_counter() - started) * 1000

    approve_samples: list[float] = []
    floor_samples: list[float] = []
    queries = 0
    for index in range(warmup + runs):
        queries_run = _rolled_back(approve)
        _rolled_back(bare)
        if index >= warmup:
            approve_samples.append(asked["ms"])
            floor_samples.append(asked["floor_ms"])
            queries = queries_run
    assert asked["n"] == FAN_OUT_HOLDERS, asked
    median = statistics.median(approve_samples)
    floor = statistics.median(floor_samples)
    return {
        "name": f"new-version fan-out ({FAN_OUT_HOLDERS:,} holders)",
        "url": "benchmarks/training.py",
        "rows": FAN_OUT_HOLDERS,
        "queries": queries,
        "median_ms": round(median, 2),
        "p95_ms": round(max(approve_samples), 2),
        "floor_ms": round(floor, 2),
        "floor_queries": 1,
        "overhead_ms": 0.0,
        "ratio": round(median / floor, 2),
    }
