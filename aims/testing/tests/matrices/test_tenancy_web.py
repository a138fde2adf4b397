"""Tenant isolation and write permissions of the web UI, over every URL pattern it has.

The URL list is read from aims.web_urls, so pages added later are covered without editing this
file, unless they take a path parameter not mapped below (then the mapping test fails). Write
views are found two ways: by name (create, edit, delete…) and by experiment: an admin submits
the page's own form, filled in where required, inside a savepoint that is rolled back; a view
that redirects or logs an event on that submit is a write view. Viewers and auditors must get
403 from each of them, and nothing may change.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from html.parser import HTMLParser
from typing import Any
from urllib.parse import urlsplit

import pytest
from django.conf import settings
from django.db import transaction
from django.test import Client
from django.urls import URLPattern, URLResolver, reverse

from aims import web_urls
from aims.testing.tenancy import (
    ORG_UNIQUE_PARAMS,
    PROBE_AUDITOR_WEB_WRITES,
    PROBE_PUBLIC_WEB,
    PROBE_WEB_PARAMS,
    World,
    assert_no_secrets,
    org_state,
    signed_in,
)

# --------------------------------------------------------------------------- the URL map


@dataclass(frozen=True)
class WebRoute:
    name: str  # namespaced, e.g. "inventory:detail"
    route: str  # e.g. "o/<slug:slug>/ai-systems/<uuid:system_id>/"
    params: tuple[str, ...]

    @property
    def in_org(self) -> bool:
        return "slug" in self.params

    def __str__(self) -> str:
        return f"{self.name} ({self.route})"


def web_routes() -> list[WebRoute]:
    """Every named pattern reachable from aims.web_urls, with its full route."""
    out: list[WebRoute] = []

    def walk(patterns, prefix: str, namespace: str) -> None:
        for p in patterns:
            route = prefix + str(p.pattern)
            if isinstance(p, URLResolver):
                ns = ":".join(x for x in (namespace, p.namespace) if x)
                walk(p.url_patterns, route, ns)
            elif isinstance(p, URLPattern):
                assert p.name, f"unnamed URL pattern {route!r}: name it so tests can reverse it"
                name = f"{namespace}:{p.name}" if namespace else p.name
                params = tuple(re.findall(r"<(?:\w+:)?(\w+)>", route))
                out.append(WebRoute(name=name, route=route, params=params))

    walk(web_urls.urlpatterns, "", "")
    return out


def org_routes() -> list[WebRoute]:
    return [r for r in web_routes() if r.in_org]


WEB_PARAMS: dict[str, Callable[[World], Any]] = {
    "system_id": lambda w: w.system.pk,
    "member_id": lambda w: w.membership.pk,
    "issue_id": lambda w: w.issue.pk,
    "party_id": lambda w: w.party.pk,
    "token_id": lambda w: w.token.pk,
    "ref": lambda w: w.soa_ref,
    "number": lambda w: w.scope.number,
    "version_number": lambda w: w.scope.number,
    "fmt": lambda w: "csv",
    **PROBE_WEB_PARAMS,
}

# Pages anybody may open signed out.
PUBLIC = {"accounts:login", "accounts:logout",
          # An invitation's link opens for someone not signed in yet: they sign up from it.
          "invitations:open", "invitations:signup"} | PROBE_PUBLIC_WEB
# Views whose name says they write, whatever the experiment finds.
WRITE_WORDS = re.compile(r"(^|_|:)(new|create|add|edit|update|delete|remove|retire|role|"
                         r"restore|approve|revoke|close|reopen)($|_)")
# Write views that exist today: the experiment must find these, or its forms are not real.
KNOWN_WRITES = {"inventory:create", "inventory:edit", "inventory:retire", "inventory:delete",
                "compliance:edit", "members:invite", "members:role", "members:remove",
                "members:end", "members:invitation_resend", "members:invitation_revoke"}


def url_for(route: WebRoute, *, slug_world: World, id_world: World,
            slug: str | None = None) -> str:
    kwargs = {p: WEB_PARAMS[p](id_world) for p in route.params if p != "slug"}
    if route.in_org:
        kwargs["slug"] = slug or slug_world.org.slug
    return reverse(route.name, kwargs=kwargs)


# --------------------------------------------------------------------------- forms on pages


class _Forms(HTMLParser):
    """Each POST form on a page: its target and the fields a browser would submit."""

    def __init__(self, page_url: str):
        super().__init__()
        self.page_url = page_url
        self.forms: list[dict] = []
        self._form: dict | None = None
        self._select: dict | None = None
        self._textarea: dict | None = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form":
            if (a.get("method") or "get").lower() == "post" or a.get("hx-post"):
                target = a.get("action") or a.get("hx-post") or self.page_url
                self._form = {"url": urlsplit(target).path, "fields": []}
                self.forms.append(self._form)
            return
        if self._form is None:
            return
        if tag == "input" and a.get("name"):
            self._form["fields"].append({
                "kind": (a.get("type") or "text").lower(), "name": a["name"],
                "value": a.get("value") or "", "checked": "checked" in a,
                "required": "required" in a})
        elif tag == "select" and a.get("name"):
            self._select = {"kind": "select", "name": a["name"], "options": [],
                            "required": "required" in a, "multiple": "multiple" in a}
            self._form["fields"].append(self._select)
        elif tag == "option" and self._select is not None:
            self._select["options"].append((a.get("value", ""), "selected" in a))
        elif tag == "textarea" and a.get("name"):
            self._textarea = {"kind": "textarea", "name": a["name"], "value": "",
                              "required": "required" in a}
            self._form["fields"].append(self._textarea)

    def handle_data(self, data):
        if self._textarea is not None:
            self._textarea["value"] += data

    def handle_endtag(self, tag):
        if tag == "form":
            self._form = None
        elif tag == "select":
            self._select = None
        elif tag == "textarea" and self._textarea is not None:
            # Browsers drop the newline that may follow <textarea>.
            self._textarea["value"] = self._textarea["value"].removeprefix("\n")
            self._textarea = None


def submission(form: dict, world: World) -> dict[str, list[str]]:
    """What submitting `form` sends, with required blanks filled as a careful user would."""
    data: dict[str, list[str]] = {}
    groups: dict[str, list[dict]] = {}
    for f in form["fields"]:
        name, kind = f["name"], f["kind"]
        if name == "csrfmiddlewaretoken" or kind in ("submit", "button", "file"):
            continue
        if kind in ("checkbox", "radio"):
            groups.setdefault(name, []).append(f)
            if f["checked"]:
                data.setdefault(name, []).append(f["value"] or "on")
        elif kind == "select":
            chosen = [v for v, sel in f["options"] if sel]
            if not chosen and f["options"] and not f["multiple"]:
                chosen = [f["options"][0][0]]
            if not [c for c in chosen if c] and f["required"]:
                chosen = [v for v, _ in f["options"] if v][:1]
            data[name] = chosen
        else:
            value = f["value"]
            if not value.strip() and f["required"]:
                value = (world.outsider.email if kind == "email" or "email" in name
                         else f"Web probe {name}, filled in by the tenancy test.")
            data[name] = [value]
    for name, boxes in groups.items():
        if name not in data and any(b["required"] for b in boxes):
            data[name] = [boxes[0]["value"] or "on"]
    return data


def forms_by_url(client: Client, world: World) -> dict[str, dict[str, list[str]]]:
    """Open every page of the organisation and note, per target URL, the first form posting there."""
    found: dict[str, dict[str, list[str]]] = {}
    for route in org_routes():
        url = url_for(route, slug_world=world, id_world=world)
        response = client.get(url)
        assert response.status_code in (200, 405), (str(route), response.status_code)
        if "html" not in response.get("Content-Type", ""):
            continue
        parser = _Forms(url)
        parser.feed(response.content.decode())
        for form in parser.forms:
            found.setdefault(form["url"], submission(form, world))
    return found


# --------------------------------------------------------------------------- the tests


def test_every_web_route_is_mapped():
    routes = web_routes()
    gaps = {str(r): [p for p in r.params if p != "slug" and p not in WEB_PARAMS]
            for r in routes}
    gaps = {k: v for k, v in gaps.items() if v}
    assert not gaps, f"add these path parameters to WEB_PARAMS: {gaps}"
    names = {r.name for r in org_routes()}
    assert {"dashboard:index", "inventory:list", "compliance:soa", "context:scope",
            "context:issues", "context:parties", "activity:list", "members:list"} <= names


@pytest.mark.django_db
def test_member_of_a_gets_404_for_every_page_of_b(world_a, world_b):
    client = signed_in(world_a.owner)
    before_a, before_b = org_state(world_a.org), org_state(world_b.org)
    failures = []
    for route in org_routes():
        for slug in (world_b.org.slug, "no-such-org"):
            url = url_for(route, slug_world=world_b, id_world=world_b, slug=slug)
            got = client.get(url)
            posted = client.post(url, {"version": "1"})
            # POST-only views answer 405 to any GET before looking at the slug; that says
            # nothing about B, and the made-up slug must get the same answer.
            if got.status_code not in (404, 405) or posted.status_code != 404:
                failures.append((str(route), slug, got.status_code, posted.status_code))
            assert_no_secrets(got, world_b, f"GET {url}")
            assert_no_secrets(posted, world_b, f"POST {url}")
    assert not failures
    assert org_state(world_b.org) == before_b
    assert org_state(world_a.org) == before_a


@pytest.mark.django_db
def test_own_slug_with_b_ids_is_404(world_a, world_b):
    client = signed_in(world_a.owner)
    before_a, before_b = org_state(world_a.org), org_state(world_b.org)
    routes = [r for r in org_routes() if ORG_UNIQUE_PARAMS & set(r.params)]
    assert routes
    failures = []
    for route in routes:
        url = url_for(route, slug_world=world_a, id_world=world_b)
        got = client.get(url)
        posted = client.post(url, {"version": "1"})
        if got.status_code not in (404, 405) or posted.status_code != 404:
            failures.append((str(route), got.status_code, posted.status_code))
        assert_no_secrets(got, world_b, f"GET {url}")
        assert_no_secrets(posted, world_b, f"POST {url}")
    assert not failures
    assert org_state(world_b.org) == before_b
    assert org_state(world_a.org) == before_a


@pytest.mark.django_db
def test_other_users_token_cannot_be_revoked_from_the_web(world_a, world_b):
    client = signed_in(world_a.owner)
    client.post(reverse("accounts:token_revoke", args=[world_b.token.pk]))
    world_b.token.refresh_from_db()
    assert world_b.token.revoked_at is None


@dataclass
class Control:
    """What an admin's POST to one page of the organisation did."""

    route: WebRoute
    url: str
    data: dict[str, list[str]]
    status: int
    is_write: bool


