"""Floor views: what a page cannot beat.

Each fetches the rows its page shows with raw SQL (a paginated list also counts its matches, as
the page's paginator does) and writes them out as a bare HTML table in a plain loop: no ORM, no
forms, no templates, no permission rules. The middleware still runs, so the floor includes the
request overhead that `trivial` measures on its own. The SQL mirrors
`leerplek.people.selectors.employee_list` and `unit_tree` for a user who sees the whole
organisation.
"""

from __future__ import annotations

import datetime
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


# --- Competences (issue #4) ----------------------------------------------------------------------
# The floors below mirror `leerplek.competences.selectors.matrix_for_unit`,
# `gap_selectors.gaps_for_unit` and `gap_selectors.retention_risks` for a user who sees the whole
# organisation: the same cells by raw SQL, the latest official assessment per person and
# competence kept by a plain loop over rows sorted newest first.


def _unit_people(cursor: Any, org: int, unit: int) -> tuple[str, list[Any]]:
    """SQL (and its parameters) for the active people in `unit` and its sub-units."""
    cursor.execute("SELECT path FROM people_orgunit WHERE id = %s", [unit])
    path = cursor.fetchone()[0]
    sql = (
        "FROM people_employee e JOIN people_orgunit u ON u.id = e.unit_id"
        " WHERE e.organisation_id = %s AND (e.exit_date IS NULL OR e.exit_date >= %s)"
        " AND u.path LIKE %s"
    )
    return sql, [org, timezone.localdate().isoformat(), f"{path}%"]


def _latest(cursor: Any, people_sql: str, params: list[Any], columns: str) -> dict[Any, Any]:
    """(person, competence): level code and rank of the latest official assessment, for the
    competence ids listed in `columns`."""
    cursor.execute(
        "SELECT a.employee_id, a.competence_id, l.code, l.rank"
        " FROM competences_assessment a JOIN competences_level l ON l.id = a.level_id"
        f" WHERE a.employee_id IN (SELECT e.id {people_sql}) AND a.competence_id IN ({columns})"
        " AND a.is_self = %s"
        " ORDER BY a.employee_id, a.competence_id,"
        " a.assessed_on DESC, a.created_at DESC, a.id DESC",
        [*params, False],
    )
    latest: dict[Any, Any] = {}
    for employee_id, competence_id, code, rank in cursor.fetchall():
        latest.setdefault((employee_id, competence_id), (code, rank))
    return latest


def _requirements(
    cursor: Any, org: int, people_sql: str, params: list[Any], unit_path: str | None
) -> list[Any]:
    """Requirements of the people's functions and workstations (and, for the matrix, of the
    unit's workstations): competence id, code, function, workstation, level code and rank."""
    where = [
        f"r.job_id IN (SELECT e.job_id {people_sql})",
        f"r.workstation_id IN (SELECT e.workstation_id {people_sql})",
    ]
    extra: list[Any] = [*params, *params]
    if unit_path is not None:
        where.append(
            "r.workstation_id IN (SELECT w.id FROM people_workstation w"
            " JOIN people_orgunit wu ON wu.id = w.unit_id WHERE wu.path LIKE %s)"
        )
        extra.append(unit_path)
    cursor.execute(
        "SELECT r.competence_id, c.code, r.job_id, r.workstation_id, l.code, l.rank"
        " FROM competences_requirement r JOIN competences_competence c ON c.id = r.competence_id"
        " JOIN competences_level l ON l.id = r.level_id"
        f" WHERE r.organisation_id = %s AND c.is_active = %s AND ({' OR '.join(where)})",
        [org, True, *extra],
    )
    return cursor.fetchall()


