"""The SoA's writes: one item per requirement, and decisions an auditor can rely on."""

import pytest

from aims.activity.models import Event
from aims.catalog.models import Requirement
from aims.compliance.models import ComplianceItem
from aims.compliance.services import compliance_item_update, compliance_items_ensure
from aims.core.errors import Conflict, NotFound, PermissionDenied, ValidationError
from aims.testing.factories import ctx_for, make_org

GOOD = "We do not develop AI systems in-house; all AI is procured as SaaS, covered by A.10.3."


def item(org, ref: str) -> ComplianceItem:
    return ComplianceItem.objects.for_org(org).select_related("requirement").get(
        requirement__framework__code="iso42001", requirement__ref=ref)


def events(org, ref: str | None = None):
    qs = Event.objects.filter(org=org, object_type="compliance.complianceitem")
    return qs.filter(object_id=str(item(org, ref).pk)) if ref else qs


def state(obj: ComplianceItem) -> tuple:
    return (obj.applicable, obj.inclusion_reason, obj.justification, obj.status, obj.owner_id,
            obj.notes, obj.last_reviewed, obj.version)


@pytest.mark.django_db
class TestEnsure:
    def test_new_org_has_one_item_per_requirement(self, org):
        """One item per ISO/IEC 42001 requirement; the other frameworks get none (they are
        read through the crosswalks)."""
        items = ComplianceItem.objects.for_org(org)
        iso = Requirement.objects.filter(framework__code="iso42001")
        assert items.count() == 91 == iso.count() < Requirement.objects.count()
        assert set(items.values_list("requirement_id", flat=True)) == set(
            iso.values_list("pk", flat=True))
        assert items.filter(requirement__kind="annex_a_control").count() == 38

    def test_new_items_are_undecided(self, org):
        items = ComplianceItem.objects.for_org(org)
        assert set(items.values_list("applicable", "status", "version").distinct()) == {
            (None, "not_started", 1)}

    def test_is_idempotent(self, org):
        assert compliance_items_ensure(org=org) == 0
        assert compliance_items_ensure(org=org) == 0
        assert ComplianceItem.objects.for_org(org).count() == 91

    def test_adds_only_what_is_missing(self, org):
        kept = item(org, "A.2.2")
        ComplianceItem.objects.for_org(org).filter(requirement__ref__in=["A.10.4", "4.1"]).delete()
        assert compliance_items_ensure(org=org) == 2
        assert ComplianceItem.objects.for_org(org).count() == 91
        assert item(org, "A.2.2").pk == kept.pk

    def test_orgs_get_separate_items(self, org, other_org):
        ours = set(ComplianceItem.objects.for_org(org).values_list("pk", flat=True))
        theirs = set(ComplianceItem.objects.for_org(other_org).values_list("pk", flat=True))
        assert len(ours) == len(theirs) == 91
        assert not ours & theirs


@pytest.mark.django_db
class TestExclusion:
    @pytest.mark.parametrize("justification", [
        "", "   ", "N/A", "not applicable", "TBD", "-", "We don't use it",
    ])
    def test_without_real_justification_is_refused_and_nothing_changes(self, ctx, org,
                                                                       justification):
        before = state(item(org, "A.6.1.2"))
        logged = events(org).count()
        with pytest.raises(ValidationError) as exc:
            compliance_item_update(ctx=ctx, ref="A.6.1.2", version=1,
                                   data={"applicable": False, "justification": justification})
        assert "justification" in exc.value.errors
        assert state(item(org, "A.6.1.2")) == before
        assert events(org).count() == logged

    def test_missing_justification_key_is_refused(self, ctx, org):
        with pytest.raises(ValidationError) as exc:
            compliance_item_update(ctx=ctx, ref="A.6.1.2", version=1, data={"applicable": False})
        assert "justification" in exc.value.errors

    def test_with_real_justification_excludes_and_logs_once(self, ctx, org, members):
        result = compliance_item_update(ctx=ctx, ref="A.6.1.2", version=1,
                                        data={"applicable": False, "justification": GOOD})
        assert result.version == 2
        stored = item(org, "A.6.1.2")
        assert (stored.applicable, stored.justification, stored.version) == (False, GOOD, 2)

        logged = list(events(org, "A.6.1.2"))
        assert len(logged) == 1
        ev = logged[0]
        assert ev.action == "update"
        assert ev.actor == members["editor"]
        from django.utils import timezone
        assert ev.changes == {
            "applicable": {"before": None, "after": False},
            "justification": {"before": "", "after": GOOD},
            # deciding is reviewing: the decision is dated
            "last_reviewed": {"before": None, "after": timezone.localdate().isoformat()},
        }

    def test_excluding_clears_the_inclusion_reason(self, ctx, org):
        compliance_item_update(ctx=ctx, ref="A.8.3", version=1,
                               data={"applicable": True, "inclusion_reason": "legal"})
        compliance_item_update(ctx=ctx, ref="A.8.3", version=2,
                               data={"applicable": False, "justification": GOOD})
        stored = item(org, "A.8.3")
        assert (stored.applicable, stored.inclusion_reason) == (False, "")

    def test_excluded_with_inclusion_reason_is_refused(self, ctx, org):
        with pytest.raises(ValidationError) as exc:
            compliance_item_update(ctx=ctx, ref="A.8.3", version=1, data={
                "applicable": False, "justification": GOOD, "inclusion_reason": "legal"})
        assert "inclusion_reason" in exc.value.errors
        assert item(org, "A.8.3").applicable is None

    def test_an_unchanged_write_logs_nothing(self, ctx, org):
        compliance_item_update(ctx=ctx, ref="A.6.1.2", version=1,
                               data={"applicable": False, "justification": GOOD})
        again = compliance_item_update(ctx=ctx, ref="A.6.1.2", version=2,
                                       data={"applicable": False, "justification": GOOD})
        assert again.version == 2
        assert events(org, "A.6.1.2").count() == 1


