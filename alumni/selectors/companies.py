"""Reads of alumni companies: the company of a workspace, the staff-wide list."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q
from django.http import Http404
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from alumni.models import AlumniCompany, Founder, RevenueDeclaration
from backoffice.models import Dossier, Workspace, WorkspaceKind
from backoffice.models.dossiers import OPEN_STATUSES
from backoffice.roles import Perm
from backoffice.tenancy import Actor, staff_wide

FOLLOW_UP_KIND = "alumni_followup"
SERVICE_REQUEST_KIND = "alumni_service_request"


def company_of(workspace: Workspace) -> AlumniCompany | None:
    """The alumni company of `workspace` (inside its scope), with its founders; None if not set up."""
    return (AlumniCompany.objects.filter(workspace=workspace).select_related("workspace", "workspace__origin")
            .prefetch_related("founders__entrepreneur").first())


def require_company(actor: Actor, perm: Perm = Perm.ALUMNI_VIEW) -> AlumniCompany:
    """The company of the actor's alumni workspace; 403 without `perm`, and 403 too in a workspace
    that is not a set-up alumni company (a CAE has no alumni portal). The middleware already
    answered 404 for a workspace that is not the actor's, so this reveals nothing."""
    actor.require(perm)
    if actor.workspace is None or actor.workspace.kind != WorkspaceKind.ALUMNI:
        raise PermissionDenied
    company = company_of(actor.workspace)
    if company is None:
        raise PermissionDenied
    return company


def get_declaration(actor: Actor, pk: int) -> RevenueDeclaration:
    """A declaration of the actor's workspace by id: 404 for missing and not yours alike."""
    actor.require(Perm.ALUMNI_VIEW)
    declaration = RevenueDeclaration.objects.filter(pk=pk).first()
    if declaration is None or actor.workspace is None or declaration.workspace_id != actor.workspace.pk:
        raise Http404
    return declaration


def staff_company_list(*, status: str = "", origin: str = "", q: str = "") -> list[AlumniCompany]:
    """Every alumni company with its origin CAE and the counts the list shows (three queries)."""
    with staff_wide("staff follow every alumni company"):
        qs = (AlumniCompany.objects.select_related("workspace", "workspace__origin")
              .annotate(founders_count=Count("founders"))
              .order_by("workspace__name"))
        if status:
            qs = qs.filter(status=status)
        if origin:
            qs = qs.filter(workspace__origin__slug=origin)
        if q:
            qs = qs.filter(Q(workspace__name__icontains=q) | Q(workspace__siren__icontains=q))
        companies = list(qs)
        ids = [c.workspace_id for c in companies]
        tasks = dict(Dossier.objects.filter(workspace_id__in=ids, kind=FOLLOW_UP_KIND, status__in=OPEN_STATUSES)
                     .values_list("workspace_id").annotate(n=Count("pk")).values_list("workspace_id", "n"))
    today = timezone.localdate()
    for c in companies:
        c.open_tasks = tasks.get(c.workspace_id, 0)
        c.contact_due = c.next_contact_date is not None and c.next_contact_date <= today
    return companies


def follow_up_tasks(workspace: Workspace) -> list[Dossier]:
    return list(Dossier.objects.filter(workspace=workspace, kind__in=(FOLLOW_UP_KIND, SERVICE_REQUEST_KIND))
                .select_related("assignee").order_by("status", "due_date"))


def founding_facts(entrepreneur) -> list[tuple[str, str]]:
    """On the entrepreneur's page in their CAE: "Left to found <company> on <date>" for each
    alumni company they founded (the exit seen from the CAE's side; the company page shows the
    other side). Crosses workspaces for the company's name and creation only; one query."""
    with staff_wide("a CAE sees which alumni company its entrepreneur left to found (name and date only)"):
        foundings = list(Founder.objects.filter(entrepreneur=entrepreneur)
                         .select_related("company", "workspace").order_by("created_at"))
    facts = []
    for founding in foundings:
        day = entrepreneur.exit_date or founding.company.creation_date or founding.created_at.date()
        facts.append((_("Left to found"), _("%(company)s (alumni company), on %(day)s") % {
            "company": founding.workspace.name, "day": date_format(day, "SHORT_DATE_FORMAT")}))
    return facts
