"""Share registers under /w/<workspace>/alumni/shares/: the workspace's register as an issuer,
and its own holdings in other issuers' registers."""

from django.urls import path

from alumni.views import shares

urlpatterns: list = [
    path("shares/", shares.register, name="shares_register"),
    path("shares/settings/", shares.issuer_settings, name="shares_settings"),
    path("shares/colleges/new/", shares.college_new, name="shares_college_new"),
    path("shares/holders/new/", shares.holder_new, name="shares_holder_new"),
    path("shares/holders/<int:pk>/certificate.pdf", shares.holder_certificate, name="shares_certificate"),
    path("shares/movements/new/", shares.movement_new, name="shares_movement_new"),
    path("shares/movements/<int:pk>/cancel/", shares.movement_cancel_view, name="shares_movement_cancel"),
    path("shares/register.xlsx", shares.register_xlsx, name="shares_register_xlsx"),
    path("shares/register.pdf", shares.register_pdf, name="shares_register_pdf"),
    path("shares/holdings/", shares.holdings, name="shares_holdings"),
    path("shares/holdings/statement.pdf", shares.holdings_statement, name="shares_holdings_statement"),
]
