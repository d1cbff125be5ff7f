"""Payroll URLs (urls_people)."""

urlpatterns: list = []
