"""Obligations as owned, evidenced items: made and refreshed by classifying a system, kept as
history when a new classification no longer brings them, worked through one service (status,
owner, notes, review date) that checks the role, the version and Art. 27's FRIA, and logs."""

from __future__ import annotations

import pytest
from django.utils import timezone

from aims.activity.models import Event
from aims.aiact import selectors
from aims.aiact.models import ObligationItem
from aims.aiact.services import (
    classification_save,
    obligation_item_update,
    obligation_items_upgrade,
)
from aims.aiact.tests.probe import HIGH_RISK
from aims.aiact.tests.test_engine import case
from aims.core.errors import Conflict, NotFound, PermissionDenied, ValidationError
from aims.evidence.services import evidence_create
from aims.impact.services import assessment_create
from aims.testing.factories import ctx_for, make_ai_system, make_org

CREDIT = {**HIGH_RISK, "annex_iii": ["5b"]}  # a bank's credit scoring: Art. 27 for deployers


@pytest.fixture
def system(ctx):
    return make_ai_system(ctx, name="CV ranker", roles=["provider", "deployer"],
                          eu_risk_class="unassessed")


def items(ctx, system, **filters):
    return ObligationItem.objects.for_org(ctx.org).filter(ai_system=system, **filters)


def one(ctx, system, ref, role="provider"):
    return items(ctx, system).get(ref=ref, role=role)


def test_classifying_makes_one_item_per_obligation_and_role_each_logged(ctx, system):
    before = Event.objects.filter(org=ctx.org).count()
    classification_save(ctx=ctx, system_id=system.pk, answers=HIGH_RISK, version=0)
    made = list(items(ctx, system))
    keys = {(i.ref, i.role) for i in made}
    assert {("Art. 9", "provider"), ("Art. 26", "deployer"), ("Art. 4", "provider"),
            ("Art. 4", "deployer"), ("Art. 50", "provider")} <= keys
    assert len(keys) == len(made)
    art9 = one(ctx, system, "Art. 9")
    assert art9.status == "not_started" and art9.applies and art9.owner is None
    assert str(art9.applies_from) == "2027-12-02" and art9.timeline_key == "high_risk_annex_iii"
    assert art9.requirement is not None and art9.requirement.ref == "Art. 9"
    logged = Event.objects.filter(org=ctx.org, object_type="aiact.obligationitem",
                                  action="create").count()
    assert logged == len(made)
    assert Event.objects.filter(org=ctx.org).count() == before + len(made) + 2


def test_reclassifying_keeps_what_no_longer_applies_as_history(ctx, system):
    classification_save(ctx=ctx, system_id=system.pk, answers=HIGH_RISK, version=0)
    art9 = one(ctx, system, "Art. 9")
    obligation_item_update(ctx=ctx, item_id=art9.pk, version=art9.version, data={
        "status": "in_progress", "owner": ctx.user.pk, "notes": "Risk process drafted."})
    classification_save(ctx=ctx, system_id=system.pk, answers=case(), version=1)  # minimal
    art9 = one(ctx, system, "Art. 9")
    assert not art9.applies and art9.ended_on == timezone.localdate()
    assert art9.status == "in_progress" and art9.notes == "Risk process drafted."
    assert one(ctx, system, "Art. 4").applies  # AI literacy applies to every class
    ended = Event.objects.filter(org=ctx.org, object_type="aiact.obligationitem",
                                 object_id=str(art9.pk), action="update").latest("seq")
    assert ended.changes["applies"] == {"before": True, "after": False}
    today = timezone.localdate()
    listed = selectors.obligation_calendar(ctx=ctx, today=today).rows
    assert "Art. 9" not in {r.item.ref for r in listed}
    with_ended = selectors.obligation_calendar(
        ctx=ctx, today=today, filters=selectors.ObligationFilters(include_ended=True)).rows
    assert "Art. 9" in {r.item.ref for r in with_ended}
    # High-risk again: the same item applies again, with the work done on it.
    classification_save(ctx=ctx, system_id=system.pk, answers=HIGH_RISK, version=2)
    again = one(ctx, system, "Art. 9")
    assert again.pk == art9.pk and again.applies and again.ended_on is None
    assert again.status == "in_progress"
    assert items(ctx, system).filter(ref="Art. 9").count() == 1


