"""Remove a user's second-factor devices after a lost phone: they enrol again at next login."""

from django.core.management.base import BaseCommand, CommandError

from backoffice.models import User
from backoffice.services.two_factor import otp_reset


class Command(BaseCommand):
    help = "Remove every two-factor device of the user with this e-mail (audited)."

    def add_arguments(self, parser):
        parser.add_argument("email")

    def handle(self, *args, email, **options):
        user = User.objects.filter(email=email.lower()).first()
        if user is None:
            raise CommandError(f"No user with the e-mail {email}.")
        removed = otp_reset(actor=None, user=user)
        self.stdout.write(self.style.SUCCESS(f"{removed} device(s) removed for {user.email}; "
                                             "they will enrol a new authenticator at their next login."))
