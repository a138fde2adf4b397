import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from aims.activity.models import Event
from aims.core.errors import Conflict, NotFound, PermissionDenied, ValidationError
from aims.people import selectors, services
from aims.people.models import AimsRole, RoleAssignment, TrainingRecord
from aims.people.standard_roles import STANDARD_ROLES
from aims.testing.factories import UserFactory, ctx_for, make_ai_system

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
DAY = datetime.timedelta(days=1)


def _role(ctx, **data):
    return services.aims_role_create(ctx=ctx, data={
        "name": "Model validator", "responsibilities": "Validates models before release.",
        **data})


# ---------------------------------------------------------------------------- roles


def test_role_create_logs_coverage_and_refuses_duplicates(owner_ctx):
    system = make_ai_system(owner_ctx, name="Credit engine")
    role = _role(owner_ctx, requirements=["A.6.2.4", "9.2"], ai_systems=[system.pk])
    assert [r.ref for r in role.requirements.order_by("sort_key")] == ["9.2", "A.6.2.4"]
    assert list(role.ai_systems.all()) == [system]
    event = Event.objects.filter(org=owner_ctx.org, object_id=str(role.pk)).get()
    assert event.changes["requirements"]["after"] == ["9.2", "A.6.2.4"]
    assert event.changes["ai_systems"]["after"] == ["Credit engine"]
    with pytest.raises(ValidationError) as exc:
        _role(owner_ctx, name="model VALIDATOR")
    assert "already exists" in str(exc.value.errors["name"])


def test_role_rejects_unknown_refs_and_foreign_systems(owner_ctx, other_org):
    with pytest.raises(ValidationError) as exc:
        _role(owner_ctx, requirements=["Z.9"])
    assert "Z.9" in str(exc.value.errors["requirements"])
    from aims.orgs.models import Membership

    other_owner = Membership.objects.get(org=other_org, role="owner").user
    foreign = make_ai_system(ctx_for(other_org, other_owner), name="Globex model")
    with pytest.raises(ValidationError) as exc:
        _role(owner_ctx, ai_systems=[foreign.pk])
    assert "ai_systems" in exc.value.errors


def test_role_update_logs_only_changed_coverage_and_checks_version(owner_ctx):
    role = _role(owner_ctx, requirements=["9.2"])
    role = services.aims_role_update(ctx=owner_ctx, role_id=role.pk, version=1,
                                     data={"requirements": ["9.2", "5.3"], "areas": "Audit"})
    assert role.version == 2
    event = Event.objects.filter(org=owner_ctx.org, object_id=str(role.pk)).order_by("-seq")[0]
    assert event.changes["requirements"] == {"before": ["9.2"], "after": ["5.3", "9.2"]}
    assert "ai_systems" not in event.changes
    with pytest.raises(Conflict):
        services.aims_role_update(ctx=owner_ctx, role_id=role.pk, version=1,
                                  data={"areas": "x"})


def test_editors_and_auditors_cannot_change_roles(org, members, ctx):
    with pytest.raises(PermissionDenied):
        _role(ctx)
    with pytest.raises(PermissionDenied):
        _role(ctx_for(org, members["auditor"]))
    assert _role(ctx_for(org, members["admin"])).pk


def test_standard_roles_are_added_once_with_codes(owner_ctx):
    _role(owner_ctx, name="Internal auditor")  # a same-named custom role is kept, not doubled
    added = services.aims_roles_add_standard(ctx=owner_ctx)
    assert {r.code for r in added} == set(STANDARD_ROLES) - {"internal_auditor"}
    assert services.aims_roles_add_standard(ctx=owner_ctx) == []
    top = AimsRole.objects.for_org(owner_ctx.org).get(code="top_management")
    assert top.name == "Top management" and "5.1" in {r.ref for r in top.requirements.all()}
    assert top.responsibilities


