"""Detail pages with tabs: a summary header, a row of tabs and one panel at a time.

A tab is a real link (`?tab=risks`) that renders the whole page with that panel, so it works
without JavaScript and can be bookmarked; with htmx the link fetches only the tabs and the
panel (the request targets `#record-tabs`), so a heavy panel costs nothing until it is opened.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

TABS_TARGET = "record-tabs"


@dataclass(frozen=True)
class Tab:
    key: str
    label: str


def current_tab(request: HttpRequest, tabs: Sequence[Tab]) -> Tab:
    """The tab the address asks for (`?tab=`); the first one when it names none we know."""
    wanted = request.GET.get("tab", "")
    return next((t for t in tabs if t.key == wanted), tabs[0])


def render_tabbed(request: HttpRequest, template: str, context: dict, *, tabs: Sequence[Tab],
                  panels: str, label: str) -> HttpResponse:
    """The page `template` showing the tab the address asks for, whose body is the template
    `panels` % tab key (e.g. "inventory/tabs/%s.html"); an htmx request for the tabs gets
    the tabs and that panel alone."""
    tab = current_tab(request, tabs)
    context = {**context, "tabs": tabs, "tab": tab, "tab_panel": panels % tab.key,
               "tabs_label": label}
    htmx = getattr(request, "htmx", None)  # set by django-htmx's middleware
    if htmx and htmx.target == TABS_TARGET:
        return render(request, "includes/tabbed.html", context)
    return render(request, template, context)
