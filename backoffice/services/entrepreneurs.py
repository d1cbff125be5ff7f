"""Entrepreneurs of a CAE (host or partner) and the personal identifiers they carry.

Personal identifiers (the NIR here; the IBAN in payroll) are shown masked everywhere. The
clear value leaves the server only through `personal_id_reveal`, which checks
Perm.PERSONAL_ID_REVEAL and writes one audit entry per reveal; and audit entries never hold
such a value (`redact_personal_ids` stores "changed" instead). Payroll reuses both for IBANs.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import IntegrityError, models, transaction
from django.utils.translation import gettext as _

from backoffice.models import Entrepreneur, Workspace
from backoffice.roles import Perm
from backoffice.services.audit import audit_record, diff_fields, snapshot
from backoffice.tenancy import Actor
from backoffice.validators import compact_nir

# Field names whose values never enter the audit trail, whatever the model.
PERSONAL_ID_FIELDS = frozenset({"nir", "iban"})
REDACTED = "changed"

ENTREPRENEUR_FIELDS = ["matricule", "last_name", "first_name", "birth_date", "nationality", "nir", "email", "phone", "address",
                       "entry_date", "exit_date", "trade"]


# --- personal identifiers (generic: NIR, IBAN) ----------------------------------------------

def redact_personal_ids(changes: dict[str, Any]) -> dict[str, Any]:
    """The same changes with every personal identifier's values replaced by "changed"."""
    return {k: (REDACTED if k in PERSONAL_ID_FIELDS else v) for k, v in changes.items()}


def personal_id_reveal(*, actor: Actor, obj: models.Model, field: str, action: str) -> str:
    """The clear value of `obj.<field>` (a NIR, an IBAN) for an actor allowed to see it.

    Checks Perm.PERSONAL_ID_REVEAL itself (PermissionDenied otherwise) and records one audit
    entry `action` (e.g. "entrepreneur.nir_reveal") naming the field, never its value. The
    caller answers with `Cache-Control: no-store`."""
    if field not in PERSONAL_ID_FIELDS:
        raise ValueError(f"{field!r} is not a personal identifier field")
    actor.require(Perm.PERSONAL_ID_REVEAL)
    with transaction.atomic():
        audit_record(actor=actor.user, workspace=obj.workspace, action=action, obj=obj, changes={"field": field})
    return getattr(obj, field)


# --- NIR rules ------------------------------------------------------------------------------

def nir_birth_date_error(nir: str, birth_date: datetime.date | None) -> str | None:
    """Why `nir` cannot belong to someone born on `birth_date`, or None.

    Décret n° 82-103 du 22 janvier 1982, art. 4: after the sex digit, the NIR gives the year of
    birth (2 digits: characters 2-3) and the month of birth (2 digits: characters 4-5).
    Months outside 01-12 are not calendar months: INSEE gives 20, 30-42 or 50-99 to people
    registered from a civil-status document that does not state the month (INSEE/CNAV rules on
    the NIR; python-stdnum's fr.nir documentation links them), so only a 01-12 month is compared.
    """
    if not nir or birth_date is None:
        return None
    nir = compact_nir(nir)
    year, month = nir[1:3], nir[3:5]
    if year != f"{birth_date.year % 100:02d}":
        return _("The NIR says born in a year ending in %(nir_year)s, but the birth date is in %(year)s.") % {
            "nir_year": year, "year": birth_date.year}
    if month.isdigit() and 1 <= int(month) <= 12 and int(month) != birth_date.month:
        return _("The NIR says born in month %(nir_month)s, but the birth date is in month %(month)02d.") % {
            "nir_month": month, "month": birth_date.month}
    return None


# --- entrepreneurs --------------------------------------------------------------------------

def _normalise(fields: dict[str, Any]) -> dict[str, Any]:
    out = dict(fields)
    for name in ("matricule", "last_name", "first_name", "email", "phone", "address", "trade", "nationality"):
        if name in out:
            out[name] = (out[name] or "").strip()
    if "nir" in out:
        raw = (out["nir"] or "").strip()
        out["nir"] = compact_nir(raw).upper() if raw else ""
    return out


