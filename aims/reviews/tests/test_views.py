"""Management review pages: what each role sees and may do, forms that keep what was typed,
the PDF pack, and query counts."""

from __future__ import annotations

import datetime
import html
import io
import itertools

import pytest
from pypdf import PdfReader

from aims.reviews import selectors, services
from aims.reviews.inputs import INPUTS
from aims.reviews.models import Decision, ManagementReview
from aims.reviews.pdf import review_pdf
from aims.reviews.tests.conftest import TODAY, TOMORROW, YESTERDAY, make_ready, plan, reload
from aims.testing.factories import ALL_ROLES, add_member, ctx_for
from aims.testing.queries import SESSION

pytestmark = pytest.mark.django_db
_seq = itertools.count()


def url(org, path: str = "") -> str:
    return f"/o/{org.slug}/management-reviews/{path}"


def text(response) -> str:
    return html.unescape(response.content.decode())


def pdf_text(content: bytes) -> str:
    return " ".join(" ".join(p.extract_text().split())
                    for p in PdfReader(io.BytesIO(content)).pages)


def _prefix(item) -> str:
    return f"i{item.pk.hex[:8]}"


def test_pages(org, members, owner_ctx, web_client_for):
    web = web_client_for(members["owner"])
    empty = web.get(url(org)).content.decode()
    assert "No management review yet" in empty
    created = web.post(url(org, "new/"), {
        "title": "Annual review", "meeting_date": TODAY.isoformat(), "chair": members["owner"].pk,
        "attendees": [members["owner"].pk], "version": ""})
    assert created.status_code == 302, created.content.decode()[:400]
    review = selectors.review_list(ctx=owner_ctx).get()
    page = web.get(url(org, f"{review.pk}/")).content.decode()
    assert "Status of actions from previous management reviews" in page
    assert "Before the review can be recorded as held" in page
    added = web.post(url(org, f"{review.pk}/decisions/new/"), {
        "kind": "change", "text": "Adopt the revised policy.", "action": "Publish policy v3",
        "owner": members["editor"].pk, "due_date": TODAY.isoformat()})
    assert added.status_code == 302
    bad = web.post(url(org, f"{review.pk}/decisions/new/"), {
        "kind": "change", "text": "", "action": ""})
    assert bad.status_code == 422
    viewer = web_client_for(members["viewer"])
    assert viewer.get(url(org, "new/")).status_code == 403
    assert viewer.get(url(org, f"{review.pk}/")).status_code == 200


def test_plan_form_offers_sensible_defaults(org, members, web_client_for):
    page = text(web_client_for(members["admin"]).get(url(org, "new/")))
    assert "Plan a management review" in page
    assert f'value="{TODAY.isoformat()}"' in page  # the meeting date defaults to today
    assert f'<option value="{members["admin"].pk}" selected>' in page  # and so does the chair


def test_plan_form_rerenders_errors_and_keeps_what_was_typed(org, members, web_client_for):
    web = web_client_for(members["owner"])
    r = web.post(url(org, "new/"), {
        "title": "Half-year review", "meeting_date": "2025-06-30",
        "period_start": "2025-07-15", "location": "Room 4.12",
        "conclusions": "Draft conclusion text", "attendees": [members["owner"].pk],
        "version": ""})
    assert r.status_code == 422
    page = text(r)
    assert "The period cannot start after the meeting." in page
    for typed in ("Half-year review", "Room 4.12", "Draft conclusion text", "2025-07-15"):
        assert typed in page, typed
    r = web.post(url(org, "new/"), {"title": "", "meeting_date": "", "location": "Room 5",
                                    "version": ""})
    assert r.status_code == 422
    page = text(r)
    assert page.count("This field is required.") == 2 and "Room 5" in page
    assert not ManagementReview.objects.for_org(org).exists()


