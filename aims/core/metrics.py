"""The Prometheus metrics every process records (served at /metrics by aims.ops.health).

Under gunicorn each worker is its own process: `aims serve` points PROMETHEUS_MULTIPROC_DIR at
a directory in the var directory before the workers start, so the counters of every process
(web and background workers alike) are added up when /metrics is read.
"""

from __future__ import annotations

from prometheus_client import Counter, Histogram

REQUEST_LATENCY = Histogram(
    "aims_request_duration_seconds",
    "Time to answer a request, by route name and method.",
    ["route", "method"],
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30),
)
REQUESTS = Counter(
    "aims_requests_total", "Requests answered, by route name, method and status class.",
    ["route", "method", "status"],
)
JOB_DURATION = Histogram(
    "aims_job_duration_seconds",
    "Time a background job ran, by kind and outcome.",
    ["kind", "outcome"],
    buckets=(0.1, 0.5, 1, 5, 15, 60, 300, 900, 3600),
)
