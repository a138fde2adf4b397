"""The sidebar: the areas of the AIMS in the order of its cycle, declared once.

The entry a page belongs to is the one whose address is the longest start of the page's own
(a risk's page belongs to the register, the heat map to itself), so no page names its area.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import partial

from django.http import HttpRequest
from django.urls import reverse


@dataclass(frozen=True)
class Link:
    label: str
    url_name: str


NAV: list[tuple[str, list[Link]]] = [
    ("Overview", [
        Link("Dashboard", "dashboard:index"),
        Link("Readiness", "readiness:index"),
        Link("My tasks", "tasks:mine"),
        Link("Task board", "tasks:board"),
    ]),
    ("Plan · context and leadership (4, 5)", [
        Link("Scope", "context:scope"),
        Link("Internal & external issues", "context:issues"),
        Link("Interested parties", "context:parties"),
        Link("AI systems", "inventory:list"),
        Link("Roles and competence", "people:roles"),
    ]),
    ("Plan · risks and objectives (6)", [
        Link("AI risk register", "risks:list"),
        Link("Heat map", "risks:heatmap"),
        Link("Impact assessments", "impact:list"),
        Link("AI objectives", "objectives:list"),
        Link("Risk methodology", "risks:methodology"),
    ]),
    ("Plan · controls (6.1.3)", [
        Link("Statement of Applicability", "compliance:soa"),
        Link("Clauses 4–10", "compliance:clauses"),
        Link("ISO/IEC 42001 catalog", "catalog:list"),
        Link("Other frameworks", "catalog:frameworks"),
        Link("Coverage of other frameworks", "frameworks:index"),
    ]),
    ("Support and operation (7, 8)", [
        Link("Documents and policies", "documents:list"),
        Link("Evidence", "evidence:list"),
        Link("Suppliers and customers", "suppliers:list"),
        Link("Resources", "inventory:resources"),
    ]),
    ("Check (9)", [
        Link("Monitoring", "objectives:monitors"),
        Link("Internal audits", "audits:programmes"),
        Link("Management reviews", "reviews:list"),
        Link("Activity log", "activity:list"),
    ]),
    ("Improve (10)", [
        Link("AI incidents", "improvement:incidents"),
        Link("Nonconformities", "improvement:nc_list"),
        Link("Improvements", "improvement:improvements"),
    ]),
    ("Organisation", [
        Link("Members", "members:list"),
    ]),
]


def sidebar(slug: str, path: str) -> list[tuple[str, list[tuple[str, str, bool]]]]:
    """The sidebar of organisation `slug` on the page at `path`:
    [(group, [(label, url, is the page's area)])]."""
    urls = {link.url_name: reverse(link.url_name, args=[slug])
            for _, links in NAV for link in links}
    current = max((url for url in urls.values() if path.startswith(url)), key=len, default="")
    return [(group, [(link.label, urls[link.url_name], urls[link.url_name] == current)
                     for link in links]) for group, links in NAV]


def navigation(request: HttpRequest) -> dict:
    """`nav` for pages inside an organisation, built only if the page shows it (a template
    calls a callable it is given)."""
    ctx = getattr(request, "ctx", None)
    return {"nav": partial(sidebar, ctx.org.slug, request.path)} if ctx is not None else {}
