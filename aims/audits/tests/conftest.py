"""Fixtures of the audit tests: a programme, an auditor's context, and audits in it."""

from __future__ import annotations

import datetime

import pytest

from aims.audits import services
from aims.audits.models import AuditLine
from aims.testing.factories import ctx_for, make_ai_system


@pytest.fixture
def auditor_ctx(org, members):
    return ctx_for(org, members["auditor"])


@pytest.fixture
def system(owner_ctx, members):
    return make_ai_system(owner_ctx, name="Credit decision engine", owner=members["editor"].pk)


@pytest.fixture
def programme(auditor_ctx):
    return services.programme_create(ctx=auditor_ctx, data={
        "name": "Internal audit programme 2026", "start_date": datetime.date(2026, 1, 1),
        "objectives": "Audit every clause and applicable control once."})


@pytest.fixture
def make_audit(auditor_ctx, programme, members):
    def make(requirements=("6.1.2", "A.6.2.4"), ai_systems=(), **data):
        return services.audit_create(ctx=auditor_ctx, data={
            "title": "Risk and life cycle", "programme": programme.pk,
            "requirements": list(requirements), "ai_systems": [s.pk for s in ai_systems],
            "lead_auditor": members["auditor"].pk, **data})
    return make


def lines_of(audit) -> list[AuditLine]:
    return list(AuditLine.objects.for_org(audit.org).filter(audit=audit)
                .select_related("requirement", "ai_system").order_by("sort_key"))


def assess_all(ctx, audit, result="conforming", notes="Records sampled; all as described."):
    for line in lines_of(audit):
        services.line_update(ctx=ctx, line_id=line.pk, version=line.version,
                             data={"result": result, "notes": notes})
