"""The sidebar marks the area a page belongs to, read from the page's address alone."""

import re

import pytest

from aims.navigation import sidebar
from aims.risks.services import action_create, risk_create
from aims.testing.factories import make_ai_system

pytestmark = pytest.mark.django_db

SIDEBAR = re.compile(r'<aside class="sidebar".*?</aside>', re.S)
CURRENT = re.compile(r'<a href="[^"]*" aria-current="page">(?:<span[^>]*></span>)?([^<]*)</a>')


def marked(client, url: str) -> list[str]:
    """The sidebar entries a page marks as its own."""
    response = client.get(url)
    assert response.status_code == 200, url
    sidebar = SIDEBAR.search(response.content.decode())
    assert sidebar is not None, url
    return CURRENT.findall(sidebar.group())


def test_lists_details_and_nested_pages_mark_their_area(org, members, ctx, web_client_for):
    system = make_ai_system(ctx, name="Claims triage")
    risk = risk_create(ctx=ctx, data={"title": "Unfair triage", "category": "bias"})
    action = action_create(ctx=ctx, risk_id=risk.pk, data={"title": "Reweight the data"})
    client = web_client_for(members["owner"])
    o = f"/o/{org.slug}"
    pages = {
        f"{o}/": "Dashboard",
        f"{o}/risks/": "AI risk register",
        f"{o}/risks/{risk.pk}/": "AI risk register",
        f"{o}/risks/{risk.pk}/actions/{action.pk}/edit/": "AI risk register",
        f"{o}/risks/heatmap/": "Heat map",  # below the register's address, an area of its own
        f"{o}/ai-systems/{system.pk}/lifecycle/": "AI systems",
        f"{o}/ai-systems/resources/new/": "Resources",
        f"{o}/objectives/monitoring/new/": "Monitoring",
        f"{o}/tasks/mine/": "My tasks",
    }
    for url, label in pages.items():
        assert marked(client, url) == [label], url


def test_a_page_outside_every_area_marks_none():
    groups = sidebar("acme", "/account/tokens/")
    assert not any(current for _, links in groups for _, _, current, _ in links)


def test_every_entry_has_an_icon_that_is_served():
    from django.contrib.staticfiles import finders

    from aims.core.staticfinders import ICONS
    from aims.navigation import NAV

    for _, links in NAV:
        for link in links:
            assert link.icon in ICONS, link
    for name in ICONS:
        assert finders.find(f"vendor/icons/{name}.svg"), name
