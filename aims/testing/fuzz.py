"""Fuzz every operation of the REST API with schemathesis against a throwaway aims.

    python -m aims.testing.fuzz [--max-examples N] [--max-time SECONDS] [--workers W]
                                [--seed S] [--phases P,…] [--report-dir DIR] [-- ST_ARGS…]

A temporary AIMS_VAR_DIR holds a fresh SQLite database: `aims init`, `aims demo`, then an API
token for owner@example.com. `aims serve` listens on a free port; schemathesis (its `st run`
command) reads /api/v1/openapi.json and sends generated requests to every operation with
three checks: no server error (5xx), only status codes the document declares, and response
bodies that match their declared schema. The server is stopped and the directory removed
however the run ends, Ctrl-C and SIGTERM included.

The `slug` path parameter is always the demo organisation (and `code` the ISO/IEC 42001
framework): with random values every organisation route would stop at its 404 and nothing
behind the tenancy lookup would be exercised. Record ids stay generated, so routes on one
record mostly answer 404 unless the stateful phase finds real ids in earlier responses.

Prints the failures grouped by operation, check and status, the counts by check and by
status, every request that caused a server error with the exception the server logged,
and exits 1 when any check failed (2 when the run itself could not be completed).
"""

from __future__ import annotations

import argparse
import base64
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections import Counter
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

OWNER = "owner@example.com"
ORG_SLUG = "demo"
FRAMEWORK_CODE = "iso42001"
CHECKS = ("not_a_server_error", "status_code_conformance", "response_schema_conformance")
SCHEMA_PATH = "/api/v1/openapi.json"
START_TIMEOUT = 600  # seconds: `aims serve` collects and compresses static files first, and
# the machine may be busy with the other legs of `make test`; a guard against a hung server
STOP_TIMEOUT = 20
REQUEST_TIMEOUT = 120  # seconds; `aims serve` gives a gunicorn worker as long (--timeout 120)
# Read by schemathesis from its own environment, so the token never appears in a command line.
CONFIG = """\
headers = {{ Authorization = "Bearer ${{AIMS_FUZZ_TOKEN}}" }}

[generation]
# The token above is the credential; generated cookies or headers for the other schemes
# (the session cookie) would only add noise.
with-security-parameters = false

[parameters]
"path.slug" = "{slug}"
"path.code" = "{code}"
"""


class FuzzError(RuntimeError):
    """The throwaway instance could not be prepared or served; the message says why."""


class _Terminated(Exception):
    """SIGTERM arrived: unwind through the cleanup like Ctrl-C does."""


def _on_sigterm(signum, frame):
    raise _Terminated


# ---------------------------------------------------------------- the throwaway instance


def _environment(var_dir: Path) -> dict[str, str]:
    """This process's environment without any aims or database configuration, so the
    instance uses only the temporary directory (production settings, as `aims` defaults)."""
    env = {k: v for k, v in os.environ.items()
           if not k.startswith("AIMS_") and k not in ("DATABASE_URL", "DJANGO_SETTINGS_MODULE")}
    env["AIMS_VAR_DIR"] = str(var_dir)
    return env


def _aims(env: dict[str, str], *args: str) -> str:
    done = subprocess.run([sys.executable, "-m", "aims.cli", *args], env=env,
                          capture_output=True, text=True)
    if done.returncode != 0:
        raise FuzzError(f"`aims {' '.join(args)}` failed:\n{done.stdout}{done.stderr}")
    return done.stdout


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _answers(url: str) -> bool:
    # The first request of a worker builds the OpenAPI document: on a busy machine that takes
    # several seconds, which must not count as "not answering".
    try:
        with urllib.request.urlopen(url, timeout=60) as response:
            return response.status == 200
    except (urllib.error.URLError, OSError):
        return False


@contextmanager
def serving(env: dict[str, str], port: int, workers: int, log: Path) -> Iterator[str]:
    """`aims serve` in the background until the block ends; yields its base URL."""
    base_url = f"http://127.0.0.1:{port}"
    with log.open("wb") as out:
        # Its own session: the server (gunicorn and its workers) is stopped as one group, and
        # a Ctrl-C in the terminal reaches only this process, which then stops it in order.
        server = subprocess.Popen(
            [sys.executable, "-m", "aims.cli", "serve", "--host", "127.0.0.1",
             "--port", str(port), "--workers", str(workers)],
            env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True)
    try:
        deadline = time.monotonic() + START_TIMEOUT
        while not _answers(base_url + SCHEMA_PATH):
            if server.poll() is not None:
                raise FuzzError(f"`aims serve` exited with {server.returncode}:\n"
                                f"{_tail(log)}")
            if time.monotonic() > deadline:
                raise FuzzError(f"`aims serve` did not answer within {START_TIMEOUT}s:\n"
                                f"{_tail(log)}")
            time.sleep(0.5)
        yield base_url
    finally:
        _stop(server)


