import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from aims.catalog.models import Requirement
from aims.core.dates import add_months
from aims.core.errors import NotFound, PermissionDenied, ValidationError
from aims.documents import selectors, services
from aims.documents.models import DocumentVersion, VersionStatus
from aims.documents.tests.conftest import (
    POLICY,
    approve,
    backdate_submission,
    draft_of,
    events_for,
    new_version,
    reload,
    submit,
)
from aims.testing.factories import ctx_for

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate


# ---------------------------------------------------------------- documents


def test_create_numbers_documents_and_starts_a_draft(ctx, document):
    assert document.ref == "DOC-001"
    assert [r.ref for r in document.requirements.order_by("sort_key")] == ["5.2", "A.2.2"]
    v = draft_of(document)
    assert (v.number, v.status, v.author, v.content) == (1, "draft", ctx.user, POLICY)
    second = services.document_create(ctx=ctx, data={"title": "Scope statement",
                                                     "kind": "scope"})
    assert second.ref == "DOC-002" and draft_of(second).content == ""
    assert [e.action for e in events_for(document)] == ["create"]
    assert events_for(document)[0].changes["requirements"]["after"] == ["5.2", "A.2.2"]
    assert [e.action for e in events_for(v)] == ["create"]


def test_create_from_a_template(ctx):
    doc = services.document_create(ctx=ctx, data={"template": "ai_risk_methodology"})
    assert (doc.title, doc.kind) == ("AI risk assessment methodology", "methodology")
    assert "6.1.2" in [r.ref for r in doc.requirements.all()]
    v = draft_of(doc)
    assert v.content.startswith("# AI risk assessment methodology")
    assert "template" in v.change_summary


@pytest.mark.parametrize("data, field", [
    ({"title": ""}, "title"),
    ({"title": "X", "template": "nope"}, "template"),
    ({"title": "X", "requirements": ["A.99"]}, "requirements"),
    ({"title": "X", "requirements": "5.2"}, "requirements"),
    ({"title": "X", "review_interval_months": 0}, "review_interval_months"),
    ({"title": "X", "review_interval_months": 61}, "review_interval_months"),
    ({"title": "X", "kind": "memo"}, "kind"),
    ({"title": "X", "colour": "red"}, "colour"),
])
def test_create_refuses_bad_input_naming_the_field(ctx, data, field):
    with pytest.raises(ValidationError) as exc:
        services.document_create(ctx=ctx, data=data)
    assert field in exc.value.errors


@pytest.mark.parametrize("role", ["viewer", "auditor"])
def test_readers_cannot_write(org, members, document, role):
    reader = ctx_for(org, members[role])
    with pytest.raises(PermissionDenied):
        services.document_create(ctx=reader, data={"title": "X"})
    with pytest.raises(PermissionDenied):
        services.document_version_create(ctx=reader, document_id=document.pk)


def test_update_logs_requirement_changes_and_moves_the_review_date(ctx, admin_ctx, document):
    approve(ctx, admin_ctx, document)
    doc = reload(document)
    assert doc.next_review_date == add_months(TODAY(), 12)
    doc = services.document_update(ctx=ctx, document_id=doc.pk, version=doc.version, data={
        "review_interval_months": 6, "requirements": ["5.2"], "title": "AI policy (group)"})
    assert doc.next_review_date == add_months(TODAY(), 6)
    assert [r.ref for r in doc.requirements.all()] == ["5.2"]
    last = events_for(doc)[-1]
    assert last.changes["requirements"] == {"before": ["5.2", "A.2.2"], "after": ["5.2"]}
    assert "next_review_date" in last.changes and "title" in last.changes


def test_update_needs_the_current_version(ctx, document):
    from aims.core.errors import Conflict

    with pytest.raises(Conflict):
        services.document_update(ctx=ctx, document_id=document.pk, version=99,
                                 data={"title": "Y"})


