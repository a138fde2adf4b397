"""Links made before tokens were hashed keep working: the migration hashes them in place."""

from __future__ import annotations

import hashlib

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.db.migrations.recorder import MigrationRecorder
from django.test import Client
from django.urls import reverse

from aims.testing.factories import ctx_for, make_ai_system, make_org

BEFORE = [("techfile", "0001_notice_links")]
AFTER = [("techfile", "0002_notice_link_token_hashed")]


@pytest.mark.django_db(transaction=True)
def test_existing_links_are_hashed_and_keep_working():
    recorder = MigrationRecorder(connection)
    if not recorder.has_table() or not recorder.migration_qs.filter(app="techfile").exists():
        pytest.skip("the test database was built without migrations (--no-migrations)")
    from aims.catalog.services import catalog_load_all
    catalog_load_all()
    org = make_org("oldlinks", "Old Links Ltd")
    from aims.orgs.models import Membership
    ctx = ctx_for(org, Membership.objects.get(org=org, role="owner").user)
    system = make_ai_system(ctx, name="Help chat", roles=["provider"])
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    try:
        old = executor.loader.project_state(BEFORE).apps.get_model("techfile", "NoticeLink")
        raw = "an-old-token-made-before-hashing-0123456789abc"
        old.all_orgs.create(org_id=org.pk, ai_system_id=system.pk, token=raw,
                            contact="Write to help@example.com")
    finally:
        executor = MigrationExecutor(connection)
        executor.loader.build_graph()
        executor.migrate(AFTER)
    from aims.techfile.models import NoticeLink
    link = NoticeLink.all_orgs.get(org=org)
    assert link.token_hash == hashlib.sha256(raw.encode()).hexdigest()
    assert link.token_hint == raw[:6]
    assert Client().get(reverse("notice_public", args=[raw])).status_code == 200
    assert Client().get(reverse("notice_public", args=[link.token_hash])).status_code == 404
