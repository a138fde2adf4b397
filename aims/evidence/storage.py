"""Content-addressed file storage for evidence (and any other uploaded record file).

Files are named by the SHA-256 of their bytes under the organisation's folder, through
Django's storage API, so the same bytes are stored once per organisation, whatever the
upload was called. The uploaded name and content type are kept as metadata only and
never reach a path.
"""

from __future__ import annotations

import hashlib
import html
import mimetypes
import re
import threading
import unicodedata
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import wraps
from typing import Any, TypeVar

from django.conf import settings
from django.core.files import File
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import UploadedFile
from django.core.files.uploadhandler import FileUploadHandler, SkipFile
from django.db import DatabaseError, transaction
from django.http import JsonResponse
from django.http.multipartparser import MultiPartParser

from aims.core.errors import ValidationError
from aims.core.uploads import upload_request_limit
from aims.evidence.models import Blob

CHUNK = 1024 * 1024
MAX_NAME = 200


def max_bytes() -> int:
    return settings.AIMS_EVIDENCE_MAX_MB * 1024 * 1024


def too_large_message(size: int | None = None) -> str:
    """What a refused upload is told: the limit, and the setting that holds it."""
    limit = settings.AIMS_EVIDENCE_MAX_MB
    said = f"The file is {size / 1024 / 1024:.1f} MB; " if size else "The file is too large; "
    return f"{said}files may be at most {limit} MB (the AIMS_EVIDENCE_MAX_MB setting)."


# --------------------------------------------------------------------------- upload guard
#
# An upload is refused before its body is read when the request says (Content-Length) that it
# is larger than any acceptable one, and while it is read once the file passes the limit (for
# requests that do not say how long they are). Both must run before anything touches
# request.POST or request.FILES: call `upload_guard(request)` first in the view (CSRF checks
# read request.POST, so the view is csrf_exempt and protects itself after the guard).


class _LimitedUpload(FileUploadHandler):
    """Skips a file part as soon as it passes the limit; the view then refuses the upload."""

    def __init__(self, request, limit: int):
        super().__init__(request)
        self.limit = limit

    def receive_data_chunk(self, raw_data, start):
        if start + len(raw_data) > self.limit:
            self.request.upload_too_large = self.field_name
            raise SkipFile()
        return raw_data  # the next handler (memory or temporary file) keeps it

    def file_complete(self, file_size):
        return None  # not the handler that builds the file


# A Windows path sent as the file name ("C:\\Users\\me\\x.pdf", "\\\\server\\share\\x.pdf"): only its
# last part names the file. Elsewhere a backslash is an ordinary character of the name.
_WINDOWS_PATH = re.compile(r"^(?:[A-Za-z]:\\|\\\\)")


class _NameKeepingParser(MultiPartParser):
    """Django's parser cuts a file name at its last backslash, so "bias test <b>x<\\b>.csv"
    arrived as "b>.csv". This one keeps the whole name; `safe_filename` then makes it safe
    (the name is metadata only: stored files are named by their hash)."""

    def sanitize_file_name(self, file_name):
        name = "".join(c for c in html.unescape(file_name) if c.isprintable())
        return None if name.strip() in {"", ".", ".."} else name


def _parse_keeping_names(request, meta, post_data):
    request.upload_handlers = list(request.upload_handlers)
    return _NameKeepingParser(meta, post_data, request.upload_handlers, request.encoding).parse()


def request_limit() -> int:
    """The largest request body that may carry an acceptable file plus its form fields."""
    return upload_request_limit()


def upload_guard(request) -> str | None:
    """Refuse an oversized upload early: the message when the request is too large by its
    Content-Length, else None after arranging for a too-large file part to be skipped (the
    view then finds `request.upload_too_large` set to the field's name)."""
    try:
        length = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        length = 0
    if length > request_limit():
        return too_large_message(length)
    request.upload_handlers.insert(0, _LimitedUpload(request, max_bytes()))
    request.parse_file_upload = lambda meta, post_data: _parse_keeping_names(
        request, meta, post_data)
    return None


