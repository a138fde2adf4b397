"""Time every kind of page, API list, export and report on the enterprise-sized organisation.

    .venv/bin/python bench/run.py [--factor 1] [--repeat 10] [--var DIR] [--only REGEX]
        [--skip REGEX] [--tenants N]

Builds the organisation with `aims demo --scale enterprise` (in a throwaway directory, or in
--var DIR, where a later run finds it again and measures the same data) on SQLite, or on
DATABASE_URL when set, then prints one row per request: median and 95th-percentile time,
queries, and for the lists the time of the equivalent raw SQL for the same rows (the page's
rows and its count) with the ratio. Responses are read to their last byte (streamed ones
too). Numbers are for comparison between commits on one machine.
"""

from __future__ import annotations

import argparse
import os
import re
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


def setup(var: str | None) -> str:
    """Point Django at the benchmark's directory and database, and start it."""
    tmp = var or tempfile.mkdtemp(prefix="aims-bench-")
    os.makedirs(tmp, exist_ok=True)
    os.environ.setdefault("DATABASE_URL", f"sqlite:///{tmp}/bench.sqlite3")
    os.environ["AIMS_VAR_DIR"] = tmp
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings.production"
    os.environ.setdefault("AIMS_ALLOWED_HOSTS", "testserver")
    from config.var import var_prepare

    var_prepare()  # the secret key and the log key, as the `aims` command would make them
    import django

    django.setup()
    return tmp


def build(*, factor: float, tenants: int, slug: str) -> None:
    """The enterprise organisation, made once per directory (the command skips what exists)."""
    from django.core.management import call_command

    devnull = open(os.devnull, "w")  # noqa: SIM115
    call_command("init", verbosity=0, stdout=devnull)
    from aims.ops.management.commands.serve import static_collect

    static_collect()  # the pages name hashed static files; collected again only if changed
    t0 = time.perf_counter()
    call_command("demo", scale="enterprise", org=slug, factor=factor, tenants=tenants,
                 stdout=devnull)
    print(f"dataset ready in {time.perf_counter() - t0:.1f}s "
          f"({os.environ['DATABASE_URL'].split(':')[0]})")


