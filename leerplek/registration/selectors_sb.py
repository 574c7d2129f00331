"""Reads of the social balance's training section (REG-03, REG-06): the financial years, the 24
figures computed from the records, the records behind each figure and what the figures leave
out. See docs/registration-social-balance.md for HR and the accountant.

The figures come from the records in a fixed number of queries whatever their number: one SQL
statement gives, per category and gender column, the people (each counted once per category:
COUNT DISTINCT), their hours and the cost lines (shared ones split over the activity's counted
participants, personal ones to their person); one or three more give the company-level fund
contributions and the basis to split them. Nothing loops over participations in Python.

Which rows count (belgian-rules.md §1.3-1.5; the [U] rules are settings in `settings.LEERPLEK`,
read in `sb_setting` only):

- confirmed activities that are not excluded (REG-02), whose END date lies in the year;
- completed participations only;
- formal and informal: the person types of `SB_CONTINUING_PERSON_TYPES` (own staff, no
  temporary agency workers); initial: those of `SB_INITIAL_PERSON_TYPES`;
- gender "x" counts in the column `SB_UNSTATED_GENDER_COLUMN`;
- a cost line that names a participant goes to that person's column if he counts; other lines are
  shared over the activity's counted participants pro rata to their hours (`SB_COST_SPLIT`
  "hours"; or equally, "people"); a cost of an activity nobody counts in is left out (a note);
- net = gross (trainee pay, trainer pay, external, running costs, travel) + contributions to
  collective funds - subsidies, in every category; company-level contributions
  (`CompanyContribution`, paid in the year) go to 58032/58132, split by `SB_CONTRIBUTION_SPLIT`.

Rounding: sums stay unrounded until the end; then gross, contributions and subsidies are rounded
to cents (ROUND_HALF_UP) and the net is their sum, so 5803 = 58031 + 58032 - 58033 exactly.
"""

from __future__ import annotations

import calendar
import datetime
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.conf import settings
from django.core.paginator import Page, Paginator
from django.db import connection
from django.db.models import (
    Count,
    Exists,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
)
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
    YearStatus,
)

__all__ = [
    "CATEGORY_LINES",
    "CATEGORY_TITLES",
    "CODES",
    "CODE_INDEX",
    "COLUMNS",
    "LINE_LABELS",
    "Figure",
    "SbRecords",
    "SocialBalance",
    "SocialBalanceBlock",
    "SocialBalanceLine",
    "YearChoice",
    "YearPeriod",
    "cost_lines_behind",
    "counted_participations",
    "financial_year_for",
    "is_closed_on",
    "left_out",
    "sb_records",
    "sb_setting",
    "social_balance",
    "unstated_column",
    "year_bounds",
    "year_choices",
    "year_of",
    "years_of",
]

CENT = Decimal("0.01")
# Sums of shares computed by the database as floating point (SQLite has no decimal type) are
# first brought back to this many decimals, so that an exact half cent (50.005) rounds up as it
# would in decimal arithmetic instead of falling to 50.00499999.
FLOAT_GUARD = Decimal("0.000001")
COLUMNS = ("m", "f")
RECORDS_PAGE_SIZE = 25

# (category, line) -> (men's code, women's code), in the order of the official form. Lines:
# workers, hours, net, gross, contributions, subsidies (the last three for formal only).
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
# English msgids; the Dutch and French catalogues carry the official wording
# (belgian-rules.md §1.3: "Aantal betrokken werknemers", ...).
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
CODE_INDEX: dict[str, tuple[str, str, str]] = {
    code: (category, line, column)
    for (category, line), pair in CODES.items()
    for code, column in zip(pair, COLUMNS, strict=True)
}
# The cost kinds each money line adds up (the net adds the first two and takes the third off).
LINE_KINDS: dict[str, tuple[str, ...]] = {
    "gross": tuple(GROSS_COST_KINDS),
    "contributions": (CostKind.CONTRIBUTION,),
    "subsidies": (CostKind.SUBSIDY,),
    "net": (*GROSS_COST_KINDS, CostKind.CONTRIBUTION, CostKind.SUBSIDY),
}

