import datetime

import pytest
from django.utils import timezone

from aims.activity.models import Event
from aims.core.dates import add_months
from aims.core.errors import Conflict, NotFound, PermissionDenied, ValidationError
from aims.impact import selectors, services
from aims.impact.models import Status, Trigger
from aims.impact.tests.conftest import (
    IMPACT,
    SECTIONS,
    approve_next,
    events_for,
    submitted_on,
)
from aims.inventory.services import ai_system_delete, system_change_record
from aims.testing.factories import add_member, ctx_for, make_ai_system

pytestmark = pytest.mark.django_db


# ---------------------------------------------------------------- drafting


def test_first_assessment_starts_from_the_inventory(ctx, system):
    a = services.assessment_create(ctx=ctx, data={"ai_system": system.pk})
    assert (a.number, a.status, a.trigger, a.author) == (1, "draft", Trigger.INITIAL, ctx.user)
    assert a.intended_purpose == system.intended_purpose
    assert "Web and branch applications." in a.context_of_use
    assert "Officers review every decline." in a.context_of_use
    assert a.affected_individuals == "Applicants."
    (event,) = events_for(a)
    assert event.action == "create" and event.changes["number"]["after"] == 1


def test_one_version_in_progress_at_a_time(ctx, draft, system):
    with pytest.raises(ValidationError) as exc:
        services.assessment_create(ctx=ctx, data={"ai_system": system.pk, "trigger": "other"})
    assert "already has version 1 draft" in exc.value.errors["ai_system"][0]


def test_system_of_another_org_is_a_field_error(ctx, other_org):
    from aims.orgs.models import Membership

    other_owner = Membership.objects.get(org=other_org).user
    foreign = make_ai_system(ctx_for(other_org, other_owner), name="Foreign")
    with pytest.raises(ValidationError) as exc:
        services.assessment_create(ctx=ctx, data={"ai_system": foreign.pk})
    assert "ai_system" in exc.value.errors


def test_viewer_cannot_draft(org, members, system):
    viewer = ctx_for(org, members["viewer"])
    with pytest.raises(PermissionDenied):
        services.assessment_create(ctx=viewer, data={"ai_system": system.pk})


def test_draft_edits_are_versioned_and_logged(ctx, draft):
    a = services.assessment_update(ctx=ctx, assessment_id=draft.pk, version=draft.version,
                                   data={"conclusion": "  Acceptable.  "})
    assert a.conclusion == "Acceptable." and a.version == draft.version + 1
    assert events_for(a)[-1].changes == {
        "conclusion": {"before": SECTIONS["conclusion"], "after": "Acceptable."}}
    with pytest.raises(Conflict):
        services.assessment_update(ctx=ctx, assessment_id=draft.pk, version=draft.version,
                                   data={"conclusion": "Lost"})


def test_unknown_fields_and_initial_trigger_on_a_later_version_are_refused(ctx, admin_ctx,
                                                                           approved, system):
    with pytest.raises(ValidationError) as exc:
        services.assessment_create(ctx=ctx, data={"ai_system": system.pk, "status": "approved"})
    assert exc.value.errors == {"status": ["Unknown field."]}
    with pytest.raises(ValidationError) as exc:
        services.assessment_create(ctx=ctx, data={"ai_system": system.pk, "trigger": "initial"})
    assert "only the first assessment" in exc.value.errors["trigger"][0]


def test_negative_impact_needs_a_residual_rating(ctx, draft):
    with pytest.raises(ValidationError) as exc:
        services.impact_create(ctx=ctx, assessment_id=draft.pk,
                               data={**IMPACT, "residual_rating": ""})
    assert "residual_rating" in exc.value.errors
    positive = services.impact_create(ctx=ctx, assessment_id=draft.pk, data={
        **IMPACT, "nature": "positive", "residual_rating": None, "mitigations": None,
        "description": "Faster decisions for most applicants."})
    assert positive.residual_rating == "" and positive.mitigations == ""


def test_impact_of_another_assessment_is_not_found(ctx, draft, org, members):
    other_system = make_ai_system(ctx, name="Chatbot")
    other = services.assessment_create(ctx=ctx, data={"ai_system": other_system.pk, **SECTIONS})
    impact = draft.impacts.get()
    with pytest.raises(NotFound):
        services.impact_update(ctx=ctx, assessment_id=other.pk, impact_id=impact.pk,
                               version=impact.version, data={"description": "Moved"})


