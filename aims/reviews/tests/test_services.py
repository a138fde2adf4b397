"""Management review writes: planning, minutes, decisions, holding and deleting, with their
permission, version and validation rules."""

from __future__ import annotations

import datetime

import pytest

from aims.activity.models import Event
from aims.context.services import context_issue_create
from aims.core.errors import Conflict, NotFound, PermissionDenied, ValidationError
from aims.reviews import services
from aims.reviews.inputs import INPUTS
from aims.reviews.models import Decision, ManagementReview
from aims.reviews.tests.conftest import (
    TODAY,
    TOMORROW,
    YESTERDAY,
    inputs_of,
    make_ready,
    minute_all,
    plan,
    reload,
)
from aims.tasks.models import Task, TaskKind
from aims.testing.factories import ctx_for

pytestmark = pytest.mark.django_db


def _events(obj) -> list[Event]:
    return list(Event.objects.filter(org=obj.org, object_id=str(obj.pk)).order_by("seq"))


# ---------------------------------------------------------------------------- planning


def test_agenda_holds_every_required_input(owner_ctx, members):
    review = plan(owner_ctx)
    assert review.ref == "MR-001"
    items = list(review.items.order_by("position"))
    assert [i.key for i in items] == [i.key for i in INPUTS]
    assert [i.title for i in items] == [i.title for i in INPUTS]
    assert [i.position for i in items] == list(range(1, len(INPUTS) + 1))
    for item in items:
        assert item.inputs["summary"], item.key
        assert item.minutes == ""


def test_plan_numbers_strips_and_logs(owner_ctx, members):
    first = plan(owner_ctx, title="  H1 review  ", location=" Board room ",
                 attendees=[members["owner"].pk, members["admin"].pk, members["owner"].pk])
    second = plan(owner_ctx, on=YESTERDAY)
    assert (first.ref, second.ref) == ("MR-001", "MR-002")
    first = reload(first)
    assert (first.title, first.location, first.status) == ("H1 review", "Board room", "planned")
    assert first.chair == members["owner"]
    assert {u.pk for u in first.attendees.all()} == {members["owner"].pk, members["admin"].pk}
    [event] = _events(first)
    assert event.action == "create" and event.actor_label == members["owner"].email
    assert event.changes["attendees"] == {
        "before": None, "after": sorted([members["owner"].email, members["admin"].email])}


@pytest.mark.parametrize("data, field, message", [
    ({"chair": "not-a-member"}, "chair", "Must be a member of this organisation."),
    ({"attendees": "someone"}, "attendees", "Send a list of member ids."),
    ({"period_start": TOMORROW}, "period_start", "The period cannot start after the meeting."),
    ({"title": "   "}, "title", "This field cannot be blank."),
    ({"status": "held"}, "status", "Unknown field."),
])
def test_plan_refuses_bad_input_by_field(owner_ctx, data, field, message):
    with pytest.raises(ValidationError) as exc:
        plan(owner_ctx, **data)
    assert exc.value.errors[field] == [message]
    assert not ManagementReview.objects.for_org(owner_ctx.org).exists()


def test_attendees_and_chair_must_be_members(owner_ctx, other_org):
    from aims.orgs.models import Membership

    outsider = Membership.objects.get(org=other_org, role="owner").user
    with pytest.raises(ValidationError) as exc:
        plan(owner_ctx, attendees=[owner_ctx.user.pk, outsider.pk])
    assert exc.value.errors == {"attendees": ["Must be a member of this organisation."]}
    with pytest.raises(ValidationError) as exc:
        plan(owner_ctx, chair=outsider.pk)
    assert "chair" in exc.value.errors


def test_only_owners_and_admins_write(org, members):
    for role in ("editor", "viewer", "auditor"):
        with pytest.raises(PermissionDenied):
            plan(ctx_for(org, members[role]), chair=members["owner"].pk)
    assert plan(ctx_for(org, members["admin"])).ref == "MR-001"


