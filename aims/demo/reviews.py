"""The demo organisation's management reviews: one held today, with minutes, conclusions and
decisions that became actions, and the next one planned in six months.

All text is invented for the demo and written in aims's own words.
"""

from __future__ import annotations

import datetime

from django.utils import timezone

from aims.demo import MemberCtx
from aims.reviews.services import (
    agenda_item_update,
    decision_add,
    review_create,
    review_hold,
    review_update,
)

MINUTES = {
    "previous_actions": "First review under the AIMS: no earlier actions to follow up.",
    "context_changes": "The board noted the supervisor's statement on AI in credit decisions "
                       "and asked for a gap note against it by the next review.",
    "interested_parties": "Customer advocacy groups now expect a plain-language explanation "
                          "of automated declines; the retail team will propose wording.",
    "monitoring": "The override rate on automated credit declines crossed its ceiling last "
                  "month. Risk Analytics is investigating; the fairness objective remains off "
                  "track but improving.",
    "risks": "High risks are owned and treated; the board asked that the credit model's "
             "fairness risk be re-rated after the validation.",
    "audits": "The internal audit of planning and operation found one minor nonconformity "
              "(impact assessment not refreshed after a significant change). The correction "
              "is in progress.",
    "nonconformities": "One nonconformity open with a corrective action past its date; the "
                       "owner was asked to re-plan it this week.",
    "incidents": "One drift incident on the credit model, contained within two days, with "
                 "affected customers informed.",
    "improvements": "The board accepted the proposal to automate evidence collection for "
                    "access reviews.",
}


def build(*, ctxs: dict[str, MemberCtx]) -> None:
    """Hold today's review through the same steps people take, then plan the next one."""
    owner = ctxs["owner"]
    today = timezone.localdate()
    people = [ctxs[r].user.pk for r in ("owner", "admin", "editor")]
    review = review_create(ctx=owner, data={
        "title": "AIMS management review — year one", "meeting_date": today,
        "chair": ctxs["owner"].user.pk, "attendees": people, "location": "Board room, Leeds",
        "other_attendees": "Head of Internal Audit (observer)"})
    for item in review.items.all():
        agenda_item_update(ctx=owner, review_id=review.pk, item_id=item.pk,
                           minutes=MINUTES.get(item.key, "Noted without comment."),
                           version=item.version)
    decision_add(ctx=owner, review_id=review.pk, data={
        "kind": "resources", "text": "Fund an independent validation of the credit decision "
                                     "engine before the next model release.",
        "action": "Commission independent model validation", "owner": ctxs["admin"].user.pk,
        "due_date": today + datetime.timedelta(days=60)})
    decision_add(ctx=owner, review_id=review.pk, data={
        "kind": "change", "text": "Extend bias monitoring to the CV screening assistant.",
        "action": "Add a bias monitor for CV screening", "owner": ctxs["editor"].user.pk,
        "due_date": today + datetime.timedelta(days=30)})
    decision_add(ctx=owner, review_id=review.pk, data={
        "kind": "other", "text": "The AIMS scope stays as it is for the coming year."})
    review.refresh_from_db()
    review = review_update(ctx=owner, review_id=review.pk, version=review.version, data={
        "conclusions": "The AIMS suits the organisation and has the resources it needs, with "
                       "one exception (model validation capacity, funded today). It works: "
                       "problems are found by monitoring and audit and acted on, though one "
                       "corrective action is late."})
    review_hold(ctx=owner, review_id=review.pk, version=review.version)
    review_create(ctx=owner, data={
        "title": "AIMS management review — half year", "meeting_date": today
        + datetime.timedelta(days=182), "chair": ctxs["owner"].user.pk, "attendees": people,
        "period_start": today})
