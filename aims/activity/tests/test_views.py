import csv
import io

import pytest

from aims.activity.models import Event
from aims.testing.factories import make_ai_system
from aims.testing.responses import body as response_body

pytestmark = pytest.mark.django_db


def test_log_page_shows_readable_changes(org, members, ctx, web_client_for):
    system = make_ai_system(ctx, name="Chatbot", owner=members["admin"].pk,
                            eu_risk_class="limited")
    body = web_client_for(members["viewer"]).get(f"/o/{org.slug}/activity/").content.decode()
    assert "AI system" in body and "Chatbot" in body
    # Field labels, choice labels and people instead of raw ids.
    assert "EU AI Act risk class" in body and "Limited risk (transparency)" in body
    assert members["admin"].display_name in body and str(members["admin"].pk) not in body
    detail = web_client_for(members["viewer"]).get(
        f"/o/{org.slug}/ai-systems/{system.pk}/?tab=history").content.decode()
    assert "History" in detail and "Limited risk (transparency)" in detail


def test_filters_verify_and_csv(org, members, ctx, web_client_for):
    make_ai_system(ctx, name="Chatbot")
    c = web_client_for(members["auditor"])
    body = c.get(f"/o/{org.slug}/activity/", {"object_type": "inventory.aisystem"}).content.decode()
    assert "Chatbot" in body and "Acme Lending" not in body.split("<table")[1]
    body = c.get(f"/o/{org.slug}/activity/", {"verify": "1"}).content.decode()
    assert "The chain is intact" in body
    Event.objects.filter(org=org, seq=1).update(actor_label="someone else")
    body = c.get(f"/o/{org.slug}/activity/", {"verify": "1"}).content.decode()
    assert "broken at event #1" in body
    r = c.get(f"/o/{org.slug}/activity/", {"format": "csv"})
    rows = list(csv.reader(io.StringIO(response_body(r).decode("utf-8-sig"))))
    assert rows[0][:4] == ["Seq", "Time (UTC)", "Actor", "Action"]
    assert [int(r[0]) for r in rows[1:]] == sorted(int(r[0]) for r in rows[1:])
    assert any(r[6] == "Chatbot" for r in rows[1:])


def test_36_character_values_that_are_not_user_ids(org, members, ctx, web_client_for):
    name = "Customer support chatbot for website"
    assert len(name) == 36
    system = make_ai_system(ctx, name=name)
    c = web_client_for(members["viewer"])
    assert c.get(f"/o/{org.slug}/activity/").status_code == 200
    assert c.get(f"/o/{org.slug}/ai-systems/{system.pk}/").status_code == 200


def test_a_key_named_like_a_reverse_relation_reads_as_plain_text(org, members, ctx,
                                                                   web_client_for):
    """A log key may share its name with a reverse relation (an AI system's "changes" log)."""
    from django.db import transaction

    from aims.activity.services import record

    system = make_ai_system(ctx, name="Linked system")
    with transaction.atomic():
        record(ctx=ctx, action="update", obj=system,
               changes={"changes": {"before": None, "after": "model retrained"}})
    page = web_client_for(members["viewer"]).get(f"/o/{org.slug}/activity/")
    assert page.status_code == 200
    assert "model retrained" in page.content.decode()


def test_history_reads_in_words_not_ids_kinds_or_codes(org, members, ctx, web_client_for):
    """Records by their names (not ids), kinds by their titles ("Management review", not
    "management_review"), JSON lists of choices by their labels, and "set"/"cleared" rather
    than "removed"."""
    from django.db import transaction

    from aims.activity.services import record
    from aims.impact.services import assessment_create

    system = make_ai_system(ctx, name="Credit scorer", roles=["deployer"],
                            business_unit="Retail credit")
    assessment = assessment_create(ctx=ctx, data={"ai_system": system.pk})
    with transaction.atomic():
        record(ctx=ctx, action="update", obj=system, changes={
            "subject_kind": {"before": None, "after": "management_review"},
            "business_unit": {"before": "Retail credit", "after": ""},
            "deployment_context": {"before": "", "after": "Branch offices"}})
    body = web_client_for(members["viewer"]).get(f"/o/{org.slug}/activity/").content.decode()
    assert "<dd>Deployer" in body and "<dd>deployer" not in body
    assert "Management review" in body and "management_review" not in body
    assert "<del>Retail credit</del> <em>cleared</em>" in body
    assert "set to <ins>Branch offices</ins>" in body
    assert "<em>removed</em>" not in body
    # The assessment's AI system by its name, not its id.
    assert "Credit scorer" in body
    events = Event.objects.filter(org=org, object_id=str(assessment.pk))
    assert any("ai_system" in e.changes for e in events)
    assert str(system.pk) not in body


def test_a_structured_value_is_shown_in_words_not_dumped(org, members):
    """A readiness snapshot keeps its result as JSON: the log shows its parts in words (an
    internal value without its underscore, nested lists counted), not a Python dict."""
    from django.test import Client

    from aims.readiness.services import snapshot_save
    from aims.testing.factories import ctx_for

    snapshot_save(ctx=ctx_for(org, members["owner"]))
    client = Client()
    client.force_login(members["owner"])
    html = client.get(f"/o/{org.slug}/activity/").content.decode()
    assert "{&#x27;organization&#x27;" not in html
    assert "verdict: not ready" in html and "as of: " in html and "clauses: 7 entries" in html
    # The snapshot's own verdict field is named in words too, not by the engine's code.
    assert "not_ready" not in html and "Not ready" in html
