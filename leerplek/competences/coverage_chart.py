"""The geometry of the coverage line chart, drawn by the template as inline SVG.

No JavaScript and no style attributes (CSP): the template writes SVG attributes and CSS classes
from these numbers. The page draws the chart twice, wide for a desktop and narrow with fewer
month labels for a phone, and CSS shows the one that fits, so its text stays readable.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from leerplek.competences.coverage_selectors import CoverageHistory, CoverageSeries


@dataclass
class Tick:
    position: float
    label: str = ""
    month: datetime.date | None = None


@dataclass
class Dot:
    x: float
    y: float
    percent: int
    month: datetime.date


@dataclass
class Line:
    series: CoverageSeries
    path: str
    dots: list[Dot]
    rise: Dot | None = None

    @property
    def style(self) -> int:
        return self.series.index


@dataclass
class Chart:
    width: int
    height: int
    left: int
    top: int
    right: int
    bottom: int
    y_ticks: list[Tick] = field(default_factory=list)
    x_ticks: list[Tick] = field(default_factory=list)
    lines: list[Line] = field(default_factory=list)
    rise_label: str = ""  # "+22" next to the marked rise when a single line is drawn

    @property
    def rise(self) -> Dot | None:
        return self.lines[0].rise if len(self.lines) == 1 else None

    @property
    def rise_label_at_left(self) -> bool:
        """Put the rise label left of its guide line when the guide is near the right edge."""
        rise = self.rise
        return rise is not None and rise.x > self.right - 60


def _round(value: float) -> float:
    return round(value, 1)


def chart_layout(
    history: CoverageHistory, *, width: int, height: int, label_every: int, left: int = 40
) -> Chart:
    """Positions for the axes, the month labels (every `label_every` months, ending with the
    current one) and one line per charted series; a month without people leaves a gap."""
    chart = Chart(
        width=width, height=height, left=left, top=12, right=width - 14, bottom=height - 28
    )
    span_y = chart.bottom - chart.top
    for percent in (0, 25, 50, 75, 100):
        chart.y_ticks.append(
            Tick(position=_round(chart.bottom - span_y * percent / 100), label=f"{percent} %")
        )
    count = len(history.months)
    step = (chart.right - chart.left) / (count - 1) if count > 1 else 0.0

    def x_of(index: int) -> float:
        return _round(chart.left + step * index if count > 1 else (chart.left + chart.right) / 2)

    for index, point in enumerate(history.months):
        if (count - 1 - index) % label_every == 0:
            chart.x_ticks.append(Tick(position=x_of(index), month=point.month))
    for series in history.charted:
        commands: list[str] = []
        dots: list[Dot] = []
        pen_down = False
        rise_month = series.biggest_rise.month if series.biggest_rise else None
        rise: Dot | None = None
        for index, point in enumerate(series.points):
            if point.percent is None:
                pen_down = False
                continue
            share: int = point.percent
            dot = Dot(
                x=x_of(index),
                y=_round(chart.bottom - span_y * share / 100),
                percent=share,
                month=point.month,
            )
            commands.append(f"{'L' if pen_down else 'M'}{dot.x} {dot.y}")
            pen_down = True
            dots.append(dot)
            if point.month == rise_month:
                rise = dot
        chart.lines.append(Line(series=series, path=" ".join(commands), dots=dots, rise=rise))
    if len(chart.lines) == 1 and chart.lines[0].series.biggest_rise is not None:
        chart.rise_label = f"+{chart.lines[0].series.biggest_rise.rise}"
    return chart
