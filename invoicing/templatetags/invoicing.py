"""Template helpers of the invoicing pages."""

from django import template

register = template.Library()


@register.simple_tag
def payment_status(invoice, today) -> str:
    """The invoice's translated status (draft, to pay, partly paid, paid, overdue, credited)."""
    return invoice.payment_status(today)