@pytest.mark.parametrize("role", ["editor", "viewer", "auditor"])
def test_every_write_refuses_other_roles(org, members, owner_ctx, role):
    review = plan(owner_ctx)
    item = review.items.first()
    decision = services.decision_add(ctx=owner_ctx, review_id=review.pk,
                                     data={"kind": "other", "text": "Keep the scope."})
    review = reload(review)
    them = ctx_for(org, members[role])
    calls = [
        lambda: services.review_update(ctx=them, review_id=review.pk, version=review.version,
                                       data={"title": "Renamed"}),
        lambda: services.review_refresh(ctx=them, review_id=review.pk),
        lambda: services.agenda_item_update(ctx=them, review_id=review.pk, item_id=item.pk,
                                            minutes="Mine.", version=item.version),
        lambda: services.decision_add(ctx=them, review_id=review.pk,
                                      data={"kind": "other", "text": "Theirs."}),
        lambda: services.decision_delete(ctx=them, review_id=review.pk,
                                         decision_id=decision.pk, version=decision.version),
        lambda: services.review_hold(ctx=them, review_id=review.pk, version=review.version),
        lambda: services.review_delete(ctx=them, review_id=review.pk, version=review.version),
    ]
    for call in calls:
        with pytest.raises(PermissionDenied):
            call()
    after = reload(review)
    assert (after.title, after.version, after.status) == ("AIMS review", review.version,
                                                          "planned")
    assert Decision.objects.for_org(org).count() == 1


# ---------------------------------------------------------------------------- changing


def test_update_checks_the_version(owner_ctx, admin_ctx):
    review = plan(owner_ctx)
    services.review_update(ctx=admin_ctx, review_id=review.pk, version=review.version,
                           data={"title": "Renamed by the admin"})
    with pytest.raises(Conflict) as exc:
        services.review_update(ctx=owner_ctx, review_id=review.pk, version=review.version,
                               data={"title": "Renamed by the owner"})
    assert exc.value.current["version"] == review.version + 1
    assert exc.value.current["title"] == "Renamed by the admin"
    with pytest.raises(ValidationError) as exc:
        services.review_update(ctx=owner_ctx, review_id=review.pk, version=None,
                               data={"title": "No version"})
    assert "version" in exc.value.errors
    assert reload(review).title == "Renamed by the admin"


def test_update_logs_attendee_changes_and_ignores_a_no_op(owner_ctx, members):
    review = plan(owner_ctx)
    same = services.review_update(ctx=owner_ctx, review_id=review.pk, version=review.version,
                                  data={"title": "AIMS review",
                                        "attendees": [members["owner"].pk]})
    assert same.version == review.version and len(_events(review)) == 1
    changed = services.review_update(
        ctx=owner_ctx, review_id=review.pk, version=review.version,
        data={"attendees": [members["owner"].pk, members["editor"].pk]})
    assert changed.version == review.version + 1
    assert {u.pk for u in reload(review).attendees.all()} == {members["owner"].pk,
                                                               members["editor"].pk}
    assert _events(review)[-1].changes == {"attendees": {
        "before": [members["owner"].email],
        "after": sorted([members["owner"].email, members["editor"].email])}}


def test_period_after_the_meeting_is_refused_on_update(owner_ctx):
    review = plan(owner_ctx, on=YESTERDAY)
    with pytest.raises(ValidationError) as exc:
        services.review_update(ctx=owner_ctx, review_id=review.pk, version=review.version,
                               data={"period_start": TODAY})
    assert exc.value.errors == {"period_start": ["The period cannot start after the meeting."]}


def test_moving_the_meeting_rereads_the_inputs_and_keeps_the_minutes(owner_ctx):
    review = plan(owner_ctx, on=YESTERDAY)
    item = review.items.get(key="context_changes")
    services.agenda_item_update(ctx=owner_ctx, review_id=review.pk, item_id=item.pk,
                                minutes="Nothing new.", version=item.version)
    issue = context_issue_create(ctx=owner_ctx, data={
        "kind": "external", "title": "Supervisor's statement on AI in lending"})
    assert issue.title not in str(inputs_of(review, "context_changes"))
    review = reload(review)
    services.review_update(ctx=owner_ctx, review_id=review.pk, version=review.version,
                           data={"meeting_date": TODAY})
    after = reload(review).items.get(key="context_changes")
    assert issue.title in str(after.inputs) and after.minutes == "Nothing new."


