"""Export adapter: the individual training account in the shape of the Federal Learning Account.

The FLA (law of 20 October 2023, run by Sigedis) holds, per worker, his right, the days followed
and carried over, and the trainings followed with their basic characteristics (belgian-rules.md
§3.3). **Its future is uncertain**: its start was postponed several times and the federal
government agreement 2025-2029 announces its abolition in favour of a lighter system. So our own
register stays the source: the social balance, the training plan and the rights are computed from
the registrations, and this module only *translates* them into the FLA's fields. When the FLA
changes or a successor comes, write another adapter next to this one (same inputs:
`selectors_rights.WorkerRight` rows and the year's participations); nothing else changes.

Two shapes: an XLSX workbook with a sheet of workers and a sheet of trainings, and one flat CSV
(a row per training, the worker's fields repeated; a worker without trainings gets one row).
The INSZ/NISS is not stored in Leerplek, so its column stays empty for the employer to fill in.
"""

from __future__ import annotations

import csv
import io
from collections import defaultdict
from collections.abc import Iterable, Sequence
from decimal import Decimal
from typing import Any

from django.db.models import QuerySet
from django.http import HttpResponse
from django.utils.translation import gettext as _

from leerplek.core.xlsx import FORMULA_PREFIXES, Sheet, workbook_response
from leerplek.people.models import Employee, Organisation
from leerplek.registration.models import (
    ActivityStatus,
    Category,
    Participation,
    ParticipationStatus,
)
from leerplek.registration.selectors_rights import WorkerRight, year_end, year_start

# Our participation status -> the FLA's training status.
FLA_STATUS: dict[str, str] = {
    ParticipationStatus.COMPLETED: "completed",
    ParticipationStatus.NOT_FOLLOWED: "not_followed",
    ParticipationStatus.RESERVED: "reserved",
    ParticipationStatus.PLANNED: "reserved",
}
# The FLA knows formal and informal training; initial training is formal there.
FLA_TYPE: dict[str, str] = {
    Category.FORMAL: "formal",
    Category.INFORMAL: "informal",
    Category.INITIAL: "formal",
}


def trainings_of(
    organisation: Organisation, people: QuerySet[Employee], year: int
) -> dict[int, list[Participation]]:
    """Every participation of `people` in a confirmed activity ending in `year` (one query),
    whether or not it counts for the right: the FLA records both, with a flag."""
    found: dict[int, list[Participation]] = defaultdict(list)
    rows = (
        Participation.objects.filter(
            employee_id__in=people.values("pk"),
            activity__organisation=organisation,
            activity__status=ActivityStatus.CONFIRMED,
            activity__end_date__gte=year_start(year),
            activity__end_date__lte=year_end(year),
        )
        .select_related("activity")
        .order_by("activity__start_date", "activity_id")
    )
    for participation in rows:
        found[participation.employee_id].append(participation)
    return found


def worker_headers() -> list[str]:
    return [
        _("Last name"),
        _("First name"),
        _("Birth date"),
        _("INSZ/NISS"),
        _("Work regime"),
        _("Joint committee"),
        _("CAO number"),
        _("Year"),
        _("Right (days)"),
        _("Carried over (days)"),
        _("Days followed"),
        _("Balance (days)"),
    ]


def training_headers() -> list[str]:
    return [
        _("Training"),
        _("Hours"),
        _("Start"),
        _("End"),
        _("Status"),
        _("Formal or informal"),
        _("Certificate obtained"),
        _("Counts for the right"),
    ]


def worker_cells(organisation: Organisation, right: WorkerRight) -> list[Any]:
    row = right.current
    rule = row.setting.rule
    committee = rule.joint_committee if rule is not None else organisation.joint_committee
    return [
        right.employee.last_name,
        right.employee.first_name,
        right.employee.birth_date,
        "",  # INSZ/NISS: not kept in Leerplek
        row.regime,
        committee,
        rule.cao_number if rule is not None else "",
        row.year,
        row.entitled,
        row.carried,
        row.followed,
        row.balance,
    ]


def training_cells(participation: Participation) -> list[Any]:
    activity = participation.activity
    return [
        activity.title,
        Decimal(participation.hours),
        activity.start_date,
        activity.end_date,
        FLA_STATUS.get(participation.status, "not_applicable"),
        FLA_TYPE.get(activity.category, "formal"),
        _("yes") if participation.certificate_obtained else _("no"),
        _("yes") if activity.counts_for_right and not activity.exclusion else _("no"),
    ]


def workbook(
    organisation: Organisation,
    rights: Sequence[WorkerRight],
    trainings: dict[int, list[Participation]],
    year: int,
) -> HttpResponse:
    workers = Sheet(
        title=_("Workers"),
        headers=worker_headers(),
        rows=[worker_cells(organisation, right) for right in rights],
    )
    courses = Sheet(
        title=_("Trainings"),
        headers=[_("Last name"), _("First name"), *training_headers()],
        rows=[
            [right.employee.last_name, right.employee.first_name, *training_cells(item)]
            for right in rights
            for item in trainings.get(right.employee.pk, [])
        ],
    )
    return workbook_response([workers, courses], f"fla-{organisation.slug}-{year}.xlsx")


def _csv_cell(value: Any) -> str:
    text = "" if value is None else str(value)
    # A spreadsheet must not run a name as a formula (CSV injection).
    return "'" + text if text.startswith(FORMULA_PREFIXES) else text


def flat_rows(
    organisation: Organisation,
    rights: Iterable[WorkerRight],
    trainings: dict[int, list[Participation]],
) -> Iterable[list[Any]]:
    empty = [""] * len(training_headers())
    for right in rights:
        worker = worker_cells(organisation, right)
        items = trainings.get(right.employee.pk, [])
        if not items:
            yield worker + empty
        for item in items:
            yield worker + training_cells(item)


def csv_file(
    organisation: Organisation,
    rights: Sequence[WorkerRight],
    trainings: dict[int, list[Participation]],
    year: int,
) -> HttpResponse:
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";")
    writer.writerow(worker_headers() + training_headers())
    for row in flat_rows(organisation, rights, trainings):
        writer.writerow([_csv_cell(value) for value in row])
    response = HttpResponse(out.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="fla-{organisation.slug}-{year}.csv"'
    return response


def export_data(
    *, access: Any, organisation: Organisation, year: int, unit_path: str = ""
) -> tuple[list[WorkerRight], dict[int, list[Participation]]]:
    """The rights of every worker in scope for `year` and their trainings (seven queries)."""
    from leerplek.registration.selectors_rights import compute_rights, workers_in_scope

    people = workers_in_scope(access=access, year=year, unit_path=unit_path)
    rights = compute_rights(
        organisation=organisation, people=list(people), people_filter=people, first=year, last=year
    )
    return rights, trainings_of(organisation, people, year)
