"""Time-boxed access: a membership limited to dates grants nothing outside them, on every
door; an auditor's always ends; an admin can end it early; the README says what the auditor
role may write, exactly as the permission map grants it."""

from __future__ import annotations

import datetime
import re
from pathlib import Path

import pytest
from django.utils import timezone

from aims.core.errors import PermissionDenied, ValidationError
from aims.members.services import member_end_access, member_update
from aims.orgs.models import Membership
from aims.orgs.permissions import PERMISSIONS, Role
from aims.testing.factories import ctx_for

DAY = datetime.timedelta(days=1)


def boxed(org, user, starts_on, ends_on) -> Membership:
    m = Membership.objects.get(org=org, user=user)
    m.starts_on, m.ends_on = starts_on, ends_on
    m.save()
    return m


@pytest.mark.django_db
@pytest.mark.parametrize("offsets,current", [
    ((-5, 5), True), ((0, 0), True), ((None, 0), True), ((-10, -1), False), ((1, 9), False),
    ((None, -1), False), ((2, None), False)])
def test_access_only_on_its_days(org, members, api_client_for, web_client_for, offsets,
                                 current):
    today = timezone.localdate()
    start, end = (today + d * DAY if d is not None else None for d in offsets)
    boxed(org, members["auditor"], start, end)
    api = api_client_for(members["auditor"])
    web = web_client_for(members["auditor"])
    expected = 200 if current else 404
    assert api.get(f"/api/v1/orgs/{org.slug}/soa").status_code == expected
    assert web.get(f"/o/{org.slug}/").status_code == expected
    assert web.get(f"/o/{org.slug}/audits/").status_code == expected
    listed = [o["slug"] for o in api.get("/api/v1/orgs").json()]
    assert listed == ([org.slug] if current else [])


@pytest.mark.django_db
def test_an_auditor_needs_an_end_date_and_an_owner_none(org, members, owner_ctx):
    viewer = Membership.objects.get(org=org, user=members["viewer"])
    with pytest.raises(ValidationError) as exc:
        member_update(ctx=owner_ctx, membership_id=viewer.pk, version=1,
                      data={"role": "auditor"})
    assert "ends_on" in exc.value.errors
    ends = timezone.localdate() + 30 * DAY
    m = member_update(ctx=owner_ctx, membership_id=viewer.pk, version=1,
                      data={"role": "auditor", "ends_on": ends})
    assert (m.role, m.ends_on, m.version) == ("auditor", ends, 2)
    with pytest.raises(ValidationError) as exc:
        member_update(ctx=owner_ctx, membership_id=viewer.pk, version=2,
                      data={"role": "owner"})
    assert "ends_on" in exc.value.errors
    with pytest.raises(ValidationError):
        member_update(ctx=owner_ctx, membership_id=viewer.pk, version=2,
                      data={"starts_on": ends + DAY})


@pytest.mark.django_db
def test_ending_access_early(org, members, owner_ctx, api_client_for, web_client_for):
    today = timezone.localdate()
    m = boxed(org, members["auditor"], today - 10 * DAY, today + 20 * DAY)
    auditor = api_client_for(members["auditor"])
    assert auditor.get(f"/api/v1/orgs/{org.slug}/soa").status_code == 200
    with pytest.raises(PermissionDenied):
        member_end_access(ctx=ctx_for(org, members["editor"]), membership_id=m.pk,
                          version=m.version)
    admin = api_client_for(members["owner"])
    url = f"/api/v1/orgs/{org.slug}/members/{m.pk}/end"
    assert admin.post(url, {"version": m.version + 1}).status_code == 409
    r = admin.post(url, {"version": m.version})
    assert r.status_code == 200, r.content
    assert (r.json()["ends_on"], r.json()["current"]) == ((today - DAY).isoformat(), False)
    assert auditor.get(f"/api/v1/orgs/{org.slug}/soa").status_code == 404
    listing = web_client_for(members["owner"]).get(f"/o/{org.slug}/members/").content.decode()
    assert "ended" in listing and (today - DAY).strftime("%-d %b %Y") in listing
    # Nothing left to end.
    assert admin.post(url, {"version": m.version + 1}).status_code == 422


@pytest.mark.django_db
def test_web_sets_an_auditors_dates(org, members, web_client_for):
    m = Membership.objects.get(org=org, user=members["viewer"])
    web = web_client_for(members["admin"])
    url = f"/o/{org.slug}/members/{m.pk}/"
    assert web.get(url).status_code == 200
    r = web.post(url, {"role": "auditor", "version": m.version})
    assert r.status_code == 422 and "needs an end date" in r.content.decode()
    ends = timezone.localdate() + 5 * DAY
    r = web.post(url, {"role": "auditor", "ends_on": ends.isoformat(), "version": m.version})
    assert r.status_code == 302
    m.refresh_from_db()
    assert (m.role, m.ends_on) == ("auditor", ends)


README = Path(__file__).resolve().parents[3] / "README.md"


def test_the_readme_lists_exactly_what_the_auditor_role_may_write():
    text = README.read_text()
    section = text.split("<!-- auditor-permissions -->")[1].split("<!-- /auditor-permissions -->")[0]
    listed = set(re.findall(r"^\| `([a-z_.]+)` \|", section, flags=re.M))
    granted = {perm for perm, roles in PERMISSIONS.items()
               if Role.AUDITOR in roles and not perm.endswith(".view")}
    assert listed == granted