def test_refresh_rereads_the_inputs_and_logs_it(owner_ctx):
    review = plan(owner_ctx)
    issue = context_issue_create(ctx=owner_ctx, data={"kind": "internal",
                                                      "title": "New data science lead"})
    assert issue.title not in str(inputs_of(review, "context_changes"))
    services.review_refresh(ctx=owner_ctx, review_id=review.pk)
    assert issue.title in str(inputs_of(review, "context_changes"))
    assert _events(review)[-1].changes == {"inputs": {
        "before": None, "after": f"read again as of {TODAY.isoformat()}"}}


def test_minutes_are_stripped_versioned_and_belong_to_their_review(owner_ctx):
    review, other = plan(owner_ctx), plan(owner_ctx, on=YESTERDAY)
    item = review.items.get(key="risks")
    saved = services.agenda_item_update(ctx=owner_ctx, review_id=review.pk, item_id=item.pk,
                                        minutes="  Risks are owned.\n", version=item.version)
    assert (saved.minutes, saved.version) == ("Risks are owned.", item.version + 1)
    with pytest.raises(Conflict):
        services.agenda_item_update(ctx=owner_ctx, review_id=review.pk, item_id=item.pk,
                                    minutes="Stale.", version=item.version)
    with pytest.raises(NotFound):
        services.agenda_item_update(ctx=owner_ctx, review_id=other.pk, item_id=item.pk,
                                    minutes="Wrong review.", version=saved.version)
    assert review.items.get(key="risks").minutes == "Risks are owned."


def test_other_organisations_reviews_are_not_found(owner_ctx, other_org):
    from aims.orgs.models import Membership

    theirs_ctx = ctx_for(other_org, Membership.objects.get(org=other_org, role="owner").user)
    theirs = plan(theirs_ctx)
    item = theirs.items.first()
    calls = [
        lambda: services.review_update(ctx=owner_ctx, review_id=theirs.pk,
                                       version=theirs.version, data={"title": "Taken"}),
        lambda: services.review_refresh(ctx=owner_ctx, review_id=theirs.pk),
        lambda: services.agenda_item_update(ctx=owner_ctx, review_id=theirs.pk,
                                            item_id=item.pk, minutes="x", version=item.version),
        lambda: services.decision_add(ctx=owner_ctx, review_id=theirs.pk,
                                      data={"kind": "other", "text": "x"}),
        lambda: services.review_hold(ctx=owner_ctx, review_id=theirs.pk,
                                     version=theirs.version),
        lambda: services.review_delete(ctx=owner_ctx, review_id=theirs.pk,
                                       version=theirs.version),
    ]
    for call in calls:
        with pytest.raises(NotFound):
            call()
    # Nor is one of their agenda items reachable through one of ours.
    ours = plan(owner_ctx)
    with pytest.raises(NotFound):
        services.agenda_item_update(ctx=owner_ctx, review_id=ours.pk, item_id=item.pk,
                                    minutes="x", version=item.version)
    assert reload(theirs).title == "AIMS review"


# ---------------------------------------------------------------------------- decisions


def test_decision_with_an_action_becomes_a_review_action_task(owner_ctx, members):
    review = plan(owner_ctx, on=YESTERDAY)
    due = TODAY + datetime.timedelta(days=30)
    decision = services.decision_add(ctx=owner_ctx, review_id=review.pk, data={
        "kind": "resources", "text": "Fund a second model validator.\nBudget from Q3.",
        "action": "Hire a model validator", "owner": members["editor"].pk, "due_date": due})
    task = Task.objects.for_org(owner_ctx.org).get()
    assert decision.task == task and decision.kind == "resources"
    assert (task.kind, task.subject_kind, task.subject_id) == (
        TaskKind.REVIEW_ACTION, "management_review", review.pk)
    assert (task.title, task.owner, task.due_date, task.status) == (
        "Hire a model validator", members["editor"], due, "open")
    assert task.description == (f"Decided in MR-001 ({YESTERDAY.isoformat()}): Fund a second "
                                "model validator.\nBudget from Q3.")
    assert _events(decision)[0].changes["task"] == {"before": None, "after": task.ref}


def test_action_title_defaults_to_the_decisions_first_line(owner_ctx, members):
    review = plan(owner_ctx)
    decision = services.decision_add(ctx=owner_ctx, review_id=review.pk, data={
        "kind": "change", "text": "Extend bias monitoring to CV screening.\nStart in May.",
        "owner": members["admin"].pk, "due_date": TOMORROW})
    assert decision.task.title == "Extend bias monitoring to CV screening."


