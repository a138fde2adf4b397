from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from aims.ops.backup import BackupError, backup_write


class Command(BaseCommand):
    help = ("Write one archive of the whole installation: a consistent database snapshot, the "
            "stored files and a manifest of SHA-256 hashes: aims backup -o FILE")

    def add_arguments(self, parser):
        parser.add_argument("-o", "--output", required=True, help="The archive to write (tar).")

    def handle(self, *args, output, **opts):
        try:
            done = backup_write(Path(output))
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(f"Wrote {done.path}: the database and {done.files} stored file(s), "
                          f"{done.size} bytes.")
