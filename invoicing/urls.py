"""URLs of the invoicing app under /w/<workspace>/invoicing/."""

from django.urls import path

from invoicing.views import invoices

urlpatterns = [
    path("", invoices.invoices, name="invoices"),
    path("<int:pk>/", invoices.invoice_detail, name="invoice_detail"),
    path("<int:pk>/pdf/", invoices.invoice_pdf_view, name="invoice_pdf"),
    path("<int:pk>/xml/", invoices.invoice_xml_view, name="invoice_xml"),
    path("<int:pk>/issue/", invoices.invoice_issue_view, name="invoice_issue"),
    path("<int:pk>/delete/", invoices.invoice_delete_view, name="invoice_delete"),
    path("<int:pk>/lines/add/", invoices.invoice_line_add_view, name="invoice_line_add"),
    path("<int:pk>/payments/add/", invoices.invoice_payment, name="invoice_payment"),
    path("<int:pk>/credit-note/", invoices.invoice_credit_note, name="invoice_credit_note"),
    path("<int:pk>/status/", invoices.invoice_status_view, name="invoice_status"),
    path("lines/<int:pk>/edit/", invoices.invoice_line_edit, name="invoice_line_edit"),
    path("lines/<int:pk>/delete/", invoices.invoice_line_delete_view, name="invoice_line_delete"),
]
