from django.apps import AppConfig


class InvoicingConfig(AppConfig):
    name = "invoicing"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from backoffice.billing_status import register_billing_figures
        from invoicing import ledger_figures

        register_billing_figures(ledger_figures.ledger_figures, ledger_figures.monthly_payments)
