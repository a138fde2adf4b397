"""An OSCAL catalog brought in as a framework of the organisation's own: the dry run, newer
versions, a profile's selection, hostile files, tenancy, the round trip, and the three doors
(API, CLI, web)."""

from __future__ import annotations

import copy
import json

import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.test import Client

from aims.activity.models import Event
from aims.catalog.models import Framework, Requirement
from aims.catalog.selectors import framework_list, reportable_frameworks
from aims.compliance.models import ComplianceItem
from aims.compliance.services import compliance_item_update
from aims.core.errors import NotFound, PermissionDenied, ValidationError
from aims.evidence.services import evidence_create
from aims.frameworks.selectors import own_framework_get, own_framework_list, own_item_get
from aims.oscal.catalog_import import catalog_import
from aims.oscal.exports import own_catalog_document, own_catalog_export
from aims.oscal.tests import catalogs
from aims.oscal.tests.catalogs import catalog, catalog_v2, control, dump, profile
from aims.oscal.validation import MAX_BYTES, SCHEMA_DIR, schema_errors
from aims.testing.factories import ctx_for

pytestmark = pytest.mark.django_db

CONTROLS = ["gov-1", "gov-2", "gov-2.1", "ops-1", "ops-2"]


@pytest.fixture
def owner(org, members):
    return ctx_for(org, members["owner"])


@pytest.fixture
def editor(org, members):
    return ctx_for(org, members["editor"])


def _state(org) -> dict:
    """Everything an import may write for `org`, to compare before and after."""
    fws = list(Framework.objects.filter(org=org).values_list("code", "version"))
    reqs = sorted(Requirement.objects.filter(framework__org=org)
                  .values_list("ref", "title", "retired_in"))
    items = sorted(ComplianceItem.objects.for_org(org).filter(requirement__framework__org=org)
                   .values_list("requirement__ref", "applicable", "version"))
    return {"frameworks": fws, "requirements": reqs, "items": items,
            "events": Event.objects.filter(org=org).count()}


def _refs(org, *, retired: bool | None = False) -> list[str]:
    qs = Requirement.objects.filter(framework__org=org, kind="control")
    if retired is not None:
        qs = qs.exclude(retired_in="") if retired else qs.filter(retired_in="")
    return list(qs.order_by("sort_key").values_list("ref", flat=True))


# ---------------------------------------------------------------------------- the service


def test_dry_run_reports_and_writes_nothing(owner):
    before = _state(owner.org)
    report = catalog_import(ctx=owner, content=dump(catalog()), dry_run=True)
    assert not report.problems and not report.applied and not report.updating
    assert [e.ref for e in report.groups] == ["gov", "ops"]
    assert [e.ref for e in report.controls] == CONTROLS
    assert report.code == "own-northwind-internal-ai-controls"
    assert _state(owner.org) == before


def test_import_makes_an_own_framework_with_items(owner):
    report = catalog_import(ctx=owner, content=dump(catalog()), dry_run=False)
    assert report.applied
    fw = own_framework_get(ctx=owner, code=report.code)
    assert fw.org == owner.org and fw.version == "1.0" and fw.title == catalogs.TITLE
    reqs = {r.ref: r for r in Requirement.objects.filter(framework=fw)}
    assert reqs["gov-1"].label == "G.1" and reqs["gov-1"].parent == reqs["gov"]
    assert reqs["gov-2.1"].parent == reqs["gov-2"] and reqs["gov"].kind == "group"
    assert reqs["gov-1"].description == "Keep a policy on where AI may and may not be used."
    assert reqs["gov-1"].is_control and not reqs["gov"].is_control
    items = ComplianceItem.objects.for_org(owner.org).filter(requirement__framework=fw)
    assert sorted(i.requirement.ref for i in items) == sorted(CONTROLS)
    assert all(i.applicable is None for i in items)
    event = Event.objects.filter(org=owner.org, action="oscal_catalog_import").get()
    assert event.changes["controls"] == 5 and event.changes["framework"] == fw.code
    # The shipped catalog is untouched, and does not list it.
    assert fw not in framework_list() and fw not in reportable_frameworks()


