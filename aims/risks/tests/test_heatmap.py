import re

import pytest

from aims.risks import heatmap
from aims.risks.selectors import RiskFilters, heatmap_counts, methodology_current, risk_list
from aims.risks.services import methodology_version_create
from aims.risks.tests.conftest import three_by_three
from aims.testing.factories import make_ai_system

pytestmark = pytest.mark.django_db

RATIONALE = "Monitoring and monthly retraining keep it within range."


def _rated(make_risk, li, im, rl=None, ri=None, **more):
    data = {"inherent_likelihood": li, "inherent_impact": im, **more}
    if rl is not None:
        data.update(residual_likelihood=rl, residual_impact=ri, treatment_option="mitigate",
                    treatment_rationale=RATIONALE)
    return make_risk(**data)


def test_counts_per_cell_inherent_and_residual(ctx, make_risk, system):
    _rated(make_risk, 4, 5, 2, 3)
    _rated(make_risk, 4, 5, 2, 3, ai_systems=[system.pk])
    _rated(make_risk, 1, 1)
    make_risk()  # not rated
    _rated(make_risk, 4, 5, status="closed")
    counts = heatmap_counts(ctx=ctx, filters=RiskFilters(status="open"))
    assert counts.inherent == {(4, 5): 2, (1, 1): 1}
    assert counts.residual == {(2, 3): 2}
    assert counts.unrated == {"inherent": 1, "residual": 2}
    assert heatmap_counts(ctx=ctx).inherent[(4, 5)] == 3  # closed ones count when asked
    only = heatmap_counts(ctx=ctx, filters=RiskFilters(ai_system=str(system.pk)))
    assert only.inherent == {(4, 5): 1}


def test_grid_cells_take_the_current_methodology_colours_and_sizes(ctx, make_risk):
    _rated(make_risk, 4, 5)
    m = methodology_current(ctx=ctx)
    grids = heatmap.build(m, heatmap_counts(ctx=ctx), link=lambda b, li, im: f"/{b}/{li}/{im}")
    inherent, residual = grids
    assert len(inherent.rows) == 5 and all(len(r) == 5 for r in inherent.rows)
    assert inherent.rows[0][0].likelihood == 5  # highest likelihood drawn first
    cell = next(c for c in inherent.cells if (c.likelihood, c.impact) == (4, 5))
    assert (cell.count, cell.score, cell.level, cell.href) == (1, 20, "critical", "/inherent/4/5")
    assert cell.label == "Likelihood 4, impact 5: 1 risk, critical level"
    assert (inherent.on_grid, residual.on_grid, residual.unrated) == (1, 0, 1)


def test_older_versions_map_by_their_values_and_larger_scales_fall_off(ctx, make_risk):
    _rated(make_risk, 2, 2)   # fits a 3 × 3 grid
    _rated(make_risk, 5, 4)   # does not
    methodology_version_create(ctx=ctx, data=three_by_three(), based_on=1)
    m = methodology_current(ctx=ctx)
    inherent, _ = heatmap.build(m, heatmap_counts(ctx=ctx), link=lambda *a: "#")
    assert len(inherent.rows) == 3
    cell = next(c for c in inherent.cells if (c.likelihood, c.impact) == (2, 2))
    assert (cell.count, cell.level) == (1, "medium")  # coloured by the current version
    assert (inherent.on_grid, inherent.off_grid) == (1, 1)


def test_svg_is_accessible_and_escapes_text(ctx, make_risk):
    _rated(make_risk, 4, 5)
    _rated(make_risk, 4, 5)
    m = methodology_current(ctx=ctx)
    inherent, _ = heatmap.build(m, heatmap_counts(ctx=ctx),
                                link=lambda b, li, im: f"/r/?a=1&basis={b}&l={li}\"<x>")
    svg = str(heatmap.svg(inherent, id_prefix="t"))
    assert svg.count("<a ") == 25
    assert 'aria-label="Likelihood 4, impact 5: 2 risks, critical level"' in svg
    assert '<title id="t-inherent-title">Inherent risk heat map</title>' in svg
    assert 'aria-labelledby="t-inherent-title t-inherent-desc"' in svg
    assert "&amp;basis=inherent" in svg and "&quot;&lt;x&gt;" in svg and '"<x>' not in svg
    assert re.search(r'class="count" fill="#1d2a3a">2</text>', svg)


def test_cell_links_lead_to_a_register_with_the_same_count(ctx, make_risk, members,
                                                           web_client_for):
    other = make_ai_system(ctx, name="Chatbot")
    for _ in range(2):
        _rated(make_risk, 3, 4, 1, 2, ai_systems=[other.pk])
    _rated(make_risk, 3, 4, status="closed")
    _rated(make_risk, 2, 2)
    c = web_client_for(members["viewer"])
    page = c.get(f"/o/{ctx.org.slug}/risks/heatmap/").content.decode()
    label = "Likelihood 3, impact 4: 2 risks, high level"
    href = re.search(r'<a href="([^"]+)" aria-label="' + label, page).group(1)
    href = href.replace("&amp;", "&")
    assert "basis=inherent" in href and "status=open" in href
    register = c.get(href).content.decode()
    assert register.count('<tr id="risk-') == 2
    assert "likelihood 3, impact 4" in register
    flt = RiskFilters(status="open", basis="inherent", likelihood=3, impact=4)
    assert risk_list(ctx=ctx, filters=flt).count() == 2


def test_api_heatmap_counts(ctx, make_risk, api, system):
    _rated(make_risk, 4, 5, 2, 3, ai_systems=[system.pk])
    _rated(make_risk, 1, 2)
    r = api.get(f"/api/v1/orgs/{ctx.org.slug}/risks/heatmap")
    assert r.status_code == 200
    body = r.json()
    assert body["methodology_version"] == 1 and body["likelihood_levels"] == 5
    inherent = {(c["likelihood"], c["impact"]): c for c in body["inherent"]["cells"]}
    assert len(inherent) == 25
    assert inherent[(4, 5)]["count"] == 1 and inherent[(4, 5)]["level"] == "critical"
    assert inherent[(1, 2)]["count"] == 1 and body["residual"]["unrated"] == 1
    body = api.get(f"/api/v1/orgs/{ctx.org.slug}/risks/heatmap",
                   {"ai_system": str(system.pk)}).json()
    assert body["inherent"]["on_grid"] == 1