def _stop(server: subprocess.Popen) -> None:
    for sig in (signal.SIGTERM, signal.SIGKILL):
        try:
            os.killpg(server.pid, sig)
        except ProcessLookupError:
            break
        try:
            server.wait(timeout=STOP_TIMEOUT)
            break
        except subprocess.TimeoutExpired:
            continue
    server.wait()


def _tail(path: Path, lines: int = 30) -> str:
    try:
        return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])
    except OSError:
        return ""


# ---------------------------------------------------------------- reading the results


@dataclass
class Case:
    """One generated request whose response failed at least one check."""

    operation: str  # "GET /api/v1/…/{id}", as the schema names it
    status: int | None  # None: no response (connection error, timeout)
    checks: dict[str, str]  # failed check → the first line of its message
    request: str  # method, URL and body, for reproducing it
    response: str  # the start of the response body


@dataclass
class Results:
    cases: dict[str, Case] = field(default_factory=dict)  # by schemathesis' case id
    errors: list[str] = field(default_factory=list)  # operations that could not be tested
    tested: int | None = None


def _decode(content) -> str:
    """A body as the NDJSON report stores it: a string, or {"$base64": …}."""
    if isinstance(content, dict) and "$base64" in content:
        return base64.b64decode(content["$base64"]).decode("utf-8", errors="replace")
    return "" if content is None else str(content)


def _short(text: str, limit: int = 300) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[:limit] + "…"


def _escaped(text: str, limit: int = 300) -> str:
    """A request body on one line, control characters spelled out (a NUL is often the cause)."""
    text = "".join(ch if ch.isprintable() else repr(ch)[1:-1] for ch in text)
    return text if len(text) <= limit else text[:limit] + "…"


def read_events(path: Path) -> Results:
    """Collect the failed cases from schemathesis' NDJSON event report (one event a line)."""
    results = Results()
    with path.open(encoding="utf-8") as events:
        for line in events:
            event = json.loads(line)
            if "ScenarioFinished" in event:
                _read_scenario(event["ScenarioFinished"].get("recorder") or {}, results)
            elif "NonFatalError" in event:
                error = event["NonFatalError"]
                value = error.get("value") or {}
                results.errors.append(
                    f"{error.get('label', '?')} ({error.get('phase', '?')} phase): "
                    f"{value.get('type', 'Error')}: {_short(str(value.get('message', '')), 500)}")
            elif "FatalError" in event:
                results.errors.append(f"fatal: {_short(json.dumps(event['FatalError']), 500)}")
            elif "LoadingFinished" in event:
                stats = event["LoadingFinished"].get("statistic", {}).get("operations", {})
                results.tested = stats.get("selected")
    return results


def _read_scenario(recorder: dict, results: Results) -> None:
    cases = recorder.get("cases", {})
    interactions = recorder.get("interactions", {})
    for case_id, checks in recorder.get("checks", {}).items():
        failed = {c["name"]: _first_line(c) for c in reversed(checks)
                  if c.get("status") == "failure"}
        if not failed:
            continue
        value = cases.get(case_id, {}).get("value", {})
        operation = f"{value.get('method', '?')} {value.get('path', recorder.get('label', '?'))}"
        interaction = interactions.get(case_id) or {}
        request = interaction.get("request") or {}
        response = interaction.get("response") or {}
        body = _decode(request.get("body")) if "body" in request else ""
        known = results.cases.get(case_id)
        if known is not None:
            known.checks = {**failed, **known.checks}
            continue
        results.cases[case_id] = Case(
            operation=operation,
            status=response.get("status_code"),
            checks=failed,
            request=f"{request.get('method', value.get('method', '?'))} {request.get('uri', '?')}"
                    + (f"  body: {_escaped(body)}" if body else ""),
            response=_short(_decode(response.get("content"))),
        )


def _first_line(check: dict) -> str:
    failure = (check.get("failure_info") or {}).get("failure") or {}
    message = str(failure.get("message") or failure.get("title") or "")
    return message.strip().splitlines()[0] if message.strip() else ""


def _server_exceptions(log: Path) -> Counter:
    """The exception behind each 500 the server logged ("ValueError: …"), counted; the last
    one of a chain. Tracebacks logged for other statuses (a 400 on a broken body) are skipped."""
    found: Counter = Counter()
    state, exception = "idle", ""  # idle → error → frames → raised
    for line in log.read_text(errors="replace").splitlines():
        if state == "raised":
            if not line.strip():
                continue
            if line.startswith(("During handling", "The above exception")):
                state = "error"
                continue
            found[exception] += 1
            state = "idle"
        if line.startswith("Internal Server Error: "):
            state = "error"
        elif state == "error" and line.startswith("Traceback (most recent call last)"):
            state = "frames"
        elif state == "frames" and line.strip() and not line[0].isspace():
            state, exception = "raised", line
    if state == "raised":
        found[exception] += 1
    return found