@pytest.mark.django_db
class TestInclusion:
    def test_applicable_needs_an_inclusion_reason(self, ctx, org):
        with pytest.raises(ValidationError) as exc:
            compliance_item_update(ctx=ctx, ref="A.2.2", version=1, data={"applicable": True})
        assert "inclusion_reason" in exc.value.errors
        assert item(org, "A.2.2").applicable is None

    def test_unknown_inclusion_reason_is_refused(self, ctx):
        with pytest.raises(ValidationError) as exc:
            compliance_item_update(ctx=ctx, ref="A.2.2", version=1,
                                   data={"applicable": True, "inclusion_reason": "vibes"})
        assert "inclusion_reason" in exc.value.errors

    def test_applicable_with_reason_is_saved(self, ctx, org):
        compliance_item_update(ctx=ctx, ref="A.2.2", version=1, data={
            "applicable": True, "inclusion_reason": "risk_treatment", "status": "partial",
            "notes": "Policy drafted, awaiting board approval."})
        stored = item(org, "A.2.2")
        assert (stored.applicable, stored.inclusion_reason, stored.status) == (
            True, "risk_treatment", "partial")

    def test_null_clears_text_fields(self, ctx, org):
        compliance_item_update(ctx=ctx, ref="A.2.2", version=1, data={
            "applicable": True, "inclusion_reason": "legal", "notes": "Policy DOC-12."})
        compliance_item_update(ctx=ctx, ref="A.2.2", version=2, data={"notes": None})
        assert item(org, "A.2.2").notes == ""
        with pytest.raises(ValidationError) as exc:  # a 422, not an IntegrityError
            compliance_item_update(ctx=ctx, ref="A.2.2", version=3,
                                   data={"inclusion_reason": None})
        assert "inclusion_reason" in exc.value.errors

    def test_clauses_are_updated_the_same_way(self, ctx, org):
        compliance_item_update(ctx=ctx, ref="6.1.2", version=1, data={"status": "implemented"})
        assert item(org, "6.1.2").status == "implemented"

    def test_unknown_ref_is_not_found(self, ctx):
        with pytest.raises(NotFound):
            compliance_item_update(ctx=ctx, ref="A.99.9", version=1, data={"status": "planned"})

    @pytest.mark.parametrize("field", ["requirement", "org", "created_at", "nonsense"])
    def test_fields_outside_the_decision_are_refused(self, ctx, org, field):
        other = Requirement.objects.get(framework__code="iso42001", ref="A.2.3")
        with pytest.raises(ValidationError) as exc:
            compliance_item_update(ctx=ctx, ref="A.2.2", version=1, data={field: other})
        assert exc.value.errors == {field: ["This field cannot be changed."]}
        assert item(org, "A.2.2").version == 1


@pytest.mark.django_db
class TestOwner:
    def test_a_member_can_own(self, ctx, org, members):
        compliance_item_update(ctx=ctx, ref="A.2.2", version=1,
                               data={"owner": str(members["viewer"].pk)})
        assert item(org, "A.2.2").owner == members["viewer"]
        ev = events(org, "A.2.2").get()
        assert ev.changes == {"owner": {"before": None, "after": str(members["viewer"].pk)}}

    def test_a_user_of_another_org_cannot_own(self, ctx, org, other_org):
        stranger = other_org.memberships.get().user
        with pytest.raises(ValidationError) as exc:
            compliance_item_update(ctx=ctx, ref="A.2.2", version=1,
                                   data={"owner": str(stranger.pk)})
        assert "owner" in exc.value.errors
        assert item(org, "A.2.2").owner is None

    def test_a_malformed_owner_id_is_a_field_error(self, ctx):
        with pytest.raises(ValidationError) as exc:
            compliance_item_update(ctx=ctx, ref="A.2.2", version=1, data={"owner": "not-a-uuid"})
        assert "owner" in exc.value.errors

    def test_owner_can_be_cleared(self, ctx, org, members):
        compliance_item_update(ctx=ctx, ref="A.2.2", version=1,
                               data={"owner": members["admin"].pk})
        compliance_item_update(ctx=ctx, ref="A.2.2", version=2, data={"owner": None})
        assert item(org, "A.2.2").owner is None


