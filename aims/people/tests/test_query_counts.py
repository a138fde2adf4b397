"""Every people list runs a fixed number of queries however long it is (5 rows, then 40)."""

import datetime
import itertools

import pytest
from django.utils import timezone

from aims.people import services
from aims.testing.factories import add_member, ctx_for, make_ai_system
from aims.testing.queries import SESSION, assert_flat

pytestmark = pytest.mark.django_db

SMALL, MORE = 5, 40
_seq = itertools.count()
TODAY = timezone.localdate()


def _grow(org, owner_ctx, n: int) -> None:
    """n roles, each covering a system and two requirements, held by its own new member who
    has an expired AI-specific record and a general one (so each also shows as a gap)."""
    for _ in range(n):
        i = next(_seq)
        person = add_member(org, "editor", email=f"qc-people-{i}@{org.slug}.example.com")
        system = make_ai_system(owner_ctx, name=f"QC people system {i}")
        role = services.aims_role_create(ctx=owner_ctx, data={
            "name": f"QC role {i}", "responsibilities": "Duties.",
            "requirements": ["9.2", "A.6.2.4"], "ai_systems": [system.pk]})
        services.competence_requirement_create(ctx=owner_ctx, role_id=role.pk, data={
            "title": f"AI skill {i}", "ai_specific": True})
        services.role_assignment_create(ctx=owner_ctx, role_id=role.pk,
                                        data={"member": person.pk})
        member_ctx = ctx_for(org, person)
        services.training_record_create(ctx=member_ctx, data={
            "member": person.pk, "topic": f"Old AI course {i}", "ai_specific": True,
            "completed_on": TODAY - datetime.timedelta(days=500),
            "expires_on": TODAY - datetime.timedelta(days=10)})
        services.training_record_create(ctx=member_ctx, data={
            "member": person.pk, "topic": f"General course {i}", "completed_on": TODAY})


WEB_LISTS = [("roles/", 14), ("", 13), ("training/", 8), ("gaps/", 10),
             ("training/?status=expired&ai_specific=yes", 8), ("roles/?q=QC", 14)]
API_LISTS = [("aims-roles", 9), ("role-assignments", 6), ("training-records", 6),
             ("competence-gaps", 7), ("training-records?status=expired", 6)]


def test_lists(org, members, owner_ctx, web_client_for, api_client_for,
               django_assert_max_num_queries):
    web, api = web_client_for(members["viewer"]), api_client_for(members["viewer"])
    pages = {}
    for path, bound in WEB_LISTS:
        url = f"/o/{org.slug}/people/{path}"
        pages[url] = (lambda url=url: web.get(url), bound + SESSION)
    for path, bound in API_LISTS:
        url = f"/api/v1/orgs/{org.slug}/{path}{'&' if '?' in path else '?'}limit=200"
        pages[url] = (lambda url=url: api.get(url), bound)
    last = assert_flat(pages, lambda n: _grow(org, owner_ctx, n), django_assert_max_num_queries,
                       steps=(SMALL, MORE))
    for url, response in last.items():
        if url.startswith("/api/"):
            assert response.json()["count"] >= SMALL + MORE, url


def test_gap_page_lists_every_gap(org, members, owner_ctx, web_client_for):
    _grow(org, owner_ctx, 3)
    body = web_client_for(members["viewer"]).get(f"/o/{org.slug}/people/gaps/").content.decode()
    assert body.count("training/new/?member=") == 0  # viewers get no add link
    assert body.count("Expired ") == 3


def test_role_sub_lists(org, members, owner_ctx, api_client_for, web_client_for,
                        django_assert_max_num_queries):
    role = services.aims_role_create(ctx=owner_ctx, data={"name": "Busy", "responsibilities": "D"})

    def grow(n):
        for _ in range(n):
            i = next(_seq)
            person = add_member(org, "editor", email=f"qc-holder-{i}@{org.slug}.example.com")
            services.role_assignment_create(ctx=owner_ctx, role_id=role.pk,
                                            data={"member": person.pk})
            services.competence_requirement_create(ctx=owner_ctx, role_id=role.pk,
                                                   data={"title": f"Skill {i}"})

    client = api_client_for(members["viewer"])
    base = f"/api/v1/orgs/{org.slug}/aims-roles/{role.pk}"
    admin = web_client_for(members["admin"])  # sees the edit links and forms too
    pages = {sub: (lambda sub=sub: client.get(f"{base}/{sub}?limit=200"), 9)
             for sub in ("assignments", "competence-requirements")}
    pages["role page"] = (lambda: admin.get(f"/o/{org.slug}/people/roles/{role.pk}/"), 14)
    assert_flat(pages, grow, django_assert_max_num_queries, steps=(SMALL, MORE))
