"""Reads of the training volume (REP-07, REP-09; docs/registration-rights-volume.md).

For a period (a financial year, or any from/to dates), from the records only:

- **what counts**: completed participations in confirmed, not excluded activities ending in the
  period; every person type (the breakdown by person type shows them apart);
- **hours, participants (distinct people) and net cost** (gross + contributions to collective
  funds - subsidies, from the cost lines' kinds) by unit (the person's own unit), gender, age
  band at the period's end (`AGE_BANDS`), person type and category;
- **cost lines**: a line naming a participant goes to that participant; a line without one is
  shared over the activity's completed participants pro rata to their hours (equally when nobody
  has hours). A line of an activity nobody completed is left out. Company-level fund
  contributions (not linked to an activity) are not in the volume; they are in the social
  balance;
- **per employee**: the hours and net cost of own staff (person type "employee") divided by the
  own staff employed at any time in the period (headcount);
- **days per FTE**: own staff's hours ÷ `HOURS_PER_DAY` ÷ their FTE (each person's work regime
  weighted over the days he was employed in the period, full-time without a regime), against
  the interprofessional target `TRAINING_DAYS_TARGET` (5 days a year; pro rata for a period
  that is not a financial year).

Aggregates come from SQL in a fixed number of queries (hours and shared cost per person and
category in one statement, direct cost lines in a second, hours per day for the chart in a
third, the people's attributes in a fourth, the work regimes in a fifth), whatever the number of
registrations. Consultation bodies see aggregates only: groups of fewer than `MIN_GROUP_SIZE`
people are hidden, with secondary suppression so a hidden group cannot be worked out from the
total; a line manager sees the people of his units only.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db import connection
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from leerplek.core.access import Access
from leerplek.core.permissions import PERMISSIONS
from leerplek.core.roles import Role
from leerplek.people.models import Employee, Gender, Organisation, PersonType
from leerplek.registration.models import (
    GROSS_COST_KINDS,
    ActivityStatus,
    Category,
    CostKind,
    EmployeeRegime,
    ParticipationStatus,
)
from leerplek.registration.selectors_rights import (
    _scope_q,
    config,
    hours_per_day,
    regimes_by_employee,
    weighted_days,
)

CENT = Decimal("0.01")
ZERO = Decimal("0.00")
VOLUME_ROLES = PERMISSIONS["registration.view_volume"].roles
# Who sees people: anyone with a volume role other than the consultation body.
PERSON_ROLES = (Role.HR, Role.ADMIN, Role.MANAGER)
# Age bands at the period's end (REP-09: "65 % of under-25s to 48 % of over-50s" in the brochure
# asks for young and older workers apart; ten-year bands in between).
AGE_BANDS: tuple[tuple[int, int, str], ...] = (
    (0, 24, "<25"),
    (25, 34, "25-34"),
    (35, 44, "35-44"),
    (45, 54, "45-54"),
    (55, 200, "55+"),
)
UNKNOWN_AGE = "?"


def min_group_size() -> int:
    return int(config("MIN_GROUP_SIZE", 5))


def days_target() -> Decimal:
    return Decimal(str(config("TRAINING_DAYS_TARGET", 5)))


def _money(value: Any) -> Decimal:
    return Decimal(str(value or 0)).quantize(CENT, rounding=ROUND_HALF_UP)


def _number(value: Any) -> Decimal:
    return Decimal(str(value)) if value is not None else Decimal("0")


def age_on(birth: datetime.date | None, day: datetime.date) -> str:
    if birth is None:
        return UNKNOWN_AGE
    age = day.year - birth.year - ((day.month, day.day) < (birth.month, birth.day))
    return next((label for low, high, label in AGE_BANDS if low <= age <= high), AGE_BANDS[-1][2])


@dataclass
class Period:
    start: datetime.date
    end: datetime.date
    year: int | None = None  # a financial year, named by the calendar year it ends in

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    def months(self) -> list[datetime.date]:
        months: list[datetime.date] = []
        month = self.start.replace(day=1)
        while month <= self.end:
            months.append(month)
            month = (month + datetime.timedelta(days=32)).replace(day=1)
        return months


@dataclass
class VolumeRow:
    key: str
    label: Any
    participants: int | None
    hours: Decimal | None
    net: Decimal | None
    hidden_count: int = 0  # never shown: decides the secondary suppression

    @property
    def hidden(self) -> bool:
        return self.participants is None


@dataclass
class Breakdown:
    key: str
    title: Any
    rows: list[VolumeRow]


@dataclass
class Month:
    month: datetime.date
    hours: Decimal


@dataclass
class Volume:
    period: Period
    aggregates_only: bool
    min_group: int
    participants: int | None
    hours: Decimal | None
    gross: Decimal | None
    contributions: Decimal | None
    subsidies: Decimal | None
    staff_headcount: int
    staff_fte: Decimal
    staff_hours: Decimal
    staff_net: Decimal
    target: Decimal
    breakdowns: list[Breakdown] = field(default_factory=list)
    months: list[Month] = field(default_factory=list)

    @property
    def net(self) -> Decimal | None:
        if self.gross is None or self.contributions is None or self.subsidies is None:
            return None
        return self.gross + self.contributions - self.subsidies

    @property
    def hours_per_employee(self) -> Decimal | None:
        if not self.staff_headcount:
            return None
        return _money(self.staff_hours / self.staff_headcount)

    @property
    def cost_per_employee(self) -> Decimal | None:
        if not self.staff_headcount:
            return None
        return _money(self.staff_net / self.staff_headcount)

    @property
    def days_per_fte(self) -> Decimal | None:
        if not self.staff_fte:
            return None
        return _money(self.staff_hours / hours_per_day() / self.staff_fte)

    @property
    def meets_target(self) -> bool:
        days = self.days_per_fte
        return days is not None and days >= self.target

    def breakdown(self, key: str) -> Breakdown:
        return next(item for item in self.breakdowns if item.key == key)


def scope_of(access: Access, unit_path: str = "") -> QuerySet[Employee]:
    """The people whose learning the user may count: the units of his volume roles (the whole
    organisation for a grant without a unit)."""
    people = Employee.objects.filter(_scope_q(access, VOLUME_ROLES))
    if unit_path:
        people = people.filter(unit__path__startswith=unit_path)
    return people


def sees_people(access: Access) -> bool:
    """HR, administrators and line managers see people; a consultation member aggregates only."""
    return access.has_role(*PERSON_ROLES)


def _suppress(rows: list[VolumeRow], min_group: int) -> list[VolumeRow]:
    """Hide groups of fewer than `min_group` people, then more groups (smallest first) until the
    hidden ones hold at least `min_group` people: the total is shown, so one hidden group
    could otherwise be worked out by subtraction."""
    for row in rows:
        if row.participants is not None and row.participants < min_group:
            row.hidden_count = row.participants
            row.participants, row.hours, row.net = None, None, None
    hidden = [row for row in rows if row.hidden]
    if not hidden:
        return rows
    hidden_sum = sum(row.hidden_count for row in hidden)
    visible = sorted((row for row in rows if not row.hidden), key=lambda r: r.participants or 0)
    for row in visible:
        if hidden_sum >= min_group:
            break
        hidden_sum += row.participants or 0
        row.hidden_count = row.participants or 0
        row.participants, row.hours, row.net = None, None, None
    return rows


def _counted_sql() -> str:
    return (
        "a.organisation_id = %s AND a.status = %s AND a.exclusion = ''"
        " AND a.end_date >= %s AND a.end_date <= %s"
    )


def volume(
    *,
    access: Access,
    organisation: Organisation,
    period: Period,
    unit_path: str = "",
    aggregates_only: bool | None = None,
) -> Volume:
    """The training volume of the people in scope over `period` (five queries)."""
    if aggregates_only is None:
        aggregates_only = not sees_people(access)
    scope = scope_of(access, unit_path)
    scope_sql, scope_params = scope.values("pk").query.sql_with_params()
    activity_params: list[Any] = [
        organisation.pk,
        ActivityStatus.CONFIRMED,
        period.start,
        period.end,
    ]
    gross_marks = ", ".join(["%s"] * len(GROSS_COST_KINDS))
    share = "CASE WHEN t.h > 0 THEN c.hours * 1.0 / t.h ELSE 1.0 / t.n END"
    # Only placeholders and fixed SQL fragments are formatted in; every value is a parameter.
    # `(+x) IN (...)`: see `selectors_rights.Unindexed` (SQLite must not probe per person).
    shared_sql = f"""
        WITH counted AS (
            SELECT p.activity_id, a.category, p.employee_id, p.hours
            FROM registration_participation p
            JOIN registration_activity a ON a.id = p.activity_id
            WHERE {_counted_sql()} AND p.status = %s
        ),
        totals AS (
            SELECT activity_id, SUM(hours) AS h, COUNT(*) AS n FROM counted GROUP BY activity_id
        ),
        shared AS (
            SELECT l.activity_id,
                SUM(CASE WHEN l.kind IN ({gross_marks}) THEN l.amount ELSE 0 END) AS gross,
                SUM(CASE WHEN l.kind = %s THEN l.amount ELSE 0 END) AS contributions,
                SUM(CASE WHEN l.kind = %s THEN l.amount ELSE 0 END) AS subsidies
            FROM registration_costline l
            JOIN registration_activity a ON a.id = l.activity_id
            WHERE l.employee_id IS NULL AND {_counted_sql()}
            GROUP BY l.activity_id
        )
        SELECT c.employee_id, c.category, SUM(c.hours),
            SUM(COALESCE(s.gross, 0) * {share}),
            SUM(COALESCE(s.contributions, 0) * {share}),
            SUM(COALESCE(s.subsidies, 0) * {share})
        FROM counted c
        JOIN totals t ON t.activity_id = c.activity_id
        LEFT JOIN shared s ON s.activity_id = c.activity_id
        WHERE (+c.employee_id) IN ({scope_sql})
        GROUP BY c.employee_id, c.category
    """  # noqa: S608
    direct_sql = f"""
        SELECT l.employee_id, a.category,
            SUM(CASE WHEN l.kind IN ({gross_marks}) THEN l.amount ELSE 0 END),
            SUM(CASE WHEN l.kind = %s THEN l.amount ELSE 0 END),
            SUM(CASE WHEN l.kind = %s THEN l.amount ELSE 0 END)
        FROM registration_costline l
        JOIN registration_participation p
            ON p.activity_id = l.activity_id AND p.employee_id = l.employee_id
        JOIN registration_activity a ON a.id = l.activity_id
        WHERE {_counted_sql()} AND p.status = %s AND (+l.employee_id) IN ({scope_sql})
        GROUP BY l.employee_id, a.category
    """  # noqa: S608
    days_sql = f"""
        SELECT a.end_date, SUM(p.hours)
        FROM registration_participation p
        JOIN registration_activity a ON a.id = p.activity_id
        WHERE {_counted_sql()} AND p.status = %s AND (+p.employee_id) IN ({scope_sql})
        GROUP BY a.end_date
    """  # noqa: S608
    kinds = [*GROSS_COST_KINDS, CostKind.CONTRIBUTION, CostKind.SUBSIDY]
    completed = ParticipationStatus.COMPLETED
    # (employee, category) -> [hours, gross, contributions, subsidies]
    figures: dict[tuple[int, str], list[Decimal]] = {}
    per_day: list[tuple[datetime.date, Decimal]] = []
    with connection.cursor() as cursor:
        cursor.execute(
            shared_sql,
            [*activity_params, completed, *kinds, *activity_params, *scope_params],
        )
        for employee_id, category, hours, gross, contributions, subsidies in cursor.fetchall():
            figures[(employee_id, category)] = [
                _number(hours),
                _number(gross),
                _number(contributions),
                _number(subsidies),
            ]
        cursor.execute(direct_sql, [*kinds, *activity_params, completed, *scope_params])
        for employee_id, category, gross, contributions, subsidies in cursor.fetchall():
            found = figures.setdefault((employee_id, category), [Decimal("0")] * 4)
            found[1] += _number(gross)
            found[2] += _number(contributions)
            found[3] += _number(subsidies)
        cursor.execute(days_sql, [*activity_params, completed, *scope_params])
        for day, hours in cursor.fetchall():
            if isinstance(day, str):  # SQLite hands dates back as text in raw SQL
                day = datetime.date.fromisoformat(day)
            per_day.append((day, _number(hours)))
    people: dict[int, dict[str, Any]] = {
        row["pk"]: dict(row)
        for row in scope.filter(hire_date__lte=period.end).values(
            "pk",
            "unit_id",
            "unit__name",
            "unit__path",
            "gender",
            "birth_date",
            "person_type",
            "hire_date",
            "exit_date",
        )
    }
    regimes = regimes_by_employee(
        EmployeeRegime.objects.filter(organisation=organisation, employee_id__in=scope.values("pk"))
    )
    return _assemble(
        period=period,
        figures=figures,
        per_day=per_day,
        people=people,
        regimes=regimes,
        aggregates_only=aggregates_only,
    )


def _assemble(
    *,
    period: Period,
    figures: dict[tuple[int, str], list[Decimal]],
    per_day: list[tuple[datetime.date, Decimal]],
    people: dict[int, dict[str, Any]],
    regimes: dict[int, list[tuple[datetime.date, datetime.date | None, Decimal]]],
    aggregates_only: bool,
) -> Volume:
    dimensions: dict[str, dict[str, list[Any]]] = {
        name: defaultdict(lambda: [set(), Decimal("0"), Decimal("0")])
        for name in ("unit", "gender", "age", "person_type", "category")
    }
    unit_labels: dict[str, tuple[str, str]] = {}
    everyone: set[int] = set()
    totals = [Decimal("0")] * 4
    staff_hours = Decimal("0")
    staff_net = Decimal("0")
    for (employee_id, category), (hours, gross, contributions, subsidies) in figures.items():
        person = people.get(employee_id)
        if person is None:
            continue
        net = gross + contributions - subsidies
        everyone.add(employee_id)
        for index, value in enumerate((hours, gross, contributions, subsidies)):
            totals[index] += value
        unit_key = str(person["unit_id"] or "")
        unit_labels[unit_key] = (person["unit__path"] or "~", person["unit__name"] or "—")
        keys = {
            "unit": unit_key,
            "gender": person["gender"],
            "age": age_on(person["birth_date"], period.end),
            "person_type": person["person_type"],
            "category": category,
        }
        for name, key in keys.items():
            group = dimensions[name][key]
            group[0].add(employee_id)
            group[1] += hours
            group[2] += net
        if person["person_type"] == PersonType.EMPLOYEE:
            staff_hours += hours
            staff_net += net
    labels: dict[str, dict[str, Any]] = {
        "gender": dict(Gender.choices),
        "person_type": dict(PersonType.choices),
        "category": dict(Category.choices),
        "age": {label: label for _low, _high, label in AGE_BANDS} | {UNKNOWN_AGE: _("unknown")},
        "unit": {key: name for key, (_path, name) in unit_labels.items()},
    }
    orders: dict[str, list[str]] = {
        "gender": list(dict(Gender.choices)),
        "person_type": list(dict(PersonType.choices)),
        "category": list(dict(Category.choices)),
        "age": [label for _low, _high, label in AGE_BANDS] + [UNKNOWN_AGE],
        "unit": [key for key, _value in sorted(unit_labels.items(), key=lambda item: item[1])],
    }
    titles = {
        "unit": _("By unit"),
        "gender": _("By gender"),
        "age": _("By age band"),
        "person_type": _("By person type"),
        "category": _("By category"),
    }
    min_group = min_group_size()
    breakdowns = []
    for name, groups in dimensions.items():
        rows = [
            VolumeRow(
                key=key,
                label=labels[name].get(key, key),
                participants=len(groups[key][0]),
                hours=_money(groups[key][1]),
                net=_money(groups[key][2]),
            )
            for key in orders[name]
            if key in groups
        ]
        if aggregates_only:
            rows = _suppress(rows, min_group)
        breakdowns.append(Breakdown(key=name, title=titles[name], rows=rows))
    # Own staff for the per-employee figures and the days per FTE.
    headcount = 0
    weighted = Decimal("0")
    for pk, person in people.items():
        if person["person_type"] != PersonType.EMPLOYEE:
            continue
        if person["exit_date"] is not None and person["exit_date"] < period.start:
            continue
        headcount += 1
        weighted += weighted_days(
            hire=person["hire_date"],
            exit=person["exit_date"],
            periods=regimes.get(pk, []),
            start=period.start,
            end=period.end,
        )
    fte = _money(weighted / period.days)
    target = days_target()
    if period.year is None:
        target = _money(target * period.days / 365)
    month_hours: dict[datetime.date, Decimal] = defaultdict(Decimal)
    for day, hours in per_day:
        month_hours[day.replace(day=1)] += hours
    hidden_total = aggregates_only and len(everyone) < min_group
    return Volume(
        period=period,
        aggregates_only=aggregates_only,
        min_group=min_group,
        participants=None if hidden_total else len(everyone),
        hours=None if hidden_total else _money(totals[0]),
        gross=None if hidden_total else _money(totals[1]),
        contributions=None if hidden_total else _money(totals[2]),
        subsidies=None if hidden_total else _money(totals[3]),
        staff_headcount=headcount,
        staff_fte=fte,
        staff_hours=_money(staff_hours),
        staff_net=_money(staff_net),
        target=target,
        breakdowns=breakdowns,
        months=[
            Month(month=month, hours=_money(month_hours.get(month, 0))) for month in period.months()
        ],
    )