def test_edit_form_shows_the_review_and_catches_a_stale_edit(org, members, owner_ctx,
                                                             web_client_for):
    review = plan(owner_ctx, title="Board review", location="Board room")
    web = web_client_for(members["admin"])
    page = text(web.get(url(org, f"{review.pk}/edit/")))
    assert 'value="Board review"' in page and 'value="Board room"' in page
    services.review_update(ctx=owner_ctx, review_id=review.pk, version=review.version,
                           data={"title": "Renamed elsewhere"})
    r = web.post(url(org, f"{review.pk}/edit/"), {
        "title": "My new title", "meeting_date": TODAY.isoformat(),
        "attendees": [members["owner"].pk], "version": review.version})
    assert r.status_code == 409
    page = text(r)
    assert "changed by someone else" in page and "My new title" in page
    assert "Renamed elsewhere" in page  # the other change is shown
    assert reload(review).title == "Renamed elsewhere"
    r = web.post(url(org, f"{review.pk}/edit/"), {
        "title": "My new title", "meeting_date": TODAY.isoformat(),
        "attendees": [members["owner"].pk], "version": review.version + 1})
    assert r.status_code == 302 and r.url == url(org, f"{review.pk}/")
    assert reload(review).title == "My new title"


def test_minutes_form_saves_and_keeps_text_on_a_conflict(org, members, owner_ctx,
                                                         web_client_for):
    review = plan(owner_ctx)
    item = review.items.get(key="risks")
    web = web_client_for(members["owner"])
    path = url(org, f"{review.pk}/agenda/{item.pk}/minutes/")
    p = _prefix(item)
    r = web.post(path, {f"{p}-minutes": "High risks are owned.", f"{p}-version": item.version})
    assert r.status_code == 302 and r.url.endswith(f"#item-{item.position}")
    assert review.items.get(pk=item.pk).minutes == "High risks are owned."
    r = web.post(path, {f"{p}-minutes": "My stale minutes", f"{p}-version": item.version})
    assert r.status_code == 409
    page = text(r)
    assert "My stale minutes" in page and "changed by someone else" in page
    assert review.items.get(pk=item.pk).minutes == "High risks are owned."
    # An agenda item of another review is not found through this one.
    other = plan(owner_ctx, on=YESTERDAY)
    assert web.post(url(org, f"{other.pk}/agenda/{item.pk}/minutes/"), {
        f"{p}-minutes": "x", f"{p}-version": 2}).status_code == 404


def test_decision_form_errors_keep_what_was_typed(org, members, owner_ctx, web_client_for):
    review = plan(owner_ctx)
    web = web_client_for(members["owner"])
    r = web.post(url(org, f"{review.pk}/decisions/new/"), {
        "kind": "resources", "text": "Fund a second validator", "action": "Hire a validator",
        "owner": "", "due_date": TOMORROW.isoformat()})
    assert r.status_code == 422
    page = text(r)
    assert "An action needs an owner." in page
    assert "Fund a second validator" in page and 'value="Hire a validator"' in page
    assert not review.decisions.exists()
    r = web.post(url(org, f"{review.pk}/decisions/new/"), {
        "kind": "resources", "text": "Fund a second validator", "action": "Hire a validator",
        "owner": members["editor"].pk, "due_date": TOMORROW.isoformat()})
    assert r.status_code == 302 and r.url.endswith("#decisions")
    decision = review.decisions.get()
    assert decision.task.owner == members["editor"] and decision.task.title == "Hire a validator"
    page = text(web.get(url(org, f"{review.pk}/")))
    assert f"{decision.task.ref} Hire a validator" in page


