"""Management reviews (9.3): agenda inputs as of the meeting, minutes, decisions, holding."""

from __future__ import annotations

import datetime
import io
import itertools

import pytest
from django.utils import timezone
from pypdf import PdfReader

from aims.activity.models import Event
from aims.context.services import context_issue_create
from aims.core.errors import PermissionDenied, ValidationError
from aims.objectives.services import monitor_create, monitor_result_record
from aims.reviews import selectors, services
from aims.reviews.inputs import INPUTS, end_of
from aims.reviews.pdf import review_pdf
from aims.tasks.models import Task
from aims.tasks.services import task_complete
from aims.testing.factories import add_member, ctx_for

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()
_seq = itertools.count()


def _review(ctx, owner, on, **extra):
    return services.review_create(ctx=ctx, data={
        "title": "AIMS review", "meeting_date": on, "chair": owner.pk,
        "attendees": [owner.pk], **extra})


def _inputs(review, key):
    return next(i.inputs for i in review.items.all() if i.key == key)


def test_agenda_holds_every_required_input(owner_ctx, members):
    review = _review(owner_ctx, members["owner"], TODAY)
    assert review.ref == "MR-001"
    assert [i.key for i in review.items.order_by("position")] == [i.key for i in INPUTS]
    for item in review.items.all():
        assert item.inputs["summary"], item.key


def test_inputs_as_of_the_meeting_date(owner_ctx, members):
    issue = context_issue_create(ctx=owner_ctx, data={
        "kind": "external", "title": "New supervisory statement on AI in credit"})
    monitor = monitor_create(ctx=owner_ctx, data={
        "name": "Override rate", "indicator": "human_override", "method": "Case log.",
        "frequency": "monthly", "unit": "%", "upper_threshold": "10"})
    monitor_result_record(ctx=owner_ctx, monitor_id=monitor.pk, data={
        "measured_on": datetime.date(2025, 5, 31), "value": "12"})
    monitor_result_record(ctx=owner_ctx, monitor_id=monitor.pk, data={
        "measured_on": datetime.date(2025, 7, 31), "value": "15"})
    past = _review(owner_ctx, members["owner"], datetime.date(2025, 6, 30))
    upcoming = _review(owner_ctx, members["owner"], TODAY + datetime.timedelta(days=7))
    # The issue was recorded today: after the past meeting, before the upcoming one.
    assert issue.title not in str(_inputs(past, "context_changes"))
    assert issue.title in str(_inputs(upcoming, "context_changes"))
    # Monitoring results count by the date they describe, up to the meeting.
    past_monitoring = _inputs(past, "monitoring")
    assert "12 % on 2025-05-31" in str(past_monitoring)
    assert "2025-07-31" not in str(past_monitoring)
    # The upcoming review looks back to the previous meeting only.
    assert "2025-05-31" not in str(_inputs(upcoming, "monitoring"))
    assert "2025-07-31" in str(_inputs(upcoming, "monitoring"))


def test_previous_actions_as_they_stood(owner_ctx, members):
    first = _review(owner_ctx, members["owner"], datetime.date(2025, 1, 31))
    decision = services.decision_add(ctx=owner_ctx, review_id=first.pk, data={
        "kind": "resources", "text": "Fund a second model validator.",
        "action": "Hire validator", "owner": members["editor"].pk,
        "due_date": datetime.date(2025, 3, 31)})
    task = decision.task
    assert task.kind == "review_action" and task.subject_id == first.pk
    Task.all_orgs.filter(pk=task.pk).update(created_at=end_of(datetime.date(2025, 2, 1)))
    second = _review(owner_ctx, members["owner"], datetime.date(2025, 6, 30))
    rows = _inputs(second, "previous_actions")["rows"]
    assert len(rows) == 1 and "overdue since 2025-03-31" in rows[0]["detail"]
    task_complete(ctx=owner_ctx, task_id=task.pk, version=task.version)
    # Completed today: after the second meeting, so it still stood overdue then.
    second = services.review_refresh(ctx=owner_ctx, review_id=second.pk)
    assert "overdue" in _inputs(second, "previous_actions")["rows"][0]["detail"]
    third = _review(owner_ctx, members["owner"], TODAY)
    assert "done" in _inputs(third, "previous_actions")["rows"][0]["detail"]