def test_delete_only_while_never_approved(ctx, admin_ctx, document):
    other = services.document_create(ctx=ctx, data={"title": "Old draft"})
    services.document_delete(ctx=ctx, document_id=other.pk, version=other.version)
    assert not DocumentVersion.objects.for_org(ctx.org).filter(document_id=other.pk).exists()
    approve(ctx, admin_ctx, document)
    doc = reload(document)
    with pytest.raises(ValidationError) as exc:
        services.document_delete(ctx=ctx, document_id=doc.pk, version=doc.version)
    assert "approved version" in str(exc.value)


def test_foreign_ids_are_not_found(ctx, other_org, document):
    from aims.testing.factories import add_member

    outsider = ctx_for(other_org, add_member(other_org, "admin"))
    with pytest.raises(NotFound):
        services.document_update(ctx=outsider, document_id=document.pk, version=1,
                                 data={"title": "Y"})
    v = draft_of(document)
    with pytest.raises(NotFound):
        services.document_version_submit(ctx=outsider, document_id=document.pk,
                                         version_id=v.pk, version=v.version)


def test_a_version_of_another_document_is_not_found(ctx, document):
    other = services.document_create(ctx=ctx, data={"title": "Other"})
    v = draft_of(other)
    with pytest.raises(NotFound):
        services.document_version_update(ctx=ctx, document_id=document.pk, version_id=v.pk,
                                         version=v.version, data={"content": "x"})


# ---------------------------------------------------------------- drafting and immutability


def test_draft_edits_and_the_one_open_version_rule(ctx, document):
    v = draft_of(document)
    v = services.document_version_update(ctx=ctx, document_id=document.pk, version_id=v.pk,
                                         version=v.version, data={"content": "# New"})
    assert (v.content, v.version) == ("# New", 2)
    with pytest.raises(ValidationError) as exc:
        new_version(ctx, document)
    assert "already has version 1 draft" in str(exc.value)


def test_submit_needs_content(ctx):
    doc = services.document_create(ctx=ctx, data={"title": "Empty"})
    with pytest.raises(ValidationError) as exc:
        submit(ctx, doc)
    assert "content" in exc.value.errors


@pytest.mark.parametrize("stage", ["in_review", "approved", "superseded"])
def test_only_drafts_change(ctx, admin_ctx, document, stage):
    if stage == "in_review":
        target = submit(ctx, document)
    else:
        target = approve(ctx, admin_ctx, document)
        if stage == "superseded":
            new_version(ctx, document, "# Version 2")
            approve(ctx, admin_ctx, document)
            target.refresh_from_db()
    assert target.status == stage
    before = (target.content, target.version, target.change_summary)
    for data in ({"content": "tampered"}, {"change_summary": "tampered"}):
        with pytest.raises(ValidationError) as exc:
            services.document_version_update(ctx=ctx, document_id=document.pk,
                                             version_id=target.pk, version=target.version,
                                             data=data)
        assert "status" in exc.value.errors
    with pytest.raises(ValidationError):
        services.document_version_update(
            ctx=ctx, document_id=document.pk, version_id=target.pk, version=target.version,
            data={}, upload=SimpleUploadedFile("x.pdf", b"tampered"))
    with pytest.raises(ValidationError):
        services.document_version_submit(ctx=ctx, document_id=document.pk, version_id=target.pk,
                                         version=target.version)
    target.refresh_from_db()
    assert (target.content, target.version, target.change_summary) == before


