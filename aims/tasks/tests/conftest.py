"""Helpers shared by the task tests: a control to ask evidence for, and a task in one call."""

from __future__ import annotations

import datetime

import pytest

from aims.compliance.selectors import soa_item_get


@pytest.fixture
def control(ctx):
    """The organisation's compliance item for control A.6.2.4 (model verification)."""
    return soa_item_get(ctx=ctx, ref="A.6.2.4")


@pytest.fixture
def make_task(ctx):
    """make_task(ctx=…, subject=…, **fields) → a task created through the service."""
    from aims.tasks.services import task_create

    def make(ctx=ctx, subject=None, **fields):
        data = {"title": "Review the model card", "kind": "review", **fields}
        return task_create(ctx=ctx, data=data, subject=subject)

    return make


@pytest.fixture
def evidence_request(ctx, members, control, make_task):
    """An open evidence request about `control`, owned by the editor, due in ten days."""
    return make_task(subject=control, kind="evidence_request", owner=members["editor"].pk,
                     title="Upload the latest validation report",
                     due_date=datetime.date.today() + datetime.timedelta(days=10))
