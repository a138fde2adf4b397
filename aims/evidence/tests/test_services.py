import datetime

import pytest
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import transaction
from django.utils import timezone

from aims.activity.models import Event
from aims.core.errors import Conflict, PermissionDenied, ValidationError
from aims.evidence import selectors, services
from aims.evidence.models import Blob, Evidence, EvidenceLink
from aims.orgs.models import Membership
from aims.testing.factories import ctx_for, make_ai_system

from .conftest import add

pytestmark = pytest.mark.django_db


def _other_ctx(other_org):
    return ctx_for(other_org, Membership.objects.get(org=other_org, role="owner").user)


def test_create_file_link_and_note(ctx, system, soa_item, members):
    f = add(ctx, name="../../etc/passwd", links=[system, soa_item], owner=members["admin"].pk,
            effective_from=datetime.date(2026, 7, 1), effective_to=datetime.date(2026, 9, 30))
    assert (f.ref, f.kind, f.file_name, f.content_type) == (
        "EV-001", "file", "passwd", "application/octet-stream")
    assert f.uploaded_by == members["editor"] and f.owner == members["admin"]
    link = add(ctx, content=None, title="Dashboard", url="https://grafana.example.com/d/1")
    note = add(ctx, content=None, title="Walkthrough", note="Observed the weekly review.")
    assert (link.kind, link.ref, note.kind, note.ref) == ("link", "EV-002", "note", "EV-003")
    assert [e.pk for e in selectors.evidence_for(ctx=ctx, subject=system)] == [f.pk]
    event = Event.objects.filter(org=ctx.org, object_id=str(f.pk)).get()
    assert event.changes["sha256"]["after"] == f.blob.sha256
    assert len(event.changes["supports"]["after"]) == 2


@pytest.mark.parametrize("data,field", [
    ({"kind": "file"}, "file"),
    ({"kind": "link"}, "url"),
    ({"kind": "note", "note": "  "}, "note"),
    ({"kind": "tape"}, "kind"),
    ({"kind": "note", "note": "x", "effective_from": datetime.date(2026, 2, 1),
      "effective_to": datetime.date(2026, 1, 1)}, "effective_to"),
    ({"kind": "note", "note": "x", "owner": "00000000-0000-0000-0000-000000000000"}, "owner"),
    ({"kind": "note", "note": "x", "sha256": "abc"}, "sha256"),
])
def test_create_refusals_name_the_field(ctx, data, field):
    with pytest.raises(ValidationError) as exc:
        add(ctx, content=None, **data)
    assert field in exc.value.errors
    assert not Evidence.objects.for_org(ctx.org).exists()


def test_viewer_cannot_add(org, members):
    with pytest.raises(PermissionDenied):
        add(ctx_for(org, members["viewer"]), content=None, note="x")


def test_links_to_foreign_records_are_refused(ctx, other_org):
    foreign = make_ai_system(_other_ctx(other_org), name="Globex model")
    with pytest.raises(ValidationError) as exc:
        add(ctx, links=[foreign])
    assert "subject_id" in exc.value.errors
    e = add(ctx)
    with pytest.raises(ValidationError), transaction.atomic():
        services.evidence_link(ctx=ctx, evidence_id=e.pk, subject=foreign)
    assert not EvidenceLink.objects.for_org(ctx.org).exists()


def test_link_twice_is_one_link_and_unlink(ctx, system):
    e = add(ctx)
    services.evidence_link(ctx=ctx, evidence_id=e.pk, subject=system)
    services.evidence_link(ctx=ctx, evidence_id=e.pk, subject=system)
    assert EvidenceLink.objects.for_org(ctx.org).count() == 1
    services.evidence_unlink(ctx=ctx, evidence_id=e.pk, subject=system)
    assert selectors.evidence_for(ctx=ctx, subject=system) == []
    with pytest.raises(ValidationError):
        services.evidence_unlink(ctx=ctx, evidence_id=e.pk, subject=system)
    # The same record twice in one create is one link.
    twice = add(ctx, links=[system, system], content=b"other")
    assert EvidenceLink.objects.for_org(ctx.org).filter(evidence=twice).count() == 1


def test_update_changes_metadata_only_under_version(ctx, members):
    e = add(ctx)
    services.evidence_update(ctx=ctx, evidence_id=e.pk, version=1,
                             data={"title": "Access review Q3 2026", "owner": members["admin"].pk})
    e.refresh_from_db()
    assert (e.title, e.owner, e.version) == ("Access review Q3 2026", members["admin"], 2)
    with pytest.raises(Conflict):
        services.evidence_update(ctx=ctx, evidence_id=e.pk, version=1, data={"title": "Lost"})
    for fixed in ("kind", "blob", "file_name", "content_type"):
        with pytest.raises(ValidationError):
            services.evidence_update(ctx=ctx, evidence_id=e.pk, version=2, data={fixed: "x"})


def test_delete_keeps_a_shared_blob_and_removes_the_last(ctx, django_capture_on_commit_callbacks):
    a = add(ctx, content=b"shared")
    b = add(ctx, content=b"shared", title="Copy")
    path = a.blob.name
    with django_capture_on_commit_callbacks(execute=True):
        services.evidence_delete(ctx=ctx, evidence_id=a.pk, version=1)
    assert Blob.objects.for_org(ctx.org).filter(pk=b.blob_id).exists()
    assert default_storage.exists(path)
    with django_capture_on_commit_callbacks(execute=True):
        services.evidence_delete(ctx=ctx, evidence_id=b.pk, version=1)
    assert not Blob.objects.for_org(ctx.org).exists()
    assert not default_storage.exists(path)