def test_file_versions(ctx, document):
    v = draft_of(document)
    with pytest.raises(ValidationError) as exc:
        services.document_version_update(
            ctx=ctx, document_id=document.pk, version_id=v.pk, version=v.version,
            data={"content": "text"}, upload=SimpleUploadedFile("p.pdf", b"%PDF-1 policy"))
    assert "file" in exc.value.errors
    v = services.document_version_update(
        ctx=ctx, document_id=document.pk, version_id=v.pk, version=v.version, data={},
        upload=SimpleUploadedFile("../../etc/Policy\x00.pdf", b"%PDF-1 policy"))
    assert v.is_file and v.content == "" and v.file_name == "Policy.pdf"
    assert "sha256" in events_for(v)[-1].changes["file"]["after"]
    with pytest.raises(ValidationError):  # text and a file at once
        services.document_version_update(ctx=ctx, document_id=document.pk, version_id=v.pk,
                                         version=v.version, data={"content": "also text"})
    v = services.document_version_update(ctx=ctx, document_id=document.pk, version_id=v.pk,
                                         version=v.version,
                                         data={"remove_file": True, "content": "# Text again"})
    assert not v.is_file and v.content == "# Text again"


def test_new_version_copies_the_version_in_force(ctx, admin_ctx, document):
    approve(ctx, admin_ctx, document)
    v2 = new_version(ctx, document, change_summary="Yearly review")
    assert (v2.number, v2.status, v2.content) == (2, "draft", POLICY)
    # While v2 is drafted, v1 stays in force.
    assert selectors.version_in_force(ctx=ctx, document=document).number == 1


# ---------------------------------------------------------------- the approval rule


def test_editor_and_readers_cannot_approve(org, members, ctx, document):
    v = submit(ctx, document)
    for role in ("editor", "viewer", "auditor"):
        with pytest.raises(PermissionDenied) as exc:
            services.document_version_approve(ctx=ctx_for(org, members[role]),
                                              document_id=document.pk, version_id=v.pk,
                                              version=v.version)
        assert "Approving documents needs the role Owner or Admin" in str(exc.value)
    v.refresh_from_db()
    assert v.status == "in_review"


def test_the_author_cannot_approve_even_as_admin(org, members, admin_ctx):
    doc = services.document_create(ctx=admin_ctx, data={"title": "Admin's", "content": "x"})
    v = submit(admin_ctx, doc)
    with pytest.raises(PermissionDenied) as exc:
        services.document_version_approve(ctx=admin_ctx, document_id=doc.pk, version_id=v.pk,
                                          version=v.version)
    assert "second person" in str(exc.value)
    owner = ctx_for(org, members["owner"])
    v = services.document_version_approve(ctx=owner, document_id=doc.pk, version_id=v.pk,
                                          version=v.version, comment="Agreed.")
    assert (v.status, v.approved_by, v.review_comment) == ("approved", members["owner"],
                                                           "Agreed.")


def test_an_editor_or_submitter_cannot_approve(org, members, ctx, admin_ctx, document):
    v = draft_of(document)
    services.document_version_update(ctx=admin_ctx, document_id=document.pk, version_id=v.pk,
                                     version=v.version, data={"content": "# Edited by admin"})
    v = submit(ctx, document)
    with pytest.raises(PermissionDenied):
        services.document_version_approve(ctx=admin_ctx, document_id=document.pk,
                                          version_id=v.pk, version=v.version)
    owner = ctx_for(org, members["owner"])
    doc = services.document_create(ctx=ctx, data={"title": "Two", "content": "x"})
    v = submit(owner, doc)  # the owner submitted it
    with pytest.raises(PermissionDenied):
        services.document_version_approve(ctx=owner, document_id=doc.pk, version_id=v.pk,
                                          version=v.version)


def test_the_cli_cannot_approve(ctx, document):
    from aims.orgs.context import ctx_for_cli

    v = submit(ctx, document)
    with pytest.raises(PermissionDenied):
        services.document_version_approve(ctx=ctx_for_cli(ctx.org.slug), document_id=document.pk,
                                          version_id=v.pk, version=v.version)


def test_approval_records_who_and_when(ctx, admin_ctx, members, document):
    v = approve(ctx, admin_ctx, document)
    assert v.status == "approved"
    assert (v.approved_by, v.approved_on, v.effective_from) == (members["admin"], TODAY(), TODAY())
    assert v.approved_at is not None and v.superseded_at is None
    assert reload(document).next_review_date == add_months(TODAY(), 12)


