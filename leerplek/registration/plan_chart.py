"""The geometry of the plan's "planned against realised" chart, drawn by the template as inline
SVG (no JavaScript, no style attributes: CSP). Bars are the hours realised in each month; the
line is the cumulative hours; the dashed line is the planned total for the year. The viewBox is
narrow (360 units) so the labels stay readable on a 390 px phone; on a desktop it scales up.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils.formats import date_format

from leerplek.registration.selectors_plan import PlanFigures

WIDTH, HEIGHT = 360, 190
LEFT, RIGHT, TOP, BOTTOM = 44, 8, 12, 24


@dataclass
class Bar:
    x: float
    y: float
    width: float
    height: float
    hours: Decimal
    cumulative: Decimal
    label: str  # the month's short name


@dataclass
class Tick:
    y: float
    label: str


@dataclass
class Chart:
    width: int = WIDTH
    height: int = HEIGHT
    left: int = LEFT
    right_x: int = WIDTH - RIGHT
    base: float = HEIGHT - BOTTOM
    bars: list[Bar] = field(default_factory=list)
    ticks: list[Tick] = field(default_factory=list)
    path: str = ""
    planned_y: float | None = None
    planned: Decimal = Decimal("0")
    realised: Decimal = Decimal("0")


def _nice(top: Decimal) -> Decimal:
    """A round axis maximum at or above `top` (1, 2 or 5 times a power of ten)."""
    value = max(top, Decimal("1"))
    power = Decimal(10) ** (len(str(int(value))) - 1)
    for step in (1, 2, 5, 10):
        if value <= step * power:
            return step * power
    return 10 * power


def plan_chart(figures: PlanFigures, year: int) -> Chart:
    planned = figures.planned_hours
    cumulative: list[Decimal] = []
    total = Decimal("0")
    for hours in figures.months_hours:
        total += hours
        cumulative.append(total)
    top = _nice(max([planned, total]))
    plot_height = HEIGHT - TOP - BOTTOM
    step = (WIDTH - LEFT - RIGHT) / 12

    def y(value: Decimal) -> float:
        return round(HEIGHT - BOTTOM - float(value / top) * plot_height, 1)

    chart = Chart(planned=planned, realised=total)
    points = []
    for index, (hours, running) in enumerate(zip(figures.months_hours, cumulative, strict=True)):
        x = LEFT + index * step
        chart.bars.append(
            Bar(
                x=round(x + 3, 1),
                y=y(hours),
                width=round(step - 6, 1),
                height=round(HEIGHT - BOTTOM - y(hours), 1),
                hours=hours,
                cumulative=running,
                label=date_format(datetime.date(year, index + 1, 1), "M")[:3],
            )
        )
        points.append(f"{round(x + step / 2, 1)},{y(running)}")
    chart.path = "M" + " L".join(points)
    chart.ticks = [
        Tick(y(top * part / 2), f"{(top * part / 2).normalize():f}") for part in (0, 1, 2)
    ]
    chart.planned_y = y(planned) if planned else None
    return chart