def test_role_with_a_current_holder_cannot_be_deleted(owner_ctx, members):
    role = _role(owner_ctx)
    services.competence_requirement_create(ctx=owner_ctx, role_id=role.pk,
                                           data={"title": "Knows validation"})
    a = services.role_assignment_create(ctx=owner_ctx, role_id=role.pk, data={
        "member": members["editor"].pk, "since": TODAY - 10 * DAY})
    with pytest.raises(ValidationError) as exc:
        services.aims_role_delete(ctx=owner_ctx, role_id=role.pk, version=1)
    assert "held by 1 member" in str(exc.value)
    services.role_assignment_end(ctx=owner_ctx, assignment_id=a.pk, version=1,
                                 on=TODAY - DAY)
    services.aims_role_delete(ctx=owner_ctx, role_id=role.pk, version=1)
    assert not AimsRole.objects.for_org(owner_ctx.org).exists()
    event = Event.objects.filter(org=owner_ctx.org, action="delete",
                                 object_id=str(role.pk)).get()
    assert event.changes["past_assignments"]["before"] == 1
    assert event.changes["competence_requirements"]["before"] == 1


# ---------------------------------------------------------------------------- assignments


def test_assignment_must_be_a_member(owner_ctx, members, other_org):
    role = _role(owner_ctx)
    stranger = UserFactory(email="stranger@example.org")
    for who in (stranger.pk, "not-an-id", None):
        with pytest.raises(ValidationError) as exc:
            services.role_assignment_create(ctx=owner_ctx, role_id=role.pk,
                                            data={"member": who})
        assert "member" in exc.value.errors
    assert not RoleAssignment.objects.for_org(owner_ctx.org).exists()


def test_member_holds_several_roles_and_role_several_members(owner_ctx, members):
    a, b = _role(owner_ctx, name="A"), _role(owner_ctx, name="B")
    for role in (a, b):
        for who in ("editor", "admin"):
            services.role_assignment_create(ctx=owner_ctx, role_id=role.pk,
                                            data={"member": members[who].pk})
    assert {u.email for u in [*selectors.role_holders(ctx=owner_ctx, code="")]} == set()
    cover = selectors.roles_covering(ctx=owner_ctx, user=members["editor"])
    assert [r.name for r in cover.roles] == ["A", "B"]


def test_overlapping_assignment_of_the_same_member_is_refused(owner_ctx, members):
    role = _role(owner_ctx)
    editor = members["editor"].pk
    services.role_assignment_create(ctx=owner_ctx, role_id=role.pk, data={
        "member": editor, "since": TODAY - 100 * DAY, "until": TODAY - 50 * DAY})
    with pytest.raises(ValidationError) as exc:
        services.role_assignment_create(ctx=owner_ctx, role_id=role.pk, data={
            "member": editor, "since": TODAY - 60 * DAY})
    assert "already holds" in str(exc.value)
    later = services.role_assignment_create(ctx=owner_ctx, role_id=role.pk, data={
        "member": editor, "since": TODAY - 49 * DAY})
    assert later.is_current


def test_until_before_since_is_refused(owner_ctx, members):
    role = _role(owner_ctx)
    with pytest.raises(ValidationError) as exc:
        services.role_assignment_create(ctx=owner_ctx, role_id=role.pk, data={
            "member": members["editor"].pk, "since": TODAY, "until": TODAY - DAY})
    assert "until" in exc.value.errors