def test_hold_rules_and_final_record(owner_ctx, members):
    review = _review(owner_ctx, members["owner"], TODAY, attendees=[members["editor"].pk])
    with pytest.raises(ValidationError) as exc:
        services.review_hold(ctx=owner_ctx, review_id=review.pk, version=review.version)
    assert set(exc.value.errors) == {"attendees", "conclusions", "minutes"}
    review = services.review_update(ctx=owner_ctx, review_id=review.pk, version=review.version,
                                    data={"attendees": [members["owner"].pk,
                                                        members["editor"].pk],
                                          "conclusions": "The AIMS remains suitable."})
    for item in review.items.all():
        services.agenda_item_update(ctx=owner_ctx, review_id=review.pk, item_id=item.pk,
                                    minutes=f"Discussed {item.key}.", version=item.version)
    review = services.review_hold(ctx=owner_ctx, review_id=review.pk, version=review.version)
    assert review.is_held and review.held_at
    with pytest.raises(ValidationError):
        services.review_update(ctx=owner_ctx, review_id=review.pk, version=review.version,
                               data={"title": "Changed"})
    with pytest.raises(ValidationError):
        services.decision_add(ctx=owner_ctx, review_id=review.pk,
                              data={"kind": "other", "text": "Late"})
    with pytest.raises(ValidationError):
        services.review_delete(ctx=owner_ctx, review_id=review.pk, version=review.version)
    assert Event.objects.filter(org=review.org, object_id=str(review.pk),
                                changes__status__after="held").exists()


def test_future_meeting_cannot_be_held(owner_ctx, members):
    review = _review(owner_ctx, members["owner"], TODAY + datetime.timedelta(days=3))
    assert "meeting_date" in services.hold_problems(owner_ctx, review)


def test_action_needs_owner_and_due_date(owner_ctx, members):
    review = _review(owner_ctx, members["owner"], TODAY)
    with pytest.raises(ValidationError) as exc:
        services.decision_add(ctx=owner_ctx, review_id=review.pk, data={
            "kind": "change", "text": "Update the AI policy.", "action": "Redraft policy"})
    assert "owner" in exc.value.errors
    with pytest.raises(ValidationError) as exc:
        services.decision_add(ctx=owner_ctx, review_id=review.pk, data={
            "kind": "change", "text": "Update the AI policy.", "owner": members["admin"].pk})
    assert "due_date" in exc.value.errors
    assert not review.decisions.exists()


def test_only_owners_and_admins_write(org, members):
    for role in ("editor", "viewer", "auditor"):
        with pytest.raises(PermissionDenied):
            _review(ctx_for(org, members[role]), members["owner"], TODAY)


def test_pack_pdf_text(owner_ctx, members):
    review = _review(owner_ctx, members["owner"], TODAY, location="Board room 2")
    services.decision_add(ctx=owner_ctx, review_id=review.pk, data={
        "kind": "resources", "text": "Fund a second model validator.",
        "action": "Hire validator", "owner": members["editor"].pk, "due_date": TODAY})
    content, ctype, name = review_pdf(ctx=owner_ctx, review_id=review.pk)
    assert ctype == "application/pdf" and name.endswith("mr-001-management-review.pdf")
    text = " ".join(" ".join(p.extract_text().split())
                    for p in PdfReader(io.BytesIO(content)).pages)
    for expected in ("MR-001", "Board room 2", "Status of actions from previous",
                     "Monitoring and measurement results", "Fund a second model validator",
                     "Hire validator"):
        assert expected in text, expected


