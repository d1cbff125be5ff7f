"""Staff page of the training catalogue in spreadsheets (/staff/training/catalogue/): export
each kind (bodies, courses, OPCO rules) as xlsx, and import one: "Check" previews what would
change and writes nothing; "Import" writes every row, or nothing when one is refused."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from backoffice.roles import Perm
from backoffice.spreadsheets import FileRejected, load_dataset
from training.forms import CatalogueImportForm
from training.selectors.training import require_training_staff
from training.services.catalogue import KINDS, catalogue_export, catalogue_import

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def catalogue(request: HttpRequest) -> HttpResponse:
    require_training_staff(request.actor)
    form = CatalogueImportForm(request.POST or None, request.FILES or None)
    report = None
    if request.method == "POST":
        require_training_staff(request.actor, Perm.TRAINING_MANAGE)
        if form.is_valid():
            upload = form.cleaned_data["file"]
            try:
                dataset = load_dataset(upload, name=upload.name)
            except FileRejected as exc:
                form.add_error("file", exc.message)
            else:
                report = catalogue_import(actor=request.user, kind_code=form.cleaned_data["kind"], dataset=dataset,
                                          commit="import" in request.POST)
                if report.written:
                    messages.success(request, _("Catalogue imported: %(new)d new, %(update)d updated, %(same)d "
                                                "unchanged.") % {"new": report.new, "update": report.updated,
                                                                 "same": report.unchanged})
                    return redirect("staff:training:catalogue")
    return render(request, "training/staff_catalogue.html", {"form": form, "report": report},
                  status=400 if request.method == "POST" and (report is None or report.errors) else 200)


def catalogue_xlsx(request: HttpRequest) -> HttpResponse:
    require_training_staff(request.actor)
    kind = request.GET.get("kind") or "bodies"
    if kind not in KINDS:
        raise Http404
    response = HttpResponse(catalogue_export(kind), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{KINDS[kind].filename}.xlsx"'
    return response
