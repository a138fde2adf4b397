"""The demo organisation's owned work: a recurring access review, evidence requests for
controls (one answered, one open, one overdue), a policy review and an overdue task.

Everything goes through the services, so numbering, series and the activity log are real.
Dates are relative to today, so the demo always has something overdue and something due soon.
All text is invented for the demo and written in aims's own words.
"""

from __future__ import annotations

import datetime

from django.utils import timezone

from aims.compliance.selectors import soa_item_get
from aims.demo import MemberCtx
from aims.inventory.selectors import ai_system_list
from aims.tasks.services import task_answer_with_evidence, task_complete, task_create


def _days(n: int) -> datetime.date:
    return timezone.localdate() + datetime.timedelta(days=n)


def build(*, ctxs: dict[str, MemberCtx]) -> None:
    owner, admin, editor = ctxs["owner"], ctxs["admin"], ctxs["editor"]
    systems = {s.name: s for s in ai_system_list(ctx=owner)}
    credit = systems.get("Credit decision engine")
    collections = systems.get("Collections prioritisation model")

    # A quarterly access review: last quarter's occurrence done, this quarter's due soon.
    review = task_create(ctx=admin, subject=credit, data={
        "title": "Quarterly access review of the credit decision engine",
        "kind": "review", "priority": "high", "owner": admin.user.pk,
        "description": "Export who can change the model, its features and its thresholds; "
                       "the system owner confirms each account or removes it. Attach the "
                       "signed export as evidence on the control for access management.",
        "due_date": _days(-72), "recurrence_every": 3, "recurrence_unit": "months"})
    task_complete(ctx=admin, task_id=review.pk, version=review.version,
                  note="Two leavers removed; export signed by the head of credit risk.")

    # Evidence requests for controls: one answered, one open, one overdue.
    validation = task_create(ctx=owner, subject=soa_item_get(ctx=owner, ref="A.6.2.4"), data={
        "title": "Validation report for the credit model release 4.2",
        "kind": "evidence_request", "priority": "high", "owner": editor.user.pk,
        "description": "The model validation team's sign-off for release 4.2, including the "
                       "holdout performance and the fairness tests by applicant group.",
        "due_date": _days(-3)})
    task_answer_with_evidence(ctx=editor, task_id=validation.pk, version=validation.version,
                              data={
        "kind": "link", "title": "Model validation sign-off, credit model 4.2",
        "url": "https://wiki.northwind.example/model-risk/validation/credit-4-2",
        "description": "Independent validation: holdout Gini 0.61, approval-rate gaps by "
                       "group within the agreed tolerance.",
        "valid_until": _days(270), "completion_note": "Signed off by model risk on Monday."})
    task_create(ctx=owner, subject=soa_item_get(ctx=owner, ref="A.7.4"), data={
        "title": "Data quality checks for the 2025 training snapshot",
        "kind": "evidence_request", "priority": "normal", "owner": editor.user.pk,
        "description": "The completeness, range and duplicate checks run on the training "
                       "snapshot, with the exceptions and how each was resolved.",
        "due_date": _days(12)})
    task_create(ctx=owner, subject=soa_item_get(ctx=owner, ref="A.6.2.6"), data={
        "title": "Drift monitoring dashboard export for last month",
        "kind": "evidence_request", "priority": "high", "owner": admin.user.pk,
        "description": "A dated export of the score-drift and override-rate charts, showing "
                       "the alert thresholds and any alert raised.",
        "due_date": _days(-9), "recurrence_every": 1, "recurrence_unit": "months"})

    # A review of the AI policy, and an overdue task for the editor.
    task_create(ctx=owner, subject=soa_item_get(ctx=owner, ref="A.2.2"), data={
        "title": "Annual review of the AI policy",
        "kind": "review", "priority": "normal", "owner": owner.user.pk,
        "description": "Check the policy still matches our AI objectives, the EU AI Act "
                       "timeline and the new collections model; propose changes to the board.",
        "due_date": _days(45)})
    task_create(ctx=admin, subject=collections, data={
        "title": "Update the model card after the March retraining",
        "kind": "other", "priority": "high", "owner": editor.user.pk,
        "description": "New features were added (payment-holiday history); describe them, the "
                       "retraining data window and the known limitations.",
        "due_date": _days(-6)})
