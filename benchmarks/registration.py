"""Learning-registration benchmarks (issue #7) over Schaal NV's 1,000,000 registrations (100,000
activities over ten years, about ten participants each, with their cost lines):

- the social balance of last year: the selector against the bare SQL GROUP BY on the same rows
  (`sb_row`, the goal is at most 1.5 times), and the page against the same floor;
- the training-volume page, the plan-vs-realised page and the rights balances of all workers,
  each against a floor that fetches the same aggregates with raw SQL;
- the session scheduler on 200 sessions x 1,000 participants (`scheduler_row`): the full solve
  (with its objective) against the first feasible solution of the same model.

`cases(org)` gives `run.py` the pages; the floor views live here too.
"""

from __future__ import annotations

import datetime
import statistics
import time
from collections.abc import Callable
from html import escape
from typing import Any

from django.db import connection
from django.http import HttpRequest, HttpResponse
from django.urls import NoReverseMatch, path, reverse
from django.utils import timezone

COUNTED = (
    "a.organisation_id = %s AND a.status = 'confirmed' AND a.exclusion = ''"
    " AND p.status = 'completed' AND a.end_date >= %s AND a.end_date <= %s"
)


def _year(org_id: int, year: int) -> tuple[datetime.date, datetime.date]:
    from leerplek.people.models import Organisation

    month, day = (
        int(part) for part in Organisation.objects.get(pk=org_id).financial_year_end.split("-")
    )
    end = datetime.date(year, month, day)
    start = end.replace(year=year - 1) + datetime.timedelta(days=1)
    return start, end


