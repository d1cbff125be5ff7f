"""What the invoicing services share: the issuer, its settings, the refusal type."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from backoffice.models import Workspace
from backoffice.selectors.workspaces import host_workspace
from backoffice.tenancy import staff_wide
from invoicing.models import InvoicingSettings


class InvoicingError(ValidationError):
    """A refused invoicing action, with a French message for the person who asked."""


def no_issuer() -> InvoicingError:
    """What invoicing raises without a host cooperative (host_workspace(missing=no_issuer))."""
    return InvoicingError(_("No host cooperative is set up: invoices have no issuer."))


def invoicing_settings(host: Workspace | None = None) -> InvoicingSettings:
    host = host or host_workspace(missing=no_issuer)
    with staff_wide("the host's invoicing settings apply to every customer's invoice"):
        found, _created = InvoicingSettings.objects.get_or_create(workspace=host)
    return found
