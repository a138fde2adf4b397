"""Time-boxed access is checked at the tenancy door: outside its dates a membership grants
nothing on any route of the API or the web, exactly as if the person were not a member."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from aims.orgs.models import Membership
from aims.testing.tenancy import call, fill, org_state, signed_in, slug_operations
from aims.testing.tests.matrices.test_tenancy_web import org_routes, url_for

DAY = datetime.timedelta(days=1)


def _window(which: str) -> tuple[datetime.date, datetime.date]:
    today = timezone.localdate()
    if which == "ended":
        return today - 30 * DAY, today - DAY
    return today + DAY, today + 30 * DAY


@pytest.fixture(params=["ended", "not yet started"])
def outside(request, world, members):
    """The organisation's auditor, with access limited to days that do not include today."""
    m = Membership.objects.get(org=world.org, user=members["auditor"])
    m.starts_on, m.ends_on = _window(request.param)
    m.save(update_fields=["starts_on", "ends_on"])
    return members["auditor"]


@pytest.mark.django_db
def test_every_api_route_answers_404_outside_the_dates(world, outside, api_client_for):
    client = api_client_for(outside)
    before = org_state(world.org)
    failures = []
    for op in slug_operations():
        url, body = fill(op, slug_world=world, id_world=world)
        response = call(client, op, url, body)
        if response.status_code != 404:
            failures.append((str(op), response.status_code, response.content[:120]))
    assert not failures
    assert org_state(world.org) == before
    assert client.get("/api/v1/orgs").json() == []


@pytest.mark.django_db
def test_every_web_page_answers_404_outside_the_dates(world, outside):
    client = signed_in(outside)
    before = org_state(world.org)
    failures = []
    for route in org_routes():
        url = url_for(route, slug_world=world, id_world=world)
        got, posted = client.get(url), client.post(url, {"version": "1"})
        if got.status_code not in (404, 405) or posted.status_code != 404:
            failures.append((str(route), got.status_code, posted.status_code))
    assert not failures
    assert org_state(world.org) == before
    # The switcher offers no way in (access that starts later is only announced there).
    assert f'href="/o/{world.org.slug}/"' not in client.get("/").content.decode()


@pytest.mark.django_db
def test_inside_the_dates_the_auditor_works_as_usual(world, members, api_client_for):
    today = timezone.localdate()
    m = Membership.objects.get(org=world.org, user=members["auditor"])
    m.starts_on, m.ends_on = today, today
    m.save(update_fields=["starts_on", "ends_on"])
    client = api_client_for(members["auditor"])
    assert client.get(f"/api/v1/orgs/{world.org.slug}/soa").status_code == 200
    response = client.post(f"/api/v1/orgs/{world.org.slug}/audit-programmes",
                           {"name": "Auditor's programme", "start_date": today.isoformat()})
    assert response.status_code == 201
    response = client.post(f"/api/v1/orgs/{world.org.slug}/issues",
                           {"kind": "internal", "title": "Not the auditor's to write"})
    assert response.status_code == 403
