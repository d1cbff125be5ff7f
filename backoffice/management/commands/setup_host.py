"""First set-up of a real installation: the host cooperative's workspace and its first
administrator, invited by e-mail (one-time link to set a password, then 2FA enrolment).

    python manage.py setup_host --name "Coopérative X" --siren 123456789 --slug coop-x \\
        --admin-email admin@coop-x.fr --admin-first-name Ada --admin-last-name Martin \\
        --base-url https://mutualise.coop-x.fr
"""

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from backoffice.models import Workspace
from backoffice.services.invitations import invitation_send
from backoffice.services.workspaces import host_workspace_create
from backoffice.tenancy import staff_wide


class Command(BaseCommand):
    help = "Create the host cooperative's workspace (once) and invite its first administrator."

    def add_arguments(self, parser):
        parser.add_argument("--name", required=True)
        parser.add_argument("--siren", required=True)
        parser.add_argument("--slug", required=True)
        parser.add_argument("--legal-form", default="")
        parser.add_argument("--admin-email", required=True)
        parser.add_argument("--admin-first-name", required=True)
        parser.add_argument("--admin-last-name", required=True)
        parser.add_argument("--base-url", default=None, help="public address used in the invitation link")

    def handle(self, *args, **o):
        try:
            with transaction.atomic(), staff_wide("set-up creates the host workspace before any scope exists"):
                host = Workspace.objects.filter(kind="host").first()
                if host is None:
                    host = host_workspace_create(actor=None, slug=o["slug"], name=o["name"], siren=o["siren"],
                                                 legal_form=o["legal_form"])
                    self.stdout.write(f"Host workspace created: {host} ({host.slug}).")
                else:
                    self.stdout.write(f"The host workspace already exists: {host} ({host.slug}).")
                invitation_send(actor=None, workspace=host, email=o["admin_email"], role="host_admin",
                                first_name=o["admin_first_name"], last_name=o["admin_last_name"],
                                base_url=o["base_url"])
        except ValidationError as exc:
            raise CommandError("; ".join(exc.messages)) from exc
        self.stdout.write(self.style.SUCCESS(f"Invitation sent to {o['admin_email']}."))
