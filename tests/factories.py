"""factory-boy factories with valid French identifiers (checked by python-stdnum)."""

from __future__ import annotations

import datetime
from decimal import Decimal

import factory
from django.core.files.base import ContentFile
from stdnum import luhn

from backoffice.models import (
    Document,
    Dossier,
    Entrepreneur,
    Membership,
    PriceLine,
    ServiceAgreement,
    Usage,
    User,
    Workspace,
)


def make_siren(n: int) -> str:
    base = f"{n % 10**8:08d}"
    return base + luhn.calc_check_digit(base)


def make_siret(siren: str, establishment: int = 1) -> str:
    base = siren + f"{establishment:04d}"
    return base + luhn.calc_check_digit(base)


def make_nir(n: int, sex: int = 1, year: int = 85, month: int = 6) -> str:
    # Commune and order number each 001–999 (three digits: n % 1000 + 1 reached 1000, a 16-character
    # NIR, once a long run's factory sequence passed 999).
    body = f"{sex}{year:02d}{month:02d}75{(n // 999) % 999 + 1:03d}{n % 999 + 1:03d}"
    return body + f"{97 - int(body) % 97:02d}"


class WorkspaceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Workspace
        django_get_or_create = ("slug",)

    kind = "partner"
    slug = factory.Sequence(lambda n: f"cae-{n}")
    name = factory.LazyAttribute(lambda o: f"CAE {o.slug}")
    legal_form = "SCOP SA"
    siren = factory.Sequence(lambda n: make_siren(100000 + n))
    siret = factory.LazyAttribute(lambda o: make_siret(o.siren))
    city = "Lyon"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("email",)

    email = factory.Sequence(lambda n: f"user{n}@example.test")
    first_name = "Camille"
    last_name = factory.Sequence(lambda n: f"Martin{n}")
    password = factory.django.Password("correct horse battery staple")


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    workspace = factory.SubFactory(WorkspaceFactory)
    user = factory.SubFactory(UserFactory)
    role = "manager"


class EntrepreneurFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Entrepreneur

    workspace = factory.SubFactory(WorkspaceFactory)
    matricule = factory.Sequence(lambda n: f"M{n:05d}")
    last_name = factory.Sequence(lambda n: f"Durand{n}")
    first_name = "Alex"
    birth_date = datetime.date(1985, 6, 1)
    nationality = "fr"
    nir = factory.Sequence(make_nir)
    entry_date = datetime.date(2024, 1, 1)
    trade = "Menuiserie"


class DossierFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Dossier

    workspace = factory.SubFactory(WorkspaceFactory)
    service = "payroll"
    kind = "monthly_submission"
    title = factory.Sequence(lambda n: f"Dossier {n}")


class DocumentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Document

    workspace = factory.SubFactory(WorkspaceFactory)
    title = "Attestation"
    file = factory.LazyFunction(lambda: ContentFile(b"%PDF-1.4 test", name="attestation.pdf"))
    original_name = "attestation.pdf"
    content_type = "application/pdf"
    size = 13
    sha256 = "0" * 64


class ServiceAgreementFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ServiceAgreement

    workspace = factory.SubFactory(WorkspaceFactory)
    service = "payroll"
    start_date = datetime.date(2025, 1, 1)


class PriceLineFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PriceLine

    agreement = factory.SubFactory(ServiceAgreementFactory)
    workspace = factory.LazyAttribute(lambda o: o.agreement.workspace)
    kind = "per_unit"
    usage_kind = "payslip"
    label = "Bulletin de paie"
    unit_price = Decimal("12.50")


class UsageFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Usage

    workspace = factory.SubFactory(WorkspaceFactory)
    service = "payroll"
    kind = "payslip"
    quantity = Decimal("1")
    occurred_on = datetime.date(2026, 1, 31)
    reference = factory.Sequence(lambda n: f"ref-{n}")


# --- Payroll run, payslips and declarations (tests/payroll/test_run*.py, test_journal.py, test_dsn.py…) ---
# Models are named as strings so this block needs no import at the top of the file.

class PayrollSettingsFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "payroll.PayrollSettings"
        django_get_or_create = ("workspace",)
        skip_postgeneration_save = True

    workspace = factory.SubFactory(WorkspaceFactory)
    siret = factory.LazyAttribute(lambda o: o.workspace.siret or make_siret(o.workspace.siren))
    naf_code = "7022Z"
    urssaf_number = "117000001234"
    collective_agreement = "Convention collective nationale des bureaux d'études techniques (Syntec)"
    idcc = "1486"
    at_mp_rate = Decimal("1.30")
    at_mp_risk_code = "741GA"
    pension_funds = "Institution de retraite complémentaire AGIRC-ARRCO"
    payment_day = 28
    dsn_contact_name = "Service paie"
    dsn_contact_email = "paie@example.org"
    dsn_contact_phone = "0472000000"
    urssaf_siret = make_siret(make_siren(79432733), 17)
    agirc_arrco_siret = make_siret(make_siren(77570080), 21)
    debit_iban = "FR7630006000011234567890189"
    debit_bic = "AGRIFRPPXXX"

    @factory.post_generation
    def cadres_provident(obj, create, extracted, **kwargs):
        """The cadres' compulsory provident (1.50 % of tranche A, ANI 17/11/2017) as the CAE's
        contract with an insurer, declared in the DSN (S21.G00.15/.70); pass
        cadres_provident=False for settings without any scheme."""
        from payroll.models import Scheme

        if create and extracted is not False and not obj.schemes.exists():
            Scheme.objects.create(workspace=obj.workspace, settings=obj, kind="provident", label="Prévoyance cadres",
                                  applies_to="cadre", base="tranche_a", employer_rate=Decimal("1.50"),
                                  organisation_code="P0942", contract_reference="PREV-CADRES-2026")


class PayrollBracketFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "payroll.ContributionBracket"

    settings = factory.SubFactory(PayrollSettingsFactory)
    workspace = factory.LazyAttribute(lambda o: o.settings.workspace)
    threshold = Decimal("0")
    rate = Decimal("10")


class PayrollEmploymentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "payroll.Employment"

    entrepreneur = factory.SubFactory(EntrepreneurFactory)
    workspace = factory.LazyAttribute(lambda o: o.entrepreneur.workspace)
    contract_type = "cesa"
    status = "non_cadre"
    contractual_hours = None
    job_title = "Consultante"
    classification = "Position 2.1, coefficient 275"
    start_date = datetime.date(2024, 1, 1)


class PayrollPeriodFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "payroll.PayrollPeriod"
        django_get_or_create = ("workspace", "period")

    workspace = factory.SubFactory(WorkspaceFactory)
    period = datetime.date(2026, 1, 1)
    stage = "checked"


class SubmissionFactory(factory.django.DjangoModelFactory):
    """A confirmed monthly submission (the import's output)."""

    class Meta:
        model = "payroll.MonthlySubmission"

    period = factory.SubFactory(PayrollPeriodFactory)
    workspace = factory.LazyAttribute(lambda o: o.period.workspace)
    version = factory.Sequence(lambda n: n + 1)
    document = factory.LazyAttribute(lambda o: DocumentFactory(workspace=o.workspace, title="paie.xlsx"))
    state = "confirmed"


class SubmissionLineFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "payroll.SubmissionLine"

    submission = factory.SubFactory(SubmissionFactory)
    workspace = factory.LazyAttribute(lambda o: o.submission.workspace)
    entrepreneur = factory.LazyAttribute(lambda o: EntrepreneurFactory(workspace=o.workspace))
    row_number = factory.Sequence(lambda n: n + 2)
    status = "non_cadre"
    gross_salary = Decimal("2500.00")
    revenue = Decimal("0")


def _latest_rate_table():
    from payroll.models import RateTable

    return RateTable.objects.order_by("-effective_from").first()


class PayrollRunFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "payroll.PayrollRun"

    period = factory.SubFactory(PayrollPeriodFactory, stage="computed")
    workspace = factory.LazyAttribute(lambda o: o.period.workspace)
    submission = factory.LazyAttribute(lambda o: SubmissionFactory(period=o.period))
    rate_table = factory.LazyFunction(lambda: _latest_rate_table())
    computed_at = factory.LazyFunction(lambda: datetime.datetime(2026, 1, 20, tzinfo=datetime.timezone.utc))


class PayrollPayslipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "payroll.Payslip"

    run = factory.SubFactory(PayrollRunFactory)
    workspace = factory.LazyAttribute(lambda o: o.run.workspace)
    period = factory.LazyAttribute(lambda o: o.run.period.period)
    entrepreneur = factory.LazyAttribute(lambda o: EntrepreneurFactory(workspace=o.workspace))
    status = "non_cadre"
    gross = Decimal("2500.00")
    total_employee_contributions = Decimal("550.00")
    total_employer_contributions = Decimal("700.00")
    reduction_generale = Decimal("0.00")
    net_social = Decimal("1950.00")
    net_before_tax = Decimal("1950.00")
    taxable_net = Decimal("2020.00")
    pas_rate = Decimal("0.00")
    pas_amount = Decimal("0.00")
    reimbursed_expenses = Decimal("0.00")
    net_paid = Decimal("1950.00")
    employer_cost = Decimal("3200.00")
    revenue = Decimal("0.00")
    cae_contribution = Decimal("0.00")
    content_hash = "0" * 64


class PayrollDeclarationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "payroll.Declaration"

    period = factory.SubFactory(PayrollPeriodFactory, stage="computed")
    workspace = factory.LazyAttribute(lambda o: o.period.workspace)
    norm_version = "P26V01"
    document = factory.LazyAttribute(lambda o: DocumentFactory(
        workspace=o.workspace, title="DSN", original_name="dsn.txt", content_type="text/plain",
        file=ContentFile(b"S10.G00.00.001,'Mutualise'\n", name="dsn.txt")))


def build_payroll_month(workspace, *, period=datetime.date(2026, 1, 1), lines=({},), stage="checked"):
    """A workspace's month ready to compute: settings, a period, a confirmed submission and one
    line per dict in `lines` (SubmissionLine fields; `entrepreneur` may be given to reuse a person,
    `employment` a dict of Employment fields; without it a CESA with a classification starting at
    the person's entry). Run it inside a scope or scopes_disabled()."""
    PayrollSettingsFactory(workspace=workspace)
    payroll_period = PayrollPeriodFactory(workspace=workspace, period=period, stage=stage)
    submission = SubmissionFactory(period=payroll_period)
    for values in lines:
        values = dict(values)
        employment = values.pop("employment", None)
        line = SubmissionLineFactory(submission=submission, **values)
        if not hasattr(line.entrepreneur, "employment"):
            if employment is None:
                # What confirming a monthly file records for a person: a CESA from their entry, with
                # the classification the payslip must show (R3243-1 Code du travail).
                employment = {"start_date": line.entrepreneur.entry_date, "job_title": ""}
            PayrollEmploymentFactory(entrepreneur=line.entrepreneur, **employment)
    return payroll_period


# --- Monthly submission files and API tokens (tests/payroll/test_submissions*.py, test_api.py) ---

SUBMISSION_HEADERS = ["matricule", "nom", "prenom", "nir", "statut", "heures", "salaire_brut", "primes",
                      "frais_rembourses", "chiffre_affaires_ht", "taux_pas"]


def submission_row(matricule: str, *, nom: str = "", prenom: str = "", nir: str = "", statut: str = "non_cadre",
                   heures="", salaire_brut="2500", primes="0", frais_rembourses="0", chiffre_affaires_ht="0",
                   taux_pas="0", **extra) -> dict:
    """One row of a monthly submission, by column name (values as the user would type them)."""
    return {"matricule": matricule, "nom": nom, "prenom": prenom, "nir": nir, "statut": statut, "heures": heures,
            "salaire_brut": salaire_brut, "primes": primes, "frais_rembourses": frais_rembourses,
            "chiffre_affaires_ht": chiffre_affaires_ht, "taux_pas": taux_pas, **extra}


def submission_xlsx(rows, headers=None) -> bytes:
    """An xlsx (openpyxl) with `headers` then `rows` (dicts by header, or lists). Numeric-looking
    strings are written as numbers, as Excel would store what a user types."""
    import io

    from openpyxl import Workbook

    headers = list(headers or (list(rows[0]) if rows and isinstance(rows[0], dict) else SUBMISSION_HEADERS))
    wb = Workbook()
    ws = wb.active
    ws.title = "Paie"
    ws.append(headers)
    for row in rows:
        values = [row.get(h, "") for h in headers] if isinstance(row, dict) else list(row)
        ws.append([_typed(h, v) for h, v in zip(headers + [""] * (len(values) - len(headers)), values,
                                                 strict=False)])
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


_TEXT_COLUMNS = {"matricule", "nom", "prenom", "nir", "statut", "classification"}


