"""Time a 10,000-row AI system inventory import, with its peak memory.

    .venv/bin/python bench/bench_import.py [--rows 10000]

Uses a throwaway SQLite file (or DATABASE_URL). Writes an inventory CSV with every column
of the export filled, then runs, through `import_direct` (what the CLI and the API call):
the dry run (every row through the services, rolled back), the import itself (all rows in
one transaction, one activity event per system plus the import's), and the re-import of
the register's own export (all rows unchanged). Reports wall and CPU time, rows per second
and the process's peak resident memory after each (CPU time says more than wall time on a
shared machine).
"""

from __future__ import annotations

import argparse
import os
import resource
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=10000)
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

    from aims.activity.models import Event
    from aims.exchange.imports.exports import register_export
    from aims.exchange.imports.services import import_direct
    from aims.inventory.models import AISystem
    from aims.testing.factories import add_member, ctx_for, make_org

    call_command("init", verbosity=0, stdout=open(os.devnull, "w"))  # noqa: SIM115
    org = make_org("bench", "Bench Org")
    editor = add_member(org, "editor")
    ctx = ctx_for(org, editor)
    header = ("Name,Intended purpose,Description,Owner (e-mail),Business unit,Lifecycle stage,"
              "Roles,In scope,Data categories,Processes personal data,Human oversight\n")
    body = "".join(
        f"System {i:05d},Scores claims of batch {i} for review,A gradient-boosted model "
        f"number {i},{editor.email},Claims,{'Design' if i % 2 else 'Development'},"
        f"Deployer; Provider,Yes,Claims history,{'Yes' if i % 3 else 'No'},"
        f"A reviewer checks every flagged claim\n" for i in range(args.rows))
    data = (header + body).encode()
    print(f"{args.rows} rows, {len(data) / 1e6:.1f} MB of CSV, on "
          f"{django.db.connection.vendor}")

    def run(label: str, payload: bytes, dry_run: bool):
        started, cpu = time.perf_counter(), time.process_time()
        report = import_direct(ctx=ctx, kind="inventory", data=payload, file_name="bench.csv",
                               dry_run=dry_run)
        took, cpu = time.perf_counter() - started, time.process_time() - cpu
        rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(f"{label:<28} {took:7.1f} s wall  {cpu:7.1f} s CPU  "
              f"{report.summary['rows'] / took:6.0f} rows/s  "
              f"peak RSS so far {rss:5.0f} MB  {report.summary}")
        return report

    run("dry run (nothing written)", data, True)
    assert not AISystem.objects.for_org(org).exists()
    events = Event.objects.filter(org=org).count()
    run("import", data, False)
    assert AISystem.objects.for_org(org).count() == args.rows
    print(f"{'':<28} {Event.objects.filter(org=org).count() - events} activity events")
    content, _, _ = register_export(ctx=ctx, kind="inventory", fmt="csv")
    again = run("re-import of the export", content, False)
    assert again.summary["unchanged"] == args.rows


if __name__ == "__main__":
    main()
