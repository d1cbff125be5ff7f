"""Invoicing at federation scale: prints figures, asserts nothing.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/NAME nice -n 19 .venv/bin/python bench/invoicing.py [--quick]

Builds a month of billable usage for 150 CAEs (80 payslips and 2 funding requests each,
priced per unit plus a monthly flat fee) and 1,000 alumni companies (one declared revenue
each, priced as a percentage), then prints:
1. the billing run (usage → one draft per customer), and a rerun with nothing new;
2. issuing every draft (gapless numbering, frozen identities), in four groups dated 120, 75,
   45 and 10 days ago so the aged balances have every bucket; a third of them paid;
3. the Factur-X invoice PDF (WeasyPrint + XSD-checked CII XML), wall and CPU time, as a ratio
   to an empty WeasyPrint page rendered in the same run (CPU time is the robust figure on a
   shared machine);
4. the staff aged-balance page: time (median of 5) and query count.
`--quick`: 15 CAEs and 100 alumni companies.
"""

from __future__ import annotations

import argparse
import datetime
import statistics
import sys
import time
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import Timer, report, setup_django, throwaway_database  # noqa: E402

PAYSLIPS_PER_CAE, FUNDING_PER_CAE = 80, 2


def _siren(n: int) -> str:
    from stdnum import luhn

    body = f"{n:08d}"
    return body + luhn.calc_check_digit(body)


def build(n_caes: int, n_alumni: int, period: datetime.date):
    from django_scopes import scopes_disabled

    from backoffice.models import Membership, PriceLine, ServiceAgreement, Usage, User, Workspace
    from invoicing.models import InvoicingSettings

    last_day = period.replace(day=28)
    with scopes_disabled():
        host = Workspace.objects.create(kind="host", slug="mutualise", name="Coopérative Mutualise",
                                        legal_form="SCIC SA", siren=_siren(1), siret=_siren(1) + "00011",
                                        vat_number="FR32" + _siren(1), address="1 rue de la Paix",
                                        postal_code="69001", city="Lyon")
        InvoicingSettings.objects.create(workspace=host, iban="FR7630006000011234567890189", bic="AGRIFRPP",
                                         sepa_creditor_id="FR12ZZZ123456")
        staff = User.objects.create_user(email="bench-staff@example.test", password="x" * 20)
        Membership.objects.create(user=staff, workspace=host, role="host_admin")
        caes = Workspace.objects.bulk_create([
            Workspace(kind="partner", slug=f"cae-{i}", name=f"CAE {i:03d}", legal_form="SCOP SA",
                      siren=_siren(1000 + i), address=f"{i} avenue des Coopératives", postal_code="69002",
                      city="Lyon") for i in range(n_caes)])
        alumni = Workspace.objects.bulk_create([
            Workspace(kind="alumni", slug=f"scop-{i}", name=f"SCOP {i:04d}", legal_form="SCOP SARL",
                      siren=_siren(5000 + i), origin=caes[i % n_caes], address=f"{i} rue des Artisans",
                      postal_code="69003", city="Lyon") for i in range(n_alumni)])
        start = datetime.date(2020, 1, 1)
        payroll = ServiceAgreement.objects.bulk_create([
            ServiceAgreement(workspace=w, service="payroll", start_date=start) for w in caes])
        training = ServiceAgreement.objects.bulk_create([
            ServiceAgreement(workspace=w, service="training", start_date=start) for w in caes])
        contributions = ServiceAgreement.objects.bulk_create([
            ServiceAgreement(workspace=w, service="alumni", start_date=start) for w in alumni])
        PriceLine.objects.bulk_create(
            [PriceLine(workspace=a.workspace, agreement=a, kind="per_unit", usage_kind="payslip",
                       label="Bulletin de paie", unit_price=Decimal("14.00")) for a in payroll]
            + [PriceLine(workspace=a.workspace, agreement=a, kind="monthly_flat", usage_kind="",
                         label="Forfait gestion sociale", unit_price=Decimal("120.00")) for a in payroll]
            + [PriceLine(workspace=a.workspace, agreement=a, kind="per_unit", usage_kind="funding_request",
                         label="Dossier de financement", unit_price=Decimal("45.00")) for a in training]
            + [PriceLine(workspace=a.workspace, agreement=a, kind="percentage", usage_kind="declared_revenue",
                         label="Contribution", rate=Decimal("1.000"), unit_price=Decimal("0")) for a in contributions],
            batch_size=2000)
        usages = [Usage(workspace=w, service="payroll", kind="payslip", quantity=Decimal("1"), occurred_on=last_day,
                        reference=f"payslip:{period:%Y-%m}:{n}") for w in caes for n in range(PAYSLIPS_PER_CAE)]
        usages += [Usage(workspace=w, service="training", kind="funding_request", quantity=Decimal("1"),
                         occurred_on=last_day, reference=f"funding:{n}") for w in caes for n in range(FUNDING_PER_CAE)]
        usages += [Usage(workspace=w, service="alumni", kind="declared_revenue",
                         quantity=Decimal(20000 + 37 * i), occurred_on=last_day, reference=f"revenue:{period:%Y-%m}")
                   for i, w in enumerate(alumni)]
        Usage.objects.bulk_create(usages, batch_size=5000)
    return staff, len(usages)


