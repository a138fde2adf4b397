"""The heat map: risks counted per likelihood × impact cell, drawn as SVG on the server.

Likelihood runs up the vertical axis and impact along the horizontal one, as risk matrices are
usually read. Cells take the colour of their level in the current methodology; a risk rated
under an older version sits in the cell of its likelihood and impact values. Every cell is a
link to the register filtered to it, with a label that says what a sighted reader sees.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import urlencode

from django.urls import reverse
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from aims.risks import selectors
from aims.risks.models import RiskLevel, RiskMethodology
from aims.risks.selectors import HeatCounts

BASES = {"inherent": "Inherent risk", "residual": "Residual risk"}
FILL = {"low": "#cfe8d5", "medium": "#fde7a9", "high": "#f8c08a", "critical": "#ef9a9a",
        None: "#eef0f3"}
INK = "#1d2a3a"
CELL, LEFT, TOP, BOTTOM, RIGHT = 54, 62, 8, 46, 8


@dataclass(frozen=True)
class Cell:
    likelihood: int
    impact: int
    score: int
    level: str | None
    count: int
    href: str

    @property
    def label(self) -> str:
        noun = "risk" if self.count == 1 else "risks"
        level = f", {RiskLevel(self.level).label.lower()} level" if self.level else ""
        return f"Likelihood {self.likelihood}, impact {self.impact}: {self.count} {noun}{level}"


@dataclass(frozen=True)
class Grid:
    basis: str
    title: str
    rows: list[list[Cell]]  # highest likelihood first, as drawn
    likelihood_scale: list[dict]
    impact_scale: list[dict]
    on_grid: int
    off_grid: int  # rated on an older, larger scale: values beyond this grid
    unrated: int

    @property
    def cells(self) -> list[Cell]:
        return [c for row in self.rows for c in row]


def build(methodology: RiskMethodology, counts: HeatCounts,
          link: Callable[[str, int, int], str]) -> list[Grid]:
    """The inherent and residual grids for `methodology`'s scales, filled with `counts`."""
    grids = []
    n_l, n_i = methodology.likelihood_size, methodology.impact_size
    for basis, title in BASES.items():
        by_cell: dict[tuple[int, int], int] = getattr(counts, basis)
        rows = [[Cell(likelihood=lk, impact=im, score=lk * im,
                      level=methodology.level_for(lk * im),
                      count=by_cell.get((lk, im), 0), href=link(basis, lk, im))
                 for im in range(1, n_i + 1)]
                for lk in range(n_l, 0, -1)]
        on_grid = sum(c.count for row in rows for c in row)
        grids.append(Grid(basis=basis, title=title, rows=rows,
                          likelihood_scale=methodology.likelihood_scale,
                          impact_scale=methodology.impact_scale, on_grid=on_grid,
                          off_grid=sum(by_cell.values()) - on_grid,
                          unrated=counts.unrated[basis]))
    return grids


