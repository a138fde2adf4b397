import pytest

from aims.activity.models import Event
from aims.core.errors import Conflict, NotFound, PermissionDenied, ValidationError
from aims.suppliers import services
from aims.suppliers.models import DueDiligenceAnswer, ResponsibilityAllocation, Supplier
from aims.suppliers.tests.conftest import SUPPLIER, all_answers
from aims.testing.factories import ctx_for, make_ai_system

pytestmark = pytest.mark.django_db


def _events(org, model):
    return Event.objects.filter(org=org, object_type=f"suppliers.{model}")


def test_create_links_systems_and_logs_them_in_one_event(org, ctx, members):
    system = make_ai_system(ctx, name="Customer chatbot")
    s = services.supplier_create(ctx=ctx, data={**SUPPLIER, "ai_systems": [system.pk],
                                                "owner": members["admin"].pk})
    assert list(s.ai_systems.all()) == [system] and s.owner == members["admin"]
    assert s.next_review_date is None and s.rating == ""
    [event] = _events(org, "supplier")
    assert event.changes["ai_systems"] == {"before": None, "after": ["Customer chatbot"]}


@pytest.mark.parametrize("data,field", [
    ({"supplies": []}, "supplies"),
    ({"supplies": ["model", "model"]}, "supplies"),
    ({"supplies": ["magic"]}, "supplies"),
    ({"kind": "vendor"}, "kind"),
    ({"review_interval_months": 7}, "review_interval_months"),
    ({"owner": "00000000-0000-0000-0000-000000000000"}, "owner"),
    ({"ai_systems": ["not-a-uuid"]}, "ai_systems"),
    ({"rating": "high"}, "rating"),  # set by reviews only
])
def test_create_refuses_bad_fields(ctx, data, field):
    with pytest.raises(ValidationError) as exc:
        services.supplier_create(ctx=ctx, data={**SUPPLIER, **data})
    assert field in exc.value.errors


def test_a_customer_need_not_supply_anything(ctx):
    s = services.supplier_create(ctx=ctx, data={"name": "Bayside Brokers", "kind": "customer"})
    assert s.supplies == []


def test_names_are_unique_per_org_ignoring_case(ctx, make_supplier):
    make_supplier()
    with pytest.raises(ValidationError) as exc:
        make_supplier(name="stratus language models")
    assert "already in the register" in exc.value.errors["name"][0]


def test_update_checks_version_and_logs_system_changes(org, ctx, make_supplier):
    s = make_supplier()
    system = make_ai_system(ctx, name="Credit engine")
    s = services.supplier_update(ctx=ctx, supplier_id=s.pk, version=1,
                                 data={"ai_systems": [system.pk], "criticality": "low"})
    assert s.version == 2 and list(s.ai_systems.all()) == [system]
    event = _events(org, "supplier").order_by("-seq").first()
    assert event.changes["ai_systems"] == {"before": [], "after": ["Credit engine"]}
    assert event.changes["criticality"] == {"before": "high", "after": "low"}
    with pytest.raises(Conflict):
        services.supplier_update(ctx=ctx, supplier_id=s.pk, version=1, data={"name": "X"})


def test_only_editors_may_write(org, members, make_supplier):
    s = make_supplier()
    for role in ("viewer", "auditor"):
        reader = ctx_for(org, members[role])
        with pytest.raises(PermissionDenied):
            services.supplier_create(ctx=reader, data={**SUPPLIER, "name": "Other"})
        with pytest.raises(PermissionDenied):
            services.due_diligence_answer(ctx=reader, supplier_id=s.pk, item="lineage",
                                          version=0, data={"status": "concern", "notes": "x"})
        with pytest.raises(PermissionDenied):
            services.supplier_review_create(ctx=reader, supplier_id=s.pk, version=1,
                                            data={"rating": "low", "summary": "x"})
        with pytest.raises(PermissionDenied):
            services.responsibility_create(ctx=reader, supplier_id=s.pk, data={
                "topic": "monitoring", "responsible": "us"})
    for role in ("owner", "admin", "editor"):
        services.supplier_update(ctx=ctx_for(org, members[role]), supplier_id=s.pk,
                                 version=Supplier.objects.for_org(org).get().version,
                                 data={"description": f"By {role}"})


