from invoicing.models.bank import BankLine, BankLineState, BankStatement  # noqa: F401
from invoicing.models.invoices import (  # noqa: F401
    SERIES_PREFIX,
    Invoice,
    InvoiceKind,
    InvoiceLine,
    InvoiceLineUsage,
    InvoiceSeries,
    InvoiceState,
)
from invoicing.models.lifecycle import InvoiceStatusEvent, LifecycleStatus  # noqa: F401
from invoicing.models.payments import Payment, PaymentMethod  # noqa: F401
from invoicing.models.sepa import DebitBatch, DebitLine, DebitState, Mandate  # noqa: F401
from invoicing.models.settings import InvoicingSettings  # noqa: F401
