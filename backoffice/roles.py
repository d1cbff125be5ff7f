"""Who may do what: the single table of permissions per role.

Host staff roles act in every workspace; client roles (manager, viewer) only in their own.
A view asks `actor.has(Perm.X)`; nothing else in the code decides rights from a role name.
"""

from __future__ import annotations

from enum import Enum

from backoffice.models.users import Role


class Perm(str, Enum):
    WORKSPACE_VIEW = "workspace.view"
    WORKSPACE_MANAGE = "workspace.manage"          # create/edit workspaces, invite users
    AGREEMENT_VIEW = "agreement.view"
    AGREEMENT_MANAGE = "agreement.manage"
    USAGE_VIEW = "usage.view"
    DOSSIER_VIEW = "dossier.view"
    DOSSIER_COMMENT = "dossier.comment"
    DOSSIER_MANAGE = "dossier.manage"              # assign, change status, internal notes
    DOCUMENT_VIEW = "document.view"
    DOCUMENT_UPLOAD = "document.upload"
    DOCUMENT_VIEW_INTERNAL = "document.view_internal"
    ENTREPRENEUR_VIEW = "entrepreneur.view"
    ENTREPRENEUR_EDIT = "entrepreneur.edit"
    PERSONAL_ID_REVEAL = "personal_id.reveal"      # NIR and IBAN in clear, each reveal audited
    AUDIT_VIEW = "audit.view"
    STAFF_AREA = "staff.area"
    PAYROLL_VIEW = "payroll.view"                  # a month's payroll, payslips, journal
    PAYROLL_RUN = "payroll.run"                    # compute, render PDFs, declare, deliver (host payroll staff)
    PAYROLL_APPROVE = "payroll.approve"            # the partner approves the computed month (locks it)
    PAYROLL_SETTINGS_MANAGE = "payroll.settings"   # a workspace's employer settings, schemes, contribution rule
    PAYROLL_SIMULATE = "payroll.simulate"          # payslip simulation (computes, writes nothing)
    RATES_MANAGE = "payroll.rates"                 # the shared rate tables (staff area; audited)
    PAYROLL_SUBMIT = "payroll.submit"              # upload and confirm a month's data (monthly submission)
    API_TOKEN_MANAGE = "api_token.manage"          # create/revoke the workspace's API tokens
    ALUMNI_VIEW = "alumni.view"                    # the alumni portal, declarations, contributions ledger
    ALUMNI_DECLARE = "alumni.declare"              # declare revenue, request a service (alumni manager)
    ALUMNI_MANAGE = "alumni.manage"                # alumni companies' follow-up, corrections (host staff)
    DIRECTORY_USE = "directory.use"                # search the network directory, send contact requests
    DIRECTORY_MANAGE = "directory.manage"          # join/withdraw the workspace, edit its profiles
    SHARES_VIEW = "shares.view"                    # the workspace's share register and its own holdings
    SHARES_MANAGE = "shares.manage"                # record movements, holders, issuer settings, general meetings


STAFF_ROLES = frozenset({Role.HOST_ADMIN, Role.PAYROLL_OFFICER, Role.TRAINING_OFFICER, Role.ALUMNI_OFFICER})
CLIENT_ROLES = frozenset({Role.MANAGER, Role.VIEWER})

_CLIENT_READ = {
    Perm.WORKSPACE_VIEW, Perm.AGREEMENT_VIEW, Perm.DOSSIER_VIEW, Perm.DOCUMENT_VIEW, Perm.ENTREPRENEUR_VIEW,
    Perm.ALUMNI_VIEW, Perm.DIRECTORY_USE, Perm.SHARES_VIEW,
}
_STAFF_COMMON = _CLIENT_READ | {
    Perm.STAFF_AREA, Perm.USAGE_VIEW, Perm.DOSSIER_COMMENT, Perm.DOSSIER_MANAGE, Perm.DOCUMENT_UPLOAD,
    Perm.DOCUMENT_VIEW_INTERNAL, Perm.ENTREPRENEUR_EDIT, Perm.AUDIT_VIEW, Perm.DIRECTORY_MANAGE,
}

ROLE_PERMISSIONS: dict[str, frozenset[Perm]] = {
    Role.HOST_ADMIN: frozenset(_STAFF_COMMON | {Perm.WORKSPACE_MANAGE, Perm.AGREEMENT_MANAGE, Perm.PERSONAL_ID_REVEAL,
                                                Perm.PAYROLL_VIEW, Perm.PAYROLL_RUN, Perm.PAYROLL_SETTINGS_MANAGE,
                                                Perm.PAYROLL_SIMULATE, Perm.RATES_MANAGE, Perm.PAYROLL_SUBMIT,
                                                Perm.API_TOKEN_MANAGE, Perm.ALUMNI_MANAGE, Perm.ALUMNI_DECLARE,
                                                Perm.SHARES_MANAGE}),
    # Payroll officers need NIR and IBAN to run payroll and the monthly declaration.
    Role.PAYROLL_OFFICER: frozenset(_STAFF_COMMON | {Perm.PERSONAL_ID_REVEAL, Perm.PAYROLL_VIEW, Perm.PAYROLL_RUN,
                                                     Perm.PAYROLL_SETTINGS_MANAGE, Perm.PAYROLL_SIMULATE,
                                                     Perm.RATES_MANAGE, Perm.PAYROLL_SUBMIT}),
    Role.TRAINING_OFFICER: frozenset(_STAFF_COMMON),
    Role.ALUMNI_OFFICER: frozenset(_STAFF_COMMON | {Perm.ALUMNI_MANAGE, Perm.ALUMNI_DECLARE, Perm.SHARES_MANAGE}),
    # A partner manager keeps its own people's data, so may read it in clear.
    Role.MANAGER: frozenset(_CLIENT_READ | {Perm.DOSSIER_COMMENT, Perm.DOCUMENT_UPLOAD, Perm.ENTREPRENEUR_EDIT,
                                            Perm.PERSONAL_ID_REVEAL, Perm.PAYROLL_VIEW, Perm.PAYROLL_APPROVE,
                                            Perm.PAYROLL_SIMULATE, Perm.PAYROLL_SUBMIT, Perm.API_TOKEN_MANAGE,
                                            Perm.ALUMNI_DECLARE, Perm.DIRECTORY_MANAGE, Perm.SHARES_MANAGE}),
    Role.VIEWER: frozenset(_CLIENT_READ | {Perm.PAYROLL_VIEW}),
}


def role_allows(role: str | None, perm: Perm) -> bool:
    return role is not None and perm in ROLE_PERMISSIONS.get(role, frozenset())