def bench_billing(staff, period: datetime.date, n_usages: int) -> None:
    from invoicing.services.billing import billing_run

    print("\n1. Billing run")
    cpu = time.process_time()
    with Timer() as run:
        report_ = billing_run(actor=staff, period=period)
    cpu = time.process_time() - cpu
    drafts = len(report_.drafts)
    report(f"billing run: {n_usages:,} usages → {drafts:,} drafts",
           f"{run.seconds:.2f} s = {drafts / run.seconds:,.0f} invoices/s (CPU of this process {cpu:.1f} s)")
    with Timer() as again:
        rerun = billing_run(actor=staff, period=period)
    report("rerun with nothing new (bills nothing)", f"{again.seconds:.2f} s, {len(rerun.drafts)} drafts")


def bench_issue(staff) -> list:
    from django_scopes import scopes_disabled

    from invoicing.models import Invoice, Payment
    from invoicing.services.invoices import invoice_issue

    print("\n2. Issuing every draft (four dates, oldest first), a third paid")
    today = datetime.date.today()
    with scopes_disabled():
        drafts = list(Invoice.objects.filter(state="draft").order_by("pk"))
        groups = [drafts[i::4] for i in range(4)]
        issued = []
        with Timer() as t:
            for days, group in zip((120, 75, 45, 10), groups, strict=True):
                for draft in group:
                    issued.append(invoice_issue(actor=staff, invoice=draft, today=today - datetime.timedelta(days=days)))
        report(f"issue {len(issued):,} invoices (gapless numbers, row lock)",
               f"{t.seconds:.2f} s = {len(issued) / t.seconds:,.0f} invoices/s")
        Payment.objects.bulk_create([
            Payment(workspace_id=invoice.workspace_id, invoice=invoice, received_on=invoice.due_date - datetime.timedelta(days=20),
                    amount=invoice.total_gross, method="transfer") for invoice in issued[::3]])
    return issued


def bench_pdf(issued: list, n_pdfs: int) -> None:
    from django_scopes import scopes_disabled
    from weasyprint import HTML

    from invoicing.documents.pdf import invoice_pdf

    print("\n3. Invoice PDF (Factur-X) vs an empty WeasyPrint page, same run")
    n_empty = 20
    HTML(string="<html><body></body></html>").write_pdf()  # warm-up
    cpu = time.process_time()
    with Timer() as empty:
        for _ in range(n_empty):
            HTML(string="<html><body></body></html>").write_pdf()
    cpu_empty = (time.process_time() - cpu) / n_empty
    wall_empty = empty.seconds / n_empty
    sample = [issued[i * len(issued) // n_pdfs] for i in range(n_pdfs)]
    with scopes_disabled():
        invoice_pdf(sample[0])  # warm-up (fonts, templates, XSD)
        cpu = time.process_time()
        with Timer() as pdfs:
            sizes = [len(invoice_pdf(invoice)) for invoice in sample]
    cpu_pdf = (time.process_time() - cpu) / n_pdfs
    wall_pdf = pdfs.seconds / n_pdfs
    report(f"invoice PDF, {n_pdfs} invoices: wall / CPU each", f"{wall_pdf * 1000:.0f} ms / {cpu_pdf * 1000:.0f} ms "
           f"({statistics.mean(sizes) / 1024:.0f} KiB)")
    report("empty WeasyPrint page: wall / CPU", f"{wall_empty * 1000:.1f} ms / {cpu_empty * 1000:.1f} ms")
    report("ratio invoice / empty page: wall / CPU", f"{wall_pdf / wall_empty:.1f}× / {cpu_pdf / cpu_empty:.1f}×")


def bench_balances(staff, n_customers: int) -> None:
    from django.conf import settings
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse

    from tests.conftest import login

    print("\n4. Staff aged-balance page")
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    client = login(staff)
    url = reverse("staff:invoicing:balances")
    client.get(url)  # warm-up
    times = []
    for _ in range(5):
        with CaptureQueriesContext(connection) as queries, Timer() as t:
            response = client.get(url)
        assert response.status_code == 200, response.status_code
        times.append(t.seconds)
    report(f"GET /staff/invoicing/balances/ ({n_customers:,} customers): median of 5",
           f"{statistics.median(times) * 1000:.0f} ms, {len(queries)} queries")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="15 CAEs and 100 alumni companies")
    parser.add_argument("--pdfs", type=int, default=None, help="how many invoice PDFs to time (default 20, quick 5)")
    args = parser.parse_args()
    n_caes, n_alumni = (15, 100) if args.quick else (150, 1000)
    n_pdfs = args.pdfs or (5 if args.quick else 20)
    setup_django()
    import logging

    from django.conf import settings

    logging.disable(logging.WARNING)
    today = datetime.date.today()
    period = (today.replace(day=1) - datetime.timedelta(days=1)).replace(day=1)  # last month
    engine = settings.DATABASES["default"]["ENGINE"].rsplit(".", 1)[-1]
    print(f"invoicing bench on {engine}: {n_caes} CAEs, {n_alumni} alumni companies, month {period:%Y-%m}")
    with throwaway_database():
        with Timer() as t:
            staff, n_usages = build(n_caes, n_alumni, period)
        report("build (workspaces, agreements, price lines, usages)", f"{t.seconds:.1f} s")
        bench_billing(staff, period, n_usages)
        issued = bench_issue(staff)
        bench_pdf(issued, n_pdfs)
        bench_balances(staff, n_caes + n_alumni)


if __name__ == "__main__":
    main()
