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


class Command(BaseCommand):
    help = "Serve aims with gunicorn (several workers) and static files through whitenoise."

    def add_arguments(self, parser):
        parser.add_argument("--port", type=int, default=int(os.environ.get("AIMS_PORT", 8000)))
        parser.add_argument("--host", default=os.environ.get("AIMS_HOST", "127.0.0.1"))
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
