"""The geometry of the onboarding results charts, drawn by the templates as inline SVG.

Horizontal bars, one row per cohort: the chart grows downwards with more cohorts instead of
squeezing them, so one drawing reads on a phone (390 px) and on a desktop. No JavaScript and no
style attributes (CSP): the template writes SVG attributes and CSS classes from these numbers.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from decimal import Decimal

from leerplek.onboarding.selectors_metrics import Cohort, Group

WIDTH = 360
LEFT = 66  # room for the cohort label ("Q3 2025", "Sep 2025")
RIGHT = WIDTH - 74  # room for the value label ("36 % of 25")
TOP = 22
BAR = 11
GAP = 3
ROW_GAP = 12


@dataclass
class Bar:
    y: float
    width: float
    style: str  # "with" / "without" / "median"
    label: str
    small: bool = False
    # A range (time to independence): from the shortest to the longest.
    range_from: float | None = None
    range_to: float | None = None

    @property
    def end(self) -> float:
        return round(LEFT + self.width, 1)

    height: int = BAR

    @property
    def bottom(self) -> float:
        return round(self.y + BAR, 1)

    @property
    def label_x(self) -> float:
        return round(max(self.end, self.range_to or 0) + 4, 1)

    @property
    def middle(self) -> float:
        return round(self.y + BAR / 2, 1)


@dataclass
class Row:
    label: str
    y: float
    bars: list[Bar] = field(default_factory=list)

    @property
    def label_y(self) -> float:
        return round(self.y + (len(self.bars) * (BAR + GAP) - GAP) / 2 + 4, 1)


@dataclass
class Tick:
    x: float
    label: str


@dataclass
class BarChart:
    height: int
    rows: list[Row]
    ticks: list[Tick]
    width: int = WIDTH
    left: int = LEFT
    right: int = RIGHT
    top: int = TOP

    @property
    def bottom(self) -> int:
        return self.height - 6


def _nice_ceiling(value: float, *, least: int, step: int) -> int:
    """The axis maximum: `value` rounded up to a multiple of `step` (even, so the middle tick
    is a whole number), at least `least`."""
    return max(least, int(math.ceil(value / step) * step))


def _scale(value: float, maximum: int) -> float:
    return round((RIGHT - LEFT) * value / maximum, 1) if maximum else 0.0


def _ticks(maximum: int, unit: str) -> list[Tick]:
    return [
        Tick(
            x=round(LEFT + _scale(maximum * part / 2, maximum), 1),
            label=f"{maximum * part // 2}{unit}",
        )
        for part in range(3)
    ]


def _height(rows: int, bars_per_row: int) -> int:
    return TOP + rows * (bars_per_row * (BAR + GAP) - GAP + ROW_GAP) + 6


def leaver_chart(cohorts: list[Cohort], *, percent_label: str) -> BarChart:
    """Per cohort, the share who left within the early-leaver period: one bar for the newcomers
    with a peter/meter and one for those without. `percent_label` formats "%(percent)s %% of
    %(count)s"."""
    values = [
        side.left_period_percent or 0
        for cohort in cohorts
        for side in (cohort.with_guide, cohort.without_guide)
    ]
    maximum = _nice_ceiling(max(values, default=0), least=20, step=10)
    rows = []
    y = float(TOP)
    for cohort in cohorts:
        row = Row(label=cohort.label, y=y)
        for style, side in (("with", cohort.with_guide), ("without", cohort.without_guide)):
            percent = side.left_period_percent
            row.bars.append(
                Bar(
                    y=round(y, 1),
                    width=_scale(percent or 0, maximum),
                    style=style,
                    # An empty side (no newcomer with, or without, a peter) leaves its slot blank.
                    label=""
                    if percent is None
                    else percent_label % {"percent": percent, "count": side.started},
                    small=side.is_small,
                )
            )
            y += BAR + GAP
        y += ROW_GAP - GAP
        rows.append(row)
    return BarChart(height=_height(len(cohorts), 2), rows=rows, ticks=_ticks(maximum, " %"))


def independence_chart(groups: list[Group], labels: list[str], *, weeks_label: str) -> BarChart:
    """Per cohort, the median time to independence in weeks as a bar, with a thin line from the
    quickest to the slowest newcomer. `weeks_label` formats "%(weeks)s wk"."""
    longest = max((group.max_days or 0 for group in groups), default=0) / 7
    maximum = _nice_ceiling(longest, least=4, step=4)
    rows = []
    y = float(TOP)
    for group, label in zip(groups, labels, strict=True):
        weeks = group.median_weeks
        bar = Bar(
            y=round(y, 1),
            width=_scale(float(weeks or Decimal(0)), maximum),
            style="median",
            label="—" if weeks is None else weeks_label % {"weeks": weeks},
            small=group.is_small,
        )
        if group.min_days is not None and group.max_days is not None:
            bar.range_from = round(LEFT + _scale(group.min_days / 7, maximum), 1)
            bar.range_to = round(LEFT + _scale(group.max_days / 7, maximum), 1)
        rows.append(Row(label=label, y=y, bars=[bar]))
        y += BAR + ROW_GAP
    return BarChart(height=_height(len(groups), 1), rows=rows, ticks=_ticks(maximum, ""))
