"""factory-boy factories for tests and benchmarks: real rows through real services."""

from __future__ import annotations

import itertools
from typing import Any

import factory

from aims.accounts.models import User
from aims.inventory.models import AISystem
from aims.inventory.services import ai_system_create
from aims.members.services import org_create
from aims.orgs.context import Ctx
from aims.orgs.models import Membership, Organization
from aims.orgs.permissions import Role

# Every user the factory makes signs in with this password.
PASSWORD = "correct-horse-battery"


class UserFactory(factory.django.DjangoModelFactory[User]):
    class Meta:
        model = User
        django_get_or_create = ("email",)
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"user{n}@example.com")
    full_name = factory.Faker("name")
    password = factory.django.Password(PASSWORD)


def make_org(slug: str = "acme", name: str | None = None, owner: User | None = None
             ) -> Organization:
    """An organisation created by the real service (so it gets its compliance items)."""
    owner = owner or UserFactory.create(email=f"owner@{slug}.example.com")
    return org_create(slug=slug, name=name or slug.title(), owner=owner)


def add_member(org: Organization, role: str, email: str | None = None) -> User:
    """A user with `role` in `org`."""
    user = UserFactory.create(email=email or f"{role}@{org.slug}.example.com")
    if not Membership.objects.filter(org=org, user=user).exists():
        Membership.objects.create(org=org, user=user, role=role)
    return user


def add_every_role(org: Organization) -> dict[str, User]:
    """{role: user} for every role in `org`: its owner (who created it) and a new member of
    each other role."""
    owner = Membership.objects.get(org=org, role="owner").user
    return {"owner": owner, **{r: add_member(org, r) for r in ALL_ROLES if r != "owner"}}


def ctx_for(org: Organization, user: User, role: str | None = None) -> Ctx:
    """A context as the request path would build it."""
    role = role or Membership.objects.get(org=org, user=user).role
    return Ctx(org=org, user=user, role=role, actor_label=user.email)


AI_SYSTEM_DEFAULTS = {
    "intended_purpose": "Scores loan applications to support a human credit officer.",
    "roles": ["developer", "deployer"],
    "lifecycle_stage": "deployed",
    "eu_risk_class": "high",
}


_system_numbers = itertools.count(1)


def make_ai_system(ctx: Ctx, **overrides: Any) -> AISystem:
    """An AI system created through the service (so it is logged)."""
    n = next(_system_numbers)
    data = {"name": f"System {n}", **AI_SYSTEM_DEFAULTS, **overrides}
    if data.get("eu_risk_class") not in (None, "unassessed"):  # a class set by hand
        data.setdefault("eu_class_override_reason", "Set by the test data.")
    return ai_system_create(ctx=ctx, data=data, as_history=True)


ALL_ROLES = [r.value for r in Role]


def signed_in_client(user: User):
    """Django's test client signed in as `user`, who has just confirmed their password (as
    after allauth's "confirm access" page), so sensitive actions go through."""
    from allauth.account.internal.flows.login import record_authentication
    from django.test import Client, RequestFactory

    client = Client()
    client.force_login(user)
    request = RequestFactory().get("/")
    request.session = client.session
    request.user = user
    record_authentication(request, user, method="password", reauthenticated=True)
    request.session.save()
    return client
