"""Invoicing's menus (registries: backoffice/interface.py)."""

from django.utils.translation import gettext_lazy as _

from backoffice.interface import NavGroup, NavItem, register_audit_fields, register_audit_labels, register_nav
from backoffice.roles import Perm


def _is_customer(workspace) -> bool:
    return not workspace.is_host


register_nav(
    NavGroup("invoicing", _("Invoicing"), area="staff", order=50, icon="receipt", items=(
        NavItem(_("Invoices"), "staff:invoicing:home", perm=Perm.INVOICE_MANAGE, icon="receipt",
                active_for=("staff:invoicing:run", "staff:invoicing:issue_all", "staff:invoicing:invoice_new")),
        NavItem(_("Aged balances"), "staff:invoicing:balances", perm=Perm.INVOICE_MANAGE, icon="hourglass"),
        NavItem(_("Bank reconciliation"), "staff:invoicing:bank", perm=Perm.INVOICE_MANAGE, icon="landmark",
                active_for=("staff:invoicing:bank_*",)),
        NavItem(_("Direct debits"), "staff:invoicing:debits", perm=Perm.INVOICE_MANAGE, icon="repeat-2",
                active_for=("staff:invoicing:debit_*", "staff:invoicing:mandates")),
        NavItem(_("Accounting exports"), "staff:invoicing:exports", perm=Perm.INVOICE_MANAGE, icon="file-spreadsheet",
                active_for=("staff:invoicing:export_*", "staff:invoicing:accounts")),
    )),
    NavGroup("invoicing", _("Invoices"), area="workspace", order=50, icon="receipt", items=(
        NavItem(_("Invoices"), "invoices", perm=Perm.INVOICE_VIEW, when=_is_customer, icon="receipt",
                active_for=("invoice_*",)),
    )),
)

register_audit_labels({
    "credit_note.create": _("Credit note created"),
    "invoice.billing_run": _("Billing run"),
    "invoice.create": _("Invoice drafted"),
    "invoice.delete": _("Draft invoice deleted"),
    "invoice.issue": _("Invoice issued"),
    "invoice.line_add": _("Invoice line added"),
    "invoice.line_delete": _("Invoice line deleted"),
    "invoice.line_update": _("Invoice line changed"),
    "invoice.payment": _("Payment recorded"),
    "invoice.reminder": _("Payment reminder sent"),
    "invoice.debit_sent": _("Direct debit sent"),
    "invoice.debit_rejected": _("Direct debit rejected"),
    "invoice.status": _("E-invoicing status recorded"),
    "mandate.create": _("Direct-debit mandate signed"),
    "bank.statement_import": _("Bank statement imported"),
    "bank.line_match": _("Bank credit matched by hand"),
    "bank.line_dismiss": _("Bank credit set aside"),
    "invoicing.accounts": _("Chart of accounts changed"),
})

register_audit_fields({
    "invoicing.bankstatement.lines": _("Credits"), "matched": _("Matched automatically"),
    "to_review": _("To match by hand"), "invoice": _("Invoice"), "collection_date": _("Collection date"),
})
register_audit_fields({
    "amount": _("Amount"), "balance": _("Balance"), "corrects": _("Corrects"), "description": _("Description"),
    "iban": _("IBAN"), "method": _("Payment method"), "net_amount": _("Amount excl. VAT"), "note": _("Note"),
    "number": _("Number"), "overpayment": _("Overpayment"), "period": _("Period"), "reason": _("Reason"),
    "reference": _("Reference"), "invoicing.invoice.to": _("Recipient"), "status": _("Status"),
    "total_gross": _("Total incl. VAT"), "usages": _("Usages billed"),
})
