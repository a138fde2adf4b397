"""The trend and the plan's timeline: geometry, words for people who cannot see them, and SVG
that parses."""

from __future__ import annotations

import datetime
from xml.etree import ElementTree

from django.template.loader import render_to_string

from aims.readiness import charts
from aims.readiness.models import PlanStep
from aims.tasks.models import Task

DAY = datetime.date(2027, 3, 1)
SVG = "{http://www.w3.org/2000/svg}"


def _parse(template: str, chart) -> ElementTree.Element:
    return ElementTree.fromstring(render_to_string(template, {"chart": chart}))


def test_an_empty_trend_says_so():
    chart = charts.trend([])
    assert chart.points == [] and chart.line == "" and chart.empty_label
    root = _parse("readiness/trend.svg", chart)
    assert root.find(f"{SVG}desc").text.startswith("No evaluation has been saved yet")


def test_the_trend_is_drawn_on_a_fixed_scale_oldest_first():
    points = [(DAY, 40), (DAY + datetime.timedelta(days=10), 100),
              (DAY + datetime.timedelta(days=30), 0)]
    chart = charts.trend(points)
    first, top, bottom = chart.points
    assert first.x < top.x < bottom.x
    assert top.y == chart.top and bottom.y == chart.bottom  # 100 and 0 on the frame
    assert [t.label for t in chart.x_ticks] == ["2027-03-01", "2027-03-31"]
    assert "40/100 at first, 0/100 at last (down)" in chart.desc
    root = _parse("readiness/trend.svg", chart)
    assert len(root.findall(f"{SVG}circle")) == 3 and root.find(f"{SVG}polyline") is not None


def _step(phase: str, due: datetime.date, status: str = "open") -> PlanStep:
    return PlanStep(phase=phase, task=Task(ref="T-001", title="Do it", due_date=due,
                                           status=status))


def test_the_timeline_bands_run_back_from_the_target():
    target = DAY + datetime.timedelta(days=300)
    steps = [_step("risk", DAY + datetime.timedelta(days=120)),
             _step("context", DAY - datetime.timedelta(days=5)),  # overdue by today
             _step("support", DAY + datetime.timedelta(days=180), "done")]
    chart = charts.timeline(start=DAY - datetime.timedelta(days=10), target=target,
                            steps=steps, today=DAY)
    titles = [b.title for b in chart.bands]
    assert (titles[0], titles[-1], len(titles)) == ("Context and scope", "Certification", 9)
    for a, b in zip(chart.bands, chart.bands[1:], strict=False):
        assert round(a.x + a.width, 1) == round(b.x, 1)  # each phase starts where one ends
    assert round(chart.bands[-1].x + chart.bands[-1].width, 1) == round(chart.target_x, 1)
    assert [m.state for m in chart.marks] == ["open", "overdue", "done"]
    assert chart.today_x is not None and chart.left < chart.today_x < chart.target_x
    assert "1 overdue" in chart.desc and "1 done" in chart.desc
    root = _parse("readiness/timeline.svg", chart)
    assert len(root.findall(f"{SVG}circle")) == 3
    assert root.find(f"{SVG}line[@class='target']") is not None