def summarize(results: Results, server_log: Path | None, out=sys.stdout) -> None:
    def say(text: str = "") -> None:
        print(text, file=out)

    cases = list(results.cases.values())
    say()
    say(f"== aims fuzz: {len(cases)} failing requests"
        + (f" over {results.tested} operations" if results.tested is not None else ""))
    if not cases and not results.errors:
        return

    groups: Counter = Counter()
    reasons: dict[tuple, str] = {}
    for case in cases:
        for check, reason in case.checks.items():
            groups[(case.operation, check, case.status)] += 1
            reasons.setdefault((case.operation, check, case.status), reason)
    if groups:
        say()
        say("Failures by operation (method path  check  status  ×requests):")
        width = max(len(op) for op, _, _ in groups)
        def order(item):  # by path, then method, check and status
            (operation, check, status), _ = item
            method, _, path = operation.partition(" ")
            return path, method, check, status or 0

        for (operation, check, status), n in sorted(groups.items(), key=order):
            say(f"  {operation:<{width}}  {check:<28} {status if status is not None else '-':>4}"
                f"  ×{n}")
            if check == "response_schema_conformance":  # the only check whose why is not obvious
                say(f"  {'':<{width}}    {_short(reasons[(operation, check, status)], 160)}")

    by_check = Counter(check for case in cases for check in case.checks)
    by_status = Counter(case.status for case in cases)
    operations = {(case.operation, check) for case in cases for check in case.checks}
    say()
    say("By check (failing requests / operations):")
    for check, n in by_check.most_common():
        say(f"  {check:<28} {n:>6} / {sum(1 for _, c in operations if c == check)}")
    say("By status (failing requests / operations):")
    for status, n in sorted(by_status.items(), key=lambda kv: str(kv[0])):
        ops = {case.operation for case in cases if case.status == status}
        say(f"  {status if status is not None else 'none':<28} {n:>6} / {len(ops)}")

    server_errors = [c for c in cases if c.status is not None and c.status >= 500]
    if server_errors:
        say()
        say(f"Server errors ({len(server_errors)}):")
        shown: Counter = Counter()
        for case in sorted(server_errors, key=lambda c: c.operation):
            shown[case.operation] += 1
            if shown[case.operation] > 3:
                continue
            say(f"  [{case.status}] {case.request}")
            if case.response:
                say(f"        → {case.response}")
        hidden = sum(n - 3 for n in shown.values() if n > 3)
        if hidden:
            say(f"  … and {hidden} more on the same operations")
        if server_log is not None and server_log.exists():
            exceptions = _server_exceptions(server_log)
            if exceptions:
                say("Exceptions in the server log:")
                for text, n in exceptions.most_common():
                    say(f"  ×{n}  {_short(text, 200)}")

    if results.errors:
        say()
        say(f"Errors ({len(results.errors)}; these operations were not fully tested):")
        for error in results.errors:
            say(f"  {error}")


# ---------------------------------------------------------------- the run


def _st_command(args: argparse.Namespace, base_url: str, config: Path, report: Path,
                document: Path) -> list[str]:
    command = [
        sys.executable, "-m", "schemathesis.cli", "--config-file", str(config), "--no-color",
        # The document from a file: schemathesis gives a URL 10 s, and each server worker
        # builds the document on its first request, which can take longer on a busy machine.
        "run", str(document), "--url", base_url,
        "--checks", ",".join(CHECKS),
        # Otherwise an operation stops generating at its first failure, and while most
        # operations fail at once on an undocumented 404 or 422 the search for server errors
        # would hardly start.
        "--continue-on-failure",
        # schemathesis waits 10 s for a response by default. The audit pack is built whole
        # (PDFs included) before its first byte is sent, which on a busy two-core machine can
        # take longer; the fuzz run looks for wrong answers, not slow ones, so it waits as
        # long as the server's own worker timeout would let a request run.
        "--request-timeout", str(REQUEST_TIMEOUT),
        "--workers", str(args.workers),
        "--report", "ndjson", "--report-ndjson-path", str(report),
    ]
    if args.max_examples:
        command += ["--max-examples", str(args.max_examples)]
    if args.max_time:
        command += ["--max-time", str(args.max_time)]
    if args.seed is not None:
        command += ["--seed", str(args.seed)]
    if args.phases:
        command += ["--phases", args.phases]
    return command + list(args.st_args)


