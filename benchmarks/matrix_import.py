"""Time the skills-matrix import on a large sheet: `python -m benchmarks.matrix_import`.

Not part of the test suite. Builds a fresh SQLite database in benchmarks/results/ (git-ignored)
with one organisation of `--people` people and `--skills` competences, writes a generated XLSX
matrix (names in rows, skills in columns, ILUO letters with some empty and "-" cells) and times:

1. upload + validation (`matrix_import_create`: read the workbook, guess the mapping, validate);
2. the import (`matrix_import_confirm`: validate again in the transaction and bulk-write);
3. the same file uploaded again, now validated against the recorded levels (all unchanged).

Targets on SQLite: validation < 30 s and import < 60 s for 2,000 x 150 (300,000 cells).
"""

from __future__ import annotations

import argparse
import io
import os
import random
import sys
import time
import warnings
from pathlib import Path
from typing import Any

RESULTS = Path(__file__).resolve().parent / "results"
DB = RESULTS / "matrix_import.sqlite3"


def _setup() -> None:
    os.environ["DJANGO_SETTINGS_MODULE"] = "benchmarks.settings"
    warnings.filterwarnings("ignore", message="No directory at")
    import benchmarks.settings as bench_settings

    bench_settings.DATABASES["default"]["NAME"] = str(DB)
    import django

    django.setup()


def _build(people: int, skills: int) -> tuple[Any, Any, list[Any], list[str]]:
    from django.core.management import call_command

    from leerplek.competences.models import Competence
    from leerplek.core.access import load_access
    from leerplek.core.models import RoleGrant
    from leerplek.core.roles import Role
    from leerplek.people import services
    from leerplek.people.models import Employee, Organisation, User

    RESULTS.mkdir(parents=True, exist_ok=True)
    for suffix in ("", "-wal", "-shm"):
        Path(str(DB) + suffix).unlink(missing_ok=True)
    started = time.perf_counter()
    call_command("migrate", verbosity=0, interactive=False)
    org = Organisation.objects.create(name="Matrix NV", slug="matrix-nv")
    unit = services.unit_create(organisation=org, by=None, name="Productie", kind="department")  # type: ignore[arg-type]
    user = User.objects.create_user("hr@matrix.test", "bench-password")
    RoleGrant.objects.create(organisation=org, user=user, role=Role.HR)
    Employee.objects.create(
        organisation=org,
        user=user,
        first_name="Hilde",
        last_name="HR",
        email="hr@matrix.test",
        gender="f",
        hire_date="2020-01-01",
    )
    Employee.objects.bulk_create(
        Employee(
            organisation=org,
            unit=unit,
            first_name=f"Voornaam{n}",
            last_name=f"Achternaam{n}",
            employee_number=str(10000 + n),
            gender="m",
            hire_date="2020-01-01",
        )
        for n in range(people)
    )
    Competence.objects.bulk_create(
        Competence(organisation=org, code=f"C{n:03d}", name=f"Vaardigheid {n}")
        for n in range(skills)
    )
    user.access = load_access(user, org.pk)
    names = [f"Voornaam{n} Achternaam{n}" for n in range(people)]
    print(f"Database built in {time.perf_counter() - started:.1f} s", flush=True)
    return org, user, names, [f"C{n:03d}" for n in range(skills)]


def _workbook(names: list[str], codes: list[str], seed: int) -> bytes:
    from openpyxl import Workbook

    rng = random.Random(seed)
    values = ["I", "L", "U", "O", "0", "", "", "-"]
    book = Workbook(write_only=True)
    sheet = book.create_sheet("Matrix")
    sheet.append(["Naam", *codes])
    for name in names:
        sheet.append([name, *(rng.choice(values) or None for _code in codes)])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _timed(label: str, call: Any) -> tuple[Any, float, int]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        started, cpu = time.perf_counter(), time.process_time()
        result = call()
        seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
    # CPU time of this process too: on a busy machine the wall clock also counts the waiting.
    print(
        f"{label:<42} {seconds:7.2f} s wall {cpu:7.2f} s cpu {len(queries):5d} queries",
        flush=True,
    )
    return result, seconds, len(queries)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, default=2000)
    parser.add_argument("--skills", type=int, default=150)
    parser.add_argument("--seed", type=int, default=4)
    args = parser.parse_args(argv)
    _setup()
    from leerplek.competences.matrix_import import matrix_import_confirm, matrix_import_create
    from leerplek.competences.models import Assessment
    from leerplek.people.models import ImportStatus

    org, user, names, codes = _build(args.people, args.skills)
    content = _workbook(names, codes, args.seed)
    print(
        f"Sheet: {args.people} people x {args.skills} skills = {args.people * args.skills} cells, "
        f"{len(content) / 1024:.0f} KiB",
        flush=True,
    )

    def upload() -> Any:
        return matrix_import_create(
            organisation=org, by=user, access=user.access, name="matrix.xlsx", content=content
        )

    job, validate_s, _q = _timed("1. upload + validate", upload)
    if job.status != ImportStatus.READY:
        print(f"Unexpected problems: {job.problems[:5]}", file=sys.stderr)
        return 1
    summary = job.data["summary"]
    print(
        f"   {summary['people']} people, {summary['competences']} competences, "
        f"{summary['records']} to record, {summary['empty']} empty",
        flush=True,
    )
    done, import_s, _q = _timed(
        "2. confirm (validate again + bulk write)",
        lambda: matrix_import_confirm(job=job, by=user, access=user.access),
    )
    assert done.status == ImportStatus.DONE, done.failure or done.problems[:5]
    print(f"   {Assessment.objects.count()} assessments in the database", flush=True)
    again, _seconds, _q = _timed("3. same file again (all unchanged)", upload)
    print(
        f"   {again.data['summary']['records']} to record, "
        f"{again.data['summary']['unchanged']} unchanged",
        flush=True,
    )
    ok = validate_s < 30 and import_s < 60
    load = ", ".join(f"{value:.1f}" for value in os.getloadavg())
    print(
        "Targets (validate < 30 s, import < 60 s wall):",
        "met" if ok else "NOT met",
        f"(load average {load} on {os.cpu_count()} cores)",
        flush=True,
    )
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
