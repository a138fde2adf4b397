import hashlib
import os
import shutil
import signal
import subprocess
import sys
from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

# Django's own check (security.W009) wants at least this many characters in a secret key.
MIN_SECRET_KEY = 50


def production_problems(environ=os.environ) -> list[str]:
    """What stops a production start (AIMS_ENV=production): the secret key and the host names
    must be set explicitly, not left to the generated key and the local defaults."""
    problems = []
    key = environ.get("AIMS_SECRET_KEY", "")
    if not key:
        problems.append("AIMS_SECRET_KEY is not set (the key generated into the var directory "
                        "is for a single machine; give every app server the same key)")
    elif len(key) < MIN_SECRET_KEY:
        problems.append(f"AIMS_SECRET_KEY is shorter than {MIN_SECRET_KEY} characters")
    if not [h for h in environ.get("AIMS_ALLOWED_HOSTS", "").split(",") if h.strip()]:
        problems.append("AIMS_ALLOWED_HOSTS is not set (the host names this instance answers "
                        "to, comma-separated)")
    return problems


def default_host() -> str:
    return os.environ.get("AIMS_HOST", "127.0.0.1")


def default_port() -> int:
    return int(os.environ.get("AIMS_PORT", 8000))


def sign_in_url() -> str:
    """Where people open aims: $AIMS_BASE_URL, else the address `aims serve` binds to."""
    if base := os.environ.get("AIMS_BASE_URL"):
        return base.rstrip("/") + "/"
    host = default_host()
    # A server bound to every interface is still opened through this machine's address.
    shown = "127.0.0.1" if host in ("0.0.0.0", "::", "") else host
    return f"http://{shown}:{default_port()}/"


STATIC_STAMP = ".collected-from"  # in STATIC_ROOT: the fingerprint of what was collected


def static_sources() -> str:
    """A fingerprint of every static file the finders offer (path, size, modification time)
    and of the storage that collects them: it changes whenever collecting would."""
    from django.contrib.staticfiles.finders import get_finders

    entries = []
    for finder in get_finders():
        for path, storage in finder.list(["CVS", ".*", "*~"]):
            stat = os.stat(storage.path(path))
            prefix = getattr(storage, "prefix", None) or ""
            entries.append(f"{prefix}/{path}\0{stat.st_size}\0{stat.st_mtime_ns}")
    entries.append(f"{settings.STATIC_URL}\0{settings.STORAGES['staticfiles']}")
    return hashlib.sha256("\n".join(sorted(entries)).encode()).hexdigest()


def static_collect() -> bool:
    """Collect (and compress) the static files unless STATIC_ROOT already holds exactly the
    current ones; True if it collected. Compressing takes most of a start otherwise."""
    root = Path(settings.STATIC_ROOT)
    stamp = root / STATIC_STAMP
    current = static_sources()
    if stamp.is_file() and stamp.read_text(encoding="ascii").strip() == current:
        return False
    stamp.unlink(missing_ok=True)  # an interrupted collection is never taken for a whole one
    call_command("collectstatic", interactive=False, verbosity=0)
    stamp.write_text(current + "\n", encoding="ascii")
    return True


class Command(BaseCommand):
    help = "Serve aims with gunicorn (several workers) and static files through whitenoise."

    def add_arguments(self, parser):
        parser.add_argument("--port", type=int, default=default_port())
        parser.add_argument("--host", default=default_host())
        parser.add_argument("--workers", type=int,
                            default=int(os.environ.get("AIMS_WORKERS", 3)))
        parser.add_argument("--no-worker", action="store_true",
                            default=os.environ.get("AIMS_SERVE_WORKER", "1") == "0",
                            help="Start no background worker beside the web server (run "
                                 "`aims worker` yourself, e.g. on other machines).")
        parser.add_argument("--static-only", action="store_true",
                            help="Only collect the static files (when they changed since the "
                                 "last collection) and exit.")

    def handle(self, *args, port, host, workers, no_worker, static_only, **options):
        production = os.environ.get("AIMS_ENV", "").strip().lower() == "production"
        if production and (problems := production_problems()):
            raise CommandError("Not starting in production (AIMS_ENV=production): "
                               + "; ".join(problems) + ".")
        collected = static_collect()
        if static_only:
            self.stdout.write(f"Static files {'collected' if collected else 'up to date'} in "
                              f"{settings.STATIC_ROOT}.")
            return
        self.stdout.write(f"aims on http://{host}:{port}/ ({workers} workers, DEBUG={settings.DEBUG})")
        sys.stdout.flush()
        argv = [
            sys.executable, "-m", "gunicorn", "config.wsgi:application",
            "--bind", f"{host}:{port}", "--workers", str(workers),
            "--access-logfile", "-", "--timeout", "120",
            # aims drives gunicorn by signals only; its control socket (one path in $HOME by
            # default) would be shared by every app server on the machine.
            "--no-control-socket",
        ]
        # Every process writes its metrics here; /metrics adds them up (prometheus_client's
        # multiprocess mode). Emptied at each start: counters begin again with the server.
        metrics_dir = settings.VAR_DIR / "metrics"
        shutil.rmtree(metrics_dir, ignore_errors=True)
        metrics_dir.mkdir(parents=True)
        os.environ["PROMETHEUS_MULTIPROC_DIR"] = str(metrics_dir)
        if no_worker:
            os.execvp(argv[0], argv)
        self.stdout.write("with a background worker beside it (aims worker)")
        sys.stdout.flush()
        children = [subprocess.Popen([sys.executable, "-m", "aims.cli", "worker"]),
                    subprocess.Popen(argv)]
        raise SystemExit(run_together(children))


def run_together(children: list[subprocess.Popen]) -> int:
    """Wait until one child ends (or we are told to stop), then stop the others; the exit
    status of the first to end."""
    def stop(signum, frame):
        for child in children:
            if child.poll() is None:
                child.send_signal(signal.SIGTERM)

    for sig in (signal.SIGINT, signal.SIGTERM):
        signal.signal(sig, stop)
    status = None
    while status is None:
        for child in children:
            try:
                code = child.wait(timeout=0.5)
            except subprocess.TimeoutExpired:
                continue
            status = code
            break
    stop(signal.SIGTERM, None)
    for child in children:
        try:
            child.wait(timeout=30)
        except subprocess.TimeoutExpired:
            child.kill()
    return status
