"""Payroll URLs (urls_submissions)."""

urlpatterns: list = []