# ---------------------------------------------------------------- review and approval


def test_submit_checks_every_section_and_the_impacts(ctx, system):
    a = services.assessment_create(ctx=ctx, data={"ai_system": system.pk})
    with pytest.raises(ValidationError) as exc:
        services.assessment_submit(ctx=ctx, assessment_id=a.pk, version=a.version)
    errors = exc.value.errors
    assert {"foreseeable_misuse", "affected_groups", "societal_effects", "conclusion",
            "impacts"} <= set(errors)
    assert "intended_purpose" not in errors  # pre-filled from the inventory
    a = services.assessment_update(ctx=ctx, assessment_id=a.pk, version=a.version, data=SECTIONS)
    services.impact_create(ctx=ctx, assessment_id=a.pk, data={**IMPACT, "mitigations": ""})
    with pytest.raises(ValidationError) as exc:
        services.assessment_submit(ctx=ctx, assessment_id=a.pk, version=a.version)
    assert list(exc.value.errors) == ["impacts"]
    assert "needs its mitigations" in exc.value.errors["impacts"][0]


def test_submitted_assessment_is_locked_for_editing(ctx, in_review):
    assert in_review.status == Status.IN_REVIEW and in_review.submitted_at is not None
    with pytest.raises(ValidationError) as exc:
        services.assessment_update(ctx=ctx, assessment_id=in_review.pk,
                                   version=in_review.version, data={"conclusion": "Changed"})
    assert "Only an assessment that is draft can be edited" in exc.value.errors["status"][0]
    with pytest.raises(ValidationError):
        services.impact_create(ctx=ctx, assessment_id=in_review.pk, data=IMPACT)


def test_author_cannot_approve_their_own_assessment(org, members, system):
    admin = ctx_for(org, members["admin"])
    a = services.assessment_create(ctx=admin, data={"ai_system": system.pk, **SECTIONS})
    services.impact_create(ctx=admin, assessment_id=a.pk, data=IMPACT)
    a = services.assessment_submit(ctx=admin, assessment_id=a.pk, version=1)
    with pytest.raises(PermissionDenied) as exc:
        services.assessment_approve(ctx=admin, assessment_id=a.pk, version=a.version)
    assert "approver ≠ author" in exc.value.message
    owner = ctx_for(org, members["owner"])
    assert services.assessment_approve(ctx=owner, assessment_id=a.pk,
                                       version=a.version).status == Status.APPROVED


@pytest.mark.parametrize("role", ["editor", "viewer", "auditor"])
def test_approving_needs_the_approve_permission(org, members, in_review, role):
    other = ctx_for(org, add_member(org, role, email=f"second-{role}@acme.example.com"))
    before = Event.objects.filter(org=org).count()
    with pytest.raises(PermissionDenied) as exc:
        services.assessment_approve(ctx=other, assessment_id=in_review.pk,
                                    version=in_review.version)
    assert "Approving impact assessments needs the role Owner or Admin" in exc.value.message
    with pytest.raises(PermissionDenied):
        services.assessment_return(ctx=other, assessment_id=in_review.pk,
                                   version=in_review.version, comment="Please add more detail.")
    assert Event.objects.filter(org=org).count() == before


def test_only_an_assessment_in_review_can_be_approved(admin_ctx, draft):
    with pytest.raises(ValidationError) as exc:
        services.assessment_approve(ctx=admin_ctx, assessment_id=draft.pk, version=draft.version)
    assert "Only an assessment that is in review can be approved" in exc.value.errors["status"][0]


def test_approval_records_who_when_and_the_next_due_date(org, admin_ctx, approved):
    today = timezone.localdate()
    assert approved.status == Status.APPROVED
    assert approved.approved_by == admin_ctx.user and approved.approved_on == today
    assert approved.reviewed_by == admin_ctx.user and approved.reviewed_at is not None
    assert approved.next_due == add_months(today, 12)
    changes = events_for(approved)[-1].changes
    assert changes["status"] == {"before": "in_review", "after": "approved"}
    assert changes["approved_by"]["after"] == str(admin_ctx.user.pk)


