"""Render and store the documents of one funding request (convention, convocations,
émargement sheets, certificates, attestations)."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError
from django_scopes import scope

from backoffice.tenancy import staff_wide
from training.models import FundingRequest
from training.services.documents import training_documents_store


class Command(BaseCommand):
    help = "Render the training documents of a funding request and store them on its dossier."

    def add_arguments(self, parser):
        parser.add_argument("--funding-request", type=int, required=True, dest="funding_request")

    def handle(self, *args, funding_request: int, **options):
        with staff_wide("a staff command names the request by id, whatever its workspace"):
            request = (FundingRequest.objects.select_related("workspace", "session__course__body", "opco")
                       .filter(pk=funding_request).first())
        if request is None:
            raise CommandError(f"no funding request {funding_request}")
        with scope(workspace=request.workspace):
            stored = training_documents_store(actor=None, request=request)
        for document in stored:
            self.stdout.write(f"stored #{document.pk} {document.title}")
        self.stdout.write(f"{len(stored)} document(s) stored for request {request.pk} ({request.workspace.slug}).")