def test_status_owner_notes_and_review_date(ctx, system, members):
    classification_save(ctx=ctx, system_id=system.pk, answers=HIGH_RISK, version=0)
    item = one(ctx, system, "Art. 26", "deployer")
    saved = obligation_item_update(ctx=ctx, item_id=item.pk, version=item.version, data={
        "status": "met", "owner": members["viewer"].pk, "notes": "Instructions followed."})
    assert saved.status == "met" and saved.owner == members["viewer"]
    assert saved.last_reviewed == timezone.localdate() and saved.version == item.version + 1
    event = Event.objects.filter(org=ctx.org, object_id=str(item.pk)).latest("seq")
    assert event.changes["status"] == {"before": "not_started", "after": "met"}


def test_not_applicable_needs_a_real_reason(ctx, system):
    classification_save(ctx=ctx, system_id=system.pk, answers=HIGH_RISK, version=0)
    item = one(ctx, system, "Art. 50")
    with pytest.raises(ValidationError) as exc:
        obligation_item_update(ctx=ctx, item_id=item.pk, version=item.version,
                               data={"status": "not_applicable", "status_reason": "n/a"})
    assert "status_reason" in exc.value.errors
    saved = obligation_item_update(ctx=ctx, item_id=item.pk, version=item.version, data={
        "status": "not_applicable", "status_reason": "The ranker never talks to applicants: "
                                                    "recruiters read its output only."})
    assert saved.status == "not_applicable"
    moved = obligation_item_update(ctx=ctx, item_id=item.pk, version=saved.version,
                                   data={"status": "in_progress"})
    assert moved.status_reason == ""  # a reason only explains "not applicable"


def test_stale_version_conflicts_and_nothing_changes(ctx, system):
    classification_save(ctx=ctx, system_id=system.pk, answers=HIGH_RISK, version=0)
    item = one(ctx, system, "Art. 9")
    obligation_item_update(ctx=ctx, item_id=item.pk, version=item.version,
                           data={"status": "in_progress"})
    with pytest.raises(Conflict):
        obligation_item_update(ctx=ctx, item_id=item.pk, version=item.version,
                               data={"status": "met"})
    assert one(ctx, system, "Art. 9").status == "in_progress"


def test_what_the_classification_decides_cannot_be_edited(ctx, system):
    classification_save(ctx=ctx, system_id=system.pk, answers=HIGH_RISK, version=0)
    item = one(ctx, system, "Art. 9")
    with pytest.raises(ValidationError) as exc:
        obligation_item_update(ctx=ctx, item_id=item.pk, version=item.version,
                               data={"applies_from": "2030-01-01", "ref": "Art. 1"})
    assert set(exc.value.errors) == {"applies_from", "ref"}


def test_owner_must_be_a_member(ctx, system, other_org):
    classification_save(ctx=ctx, system_id=system.pk, answers=HIGH_RISK, version=0)
    item = one(ctx, system, "Art. 9")
    from aims.orgs.models import Membership
    stranger = Membership.objects.get(org=other_org, role="owner").user
    with pytest.raises(ValidationError) as exc:
        obligation_item_update(ctx=ctx, item_id=item.pk, version=item.version,
                               data={"owner": stranger.pk})
    assert "owner" in exc.value.errors


def test_role_and_tenancy(ctx, org, members, system, other_org):
    classification_save(ctx=ctx, system_id=system.pk, answers=HIGH_RISK, version=0)
    item = one(ctx, system, "Art. 9")
    with pytest.raises(PermissionDenied):
        obligation_item_update(ctx=ctx_for(org, members["viewer"]), item_id=item.pk,
                               version=item.version, data={"status": "met"})
    from aims.orgs.models import Membership
    outsider = ctx_for(other_org, Membership.objects.get(org=other_org, role="owner").user)
    with pytest.raises(NotFound):
        obligation_item_update(ctx=outsider, item_id=item.pk, version=item.version,
                               data={"status": "met"})
    with pytest.raises(NotFound):
        selectors.obligation_get(ctx=outsider, item_id=item.pk, today=timezone.localdate())


