"""The reviewer's findings: second-person approval, approval dates, significant changes while a
version is open, and risks an assessment relies on."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from aims.activity.models import Event
from aims.core.errors import PermissionDenied, ValidationError
from aims.impact import services
from aims.impact.models import ImpactAssessment, Status
from aims.impact.tests.conftest import IMPACT, SECTIONS, submitted_on
from aims.inventory.services import system_change_record
from aims.orgs.context import ctx_for_cli
from aims.records.approval import SECOND_PERSON_RULE
from aims.testing.factories import ctx_for


@pytest.fixture
def owner_ctx_(org, members):
    return ctx_for(org, members["owner"])


def _submit(ctx, a):
    a.refresh_from_db()
    return services.assessment_submit(ctx=ctx, assessment_id=a.pk, version=a.version)


def _approve(ctx, a, **kw):
    a.refresh_from_db()
    return services.assessment_approve(ctx=ctx, assessment_id=a.pk, version=a.version, **kw)


def _refused(ctx, a):
    with pytest.raises(PermissionDenied) as exc:
        _approve(ctx, a)
    assert SECOND_PERSON_RULE in str(exc.value)
    a.refresh_from_db()
    assert a.status == Status.IN_REVIEW


# ---------------------------------------------------------------- 1. approver ≠ writer


def test_admin_who_rewrote_and_submitted_an_editors_draft_cannot_approve(
        ctx, admin_ctx, owner_ctx_, draft):
    services.assessment_update(ctx=admin_ctx, assessment_id=draft.pk, version=draft.version,
                               data={"conclusion": "Acceptable, says the admin."})
    a = _submit(admin_ctx, draft)
    assert a.submitted_by == admin_ctx.user and a.submitted_at is not None
    _refused(admin_ctx, a)
    assert _approve(owner_ctx_, a).status == Status.APPROVED


def test_the_submitter_cannot_approve(ctx, admin_ctx, owner_ctx_, draft):
    a = _submit(admin_ctx, draft)
    _refused(admin_ctx, a)
    assert _approve(owner_ctx_, a).approved_by == owner_ctx_.user


@pytest.mark.parametrize("edit", ["create", "update", "delete"])
def test_whoever_edited_the_impacts_cannot_approve(ctx, admin_ctx, owner_ctx_, draft, edit):
    impact = draft.impacts.get()
    if edit == "create":
        services.impact_create(ctx=admin_ctx, assessment_id=draft.pk, data=IMPACT)
    elif edit == "update":
        services.impact_update(ctx=admin_ctx, assessment_id=draft.pk, impact_id=impact.pk,
                               version=impact.version, data={"likelihood": 2})
    else:
        services.impact_create(ctx=ctx, assessment_id=draft.pk, data=IMPACT)
        services.impact_delete(ctx=admin_ctx, assessment_id=draft.pk, impact_id=impact.pk,
                               version=impact.version)
    a = _submit(ctx, draft)
    _refused(admin_ctx, a)
    approved = _approve(owner_ctx_, a)
    assert approved.status == Status.APPROVED and approved.approved_by == owner_ctx_.user
    a.refresh_from_db()
    assert a.status == Status.APPROVED and a.approved_by == owner_ctx_.user


def test_a_no_op_save_does_not_make_a_contributor(ctx, admin_ctx, draft):
    services.assessment_update(ctx=admin_ctx, assessment_id=draft.pk, version=draft.version,
                               data={"conclusion": SECTIONS["conclusion"]})
    assert _approve(admin_ctx, _submit(ctx, draft)).status == Status.APPROVED


def test_edits_before_the_last_return_do_not_bar_the_approver(ctx, admin_ctx, owner_ctx_,
                                                              draft):
    services.assessment_update(ctx=admin_ctx, assessment_id=draft.pk, version=draft.version,
                               data={"conclusion": "First try by the admin."})
    a = _submit(admin_ctx, draft)
    a = services.assessment_return(ctx=owner_ctx_, assessment_id=a.pk, version=a.version,
                                   comment="Explain the monitoring in the conclusion.")
    assert a.submitted_by is None and a.submitted_at is None
    services.assessment_update(ctx=ctx, assessment_id=a.pk, version=a.version,
                               data={"conclusion": "Acceptable with quarterly monitoring."})
    a = _submit(ctx, a)
    # The editor wrote and submitted the version under review; the admin did not.
    assert _approve(admin_ctx, a).status == Status.APPROVED


def test_without_an_author_the_submitter_still_cannot_approve(ctx, admin_ctx, owner_ctx_,
                                                              draft):
    # The author's account was deleted (author is SET_NULL).
    ImpactAssessment.objects.for_org(ctx.org).filter(pk=draft.pk).update(author=None)
    draft.contributors.clear()
    a = _submit(admin_ctx, draft)
    _refused(admin_ctx, a)
    assert _approve(owner_ctx_, a).status == Status.APPROVED


def test_an_assessment_written_from_the_command_line_can_be_approved(org, admin_ctx, system):
    cli = ctx_for_cli(org.slug)
    a = services.assessment_create(ctx=cli, data={"ai_system": system.pk, **SECTIONS})
    services.impact_create(ctx=cli, assessment_id=a.pk, data=IMPACT)
    a = _submit(cli, a)
    assert a.author is None and a.submitted_by is None
    assert _approve(admin_ctx, a).status == Status.APPROVED


def test_api_refusal_names_the_rule(org, members, api_client_for, ctx, admin_ctx, draft):
    a = _submit(admin_ctx, draft)
    r = api_client_for(members["admin"]).post(
        f"/api/v1/orgs/{org.slug}/impact-assessments/{a.pk}/approve", {"version": a.version})
    assert r.status_code == 403
    assert SECOND_PERSON_RULE in r.json()["detail"]
    body = api_client_for(members["owner"]).get(
        f"/api/v1/orgs/{org.slug}/impact-assessments/{a.pk}").json()
    assert body["submitted_by"] == str(members["admin"].pk)


def test_detail_page_tells_a_submitter_they_cannot_approve(org, members, admin_ctx, draft,
                                                           web_client_for):
    a = _submit(admin_ctx, draft)
    page = web_client_for(members["admin"]).get(
        f"/o/{org.slug}/impact-assessments/{a.pk}/").content.decode()
    assert SECOND_PERSON_RULE in page and 'aria-label="Approve"' not in page
    page = web_client_for(members["owner"]).get(
        f"/o/{org.slug}/impact-assessments/{a.pk}/").content.decode()
    assert 'aria-label="Approve"' in page


# ---------------------------------------------------------------- 2. approval date


def test_approval_cannot_predate_the_submission(admin_ctx, in_review):
    for day in (datetime.date(1990, 1, 1), timezone.localdate() - datetime.timedelta(days=1)):
        with pytest.raises(ValidationError) as exc:
            _approve(admin_ctx, in_review, approved_on=day)
        assert "approved_on" in exc.value.errors
        assert "before the assessment was submitted" in exc.value.errors["approved_on"][0]
    a = _approve(admin_ctx, in_review, approved_on=timezone.localdate())
    assert a.approved_on == timezone.localdate()


def test_approval_may_be_dated_on_an_earlier_submission_day(admin_ctx, in_review):
    day = timezone.localdate() - datetime.timedelta(days=30)
    submitted_on(in_review, day)
    assert _approve(admin_ctx, in_review, approved_on=day).approved_on == day


def test_api_backdated_approval_is_422(org, members, api_client_for, in_review):
    r = api_client_for(members["admin"]).post(
        f"/api/v1/orgs/{org.slug}/impact-assessments/{in_review.pk}/approve",
        {"version": in_review.version, "approved_on": "1990-01-01"})
    assert r.status_code == 422
    assert "approved_on" in r.content.decode()


# ---------------------------------------------------------------- 3. significant changes


def _significant(ctx, system, day=None, text="Retrained with two new features."):
    return system_change_record(ctx=ctx, system_id=system.pk, data={
        "description": text, "significant": True, "changed_on": day or timezone.localdate()})


@pytest.mark.parametrize("stage", ["draft", "in_review"])
def test_change_while_open_must_be_acknowledged(ctx, admin_ctx, draft, system, stage):
    if stage == "in_review":
        _submit(ctx, draft)
    _significant(ctx, system)
    draft.refresh_from_db()
    assert "Retrained with two new features." in draft.pending_change_note
    if stage == "draft":
        _submit(ctx, draft)
    with pytest.raises(ValidationError) as exc:
        _approve(admin_ctx, draft)
    assert "Retrained with two new features." in exc.value.errors["acknowledge_changes"][0]
    a = _approve(admin_ctx, draft, acknowledge_changes=True)
    assert a.status == Status.APPROVED
    last = Event.objects.filter(org=ctx.org, object_id=str(a.pk)).order_by("-seq").first()
    assert "Retrained" in last.changes["acknowledged_changes"]["after"]


def test_change_during_review_of_a_new_version_flags_both(ctx, admin_ctx, approved, system):
    v2 = services.assessment_create(ctx=ctx, data={"ai_system": system.pk,
                                                   "conclusion": "Still fine."})
    v2 = _submit(ctx, v2)
    _significant(ctx, system)
    approved.refresh_from_db()
    v2.refresh_from_db()
    assert approved.status == Status.NEEDS_REASSESSMENT
    assert v2.pending_change_note
    with pytest.raises(ValidationError):
        _approve(admin_ctx, v2)
    _approve(admin_ctx, v2, acknowledge_changes=True)
    approved.refresh_from_db()
    assert approved.status == Status.SUPERSEDED


def test_change_dated_before_the_approval_does_not_flag_it(ctx, approved, system):
    _significant(ctx, system, day=timezone.localdate() - datetime.timedelta(days=3))
    approved.refresh_from_db()
    assert approved.status == Status.APPROVED and approved.flagged_change_id is None


def test_api_shows_the_pending_change_and_requires_acknowledgement(
        org, members, api_client_for, ctx, in_review, system):
    _significant(ctx, system)
    admin = api_client_for(members["admin"])
    url = f"/api/v1/orgs/{org.slug}/impact-assessments/{in_review.pk}"
    body = admin.get(url).json()
    assert "Retrained" in body["pending_change_note"]
    r = admin.post(url + "/approve", {"version": body["version"]})
    assert r.status_code == 422 and "acknowledge_changes" in r.content.decode()
    r = admin.post(url + "/approve", {"version": body["version"], "acknowledge_changes": True})
    assert r.status_code == 200 and r.json()["status"] == "approved"


def test_approval_screen_shows_the_change_and_asks_for_acknowledgement(
        org, members, ctx, in_review, system, web_client_for):
    _significant(ctx, system)
    c = web_client_for(members["admin"])
    url = f"/o/{org.slug}/impact-assessments/{in_review.pk}/"
    page = c.get(url).content.decode()
    assert "Retrained with two new features." in page and 'name="acknowledge_changes"' in page
    in_review.refresh_from_db()
    r = c.post(url + "approve/", {"version": in_review.version, "comment": ""})
    assert r.status_code == 422 and "Confirm the assessment takes them" in r.content.decode()
    r = c.post(url + "approve/", {"version": in_review.version, "acknowledge_changes": "on"})
    assert r.status_code == 302


# ---------------------------------------------------------------- 4. linked risks


def test_a_risk_linked_from_an_impact_cannot_be_deleted(ctx, admin_ctx, draft):
    from aims.risks.models import Risk
    from aims.risks.services import risk_delete

    impact = draft.impacts.get()
    linked = services.impact_raise_risk(ctx=ctx, assessment_id=draft.pk, impact_id=impact.pk,
                                        version=impact.version)
    risk = Risk.objects.for_org(ctx.org).get()
    with pytest.raises(ValidationError) as exc:
        services.risk_delete_check(ctx=ctx, obj=risk)
    assert "impact assessments link to it" in exc.value.errors["__all__"][0]
    # Until the register calls the check, the database refuses on its own (no silent unlink).
    # The risks service asks first, so the refusal is a 422 and never a ProtectedError (500).
    with pytest.raises(ValidationError):
        risk_delete(ctx=admin_ctx, risk_id=risk.pk, version=risk.version)
    linked.refresh_from_db()
    assert linked.linked_risk_id == risk.pk