@pytest.fixture
def admin_controls(_worlds, world_a, members) -> list[Control]:
    """An admin's POST to every page, with the form the pages offer for it: found once per
    module (each POST runs in a savepoint that is rolled back, so every test of the module
    starts from the same records and would find the same)."""
    if "admin_controls" not in _worlds.cache:
        admin = signed_in(members["admin"])
        forms = forms_by_url(admin, world_a)
        controls = []
        for route in org_routes():
            url = url_for(route, slug_world=world_a, id_world=world_a)
            data = forms.get(url, {"version": [str(1)]})
            with transaction.atomic():
                before = org_state(world_a.org)
                control = admin.post(url, data)
                wrote = 300 <= control.status_code < 400 or org_state(world_a.org) != before
                transaction.set_rollback(True)
            controls.append(Control(route, url, data, control.status_code,
                                    wrote or bool(WRITE_WORDS.search(route.name))))
        _worlds.cache["admin_controls"] = controls
    return _worlds.cache["admin_controls"]


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["viewer", "auditor"])
def test_read_only_roles_get_403_from_every_write_view(world_a, members, admin_controls, role):
    """Found by name and by experiment; a refused POST changes nothing."""
    reader = signed_in(members[role])
    failures = []
    before = org_state(world_a.org)
    for c in admin_controls:
        with transaction.atomic():
            response = reader.post(c.url, c.data)
            changed = org_state(world_a.org) != before
            transaction.set_rollback(True)
        if role == "auditor" and c.route.name in PROBE_AUDITOR_WEB_WRITES:
            # Audit work is the auditor's to do: such a write must work (or explain a refused
            # rule), never fail with a server error.
            if response.status_code >= 500:
                failures.append(f"auditor POST {c.route}: {response.status_code}")
            continue
        allowed = {403} if c.is_write else {200, 403, 405}
        if response.status_code not in allowed or changed:
            failures.append(f"{role} POST {c.route}: {response.status_code}, changed={changed}, "
                            f"admin got {c.status}")
    assert not failures, "\n".join(failures)
    detected = {c.route.name for c in admin_controls if c.is_write}
    assert detected >= KNOWN_WRITES, f"not recognised as writes: {KNOWN_WRITES - detected}"


