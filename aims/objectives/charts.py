"""The trend chart of an objective: measurements over time against the target, as SVG.

Drawn on the server with a template (so every text is escaped), no script: the same markup
is inlined in pages and served by the API as image/svg+xml.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.template.loader import render_to_string

from aims.objectives.models import Measurement, Objective, TrackStatus, format_value, with_unit

LARGE = {"width": 640, "height": 260, "left": 64, "right": 16, "top": 20, "bottom": 44,
         "inset": 14}
SMALL = {"width": 168, "height": 48, "left": 3, "right": 3, "top": 5, "bottom": 5, "inset": 4}


@dataclass(frozen=True)
class Point:
    x: float
    y: float
    met: bool
    last: bool
    label: str


@dataclass(frozen=True)
class Tick:
    pos: float
    label: str


@dataclass(frozen=True)
class Chart:
    id: str
    small: bool
    width: int
    height: int
    left: float
    right: float
    top: float
    bottom: float
    title: str
    desc: str
    points: list[Point]
    line: str  # the polyline's "x,y x,y…", empty below two points
    target_y: float
    target_label: str
    baseline_y: float | None
    baseline_label: str
    zero_y: float | None
    y_ticks: list[Tick]
    x_ticks: list[Tick]
    y_axis_label: str
    empty_label: str

    @property
    def mid_x(self) -> float:
        return (self.left + self.right) / 2

    @property
    def mid_y(self) -> float:
        return (self.top + self.bottom) / 2

    @property
    def plot_width(self) -> float:
        return self.right - self.left

    @property
    def plot_height(self) -> float:
        return self.bottom - self.top


def _nice_step(span: float, count: int) -> float:
    """A round step (1, 2, 2.5 or 5 times a power of ten) giving about `count` intervals."""
    raw = span / max(count, 1)
    power = 10 ** math.floor(math.log10(raw))
    for factor in (1, 2, 2.5, 5, 10):
        if raw <= factor * power:
            return factor * power
    return 10 * power


def _decimals(step: float) -> int:
    """Places needed to print multiples of `step` without noise."""
    text = format(Decimal(repr(step)).normalize(), "f")
    return len(text.split(".")[1]) if "." in text else 0


def _value_range(values: Sequence[float]) -> tuple[float, float]:
    lo, hi = min(values), max(values)
    if hi == lo:
        pad = abs(lo) * 0.1 or 1.0
        return lo - pad, hi + pad
    pad = (hi - lo) * 0.08
    return lo - pad, hi + pad


def _y_ticks(lo: float, hi: float, count: int = 4) -> tuple[float, float, list[float], int]:
    """A range widened to round numbers, its ticks, and the decimals to print them with."""
    step = _nice_step(hi - lo, count)
    start = math.floor(lo / step) * step
    end = math.ceil(hi / step) * step
    n = round((end - start) / step)
    ticks = [start + i * step for i in range(n + 1)]
    return start, end, ticks, _decimals(step)


def _fmt(value: float, places: int) -> str:
    text = f"{value:.{places}f}"
    return "0" if text.strip("-0.") == "" else text


def trend_chart(*, objective: Objective, measurements: Sequence[Measurement],
                small: bool = False) -> Chart:
    """The geometry and texts of the chart of `measurements` (any order) of `objective`."""
    box = SMALL if small else LARGE
    left, top = box["left"], box["top"]
    right, bottom = box["width"] - box["right"], box["height"] - box["bottom"]
    data = sorted(measurements, key=lambda m: (m.measured_on, m.created_at))
    target = float(objective.target)
    values = [float(m.value) for m in data] + [target]
    if objective.baseline is not None and not small:
        values.append(float(objective.baseline))
    lo, hi = _value_range(values)
    ticks: list[float] = []
    places = 0
    if not small:
        lo, hi, ticks, places = _y_ticks(lo, hi)

    def y_of(v: float) -> float:
        return round(bottom - (v - lo) / (hi - lo) * (bottom - top), 2)

    days = [m.measured_on.toordinal() for m in data]
    first, last = (min(days), max(days)) if days else (0, 0)

    # Points stay clear of the frame, so the first and last are drawn whole.
    x_lo, x_hi = left + box["inset"], right - box["inset"]

    def x_of(day: int) -> float:
        if last == first:
            return round((left + right) / 2, 2)
        return round(x_lo + (day - first) / (last - first) * (x_hi - x_lo), 2)

    unit = objective.unit
    target_text = f"{objective.comparator} {with_unit(objective.target, unit)}"
    points = [
        Point(x=x_of(d), y=y_of(float(m.value)), met=objective.meets_target(m.value),
              last=i == len(data) - 1,
              label=(f"{m.measured_on.isoformat()}: {with_unit(m.value, unit)} "
                     f"({'meets' if objective.meets_target(m.value) else 'misses'} the target "
                     f"{target_text})"))
        for i, (d, m) in enumerate(zip(days, data, strict=True))
    ]
    x_ticks: list[Tick] = []
    if data and not small:
        x_ticks.append(Tick(points[0].x, data[0].measured_on.isoformat()))
        if last != first:
            x_ticks.append(Tick(points[-1].x, data[-1].measured_on.isoformat()))
    return Chart(
        id=f"objective-chart-{objective.pk.hex}-{'s' if small else 'l'}",
        small=small, width=box["width"], height=box["height"],
        left=left, right=right, top=top, bottom=bottom,
        title=f"Trend of “{objective.title}”",
        desc=_summary(objective, data),
        points=points,
        line=" ".join(f"{p.x},{p.y}" for p in points) if len(points) > 1 else "",
        target_y=y_of(target), target_label=f"Target {target_text}",
        baseline_y=(None if small or objective.baseline is None
                    else y_of(float(objective.baseline))),
        baseline_label=f"Baseline {with_unit(objective.baseline, unit)}",
        zero_y=y_of(0.0) if lo < 0 < hi else None,
        y_ticks=[Tick(y_of(t), _fmt(t, places)) for t in ticks],
        x_ticks=x_ticks,
        y_axis_label=unit,
        empty_label="No measurements yet" if not data else "",
    )


def _summary(objective: Objective, data: Sequence[Measurement]) -> str:
    """What the chart shows, in a sentence or two, for people who cannot see it."""
    unit = objective.unit
    target = f"{objective.comparator} {with_unit(objective.target, unit)}"
    if not data:
        return f"No measurements recorded yet. The target is {target}."
    latest = data[-1]
    verdict = (TrackStatus.ON_TRACK if objective.meets_target(latest.value)
               else TrackStatus.OFF_TRACK).label.lower()
    text = (f"Latest value {with_unit(latest.value, unit)} on {latest.measured_on.isoformat()} "
            f"against a target of {target}: {verdict}.")
    if len(data) > 1:
        lowest = min(data, key=lambda m: m.value)
        highest = max(data, key=lambda m: m.value)
        text += (f" {len(data)} measurements from {data[0].measured_on.isoformat()}, "
                 f"ranging from {format_value(lowest.value)} to {format_value(highest.value)} "
                 f"{unit}.".rstrip())
    else:
        text += " One measurement so far."
    return text


def trend_svg(*, objective: Objective, measurements: Sequence[Measurement],
              small: bool = False, standalone: bool = False) -> str:
    """The chart as SVG markup; `standalone` adds the XML declaration for a file of its own."""
    chart = trend_chart(objective=objective, measurements=measurements, small=small)
    return render_to_string("objectives/chart.svg", {"chart": chart, "standalone": standalone})