def test_a_newer_version_updates_and_keeps_decisions_and_evidence(owner, editor):
    code = catalog_import(ctx=owner, content=dump(catalog()), dry_run=False).code
    for ref in ("gov-1", "ops-2"):
        item = own_item_get(ctx=editor, code=code, ref=ref)
        compliance_item_update(ctx=editor, ref=ref, framework=code, version=item.version, data={
            "applicable": True, "inclusion_reason": "business", "status": "implemented"})
    item = own_item_get(ctx=editor, code=code, ref="gov-1")
    evidence = evidence_create(ctx=editor, data={"title": "Signed AI use policy"},
                               upload=ContentFile(b"policy text", name="policy.txt"),
                               links=[item])

    before = _state(owner.org)
    dry = catalog_import(ctx=owner, content=dump(catalog_v2()), dry_run=True)
    assert dry.updating and not dry.applied and _state(owner.org) == before
    assert {e.ref: e.action for e in dry.entries if e.action != "unchanged"} == {
        "gov-1": "changed", "sec": "new", "sec-1": "new"}
    assert dry.retired == [("ops-2", "Incident playbook")]

    report = catalog_import(ctx=owner, content=dump(catalog_v2()), dry_run=False)
    assert report.code == code and Framework.objects.filter(org=owner.org).count() == 1
    assert _refs(owner.org) == ["gov-1", "gov-2", "gov-2.1", "ops-1", "sec-1"]
    assert _refs(owner.org, retired=True) == ["ops-2"]
    gov1 = own_item_get(ctx=editor, code=code, ref="gov-1")
    assert gov1.pk == item.pk and gov1.applicable is True and gov1.status == "implemented"
    assert gov1.requirement.title == "Acceptable AI use policy"
    assert gov1.evidence_count == 1 and evidence.links.get().subject_id == gov1.pk
    ops2 = own_item_get(ctx=editor, code=code, ref="ops-2")
    assert ops2.requirement.retired_in == "2.0" and ops2.applicable is True  # kept as a record
    summary = own_framework_list(ctx=editor)[0]
    assert (summary.controls, summary.retired, summary.applicable) == (5, 1, 1)
    assert own_item_get(ctx=editor, code=code, ref="sec-1").applicable is None

    # The first version again: ops-2 comes back with its decision, sec-1 retires.
    again = catalog_import(ctx=owner, content=dump(catalog("1.1")), dry_run=False)
    assert {e.ref for e in again.entries if e.action == "restored"} == {"ops-2"}
    assert _refs(owner.org, retired=True) == ["sec-1"]
    assert own_item_get(ctx=editor, code=code, ref="ops-2").applicable is True


def test_the_same_uuid_under_a_new_title_is_the_same_catalog(owner):
    code = catalog_import(ctx=owner, content=dump(catalog()), dry_run=False).code
    renamed = catalog_import(ctx=owner, content=dump(catalog("3.0", title="Northwind AI rules")),
                             dry_run=False)
    assert renamed.updating and renamed.code == code
    other = catalog_import(ctx=owner, content=dump(catalog(
        title="Another set", uuid="9f4c1d2e-3b5a-4c6d-8e9f-0a1b2c3d4e5f")), dry_run=False)
    assert not other.updating and other.code == "own-another-set"


def test_a_profile_selects_some_controls(owner):
    prof = profile(include=["gov-2", "ops-1"], **{"with-child-controls": "yes"})
    report = catalog_import(ctx=owner, content=dump(catalog()), profile=dump(prof),
                            dry_run=False)
    assert [e.ref for e in report.entries] == ["gov", "gov-2", "gov-2.1", "ops", "ops-1"]
    assert report.skipped == 2 and _refs(owner.org) == ["gov-2", "gov-2.1", "ops-1"]
    # Include all but some; an enhancement keeps its control as its section.
    report = catalog_import(ctx=owner, content=dump(catalog()), dry_run=True,
                            profile=dump(profile(exclude=["gov-2", "ops-1", "ops-2"])))
    assert [e.ref for e in report.entries] == ["gov", "gov-1", "gov-2", "gov-2.1"]