def test_approval_dates(ctx, admin_ctx, document):
    v = submit(ctx, document)
    kw = {"ctx": admin_ctx, "document_id": document.pk, "version_id": v.pk,
          "version": v.version}
    tomorrow = TODAY() + datetime.timedelta(days=1)
    cases = [({"approved_on": tomorrow}, "approved_on"),
             ({"approved_on": TODAY() - datetime.timedelta(days=3)}, "approved_on"),
             ({"effective_from": TODAY() - datetime.timedelta(days=1)}, "effective_from")]
    for extra, field in cases:
        with pytest.raises(ValidationError) as exc:
            services.document_version_approve(**kw, **extra)
        assert field in exc.value.errors
    # A sign-off given on paper earlier is recorded on its day, but not before submission.
    backdate_submission(v, TODAY() - datetime.timedelta(days=5))
    v = services.document_version_approve(**kw, approved_on=TODAY() - datetime.timedelta(days=3))
    assert v.effective_from == TODAY() - datetime.timedelta(days=3)
    assert reload(document).next_review_date == add_months(v.approved_on, 12)


def test_return_needs_a_reason_and_resets_the_writers(ctx, admin_ctx, members, document):
    v = submit(ctx, document)
    with pytest.raises(ValidationError) as exc:
        services.document_version_return(ctx=admin_ctx, document_id=document.pk,
                                          version_id=v.pk, version=v.version, comment="no")
    assert "comment" in exc.value.errors
    with pytest.raises(PermissionDenied):
        services.document_version_return(ctx=ctx, document_id=document.pk, version_id=v.pk,
                                          version=v.version, comment="Please add the scope.")
    v = services.document_version_return(ctx=admin_ctx, document_id=document.pk,
                                         version_id=v.pk, version=v.version,
                                         comment="Please add the scope section.")
    assert (v.status, v.submitted_at, v.review_comment) == (
        "draft", None, "Please add the scope section.")
    assert not v.contributors.exists()
    # Editable again; the admin who sent it back edits it, so can no longer approve it.
    v = services.document_version_update(ctx=admin_ctx, document_id=document.pk,
                                         version_id=v.pk, version=v.version,
                                         data={"content": POLICY + "\n## Scope\n"})
    v = submit(ctx, document)
    assert members["admin"].pk in v.barred_approver_ids()


# ---------------------------------------------------------------- superseding and in force


def test_approving_a_new_version_supersedes_the_old(ctx, admin_ctx, document):
    v1 = approve(ctx, admin_ctx, document)
    new_version(ctx, document, "# AI policy v2", change_summary="Adds the suppliers section.")
    v2 = approve(ctx, admin_ctx, document)
    v1.refresh_from_db()
    assert (v1.status, v1.superseded_at) == ("superseded", v2.effective_from)
    assert v2.status == "approved" and v2.superseded_at is None
    assert selectors.version_in_force(ctx=ctx, document=document).pk == v2.pk
    assert [e.changes.get("status", {}).get("after") for e in events_for(v1)][-1] == "superseded"


def test_a_future_effective_date_keeps_the_old_version_in_force(ctx, admin_ctx, document):
    v1 = approve(ctx, admin_ctx, document)
    new_version(ctx, document, "# v2")
    later = TODAY() + datetime.timedelta(days=10)
    v2 = approve(ctx, admin_ctx, document, effective_from=later)
    v1.refresh_from_db()
    assert v1.status == "superseded" and v1.superseded_at == later
    on = lambda d: selectors.version_in_force(ctx=ctx, document=document, on=d)  # noqa: E731
    assert on(TODAY()).pk == v1.pk
    assert on(later - datetime.timedelta(days=1)).pk == v1.pk
    assert on(later).pk == v2.pk
    # The next version cannot take effect before the one it replaces.
    new_version(ctx, document, "# v3")
    v3 = submit(ctx, document)
    with pytest.raises(ValidationError) as exc:
        services.document_version_approve(ctx=admin_ctx, document_id=document.pk,
                                          version_id=v3.pk, version=v3.version)
    assert "effective_from" in exc.value.errors


