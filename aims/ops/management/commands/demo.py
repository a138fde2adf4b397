from django.core.management.base import BaseCommand, CommandError

from aims.demo.build import DEFAULT_PASSWORD, demo_create
from aims.demo.enterprise import SCALES, scale_create
from aims.ops.management.commands.serve import sign_in_url


class Command(BaseCommand):
    help = ("Create the demo organisation 'demo' and one user per role (safe to run again); "
            "with --scale, a large organisation for trying aims at size and benchmarking it.")

    def add_arguments(self, parser):
        parser.add_argument("--password", default=DEFAULT_PASSWORD,
                            help=f"Password of every demo user (default: {DEFAULT_PASSWORD}).")
        parser.add_argument("--url", default=None,
                            help="The address to print for signing in (default: $AIMS_BASE_URL, "
                                 "else the address `aims serve` uses: $AIMS_HOST and $AIMS_PORT, "
                                 "127.0.0.1:8000 when unset).")
        parser.add_argument("--scale", choices=sorted(SCALES), default=None,
                            help="Build a large organisation instead: 'enterprise' has 1,000 AI "
                                 "systems, 20,000 risks, 5,000 impact assessments, 100,000 "
                                 "pieces of evidence, 20,000 tasks and 500 members.")
        parser.add_argument("--org", default="enterprise",
                            help="Slug of the large organisation (default: enterprise).")
        parser.add_argument("--tenants", type=int, default=0,
                            help="How many small client organisations to add beside it "
                                 "(<org>-client-001 …; default 0).")
        parser.add_argument("--factor", type=float, default=1.0,
                            help="Multiply every size of --scale by this (e.g. 0.1 for a "
                                 "tenth; default 1).")

    def handle(self, *args, password, url=None, scale=None, org="enterprise", tenants=0,
               factor=1.0, **options):
        if scale is None:
            result = demo_create(password=password)
            state = "Created" if result.created else "Already present:"
            self.stdout.write(f"{state} organisation '{result.org.slug}' ({result.org.name}).")
            users = result.users
        else:
            if tenants < 0 or factor <= 0:
                raise CommandError("--tenants must be 0 or more and --factor above 0.")
            sizes = SCALES[scale].scaled(factor)
            big = scale_create(slug=org, sizes=sizes, tenants=tenants, password=password)
            state = "Created" if big.created else "Already present:"
            self.stdout.write(
                f"{state} organisation '{big.org.slug}' ({big.org.name}): "
                f"{sizes.systems} AI systems, {sizes.risks} risks, {sizes.assessments} impact "
                f"assessments, {sizes.evidence} pieces of evidence, {sizes.tasks} tasks, "
                f"{sizes.members} members; {big.tenants_created} of {tenants} client "
                "organisations created.")
            users = big.users
        self.stdout.write(f"Sign in at {url or sign_in_url()} with any of these (password "
                          f"{password!r}):")
        for role, email in users.items():
            self.stdout.write(f"  {role:<8} {email}")
