from __future__ import annotations

import datetime

import pytest
from django.template import Context, Template
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone

from aims.improvement import selectors, services
from aims.improvement.models import Improvement, Incident, Nonconformity
from aims.improvement.tests.conftest import incident_data, reload
from aims.testing.factories import add_member, make_ai_system
from aims.testing.queries import assert_flat

pytestmark = pytest.mark.django_db


def url(name, org, *args, query=""):
    return reverse(f"improvement:{name}", args=[org.slug, *args]) + query


def test_register_page_shows_ageing_filters_and_exports(org, members, web_client_for, builder):
    nc = builder.raise_(raised_on=timezone.localdate() - datetime.timedelta(days=40),
                        requirement="9.2")
    builder.action(nc, due=timezone.localdate() - datetime.timedelta(days=1))
    client = web_client_for(members["viewer"])
    page = client.get(url("nc_list", org)).content.decode()
    assert nc.ref in page and "Action planned" in page and "31–90 days" in page
    assert "1 overdue" in page and "Raise a nonconformity" not in page
    assert url("nc_export", org, "xlsx") in page
    assert nc.ref not in client.get(url("nc_list", org, query="?status=closed")).content.decode()
    overdue = client.get(url("nc_overdue", org)).content.decode()
    assert nc.ref in overdue and "Name a reviewer" in overdue
    r = client.get(url("nc_export", org, "csv"))
    assert r.status_code == 200 and r["Content-Type"].startswith("text/csv")
    assert client.get(url("nc_export", org, "pdf")).status_code == 302


def test_raise_from_an_origin_prefills_and_links(org, members, web_client_for, ctx):
    incident = services.incident_create(ctx=ctx, data=incident_data(severity="high"))
    client = web_client_for(members["auditor"])
    query = f"?origin_kind=incident&origin_id={incident.pk}"
    page = client.get(url("nc_create", org, query=query)).content.decode()
    assert incident.description in page and "Raised from incident" in page
    r = client.post(url("nc_create", org, query=query), {
        "title": "Bias in young applicants", "source": "incident", "severity": "major",
        "raised_on": timezone.localdate().isoformat(), "description": incident.description,
        "origin_kind": "incident", "origin_id": str(incident.pk)})
    assert r.status_code == 302, r.content.decode()[:2000]
    nc = Nonconformity.objects.for_org(org).get()
    assert (nc.subject_kind, nc.subject_id) == ("incident", incident.pk)
    assert Incident.objects.for_org(org).get().nonconformity == nc
    # A record of another organisation, or nonsense, is not found.
    assert client.get(url("nc_create", org, query="?origin_kind=incident&origin_id=x")
                      ).status_code == 404


def test_nc_page_offers_what_each_role_may_do(org, members, web_client_for, builder):
    nc = builder.analyse(builder.raise_())
    task = builder.action(nc)
    detail = url("nc_detail", org, nc.pk)  # the overview: closing and improvement
    actions = url("nc_detail", org, nc.pk, query="?tab=actions")

    def pages(role):
        c = web_client_for(members[role])
        return (c.get(detail).content.decode() + c.get(actions).content.decode())

    editor = pages("editor")
    assert "Plan a corrective action" in editor and f"Mark {task.ref} done" in editor
    assert f"Close {nc.ref}" not in editor
    auditor = pages("auditor")
    assert "Plan a corrective action" not in auditor and f"Mark {task.ref} done" not in auditor
    assert f"Close {nc.ref}" in auditor and "Record improvement opportunity" in auditor
    viewer = pages("viewer")
    assert "Close" not in viewer and "Record improvement opportunity" not in viewer
    assert web_client_for(members["viewer"]).post(url("nc_create", org), {}).status_code == 403
    assert web_client_for(members["auditor"]).post(
        url("nc_action_add", org, nc.pk), {"title": "x"}).status_code == 403


