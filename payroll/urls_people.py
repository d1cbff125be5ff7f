"""Payroll URLs under /w/<workspace>/payroll/: employment data, settings, simulation."""

from django.urls import path

from payroll.views import people, settings, simulation, tax_rates

urlpatterns: list = [
    path("people/", people.people, name="payroll_people"),
    path("people/import/", people.people_import, name="payroll_people_import"),
    path("people/import/template.xlsx", people.people_import_template, name="payroll_people_import_template"),
    path("people/<int:pk>/", people.person, name="payroll_person"),
    path("people/<int:pk>/edit/", people.person_edit, name="payroll_person_edit"),
    path("people/<int:pk>/iban/", people.person_iban_reveal, name="payroll_person_iban"),
    path("people/<int:pk>/exit-documents/", people.person_exit_documents, name="payroll_person_exit_documents"),
    path("settings/", settings.payroll_settings, name="payroll_settings"),
    path("tax-rates/", tax_rates.tax_rates, name="payroll_tax_rates"),
    path("settings/edit/", settings.payroll_settings_edit, name="payroll_settings_edit"),
    path("simulation/", simulation.simulation, name="payroll_simulation"),
]
