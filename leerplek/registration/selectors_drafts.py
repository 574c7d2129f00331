"""Reads of the drafts area: the drafts HR reviews, the headline of informal learning made
visible, and the quick logs of a worker and of a manager's units. Each in a fixed number of
queries whatever the data size."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, Max, Min, Prefetch, Q, QuerySet, Sum
from django.db.models.functions import Coalesce

from leerplek.core.access import Access
from leerplek.core.roles import Role
from leerplek.people.models import Organisation
from leerplek.registration.models import (
    Activity,
    ActivityStatus,
    Category,
    Participation,
    ParticipationStatus,
    QuickLog,
    QuickLogHow,
    QuickLogStatus,
    Source,
)
from leerplek.registration.selectors_sb import year_bounds, year_of
from leerplek.registration.services_drafts import DRAFT_SOURCES, WORKPLACE_SOURCES

ZERO = Decimal("0")
REVIEW_ROLES = (Role.HR, Role.ADMIN, Role.MANAGER)


def drafts(
    *, organisation: Organisation, year: int | None = None, source: str = ""
) -> QuerySet[Activity]:
    """Drafts waiting for HR, by source then newest first, with their participant loaded (two
    queries per page). `year`: the financial year the draft ends in."""
    rows = Activity.objects.filter(
        organisation=organisation, status=ActivityStatus.DRAFT, source__in=DRAFT_SOURCES
    )
    if year is not None:
        start, end = year_bounds(organisation, year)
        rows = rows.filter(end_date__range=(start, end))
    if source:
        rows = rows.filter(source=source)
    return rows.prefetch_related(
        Prefetch(
            "participations",
            queryset=Participation.objects.select_related("employee", "employee__unit"),
        )
    ).order_by("source", "-end_date", "-id")


@dataclass(frozen=True)
class SourceGroup:
    source: str
    label: str
    count: int
    hours: Decimal


def draft_groups(*, organisation: Organisation, year: int | None = None) -> list[SourceGroup]:
    """The waiting drafts per source with their hours (one query), in the order of the sources."""
    rows = Participation.objects.filter(
        activity__organisation=organisation,
        activity__status=ActivityStatus.DRAFT,
        activity__source__in=DRAFT_SOURCES,
    )
    if year is not None:
        rows = rows.filter(activity__end_date__range=year_bounds(organisation, year))
    found = {
        row["activity__source"]: row
        for row in rows.values("activity__source").annotate(
            count=Count("activity_id", distinct=True), hours=Coalesce(Sum("hours"), ZERO)
        )
    }
    return [
        SourceGroup(
            source=source,
            label=str(Source(source).label),
            count=found[source]["count"],
            hours=found[source]["hours"],
        )
        for source in DRAFT_SOURCES
        if source in found
    ]


def draft_year_range(*, organisation: Organisation, today: datetime.date) -> list[int]:
    """The financial years to offer in the year filter, newest first: from the year of the
    oldest registration to the current one or the newest registration's (one query; at most
    fifteen)."""
    bounds = Activity.objects.filter(organisation=organisation).aggregate(
        first=Min("end_date"), last=Max("end_date")
    )
    current = year_of(organisation, today)
    first = year_of(organisation, bounds["first"]) if bounds["first"] else current
    last = max(year_of(organisation, bounds["last"]) if bounds["last"] else current, current)
    return list(range(last, first - 1, -1))[:15]


@dataclass(frozen=True)
class Visibility:
    """The brochure's point as a number: informal hours against formal hours in one year."""

    year: int
    visible_hours: Decimal  # confirmed informal hours from workplace learning and quick logs
    informal_hours: Decimal
    formal_hours: Decimal
    waiting_hours: Decimal  # in drafts not yet confirmed

    @property
    def informal_share(self) -> int | None:
        """Informal hours as a whole percentage of informal plus formal hours."""
        both = self.informal_hours + self.formal_hours
        if both <= 0:
            return None
        return int((self.informal_hours * 100 / both).quantize(Decimal("1")))


def visibility(*, organisation: Organisation, year: int) -> Visibility:
    """Hours of completed participations in counted (not excluded) activities ending in the
    financial year `year`: confirmed informal, the part of it from workplace learning, confirmed
    formal, and what still waits in drafts. One query."""
    start, end = year_bounds(organisation, year)
    confirmed = Q(activity__status=ActivityStatus.CONFIRMED)
    informal = Q(activity__category=Category.INFORMAL)
    totals = Participation.objects.filter(
        activity__organisation=organisation,
        activity__end_date__range=(start, end),
        activity__exclusion="",
        status=ParticipationStatus.COMPLETED,
    ).aggregate(
        visible=Coalesce(
            Sum("hours", filter=confirmed & informal & Q(activity__source__in=WORKPLACE_SOURCES)),
            ZERO,
        ),
        informal=Coalesce(Sum("hours", filter=confirmed & informal), ZERO),
        formal=Coalesce(
            Sum("hours", filter=confirmed & Q(activity__category=Category.FORMAL)), ZERO
        ),
        waiting=Coalesce(
            Sum(
                "hours",
                filter=Q(activity__status=ActivityStatus.DRAFT)
                & Q(activity__source__in=DRAFT_SOURCES),
            ),
            ZERO,
        ),
    )
    return Visibility(
        year=year,
        visible_hours=totals["visible"],
        informal_hours=totals["informal"],
        formal_hours=totals["formal"],
        waiting_hours=totals["waiting"],
    )


# --- Quick logs ------------------------------------------------------------------------------


def my_quick_logs(*, employee_id: int, limit: int = 10) -> list[QuickLog]:
    """A worker's latest logs, newest first (one query)."""
    return list(QuickLog.objects.filter(employee_id=employee_id).order_by("-date", "-id")[:limit])


def quick_logs_to_review(*, access: Access) -> QuerySet[QuickLog]:
    """Pending logs of the people in the reviewer's units (HR: everyone), never his own, oldest
    first, with the person and unit loaded (one query per page)."""
    scope = access.employee_scope_q(REVIEW_ROLES, prefix="employee__")
    rows = QuickLog.objects.filter(scope, status=QuickLogStatus.PENDING)
    if access.employee_id is not None:
        rows = rows.exclude(employee_id=access.employee_id)
    return rows.select_related("employee", "employee__unit").order_by("date", "id")


@dataclass(frozen=True)
class DigestLine:
    how: str
    label: str
    count: int
    minutes: int


def week_digest(*, access: Access, today: datetime.date) -> list[DigestLine]:
    """This week's logs of the people the reviewer decides on, per way of learning (one query):
    the weekly digest of the SME story (S-49). Rejected logs and his own are left out."""
    monday = today - datetime.timedelta(days=today.weekday())
    scope = access.employee_scope_q(REVIEW_ROLES, prefix="employee__")
    rows = QuickLog.objects.filter(scope, date__range=(monday, today)).exclude(
        status=QuickLogStatus.REJECTED
    )
    if access.employee_id is not None:
        rows = rows.exclude(employee_id=access.employee_id)
    found = {
        row["how"]: row
        for row in rows.values("how").annotate(
            count=Count("id"), minutes=Coalesce(Sum("minutes"), 0)
        )
    }
    return [
        DigestLine(
            how=how,
            label=str(label),
            count=found[how]["count"],
            minutes=found[how]["minutes"],
        )
        for how, label in QuickLogHow.choices
        if how in found
    ]
