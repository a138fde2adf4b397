"""Content-addressed file storage for evidence (and any other uploaded record file).

Files are named by the SHA-256 of their bytes under the organisation's folder, through
Django's storage API, so the same bytes are stored once per organisation, whatever the
upload was called. The uploaded name and content type are kept as metadata only and
never reach a path.
"""

from __future__ import annotations

import hashlib
import mimetypes
import re
import unicodedata

from django.conf import settings
from django.core.files import File
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction

from aims.core.errors import ValidationError
from aims.evidence.models import Blob

CHUNK = 1024 * 1024
MAX_NAME = 200


def max_bytes() -> int:
    return settings.AIMS_EVIDENCE_MAX_MB * 1024 * 1024


def safe_filename(name: str | None) -> str:
    """A display and download name made from an untrusted one: no folders, no control
    characters, no leading dots, at most 200 characters with the extension kept."""
    name = unicodedata.normalize("NFC", str(name or ""))
    name = re.split(r"[\\/]", name)[-1]  # only the last path component, either separator
    name = "".join(c for c in name if unicodedata.category(c)[0] != "C")  # NUL, controls
    name = re.sub(r"\s+", " ", name).strip().lstrip(".").strip()
    name = name.replace('"', "'")
    if len(name) > MAX_NAME:
        stem, dot, ext = name.rpartition(".")
        ext = ext if dot and 0 < len(ext) <= 16 else ""
        keep = MAX_NAME - (len(ext) + 1 if ext else 0)
        name = (stem if ext else name)[:keep].rstrip() + (f".{ext}" if ext else "")
    return name or "file"


def guessed_type(file_name: str) -> str:
    """The content type to serve a file as, from its cleaned name, never from the upload."""
    return mimetypes.guess_type(file_name)[0] or "application/octet-stream"


def blob_path(org_id, sha256: str) -> str:
    return f"evidence/{org_id}/{sha256[:2]}/{sha256}"


def _hash(upload: File) -> tuple[str, int]:
    digest, size = hashlib.sha256(), 0
    upload.seek(0)
    for chunk in upload.chunks(CHUNK):
        digest.update(chunk)
        size += len(chunk)
    upload.seek(0)
    return digest.hexdigest(), size


def blob_store(*, org, upload: UploadedFile | File, field: str = "file") -> Blob:
    """Store `upload` for `org` once per content; an existing blob with the same hash is reused.
    Must run in the caller's transaction (the Blob row commits or rolls back with it)."""
    assert transaction.get_connection().in_atomic_block, "call from inside a service transaction"
    limit = max_bytes()
    if upload.size is not None and upload.size > limit:
        raise ValidationError({field: [
            f"The file is {upload.size / 1024 / 1024:.1f} MB; the limit is "
            f"{settings.AIMS_EVIDENCE_MAX_MB} MB."]})
    sha, size = _hash(upload)
    if size > limit:
        raise ValidationError({field: [f"The file is larger than the {settings.AIMS_EVIDENCE_MAX_MB} MB limit."]})
    if size == 0:
        raise ValidationError({field: ["The file is empty."]})
    path = blob_path(org.pk, sha)
    blob = Blob.objects.for_org(org).filter(sha256=sha).first()
    if blob is not None and default_storage.exists(path):
        return blob  # the same bytes are already stored (`aims evidence verify` re-hashes them)
    if default_storage.exists(path):
        # A leftover from a rolled-back upload: replace it with these bytes.
        default_storage.delete(path)
    saved = default_storage.save(path, upload)
    if saved != path:  # a storage that renames on clash would break content addressing
        default_storage.delete(saved)
        raise RuntimeError(f"storage stored {path} as {saved}")
    if blob is None:
        blob = Blob(org=org, sha256=sha, size=size, name=path)
        blob.save(force_insert=True)
    return blob


def blob_open(blob: Blob):
    """The stored bytes as an open file (binary)."""
    return default_storage.open(blob.name, "rb")


def blob_check(blob: Blob) -> str:
    """'ok', 'missing' (no file in storage) or 'altered' (its bytes no longer hash to it)."""
    if not default_storage.exists(blob.name):
        return "missing"
    digest = hashlib.sha256()
    with default_storage.open(blob.name, "rb") as fh:
        for chunk in iter(lambda: fh.read(CHUNK), b""):
            digest.update(chunk)
    return "ok" if digest.hexdigest() == blob.sha256 else "altered"
