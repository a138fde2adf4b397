"""Run a command against a throwaway PostgreSQL cluster, then remove every trace of it.

    python -m aims.testing.pg_cluster -- pytest -m "not browser"

The cluster lives in a temporary directory, listens on a free port on 127.0.0.1 (its unix
socket stays in that directory, so it never collides with a system cluster), trusts local
connections and skips every fsync: it exists only for the tests. The command gets
DATABASE_URL pointing at the `postgres` database; pytest-django creates `test_postgres` itself.
The cluster is stopped and its directory removed however the command ends, Ctrl-C included.
"""

from __future__ import annotations

import os
import pwd
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

DEBIAN_ROOT = Path("/usr/lib/postgresql")
TOOLS = ("initdb", "pg_ctl", "postgres")
ROOT_USER = "postgres"  # created by Debian's postgresql package
FALLBACK_USER = "aims-pg"
START_ATTEMPTS = 3  # a free port can be taken between probing and binding

# Only the tests ever see this data: durability buys nothing and costs most of the time.
SETTINGS = {
    "listen_addresses": "'127.0.0.1'",
    "fsync": "off",
    "full_page_writes": "off",
    "synchronous_commit": "off",
}


class ClusterError(RuntimeError):
    """The cluster could not be found, created or started; the message says what to do."""


class _Terminated(Exception):
    """SIGTERM arrived: unwind through the `finally` blocks like Ctrl-C does."""


@dataclass(frozen=True)
class Binaries:
    bin_dir: Path
    version: str

    def tool(self, name: str) -> str:
        return str(self.bin_dir / name)


def _has_tools(bin_dir: Path) -> bool:
    return all((bin_dir / t).is_file() and os.access(bin_dir / t, os.X_OK) for t in TOOLS)


def _version_key(path: Path) -> tuple[int, ...]:
    return tuple(int(p) for p in re.findall(r"\d+", path.name)) or (0,)


def find_binaries() -> Binaries:
    """AIMS_PG_BIN if set, else the highest version under /usr/lib/postgresql/, else PATH."""
    if env := os.environ.get("AIMS_PG_BIN"):
        bin_dir = Path(env).expanduser()
        if not _has_tools(bin_dir):
            raise ClusterError(f"AIMS_PG_BIN={env} does not contain {', '.join(TOOLS)}.")
    else:
        candidates = sorted(
            (d / "bin" for d in DEBIAN_ROOT.glob("*") if _has_tools(d / "bin")),
            key=lambda b: _version_key(b.parent),
        )
        on_path = shutil.which("pg_ctl")
        if candidates:
            bin_dir = candidates[-1]
        elif on_path and _has_tools(Path(on_path).parent):
            bin_dir = Path(on_path).parent
        else:
            raise ClusterError(
                "No PostgreSQL server found (looked for initdb, pg_ctl and postgres in "
                f"{DEBIAN_ROOT}/<version>/bin and on PATH). Install it (Debian/Ubuntu: "
                "apt-get install postgresql) or set AIMS_PG_BIN to the directory holding them."
            )
    out = subprocess.run([str(bin_dir / "postgres"), "--version"], capture_output=True,
                         text=True, check=False).stdout
    match = re.search(r"\d+(?:\.\d+)*", out)
    return Binaries(bin_dir, match.group(0) if match else "unknown")