def test_delete_keeps_a_blob_another_kind_of_record_holds(ctx, monkeypatch,
                                                         django_capture_on_commit_callbacks):
    """Document versions store their files in the same blobs behind a PROTECT foreign key:
    deleting the last evidence that uses the bytes must keep them, not fail."""
    from django.db.models import ProtectedError

    e = add(ctx, content=b"policy pdf")

    def protected(self, *args, **kwargs):
        raise ProtectedError("a document version uses it", {self})

    monkeypatch.setattr(Blob, "delete", protected)
    with django_capture_on_commit_callbacks(execute=True):
        services.evidence_delete(ctx=ctx, evidence_id=e.pk, version=1)
    assert not Evidence.objects.for_org(ctx.org).exists()
    assert Blob.objects.for_org(ctx.org).filter(pk=e.blob_id).exists()
    assert default_storage.exists(e.blob.name)


def test_freshness_windows(ctx, settings):
    settings.AIMS_EVIDENCE_EXPIRING_DAYS = 10
    today = timezone.localdate()
    days = {"none": None, "past": -1, "today": 0, "edge": 10, "later": 11}
    made = {k: add(ctx, content=None, note="n", title=k,
                   valid_until=None if d is None else today + datetime.timedelta(days=d))
            for k, d in days.items()}
    assert {k: e.freshness for k, e in made.items()} == {
        "none": "current", "past": "expired", "today": "expiring", "edge": "expiring",
        "later": "current"}
    for fresh in ("current", "expiring", "expired"):
        listed = selectors.evidence_list(ctx=ctx, filters=selectors.EvidenceFilters(
            freshness=fresh))
        assert {e.title for e in listed} == {k for k, e in made.items() if e.freshness == fresh}
    stale = selectors.evidence_stale_counts(ctx=ctx)
    assert (stale.expiring, stale.expired) == (2, 1)
    settings.AIMS_EVIDENCE_EXPIRING_DAYS = 0
    assert made["edge"].freshness == "current"


def test_register_filters(ctx, system, soa_item, members):
    add(ctx, content=None, note="n", title="Q3 review", links=[soa_item],
        effective_from=datetime.date(2026, 7, 1), effective_to=datetime.date(2026, 9, 30),
        owner=members["admin"].pk, source="IAM export")
    add(ctx, content=None, note="n", title="Q1 review", links=[system],
        effective_from=datetime.date(2026, 1, 1), effective_to=datetime.date(2026, 3, 31))
    add(ctx, content=None, url="https://x.example.com", title="Undated link")

    def titles(**f):
        return [e.title for e in selectors.evidence_list(
            ctx=ctx, filters=selectors.EvidenceFilters(**f))]

    assert titles(q="iam") == ["Q3 review"]
    assert titles(kind="link") == ["Undated link"]
    assert titles(owner=str(members["admin"].pk)) == ["Q3 review"]
    assert titles(linked_kind="compliance_item") == ["Q3 review"]
    assert titles(linked_kind="ai_system") == ["Q1 review"]
    assert titles(covers_from=datetime.date(2026, 9, 1), covers_to=datetime.date(2026, 12, 31)) \
        == ["Q3 review"]
    assert titles(covers_to=datetime.date(2026, 2, 1)) == ["Q1 review"]
    assert titles(sort="title") == ["Q1 review", "Q3 review", "Undated link"]
    assert titles(sort="covers")[0] == "Q3 review"
    for bad in ({"kind": "tape"}, {"sort": "size"}, {"linked_kind": "nope"}):
        with pytest.raises(ValidationError):
            titles(**bad)


def test_evidence_count_annotation(ctx, soa_item):
    from aims.compliance.selectors import soa_item_get

    add(ctx, links=[soa_item])
    add(ctx, content=b"two", links=[soa_item])
    assert soa_item_get(ctx=ctx, ref="A.6.2.6").evidence_count == 2
    assert soa_item_get(ctx=ctx, ref="A.6.2.5").evidence_count == 0


def test_verify_command_reports_altered_and_missing(ctx, org, capsys):
    ok = add(ctx, content=b"fine", title="Fine")
    altered = add(ctx, content=b"will be altered", title="Altered")
    shared = add(ctx, content=b"will be altered", title="Same bytes")
    missing = add(ctx, content=b"will go missing", title="Missing")
    call_command("evidence", "verify", "--org", org.slug)
    assert "intact: 3 files verified" in capsys.readouterr().out
    with default_storage.open(altered.blob.name, "wb") as fh:
        fh.write(b"tampered after upload")
    default_storage.delete(missing.blob.name)
    with pytest.raises(CommandError) as exc:
        call_command("evidence", "verify", "--org", org.slug)
    assert exc.value.returncode == 1
    out = capsys.readouterr().out.splitlines()
    assert len(out) == 2
    assert out[0].startswith("ALTERED") or out[1].startswith("ALTERED")
    altered_line = next(line for line in out if line.startswith("ALTERED"))
    assert altered.blob.sha256 in altered_line
    assert altered.ref in altered_line and shared.ref in altered_line
    missing_line = next(line for line in out if line.startswith("MISSING"))
    assert missing.ref in missing_line and ok.ref not in " ".join(out)
    assert "2 of 3 bad (1 missing, 1 altered)" in str(exc.value)
    with pytest.raises(CommandError):
        call_command("evidence", "verify", "--org", "no-such-org")


def test_verify_is_per_organisation(ctx, org, other_org, capsys):
    theirs = add(_other_ctx(other_org), content=b"globex file")
    add(ctx, content=b"acme file")
    default_storage.delete(theirs.blob.name)
    call_command("evidence", "verify", "--org", org.slug)
    assert "intact: 1 files verified" in capsys.readouterr().out
