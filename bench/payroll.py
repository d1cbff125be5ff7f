"""Payroll at federation scale: prints figures, asserts nothing.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/test .venv/bin/python bench/payroll.py [--quick]

Sections:
1. parsing a 100,000-row xlsx: openpyxl read-only vs python-calamine;
2. the pay engine: payslips computed per second vs OpenFisca-France computing salaire_net
   for the same people, vectorised, in the same run;
3. import end to end (file → validated → stored) vs a bare bulk_create of the same rows
   and vs django-import-export's default per-row import of the same file;
4. payroll run and payslip PDFs (PDF time as a ratio to an empty page of Typst, the payslip's
   engine, and of WeasyPrint, in the same run; pages per payslip);
5. queries per page for the submission and payslip lists (constant in the number of rows);
6. peak memory of a 100,000-row xlsx import, in a fresh child process (its own peak, VmHWM);
7. the staff audit trail with 500,000 entries: page 1, page 2,000 (keyset), the object search,
   against COUNT + OFFSET paging in the same run; the workspace home's queries.
"""

from __future__ import annotations

import argparse
import datetime
import random
import sys
import tempfile
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import Timer, report, setup_django  # noqa: E402

PERIOD = datetime.date(2026, 1, 1)
HEADERS = ["matricule", "nom", "prenom", "nir", "statut", "heures", "salaire_brut", "primes",
           "frais_rembourses", "chiffre_affaires_ht", "taux_pas"]


def nir(n: int, birth: datetime.date | None = None) -> str:
    """A valid fictional NIR (key 97 − number mod 97), agreeing with `birth` when given."""
    year, month = (birth.year % 100, birth.month) if birth else (70 + n % 30, 1 + n % 12)
    body = f"{1 + n % 2}{year:02d}{month:02d}75{1 + (n // 1000) % 999:03d}{1 + n % 999:03d}"
    return body + f"{97 - int(body) % 97:02d}"


def sample_rows(n: int, *, prefix: str = "M", seed: int = 1, nir_offset: int = 0):
    rnd = random.Random(seed)
    for i in range(n):
        yield [f"{prefix}{i:06d}", f"Nom{i}", "Prénom", nir(i + nir_offset), "cadre" if i % 4 == 0 else "non_cadre",
               "151,67" if i % 5 else "", f"{rnd.randint(1900, 9000)},{rnd.randint(0, 99):02d}", "0", "12,50",
               f"{rnd.randint(2000, 20000)},00", "3,5"]


def write_xlsx(path: Path, rows) -> None:
    from openpyxl import Workbook

    wb = Workbook(write_only=True)
    ws = wb.create_sheet("Paie")
    ws.append(HEADERS)
    for row in rows:
        ws.append(row)
    wb.save(path)


def bench_parsing(n: int, tmp: Path) -> None:
    from openpyxl import load_workbook
    from python_calamine import CalamineWorkbook

    print(f"\n1. Parsing a {n:,}-row xlsx")
    path = tmp / "big.xlsx"
    with Timer() as t:
        write_xlsx(path, sample_rows(n))
    report("writing it (openpyxl write-only)", f"{t.seconds:.1f} s, {path.stat().st_size / 1e6:.1f} MB")
    with Timer() as t_openpyxl:
        wb = load_workbook(path, read_only=True, data_only=True)
        count = sum(1 for _ in wb.active.iter_rows(values_only=True))
        wb.close()
    report("openpyxl read-only", f"{t_openpyxl.seconds:.1f} s ({count - 1:,} rows)")
    with Timer() as t_calamine:
        sheet = CalamineWorkbook.from_path(str(path)).get_sheet_by_index(0)
        count = sum(1 for _ in sheet.iter_rows())
    report("python-calamine", f"{t_calamine.seconds:.1f} s ({count - 1:,} rows)")
    report("calamine speed-up", f"{t_openpyxl.seconds / t_calamine.seconds:.1f}×")