def test_approved_assessment_is_immutable(ctx, admin_ctx, approved):
    impact = approved.impacts.get()
    attempts = [
        lambda: services.assessment_update(ctx=ctx, assessment_id=approved.pk,
                                           version=approved.version, data={"conclusion": "x"}),
        lambda: services.assessment_delete(ctx=ctx, assessment_id=approved.pk,
                                           version=approved.version),
        lambda: services.assessment_submit(ctx=ctx, assessment_id=approved.pk,
                                           version=approved.version),
        lambda: services.assessment_approve(ctx=admin_ctx, assessment_id=approved.pk,
                                            version=approved.version),
        lambda: services.impact_create(ctx=ctx, assessment_id=approved.pk, data=IMPACT),
        lambda: services.impact_update(ctx=ctx, assessment_id=approved.pk, impact_id=impact.pk,
                                       version=impact.version, data={"description": "x"}),
        lambda: services.impact_delete(ctx=ctx, assessment_id=approved.pk, impact_id=impact.pk,
                                       version=impact.version),
    ]
    before = Event.objects.filter(org=approved.org).count()
    for attempt in attempts:
        with pytest.raises(ValidationError) as exc:
            attempt()
        assert "status" in exc.value.errors
    assert Event.objects.filter(org=approved.org).count() == before


def test_approval_quotes_the_version_the_approver_read(ctx, admin_ctx, in_review):
    returned = services.assessment_return(ctx=admin_ctx, assessment_id=in_review.pk,
                                          version=in_review.version,
                                          comment="Say how thin-file declines are monitored.")
    resubmitted = services.assessment_submit(ctx=ctx, assessment_id=in_review.pk,
                                             version=returned.version)
    with pytest.raises(Conflict):
        services.assessment_approve(ctx=admin_ctx, assessment_id=in_review.pk,
                                    version=in_review.version)
    assert services.assessment_approve(ctx=admin_ctx, assessment_id=in_review.pk,
                                       version=resubmitted.version).status == Status.APPROVED


def test_return_sends_back_to_draft_with_the_reason(ctx, admin_ctx, in_review):
    with pytest.raises(ValidationError) as exc:
        services.assessment_return(ctx=admin_ctx, assessment_id=in_review.pk,
                                   version=in_review.version, comment=" ")
    assert "comment" in exc.value.errors
    a = services.assessment_return(ctx=admin_ctx, assessment_id=in_review.pk,
                                   version=in_review.version,
                                   comment="Add the complaint data for thin-file applicants.")
    assert a.status == Status.DRAFT and a.submitted_at is None
    assert a.review_comment == "Add the complaint data for thin-file applicants."
    assert a.reviewed_by == admin_ctx.user
    # The author can work on it again.
    services.assessment_update(ctx=ctx, assessment_id=a.pk, version=a.version,
                               data={"affected_groups": "Thin-file applicants; see complaints."})


def test_cli_context_cannot_approve(org, in_review):
    from aims.orgs.context import ctx_for_cli

    with pytest.raises(PermissionDenied):
        services.assessment_approve(ctx=ctx_for_cli(org.slug), assessment_id=in_review.pk,
                                    version=in_review.version)


def test_approval_date_may_be_earlier_but_not_in_the_future(admin_ctx, in_review):
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    with pytest.raises(ValidationError) as exc:
        services.assessment_approve(ctx=admin_ctx, assessment_id=in_review.pk,
                                    version=in_review.version, approved_on=tomorrow)
    assert "approved_on" in exc.value.errors
    submitted_on(in_review, datetime.date(2025, 1, 30))
    a = services.assessment_approve(ctx=admin_ctx, assessment_id=in_review.pk,
                                    version=in_review.version,
                                    approved_on=datetime.date(2025, 1, 31))
    assert a.next_due == datetime.date(2026, 1, 31)


# ---------------------------------------------------------------- versions and due dates


