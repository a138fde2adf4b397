"""Serious incidents under the EU AI Act (Art. 73): the kind and the awareness date set the
reporting deadline (2, 10 or 15 days), with a countdown, an overdue state and a report draft."""

from __future__ import annotations

import datetime
import io

import pytest
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from aims.activity.models import Event
from aims.core.errors import ValidationError
from aims.improvement import services
from aims.improvement.art73 import REPORT_DAYS, days_left, report_deadline
from aims.improvement.models import Incident
from aims.improvement.selectors import IncidentFilters, incident_list
from aims.improvement.tests.conftest import incident_data
from aims.testing.factories import make_ai_system

pytestmark = pytest.mark.django_db


@pytest.fixture
def high(ctx):
    return make_ai_system(ctx, name="Credit scorer", roles=["provider"], eu_risk_class="high")


@pytest.fixture
def minimal(ctx):
    return make_ai_system(ctx, name="Spam filter", eu_risk_class="minimal")


def _serious(ctx, system, kind, aware_days_ago: float, **extra):
    now = timezone.now()
    return services.incident_create(ctx=ctx, data=incident_data(
        ai_systems=[system.pk], serious_kind=kind,
        occurred_at=now - datetime.timedelta(days=aware_days_ago + 1),
        detected_at=now - datetime.timedelta(days=aware_days_ago),
        aware_at=now - datetime.timedelta(days=aware_days_ago), **extra))


@pytest.mark.parametrize(("kind", "days"), [("widespread", 2), ("death", 10), ("other", 15)])
def test_the_deadline_follows_from_the_kind_and_the_awareness_date(ctx, high, kind, days):
    incident = _serious(ctx, high, kind, aware_days_ago=0.5)
    assert REPORT_DAYS[kind] == days
    assert incident.reporting_needed is True
    assert incident.report_to.startswith("Market surveillance authority")
    assert incident.report_deadline == incident.aware_at + datetime.timedelta(days=days)
    assert incident.report_days_left == days  # half a day gone, rounded up
    assert not incident.reporting_overdue


@pytest.mark.parametrize(("kind", "aware_days_ago", "overdue_by"),
                         [("widespread", 3, 1), ("death", 12.5, 2), ("other", 16, 1)])
def test_a_serious_incident_past_its_deadline_is_overdue(ctx, high, kind, aware_days_ago,
                                                          overdue_by):
    incident = _serious(ctx, high, kind, aware_days_ago=aware_days_ago)
    assert incident.reporting_overdue
    assert incident.report_days_left == -overdue_by
    overdue = incident_list(ctx=ctx, filters=IncidentFilters(reporting_overdue=True))
    assert list(overdue) == [incident]


def test_reported_in_time_stops_the_clock(ctx, high):
    incident = _serious(ctx, high, "widespread", aware_days_ago=1)
    incident = services.incident_update(ctx=ctx, incident_id=incident.pk,
                                        version=incident.version,
                                        data={"reported_at": timezone.now(),
                                              "report_reference": "MSA-2026-0042"})
    assert incident.report_days_left is None and not incident.reporting_overdue


def test_days_left_rounds_toward_the_deadline():
    now = timezone.now()
    assert days_left(now + datetime.timedelta(hours=1), now) == 1
    assert days_left(now - datetime.timedelta(hours=1), now) == -1
    assert days_left(now, now) == 0
    aware = now - datetime.timedelta(days=1)
    assert report_deadline("death", aware) == aware + datetime.timedelta(days=10)


def test_changing_the_kind_moves_the_deadline_and_is_logged(ctx, high):
    incident = _serious(ctx, high, "other", aware_days_ago=1)
    incident = services.incident_update(ctx=ctx, incident_id=incident.pk,
                                        version=incident.version,
                                        data={"serious_kind": "widespread"})
    assert incident.report_deadline == incident.aware_at + datetime.timedelta(days=2)
    event = Event.objects.filter(object_id=str(incident.pk), action="update").get()
    assert event.changes["serious_kind"]["after"] == "widespread"
    assert "report_deadline" in event.changes