def test_decision_without_action_is_only_recorded(owner_ctx):
    review = plan(owner_ctx)
    decision = services.decision_add(ctx=owner_ctx, review_id=review.pk, data={
        "kind": "other", "text": "The scope stays as it is."})
    assert decision.task is None and str(decision) == "The scope stays as it is."
    assert not Task.objects.for_org(owner_ctx.org).exists()
    assert _events(decision)[0].changes["task"] == {"before": None, "after": None}


def test_action_needs_owner_and_due_date(owner_ctx, members):
    review = plan(owner_ctx)
    with pytest.raises(ValidationError) as exc:
        services.decision_add(ctx=owner_ctx, review_id=review.pk, data={
            "kind": "change", "text": "Update the AI policy.", "action": "Redraft policy"})
    assert exc.value.errors == {"owner": ["An action needs an owner."]}
    with pytest.raises(ValidationError) as exc:
        services.decision_add(ctx=owner_ctx, review_id=review.pk, data={
            "kind": "change", "text": "Update the AI policy.", "owner": members["admin"].pk})
    assert exc.value.errors == {"due_date": ["An action needs a due date."]}
    with pytest.raises(ValidationError) as exc:
        services.decision_add(ctx=owner_ctx, review_id=review.pk, data={
            "kind": "change", "text": "Update the AI policy.", "due_date": TOMORROW})
    assert "owner" in exc.value.errors
    assert not review.decisions.exists()
    assert not Task.objects.for_org(owner_ctx.org).exists()


@pytest.mark.parametrize("data, field", [
    ({"kind": "whim", "text": "Do it."}, "kind"),
    ({"kind": "other", "text": ""}, "text"),
    ({"kind": "other", "text": "   \n "}, "text"),
    ({"kind": "other", "text": "Do it.", "owner": "nobody", "due_date": TODAY}, "owner"),
    ({"kind": "other", "text": "Do it.", "priority": "high"}, "priority"),
])
def test_decision_refuses_bad_input_by_field(owner_ctx, data, field):
    review = plan(owner_ctx)
    with pytest.raises(ValidationError) as exc:
        services.decision_add(ctx=owner_ctx, review_id=review.pk, data=data)
    assert field in exc.value.errors
    assert not review.decisions.exists()


def test_withdrawing_a_decision_keeps_its_action(owner_ctx, members):
    review, other = plan(owner_ctx), plan(owner_ctx, on=YESTERDAY)
    decision = services.decision_add(ctx=owner_ctx, review_id=review.pk, data={
        "kind": "other", "text": "Buy a tool.", "action": "Buy it",
        "owner": members["admin"].pk, "due_date": TOMORROW})
    with pytest.raises(NotFound):
        services.decision_delete(ctx=owner_ctx, review_id=other.pk, decision_id=decision.pk,
                                 version=decision.version)
    with pytest.raises(Conflict):
        services.decision_delete(ctx=owner_ctx, review_id=review.pk, decision_id=decision.pk,
                                 version=decision.version + 1)
    services.decision_delete(ctx=owner_ctx, review_id=review.pk, decision_id=decision.pk,
                             version=decision.version)
    assert not review.decisions.exists()
    assert Task.objects.for_org(owner_ctx.org).get().pk == decision.task_id
    assert _events(decision)[-1].action == "delete"


# ---------------------------------------------------------------------------- holding


def test_hold_rules_and_final_record(owner_ctx, members):
    review = plan(owner_ctx, attendees=[members["editor"].pk])
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


def test_hold_problems_name_what_is_missing(owner_ctx, members):
    review = plan(owner_ctx, attendees=[members["editor"].pk])
    minute_all(owner_ctx, review)
    item = reload(review).items.get(key="audits")
    services.agenda_item_update(ctx=owner_ctx, review_id=review.pk, item_id=item.pk,
                                minutes="   ", version=item.version)
    problems = services.hold_problems(owner_ctx, reload(review))
    assert problems == {
        "attendees": ["Top management must attend: none of the owners of the organisation "
                      "(nobody holds the AIMS role Top management) is among the attendees."],
        "conclusions": ["Record top management's conclusion on the AIMS's suitability, "
                        "adequacy and effectiveness."],
        "minutes": ["Minute every agenda item; missing: Audit results."],
    }