def test_version_in_force_on_a_date(ctx, admin_ctx, document):
    """v1 approved 300 days ago, v2 approved 100 days ago: each answers for its own period."""
    today = TODAY()
    assert selectors.version_in_force(ctx=ctx, document=document) is None
    v = submit(ctx, document)
    backdate_submission(v, today - datetime.timedelta(days=300))
    v1 = services.document_version_approve(ctx=admin_ctx, document_id=document.pk,
                                           version_id=v.pk, version=v.version,
                                           approved_on=today - datetime.timedelta(days=300))
    new_version(ctx, document, "# v2")
    v = submit(ctx, document)
    backdate_submission(v, today - datetime.timedelta(days=100))
    v2 = services.document_version_approve(ctx=admin_ctx, document_id=document.pk,
                                           version_id=v.pk, version=v.version,
                                           approved_on=today - datetime.timedelta(days=100))
    new_version(ctx, document, "# v3 draft")
    on = lambda days: selectors.version_in_force(  # noqa: E731
        ctx=ctx, document=document, on=today - datetime.timedelta(days=days))
    assert on(301) is None
    assert on(300).pk == on(101).pk == v1.pk
    assert on(100).pk == on(0).pk == v2.pk
    assert selectors.version_in_force(ctx=ctx, document=document,
                                      on=today + datetime.timedelta(days=400)).pk == v2.pk


# ---------------------------------------------------------------- reads for others


def test_documents_for_requirements(ctx, other_org, document):
    from aims.testing.factories import add_member

    reqs = {r.ref: r.pk for r in Requirement.objects.filter(
        framework__code="iso42001", ref__in=["5.2", "A.2.2", "7.5"])}
    second = services.document_create(ctx=ctx, data={"title": "Policy annex",
                                                     "requirements": ["5.2"]})
    outsider = ctx_for(other_org, add_member(other_org, "editor"))
    services.document_create(ctx=outsider, data={"title": "Theirs", "requirements": ["5.2"]})
    found = selectors.documents_for_requirements(ctx=ctx, requirement_ids=reqs.values())
    assert [d.ref for d in found[reqs["5.2"]]] == [document.ref, second.ref]
    assert [d.ref for d in found[reqs["A.2.2"]]] == [document.ref]
    assert found[reqs["7.5"]] == []


def test_list_filters(ctx, admin_ctx, document):
    overdue = services.document_create(ctx=ctx, data={"title": "Old method", "content": "x"})
    v = submit(ctx, overdue)
    backdate_submission(v, TODAY() - datetime.timedelta(days=400))
    services.document_version_approve(ctx=admin_ctx, document_id=overdue.pk, version_id=v.pk,
                                      version=v.version,
                                      approved_on=TODAY() - datetime.timedelta(days=400))
    submit(ctx, document)

    def refs(**kw):
        return [d.ref for d in selectors.document_list(
            ctx=ctx, filters=selectors.DocumentFilters(**kw))]

    assert refs(review="overdue") == [overdue.ref]
    assert refs(review="never") == [document.ref]
    assert refs(status="in_review") == [document.ref]
    assert refs(status="approved") == [overdue.ref]
    assert refs(q="old meth") == [overdue.ref]
    assert refs(kind="ai_policy") == [document.ref]
    row = selectors.document_list(ctx=ctx).get(pk=document.pk)
    assert (row.open_number, row.open_status, row.approved_number) == (1, "in_review", None)


def test_status_helpers():
    assert VersionStatus.APPROVED.label == "Approved"
    v = DocumentVersion(status="approved", effective_from=TODAY(), superseded_at=None)
    assert v.in_force_on(TODAY()) and not v.in_force_on(TODAY() - datetime.timedelta(days=1))
