from django.apps import AppConfig


class PayrollConfig(AppConfig):
    name = "payroll"
    default_auto_field = "django.db.models.BigAutoField"
