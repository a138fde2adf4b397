"""The dashboard's tiles come in order of urgency: what is late or grave first (red), then work
not yet late (amber), then the calm tiles that only say where things stand."""

from __future__ import annotations

import datetime
import re

import pytest
from django.utils import timezone

from aims.dashboard.tiles import CALM, TODO, URGENT, Tile, by_urgency, tile
from aims.tasks.services import task_create


def test_a_count_is_calm_at_zero_and_takes_its_colour_above():
    assert tile(0, "tasks overdue", "/t", when_any=URGENT).state == CALM
    assert tile(3, "tasks overdue", "/t", when_any=URGENT).state == URGENT
    assert tile(1, "SoA decision open", "/s", when_any=TODO).state == TODO


def test_urgent_first_then_to_do_then_calm_keeping_the_declared_order_within_each():
    tiles = [Tile("7", "systems", "/a"), Tile("2", "expiring", "/b", TODO),
             Tile("1", "major", "/c", URGENT), Tile("0", "overdue", "/d"),
             Tile("3", "overdue tasks", "/e", URGENT), Tile("1", "undecided", "/f", TODO)]
    assert [t.label for t in by_urgency(tiles)] == [
        "major", "overdue tasks", "expiring", "undecided", "systems", "overdue"]


TILE = re.compile(r'<a class="stat tile-(\w+)" href="[^"]*">(?:<span class="tile-state">'
                  r'([^<]*)</span>)?<strong[^>]*>([^<]*)</strong> ([^<]*)')


@pytest.mark.django_db
def test_the_dashboard_puts_overdue_work_first_in_red(org, members, web_client_for, ctx):
    client = web_client_for(members["viewer"])
    calm = TILE.findall(client.get(f"/o/{org.slug}/").content.decode())
    overdue = next(t for t in calm if t[3] == "tasks overdue")
    assert overdue[0] == "calm" and overdue[2] == "0"  # nothing late: nothing red

    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    task_create(ctx=ctx, data={"title": "Renew the supplier contract", "due_date": yesterday})
    tiles = TILE.findall(client.get(f"/o/{org.slug}/").content.decode())
    states = [t[0] for t in tiles]
    # Urgency never rises along the row: every urgent tile before every to-do tile, every to-do
    # tile before every calm one.
    rank = {"urgent": 0, "todo": 1, "calm": 2}
    assert [rank[s] for s in states] == sorted(rank[s] for s in states)
    late = next(i for i, t in enumerate(tiles) if t[3] == "task overdue")
    assert tiles[late][:3] == ("urgent", "Act now", "1")
    assert late < states.index("calm")
    # A new organisation has no management review: that is urgent too (9.3), and shown as such.
    assert ("urgent", "Act now", "None", "management review held") in tiles
