"""Reading the network directory.

`published_profiles` is the one place where a workspace reads rows of other workspaces
(besides staff): it returns only the published fields (PUBLISHED_FIELDS: never an e-mail,
NIR, pay, contract or IBAN) of published profiles of workspaces that joined the directory,
and only to a member of a workspace that joined too.
"""

from __future__ import annotations

from django.conf import settings
from django.db.models import Count, F, Q
from django.http import Http404

from alumni.models import ContactRequest, DirectoryMembership, DirectoryProfile, DirectorySearch
from alumni.models.directory import PUBLISHED_FIELDS
from backoffice.models import Workspace
from backoffice.roles import Perm
from backoffice.tenancy import Actor, staff_wide

PAGE_SIZE = 50


def has_joined(workspace: Workspace) -> bool:
    return DirectoryMembership.objects.filter(workspace=workspace).exists()


def _is_postgres() -> bool:
    return settings.DATABASES["default"]["ENGINE"].endswith("postgresql")


def published_profiles(actor: Actor, *, q: str = "", trade: str = "", skill: str = "", area: str = "",
                       cae: str = "", limit: int = PAGE_SIZE) -> list[dict]:
    """Search the directory for `actor`. Crosses workspaces on purpose: the directory exists so
    that members of different cooperatives find each other, and every workspace listed chose
    to join it and every profile chose to be published. Returns dicts of PUBLISHED_FIELDS only.
    404 when the actor's workspace has not joined (it sees nothing and is not listed)."""
    actor.require(Perm.DIRECTORY_USE)
    if actor.workspace is None or not has_joined(actor.workspace):
        raise Http404
    with staff_wide("the directory: published fields of opted-in profiles of joined workspaces"):
        joined = DirectoryMembership.objects.values("workspace_id")
        qs = DirectoryProfile.objects.filter(published=True, workspace_id__in=joined, workspace__is_active=True)
        if trade:
            qs = qs.filter(trade__icontains=trade)
        if skill:
            qs = qs.filter(skills__icontains=skill)
        if area:
            qs = qs.filter(area__icontains=area)
        if cae:
            qs = qs.filter(Q(workspace__slug=cae) | Q(workspace__origin__slug=cae))
        q = q.strip()
        if q and _is_postgres():
            from django.contrib.postgres.search import SearchQuery, SearchRank

            # search_vector is stored (a trigger keeps it, weights in SEARCH_VECTOR_SQL) and GIN
            # indexed: the match is an index lookup, the rank reads the stored vector.
            query = SearchQuery(q, config="french", search_type="websearch")
            qs = (qs.filter(search_vector=query).annotate(rank=SearchRank(F("search_vector"), query))
                  .order_by("-rank", "display_name"))
        elif q:
            for word in q.split():
                qs = qs.filter(Q(display_name__icontains=word) | Q(trade__icontains=word) | Q(skills__icontains=word)
                               | Q(description__icontains=word) | Q(area__icontains=word)
                               | Q(certifications__icontains=word))
            qs = qs.order_by("display_name")
        else:
            qs = qs.order_by("display_name")
        rows = list(qs.values(*PUBLISHED_FIELDS)[:limit])
    return rows


def published_profile(actor: Actor, pk: int) -> DirectoryProfile:
    """One published profile of a joined workspace (for a contact request), else 404: a withdrawn
    or unpublished profile, or a workspace that left, is not found. Crosses workspaces for the
    same reason as `published_profiles`; the caller never shows its contact e-mail."""
    actor.require(Perm.DIRECTORY_USE)
    if actor.workspace is None or not has_joined(actor.workspace):
        raise Http404
    with staff_wide("the directory: a contact request reaches an opted-in profile of another workspace"):
        profile = (DirectoryProfile.objects.filter(pk=pk, published=True, workspace__is_active=True,
                                                   workspace_id__in=DirectoryMembership.objects.values("workspace_id"))
                   .select_related("workspace").first())
    if profile is None:
        raise Http404
    return profile


def own_profiles(workspace: Workspace):
    """The workspace's profiles, by name (a queryset: the page shows them 50 at a time)."""
    return DirectoryProfile.objects.filter(workspace=workspace).order_by("display_name", "pk")


def get_own_profile(actor: Actor, pk: int) -> DirectoryProfile:
    actor.require(Perm.DIRECTORY_MANAGE)
    profile = DirectoryProfile.objects.filter(pk=pk).first()
    if profile is None or actor.workspace is None or profile.workspace_id != actor.workspace.pk:
        raise Http404
    return profile


def directory_figures() -> list[dict]:
    """Per workspace that joined: published profiles, searches, contact requests sent and received."""
    with staff_wide("staff see the directory's figures of every CAE"):
        members = list(DirectoryMembership.objects.select_related("workspace").order_by("workspace__name"))
        ids = [m.workspace_id for m in members]
        profiles = dict(DirectoryProfile.objects.filter(workspace_id__in=ids, published=True)
                        .values_list("workspace_id").annotate(n=Count("pk")))
        searches = dict(DirectorySearch.objects.filter(workspace_id__in=ids)
                        .values_list("workspace_id").annotate(n=Count("pk")))
        sent = dict(ContactRequest.objects.filter(sender_workspace_id__in=ids)
                    .values_list("sender_workspace_id").annotate(n=Count("pk")))
        received = dict(ContactRequest.objects.filter(workspace_id__in=ids)
                        .values_list("workspace_id").annotate(n=Count("pk")))
    return [{"workspace": m.workspace, "joined_at": m.joined_at, "profiles": profiles.get(m.workspace_id, 0),
             "searches": searches.get(m.workspace_id, 0), "sent": sent.get(m.workspace_id, 0),
             "received": received.get(m.workspace_id, 0)} for m in members]
