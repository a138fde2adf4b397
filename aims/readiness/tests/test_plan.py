"""The implementation plan: findings become owned, dated tasks, once each."""

from __future__ import annotations

import datetime

import pytest

from aims.readiness import selectors, services
from aims.readiness.engine import evaluate
from aims.readiness.tests.conftest import TODAY
from aims.tasks.models import TaskStatus

pytestmark = pytest.mark.django_db
TARGET = TODAY + datetime.timedelta(days=200)


def _steps(ctx):
    return list(selectors.plan_get(ctx=ctx).steps.all())


def test_each_missing_document_is_a_step_of_its_own(org, admin_ctx):
    # A new organisation misses several mandatory documents: one rule, no record; each
    # finding names its requirement, so each gets a step (and the summary none).
    evaluation = evaluate(ctx=admin_ctx, as_of=TODAY)
    docinfo = [f for f in evaluation.findings if f.rule == "SUP-DOCINFO-MISSING" and not f.more]
    assert len(docinfo) > 1 and len({f.key for f in docinfo}) == len(docinfo)
    services.plan_generate(ctx=admin_ctx, target_date=TARGET)
    steps = [s for s in _steps(admin_ctx) if s.rule == "SUP-DOCINFO-MISSING"]
    assert sorted(s.key for s in steps) == sorted(f.key for f in docinfo)


def test_regenerating_never_duplicates_and_resolves_what_is_gone(org, admin_ctx, build):
    system = build.system()
    first = services.plan_generate(ctx=admin_ctx, target_date=TARGET)
    keys = [s.key for s in _steps(admin_ctx)]
    assert len(keys) == len(set(keys)) == len(first)
    assert f"IA-MISSING:ai_system:{system.pk}" in keys
    assert {"CERT-STAGE1", "CERT-INTERNAL-AUDIT", "CERT-REVIEW"} <= set(keys)
    # Every task falls due between today and the target date.
    assert all(TODAY <= s.task.due_date <= TARGET for s in _steps(admin_ctx))

    assert services.plan_generate(ctx=admin_ctx) == []  # nothing new: no second task
    assert len(_steps(admin_ctx)) == len(keys)

    build.approved_assessment(system)
    services.plan_generate(ctx=admin_ctx)
    step = next(s for s in _steps(admin_ctx) if s.key == f"IA-MISSING:ai_system:{system.pk}")
    assert step.resolved_at is not None and step.task.status == TaskStatus.DONE


def test_the_target_date_must_lie_ahead(org, admin_ctx):
    from aims.core.errors import ValidationError

    with pytest.raises(ValidationError) as exc:
        services.plan_generate(ctx=admin_ctx, target_date=TODAY)
    assert "target_date" in exc.value.errors
    with pytest.raises(ValidationError):
        services.plan_generate(ctx=admin_ctx)  # no plan yet, no date given
