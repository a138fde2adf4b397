"""Time the coverage of one framework on an enterprise-sized organisation.

    .venv/bin/python bench/bench_coverage.py [--framework eu-ai-act] [--evidence 100000]
        [--repeat 10]

Uses a throwaway SQLite file (or DATABASE_URL). The organisation is made through the real
services (so it has its ISO/IEC 42001 items and members); its items are then marked applicable
and implemented, and the evidence is written with bulk inserts and linked round-robin to every
item, row shapes as the services leave them. Reports the median, minimum and maximum time of
one coverage computation with its query count, at a tenth of the evidence and at all of it (the
count must be the same), and the same for the coverage API route as JSON and as XLSX.
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
    parser.add_argument("--framework", default="eu-ai-act")
    parser.add_argument("--evidence", type=int, default=100000)
    parser.add_argument("--repeat", type=int, default=10)
    args = parser.parse_args()

    tmp = tempfile.mkdtemp(prefix="aims-bench-")
    os.environ.setdefault("DATABASE_URL", f"sqlite:///{tmp}/bench.sqlite3")
    os.environ["AIMS_VAR_DIR"] = tmp
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings.production"
    os.environ.setdefault("AIMS_ALLOWED_HOSTS", "testserver")
    from config.var import var_prepare

    var_prepare()
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection, transaction
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from aims.accounts.services import token_create
    from aims.compliance.models import ComplianceItem
    from aims.evidence.models import Evidence, EvidenceLink
    from aims.frameworks.selectors import coverage_report
    from aims.testing.factories import add_member, ctx_for, make_org

    call_command("init", verbosity=0, stdout=open(os.devnull, "w"))  # noqa: SIM115
    org = make_org("bench", "Bench Org")
    editor = add_member(org, "editor")
    ctx = ctx_for(org, editor)
    items = list(ComplianceItem.objects.for_org(org))
    ComplianceItem.objects.for_org(org).filter(requirement__kind="annex_a_control").update(
        applicable=True, inclusion_reason="risk_treatment")
    ComplianceItem.objects.for_org(org).update(status="implemented")

    def add_evidence(start: int, count: int) -> None:
        with transaction.atomic():
            evidence = Evidence.objects.for_org(org).bulk_create(
                Evidence(org=org, number=start + i + 1, ref=f"EV-{start + i + 1:06d}",
                         title=f"Evidence {start + i}", kind="note", note="Benchmark.",
                         uploaded_by=editor) for i in range(count))
            EvidenceLink.objects.for_org(org).bulk_create(
                EvidenceLink(org=org, evidence=e, subject_kind="compliance_item",
                             subject_id=items[(start + i) % len(items)].pk, linked_by=editor)
                for i, e in enumerate(evidence))

    def measure(label: str) -> int:
        coverage_report(ctx=ctx, code=args.framework)  # warm
        times, queries = [], 0
        for _ in range(args.repeat):
            with CaptureQueriesContext(connection) as q:
                t = time.perf_counter()
                report = coverage_report(ctx=ctx, code=args.framework)
                times.append(time.perf_counter() - t)
            queries = len(q.captured_queries)
        print(f"{label}: coverage of {args.framework}: median "
              f"{1000 * statistics.median(times):.0f} ms (min {1000 * min(times):.0f}, max "
              f"{1000 * max(times):.0f}), {queries} queries, {report.total} requirements, "
              f"{report.counts}")
        return queries

    small = max(1, args.evidence // 10)
    t0 = time.perf_counter()
    add_evidence(0, small)
    print(f"built {len(items)} ISO/IEC 42001 items and {small} pieces of evidence in "
          f"{time.perf_counter() - t0:.1f}s")
    q_small = measure(f"{small} evidence")
    t0 = time.perf_counter()
    add_evidence(small, args.evidence - small)
    print(f"added {args.evidence - small} more pieces of evidence in "
          f"{time.perf_counter() - t0:.1f}s")
    q_large = measure(f"{args.evidence} evidence")
    assert q_small == q_large, f"the query count grew with the data: {q_small} → {q_large}"

    _, raw = token_create(user=editor, name="bench")
    client = Client(HTTP_AUTHORIZATION=f"Bearer {raw}")
    client.get(f"/api/v1/orgs/{org.slug}/frameworks")  # warm: the API loads on first use
    for fmt in ("json", "xlsx"):
        url = f"/api/v1/orgs/{org.slug}/frameworks/{args.framework}/coverage?format={fmt}"
        times = []
        for _ in range(args.repeat):
            with CaptureQueriesContext(connection) as q:
                t = time.perf_counter()
                response = client.get(url)
                times.append(time.perf_counter() - t)
            assert response.status_code == 200, response.content[:200]
        print(f"GET {url}: median {1000 * statistics.median(times):.0f} ms "
              f"(min {1000 * min(times):.0f}, max {1000 * max(times):.0f}), "
              f"{len(q.captured_queries)} queries")


if __name__ == "__main__":
    main()