def test_hold_through_the_page(org, members, owner_ctx, web_client_for):
    review = plan(owner_ctx, attendees=[members["editor"].pk])
    web = web_client_for(members["owner"])
    page = text(web.get(url(org, f"{review.pk}/")))
    assert "Top management must attend" in page and "Minute every agenda item" in page
    assert "Record as held</button>" not in page
    r = web.post(url(org, f"{review.pk}/hold/"), {"version": review.version})
    assert r.status_code == 422 and "Top management must attend" in text(r)
    review = reload(review)
    review = services.review_update(ctx=owner_ctx, review_id=review.pk, version=review.version,
                                    data={"attendees": [members["owner"].pk]})
    review = make_ready(owner_ctx, review, conclusions="Suitable, adequate and effective.")
    page = text(web.get(url(org, f"{review.pk}/")))
    assert "Record as held</button>" in page and "Before the review can be" not in page
    r = web.post(url(org, f"{review.pk}/hold/"), {"version": review.version})
    assert r.status_code == 302
    held = reload(review)
    assert held.is_held and held.recorded_by == members["owner"]
    page = text(web.get(url(org, f"{review.pk}/")))
    assert "The record is final." in page and "Recorded as held" in page
    assert "Save minutes" not in page and "Record a decision" not in page
    assert url(org, f"{review.pk}/edit/") not in page
    assert "Suitable, adequate and effective." in page and "Noted. (risks)" in page
    item = held.items.first()
    p = _prefix(item)
    r = web.post(url(org, f"{review.pk}/agenda/{item.pk}/minutes/"),
                 {f"{p}-minutes": "Rewritten", f"{p}-version": item.version})
    assert r.status_code == 422 and "its record is final" in text(r)
    assert reload(review).items.get(pk=item.pk).minutes == item.minutes


def test_refresh_button_rereads_the_inputs(org, members, owner_ctx, web_client_for):
    from aims.context.services import context_issue_create

    review = plan(owner_ctx)
    context_issue_create(ctx=owner_ctx, data={"kind": "external",
                                              "title": "Supervisor statement"})
    web = web_client_for(members["admin"])
    assert web.get(url(org, f"{review.pk}/refresh/")).status_code == 405
    r = web.post(url(org, f"{review.pk}/refresh/"))
    assert r.status_code == 302
    assert "Supervisor statement" in text(web.get(r.url))


def test_delete_pages(org, members, owner_ctx, web_client_for):
    review = plan(owner_ctx, title="Planned by mistake")
    decision = services.decision_add(ctx=owner_ctx, review_id=review.pk, data={
        "kind": "other", "text": "Buy a tool.", "action": "Buy it",
        "owner": members["admin"].pk, "due_date": TOMORROW})
    web = web_client_for(members["admin"])
    confirm = text(web.get(url(org, f"{review.pk}/delete/")))
    assert "Planned by mistake" in confirm and "a held one is part of the record" in confirm
    r = web.post(url(org, f"{review.pk}/delete/"), {"version": review.version})
    assert r.status_code == 422 and "withdraw its decisions first" in text(r)
    page = text(web.get(url(org, f"{review.pk}/decisions/{decision.pk}/delete/")))
    assert "Buy a tool." in page and "stays a task" in page
    r = web.post(url(org, f"{review.pk}/decisions/{decision.pk}/delete/"),
                 {"version": decision.version})
    assert r.status_code == 302 and r.url.endswith("#decisions")
    assert not Decision.objects.for_org(org).exists()
    r = web.post(url(org, f"{review.pk}/delete/"), {"version": review.version + 1})
    assert r.status_code == 409 and ManagementReview.objects.for_org(org).exists()
    r = web.post(url(org, f"{review.pk}/delete/"), {"version": review.version})
    assert r.status_code == 302 and r.url == url(org)
    assert not ManagementReview.objects.for_org(org).exists()


def test_list_filters_and_the_last_held_review(org, members, owner_ctx, web_client_for):
    held = make_ready(owner_ctx, plan(owner_ctx, on=datetime.date(2025, 3, 31),
                                      title="Spring review"))
    services.review_hold(ctx=owner_ctx, review_id=held.pk, version=held.version)
    plan(owner_ctx, on=TOMORROW, title="Autumn review")
    web = web_client_for(members["viewer"])
    page = text(web.get(url(org)))
    assert "Last held: " in page and "MR-001 on 2025-03-31" in page
    assert "Spring review" in page and "Autumn review" in page
    assert "Plan a review" not in page  # a viewer may not
    held_only = text(web.get(url(org), {"status": "held"}))
    assert "Spring review" in held_only and "Autumn review" not in held_only
    this_year = text(web.get(url(org), {"year": TOMORROW.year}))
    assert "Autumn review" in this_year and "Spring review" not in this_year
    none = text(web.get(url(org), {"q": "winter"}))
    assert "No review matches these filters." in none
    # An invalid filter is ignored rather than failing.
    assert "Spring review" in text(web.get(url(org), {"year": "soon"}))


