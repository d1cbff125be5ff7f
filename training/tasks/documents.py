"""Rendering a funding request's documents in the background (Celery). Takes ids, enters the
request's workspace scope, calls the service. Idempotent: documents already stored are skipped."""

from __future__ import annotations

from celery import shared_task
from django.contrib.auth import get_user_model
from django_scopes import scope

from backoffice.models import Workspace
from training.models import FundingRequest
from training.services.documents import training_documents_store


@shared_task(bind=True, name="training.tasks.documents.render_request_documents")
def render_request_documents(self, workspace_id: int, request_id: int, user_id: int | None = None) -> int:
    workspace = Workspace.objects.get(pk=workspace_id)  # workspaces and users are not scoped
    actor = get_user_model().objects.filter(pk=user_id).first() if user_id else None
    with scope(workspace=workspace):
        request = FundingRequest.objects.select_related("session__course__body", "opco", "workspace").get(
            pk=request_id, workspace=workspace)
        return len(training_documents_store(actor=actor, request=request))
