"""The host's chart of accounts for the accounting exports (FEC, sales journal), set by staff:
the customers' collective account and each customer's auxiliary account, the revenue account
of each service, the VAT account of each rate, the bank account. Audited.

Rule (Plan comptable général, règlement ANC n° 2014-03, art. 932-1 — the list of accounts):
customers are in class 41 (411 "Clients"), banks in 51 (512 "Banques"), services sold in
class 7 (706 "Prestations de services"), VAT collected in 445 (4457 "Taxes sur le chiffre
d'affaires collectées"). An account outside its class is refused."""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from backoffice.services.audit import audit_record
from backoffice.tenancy import staff_wide
from invoicing.models import InvoicingSettings
from invoicing.services.common import host_workspace, invoicing_settings

VAT_RATES = ("20.00", "10.00", "5.50", "2.10")
# field → (class prefix of the PCG, its name for the message)
_CLASSES = {"customer_account": ("41", "41"), "bank_account": ("51", "51"), "default_revenue_account": ("7", "7"),
            "default_vat_account": ("445", "445")}
_ACCOUNT = re.compile(r"^[0-9A-Z]{1,20}$")  # FEC CompteNum / CompAuxNum: letters and digits only


def _check(value: str, prefix: str, errors: dict, field: str) -> str:
    value = (value or "").strip().upper()
    if not _ACCOUNT.match(value):
        errors[field] = [_("An account number is made of digits and capital letters only (20 at most).")]
    elif prefix and not value.startswith(prefix):
        errors[field] = [_("This account must be in class %(prefix)s of the French chart of accounts.")
                         % {"prefix": prefix}]
    return value


@transaction.atomic
def chart_of_accounts_update(*, actor, customer_account: str, bank_account: str, default_revenue_account: str,
                             default_vat_account: str, revenue_accounts: dict[str, str],
                             vat_accounts: dict[str, str], customer_accounts: dict[str, str]) -> InvoicingSettings:
    """Replace the chart of accounts; an empty per-service, per-rate or per-customer account
    falls back to the default one (or C + the customer's id)."""
    errors: dict[str, list[str]] = {}
    values = {field: _check(value, _CLASSES[field][0], errors, field) for field, value in (
        ("customer_account", customer_account), ("bank_account", bank_account),
        ("default_revenue_account", default_revenue_account), ("default_vat_account", default_vat_account))}
    revenue = {k: _check(v, "7", errors, f"revenue_{k}") for k, v in revenue_accounts.items() if (v or "").strip()}
    vat = {k: _check(v, "445", errors, f"vat_{k}") for k, v in vat_accounts.items() if (v or "").strip()}
    aux = {str(k): _check(v, "", errors, f"aux_{k}") for k, v in customer_accounts.items() if (v or "").strip()}
    seen: dict[str, str] = {}
    for key, value in aux.items():
        if value in seen:
            errors[f"aux_{key}"] = [_("Two customers cannot share an auxiliary account.")]
        seen[value] = key
    if errors:
        raise ValidationError(errors)
    with staff_wide("the host's chart of accounts names every customer"):
        settings = invoicing_settings(host_workspace())
        settings = InvoicingSettings.objects.select_for_update().get(pk=settings.pk)
        before = {"customer_account": settings.customer_account, "bank_account": settings.bank_account,
                  "default_revenue_account": settings.default_revenue_account,
                  "default_vat_account": settings.default_vat_account, "revenue_accounts": settings.revenue_accounts,
                  "vat_accounts": settings.vat_accounts, "customer_accounts": settings.customer_accounts}
        after = {**values, "revenue_accounts": revenue, "vat_accounts": vat, "customer_accounts": aux}
        changed = {field: [before[field], after[field]] for field in after if before[field] != after[field]}
        for field, value in after.items():
            setattr(settings, field, value)
        settings.save(update_fields=list(after))
        if changed:
            audit_record(actor=actor, workspace=settings.workspace, action="invoicing.accounts", obj=settings,
                         changes=changed)
    return settings
