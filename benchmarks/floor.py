"""Floor views: what a page cannot beat.

Each fetches the rows its page shows with raw SQL (a paginated list also counts its matches, as
the page's paginator does) and writes them out as a bare HTML table in a plain loop: no ORM, no
forms, no templates, no permission rules. The middleware still runs, so the floor includes the
request overhead that `trivial` measures on its own. The SQL mirrors
`leerplek.people.selectors.employee_list` and `unit_tree` for a user who sees the whole
organisation.
"""

from __future__ import annotations

from html import escape
from typing import Any

from django.conf import settings
from django.db import connection
from django.http import HttpRequest, HttpResponse
from django.utils import timezone


def trivial(request: HttpRequest) -> HttpResponse:
    """The cost of a request through the middleware (session, user, access) with no work."""
    return HttpResponse("ok")


def _people_where(request: HttpRequest) -> tuple[str, list[Any]]:
    today = timezone.localdate().isoformat()
    where = ["e.organisation_id = %s", "(e.exit_date IS NULL OR e.exit_date >= %s)"]
    params: list[Any] = [int(request.GET["org"]), today]
    like = "ILIKE" if connection.vendor == "postgresql" else "LIKE"
    for word in request.GET.get("q", "").split():
        where.append(
            f"(e.first_name {like} %s OR e.last_name {like} %s OR e.email {like} %s"
            f" OR e.employee_number {like} %s)"
        )
        params += [f"%{word}%"] * 4
    if unit := request.GET.get("unit"):
        where.append("u.path LIKE (SELECT path FROM people_orgunit WHERE id = %s) || '%%'")
        params.append(int(unit))
    if person_type := request.GET.get("type"):
        where.append("e.person_type = %s")
        params.append(person_type)
    if job := request.GET.get("job"):
        where.append("e.job_id = %s")
        params.append(int(job))
    return " AND ".join(where), params


def people(request: HttpRequest) -> HttpResponse:
    """One page of the people list: the count and the page's rows."""
    size = settings.LEERPLEK["PAGE_SIZE"]
    page = int(request.GET.get("page", "1"))
    where, params = _people_where(request)
    joins = (
        "FROM people_employee e LEFT JOIN people_orgunit u ON u.id = e.unit_id"
        " LEFT JOIN people_job j ON j.id = e.job_id"
    )
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT COUNT(*) {joins} WHERE {where}", params)
        count = cursor.fetchone()[0]
        cursor.execute(
            "SELECT e.id, e.last_name, e.first_name, e.exit_date, j.name, u.name,"
            f" e.person_type, e.hire_date {joins} WHERE {where}"
            " ORDER BY e.last_name, e.first_name, e.id LIMIT %s OFFSET %s",
            [*params, size, (page - 1) * size],
        )
        rows = cursor.fetchall()
    out = [f"<p>{count} people</p><table>"]
    for pk, last, first, exit_date, job, unit, person_type, hire_date in rows:
        left = " left" if exit_date else ""
        out.append(
            f'<tr><td><a href="/people/{pk}/">{escape(last)}, {escape(first)}</a>{left}</td>'
            f"<td>{escape(job or '-')}</td><td>{escape(unit or '-')}</td>"
            f"<td>{person_type}</td><td>{hire_date}</td></tr>"
        )
    out.append("</table>")
    response = HttpResponse("".join(out))
    response["X-Rows"] = str(count)
    return response


def units(request: HttpRequest) -> HttpResponse:
    """The unit tree: every unit with its leader and number of active members, in path order."""
    today = timezone.localdate().isoformat()
    org = int(request.GET["org"])
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT u.id, u.name, u.kind, u.depth, l.first_name, l.last_name, c.n"
            " FROM people_orgunit u"
            " LEFT JOIN people_employee l ON l.id = u.leader_id"
            " LEFT JOIN (SELECT unit_id, COUNT(*) AS n FROM people_employee"
            "   WHERE organisation_id = %s AND (exit_date IS NULL OR exit_date >= %s)"
            "   GROUP BY unit_id) c ON c.unit_id = u.id"
            " WHERE u.organisation_id = %s ORDER BY u.path",
            [org, today, org],
        )
        rows = cursor.fetchall()
    out = ["<table>"]
    for pk, name, kind, depth, first, last, members in rows:
        leader = f"{escape(first)} {escape(last)}" if first is not None else ""
        out.append(
            f'<tr><td>{depth}</td><td><a href="/people/units/{pk}/">{escape(name)}</a></td>'
            f"<td>{kind}</td><td>{members or 0}</td><td>{leader}</td></tr>"
        )
    out.append("</table>")
    response = HttpResponse("".join(out))
    response["X-Rows"] = str(len(rows))
    return response
