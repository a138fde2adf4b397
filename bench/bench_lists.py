"""Time the main list pages and API lists on a large organisation.

    .venv/bin/python bench/bench_lists.py [--systems 1000] [--repeat 20]

Uses a throwaway SQLite file (or DATABASE_URL), builds an organisation with many AI systems
and a long activity log through the real services, then reports the median time and the
number of queries per request. Numbers are for comparison between commits on one machine.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--systems", type=int, default=1000)
    parser.add_argument("--repeat", type=int, default=20)
    args = parser.parse_args()

    tmp = tempfile.mkdtemp(prefix="aims-bench-")
    os.environ.setdefault("DATABASE_URL", f"sqlite:///{tmp}/bench.sqlite3")
    os.environ["AIMS_VAR_DIR"] = tmp
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings.production"
    os.environ.setdefault("AIMS_ALLOWED_HOSTS", "testserver")
    from config.var import var_prepare

    var_prepare()  # the secret key, as the `aims` command would make it
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from aims.inventory.services import ai_system_create
    from aims.testing.factories import add_member, ctx_for, make_org

    call_command("init", verbosity=0, stdout=open(os.devnull, "w"))  # noqa: SIM115
    call_command("collectstatic", interactive=False, verbosity=0)
    org = make_org("bench", "Bench Org")
    editor = add_member(org, "editor")
    ctx = ctx_for(org, editor)
    t0 = time.perf_counter()
    for i in range(args.systems):
        ai_system_create(ctx=ctx, data={
            "name": f"System {i:05d}", "intended_purpose": "Benchmark system " * 5,
            "roles": ["deployer", "user"], "eu_risk_class": "limited", "owner": editor.pk})
    build = time.perf_counter() - t0
    print(f"built {args.systems} AI systems (+{args.systems} log events) in {build:.1f}s "
          f"({1000 * build / args.systems:.1f} ms per create)")

    from aims.inventory.selectors import ai_system_list
    from aims.risks.services import risk_create

    systems = list(ai_system_list(ctx=ctx).values_list("pk", flat=True))
    t0 = time.perf_counter()
    for i in range(args.systems):
        risk_create(ctx=ctx, data={
            "title": f"Risk {i:05d}", "category": "bias", "owner": editor.pk,
            "inherent_likelihood": 1 + i % 5, "inherent_impact": 1 + (i // 5) % 5,
            "ai_systems": [systems[i % len(systems)]], "controls": ["A.5.2", "A.6.2.6"]})
    build = time.perf_counter() - t0
    print(f"built {args.systems} risks in {build:.1f}s ({1000 * build / args.systems:.1f} ms each)")

    import datetime

    from django.core.files.uploadedfile import SimpleUploadedFile

    from aims.evidence.services import evidence_create
    from aims.improvement.services import nonconformity_create
    from aims.tasks.services import task_create

    today = datetime.date.today()
    t0 = time.perf_counter()
    for i in range(args.systems):
        system = ai_system_list(ctx=ctx).filter(pk=systems[i % len(systems)]).first()
        task_create(ctx=ctx, subject=system, data={
            "title": f"Task {i:05d}", "kind": "review", "owner": editor.pk,
            "due_date": today + datetime.timedelta(days=i % 60 - 30)})
        evidence_create(ctx=ctx, links=[system], data={
            "title": f"Evidence {i:05d}", "valid_until": today + datetime.timedelta(days=i % 90)},
            upload=SimpleUploadedFile(f"report-{i}.txt", f"report {i}".encode()))
        nonconformity_create(ctx=ctx, data={
            "title": f"Nonconformity {i:05d}", "source": "other",
            "description": "Benchmark nonconformity.", "owner": editor.pk})
    build = time.perf_counter() - t0
    print(f"built {args.systems} tasks, evidence files and nonconformities in {build:.1f}s "
          f"({1000 * build / args.systems:.1f} ms per set of three)")

    from aims.accounts.services import token_create

    _, raw = token_create(user=editor, name="bench")
    web = Client()
    web.force_login(editor)
    api = {"HTTP_AUTHORIZATION": f"Bearer {raw}"}
    targets = [
        ("web", "/o/bench/ai-systems/"), ("web", "/o/bench/soa/"),
        ("web", "/o/bench/activity/"), ("web", "/o/bench/"),
        ("web", "/o/bench/risks/"), ("web", "/o/bench/risks/heatmap/"),
        ("api", "/api/v1/orgs/bench/risks?limit=50"),
        ("api", "/api/v1/orgs/bench/ai-systems?limit=50"), ("api", "/api/v1/orgs/bench/soa"),
        ("api", "/api/v1/orgs/bench/activity?limit=50"),
        ("web", "/o/bench/tasks/"), ("web", "/o/bench/tasks/mine/"),
        ("web", "/o/bench/evidence/"), ("web", "/o/bench/improvement/"),
        ("api", "/api/v1/orgs/bench/tasks?limit=50"),
        ("api", "/api/v1/orgs/bench/evidence?limit=50"),
        ("api", "/api/v1/orgs/bench/nonconformities?limit=50"),
        ("web", f"/o/bench/ai-systems/{systems[0]}/"),
    ]
    print(f"{'request':<48}{'median ms':>10}{'p90 ms':>9}{'queries':>9}")
    for kind, url in targets:
        times = []
        for _ in range(args.repeat):
            with CaptureQueriesContext(connection) as q:
                start = time.perf_counter()
                r = web.get(url) if kind == "web" else web.get(url, **api)
                times.append(1000 * (time.perf_counter() - start))
            assert r.status_code == 200, (url, r.status_code)
        times.sort()
        print(f"{kind + ' ' + url:<48}{statistics.median(times):>10.1f}"
              f"{times[int(len(times) * 0.9) - 1]:>9.1f}{len(q.captured_queries):>9}")


if __name__ == "__main__":
    main()
