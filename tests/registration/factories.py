"""Small builders shared by the registration tests: activities with participants and cost lines,
written as plain rows so that each area's tests (social balance, volume, rights, plan) can start
from them. Areas with services of their own build their state through those services."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from leerplek.people.models import Employee, Gender, PersonType
from leerplek.registration.models import (
    Activity,
    Category,
    CostLine,
    Participation,
    ParticipationStatus,
)
from tests.factories import Cast, EmployeeFactory


def person(
    cast: Cast,
    first_name: str,
    gender: str = Gender.MALE,
    person_type: str = PersonType.EMPLOYEE,
    hire_date: datetime.date = datetime.date(2015, 1, 1),
    **fields: Any,
) -> Employee:
    return EmployeeFactory(
        organisation=cast.organisation,
        unit=fields.pop("unit", cast.packaging),
        first_name=first_name,
        last_name=fields.pop("last_name", "Test"),
        gender=gender,
        person_type=person_type,
        hire_date=hire_date,
        **fields,
    )


def activity(
    cast: Cast,
    title: str = "Heftruckcursus",
    category: str = Category.FORMAL,
    on: datetime.date = datetime.date(2025, 3, 10),
    days: int = 1,
    participants: Iterable[tuple[Employee, Decimal | str | int]] = (),
    costs: Iterable[tuple[Any, ...]] = (),
    status: str = ParticipationStatus.COMPLETED,
    **fields: Any,
) -> Activity:
    """An activity from `on` for `days` days; `participants` as (person, hours); `costs` as
    (kind, amount) or (kind, amount, person)."""
    item = Activity.objects.create(
        organisation=cast.organisation,
        title=title,
        category=category,
        start_date=on,
        end_date=on + datetime.timedelta(days=days - 1),
        **fields,
    )
    Participation.objects.bulk_create(
        Participation(activity=item, employee=employee, hours=Decimal(str(hours)), status=status)
        for employee, hours in participants
    )
    CostLine.objects.bulk_create(
        CostLine(
            activity=item,
            kind=line[0],
            amount=Decimal(str(line[1])),
            employee=line[2] if len(line) > 2 else None,
        )
        for line in costs
    )
    return item
