"""Staff-wide payroll pages under /staff/payroll/ (namespace staff:payroll)."""

from django.urls import path

from payroll.views import dashboard, rates

urlpatterns: list = [
    path("", dashboard.payroll_dashboard, name="dashboard"),
    path("rates/", rates.rate_tables, name="rate_tables"),
    path("rates/new/", rates.rate_table_new, name="rate_table_new"),
    path("rates/<int:pk>/", rates.rate_table_detail, name="rate_table"),
    path("rates/<int:pk>/edit/", rates.rate_table_edit, name="rate_table_edit"),
    path("rates/lines/<int:pk>/edit/", rates.rate_line_edit, name="rate_line_edit"),
]