def guarded_upload(view: Callable) -> Callable:
    """An API view (`ninja.decorators.decorate_view`) whose oversized upload is refused with a
    422 on `file` before its body is read (`upload_guard`)."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if refused := upload_guard(request):
            return JsonResponse({"detail": f"file: {refused}", "errors": {"file": [refused]}},
                                status=422)
        return view(request, *args, **kwargs)

    return wrapper


def _dot_segments(name: str) -> bool:
    """Whether a backslash in `name` separates folders ("..\\x.pdf") rather than being
    part of the name ("a<\\b>.csv")."""
    parts = name.split("\\")
    return len(parts) > 1 and any(p.strip() in ("", ".", "..") for p in parts[:-1])


def safe_filename(name: str | None) -> str:
    """A display and download name made from an untrusted one: no folders, no control
    characters, no leading dots, at most 200 characters with the extension kept; the readable
    rest of the name is kept ("a<\\b>.csv" becomes "a<_b>.csv", not "b>.csv")."""
    name = unicodedata.normalize("NFC", str(name or ""))
    if _WINDOWS_PATH.match(name) or "/" in name or _dot_segments(name):
        name = re.split(r"[\\/]", name)[-1]  # a path: only its last component names the file
    name = name.replace("\\", "_")
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


# --------------------------------------------------------------------------- rollback safety
#
# A file is written to storage before the transaction that records it commits. When that
# transaction rolls back (a later rule refuses the request, the database fails), the file must
# go too, or it stays on disk with no record. Django has no "on rollback" hook, so the services
# that store files run inside `atomic_with_files`: the files stored inside it are removed when
# it ends with an exception (its transaction, or savepoint, was rolled back), and handed to the
# enclosing one when it ends well (that one may still roll back).

_new_files = threading.local()
F = TypeVar("F", bound=Callable[..., Any])


def _stack() -> list[list[str]]:
    if not hasattr(_new_files, "stack"):
        _new_files.stack = []
    return _new_files.stack


@contextmanager
def _files_removed_on_rollback() -> Iterator[None]:
    stack = _stack()
    stack.append([])
    try:
        yield
    except BaseException:
        for name in stack.pop():
            _remove_unrecorded(name)
        raise
    else:
        stored = stack.pop()
        if stack:
            stack[-1].extend(stored)


def _remove_unrecorded(name: str) -> None:
    # Another transaction may have committed a blob with the same bytes meanwhile: keep it then.
    try:
        recorded = Blob.all_orgs.filter(name=name).exists()
    except DatabaseError:
        return  # an enclosing transaction is broken: keep the file rather than guess
    if not recorded:
        default_storage.delete(name)


def atomic_with_files(service: F) -> F:
    """`transaction.atomic` for a service that stores files: a rollback removes them."""

    @wraps(service)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        with _files_removed_on_rollback(), transaction.atomic():
            return service(*args, **kwargs)

    return wrapper  # type: ignore[return-value]


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
    assert _stack(), "call from a service wrapped in atomic_with_files"
    limit = max_bytes()
    if upload.size is not None and upload.size > limit:
        raise ValidationError({field: [too_large_message(upload.size)]})
    sha, size = _hash(upload)
    if size > limit:
        raise ValidationError({field: [too_large_message(size)]})
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
    _stack()[-1].append(saved)  # removed again if the transaction rolls back
    if saved != path:
        # A storage that renames on clash: someone stored the same bytes at `path` between
        # our check and our save (the name is their hash, so it is the same content). Keep
        # theirs; `aims evidence verify` re-hashes it.
        default_storage.delete(saved)
        if not default_storage.exists(path):
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
    with blob_open(blob) as fh:
        sha, _ = _hash(fh)
    return "ok" if sha == blob.sha256 else "altered"