def test_only_an_incident_on_a_high_risk_system_can_be_serious(ctx, minimal):
    with pytest.raises(ValidationError) as exc:
        _serious(ctx, minimal, "death", aware_days_ago=1)
    assert "high-risk" in exc.value.errors["serious_kind"][0]
    assert not Incident.objects.for_org(ctx.org).exists()


def test_a_serious_incident_needs_a_plausible_awareness_date(ctx, high):
    with pytest.raises(ValidationError) as exc:
        services.incident_create(ctx=ctx, data=incident_data(ai_systems=[high.pk],
                                                             serious_kind="other"))
    assert "aware" in exc.value.errors["aware_at"][0].lower()
    now = timezone.now()
    with pytest.raises(ValidationError) as exc:
        services.incident_create(ctx=ctx, data=incident_data(
            ai_systems=[high.pk], serious_kind="other", occurred_at=now
            - datetime.timedelta(days=2), aware_at=now - datetime.timedelta(days=5)))
    assert "before it occurred" in exc.value.errors["aware_at"][0]
    with pytest.raises(ValidationError) as exc:
        services.incident_create(ctx=ctx, data=incident_data(ai_systems=[high.pk],
                                                             aware_at=now))
    assert "serious_kind" in exc.value.errors


def test_api_marks_an_incident_serious_and_returns_its_clock(api, org, high):
    now = timezone.now()
    body = {k: (v.isoformat() if isinstance(v, datetime.datetime) else v)
            for k, v in incident_data().items()}
    res = api.post(f"/api/v1/orgs/{org.slug}/incidents", {
        **body, "ai_systems": [str(high.pk)], "serious_kind": "death",
        "aware_at": (now - datetime.timedelta(hours=1)).isoformat()})
    assert res.status_code == 201, res.content
    out = res.json()
    assert out["serious_kind"] == "death" and out["reporting_needed"] is True
    assert out["report_days_left"] == 10
    bad = api.post(f"/api/v1/orgs/{org.slug}/incidents", {**body, "serious_kind": "fatal"})
    assert bad.status_code == 422 and "serious_kind" in bad.content.decode()


def test_report_draft_pdf_has_the_sections_the_authority_asks_for(api, org, ctx, high):
    incident = _serious(ctx, high, "widespread", aware_days_ago=0.2,
                        containment="Scoring switched to the manual fallback.")
    res = api.get(f"/api/v1/orgs/{org.slug}/incidents/{incident.pk}/serious-report")
    assert res.status_code == 200 and res["Content-Type"] == "application/pdf"
    text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(res.content)).pages)
    for heading in ("Reporting deadline", "Who reports", "The AI system involved",
                    "What happened", "People and interests harmed",
                    "Link between the system and the incident", "Measures taken",
                    "Further information"):
        assert heading in text, heading
    assert "Credit scorer" in text and "manual fallback" in text
    plain = services.incident_create(ctx=ctx, data=incident_data(ai_systems=[high.pk]))
    res = api.get(f"/api/v1/orgs/{org.slug}/incidents/{plain.pk}/serious-report")
    assert res.status_code == 422


def test_incident_pages_show_the_countdown_and_overdue_state(web_client_for, members, org, ctx,
                                                             high):
    running = _serious(ctx, high, "other", aware_days_ago=1)
    late = _serious(ctx, high, "widespread", aware_days_ago=4, title="Outage at the grid")
    web = web_client_for(members["viewer"])
    page = web.get(reverse("improvement:incident_detail", args=[org.slug, running.pk]))
    html = page.content.decode()
    assert "Serious incident (EU AI Act, Art. 73)" in html and "left" in html
    assert reverse("improvement:incident_serious_report", args=[org.slug, running.pk]) in html
    listing = web.get(reverse("improvement:incidents", args=[org.slug])).content.decode()
    assert "Report within 14 days" in listing
    assert "Report overdue by 2 days" in listing  # aware 4 days ago, 2 allowed
    pdf = web.get(reverse("improvement:incident_serious_report", args=[org.slug, late.pk]))
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