def test_profile_problems_are_named(owner):
    report = catalog_import(ctx=owner, content=dump(catalog()), dry_run=True,
                            profile=dump(profile(include=["gov-1", "nope-9"])))
    assert report.problems == [("nope-9", "The profile selects a control the catalog does "
                                          "not have.")]
    with pytest.raises(ValidationError, match="nope-9"):
        catalog_import(ctx=owner, content=dump(catalog()), dry_run=False,
                       profile=dump(profile(include=["gov-1", "nope-9"])))
    matching = profile(include=[])
    matching["profile"]["imports"][0]["include-controls"] = [{"matching": [{"pattern": "gov*"}]}]
    with pytest.raises(ValidationError, match="matching") as exc:
        catalog_import(ctx=owner, content=dump(catalog()), profile=dump(matching), dry_run=True)
    assert "profile" in exc.value.errors
    with pytest.raises(ValidationError) as exc:
        catalog_import(ctx=owner, content=dump(catalog()), profile=dump(catalog()), dry_run=True)
    assert "Not an OSCAL profile" in exc.value.errors["profile"][0]
    assert _state(owner.org)["frameworks"] == []


# ---------------------------------------------------------------------------- hostile files


def _nested(depth: int) -> dict:
    kid = control(f"c-{depth}", f"Level {depth}")
    for n in range(depth - 1, 0, -1):
        kid = control(f"c-{n}", f"Level {n}", kids=[kid])
    return catalog(groups=[{"id": "g", "title": "Deep", "controls": [kid]}])


def _duplicate() -> dict:
    doc = catalog()
    doc["catalog"]["groups"][1]["controls"].append(control("gov-1", "Again"))
    return doc


@pytest.mark.parametrize(("content", "says"), [
    (b"{\"catalog\": ", "Not JSON"),
    (b"\xff\xfe{}", "not UTF-8"),
    (b"[1, 2]", "Not an OSCAL catalog"),
    (dump({"catalog": {"uuid": catalogs.UUID, "groups": []}}), "NIST's schema"),
    (dump(catalog(groups=[{"id": "1 bad id", "title": "x"}])), "NIST's schema"),
    (b"[" * 100_000 + b"]" * 100_000, "nested too deeply"),
    (b" " * (MAX_BYTES + 1), "at most 12 MB"),
    (dump(catalog(groups=[{"id": "g", "title": "Empty"}])), "no controls"),
])
def test_a_hostile_file_is_refused_naming_the_rule(owner, content, says):
    before = _state(owner.org)
    for dry_run in (True, False):
        with pytest.raises(ValidationError, match=says) as exc:
            catalog_import(ctx=owner, content=content, dry_run=dry_run)
        assert "file" in exc.value.errors
    assert _state(owner.org) == before


@pytest.mark.parametrize(("doc", "ref", "says"), [
    (_duplicate(), "gov-1", "used more than once"),
    (_nested(8), "c-6", "at most 6 levels"),
    (catalog(groups=[{"id": "g", "title": "G", "controls": [control("x" * 50, "Long")]}]),
     "x" * 40 + "…", "at most 40"),
    (catalog(groups=[{"id": "g", "title": "G", "controls": [control("c", "t" * 301)]}]), "c",
     "at most 300"),
])
def test_problems_by_control_id_in_the_dry_run_refuse_the_import(owner, doc, ref, says):
    before = _state(owner.org)
    report = catalog_import(ctx=owner, content=dump(doc), dry_run=True)
    assert any(r == ref and says in what for r, what in report.problems), report.problems
    with pytest.raises(ValidationError, match="Nothing was imported") as exc:
        catalog_import(ctx=owner, content=dump(doc), dry_run=False)
    assert says in exc.value.errors["file"][0]
    assert _state(owner.org) == before


def test_only_owners_and_admins_import(editor, members, org):
    for role in ("editor", "viewer", "auditor"):
        with pytest.raises(PermissionDenied):
            catalog_import(ctx=ctx_for(org, members[role]), content=b"{oops", dry_run=True)


# ---------------------------------------------------------------------------- tenancy


@pytest.fixture
def other(other_org):
    from aims.orgs.models import Membership
    return ctx_for(other_org, Membership.objects.get(org=other_org, role="owner").user)