def sb_queries(org_id: int, start: datetime.date, end: datetime.date) -> list[tuple[Any, ...]]:
    """The bare GROUP BY: people and hours per category and gender, and the cost lines' sums per
    category and kind, of the year's counted registrations."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT a.category, e.gender, COUNT(DISTINCT p.employee_id), SUM(p.hours)"
            " FROM registration_participation p"
            " JOIN registration_activity a ON a.id = p.activity_id"
            " JOIN people_employee e ON e.id = p.employee_id"
            f" WHERE {COUNTED} GROUP BY a.category, e.gender",
            [org_id, start, end],
        )
        rows = cursor.fetchall()
        cursor.execute(
            "SELECT a.category, c.kind, SUM(c.amount) FROM registration_costline c"
            " JOIN registration_activity a ON a.id = c.activity_id"
            " WHERE a.organisation_id = %s AND a.status = 'confirmed' AND a.exclusion = ''"
            " AND a.end_date >= %s AND a.end_date <= %s GROUP BY a.category, c.kind",
            [org_id, start, end],
        )
        rows += cursor.fetchall()
    return rows


def _html(rows: list[tuple[Any, ...]], count: int) -> HttpResponse:
    out = ["<table>"]
    for row in rows:
        out.append("<tr>" + "".join(f"<td>{escape(str(cell))}</td>" for cell in row) + "</tr>")
    out.append("</table>")
    response = HttpResponse("".join(out))
    response["X-Rows"] = str(count)
    return response


def social_balance(request: HttpRequest) -> HttpResponse:
    org = int(request.GET["org"])
    start, end = _year(org, int(request.GET["year"]))
    rows = sb_queries(org, start, end)
    return _html(rows, len(rows))


def volume(request: HttpRequest) -> HttpResponse:
    """Hours, people and cost of the year by unit, gender and category, and hours per month."""
    org = int(request.GET["org"])
    start, end = _year(org, int(request.GET["year"]))
    params = [org, start, end]
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT e.unit_id, e.gender, a.category, COUNT(DISTINCT p.employee_id), SUM(p.hours)"
            " FROM registration_participation p"
            " JOIN registration_activity a ON a.id = p.activity_id"
            " JOIN people_employee e ON e.id = p.employee_id"
            f" WHERE {COUNTED} GROUP BY e.unit_id, e.gender, a.category",
            params,
        )
        rows = cursor.fetchall()
        cursor.execute(
            "SELECT a.end_date, SUM(p.hours) FROM registration_participation p"
            " JOIN registration_activity a ON a.id = p.activity_id"
            f" WHERE {COUNTED} GROUP BY a.end_date",
            params,
        )
        rows += cursor.fetchall()
    return _html(rows, len(rows))


def rights(request: HttpRequest) -> HttpResponse:
    """The hours that count for the right per worker this year, for one page of workers and the
    total of all."""
    org = int(request.GET["org"])
    year = int(request.GET["year"])
    start, end = datetime.date(year, 1, 1), datetime.date(year, 12, 31)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT p.employee_id, SUM(p.hours) FROM registration_participation p"
            " JOIN registration_activity a ON a.id = p.activity_id"
            f" WHERE {COUNTED} AND a.counts_for_right GROUP BY p.employee_id",
            [org, start, end],
        )
        hours = dict(cursor.fetchall())
        cursor.execute(
            "SELECT id, first_name, last_name, hire_date, exit_date FROM people_employee"
            " WHERE organisation_id = %s AND person_type = 'employee'"
            " ORDER BY last_name, first_name, id LIMIT 50",
            [org],
        )
        rows = [(*row, hours.get(row[0], 0)) for row in cursor.fetchall()]
    return _html(rows, len(rows))


def plan(request: HttpRequest) -> HttpResponse:
    """Each plan line with its planned figures and what its linked activities realised."""
    plan_id = int(request.GET["plan"])
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT l.id, l.title, l.planned_participants, l.planned_hours, l.planned_cost,"
            " COUNT(DISTINCT p.employee_id), SUM(p.hours)"
            " FROM registration_planline l"
            " LEFT JOIN registration_activity a ON a.plan_line_id = l.id"
            "   AND a.status = 'confirmed' AND a.exclusion = ''"
            " LEFT JOIN registration_participation p ON p.activity_id = a.id"
            "   AND p.status = 'completed'"
            " WHERE l.plan_id = %s GROUP BY l.id, l.title, l.planned_participants,"
            " l.planned_hours, l.planned_cost ORDER BY l.position, l.id",
            [plan_id],
        )
        rows = cursor.fetchall()
    return _html(rows, len(rows))


urlpatterns = [
    path("bench/floor/social-balance/", social_balance, name="bench-floor-social-balance"),
    path("bench/floor/volume/", volume, name="bench-floor-volume"),
    path("bench/floor/rights/", rights, name="bench-floor-rights"),
    path("bench/floor/plan/", plan, name="bench-floor-plan"),
]


def _reverse(name: str, **kwargs: Any) -> str | None:
    try:
        return reverse(name, kwargs=kwargs or None)
    except NoReverseMatch:
        return None


def cases(org: Any) -> list[tuple[str, str, dict[str, Any], str]]:
    """(name, page url, floor parameters, floor url name) for `run.py`."""
    from leerplek.registration.models import TrainingPlan

    year = timezone.localdate().year - 1
    found: list[tuple[str, str, dict[str, Any], str]] = []
    sb = _reverse("registration:social-balance")
    if sb:
        found.append(
            (
                "social balance (last year)",
                f"{sb}?year={year}",
                {"year": year},
                "bench-floor-social-balance",
            )
        )
    volume_url = _reverse("registration:volume")
    if volume_url:
        found.append(
            (
                "training volume (last year)",
                f"{volume_url}?year={year}",
                {"year": year},
                "bench-floor-volume",
            )
        )
    rights_url = _reverse("registration:rights")
    if rights_url:
        this_year = year + 1
        found.append(
            (
                "training rights of all workers",
                f"{rights_url}?year={this_year}",
                {"year": this_year},
                "bench-floor-rights",
            )
        )
    training_plan = TrainingPlan.objects.filter(organisation=org).order_by("-year").first()
    plan_url = (
        _reverse("registration:plan-detail", plan_id=training_plan.pk) if training_plan else None
    )
    if training_plan is not None and plan_url:
        found.append(("plan vs realised", plan_url, {"plan": training_plan.pk}, "bench-floor-plan"))
    return found


def _time(call: Callable[[], Any], warmup: int, runs: int) -> tuple[float, float, int]:
    """(median ms, p95 ms, queries of one call)."""
    from django.db import reset_queries
    from django.test.utils import CaptureQueriesContext

    for _ in range(warmup):
        call()
    samples = []
    for _ in range(runs):
        started = time.perf_counter()
        call()
        samples.append((time.perf_counter() - started) * 1000)
    reset_queries()
    with CaptureQueriesContext(connection) as captured:
        call()
    samples.sort()
    p95 = samples[min(len(samples) - 1, int(len(samples) * 0.95))]
    return statistics.median(samples), p95, len(captured)


def sb_row(org: Any, warmup: int = 2, runs: int = 9) -> dict[str, Any]:
    """The social-balance selector for last year against the bare GROUP BY, as `run.Row`."""
    from leerplek.registration.selectors import social_balance as compute

    year = timezone.localdate().year - 1
    start, end = _year(org.pk, year)
    floor_ms, _p95, floor_queries = _time(lambda: sb_queries(org.pk, start, end), warmup, runs)
    median, p95, queries = _time(lambda: compute(org, year), warmup, runs)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT COUNT(*) FROM registration_participation p"
            " JOIN registration_activity a ON a.id = p.activity_id"
            f" WHERE {COUNTED}",
            [org.pk, start, end],
        )
        rows = cursor.fetchone()[0]
    return {
        "name": f"social balance {year}: selector vs bare GROUP BY",
        "url": "registration.selectors.social_balance",
        "rows": rows,
        "queries": queries,
        "median_ms": round(median, 2),
        "p95_ms": round(p95, 2),
        "floor_ms": round(floor_ms, 2),
        "floor_queries": floor_queries,
        "overhead_ms": 0.0,
        "ratio": round(median / floor_ms, 2),
    }