def _typed(header, value):
    """What Excel stores for what a user types: numbers as numbers (except in text columns)."""
    import re

    if value == "" or value is None:
        return None
    if header not in _TEXT_COLUMNS and isinstance(value, str) and re.fullmatch(r"(0|[1-9]\d*)(\.\d+)?", value):
        return Decimal(value)
    return value


def submission_csv(rows, headers=None, *, encoding: str = "cp1252", delimiter: str = ";",
                   decimal_comma: bool = True) -> bytes:
    """A csv as French Excel saves it: `;` separators, decimal comma, Windows-1252 (or
    "utf-8-sig" for "CSV UTF-8")."""
    import csv
    import io

    headers = list(headers or (list(rows[0]) if rows and isinstance(rows[0], dict) else SUBMISSION_HEADERS))
    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter, lineterminator="\r\n")
    writer.writerow(headers)
    for row in rows:
        values = [row.get(h, "") for h in headers] if isinstance(row, dict) else list(row)
        writer.writerow([str(v).replace(".", ",") if decimal_comma else str(v) for v in values])
    return out.getvalue().encode(encoding)


class ApiTokenFactory(factory.django.DjangoModelFactory):
    """An API token; its clear value is `token.raw` (only its hash is stored)."""

    class Meta:
        model = "backoffice.ApiToken"

    workspace = factory.SubFactory(WorkspaceFactory)
    name = "Logiciel comptable"

    @classmethod
    def _create(cls, model_class, *args, raw=None, **kwargs):
        from backoffice.models.api import ApiToken, hash_token

        raw = raw or ApiToken.generate()
        kwargs["prefix"], kwargs["key_hash"] = raw[:8], hash_token(raw)
        token = super()._create(model_class, *args, **kwargs)
        token.raw = raw
        return token


# --- hostile spreadsheets (issue 6): every path that reads a spreadsheet tests these ---------

def raw_xlsx(sheet_data: str, *, dimension: str | None = None, header: tuple[str, ...] = ("matricule", "nom")) -> bytes:
    """A minimal hand-written xlsx (no library would write what an attacker writes): a header
    row of inline strings, then `sheet_data` (raw XML inside <sheetData>)."""
    import io
    import zipfile

    cells = "".join(f'<c r="{chr(65 + i)}1" t="inlineStr"><is><t>{h}</t></is></c>' for i, h in enumerate(header))
    dim = f'<dimension ref="{dimension}"/>' if dimension else ""
    sheet = ('<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/'
             f'spreadsheetml/2006/main">{dim}<sheetData><row r="1">{cells}</row>{sheet_data}</sheetData></worksheet>')
    parts = {
        "[Content_Types].xml": '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/'
        'package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
        'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/'
        'workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
        '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.'
        'spreadsheetml.worksheet+xml"/></Types>',
        "_rels/.rels": '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/'
        'package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/'
        '2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>',
        "xl/workbook.xml": '<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/'
        'spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
        '<sheets><sheet name="Feuil1" sheetId="1" r:id="rId1"/></sheets></workbook>',
        "xl/_rels/workbook.xml.rels": '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.'
        'openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.'
        'org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>',
        "xl/worksheets/sheet1.xml": sheet,
    }
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, text in parts.items():
            zf.writestr(name, text)
    return out.getvalue()


# (id, xlsx bytes): one far coordinate each, in every form the pre-scan must bound.
FAR_CELL_XLSX = [
    ("cell-XFD1048576", raw_xlsx('<row r="1048576"><c r="XFD1048576"><v>1</v></c></row>')),
    ("cell-CV1000000", raw_xlsx('<row r="1000000"><c r="CV1000000"><v>1</v></c></row>')),
    ("column-XFD-row-2", raw_xlsx('<row r="2"><c r="XFD2"><v>1</v></c></row>')),
    ("lower-case-ref", raw_xlsx('<row r="2"><c r="xfd2"><v>1</v></c></row>')),
    ("single-quoted-ref", raw_xlsx("<row r='2'><c r='XFD2'><v>1</v></c></row>")),
    ("entity-in-ref", raw_xlsx('<row r="2"><c r="&#88;FD2"><v>1</v></c></row>')),
    ("row-only", raw_xlsx('<row r="1048576"><c><v>1</v></c></row>')),
    ("cells-without-ref", raw_xlsx("<row>" + "<c><v>1</v></c>" * 300 + "</row>")),
    ("dimension-only", raw_xlsx('<row r="2"><c r="A2"><v>1</v></c></row>', dimension="A1:XFD1048576")),
]
