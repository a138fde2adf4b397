"""Fixtures of the tenancy, role and API-error tests: two organisations full of records."""

from __future__ import annotations

import pytest

# The helpers assert; rewrite them as pytest rewrites test modules, so failures explain themselves.
pytest.register_assert_rewrite("aims.testing.tenancy")

from aims.testing.tenancy import build_world  # noqa: E402


@pytest.fixture
def world_a(org, members):
    """Organisation A ("Acme"), with a member of every role and one record of every kind."""
    return build_world(org, "Acme")


@pytest.fixture
def world_b(other_org):
    """Organisation B ("Globex"), with one record of every kind."""
    return build_world(other_org, "Globex")


@pytest.fixture
def worlds(world_a, world_b):
    """{"A": world_a, "B": world_b}."""
    return {"A": world_a, "B": world_b}


@pytest.fixture
def world(world_a):
    """The one organisation of a single-organisation test: A."""
    return world_a
