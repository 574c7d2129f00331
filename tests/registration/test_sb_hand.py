"""The social balance's 24 training codes computed BY HAND from the small world of
tests/registration/factories_sb.py, and compared code by code with what the app computes.

Every counting rule is in it: a person once per category (Ann in two formal courses, Bart in two
informal activities), the agency worker left out of formal and informal but counted in initial,
the apprentices in initial, an external trainer not counted in initial, an excluded brainstorm,
a draft, a participation not followed, an activity ending in 2026 and one starting in 2024, the
gender "x" in the men's column, shared costs pro rata to hours, personal costs to their person,
contribution and subsidy lines, company-level contributions split by headcount (2025) and by the
staff cost per gender (2024), and rounding only at the end.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from leerplek.registration import selectors_sb
from tests.factories import Cast
from tests.registration.factories_sb import sb_world

pytestmark = pytest.mark.django_db

Z = Decimal("0.00")


def expected_2025() -> dict[str, Any]:
    # Headcount of own staff on 31/12/2025 (splits the company's 1,000.00 paid on 30/06/2025):
    # men Bart, Chris, Xan (x counts with the men) = 3; women Ann, Dina, Eva, Fiona = 4.
    # Leo left on 30/11, Nora comes in 2026, Agent/Appie/Anna/Tim are not own staff.
    # Company contribution: men 1000 * 3/7 = 428.571428..., women 1000 * 4/7 = 571.428571...
    return {
        # --- Formal: Heftruck (Ann 8, Bart 8; Agent does not count), HACCP (Ann 4, Chris 12;
        # Eva did not follow), Brandbestrijding (Dina 7, 20/12/2024 - 15/01/2025). Not:
        # Eindejaarscursus (ends 2026), Kladversie (draft), Lasmachine (only the agent).
        "5801": 2,  # Bart, Chris
        "5811": 2,  # Ann (once, two courses), Dina
        "5802": Decimal("20.00"),  # 8 + 12
        "5812": Decimal("19.00"),  # 8 + 4 + 7
        # Gross men: Heftruck external 1200 * 8/16 = 600; HACCP trainer 320 * 12/16 = 240,
        # running 80 * 12/16 = 60, Chris's travel 45: 600 + 240 + 60 + 45 = 945.
        "58031": Decimal("945.00"),
        # Gross women: external 600 + Ann's trainee pay 300; trainer 320 * 4/16 = 80, running
        # 80 * 4/16 = 20; Brandbestrijding external 210: 600 + 300 + 80 + 20 + 210 = 1210.
        # (The agent's own trainee pay of 150 and Lasmachine's 500 reach nobody who counts.)
        "58131": Decimal("1210.00"),
        # Contributions: Heftruck's line 90 / 2 = 45 each, plus the company's share.
        "58032": Decimal("473.57"),  # 45 + 428.571428... = 473.571428...
        "58132": Decimal("616.43"),  # 45 + 571.428571... = 616.428571...
        # Subsidies: Heftruck's 400 / 2 = 200 each.
        "58033": Decimal("200.00"),
        "58133": Decimal("200.00"),
        # Net = gross + contributions - subsidies.
        "5803": Decimal("1218.57"),  # 945 + 473.57 - 200
        "5813": Decimal("1626.43"),  # 1210 + 616.43 - 200
        # --- Informal: Coaching (Xan 2.5, Dina 3; Agent does not count), Zelfstudie (Bart
        # 1.25), Vakbeurs (Bart 4). Not: the brainstorm (excluded).
        "5821": 2,  # Xan, Bart (once, two activities)
        "5831": 1,  # Dina
        "5822": Decimal("7.75"),  # 2.5 + 1.25 + 4
        "5832": Decimal("3.00"),
        # Men: trainer 110 * 2.5/5.5 = 50, contribution 11 * 2.5/5.5 = 5, Bart's travel 35,
        # Vakbeurs external 60, minus Bart's subsidy 20: 50 + 5 + 35 + 60 - 20 = 130.
        "5823": Decimal("130.00"),
        # Women: 110 * 3/5.5 = 60, contribution 11 * 3/5.5 = 6: 66.
        "5833": Decimal("66.00"),
        # --- Initial: Duaal leren (Appie 320, Agent 80, Anna 200; Tim, an external trainer,
        # does not count), counted hours 600.
        "5841": 2,  # Appie, Agent
        "5851": 1,  # Anna
        "5842": Decimal("400.00"),  # 320 + 80
        "5852": Decimal("200.00"),
        # Men: gross 6000 * 400/600 = 4000.00; subsidy 1000 * 400/600 = 666.666... -> 666.67;
        # net 4000.00 - 666.67 = 3333.33.
        "5843": Decimal("3333.33"),
        # Women: gross 6000 * 200/600 = 2000.00; subsidy 333.333... -> 333.33; net 1666.67.
        "5853": Decimal("1666.67"),
    }


def test_all_24_codes_of_2025_match_the_hand_computation(
    cast: Cast, django_assert_max_num_queries: Any
) -> None:
    sb_world(cast)
    with django_assert_max_num_queries(4):
        balance = selectors_sb.social_balance(cast.organisation, 2025)
    codes = balance.by_code()
    assert len(codes) == 24
    expected = expected_2025()
    for code, value in expected.items():
        assert codes[code] == value, code
    assert codes == expected
    assert balance.contribution_basis == "headcount"
    # The published arithmetic holds exactly: 5803 = 58031 + 58032 - 58033.
    assert codes["5803"] == codes["58031"] + codes["58032"] - codes["58033"]
    assert codes["5813"] == codes["58131"] + codes["58132"] - codes["58133"]


def test_2024_splits_the_company_contribution_by_staff_cost(cast: Cast) -> None:
    sb_world(cast)
    codes = selectors_sb.social_balance(cast.organisation, 2024).by_code()
    # Oudejaar (31/12/2024): Bart 8 h, a contribution line of 40 (his alone).
    # The company's 600.00 paid on 01/05/2024, staff cost 300,000 men / 100,000 women:
    # men 600 * 3/4 = 450, women 600 * 1/4 = 150.
    # Brandbestrijding started in 2024 but ends in 2025: not here.
    expected = {
        code: (0 if code in ("5811", "5821", "5831", "5841", "5851") else Z) for code in codes
    }
    expected.update(
        {
            "5801": 1,
            "5802": Decimal("8.00"),
            "58032": Decimal("490.00"),  # 40 + 450
            "58132": Decimal("150.00"),
            "5803": Decimal("490.00"),  # 0 + 490 - 0
            "5813": Decimal("150.00"),
        }
    )
    assert codes == expected


def test_2026_holds_the_course_that_ends_in_it(cast: Cast) -> None:
    sb_world(cast)
    codes = selectors_sb.social_balance(cast.organisation, 2026).by_code()
    # Eindejaarscursus 29/12/2025 - 05/01/2026: Bart 7 h, external 700.
    # The company's 999.00 paid 10/01/2026, by headcount on 31/12/2026: men Bart, Chris, Xan
    # (Leo left) = 3; women Ann, Dina, Eva, Fiona, Nora = 5: 999 * 3/8 = 374.625 -> 374.63,
    # 999 * 5/8 = 624.375 -> 624.38 (half up).
    assert (codes["5801"], codes["5802"], codes["58031"]) == (1, Decimal("7.00"), Decimal("700.00"))
    assert (codes["58032"], codes["58132"]) == (Decimal("374.63"), Decimal("624.38"))
    assert codes["5803"] == Decimal("1074.63")  # 700 + 374.63


def test_what_was_left_out_is_counted_for_the_notes(cast: Cast) -> None:
    sb_world(cast)
    notes = selectors_sb.social_balance(cast.organisation, 2025, with_notes=True).notes
    assert notes["excluded_activities"] == 1  # the brainstorm
    assert notes["excluded"] == 2  # Bart and Dina in it
    assert notes["draft_activities"] == 1
    assert notes["drafts"] == 1
    assert notes["not_followed"] == 1  # Eva in HACCP
    assert notes["not_own_staff"] == 3  # Agent in Heftruck, Lasmachine, Coaching
    assert notes["not_own_staff_people"] == 1
    assert notes["not_initial_type"] == 1  # Tim, an external trainer, in Duaal leren
    # The agent's own trainee pay (150) and Lasmachine's external invoice (500).
    assert notes["lost_cost_lines"] == 2
    assert notes["lost_cost_amount"] == Decimal("650.00")


def test_the_cost_split_by_people_is_a_setting(cast: Cast, settings: Any) -> None:
    sb_world(cast)
    settings.LEERPLEK = {**settings.LEERPLEK, "SB_COST_SPLIT": "people"}
    codes = selectors_sb.social_balance(cast.organisation, 2025).by_code()
    # HACCP's shared 320 + 80 now go half to Ann, half to Chris: 200 each.
    assert codes["58031"] == Decimal("845.00")  # 600 + 160 + 40 + 45
    assert codes["58131"] == Decimal("1310.00")  # 600 + 300 + 160 + 40 + 210
    # Coaching's 110 + 11 half to Xan, half to Dina: 60.50 each.
    assert codes["5823"] == Decimal("135.50")  # 55 + 5.5 + 35 + 60 - 20
    assert codes["5833"] == Decimal("60.50")
    # Hours and people do not change.
    assert codes["5802"] == Decimal("20.00")


def test_the_unstated_gender_column_is_a_setting(cast: Cast, settings: Any) -> None:
    sb_world(cast)
    settings.LEERPLEK = {**settings.LEERPLEK, "SB_UNSTATED_GENDER_COLUMN": "f"}
    codes = selectors_sb.social_balance(cast.organisation, 2025).by_code()
    # Xan moves to the women: informal men Bart only, women Dina and Xan.
    assert (codes["5821"], codes["5831"]) == (1, 2)
    assert (codes["5822"], codes["5832"]) == (Decimal("5.25"), Decimal("5.50"))
    # And in the headcount: men Bart, Chris = 2; women 5: 1000 * 2/7 = 285.714... -> 285.71.
    assert codes["58032"] == Decimal("330.71")  # 45 + 285.71


def test_the_contribution_rule_can_force_the_headcount(cast: Cast, settings: Any) -> None:
    sb_world(cast)
    settings.LEERPLEK = {**settings.LEERPLEK, "SB_CONTRIBUTION_SPLIT": "headcount"}
    codes = selectors_sb.social_balance(cast.organisation, 2024).by_code()
    # Own staff on 31/12/2024: men Bart, Chris, Xan, Leo = 4; women Ann, Dina, Eva, Fiona = 4:
    # 600 / 2 = 300 each, whatever the staff cost says.
    assert (codes["58032"], codes["58132"]) == (Decimal("340.00"), Decimal("300.00"))


def test_agency_workers_count_in_formal_when_the_setting_says_so(cast: Cast, settings: Any) -> None:
    sb_world(cast)
    settings.LEERPLEK = {
        **settings.LEERPLEK,
        "SB_CONTINUING_PERSON_TYPES": ("employee", "agency"),
    }
    codes = selectors_sb.social_balance(cast.organisation, 2025).by_code()
    # Agent joins Bart and Chris in formal (Heftruck and Lasmachine), and in the headcount.
    assert codes["5801"] == 3
    assert codes["5802"] == Decimal("36.00")  # 20 + 8 + 8