def test_overdue_counts_obligations_in_force_and_not_met(ctx, system):
    chatbot = make_ai_system(ctx, name="Help bot", roles=["deployer"], eu_risk_class="unassessed")
    classification_save(ctx=ctx, system_id=chatbot.pk, answers=case(transparency=["50_1"]),
                        version=0)
    art4 = one(ctx, chatbot, "Art. 4", "deployer")  # AI literacy: in force since Feb 2025
    today = timezone.localdate()
    assert art4.overdue_on(today)
    overview = selectors.obligation_overview(ctx=ctx, today=today)
    assert overview["overdue"] >= 1 and overview["open"] >= overview["overdue"]
    obligation_item_update(ctx=ctx, item_id=art4.pk, version=art4.version,
                           data={"status": "met"})
    assert selectors.obligation_overview(ctx=ctx, today=today)["overdue"] == \
        overview["overdue"] - 1
    overdue = selectors.obligation_calendar(
        ctx=ctx, today=today, filters=selectors.ObligationFilters(status="overdue")).rows
    assert all(r.overdue for r in overdue) and art4.pk not in {r.item.pk for r in overdue}


def test_art_27_is_met_only_with_a_complete_fria(ctx, org, members):
    bank = make_ai_system(ctx, name="Credit scorer", roles=["deployer"],
                          eu_risk_class="unassessed")
    classification_save(ctx=ctx, system_id=bank.pk, answers=CREDIT, version=0)
    art27 = one(ctx, bank, "Art. 27", "deployer")
    row = selectors.obligation_get(ctx=ctx, item_id=art27.pk, today=timezone.localdate())
    assert row.fria is not None and row.fria.state == "missing"
    with pytest.raises(ValidationError) as exc:
        obligation_item_update(ctx=ctx, item_id=art27.pk, version=art27.version,
                               data={"status": "met"})
    assert "fundamental rights impact assessment" in exc.value.errors["status"][0]
    assessment = assessment_create(ctx=ctx, data={"ai_system": bank.pk, "fria_required": True,
                                                  "fria_process": "Loan desk, step two."})
    row = selectors.obligation_get(ctx=ctx, item_id=art27.pk, today=timezone.localdate())
    assert row.fria.state == "incomplete" and "the period and frequency of use" in row.fria.missing
    from aims.impact.services import assessment_update
    assessment_update(ctx=ctx, assessment_id=assessment.pk, version=assessment.version, data={
        "fria_period": "Every application, from March 2027.",
        "fria_measures": "Suspend scoring; a credit officer decides; complaints desk."})
    assert selectors.obligation_get(ctx=ctx, item_id=art27.pk,
                                    today=timezone.localdate()).fria.complete
    met = obligation_item_update(ctx=ctx, item_id=art27.pk, version=art27.version,
                                 data={"status": "met"})
    assert met.status == "met"


def test_evidence_links_to_an_obligation(ctx, system):
    classification_save(ctx=ctx, system_id=system.pk, answers=HIGH_RISK, version=0)
    item = one(ctx, system, "Art. 9")
    evidence_create(ctx=ctx, data={"title": "Risk procedure", "kind": "note",
                                   "note": "RM-01 approved by the board."}, links=[item])
    row = selectors.obligation_get(ctx=ctx, item_id=item.pk, today=timezone.localdate())
    assert row.item.evidence_count == 1


def test_upgrade_gives_items_to_systems_classified_before(ctx, system):
    classification_save(ctx=ctx, system_id=system.pk, answers=HIGH_RISK, version=0)
    made = items(ctx, system).count()
    ObligationItem.objects.for_org(ctx.org).delete()  # as before items existed
    assert "obligation items" in obligation_items_upgrade()
    assert items(ctx, system).count() == made
    assert obligation_items_upgrade() == ""  # nothing left to do
    assert Event.objects.filter(org=ctx.org, actor_label="aims init").exists()


def test_other_organisations_items_stay_apart(ctx, system):
    other = make_org("globex2", "Globex Two")
    from aims.orgs.models import Membership
    octx = ctx_for(other, Membership.objects.get(org=other, role="owner").user)
    theirs = make_ai_system(octx, name="Their ranker", roles=["provider"],
                            eu_risk_class="unassessed")
    classification_save(ctx=octx, system_id=theirs.pk, answers=HIGH_RISK, version=0)
    classification_save(ctx=ctx, system_id=system.pk, answers=HIGH_RISK, version=0)
    rows = selectors.obligation_calendar(ctx=ctx, today=timezone.localdate()).rows
    assert {r.system.name for r in rows} == {"CV ranker"}
