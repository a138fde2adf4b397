"""Every suppliers list runs a fixed number of queries however long it is (5 rows, then 40)."""

import datetime
import itertools

import pytest

from aims.suppliers import services
from aims.suppliers.models import Supplier
from aims.suppliers.tests.conftest import SUPPLIER, all_answers
from aims.testing.factories import add_member, ctx_for, make_ai_system
from aims.testing.queries import SESSION, assert_flat

pytestmark = pytest.mark.django_db

SMALL, MORE = 5, 40
_seq = itertools.count()


def _grow_suppliers(org, n: int) -> None:
    """Parties with different owners and systems, each with an answered concern, so a missing
    join or prefetch shows up as extra queries."""
    for _ in range(n):
        i = next(_seq)
        person = add_member(org, "editor", email=f"qc-sup-{i}@{org.slug}.example.com")
        ctx = ctx_for(org, person)
        system = make_ai_system(ctx, name=f"QC supplier system {i}")
        s = services.supplier_create(ctx=ctx, data={
            **SUPPLIER, "name": f"Supplier {i}", "owner": person.pk, "ai_systems": [system.pk]})
        services.due_diligence_answer(ctx=ctx, supplier_id=s.pk, item="evaluation", version=0,
                                      data={"status": "concern", "notes": "Missing."})


def _grow_reviews(org, supplier, n: int) -> None:
    for _ in range(n):
        i = next(_seq)
        person = add_member(org, "editor", email=f"qc-rev-{i}@{org.slug}.example.com")
        ctx = ctx_for(org, person)
        version = Supplier.objects.for_org(org).get(pk=supplier.pk).version
        services.supplier_review_create(
            ctx=ctx, supplier_id=supplier.pk, version=version,
            data={"reviewed_on": datetime.date(2020, 1, 1) + datetime.timedelta(days=i),
                  "rating": "low", "summary": f"Review {i}."})
        services.responsibility_create(ctx=ctx, supplier_id=supplier.pk, data={
            "topic": "other", "activity": f"Activity {i}", "responsible": "us"})


def test_lists(org, members, web_client_for, api_client_for, django_assert_max_num_queries):
    web, api = web_client_for(members["viewer"]), api_client_for(members["viewer"])
    filters = {"review": "never", "kind": "supplier", "q": "Supplier"}
    pages = {
        "list page": (lambda: web.get(f"/o/{org.slug}/suppliers/"), 9 + SESSION),
        "list page filtered": (lambda: web.get(f"/o/{org.slug}/suppliers/", filters),
                               9 + SESSION),
        "list api": (lambda: api.get(f"/api/v1/orgs/{org.slug}/suppliers", {"limit": 100}), 6),
    }
    last = assert_flat(pages, lambda n: _grow_suppliers(org, n), django_assert_max_num_queries,
                       steps=(SMALL, MORE))
    assert last["list page"].content.decode().count("1 concern open") == SMALL + MORE
    assert last["list api"].json()["count"] == SMALL + MORE


def test_detail_page_and_sub_lists(org, members, ctx, web_client_for, api_client_for,
                                   django_assert_max_num_queries):
    supplier = services.supplier_create(ctx=ctx, data={**SUPPLIER, "owner": ctx.user.pk})
    services.due_diligence_update(ctx=ctx, supplier_id=supplier.pk, answers=all_answers())
    web = web_client_for(members["viewer"])
    client = api_client_for(members["viewer"])
    base = f"/api/v1/orgs/{org.slug}/suppliers/{supplier.pk}"
    pages = {
        f"{tab} tab": (lambda tab=tab: web.get(f"/o/{org.slug}/suppliers/{supplier.pk}/?tab={tab}"), 20)
        for tab in ("overview", "reviews", "responsibilities", "evidence", "tasks", "history")}
    pages.update({
        f"api {path}": (lambda path=path: client.get(f"{base}/{path}", {"limit": 500}), 6)
        for path in ("reviews", "responsibilities", "due-diligence")})
    assert_flat(pages, lambda n: _grow_reviews(org, supplier, n), django_assert_max_num_queries,
                steps=(SMALL, MORE))


def test_system_panel(org, members, ctx, django_assert_max_num_queries):
    from django.template import Context, Template

    from aims.orgs.context import Ctx

    system = make_ai_system(ctx, name="Shared system")
    viewer = Ctx(org=org, user=members["viewer"], role="viewer", actor_label="v")
    template = Template("{% load suppliers_panels %}{% supplier_panel system %}")

    def grow(n):
        for _ in range(n):
            i = next(_seq)
            person = add_member(org, "editor", email=f"qc-panel-{i}@{org.slug}.example.com")
            services.supplier_create(ctx=ctx_for(org, person), data={
                **SUPPLIER, "name": f"Panel supplier {i}", "owner": person.pk,
                "ai_systems": [system.pk]})

    counts = []
    for n in (SMALL, MORE):
        grow(n)
        with django_assert_max_num_queries(2) as captured:
            template.render(Context({"ctx": viewer, "system": system}))
        counts.append(len(captured))
    assert counts[0] == counts[1]