@pytest.mark.parametrize("role", ALL_ROLES)
def test_every_role_reads_the_pages(org, members, owner_ctx, role, web_client_for):
    review = plan(owner_ctx, title="Board AIMS review", location="Board room")
    item = review.items.get(key="audits")
    services.agenda_item_update(ctx=owner_ctx, review_id=review.pk, item_id=item.pk,
                                minutes="One minor finding.", version=item.version)
    web = web_client_for(members[role])
    listing = text(web.get(url(org)))
    assert "MR-001 Board AIMS review" in listing
    r = web.get(url(org, f"{review.pk}/"))
    assert r.status_code == 200
    page = text(r)
    for spec in INPUTS:
        assert spec.title in page, spec.title
    assert "One minor finding." in page and "Board room" in page
    may_write = role in ("owner", "admin")
    assert ("Save minutes" in page) is may_write
    assert ("Record a decision" in page) is may_write
    assert ("Refresh inputs" in page) is may_write
    pdf = web.get(url(org, f"{review.pk}/pack.pdf"))
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    assert "One minor finding." in pdf_text(pdf.content)


@pytest.mark.parametrize("role", ["editor", "viewer", "auditor"])
def test_write_views_refuse_other_roles(org, members, owner_ctx, role, web_client_for):
    review = plan(owner_ctx)
    item = review.items.first()
    decision = services.decision_add(ctx=owner_ctx, review_id=review.pk,
                                     data={"kind": "other", "text": "Keep the scope."})
    web = web_client_for(members[role])
    one = url(org, f"{review.pk}/")
    p = _prefix(item)
    for path in ("new/", f"{review.pk}/edit/", f"{review.pk}/delete/",
                 f"{review.pk}/decisions/{decision.pk}/delete/"):
        assert web.get(url(org, path)).status_code == 403, path
    for path, data in (
        (url(org, "new/"), {"title": "Mine", "meeting_date": TODAY.isoformat(), "version": ""}),
        (f"{one}edit/", {"title": "Mine", "meeting_date": TODAY.isoformat(),
                         "version": review.version}),
        (f"{one}refresh/", {}),
        (f"{one}hold/", {"version": review.version}),
        (f"{one}agenda/{item.pk}/minutes/", {f"{p}-minutes": "Mine", f"{p}-version": 1}),
        (f"{one}decisions/new/", {"kind": "other", "text": "Mine."}),
        (f"{one}decisions/{decision.pk}/delete/", {"version": decision.version}),
        (f"{one}delete/", {"version": review.version}),
    ):
        assert web.post(path, data).status_code == 403, path
    after = reload(review)
    assert (after.title, after.version) == ("AIMS review", review.version)
    assert ManagementReview.objects.for_org(org).count() == 1
    assert Decision.objects.for_org(org).count() == 1
    assert after.items.get(pk=item.pk).minutes == ""


def test_other_organisations_reviews_are_404(org, other_org, members, web_client_for):
    from aims.orgs.models import Membership

    their_owner = Membership.objects.get(org=other_org, role="owner").user
    theirs = plan(ctx_for(other_org, their_owner), title="Their review")
    item = theirs.items.first()
    web = web_client_for(members["owner"])
    for path in ("", "edit/", "delete/", "pack.pdf"):
        r = web.get(url(org, f"{theirs.pk}/{path}"))
        assert r.status_code == 404, path
        assert "Their review" not in r.content.decode()
    for path in ("refresh/", "hold/", f"agenda/{item.pk}/minutes/", "decisions/new/"):
        assert web.post(url(org, f"{theirs.pk}/{path}"), {"version": 1}).status_code == 404
    assert web.get(url(other_org, f"{theirs.pk}/")).status_code == 404
    assert reload(theirs).title == "Their review"