def _server_user() -> str | None:
    """Who runs the server: None for the current user; as root, an unprivileged account."""
    if os.geteuid() != 0:
        return None
    for name in (ROOT_USER, FALLBACK_USER):
        try:
            pwd.getpwnam(name)
            return name
        except KeyError:
            continue
    proc = subprocess.run(["useradd", "--system", "--no-create-home", "--shell",
                           "/usr/sbin/nologin", FALLBACK_USER],
                          capture_output=True, text=True, check=False)
    if proc.returncode != 0:
        raise ClusterError(f"PostgreSQL will not run as root and there is no {ROOT_USER} user; "
                           f"creating {FALLBACK_USER} failed: {proc.stderr.strip()}")
    return FALLBACK_USER


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Cluster:
    """One throwaway cluster: `start()` creates and starts it, `stop()` removes all of it."""

    def __init__(self, binaries: Binaries) -> None:
        self.binaries = binaries
        self.os_user = _server_user()
        self.db_user = self.os_user or pwd.getpwuid(os.geteuid()).pw_name
        self.root: Path | None = None
        self.port: int | None = None

    @property
    def data_dir(self) -> Path:
        assert self.root is not None
        return self.root / "data"

    @property
    def url(self) -> str:
        return f"postgres://{self.db_user}@127.0.0.1:{self.port}/postgres"

    def _run(self, argv: list[str], **kwargs) -> subprocess.CompletedProcess:
        if self.os_user:
            argv = ["runuser", "-u", self.os_user, "--", *argv]
        # cwd inside our directory: as another user the caller's cwd may be unreadable.
        return subprocess.run(argv, cwd=self.root, capture_output=True, text=True,
                              check=False, **kwargs)

    def _check(self, proc: subprocess.CompletedProcess, what: str) -> None:
        if proc.returncode != 0:
            log = self.root / "server.log" if self.root else None
            tail = log.read_text(errors="replace")[-2000:] if log and log.exists() else ""
            raise ClusterError(f"{what} failed (exit {proc.returncode}):\n"
                               f"{proc.stdout}{proc.stderr}{tail}".rstrip())

    def _make_root(self) -> Path:
        self.root = root = Path(tempfile.mkdtemp(prefix="aims-pg-"))
        if self.os_user:
            entry = pwd.getpwnam(self.os_user)
            os.chown(self.root, entry.pw_uid, entry.pw_gid)
            probe = self._run(["test", "-w", str(self.root)])
            if probe.returncode != 0:
                raise ClusterError(
                    f"{self.os_user} cannot reach {self.root}: point TMPDIR at a directory "
                    "every user can traverse (such as /tmp)."
                )
        return root

    def start(self) -> None:
        root = self._make_root()
        self._check(self._run([
            self.binaries.tool("initdb"), "-D", str(self.data_dir), "-U", self.db_user,
            "--auth=trust", "--encoding=UTF8", "--locale=C", "--no-sync",
        ]), "initdb")
        settings = {**SETTINGS, "unix_socket_directories": f"'{root}'"}
        with (self.data_dir / "postgresql.conf").open("a", encoding="utf-8") as conf:
            conf.write("\n# aims.testing.pg_cluster\n")
            conf.writelines(f"{k} = {v}\n" for k, v in settings.items())
        for attempt in range(1, START_ATTEMPTS + 1):
            self.port = _free_port()
            proc = self._run(
                [self.binaries.tool("pg_ctl"), "-D", str(self.data_dir),
                 "-l", str(root / "server.log"), "-o", f"-p {self.port}",
                 "-w", "-t", "60", "start"],
                # Its own session: a Ctrl-C meant for the tests must not shut it down under them.
                start_new_session=True,
            )
            if proc.returncode == 0:
                return
            if attempt == START_ATTEMPTS:
                self._check(proc, "pg_ctl start")

    def stop(self) -> None:
        if self.root is None:
            return
        try:
            if (self.data_dir / "postmaster.pid").exists():
                proc = self._run([self.binaries.tool("pg_ctl"), "-D", str(self.data_dir),
                                  "-m", "immediate", "-w", "-t", "30", "stop"])
                if proc.returncode != 0:
                    self._kill_postmaster()
        finally:
            shutil.rmtree(self.root, ignore_errors=True)
            self.root = None

    def _kill_postmaster(self) -> None:
        try:
            pid = int((self.data_dir / "postmaster.pid").read_text().split()[0])
            os.kill(pid, signal.SIGQUIT)  # the postmaster's "immediate shutdown"
        except (OSError, ValueError, IndexError):
            pass


def _on_sigterm(signum, frame):
    raise _Terminated


def run_command(command: Sequence[str], env: dict[str, str]) -> int:
    """Run `command` to completion; on Ctrl-C or SIGTERM give it a moment to tidy up first."""
    child = subprocess.Popen(list(command), env=env)
    try:
        return child.wait()
    except KeyboardInterrupt:
        # A terminal Ctrl-C reached the child too; a SIGINT sent to us alone is passed on
        # if the child is still running shortly after.
        return _reap(child, 130, first=lambda: child.send_signal(signal.SIGINT))
    except _Terminated:
        child.terminate()
        return _reap(child, 143)


def _reap(child: subprocess.Popen, code: int, first=None) -> int:
    """Wait for `child`, escalating (first → SIGTERM → SIGKILL) every few seconds."""
    steps = [None, *([first] if first else []), child.terminate, child.kill]
    for step in steps:
        if step is not None:
            step()
        try:
            child.wait(timeout=5)
            return code
        except (subprocess.TimeoutExpired, KeyboardInterrupt):
            continue
    return code


def main(argv: Sequence[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    if args[:1] == ["--"]:
        args = args[1:]
    if not args:
        print("usage: python -m aims.testing.pg_cluster -- COMMAND [ARG ...]",
              file=sys.stderr)
        return 2
    previous = signal.signal(signal.SIGTERM, _on_sigterm)
    cluster: Cluster | None = None
    try:
        cluster = Cluster(find_binaries())
        cluster.start()
        print(f"pg_cluster: PostgreSQL {cluster.binaries.version} on 127.0.0.1:{cluster.port} "
              f"({cluster.binaries.bin_dir})", file=sys.stderr, flush=True)
        return run_command(args, {**os.environ, "DATABASE_URL": cluster.url})
    except ClusterError as exc:
        print(f"pg_cluster: {exc}", file=sys.stderr)
        return 1
    except (KeyboardInterrupt, _Terminated):
        return 130
    finally:
        if cluster is not None:
            cluster.stop()
        signal.signal(signal.SIGTERM, previous)


if __name__ == "__main__":
    sys.exit(main())