def svg(grid: Grid, *, id_prefix: str = "hm") -> SafeString:
    """One grid as an accessible SVG; every piece of text is escaped."""
    n_l, n_i = len(grid.likelihood_scale), len(grid.impact_scale)
    width, height = LEFT + n_i * CELL + RIGHT, TOP + n_l * CELL + BOTTOM
    base = f"{id_prefix}-{grid.basis}"
    noun = "risk" if grid.on_grid == 1 else "risks"
    desc = (f"{grid.on_grid} {noun} placed by likelihood (vertical, 1 to {n_l}) and impact "
            f"(horizontal, 1 to {n_i}). Each cell links to the register filtered to it.")
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="heatmap" role="group" '
        f'viewBox="0 0 {width} {height}" width="{width}" height="{height}" '
        f'aria-labelledby="{base}-title {base}-desc">',
        f'<title id="{base}-title">{escape(grid.title)} heat map</title>',
        f'<desc id="{base}-desc">{escape(desc)}</desc>',
    ]
    for r, row in enumerate(grid.rows):
        y = TOP + r * CELL
        lk = row[0].likelihood
        out.append(f'<text x="{LEFT - 8}" y="{y + CELL / 2 + 5}" text-anchor="end" '
                   f'class="tick" aria-hidden="true">{lk}</text>')
        for c, cell in enumerate(row):
            x = LEFT + c * CELL
            out.append(
                f'<a href="{escape(cell.href)}" aria-label="{escape(cell.label)}">'
                f'<title>{escape(cell.label)}</title>'
                f'<rect x="{x + 1}" y="{y + 1}" width="{CELL - 2}" height="{CELL - 2}" rx="4" '
                f'fill="{FILL.get(cell.level, FILL[None])}" class="cell level-{cell.level}"/>')
            if cell.count:
                out.append(f'<text x="{x + CELL / 2}" y="{y + CELL / 2 + 6}" '
                           f'text-anchor="middle" class="count" fill="{INK}">{cell.count}</text>')
            out.append("</a>")
    axis_y = TOP + n_l * CELL
    for c in range(n_i):
        out.append(f'<text x="{LEFT + c * CELL + CELL / 2}" y="{axis_y + 16}" '
                   f'text-anchor="middle" class="tick" aria-hidden="true">{c + 1}</text>')
    out.append(f'<text x="{LEFT + n_i * CELL / 2}" y="{axis_y + 38}" text-anchor="middle" '
               f'class="axis" aria-hidden="true">Impact →</text>')
    mid = TOP + n_l * CELL / 2
    out.append(f'<text x="16" y="{mid}" text-anchor="middle" class="axis" aria-hidden="true" '
               f'transform="rotate(-90 16 {mid})">Likelihood →</text>')
    out.append("</svg>")
    # Safe: every piece of text above is escaped; the rest are numbers and fixed markup.
    return mark_safe("".join(out))


def matrix(methodology: RiskMethodology) -> list[dict]:
    """The methodology's score → level grid, highest likelihood first, for reading its rules."""
    return [{"likelihood": lk, "label": methodology.likelihood_label(lk),
             "cells": [{"impact": im, "score": lk * im, "level": methodology.level_for(lk * im)}
                       for im in range(1, methodology.impact_size + 1)]}
            for lk in range(methodology.likelihood_size, 0, -1)]


def as_json(methodology: RiskMethodology, grids: list[Grid]) -> dict:
    """The grids as plain data for the API."""
    return {
        "methodology_version": methodology.number,
        "likelihood_levels": methodology.likelihood_size,
        "impact_levels": methodology.impact_size,
        **{g.basis: {
            "on_grid": g.on_grid, "off_grid": g.off_grid, "unrated": g.unrated,
            "cells": [{"likelihood": c.likelihood, "impact": c.impact, "score": c.score,
                       "level": c.level, "count": c.count} for c in g.cells],
        } for g in grids},
    }


def register_query(filters: selectors.RiskFilters, **override) -> str:
    """The register's query string for `filters` with `override` applied (defaults left out)."""
    values = {**filters.as_dict(), **override}
    params = {}
    for key, value in values.items():
        if value in ("", None, False) or (key == "sort" and value == "ref"):
            continue
        params[key] = "on" if value is True else value
    return urlencode(params)


def heat_context(ctx, filters: selectors.RiskFilters, *, id_prefix: str) -> dict:
    """The heat maps of the risks `filters` selects (open ones unless a status is chosen),
    each cell linking to the register narrowed to it."""
    methodology = selectors.methodology_current(ctx=ctx)
    if methodology is None:
        return {}
    filters = filters.without_cell()
    if not filters.status:
        filters = selectors.RiskFilters(**{**filters.as_dict(), "status": selectors.OPEN})
    base = reverse("risks:list", args=[ctx.org.slug])

    def link(basis: str, likelihood: int, impact: int) -> str:
        return f"{base}?{register_query(filters, basis=basis, likelihood=likelihood, impact=impact)}"

    grids = build(methodology, selectors.heatmap_counts(ctx=ctx, filters=filters), link)
    return {"heat_methodology": methodology,
            "heat_grids": [(g, svg(g, id_prefix=id_prefix)) for g in grids]}
