"""One lookup helper per model: 404 for "does not exist" and "not yours" alike.

They run inside the request's workspace scope (set by WorkspaceMiddleware), so a row of
another workspace is simply not found; the actor's permission is then checked (403).
"""

from __future__ import annotations

from django.http import Http404
from django.shortcuts import get_object_or_404

from backoffice.models import Document, Dossier, Entrepreneur, PriceLine, ServiceAgreement, Workspace
from backoffice.roles import Perm
from backoffice.tenancy import Actor


def in_actor_workspace(actor: Actor, obj):
    """`obj` if it belongs to the actor's workspace, else 404 (used by every app's lookups)."""
    if actor.workspace is None or obj.workspace_id != actor.workspace.pk:
        raise Http404
    return obj


def get_dossier(actor: Actor, pk: int) -> Dossier:
    actor.require(Perm.DOSSIER_VIEW)
    dossier = get_object_or_404(Dossier.objects.select_related("workspace", "assignee"), pk=pk)
    return in_actor_workspace(actor, dossier)


def get_document(actor: Actor, pk: int) -> Document:
    actor.require(Perm.DOCUMENT_VIEW)
    document = get_object_or_404(Document, pk=pk)
    if document.internal and not actor.has(Perm.DOCUMENT_VIEW_INTERNAL):
        raise Http404
    return in_actor_workspace(actor, document)


def get_entrepreneur(actor: Actor, pk: int) -> Entrepreneur:
    actor.require(Perm.ENTREPRENEUR_VIEW)
    return in_actor_workspace(actor, get_object_or_404(Entrepreneur, pk=pk))


def get_agreement(actor: Actor, pk: int) -> ServiceAgreement:
    actor.require(Perm.AGREEMENT_VIEW)
    return in_actor_workspace(actor, get_object_or_404(ServiceAgreement, pk=pk))


def get_price_line(actor: Actor, pk: int) -> PriceLine:
    actor.require(Perm.AGREEMENT_VIEW)
    return in_actor_workspace(actor, get_object_or_404(PriceLine.objects.select_related("agreement"), pk=pk))


def get_workspace_for_staff(actor: Actor, slug: str) -> Workspace:
    """A workspace by slug, from the staff area (any workspace: staff act for all of them)."""
    actor.require(Perm.STAFF_AREA)
    if not actor.is_staff or actor.workspace is not None:
        raise Http404
    return get_object_or_404(Workspace.objects.select_related("origin"), slug=slug)