@pytest.mark.django_db
class TestAccessAndConcurrency:
    @pytest.mark.parametrize("role", ["viewer", "auditor"])
    def test_read_only_roles_are_refused(self, org, members, role):
        with pytest.raises(PermissionDenied):
            compliance_item_update(ctx=ctx_for(org, members[role]), ref="A.2.2", version=1,
                                   data={"status": "planned"})
        assert item(org, "A.2.2").status == "not_started"

    @pytest.mark.parametrize("role", ["owner", "admin", "editor"])
    def test_editing_roles_may_write(self, org, members, role):
        compliance_item_update(ctx=ctx_for(org, members[role]), ref="A.2.2", version=1,
                               data={"status": "planned"})
        assert item(org, "A.2.2").status == "planned"

    def test_stale_version_is_a_conflict_carrying_the_current_values(self, ctx, org):
        compliance_item_update(ctx=ctx, ref="A.7.4", version=1, data={"status": "planned"})
        with pytest.raises(Conflict) as exc:
            compliance_item_update(ctx=ctx, ref="A.7.4", version=1, data={"status": "implemented"})
        assert exc.value.current["version"] == 2
        assert exc.value.current["status"] == "planned"
        assert item(org, "A.7.4").status == "planned"

    def test_missing_version_is_refused(self, ctx):
        with pytest.raises(ValidationError) as exc:
            compliance_item_update(ctx=ctx, ref="A.7.4", version=None, data={"status": "planned"})
        assert "version" in exc.value.errors

    def test_writes_stay_in_the_callers_org(self, org, other_org, members):
        compliance_item_update(ctx=ctx_for(org, members["editor"]), ref="A.7.4", version=1,
                               data={"status": "planned"})
        assert item(other_org, "A.7.4").status == "not_started"

    def test_make_org_gives_a_complete_soa_for_a_second_tenant(self, db):
        third = make_org("initech", "Initech")
        assert ComplianceItem.objects.for_org(third).count() == 91


@pytest.mark.django_db
def test_a_control_treating_a_risk_cannot_be_excluded(ctx):
    from aims.compliance.services import compliance_item_update
    from aims.core.errors import ValidationError
    from aims.risks.services import risk_create

    risk = risk_create(ctx=ctx, data={"title": "Drift", "category": "drift",
                                      "inherent_likelihood": 3, "inherent_impact": 3,
                                      "controls": ["A.6.2.6"]})
    item = ComplianceItem.objects.for_org(ctx.org).get(requirement__ref="A.6.2.6")
    with pytest.raises(ValidationError) as exc:
        compliance_item_update(ctx=ctx, ref="A.6.2.6", version=item.version, data={
            "applicable": False, "justification": "We do not operate any AI system ourselves "
                                                  "after go-live; the vendor runs it."})
    assert risk.ref in exc.value.errors["applicable"][0]
    item.refresh_from_db()
    assert item.applicable is True


@pytest.mark.django_db
class TestLastReviewed:
    def test_a_changed_decision_is_dated_today(self, org, ctx):
        import datetime

        from django.utils import timezone
        old = datetime.date(2024, 1, 15)
        it = compliance_item_update(ctx=ctx, ref="A.8.5", version=1, data={
            "applicable": True, "inclusion_reason": "risk_treatment", "last_reviewed": old})
        assert it.last_reviewed == old  # a date given with the decision is kept
        # Excluding it later, with the form sending back the date on record, dates it today.
        it = compliance_item_update(ctx=ctx, ref="A.8.5", version=it.version, data={
            "applicable": False, "justification": GOOD, "last_reviewed": old})
        assert it.last_reviewed == timezone.localdate()
        # A change that is not the decision (the notes) leaves the review date alone.
        it = compliance_item_update(ctx=ctx, ref="A.8.5", version=it.version, data={
            "notes": "See the procurement policy.", "last_reviewed": it.last_reviewed})
        assert it.last_reviewed == timezone.localdate()
        it = compliance_item_update(ctx=ctx, ref="A.8.5", version=it.version, data={
            "last_reviewed": old, "notes": "Again."})
        assert it.last_reviewed == old


def test_a_control_treating_a_risk_cannot_be_set_to_not_decided(ctx, api):
    """Undeciding a control a risk relies on is refused like excluding it (API and service)."""
    from aims.risks.services import risk_create

    risk = risk_create(ctx=ctx, data={"title": "Drift", "category": "drift",
                                      "inherent_likelihood": 3, "inherent_impact": 3,
                                      "controls": ["A.6.2.6"]})
    item = ComplianceItem.objects.for_org(ctx.org).get(requirement__ref="A.6.2.6")
    with pytest.raises(ValidationError) as exc:
        compliance_item_update(ctx=ctx, ref="A.6.2.6", version=item.version,
                               data={"applicable": None})
    assert risk.ref in exc.value.errors["applicable"][0]
    assert "not decided" in exc.value.errors["applicable"][0]
    r = api.patch(f"/api/v1/orgs/{ctx.org.slug}/soa/A.6.2.6",
                  {"applicable": None, "version": item.version})
    assert r.status_code == 422 and risk.ref in r.json()["errors"]["applicable"][0]
    item.refresh_from_db()
    assert item.applicable is True