def test_a_held_review_is_final(owner_ctx, ready, members):
    item = ready.items.first()
    held = services.review_hold(ctx=owner_ctx, review_id=ready.pk, version=ready.version)
    decision_kept = Decision.objects.for_org(owner_ctx.org).count()
    refused = [
        lambda: services.review_refresh(ctx=owner_ctx, review_id=held.pk),
        lambda: services.agenda_item_update(ctx=owner_ctx, review_id=held.pk, item_id=item.pk,
                                            minutes="Rewritten.", version=item.version),
        lambda: services.review_hold(ctx=owner_ctx, review_id=held.pk, version=held.version),
    ]
    for call in refused:
        with pytest.raises(ValidationError) as exc:
            call()
        assert exc.value.errors == {"status": [
            f"MR-001 was held on {TODAY.isoformat()}; its record is final."]}
    assert reload(held).items.get(pk=item.pk).minutes == item.minutes
    assert Decision.objects.for_org(owner_ctx.org).count() == decision_kept


def test_decisions_of_a_held_review_cannot_be_withdrawn(owner_ctx):
    review = plan(owner_ctx)
    decision = services.decision_add(ctx=owner_ctx, review_id=review.pk,
                                     data={"kind": "other", "text": "Keep the scope."})
    review = make_ready(owner_ctx, review)
    services.review_hold(ctx=owner_ctx, review_id=review.pk, version=review.version)
    with pytest.raises(ValidationError) as exc:
        services.decision_delete(ctx=owner_ctx, review_id=review.pk, decision_id=decision.pk,
                                 version=decision.version)
    assert "status" in exc.value.errors
    assert review.decisions.count() == 1


def test_hold_records_who_and_when_and_checks_the_version(admin_ctx, owner_ctx, members):
    review = make_ready(admin_ctx, plan(admin_ctx, attendees=[members["owner"].pk]))
    with pytest.raises(Conflict):
        services.review_hold(ctx=admin_ctx, review_id=review.pk, version=review.version - 1)
    with pytest.raises(ValidationError) as exc:
        services.review_hold(ctx=admin_ctx, review_id=review.pk, version=None)
    assert "version" in exc.value.errors
    assert not reload(review).is_held
    held = services.review_hold(ctx=admin_ctx, review_id=review.pk, version=review.version)
    held = reload(held)
    assert (held.status, held.recorded_by, held.version) == ("held", members["admin"],
                                                             review.version + 1)
    assert held.held_at is not None
    event = _events(held)[-1]
    assert event.changes["status"] == {"before": "planned", "after": "held"}
    assert event.changes["held_at"]["after"] == held.held_at.isoformat()


def test_hold_reads_the_inputs_one_last_time(owner_ctx, ready):
    issue = context_issue_create(ctx=owner_ctx, data={"kind": "external",
                                                      "title": "New AI liability rules"})
    assert issue.title not in str(inputs_of(ready, "context_changes"))
    services.review_hold(ctx=owner_ctx, review_id=ready.pk, version=ready.version)
    assert issue.title in str(inputs_of(ready, "context_changes"))
    # Once held, the agenda stays as it was presented.
    later = context_issue_create(ctx=owner_ctx, data={"kind": "internal",
                                                      "title": "Reorganised data team"})
    assert later.title not in str(inputs_of(ready, "context_changes"))


def test_future_meeting_cannot_be_held(owner_ctx, members):
    review = plan(owner_ctx, TODAY + datetime.timedelta(days=3))
    assert "meeting_date" in services.hold_problems(owner_ctx, review)
    review = make_ready(owner_ctx, review)
    with pytest.raises(ValidationError) as exc:
        services.review_hold(ctx=owner_ctx, review_id=review.pk, version=review.version)
    assert exc.value.errors == {"meeting_date": [
        "The meeting is in the future: record it once it is held."]}


