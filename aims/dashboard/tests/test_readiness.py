"""The dashboard leads with readiness: the verdict, the score, the countdown to the next
external audit and the gravest findings, above the counters."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from aims.readiness.services import certification_create, external_audit_create
from aims.testing.factories import ctx_for, make_ai_system

pytestmark = pytest.mark.django_db


def test_verdict_score_and_top_five_findings_come_first(org, members, web_client_for, ctx):
    make_ai_system(ctx, name="Scoring model", owner=members["editor"].pk)
    page = web_client_for(members["viewer"]).get(f"/o/{org.slug}/").content.decode()
    verdict = page.index("Not ready for a Stage 1 audit")
    assert verdict < page.index("active AI system")  # the counters follow
    assert "readiness score" in page and "stands today." in page
    assert page.count('<li class="finding') == 5
    # A new organisation has more than five major findings: the five shown are major ones.
    assert page.count('class="badge bad">Major</span>') == 5
    assert page.count('class="fix-link"') == 5
    assert f'href="/o/{org.slug}/readiness/#findings"' in page
    assert "days to the" not in page  # no external audit planned


def test_judged_as_of_the_next_external_audit_with_a_countdown(org, members, web_client_for):
    admin = ctx_for(org, members["admin"])
    cert = certification_create(ctx=admin, data={"body": "Meridian Assurance"})
    start = timezone.localdate() + datetime.timedelta(days=30)
    audit = external_audit_create(ctx=admin, certification_id=cert.pk, data={
        "kind": "stage1", "start_date": start})
    page = web_client_for(members["editor"]).get(f"/o/{org.slug}/").content.decode()
    assert f"judged as of the Stage 1 audit on {start.isoformat()}" in page
    assert f"Stage 1 verdict as of {start.isoformat()}" in page
    assert "<strong>30</strong> days to the Stage 1 audit" in page
    assert f"#audit-{audit.pk}" in page
