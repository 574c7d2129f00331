"""Reads of the registration core: the social balance's training section (REG-03, REG-06), the
records behind each of its figures, and the activity lists.

The social balance is computed from the records in a fixed number of queries whatever their
number: one aggregate query gives, per category and gender column, the people (each counted once
per category), their hours and the cost lines shared over them; a second one the cost lines that
name a participant; a third the company-level fund contributions and the basis to split them.
Which rows count (belgian-rules.md §1.5; the [U] rules are settings, docs/registration.md):

- confirmed activities that are not excluded, whose end date lies in the financial year;
- completed participations only;
- formal and informal: the person types of `SB_CONTINUING_PERSON_TYPES` (own staff, no agency
  workers); initial: those of `SB_INITIAL_PERSON_TYPES` (everyone trained under the scheme);
- a person of gender "x" counts in the column `SB_UNSTATED_GENDER_COLUMN`;
- a cost line that names a participant goes to that person's column if he counts; other cost
  lines are shared over the activity's counted participants pro rata to their hours
  (`SB_COST_SPLIT` "hours", or equally with "people"); a cost of an activity nobody counts in
  is left out;
- net cost = gross (trainee pay, trainer pay, external, running costs, travel) + contributions to
  collective funds - subsidies; company-level contributions go to the formal category
  (58032/58132), split by `SB_CONTRIBUTION_SPLIT`.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.conf import settings
from django.db import connection
from django.db.models import Count, Q, QuerySet, Sum
from django.utils.translation import gettext_lazy as _

from leerplek.people.models import Employee, Organisation
from leerplek.registration.models import (
    GROSS_COST_KINDS,
    Activity,
    ActivityStatus,
    Category,
    CompanyContribution,
    CostKind,
    CostLine,
    FinancialYear,
    Participation,
    ParticipationStatus,
)
from leerplek.registration.services import year_bounds

CENT = Decimal("0.01")
COLUMNS = ("m", "f")

# (category, line) -> (men's code, women's code). Lines: workers, hours, net, gross,
# contributions, subsidies (the last three for the formal category only).
CODES: dict[tuple[str, str], tuple[str, str]] = {
    (Category.FORMAL, "workers"): ("5801", "5811"),
    (Category.FORMAL, "hours"): ("5802", "5812"),
    (Category.FORMAL, "net"): ("5803", "5813"),
    (Category.FORMAL, "gross"): ("58031", "58131"),
    (Category.FORMAL, "contributions"): ("58032", "58132"),
    (Category.FORMAL, "subsidies"): ("58033", "58133"),
    (Category.INFORMAL, "workers"): ("5821", "5831"),
    (Category.INFORMAL, "hours"): ("5822", "5832"),
    (Category.INFORMAL, "net"): ("5823", "5833"),
    (Category.INITIAL, "workers"): ("5841", "5851"),
    (Category.INITIAL, "hours"): ("5842", "5852"),
    (Category.INITIAL, "net"): ("5843", "5853"),
}
LINE_LABELS: dict[str, Any] = {
    "workers": _("Number of workers involved"),
    "hours": _("Number of training hours followed"),
    "net": _("Net cost for the company"),
    "gross": _("of which gross cost directly linked to training"),
    "contributions": _("of which contributions paid and payments to collective funds"),
    "subsidies": _("of which grants and other financial advantages received (to deduct)"),
}
CATEGORY_TITLES: dict[str, Any] = {
    Category.FORMAL: _("Formal continuing vocational training at the employer's expense"),
    Category.INFORMAL: _(
        "Less formal or informal continuing vocational training at the employer's expense"
    ),
    Category.INITIAL: _("Initial vocational training at the employer's expense"),
}
CATEGORY_LINES: dict[str, tuple[str, ...]] = {
    Category.FORMAL: ("workers", "hours", "net", "gross", "contributions", "subsidies"),
    Category.INFORMAL: ("workers", "hours", "net"),
    Category.INITIAL: ("workers", "hours", "net"),
}
CODE_INDEX = {
    code: (category, line, column)
    for (category, line), pair in CODES.items()
    for code, column in zip(pair, COLUMNS, strict=True)
}


def _setting(key: str) -> Any:
    return settings.LEERPLEK[key]


def unstated_column() -> str:
    column = str(_setting("SB_UNSTATED_GENDER_COLUMN"))
    return column if column in COLUMNS else "m"


def _money(value: Any) -> Decimal:
    return Decimal(str(value or 0)).quantize(CENT, rounding=ROUND_HALF_UP)


@dataclass
class Figure:
    code: str
    value: Decimal | int
    is_count: bool


@dataclass
class SocialBalanceLine:
    line: str
    label: Any
    men: Figure
    women: Figure

    @property
    def total(self) -> Decimal | int:
        return self.men.value + self.women.value


@dataclass
class SocialBalanceBlock:
    category: str
    title: Any
    lines: list[SocialBalanceLine]


@dataclass
class SocialBalance:
    organisation: Organisation
    year: int
    start: datetime.date
    end: datetime.date
    values: dict[tuple[str, str, str], Decimal | int] = field(default_factory=dict)
    notes: dict[str, int] = field(default_factory=dict)
    contribution_basis: str = ""

    def value(self, category: str, line: str, column: str) -> Decimal | int:
        return self.values.get(
            (category, line, column), 0 if line == "workers" else Decimal("0.00")
        )

    def by_code(self) -> dict[str, Decimal | int]:
        """The 24 figures keyed by their code, in the order of the form."""
        return {
            code: self.value(category, line, column)
            for code, (category, line, column) in CODE_INDEX.items()
        }

    def blocks(self) -> list[SocialBalanceBlock]:
        blocks = []
        for category, lines in CATEGORY_LINES.items():
            rows = []
            for line in lines:
                men_code, women_code = CODES[(category, line)]
                rows.append(
                    SocialBalanceLine(
                        line=line,
                        label=LINE_LABELS[line],
                        men=Figure(men_code, self.value(category, line, "m"), line == "workers"),
                        women=Figure(
                            women_code, self.value(category, line, "f"), line == "workers"
                        ),
                    )
                )
            blocks.append(SocialBalanceBlock(category, CATEGORY_TITLES[category], rows))
        return blocks


def _column_sql() -> str:
    return "CASE WHEN e.gender = 'f' THEN 'f' WHEN e.gender = 'm' THEN 'm' ELSE %s END"


def _number(value: Any) -> Decimal:
    return Decimal(str(value)) if value is not None else Decimal("0")


def social_balance(
    organisation: Organisation, year: int, *, with_notes: bool = False
) -> SocialBalance:
    """The 24 figures of the financial year ending in `year`, computed from the records; with
    `with_notes`, also what the figures leave out (one more query)."""
    start, end = year_bounds(organisation, year)
    balance = SocialBalance(organisation=organisation, year=year, start=start, end=end)
    continuing = list(_setting("SB_CONTINUING_PERSON_TYPES"))
    initial = list(_setting("SB_INITIAL_PERSON_TYPES"))
    marks_c = ", ".join(["%s"] * len(continuing)) or "NULL"
    marks_i = ", ".join(["%s"] * len(initial)) or "NULL"
    counted_where = (
        "a.organisation_id = %s AND a.status = %s AND a.exclusion = ''"
        " AND a.end_date >= %s AND a.end_date <= %s AND p.status = %s"
        f" AND ((a.category IN (%s, %s) AND e.person_type IN ({marks_c}))"
        f" OR (a.category = %s AND e.person_type IN ({marks_i})))"
    )
    counted_params: list[Any] = [
        organisation.pk,
        ActivityStatus.CONFIRMED,
        start,
        end,
        ParticipationStatus.COMPLETED,
        Category.FORMAL,
        Category.INFORMAL,
        *continuing,
        Category.INITIAL,
        *initial,
    ]
    column = _column_sql()
    gross_marks = ", ".join(["%s"] * len(GROSS_COST_KINDS))
    by_people = str(_setting("SB_COST_SPLIT")) == "people"
    share = (
        "1.0 / t.n"
        if by_people
        else "CASE WHEN t.h > 0 THEN c.hours * 1.0 / t.h ELSE 1.0 / t.n END"
    )
    # Only placeholders and fixed SQL fragments are formatted in; every value is a parameter.
    sql = f"""
        WITH counted AS (
            SELECT p.activity_id, a.category, p.employee_id, p.hours, {column} AS col
            FROM registration_participation p
            JOIN registration_activity a ON a.id = p.activity_id
            JOIN people_employee e ON e.id = p.employee_id
            WHERE {counted_where}
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
            WHERE l.employee_id IS NULL AND a.organisation_id = %s AND a.status = %s
                AND a.exclusion = '' AND a.end_date >= %s AND a.end_date <= %s
            GROUP BY l.activity_id
        ),
        split AS (
            SELECT s.activity_id, s.gross, s.contributions, s.subsidies, t.h, t.n
            FROM shared s JOIN totals t ON t.activity_id = s.activity_id
        )
        SELECT 'shared', c.category, c.col, COUNT(DISTINCT c.employee_id), SUM(c.hours),
            SUM(COALESCE(t.gross, 0) * {share}),
            SUM(COALESCE(t.contributions, 0) * {share}),
            SUM(COALESCE(t.subsidies, 0) * {share})
        FROM counted c
        LEFT JOIN split t ON t.activity_id = c.activity_id
        GROUP BY c.category, c.col
        UNION ALL
        SELECT 'personal', c.category, c.col, 0, 0,
            SUM(CASE WHEN l.kind IN ({gross_marks}) THEN l.amount ELSE 0 END),
            SUM(CASE WHEN l.kind = %s THEN l.amount ELSE 0 END),
            SUM(CASE WHEN l.kind = %s THEN l.amount ELSE 0 END)
        FROM registration_costline l
        JOIN counted c ON c.activity_id = l.activity_id AND c.employee_id = l.employee_id
        WHERE l.employee_id IS NOT NULL
        GROUP BY c.category, c.col
    """  # noqa: S608
    params = [
        unstated_column(),
        *counted_params,
        *GROSS_COST_KINDS,
        CostKind.CONTRIBUTION,
        CostKind.SUBSIDY,
        organisation.pk,
        ActivityStatus.CONFIRMED,
        start,
        end,
        *GROSS_COST_KINDS,
        CostKind.CONTRIBUTION,
        CostKind.SUBSIDY,
    ]
    costs: dict[tuple[str, str], list[Decimal]] = {}
    values = balance.values
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    # Shared lines first (they carry the people and hours), then the lines that name a person.
    for part, category, col, people, hours, gross, contributions, subsidies in rows:
        if part == "shared":
            values[(category, "workers", col)] = int(people)
            values[(category, "hours", col)] = _money(hours)
        found = costs.setdefault((category, col), [Decimal("0")] * 3)
        found[0] += _number(gross)
        found[1] += _number(contributions)
        found[2] += _number(subsidies)
    company = _company_contributions(organisation, start, end)
    balance.contribution_basis = company["basis"]
    for col in COLUMNS:
        found = costs.setdefault((Category.FORMAL, col), [Decimal("0")] * 3)
        found[1] += company[col]
    for (category, col), (gross, contributions, subsidies) in costs.items():
        rounded = [_money(gross), _money(contributions), _money(subsidies)]
        values[(category, "net", col)] = rounded[0] + rounded[1] - rounded[2]
        if category == Category.FORMAL:
            values[(category, "gross", col)] = rounded[0]
            values[(category, "contributions", col)] = rounded[1]
            values[(category, "subsidies", col)] = rounded[2]
    if with_notes:
        balance.notes = left_out(organisation, start, end)
    return balance


def _company_contributions(
    organisation: Organisation, start: datetime.date, end: datetime.date
) -> dict[str, Any]:
    """The year's company-level fund contributions split over the two columns (NBB FAQ Q3):
    pro rata to the staff cost per gender when the year has both (rule "auto" or
    "staff_cost"), else to the own staff employed on the year's last day."""
    total = CompanyContribution.objects.filter(
        organisation=organisation, paid_on__gte=start, paid_on__lte=end
    ).aggregate(total=Sum("amount"))["total"]
    total = _number(total)
    result: dict[str, Any] = {"m": Decimal("0"), "f": Decimal("0"), "basis": ""}
    if not total:
        return result
    rule = str(_setting("SB_CONTRIBUTION_SPLIT"))
    year = FinancialYear.objects.filter(organisation=organisation, end_date=end).first()
    weights: dict[str, Decimal] = {}
    if rule in ("auto", "staff_cost") and year is not None:
        men, women = year.staff_cost_men, year.staff_cost_women
        if men is not None and women is not None and men + women > 0:
            weights = {"m": men, "f": women}
            result["basis"] = "staff_cost"
    if not weights:
        counts = (
            Employee.objects.filter(
                organisation=organisation,
                person_type__in=list(_setting("SB_CONTINUING_PERSON_TYPES")),
                hire_date__lte=end,
            )
            .filter(Q(exit_date__isnull=True) | Q(exit_date__gte=end))
            .values("gender")
            .annotate(n=Count("id"))
        )
        weights = {"m": Decimal("0"), "f": Decimal("0")}
        for row in counts:
            col = row["gender"] if row["gender"] in COLUMNS else unstated_column()
            weights[col] += Decimal(row["n"])
        result["basis"] = "headcount"
    whole = weights["m"] + weights["f"]
    if whole <= 0:
        result["m"] = total
        return result
    result["m"] = total * weights["m"] / whole
    result["f"] = total * weights["f"] / whole
    return result


