"""The members page on a phone: its tables (members, pending invitations, answered ones) are
wider than 390 px, so each scrolls sideways in its own box instead of being cut off at the
screen's edge with the Change column out of reach."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from aims.members.invitations import invitation_create
from aims.testing.factories import ctx_for


@pytest.mark.django_db
def test_every_table_of_the_members_page_scrolls_in_its_own_box(org, members):
    invitation_create(ctx=ctx_for(org, members["owner"]), email="new.analyst@example.com",
                      role="editor", notify=False)
    client = Client()
    client.force_login(members["owner"])
    html = client.get(f"/o/{org.slug}/members/").content.decode()
    tables = re.findall(r"(<div class=\"overflow-auto\">)?\s*<table\b", html)
    assert len(tables) >= 2  # members and pending invitations
    assert all(tables), f"{tables.count('')} of {len(tables)} tables are not in a scroll box"
