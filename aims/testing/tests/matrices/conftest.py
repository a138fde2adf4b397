"""Fixtures of the tenancy, role and API-error matrices: two organisations full of records,
built once per test module.

The worlds take seconds to build and every matrix test only reads them or writes inside its
own transaction, so a module builds them once inside a transaction of its own that is rolled
back when the module ends; each test runs in a savepoint within it (pytest-django's `db`), so
what a test writes is gone before the next one starts. Before each test the world's records are
read again, so a version a test saw change never leaks into the next one.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pytest
from django.db import models

from aims.accounts.models import User
from aims.orgs.models import Organization

# The helpers assert; rewrite them as pytest rewrites test modules, so failures explain themselves.
pytest.register_assert_rewrite("aims.testing.tenancy")

from aims.testing.db import held_transaction  # noqa: E402
from aims.testing.factories import add_every_role, make_org  # noqa: E402
from aims.testing.tenancy import World, build_world  # noqa: E402


@dataclass
class Worlds:
    org: Organization
    other_org: Organization
    members: dict[str, User]
    a: World
    b: World
    # What a module's tests find once and share (each found inside rolled-back savepoints).
    cache: dict[str, Any] = field(default_factory=dict)


@pytest.fixture(scope="module")
def _worlds(django_db_setup, django_db_blocker):
    """Both worlds, in a transaction that lasts the module and is rolled back after it."""
    with held_transaction(django_db_blocker):
        with django_db_blocker.unblock():
            org = make_org("acme", "Acme Lending")
            other = make_org("globex", "Globex Insurance")
            members = add_every_role(org)
            worlds = Worlds(org=org, other_org=other, members=members,
                            a=build_world(org, "Acme"), b=build_world(other, "Globex"))
        yield worlds


def _reread(world: World) -> World:
    """Read the world's records again (a test may have changed them, then been rolled back)."""
    for value in [*vars(world).values(), *world.extra.values()]:
        if isinstance(value, models.Model) and value.pk is not None:
            value.refresh_from_db()
    return world


@pytest.fixture
def org(_worlds, db):
    return _worlds.org


@pytest.fixture
def other_org(_worlds, db):
    return _worlds.other_org


@pytest.fixture
def members(_worlds, db):
    return _worlds.members


@pytest.fixture
def world_a(_worlds, db):
    """Organisation A ("Acme"), with a member of every role and one record of every kind."""
    return _reread(_worlds.a)


@pytest.fixture
def world_b(_worlds, db):
    """Organisation B ("Globex"), with one record of every kind."""
    return _reread(_worlds.b)


@pytest.fixture
def worlds(world_a, world_b):
    """{"A": world_a, "B": world_b}."""
    return {"A": world_a, "B": world_b}


@pytest.fixture
def world(world_a):
    """The one organisation of a single-organisation test: A."""
    return world_a