def test_api_flow(org, members, api_client_for):
    api = api_client_for(members["owner"])
    base = f"/api/v1/orgs/{org.slug}/management-reviews"
    created = api.post(base, {"title": "H1 review", "meeting_date": TODAY.isoformat(),
                              "attendees": [str(members["owner"].pk)]})
    assert created.status_code == 201, created.content
    body = created.json()
    assert len(body["agenda"]) == len(INPUTS)
    rid = body["id"]
    refused = api.post(f"{base}/{rid}/hold", {"version": body["version"]})
    assert refused.status_code == 422 and "minutes" in refused.json()["errors"]
    for item in body["agenda"]:
        r = api.patch(f"{base}/{rid}/agenda/{item['id']}",
                      {"version": item["version"], "minutes": "Noted."})
        assert r.status_code == 200
    body = api.patch(f"{base}/{rid}", {"version": body["version"],
                                       "conclusions": "Suitable, adequate, effective."}).json()
    held = api.post(f"{base}/{rid}/hold", {"version": body["version"]})
    assert held.status_code == 200 and held.json()["status"] == "held"
    pdf = api.get(f"{base}/{rid}/pack.pdf")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    assert api.get(base).json()["count"] == 1


def test_pages(org, members, owner_ctx, web_client_for):
    web = web_client_for(members["owner"])
    empty = web.get(f"/o/{org.slug}/management-reviews/").content.decode()
    assert "No management review yet" in empty
    created = web.post(f"/o/{org.slug}/management-reviews/new/", {
        "title": "Annual review", "meeting_date": TODAY.isoformat(), "chair": members["owner"].pk,
        "attendees": [members["owner"].pk], "version": ""})
    assert created.status_code == 302, created.content.decode()[:400]
    review = selectors.review_list(ctx=owner_ctx).get()
    page = web.get(f"/o/{org.slug}/management-reviews/{review.pk}/").content.decode()
    assert "Status of actions from previous management reviews" in page
    assert "Before the review can be recorded as held" in page
    added = web.post(f"/o/{org.slug}/management-reviews/{review.pk}/decisions/new/", {
        "kind": "change", "text": "Adopt the revised policy.", "action": "Publish policy v3",
        "owner": members["editor"].pk, "due_date": TODAY.isoformat()})
    assert added.status_code == 302
    bad = web.post(f"/o/{org.slug}/management-reviews/{review.pk}/decisions/new/", {
        "kind": "change", "text": "", "action": ""})
    assert bad.status_code == 422
    viewer = web_client_for(members["viewer"])
    assert viewer.get(f"/o/{org.slug}/management-reviews/new/").status_code == 403
    assert viewer.get(f"/o/{org.slug}/management-reviews/{review.pk}/").status_code == 200


def _grow(org, owner, n):
    for _ in range(n):
        i = next(_seq)
        person = add_member(org, "admin", email=f"qc-mr-{i}@{org.slug}.example.com")
        c = ctx_for(org, person)
        review = _review(c, person, datetime.date(2024, 1, 1) + datetime.timedelta(days=i),
                         attendees=[person.pk, owner.pk])
        services.decision_add(ctx=c, review_id=review.pk, data={
            "kind": "other", "text": f"Decision {i}"})


def test_list_queries_bounded(org, members, web_client_for, api_client_for,
                              django_assert_max_num_queries):
    web, api = web_client_for(members["viewer"]), api_client_for(members["viewer"])
    for fetch, bound in ((lambda: web.get(f"/o/{org.slug}/management-reviews/"), 10),
                         (lambda: api.get(f"/api/v1/orgs/{org.slug}/management-reviews",
                                          {"limit": 100}), 6)):
        counts = []
        for n in (5, 40):
            _grow(org, members["owner"], n)
            assert fetch().status_code == 200
            with django_assert_max_num_queries(bound) as captured:
                assert fetch().status_code == 200
            counts.append(len(captured))
        assert counts[0] == counts[1], counts


def test_nonconformities_as_of_the_meeting(owner_ctx, members):
    from aims.improvement.services import nonconformity_create

    nc = nonconformity_create(ctx=owner_ctx, data={
        "title": "Override log not reviewed", "source": "audit_finding", "severity": "minor",
        "description": "Nobody looked at the override log in March."})
    past = _review(owner_ctx, members["owner"], datetime.date(2025, 6, 30))
    today = _review(owner_ctx, members["owner"], TODAY)
    assert nc.ref not in str(_inputs(past, "nonconformities"))  # raised after that meeting
    rows = _inputs(today, "nonconformities")["rows"]
    assert len(rows) == 1 and nc.ref in rows[0]["label"] and "open since" in rows[0]["detail"]