def matrix(request: HttpRequest) -> HttpResponse:
    """The skills matrix of a unit: people by required competences, each cell the latest official
    level and the required level, as a bare table."""
    org, unit = int(request.GET["org"]), int(request.GET["unit"])
    with connection.cursor() as cursor:
        people_sql, params = _unit_people(cursor, org, unit)
        cursor.execute(
            f"SELECT e.id, e.last_name, e.first_name, e.job_id, e.workstation_id {people_sql}"
            " ORDER BY e.last_name, e.first_name",
            params,
        )
        people = cursor.fetchall()
        requirements = _requirements(cursor, org, people_sql, params, params[-1])
        columns = sorted({(code, cid) for cid, code, *_rest in requirements})
        by_target: dict[Any, dict[int, tuple[str, int]]] = {}
        for cid, _code, job, station, level, rank in requirements:
            target = by_target.setdefault(("j", job) if job else ("w", station), {})
            target[cid] = (level, rank)
        # The column ids are integers the database just gave: safe to write into the SQL.
        ids = ",".join(str(cid) for _code, cid in columns) or "0"
        latest = _latest(cursor, people_sql, params, ids)
    out = ["<table><tr><th></th>"]
    out += [f"<th>{escape(code)}</th>" for code, _cid in columns]
    out.append("</tr>")
    for pk, last, first, job, station in people:
        required = {**by_target.get(("j", job), {})}
        for cid, level_rank in by_target.get(("w", station), {}).items():
            if cid not in required or level_rank[1] > required[cid][1]:
                required[cid] = level_rank
        out.append(f'<tr><th><a href="/people/{pk}/">{escape(last)}, {escape(first)}</a></th>')
        for _code, cid in columns:
            code, rank = latest.get((pk, cid), ("", -1))
            need = required.get(cid)
            if need is None:
                out.append(f"<td>{code}</td>")
            else:
                gap = " class=gap" if rank < need[1] else ""
                out.append(f"<td{gap}>{code}<sub>{need[0]}</sub></td>")
        out.append("</tr>")
    out.append("</table>")
    response = HttpResponse("".join(out))
    response["X-Rows"] = str(len(people))
    response["X-Columns"] = str(len(columns))
    return response


def gaps(request: HttpRequest) -> HttpResponse:
    """The gap list of a unit: every requirement of a person's function or workstation his latest
    official level does not meet; the count and the first page, as a bare table."""
    size = settings.LEERPLEK["PAGE_SIZE"]
    org, unit = int(request.GET["org"]), int(request.GET["unit"])
    with connection.cursor() as cursor:
        people_sql, params = _unit_people(cursor, org, unit)
        cursor.execute(
            "SELECT e.id, e.last_name, e.first_name, e.job_id, e.workstation_id, e.hire_date"
            f" {people_sql}",
            params,
        )
        people = cursor.fetchall()
        requirements = _requirements(cursor, org, people_sql, params, None)
        ids = ",".join(str(cid) for cid in {r[0] for r in requirements}) or "0"
        latest = _latest(cursor, people_sql, params, ids)
        cursor.execute(
            "SELECT employee_id, competence_id FROM competences_trainingneed"
            f" WHERE employee_id IN (SELECT e.id {people_sql}) AND status = %s",
            [*params, "open"],
        )
        needs = set(cursor.fetchall())
        cursor.execute(
            "SELECT employee_id, job_id, start_date FROM people_jobassignment"
            f" WHERE employee_id IN (SELECT e.id {people_sql}) AND end_date IS NULL"
            " ORDER BY employee_id, start_date DESC",
            params,
        )
        started: dict[Any, Any] = {}
        for employee_id, job_id, start in cursor.fetchall():
            started.setdefault((employee_id, job_id), start)
    by_target: dict[Any, list[Any]] = {}
    for row in requirements:
        by_target.setdefault(("j", row[2]) if row[2] else ("w", row[3]), []).append(row)
    found = []
    for pk, last, first, job, station, hired in people:
        wanted: dict[int, Any] = {}
        for row in [*by_target.get(("j", job), []), *by_target.get(("w", station), [])]:
            if row[0] not in wanted or row[5] > wanted[row[0]][5]:
                wanted[row[0]] = row
        for cid, (_cid, code, from_job, _station, level, rank) in wanted.items():
            actual, actual_rank = latest.get((pk, cid), ("", -1))
            if actual_rank >= rank:
                continue
            since = max(hired, started.get((pk, job), hired)) if from_job else hired
            found.append((last, first, pk, code, level, actual, since, (pk, cid) in needs))
    found.sort()
    out = [f"<p>{len(found)} gaps</p><table>"]
    for last, first, pk, code, level, actual, since, need in found[:size]:
        out.append(
            f'<tr><td><a href="/people/{pk}/">{escape(last)}, {escape(first)}</a></td>'
            f"<td>{escape(code)}</td><td>{level}</td><td>{actual or '-'}</td><td>{since}</td>"
            f"<td>{'need' if need else ''}</td></tr>"
        )
    out.append("</table>")
    response = HttpResponse("".join(out))
    response["X-Rows"] = str(len(found))
    return response


