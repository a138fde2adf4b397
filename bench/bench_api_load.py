"""Authenticated API reads per second against a real `aims serve`, from many clients at once.

    .venv/bin/python bench/bench_api_load.py [--workers 3] [--clients 20] [--seconds 30]
        [--path /api/v1/orgs/demo/risks] [--var DIR] [--profile N]

Makes a throwaway installation (or uses --var DIR) on SQLite, or on DATABASE_URL when set,
with the demo organisation (`aims init`, `aims demo`) and an API token for its owner, starts
`aims serve --no-worker` with --workers gunicorn processes on a free port, and sends as many
authenticated GETs as the clients get answered for --seconds (each client one request at a
time, a new connection each: gunicorn's sync workers close it after answering). Prints reads/s,
errors, latency percentiles, the time Django measured per request (from /metrics) and where the
machine's CPU went (server processes against this load generator). --profile N then answers N
requests in this process under cProfile and prints the functions that took the time.

The API's rate limit is turned off for the run (AIMS_API_RATE empty): it is what is measured
against, not what is measured. Numbers are for comparison on one machine.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _env(var: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
    env.update(AIMS_VAR_DIR=var, AIMS_API_RATE="", AIMS_ALLOWED_HOSTS="127.0.0.1,localhost")
    return env


def aims(var: str, *args: str) -> str:
    done = subprocess.run([sys.executable, "-m", "aims.cli", *args], env=_env(var), cwd=ROOT,
                          capture_output=True, text=True, check=False)
    if done.returncode:
        sys.exit(f"aims {' '.join(args)} failed:\n{done.stdout}{done.stderr}")
    return done.stdout


def cpu_seconds(pids: list[int]) -> float:
    """User + system CPU seconds used so far by `pids` and their children (from /proc)."""
    tick = os.sysconf("SC_CLK_TCK")
    total = 0.0
    seen = set()
    todo = list(pids)
    while todo:
        pid = todo.pop()
        if pid in seen:
            continue
        seen.add(pid)
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()
            total += (int(fields[11]) + int(fields[12])) / tick
            children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
        except OSError:
            continue
        todo.extend(int(c) for c in children)
    return total


async def _get(port: int, request: bytes) -> tuple[int, float]:
    start = time.perf_counter()
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    try:
        writer.write(request)
        await writer.drain()
        data = await reader.read()  # the server closes the connection after the response
    finally:
        writer.close()
    status = int(data[9:12]) if data[:5] == b"HTTP/" else 0
    return status, time.perf_counter() - start


async def load(port: int, path: str, token: str, clients: int, seconds: float):
    request = (f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n"
               f"Authorization: Bearer {token}\r\nConnection: close\r\n\r\n").encode()
    latencies: list[float] = []
    errors: dict[str, int] = {}
    end = time.perf_counter() + seconds

    async def client() -> None:
        while time.perf_counter() < end:
            try:
                status, took = await _get(port, request)
            except OSError as exc:
                errors[type(exc).__name__] = errors.get(type(exc).__name__, 0) + 1
                continue
            if status == 200:
                latencies.append(took)
            else:
                errors[str(status)] = errors.get(str(status), 0) + 1

    started = time.perf_counter()
    await asyncio.gather(*(client() for _ in range(clients)))
    return latencies, errors, time.perf_counter() - started


def django_time(port: int) -> tuple[float, int]:
    """(seconds, requests) Django measured for GETs other than the probes, from /metrics."""
    import urllib.request

    text = urllib.request.urlopen(f"http://127.0.0.1:{port}/metrics", timeout=10).read().decode()
    sums = {"sum": 0.0, "count": 0.0}
    for line in text.splitlines():
        name, _, rest = line.partition("{")
        kind = name.rpartition("_")[2]
        if (name.startswith("aims_request_duration_seconds_") and kind in sums
                and 'method="GET"' in rest
                and not any(probe in rest for probe in ("metrics", "readyz", "healthz"))):
            sums[kind] += float(line.rsplit(" ", 1)[1])
    return sums["sum"], int(sums["count"])


def profile(var: str, path: str, token: str, n: int) -> None:
    """Answer `n` requests in this process under cProfile and print where the time went."""
    import cProfile
    import pstats

    os.environ.update(_env(var))
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings.production"
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.test import Client

    c = Client(HTTP_AUTHORIZATION=f"Bearer {token}", HTTP_HOST="127.0.0.1")
    assert c.get(path).status_code == 200
    prof = cProfile.Profile()
    prof.enable()
    for _ in range(n):
        c.get(path)
    prof.disable()
    stats = pstats.Stats(prof)
    print(f"\nwhere {n} requests spent their time (cumulative, top 25):")
    stats.sort_stats("cumulative").print_stats(25)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--workers", type=int, default=3)
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--seconds", type=float, default=30)
    parser.add_argument("--path", default="/api/v1/orgs/demo/risks")
    parser.add_argument("--var", help="Installation directory to use (kept); default a "
                                      "throwaway one.")
    parser.add_argument("--profile", type=int, default=0, metavar="N")
    parser.add_argument("--start-timeout", type=float, default=600,
                        help="Seconds to wait for the server's first /readyz (default 600: a "
                             "busy machine starts slowly).")
    args = parser.parse_args()
    var = args.var or tempfile.mkdtemp(prefix="aims-load-")
    if not Path(var, ".load-ready").exists():
        aims(var, "init")
        aims(var, "demo")
        Path(var, ".load-ready").write_text(
            aims(var, "token", "create", "--user", "owner@example.com").strip())
    token = Path(var, ".load-ready").read_text().strip()
    # Collected (and compressed) once here, so that the server's start is quick and the wait
    # for it below is about the server alone.
    aims(var, "serve", "--static-only")
    port = _free_port()
    # The server's output goes to a file: a pipe nobody reads would stop it once full.
    log_path = Path(var, "bench-serve.log")
    with log_path.open("w") as log:
        server = subprocess.Popen(
            [sys.executable, "-m", "aims.cli", "serve", "--no-worker", "--workers",
             str(args.workers), "--port", str(port)], env=_env(var), cwd=ROOT,
            stdout=subprocess.DEVNULL, stderr=log)
    try:
        import urllib.request

        deadline = time.monotonic() + args.start_timeout
        while True:
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/readyz", timeout=10).close()
                break
            except OSError:
                if server.poll() is not None or time.monotonic() > deadline:
                    tail = log_path.read_text(errors="replace")[-3000:]
                    sys.exit(f"aims serve did not answer /readyz within {args.start_timeout:.0f}s"
                             f" (--start-timeout); its log ({log_path}):\n{tail}")
                time.sleep(0.3)
        asyncio.run(load(port, args.path, token, 4, 2))  # warm every worker up
        load_before = os.getloadavg()
        before_cpu, before_django = cpu_seconds([server.pid]), django_time(port)
        me_before = time.process_time()
        latencies, errors, took = asyncio.run(
            load(port, args.path, token, args.clients, args.seconds))
        server_cpu = cpu_seconds([server.pid]) - before_cpu
        me_cpu = time.process_time() - me_before
        after_django = django_time(port)
    finally:
        server.terminate()
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
    ok = len(latencies)
    q = statistics.quantiles(latencies, n=100) if ok > 1 else [0.0] * 99
    dj_s = after_django[0] - before_django[0]
    dj_n = after_django[1] - before_django[1]
    db = os.environ.get("DATABASE_URL", "sqlite").split(":")[0]
    print(f"GET {args.path} — {args.workers} gunicorn workers, {args.clients} clients, "
          f"{took:.1f}s, {db}, {os.cpu_count()} CPUs, load average (1 min) "
          f"{load_before[0]:.1f} before, {os.getloadavg()[0]:.1f} after")
    print(f"  reads/s      {ok / took:8.1f}   ({ok} answered 200)")
    print(f"  errors       {sum(errors.values()):8d}   {errors or ''}")
    print(f"  latency      p50 {q[49] * 1000:.1f} ms   p95 {q[94] * 1000:.1f} ms   "
          f"p99 {q[98] * 1000:.1f} ms")
    if dj_n:
        print(f"  in Django    {dj_s / dj_n * 1000:8.1f} ms a request (middleware to response, "
              f"from /metrics, {dj_n} requests)")
    print(f"  CPU          server {server_cpu:.1f}s ({server_cpu / took * 100:.0f}% of one "
          f"core), load generator {me_cpu:.1f}s ({me_cpu / took * 100:.0f}%), over {took:.1f}s "
          "of wall time")
    if args.profile:
        profile(var, args.path, token, args.profile)


if __name__ == "__main__":
    main()
