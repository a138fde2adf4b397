"""OSCAL routes for the tenancy, role and API-error matrices (aims.testing)."""

from __future__ import annotations

import json

from django.core.files.uploadedfile import SimpleUploadedFile

from aims.oscal.ids import PROP_NS
from aims.testing.tenancy import SOA_REF, Multipart


def build(world, ctx, tag: str) -> None:
    """Nothing of its own: the exports read the records the other probes create."""


def _profile(s, i) -> Multipart:
    """A profile that makes the world's SoA control applicable for a legal reason."""
    token = f"annex-{SOA_REF.lower()}"
    doc = {"profile": {
        "uuid": "7d0c2b1a-4e3f-4a5b-9c8d-1e2f3a4b5c6d",
        "metadata": {"title": "Probe profile", "last-modified": "2026-01-01T00:00:00Z",
                     "version": "1", "oscal-version": "1.1.3"},
        "imports": [{"href": "catalog.json", "include-controls": [{"with-ids": [token]}]}],
        "modify": {"alters": [{"control-id": token, "adds": [{"props": [
            {"name": "inclusion-reason", "ns": PROP_NS, "value": "legal"}]}]}]}}}
    return Multipart({"file": SimpleUploadedFile("profile.json", json.dumps(doc).encode(),
                                                 content_type="application/json")})


PATH_PARAMS = {"model": lambda w: "profile"}
WEB_PARAMS = {"model": lambda w: "profile"}
WRITE_PERMS = {"oscal": "compliance.change"}
# An import logs each decision it changes, and the import itself.
MULTI_EVENT_ROUTES = {("POST", "/orgs/{slug}/oscal/profile/import")}
BODIES = {("POST", "/orgs/{slug}/oscal/profile/import"): _profile}
