import os

import pytest
from django.conf import settings
from django.core.files.storage import default_storage

from aims.core.errors import ValidationError
from aims.evidence.models import Blob
from aims.evidence.storage import blob_check, blob_path, guessed_type, safe_filename
from aims.testing.factories import ctx_for

from .conftest import add

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("raw,clean", [
    ("../../etc/passwd", "passwd"),
    ("..\\..\\windows\\system32\\cmd.exe", "cmd.exe"),
    ("/etc/shadow", "shadow"),
    ("report\x00.pdf.exe", "report.pdf.exe"),
    ("evil\r\nSet-Cookie: a=1.txt", "evilSet-Cookie: a=1.txt"),
    ('say "hello".txt', "say 'hello'.txt"),
    ("..", "file"),
    ("", "file"),
    (None, "file"),
    ("   .hidden  ", "hidden"),
    ("Résumé – Zoë.pdf", "Résumé – Zoë.pdf"),
    ("righ\u202etxt.exe", "rightxt.exe"),
])
def test_safe_filename(raw, clean):
    assert safe_filename(raw) == clean


def test_very_long_names_are_cut_keeping_the_extension():
    name = safe_filename("a" * 5000 + ".xlsx")
    assert len(name) == 200 and name.endswith(".xlsx")
    assert len(safe_filename("b" * 5000)) == 200


def test_content_type_comes_from_the_cleaned_name():
    assert guessed_type("policy.pdf") == "application/pdf"
    assert guessed_type("no-extension") == "application/octet-stream"


def _files(org) -> list[str]:
    root = os.path.join(settings.MEDIA_ROOT, "evidence", str(org.pk))
    return [os.path.join(d, f) for d, _, fs in os.walk(root) for f in fs]


def test_same_bytes_twice_are_one_blob_and_one_file(ctx, org):
    a = add(ctx, content=b"same bytes", name="first.txt", title="First")
    b = add(ctx, content=b"same bytes", name="../second.txt", title="Second")
    assert a.blob_id == b.blob_id
    assert Blob.objects.for_org(org).count() == 1
    assert len(_files(org)) == 1
    assert (a.file_name, b.file_name) == ("first.txt", "second.txt")
    # The path is the hash, never the name.
    assert a.blob.name == blob_path(org.pk, a.blob.sha256)
    assert "first" not in a.blob.name


def test_different_orgs_keep_separate_blobs(ctx, org, other_org):
    from aims.orgs.models import Membership

    other_ctx = ctx_for(other_org, Membership.objects.get(org=other_org, role="owner").user)
    a = add(ctx, content=b"shared policy")
    b = add(other_ctx, content=b"shared policy")
    assert a.blob.sha256 == b.blob.sha256 and a.blob_id != b.blob_id
    assert a.blob.name != b.blob.name
    assert len(_files(org)) == len(_files(other_org)) == 1


def test_empty_and_oversized_files_are_refused(ctx, settings):
    settings.AIMS_EVIDENCE_MAX_MB = 1
    with pytest.raises(ValidationError) as exc:
        add(ctx, content=b"")
    assert "empty" in str(exc.value.errors["file"])
    with pytest.raises(ValidationError) as exc:
        add(ctx, content=b"x" * (1024 * 1024 + 1))
    assert "at most 1 MB" in exc.value.errors["file"][0]
    add(ctx, content=b"x" * (1024 * 1024))  # exactly the limit is fine


def test_blob_check_sees_missing_and_altered(ctx):
    e = add(ctx, content=b"original")
    assert blob_check(e.blob) == "ok"
    with default_storage.open(e.blob.name, "wb") as fh:
        fh.write(b"tampered")
    assert blob_check(e.blob) == "altered"
    default_storage.delete(e.blob.name)
    assert blob_check(e.blob) == "missing"


def test_a_lost_file_is_stored_again_by_the_next_upload(ctx):
    e = add(ctx, content=b"heal me")
    default_storage.delete(e.blob.name)
    again = add(ctx, content=b"heal me", title="Again")
    assert again.blob_id == e.blob_id and blob_check(e.blob) == "ok"
