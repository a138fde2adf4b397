"""OSCAL routes for the tenancy, role and API-error matrices (aims.testing)."""

from __future__ import annotations

import json
import uuid

from django.core.files.uploadedfile import SimpleUploadedFile

from aims.oscal.catalog_import import catalog_import
from aims.oscal.ids import PROP_NS
from aims.oscal.tests.catalogs import catalog, control, dump
from aims.testing.tenancy import SOA_REF, Multipart

CONTROL = "ctl-1"


def _catalog(tag: str) -> dict:
    return catalog(title=f"Probe controls {tag}", uuid=str(uuid.uuid5(uuid.NAMESPACE_URL, tag)),
                   groups=[{"id": "grp", "title": f"{tag} private control group", "controls": [
                       control(CONTROL, f"{tag} confidential drift control", "P.1",
                               f"{tag} secret monitoring duty")]}])


def build(world, ctx, tag: str) -> None:
    """A framework of the organisation's own, brought in from an OSCAL catalog (the exports
    read the records the other probes create)."""
    report = catalog_import(ctx=ctx, content=dump(_catalog(tag)), dry_run=False)
    world.extra["own_framework"] = report.code
    world.secrets += [f"Probe controls {tag}", f"{tag} confidential drift control",
                      f"{tag} secret monitoring duty", f"{tag} private control group"]


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


def _upload(s, i) -> Multipart:
    """A catalog brought in as a framework of the organisation's own."""
    doc = catalog(title="Probe upload", uuid="5e2d4c1b-3a2f-4e1d-9c8b-7a6f5e4d3c2b")
    return Multipart({"file": SimpleUploadedFile("catalog.json", dump(doc),
                                                 content_type="application/json")})


PATH_PARAMS = {"model": lambda w: "profile", "catalog": lambda w: w.extra["own_framework"]}
# Each organisation's own framework has its own code (its catalog's title names the world).
ORG_UNIQUE_PARAMS = {"catalog"}
WEB_PARAMS = {"model": lambda w: "profile", "catalog": lambda w: w.extra["own_framework"],
              "control": lambda w: CONTROL}
WRITE_PERMS = {"oscal": "compliance.change"}
ROUTE_PERMS = {("POST", "/orgs/{slug}/oscal/catalog"): "frameworks.manage"}
# An import logs each decision it changes, and the import itself.
MULTI_EVENT_ROUTES = {("POST", "/orgs/{slug}/oscal/profile/import")}
BODIES = {("POST", "/orgs/{slug}/oscal/profile/import"): _profile,
          ("POST", "/orgs/{slug}/oscal/catalog"): _upload}