def bench_engine(n: int) -> None:
    from payroll.engine import PayslipInput, compute_payslip, rate_set_for
    from payroll.engine.payslip import YearToDate
    from tests.payroll.openfisca_oracle import OracleCase, salaire_net, tax_benefit_system

    print(f"\n2. Pay engine, {n:,} payslips ({PERIOD:%Y-%m}; réduction générale on a year to date, D241-7)")
    rates = rate_set_for(PERIOD)
    rnd = random.Random(2)
    people = [("cadre" if i % 4 == 0 else "non_cadre", Decimal(f"{rnd.randint(1900, 15000)}.{rnd.randint(0, 99):02d}"))
              for i in range(n)]
    with Timer() as ours:
        results = [compute_payslip(PayslipInput(period=PERIOD, status=status, gross_salary=gross,
                                                at_mp_rate=Decimal("1.30"), contractual_hours=None,
                                                year_to_date=YearToDate(gross=gross * 5, smic=Decimal("9115.165"),
                                                                        reduction=Decimal("250"))), rates)
                   for status, gross in people]
    report("ours", f"{ours.seconds:.2f} s = {n / ours.seconds:,.0f} payslips/s")
    with Timer() as load:
        tax_benefit_system()
    with Timer() as theirs:
        nets = salaire_net(PERIOD, [OracleCase(status, gross, None) for status, gross in people])
    report("OpenFisca-France: loading the tax-benefit system (once)", f"{load.seconds:.2f} s")
    report("OpenFisca-France: one vectorised simulation", f"{theirs.seconds:.2f} s = {n / theirs.seconds:,.0f} people/s")
    report("ratio OpenFisca time / ours (goal ≥ 1)", f"{theirs.seconds / ours.seconds:.1f}×")
    worst = max(abs(r.net_before_tax - net) for r, net in zip(results, nets, strict=True))
    report("max |net before tax − salaire_net|, as computed", f"{worst} €")
    # The named difference of tests/payroll/test_engine_openfisca.py: the cadres' compulsory
    # 1.50 % provident joins the CSG/CRDS base (L136-1-1 CSS); OpenFisca-France leaves it out.
    from tests.payroll.test_engine_openfisca import _comparable_net

    worst = max(abs(_comparable_net(r) - net) for r, net in zip(results, nets, strict=True))
    report("  the same less the named difference (CSG/CRDS on the cadres' provident) (goal ≤ 0.05 €)",
           f"{worst:.4f} €")



# --- a federation-scale month -------------------------------------------------------------------

def build_federation(n_workspaces: int, per_workspace: int, *, slug: str = "cae", offset: int = 0, staff=None):
    """Partner workspaces with their entrepreneurs and payroll settings, in bulk."""
    from django_scopes import scopes_disabled
    from stdnum import luhn

    from backoffice.models import Entrepreneur, Membership, User, Workspace
    from payroll.models import PayrollSettings, Scheme

    with scopes_disabled():
        if staff is None:
            host = Workspace.objects.create(kind="host", slug="host", name="Hôte", siren="732829320")
            staff = User.objects.create_user(email="bench@mutualise.test", password="x")
            Membership.objects.create(workspace=host, user=staff, role="host_admin")
        workspaces = []
        for w in range(n_workspaces):
            base = f"{500000 + offset + w:08d}"
            siren = base + luhn.calc_check_digit(base)
            siret = siren + "0001" + luhn.calc_check_digit(siren + "0001")
            workspaces.append(Workspace(kind="partner", slug=f"{slug}-{w:03d}", name=f"CAE {slug} {w}", siren=siren,
                                        siret=siret))
        Workspace.objects.bulk_create(workspaces)
        workspaces = list(Workspace.objects.filter(kind="partner", slug__startswith=f"{slug}-").order_by("slug"))
        people = []
        for w, ws in enumerate(workspaces):
            for i in range(per_workspace):
                n = offset + w * per_workspace + i
                birth = datetime.date(1970 + n % 30, 1 + n % 12, 1)
                people.append(Entrepreneur(workspace=ws, matricule=f"M{i:05d}", last_name=f"Nom{n}", first_name="Prénom",
                                           birth_date=birth, nir=nir(n, birth), nationality="fr",
                                           entry_date=datetime.date(2024, 1, 1)))
        Entrepreneur.objects.bulk_create(people, batch_size=2000)
        # Everything the monthly declaration needs (payroll/exports/dsn.py), so month_end.py can declare.
        settings = PayrollSettings.objects.bulk_create([
            PayrollSettings(workspace=ws, siret=ws.siret, naf_code="7022Z", urssaf_number="117000001234",
                            at_mp_rate=Decimal("1.30"), at_mp_risk_code="741GA", dsn_contact_name="Service paie",
                            dsn_contact_email="paie@example.org", dsn_contact_phone="0472000000",
                            urssaf_siret="79432733800172", agirc_arrco_siret="77570080000219",
                            debit_iban="FR7630006000011234567890189", debit_bic="AGRIFRPPXXX") for ws in workspaces])
        Scheme.objects.bulk_create([
            Scheme(workspace=s.workspace, settings=s, kind="provident", label="Prévoyance cadres", applies_to="cadre",
                   base="tranche_a", employer_rate=Decimal("1.50"), organisation_code="P0942",
                   contract_reference="PREV-CADRES") for s in settings])
    return staff, workspaces


