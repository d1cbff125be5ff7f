"""URLs of the payroll app under /w/<workspace>/payroll/, by topic."""

from django.urls import include, path

urlpatterns = [
    path("", include("payroll.urls_submissions")),
    path("", include("payroll.urls_runs")),
    path("", include("payroll.urls_people")),
]