@pytest.mark.django_db
def test_anonymous_is_sent_to_sign_in(world_a):
    anonymous = Client()
    login = reverse(settings.LOGIN_URL)
    before = org_state(world_a.org)
    failures = []
    for route in web_routes():
        if route.name in PUBLIC:
            continue
        url = url_for(route, slug_world=world_a, id_world=world_a)
        response = anonymous.get(url)
        if response.status_code == 405:
            response = anonymous.post(url, {"version": "1"})
        target = urlsplit(response.get("Location", "")).path
        if response.status_code != 302 or target != login:
            failures.append((str(route), response.status_code, response.get("Location")))
    assert not failures
    assert org_state(world_a.org) == before


WEB_JUNK = ["%00", "not-a-ref", "99999999999999999999", "x" * 400, "caf%C3%A9", "%27%20OR%201=1"]


@pytest.mark.django_db
def test_malformed_path_values_never_500(world_a, members):
    client = Client(raise_request_exception=False)
    client.force_login(members["owner"])
    before = org_state(world_a.org)
    failures = []
    for route in org_routes():
        for param in [p for p in route.params if p != "slug"]:
            url = url_for(route, slug_world=world_a, id_world=world_a)
            good = str(WEB_PARAMS[param](world_a))
            for junk in WEB_JUNK:
                bad = url.replace(f"/{good}/", f"/{junk}/", 1)
                for method in ("get", "post"):
                    status = getattr(client, method)(bad).status_code
                    if status >= 500:
                        failures.append((str(route), junk, method, status))
    assert not failures
    assert org_state(world_a.org) == before
