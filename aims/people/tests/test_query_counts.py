"""Every people list runs a fixed number of queries however long it is (5 rows, then 40)."""

import datetime
import itertools

import pytest
from django.utils import timezone

from aims.people import services
from aims.testing.factories import add_member, ctx_for, make_ai_system
from aims.testing.queries import SESSION

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


def _same_bound(fetch, grow, bound, django_assert_max_num_queries):
    counts = []
    for n in (SMALL, MORE):
        grow(n)
        assert fetch().status_code == 200  # warm-up: token last-use, session
        with django_assert_max_num_queries(bound) as captured:
            response = fetch()
        assert response.status_code == 200
        counts.append(len(captured))
    assert counts[0] == counts[1], counts
    return response


@pytest.mark.parametrize("path,bound", [
    ("roles/", 14), ("", 13), ("training/", 8), ("gaps/", 10),
    ("training/?status=expired&ai_specific=yes", 8), ("roles/?q=QC", 14),
])
def test_web_lists(org, members, owner_ctx, web_client_for, django_assert_max_num_queries,
                   path, bound):
    c = web_client_for(members["viewer"])
    _same_bound(lambda: c.get(f"/o/{org.slug}/people/{path}"),
                lambda n: _grow(org, owner_ctx, n), bound + SESSION,
                django_assert_max_num_queries)


def test_gap_page_lists_every_gap(org, members, owner_ctx, web_client_for):
    _grow(org, owner_ctx, 3)
    body = web_client_for(members["viewer"]).get(f"/o/{org.slug}/people/gaps/").content.decode()
    assert body.count("training/new/?member=") == 0  # viewers get no add link
    assert body.count("Expired ") == 3


@pytest.mark.parametrize("path,bound", [
    ("aims-roles", 9), ("role-assignments", 6), ("training-records", 6),
    ("competence-gaps", 7), ("training-records?status=expired", 6),
])
def test_api_lists(org, members, owner_ctx, api_client_for, django_assert_max_num_queries,
                   path, bound):
    client = api_client_for(members["viewer"])
    sep = "&" if "?" in path else "?"
    response = _same_bound(lambda: client.get(f"/api/v1/orgs/{org.slug}/{path}{sep}limit=200"),
                           lambda n: _grow(org, owner_ctx, n), bound,
                           django_assert_max_num_queries)
    assert response.json()["count"] >= SMALL + MORE


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
    for sub in ("assignments", "competence-requirements"):
        _same_bound(lambda sub=sub: client.get(f"{base}/{sub}?limit=200"), grow, 9,
                    django_assert_max_num_queries)
    admin = web_client_for(members["admin"])  # sees the edit links and forms too
    _same_bound(lambda: admin.get(f"/o/{org.slug}/people/roles/{role.pk}/"), grow, 14,
                django_assert_max_num_queries)
