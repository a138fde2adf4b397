"""An approval given before the record was kept here, entered with the day it happened."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from aims.activity.models import Event
from aims.core.dates import add_months
from aims.core.errors import PermissionDenied, ValidationError
from aims.impact import services
from aims.records.approval import happened_date
from aims.testing.factories import ctx_for

LAST_MARCH = datetime.date(timezone.localdate().year - 1, 3, 14)


def test_an_admin_records_last_marchs_approval(admin_ctx, in_review, members):
    a = services.assessment_approve(ctx=admin_ctx, assessment_id=in_review.pk,
                                    version=in_review.version, happened_on=LAST_MARCH)
    # Dated the day it happened, though submitted today; the next one is due from that day.
    assert a.approved_on == LAST_MARCH
    assert a.next_due == add_months(LAST_MARCH, 12)
    assert a.recorded_later_on == timezone.localdate()
    assert a.reviewed_by == members["admin"]
    # The log keeps the real time of entry, and says it was recorded later.
    event = Event.objects.filter(org=a.org, object_id=str(a.pk)).order_by("-seq").first()
    assert timezone.localdate(event.at) == timezone.localdate()
    assert event.changes["recorded_later"]["after"] is True
    assert event.changes["approved_on"]["after"] == LAST_MARCH.isoformat()


def test_the_date_it_happened_is_checked(admin_ctx, in_review):
    for kwargs, field in [
        ({"happened_on": timezone.localdate() + datetime.timedelta(days=1)}, "happened_on"),
        ({"happened_on": LAST_MARCH, "approved_on": timezone.localdate()}, "happened_on"),
    ]:
        with pytest.raises(ValidationError) as exc:
            services.assessment_approve(ctx=admin_ctx, assessment_id=in_review.pk,
                                        version=in_review.version, **kwargs)
        assert field in exc.value.errors
    # Without it, the approval still may not predate the submission.
    with pytest.raises(ValidationError) as exc:
        services.assessment_approve(ctx=admin_ctx, assessment_id=in_review.pk,
                                    version=in_review.version, approved_on=LAST_MARCH)
    assert "before the assessment was submitted" in exc.value.errors["approved_on"][0]


@pytest.mark.parametrize("role", ["editor", "viewer", "auditor"])
def test_only_owners_and_admins_record_history(org, members, role):
    with pytest.raises(PermissionDenied, match="owners and admins"):
        happened_date(ctx_for(org, members[role]), LAST_MARCH, "an approval")
    assert happened_date(ctx_for(org, members["owner"]), LAST_MARCH, "x") == LAST_MARCH


def test_the_pages_and_the_api_say_it_was_recorded_later(org, members, in_review,
                                                         web_client_for, api_client_for):
    url = f"/o/{org.slug}/impact-assessments/{in_review.pk}/"
    admin = web_client_for(members["admin"])
    page = admin.get(url).content.decode()
    assert "Date it happened" in page and "recorded later" in page.split("Date it happened")[1]
    r = admin.post(url + "approve/", {"version": in_review.version, "comment": "",
                                      "happened_on": LAST_MARCH.isoformat()})
    assert r.status_code == 302, r.content.decode()[:500]
    page = admin.get(url).content.decode()
    name = members["admin"].display_name
    assert f"{LAST_MARCH:%Y-%m-%d} by {name}" in page
    assert f"— recorded later, on {timezone.localdate():%Y-%m-%d}, by {name}</span>" in page
    body = api_client_for(members["viewer"]).get(
        f"/api/v1/orgs/{org.slug}/impact-assessments/{in_review.pk}").json()
    assert body["approved_on"] == LAST_MARCH.isoformat()
    assert body["recorded_later_on"] == timezone.localdate().isoformat()


def test_api_records_a_past_approval(org, members, in_review, api_client_for):
    r = api_client_for(members["owner"]).post(
        f"/api/v1/orgs/{org.slug}/impact-assessments/{in_review.pk}/approve",
        {"version": in_review.version, "happened_on": LAST_MARCH.isoformat()})
    assert r.status_code == 200, r.content
    assert r.json()["approved_on"] == LAST_MARCH.isoformat()
    assert r.json()["next_due"] == add_months(LAST_MARCH, 12).isoformat()
