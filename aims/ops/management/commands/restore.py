import tempfile
from pathlib import Path

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from aims.activity.services import log_verify
from aims.evidence.selectors import files_verify
from aims.ops.backup import (
    BackupError,
    backup_check,
    installation_contents,
    migrations_unknown,
    restore_apply,
)
from aims.orgs.context import ctx_for_cli
from aims.orgs.models import Organization


class Command(BaseCommand):
    help = ("Restore an archive written by `aims backup` into an empty installation, after "
            "checking every hash in its manifest; then verify every organisation's activity "
            "log and evidence files: aims restore FILE [--force]")

    def add_arguments(self, parser):
        parser.add_argument("archive")
        parser.add_argument("--force", action="store_true",
                            help="Replace a non-empty installation (its database and stored "
                                 "files) with the backup.")

    def handle(self, *args, archive, force, **opts):
        path = Path(archive)
        try:
            with tempfile.TemporaryDirectory(prefix=".aims-restore-",
                                             dir=path.resolve().parent) as tmp:
                manifest = backup_check(path, Path(tmp))
                if unknown := migrations_unknown(manifest):
                    raise BackupError("The backup was made by a newer version of aims "
                                      f"({', '.join(unknown)}): upgrade aims, then restore.")
                contents = installation_contents()
                if not contents.empty and not force:
                    raise BackupError(
                        f"This installation is not empty ({contents.organisations} "
                        f"organisation(s), {contents.users} user(s), {contents.files} stored "
                        "file(s)): restore into an empty one, or pass --force to replace all "
                        "of it with the backup. Nothing was changed.")
                files = restore_apply(Path(tmp), manifest, replace_files=force)
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        # A backup from an earlier version is brought up to this one.
        call_command("migrate", interactive=False, verbosity=0)
        self.stdout.write(f"Restored the database of {manifest['created_at']} and {files} "
                          "stored file(s).")
        bad = self._verify()
        if bad:
            raise CommandError(f"Restored, but {bad} check(s) failed: see above.")

    def _verify(self) -> int:
        bad = 0
        for org in Organization.objects.order_by("slug"):
            log = log_verify(org=org)
            files = files_verify(ctx=ctx_for_cli(org.slug))
            if log.ok:
                self.stdout.write(f"{org.slug}: activity log intact ({log.checked} events).")
            else:
                bad += 1
                self.stderr.write(f"{org.slug}: activity log broken at event "
                                  f"#{log.first_bad_seq}: {log.problem}")
            if files.ok:
                self.stdout.write(f"{org.slug}: evidence files intact ({files.checked}).")
            else:
                bad += 1
                self.stderr.write(f"{org.slug}: {len(files.problems)} of {files.checked} "
                                  "evidence files missing or altered (aims evidence verify).")
        return bad