def _st_summary(output: str) -> str:
    """schemathesis' own closing summary (phases, failure codes, test case counts)."""
    marker = output.rfind("= SUMMARY =")
    return output[output.rfind("\n", 0, marker) + 1:] if marker >= 0 else output[-3000:]


def run(args: argparse.Namespace) -> int:
    with tempfile.TemporaryDirectory(prefix="aims-fuzz-") as tmp:
        root = Path(tmp)
        env = _environment(root / "var")
        started = time.monotonic()
        print(f"aims fuzz: preparing a throwaway instance in {root}", flush=True)
        _aims(env, "init")
        _aims(env, "demo")
        token = _aims(env, "token", "create", "--user", OWNER, "--name", "fuzz").strip()
        config = root / "schemathesis.toml"
        config.write_text(CONFIG.format(slug=ORG_SLUG, code=FRAMEWORK_CODE))
        report = root / "events.ndjson"
        st_output = root / "schemathesis.txt"
        server_log = root / "server.log"
        try:
            with serving(env, _free_port(), args.server_workers, server_log) as base_url:
                print(f"aims fuzz: serving on {base_url} "
                      f"(ready after {time.monotonic() - started:.0f}s); running schemathesis",
                      flush=True)
                document = root / "openapi.json"
                with urllib.request.urlopen(base_url + SCHEMA_PATH, timeout=120) as response:
                    document.write_bytes(response.read())
                command = _st_command(args, base_url, config, report, document)
                with st_output.open("w") as out:
                    # In the temporary directory: schemathesis keeps its caches in its cwd.
                    st = subprocess.run(command, cwd=root, env={**env, "AIMS_FUZZ_TOKEN": token},
                                        stdout=None if args.verbose else out,
                                        stderr=subprocess.STDOUT, text=True)
            if not args.verbose:
                print(_st_summary(st_output.read_text(errors="replace")))
            results = read_events(report) if report.exists() else Results()
            summarize(results, server_log)
        finally:
            if args.report_dir:
                _keep(root, Path(args.report_dir), (report, st_output, server_log))
        print(f"aims fuzz: {time.monotonic() - started:.0f}s in all; schemathesis exited "
              f"with {st.returncode}")
        if results.cases:
            return 1
        if st.returncode != 0 or results.errors or not report.exists():
            return 2
        return 0


def _keep(root: Path, target: Path, files: Sequence[Path]) -> None:
    target.mkdir(parents=True, exist_ok=True)
    for path in files:
        if path.exists():
            shutil.copy2(path, target / path.name)
    print(f"aims fuzz: reports kept in {target}")


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m aims.testing.fuzz",
        description="Fuzz every API operation of a throwaway aims with schemathesis.")
    parser.add_argument("--max-examples", type=int, default=None, metavar="N",
                        help="generated test cases per operation and phase "
                             "(schemathesis' default when omitted)")
    parser.add_argument("--max-time", type=int, default=None, metavar="SECONDS",
                        help="time budget for schemathesis: the run stops when it is spent, "
                             "and until then the fuzzing and stateful phases start over (so "
                             "the run takes the whole budget)")
    # One worker by default: schemathesis' workers are threads, and CPython 3.11 can fail them
    # with a spurious "SystemError: AST constructor recursion depth mismatch" (python/cpython
    # #106905), which leaves an operation untested; one worker also makes --seed reproducible.
    parser.add_argument("--workers", type=int, default=1, help="schemathesis workers (1)")
    parser.add_argument("--server-workers", type=int, default=2, help="gunicorn workers (2)")
    parser.add_argument("--seed", type=int, default=None, help="reproduce an earlier run")
    parser.add_argument("--phases", default=None,
                        help="comma-separated: examples, coverage, fuzzing, stateful (all)")
    parser.add_argument("--report-dir", default=None, metavar="DIR",
                        help="keep schemathesis' event report, its output and the server log")
    parser.add_argument("--verbose", action="store_true",
                        help="stream schemathesis' full output (every failure with a curl line)")
    parser.add_argument("st_args", nargs="*", metavar="-- ST_ARGS",
                        help="further options for `st run`, after `--`")
    return parser.parse_args(argv)


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    previous = signal.signal(signal.SIGTERM, _on_sigterm)
    try:
        return run(args)
    except FuzzError as exc:
        print(f"aims fuzz: {exc}", file=sys.stderr)
        return 2
    except (KeyboardInterrupt, _Terminated) as exc:
        print("aims fuzz: interrupted; the server is stopped and its directory removed",
              file=sys.stderr)
        return 143 if isinstance(exc, _Terminated) else 130
    finally:
        signal.signal(signal.SIGTERM, previous)


if __name__ == "__main__":
    sys.exit(main())