def test_web_flow_action_verify_close(org, members, web_client_for, builder):
    nc = builder.analyse(builder.raise_())
    editor, auditor = web_client_for(members["editor"]), web_client_for(members["auditor"])
    r = editor.post(url("nc_action_add", org, nc.pk), {"title": "Fix", "priority": "normal"})
    assert r.status_code == 422
    r = editor.post(url("nc_action_add", org, nc.pk), {
        "title": "Fix the gate", "owner": str(members["editor"].pk), "priority": "normal",
        "due_date": timezone.localdate().isoformat()})
    assert r.status_code == 302
    from aims.improvement.selectors import action_list
    task = action_list(ctx=builder.ctx, nc=nc)[0]
    r = auditor.post(url("nc_close", org, nc.pk), {"version": reload(nc).version})
    assert r.status_code == 422 and "still open" in r.content.decode()
    r = editor.post(url("nc_action_complete", org, nc.pk, task.pk),
                    {"version": task.version, "note": "Done"})
    assert r.status_code == 302
    r = auditor.post(url("nc_verify", org, nc.pk), {
        "version": reload(nc).version, "result": "effective",
        "verified_on": timezone.localdate().isoformat(), "notes": "Checked."})
    assert r.status_code == 302, r.content.decode()[:3000]
    r = auditor.post(url("nc_close", org, nc.pk), {"version": reload(nc).version})
    assert r.status_code == 302
    assert reload(nc).closed_at is not None
    page = auditor.get(url("nc_detail", org, nc.pk)).content.decode()
    assert "Closed on" in page


def test_incident_pages(org, members, web_client_for, ctx):
    system = make_ai_system(ctx, name="Credit scoring model")
    client = web_client_for(members["editor"])
    now = timezone.localtime().replace(second=0, microsecond=0)
    r = client.post(url("incident_create", org), {
        "title": "Drift on scorecard", "incident_type": "drift", "severity": "high",
        "occurred_at": (now - datetime.timedelta(hours=5)).strftime("%Y-%m-%dT%H:%M"),
        "detected_at": (now - datetime.timedelta(hours=6)).strftime("%Y-%m-%dT%H:%M"),
        "description": "PSI above 0.25.", "status": "open", "ai_systems": [str(system.pk)]})
    assert r.status_code == 422 and "detected before it occurred" in r.content.decode()
    r = client.post(url("incident_create", org), {
        "title": "Drift on scorecard", "incident_type": "drift", "severity": "high",
        "occurred_at": (now - datetime.timedelta(hours=6)).strftime("%Y-%m-%dT%H:%M"),
        "detected_at": (now - datetime.timedelta(hours=5)).strftime("%Y-%m-%dT%H:%M"),
        "description": "PSI above 0.25.", "status": "open", "ai_systems": [str(system.pk)]})
    assert r.status_code == 302
    incident = Incident.objects.for_org(org).get()
    page = client.get(url("incident_detail", org, incident.pk)).content.decode()
    assert "Raise nonconformity" in page and "Credit scoring model" in page
    r = client.post(url("incident_raise_nc", org, incident.pk))
    assert r.status_code == 302
    assert Incident.objects.for_org(org).get().nonconformity is not None
    listing = client.get(url("incidents", org)).content.decode()
    assert incident.ref in listing and "NC-001" in listing
    # The AI system's panel.
    tpl = Template("{% load improvement_tags %}{% incident_panel system %}")
    request = RequestFactory().get("/")
    from aims.testing.factories import ctx_for
    html = tpl.render(Context({"ctx": ctx_for(org, members["viewer"]), "system": system,
                               "request": request}))
    assert incident.ref in html and "Record an incident" not in html