def test_an_imported_framework_is_its_organisations_alone(owner, other, api_client_for,
                                                         members):
    code = catalog_import(ctx=owner, content=dump(catalog()), dry_run=False).code
    assert own_framework_list(ctx=other) == []
    with pytest.raises(NotFound):
        own_framework_get(ctx=other, code=code)
    with pytest.raises(NotFound):
        own_item_get(ctx=other, code=code, ref="gov-1")
    # The other organisation may bring the same catalog in: a framework of its own.
    theirs = catalog_import(ctx=other, content=dump(catalog()), dry_run=False)
    assert theirs.code == code and not theirs.updating
    assert Framework.objects.filter(code=code).count() == 2

    web = Client()
    web.force_login(other.user)
    ours = f"/o/{owner.org.slug}"
    for url in (f"{ours}/frameworks/own/{code}/", f"{ours}/frameworks/own/{code}/gov-1/",
                f"{ours}/oscal/own/{code}.json"):
        assert web.get(url).status_code == 404  # not a member of the importing organisation
    page = web.get(f"/o/{other.org.slug}/frameworks/")
    assert page.status_code == 200
    # Its own copy is listed; the importing organisation's items are nowhere on its pages.
    own_item = own_item_get(ctx=other, code=code, ref="gov-1")
    mine = own_item_get(ctx=owner, code=code, ref="gov-1")
    assert own_item.pk != mine.pk
    r = web.get(f"/o/{other.org.slug}/frameworks/own/{code}/gov-1/")
    assert r.status_code == 200 and str(mine.pk) not in r.content.decode()

    api = api_client_for(other.user)
    assert api.get(f"/api/v1/orgs/{owner.org.slug}/oscal/own/{code}").status_code == 404
    api_cat = api_client_for(members["viewer"])
    listed = api_cat.get("/api/v1/catalog/frameworks").json()
    assert listed and code not in [f["code"] for f in listed]
    assert api_cat.get(f"/api/v1/catalog/frameworks/{code}").status_code == 404


# ---------------------------------------------------------------------------- round trip


def test_export_reads_back_the_source_and_validates(owner):
    source = catalog()
    code = catalog_import(ctx=owner, content=dump(source), dry_run=False).code
    doc = {"catalog": own_catalog_document(ctx=owner, code=code)}
    assert schema_errors(doc, schema_path=SCHEMA_DIR / "oscal_catalog_schema.json") == []

    def outline(cat: dict) -> list:
        out = []

        def walk(nodes, depth):
            for n in nodes:
                label = next((p["value"] for p in n.get("props", []) if p["name"] == "label"), "")
                prose = [p["prose"] for p in n.get("parts", [])]
                out.append((depth, n["id"], n["title"], label, prose))
                walk(n.get("groups", []), depth + 1)
                walk(n.get("controls", []), depth + 1)
        walk(cat.get("groups", []), 0)
        walk(cat.get("controls", []), 0)
        return out

    assert outline(doc["catalog"]) == outline(source["catalog"])
    # Brought in again, the export changes nothing.
    again = catalog_import(ctx=owner, content=dump(doc), dry_run=True)
    assert again.updating and {e.action for e in again.entries} == {"unchanged"}
    # Retired controls leave the export.
    catalog_import(ctx=owner, content=dump(catalog_v2()), dry_run=False)
    doc2 = {"catalog": own_catalog_document(ctx=owner, code=code)}
    assert "ops-2" not in json.dumps(doc2) and "sec-1" in json.dumps(doc2)
    assert schema_errors(doc2, schema_path=SCHEMA_DIR / "oscal_catalog_schema.json") == []


def test_multi_part_text_is_kept_with_its_headings(owner):
    doc = catalog(groups=[{"id": "g", "title": "G", "controls": [{
        "id": "c-1", "title": "Human oversight", "parts": [
            {"id": "c-1_smt", "name": "statement", "prose": "Name a reviewer.",
             "parts": [{"id": "c-1_smt.a", "name": "item",
                        "props": [{"name": "label", "value": "a."}],
                        "prose": "for each model"}]},
            {"id": "c-1_gdn", "name": "guidance", "prose": "Reviewers rotate."}]}]}])
    code = catalog_import(ctx=owner, content=dump(doc), dry_run=False).code
    req = own_item_get(ctx=owner, code=code, ref="c-1").requirement
    assert req.description == ("Statement: Name a reviewer.\n\na. for each model\n\n"
                               "Guidance: Reviewers rotate.")


