"""Builders for the training-right and volume tests: the year settings, sector rules and work
regimes written through their services, and a counted registration in one line."""

from __future__ import annotations

import datetime
from typing import Any

from leerplek.people.models import Employee
from leerplek.registration import services_rights
from leerplek.registration.models import Activity, SectorRightRule
from tests.factories import Cast
from tests.registration.factories import activity


def fte(cast: Cast, year: int, value: str | None, rule: SectorRightRule | None = None) -> Any:
    return services_rights.right_year_set(
        organisation=cast.organisation, by=None, year=year, fte=value, rule=rule
    )


def years_of(cast: Cast, first: int, last: int, value: str, rule: Any = None) -> None:
    for year in range(first, last + 1):
        fte(cast, year, value, rule)


def pc200(cast: Cast, **values: Any) -> SectorRightRule:
    """The PC 200 growth path: 3 days from 2024, 4 from 2026, 5 from 2028 (20 FTE or more);
    unused days carry over, reset after each five-year period starting in 2024."""
    fields: dict[str, Any] = {
        "name": "PC 200 growth path",
        "joint_committee": "200",
        "valid_from_year": 2024,
        "days_under_10": "0",
        "days_10_to_19": "1",
        "days_20_plus": "5",
        "year_steps": {"2024": "3", "2026": "4", "2028": "5"},
        "carries_over": True,
        "reset_years": 5,
        "reset_start_year": 2024,
    }
    fields.update(values)
    return services_rights.sector_rule_create(organisation=cast.organisation, by=None, **fields)


def part_time(employee: Employee, fraction: str, start: datetime.date, end: Any = None) -> Any:
    return services_rights.regime_add(
        employee=employee, by=None, fraction=fraction, start=start, end=end
    )


def followed(
    cast: Cast, employee: Employee, hours: str, on: datetime.date, **fields: Any
) -> Activity:
    """A confirmed formal activity ending on `on` that counts for the right."""
    return activity(
        cast,
        title=fields.pop("title", f"Cursus {on}"),
        on=on,
        participants=[(employee, hours)],
        **fields,
    )
