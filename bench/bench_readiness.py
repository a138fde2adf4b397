"""Time a readiness evaluation on the enterprise-sized organisation.

    .venv/bin/python bench/bench_readiness.py [--factor 1] [--var DIR] [--repeat 10]
        [--profile]

Builds the organisation as `aims demo --scale enterprise` does (1,000 AI systems, 20,000
risks, 5,000 impact assessments, 100,000 pieces of evidence; `--factor` scales it) in a
throwaway directory, or in --var DIR where a later run (or bench/run.py) finds it again.
Reports the median, minimum and maximum time of an evaluation, its query count, and the same
for the readiness API route (judged on each request, then read again while the record is
unchanged, when a process keeps the evaluation); with the median CPU time of the process (what the machine's load
does not stretch) and the load average before and after, since a busy machine stretches the
elapsed times.
"""

from __future__ import annotations

import argparse
import os
import statistics
import time

from run import build, setup


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--factor", type=float, default=1.0)
    parser.add_argument("--var", default=None)
    parser.add_argument("--org", default="enterprise")
    parser.add_argument("--repeat", type=int, default=10)
    parser.add_argument("--profile", action="store_true",
                        help="Print where one evaluation spends its time (cProfile).")
    args = parser.parse_args()

    setup(args.var)
    build(factor=args.factor, tenants=0, slug=args.org)
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext, override_settings
    from django.utils import timezone

    from aims.accounts.models import User
    from aims.accounts.services import token_create
    from aims.orgs.models import Organization
    from aims.readiness.engine import evaluate
    from aims.testing.factories import ctx_for

    org = Organization.objects.get(slug=args.org)
    editor = User.objects.get(email="editor@example.com")
    ctx = ctx_for(org, editor)
    today = timezone.localdate()
    evaluate(ctx=ctx, as_of=today)  # warm: the URL map and the API load on first use
    if args.profile:
        import cProfile
        import pstats

        profiler = cProfile.Profile()
        profiler.runcall(evaluate, ctx=ctx, as_of=today)
        pstats.Stats(profiler).sort_stats("tottime").print_stats(25)
    print(f"load average before: {_load()}")
    times, cpu, queries = [], [], 0
    for _ in range(args.repeat):
        connection.queries_log.clear()
        with CaptureQueriesContext(connection) as q:
            t, c = time.perf_counter(), time.process_time()
            result = evaluate(ctx=ctx, as_of=today)
            times.append(time.perf_counter() - t)
            cpu.append(time.process_time() - c)
        queries = len(q.captured_queries)
    print(f"evaluate: median {1000 * statistics.median(times):.0f} ms "
          f"(min {1000 * min(times):.0f}, max {1000 * max(times):.0f}; "
          f"CPU {1000 * statistics.median(cpu):.0f} ms), {queries} queries, "
          f"{len(result.findings)} findings, score {result.score}")

    _, raw = token_create(user=editor, name="bench")
    client = Client(HTTP_AUTHORIZATION=f"Bearer {raw}")
    url = f"/api/v1/orgs/{org.slug}/readiness"
    # Judged on every request (nothing kept), then as a process serves it while the record
    # does not change (the evaluation kept: aims.activity.kept).
    for label, kept in (("judged each time", 0), ("record unchanged", 256)):
        times, cpu = [], []
        with override_settings(AIMS_KEPT_READS=kept):
            for _ in range(args.repeat):
                connection.queries_log.clear()
                with CaptureQueriesContext(connection) as q:
                    t, c = time.perf_counter(), time.process_time()
                    response = client.get(url)
                    times.append(time.perf_counter() - t)
                    cpu.append(time.process_time() - c)
                assert response.status_code == 200, response.content[:200]
        print(f"GET {url} ({label}): median {1000 * statistics.median(times):.0f} ms "
              f"(min {1000 * min(times):.0f}, max {1000 * max(times):.0f}; "
              f"CPU {1000 * statistics.median(cpu):.0f} ms), {len(q.captured_queries)} queries")
    print(f"load average after: {_load()} ({os.cpu_count()} CPUs)")


def _load() -> str:
    return " ".join(f"{n:.2f}" for n in os.getloadavg())


if __name__ == "__main__":
    main()