def federation_files(workspaces, per_workspace: int, *, offset: int = 0, small_last: bool = True) -> dict[int, bytes]:
    from tests.factories import submission_row, submission_xlsx

    rnd = random.Random(3)
    files = {}
    for w, ws in enumerate(workspaces):
        rows = []
        for i in range(per_workspace):
            n = offset + w * per_workspace + i
            birth = datetime.date(1970 + n % 30, 1 + n % 12, 1)
            rows.append(submission_row(f"M{i:05d}", nom=f"Nom{n}", prenom="Prénom", nir=nir(n, birth),
                                       statut="cadre" if i % 4 == 0 else "non_cadre",
                                       salaire_brut=f"{rnd.randint(1900, 9000)},{rnd.randint(0, 99):02d}",
                                       frais_rembourses="12,50", chiffre_affaires_ht=f"{rnd.randint(2000, 20000)}",
                                       taux_pas="3,5", classification="Position 2.1, coefficient 275"))
        if small_last and w == len(workspaces) - 1 and len(workspaces) > 1:
            rows = rows[:8]  # one small CAE, to compare queries per page with a large one
        files[ws.pk] = submission_xlsx(rows)
    return files


def bench_import(staff, workspaces, files, label: str, *, import_export: bool = True) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.db import transaction
    from django_scopes import scope

    from backoffice.models import Document, Entrepreneur
    from payroll.models import Employment, MonthlySubmission, PayrollPeriod, SubmissionLine
    from payroll.services.submissions import submission_import

    print(f"\n3. Import end to end: {label}")
    with Timer() as ours:
        for ws in workspaces:
            with scope(workspace=ws):
                submission_import(actor=staff, workspace=ws, period=PERIOD,
                                  upload=SimpleUploadedFile(f"paie-{ws.slug}.xlsx", files[ws.pk]))
    from django_scopes import scopes_disabled

    with scopes_disabled():
        rows = SubmissionLine.objects.filter(workspace__in=workspaces).count()
    report("ours: file → validated → stored (upload, check, confirm)", f"{ours.seconds:.2f} s = {rows / ours.seconds:,.0f} rows/s")
    # The next month, once each person's employment record exists (the steady state).
    with Timer() as steady:
        for ws in workspaces:
            with scope(workspace=ws):
                submission_import(actor=staff, workspace=ws, period=datetime.date(2026, 5, 1),
                                  upload=SimpleUploadedFile(f"paie-{ws.slug}.xlsx", files[ws.pk]))
    report("ours, the next month (employment records exist)", f"{steady.seconds:.2f} s = {rows / steady.seconds:,.0f} rows/s")

    # The same rows written by a bare bulk_create (objects built beforehand, not timed).
    with scopes_disabled():
        february = datetime.date(2026, 2, 1)
        people = {(e.workspace_id, e.matricule): e.pk for e in Entrepreneur.objects.filter(workspace__in=workspaces)}
        lines = list(SubmissionLine.objects.filter(submission__period__period=PERIOD, workspace__in=workspaces).values())
        submissions = {}
        for ws in workspaces:
            period = PayrollPeriod.objects.create(workspace=ws, period=february)
            doc = Document.objects.get(pk=MonthlySubmission.objects.filter(workspace=ws).first().document_id)
            submissions[ws.pk] = MonthlySubmission.objects.create(workspace=ws, period=period, version=1, document=doc)
        objects = [SubmissionLine(**{**line, "id": None, "submission_id": submissions[line["workspace_id"]].pk})
                   for line in lines]
        assert len(people) >= len(objects)
        # The first month also creates each person's employment record: the floor includes them.
        employments = [Employment(**{**e, "id": None}) for e in
                       Employment.objects.filter(workspace__in=workspaces).values()]
        with transaction.atomic():
            Employment.objects.filter(workspace__in=workspaces).delete()  # restored by the rollback below
            with Timer() as bare_employments:
                Employment.objects.bulk_create(employments, batch_size=1000)
            with Timer() as bare_lines:
                SubmissionLine.objects.bulk_create(objects, batch_size=1000)
            transaction.set_rollback(True)
    bare = bare_employments.seconds + bare_lines.seconds
    report(f"bare bulk_create of the same rows + {len(employments):,} employments (first month's floor)",
           f"{bare:.2f} s = {rows / bare:,.0f} rows/s (lines alone {bare_lines.seconds:.2f} s)")
    report("ratio ours / bulk_create (goal ≤ 3×): first month (lines + employments)",
           f"{ours.seconds / bare:.1f}×")
    report("ratio ours / bulk_create: next month (lines alone)", f"{steady.seconds / bare_lines.seconds:.1f}×")

    if not import_export:
        return
    # django-import-export's default per-row import of the same files.
    import tablib
    from import_export import fields, resources, widgets

    class LineResource(resources.ModelResource):
        entrepreneur = fields.Field(column_name="matricule", attribute="entrepreneur",
                                    widget=widgets.ForeignKeyWidget(Entrepreneur, "matricule"))
        status = fields.Field(column_name="statut", attribute="status")
        hours = fields.Field(column_name="heures", attribute="hours", widget=widgets.DecimalWidget())
        gross_salary = fields.Field(column_name="salaire_brut", attribute="gross_salary", widget=widgets.DecimalWidget())
        bonuses = fields.Field(column_name="primes", attribute="bonuses", widget=widgets.DecimalWidget())
        reimbursed_expenses = fields.Field(column_name="frais_rembourses", attribute="reimbursed_expenses",
                                           widget=widgets.DecimalWidget())
        revenue = fields.Field(column_name="chiffre_affaires_ht", attribute="revenue", widget=widgets.DecimalWidget())
        pas_rate = fields.Field(column_name="taux_pas", attribute="pas_rate", widget=widgets.DecimalWidget())

        class Meta:
            model = SubmissionLine
            fields = ("entrepreneur", "status", "hours", "gross_salary", "bonuses", "reimbursed_expenses", "revenue",
                      "pas_rate")
            import_id_fields = ("entrepreneur",)

        def __init__(self, submission):
            super().__init__()
            self.submission = submission
            self.row_number = 1

        def get_queryset(self):
            return SubmissionLine.objects.filter(submission=self.submission)

        def before_save_instance(self, instance, row, **kwargs):
            self.row_number += 1
            instance.workspace_id, instance.submission = self.submission.workspace_id, self.submission
            instance.row_number = self.row_number

    march = datetime.date(2026, 3, 1)
    with scopes_disabled():
        targets = {}
        for ws in workspaces:
            period = PayrollPeriod.objects.create(workspace=ws, period=march)
            targets[ws.pk] = MonthlySubmission.objects.create(workspace=ws, period=period, version=1,
                                                              document=submissions[ws.pk].document)
    with Timer() as theirs:
        for ws in workspaces:
            with scope(workspace=ws):
                dataset = tablib.Dataset().load(files[ws.pk], format="xlsx")
                result = LineResource(targets[ws.pk]).import_data(dataset, dry_run=False, raise_errors=True)
                assert not result.has_errors()
    with scopes_disabled():
        imported = SubmissionLine.objects.filter(submission__period__period=march, workspace__in=workspaces).count()
    report("django-import-export default per-row import", f"{theirs.seconds:.2f} s = {imported / theirs.seconds:,.0f} rows/s")
    report("ratio import-export / ours (goal ≥ 10×)", f"{theirs.seconds / ours.seconds:.1f}×")


