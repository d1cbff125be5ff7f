"""Staff-wide alumni pages under /staff/alumni/ (namespace staff:alumni)."""

from django.urls import path

from alumni.views import staff

urlpatterns: list = [
    path("", staff.companies, name="companies"),
    path("new/", staff.company_create, name="company_create"),
    path("contributions/", staff.ledger, name="ledger"),
    path("directory/", staff.directory_stats, name="directory"),
]
