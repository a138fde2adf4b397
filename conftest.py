"""Shared fixtures: the catalog loaded once per test database, organisations with a member of
every role, and API clients that authenticate with real tokens."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from django.test import Client
from hypothesis import settings as hypothesis_settings

from aims.testing.db import held_transaction
from aims.testing.factories import add_every_role, ctx_for, make_org

# Property tests judge what is generated, not how fast: on a busy CI machine an example can
# take longer than hypothesis's default 200 ms deadline without anything being wrong.
hypothesis_settings.register_profile("aims", deadline=None)
hypothesis_settings.load_profile("aims")


# Tests whose outcome cannot depend on the database engine: pages and their templates, charts
# and PDFs drawn from records already read, the role table, the code's layout, the demo's
# content per area, and how many queries a page makes (the ORM plans them the same way for
# either engine). They carry the `db_neutral` mark; the PostgreSQL leg of `make test` leaves
# them out, the SQLite leg runs everything. Whatever reads or writes through SQL in its own
# way (services, selectors, the API, migrations, tenancy, backup) runs on both.
DB_NEUTRAL = (
    "aims/*/tests/test_views.py",
    "aims/*/tests/test_*_web.py",
    "aims/*/tests/test_charts.py",
    "aims/testing/tests/test_structure.py",
    "aims/testing/tests/test_fuzz.py",
    "aims/testing/tests/matrices/test_roles_api.py",
    "aims/testing/tests/matrices/test_tenancy_web.py",
    "aims/testing/tests/matrices/test_lapsed_access.py",
    "aims/testing/tests/matrices/test_openapi.py",
    "aims/core/tests/test_security_headers.py",
    "aims/core/tests/test_logging.py",
    "aims/core/tests/test_request_size.py",
    "aims/dashboard/tests/test_navigation.py",
    "aims/documents/tests/test_rendering.py",
    "aims/risks/tests/test_heatmap.py",
    "aims/accounts/tests/test_sso_config.py",
    "aims/ops/tests/test_serve.py",
    "aims/techfile/tests/test_drafts.py",
    "aims/oscal/tests/test_exports.py",
    "aims/exchange/tests/test_pack.py",
    "aims/demo/tests/test_[!de]*.py",  # per area; the whole demo (test_demo) runs on both
    "aims/*/tests/test_query_counts.py",  # what a page costs in queries is the ORM's plan
)


# The longest modules (real `aims` processes, the matrices' sweeps over every route) start
# first: the test workers take whole modules (`--dist loadscope`, so a module's fixtures are
# built once), and a long module taken last would keep one worker busy while the other idles.
SLOW_FIRST = (
    "aims/ops/tests/test_backup.py",
    "aims/testing/tests/matrices/test_*.py",
    "aims/exchange/tests/test_import_kill.py",
    "aims/jobs/tests/test_worker_processes.py",
    "aims/readiness/tests/test_query_counts.py",
    "aims/testing/tests/test_migration_upgrade.py",
)


def pytest_collection_modifyitems(config, items):
    root = config.rootpath
    for item in items:
        path = item.path.relative_to(root)
        if any(path.match(pattern) for pattern in DB_NEUTRAL):
            item.add_marker(pytest.mark.db_neutral)
    items.sort(key=lambda item: not any(item.path.relative_to(root).match(p)
                                        for p in SLOW_FIRST))


@pytest.fixture(scope="session", autouse=True)
def _media_root_removed():
    """Test uploads (and the log checkpoints) go to a temporary MEDIA_ROOT and a folder beside
    it (config.settings.test); remove them afterwards."""
    yield
    from django.conf import settings

    root = Path(settings.MEDIA_ROOT)
    if root.name.startswith("aims-test-media-"):
        shutil.rmtree(root, ignore_errors=True)
        shutil.rmtree(f"{root}-log", ignore_errors=True)


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    from aims.catalog.services import catalog_load_all

    with django_db_blocker.unblock():
        catalog_load_all()


# Set on a test whose transactional database was set up, and so is emptied at its teardown.
FLUSHED = pytest.StashKey[bool]()


@pytest.fixture(autouse=True)
def _flush_noted(request):
    """Note that this test's database will be emptied when it ends: a live-server test (given
    a transactional database here) or one marked django_db(transaction=True).

    Function-scoped, so it runs after session fixtures such as the browser: when one of them
    skips, the test database was never set up and there is nothing to load again.
    """
    marker = request.node.get_closest_marker("django_db")
    if "live_server" in request.fixturenames:
        request.getfixturevalue("transactional_db")
    if ("transactional_db" in request.fixturenames or "live_server" in request.fixturenames
            or (marker is not None and marker.kwargs.get("transaction"))):
        request.node.stash[FLUSHED] = True
    yield


@pytest.hookimpl(wrapper=True)
def pytest_runtest_teardown(item, nextitem):
    """Load the catalog again after a transactional test's flush, as django_db_setup left it:
    the flush empties every table, catalog included, and the tests after it (on this worker)
    expect the catalog loaded once per session. Not after the last test: the test database is
    gone by then."""
    result = yield
    if nextitem is not None and item.stash.get(FLUSHED, False):
        from pytest_django.plugin import blocking_manager_key

        from aims.catalog.services import catalog_load_all

        with item.config.stash[blocking_manager_key].unblock():
            catalog_load_all()
    return result


def _transactional(item: pytest.Item) -> bool:
    marker = item.get_closest_marker("django_db")
    names = getattr(item, "fixturenames", ())
    return ("transactional_db" in names or "live_server" in names
            or (marker is not None and bool(marker.kwargs.get("transaction"))))


@pytest.fixture(scope="module")
def _shared_orgs(request, django_db_setup, django_db_blocker):
    """The organisations of a module's tests ("acme", "globex" and acme's members of every
    role), made once per module instead of once per test.

    They are made inside a transaction that lasts the module and is rolled back after it; each
    test runs in a savepoint within it (pytest-django's `db`), so what a test writes is gone
    before the next one starts, and every test starts from the organisations as they were made.
    The fixtures below hand each test fresh copies read from the database, so a change a test
    made to an object in memory never reaches the next one. A module with a test that commits
    (a transactional database, a live server) shares nothing: None, and each test makes its own.
    """
    items = [item for item in request.session.items if item.path == request.path]
    if any(_transactional(item) for item in items):
        yield None
        return
    needed = set().union(*(getattr(item, "fixturenames", ()) for item in items))
    with held_transaction(django_db_blocker):
        with django_db_blocker.unblock():
            shared = {"org": make_org("acme", "Acme Lending")}
            if "other_org" in needed:
                shared["other_org"] = make_org("globex", "Globex Insurance")
            if "members" in needed:
                shared["members"] = add_every_role(shared["org"])
        yield shared


def _shared_org(shared, key: str):
    """A fresh copy of the module's organisation `key`. After the test, what it left on disk
    for the organisation goes, as its rows do: the files it stored (under <kind>/<organisation
    id>/) and the checkpoints of its activity log (lines of the anchor file)."""
    from django.conf import settings

    from aims.orgs.models import Organization

    org = Organization.objects.get(pk=shared[key].pk)
    yield org
    media = Path(settings.MEDIA_ROOT)
    if media.is_dir():
        for kind in media.iterdir():
            shutil.rmtree(kind / str(org.pk), ignore_errors=True)
    anchors = Path(settings.AIMS_LOG_ANCHOR_FILE)
    if anchors.is_file() and str(org.pk) in (text := anchors.read_text()):
        lines = text.splitlines(keepends=True)
        anchors.write_text("".join(line for line in lines if str(org.pk) not in line))


@pytest.fixture
def org(_shared_orgs, db):
    if _shared_orgs is None:
        yield make_org("acme", "Acme Lending")
    else:
        yield from _shared_org(_shared_orgs, "org")


@pytest.fixture
def other_org(_shared_orgs, db):
    if _shared_orgs is None:
        yield make_org("globex", "Globex Insurance")
    else:
        yield from _shared_org(_shared_orgs, "other_org")


@pytest.fixture
def members(_shared_orgs, org):
    """{role: user} for every role in `org` (the owner is the org's creator)."""
    from aims.accounts.models import User

    if _shared_orgs is None:
        return add_every_role(org)
    made = _shared_orgs["members"]
    users = User.objects.in_bulk([u.pk for u in made.values()])
    return {role: users[u.pk] for role, u in made.items()}


@pytest.fixture
def ctx(org, members):
    """An editor's context in `org`."""
    return ctx_for(org, members["editor"])


@pytest.fixture
def owner_ctx(org, members):
    return ctx_for(org, members["owner"])


class ApiClient:
    """Django's test client with a real bearer token and JSON by default."""

    def __init__(self, user):
        from aims.accounts.services import token_create

        _, raw = token_create(user=user, name="test")
        self.client = Client()
        self.headers = {"HTTP_AUTHORIZATION": f"Bearer {raw}"}

    def _send(self, method, path, data=None, **extra):
        fn = getattr(self.client, method)
        if data is not None and method in ("post", "patch", "put"):
            return fn(path, data=data, content_type="application/json", **self.headers, **extra)
        return fn(path, data=data, **self.headers, **extra)

    def get(self, path, data=None, **extra):
        return self._send("get", path, data, **extra)

    def post(self, path, data=None, **extra):
        return self._send("post", path, data, **extra)

    def patch(self, path, data=None, **extra):
        return self._send("patch", path, data, **extra)

    def put(self, path, data=None, **extra):
        return self._send("put", path, data, **extra)

    def delete(self, path, data=None, **extra):
        return self.client.delete(path + (f"?{_qs(data)}" if data else ""), **self.headers, **extra)


def _qs(data: dict) -> str:
    from urllib.parse import urlencode

    return urlencode(data)


@pytest.fixture
def api_client_for():
    """api_client_for(user) → an ApiClient authenticated as `user`."""
    return ApiClient


@pytest.fixture
def api(members):
    """An editor's API client in `org`."""
    return ApiClient(members["editor"])


@pytest.fixture
def web_client_for(client):
    """web_client_for(user) → Django's test client signed in as `user`."""

    def make(user):
        from aims.testing.factories import signed_in_client

        return signed_in_client(user)

    return make


@pytest.fixture(scope="session")
def _oidc_provider_process(live_server):
    """One real OIDC provider process per test session (per worker), after the live server
    whose callback it redirects to."""
    from aims.testing.oidc_provider.process import SSO_PASSWORD, SSO_USERS, running_provider

    users = [{**u, "password": SSO_PASSWORD} for u in SSO_USERS]
    with running_provider(redirect_uri=f"{live_server.url}/account/oidc/testidp/login/callback/",
                          users=users) as provider:
        yield provider


@pytest.fixture
def oidc_provider(_oidc_provider_process, settings):
    """aims configured with the running provider as "Test IdP" (id testidp)."""
    from config.settings.base import oidc_origins

    apps = [_oidc_provider_process.app("testidp", "Test IdP")]
    settings.SOCIALACCOUNT_PROVIDERS = {"openid_connect": {"APPS": apps}}
    # As the settings do for AIMS_OIDC_PROVIDERS: the browser may follow the button's form there.
    policy = settings.CONTENT_SECURITY_POLICY
    directives = {**policy["DIRECTIVES"],
                  "form-action": [*policy["DIRECTIVES"]["form-action"], *oidc_origins(apps)]}
    settings.CONTENT_SECURITY_POLICY = {**policy, "DIRECTIVES": directives}
    return _oidc_provider_process