def bench_run_and_pdf(staff, workspaces) -> None:
    from django_scopes import scope, scopes_disabled
    from weasyprint import HTML

    from payroll.models import PayrollPeriod, Payslip
    from payroll.services.payslips import payslips_render
    from payroll.services.runs import payroll_run

    print("\n4. Payroll run and payslip PDFs")
    with Timer() as run:
        for ws in workspaces:
            with scope(workspace=ws):
                payroll_run(actor=staff, workspace=ws, period=PERIOD)
    with scopes_disabled():
        count = Payslip.objects.count()
    report("payroll run, every workspace (computed and stored)", f"{run.seconds:.2f} s = {count / run.seconds:,.0f} payslips/s")
    with Timer() as again:
        for ws in workspaces[:10]:
            with scope(workspace=ws):
                payroll_run(actor=staff, workspace=ws, period=PERIOD)
    report("re-run of 10 workspaces (nothing changed)", f"{again.seconds:.2f} s")

    # Empty pages of both engines, in this run: each engine's fixed cost of a document.
    import time

    import typst

    from backoffice.pdf import _typst_fonts

    n_empty = 20
    HTML(string="<html><body></body></html>").write_pdf()  # warm-up
    cpu = time.process_time()
    with Timer() as empty:
        for _ in range(n_empty):
            HTML(string="<html><body></body></html>").write_pdf()
    cpu_empty = (time.process_time() - cpu) / n_empty
    per_empty = empty.seconds / n_empty
    empty_path = Path(tempfile.mkdtemp()) / "empty.typ"
    empty_path.write_text('#set page(paper: "a4")\n')
    empty_typst = typst.Compiler(empty_path, root=empty_path.parent, font_paths=_typst_fonts())
    empty_typst.compile(format="pdf")  # warm-up
    cpu = time.process_time()
    with Timer() as empty_t:
        for _ in range(n_empty):
            empty_typst.compile(format="pdf", sys_inputs={"n": str(_)})
    cpu_empty_typst = (time.process_time() - cpu) / n_empty
    per_empty_typst = empty_t.seconds / n_empty

    from pypdf import PdfReader

    from backoffice.models import Document
    from payroll.services.payslips import (
        employer_identity,
        payment_date,
        payslip_content,
        payslip_pdf,
    )

    ws = workspaces[0]
    with scope(workspace=ws):
        period = PayrollPeriod.objects.get(workspace=ws, period=PERIOD)
        cpu = time.process_time()
        with Timer() as pdf:
            outcome = payslips_render(actor=staff, workspace=ws, payroll_period=period)
        cpu_stored = (time.process_time() - cpu) / max(outcome.rendered, 1)
        with Timer() as pdf_again:
            payslips_render(actor=staff, workspace=ws, payroll_period=period)
        # The PDF alone (no storage), over the same payslips.
        settings = ws.payroll_settings
        employer, day = employer_identity(ws, settings), payment_date(PERIOD, settings)
        contents = [payslip_content(payslip=p, lines=p.lines.all(), employer=employer, employment=None,
                                    payment_day=day)
                    for p in Payslip.objects.filter(run__period=period).select_related("entrepreneur")
                    .prefetch_related("lines")]
        cpu = time.process_time()
        with Timer() as alone:
            for content in contents:
                payslip_pdf(content)
        cpu_alone = (time.process_time() - cpu) / len(contents)
        pages = [len(PdfReader(d.file.path).pages) for d in
                 Document.objects.filter(pk__in=Payslip.objects.filter(run__period=period).values("pdf_id"))]
    per_payslip = pdf.seconds / max(outcome.rendered, 1)
    per_alone = alone.seconds / len(contents)
    report(f"payslip PDFs of one workspace ({outcome.rendered} rendered, stored, zip included)",
           f"{pdf.seconds:.2f} s = {per_payslip * 1000:.1f} ms per payslip")
    report("payslip PDF alone (Typst, no storage): wall / CPU", f"{per_alone * 1000:.1f} ms / {cpu_alone * 1000:.1f} ms")
    report("empty page, wall: Typst / WeasyPrint", f"{per_empty_typst * 1000:.1f} ms / {per_empty * 1000:.1f} ms")
    report("empty page, CPU: Typst / WeasyPrint", f"{cpu_empty_typst * 1000:.1f} ms / {cpu_empty * 1000:.1f} ms")
    report("ratio payslip alone / empty page, CPU time (robust on a busy machine): Typst / WeasyPrint",
           f"{cpu_alone / cpu_empty_typst:.1f}× / {cpu_alone / cpu_empty:.2f}×")
    report("ratio payslip (stored) / empty Typst page (goal ≤ 2.5×)", f"{per_payslip / per_empty_typst:.1f}×")
    report("ratio payslip (stored) / empty WeasyPrint page, wall (goal ≤ 2.5×)", f"{per_payslip / per_empty:.2f}×")
    report("ratio payslip (stored) / empty WeasyPrint page, CPU of this process (goal ≤ 2.5×)",
           f"{cpu_stored / cpu_empty:.2f}× ({cpu_stored * 1000:.1f} ms; the database server's CPU not included)")
    report("payslips on one page (goal 100 %)", f"{sum(1 for n in pages if n == 1) * 100 / len(pages):.0f} % "
           f"of {len(pages)} (most pages: {max(pages)})")
    report("12,000 payslips at this rate, 2 workers (goal ≤ 5 min)", f"{12_000 * per_payslip / 2 / 60:.1f} min "
           f"(at the PDF's CPU time alone: {12_000 * cpu_alone / 2 / 60:.1f} min)")
    report("second render of the same month (nothing changed)", f"{pdf_again.seconds:.2f} s")