def test_end_keeps_the_assignment_and_role_holders_follow_dates(owner_ctx, members):
    services.aims_roles_add_standard(ctx=owner_ctx)
    top = AimsRole.objects.for_org(owner_ctx.org).get(code="top_management")
    a = services.role_assignment_create(ctx=owner_ctx, role_id=top.pk,
                                        data={"member": members["owner"].pk,
                                              "since": TODAY - 10 * DAY})
    services.role_assignment_create(ctx=owner_ctx, role_id=top.pk,
                                    data={"member": members["admin"].pk,
                                          "since": TODAY + 5 * DAY})
    assert selectors.role_holders(ctx=owner_ctx, code="top_management") == [members["owner"]]
    assert set(selectors.role_holders(ctx=owner_ctx, code="top_management",
                                      on=TODAY + 6 * DAY)) == {members["owner"], members["admin"]}
    ended = services.role_assignment_end(ctx=owner_ctx, assignment_id=a.pk, version=1)
    assert ended.until == TODAY
    assert selectors.role_holders(ctx=owner_ctx, code="top_management", on=TODAY + DAY) == []
    assert selectors.role_holders(ctx=owner_ctx, code="top_management",
                                  on=TODAY + 6 * DAY) == [members["admin"]]
    with pytest.raises(ValidationError):
        services.role_assignment_end(ctx=owner_ctx, assignment_id=a.pk, version=2,
                                     on=TODAY + DAY)
    assert selectors.role_holders(ctx=owner_ctx, code="no_such_role") == []


def test_assignment_update_checks_overlap_and_role(owner_ctx, members):
    role, other = _role(owner_ctx), _role(owner_ctx, name="Other")
    services.role_assignment_create(ctx=owner_ctx, role_id=role.pk,
                                    data={"member": members["editor"].pk})
    b = services.role_assignment_create(ctx=owner_ctx, role_id=role.pk,
                                        data={"member": members["admin"].pk})
    with pytest.raises(ValidationError):
        services.role_assignment_update(ctx=owner_ctx, assignment_id=b.pk, version=1,
                                        data={"member": members["editor"].pk})
    with pytest.raises(NotFound):
        services.role_assignment_update(ctx=owner_ctx, assignment_id=b.pk, version=1,
                                        role_id=other.pk, data={"note": "x"})
    b = services.role_assignment_update(ctx=owner_ctx, assignment_id=b.pk, version=1,
                                        data={"note": "Deputy"})
    assert b.note == "Deputy" and b.version == 2


def test_leaving_member_releases_the_assignment(org, owner_ctx, members):
    from aims.members.services import member_remove
    from aims.orgs.models import Membership

    role = _role(owner_ctx)
    a = services.role_assignment_create(ctx=owner_ctx, role_id=role.pk,
                                        data={"member": members["editor"].pk})
    leaving = Membership.objects.get(org=org, user=members["editor"])
    member_remove(ctx=owner_ctx, membership_id=leaving.pk, version=leaving.version)
    a.refresh_from_db()
    assert a.member_id is None and not a.is_current
    assert selectors.roles_covering(ctx=owner_ctx, user=members["editor"]).roles == []


def test_roles_covering_expands_objectives_and_clauses(owner_ctx, members):
    system = make_ai_system(owner_ctx, name="Chatbot")
    role = _role(owner_ctx, requirements=["A.6.2.1", "9"], ai_systems=[system.pk])
    services.role_assignment_create(ctx=owner_ctx, role_id=role.pk,
                                    data={"member": members["auditor"].pk})
    cover = selectors.roles_covering(ctx=owner_ctx, user=members["auditor"])
    assert cover and cover.covers_system(system) and cover.covers_system(system.pk)
    assert cover.covers_requirement("A.6.2.5") and cover.covers_requirement("9.2")
    assert not cover.covers_requirement("A.7.4")
    assert not selectors.roles_covering(ctx=owner_ctx, user=members["viewer"])


# ---------------------------------------------------------------------------- concern channel

CHANNEL = {"channels": "ai-concerns@example.com", "recipients": "Ethics officer",
           "confidentiality": "Anonymous reports accepted; no retaliation.",
           "response_times": "Acknowledged in 2 working days."}


