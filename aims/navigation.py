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
    icon: str  # a name in aims.core.staticfinders.ICONS


NAV: list[tuple[str, list[Link]]] = [
    ("Overview", [
        Link("Dashboard", "dashboard:index", "layout-dashboard"),
        Link("Readiness", "readiness:index", "gauge"),
        Link("My tasks", "tasks:mine", "list-checks"),
        Link("Task board", "tasks:board", "kanban"),
    ]),
    ("Plan · context and leadership (4, 5)", [
        Link("Scope", "context:scope", "target"),
        Link("Internal & external issues", "context:issues", "circle-alert"),
        Link("Interested parties", "context:parties", "users"),
        Link("AI systems", "inventory:list", "cpu"),
        Link("EU AI Act obligations", "aiact:calendar", "list-checks"),
        Link("Roles and competence", "people:roles", "user-cog"),
    ]),
    ("Plan · risks and objectives (6)", [
        Link("AI risk register", "risks:list", "shield-alert"),
        Link("Heat map", "risks:heatmap", "grid-3x3"),
        Link("Impact assessments", "impact:list", "scale"),
        Link("AI objectives", "objectives:list", "flag"),
        Link("Risk methodology", "risks:methodology", "book-open"),
    ]),
    ("Plan · controls (6.1.3)", [
        Link("Statement of Applicability", "compliance:soa", "clipboard-check"),
        Link("Clauses 4–10", "compliance:clauses", "list-ordered"),
        Link("ISO/IEC 42001 catalog", "catalog:list", "library"),
        Link("Other frameworks", "catalog:frameworks", "layers"),
        Link("Coverage of other frameworks", "frameworks:index", "git-compare"),
    ]),
    ("Support and operation (7, 8)", [
        Link("Documents and policies", "documents:list", "file-text"),
        Link("Evidence", "evidence:list", "paperclip"),
        Link("Suppliers and customers", "suppliers:list", "truck"),
        Link("Resources", "inventory:resources", "server"),
    ]),
    ("Check (9)", [
        Link("Monitoring", "objectives:monitors", "activity"),
        Link("Security findings", "findings:list", "triangle-alert"),
        Link("Internal audits", "audits:programmes", "search-check"),
        Link("Management reviews", "reviews:list", "messages-square"),
        Link("Activity log", "activity:list", "history"),
        Link("Audit pack", "exchange:pack", "package"),
    ]),
    ("Improve (10)", [
        Link("AI incidents", "improvement:incidents", "siren"),
        Link("Nonconformities", "improvement:nc_list", "octagon-alert"),
        Link("Improvements", "improvement:improvements", "lightbulb"),
    ]),
    ("Exchange", [
        Link("Import from spreadsheets", "imports:index", "import"),
        Link("OSCAL export and import", "oscal:index", "arrow-left-right"),
    ]),
    ("Organisation", [
        Link("Members", "members:list", "users-round"),
    ]),
]


def sidebar(slug: str, path: str) -> list[tuple[str, list[tuple[str, str, bool, str]]]]:
    """The sidebar of organisation `slug` on the page at `path`:
    [(group, [(label, url, is the page's area, icon)])]."""
    urls = {link.url_name: reverse(link.url_name, args=[slug])
            for _, links in NAV for link in links}
    current = max((url for url in urls.values() if path.startswith(url)), key=len, default="")
    return [(group, [(link.label, urls[link.url_name], urls[link.url_name] == current, link.icon)
                     for link in links]) for group, links in NAV]


def navigation(request: HttpRequest) -> dict:
    """`nav` for pages inside an organisation, built only if the page shows it (a template
    calls a callable it is given)."""
    ctx = getattr(request, "ctx", None)
    return {"nav": partial(sidebar, ctx.org.slug, request.path)} if ctx is not None else {}
