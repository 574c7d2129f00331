"""The geometry of the training-volume bar chart (hours per month), drawn by the template as
inline SVG.

No JavaScript and no style attributes (CSP): the template writes SVG attributes and CSS classes
from these numbers. As on the competence coverage page, the page draws the chart twice, wide for
a desktop and narrow (fewer month labels) for a phone, and CSS shows the one that fits, so its
text stays readable. The table under the chart holds the same numbers for screen readers.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from leerplek.registration.selectors_volume import Month


@dataclass
class Tick:
    position: float
    label: str = ""


@dataclass
class Bar:
    x: float
    y: float
    width: float
    height: float
    centre: float
    month: datetime.date
    hours: Decimal
    labelled: bool


@dataclass
class BarChart:
    width: int
    height: int
    left: int
    top: int
    right: int
    bottom: int
    y_ticks: list[Tick] = field(default_factory=list)
    bars: list[Bar] = field(default_factory=list)


def nice_step(peak: Decimal, intervals: int = 4) -> Decimal:
    """A round step (1, 2, 2.5 or 5 times a power of ten) so `intervals` steps cover `peak`."""
    if peak <= 0:
        return Decimal("1")
    raw = peak / intervals
    power = Decimal(10) ** (len(str(int(raw))) - 1) if raw >= 1 else Decimal("1")
    for factor in (Decimal("1"), Decimal("2"), Decimal("2.5"), Decimal("5"), Decimal("10")):
        if factor * power >= raw:
            return factor * power
    return 10 * power


def _round(value: float) -> float:
    return round(value, 1)


def bar_layout(
    months: list[Month], *, width: int, height: int, label_every: int, left: int = 48
) -> BarChart:
    """Axes, round y ticks and one bar per month; every `label_every`-th month is labelled."""
    chart = BarChart(
        width=width, height=height, left=left, top=12, right=width - 8, bottom=height - 26
    )
    peak = max((month.hours for month in months), default=Decimal("0"))
    step = nice_step(peak)
    top_value = step * 4
    span_y = chart.bottom - chart.top
    for index in range(5):
        value = step * index
        chart.y_ticks.append(
            Tick(
                position=_round(chart.bottom - span_y * float(value / top_value)),
                label=f"{value.normalize():f}",
            )
        )
    count = max(len(months), 1)
    slot = (chart.right - chart.left) / count
    bar_width = max(slot * 0.7, 1.0)
    for index, month in enumerate(months):
        bar_height = span_y * float(month.hours / top_value) if top_value else 0.0
        x = chart.left + slot * index + (slot - bar_width) / 2
        chart.bars.append(
            Bar(
                x=_round(x),
                y=_round(chart.bottom - bar_height),
                width=_round(bar_width),
                height=_round(bar_height),
                centre=_round(x + bar_width / 2),
                month=month.month,
                hours=month.hours,
                labelled=index % label_every == 0,
            )
        )
    return chart
