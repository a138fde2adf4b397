"""Two organisations full of records, and the live API routes to probe them with, for tests."""

from __future__ import annotations

import functools
import importlib
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.apps import apps
from django.db import connection
from django.db.models import Field
from django.test import Client

from aims.accounts.models import ApiToken, User
from aims.accounts.services import token_create
from aims.activity.models import Event
from aims.compliance.models import ComplianceItem
from aims.compliance.services import compliance_item_update
from aims.context.models import ContextIssue, InterestedParty, ScopeVersion
from aims.context.services import (
    context_issue_create,
    interested_party_create,
    scope_version_create,
)
from aims.core.models import TenantModel
from aims.inventory.models import AISystem
from aims.orgs.models import Membership, Organization
from aims.testing.factories import (
    UserFactory,
    add_member,
    ctx_for,
    make_ai_system,
    signed_in_client,
)

API = "/api/v1"
SOA_REF = "A.5.2"


# --------------------------------------------------------------------------- the two worlds


@dataclass
class World:
    """One organisation with one record of every kind the API addresses by id."""

    org: Organization
    owner: User
    editor: User
    membership: Membership  # the editor's: a member route target that is not the last owner
    system: AISystem
    issue: ContextIssue
    party: InterestedParty
    scope: ScopeVersion
    soa_item: ComplianceItem
    token: ApiToken
    outsider: User  # belongs to no organisation: an e-mail the web forms fill in
    secrets: list[str] = field(default_factory=list)
    extra: dict[str, Any] = field(default_factory=dict)  # records added by app probes

    @property
    def soa_ref(self) -> str:
        """The reference of the requirement behind `soa_item`."""
        return self.soa_item.requirement.ref


def build_world(org: Organization, tag: str) -> World:
    """Give `org` one record of every kind, named with `tag` so leaks are easy to spot."""
    owner = Membership.objects.get(org=org, role="owner").user
    editor = add_member(org, "editor", email=f"{tag.lower()}-editor@{org.slug}.example.com")
    ctx = ctx_for(org, owner)
    system = make_ai_system(ctx, name=f"{tag} Claims Triage Model", owner=editor.pk,
                            description=f"{tag} confidential model card")
    issue = context_issue_create(ctx=ctx, data={
        "kind": "external", "title": f"{tag} reinsurance treaty renewal",
        "description": f"{tag} private board discussion"})
    party = interested_party_create(ctx=ctx, data={
        "name": f"{tag} Reinsurers Guild", "needs": f"{tag} needs quarterly model reports"})
    scope = scope_version_create(ctx=ctx, data={"statement": f"{tag} scope covers motor claims"},
                                 based_on=None)
    item = compliance_item_update(ctx=ctx, ref=SOA_REF, version=1, data={
        "owner": editor.pk, "notes": f"{tag} policy lives in the vault"})
    token, _ = token_create(user=owner, name=f"{tag} laptop")
    outsider = UserFactory.create(email=f"{tag.lower()}-outsider@example.org")
    membership = Membership.objects.get(org=org, user=editor)
    secrets = [
        org.name, system.name, system.description, issue.title, issue.description, party.name,
        party.needs, scope.statement, item.notes, owner.email, editor.email, token.name,
        *(str(x) for x in (system.pk, issue.pk, party.pk, membership.pk, owner.pk, editor.pk,
                           token.pk, item.pk, scope.pk)),
    ]
    world = World(org=org, owner=owner, editor=editor, membership=membership, system=system,
                  issue=issue, party=party, scope=scope, soa_item=item, token=token,
                  outsider=outsider, secrets=secrets)
    for probe in PROBES:
        probe.build(world, ctx, tag)  # adds to world.extra and world.secrets
    return world


def org_state(org: Organization) -> dict[str, Any]:
    """Everything a write to `org` could touch, in a form that compares with ==."""
    state: dict[str, Any] = {label: [] for label, _ in _tenant_tables()}
    with connection.cursor() as cursor:
        org_id = Organization._meta.pk.get_db_prep_value(org.pk, connection)
        cursor.execute(_tenant_rows_sql(), [org_id] * len(_tenant_tables()))
        for label, pk, version, updated_at in cursor.fetchall():
            state[label].append((pk, version, updated_at))
    for rows in state.values():
        rows.sort()
    state["memberships"] = sorted(
        Membership.objects.filter(org=org).values_list("pk", "user_id", "role", "version"))
    state["org"] = list(Organization.objects.filter(pk=org.pk).values_list(
        "slug", "name", "log_head_seq", "log_head_hash"))
    state["events"] = sorted(Event.objects.filter(org=org).values_list("seq", "hash"))
    member_ids = Membership.objects.filter(org=org).values_list("user_id", flat=True)
    state["tokens"] = sorted(ApiToken.objects.filter(user_id__in=member_ids)
                             .values_list("pk", "revoked_at"))
    return state


