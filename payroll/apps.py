from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PayrollConfig(AppConfig):
    name = "payroll"
    verbose_name = _("Payroll")
    default_auto_field = "django.db.models.BigAutoField"