# ---------------------------------------------------------------------------- the PDF pack


def test_pack_pdf_text(owner_ctx, members):
    review = plan(owner_ctx, TODAY, location="Board room 2")
    services.decision_add(ctx=owner_ctx, review_id=review.pk, data={
        "kind": "resources", "text": "Fund a second model validator.",
        "action": "Hire validator", "owner": members["editor"].pk, "due_date": TODAY})
    content, ctype, name = review_pdf(ctx=owner_ctx, review_id=review.pk)
    assert ctype == "application/pdf" and name.endswith("mr-001-management-review.pdf")
    text_ = pdf_text(content)
    for expected in ("MR-001", "Board room 2", "Status of actions from previous",
                     "Monitoring and measurement results", "Fund a second model validator",
                     "Hire validator"):
        assert expected in text_, expected


def test_pack_of_a_held_review_has_every_item_its_minutes_and_conclusions(
        org, members, owner_ctx, web_client_for):
    review = plan(owner_ctx, title="Year-end review",
                  attendees=[members["owner"].pk, members["admin"].pk])
    for item in review.items.all():
        services.agenda_item_update(ctx=owner_ctx, review_id=review.pk, item_id=item.pk,
                                    minutes=f"Minute on item {item.position}.",
                                    version=item.version)
    review = reload(review)
    review = services.review_update(ctx=owner_ctx, review_id=review.pk, version=review.version,
                                    data={"conclusions": "The AIMS stays fit for purpose."})
    services.review_hold(ctx=owner_ctx, review_id=review.pk, version=review.version)
    r = web_client_for(members["auditor"]).get(url(org, f"{review.pk}/pack.pdf"))
    assert r.status_code == 200
    assert r["Content-Disposition"].endswith('acme-mr-001-management-review.pdf"')
    body = pdf_text(r.content)
    for position, spec in enumerate(INPUTS, start=1):
        assert f"{position}. {spec.title}" in body, spec.title
        assert f"Minute on item {position}." in body
    assert "The AIMS stays fit for purpose." in body
    assert "Held — record final" in body and "Not minuted." not in body
    assert members["admin"].display_name in body


# ---------------------------------------------------------------------------- query counts


def _grow(org, owner, n):
    for _ in range(n):
        i = next(_seq)
        person = add_member(org, "admin", email=f"qc-mr-{i}@{org.slug}.example.com")
        c = ctx_for(org, person)
        review = plan(c, datetime.date(2024, 1, 1) + datetime.timedelta(days=i),
                      attendees=[person.pk, owner.pk])
        services.decision_add(ctx=c, review_id=review.pk, data={
            "kind": "other", "text": f"Decision {i}"})


def test_list_queries_bounded(org, members, web_client_for, django_assert_max_num_queries):
    web = web_client_for(members["viewer"])
    counts, total = [], 0
    for n in (5, 35):
        _grow(org, members["owner"], n)
        total += n
        assert web.get(url(org)).status_code == 200
        with django_assert_max_num_queries(10 + SESSION) as captured:
            r = web.get(url(org))
        assert r.status_code == 200 and r.content.decode().count(">MR-") == total
        counts.append(len(captured))
    assert counts[0] == counts[1], counts