def _top_management(ctx, member, since, until=None):
    from aims.people.models import AimsRole
    from aims.people.services import aims_roles_add_standard, role_assignment_create

    aims_roles_add_standard(ctx=ctx)
    role = AimsRole.objects.for_org(ctx.org).get(code="top_management")
    return role_assignment_create(ctx=ctx, role_id=role.pk, data={
        "member": member.pk, "since": since, "until": until})


def test_holders_of_the_top_management_role_must_attend(owner_ctx, members):
    _top_management(owner_ctx, members["admin"], since=TODAY - datetime.timedelta(days=90))
    review = make_ready(owner_ctx, plan(owner_ctx))  # the owner attends, the admin does not
    problems = services.hold_problems(owner_ctx, review)
    assert problems == {"attendees": [
        "Top management must attend: none of the holders of the AIMS role Top management is "
        "among the attendees."]}
    review = services.review_update(ctx=owner_ctx, review_id=review.pk, version=review.version,
                                    data={"attendees": [members["admin"].pk]})
    assert services.review_hold(ctx=owner_ctx, review_id=review.pk,
                                version=review.version).is_held


def test_top_management_is_judged_as_of_the_meeting(owner_ctx, members):
    """Who was top management on the meeting day counts, not who is when the minutes are
    recorded: the admin held the role then and attended; the role passed on since."""
    meeting = TODAY - datetime.timedelta(days=30)
    _top_management(owner_ctx, members["admin"], since=meeting - datetime.timedelta(days=300),
                    until=meeting + datetime.timedelta(days=10))
    _top_management(owner_ctx, members["editor"], since=meeting + datetime.timedelta(days=11))
    review = make_ready(owner_ctx, plan(owner_ctx, on=meeting,
                                        attendees=[members["admin"].pk]))
    assert services.hold_problems(owner_ctx, review) == {}
    assert services.review_hold(ctx=owner_ctx, review_id=review.pk,
                                version=review.version).is_held
    # And the one who took the role on after the meeting was not top management at it.
    other = make_ready(owner_ctx, plan(owner_ctx, on=meeting - datetime.timedelta(days=1),
                                       attendees=[members["editor"].pk]))
    assert set(services.hold_problems(owner_ctx, other)) == {"attendees"}


# ---------------------------------------------------------------------------- deleting


def test_delete_a_planned_review(owner_ctx, members):
    review = plan(owner_ctx, attendees=[members["owner"].pk, members["admin"].pk])
    services.decision_add(ctx=owner_ctx, review_id=review.pk,
                          data={"kind": "other", "text": "Noted only."})
    with pytest.raises(Conflict):
        services.review_delete(ctx=owner_ctx, review_id=review.pk, version=review.version + 1)
    services.review_delete(ctx=owner_ctx, review_id=review.pk, version=review.version)
    assert not ManagementReview.objects.for_org(owner_ctx.org).exists()
    assert not Decision.objects.for_org(owner_ctx.org).exists()
    event = _events(review)[-1]
    assert event.action == "delete"
    assert event.changes["attendees"] == {
        "before": sorted([members["owner"].email, members["admin"].email]), "after": None}


def test_a_review_that_assigned_actions_is_kept_until_they_are_withdrawn(owner_ctx, members):
    review = plan(owner_ctx)
    decision = services.decision_add(ctx=owner_ctx, review_id=review.pk, data={
        "kind": "change", "text": "Redraft the policy.", "action": "Redraft",
        "owner": members["admin"].pk, "due_date": TOMORROW})
    with pytest.raises(ValidationError) as exc:
        services.review_delete(ctx=owner_ctx, review_id=review.pk, version=review.version)
    assert exc.value.errors == {"decisions": [
        "Actions were assigned from this review; withdraw its decisions first."]}
    services.decision_delete(ctx=owner_ctx, review_id=review.pk, decision_id=decision.pk,
                             version=decision.version)
    services.review_delete(ctx=owner_ctx, review_id=review.pk, version=review.version)
    assert not ManagementReview.objects.for_org(owner_ctx.org).exists()


def test_a_held_review_cannot_be_deleted(owner_ctx, ready):
    held = services.review_hold(ctx=owner_ctx, review_id=ready.pk, version=ready.version)
    with pytest.raises(ValidationError) as exc:
        services.review_delete(ctx=owner_ctx, review_id=held.pk, version=held.version)
    assert "status" in exc.value.errors
    assert reload(held).is_held
