"""A small world for the social balance, built from the shared builders: the hand computation of
tests/registration/test_sb_hand.py is written against exactly these rows.

People (all hired 2015 unless said otherwise):
  own staff (person type "employee"): Bart m, Chris m, Xan x, Ann f, Dina f, Eva f, Fiona f;
    Leo m left on 30/11/2025; Nora f is hired on 05/01/2026;
  Agent m: a temporary agency worker; Appie m and Anna f: apprentices; Tim m: external trainer.
The cast's own people (one per role) are made external trainers so that they do not weigh in the
headcount that splits the company-level fund contributions.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from leerplek.core.access import load_access
from leerplek.core.roles import Role
from leerplek.people.models import Employee, Gender, PersonType, User
from leerplek.registration import services, services_sb
from leerplek.registration.models import (
    ActivityStatus,
    Category,
    CostKind,
    Exclusion,
    InformalKind,
    Participation,
    ParticipationStatus,
)
from tests.factories import Cast
from tests.registration.factories import activity, person

D = datetime.date


def acting(cast: Cast, role: Role) -> User:
    """The cast's user of `role`, with his access loaded as a request would."""
    user = cast.user(role)
    user.access = load_access(user, cast.organisation.pk)  # type: ignore[attr-defined]
    return user


@dataclass
class World:
    bart: Employee
    chris: Employee
    xan: Employee
    ann: Employee
    dina: Employee
    eva: Employee
    agent: Employee
    appie: Employee
    anna: Employee
    tim: Employee


