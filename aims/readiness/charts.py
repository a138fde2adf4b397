"""The readiness trend and the implementation plan's timeline, drawn on the server as SVG.

Like the objectives' charts: geometry worked out here, markup in a template (so every text is
escaped), no script. Each chart carries a title and a description in words for people who
cannot see it.
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from dataclasses import dataclass

from aims.core.wording import counted
from aims.readiness.models import PlanStep
from aims.readiness.rules.base import PHASE_TITLES, Phase
from aims.readiness.services import phase_due
from aims.tasks.models import TaskStatus


@dataclass(frozen=True)
class Tick:
    pos: float
    label: str


# ---------------------------------------------------------------------------- the trend


@dataclass(frozen=True)
class Point:
    x: float
    y: float
    label: str


@dataclass(frozen=True)
class Trend:
    id: str
    width: int
    height: int
    left: float
    right: float
    top: float
    bottom: float
    points: list[Point]
    line: str  # the polyline's "x,y x,y…", empty below two points
    y_ticks: list[Tick]
    x_ticks: list[Tick]
    title: str
    desc: str
    empty_label: str

    @property
    def plot_width(self) -> float:
        return self.right - self.left

    @property
    def plot_height(self) -> float:
        return self.bottom - self.top

    @property
    def mid_x(self) -> float:
        return (self.left + self.right) / 2

    @property
    def mid_y(self) -> float:
        return (self.top + self.bottom) / 2


TREND_BOX = {"width": 640, "height": 220, "left": 40, "right": 14, "top": 14, "bottom": 30,
             "inset": 12}


def trend(points: Sequence[tuple[datetime.date, int]], *, id: str = "readiness-trend") -> Trend:
    """The chart of saved scores (day, score), oldest first, on a fixed 0–100 scale."""
    box = TREND_BOX
    left, top = box["left"], box["top"]
    right, bottom = box["width"] - box["right"], box["height"] - box["bottom"]
    days = [d.toordinal() for d, _ in points]
    first, last = (days[0], days[-1]) if days else (0, 0)
    x_lo, x_hi = left + box["inset"], right - box["inset"]

    def x_of(day: int) -> float:
        if last == first:
            return round((left + right) / 2, 2)
        return round(x_lo + (day - first) / (last - first) * (x_hi - x_lo), 2)

    def y_of(score: float) -> float:
        return round(bottom - score / 100 * (bottom - top), 2)

    drawn = [Point(x=x_of(day), y=y_of(score), label=f"{d.isoformat()}: {score}/100")
             for day, (d, score) in zip(days, points, strict=True)]
    x_ticks = []
    if points:
        x_ticks.append(Tick(drawn[0].x, points[0][0].isoformat()))
        if last != first:
            x_ticks.append(Tick(drawn[-1].x, points[-1][0].isoformat()))
    return Trend(
        id=id, width=box["width"], height=box["height"], left=left, right=right, top=top,
        bottom=bottom, points=drawn,
        line=" ".join(f"{p.x},{p.y}" for p in drawn) if len(drawn) > 1 else "",
        y_ticks=[Tick(y_of(v), str(v)) for v in (0, 25, 50, 75, 100)], x_ticks=x_ticks,
        title="Readiness score over time", desc=_trend_summary(points),
        empty_label="No evaluation saved yet" if not points else "")


def _trend_summary(points: Sequence[tuple[datetime.date, int]]) -> str:
    if not points:
        return "No evaluation has been saved yet, so there is no trend to show."
    (d0, s0), (d1, s1) = points[0], points[-1]
    if len(points) == 1:
        return f"One saved evaluation: {s1}/100 on {d1.isoformat()}."
    scores = [s for _, s in points]
    move = "up" if s1 > s0 else "down" if s1 < s0 else "unchanged"
    return (f"{len(points)} saved evaluations from {d0.isoformat()} to {d1.isoformat()}: "
            f"{s0}/100 at first, {s1}/100 at last ({move}); lowest {min(scores)}, "
            f"highest {max(scores)}.")


# ---------------------------------------------------------------------------- the timeline


@dataclass(frozen=True)
class Band:
    title: str
    y: float
    x: float
    width: float
    period: str  # "2027-01-05 to 2027-02-20"


@dataclass(frozen=True)
class Mark:
    x: float
    y: float
    state: str  # done | overdue | open | resolved
    label: str


@dataclass(frozen=True)
class Timeline:
    id: str
    width: int
    height: int
    left: float  # where the plot starts: phase titles stand to its left
    right: float
    top: float
    bottom: float
    row: float
    bands: list[Band]
    marks: list[Mark]
    ticks: list[Tick]
    today_x: float | None
    target_x: float
    target_label: str
    title: str
    desc: str

    @property
    def band_height(self) -> float:
        return self.row - 8

    @property
    def plot_width(self) -> float:
        return self.right - self.left


TIMELINE_BOX = {"width": 760, "left": 150, "right": 16, "top": 28, "row": 24, "bottom": 10}
PHASES = list(Phase)
ROW_OF = {p.value: i for i, p in enumerate(PHASES)}


def _months(start: datetime.date, end: datetime.date) -> list[datetime.date]:
    """The first day of each month after `start` up to `end`."""
    out: list[datetime.date] = []
    day = datetime.date(start.year, start.month, 1)
    while True:
        day = (day + datetime.timedelta(days=32)).replace(day=1)
        if day > end:
            return out
        out.append(day)


def _state(step: PlanStep, today: datetime.date) -> str:
    task = step.task
    if step.resolved_at is not None:
        return "resolved"
    if task is None:
        return "open"
    if task.status == TaskStatus.DONE:
        return "done"
    if task.status == TaskStatus.CANCELLED:
        return "cancelled"
    return "overdue" if task.due_date and task.due_date < today else "open"


def timeline(*, start: datetime.date, target: datetime.date, steps: Sequence[PlanStep],
             today: datetime.date, id: str = "plan-timeline") -> Timeline:
    """Phases as bands scheduled back from `target` (as the plan schedules them from `start`),
    each step's task as a mark on its due date in its phase's row, today and the target
    marked."""
    box = TIMELINE_BOX
    left, top, row = box["left"], box["top"], box["row"]
    right = box["width"] - box["right"]
    height = top + row * len(PHASES) + box["bottom"]
    dues = [s.task.due_date for s in steps if s.task is not None and s.task.due_date]
    lo = min([start, today, *dues])
    hi = max([target, today, *dues])
    span = max((hi - lo).days, 1)

    def x_of(day: datetime.date) -> float:
        return round(left + (day - lo).days / span * (right - left), 2)

    bands, previous = [], start
    for i, phase in enumerate(PHASES):
        end = phase_due(phase, start, target)
        bands.append(Band(title=PHASE_TITLES[phase], y=top + i * row + 4, x=x_of(previous),
                          width=max(x_of(end) - x_of(previous), 2),
                          period=f"{previous.isoformat()} to {end.isoformat()}"))
        previous = end
    marks: list[Mark] = []
    seen: dict[tuple[int, datetime.date], int] = {}
    for s in steps:
        if s.task is None or not s.task.due_date or s.phase not in ROW_OF:
            continue
        i = ROW_OF[s.phase]
        # Marks on the same day in one row step up and down so each stays visible.
        n = seen[(i, s.task.due_date)] = seen.get((i, s.task.due_date), -1) + 1
        offset = (0, -5, 5, -9, 9)[n % 5]
        state = _state(s, today)
        marks.append(Mark(x=x_of(s.task.due_date), y=top + i * row + row / 2 + offset,
                          state=state,
                          label=f"{s.task.ref} {s.task.title} — due "
                                f"{s.task.due_date.isoformat()} ({state})"))
    ticks = [Tick(x_of(m), m.strftime("%b %Y" if m.month == 1 else "%b")) for m in _months(lo, hi)]
    if len(ticks) > 12:  # a long plan: every quarter is enough
        ticks = [t for t in ticks if t.label[:3] in ("Jan", "Apr", "Jul", "Oct")]
    return Timeline(
        id=id, width=box["width"], height=height, left=left, right=right, top=top,
        bottom=height - box["bottom"], row=row, bands=bands, marks=marks, ticks=ticks,
        today_x=x_of(today) if lo <= today <= hi else None, target_x=x_of(target),
        target_label=f"Target {target.isoformat()}", title="Implementation plan timeline",
        desc=_timeline_summary(start, target, marks, today))


def _timeline_summary(start: datetime.date, target: datetime.date, marks: list[Mark],
                      today: datetime.date) -> str:
    states = [m.state for m in marks]
    done = states.count("done") + states.count("resolved")
    return (f"The plan runs from {start.isoformat()} to the target date {target.isoformat()} "
            f"({max((target - today).days, 0)} days from today), in {len(PHASES)} phases "
            f"from context to certification. {counted(len(marks), 'task')}: {done} done, "
            f"{states.count('overdue')} overdue, {states.count('open')} open.")
