"""The social balance's training section computed by hand in the test, every counting rule at
once, and compared code by code with what the app computes from the records."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest

from leerplek.people.models import Gender, PersonType
from leerplek.registration import selectors, services
from leerplek.registration.models import (
    ActivityStatus,
    Category,
    CostKind,
    Exclusion,
    InformalKind,
    ParticipationStatus,
)
from tests.factories import Cast
from tests.registration.factories import activity, person

pytestmark = pytest.mark.django_db

D = datetime.date


def small_world(cast: Cast) -> None:
    """Five own staff (Xan has gender "x"), one agency worker, two apprentices; 2025 activities
    and some that must not count."""
    ann = person(cast, "Ann", Gender.FEMALE)
    bart = person(cast, "Bart")
    chris = person(cast, "Chris")
    dina = person(cast, "Dina", Gender.FEMALE)
    xan = person(cast, "Xan", Gender.OTHER)
    agent = person(cast, "Agent", person_type=PersonType.AGENCY)
    appie = person(cast, "Appie", person_type=PersonType.APPRENTICE, hire_date=D(2024, 9, 1))
    anna = person(
        cast, "Anna", Gender.FEMALE, person_type=PersonType.APPRENTICE, hire_date=D(2024, 9, 1)
    )
    # The cast's own people (one per role) are of gender "m" by the factory; take them out of
    # the headcount of the contribution split by giving them another person type.
    from leerplek.people.models import Employee

    Employee.objects.exclude(pk__in=[ann.pk, bart.pk, chris.pk, dina.pk, xan.pk]).filter(
        person_type=PersonType.EMPLOYEE
    ).update(person_type=PersonType.INTERN)

    # Formal 1: the agency worker is there but does not count; costs shared over Ann and Bart
    # (8 h each: half each), the trainee pay of Ann is hers alone.
    activity(
        cast,
        "Heftruck",
        on=D(2025, 3, 10),
        participants=[(ann, 8), (bart, 8), (agent, 8)],
        costs=[
            (CostKind.EXTERNAL, "1200.00"),
            (CostKind.TRAINEE_PAY, "300.00", ann),
            (CostKind.SUBSIDY, "400.00"),
            (CostKind.CONTRIBUTION, "90.00"),
        ],
        organiser_kind="external",
        organiser_name="Alimento",
    )
    # Formal 2: Ann again (she counts once), Chris; trainer pay by hours 4/16 and 12/16.
    activity(
        cast,
        "HACCP",
        on=D(2025, 6, 2),
        participants=[(ann, 4), (chris, 12)],
        costs=[(CostKind.TRAINER_PAY, "320.00")],
    )
    # Not counted: Dina did not follow; a draft; an activity ending in 2026.
    activity(
        cast,
        "Brandbestrijding",
        on=D(2025, 10, 1),
        participants=[(dina, 8)],
        status=ParticipationStatus.NOT_FOLLOWED,
        costs=[(CostKind.EXTERNAL, "500.00")],
    )
    draft = activity(
        cast,
        "Kladversie",
        on=D(2025, 11, 1),
        participants=[(bart, 10)],
        costs=[(CostKind.EXTERNAL, "999.00")],
    )
    draft.status = ActivityStatus.DRAFT
    draft.save()
    activity(
        cast,
        "Eindejaarscursus",
        on=D(2025, 12, 30),
        days=7,
        participants=[(bart, 7)],
        costs=[(CostKind.EXTERNAL, "700.00")],
    )
    # Informal: Xan (gender x, counted with the men) 2.5 h and Dina 3 h share the trainer's
    # 110 euro as 50 and 60; the agency worker does not count.
    activity(
        cast,
        "Coaching mengketel",
        category=Category.INFORMAL,
        informal_kind=InformalKind.COACHING,
        on=D(2025, 9, 1),
        participants=[(xan, "2.50"), (dina, 3), (agent, 2)],
        costs=[(CostKind.TRAINER_PAY, "110.00")],
    )
    activity(
        cast,
        "Zelfstudie",
        category=Category.INFORMAL,
        informal_kind=InformalKind.SELF_STUDY,
        on=D(2025, 4, 4),
        participants=[(bart, "1.25")],
        costs=[(CostKind.TRAVEL, "35.00", bart), (CostKind.SUBSIDY, "20.00", bart)],
    )
    # Excluded: a brainstorm never counts, costs and all.
    activity(
        cast,
        "Brainstorm nieuwe lijn",
        category=Category.INFORMAL,
        informal_kind=InformalKind.OTHER,
        on=D(2025, 5, 5),
        participants=[(bart, 1), (dina, 1)],
        costs=[(CostKind.TRAINER_PAY, "100.00")],
        exclusion=Exclusion.BRAINSTORMING,
    )
    # Initial: every person trained counts, the agency worker too; 5,800 trainee pay and a
    # 1,500 subsidy shared by hours 300 + 100 (men) and 280 (women) of 680.
    activity(
        cast,
        "Duaal leren",
        category=Category.INITIAL,
        on=D(2025, 1, 6),
        days=348,
        participants=[(appie, 300), (agent, 100), (anna, 280)],
        costs=[(CostKind.TRAINEE_PAY, "5800.00"), (CostKind.SUBSIDY, "1500.00")],
        leads_to_qualification=True,
        partly_on_shop_floor=True,
    )
    # A company-level fund contribution of 1,000, split by the own staff at year end:
    # men Bart, Chris, Xan (3), women Ann, Dina (2): 600 and 400.
    services.contribution_add(
        organisation=cast.organisation,
        by=None,
        paid_on=D(2025, 6, 30),
        amount="1000.00",
        fund="Alimento",
    )


def test_all_24_codes_match_the_hand_computation(cast: Cast) -> None:
    small_world(cast)
    balance = selectors.social_balance(cast.organisation, 2025, with_notes=True)
    expected = {
        # Formal: men Bart (8 h) and Chris (12 h); women Ann (8 + 4 h).
        "5801": 2,
        "5811": 1,
        "5802": Decimal("20.00"),
        "5812": Decimal("12.00"),
        # Gross: men 1200/2 + 320 * 12/16 = 600 + 240; women 600 + 300 + 80.
        "58031": Decimal("840.00"),
        "58131": Decimal("980.00"),
        # Contributions: 90/2 each, plus the company's 600 and 400.
        "58032": Decimal("645.00"),
        "58132": Decimal("445.00"),
        # Subsidies: 400/2 each.
        "58033": Decimal("200.00"),
        "58133": Decimal("200.00"),
        # Net = gross + contributions - subsidies.
        "5803": Decimal("1285.00"),
        "5813": Decimal("1225.00"),
        # Informal: men Xan (2.5 h) and Bart (1.25 h); women Dina (3 h).
        "5821": 2,
        "5831": 1,
        "5822": Decimal("3.75"),
        "5832": Decimal("3.00"),
        # Net: men 110 * 2.5/5.5 = 50 + Bart's 35 travel - 20 subsidy; women 110 * 3/5.5 = 60.
        "5823": Decimal("65.00"),
        "5833": Decimal("60.00"),
        # Initial: men Appie and the agency worker (400 h), women Anna (280 h).
        "5841": 2,
        "5851": 1,
        "5842": Decimal("400.00"),
        "5852": Decimal("280.00"),
        # Net: men 5800 * 400/680 = 3411.76 - 1500 * 400/680 = 882.35;
        # women 5800 * 280/680 = 2388.24 - 1500 * 280/680 = 617.65.
        "5843": Decimal("2529.41"),
        "5853": Decimal("1770.59"),
    }
    assert balance.by_code() == expected
    assert len(balance.by_code()) == 24
    assert balance.contribution_basis == "headcount"
    # What was left out, for the notes under the worksheet.
    assert balance.notes["excluded"] == 2
    assert balance.notes["drafts"] == 1
    assert balance.notes["not_followed"] == 1
    assert balance.notes["not_own_staff"] == 2


def test_contributions_split_by_staff_cost_when_the_year_has_it(cast: Cast) -> None:
    small_world(cast)
    year = services.financial_year_get_or_create(cast.organisation, 2025)
    year.staff_cost_men, year.staff_cost_women = Decimal("750000"), Decimal("250000")
    year.save()
    codes = selectors.social_balance(cast.organisation, 2025).by_code()
    # 1,000 split 3:1 by staff cost, plus 45 each from the course's contribution line.
    assert (codes["58032"], codes["58132"]) == (Decimal("795.00"), Decimal("295.00"))
    assert codes["5803"] == Decimal("840.00") + Decimal("795.00") - Decimal("200.00")


def test_the_unstated_gender_column_is_a_setting(cast: Cast, settings: object) -> None:
    small_world(cast)
    settings.LEERPLEK = {**settings.LEERPLEK, "SB_UNSTATED_GENDER_COLUMN": "f"}  # type: ignore[attr-defined]
    codes = selectors.social_balance(cast.organisation, 2025).by_code()
    assert (codes["5821"], codes["5831"]) == (1, 2)
    assert (codes["5822"], codes["5832"]) == (Decimal("1.25"), Decimal("5.50"))


def test_the_records_behind_a_figure_are_the_ones_counted(cast: Cast) -> None:
    small_world(cast)
    formal_men = selectors.counted_participations(cast.organisation, 2025, Category.FORMAL, "m")
    assert sorted(p.employee.first_name for p in formal_men) == ["Bart", "Chris"]
    informal_men = selectors.counted_participations(cast.organisation, 2025, Category.INFORMAL, "m")
    assert sorted(p.employee.first_name for p in informal_men) == ["Bart", "Xan"]
    initial_men = selectors.counted_participations(cast.organisation, 2025, Category.INITIAL, "m")
    assert sorted(p.employee.first_name for p in initial_men) == ["Agent", "Appie"]
