from django.core.management.base import BaseCommand
from django.db import transaction

from sandbox.demo.pages import ensure_home_page
from sandbox.demo.people import USERS, ensure_users
from sandbox.demo.sla import ensure_service_levels
from sandbox.demo.support import ensure_support_section
from sandbox.demo.tickets import ensure_canned_answers, ensure_tickets


class Command(BaseCommand):
    help = "Creates (or restores) the sandbox's demo users and pages. Safe to run again."

    def add_arguments(self, parser):
        parser.add_argument("--quiet-logins", action="store_true", help="Do not print the logins.")

    @transaction.atomic
    def handle(self, *args, quiet_logins=False, **options):
        users = ensure_users()
        home = ensure_home_page()
        ensure_service_levels()
        ensure_support_section(home)
        ensure_tickets(users)
        ensure_canned_answers()
        self.stdout.write(self.style.SUCCESS("Demo data is in place."))
        if not quiet_logins:
            self.stdout.write("Logins (username / password, role):")
            for spec in USERS:
                where = spec.group or ("admin" if spec.superuser else "customer")
                self.stdout.write(f"  {spec.username:<8} {spec.password:<17} {spec.role} ({where})")
            self.stdout.write("Site: http://127.0.0.1:8000/   Admin: http://127.0.0.1:8000/admin/")