# The [U] rules and their documented defaults (docs/registration-social-balance.md). They are
# read here only, at call time (never at import time).
SETTING_DEFAULTS: dict[str, Any] = {
    "SB_UNSTATED_GENDER_COLUMN": "m",
    "SB_COST_SPLIT": "hours",
    "SB_CONTRIBUTION_SPLIT": "auto",
    "SB_CONTINUING_PERSON_TYPES": ("employee",),
    "SB_INITIAL_PERSON_TYPES": (
        "employee",
        "agency",
        "apprentice",
        "vdab_trainee",
        "intern",
        "ibo",
        "job_seeker",
    ),
}


def sb_setting(key: str) -> Any:
    """One of the social balance's settings, or its documented default."""
    return settings.LEERPLEK.get(key, SETTING_DEFAULTS[key])


def unstated_column() -> str:
    """The column ("m" or "f") in which a person of gender "x" counts."""
    column = str(sb_setting("SB_UNSTATED_GENDER_COLUMN"))
    return column if column in COLUMNS else "m"


def _types(category: str) -> list[str]:
    key = (
        "SB_INITIAL_PERSON_TYPES" if category == Category.INITIAL else "SB_CONTINUING_PERSON_TYPES"
    )
    return [str(kind) for kind in sb_setting(key)]


def _genders(column: str) -> list[str]:
    """The genders that count in `column`."""
    return [column, "x"] if column == unstated_column() else [column]


def _money(value: Any) -> Decimal:
    number = Decimal(str(value or 0)).quantize(FLOAT_GUARD, rounding=ROUND_HALF_UP)
    return number.quantize(CENT, rounding=ROUND_HALF_UP)


def _number(value: Any) -> Decimal:
    return Decimal(str(value)) if value is not None else Decimal("0")


# --- Financial years ---------------------------------------------------------------------------


@dataclass(frozen=True)
class YearPeriod:
    """A financial year, named by the calendar year in which it ends."""

    year: int
    start: datetime.date
    end: datetime.date


def _year_end(organisation: Organisation, year: int) -> datetime.date:
    """The last day of the financial year ending in `year`: the organisation's "MM-DD" (a
    29 February end falls on the 28th in other years; a value that is no date means 31 Dec)."""
    try:
        month, day = (int(part) for part in (organisation.financial_year_end or "").split("-"))
        if not 1 <= month <= 12 or not 1 <= day <= 31:
            raise ValueError
    except ValueError:
        month, day = 12, 31
    return datetime.date(year, month, min(day, calendar.monthrange(year, month)[1]))


def year_bounds(organisation: Organisation, year: int) -> tuple[datetime.date, datetime.date]:
    """The first and last day of the financial year that ends in calendar year `year`."""
    end = _year_end(organisation, year)
    start = _year_end(organisation, year - 1) + datetime.timedelta(days=1)
    return start, end


def year_of(organisation: Organisation, day: datetime.date) -> int:
    """The financial year (named by the calendar year it ends in) that holds `day`."""
    return day.year if day <= _year_end(organisation, day.year) else day.year + 1


def financial_year_for(organisation: Organisation, day: datetime.date) -> YearPeriod:
    """The financial year that holds `day` (no query)."""
    year = year_of(organisation, day)
    start, end = year_bounds(organisation, year)
    return YearPeriod(year=year, start=start, end=end)


def is_closed_on(organisation: Organisation, day: datetime.date) -> bool:
    """Whether `day` lies in a financial year closed for the social balance (one query). The
    activity services refuse changes to records of such a year."""
    return FinancialYear.objects.filter(
        organisation=organisation,
        status=YearStatus.CLOSED,
        start_date__lte=day,
        end_date__gte=day,
    ).exists()


def years_of(organisation: Organisation, today: datetime.date) -> list[int]:
    """The financial years to choose from, newest first: from the year of the oldest activity
    (at most 15 back) to the current one (one query)."""
    first = (
        Activity.objects.filter(organisation=organisation)
        .order_by("end_date")
        .values_list("end_date", flat=True)
        .first()
    )
    current = year_of(organisation, today)
    oldest = year_of(organisation, first) if first else current
    return list(range(current, max(oldest, current - 15) - 1, -1))


@dataclass(frozen=True)
class YearChoice:
    year: int
    closed: bool


def year_choices(
    organisation: Organisation, today: datetime.date, also: int | None = None
) -> list[YearChoice]:
    """The years of the year switcher with their state (two queries)."""
    years = set(years_of(organisation, today))
    if also is not None:
        years.add(also)
    closed = {
        end.year
        for end in FinancialYear.objects.filter(
            organisation=organisation, status=YearStatus.CLOSED
        ).values_list("end_date", flat=True)
    }
    return [YearChoice(year, year in closed) for year in sorted(years, reverse=True)]