# ---------------------------------------------------------------------------- the doors


def test_api_dry_run_import_and_export(owner, api_client_for, members):
    url = f"/api/v1/orgs/{owner.org.slug}/oscal/catalog"
    admin = api_client_for(owner.user)
    r = admin.client.post(url, {"file": SimpleUploadedFile("c.json", dump(catalog())),
                                "dry_run": "true"}, **admin.headers)
    assert r.status_code == 200, r.content
    body = r.json()
    assert (body["applied"], body["groups"], body["controls"], body["new"]) == (False, 2, 5, 7)
    assert _state(owner.org)["frameworks"] == []
    r = admin.client.post(url, {"file": SimpleUploadedFile("c.json", dump(_duplicate())),
                                "dry_run": "true"}, **admin.headers)
    assert r.status_code == 200 and r.json()["problems"][0]["ref"] == "gov-1"
    r = admin.client.post(url, {"file": SimpleUploadedFile("c.json", dump(_duplicate()))},
                          **admin.headers)
    assert r.status_code == 422 and "gov-1" in r.content.decode()
    r = admin.client.post(url, {"file": SimpleUploadedFile("c.json", b"{oops")}, **admin.headers)
    assert r.status_code == 422 and "Not JSON" in r.content.decode()
    prof = SimpleUploadedFile("p.json", dump(profile(include=["ops-1"])))
    r = admin.client.post(url, {"file": SimpleUploadedFile("c.json", dump(catalog())),
                                "profile": prof}, **admin.headers)
    assert r.status_code == 200 and r.json()["applied"] and r.json()["controls"] == 1
    code = r.json()["code"]

    editor = api_client_for(members["editor"])
    r = editor.client.post(url, {"file": SimpleUploadedFile("c.json", dump(catalog()))},
                           **editor.headers)
    assert r.status_code == 403
    r = editor.get(f"/api/v1/orgs/{owner.org.slug}/oscal/own/{code}")
    assert r.status_code == 200 and r.json()["catalog"]["groups"][0]["id"] == "ops"
    assert editor.get(f"/api/v1/orgs/{owner.org.slug}/oscal/own/nope").status_code == 404


def test_cli_dry_run_and_import(owner, tmp_path, capsys):
    path = tmp_path / "catalog.json"
    path.write_bytes(dump(catalog()))
    call_command("oscal", "import-catalog", "--org", owner.org.slug, str(path), "--dry-run")
    out = capsys.readouterr()
    assert "new: control gov-1 (G.1) AI use policy" in out.out and "Dry run" in out.err
    assert _state(owner.org)["frameworks"] == []
    prof = tmp_path / "profile.json"
    prof.write_bytes(dump(profile(include=["gov-1"])))
    call_command("oscal", "import-catalog", "--org", owner.org.slug, str(path),
                 "--profile", str(prof))
    assert _refs(owner.org) == ["gov-1"]
    path.write_bytes(dump(catalog_v2()))
    call_command("oscal", "import-catalog", "--org", owner.org.slug, str(path))
    assert "changed: control gov-1" in capsys.readouterr().out
    path.write_bytes(dump(_duplicate()))
    with pytest.raises(CommandError, match="problems"):
        call_command("oscal", "import-catalog", "--org", owner.org.slug, str(path), "--dry-run")
    assert "gov-1: The id is used more than once" in capsys.readouterr().out
    with pytest.raises(CommandError, match="gov-1: The id is used more than once"):
        call_command("oscal", "import-catalog", "--org", owner.org.slug, str(path))
    path.write_text("{")
    with pytest.raises(CommandError, match="Not JSON"):
        call_command("oscal", "import-catalog", "--org", owner.org.slug, str(path))


