"""Staff pages of bank reconciliation under /staff/invoicing/bank/: import a camt.053
statement, see what it matched, match the doubtful credits by hand."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from backoffice.roles import Perm
from invoicing.bank.camt import StatementRejected
from invoicing.forms import BankDismissForm, BankMatchForm, StatementUploadForm
from invoicing.selectors.bank import (
    get_bank_line,
    get_statement,
    review_lines,
    statement_lines,
    statement_list,
)
from invoicing.selectors.staff import require_staff
from invoicing.services.bank import bank_line_dismiss, bank_line_match, statement_import
from invoicing.views.invoices import flash_errors


def bank_home(request: HttpRequest) -> HttpResponse:
    actor = request.actor
    require_staff(actor, Perm.INVOICE_MANAGE)
    form = StatementUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            report = statement_import(actor=request.user, content=upload.read(), file_name=upload.name or "")
        except StatementRejected as error:
            form.add_error("file", error.message)
        else:
            messages.success(request, _("Statement imported: %(matched)d credits matched to invoices, %(review)d "
                                        "left to match by hand, %(known)d already imported.") % {
                "matched": report.matched, "review": report.to_review, "known": report.already_known})
            return redirect("staff:invoicing:bank_statement", pk=report.statements[0].pk)
    return render(request, "invoicing/bank_home.html", {
        "form": form, "statements": statement_list(actor), "review_count": len(review_lines(actor)),
    }, status=400 if form.errors else 200)


def bank_statement(request: HttpRequest, pk: int) -> HttpResponse:
    statement = get_statement(request.actor, pk)
    return render(request, "invoicing/bank_statement.html", {
        "statement": statement, "lines": statement_lines(request.actor, statement)})


def bank_review(request: HttpRequest) -> HttpResponse:
    lines = review_lines(request.actor)
    for line in lines:  # one form per credit, with ids of its own
        line.match_form = BankMatchForm(auto_id=f"match{line.pk}_%s")
        line.dismiss_form = BankDismissForm(auto_id=f"dismiss{line.pk}_%s")
    return render(request, "invoicing/bank_review.html", {"lines": lines})


def _handle_line(request: HttpRequest, pk: int, form_class, act, success) -> HttpResponse:
    """Match or set aside one credit of the review list, then back to the list."""
    line = get_bank_line(request.actor, pk)
    form = form_class(request.POST)
    if not form.is_valid():
        flash_errors(request, form.errors)
        return redirect("staff:invoicing:bank_review")
    try:
        act(line, form.cleaned_data)
    except ValidationError as error:
        flash_errors(request, error)
    else:
        messages.success(request, success(form.cleaned_data))
    return redirect("staff:invoicing:bank_review")


@require_POST
def bank_line_match_view(request: HttpRequest, pk: int) -> HttpResponse:
    return _handle_line(
        request, pk, BankMatchForm,
        lambda line, data: bank_line_match(actor=request.user, line=line, number=data["number"],
                                           overpayment=data["overpayment"]),
        lambda data: _("Credit matched to invoice %(number)s.") % {"number": data["number"].strip().upper()})


@require_POST
def bank_line_dismiss_view(request: HttpRequest, pk: int) -> HttpResponse:
    return _handle_line(
        request, pk, BankDismissForm,
        lambda line, data: bank_line_dismiss(actor=request.user, line=line, note=data["note"]),
        lambda data: _("Credit set aside: it pays no invoice."))
