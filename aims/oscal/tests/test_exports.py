"""Every OSCAL model exported from the demo is valid by NIST's 1.1.3 schemas and parses in
compliance-trestle; identifiers stay the same between exports."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from trestle.oscal.assessment_plan import Model as AssessmentPlanModel
from trestle.oscal.assessment_results import Model as AssessmentResultsModel
from trestle.oscal.catalog import Model as CatalogModel
from trestle.oscal.poam import Model as PoamModel
from trestle.oscal.profile import Model as ProfileModel
from trestle.oscal.ssp import Model as SspModel

from aims.oscal.exports import MODELS, ROOT, oscal_document, oscal_export
from aims.oscal.ids import PROP_NS, control_id, ref_of, stable_uuid
from aims.oscal.validation import SCHEMA_DIR, schema_errors

DATA = Path(__file__).resolve().parent / "data"
SCHEMAS = {
    "catalog": SCHEMA_DIR / "oscal_catalog_schema.json",
    "profile": SCHEMA_DIR / "oscal_profile_schema.json",
    "ssp": DATA / "oscal_ssp_schema.json",
    "assessment-plan": DATA / "oscal_assessment-plan_schema.json",
    "assessment-results": DATA / "oscal_assessment-results_schema.json",
    "poam": DATA / "oscal_poam_schema.json",
}
TRESTLE = {"catalog": CatalogModel, "profile": ProfileModel, "ssp": SspModel,
           "assessment-plan": AssessmentPlanModel, "assessment-results": AssessmentResultsModel,
           "poam": PoamModel}


def _without_timestamps(doc):
    text = json.dumps(doc, sort_keys=True)
    data = json.loads(text)
    root = next(iter(data.values()))
    root["metadata"].pop("last-modified")
    return data


@pytest.mark.django_db
def test_the_demo_exports_valid_documents_that_hold_the_record(demo_ctx):
    """One demo build (it is slow) for all three checks."""
    _every_model_validates_and_parses_in_trestle(demo_ctx)
    _the_documents_hold_the_record(demo_ctx)
    _uuids_are_stable_across_exports(demo_ctx)


def _every_model_validates_and_parses_in_trestle(demo_ctx):
    for model in MODELS:
        content, content_type, filename = oscal_export(ctx=demo_ctx, model=model)
        assert content_type == "application/json" and filename.endswith(f"{model}.json")
        doc = json.loads(content)
        assert list(doc) == [ROOT[model]]
        assert schema_errors(doc, schema_path=SCHEMAS[model]) == [], model
        TRESTLE[model].model_validate(doc)  # raises on anything trestle refuses


def _the_documents_hold_the_record(demo_ctx):
    docs = {m: oscal_document(ctx=demo_ctx, model=m)[ROOT[m]] for m in MODELS}
    # catalog: tokens with the printed number as label
    clause6 = next(g for g in docs["catalog"]["groups"] if g["id"] == "clause-6")
    ids = json.dumps(clause6)
    assert '"clause-6.1.3"' in ids and '"value": "6.1.3"' in ids
    annex = next(g for g in docs["catalog"]["groups"] if g["id"] == "annex-a.6.1.1")
    assert {"name": "label", "value": "A.6.1.1"} in annex["props"]
    # profile: included and excluded controls with aims' namespaced props
    imp = docs["profile"]["imports"][0]
    included = imp["include-controls"][0]["with-ids"]
    excluded = imp["exclude-controls"][0]["with-ids"]
    assert included and excluded and not set(included) & set(excluded)
    props = {a["control-id"]: a["adds"][0]["props"] for a in docs["profile"]["modify"]["alters"]}
    one_excluded = props[excluded[0]]
    assert any(p["name"] == "justification" and p["ns"] == PROP_NS for p in one_excluded)
    assert any(p["name"] == "inclusion-reason" and p["ns"] == PROP_NS
               for p in props[included[0]])
    # ssp: AI systems as components, implemented requirements with status and owner
    ssp = docs["ssp"]
    kinds = [c["type"] for c in ssp["system-implementation"]["components"]]
    assert kinds[0] == "this-system" and kinds.count("software") >= 2
    reqs = ssp["control-implementation"]["implemented-requirements"]
    assert {r["control-id"] for r in reqs} >= set(included)
    assert not {r["control-id"] for r in reqs} & set(excluded)
    assert any("responsible-roles" in r for r in reqs)
    assert all(r["by-components"][0]["implementation-status"]["state"] for r in reqs)
    # audits: results carry observations; evidence with its SHA-256 in the back matter
    ar = docs["assessment-results"]
    assert any(r.get("observations") for r in ar["results"])
    hashes = [h["value"] for res in ar.get("back-matter", {}).get("resources", [])
              for link in res.get("rlinks", []) for h in link.get("hashes", [])]
    assert hashes and all(len(h) == 64 for h in hashes)
    assert docs["assessment-plan"].get("tasks")
    # poam: open nonconformities and risk treatment
    kinds = {p["value"] for i in docs["poam"]["poam-items"] for p in i.get("props", [])
             if p["name"] == "kind"}
    assert kinds == {"nonconformity", "risk-treatment"}


def _uuids_are_stable_across_exports(demo_ctx):
    for model in MODELS:
        first = _without_timestamps(oscal_document(ctx=demo_ctx, model=model))
        second = _without_timestamps(oscal_document(ctx=demo_ctx, model=model))
        assert first == second, model


@pytest.mark.django_db
def test_an_empty_record_exports_valid_documents_and_its_profile_changes_nothing(org, members):
    from aims.oscal.services import profile_import
    from aims.testing.factories import ctx_for

    ctx = ctx_for(org, members["owner"])
    for model in MODELS:
        doc = oscal_document(ctx=ctx, model=model)
        assert schema_errors(doc, schema_path=SCHEMAS[model]) == [], model
        TRESTLE[model].model_validate(doc)
    profile = oscal_export(ctx=ctx, model="profile")[0]
    report = profile_import(ctx=ctx, content=profile, dry_run=True)
    assert report.decisions == [] and report.untouched == 38


def test_tokens_round_trip():
    for ref in ("4", "6.1.3", "A.2", "A.6.2.10", "A.10.4"):
        assert ref_of(control_id(ref)) == ref
    assert control_id("6.1.3") == "clause-6.1.3"
    assert ref_of("ac-1") is None
    assert stable_uuid("risk", 7) == stable_uuid("risk", 7) != stable_uuid("risk", 8)


def test_the_validator_understands_unicode_classes():
    doc = {"catalog": {"uuid": "5b1f3c2e-8f0a-5d6e-9c41-7a2b0e4d6f18", "metadata": {
        "title": "t", "last-modified": "2026-01-01T00:00:00Z", "version": "1",
        "oscal-version": "1.1.3"}, "controls": [{"id": "é-1", "title": "x"}]}}
    assert schema_errors(doc, schema_path=SCHEMAS["catalog"]) == []
    doc["catalog"]["controls"][0]["id"] = "1-bad"
    assert "/catalog/controls/0/id" in schema_errors(doc, schema_path=SCHEMAS["catalog"])[0]
