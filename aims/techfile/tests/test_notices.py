"""The transparency notice of an AI system: drafted from the record, as a PDF, and behind a
public link with an unguessable token that the owner can revoke."""

from __future__ import annotations

import hashlib
import io
import re

import pytest
from django.test import Client
from django.urls import reverse
from pypdf import PdfReader

from aims.activity.models import Event
from aims.core.errors import Conflict, PermissionDenied, ValidationError
from aims.techfile.models import NoticeLink
from aims.techfile.services import notice_link_create, notice_link_revoke
from aims.testing.factories import ctx_for, make_ai_system

pytestmark = pytest.mark.django_db


@pytest.fixture
def chatbot(ctx):
    return make_ai_system(
        ctx, name="Help chat", eu_risk_class="limited", roles=["provider", "deployer"],
        intended_purpose="Answers customers' questions about their loan online.",
        affected_parties="Customers using the help page.",
        human_oversight="A person takes over when asked or when the bot is unsure.",
        third_party_components="A hosted language model (confidential vendor contract).")


def test_a_public_link_shows_the_notice_and_nothing_else(ctx, chatbot, org):
    link = notice_link_create(ctx=ctx, system_id=chatbot.pk,
                              data={"contact": "Write to help@acme.example.com"})
    assert len(link.raw_token) >= 40
    # Only a hash is stored, and the log holds neither the token nor its hash.
    stored = NoticeLink.all_orgs.get(pk=link.pk)
    assert stored.raw_token == "" and stored.token_hash != link.raw_token
    assert stored.token_hash == hashlib.sha256(link.raw_token.encode()).hexdigest()
    page = Client().get(reverse("notice_public", args=[link.raw_token]))
    assert page.status_code == 200
    html = page.content.decode()
    assert "Help chat" in html and "Answers customers" in html
    assert "You are dealing with an AI system" in html
    assert "help@acme.example.com" in html
    assert "confidential vendor contract" not in html and "/o/" not in html
    event = Event.objects.get(object_id=str(link.pk), action="create")
    assert event.changes["contact"]["after"] == "Write to help@acme.example.com"
    assert link.raw_token not in str(event.changes) and stored.token_hash not in str(event.changes)
    assert Client().get(reverse("notice_public", args=[stored.token_hash])).status_code == 404


def test_revoking_a_link_makes_it_404_and_is_logged(ctx, chatbot):
    link = notice_link_create(ctx=ctx, system_id=chatbot.pk, data={"contact": "Call 0800"})
    with pytest.raises(Conflict):
        notice_link_revoke(ctx=ctx, system_id=chatbot.pk, link_id=link.pk, version=99)
    notice_link_revoke(ctx=ctx, system_id=chatbot.pk, link_id=link.pk, version=link.version)
    assert Client().get(reverse("notice_public", args=[link.raw_token])).status_code == 404
    assert Client().get(reverse("notice_public", args=["not-a-token"])).status_code == 404
    assert Event.objects.filter(object_id=str(link.pk), action="update").exists()
    with pytest.raises(ValidationError):
        notice_link_revoke(ctx=ctx, system_id=chatbot.pk, link_id=link.pk,
                           version=link.version + 1)


def test_links_need_a_contact_and_an_editor(ctx, chatbot, org, members):
    with pytest.raises(ValidationError) as exc:
        notice_link_create(ctx=ctx, system_id=chatbot.pk, data={"contact": "  "})
    assert "contact" in exc.value.errors
    with pytest.raises(PermissionDenied):
        notice_link_create(ctx=ctx_for(org, members["viewer"]), system_id=chatbot.pk,
                           data={"contact": "x@example.com"})


def test_api_and_pdf(api, org, chatbot):
    base = f"/api/v1/orgs/{org.slug}/ai-systems/{chatbot.pk}/transparency-notice"
    res = api.post(f"{base}/links", {"contact": "help@acme.example.com"})
    assert res.status_code == 201, res.content
    link = res.json()
    assert link["active"] and "/notice/" in link["url"]
    out = api.get(base).json()
    assert [s["title"] for s in out["sections"]][:2] == ["What it is for", "Who it concerns"]
    assert out["contact"] == "help@acme.example.com"
    # The address is in the answer that made the link only; later reads give its hint.
    listed = next(x for x in out["links"] if x["id"] == link["id"])
    assert listed["url"] == "" and link["url"].split("/notice/")[1].startswith(listed["hint"])
    pdf = api.get(f"{base}/pdf")
    text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.content)).pages)
    for heading in ("What it is for", "Who it concerns", "How people stay in control",
                    "Questions, a human review, or a complaint"):
        assert heading in text, heading
    revoked = api.post(f"{base}/links/{link['id']}/revoke", {"version": link["version"]})
    assert revoked.status_code == 200 and revoked.json()["active"] is False
    assert Client().get(link["url"].split("testserver")[-1]).status_code == 404


def test_the_notice_page_makes_and_revokes_links(web_client_for, members, org, chatbot):
    web = web_client_for(members["editor"])
    url = reverse("techfile:notice", args=[org.slug, chatbot.pk])
    empty = web.post(reverse("techfile:notice_link_create", args=[org.slug, chatbot.pk]),
                     {"contact": ""})
    assert empty.status_code == 422
    made = web.post(reverse("techfile:notice_link_create", args=[org.slug, chatbot.pk]),
                    {"contact": "help@acme.example.com"}).content.decode()
    # The address is shown once, on the answer that makes it, and opens the notice.
    address = re.search(r'data-testid="public-link">([^<]+)<', made).group(1)
    assert "cannot be shown again" in made
    assert Client().get(address.split("testserver")[-1]).status_code == 200
    html = web.get(url).content.decode()
    assert 'data-testid="public-link"' not in html and address not in html
    assert "Revoke" in html and address.split("/notice/")[1][:6] in html
    viewer = web_client_for(members["viewer"]).get(url).content.decode()
    assert "Make a public link" not in viewer
