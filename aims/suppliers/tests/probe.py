"""How the tenancy, role and error matrices reach the suppliers routes (see
aims.testing.tenancy). Reviews are append-only, so they have no item routes; the review
routes use a second party that has been reviewed, so the first stays at version 1 (the delete
checks expect an untouched record)."""

from __future__ import annotations

import datetime

from aims.suppliers.models import DueDiligenceAnswer, Supplier
from aims.suppliers.services import (
    due_diligence_update,
    responsibility_create,
    supplier_create,
    supplier_review_create,
)

ITEM = "lineage"


def build(world, ctx, tag: str) -> None:
    """A supplier linked to the world's AI system with one answer and one responsibility, and
    a customer with a completed review."""
    supplier = supplier_create(ctx=ctx, data={
        "name": f"{tag} Sentinel Model Labs", "kind": "supplier", "supplies": ["api", "model"],
        "description": f"{tag} confidential model licence", "owner": world.editor.pk,
        "contact": f"{tag} account manager hotline", "ai_systems": [world.system.pk]})
    due_diligence_update(ctx=ctx, supplier_id=supplier.pk, answers=[{
        "item": ITEM, "version": 0, "status": "concern",
        "notes": f"{tag} secret base-model lineage gap"}])
    allocation = responsibility_create(ctx=ctx, supplier_id=supplier.pk, data={
        "topic": "monitoring", "activity": f"{tag} private drift report", "responsible": "us"})
    customer = supplier_create(ctx=ctx, data={
        "name": f"{tag} Harbour Brokers", "kind": "customer", "owner": world.editor.pk,
        "description": f"{tag} undisclosed white-label deal"})
    answers = [{"item": key, "version": 0, "status": "satisfactory",
                "notes": f"{tag} hidden answer {key}"}
               for key in ("intended_use", "incidents", "contract", "data_location")]
    review = supplier_review_create(ctx=ctx, supplier_id=customer.pk, version=customer.version,
                                    answers=answers, data={
                                        "reviewed_on": datetime.date(2025, 3, 1),
                                        "rating": "low",
                                        "summary": f"{tag} board-only review summary"})
    customer = Supplier.objects.for_org(world.org).get(pk=customer.pk)
    answer = DueDiligenceAnswer.objects.for_org(world.org).get(supplier=supplier, item=ITEM)
    world.extra.update(supplier=supplier, answer=answer, allocation=allocation,
                       reviewed_party=customer, supplier_review=review)
    world.secrets += [supplier.name, supplier.description, supplier.contact, answer.notes,
                      allocation.activity, customer.name, customer.description, review.summary,
                      f"{tag} hidden answer contract",
                      *(str(x) for x in (supplier.pk, answer.pk, allocation.pk, customer.pk,
                                         review.pk))]


def _supplier(w):
    return w.extra["supplier"]


def _reviewed(w):
    return w.extra["reviewed_party"]


PATH_PARAMS = {
    "supplier_id": lambda w: _supplier(w).pk,
    "allocation_id": lambda w: w.extra["allocation"].pk,
    "diligence_item": lambda w: ITEM,
}
ORG_UNIQUE_PARAMS = {"supplier_id", "allocation_id"}
VERSIONED_BY = {
    "supplier_id": lambda w: _supplier(w).version,
    "allocation_id": lambda w: w.extra["allocation"].version,
    "diligence_item": lambda w: w.extra["answer"].version,
}

S = "/orgs/{slug}/suppliers/{supplier_id}"
REVIEWS = S + "/reviews"
ROUTE_PARAMS = {
    ("GET", REVIEWS): {"supplier_id": lambda w: _reviewed(w).pk},
    ("POST", REVIEWS): {"supplier_id": lambda w: _reviewed(w).pk},
}
BODIES = {
    ("POST", "/orgs/{slug}/suppliers"): lambda s, i: {
        "name": "Probe supplier", "kind": "supplier", "supplies": ["dataset"],
        "owner": str(s.editor.pk), "ai_systems": [str(s.system.pk)]},
    ("PATCH", S): lambda s, i: {"version": _supplier(i).version, "name": "Probe renamed party"},
    ("PATCH", S + "/due-diligence/{diligence_item}"):
        lambda s, i: {"version": i.extra["answer"].version, "notes": "Probe lineage note"},
    ("POST", REVIEWS): lambda s, i: {
        "version": _reviewed(i).version, "rating": "medium",
        "summary": "Probe review: contract renewed, no change."},
    ("POST", S + "/responsibilities"): lambda s, i: {
        "topic": "incidents", "responsible": "shared", "note": "Probe: both sides triage."},
    ("PATCH", S + "/responsibilities/{allocation_id}"):
        lambda s, i: {"version": i.extra["allocation"].version, "note": "Probe note"},
}
WRITE_PERMS = {"suppliers": "suppliers.change"}
# A review logs itself, the party's new dates and rating (and any answers sent with it).
MULTI_EVENT_ROUTES = {("POST", REVIEWS)}
WEB_PARAMS = {
    "supplier_id": lambda w: _supplier(w).pk,
    "allocation_id": lambda w: w.extra["allocation"].pk,
}
