"""The geometry of the results charts: bars to scale, whole-number ticks, empty sides blank."""

from __future__ import annotations

import datetime

from leerplek.onboarding.chart_metrics import LEFT, RIGHT, independence_chart, leaver_chart
from leerplek.onboarding.selectors_metrics import Cohort, Group, Outcome

START = datetime.date(2025, 1, 6)


def outcome(
    *, guide: bool, exit_after: int | None = None, independent: int | None = None
) -> Outcome:
    return Outcome(
        start_date=START,
        job_id=None,
        job_name="",
        had_guide=guide,
        days_to_independence=independent,
        days_to_exit=exit_after,
        days_followed=400,
        newcomer_total=0,
        newcomer_count=0,
        guide_total=0,
        guide_count=0,
    )


def group(key: str, outcomes: list[Outcome]) -> Group:
    return Group(key, key, 5, 7, 183, outcomes)


def cohort(with_outcomes: list[Outcome], without: list[Outcome]) -> Cohort:
    both = with_outcomes + without
    return Cohort(
        "2025-Q1",
        "Q1 2025",
        START,
        group("t", both),
        group("w", with_outcomes),
        group("o", without),
    )


def test_leaver_bars_are_drawn_to_a_whole_number_axis() -> None:
    without = [outcome(guide=False, exit_after=10)] * 9 + [outcome(guide=False)] * 16
    with_peter = [outcome(guide=True, exit_after=10)] + [outcome(guide=True)] * 9
    chart = leaver_chart([cohort(with_peter, without)], percent_label="%(percent)s %% of %(count)s")
    assert [tick.label for tick in chart.ticks] == ["0 %", "20 %", "40 %"]
    with_bar, without_bar = chart.rows[0].bars
    assert with_bar.label == "10 % of 10"
    assert without_bar.label == "36 % of 25"
    assert without_bar.width == round((RIGHT - LEFT) * 36 / 40, 1)


def test_an_empty_side_leaves_its_slot_blank() -> None:
    chart = leaver_chart(
        [cohort([], [outcome(guide=False)] * 5)], percent_label="%(percent)s %% of %(count)s"
    )
    assert chart.rows[0].bars[0].label == ""
    assert chart.rows[0].bars[0].width == 0


def test_independence_bar_is_the_median_with_the_range_as_a_line() -> None:
    data = group("t", [outcome(guide=True, independent=days) for days in (28, 42, 98)])
    chart = independence_chart([data], ["Q1 2025"], weeks_label="%(weeks)s wk")
    assert [tick.label for tick in chart.ticks] == ["0", "8", "16"]
    bar = chart.rows[0].bars[0]
    assert bar.label == "6.0 wk"
    assert bar.range_from == round(LEFT + (RIGHT - LEFT) * 4 / 16, 1)
    assert bar.range_to == round(LEFT + (RIGHT - LEFT) * 14 / 16, 1)
    assert bar.small  # three newcomers, fewer than five