def test_new_version_copies_the_previous_and_approval_supersedes_it(ctx, admin_ctx, approved,
                                                                    system):
    v2 = services.assessment_create(ctx=ctx, data={"ai_system": system.pk})
    assert (v2.number, v2.trigger) == (2, Trigger.OTHER)
    assert v2.foreseeable_misuse == SECTIONS["foreseeable_misuse"]
    assert v2.conclusion == ""  # the judgement is made afresh
    assert [i.description for i in v2.impacts.all()] == [IMPACT["description"]]
    v2 = services.assessment_update(ctx=ctx, assessment_id=v2.pk, version=v2.version,
                                    data={"conclusion": "Still acceptable."})
    v2 = services.assessment_submit(ctx=ctx, assessment_id=v2.pk, version=v2.version)
    approved.refresh_from_db()
    assert approved.status == Status.APPROVED  # stands until the new one is approved
    v2 = services.assessment_approve(ctx=admin_ctx, assessment_id=v2.pk, version=v2.version)
    approved.refresh_from_db()
    assert approved.status == Status.SUPERSEDED
    assert events_for(approved)[-1].changes == {
        "status": {"before": "approved", "after": "superseded"}}
    v3 = approve_next(ctx, admin_ctx, system)
    v2.refresh_from_db()
    assert (v3.number, v2.status, v3.status) == (3, Status.SUPERSEDED, Status.APPROVED)
    assert [a.number for a in selectors.assessment_history(ctx=ctx, system_id=system.pk)] == \
        [3, 2, 1]


def test_fresh_start_without_the_previous_version(ctx, approved, system):
    v2 = services.assessment_create(ctx=ctx, data={"ai_system": system.pk,
                                                   "copy_previous": False})
    assert not v2.impacts.exists()
    assert v2.intended_purpose == system.intended_purpose
    assert v2.foreseeable_misuse == ""


@pytest.mark.parametrize("day, months, expected", [
    (datetime.date(2026, 1, 31), 1, datetime.date(2026, 2, 28)),
    (datetime.date(2024, 1, 31), 1, datetime.date(2024, 2, 29)),
    (datetime.date(2026, 11, 30), 3, datetime.date(2027, 2, 28)),
    (datetime.date(2026, 5, 15), 12, datetime.date(2027, 5, 15)),
    (datetime.date(2026, 5, 15), 24, datetime.date(2028, 5, 15)),
])
def test_add_months(day, months, expected):
    assert add_months(day, months) == expected


def test_next_due_follows_the_organisation_interval(org, members, ctx, admin_ctx, in_review):
    owner = ctx_for(org, members["owner"])
    services.impact_settings_update(ctx=owner, data={"reassessment_interval_months": 6},
                                    version=1)
    # admin_ctx was built before the change: the service reads the setting from the row.
    a = services.assessment_approve(ctx=admin_ctx, assessment_id=in_review.pk,
                                    version=in_review.version)
    assert a.next_due == add_months(timezone.localdate(), 6)


def test_overdue_is_computed_from_the_due_date(ctx, admin_ctx, in_review, system):
    long_ago = timezone.localdate() - datetime.timedelta(days=400)
    submitted_on(in_review, long_ago)
    a = services.assessment_approve(ctx=admin_ctx, assessment_id=in_review.pk,
                                    version=in_review.version, approved_on=long_ago)
    assert a.status == Status.APPROVED  # nothing stored changes when the date passes
    assert a.is_overdue and a.needs_reassessment and a.state == Status.NEEDS_REASSESSMENT

    def listed(**f):
        return [x.pk for x in selectors.assessment_list(
            ctx=ctx, filters=selectors.AssessmentFilters(**f))]

    assert listed(due="overdue") == [a.pk]
    assert listed(status="needs_reassessment") == [a.pk]
    assert listed(status="approved") == []
    assert listed(due="due_soon") == []
    standing = selectors.system_standing(ctx=ctx, system=system)
    assert standing.current.pk == a.pk and standing.current.is_overdue
    # A new version by the interval is suggested as such.
    assert services.assessment_create(ctx=ctx, data={"ai_system": system.pk}).trigger == \
        Trigger.INTERVAL


def test_due_soon(ctx, admin_ctx, in_review):
    almost = add_months(timezone.localdate(), -12) + datetime.timedelta(days=20)
    submitted_on(in_review, almost)
    a = services.assessment_approve(ctx=admin_ctx, assessment_id=in_review.pk,
                                    version=in_review.version, approved_on=almost)
    assert a.is_due_soon and not a.is_overdue
    found = selectors.assessment_list(ctx=ctx, filters=selectors.AssessmentFilters(
        due="due_soon"))
    assert [x.pk for x in found] == [a.pk]


