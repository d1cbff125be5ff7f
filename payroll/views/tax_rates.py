"""The withholding rates the tax administration returned (compte rendu): their list and import."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from backoffice.roles import Perm
from backoffice.uploads import check_upload
from backoffice.views.entrepreneurs import no_store
from payroll.forms import TaxRateImportForm
from payroll.selectors.people import require_payroll
from payroll.selectors.tax import tax_rates_of
from payroll.services.tax_rates import tax_rates_import


def tax_rates(request: HttpRequest, workspace: str) -> HttpResponse:
    """Everyone with the payroll in view reads the rates; the payroll team imports them."""
    actor = require_payroll(request.actor)
    can_import = actor.has(Perm.PAYROLL_RUN)
    form = TaxRateImportForm(request.POST or None, request.FILES or None) if can_import else None
    report = None
    if request.method == "POST":
        actor.require(Perm.PAYROLL_RUN)
        if form.is_valid():
            upload = form.cleaned_data["file"]
            try:
                check_upload(upload, allowed=("csv", "xlsx"))
            except ValidationError as exc:
                form.add_error("file", exc)
            else:
                report = tax_rates_import(actor=request.user, workspace=actor.workspace, file=upload,
                                          name=upload.name)
                if report.ok:
                    messages.success(request, _("%(rows)s rates read: %(created)s recorded, %(updated)s corrected.")
                                     % {"rows": report.rows, "created": report.created, "updated": report.updated})
                    return redirect("payroll_tax_rates", workspace=workspace)
    return no_store(render(request, "payroll/tax_rates.html", {
        "rates": tax_rates_of(actor.workspace), "form": form, "report": report}))
