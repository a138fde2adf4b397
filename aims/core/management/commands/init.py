from django.core.management import call_command
from django.core.management.base import BaseCommand

from aims.catalog.services import catalog_load_all


class Command(BaseCommand):
    help = "Create or upgrade the database and load the catalog (safe to run again)."

    def handle(self, *args, **options):
        call_command("migrate", interactive=False, verbosity=0)
        for result in catalog_load_all():
            self.stdout.write(
                f"Catalog {result.framework.name}: {result.created} added, "
                f"{result.updated} updated, {result.framework.requirements.count()} in all."
            )
        from aims.compliance.services import compliance_items_ensure
        from aims.orgs.models import Organization

        added = sum(compliance_items_ensure(org=org) for org in Organization.objects.all())
        if added:
            self.stdout.write(f"Added {added} compliance items for new catalog requirements.")
        from aims.risks.services import methodology_defaults_ensure
        if given := methodology_defaults_ensure():
            self.stdout.write(f"Gave {given} organisations the default risk methodology.")
        self.stdout.write(self.style.SUCCESS("aims is initialised."))
