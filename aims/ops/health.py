"""For load balancers, orchestrators and Prometheus: /healthz, /readyz and /metrics.

None needs a session: /healthz and /readyz say only whether the process and what it depends
on answer; /metrics needs the operator's token (AIMS_METRICS_TOKEN) or a local caller.
"""

from __future__ import annotations

import hmac
import logging
import time

from django.conf import settings
from django.core.files.storage import default_storage
from django.db import DatabaseError, connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET
from django_tasks_db.models import DBTaskResult

from aims.ops.metrics import metrics_text

logger = logging.getLogger("aims.health")
LOCAL = {"127.0.0.1", "::1"}


@never_cache
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    """The process answers: nothing else is touched (no database)."""
    return JsonResponse({"status": "ok"})


def _check_database() -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")


def _check_storage() -> None:
    # A lookup of a name that need not exist: on object storage this is a request to the
    # bucket, so a wrong endpoint, key or bucket shows here.
    default_storage.exists("readyz-probe")


def _check_queue() -> None:
    DBTaskResult.objects.filter(status="READY").exists()


CHECKS = {"database": _check_database, "storage": _check_storage, "queue": _check_queue}


@never_cache
@require_GET
def readyz(request: HttpRequest) -> JsonResponse:
    """200 when the database, the file storage and the job queue answer; 503 naming each
    that did not (and why, in the log)."""
    checks: dict[str, str] = {}
    for name, check in CHECKS.items():
        start = time.perf_counter()
        try:
            check()
        except (DatabaseError, OSError, Exception) as exc:  # any failure means "not ready"
            logger.warning("readyz: %s unreachable: %s: %s", name, type(exc).__name__, exc)
            checks[name] = f"failed: {type(exc).__name__}"
        else:
            checks[name] = f"ok ({(time.perf_counter() - start) * 1000:.0f} ms)"
    failed = sorted(n for n, v in checks.items() if v.startswith("failed"))
    body = {"status": "unavailable" if failed else "ok", "failed": failed, "checks": checks}
    return JsonResponse(body, status=503 if failed else 200)


def _allowed(request: HttpRequest) -> bool:
    token = settings.AIMS_METRICS_TOKEN
    if token:
        sent = request.headers.get("Authorization", "")
        return hmac.compare_digest(sent.encode(), f"Bearer {token}".encode())
    return request.META.get("REMOTE_ADDR", "") in LOCAL


@never_cache
@require_GET
def metrics(request: HttpRequest) -> HttpResponse:
    """Prometheus' text format; 403 unless the caller sends the token (or, with none set,
    calls from this machine)."""
    if not _allowed(request):
        return HttpResponse("Metrics need AIMS_METRICS_TOKEN as a Bearer token "
                            "(or, with no token set, a call from this machine).\n",
                            status=403, content_type="text/plain")
    return HttpResponse(metrics_text(), content_type="text/plain; version=0.0.4; charset=utf-8")
