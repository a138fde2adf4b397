from django.core.management.base import BaseCommand, CommandError

from aims.accounts.throttle import lock_reset


class Command(BaseCommand):
    help = ("Lift a sign-in lock (too many failed attempts): aims unlock EMAIL, "
            "aims unlock --ip ADDRESS, or aims unlock --all")

    def add_arguments(self, parser):
        parser.add_argument("email", nargs="?", help="The account to unlock.")
        parser.add_argument("--ip", help="The client address to unlock.")
        parser.add_argument("--all", action="store_true",
                            help="Forget every recorded failure, for every account and address.")

    def handle(self, *args, email=None, ip=None, all=False, **opts):
        if all and (email or ip):
            raise CommandError("Give --all alone, or an e-mail address and/or --ip.")
        if not (all or email or ip):
            raise CommandError("Name an account (EMAIL), an address (--ip) or --all.")
        count = lock_reset(email=email, ip_address=ip)
        what = "every account and address" if all else " and ".join(
            x for x in (email and email.strip().lower(), ip and f"address {ip}") if x)
        self.stdout.write(f"Unlocked {what}: {count} failure record(s) cleared.")
