"""Time an audit pack with 10,000 evidence files, and its offline check, with peak memory.

    .venv/bin/python bench/bench_pack.py [--files 10000] [--first 1000] [--size 2048]

Uses a throwaway directory with a SQLite file (or DATABASE_URL) and local file storage. Puts
the evidence in in bulk (distinct small files, each a stored blob with its evidence record
covering a day of the period and a link to an Annex A control), then runs the two commands a
person runs, each as its own process: `aims export audit-pack` and `aims verify-pack`.
Reports wall and CPU time and the peak resident memory of each process, beside those of a
command that only starts (Django and the command loaded). It measures twice, with --first
files and then with --files, so a pack that streams shows the same peak memory at both sizes
(--size changes the bytes per file: memory must not follow it either).
"""

from __future__ import annotations

import argparse
import datetime
import hashlib
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
PERIOD = ("2026-01-01", "2026-12-31")


def setup() -> str:
    tmp = tempfile.mkdtemp(prefix="aims-bench-")
    os.environ.setdefault("DATABASE_URL", f"sqlite:///{tmp}/bench.sqlite3")
    os.environ["AIMS_VAR_DIR"] = tmp
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings.production"
    os.environ.setdefault("AIMS_ALLOWED_HOSTS", "testserver")
    from config.var import var_prepare

    var_prepare()
    import django

    django.setup()
    return tmp


def add_evidence(org, user, start: int, stop: int, size: int) -> None:
    """Evidence files start … stop-1, put in in bulk (the services would take an hour)."""
    from django.core.files.base import ContentFile
    from django.core.files.storage import default_storage

    from aims.compliance.models import ComplianceItem
    from aims.evidence.models import Blob, Evidence, EvidenceLink
    from aims.evidence.storage import blob_path

    controls = list(ComplianceItem.objects.for_org(org)
                    .filter(requirement__kind="annex_a_control").values_list("pk", flat=True))
    first = datetime.date(2026, 1, 1)
    blobs, evidence, links = [], [], []
    for n in range(start, stop):
        line = f"Evidence file {n:06d}: access review record of batch {n}.\n".encode()
        data = (line * (size // len(line) + 1))[:size]
        sha = hashlib.sha256(data).hexdigest()
        name = default_storage.save(blob_path(org.pk, sha), ContentFile(data))
        blob = Blob(org=org, sha256=sha, size=len(data), name=name)
        blobs.append(blob)
        day = first + datetime.timedelta(days=n % 365)
        evidence.append(Evidence(
            org=org, number=n + 1, ref=f"EV-{n + 1:03d}", title=f"Access review {n:06d}",
            kind="file", blob=blob, file_name=f"access-review-{n:06d}.txt",
            content_type="text/plain", effective_from=day, effective_to=day, owner=user,
            uploaded_by=user))
    Blob.objects.for_org(org).bulk_create(blobs, batch_size=1000)
    Evidence.objects.for_org(org).bulk_create(evidence, batch_size=1000)
    for i, e in enumerate(evidence):
        links.append(EvidenceLink(org=org, evidence=e, subject_kind="compliance_item",
                                  subject_id=controls[i % len(controls)], linked_by=user))
    EvidenceLink.objects.for_org(org).bulk_create(links, batch_size=1000)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--files", type=int, default=10000)
    parser.add_argument("--first", type=int, default=1000,
                        help="Measure at this many files first (0 to skip).")
    parser.add_argument("--size", type=int, default=2048, help="Bytes per evidence file.")
    args = parser.parse_args()
    tmp = setup()
    import django
    from django.core.management import call_command

    from aims.testing.factories import add_member, make_org

    call_command("init", verbosity=0, stdout=open(os.devnull, "w"))  # noqa: SIM115
    org = make_org("bench", "Bench Org")
    user = add_member(org, "editor")
    print(f"on {django.db.connection.vendor}, {args.size}-byte files, load average "
          + " ".join(f"{x:.2f}" for x in os.getloadavg()))
    sizes = [n for n in (args.first, args.files) if n] if args.first < args.files else [args.files]
    wall, cpu, rss, _ = run(["verify-pack", "--help"])
    print(f"  {'start-up only':<24} {wall:6.1f} s wall  {cpu:6.1f} s CPU  peak RSS {rss:5.0f} MB"
          "  | aims verify-pack --help: Django and the command loaded, nothing done")
    have = 0
    for n in sizes:
        t0 = time.perf_counter()
        add_evidence(org, user, have, n, args.size)
        have = n
        print(f"\n{n} evidence files put in in {time.perf_counter() - t0:.1f} s")
        pack = Path(tmp) / f"pack-{n}.zip"
        for label, cmd in (
                ("aims export audit-pack", ["export", "audit-pack", "--org", org.slug,
                                            "--from", PERIOD[0], "--to", PERIOD[1],
                                            "-o", str(pack)]),
                ("aims verify-pack", ["verify-pack", str(pack)])):
            wall, cpu, rss, last = run(cmd)
            print(f"  {label:<24} {wall:6.1f} s wall  {cpu:6.1f} s CPU  peak RSS {rss:5.0f} MB"
                  f"  | {last[:110]}")
        print(f"  pack: {pack.stat().st_size / 1e6:.1f} MB")
        pack.unlink()
    print("load average after: " + " ".join(f"{x:.2f}" for x in os.getloadavg()))


def run(cmd: list[str]) -> tuple[float, float, float, str]:
    """(wall s, CPU s, peak RSS MB, its last line of output) of one `aims` command in its own
    process; CPU time and peak memory are the process's own, read by wait4."""
    started = time.perf_counter()
    with tempfile.TemporaryFile() as out:
        proc = subprocess.Popen(
            [sys.executable, "-c", "from aims.cli import main; main()", *cmd], cwd=ROOT,
            stdout=out, stderr=subprocess.STDOUT, env=os.environ.copy())
        _, status, usage = os.wait4(proc.pid, 0)
        proc.returncode = os.waitstatus_to_exitcode(status)
        wall = time.perf_counter() - started
        out.seek(0)
        text = out.read().decode(errors="replace")
    if proc.returncode:
        raise SystemExit(f"aims {' '.join(cmd)} failed ({proc.returncode}):\n{text[-2000:]}")
    lines = text.strip().splitlines()
    return wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024, lines[-1] if lines else ""


if __name__ == "__main__":
    main()