def test_raise_actions_tag(org, members, ctx, builder, django_assert_max_num_queries):
    from aims.testing.factories import ctx_for

    incidents = [services.incident_create(ctx=ctx, data=incident_data(title=f"I{i}"))
                 for i in range(3)]
    nc = services.nonconformity_create(ctx=ctx, data={}, origin=incidents[0])
    idea = services.improvement_create(ctx=ctx, data={}, origin=incidents[0])
    tpl = Template("{% load improvement_tags %}{% for i in items %}{% raise_actions i %}"
                   "{% endfor %}")
    request = RequestFactory().get("/")
    with django_assert_max_num_queries(4):
        html = tpl.render(Context({"ctx": ctx_for(org, members["auditor"]), "items": incidents,
                                   "request": request}))
    assert nc.ref in html and idea.ref in html
    assert html.count("Raise nonconformity") == 3
    assert html.count("Record improvement opportunity") == 3
    assert "origin_kind=incident" in html
    html = tpl.render(Context({"ctx": ctx_for(org, members["viewer"]), "items": incidents,
                               "request": RequestFactory().get("/")}))
    assert "Raise nonconformity" not in html and nc.ref in html


def test_improvement_pages(org, members, web_client_for, builder):
    nc = builder.raise_()
    client = web_client_for(members["auditor"])
    query = f"?origin_kind=nonconformity&origin_id={nc.pk}"
    page = client.get(url("improvement_create", org, query=query)).content.decode()
    assert nc.title in page
    r = client.post(url("improvement_create", org, query=query), {
        "title": "Review overrides automatically", "source": "nonconformity",
        "status": "proposed", "origin_kind": "nonconformity", "origin_id": str(nc.pk)})
    assert r.status_code == 302
    item = Improvement.objects.for_org(org).get()
    assert item.subject_id == nc.pk
    listing = client.get(url("improvements", org)).content.decode()
    assert item.ref in listing and nc.ref in listing
    assert client.get(url("improvement_edit", org, item.pk)).status_code == 403


PAGES = ["nc_list", "nc_overdue", "incidents", "improvements"]


@pytest.mark.parametrize("page", PAGES)
def test_list_pages_query_count(org, members, ctx, builder, web_client_for,
                                django_assert_max_num_queries, page):
    client = web_client_for(members["editor"])
    seq = iter(range(1000))

    def grow(n):
        for _ in range(n):
            i = next(seq)
            owner = add_member(org, "editor", email=f"w{page}{i}@{org.slug}.example.com")
            system = make_ai_system(ctx, name=f"Page system {page} {i}")
            incident = services.incident_create(ctx=ctx, data=incident_data(
                owner=owner.pk, ai_systems=[system.pk]))
            nc = services.nonconformity_create(ctx=ctx, data={"owner": owner.pk,
                                                              "requirement": "9.2"},
                                               origin=incident)
            builder.action(nc, due=timezone.localdate() - datetime.timedelta(days=2))
            services.improvement_create(ctx=ctx, data={"owner": owner.pk}, origin=nc)
    grow(5)
    with django_assert_max_num_queries(20):
        assert client.get(url(page, org)).status_code == 200
    grow(35)
    with django_assert_max_num_queries(20):
        assert client.get(url(page, org)).status_code == 200


def test_nonconformity_tabs_query_count(org, members, builder, web_client_for,
                                        django_assert_max_num_queries):
    """Each tab of a nonconformity's page costs the same however many corrective actions it has
    (the actions also fill its history)."""
    nc = builder.analyse(builder.raise_())
    client = web_client_for(members["editor"])

    def grow(n):
        target = len(selectors.action_list(ctx=builder.ctx, nc=nc)) + n
        while len(selectors.action_list(ctx=builder.ctx, nc=nc)) < target:
            builder.action(nc, due=timezone.localdate() - datetime.timedelta(days=2))

    pages = {tab: (lambda tab=tab: client.get(url("nc_detail", org, nc.pk, query=f"?tab={tab}")),
                   20) for tab in ("overview", "actions", "evidence", "history")}
    assert_flat(pages, grow, django_assert_max_num_queries, steps=(5, 35))