def bench_queries(staff, workspaces) -> None:
    from django.conf import settings
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse
    from django_scopes import scopes_disabled

    from payroll.models import PayrollPeriod
    from tests.conftest import login

    print("\n5. Queries per page (constant in the number of rows)")
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    client = login(staff)
    with scopes_disabled():
        periods = {ws.pk: PayrollPeriod.objects.get(workspace=ws, period=PERIOD).pk for ws in workspaces}
        from payroll.models import Payslip

        sizes = {ws.pk: Payslip.objects.filter(workspace=ws).count() for ws in workspaces}
    pages = [("submission list (payroll home)", lambda ws: reverse("payroll_home", args=[ws.slug])),
             ("payslip list (month page)", lambda ws: reverse("payroll_period", args=[ws.slug, periods[ws.pk]]))]
    small = min(workspaces, key=lambda ws: sizes[ws.pk])
    big = max(workspaces, key=lambda ws: sizes[ws.pk])
    for label, url in pages:
        counts = []
        for ws in (small, big):
            with CaptureQueriesContext(connection) as queries:
                response = client.get(url(ws))
            assert response.status_code == 200, response.status_code
            counts.append(f"{len(queries)} queries for {sizes[ws.pk]} payslips")
        report(label, " vs ".join(counts))


def bench_audit(n: int, staff, workspaces) -> None:
    """The staff audit trail at a year's scale: keyset pages and the object search, against
    the former COUNT + OFFSET paging in the same run; the workspace home's queries."""
    import statistics

    from django.conf import settings
    from django.core.paginator import Paginator
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse
    from django.utils import timezone
    from django_scopes import scope, scopes_disabled

    from backoffice.bulk import bulk_insert
    from backoffice.models import AuditEntry
    from backoffice.pagination import encode_cursor
    from tests.conftest import login
    from tests.factories import DossierFactory

    print(f"\n7. Audit trail with {n:,} entries; workspace home")
    start = timezone.now() - datetime.timedelta(days=365)
    step = datetime.timedelta(days=365) / n
    with Timer() as fill:
        for chunk in range(0, n, 50_000):
            bulk_insert(AuditEntry, [
                {"workspace_id": workspaces[i % len(workspaces)].pk, "actor_id": staff.pk if i % 3 else None,
                 "action": ("dossier.status", "payroll.payroll_run", "document.download")[i % 3],
                 "object_type": "backoffice.dossier", "object_id": str(i),
                 "object_repr": f"Paie {2025 + i % 2}-{1 + i % 12:02d} dossier {i}",
                 "changes": {"status": ["new", "in_progress"]}, "created_at": start + step * i}
                for i in range(chunk, min(n, chunk + 50_000))])
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE backoffice_auditentry")
    report("filling it (COPY)", f"{fill.seconds:.1f} s")
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    client = login(staff)
    url = reverse("staff:audit")
    deep = min(2000, n // 100)
    with scopes_disabled():
        edge = AuditEntry.objects.order_by("-created_at", "-pk").values_list("created_at", "pk")[
            (deep - 1) * 100 - 1]
    cursor = encode_cursor(*edge)

    def timed(params) -> tuple[float, int]:
        times = []
        for _ in range(5):
            with CaptureQueriesContext(connection) as queries, Timer() as t:
                response = client.get(url, params)
            assert response.status_code == 200
            times.append(t.seconds)
        return statistics.median(times), len(queries)

    first, first_queries = timed({})
    deep_page, deep_queries = timed({"after": cursor})
    search, _ = timed({"object": "dossier 123456" if n > 123456 else "dossier 1234"})
    report("page 1 (median of 5, whole view)", f"{first * 1000:.0f} ms, {first_queries} queries")
    report(f"page {deep:,} by keyset (goal: as page 1)", f"{deep_page * 1000:.0f} ms, {deep_queries} queries")
    report("object search (trigram index)", f"{search * 1000:.0f} ms")
    with scopes_disabled(), Timer() as offset:  # the paging this page used before keyset
        page = Paginator(AuditEntry.objects.order_by("-created_at", "-pk"), 100).page(deep)
        list(page.object_list)
    from backoffice.pagination import keyset_page

    with scopes_disabled(), Timer() as keyset:
        keyset_page(AuditEntry.objects.all(), after=cursor)
    with scopes_disabled(), Timer() as searched:
        list(AuditEntry.objects.filter(object_repr__icontains="dossier 1234").order_by("-created_at", "-pk")[:101])
    report(f"page {deep:,}, query only: keyset / former COUNT + OFFSET",
           f"{keyset.seconds * 1000:.1f} ms / {offset.seconds * 1000:.0f} ms")
    report("object search, query only", f"{searched.seconds * 1000:.1f} ms")

    small, big = workspaces[0], workspaces[1]
    with scope(workspace=big):
        for i in range(9):
            DossierFactory(workspace=big, title=f"Bench {i}")
    counts = []
    for ws in (small, big):
        with CaptureQueriesContext(connection) as queries:
            assert client.get(reverse("workspace_home", args=[ws.slug])).status_code == 200
        counts.append(len(queries))
    report("workspace home: queries with 1 / 10 open dossiers (constant)", f"{counts[0]} / {counts[1]}")


def bench_memory_child(path: str, rows: int) -> None:
    """Runs in a child process on the parent's throw-away database: import a big file."""
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django_scopes import scope, scopes_disabled

    from backoffice.models import User, Workspace
    from bench.common import peak_rss_mb
    from payroll.services.submissions import submission_import

    with scopes_disabled():
        ws = Workspace.objects.get(slug="cae-000")
        staff = User.objects.get(email="bench@mutualise.test")
    before = peak_rss_mb()
    with Timer() as t, scope(workspace=ws), open(path, "rb") as fh:
        submission_import(actor=staff, workspace=ws, period=datetime.date(2026, 4, 1),
                          upload=SimpleUploadedFile("big.xlsx", fh.read()))
    print(f"CHILD rows={rows} seconds={t.seconds:.1f} peak_mb={peak_rss_mb():.0f} start_mb={before:.0f}")


def bench_memory(n: int, tmp: Path, db_name: str) -> None:
    import os
    import subprocess

    print(f"\n6. Peak memory of a {n:,}-row xlsx import (child process; new matricules create entrepreneurs)")
    path = tmp / "memory.xlsx"
    write_xlsx(path, sample_rows(n, prefix="N", seed=4, nir_offset=500_000))  # NIRs unlike the federation's
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "tests.settings", "MUTUALISE_TEST_DB_NAME": db_name}
    out = subprocess.run([sys.executable, __file__, "--memory-child", str(path), str(n)], env=env,
                         capture_output=True, text=True, check=False)
    line = next((ln for ln in out.stdout.splitlines() if ln.startswith("CHILD")), None)
    if line is None:
        report("child failed", (out.stderr or out.stdout)[-2000:])
        return
    values = dict(item.split("=") for item in line.split()[1:])
    report("import time", f"{values['seconds']} s = {n / float(values['seconds']):,.0f} rows/s")
    report("peak resident memory of the process (goal ≤ 300 MB)", f"{values['peak_mb']} MB "
           f"(of which {values['start_mb']} MB before the import: Python, Django, libraries)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="a small federation (for a smoke run)")
    parser.add_argument("--only", nargs="*", help="section numbers to run, e.g. --only 1 2")
    parser.add_argument("--audit-entries", type=int, default=500_000,
                        help="audit entries of section 7 at full scale (divided by 10 with --quick)")
    parser.add_argument("--import-rows", type=int, default=None,
                        help="rows of section 3's one-file import (default 12,000, or 1,200 with --quick)")
    parser.add_argument("--no-import-export", action="store_true",
                        help="skip the django-import-export comparison of section 3 (slow)")
    parser.add_argument("--memory-child", nargs=2, metavar=("FILE", "ROWS"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    setup_django()
    if args.memory_child:
        bench_memory_child(args.memory_child[0], int(args.memory_child[1]))
        return
    from django.db import connection

    scale = 10 if args.quick else 1
    sections = set(args.only or ["1", "2", "3", "4", "5", "6", "7"])
    print(f"Mutualise payroll bench — database: {connection.vendor}, scale 1/{scale}")
    with tempfile.TemporaryDirectory() as tmp:
        if "1" in sections:
            bench_parsing(100_000 // scale, Path(tmp))
        if "2" in sections:
            bench_engine(12_000 // scale)
        if sections & {"3", "4", "5", "6", "7"}:
            from bench.common import throwaway_database

            with throwaway_database() as db_name:
                n_ws = 150 // scale
                staff, workspaces = build_federation(n_ws, 80)
                print(f"\nFederation: {n_ws} workspaces × 80 entrepreneurs = {n_ws * 80:,} people")
                if sections & {"3", "4", "5"}:
                    bench_import(staff, workspaces, federation_files(workspaces, 80),
                                 f"{n_ws} CAEs, one 80-row xlsx each (fixed cost per file: storage, dossier, audit)",
                                 import_export=not args.no_import_export)
                if "3" in sections:
                    big_rows = args.import_rows or 12_000 // scale
                    _staff, big = build_federation(1, big_rows, slug="big", offset=1_000_000, staff=staff)
                    bench_import(staff, big, federation_files(big, big_rows, offset=1_000_000),
                                 f"one CAE, one {big_rows:,}-row xlsx", import_export=not args.no_import_export)
                if sections & {"4", "5"}:
                    bench_run_and_pdf(staff, workspaces)
                if "5" in sections:
                    bench_queries(staff, workspaces)
                if "6" in sections:
                    bench_memory(100_000 // scale, Path(tmp), db_name)
                if "7" in sections:
                    bench_audit(args.audit_entries // scale, staff, workspaces)


if __name__ == "__main__":
    main()
