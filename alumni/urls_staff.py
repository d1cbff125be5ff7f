"""Staff-wide alumni pages under /staff/alumni/ (namespace staff:alumni)."""

from django.urls import path

from alumni.views import staff, staff_import

urlpatterns: list = [
    path("", staff.companies, name="companies"),
    path("new/", staff.company_create, name="company_create"),
    path("contributions/", staff.ledger, name="ledger"),
    path("directory/", staff.directory_stats, name="directory"),
    path("import/", staff_import.import_view, name="import"),
    path("export/companies/", staff_import.export_companies, name="export_companies"),
    path("export/declarations/", staff_import.export_declarations, name="export_declarations"),
]