def test_foreign_ids_are_not_found(ctx, other_org, make_supplier):
    from aims.testing.factories import add_member

    theirs = services.supplier_create(
        ctx=ctx_for(other_org, add_member(other_org, "editor")), data=SUPPLIER)
    with pytest.raises(NotFound):
        services.supplier_update(ctx=ctx, supplier_id=theirs.pk, version=1, data={})
    with pytest.raises(NotFound):
        services.due_diligence_answer(ctx=ctx, supplier_id=theirs.pk, item="lineage",
                                      version=0, data={"status": "satisfactory"})


def test_answers_are_created_at_version_0_then_versioned(org, ctx, make_supplier):
    s = make_supplier()
    with pytest.raises(ValidationError) as exc:
        services.due_diligence_answer(ctx=ctx, supplier_id=s.pk, item="lineage", version=0,
                                      data={"notes": "no status"})
    assert "status" in exc.value.errors
    with pytest.raises(ValidationError) as exc:
        services.due_diligence_answer(ctx=ctx, supplier_id=s.pk, item="lineage", version=3,
                                      data={"status": "satisfactory"})
    assert "version 0" in exc.value.errors["version"][0]
    a = services.due_diligence_answer(ctx=ctx, supplier_id=s.pk, item="lineage", version=0,
                                      data={"status": "satisfactory", "source": " Model card "})
    assert a.version == 1 and a.source == "Model card" and a.answered_by == ctx.user
    a = services.due_diligence_answer(ctx=ctx, supplier_id=s.pk, item="lineage", version=1,
                                      data={"notes": "Pinned version."})
    assert a.version == 2 and a.status == "satisfactory"
    with pytest.raises(Conflict):
        services.due_diligence_answer(ctx=ctx, supplier_id=s.pk, item="lineage", version=1,
                                      data={"notes": "stale"})
    assert [e.action for e in _events(org, "duediligenceanswer").order_by("seq")] == [
        "create", "update"]
    # Answers do not touch the party's own version.
    assert Supplier.objects.for_org(org).get().version == 1


@pytest.mark.parametrize("status", ["concern", "not_applicable"])
def test_a_concern_or_not_applicable_needs_notes(ctx, make_supplier, status):
    s = make_supplier()
    with pytest.raises(ValidationError) as exc:
        services.due_diligence_answer(ctx=ctx, supplier_id=s.pk, item="evaluation", version=0,
                                      data={"status": status, "notes": "  "})
    assert "notes" in exc.value.errors


def test_unknown_or_foreign_kind_question_is_not_found(ctx, make_supplier):
    customer = make_supplier(name="Broker", kind="customer", supplies=[])
    for item in ("nonsense", "lineage"):  # lineage is not asked of customers
        with pytest.raises(NotFound) as exc:
            services.due_diligence_answer(ctx=ctx, supplier_id=customer.pk, item=item,
                                          version=0, data={"status": "satisfactory"})
        assert "intended_use" in exc.value.message


def test_bulk_update_writes_only_what_changed(org, ctx, make_supplier):
    s = make_supplier()
    n = services.due_diligence_update(ctx=ctx, supplier_id=s.pk, answers=[
        {"item": "lineage", "version": 0, "status": "satisfactory", "notes": "ok"},
        {"item": "evaluation", "version": 0, "status": "", "notes": ""},  # left blank
    ])
    assert n == 1
    n = services.due_diligence_update(ctx=ctx, supplier_id=s.pk, answers=[
        {"item": "lineage", "version": 1, "status": "satisfactory", "notes": "ok", "source": ""},
    ])
    assert n == 0
    with pytest.raises(ValidationError) as exc:
        services.due_diligence_update(ctx=ctx, supplier_id=s.pk, answers=[
            {"item": "security", "version": 0, "status": "concern", "notes": ""}])
    assert "security-notes" in exc.value.errors
    with pytest.raises(ValidationError) as exc:
        services.due_diligence_update(ctx=ctx, supplier_id=s.pk, answers=[
            {"item": "lineage", "version": 0, "status": "concern", "notes": "late"}])
    assert "Someone else changed" in exc.value.errors["lineage-status"][0]
    assert DueDiligenceAnswer.objects.for_org(org).count() == 1