# --- The 24 figures ----------------------------------------------------------------------------


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
    notes: dict[str, Any] = field(default_factory=dict)
    # How the company-level contributions were split: "staff_cost", "headcount" or "" (none).
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

    def as_strings(self) -> dict[str, str]:
        """The 24 figures as strings (what a closed year freezes and the exports write)."""
        return {code: str(value) for code, value in self.by_code().items()}

    def blocks(self) -> list[SocialBalanceBlock]:
        blocks = []
        for category, lines in CATEGORY_LINES.items():
            rows = []
            for line in lines:
                men_code, women_code = CODES[(category, line)]
                is_count = line == "workers"
                rows.append(
                    SocialBalanceLine(
                        line=line,
                        label=LINE_LABELS[line],
                        men=Figure(men_code, self.value(category, line, "m"), is_count),
                        women=Figure(women_code, self.value(category, line, "f"), is_count),
                    )
                )
            blocks.append(SocialBalanceBlock(category, CATEGORY_TITLES[category], rows))
        return blocks


def _counted_sql(
    organisation: Organisation, start: datetime.date, end: datetime.date
) -> tuple[str, list[Any]]:
    """The WHERE clause (over p, a, e) of the participations that count, and its parameters."""
    continuing = _types(Category.FORMAL)
    initial = _types(Category.INITIAL)
    marks_c = ", ".join(["%s"] * len(continuing)) or "NULL"
    marks_i = ", ".join(["%s"] * len(initial)) or "NULL"
    where = (
        "a.organisation_id = %s AND a.status = %s AND a.exclusion = ''"
        " AND a.end_date >= %s AND a.end_date <= %s AND p.status = %s"
        f" AND ((a.category IN (%s, %s) AND e.person_type IN ({marks_c}))"
        f" OR (a.category = %s AND e.person_type IN ({marks_i})))"
    )
    params: list[Any] = [
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
    return where, params


def balance_sql(
    organisation: Organisation, start: datetime.date, end: datetime.date
) -> tuple[str, list[Any]]:
    """The one SQL statement behind the 24 figures (the company-level contributions apart).

    `counted`: one row per counted participation, read once. `pa`: per activity its counted
    hours and people per column (one row per activity). `lines`: the cost lines of the year's
    counted activities; `shared`: per activity the sums of its lines that name nobody. It
    returns rows (part, category, column, people, hours, gross, contributions, subsidies of the
    men, the same three of the women):
    - "people": per category and column the distinct people and their hours;
    - "shared": per category the shared lines split over the columns by each activity's share
      of counted hours (or heads, `SB_COST_SPLIT` "people"; heads too when nobody has hours);
    - "personal": per category and column the lines that name a counted participant.
    A line of an activity with no counted participant falls out in the joins. Only placeholders
    and fixed SQL fragments are formatted in; every value is a parameter.
    """
    where, where_params = _counted_sql(organisation, start, end)
    kinds = ", ".join(["%s"] * len(GROSS_COST_KINDS))
    column = "CASE WHEN e.gender = 'f' THEN 'f' WHEN e.gender = 'm' THEN 'm' ELSE %s END"
    heads_m = "pa.nm * 1.0 / (pa.nm + pa.nf)"
    heads_f = "pa.nf * 1.0 / (pa.nm + pa.nf)"
    if str(sb_setting("SB_COST_SPLIT")) == "people":
        weight_m, weight_f = heads_m, heads_f
    else:
        weight_m = (
            f"CASE WHEN pa.hm + pa.hf > 0 THEN pa.hm * 1.0 / (pa.hm + pa.hf) ELSE {heads_m} END"
        )
        weight_f = (
            f"CASE WHEN pa.hm + pa.hf > 0 THEN pa.hf * 1.0 / (pa.hm + pa.hf) ELSE {heads_f} END"
        )
    sql = f"""
        WITH counted AS (
            SELECT p.activity_id, a.category, p.employee_id, p.hours, {column} AS col
            FROM registration_participation p
            JOIN registration_activity a ON a.id = p.activity_id
            JOIN people_employee e ON e.id = p.employee_id
            WHERE {where}
        ),
        pa AS (
            SELECT activity_id, category,
                SUM(CASE WHEN col = 'm' THEN hours ELSE 0 END) AS hm,
                SUM(CASE WHEN col = 'f' THEN hours ELSE 0 END) AS hf,
                SUM(CASE WHEN col = 'm' THEN 1 ELSE 0 END) AS nm,
                SUM(CASE WHEN col = 'f' THEN 1 ELSE 0 END) AS nf
            FROM counted GROUP BY activity_id, category
        ),
        lines AS (
            SELECT l.activity_id, l.employee_id, l.kind, l.amount
            FROM registration_activity a
            JOIN registration_costline l ON l.activity_id = a.id
            WHERE a.organisation_id = %s AND a.status = %s AND a.exclusion = ''
                AND a.end_date >= %s AND a.end_date <= %s
        ),
        shared AS (
            SELECT activity_id,
                SUM(CASE WHEN kind IN ({kinds}) THEN amount ELSE 0 END) AS gross,
                SUM(CASE WHEN kind = %s THEN amount ELSE 0 END) AS contributions,
                SUM(CASE WHEN kind = %s THEN amount ELSE 0 END) AS subsidies
            FROM lines WHERE employee_id IS NULL GROUP BY activity_id
        )
        SELECT 'people', category, col, COUNT(DISTINCT employee_id), SUM(hours), 0, 0, 0, 0, 0, 0
        FROM counted GROUP BY category, col
        UNION ALL
        SELECT 'shared', pa.category, '', 0, 0,
            SUM(s.gross * {weight_m}), SUM(s.contributions * {weight_m}),
            SUM(s.subsidies * {weight_m}),
            SUM(s.gross * {weight_f}), SUM(s.contributions * {weight_f}),
            SUM(s.subsidies * {weight_f})
        FROM shared s JOIN pa ON pa.activity_id = s.activity_id
        GROUP BY pa.category
        UNION ALL
        SELECT 'personal', a.category, {column}, 0, 0,
            SUM(CASE WHEN l.kind IN ({kinds}) THEN l.amount ELSE 0 END),
            SUM(CASE WHEN l.kind = %s THEN l.amount ELSE 0 END),
            SUM(CASE WHEN l.kind = %s THEN l.amount ELSE 0 END), 0, 0, 0
        FROM lines l
        JOIN registration_participation p
            ON p.activity_id = l.activity_id AND p.employee_id = l.employee_id
        JOIN registration_activity a ON a.id = p.activity_id
        JOIN people_employee e ON e.id = p.employee_id
        WHERE {where}
        GROUP BY 2, 3
    """  # noqa: S608
    unstated = unstated_column()
    cost_kinds = [*GROSS_COST_KINDS, CostKind.CONTRIBUTION, CostKind.SUBSIDY]
    params = [
        unstated,
        *where_params,
        organisation.pk,
        ActivityStatus.CONFIRMED,
        start,
        end,
        *cost_kinds,
        unstated,
        *cost_kinds,
        *where_params,
    ]
    return sql, params


def social_balance(
    organisation: Organisation, year: int, *, with_notes: bool = False
) -> SocialBalance:
    """The 24 figures of the financial year ending in `year`, computed from the records (two
    to four queries); with `with_notes`, also what the figures leave out (two more)."""
    start, end = year_bounds(organisation, year)
    balance = SocialBalance(organisation=organisation, year=year, start=start, end=end)
    sql, params = balance_sql(organisation, start, end)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    values = balance.values
    costs: dict[tuple[str, str], list[Decimal]] = {}
    for part, category, col, people, hours, *money in rows:
        if part == "people":
            values[(category, "workers", col)] = int(people)
            values[(category, "hours", col)] = _money(hours)
            continue
        # A "shared" row carries both columns; a "personal" row its own (the first three).
        pieces = (("m", money[:3]), ("f", money[3:])) if part == "shared" else ((col, money[:3]),)
        for target, amounts in pieces:
            found = costs.setdefault((category, target), [Decimal("0")] * 3)
            for index, amount in enumerate(amounts):
                found[index] += _number(amount)
    company = company_contributions(organisation, start, end)
    balance.contribution_basis = company["basis"]
    for col in COLUMNS:
        if company[col]:
            costs.setdefault((Category.FORMAL, col), [Decimal("0")] * 3)[1] += company[col]
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


def contribution_weights(
    organisation: Organisation, end: datetime.date
) -> tuple[dict[str, Decimal], str]:
    """The weights of men and women for splitting company-level fund contributions (NBB FAQ
    Q3), and their basis: the staff cost per gender (10231/10232) when the year has both and the
    rule is "auto" or "staff_cost"; else the own staff (`SB_CONTINUING_PERSON_TYPES`) employed
    on the year's last day (one or two queries)."""
    rule = str(sb_setting("SB_CONTRIBUTION_SPLIT"))
    if rule in ("auto", "staff_cost"):
        year = FinancialYear.objects.filter(organisation=organisation, end_date=end).first()
        if year is not None:
            men, women = year.staff_cost_men, year.staff_cost_women
            if men is not None and women is not None and men + women > 0:
                return {"m": men, "f": women}, "staff_cost"
    counts = (
        Employee.objects.filter(
            organisation=organisation,
            person_type__in=_types(Category.FORMAL),
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
    return weights, "headcount"


def company_contributions(
    organisation: Organisation, start: datetime.date, end: datetime.date
) -> dict[str, Any]:
    """The year's company-level fund contributions (paid in the year) split over the two
    columns, unrounded (one query, or up to three when there are any)."""
    total = _number(
        CompanyContribution.objects.filter(
            organisation=organisation, paid_on__gte=start, paid_on__lte=end
        ).aggregate(total=Sum("amount"))["total"]
    )
    result: dict[str, Any] = {"m": Decimal("0"), "f": Decimal("0"), "basis": "", "total": total}
    if not total:
        return result
    weights, result["basis"] = contribution_weights(organisation, end)
    whole = weights["m"] + weights["f"]
    if whole <= 0:
        # Nobody to weigh by: the whole amount goes to the column of the unstated gender.
        result[unstated_column()] = total
        return result
    result["m"] = total * weights["m"] / whole
    result["f"] = total * weights["f"] / whole
    return result


@dataclass
class ContributionYear:
    """The company-level fund contributions of one financial year, for their page."""

    year: int
    start: datetime.date
    end: datetime.date
    rows: list[CompanyContribution]
    total: Decimal
    men: Decimal
    women: Decimal
    basis: str
    closed: bool


def contribution_year(organisation: Organisation, year: int) -> ContributionYear:
    """The year's contributions, newest first, their total and its split over the two columns
    (at most five queries whatever the number of payments)."""
    start, end = year_bounds(organisation, year)
    rows = list(
        CompanyContribution.objects.filter(
            organisation=organisation, paid_on__gte=start, paid_on__lte=end
        ).order_by("-paid_on", "-pk")
    )
    split = company_contributions(organisation, start, end)
    closed = FinancialYear.objects.filter(
        organisation=organisation, status=YearStatus.CLOSED, end_date=end
    ).exists()
    return ContributionYear(
        year=year,
        start=start,
        end=end,
        rows=rows,
        total=_money(split["total"]),
        men=_money(split["m"]),
        women=_money(split["f"]),
        basis=split["basis"],
        closed=closed,
    )


# --- What the figures leave out ---------------------------------------------------------------


def left_out(
    organisation: Organisation, start: datetime.date, end: datetime.date
) -> dict[str, Any]:
    """What the year's figures leave out, for the notes under the worksheet (two queries).

    Registrations (participations) of activities ending in the year: in excluded activities, in
    drafts, not completed, of people who are not own staff on formal or informal training, of
    people whose type does not count on initial training; with the number of activities or
    people where that helps; and the cost lines of counted activities that nobody counts in."""
    continuing = _types(Category.FORMAL)
    initial = _types(Category.INITIAL)
    in_year = Q(
        activity__organisation=organisation,
        activity__end_date__gte=start,
        activity__end_date__lte=end,
    )
    counts_as = Q(activity__exclusion="", activity__status=ActivityStatus.CONFIRMED)
    completed = Q(status=ParticipationStatus.COMPLETED)
    continuing_q = Q(activity__category__in=[Category.FORMAL, Category.INFORMAL])
    not_own = counts_as & completed & continuing_q & ~Q(employee__person_type__in=continuing)
    not_initial = (
        counts_as
        & completed
        & Q(activity__category=Category.INITIAL)
        & ~Q(employee__person_type__in=initial)
    )
    excluded = ~Q(activity__exclusion="")
    drafts = Q(activity__status=ActivityStatus.DRAFT)
    counts = Participation.objects.filter(in_year).aggregate(
        excluded=Count("id", filter=excluded),
        excluded_activities=Count("activity", filter=excluded, distinct=True),
        drafts=Count("id", filter=drafts),
        draft_activities=Count("activity", filter=drafts, distinct=True),
        not_followed=Count("id", filter=counts_as & ~completed),
        not_own_staff=Count("id", filter=not_own),
        not_own_staff_people=Count("employee", filter=not_own, distinct=True),
        not_initial_type=Count("id", filter=not_initial),
    )
    notes: dict[str, Any] = {key: int(value or 0) for key, value in counts.items()}
    # Cost lines of counted activities that reach no counted participant: a shared line of an
    # activity with nobody counted, or a personal line of someone who does not count.
    counted = _counted_queryset(organisation, start, end)
    lost = CostLine.objects.filter(
        activity__organisation=organisation,
        activity__status=ActivityStatus.CONFIRMED,
        activity__exclusion="",
        activity__end_date__gte=start,
        activity__end_date__lte=end,
    ).filter(
        (Q(employee__isnull=True) & ~Exists(counted.filter(activity_id=OuterRef("activity_id"))))
        | (
            Q(employee__isnull=False)
            & ~Exists(
                counted.filter(
                    activity_id=OuterRef("activity_id"), employee_id=OuterRef("employee_id")
                )
            )
        )
    )
    found = lost.aggregate(lines=Count("id"), amount=Sum("amount"))
    notes["lost_cost_lines"] = int(found["lines"] or 0)
    notes["lost_cost_amount"] = _money(found["amount"])
    return notes


# --- The records behind a figure --------------------------------------------------------------


def _counted_queryset(
    organisation: Organisation,
    start: datetime.date,
    end: datetime.date,
    category: str | None = None,
    column: str | None = None,
) -> QuerySet[Participation]:
    """The counted participations as a queryset (the same rules as the SQL above)."""
    base = Participation.objects.filter(
        activity__organisation=organisation,
        activity__status=ActivityStatus.CONFIRMED,
        activity__exclusion="",
        activity__end_date__gte=start,
        activity__end_date__lte=end,
        status=ParticipationStatus.COMPLETED,
    )
    if category is None:
        base = base.filter(
            Q(
                activity__category__in=[Category.FORMAL, Category.INFORMAL],
                employee__person_type__in=_types(Category.FORMAL),
            )
            | Q(
                activity__category=Category.INITIAL,
                employee__person_type__in=_types(Category.INITIAL),
            )
        )
    else:
        base = base.filter(activity__category=category, employee__person_type__in=_types(category))
    if column is not None:
        base = base.filter(employee__gender__in=_genders(column))
    return base


def counted_participations(
    organisation: Organisation, year: int, category: str, column: str
) -> QuerySet[Participation]:
    """The participations behind a workers or hours figure."""
    start, end = year_bounds(organisation, year)
    return (
        _counted_queryset(organisation, start, end, category, column)
        .select_related("activity", "employee", "employee__unit")
        .order_by("-activity__end_date", "activity_id", "employee__last_name", "id")
    )


def cost_lines_behind(
    organisation: Organisation, year: int, category: str, column: str, line: str = "net"
) -> QuerySet[CostLine]:
    """The cost lines behind a money figure of `column`: the lines of `line`'s kinds that name a
    counted participant of that column, and the shared lines of activities where someone of
    that column counts. Each is annotated with the hours (or people) of the column and of all
    counted participants, so that `share_of` gives the part that lands in the figure."""
    start, end = year_bounds(organisation, year)
    counted = _counted_queryset(organisation, start, end, category)
    of_column = counted.filter(employee__gender__in=_genders(column))

    def per_activity(queryset: QuerySet[Participation], value: Any) -> Subquery:
        return Subquery(
            queryset.filter(activity_id=OuterRef("activity_id"))
            .order_by()
            .values("activity_id")
            .annotate(v=value)
            .values("v")[:1]
        )

    return (
        CostLine.objects.filter(
            activity__organisation=organisation,
            activity__status=ActivityStatus.CONFIRMED,
            activity__exclusion="",
            activity__category=category,
            activity__end_date__gte=start,
            activity__end_date__lte=end,
            kind__in=LINE_KINDS[line],
        )
        .filter(
            (
                Q(employee__isnull=False)
                & Exists(
                    of_column.filter(
                        activity_id=OuterRef("activity_id"), employee_id=OuterRef("employee_id")
                    )
                )
            )
            | Q(employee__isnull=True, activity_id__in=of_column.values("activity_id"))
        )
        .annotate(
            column_hours=per_activity(of_column, Sum("hours")),
            column_people=per_activity(of_column, Count("id")),
            counted_hours=per_activity(counted, Sum("hours")),
            counted_people=per_activity(counted, Count("id")),
        )
        .select_related("activity", "employee")
        .order_by("-activity__end_date", "activity_id", "kind", "id")
    )


def share_of(line: CostLine) -> Decimal:
    """The part of `line` that lands in its figure's column (read from `cost_lines_behind`'s
    annotations, no query): all of a personal line; of a shared line the column's hours over the
    counted hours (or heads over heads with `SB_COST_SPLIT` = "people")."""
    if line.employee_id is not None:
        return line.amount
    by_people = str(sb_setting("SB_COST_SPLIT")) == "people"
    hours = _number(getattr(line, "counted_hours", None))
    people = _number(getattr(line, "counted_people", None))
    if not by_people and hours > 0:
        part = line.amount * _number(getattr(line, "column_hours", None)) / hours
    elif people > 0:
        part = line.amount * _number(getattr(line, "column_people", None)) / people
    else:
        part = Decimal("0")
    return part.quantize(CENT, rounding=ROUND_HALF_UP)


@dataclass
class RecordLine:
    """A cost line behind a figure with the part of it that lands in the figure."""

    line: CostLine
    share: Decimal
    sign: int


@dataclass
class ContributionShare:
    contribution: CompanyContribution
    share: Decimal


@dataclass
class SbRecords:
    """The records behind one figure: `page` holds participations (workers, hours) or
    `RecordLine`s (money); `contributions` the company-level fund contributions of the year with
    the column's share (for the contribution and net codes of the formal category)."""

    code: str
    year: int
    category: str
    line: str
    column: str
    page: Page[Any]
    is_people: bool
    people: int = 0
    hours: Decimal = Decimal("0")
    contributions: list[ContributionShare] = field(default_factory=list)
    contribution_basis: str = ""

    @property
    def label(self) -> Any:
        return LINE_LABELS[self.line]

    @property
    def category_title(self) -> Any:
        return CATEGORY_TITLES[self.category]


def sb_records(organisation: Organisation, year: int, code: str, page: Any = 1) -> SbRecords:
    """The records behind figure `code` of `year`, one page of them (`RECORDS_PAGE_SIZE`), in a
    fixed number of queries: for workers and hours the counted participations (with the number
    of people and hours, the figure itself); for money the cost lines with each one's share, and
    for 58032/58132 and 5803/5813 the year's company-level contributions with the column's part.
    Raises KeyError for an unknown code."""
    category, line, column = CODE_INDEX[code]
    if line in ("workers", "hours"):
        participations = counted_participations(organisation, year, category, column)
        found = participations.aggregate(
            people=Count("employee", distinct=True), hours=Sum("hours")
        )
        records = SbRecords(
            code=code,
            year=year,
            category=category,
            line=line,
            column=column,
            page=Paginator(participations, RECORDS_PAGE_SIZE).get_page(page),
            is_people=True,
            people=int(found["people"] or 0),
            hours=_money(found["hours"]),
        )
        return records
    lines = cost_lines_behind(organisation, year, category, column, line)
    chosen: Page[Any] = Paginator(lines, RECORDS_PAGE_SIZE).get_page(page)
    chosen.object_list = [
        RecordLine(
            item,
            share_of(item),
            -1 if line == "net" and item.kind == CostKind.SUBSIDY else 1,
        )
        for item in chosen.object_list
    ]
    records = SbRecords(
        code=code,
        year=year,
        category=category,
        line=line,
        column=column,
        page=chosen,
        is_people=False,
    )
    if category == Category.FORMAL and line in ("contributions", "net"):
        start, end = year_bounds(organisation, year)
        paid = list(
            CompanyContribution.objects.filter(
                organisation=organisation, paid_on__gte=start, paid_on__lte=end
            ).order_by("paid_on", "id")
        )
        if paid:
            weights, records.contribution_basis = contribution_weights(organisation, end)
            whole = weights["m"] + weights["f"]
            for item in paid:
                if whole > 0:
                    part = item.amount * weights[column] / whole
                else:
                    part = item.amount if column == unstated_column() else Decimal("0")
                records.contributions.append(
                    ContributionShare(item, part.quantize(CENT, rounding=ROUND_HALF_UP))
                )
    return records
