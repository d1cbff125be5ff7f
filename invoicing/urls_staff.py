"""Staff-wide invoicing pages under /staff/invoicing/ (namespace staff:invoicing)."""

from django.urls import path

from invoicing.views import staff

urlpatterns = [
    path("", staff.invoicing_home, name="home"),
    path("run/", staff.billing_run_view, name="run"),
    path("issue-all/", staff.issue_all, name="issue_all"),
    path("new/", staff.invoice_new, name="invoice_new"),
    path("balances/", staff.balances, name="balances"),
]