def left_out(
    organisation: Organisation, start: datetime.date, end: datetime.date
) -> dict[str, int]:
    """What the year's figures leave out, for the notes under the worksheet (one query)."""
    continuing = list(_setting("SB_CONTINUING_PERSON_TYPES"))
    in_year = Q(
        activity__organisation=organisation,
        activity__end_date__gte=start,
        activity__end_date__lte=end,
    )
    counts = Participation.objects.filter(in_year).aggregate(
        excluded=Count("id", filter=~Q(activity__exclusion="")),
        drafts=Count("id", filter=Q(activity__status=ActivityStatus.DRAFT)),
        not_followed=Count("id", filter=~Q(status=ParticipationStatus.COMPLETED)),
        not_own_staff=Count(
            "id",
            filter=Q(
                activity__category__in=[Category.FORMAL, Category.INFORMAL],
                activity__exclusion="",
                activity__status=ActivityStatus.CONFIRMED,
                status=ParticipationStatus.COMPLETED,
            )
            & ~Q(employee__person_type__in=continuing),
        ),
    )
    return {key: int(value or 0) for key, value in counts.items()}


def counted_participations(
    organisation: Organisation, year: int, category: str, column: str
) -> QuerySet[Participation]:
    """The participations behind a workers or hours figure (the same rules as the SQL)."""
    start, end = year_bounds(organisation, year)
    types = list(
        _setting(
            "SB_INITIAL_PERSON_TYPES"
            if category == Category.INITIAL
            else "SB_CONTINUING_PERSON_TYPES"
        )
    )
    genders = [column, "x"] if column == unstated_column() else [column]
    return (
        Participation.objects.filter(
            activity__organisation=organisation,
            activity__status=ActivityStatus.CONFIRMED,
            activity__exclusion="",
            activity__category=category,
            activity__end_date__gte=start,
            activity__end_date__lte=end,
            status=ParticipationStatus.COMPLETED,
            employee__person_type__in=types,
            employee__gender__in=genders,
        )
        .select_related("activity", "employee", "employee__unit")
        .order_by("-activity__end_date", "activity_id", "employee__last_name", "id")
    )


def cost_lines_behind(organisation: Organisation, year: int, category: str) -> QuerySet[CostLine]:
    """The cost lines of the category's counted activities in the year (both columns: a line
    shared over men and women is one line)."""
    start, end = year_bounds(organisation, year)
    return (
        CostLine.objects.filter(
            activity__organisation=organisation,
            activity__status=ActivityStatus.CONFIRMED,
            activity__exclusion="",
            activity__category=category,
            activity__end_date__gte=start,
            activity__end_date__lte=end,
        )
        .select_related("activity", "employee")
        .order_by("-activity__end_date", "activity_id", "kind", "id")
    )


def years_of(organisation: Organisation, today: datetime.date) -> list[int]:
    """The financial years to choose from: from the oldest activity to the current year."""
    from leerplek.registration.services import year_of

    first = (
        Activity.objects.filter(organisation=organisation)
        .order_by("end_date")
        .values_list("end_date", flat=True)
        .first()
    )
    current = year_of(organisation, today)
    oldest = year_of(organisation, first) if first else current
    return list(range(current, max(oldest, current - 15) - 1, -1))