def sb_world(cast: Cast) -> World:
    Employee.objects.filter(organisation=cast.organisation).update(
        person_type=PersonType.EXTERNAL_TRAINER
    )
    w = World(
        bart=person(cast, "Bart"),
        chris=person(cast, "Chris"),
        xan=person(cast, "Xan", Gender.OTHER),
        ann=person(cast, "Ann", Gender.FEMALE),
        dina=person(cast, "Dina", Gender.FEMALE),
        eva=person(cast, "Eva", Gender.FEMALE),
        agent=person(cast, "Agent", person_type=PersonType.AGENCY),
        appie=person(cast, "Appie", person_type=PersonType.APPRENTICE, hire_date=D(2024, 9, 1)),
        anna=person(
            cast,
            "Anna",
            Gender.FEMALE,
            person_type=PersonType.APPRENTICE,
            hire_date=D(2024, 9, 1),
        ),
        tim=person(cast, "Tim", person_type=PersonType.EXTERNAL_TRAINER),
    )
    person(cast, "Fiona", Gender.FEMALE)
    person(cast, "Leo", exit_date=D(2025, 11, 30))
    person(cast, "Nora", Gender.FEMALE, hire_date=D(2026, 1, 5))

    # --- Formal, 2025 ---
    activity(
        cast,
        "Heftruck",
        on=D(2025, 3, 10),
        participants=[(w.ann, 8), (w.bart, 8), (w.agent, 8)],
        costs=[
            (CostKind.EXTERNAL, "1200.00"),
            (CostKind.TRAINEE_PAY, "300.00", w.ann),
            (CostKind.TRAINEE_PAY, "150.00", w.agent),
            (CostKind.SUBSIDY, "400.00"),
            (CostKind.CONTRIBUTION, "90.00"),
        ],
        organiser_kind="external",
        organiser_name="Alimento",
    )
    haccp = activity(
        cast,
        "HACCP",
        on=D(2025, 6, 2),
        participants=[(w.ann, 4), (w.chris, 12)],
        costs=[
            (CostKind.TRAINER_PAY, "320.00"),
            (CostKind.RUNNING, "80.00"),
            (CostKind.TRAVEL, "45.00", w.chris),
        ],
    )
    Participation.objects.create(
        activity=haccp, employee=w.eva, hours=6, status=ParticipationStatus.NOT_FOLLOWED
    )
    # Starts in 2024, ends in 2025: it counts in 2025.
    activity(
        cast,
        "Brandbestrijding",
        on=D(2024, 12, 20),
        days=27,
        participants=[(w.dina, 7)],
        costs=[(CostKind.EXTERNAL, "210.00")],
    )
    # Starts in 2025, ends in 2026: not in 2025.
    activity(
        cast,
        "Eindejaarscursus",
        on=D(2025, 12, 29),
        days=8,
        participants=[(w.bart, 7)],
        costs=[(CostKind.EXTERNAL, "700.00")],
    )
    draft = activity(
        cast,
        "Kladversie",
        on=D(2025, 11, 1),
        participants=[(w.bart, 10)],
        costs=[(CostKind.EXTERNAL, "999.00")],
    )
    draft.status = ActivityStatus.DRAFT
    draft.save(update_fields=["status"])
    # Only the agency worker: nobody counts, so its cost is left out.
    activity(
        cast,
        "Lasmachine",
        on=D(2025, 8, 8),
        participants=[(w.agent, 8)],
        costs=[(CostKind.EXTERNAL, "500.00")],
    )

    # --- Informal, 2025 ---
    activity(
        cast,
        "Coaching mengketel",
        category=Category.INFORMAL,
        informal_kind=InformalKind.COACHING,
        on=D(2025, 9, 1),
        participants=[(w.xan, "2.50"), (w.dina, 3), (w.agent, 2)],
        costs=[(CostKind.TRAINER_PAY, "110.00"), (CostKind.CONTRIBUTION, "11.00")],
    )
    activity(
        cast,
        "Zelfstudie",
        category=Category.INFORMAL,
        informal_kind=InformalKind.SELF_STUDY,
        on=D(2025, 4, 4),
        participants=[(w.bart, "1.25")],
        costs=[(CostKind.TRAVEL, "35.00", w.bart), (CostKind.SUBSIDY, "20.00", w.bart)],
    )
    activity(
        cast,
        "Vakbeurs",
        category=Category.INFORMAL,
        informal_kind=InformalKind.TRADE_FAIR,
        on=D(2025, 10, 10),
        participants=[(w.bart, 4)],
        costs=[(CostKind.EXTERNAL, "60.00")],
    )
    activity(
        cast,
        "Brainstorm nieuwe lijn",
        category=Category.INFORMAL,
        informal_kind=InformalKind.OTHER,
        on=D(2025, 5, 5),
        participants=[(w.bart, 1), (w.dina, 1)],
        costs=[(CostKind.TRAINER_PAY, "100.00")],
        exclusion=Exclusion.BRAINSTORMING,
    )

    # --- Initial, 2025 ---
    activity(
        cast,
        "Duaal leren",
        category=Category.INITIAL,
        on=D(2025, 1, 6),
        days=348,
        participants=[(w.appie, 320), (w.agent, 80), (w.anna, 200), (w.tim, 10)],
        costs=[(CostKind.TRAINEE_PAY, "6000.00"), (CostKind.SUBSIDY, "1000.00")],
        leads_to_qualification=True,
        partly_on_shop_floor=True,
    )

    # --- Company-level fund contributions ---
    for paid_on, amount in ((D(2024, 5, 1), "600.00"), (D(2025, 6, 30), "1000.00")):
        services.contribution_add(
            organisation=cast.organisation, by=None, paid_on=paid_on, amount=amount, fund="Alimento"
        )
    services.contribution_add(
        organisation=cast.organisation,
        by=None,
        paid_on=D(2026, 1, 10),
        amount="999.00",
        fund="Alimento",
    )

    # --- 2024: one formal course on the year's last day, and the staff cost per gender ---
    activity(
        cast,
        "Oudejaar",
        on=D(2024, 12, 31),
        participants=[(w.bart, 8)],
        costs=[(CostKind.CONTRIBUTION, "40.00")],
    )
    year = services_sb.financial_year_get_or_create(cast.organisation, 2024)
    year.staff_cost_men, year.staff_cost_women = 300000, 100000
    year.save(update_fields=["staff_cost_men", "staff_cost_women"])
    return w
