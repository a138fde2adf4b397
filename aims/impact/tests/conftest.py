"""Impact-app helpers: assessments made through the real services, at each stage of review."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from aims.activity.models import Event
from aims.impact import services
from aims.impact.models import ImpactAssessment
from aims.testing.factories import ctx_for, make_ai_system

SECTIONS = {
    "intended_purpose": "Scores consumer loan applications for credit officers.",
    "context_of_use": "Online applications in three EU countries; officers review declines.",
    "foreseeable_misuse": "Officers rubber-stamping the score instead of reviewing it.",
    "affected_individuals": "Loan applicants and co-applicants.",
    "affected_groups": "Young applicants and recent migrants with thin credit files.",
    "societal_effects": "Access to affordable credit in the regions we serve.",
    "conclusion": "Acceptable with the mitigations listed and quarterly fairness monitoring.",
}
IMPACT = {
    "area": "fairness", "nature": "negative",
    "description": "Applicants with thin credit files are declined more often than their "
                   "repayment behaviour justifies.",
    "severity": 4, "likelihood": 3, "reversibility": "hard_to_reverse", "scale": "group",
    "mitigations": "Manual review of every thin-file decline; quarterly disparity tests.",
    "residual_rating": "medium",
}


@pytest.fixture
def admin_ctx(org, members):
    return ctx_for(org, members["admin"])


@pytest.fixture
def system(ctx):
    return make_ai_system(ctx, name="Credit decision engine", owner=ctx.user.pk,
                          deployment_context="Web and branch applications.",
                          human_oversight="Officers review every decline.",
                          affected_parties="Applicants.")


@pytest.fixture
def draft(ctx, system):
    """A complete draft by the editor, with one negative impact."""
    a = services.assessment_create(ctx=ctx, data={"ai_system": system.pk, **SECTIONS})
    services.impact_create(ctx=ctx, assessment_id=a.pk, data=IMPACT)
    a.refresh_from_db()
    return a


@pytest.fixture
def in_review(ctx, draft):
    return services.assessment_submit(ctx=ctx, assessment_id=draft.pk, version=draft.version)


@pytest.fixture
def approved(admin_ctx, in_review):
    return services.assessment_approve(ctx=admin_ctx, assessment_id=in_review.pk,
                                       version=in_review.version)


def approve_next(ctx, admin_ctx, system, **data):
    """Start, fill, submit and approve the next version of `system`'s assessment."""
    a = services.assessment_create(ctx=ctx, data={"ai_system": system.pk, "trigger": "other",
                                                  **SECTIONS, **data})
    if not a.impacts.exists():
        services.impact_create(ctx=ctx, assessment_id=a.pk, data=IMPACT)
    a.refresh_from_db()
    a = services.assessment_submit(ctx=ctx, assessment_id=a.pk, version=a.version)
    return services.assessment_approve(ctx=admin_ctx, assessment_id=a.pk, version=a.version)


def submitted_on(assessment, day: datetime.date):
    """`assessment` as if it had been submitted on `day` (for approvals dated in the past,
    which may not precede the submission)."""
    at = timezone.make_aware(datetime.datetime.combine(day, datetime.time(9)))
    ImpactAssessment.objects.for_org(assessment.org).filter(pk=assessment.pk).update(
        submitted_at=at)
    assessment.refresh_from_db()
    return assessment


def events_for(obj) -> list[Event]:
    return list(Event.objects.filter(org=obj.org, object_id=str(obj.pk)).order_by("seq"))