def test_concern_channel_is_versioned_with_history(owner_ctx):
    channel = services.concern_channel_save(ctx=owner_ctx, data=CHANNEL, version=0)
    assert channel.version == 1 and channel.changed_by == owner_ctx.user
    with pytest.raises(Conflict):
        services.concern_channel_save(ctx=owner_ctx, data=CHANNEL, version=0)
    channel = services.concern_channel_save(ctx=owner_ctx, version=1,
                                            data={**CHANNEL, "response_times": "Next day."})
    assert channel.version == 2
    # Saving the same text again is no new version.
    assert services.concern_channel_save(ctx=owner_ctx, version=2,
                                         data={**CHANNEL, "response_times": "Next day."}
                                         ).version == 2
    events = Event.objects.filter(org=owner_ctx.org, object_id=str(channel.pk)).order_by("seq")
    assert [e.action for e in events] == ["create", "update"]
    assert events[1].changes["response_times"]["after"] == "Next day."
    with pytest.raises(Conflict):
        services.concern_channel_save(ctx=owner_ctx, data=CHANNEL, version=1)


def test_concern_channel_needs_people_change_and_every_field(ctx, owner_ctx):
    with pytest.raises(PermissionDenied):
        services.concern_channel_save(ctx=ctx, data=CHANNEL, version=0)
    with pytest.raises(ValidationError) as exc:
        services.concern_channel_save(ctx=owner_ctx, data={**CHANNEL, "recipients": " "},
                                      version=0)
    assert "recipients" in exc.value.errors


# ---------------------------------------------------------------------------- training


def _training(ctx, member, **data):
    return services.training_record_create(ctx=ctx, data={
        "member": member.pk, "topic": "Bias testing", "ai_specific": True,
        "completed_on": TODAY - 30 * DAY, **data})


def test_training_status_current_expiring_expired(ctx, members):
    editor = members["editor"]
    assert _training(ctx, editor).status == "current"
    assert _training(ctx, editor, expires_on=TODAY + 400 * DAY).status == "current"
    assert _training(ctx, editor, expires_on=TODAY + 5 * DAY).status == "expiring"
    assert _training(ctx, editor, expires_on=TODAY).status == "expiring"
    assert _training(ctx, editor, expires_on=TODAY - DAY).status == "expired"
    for status, n in (("current", 2), ("expiring", 2), ("expired", 1)):
        assert selectors.training_record_list(ctx=ctx, filters=selectors.TrainingFilters(
            status=status)).count() == n


def test_training_rules(ctx, members, org):
    with pytest.raises(ValidationError) as exc:
        _training(ctx, members["editor"], completed_on=TODAY + DAY)
    assert "completed_on" in exc.value.errors
    with pytest.raises(ValidationError) as exc:
        _training(ctx, members["editor"], expires_on=TODAY - 60 * DAY)
    assert "expires_on" in exc.value.errors
    with pytest.raises(ValidationError):
        _training(ctx, UserFactory(email="outsider@example.org"))
    with pytest.raises(PermissionDenied):
        _training(ctx_for(org, members["viewer"]), members["editor"])
    with pytest.raises(PermissionDenied):
        _training(ctx_for(org, members["auditor"]), members["auditor"])


def test_training_update_and_delete(ctx, members):
    record = _training(ctx, members["editor"])
    record = services.training_record_update(ctx=ctx, record_id=record.pk, version=1,
                                             data={"provider": "Turing Institute"})
    assert record.version == 2
    with pytest.raises(Conflict):
        services.training_record_delete(ctx=ctx, record_id=record.pk, version=1)
    services.training_record_delete(ctx=ctx, record_id=record.pk, version=2)
    assert not TrainingRecord.objects.for_org(ctx.org).exists()


def test_certificate_becomes_evidence_of_the_record(ctx, members):
    from aims.evidence.selectors import evidence_for

    upload = SimpleUploadedFile("certificate.pdf", b"%PDF-1.4 certificate",
                                content_type="application/pdf")
    record = _training(ctx, members["editor"], expires_on=TODAY + 300 * DAY, provider="ACME")
    services.training_evidence_attach(ctx=ctx, record=record, upload=upload)
    [evidence] = evidence_for(ctx=ctx, subject=record)
    assert evidence.file_name == "certificate.pdf"
    assert evidence.valid_until == record.expires_on and evidence.owner == members["editor"]
    assert "Bias testing" in evidence.title


