"""The month's payroll pages under /w/<workspace>/payroll/periods/…: the period page (stage,
run, payslips with totals, PDF batch with its progress bar, downloads), approval by the
partner, delivery by staff, the journal, the zip and the DSN-shaped declaration."""

from __future__ import annotations

import io

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from backoffice.queue import QueueUnavailable
from backoffice.roles import Perm
from backoffice.services import documents as document_services
from payroll.models import PeriodStage
from payroll.selectors.runs import (
    declaration_list,
    get_declaration,
    get_payroll_period,
    get_payslip,
    payslip_list,
    payslip_totals,
    period_list,
    run_of,
)
from payroll.services.payslips import payslips_render_start
from payroll.services.periods import PeriodLocked
from payroll.services.runs import (
    DeclarationInvalid,
    PayrollRunError,
    confirmed_submission,
    payroll_declaration_generate,
    payroll_journal_export,
    payroll_period_approve,
    payroll_period_deliver,
    payroll_run,
)

PAGE_SIZE = 100


def _to_period(workspace: str, pk: int):
    return redirect("payroll_period", workspace=workspace, pk=pk)


def _download(request: HttpRequest, document, *, inline: bool = False) -> FileResponse:
    handle = document_services.document_download(actor=request.user, document=document)
    response = FileResponse(handle, as_attachment=not inline, filename=document.original_name,
                            content_type=document.content_type)
    response["Cache-Control"] = "private, no-store"
    return response


def periods(request: HttpRequest, workspace: str) -> HttpResponse:
    rows = period_list(request.actor)
    return render(request, "payroll/period_list.html", {"periods": rows})


def period_detail(request: HttpRequest, workspace: str, pk: int) -> HttpResponse:
    actor = request.actor
    payroll_period = get_payroll_period(actor, pk)
    run = run_of(payroll_period)
    page = Paginator(payslip_list(payroll_period), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "payroll/period_detail.html", {
        "period": payroll_period,
        "run": run,
        "submission": confirmed_submission(payroll_period),
        "page": page,
        "totals": payslip_totals(payroll_period),
        "declarations": declaration_list(payroll_period),
        "can_run": actor.has(Perm.PAYROLL_RUN) and not payroll_period.is_locked,
        "can_render": actor.has(Perm.PAYROLL_RUN) and run is not None,
        "can_declare": actor.has(Perm.PAYROLL_RUN) and run is not None,
        "can_approve": actor.has(Perm.PAYROLL_APPROVE) and payroll_period.stage == PeriodStage.COMPUTED,
        "can_deliver": actor.has(Perm.PAYROLL_RUN) and payroll_period.stage == PeriodStage.APPROVED,
        "can_read_declaration": actor.has(Perm.PERSONAL_ID_REVEAL),
        "query": "",
    })


@require_POST
def period_run(request: HttpRequest, workspace: str, pk: int) -> HttpResponse:
    actor = request.actor
    actor.require(Perm.PAYROLL_RUN)
    payroll_period = get_payroll_period(actor, pk)
    try:
        outcome = payroll_run(actor=request.user, workspace=actor.workspace, period=payroll_period)
    except PeriodLocked:
        messages.error(request, _("This month was approved: its payroll can no longer be recomputed."))
    except PayrollRunError as exc:
        messages.error(request, _("The payroll could not be computed: %(reason)s") % {"reason": exc})
    else:
        messages.success(request, _(
            "Payroll computed: %(count)d payslips (%(created)d new, %(updated)d changed, %(unchanged)d unchanged, "
            "%(deleted)d removed).") % {"count": outcome.count, "created": outcome.created,
                                        "updated": outcome.updated, "unchanged": outcome.unchanged,
                                        "deleted": outcome.deleted})
        for matricule, target, achieved in outcome.inexact:
            messages.warning(request, _("%(matricule)s: no gross gives the target %(target)s to the cent; "
                                        "closest is %(achieved)s.") % {"matricule": matricule, "target": target,
                                                                       "achieved": achieved})
    return _to_period(workspace, pk)


