import datetime
import xml.etree.ElementTree as ET
from decimal import Decimal

import pytest

from aims.objectives.charts import trend_chart, trend_svg

pytestmark = pytest.mark.django_db

SVG = "{http://www.w3.org/2000/svg}"


def _parse(svg: str) -> ET.Element:
    root = ET.fromstring(svg.encode())
    assert root.tag == f"{SVG}svg"
    assert root.get("role") == "img"
    labelled_by = root.get("aria-labelledby")
    assert labelled_by is not None
    title_id, desc_id = labelled_by.split()
    assert root[0].tag == f"{SVG}title" and root[0].get("id") == title_id
    assert root[1].tag == f"{SVG}desc" and root[1].get("id") == desc_id
    return root


def _points(root) -> list[ET.Element]:
    return root.findall(f"{SVG}circle")


def _series(make_objective, measure, values, **overrides):
    objective = make_objective(**overrides)
    start = datetime.date(2025, 1, 31)
    ms = [measure(objective, v, on=start + datetime.timedelta(days=91 * i))
          for i, v in enumerate(values)]
    return objective, ms


@pytest.mark.parametrize("small", [False, True])
@pytest.mark.parametrize("values", [
    [], ["0.04"], ["0.09", "0.07", "0.066", "0.051", "0.05", "0.049"], ["0.05", "0.05"],
    ["-3", "-1.5", "0", "2.25"], ["-0.5"], ["0"], ["123456789.5", "0.0001"],
])
def test_svg_is_well_formed_for_any_number_of_points(make_objective, measure, values, small):
    objective, ms = _series(make_objective, measure, values)
    for standalone in (False, True):
        root = _parse(trend_svg(objective=objective, measurements=ms, small=small,
                                standalone=standalone))
        points = _points(root)
        assert len(points) == len(values)
        for p in points:
            assert p.find(f"{SVG}title").text  # each point says what it is
            assert 0 <= float(p.get("cx")) <= int(root.get("width"))
            assert 0 <= float(p.get("cy")) <= int(root.get("height"))
        assert (root.find(f"{SVG}polyline") is not None) == (len(values) > 1)
        targets = [line for line in root.findall(f"{SVG}line") if line.get("class") == "target"]
        assert len(targets) == 1


def test_standalone_file_starts_with_the_xml_declaration(make_objective, measure):
    objective, ms = _series(make_objective, measure, ["0.04"])
    assert trend_svg(objective=objective, measurements=ms, standalone=True).startswith("<?xml")
    assert trend_svg(objective=objective, measurements=ms).startswith("<svg")


def test_summary_and_axis_name_the_last_value_the_target_and_the_unit(make_objective, measure):
    objective, ms = _series(make_objective, measure, ["0.09", "0.061"], unit="ratio",
                            direction="lower", target="0.05", baseline="0.09")
    root = _parse(trend_svg(objective=objective, measurements=ms))
    desc = root.find(f"{SVG}desc").text
    assert "Latest value 0.061 ratio on 2025-05-02" in desc
    assert "target of ≤ 0.05 ratio: off track" in desc
    texts = [t.text for t in root.iter(f"{SVG}text")]
    assert "ratio" in texts and "Measured on" in texts
    assert "2025-01-31" in texts and "2025-05-02" in texts
    assert "Target ≤ 0.05 ratio" in texts and "Baseline 0.09 ratio" in texts
    last = _points(root)[-1].find(f"{SVG}title").text
    assert last == "2025-05-02: 0.061 ratio (misses the target ≤ 0.05 ratio)"


def test_no_points_says_so(make_objective):
    objective = make_objective(target="95", unit="%", direction="higher")
    root = _parse(trend_svg(objective=objective, measurements=[]))
    assert root.find(f"{SVG}desc").text == "No measurements recorded yet. The target is ≥ 95 %."
    assert "No measurements yet" in [t.text for t in root.iter(f"{SVG}text")]


def test_every_text_is_escaped(make_objective, measure):
    nasty = '<script>alert("x")</script> & \'quotes\''
    objective, ms = _series(make_objective, measure, ["1", "2"], title=nasty, unit="<b>%</b>")
    svg = trend_svg(objective=objective, measurements=ms)
    assert "<script>" not in svg and "<b>" not in svg
    root = _parse(svg)
    assert nasty in root.find(f"{SVG}title").text
    assert "<b>%</b>" in [t.text for t in root.iter(f"{SVG}text")]


def test_points_run_left_to_right_in_date_order_and_up_with_the_value(make_objective, measure):
    objective, ms = _series(make_objective, measure, ["-3", "5", "1"])
    chart = trend_chart(objective=objective, measurements=list(reversed(ms)))
    xs = [p.x for p in chart.points]
    ys = [p.y for p in chart.points]
    assert xs == sorted(xs)
    assert ys[1] < ys[2] < ys[0]  # SVG y grows downward
    assert chart.zero_y is not None  # the range crosses zero: a zero line is drawn
    ticks = [Decimal(t.label) for t in chart.y_ticks]
    assert ticks == sorted(ticks) and ticks[0] <= -3 and ticks[-1] >= 5


def test_one_point_and_equal_values_are_centred_and_inside(make_objective, measure):
    objective, ms = _series(make_objective, measure, ["7"], target="7")
    chart = trend_chart(objective=objective, measurements=ms)
    assert chart.points[0].x == chart.mid_x
    assert chart.top < chart.points[0].y < chart.bottom
    assert chart.points[0].y == chart.target_y