@functools.cache
def _tenant_tables() -> tuple[tuple[str, type[TenantModel]], ...]:
    """(label, model) of every organisation-owned model."""
    return tuple((model._meta.label, model) for model in apps.get_models()
                 if issubclass(model, TenantModel))


@functools.cache
def _tenant_rows_sql() -> str:
    """One query for the (pk, version, updated_at) of every organisation-owned row: the
    state is read before and after every call of the matrices, and a query per model made
    that most of their time. Values are read as text, so every table fits one UNION."""
    q = connection.ops.quote_name

    def column(model: type[TenantModel], name: str) -> str:
        field = model._meta.get_field(name)
        assert isinstance(field, Field) and field.column
        return q(field.column)

    return " UNION ALL ".join(
        f"SELECT '{label}', CAST({q(model._meta.pk.column)} AS TEXT), "
        f"{column(model, 'version')}, CAST({column(model, 'updated_at')} AS TEXT) "
        f"FROM {q(model._meta.db_table)} WHERE {column(model, 'org')} = %s"
        for label, model in _tenant_tables())


# --------------------------------------------------------------------------- the live routes


@dataclass(frozen=True)
class Op:
    """One operation of the live API, as its OpenAPI document describes it."""

    method: str
    path: str  # as in the schema, e.g. /api/v1/orgs/{slug}/ai-systems/{system_id}
    path_params: tuple[str, ...]
    required_query: tuple[str, ...]
    has_body: bool

    @property
    def route(self) -> str:
        """The path without the API prefix, as the tables below name it."""
        return self.path.removeprefix(API)

    @property
    def key(self) -> tuple[str, str]:
        """(method, route): how BODIES names this operation."""
        return (self.method, self.route)

    def __str__(self) -> str:
        return f"{self.method} {self.path}"


def api_operations() -> list[Op]:
    """Every operation the running API serves, read from its own OpenAPI document."""
    response = Client().get(f"{API}/openapi.json")
    assert response.status_code == 200, response.content[:300]
    ops = []
    for path, methods in response.json()["paths"].items():
        for method, spec in methods.items():
            params = spec.get("parameters", [])
            ops.append(Op(
                method=method.upper(), path=path,
                path_params=tuple(re.findall(r"{(\w+)}", path)),
                required_query=tuple(p["name"] for p in params
                                     if p["in"] == "query" and p.get("required")),
                has_body="requestBody" in spec,
            ))
    assert ops, "the OpenAPI document lists no operations"
    return ops


def slug_operations() -> list[Op]:
    """The live operations that act inside one organisation (their path holds `{slug}`)."""
    return [op for op in api_operations() if "slug" in op.path_params]


# How to fill each path parameter from a World. The uuid-valued ones are unique to their
# organisation; `ref` and `number` name the same thing in every organisation.
PATH_PARAMS: dict[str, Callable[[World], Any]] = {
    "system_id": lambda w: w.system.pk,
    "issue_id": lambda w: w.issue.pk,
    "party_id": lambda w: w.party.pk,
    "member_id": lambda w: w.membership.pk,
    "ref": lambda w: w.soa_ref,
    "number": lambda w: w.scope.number,
    "token_id": lambda w: w.token.pk,
    "code": lambda w: "iso42001",
}
ORG_UNIQUE_PARAMS = {"system_id", "issue_id", "party_id", "member_id", "token_id"}

# The record whose version a write must quote, by the path parameter that names it.
VERSIONED_BY: dict[str, Callable[[World], int]] = {
    "system_id": lambda w: w.system.version,
    "issue_id": lambda w: w.issue.version,
    "party_id": lambda w: w.party.version,
    "member_id": lambda w: w.membership.version,
    "ref": lambda w: w.soa_item.version,
}


