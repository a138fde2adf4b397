import pytest
from django.template import Context, Template

from aims.orgs.context import Ctx
from aims.suppliers import services
from aims.suppliers.models import ResponsibilityAllocation, Supplier, SupplierReview
from aims.suppliers.tests.conftest import all_answers
from aims.testing.factories import make_ai_system

pytestmark = pytest.mark.django_db

FORM = {"name": "PaperTrail Document AI", "kind": "supplier", "supplies": ["ai_saas"],
        "description": "OCR for payslips.", "contact": "", "website": "", "owner": "",
        "criticality": "medium", "status": "under_review", "review_interval_months": "12"}


def _url(org, suffix=""):
    return f"/o/{org.slug}/suppliers/{suffix}"


def test_editor_adds_answers_reviews_and_allocates(org, members, ctx, web_client_for):
    system = make_ai_system(ctx, name="Credit engine")
    c = web_client_for(members["editor"])
    assert "No suppliers or customers yet" in c.get(_url(org)).content.decode()
    assert c.get(_url(org, "new/")).status_code == 200
    r = c.post(_url(org, "new/"), {**FORM, "ai_systems": [str(system.pk)]})
    s = Supplier.objects.for_org(org).get()
    assert r.status_code == 302 and r.url.endswith(f"/suppliers/{s.pk}/")
    page = c.get(r.url).content.decode()
    assert "PaperTrail Document AI" in page and "Credit engine" in page
    assert "Not yet reviewed" in page and "11 unanswered" in page

    # Answer one question without completing a review.
    dd = _url(org, f"{s.pk}/due-diligence/")
    assert c.get(dd).status_code == 200
    r = c.post(dd, {"evaluation-status": "concern", "evaluation-notes": "",
                    "evaluation-version": "0"})
    assert r.status_code == 422 and "Say what the concern is" in r.content.decode()
    r = c.post(dd, {"evaluation-status": "concern", "evaluation-notes": "English only.",
                    "evaluation-version": "0"})
    assert r.status_code == 302

    # The review page shows the checklist; an incomplete one is refused.
    review = _url(org, f"{s.pk}/review/")
    assert "Complete the review" in c.get(review).content.decode()
    r = c.post(review, {"version": "1", "rating": "medium", "summary": "Pilot.",
                        "reviewed_on": "2025-05-01", "evaluation-status": "concern",
                        "evaluation-notes": "English only.", "evaluation-version": "1"})
    assert r.status_code == 422 and "still unanswered" in r.content.decode()
    data = {"version": "1", "rating": "medium", "summary": "Pilot review.",
            "reviewed_on": "2025-05-01"}
    for a in all_answers():
        if a["item"] == "evaluation":
            data.update({"evaluation-status": "concern", "evaluation-notes": "English only.",
                         "evaluation-version": "1"})
        else:
            data.update({f"{a['item']}-status": "satisfactory", f"{a['item']}-version": "0"})
    r = c.post(review, data)
    assert r.status_code == 302, r.content.decode()[:2000]
    assert SupplierReview.objects.for_org(org).count() == 1
    page = c.get(_url(org, f"{s.pk}/?tab=reviews")).content.decode()
    assert "Pilot review." in page and "Medium risk" in page and "2026-05-01" in page

    # Responsibilities: the inline form posts to the add page.
    add = _url(org, f"{s.pk}/responsibilities/add/")
    r = c.post(add, {"topic": "incidents", "activity": "", "responsible": "shared",
                     "note": ""})
    assert r.status_code == 422 and "who does which part" in r.content.decode()
    r = c.post(add, {"topic": "incidents", "activity": "", "responsible": "shared",
                     "note": "Both triage."})
    assert r.status_code == 302
    row = ResponsibilityAllocation.objects.for_org(org).get()
    edit = _url(org, f"{s.pk}/responsibilities/{row.pk}/edit/")
    assert c.post(edit, {"topic": "incidents", "activity": "", "responsible": "us",
                         "note": "", "version": "1"}).status_code == 302
    delete = _url(org, f"{s.pk}/responsibilities/{row.pk}/delete/")
    assert c.post(delete, {"version": "1"}).status_code == 409
    assert c.post(delete, {"version": "2"}).status_code == 302
    page = c.get(_url(org, f"{s.pk}/?tab=responsibilities")).content.decode()
    assert "Removed the responsibility" in page or "Nothing allocated yet" in page


def test_list_filters_and_overdue_rows(org, members, ctx, make_supplier, web_client_for):
    import datetime

    old = make_supplier(name="Continental Bureau", supplies=["dataset"])
    services.supplier_review_create(
        ctx=ctx, supplier_id=old.pk, version=1, answers=all_answers(),
        data={"reviewed_on": datetime.date.today() - datetime.timedelta(days=400),
              "rating": "low", "summary": "Old."})
    make_supplier(name="Stratus")
    c = web_client_for(members["viewer"])
    page = c.get(_url(org), {"review": "overdue"}).content.decode()
    assert "Continental Bureau" in page and "Stratus" not in page
    assert 'class="overdue"' in page and "Review overdue" in page
    page = c.get(_url(org), {"supplies": "api"}).content.decode()
    assert "Stratus" in page and "Continental Bureau" not in page
    page = c.get(_url(org), {"q": "nothing-like-this"}).content.decode()
    assert "No supplier or customer matches" in page
    # Viewers see no write buttons.
    assert "Add a supplier or customer" not in c.get(_url(org)).content.decode()


def test_edit_stale_and_delete(org, members, make_supplier, web_client_for):
    s = make_supplier()
    c = web_client_for(members["admin"])
    edit = _url(org, f"{s.pk}/edit/")
    assert c.get(edit).status_code == 200
    data = {**FORM, "name": "Stratus LM", "supplies": ["api"], "version": "1"}
    assert c.post(edit, data).status_code == 302
    r = c.post(edit, {**data, "name": "Stale"})
    assert r.status_code == 409 and "changed by someone else" in r.content.decode()
    assert c.get(_url(org, f"{s.pk}/delete/")).status_code == 200
    assert c.post(_url(org, f"{s.pk}/delete/"), {"version": "2"}).status_code == 302
    assert not Supplier.objects.for_org(org).exists()


def test_read_only_roles_are_refused(org, members, make_supplier, web_client_for):
    s = make_supplier()
    c = web_client_for(members["auditor"])
    assert c.get(_url(org, f"{s.pk}/")).status_code == 200
    for suffix in ("new/", f"{s.pk}/edit/", f"{s.pk}/review/", f"{s.pk}/due-diligence/",
                   f"{s.pk}/responsibilities/add/", f"{s.pk}/delete/"):
        assert c.get(_url(org, suffix)).status_code == 403, suffix


def test_system_panel_lists_the_systems_parties(org, members, ctx, make_supplier):
    system = make_ai_system(ctx, name="Chatbot")
    make_supplier(ai_systems=[system.pk])
    make_supplier(name="Unrelated")
    viewer = Ctx(org=org, user=members["viewer"], role="viewer", actor_label="v")
    html = Template("{% load suppliers_panels %}{% supplier_panel system %}").render(
        Context({"ctx": viewer, "system": system}))
    assert "Stratus Language Models" in html and "Unrelated" not in html
    assert "Not yet reviewed" in html and "Add a supplier" not in html
    empty = make_ai_system(ctx, name="Spam filter")
    html = Template("{% load suppliers_panels %}{% supplier_panel system %}").render(
        Context({"ctx": viewer, "system": empty}))
    assert "No supplier or customer is linked" in html