def test_responsibilities_follow_the_kind_of_party(ctx, make_supplier):
    s = make_supplier()
    row = services.responsibility_create(ctx=ctx, supplier_id=s.pk, data={
        "topic": "model_updates", "activity": "Deprecation notices", "responsible": "supplier"})
    assert row.version == 1
    with pytest.raises(ValidationError) as exc:
        services.responsibility_create(ctx=ctx, supplier_id=s.pk, data={
            "topic": "monitoring", "responsible": "customer"})
    assert "choose us, the supplier or shared" in exc.value.errors["responsible"][0]
    with pytest.raises(ValidationError) as exc:
        services.responsibility_create(ctx=ctx, supplier_id=s.pk, data={
            "topic": "incidents", "responsible": "shared", "note": ""})
    assert "note" in exc.value.errors
    with pytest.raises(ValidationError) as exc:
        services.responsibility_create(ctx=ctx, supplier_id=s.pk, data={
            "topic": "other", "responsible": "us"})
    assert "activity" in exc.value.errors
    with pytest.raises(ValidationError) as exc:
        services.responsibility_create(ctx=ctx, supplier_id=s.pk, data={
            "topic": "model_updates", "activity": "deprecation notices", "responsible": "us"})
    assert "already allocated" in exc.value.errors["activity"][0]
    # A supplier with supplier duties cannot silently become a customer.
    with pytest.raises(ValidationError) as exc:
        services.supplier_update(ctx=ctx, supplier_id=s.pk, version=1,
                                 data={"kind": "customer", "supplies": []})
    assert "Deprecation notices" in exc.value.errors["kind"][0]
    row = services.responsibility_update(ctx=ctx, supplier_id=s.pk, allocation_id=row.pk,
                                         version=1, data={"responsible": "us"})
    assert row.version == 2
    services.supplier_update(ctx=ctx, supplier_id=s.pk, version=1,
                             data={"kind": "customer", "supplies": []})
    services.responsibility_delete(ctx=ctx, supplier_id=s.pk, allocation_id=row.pk, version=2)
    assert not ResponsibilityAllocation.objects.for_org(ctx.org).exists()


def test_a_row_of_another_party_is_not_found(ctx, make_supplier):
    a, b = make_supplier(), make_supplier(name="Other")
    row = services.responsibility_create(ctx=ctx, supplier_id=a.pk, data={
        "topic": "monitoring", "responsible": "us"})
    with pytest.raises(NotFound):
        services.responsibility_update(ctx=ctx, supplier_id=b.pk, allocation_id=row.pk,
                                       version=1, data={"note": "x"})


def test_delete_takes_everything_along_into_one_log_entry(org, ctx, make_supplier):
    s = make_supplier()
    services.due_diligence_update(ctx=ctx, supplier_id=s.pk, answers=all_answers())
    services.supplier_review_create(ctx=ctx, supplier_id=s.pk, version=1, data={
        "rating": "low", "summary": "Fine."})
    services.responsibility_create(ctx=ctx, supplier_id=s.pk, data={
        "topic": "monitoring", "responsible": "us"})
    services.supplier_delete(ctx=ctx, supplier_id=s.pk, version=2)
    assert not Supplier.objects.for_org(org).exists()
    assert not DueDiligenceAnswer.objects.for_org(org).exists()
    event = _events(org, "supplier").order_by("-seq").first()
    assert event.action == "delete"
    assert len(event.changes["answers"]["before"]) == 11
    assert event.changes["reviews"]["before"][0].endswith("Low risk")
    assert event.changes["responsibilities"]["before"] == ["Monitoring performance and drift: Us"]
