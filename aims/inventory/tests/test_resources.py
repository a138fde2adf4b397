import pytest

from aims.activity.models import Event
from aims.core.errors import PermissionDenied, ValidationError
from aims.inventory.models import Resource
from aims.inventory.selectors import ResourceFilters, resource_list, resources_for_system
from aims.inventory.services import resource_create, resource_delete, resource_update
from aims.testing.factories import ctx_for, make_ai_system

pytestmark = pytest.mark.django_db

DATA = {"name": "Loan book 2019–2024", "kind": "data",
        "description": "Five years of repayment history.",
        "location": "Data warehouse, credit schema",
        "data_categories": "Application data; repayment history",
        "data_provenance": "Our own loan origination and servicing systems.",
        "quality_notes": "Thin-file applicants under-represented before 2021.",
        "retention": "Ten years after the loan ends", "contains_personal_data": True}


def test_create_links_systems_and_logs_them(ctx):
    credit = make_ai_system(ctx, name="Credit engine")
    fraud = make_ai_system(ctx, name="Fraud model")
    resource = resource_create(ctx=ctx, data={**DATA, "owner": ctx.user.pk,
                                              "ai_systems": [fraud.pk, credit.pk]})
    assert [s.name for s in resource.ai_systems.order_by("name")] == ["Credit engine",
                                                                     "Fraud model"]
    event = Event.objects.get(org=ctx.org, object_id=str(resource.pk))
    assert event.changes["ai_systems"] == {"before": None,
                                           "after": ["Credit engine", "Fraud model"]}
    assert resources_for_system(ctx=ctx, system=credit) == [resource]

    resource = resource_update(ctx=ctx, resource_id=resource.pk, version=resource.version,
                               data={"ai_systems": [credit.pk], "retention": "Seven years"})
    assert list(resource.ai_systems.all()) == [credit]
    event = Event.objects.filter(org=ctx.org, object_id=str(resource.pk)).latest("seq")
    assert event.changes["ai_systems"] == {"before": ["Credit engine", "Fraud model"],
                                           "after": ["Credit engine"]}
    assert event.changes["retention"]["after"] == "Seven years"
    resource_delete(ctx=ctx, resource_id=resource.pk, version=resource.version)
    assert not Resource.objects.for_org(ctx.org).exists()
    # Deleting a resource leaves the systems alone.
    assert credit.resources.count() == 0 and credit.pk


@pytest.mark.parametrize("change,field", [
    ({"data_provenance": ""}, "data_provenance"),
    ({"kind": "magic"}, "kind"),
    ({"name": "  "}, "name"),
    ({"ai_systems": ["not-an-id"]}, "ai_systems"),
    ({"ai_systems": ["00000000-0000-0000-0000-000000000000"]}, "ai_systems"),
    ({"owner": "00000000-0000-0000-0000-000000000000"}, "owner"),
    ({"colour": "blue"}, "colour"),
])
def test_bad_input_names_the_field(ctx, change, field):
    with pytest.raises(ValidationError) as exc:
        resource_create(ctx=ctx, data={**DATA, **change})
    assert field in exc.value.errors
    assert not Resource.objects.for_org(ctx.org).exists()


def test_names_are_unique_and_other_kinds_need_no_provenance(ctx):
    resource_create(ctx=ctx, data=DATA)
    with pytest.raises(ValidationError) as exc:
        resource_create(ctx=ctx, data={**DATA, "name": DATA["name"].upper()})
    assert "already exists" in exc.value.errors["name"][0]
    gpu = resource_create(ctx=ctx, data={"name": "Training cluster", "kind": "computing"})
    assert gpu.data_provenance == ""


def test_readers_cannot_write(org, members, ctx):
    resource = resource_create(ctx=ctx, data=DATA)
    for role in ("viewer", "auditor"):
        reader = ctx_for(org, members[role])
        with pytest.raises(PermissionDenied):
            resource_create(ctx=reader, data={**DATA, "name": "Other"})
        with pytest.raises(PermissionDenied):
            resource_update(ctx=reader, resource_id=resource.pk, version=1, data={"name": "X"})
        with pytest.raises(PermissionDenied):
            resource_delete(ctx=reader, resource_id=resource.pk, version=1)


