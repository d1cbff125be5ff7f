"""Payments received for issued invoices, and the overdue reminders.

A payment never changes the invoice (it is immutable): the balance is the invoice's total
minus its issued credit notes and its payments. Paying more than the balance is refused unless
the person says it is an overpayment (Payment.overpayment)."""

from __future__ import annotations

import datetime
from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from backoffice.pdf import fr_number
from backoffice.services.audit import audit_record
from backoffice.tenancy import staff_wide
from invoicing.models import Invoice, InvoiceState, Payment, PaymentMethod

# D441-5 Code de commerce: fixed indemnity for recovery costs owed by a late professional payer.
RECOVERY_INDEMNITY = Decimal("40.00")


@transaction.atomic
def payment_record(*, actor, invoice: Invoice, amount: Decimal, received_on: datetime.date, method: str,
                   reference: str = "", overpayment: bool = False) -> Payment:
    invoice = Invoice.objects.select_for_update().get(pk=invoice.pk)
    if invoice.state != InvoiceState.ISSUED or invoice.is_credit_note:
        raise ValidationError(_("A payment is recorded against an issued invoice."))
    try:
        amount = Decimal(amount)
    except (InvalidOperation, TypeError, ValueError):
        raise ValidationError({"amount": [_("Enter a number.")]}) from None
    if not amount.is_finite() or amount <= 0:
        raise ValidationError({"amount": [_("A payment is a positive amount.")]})
    if amount != amount.quantize(Decimal("0.01")):
        raise ValidationError({"amount": [_("An amount has at most two decimals.")]})
    if method not in PaymentMethod.values:
        raise ValidationError({"method": [_("Choose a payment method.")]})
    if received_on > timezone.localdate():
        raise ValidationError({"received_on": [_("A payment cannot be received in the future.")]})
    balance = invoice.balance
    if amount > balance and not overpayment:
        raise ValidationError({"amount": [
            _("This payment (%(amount)s €) is larger than the balance (%(balance)s €). Tick \"overpayment\" "
              "if the customer really paid more.") % {"amount": fr_number(amount), "balance": fr_number(balance)}]})
    payment = Payment.objects.create(workspace=invoice.workspace, invoice=invoice, amount=amount,
                                     received_on=received_on, method=method, reference=reference[:140],
                                     overpayment=overpayment and amount > balance,
                                     created_by=actor if getattr(actor, "is_authenticated", False) else None)
    audit_record(actor=actor, workspace=invoice.workspace, action="invoice.payment", obj=invoice,
                 changes={"amount": amount, "method": method, "overpayment": payment.overpayment})
    return payment


def overdue_invoices(today: datetime.date) -> list[Invoice]:
    """Issued invoices past their due date with a balance (staff-wide: reminders cover everyone)."""
    from invoicing.selectors.invoices import with_balance

    with staff_wide("overdue reminders go to every customer"):
        rows = with_balance(Invoice.objects.filter(state=InvoiceState.ISSUED, kind="invoice", due_date__lt=today)
                            .select_related("workspace"))
        return [invoice for invoice in rows if invoice.balance > 0]


def invoice_reminders_send(*, today: datetime.date | None = None) -> int:
    """E-mail each customer with an overdue invoice (weekly cadence: on the due date's weekday),
    stating the late penalty and the 40 € recovery indemnity. Returns the number of e-mails."""
    today = today or timezone.localdate()
    sent = 0
    for invoice in overdue_invoices(today):
        if (today - invoice.due_date).days % 7 != 1:  # the day after the due date, then weekly
            continue
        recipient = invoice.customer_email or invoice.workspace.email
        if not recipient:
            continue
        with translation.override("fr"):
            body = render_to_string("invoicing/email/reminder.txt", {
                "invoice": invoice, "balance": fr_number(invoice.balance), "indemnity": fr_number(RECOVERY_INDEMNITY),
                "due_date": invoice.due_date.strftime("%d/%m/%Y"), "days": (today - invoice.due_date).days})
            subject = _("Overdue invoice %(number)s") % {"number": invoice.number}
        send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [recipient])
        audit_record(actor=None, workspace=invoice.workspace, action="invoice.reminder", obj=invoice,
                     changes={"to": recipient, "balance": invoice.balance})
        sent += 1
    return sent