# ---------------------------------------------------------------- significant changes


def test_significant_change_flags_the_current_assessment(ctx, approved, system):
    seq = Event.objects.filter(org=ctx.org).order_by("-seq").values_list("seq", flat=True)[0]
    change = system_change_record(ctx=ctx, system_id=system.pk, data={
        "description": "Retrained on 2025 data with two new features.", "significant": True,
        "changed_on": timezone.localdate()})
    approved.refresh_from_db()
    assert approved.status == Status.NEEDS_REASSESSMENT
    assert approved.flagged_change_id == change.pk
    assert approved.reassessment_reason == (
        f"Significant change on {timezone.localdate():%Y-%m-%d}: Retrained on 2025 data with "
        "two new features.")
    new = list(Event.objects.filter(org=ctx.org, seq__gt=seq).order_by("seq"))
    assert [(e.object_type, e.action) for e in new] == [
        ("inventory.systemchange", "create"), ("impact.impactassessment", "update")]
    assert new[1].changes["status"] == {"before": "approved", "after": "needs_reassessment"}
    # The next version says why it is being done.
    v2 = services.assessment_create(ctx=ctx, data={"ai_system": system.pk})
    assert v2.trigger == Trigger.SIGNIFICANT_CHANGE
    assert "Retrained on 2025 data" in v2.trigger_note


def test_a_second_significant_change_adds_its_reason(ctx, approved, system):
    for text in ("New credit bureau feed.", "Launched in Belgium."):
        system_change_record(ctx=ctx, system_id=system.pk,
                             data={"description": text, "significant": True})
    approved.refresh_from_db()
    assert "New credit bureau feed." in approved.reassessment_reason
    assert "Launched in Belgium." in approved.reassessment_reason


def test_non_significant_change_does_not_flag(ctx, approved, system):
    change = system_change_record(ctx=ctx, system_id=system.pk, data={
        "description": "Moved the scoring service to a new cluster.", "significant": False})
    approved.refresh_from_db()
    assert approved.status == Status.APPROVED and approved.reassessment_reason == ""
    assert change.changed_on == timezone.localdate() and change.recorded_by == ctx.user


def test_significant_change_leaves_drafts_and_superseded_versions_alone(ctx, admin_ctx,
                                                                         approved, system):
    v2 = approve_next(ctx, admin_ctx, system)
    v3 = services.assessment_create(ctx=ctx, data={"ai_system": system.pk})
    system_change_record(ctx=ctx, system_id=system.pk,
                         data={"description": "New model vendor.", "significant": True})
    for a in (approved, v2, v3):
        a.refresh_from_db()
    assert (approved.status, v2.status, v3.status) == (
        Status.SUPERSEDED, Status.NEEDS_REASSESSMENT, Status.DRAFT)


def test_significant_change_without_an_assessment_is_just_logged(ctx, system):
    change = system_change_record(ctx=ctx, system_id=system.pk,
                                  data={"description": "New purpose.", "significant": True})
    assert change.significant
    assert not Event.objects.filter(org=ctx.org, object_type="impact.impactassessment").exists()


def test_recording_a_change_needs_inventory_rights_and_a_description(org, members, ctx, system):
    with pytest.raises(PermissionDenied):
        system_change_record(ctx=ctx_for(org, members["viewer"]), system_id=system.pk,
                             data={"description": "x"})
    with pytest.raises(ValidationError) as exc:
        system_change_record(ctx=ctx, system_id=system.pk, data={"description": "   "})
    assert "description" in exc.value.errors


def test_system_with_assessments_cannot_be_deleted(ctx, draft, system):
    with pytest.raises(ValidationError) as exc:
        ai_system_delete(ctx=ctx, system_id=system.pk, version=system.version)
    assert "Retire it instead" in exc.value.errors["__all__"][0]
    assert not Event.objects.filter(org=ctx.org, action="delete").exists()


# ---------------------------------------------------------------- raising a risk


