"""Request latency by route (a middleware) and the gauges read when /metrics is scraped.

Queue depth and the age of each organisation's latest log checkpoint are read from the
database and the anchor file at scrape time, so every app server reports the same values.
"""

from __future__ import annotations

import os
import time
from collections.abc import Iterable
from datetime import datetime

from django.utils import timezone
from django_tasks_db.models import DBTaskResult
from prometheus_client import CollectorRegistry, generate_latest, multiprocess
from prometheus_client.core import GaugeMetricFamily, Metric
from prometheus_client.registry import REGISTRY, Collector

from aims.activity.anchors import AnchorError, anchors_read
from aims.core.metrics import REQUEST_LATENCY, REQUESTS
from aims.jobs.selectors import job_counts_by_status
from aims.orgs.models import Organization


class MetricsMiddleware:
    """Times every request and counts it under its route's name (never its raw path, so an
    id in the URL does not make a new series)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        start = time.perf_counter()
        response = self.get_response(request)
        match = getattr(request, "resolver_match", None)
        route = (match.view_name or match.route) if match else "unmatched"
        REQUEST_LATENCY.labels(route, request.method).observe(time.perf_counter() - start)
        REQUESTS.labels(route, request.method, f"{response.status_code // 100}xx").inc()
        return response


class StateCollector(Collector):
    """Queue depth, jobs by status and log-checkpoint age, read when scraped."""

    def collect(self) -> Iterable[Metric]:
        depth = GaugeMetricFamily("aims_queue_depth", "Background tasks waiting to run, by queue.",
                                  labels=["queue"])
        waiting: dict[str, int] = {}
        for row in DBTaskResult.objects.ready().values_list("queue_name", flat=True):
            waiting[row] = waiting.get(row, 0) + 1
        for queue, count in sorted(waiting.items()) or [("default", 0)]:
            depth.add_metric([queue], count)
        yield depth

        jobs = GaugeMetricFamily("aims_jobs", "Background jobs by status.", labels=["status"])
        for status, count in job_counts_by_status().items():
            jobs.add_metric([status], count)
        yield jobs

        age = GaugeMetricFamily(
            "aims_log_anchor_age_seconds",
            "Seconds since the latest signed checkpoint of an organisation's activity log "
            "(the oldest among organisations; -1 while one has none).")
        try:
            anchors = anchors_read()
        except AnchorError:
            anchors = {}
        now = timezone.now()
        ages = []
        for org_id in Organization.objects.values_list("id", flat=True):
            anchor = anchors.get(str(org_id))
            if anchor is None:
                ages.append(-1.0)
                break
            ages.append((now - datetime.fromisoformat(anchor.at)).total_seconds())
        age.add_metric([], -1.0 if -1.0 in ages else max(ages, default=0.0))
        yield age


def metrics_text() -> bytes:
    """The exposition text: every process's counters (multiprocess mode) or this one's, plus
    the state read now."""
    registry = CollectorRegistry()
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        multiprocess.MultiProcessCollector(registry)
        registry.register(StateCollector())
        return generate_latest(registry)
    registry.register(StateCollector())
    return generate_latest(REGISTRY) + generate_latest(registry)
