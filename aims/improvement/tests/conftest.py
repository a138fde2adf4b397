"""Shared helpers of the improvement tests: nonconformities in the states the rules care about."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from aims.improvement import services
from aims.testing.factories import ctx_for


def nc_data(**overrides) -> dict:
    return {"title": "Override log not reviewed", "source": "audit_finding",
            "description": "Nobody reviewed the human-override log for Q1.", **overrides}


def incident_data(**overrides) -> dict:
    now = timezone.now()
    return {"title": "Approval rate drop for young applicants", "incident_type": "bias",
            "occurred_at": now - datetime.timedelta(days=3),
            "detected_at": now - datetime.timedelta(days=1),
            "description": "Approval rate for applicants under 25 fell by 9 points.",
            **overrides}


class NcBuilder:
    """Walks a nonconformity through its life with the right people."""

    def __init__(self, ctx, verifier_ctx, owner):
        self.ctx, self.verifier, self.owner = ctx, verifier_ctx, owner

    def raise_(self, **data):
        return services.nonconformity_create(ctx=self.ctx, data=nc_data(**data))

    def analyse(self, nc, root_cause="The review step was never assigned to anyone."):
        nc = services.nonconformity_update(ctx=self.ctx, nc_id=nc.pk, version=nc.version, data={
            "rca_method": "five_whys", "whys": ["No one reviewed it.", "No owner was named."],
            "root_cause": root_cause})
        return nc

    def action(self, nc, title="Name a reviewer and schedule the review", due=None):
        return services.nonconformity_action_create(ctx=self.ctx, nc_id=nc.pk, data={
            "title": title, "owner": self.owner.pk,
            "due_date": due or timezone.localdate() + datetime.timedelta(days=14)})

    def complete(self, nc, task):
        return services.nonconformity_action_complete(ctx=self.ctx, nc_id=nc.pk,
                                                      action_id=task.pk, version=task.version)

    def verify(self, nc, result="effective", notes="Checked May and June: reviewed weekly."):
        nc = reload(nc)
        return services.nonconformity_verify(ctx=self.verifier, nc_id=nc.pk, version=nc.version,
                                             data={"result": result, "notes": notes})

    def ready(self, **data):
        nc = self.analyse(self.raise_(**data))
        task = self.action(nc)
        self.complete(nc, task)
        return self.verify(nc)


def reload(nc):
    from aims.improvement.models import Nonconformity

    return Nonconformity.all_orgs.get(pk=nc.pk)


@pytest.fixture
def auditor_ctx(org, members):
    return ctx_for(org, members["auditor"])


@pytest.fixture
def viewer_ctx(org, members):
    return ctx_for(org, members["viewer"])


@pytest.fixture
def builder(ctx, auditor_ctx, members):
    return NcBuilder(ctx, auditor_ctx, members["editor"])
