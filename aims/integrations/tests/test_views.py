"""The integration pages: tokens (owners and admins) and the model card upload."""

from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from aims.evidence.models import Evidence
from aims.integrations.models import IntegrationToken
from aims.testing.queries import assert_flat, budget

from .conftest import issue

pytestmark = pytest.mark.django_db
DATA = Path(__file__).parent / "data"


def test_tokens_page_creates_shows_the_secret_once_and_revokes(org, members, web_client_for,
                                                               system):
    client = web_client_for(members["admin"])
    url = f"/o/{org.slug}/integrations/"
    page = client.get(url).content.decode()
    assert "No integration tokens yet." in page and "Only these controls" in page
    r = client.post(url, {"name": "claims CI", "expires_in_days": "30",
                          "controls": "A.6.2.4, A.7.5", "systems": [str(system.pk)]})
    assert r.status_code == 200
    token = IntegrationToken.objects.for_org(org).get()
    text = r.content.decode()
    secret = text.split('id="new-secret" type="text" readonly value="')[1].split('"')[0]
    assert secret.startswith("aimsi_") and "Copy the token “claims CI” now" in text
    assert "Controls A.6.2.4, A.7.5" in text and system.name in text
    assert secret not in client.get(url).content.decode()  # shown once
    r = client.post(f"{url}{token.pk}/revoke/")
    assert r.status_code == 302
    token.refresh_from_db()
    assert token.state == "revoked"


def test_bad_input_keeps_what_was_typed(org, members, web_client_for):
    client = web_client_for(members["owner"])
    r = client.post(f"/o/{org.slug}/integrations/", {"name": "nightly eval",
                                                     "controls": "A.6.2.4, Z.9"})
    assert r.status_code == 422
    text = r.content.decode()
    assert "Z.9 is not a control" in text and 'value="nightly eval"' in text
    assert not IntegrationToken.objects.for_org(org).exists()


@pytest.mark.parametrize("role", ["editor", "viewer", "auditor"])
def test_only_owners_and_admins_see_the_tokens(org, members, web_client_for, role):
    assert web_client_for(members[role]).get(f"/o/{org.slug}/integrations/").status_code == 403


def test_members_page_links_to_the_tokens(org, members, web_client_for):
    page = web_client_for(members["admin"]).get(f"/o/{org.slug}/members/").content.decode()
    assert f"/o/{org.slug}/integrations/" in page
    page = web_client_for(members["editor"]).get(f"/o/{org.slug}/members/").content.decode()
    assert f"/o/{org.slug}/integrations/" not in page


def test_tokens_page_has_bounded_queries(org, members, admin_ctx, web_client_for,
                                         django_assert_max_num_queries, system):
    client = web_client_for(members["admin"])
    url = f"/o/{org.slug}/integrations/"
    made = [0]

    def grow(n):
        for _ in range(n):
            made[0] += 1
            issue(admin_ctx, name=f"pipeline {made[0]}", systems=[str(system.pk)],
                  controls=["A.6.2.4"])

    last = assert_flat({"tokens": (lambda: client.get(url), budget(url, 12))}, grow,
                       django_assert_max_num_queries)
    assert "pipeline 45" in last["tokens"].content.decode()


def test_model_card_upload_shows_what_was_filled_and_what_is_empty(org, members, system,
                                                                   web_client_for):
    client = web_client_for(members["editor"])
    url = f"/o/{org.slug}/integrations/model-card/{system.pk}/"
    assert "Where each part lands" in client.get(url).content.decode()
    detail = client.get(f"/o/{org.slug}/ai-systems/{system.pk}/").content.decode()
    assert url in detail
    r = client.post(url, {"file": SimpleUploadedFile("README.md",
                                                     (DATA / "empty_card.md").read_bytes())})
    assert r.status_code == 200
    text = r.content.decode()
    assert "What the card leaves empty" in text and "Limitations: no section says it." in text
    assert Evidence.objects.for_org(org).count() == 1
    r = client.post(url, {"file": SimpleUploadedFile("README.md", b"\xff\xfe bad")})
    assert r.status_code == 422 and "not UTF-8" in r.content.decode()
    assert Evidence.objects.for_org(org).count() == 1


def test_viewers_cannot_import_a_card(org, members, system, web_client_for):
    url = f"/o/{org.slug}/integrations/model-card/{system.pk}/"
    assert web_client_for(members["viewer"]).get(url).status_code == 403