def _validate(entrepreneur: Entrepreneur, *, check_nir_date: bool) -> None:
    errors: dict = {}
    workspace = entrepreneur.workspace
    if not workspace.has_entrepreneurs:
        errors[NON_FIELD_ERRORS] = [_("Only a CAE (the host or a partner) has entrepreneurs.")]
    try:
        # Field shapes and validators (validate_nir: 15 characters, stdnum key, Corsica 2A/2B).
        entrepreneur.full_clean(exclude=["workspace"], validate_unique=False, validate_constraints=False)
    except ValidationError as exc:
        errors = exc.update_error_dict(errors)
    if entrepreneur.matricule and (Entrepreneur.objects.filter(workspace=workspace, matricule=entrepreneur.matricule)
                                   .exclude(pk=entrepreneur.pk).exists()):
        errors.setdefault("matricule", []).append(ValidationError(
            _("Employee number %(matricule)s is already used in this workspace.") % {"matricule": entrepreneur.matricule},
            code="duplicate"))
    if entrepreneur.exit_date and entrepreneur.entry_date and entrepreneur.exit_date < entrepreneur.entry_date:
        errors.setdefault("exit_date", []).append(ValidationError(_("The exit date cannot be before the entry date.")))
    if check_nir_date and "nir" not in errors and "birth_date" not in errors:
        if (message := nir_birth_date_error(entrepreneur.nir, entrepreneur.birth_date)) is not None:
            errors.setdefault("nir", []).append(ValidationError(message, code="nir_birth_date"))
    if errors:
        raise ValidationError(errors)


def _restore(obj: models.Model, values: dict[str, Any]) -> None:
    for name, value in values.items():
        setattr(obj, name, value)


def _save(entrepreneur: Entrepreneur) -> None:
    # The check above gives the clear message; this covers two saves racing for one number.
    try:
        with transaction.atomic():
            entrepreneur.save()
    except IntegrityError:
        raise ValidationError({"matricule": [_("Employee number %(matricule)s is already used in this workspace.")
                                             % {"matricule": entrepreneur.matricule}]}) from None


@transaction.atomic
def entrepreneur_create(*, actor, workspace: Workspace, matricule: str, last_name: str, first_name: str,
                        entry_date: datetime.date, birth_date: datetime.date | None = None, nir: str = "",
                        email: str = "", phone: str = "", address: str = "",
                        exit_date: datetime.date | None = None, trade: str = "",
                        nationality: str = "") -> Entrepreneur:
    """Add an entrepreneur to a CAE (ValidationError by field otherwise)."""
    fields = _normalise({
        "matricule": matricule, "last_name": last_name, "first_name": first_name, "birth_date": birth_date,
        "nationality": nationality,
        "nir": nir, "email": email, "phone": phone, "address": address, "entry_date": entry_date,
        "exit_date": exit_date, "trade": trade,
    })
    entrepreneur = Entrepreneur(workspace=workspace, **fields)
    _validate(entrepreneur, check_nir_date=True)
    _save(entrepreneur)
    audit_record(actor=actor, workspace=workspace, action="entrepreneur.create", obj=entrepreneur,
                 changes=redact_personal_ids(diff_fields({}, snapshot(entrepreneur, ENTREPRENEUR_FIELDS))))
    return entrepreneur


@transaction.atomic
def entrepreneur_update(*, actor, entrepreneur: Entrepreneur, **fields) -> Entrepreneur:
    """Change any of ENTREPRENEUR_FIELDS; audited with the diff, the NIR as "changed" only.

    The NIR/birth-date agreement is checked when either of them changes, so that an older
    record can still have its phone number corrected."""
    unknown = set(fields) - set(ENTREPRENEUR_FIELDS)
    if unknown:
        raise TypeError(f"entrepreneur_update() cannot change {sorted(unknown)}")
    fields = _normalise(fields)
    before = snapshot(entrepreneur, ENTREPRENEUR_FIELDS)
    for name, value in fields.items():
        setattr(entrepreneur, name, value)
    after = snapshot(entrepreneur, ENTREPRENEUR_FIELDS)
    try:
        _validate(entrepreneur,
                  check_nir_date=before["nir"] != after["nir"] or before["birth_date"] != after["birth_date"])
        changes = diff_fields(before, after)
        if changes:
            _save(entrepreneur)
    except ValidationError:
        _restore(entrepreneur, before)  # the caller's object stays as stored
        raise
    if changes:
        audit_record(actor=actor, workspace=entrepreneur.workspace, action="entrepreneur.update", obj=entrepreneur,
                     changes=redact_personal_ids(changes))
    return entrepreneur
