from django.core.management import call_command
from django.core.management.base import BaseCommand

from aims.catalog.services import catalog_load_all
from aims.records import hooks


class Command(BaseCommand):
    help = "Create or upgrade the database and load the catalog (safe to run again)."

    def handle(self, *args, **options):
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
        self.stdout.write(self.style.SUCCESS("aims is initialised."))