def test_list_filters(ctx):
    credit = make_ai_system(ctx, name="Credit engine")
    resource_create(ctx=ctx, data={**DATA, "ai_systems": [credit.pk]})
    resource_create(ctx=ctx, data={"name": "Model registry", "kind": "tooling",
                                   "location": "MLflow on the platform cluster"})

    def names(**f):
        return [r.name for r in resource_list(ctx=ctx, filters=ResourceFilters(**f))]

    assert names() == ["Loan book 2019–2024", "Model registry"]
    assert names(kind="tooling") == ["Model registry"]
    assert names(q="mlflow") == ["Model registry"]
    assert names(ai_system=str(credit.pk)) == ["Loan book 2019–2024"]
    assert names(ai_system="junk") == []


def test_api_crud(org, api, ctx):
    credit = make_ai_system(ctx, name="Credit engine")
    base = f"/api/v1/orgs/{org.slug}/resources"
    r = api.post(base, {**DATA, "ai_systems": [str(credit.pk)]})
    assert r.status_code == 201, r.content
    rid = r.json()["id"]
    assert r.json()["ai_systems"] == [{"id": str(credit.pk), "name": "Credit engine"}]
    assert api.get(base, {"kind": "data"}).json()["count"] == 1
    assert api.get(base, {"ai_system": str(credit.pk)}).json()["count"] == 1
    assert api.get(base, {"kind": "tooling"}).json()["count"] == 0
    r = api.patch(f"{base}/{rid}", {"version": 1, "kind": "data", "data_provenance": ""})
    assert r.status_code == 422 and "data_provenance" in r.json()["errors"]
    r = api.patch(f"{base}/{rid}", {"version": 1, "kind": "tooling", "ai_systems": []})
    assert r.status_code == 200 and r.json()["ai_systems"] == [] and r.json()["version"] == 2
    assert api.patch(f"{base}/{rid}", {"version": 1, "name": "Stale"}).status_code == 409
    r = api.delete(f"{base}/{rid}", {"version": 2})
    assert r.status_code == 204 and r.content == b""
    assert api.get(f"{base}/{rid}").status_code == 404


def test_web_pages(org, members, ctx, web_client_for):
    credit = make_ai_system(ctx, name="Credit engine")
    editor = web_client_for(members["editor"])
    base = f"/o/{org.slug}/ai-systems/resources/"
    body = editor.get(base).content.decode()
    assert "No resources yet" in body and "Add the first resource" in body
    page = editor.get(f"{base}new/?system={credit.pk}").content.decode()
    assert f'value="{credit.pk}" id="id_ai_systems_0" checked' in page
    r = editor.post(f"{base}new/", {**DATA, "contains_personal_data": "on",
                                     "ai_systems": [str(credit.pk)], "owner": ""})
    resource = Resource.objects.for_org(org).get()
    assert r.status_code == 302 and r.url.endswith(f"/resources/{resource.pk}/")
    detail = editor.get(r.url).content.decode()
    assert "Thin-file applicants under-represented" in detail and "Credit engine" in detail
    # The system's page lists its resources in the tab about who and what it relies on.
    system_page = editor.get(f"/o/{org.slug}/ai-systems/{credit.pk}/?tab=people").content.decode()
    assert DATA["name"] in system_page and 'id="resources-h"' in system_page
    assert DATA["name"] not in editor.get(f"/o/{org.slug}/ai-systems/{credit.pk}/").content.decode()
    r = editor.post(f"{base}new/", {**DATA, "name": "Other", "data_provenance": ""})
    assert r.status_code == 422 and "needs its provenance" in r.content.decode()
    r = editor.post(f"{base}{resource.pk}/edit/", {**DATA, "kind": "tooling", "version": 1})
    assert r.status_code == 302
    assert editor.get(f"{base}?kind=data").content.decode().count("No resource matches") == 1
    viewer = web_client_for(members["viewer"])
    assert viewer.get(f"{base}new/").status_code == 403
    assert viewer.post(f"{base}{resource.pk}/delete/", {"version": 2}).status_code == 403
    r = editor.post(f"{base}{resource.pk}/delete/", {"version": 2})
    assert r.status_code == 302 and not Resource.objects.for_org(org).exists()


def test_resources_are_a_record_kind_others_can_link_to(ctx):
    from aims.records.kinds import record_get, resolve

    resource = resource_create(ctx=ctx, data=DATA)
    assert record_get(ctx=ctx, kind="resource", pk=resource.pk) == resource
    linked = resolve(ctx=ctx, refs=[("resource", resource.pk)])[("resource", resource.pk)]
    assert (linked.label, linked.title) == ("Resource", DATA["name"])
    assert linked.url == f"/o/{ctx.org.slug}/ai-systems/resources/{resource.pk}/"