@require_POST
def period_render(request: HttpRequest, workspace: str, pk: int) -> HttpResponse:
    actor = request.actor
    actor.require(Perm.PAYROLL_RUN)
    payroll_period = get_payroll_period(actor, pk)
    try:
        payslips_render_start(actor=request.user, payroll_period=payroll_period)
    except ValueError:
        messages.error(request, _("Compute the month before rendering its payslips."))
    except QueueUnavailable as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Payslip PDFs are being generated."))
    return _to_period(workspace, pk)


def period_progress(request: HttpRequest, workspace: str, pk: int) -> HttpResponse:
    """The PDF batch's progress bar (htmx polls it while the batch runs)."""
    payroll_period = get_payroll_period(request.actor, pk)
    return render(request, "payroll/run_progress.html", {
        "period": payroll_period, "run": run_of(payroll_period), "totals": payslip_totals(payroll_period)})


@require_POST
def period_approve(request: HttpRequest, workspace: str, pk: int) -> HttpResponse:
    actor = request.actor
    actor.require(Perm.PAYROLL_APPROVE)
    payroll_period = get_payroll_period(actor, pk)
    try:
        payroll_period_approve(actor=request.user, payroll_period=payroll_period)
    except (PayrollRunError, PeriodLocked):
        messages.error(request, _("Only a computed month can be approved."))
    else:
        messages.success(request, _("Payroll approved: the month is now locked."))
    return _to_period(workspace, pk)


@require_POST
def period_deliver(request: HttpRequest, workspace: str, pk: int) -> HttpResponse:
    actor = request.actor
    actor.require(Perm.PAYROLL_RUN)
    payroll_period = get_payroll_period(actor, pk)
    try:
        payroll_period_deliver(actor=request.user, payroll_period=payroll_period)
    except PayrollRunError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("Payroll delivered."))
    return _to_period(workspace, pk)


def period_journal(request: HttpRequest, workspace: str, pk: int) -> HttpResponse:
    payroll_period = get_payroll_period(request.actor, pk)
    content = payroll_journal_export(actor=request.user, payroll_period=payroll_period)
    response = FileResponse(io.BytesIO(content), as_attachment=True,
                            filename=f"journal_paie_{payroll_period.period:%Y-%m}.xlsx",
                            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Cache-Control"] = "private, no-store"
    return response


def period_zip(request: HttpRequest, workspace: str, pk: int) -> HttpResponse:
    payroll_period = get_payroll_period(request.actor, pk)
    run = run_of(payroll_period)
    if run is None or run.zip_document is None:
        messages.info(request, _("The payslip zip is not ready yet."))
        return _to_period(workspace, pk)
    return _download(request, run.zip_document)


@require_POST
def period_declare(request: HttpRequest, workspace: str, pk: int) -> HttpResponse:
    actor = request.actor
    actor.require(Perm.PAYROLL_RUN)
    payroll_period = get_payroll_period(actor, pk)
    try:
        payroll_declaration_generate(actor=request.user, payroll_period=payroll_period)
    except PayrollRunError as exc:
        messages.error(request, str(exc))
    except DeclarationInvalid as exc:
        messages.error(request, _("The declaration was not stored: %(problems)s") % {
            "problems": "; ".join(exc.problems[:20])})
    else:
        messages.success(request, _("Declaration generated. Check it with the official validator (DSN-VAL) "
                                    "before filing it."))
    return _to_period(workspace, pk)


def declaration_download(request: HttpRequest, workspace: str, pk: int) -> HttpResponse:
    actor = request.actor
    declaration = get_declaration(actor, pk)
    actor.require(Perm.PERSONAL_ID_REVEAL)  # the file lists every employee's NIR in clear
    return _download(request, declaration.document)


def payslip_detail(request: HttpRequest, workspace: str, pk: int) -> HttpResponse:
    payslip = get_payslip(request.actor, pk)
    return render(request, "payroll/payslip_detail.html", {
        "payslip": payslip, "lines": payslip.lines.all(), "period": payslip.run.period})


def payslip_pdf(request: HttpRequest, workspace: str, pk: int) -> HttpResponse:
    payslip = get_payslip(request.actor, pk)
    if payslip.pdf is None:
        messages.info(request, _("This payslip's PDF has not been generated yet."))
        return _to_period(workspace, payslip.run.period_id)
    return _download(request, payslip.pdf)
