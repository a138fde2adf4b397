from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from aims.activity.anchors import anchor_key_create
from aims.activity.keys import key_file_create
from aims.activity.selectors import orgs_with_unsealed_events
from aims.activity.services import log_seal
from aims.catalog.services import catalog_load_all
from aims.core.errors import DomainError
from aims.records import hooks


class Command(BaseCommand):
    help = "Create or upgrade the database and load the catalog (safe to run again)."

    def handle(self, *args, **options):
        # The activity log's keys live outside the database: created once, owner-only.
        for path in (key_file_create(), anchor_key_create()):
            if path:
                self.stdout.write(f"Created {path} (keep a copy apart from the database).")
        call_command("migrate", interactive=False, verbosity=0)
        for result in catalog_load_all():
            self.stdout.write(
                f"Catalog {result.framework.name}: {result.created} added, "
                f"{result.updated} updated, {result.framework.requirements.count()} in all"
                + (f"; {result.mappings} crosswalk rows added or changed." if result.mappings
                   else ".")
            )
        # Each app brings existing organisations up to date (new catalog requirements, seeds).
        for line in hooks.run(hooks.INSTANCE_UPGRADE):
            if line:
                self.stdout.write(line)
        # Logs written before keyed sealing are re-sealed under the key (when still intact).
        broken = []
        for org in orgs_with_unsealed_events():
            try:
                done = log_seal(org=org, actor_label="aims init")
            except DomainError as exc:
                broken.append(exc.message)
                continue
            self.stdout.write(f"Activity log of {org.slug}: {done.resealed} events re-sealed "
                              f"under key {done.key_id}.")
        if broken:
            raise CommandError(" ".join(broken) + " Investigate before trusting that log.")
        self.stdout.write(self.style.SUCCESS("aims is initialised."))