def retention(request: HttpRequest) -> HttpResponse:
    """Knowledge-retention risk of the whole organisation: per required competence the active
    holders at a covering level and who of them leaves within the horizon; the first page of the
    competences at risk, highest score first, as a bare table."""
    size = settings.LEERPLEK["PAGE_SIZE"]
    org = int(request.GET["org"])
    today = timezone.localdate()
    horizon_end = _add_months(today, settings.LEERPLEK["RETENTION_HORIZON_MONTHS"])
    retirement_age = settings.LEERPLEK["RETIREMENT_AGE"]
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT r.competence_id, c.code, c.name, MAX(r.ideal_count),"
            " MAX(j.months_to_independence)"
            " FROM competences_requirement r"
            " JOIN competences_competence c ON c.id = r.competence_id"
            " LEFT JOIN people_job j ON j.id = r.job_id"
            " WHERE r.organisation_id = %s AND c.is_active = %s"
            " GROUP BY r.competence_id, c.code, c.name",
            [org, True],
        )
        competences = {row[0]: row[1:] for row in cursor.fetchall()}
        active = (
            "SELECT id FROM people_employee WHERE organisation_id = %s"
            " AND (exit_date IS NULL OR exit_date >= %s)"
        )
        # Holdings: latest official assessments (no newer one exists) at a covering level.
        cursor.execute(
            "SELECT a.employee_id, a.competence_id"
            " FROM competences_assessment a JOIN competences_level l ON l.id = a.level_id"
            f" WHERE a.organisation_id = %s AND a.is_self = %s AND a.employee_id IN ({active})"
            " AND l.counts_for_coverage = %s"
            " AND a.competence_id IN (SELECT competence_id FROM competences_requirement"
            " WHERE organisation_id = %s)"
            " AND NOT EXISTS (SELECT 1 FROM competences_assessment b"
            " WHERE b.employee_id = a.employee_id AND b.competence_id = a.competence_id"
            " AND b.is_self = %s AND (b.assessed_on > a.assessed_on"
            " OR (b.assessed_on = a.assessed_on AND b.created_at > a.created_at)"
            " OR (b.assessed_on = a.assessed_on AND b.created_at = a.created_at AND b.id > a.id)))",
            [org, False, org, today.isoformat(), True, org, False],
        )
        held = cursor.fetchall()
        cursor.execute(
            "SELECT id, last_name, first_name, birth_date, exit_date, planned_exit_date"
            " FROM people_employee WHERE organisation_id = %s"
            " AND (exit_date IS NULL OR exit_date >= %s)",
            [org, today.isoformat()],
        )
        leaves: dict[int, Any] = {}
        names: dict[int, str] = {}
        for pk, last, first, birth, exit_date, planned in cursor.fetchall():
            dates = [_date(d) for d in (exit_date, planned) if d is not None]
            if birth is not None:
                dates.append(_add_months(_date(birth), 12 * retirement_age))
            soon = [d for d in dates if d <= horizon_end]
            leaves[pk] = min(soon) if soon else None
            names[pk] = f"{last}, {first}"
    holders: dict[int, list[int]] = {}
    for employee_id, competence_id in held:
        if competence_id in competences:
            holders.setdefault(competence_id, []).append(employee_id)
    risks = []
    for cid, (code, name, ideal, months) in competences.items():
        held = holders.get(cid, [])
        leaving = [pk for pk in held if leaves[pk] is not None]
        ideal = max(ideal, 1)
        if len(held) >= ideal and 2 * len(leaving) <= len(held):
            continue
        missing = max(ideal - (len(held) - len(leaving)), 0) / ideal
        share = len(leaving) / len(held) if held else 0
        score = round(100 * max(missing, share)) * (months or 6)
        risks.append((-score, code, name, len(held), ideal, sorted(names[pk] for pk in held)))
    risks.sort()
    out = [f"<p>{len(risks)} competences at risk</p><table>"]
    for score, code, name, count, ideal, who in risks[:size]:
        out.append(
            f"<tr><td>{escape(code)} {escape(name)}</td><td>{count}/{ideal}</td><td>{-score}</td>"
            f"<td>{escape('; '.join(who))}</td></tr>"
        )
    out.append("</table>")
    response = HttpResponse("".join(out))
    response["X-Rows"] = str(len(risks))
    return response


def _date(value: Any) -> datetime.date:
    """SQLite returns dates as text, PostgreSQL as dates."""
    return value if isinstance(value, datetime.date) else datetime.date.fromisoformat(value)


def _add_months(day: datetime.date, months: int) -> datetime.date:
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    for last in (31, 30, 29, 28):
        try:
            return day.replace(year=year, month=month, day=min(day.day, last))
        except ValueError:
            continue
    raise ValueError(day)