@pytest.mark.parametrize("role", ["viewer", "owner"])
def test_detail_queries_bounded(org, members, owner_ctx, role, web_client_for,
                                django_assert_max_num_queries):
    """One review with ever more attendees and decisions that became actions, read by someone
    who only reads and by someone who edits (forms, member pickers, hold checks)."""
    from aims.accounts.models import User

    web = web_client_for(members[role])
    review = plan(owner_ctx)
    counts = []
    for n in (5, 40):
        while review.decisions.count() < n:
            i = next(_seq)
            person = add_member(org, "editor", email=f"qc-mr-v-{i}@{org.slug}.example.com")
            services.decision_add(ctx=owner_ctx, review_id=review.pk, data={
                "kind": "change", "text": f"Decision {i}", "action": f"Action {i}",
                "owner": person.pk, "due_date": TOMORROW})
        everyone = list(User.objects.filter(email__startswith="qc-mr-v-")
                        .values_list("pk", flat=True))
        review = reload(review)
        review = services.review_update(ctx=owner_ctx, review_id=review.pk,
                                        version=review.version, data={"attendees": everyone})
        assert web.get(url(org, f"{review.pk}/")).status_code == 200
        # A planned review reads its nine inputs live (about a dozen queries, whatever the
        # size of the record), so an incident recorded after planning is listed.
        with django_assert_max_num_queries(30) as captured:
            r = web.get(url(org, f"{review.pk}/"))
        assert r.status_code == 200 and r.content.decode().count("<td>Decision ") == n
        counts.append(len(captured))
    assert counts[0] == counts[1], counts


def test_a_planned_review_lists_an_incident_recorded_after_it_was_planned(
        org, members, owner_ctx, web_client_for):
    from django.utils import timezone

    from aims.improvement.services import incident_create
    review = plan(owner_ctx, TOMORROW)
    now = timezone.now()
    incident_create(ctx=owner_ctx, data={
        "title": "Approval rate drop for young applicants", "incident_type": "bias",
        "occurred_at": now - datetime.timedelta(hours=2), "detected_at": now,
        "description": "Approval rate for applicants under 25 fell by 9 points."})
    page = text(web_client_for(members["viewer"]).get(url(org, f"{review.pk}/")))
    assert "Approval rate drop for young applicants" in page
    assert "1 AI incident between" in page or "1 AI incident up to" in page
    pdf = pdf_text(review_pdf(ctx=owner_ctx, review_id=review.pk)[0])
    assert "Approval rate drop for young applicants" in pdf


def test_minutes_saved_with_htmx_replace_only_their_own_form(org, members, owner_ctx,
                                                             web_client_for):
    review = plan(owner_ctx)
    first, second = review.items.order_by("position")[:2]
    web = web_client_for(members["owner"])
    page = text(web.get(url(org, f"{review.pk}/")))
    # A compact agenda: one summary line per item, the minutes of each in its own form.
    assert page.count('class="agenda-item"') == len(INPUTS)
    assert page.count('class="minutes-form"') == len(INPUTS)
    p = _prefix(first)
    r = web.post(url(org, f"{review.pk}/agenda/{first.pk}/minutes/"),
                 {f"{p}-minutes": "Actions are on track.", f"{p}-version": first.version},
                 HTTP_HX_REQUEST="true")
    assert r.status_code == 200
    part = text(r)
    assert "<html" not in part and f'id="minutes-{first.pk}"' in part
    assert f'id="minutes-{second.pk}"' not in part
    assert "Actions are on track." in part and "Saved" in part
    assert f'value="{first.version + 1}"' in part  # the next save is not a conflict
    assert review.items.get(pk=first.pk).minutes == "Actions are on track."
    assert review.items.get(pk=second.pk).minutes == ""


def test_pack_names_people_not_their_addresses(org, members, owner_ctx):
    owner, editor = members["owner"], members["editor"]
    owner.full_name, editor.full_name = "Olivia Owner", "Eddie Editor"
    owner.save(update_fields=["full_name"])
    editor.save(update_fields=["full_name"])
    review = plan(owner_ctx, TODAY, attendees=[owner.pk, editor.pk])
    services.decision_add(ctx=owner_ctx, review_id=review.pk, data={
        "kind": "resources", "text": "Fund a second model validator.",
        "action": "Hire validator", "owner": editor.pk, "due_date": TODAY})
    pdf = pdf_text(review_pdf(ctx=owner_ctx, review_id=review.pk)[0])
    assert "Olivia Owner" in pdf and "Eddie Editor" in pdf
    assert owner.email not in pdf and editor.email not in pdf