# Path parameters an operation fills differently from PATH_PARAMS, by (method, route): a
# route that acts on a record in another state (approving needs an assessment in review, while
# editing needs a draft) names the record it needs. Probes add to it.
ROUTE_PARAMS: dict[tuple[str, str], dict[str, Callable[[World], Any]]] = {}


def param_value(op: Op, name: str, w: World) -> Any:
    """The value of path parameter `name` of `op` in world `w`."""
    return ROUTE_PARAMS.get(op.key, {}).get(name, PATH_PARAMS[name])(w)


def version_of(op: Op, w: World) -> int:
    """The version a write to `op` must quote: that of the last record its path names."""
    named = [p for p in op.path_params if p in VERSIONED_BY]
    assert named, f"{op}: cannot tell which record's version to send"
    return VERSIONED_BY[named[-1]](w)


QUERY_PARAMS: dict[str, Callable[[Op, World], Any]] = {
    "version": version_of,
}

# A valid body per operation: (world of the slug, world of the ids) → JSON. Valid means the
# call succeeds when made by the right person (test_tenancy_api.test_positive_control proves
# it), so a 404 in the isolation tests is the tenancy check answering, not body validation.
BODIES: dict[tuple[str, str], Callable[[World, World], dict]] = {
    ("POST", "/me/tokens"): lambda s, i: {"name": "probe"},
    ("POST", "/orgs"): lambda s, i: {"slug": f"probe-{s.org.slug}", "name": "Probe org"},
    ("PATCH", "/orgs/{slug}/members/{member_id}"):
        lambda s, i: {"role": "viewer", "version": i.membership.version},
    ("POST", "/orgs/{slug}/ai-systems"): lambda s, i: {
        "name": "Probe system", "intended_purpose": "Checks tenancy of the API.",
        "roles": ["deployer"], "owner": str(s.editor.pk)},
    ("PATCH", "/orgs/{slug}/ai-systems/{system_id}"):
        lambda s, i: {"version": i.system.version, "name": "Renamed by probe"},
    ("PATCH", "/orgs/{slug}/soa/{ref}"): lambda s, i: {
        "version": i.soa_item.version, "notes": "Changed by probe", "owner": str(s.editor.pk)},
    ("POST", "/orgs/{slug}/scope"):
        lambda s, i: {"based_on": s.scope.number, "statement": "Probe scope statement."},
    ("POST", "/orgs/{slug}/issues"): lambda s, i: {"kind": "internal", "title": "Probe issue"},
    ("PATCH", "/orgs/{slug}/issues/{issue_id}"):
        lambda s, i: {"version": i.issue.version, "title": "Probe renamed issue"},
    ("POST", "/orgs/{slug}/interested-parties"):
        lambda s, i: {"name": "Probe party", "needs": "Probe needs."},
    ("PATCH", "/orgs/{slug}/interested-parties/{party_id}"):
        lambda s, i: {"version": i.party.version, "name": "Probe renamed party"},
}


class Multipart(dict):
    """A body a BODIES entry sends as multipart/form-data instead of JSON (an upload): values
    may be files (e.g. SimpleUploadedFile). `call` sends it as a browser would."""


# Apps added later describe their own records and routes in `aims/<app>/tests/probe.py`:
#   build(world, ctx, tag)  – create one record of each kind in world.extra, add its
#                             identifying strings to world.secrets
#   PATH_PARAMS, ORG_UNIQUE_PARAMS, VERSIONED_BY, BODIES – merged into the tables above
#                 (a BODIES entry returning `Multipart({...})` is sent as multipart/form-data,
#                 for upload routes; file values such as SimpleUploadedFile become file parts)
#   ROUTE_PARAMS ({(method, route): {path parameter: world → value}}) – merged likewise
#   WRITE_PERMS ({first path segment after the slug: permission}) – for the role matrix
#   ROUTE_PERMS ({(method, route): permission}) – for routes that need another permission
#                 than the rest of their segment (approving, say)
#   MULTI_EVENT_ROUTES ({(method, route)}) – writes that log more than one event
#   WEB_PARAMS ({web URL kwarg: world → value}) – for the web isolation tests
#   AUDITOR_WEB_WRITES ({"app:url_name"}) – web writes the auditor role may make (audit
#                 work, raising findings); every other write view must refuse auditors
# so the isolation, role and error matrices cover every route without editing this file.
PROBE_WRITE_PERMS: dict[str, str] = {}
PROBE_ROUTE_PERMS: dict[tuple[str, str], str] = {}
PROBE_MULTI_EVENT_ROUTES: set[tuple[str, str]] = set()
PROBE_WEB_PARAMS: dict[str, Callable[[World], Any]] = {}
PROBE_AUDITOR_WEB_WRITES: set[str] = set()
PROBE_PUBLIC_WEB: set[str] = set()  # web pages anybody may open signed out