def test_raise_risk_creates_and_links_a_risk(ctx, draft, system):
    from aims.risks.models import Risk

    impact = draft.impacts.get()
    linked = services.impact_raise_risk(ctx=ctx, assessment_id=draft.pk, impact_id=impact.pk,
                                        version=impact.version)
    risk = Risk.objects.for_org(ctx.org).get()
    assert linked.linked_risk == risk
    assert risk.title == IMPACT["description"]
    assert (risk.category, risk.inherent_likelihood, risk.inherent_impact) == ("bias", 3, 4)
    assert list(risk.ai_systems.all()) == [system]
    assert risk.owner == system.owner
    assert "Impact assessment v1 of Credit decision engine" in risk.risk_source
    assert IMPACT["mitigations"] in risk.description
    assert events_for(impact)[-1].changes["linked_risk"] == {"before": None,
                                                             "after": str(risk.pk)}
    with pytest.raises(ValidationError) as exc:
        services.impact_raise_risk(ctx=ctx, assessment_id=draft.pk, impact_id=impact.pk,
                                   version=linked.version)
    assert "already tracked by risk R-001" in exc.value.errors["linked_risk"][0]


def test_raise_risk_works_on_an_approved_assessment_and_carries_to_the_next(ctx, approved,
                                                                            system):
    impact = approved.impacts.get()
    services.impact_raise_risk(ctx=ctx, assessment_id=approved.pk, impact_id=impact.pk,
                               version=impact.version, data={"title": "Thin-file bias"})
    v2 = services.assessment_create(ctx=ctx, data={"ai_system": system.pk})
    assert v2.impacts.get().linked_risk.title == "Thin-file bias"


def test_positive_impact_raises_no_risk(ctx, draft):
    positive = services.impact_create(ctx=ctx, assessment_id=draft.pk, data={
        **IMPACT, "nature": "positive", "description": "Faster answers."})
    with pytest.raises(ValidationError) as exc:
        services.impact_raise_risk(ctx=ctx, assessment_id=draft.pk, impact_id=positive.pk,
                                   version=positive.version)
    assert "nature" in exc.value.errors


def test_raise_risk_is_refused_to_readers_and_rolled_back_on_error(org, members, ctx, draft):
    from aims.risks.models import Risk

    impact = draft.impacts.get()
    with pytest.raises(PermissionDenied):
        services.impact_raise_risk(ctx=ctx_for(org, members["auditor"]), assessment_id=draft.pk,
                                   impact_id=impact.pk, version=impact.version)
    with pytest.raises(Conflict):
        services.impact_raise_risk(ctx=ctx, assessment_id=draft.pk, impact_id=impact.pk,
                                   version=impact.version + 5)
    assert not Risk.objects.for_org(org).exists()


@pytest.mark.parametrize("value, size, expected", [
    (1, 5, 1), (5, 5, 5), (3, 5, 3), (1, 3, 1), (3, 3, 2), (5, 3, 3), (4, 4, 3), (5, 7, 7),
])
def test_ratings_are_rescaled_to_the_methodology(value, size, expected):
    assert services._rescale(value, size) == expected


# ---------------------------------------------------------------- settings


def test_only_owners_change_the_interval_and_stale_writes_conflict(org, members, admin_ctx):
    owner = ctx_for(org, members["owner"])
    assert selectors.impact_settings_get(ctx=owner).version == 1
    with pytest.raises(PermissionDenied):
        services.impact_settings_update(ctx=admin_ctx, version=1,
                                        data={"reassessment_interval_months": 6})
    assert services.impact_settings_update(ctx=owner, version=1,
                                           data={"reassessment_interval_months": 6}) == 2
    settings = selectors.impact_settings_get(ctx=owner)
    assert (settings.reassessment_interval_months, settings.version) == (6, 2)
    with pytest.raises(Conflict) as exc:
        services.impact_settings_update(ctx=owner, version=1,
                                        data={"reassessment_interval_months": 24})
    assert exc.value.current == {"version": 2, "reassessment_interval_months": 6}
    for bad in (0, 61, "12", True):
        with pytest.raises(ValidationError):
            services.impact_settings_update(ctx=owner, version=2,
                                            data={"reassessment_interval_months": bad})
    event = Event.objects.filter(org=org, object_type="orgs.organization",
                                 action="update").get()
    assert event.changes == {"reassessment_interval_months": {"before": 12, "after": 6}}
