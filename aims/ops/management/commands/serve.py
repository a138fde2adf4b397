import os
import sys

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


class Command(BaseCommand):
    help = "Serve aims with gunicorn (several workers) and static files through whitenoise."

    def add_arguments(self, parser):
        parser.add_argument("--port", type=int, default=default_port())
        parser.add_argument("--host", default=default_host())
        parser.add_argument("--workers", type=int,
                            default=int(os.environ.get("AIMS_WORKERS", 3)))

    def handle(self, *args, port, host, workers, **options):
        production = os.environ.get("AIMS_ENV", "").strip().lower() == "production"
        if production and (problems := production_problems()):
            raise CommandError("Not starting in production (AIMS_ENV=production): "
                               + "; ".join(problems) + ".")
        call_command("collectstatic", interactive=False, verbosity=0)
        self.stdout.write(f"aims on http://{host}:{port}/ ({workers} workers, DEBUG={settings.DEBUG})")
        sys.stdout.flush()
        argv = [
            sys.executable, "-m", "gunicorn", "config.wsgi:application",
            "--bind", f"{host}:{port}", "--workers", str(workers),
            "--access-logfile", "-", "--timeout", "120",
        ]
        os.execvp(argv[0], argv)
