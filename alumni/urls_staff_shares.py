"""Staff-wide share pages under /staff/alumni/shares/ (namespace staff:shares)."""

from django.urls import path

from alumni.views import shares

urlpatterns: list = [
    path("", shares.staff_issuers, name="issuers"),
]