def test_web_upload_dry_run_confirm_and_decide(owner, members, org):
    web = Client()
    web.force_login(owner.user)
    index = web.get(f"/o/{org.slug}/frameworks/")
    assert "You have no framework of your own yet" in index.content.decode()
    url = f"/o/{org.slug}/oscal/import-catalog/"
    assert web.get(url).status_code == 200
    r = web.post(url, {"file": SimpleUploadedFile("c.json", dump(catalog()))})
    body = r.content.decode()
    assert r.status_code == 200 and "Dry run" in body and "gov-2.1" in body
    assert _state(org)["frameworks"] == []
    confirm = {name: value for name, value in
               __import__("re").findall(r'name="(document|profile_document)" value="([^"]*)"',
                                        body)}
    assert confirm["document"]
    r = web.post(url, confirm)
    code = "own-northwind-internal-ai-controls"
    assert r.status_code == 302 and r["Location"].endswith(f"/frameworks/own/{code}/")
    page = web.get(r["Location"]).content.decode()
    assert "Drift monitoring" in page and "G.2.1" in page

    r = web.post(url, {"file": SimpleUploadedFile("c.json", dump(_duplicate()))})
    assert r.status_code == 200 and "used more than once" in r.content.decode()
    assert 'name="document"' not in r.content.decode()
    r = web.post(url, {"document": "not-base64!"})
    assert r.status_code == 422 and "did not come back intact" in r.content.decode()
    bomb = __import__("base64").b64encode(__import__("zlib").compress(b" " * (MAX_BYTES + 10)))
    r = web.post(url, {"document": bomb.decode()})
    assert r.status_code == 422 and "larger than 12 MB" in r.content.decode()

    editor = Client()
    editor.force_login(members["editor"])
    assert editor.get(url).status_code == 403
    edit = f"/o/{org.slug}/frameworks/own/{code}/ops-1/edit/"
    item = own_item_get(ctx=owner, code=code, ref="ops-1")
    r = editor.post(edit, {"applicable": "no", "justification": "", "status": "not_started",
                           "version": item.version})
    assert r.status_code == 422 and "justification" in r.content.decode()
    r = editor.post(edit, {"applicable": "yes", "inclusion_reason": "business",
                           "status": "planned", "notes": "Alerts go to the on-call channel.",
                           "version": item.version})
    assert r.status_code == 302
    item = own_item_get(ctx=owner, code=code, ref="ops-1")
    assert item.applicable is True and item.status == "planned"
    r = editor.post(edit, {"applicable": "yes", "inclusion_reason": "business",
                           "status": "implemented", "version": 1})
    assert r.status_code == 409
    detail = editor.get(f"/o/{org.slug}/frameworks/own/{code}/ops-1/").content.decode()
    assert "Alerts go to the on-call channel." in detail and "Evidence" in detail
    listing = editor.get(f"/o/{org.slug}/frameworks/own/{code}/?applicable=yes").content.decode()
    assert "ops-1" in listing and "gov-1" not in listing
    r = editor.get(f"/o/{org.slug}/oscal/own/{code}.json")
    assert r.status_code == 200 and json.loads(r.content)["catalog"]["metadata"]["title"]


def _sized(n: int) -> dict:
    return catalog(groups=[{"id": f"g{g}", "title": f"Group {g}", "controls": [
        control(f"c{g}-{i}", f"Control {g}.{i}", f"{g}.{i}", "Do the thing.")
        for i in range(n // 5)]} for g in range(5)])


@pytest.mark.parametrize("size", [10, 200])
def test_pages_are_bounded_whatever_the_catalog_size(owner, django_assert_max_num_queries,
                                                     size):
    code = catalog_import(ctx=owner, content=dump(_sized(size)), dry_run=False).code
    for ref in (f"c0-{i}" for i in range(size // 5)):
        item = own_item_get(ctx=owner, code=code, ref=ref)
        evidence_create(ctx=owner, data={"title": f"Proof {ref}", "note": "Seen."},
                        links=[item])
    web = Client()
    web.force_login(owner.user)
    base = f"/o/{owner.org.slug}/frameworks"
    for url, budget in ((f"{base}/", 30), (f"{base}/own/{code}/", 20),
                        (f"{base}/own/{code}/?q=control&applicable=undecided", 20),
                        (f"{base}/own/{code}/c0-1/", 40)):
        with django_assert_max_num_queries(budget):
            assert web.get(url).status_code == 200


def test_a_large_catalog_imports(owner):
    doc = _sized(2000)
    report = catalog_import(ctx=owner, content=dump(doc), dry_run=False)
    assert len(report.controls) == 2000
    content, _, _ = own_catalog_export(ctx=owner, code=report.code)
    assert len(json.loads(content)["catalog"]["groups"]) == 5
    assert copy.deepcopy(doc) == doc
