"""Creating and editing workspaces (host staff only; the views check Perm.WORKSPACE_MANAGE).

The single host workspace exists from set-up: these services create partner CAEs and alumni
companies, edit any workspace's identity and (de)activate client workspaces.
"""

from __future__ import annotations

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from stdnum.eu import vat as std_vat
from stdnum.exceptions import ValidationError as StdnumError
from stdnum.fr import siren as std_siren
from stdnum.fr import siret as std_siret
from stdnum.fr import tva as std_tva

from backoffice.models import Workspace, WorkspaceKind
from backoffice.services.audit import audit_record, diff_fields, snapshot

# The identity fields a workspace form edits (slug and kind are set once, at creation).
IDENTITY_FIELDS = ["name", "legal_form", "siren", "siret", "vat_number", "address", "postal_code", "city",
                   "email", "trade", "origin"]
CREATABLE_KINDS = (WorkspaceKind.PARTNER, WorkspaceKind.ALUMNI)


def _compact(module, value: str) -> str:
    """stdnum's own compaction (spaces, dots, dashes removed; upper case); the raw value if
    it cannot be compacted, so that validation reports it as typed."""
    if not value:
        return ""
    try:
        return module.compact(value)
    except StdnumError:
        return value.strip()


def vat_siren_error(vat_number: str, siren: str) -> str | None:
    """Why a French company's VAT number does not belong to its SIREN, or None.

    A French intra-community VAT number is FR + a two-character key + the SIREN, the numeric
    key being (12 + 3 × (SIREN mod 97)) mod 97 (impots.gouv.fr, "numéro de TVA
    intracommunautaire"; checked by stdnum.fr.tva). A number carrying another company's SIREN,
    or a key that is not this SIREN's, is refused."""
    vat_number = std_vat.compact(vat_number)
    if not vat_number.startswith("FR"):
        return _("A French company's VAT number starts with FR.")
    try:
        std_tva.validate(vat_number)
        if std_tva.to_siren(vat_number) != siren:
            return _("This VAT number belongs to SIREN %(other)s, not to %(siren)s.") % {
                "other": std_tva.to_siren(vat_number), "siren": siren}
    except StdnumError:
        return _("The key of this VAT number does not match the SIREN %(siren)s.") % {"siren": siren}
    return None


def _validate(workspace: Workspace) -> None:
    """All the rules at once, so the form shows every error in one go (ValidationError by field)."""
    errors: dict = {}
    try:
        # Field validators (SIREN/SIRET/VAT with stdnum), Workspace.clean (origin rules, SIRET
        # starts with SIREN), unique slug and the single-host constraint.
        workspace.full_clean()
    except ValidationError as exc:
        errors = exc.update_error_dict(errors)
    if workspace.vat_number and "vat_number" not in errors and "siren" not in errors:
        if (message := vat_siren_error(workspace.vat_number, workspace.siren)) is not None:
            errors.setdefault("vat_number", []).append(ValidationError(message, code="vat_siren"))
    if errors:
        raise ValidationError(errors)


def _apply_identity(workspace: Workspace, fields: dict) -> None:
    for name in IDENTITY_FIELDS:
        if name in fields:
            value = fields[name]
            if value is None and name != "origin":
                value = ""
            setattr(workspace, name, value)
    workspace.siren = _compact(std_siren, workspace.siren)
    workspace.siret = _compact(std_siret, workspace.siret)
    workspace.vat_number = _compact(std_vat, workspace.vat_number)


@transaction.atomic
def workspace_create(*, actor, kind: str, slug: str, name: str, siren: str, legal_form: str = "",
                     siret: str = "", vat_number: str = "", address: str = "", postal_code: str = "",
                     city: str = "", email: str = "", trade: str = "",
                     origin: Workspace | None = None) -> Workspace:
    """Create a partner CAE or an alumni company (ValidationError by field otherwise)."""
    if kind not in CREATABLE_KINDS:
        raise ValidationError({"kind": _("Only a partner CAE or an alumni company can be created; "
                                         "the host cooperative exists from set-up.")})
    workspace = Workspace(kind=kind, slug=slug)
    _apply_identity(workspace, {
        "name": name, "legal_form": legal_form, "siren": siren, "siret": siret, "vat_number": vat_number,
        "address": address, "postal_code": postal_code, "city": city, "email": email, "trade": trade,
        "origin": origin,
    })
    _validate(workspace)
    workspace.save()
    audit_record(actor=actor, workspace=workspace, action="workspace.create", obj=workspace,
                 changes=diff_fields({}, snapshot(workspace, ["kind", "slug", *IDENTITY_FIELDS])))
    return workspace


@transaction.atomic
def host_workspace_create(*, actor, slug: str, name: str, siren: str, legal_form: str = "") -> Workspace:
    """The host cooperative's workspace, created once at set-up (`manage.py setup_host`)."""
    workspace = Workspace(kind=WorkspaceKind.HOST, slug=slug)
    _apply_identity(workspace, {"name": name, "legal_form": legal_form, "siren": siren})
    _validate(workspace)  # includes the single-host constraint
    workspace.save()
    audit_record(actor=actor, workspace=workspace, action="workspace.create", obj=workspace,
                 changes=diff_fields({}, snapshot(workspace, ["kind", "slug", *IDENTITY_FIELDS])))
    return workspace


@transaction.atomic
def workspace_update(*, actor, workspace: Workspace, **fields) -> Workspace:
    """Edit a workspace's identity (any of IDENTITY_FIELDS); audited with the field diff."""
    unknown = set(fields) - set(IDENTITY_FIELDS)
    if unknown:
        raise TypeError(f"workspace_update() cannot change {sorted(unknown)}")
    before = snapshot(workspace, IDENTITY_FIELDS)
    _apply_identity(workspace, fields)
    try:
        _validate(workspace)
    except ValidationError:
        for name, value in before.items():  # the caller's object stays as stored
            setattr(workspace, name, value)
        raise
    changes = diff_fields(before, snapshot(workspace, IDENTITY_FIELDS))
    if changes:
        workspace.save()
        audit_record(actor=actor, workspace=workspace, action="workspace.update", obj=workspace, changes=changes)
    return workspace


@transaction.atomic
def workspace_set_active(*, actor, workspace: Workspace, active: bool) -> Workspace:
    """Deactivate (its users can no longer enter it; staff still can) or reactivate a workspace."""
    if workspace.is_host and not active:
        raise ValidationError({NON_FIELD_ERRORS: [_("The host cooperative cannot be deactivated.")]})
    if workspace.is_active == active:
        return workspace
    workspace.is_active = active
    workspace.save(update_fields=["is_active", "updated_at"])
    audit_record(actor=actor, workspace=workspace, action="workspace.reactivate" if active else "workspace.deactivate",
                 obj=workspace, changes={"is_active": [not active, active]})
    return workspace
