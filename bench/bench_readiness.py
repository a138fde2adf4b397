"""Time a readiness evaluation on an enterprise-sized organisation.

    .venv/bin/python bench/bench_readiness.py [--systems 1000] [--risks 20000]
        [--assessments 5000] [--evidence 100000] [--repeat 10]

Uses a throwaway SQLite file (or DATABASE_URL). The organisation is made through the real
services (so it has its compliance items, methodology and members); the bulk of the record is
then written with bulk inserts, row shapes as the services leave them, because building 100,000
pieces of evidence one by one would take an hour. Reports the median, minimum and maximum time
of an evaluation, its query count, and the same for the readiness API route.
"""

from __future__ import annotations

import argparse
import datetime
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
    parser.add_argument("--risks", type=int, default=20000)
    parser.add_argument("--assessments", type=int, default=5000)
    parser.add_argument("--evidence", type=int, default=100000)
    parser.add_argument("--repeat", type=int, default=10)
    parser.add_argument("--profile", action="store_true",
                        help="Print where one evaluation spends its time (cProfile).")
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
    from django.utils import timezone

    from aims.accounts.services import token_create
    from aims.compliance.models import ComplianceItem
    from aims.evidence.models import Evidence, EvidenceLink
    from aims.impact.models import ImpactAssessment
    from aims.inventory.models import AISystem
    from aims.readiness.engine import evaluate
    from aims.risks.models import Risk, RiskMethodology
    from aims.testing.factories import add_member, ctx_for, make_org

    call_command("init", verbosity=0, stdout=open(os.devnull, "w"))  # noqa: SIM115
    org = make_org("bench", "Bench Org")
    editor = add_member(org, "editor")
    ctx = ctx_for(org, editor)
    today = timezone.localdate()
    t0 = time.perf_counter()
    with transaction.atomic():
        systems = AISystem.objects.for_org(org).bulk_create(
            AISystem(org=org, name=f"System {i:05d}", intended_purpose="Benchmark system.",
                     roles=["deployer"], eu_risk_class="limited", owner=editor,
                     lifecycle_stage="deployed" if i % 3 == 0 else "development")
            for i in range(args.systems))
        methodology = RiskMethodology.objects.for_org(org).get()
        risks = Risk.objects.for_org(org).bulk_create(
            Risk(org=org, number=i + 1, ref=f"R-{i + 1:05d}", title=f"Risk {i:05d}",
                 category="bias", owner=editor if i % 7 else None, methodology=methodology,
                 inherent_likelihood=1 + i % 5, inherent_impact=1 + (i // 5) % 5,
                 treatment_option="mitigate" if i % 4 else "",
                 treatment_rationale="Checked weekly by a human reviewer." if i % 4 else "",
                 residual_likelihood=1 if i % 2 else None, residual_impact=2 if i % 2 else None,
                 next_review=today + datetime.timedelta(days=(i % 90) - 30), status="treating")
            for i in range(args.risks))
        controls = list(ComplianceItem.objects.for_org(org)
                        .filter(requirement__kind="annex_a_control"))
        Risk.ai_systems.through.objects.bulk_create(
            Risk.ai_systems.through(risk_id=r.pk, aisystem_id=systems[i % len(systems)].pk)
            for i, r in enumerate(risks))
        Risk.controls.through.objects.bulk_create(
            Risk.controls.through(risk_id=r.pk, complianceitem_id=controls[i % len(controls)].pk)
            for i, r in enumerate(risks) if i % 4)
        ComplianceItem.objects.for_org(org).filter(
            pk__in=[c.pk for c in controls]).update(applicable=True, status="implemented",
                                                    inclusion_reason="risk_treatment")
        per_system = max(1, args.assessments // len(systems))
        ImpactAssessment.objects.for_org(org).bulk_create(
            ImpactAssessment(org=org, ai_system=s, number=n + 1, author=editor,
                             status="approved" if n == per_system - 1 else "superseded",
                             approved_on=today - datetime.timedelta(days=30 * (per_system - n)),
                             next_due=today + datetime.timedelta(days=300 - (i % 400)))
            for i, s in enumerate(systems) for n in range(per_system))
        evidence = Evidence.objects.for_org(org).bulk_create(
            Evidence(org=org, number=i + 1, ref=f"EV-{i + 1:06d}", title=f"Evidence {i}",
                     kind="note", note="Benchmark.", uploaded_by=editor,
                     valid_until=today + datetime.timedelta(days=(i % 400) - 100))
            for i in range(args.evidence))
        EvidenceLink.objects.for_org(org).bulk_create(
            EvidenceLink(org=org, evidence=e, subject_kind="compliance_item",
                         subject_id=controls[i % len(controls)].pk, linked_by=editor)
            for i, e in enumerate(evidence))
    print(f"built {args.systems} AI systems, {args.risks} risks, "
          f"{per_system * len(systems)} impact assessments and {args.evidence} pieces of "
          f"evidence in {time.perf_counter() - t0:.1f}s")

    evaluate(ctx=ctx, as_of=today)  # warm: the URL map and the API load on first use
    if args.profile:
        import cProfile
        import pstats

        profiler = cProfile.Profile()
        profiler.runcall(evaluate, ctx=ctx, as_of=today)
        pstats.Stats(profiler).sort_stats("tottime").print_stats(25)
    times, queries = [], 0
    for _ in range(args.repeat):
        with CaptureQueriesContext(connection) as q:
            t = time.perf_counter()
            result = evaluate(ctx=ctx, as_of=today)
            times.append(time.perf_counter() - t)
        queries = len(q.captured_queries)
    print(f"evaluate: median {1000 * statistics.median(times):.0f} ms "
          f"(min {1000 * min(times):.0f}, max {1000 * max(times):.0f}), {queries} queries, "
          f"{len(result.findings)} findings, score {result.score}")

    _, raw = token_create(user=editor, name="bench")
    client = Client(HTTP_AUTHORIZATION=f"Bearer {raw}")
    url = f"/api/v1/orgs/{org.slug}/readiness"
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
