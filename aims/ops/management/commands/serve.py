import os
import sys

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand


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
        call_command("collectstatic", interactive=False, verbosity=0)
        self.stdout.write(f"aims on http://{host}:{port}/ ({workers} workers, DEBUG={settings.DEBUG})")
        sys.stdout.flush()
        argv = [
            sys.executable, "-m", "gunicorn", "config.wsgi:application",
            "--bind", f"{host}:{port}", "--workers", str(workers),
            "--access-logfile", "-", "--timeout", "120",
        ]
        os.execvp(argv[0], argv)
