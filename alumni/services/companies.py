"""Alumni companies: creating one from its founders' entrepreneur records (one action), its
follow-up data, follow-up tasks (backoffice dossiers, so they show in the staff work queue)
and the service requests the company sends from its portal."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_scopes import scope

from alumni.models import AlumniCompany, CompanyLegalForm, CompanyStatus, DeclarationFrequency, Founder
from alumni.selectors.companies import FOLLOW_UP_KIND, SERVICE_REQUEST_KIND
from backoffice.models import Dossier, Entrepreneur, Role, Service, Workspace, WorkspaceKind
from backoffice.models.agreements import PriceKind, UsageKind
from backoffice.services.agreements import agreement_create, price_line_create
from backoffice.services.audit import audit_record, diff_fields, snapshot
from backoffice.services.dossiers import dossier_comment, dossier_open
from backoffice.services.invitations import invitation_send
from backoffice.services.workspaces import workspace_create

COMPANY_FIELDS = ["legal_form", "creation_date", "status", "declaration_frequency", "contribution_terms",
                  "follow_up_notes", "next_contact_date"]


@transaction.atomic
def alumni_company_create(*, actor, origin: Workspace, entrepreneur_ids: list[int], slug: str, name: str,
                          siren: str, legal_form: str, siret: str = "", creation_date: datetime.date | None = None,
                          address: str = "", postal_code: str = "", city: str = "", trade: str = "",
                          declaration_frequency: str = DeclarationFrequency.YEARLY,
                          contribution_rate: Decimal | None = Decimal("1"), agreement_start: datetime.date,
                          invite: bool = True) -> AlumniCompany:
    """One action: the alumni workspace (origin = the founders' CAE), its company record, the
    founders linked to their entrepreneur records, an alumni agreement with a contribution line
    on declared revenue (when a rate is given), and an invitation (manager) to each founder
    with an e-mail address. All or nothing: any refusal leaves nothing written."""
    if origin.kind not in (WorkspaceKind.PARTNER, WorkspaceKind.HOST):
        raise ValidationError({"origin": _("Choose the CAE the founders come from.")})
    if legal_form not in CompanyLegalForm.values:
        raise ValidationError({"legal_form": _("Choose a legal form.")})
    with scope(workspace=origin):
        founders = list(Entrepreneur.objects.filter(workspace=origin, pk__in=entrepreneur_ids))
    if not founders or len(founders) != len(set(entrepreneur_ids)):
        raise ValidationError({"entrepreneurs": _("Choose the founders among the entrepreneurs of the origin CAE.")})
    workspace = workspace_create(actor=actor, kind=WorkspaceKind.ALUMNI, slug=slug, name=name, siren=siren,
                                 siret=siret, legal_form=CompanyLegalForm(legal_form).label, address=address,
                                 postal_code=postal_code, city=city, trade=trade or founders[0].trade, origin=origin)
    company = _company_setup(actor=actor, workspace=workspace, origin=origin, founders=founders,
                             legal_form=legal_form, creation_date=creation_date,
                             status=CompanyStatus.ACTIVE if creation_date else CompanyStatus.IN_CREATION,
                             declaration_frequency=declaration_frequency, contribution_rate=contribution_rate,
                             agreement_start=agreement_start)
    if invite:
        for entrepreneur in founders:
            if entrepreneur.email:
                invitation_send(actor=actor, workspace=workspace, email=entrepreneur.email, role=Role.MANAGER,
                                first_name=entrepreneur.first_name, last_name=entrepreneur.last_name)
    return company


def _company_setup(*, actor, workspace: Workspace, origin: Workspace, founders: list[Entrepreneur], legal_form: str,
                   creation_date: datetime.date | None, status: str, declaration_frequency: str,
                   contribution_rate: Decimal | None, agreement_start: datetime.date) -> AlumniCompany:
    """The company record, its founders, its alumni agreement (with the contribution line when a
    rate is given) in a new alumni workspace; audited."""
    with scope(workspace=workspace):
        company = AlumniCompany.objects.create(workspace=workspace, legal_form=legal_form, creation_date=creation_date,
                                               status=status, declaration_frequency=declaration_frequency)
        Founder.objects.bulk_create([Founder(workspace=workspace, company=company, entrepreneur=e) for e in founders])
        agreement = agreement_create(actor=actor, workspace=workspace, service=Service.ALUMNI,
                                     start_date=agreement_start)
        if contribution_rate is not None:
            price_line_create(actor=actor, agreement=agreement, kind=PriceKind.PERCENTAGE,
                              usage_kind=UsageKind.DECLARED_REVENUE, rate=contribution_rate,
                              label=_("Contribution on declared revenue"))
        audit_record(actor=actor, workspace=workspace, action="alumni.company.create", obj=company, changes={
            "origin": origin.slug, "founders": [str(e) for e in founders]})
    return company


@transaction.atomic
def alumni_company_import_create(*, actor, origin: Workspace, founders: list[Entrepreneur], slug: str, name: str,
                                 siren: str, legal_form: str, siret: str = "",
                                 creation_date: datetime.date | None = None, status: str = "",
                                 address: str = "", postal_code: str = "", city: str = "", trade: str = "",
                                 declaration_frequency: str = DeclarationFrequency.YEARLY,
                                 contribution_rate: Decimal | None = None,
                                 agreement_start: datetime.date) -> AlumniCompany:
    """An alumni company the host already followed before Mutualise (its spreadsheet): the same
    workspace, record and agreement as `alumni_company_create`, founders optional (they may
    never have been entrepreneurs recorded here), nobody invited."""
    if origin.kind not in (WorkspaceKind.PARTNER, WorkspaceKind.HOST):
        raise ValidationError({"origin": _("Choose the CAE the founders come from.")})
    if legal_form not in CompanyLegalForm.values:
        raise ValidationError({"legal_form": _("Choose a legal form.")})
    if status and status not in CompanyStatus.values:
        raise ValidationError({"status": _("Choose a status.")})
    if any(f.workspace_id != origin.pk for f in founders):
        raise ValidationError({"entrepreneurs": _("Choose the founders among the entrepreneurs of the origin CAE.")})
    workspace = workspace_create(actor=actor, kind=WorkspaceKind.ALUMNI, slug=slug, name=name, siren=siren,
                                 siret=siret, legal_form=CompanyLegalForm(legal_form).label, address=address,
                                 postal_code=postal_code, city=city, trade=trade, origin=origin)
    return _company_setup(actor=actor, workspace=workspace, origin=origin, founders=founders, legal_form=legal_form,
                          creation_date=creation_date,
                          status=status or (CompanyStatus.ACTIVE if creation_date else CompanyStatus.IN_CREATION),
                          declaration_frequency=declaration_frequency, contribution_rate=contribution_rate,
                          agreement_start=agreement_start)


@transaction.atomic
def alumni_company_update(*, actor, company: AlumniCompany, **fields) -> AlumniCompany:
    unknown = set(fields) - set(COMPANY_FIELDS)
    if unknown:
        raise TypeError(f"alumni_company_update() cannot change {sorted(unknown)}")
    errors = {}
    if "legal_form" in fields and fields["legal_form"] not in CompanyLegalForm.values:
        errors["legal_form"] = _("Choose a legal form.")
    if "status" in fields and fields["status"] not in CompanyStatus.values:
        errors["status"] = _("Choose a status.")
    if "declaration_frequency" in fields and fields["declaration_frequency"] not in DeclarationFrequency.values:
        errors["declaration_frequency"] = _("Choose how often revenue is declared.")
    if errors:
        raise ValidationError(errors)
    before = snapshot(company, COMPANY_FIELDS)
    for name, value in fields.items():
        setattr(company, name, value.strip() if isinstance(value, str) else value)
    changes = diff_fields(before, snapshot(company, COMPANY_FIELDS))
    if changes:
        company.save()
        audit_record(actor=actor, workspace=company.workspace, action="alumni.company.update", obj=company,
                     changes=changes)
    return company


def follow_up_task_add(*, actor, company: AlumniCompany, title: str, due_date: datetime.date | None) -> Dossier:
    """A follow-up task: a dossier of the alumni service, so it shows in the staff work queue with its due date."""
    title = (title or "").strip()
    if not title:
        raise ValidationError({"title": _("Say what is to be done.")})
    return dossier_open(actor=actor, workspace=company.workspace, service=Service.ALUMNI, kind=FOLLOW_UP_KIND,
                        title=title[:200], due_date=due_date)


class RequestKind:
    # Lazy: a class attribute is built once, at import, in whatever language is active then.
    CHOICES = [
        ("accounting", gettext_lazy("Accounting")), ("payroll", gettext_lazy("Payroll")),
        ("legal", gettext_lazy("Legal or governance question")), ("training", gettext_lazy("Training")),
        ("it", gettext_lazy("IT")), ("other", gettext_lazy("Something else")),
    ]


def service_request_send(*, actor, company: AlumniCompany, request_kind: str, message: str) -> Dossier:
    """The company asks for a service from its portal: a dossier for staff, titled with the request's type."""
    labels = dict(RequestKind.CHOICES)
    if request_kind not in labels:
        raise ValidationError({"request_kind": _("Choose what you need.")})
    message = (message or "").strip()
    if not message:
        raise ValidationError({"message": _("Describe your request in a few words.")})
    with transaction.atomic():
        dossier = dossier_open(actor=actor, workspace=company.workspace, service=Service.ALUMNI,
                               kind=SERVICE_REQUEST_KIND,
                               title=_("Service request: %(kind)s") % {"kind": labels[request_kind]})
        dossier_comment(actor=actor, dossier=dossier, body=message)
    return dossier
