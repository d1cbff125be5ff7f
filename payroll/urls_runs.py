"""Payroll URLs (urls_runs): the month's run, payslips, journal, zip and declaration."""

from django.urls import path

from payroll.views import runs

urlpatterns = [
    path("periods/", runs.periods, name="payroll_periods"),
    path("periods/<int:pk>/", runs.period_detail, name="payroll_period"),
    path("periods/<int:pk>/run/", runs.period_run, name="payroll_period_run"),
    path("periods/<int:pk>/render/", runs.period_render, name="payroll_period_render"),
    path("periods/<int:pk>/progress/", runs.period_progress, name="payroll_period_progress"),
    path("periods/<int:pk>/approve/", runs.period_approve, name="payroll_period_approve"),
    path("periods/<int:pk>/deliver/", runs.period_deliver, name="payroll_period_deliver"),
    path("periods/<int:pk>/journal/", runs.period_journal, name="payroll_period_journal"),
    path("periods/<int:pk>/zip/", runs.period_zip, name="payroll_period_zip"),
    path("periods/<int:pk>/declaration/", runs.period_declare, name="payroll_period_declare"),
    path("declarations/<int:pk>/download/", runs.declaration_download, name="payroll_declaration_download"),
    path("payslips/<int:pk>/", runs.payslip_detail, name="payroll_payslip"),
    path("payslips/<int:pk>/pdf/", runs.payslip_pdf, name="payroll_payslip_pdf"),
]