# ---------------------------------------------------------------------------- gaps


def _ai_role(owner_ctx, name="AI system owner"):
    role = _role(owner_ctx, name=name)
    services.competence_requirement_create(ctx=owner_ctx, role_id=role.pk, data={
        "title": "Understands how the model can fail", "ai_specific": True})
    services.competence_requirement_create(ctx=owner_ctx, role_id=role.pk, data={
        "title": "Project management", "ai_specific": False})
    return role


def test_gap_for_holder_without_ai_training(owner_ctx, ctx, members):
    role = _ai_role(owner_ctx)
    general = _role(owner_ctx, name="Coordinator")  # no AI-specific requirements
    services.competence_requirement_create(ctx=owner_ctx, role_id=general.pk,
                                           data={"title": "Minutes", "ai_specific": False})
    for r in (role, general):
        services.role_assignment_create(ctx=owner_ctx, role_id=r.pk,
                                        data={"member": members["editor"].pk})
    [gap] = selectors.competence_gaps(ctx=owner_ctx)
    assert gap.member == members["editor"] and gap.role == role
    assert [c.title for c in gap.missing] == ["Understands how the model can fail"]
    assert gap.lapsed is None


def test_general_training_does_not_close_a_gap(owner_ctx, ctx, members):
    role = _ai_role(owner_ctx)
    services.role_assignment_create(ctx=owner_ctx, role_id=role.pk,
                                    data={"member": members["editor"].pk})
    _training(ctx, members["editor"], ai_specific=False)
    assert len(selectors.competence_gaps(ctx=owner_ctx)) == 1
    _training(ctx, members["editor"], ai_specific=True, expires_on=TODAY + 3 * DAY)
    assert selectors.competence_gaps(ctx=owner_ctx) == []  # expiring still counts


def test_expired_ai_training_leaves_a_gap_naming_it(owner_ctx, ctx, members):
    role = _ai_role(owner_ctx)
    services.role_assignment_create(ctx=owner_ctx, role_id=role.pk,
                                    data={"member": members["editor"].pk})
    old = _training(ctx, members["editor"], completed_on=TODAY - 800 * DAY,
                    expires_on=TODAY - 70 * DAY, topic="AI risk 2023")
    older = _training(ctx, members["editor"], completed_on=TODAY - 900 * DAY,
                      expires_on=TODAY - 400 * DAY, topic="AI risk 2022")
    [gap] = selectors.competence_gaps(ctx=owner_ctx)
    assert gap.lapsed == old and gap.lapsed != older
    # On a day when the old record was still valid there was no gap.
    assert selectors.competence_gaps(ctx=owner_ctx, on=TODAY - 100 * DAY) == []


def test_ended_assignments_and_leavers_have_no_gap(owner_ctx, members):
    role = _ai_role(owner_ctx)
    a = services.role_assignment_create(ctx=owner_ctx, role_id=role.pk, data={
        "member": members["editor"].pk, "since": TODAY - 30 * DAY})
    services.role_assignment_end(ctx=owner_ctx, assignment_id=a.pk, version=1,
                                 on=TODAY - DAY)
    assert selectors.competence_gaps(ctx=owner_ctx) == []


def test_people_list_shows_current_roles_and_training(owner_ctx, ctx, members):
    role = _role(owner_ctx)
    services.role_assignment_create(ctx=owner_ctx, role_id=role.pk,
                                    data={"member": members["editor"].pk})
    _training(ctx, members["editor"])
    rows = {p.user.email: p for p in selectors.people_list(ctx=owner_ctx)}
    assert [a.role.name for a in rows[members["editor"].email].assignments] == [role.name]
    assert len(rows[members["editor"].email].training) == 1
    assert rows[members["viewer"].email].assignments == []
