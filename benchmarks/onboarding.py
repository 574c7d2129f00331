"""Onboarding benchmarks (issue #5): the onboarding list, the compliance page and the progress
review list over Schaal NV's 2,000 onboardings, each against its floor.

`cases(org)` gives `run.py` the pages to measure; the floor views below fetch the rows each page
shows with raw SQL and write them out in a plain loop, as `floor.py` does. The SQL mirrors
`onboarding.selectors.onboarding_list` and `compliance` and `selectors_reviews.review_list` for
a user who sees the whole organisation.
"""

from __future__ import annotations

import datetime
from html import escape
from typing import Any

from django.conf import settings
from django.db import connection
from django.http import HttpRequest, HttpResponse
from django.urls import path, reverse
from django.utils import timezone

# A current primary peter/meter of the onboarding's newcomer (`selectors._current_primary`).
_HAS_GUIDE = (
    "EXISTS (SELECT 1 FROM onboarding_guidance g WHERE g.learner_id = o.employee_id"
    " AND g.kind = 'mentor' AND g.is_backup = %s AND (g.ends_on IS NULL OR g.ends_on >= %s))"
)


def onboarding_list(request: HttpRequest) -> HttpResponse:
    """One page of active onboardings, newest start first, with task progress and a guide flag."""
    size = settings.LEERPLEK["PAGE_SIZE"]
    org = int(request.GET["org"])
    today = timezone.localdate().isoformat()
    where = "o.organisation_id = %s AND o.status = 'active'"
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT COUNT(*) FROM onboarding_onboarding o WHERE {where}", [org])
        count = cursor.fetchone()[0]
        cursor.execute(
            "SELECT o.id, e.first_name, e.last_name, u.name, j.name, o.start_date, o.end_date,"
            " (SELECT COUNT(*) FROM onboarding_onboardingtask t WHERE t.onboarding_id = o.id),"
            " (SELECT COUNT(*) FROM onboarding_onboardingtask t WHERE t.onboarding_id = o.id"
            "   AND t.done_on IS NOT NULL),"
            " (SELECT COUNT(*) FROM onboarding_onboardingtask t WHERE t.onboarding_id = o.id"
            "   AND t.done_on IS NULL AND t.due_on < %s),"
            f" {_HAS_GUIDE}"
            " FROM onboarding_onboarding o JOIN people_employee e ON e.id = o.employee_id"
            " LEFT JOIN people_orgunit u ON u.id = e.unit_id"
            " LEFT JOIN people_job j ON j.id = o.job_id"
            f" WHERE {where} ORDER BY o.start_date DESC, e.last_name, o.id LIMIT %s",
            [today, False, today, org, size],
        )
        rows = cursor.fetchall()
    out = [f"<p>{count} onboardings</p><table>"]
    for pk, first, last, unit, job, start, end, tasks, done, late, guided in rows:
        out.append(
            f'<tr><td><a href="/onboarding/{pk}/">{escape(first)} {escape(last)}</a></td>'
            f"<td>{escape(unit or '-')}</td><td>{escape(job or '-')}</td><td>{start}</td>"
            f"<td>{end}</td><td>{done}/{tasks}</td><td>{late}</td><td>{bool(guided)}</td></tr>"
        )
    out.append("</table>")
    response = HttpResponse("".join(out))
    response["X-Rows"] = str(count)
    return response


