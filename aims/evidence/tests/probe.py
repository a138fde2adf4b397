"""Evidence records and routes for the tenancy, role and API-error matrices (aims.testing)."""

from __future__ import annotations

import datetime

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction

from aims.evidence.services import evidence_create
from aims.testing.tenancy import Multipart


def build(world, ctx, tag: str) -> None:
    """One file evidence (linked to the world's AI system) named with `tag`."""
    upload = SimpleUploadedFile(f"{tag}-access-review.csv",
                                f"user,access\n{tag.lower()}-analyst,read\n".encode())
    with transaction.atomic():
        evidence = evidence_create(ctx=ctx, upload=upload, links=[world.system], data={
            "title": f"{tag} quarterly access review of the claims model",
            "description": f"{tag} confidential reviewer notes",
            "source": f"{tag} identity platform export", "owner": world.editor.pk,
            "effective_from": datetime.date(2026, 7, 1),
            "effective_to": datetime.date(2026, 9, 30)})
    world.extra["evidence"] = evidence
    assert evidence.blob is not None
    world.secrets += [evidence.title, evidence.description, evidence.source,
                      evidence.file_name, str(evidence.pk), evidence.blob.sha256]


def _upload(s, i) -> Multipart:
    return Multipart({
        "title": "Probe evidence", "kind": "file", "owner": str(s.editor.pk),
        "subject_kind": "ai_system", "subject_id": str(s.system.pk),
        "file": SimpleUploadedFile("probe.txt", b"probe evidence\n", content_type="text/plain")})


PATH_PARAMS = {
    "evidence_id": lambda w: w.extra["evidence"].pk,
    "subject_kind": lambda w: "ai_system",
    "subject_id": lambda w: w.system.pk,
    "record_kind": lambda w: "ai_system",
    "record_id": lambda w: w.system.pk,
}
# Routes whose generic parameter names other apps may map differently name their own values.
ROUTE_PARAMS = {
    ("DELETE", "/orgs/{slug}/evidence/{evidence_id}/links/{subject_kind}/{subject_id}"): {
        "subject_kind": lambda w: "ai_system", "subject_id": lambda w: w.system.pk},
    ("GET", "/orgs/{slug}/records/{record_kind}/{record_id}/evidence"): {
        "record_kind": lambda w: "ai_system", "record_id": lambda w: w.system.pk},
}
ORG_UNIQUE_PARAMS = {"evidence_id", "record_id"}
WEB_PARAMS = {"evidence_id": PATH_PARAMS["evidence_id"]}
WRITE_PERMS = {"evidence": "evidence.change"}
VERSIONED_BY = {"evidence_id": lambda w: w.extra["evidence"].version}
BODIES = {
    ("POST", "/orgs/{slug}/evidence"): _upload,
    ("PATCH", "/orgs/{slug}/evidence/{evidence_id}"):
        lambda s, i: {"version": i.extra["evidence"].version, "title": "Probe renamed evidence"},
    # Linking to a record the evidence does not support yet (the SoA item of the world).
    ("POST", "/orgs/{slug}/evidence/{evidence_id}/links"):
        lambda s, i: {"subject_kind": "compliance_item", "subject_id": str(s.soa_item.pk)},
}