def _load_probes() -> list[Any]:
    found = []
    for config in apps.get_app_configs():
        if not config.name.startswith("aims."):
            continue
        try:
            module = importlib.import_module(f"{config.name}.tests.probe")
        except ModuleNotFoundError as exc:
            if exc.name not in (f"{config.name}.tests", f"{config.name}.tests.probe"):
                raise
            continue
        PATH_PARAMS.update(getattr(module, "PATH_PARAMS", {}))
        ORG_UNIQUE_PARAMS.update(getattr(module, "ORG_UNIQUE_PARAMS", set()))
        VERSIONED_BY.update(getattr(module, "VERSIONED_BY", {}))
        BODIES.update(getattr(module, "BODIES", {}))
        ROUTE_PARAMS.update(getattr(module, "ROUTE_PARAMS", {}))
        PROBE_WRITE_PERMS.update(getattr(module, "WRITE_PERMS", {}))
        PROBE_ROUTE_PERMS.update(getattr(module, "ROUTE_PERMS", {}))
        PROBE_MULTI_EVENT_ROUTES.update(getattr(module, "MULTI_EVENT_ROUTES", set()))
        PROBE_WEB_PARAMS.update(getattr(module, "WEB_PARAMS", {}))
        PROBE_AUDITOR_WEB_WRITES.update(getattr(module, "AUDITOR_WEB_WRITES", set()))
        PROBE_PUBLIC_WEB.update(getattr(module, "PUBLIC_WEB", set()))
        found.append(module)
    return found


PROBES = _load_probes()


def unmapped(op: Op) -> list[str]:
    """What the tables here cannot fill for `op` (empty when the op is fully covered)."""
    missing = [f"path parameter {p!r}" for p in op.path_params
               if p != "slug" and p not in PATH_PARAMS]
    missing += [f"required query parameter {q!r}" for q in op.required_query
                if q not in QUERY_PARAMS]
    if op.has_body and op.key not in BODIES:
        missing.append("a request body (add it to BODIES)")
    return missing


def fill(op: Op, *, slug_world: World, id_world: World, slug: str | None = None):
    """(url, body) for `op`: the slug of one world, ids and versions of another."""
    assert not unmapped(op), f"{op}: {unmapped(op)}"
    values = {p: param_value(op, p, id_world) for p in op.path_params if p != "slug"}
    values["slug"] = slug if slug is not None else slug_world.org.slug
    url = re.sub(r"{(\w+)}", lambda m: str(values[m.group(1)]), op.path)
    query = {q: QUERY_PARAMS[q](op, id_world) for q in op.required_query}
    if query:
        url += "?" + "&".join(f"{k}={v}" for k, v in query.items())
    body = BODIES[op.key](slug_world, id_world) if op.has_body else None
    return url, body


def call(client, op: Op, url: str, body: dict | None):
    """Send `op` through an ApiClient (token) or a plain django Client (no credentials)."""
    method = op.method.lower()
    if isinstance(body, Multipart):  # Django's test client encodes a dict as multipart
        if hasattr(client, "client"):
            return getattr(client.client, method)(url, data=dict(body), **client.headers)
        return getattr(client, method)(url, data=dict(body))
    if hasattr(client, "client"):  # the ApiClient of conftest wraps a django Client
        if method == "delete":
            return client.client.delete(url, **client.headers)
        return getattr(client, method)(url, body)
    if body is not None:
        return getattr(client, method)(url, data=body, content_type="application/json")
    return getattr(client, method)(url)


def assert_no_secrets(response, world: World, where: str) -> None:
    """Fail, quoting the body, if `response` names anything of `world`'s."""
    body = (b"".join(response.streaming_content) if response.streaming  # a file download
            else response.content)
    text = body.decode(errors="replace")
    leaked = [s for s in world.secrets if s and s in text]
    assert not leaked, f"{where} leaks {leaked}: {text[:300]}"


def signed_in(user) -> Client:
    """Django's test client with a session signed in as `user` (password just confirmed)."""
    return signed_in_client(user)
