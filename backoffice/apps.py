from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BackofficeConfig(AppConfig):
    name = "backoffice"
    verbose_name = _("Back office")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # Each installed app's `ui` module registers its menus, status colours and audit labels
        # (backoffice/interface.py); imported by name, so backoffice never imports a business app.
        from django.utils.module_loading import autodiscover_modules

        from backoffice import security  # noqa: F401  (registers the deployment checks)

        autodiscover_modules("ui")
