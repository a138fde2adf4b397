"""The API's shape of a classification, a version and an obligation row."""

from __future__ import annotations

from typing import Any

from aims.aiact.models import ClassificationVersion
from aims.aiact.selectors import Classification, ObligationRow, questions_for

LEGAL_NOTE = ("This classification supports, and does not replace, legal advice. It follows "
              "Regulation (EU) 2024/1689 as amended by the Digital Omnibus on AI as the aims "
              "project reads it; check the Official Journal before relying on it.")


def _who(user) -> str | None:
    return user.email if user is not None else None


def classification_out(c: Classification) -> dict[str, Any]:
    v = c.current
    answers = v.answers if v else {}
    questions, _ = questions_for(answers)
    return {
        "ai_system": c.system.pk, "version": c.version, "answers": answers,
        "class": v.result_class if v else None, "trace": v.trace if v else [],
        "saved_by": _who(v.saved_by) if v else None, "saved_at": v.created_at if v else None,
        "needs_review": c.needs_review, "review_reason": c.review_reason,
        "eu_risk_class": c.system.eu_risk_class,
        "eu_class_overridden": c.system.eu_class_overridden,
        "questions": [{"id": q.id, "text": q.text, "help": q.help, "article": q.article,
                       "kind": q.kind, "choices": [list(ch) for ch in q.choices],
                       "link": q.link} for q in questions],
        "legal_note": LEGAL_NOTE,
    }


def version_out(v: ClassificationVersion) -> dict[str, Any]:
    return {"version": v.number, "class": v.result_class, "answers": v.answers,
            "trace": v.trace, "saved_by": _who(v.saved_by), "saved_at": v.created_at}


def obligation_out(r: ObligationRow) -> dict[str, Any]:
    i = r.item
    owner = _who(i.owner) if i.owner_id else None
    return {
        "id": i.pk, "ai_system": r.system.pk, "ai_system_name": r.system.name,
        "system_class": r.cls, "ref": i.ref, "title": r.title, "role": i.role, "duty": i.duty,
        "applies_from": i.applies_from, "timeline_key": i.timeline_key,
        "timeline_label": r.timeline_label, "in_force": r.in_force, "days_left": r.days_left,
        "applies": i.applies, "ended_on": i.ended_on, "status": i.status,
        "status_reason": i.status_reason, "owner": i.owner_id, "owner_email": owner,
        "notes": i.notes, "last_reviewed": i.last_reviewed,
        "evidence_count": getattr(i, "evidence_count", 0), "overdue": r.overdue,
        "fria": {"state": r.fria.state, "assessment": r.fria.assessment_id,
                 "missing": list(r.fria.missing), "notified_on": r.fria.notified_on}
        if r.fria is not None else None,
        "item_status": i.status, "item_owner": owner, "version": i.version,
    }
