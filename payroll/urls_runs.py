"""Payroll URLs (urls_runs)."""

urlpatterns: list = []