def targets(slug: str) -> list[tuple[str, str, str, str | None]]:
    """(group, door, url, raw SQL of the same rows or None) of every request measured."""
    from django.db import connection

    from aims.compliance.models import ComplianceItem
    from aims.evidence.models import Evidence
    from aims.impact.models import ImpactAssessment
    from aims.inventory.models import AISystem
    from aims.orgs.models import Organization
    from aims.risks.models import Risk
    from aims.tasks.models import Task

    org = Organization.objects.get(slug=slug)
    risks = Risk.objects.for_org(org).count()
    system = AISystem.objects.for_org(org).order_by("name").values_list("pk", flat=True).first()
    risk = Risk.objects.for_org(org).order_by("number").values_list("pk", flat=True).first()
    assessment = (ImpactAssessment.objects.for_org(org).filter(status="approved")
                  .values_list("pk", flat=True).first())
    evidence = Evidence.objects.for_org(org).order_by("number").values_list("pk", flat=True)[1]
    task = Task.objects.for_org(org).order_by("number").values_list("pk", flat=True).first()
    o = f"/o/{slug}"
    a = f"/api/v1/orgs/{slug}"
    deep_page = max(1, risks // 50 // 2)
    deep = (deep_page - 1) * 50
    org_id = org.pk.hex if connection.vendor == "sqlite" else str(org.pk)

    def raw(table: str, order: str, offset: int = 0, limit: int = 50) -> str:
        return (f"SELECT * FROM {table} WHERE org_id = '{org_id}' ORDER BY {order} "
                f"LIMIT {limit} OFFSET {offset}; "
                f"SELECT COUNT(*) FROM {table} WHERE org_id = '{org_id}'")

    t = {m: m._meta.db_table for m in (Risk, AISystem, ImpactAssessment, Evidence, Task,
                                        ComplianceItem)}
    return [
        ("list", "web", f"{o}/ai-systems/", raw(t[AISystem], "name")),
        ("list", "web", f"{o}/risks/", raw(t[Risk], "number")),
        ("list", "web", f"{o}/risks/?page={deep_page}", raw(t[Risk], "number", deep)),
        ("list", "web", f"{o}/impact-assessments/", raw(t[ImpactAssessment], "number")),
        ("list", "web", f"{o}/evidence/", raw(t[Evidence], "number DESC")),
        ("list", "web", f"{o}/tasks/", raw(t[Task], "due_date, number")),
        ("list", "web", f"{o}/improvement/", None),
        ("list", "web", f"{o}/soa/", None),
        ("list", "web", f"{o}/activity/", raw("activity_event", "seq DESC")),
        ("list", "web", f"{o}/members/", None),
        ("detail", "web", f"{o}/ai-systems/{system}/", None),
        ("detail", "web", f"{o}/risks/{risk}/", None),
        ("detail", "web", f"{o}/impact-assessments/{assessment}/", None),
        ("detail", "web", f"{o}/evidence/{evidence}/", None),
        ("detail", "web", f"{o}/tasks/{task}/", None),
        ("detail", "web", f"{o}/soa/A.6.2.6/", None),
        ("api", "api", f"{a}/ai-systems?limit=50", raw(t[AISystem], "name")),
        ("api", "api", f"{a}/risks?limit=50", raw(t[Risk], "number")),
        ("api", "api", f"{a}/risks?limit=50&offset={deep}", raw(t[Risk], "number", deep)),
        ("api", "api", f"{a}/impact-assessments?limit=50", raw(t[ImpactAssessment], "number")),
        ("api", "api", f"{a}/evidence?limit=50", raw(t[Evidence], "number DESC")),
        ("api", "api", f"{a}/evidence?limit=50&offset=50000",
         raw(t[Evidence], "number DESC", 50000)),
        ("api", "api", f"{a}/tasks?limit=50", raw(t[Task], "due_date, number")),
        ("api", "api", f"{a}/activity?limit=50", raw("activity_event", "seq DESC")),
        ("api", "api", f"{a}/soa", None),
        ("export", "web", f"{o}/soa/export/csv/", None),
        ("export", "web", f"{o}/soa/export/xlsx/", None),
        ("export", "web", f"{o}/risks/export/csv/", None),
        ("export", "web", f"{o}/risks/export/xlsx/", None),
        ("export", "web", f"{o}/activity/?format=csv", None),
        ("report", "web", f"{o}/", None),
        ("report", "web", f"{o}/readiness/", None),
        ("report", "api", f"{a}/readiness", None),
    ]


def timed(fn, repeat: int) -> list[float]:
    out = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        out.append(1000 * (time.perf_counter() - start))
    return out


def p95(times: list[float]) -> float:
    ordered = sorted(times)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


# The targets, as this table checks them (README "Benchmarks").
MAX_QUERIES = 12  # per page or API call, whatever the data size
MAX_RATIO = 3.0  # against the raw SQL of the same rows
MAX_PAGE_MS = 150.0  # median of a page or an API call
MAX_MS = {"/soa/export/xlsx/": 300.0}  # exports with a target of their own


def misses(group: str, url: str, median: float, queries: int, ratio: float | None) -> list[str]:
    """The targets a row misses, in words (empty when it meets them all)."""
    out = []
    limit = next((ms for part, ms in MAX_MS.items() if part in url), None)
    if limit is None and group != "export":
        limit = MAX_PAGE_MS
    if limit is not None and median > limit:
        out.append(f"median > {limit:.0f} ms")
    if group != "export" and queries > MAX_QUERIES:
        out.append(f"queries > {MAX_QUERIES}")
    if ratio is not None and ratio > MAX_RATIO:
        out.append(f"ratio > {MAX_RATIO:.0f}×")
    return out


def engine_version() -> str:
    from django.db import connection

    if connection.vendor == "sqlite":
        return f"SQLite {connection.Database.sqlite_version}"
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        return f"PostgreSQL {cursor.fetchone()[0]}"


def verdict(row: dict) -> str:
    """What a row that misses nothing says: exports other than the SoA XLSX have no target."""
    targeted = row["group"] != "export" or any(part in row["url"] for part in MAX_MS)
    return "meets" if targeted else "no target"


def markdown(rows: list[dict], *, engine: str, notes: list[str]) -> str:
    """The table as Markdown, with the targets each row misses."""
    lines = [f"# bench/run.py on {engine}", "", *(f"- {n}" for n in notes), "",
             "| request | median ms | p95 ms | queries | raw SQL ms | ratio | bytes | misses |",
             "| --- | ---: | ---: | ---: | ---: | ---: | ---: | --- |"]
    for r in rows:
        raw = f"{r['raw']:.1f}" if r["raw"] is not None else ""
        ratio = f"{r['ratio']:.1f}×" if r["ratio"] is not None else ""
        lines.append(f"| {r['group']} {r['door']} `{r['url']}` | {r['median']:.1f} | "
                     f"{r['p95']:.1f} | {r['queries']} | {raw} | {ratio} | {r['bytes']} | "
                     f"{'; '.join(r['misses']) or verdict(r)} |")
    missed = sum(bool(r["misses"]) for r in rows)
    lines += ["", f"{missed} of {len(rows)} rows miss a target: median ≤ {MAX_PAGE_MS:.0f} ms "
              f"for every page and API call, SoA XLSX ≤ {MAX_MS['/soa/export/xlsx/']:.0f} ms, "
              f"≤ {MAX_QUERIES} queries for every page and API call, ≤ {MAX_RATIO:.0f}× the "
              "raw SQL of the same rows where it is measured (other exports have no time "
              "target).", ""]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--factor", type=float, default=1.0,
                        help="Size of the organisation as a multiple of 'enterprise'.")
    parser.add_argument("--tenants", type=int, default=0)
    parser.add_argument("--repeat", type=int, default=10)
    parser.add_argument("--export-repeat", type=int, default=3,
                        help="Repeats for exports, which are slower (default 3).")
    parser.add_argument("--var", default=None,
                        help="Keep the data directory (and SQLite file) here, to reuse it.")
    parser.add_argument("--org", default="enterprise")
    parser.add_argument("--only", default=None, help="Measure only URLs matching this.")
    parser.add_argument("--skip", default=None, help="Leave out URLs matching this.")
    parser.add_argument("--markdown", default=None, metavar="FILE",
                        help="Also write the table to FILE as Markdown, marking the rows that "
                             "miss the targets (e.g. bench/results/sqlite-2026-12-07.md).")
    args = parser.parse_args()
    load_before = os.getloadavg()

    setup(args.var)
    build(factor=args.factor, tenants=args.tenants, slug=args.org)

    from django.db import connection
    from django.test import Client

    from aims.accounts.models import User
    from aims.accounts.services import token_create

    editor = User.objects.get(email="editor@example.com")
    _, token = token_create(user=editor, name="bench")
    client = Client()
    client.force_login(editor)

    def fetch(door: str, url: str):
        extra = {"HTTP_AUTHORIZATION": f"Bearer {token}"} if door == "api" else {}
        response = client.get(url, **extra)
        assert response.status_code == 200, (url, response.status_code)
        size = sum(len(c) for c in response.streaming_content) if response.streaming \
            else len(response.content)
        return response, size

    def run_raw(sql: str) -> None:
        with connection.cursor() as cursor:
            for statement in sql.split("; "):
                cursor.execute(statement)
                cursor.fetchall()

    rows: list[dict] = []
    print(f"{'request':<62}{'median':>9}{'p95':>9}{'queries':>8}{'raw SQL':>9}{'ratio':>7}"
          f"{'bytes':>11}")
    for group, door, url, sql in targets(args.org):
        if (args.only and not re.search(args.only, url)) or (
                args.skip and re.search(args.skip, url)):
            continue
        repeat = args.export_repeat if group == "export" else args.repeat
        fetch(door, url)  # warm: templates, the URL map and the API load on first use
        executed: list[str] = []

        def count(execute, sql, params, many, context, executed=executed):
            executed.append(sql)
            return execute(sql, params, many, context)

        with connection.execute_wrapper(count):
            _, size = fetch(door, url)
        times = timed(lambda door=door, url=url: fetch(door, url), repeat)
        median = statistics.median(times)
        raw_ms = ratio = ""
        raw_median = None
        if sql:
            raw_median = statistics.median(timed(lambda sql=sql: run_raw(sql), repeat))
            raw_ms, ratio = f"{raw_median:.1f}", f"{median / raw_median:.1f}×"
        print(f"{group[:6] + ' ' + door + ' ' + url:<62}{median:>9.1f}{p95(times):>9.1f}"
              f"{len(executed):>8}{raw_ms:>9}{ratio:>7}{size:>11}", flush=True)
        quotient = median / raw_median if raw_median else None
        rows.append({"group": group, "door": door, "url": url, "median": median,
                     "p95": p95(times), "queries": len(executed), "raw": raw_median,
                     "ratio": quotient, "bytes": size,
                     "misses": misses(group, url, median, len(executed), quotient)})
        if args.markdown:  # rewritten after every row: a run cut short keeps what it measured
            write_markdown(args, rows, load_before)


def write_markdown(args, rows: list[dict], load_before: tuple[float, ...]) -> None:
    from django.db import connection

    load_after = os.getloadavg()
    notes = [
        f"{time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}, {engine_version()}, "
        f"organisation `{args.org}` at factor {args.factor}, {os.cpu_count()} CPUs",
        f"load average (1, 5, 15 min) at the start {', '.join(f'{x:.1f}' for x in load_before)}; "
        f"at the last row {', '.join(f'{x:.1f}' for x in load_after)}",
        f"{args.repeat} runs a request ({args.export_repeat} an export), after one warm-up; "
        "Django's test client in one process (no HTTP server)",
    ]
    Path(args.markdown).write_text(markdown(rows, engine=connection.vendor, notes=notes),
                                   encoding="utf-8")


if __name__ == "__main__":
    main()