def compliance(request: HttpRequest) -> HttpResponse:
    """Active onboardings per unit with those without a guide, then the newcomers without one."""
    org = int(request.GET["org"])
    today = timezone.localdate().isoformat()
    tables = (
        "FROM onboarding_onboarding o JOIN people_employee e ON e.id = o.employee_id"
        " LEFT JOIN people_orgunit u ON u.id = e.unit_id"
    )
    active = "WHERE o.organisation_id = %s AND o.status = 'active'"
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT u.name, COUNT(*), SUM(CASE WHEN {_HAS_GUIDE} THEN 0 ELSE 1 END)"
            f" {tables} {active} GROUP BY u.path, u.name ORDER BY u.path",
            [False, today, org],
        )
        units = cursor.fetchall()
        cursor.execute(
            "SELECT o.id, e.first_name, e.last_name, u.name, o.start_date, r.first_name,"
            " r.last_name"
            f" {tables} JOIN people_employee r ON r.id = o.organiser_id"
            f" {active} AND NOT {_HAS_GUIDE}"
            " ORDER BY u.path, o.start_date, e.last_name, o.id",
            [org, False, today],
        )
        missing = cursor.fetchall()
    out = ["<table>"]
    for name, total, without in units:
        out.append(f"<tr><td>{escape(name or '')}</td><td>{total}</td><td>{without}</td></tr>")
    out.append("</table><table>")
    for pk, first, last, unit, start, org_first, org_last in missing:
        out.append(
            f'<tr><td><a href="/onboarding/{pk}/">{escape(first)} {escape(last)}</a></td>'
            f"<td>{escape(unit or '-')}</td><td>{start}</td>"
            f"<td>{escape(org_first)} {escape(org_last)}</td></tr>"
        )
    out.append("</table>")
    response = HttpResponse("".join(out))
    response["X-Rows"] = str(len(units) + len(missing))
    return response


def review_list(request: HttpRequest) -> HttpResponse:
    """One page of the reviews needing attention (overdue and due) of active onboardings, soonest
    first, with the newcomer and his current peter/meter, and the number of matches."""
    size = settings.LEERPLEK["PAGE_SIZE"]
    org = int(request.GET["org"])
    today = timezone.localdate()
    overdue_before = today - datetime.timedelta(days=settings.LEERPLEK["REVIEW_GRACE_DAYS"])
    due_by = today + datetime.timedelta(days=settings.LEERPLEK["REVIEW_REMINDER_DAYS"])
    tables = (
        "FROM onboarding_progressreview r JOIN onboarding_onboarding o ON o.id = r.onboarding_id"
    )
    where = (
        "WHERE o.organisation_id = %s AND o.status = 'active' AND r.held_on IS NULL"
        " AND r.planned_on <= %s"
    )
    params: list[Any] = [org, due_by.isoformat()]
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT COUNT(*) {tables} {where}", params)
        count = cursor.fetchone()[0]
        cursor.execute(
            "SELECT r.id, r.number, r.planned_on, e.first_name, e.last_name, u.name,"
            " (SELECT p.first_name || ' ' || p.last_name FROM onboarding_guidance g"
            "   JOIN people_employee p ON p.id = g.guide_id WHERE g.learner_id = o.employee_id"
            "   AND g.kind = 'mentor' AND g.is_backup = %s"
            "   AND (g.ends_on IS NULL OR g.ends_on >= %s) ORDER BY g.starts_on, g.id LIMIT 1)"
            f" {tables} JOIN people_employee e ON e.id = o.employee_id"
            f" LEFT JOIN people_orgunit u ON u.id = e.unit_id {where}"
            " ORDER BY r.planned_on, e.last_name, r.id LIMIT %s",
            [False, today.isoformat(), *params, size],
        )
        rows = cursor.fetchall()
    out = [f"<p>{count} reviews</p><table>"]
    for pk, number, planned, first, last, unit, guide in rows:
        state = "overdue" if planned < overdue_before else "due"
        out.append(
            f'<tr><td><a href="/onboarding/reviews/{pk}/">{escape(first)} {escape(last)}</a>'
            f" #{number}</td><td>{escape(unit or '-')}</td><td>{planned}</td><td>{state}</td>"
            f"<td>{escape(guide or '-')}</td></tr>"
        )
    out.append("</table>")
    response = HttpResponse("".join(out))
    response["X-Rows"] = str(count)
    return response


urlpatterns = [
    path("bench/floor/onboardings/", onboarding_list, name="bench-floor-onboardings"),
    path("bench/floor/compliance/", compliance, name="bench-floor-compliance"),
    path("bench/floor/reviews/", review_list, name="bench-floor-reviews"),
]


def cases(org: Any) -> list[tuple[str, str, dict[str, Any], str]]:
    """(name, page url, floor parameters, floor url name) for `run.py`."""
    return [
        (
            "onboarding list (active)",
            reverse("onboarding:onboarding-list"),
            {},
            "bench-floor-onboardings",
        ),
        ("onboarding compliance", reverse("onboarding:compliance"), {}, "bench-floor-compliance"),
        (
            "progress reviews (attention)",
            reverse("onboarding:review-list"),
            {},
            "bench-floor-reviews",
        ),
    ]
