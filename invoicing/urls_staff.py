"""Staff-wide invoicing pages under /staff/invoicing/ (namespace staff:invoicing)."""

from django.urls import path

from invoicing.views import accounting, bank, sepa, staff

urlpatterns = [
    path("", staff.invoicing_home, name="home"),
    path("run/", staff.billing_run_view, name="run"),
    path("issue-all/", staff.issue_all, name="issue_all"),
    path("new/", staff.invoice_new, name="invoice_new"),
    path("balances/", staff.balances, name="balances"),
    path("bank/", bank.bank_home, name="bank"),
    path("bank/review/", bank.bank_review, name="bank_review"),
    path("bank/statements/<int:pk>/", bank.bank_statement, name="bank_statement"),
    path("bank/lines/<int:pk>/match/", bank.bank_line_match_view, name="bank_line_match"),
    path("bank/lines/<int:pk>/dismiss/", bank.bank_line_dismiss_view, name="bank_line_dismiss"),
    path("mandates/", sepa.mandates, name="mandates"),
    path("debits/", sepa.debits, name="debits"),
    path("debits/<int:pk>/", sepa.debit_batch, name="debit_batch"),
    path("debits/<int:pk>/xml/", sepa.debit_batch_xml, name="debit_batch_xml"),
    path("debits/lines/<int:pk>/reject/", sepa.debit_reject_view, name="debit_reject"),
    path("exports/", accounting.exports, name="exports"),
    path("exports/fec/", accounting.export_fec, name="export_fec"),
    path("exports/sales-journal/", accounting.export_sales_journal, name="export_sales_journal"),
    path("accounts/", accounting.chart_of_accounts, name="accounts"),
]
