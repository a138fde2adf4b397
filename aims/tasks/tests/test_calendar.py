"""The calendar feed: a secret address per member and organisation, in iCalendar."""

from __future__ import annotations

import datetime

import pytest
from django.test import Client
from django.urls import reverse
from icalendar import Calendar

from aims.risks.services import action_create, risk_create
from aims.tasks.models import CalendarFeed
from aims.tasks.services import calendar_feed_issue, calendar_feed_revoke, task_complete
from aims.testing.factories import add_member, ctx_for

TODAY = datetime.date.today()
pytestmark = pytest.mark.django_db


def feed_url(org, raw):
    return reverse("tasks:calendar_feed", args=[org.slug]) + f"?token={raw}"


def parse(response):
    assert response.status_code == 200, response.content[:300]
    assert response["Content-Type"].startswith("text/calendar")
    return Calendar.from_ical(response.content)


def events(cal):
    return {str(e["uid"]): e for e in cal.walk("VEVENT")}


@pytest.fixture
def editor_ctx(org, members):
    return ctx_for(org, members["editor"])


@pytest.fixture
def work(ctx, members, make_task, other_org):
    editor = members["editor"]
    mine = make_task(title="Sign the AI policy", owner=editor.pk, due_date=TODAY, priority="high")
    make_task(title="Undated", owner=editor.pk)
    done = make_task(title="Finished", owner=editor.pk, due_date=TODAY)
    task_complete(ctx=ctx, task_id=done.pk, version=1)
    make_task(title="Someone else's", owner=members["admin"].pk, due_date=TODAY)
    risk = risk_create(ctx=ctx, data={"title": "Drift goes unnoticed", "category": "bias"})
    action = action_create(ctx=ctx, risk_id=risk.pk, data={
        "title": "Add a drift monitor", "owner": editor.pk,
        "due_date": TODAY + datetime.timedelta(days=5)})
    # The same person in another organisation, with work there.
    add_member(other_org, "editor", email=editor.email)
    make_task(ctx=ctx_for(other_org, editor), title="Globex work", owner=editor.pk,
              due_date=TODAY)
    return {"mine": mine, "risk": risk, "action": action}


def test_feed_lists_my_dated_open_work_only(org, editor_ctx, work):
    raw = calendar_feed_issue(ctx=editor_ctx)
    cal = parse(Client().get(feed_url(org, raw)))
    found = events(cal)
    mine, action = work["mine"], work["action"]
    assert set(found) == {f"task-{mine.pk}@aims", f"risk-action-{action.pk}@aims"}
    task_event = found[f"task-{mine.pk}@aims"]
    assert str(task_event["summary"]) == "T-001 Sign the AI policy"
    assert task_event.decoded("dtstart") == TODAY
    assert task_event.decoded("dtend") == TODAY + datetime.timedelta(days=1)
    assert str(task_event["url"]) == f"http://testserver/o/{org.slug}/tasks/{mine.pk}/"
    assert int(task_event["priority"]) == 3
    action_event = found[f"risk-action-{action.pk}@aims"]
    assert str(action_event["summary"]) == f"{work['risk'].ref} Add a drift monitor"
    assert str(action_event["url"]).endswith(f"/risks/{work['risk'].pk}/?tab=actions")
    assert "Globex" not in Client().get(feed_url(org, raw)).content.decode()


def test_uids_are_stable(org, editor_ctx, work):
    raw = calendar_feed_issue(ctx=editor_ctx)
    first = set(events(parse(Client().get(feed_url(org, raw)))))
    assert first == set(events(parse(Client().get(feed_url(org, raw)))))


def test_bad_revoked_or_foreign_tokens_are_404(org, other_org, members, editor_ctx, work):
    client = Client()
    raw = calendar_feed_issue(ctx=editor_ctx)
    assert client.get(feed_url(org, "not-a-token")).status_code == 404
    assert client.get(feed_url(org, "")).status_code == 404
    # A token of one organisation does not open another's feed.
    assert client.get(feed_url(other_org, raw)).status_code == 404
    assert client.post(feed_url(org, raw)).status_code == 404
    replaced = calendar_feed_issue(ctx=editor_ctx)
    assert client.get(feed_url(org, raw)).status_code == 404
    assert client.get(feed_url(org, replaced)).status_code == 200
    assert calendar_feed_revoke(ctx=editor_ctx) is True
    assert client.get(feed_url(org, replaced)).status_code == 404
    assert CalendarFeed.objects.filter(org=org).count() == 0


def test_former_member_gets_404(org, members, editor_ctx, work):
    from aims.orgs.models import Membership

    raw = calendar_feed_issue(ctx=editor_ctx)
    Membership.objects.filter(org=org, user=members["editor"]).delete()
    assert Client().get(feed_url(org, raw)).status_code == 404


def test_only_the_hash_is_stored(org, editor_ctx):
    raw = calendar_feed_issue(ctx=editor_ctx)
    feed = CalendarFeed.objects.get(org=org)
    assert raw not in feed.token_hash and len(feed.token_hash) == 64


def test_signed_in_member_downloads_their_own_feed(org, members, work, web_client_for):
    url = reverse("tasks:calendar_feed", args=[org.slug])
    cal = parse(web_client_for(members["editor"]).get(url))
    assert f"task-{work['mine'].pk}@aims" in events(cal)
    viewer_cal = parse(web_client_for(members["viewer"]).get(url))
    assert events(viewer_cal) == {}
    assert Client().get(url).status_code == 302  # anonymous: sign in first


def test_calendar_page_shows_the_address_once(org, members, web_client_for):
    client = web_client_for(members["viewer"])  # any member may have a feed
    url = reverse("tasks:calendar", args=[org.slug])
    page = client.get(url)
    assert page.status_code == 200 and b"Create my calendar address" in page.content
    issued = client.post(url, {"action": "issue"})
    assert issued.status_code == 200
    address = issued.context["issued_url"]
    assert address.startswith(f"http://testserver/o/{org.slug}/tasks/calendar.ics?token=")
    assert Client().get(address.removeprefix("http://testserver")).status_code == 200
    again = client.get(url)
    assert address.encode() not in again.content and b"Replace the address" in again.content
    client.post(url, {"action": "revoke"})
    assert Client().get(address.removeprefix("http://testserver")).status_code == 404
