"""A DSN-shaped monthly declaration (déclaration sociale nominative) and its structural check.

What this is — and is not. The file has the DSN's shape: one rubric per line,
`S21.G00.30.001,'value'`, blocks in the norm's order, an S90 trailer with the counts. It
carries a documented subset of the norm (below), enough for the host to review the month and
load it into its filing tool. It is NOT certified: before filing it must pass the official
validator (DSN-VAL, net-entreprises.fr), which checks hundreds of rules this module does not.

Source of the structure: "Cahier technique de la DSN" (norme NEODeS), net-entreprises.fr,
one edition per year (DSN-CT-P2025, DSN-CT-P2026). Codes below are the ones we use; each
list says what it stands for. Verify against the edition of the year before relying on them.

Blocks written (in this order):
- S10.G00.00 Envoi: .001 software name, .002 publisher, .003 software version, .005 test (01)
  or real (02) sending, .006 norm version (NORM_VERSIONS), .008 sending type (01 normal).
- S10.G00.01 Émetteur: .001 SIREN, .002 NIC, .003 name, .004 street, .005 postcode, .006 city.
- S20.G00.05 Déclaration: .001 nature (01 = DSN mensuelle), .002 type (01 = normale; 03 =
  annule et remplace intégral, for a second sending of the same month),
  .003 fraction (11 = single fraction), .004 order number, .005 month (01MMYYYY),
  .007 file date (DDMMYYYY), .010 currency (01 = euro).
- S21.G00.06 Entreprise: .001 SIREN, .002 NIC of the head office, .003 APEN (NAF),
  .004 street, .005 postcode, .006 city.
- S21.G00.11 Établissement: .001 NIC, .002 APET (NAF), .003 street, .004 postcode, .005 city,
  .008 headcount at the end of the month (the contracts running on its last day, not the
  number of payslips).
- per employee: S21.G00.30 Individu: .001 NIR (13 characters, without the key), .002 last
  name, .004 first names, .005 sex (01 male, 02 female, from the NIR), .006 birth date,
  .019 employee number;
  S21.G00.40 Contrat: .001 start date, .002 conventional status (03 cadre dirigeant, 04 autres
  cadres, 05 profession intermédiaire, 06 employé, 07 ouvrier: a cadre is declared 04, a
  non-cadre 06 — the payroll holds no finer category yet), .003 supplementary-pension category (01 cadre, 04 non-cadre),
  .006 job title, .007 nature (01 = CDI de droit privé), .009 contract number,
  .011 unit of working time (10 hours, 99 not concerned), .012 company full time (151.67),
  .013 contract working time, .014 working-time arrangement (10 full time, 20 part time,
  99 not concerned), .017 collective agreement IDCC (9999 without), .018 health scheme
  (200 régime général), .020 pension scheme (200 régime général);
  S21.G00.50 Versement: .001 payment date, .002 taxable net (net fiscal), .003 payment
  number, .004 montant net versé as the 2026 cahier technique defines it (net taxable pay minus
  non-deductible CSG and CRDS minus the employer health share: income tax and reimbursed
  expenses do not change it), .006 withholding rate, .009 withholding amount;
  S21.G00.51 Rémunération: .001/.002 pay period, .010 contract number, .011 type
  (001 gross not capped, 002 gross subject to unemployment insurance, 010 base salary),
  .012 hours (base salary, when pay follows hours), .013 amount;
  S21.G00.78 Base assujettie: .001 code (02 capped gross, 03 uncapped gross, 04 CSG base,
  07 unemployment-insurance base), .002/.003 period, .004 amount; under each base its
  S21.G00.81 Cotisation individuelle: .001 code (075 health insurance, 076 old-age insurance,
  040 unemployment insurance, 018 réduction générale), .003 base, .004 amount (employee +
  employer; negative for a reduction). Other contributions are declared in aggregate by the
  filing tool (S21.G00.22/.23 are not produced here).
- S90.G00.90 Total: .001 number of rubrics (lines) in the file, .002 number of declarations.

Values are sanitised (`dsn_value`): no double quote, comma or line break inside a value,
Latin-1 characters only (apostrophes are valid characters of names and are kept: a line is
read up to its last quote); amounts have two decimals and a dot.

`dsn_check` is the project's checker of the rules implemented here: block order, cardinality
(one sender, declaration, company and establishment; one contract and one payment block per
employee), formats (amounts, dates, NIR) and the code lists of the rubrics written (CODE_LISTS).
Every file the application generates passes it before it is stored; DSN-VAL remains required.
"""

from __future__ import annotations

import datetime
import re
import unicodedata
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from backoffice.validators import validate_nir

SOFTWARE_NAME = "Mutualise"
SOFTWARE_PUBLISHER = "Mutualise"
SOFTWARE_VERSION = "0.1.0"

# Norm version (S10.G00.00.006) by year of the month declared: the edition of the cahier
# technique in force that year (net-entreprises.fr, "DSN-CT-P2025" and "DSN-CT-P2026").
NORM_VERSIONS: dict[int, str] = {
    2025: "P25V01",
    2026: "P26V01",
}

FULL_TIME_HOURS = Decimal("151.67")

BLOCK_ORDER = (
    "S10.G00.00", "S10.G00.01", "S20.G00.05", "S21.G00.06", "S21.G00.11", "S21.G00.30", "S21.G00.40",
    "S21.G00.50", "S21.G00.51", "S21.G00.78", "S21.G00.81", "S90.G00.90",
)
# Which block may follow which (the individual group S21.G00.30 … repeats).
NEXT_BLOCKS: dict[str | None, set[str]] = {
    None: {"S10.G00.00"},
    "S10.G00.00": {"S10.G00.01"},
    "S10.G00.01": {"S20.G00.05"},
    "S20.G00.05": {"S21.G00.06"},
    "S21.G00.06": {"S21.G00.11"},
    "S21.G00.11": {"S21.G00.30", "S90.G00.90"},
    "S21.G00.30": {"S21.G00.40"},
    "S21.G00.40": {"S21.G00.50"},
    "S21.G00.50": {"S21.G00.51"},
    "S21.G00.51": {"S21.G00.51", "S21.G00.78", "S21.G00.30", "S90.G00.90"},
    "S21.G00.78": {"S21.G00.78", "S21.G00.81", "S21.G00.30", "S90.G00.90"},
    "S21.G00.81": {"S21.G00.81", "S21.G00.78", "S21.G00.30", "S90.G00.90"},
    "S90.G00.90": set(),
}
MANDATORY: dict[str, set[str]] = {
    "S10.G00.00": {"001", "002", "003", "005", "006", "008"},
    "S10.G00.01": {"001", "002", "003"},
    "S20.G00.05": {"001", "002", "003", "004", "005", "007", "010"},
    "S21.G00.06": {"001", "002", "003"},
    "S21.G00.11": {"001", "002"},
    "S21.G00.30": {"001", "002", "004", "005", "006"},
    "S21.G00.40": {"001", "002", "003", "007", "009", "011", "014", "018", "020"},
    "S21.G00.50": {"001", "002", "003", "004", "006", "009"},
    "S21.G00.51": {"001", "002", "010", "011", "013"},
    "S21.G00.78": {"001", "002", "003", "004"},
    "S21.G00.81": {"001", "004"},
    "S90.G00.90": {"001", "002"},
}
AMOUNT_RUBRICS = {
    "S21.G00.50.002", "S21.G00.50.004", "S21.G00.50.009", "S21.G00.51.013", "S21.G00.78.004",
    "S21.G00.81.003", "S21.G00.81.004",
}
DATE_RUBRICS = {
    "S20.G00.05.005", "S20.G00.05.007", "S21.G00.30.006", "S21.G00.40.001", "S21.G00.50.001",
    "S21.G00.51.001", "S21.G00.51.002", "S21.G00.78.002", "S21.G00.78.003",
}
# Individual contributions declared (S21.G00.81.001), by payslip line code and the base they sit under.
CONTRIBUTION_CODES: dict[str, tuple[str, str]] = {
    "maladie": ("03", "075"),                  # assurance maladie, on uncapped gross
    "vieillesse_plafonnee": ("02", "076"),     # assurance vieillesse, on capped gross
    "vieillesse_deplafonnee": ("03", "076"),   # assurance vieillesse, on uncapped gross
    "chomage": ("07", "040"),                  # assurance chômage, up to 4 ceilings
    "reduction_generale": ("03", "018"),       # réduction générale des cotisations patronales
}
BASE_ORDER = ("02", "03", "04", "07")

_LINE = re.compile(r"^(S\d{2}\.G\d{2}\.\d{2})\.(\d{3}),'([^,\r\n\"]*)'$")
# The values each coded rubric written here may take (cahier technique de la DSN, 2026 edition).
CODE_LISTS: dict[str, set[str]] = {
    "S10.G00.00.005": {"01", "02"},  # test / real sending
    "S10.G00.00.008": {"01"},  # sending type: normal
    "S20.G00.05.001": {"01"},  # DSN mensuelle
    "S20.G00.05.002": {"01", "03"},  # normale / annule et remplace intégral
    "S20.G00.05.003": {"11"},  # single fraction
    "S20.G00.05.010": {"01"},  # euro
    "S21.G00.30.005": {"01", "02"},  # sex
    "S21.G00.40.002": {"03", "04", "05", "06", "07"},  # conventional status
    "S21.G00.40.003": {"01", "02", "04"},  # supplementary-pension category
    "S21.G00.40.007": {"01"},  # CDI de droit privé
    "S21.G00.40.011": {"10", "99"},  # unit of working time
    "S21.G00.40.014": {"10", "20", "99"},  # working-time arrangement
    "S21.G00.40.018": {"200"},
    "S21.G00.40.020": {"200"},
    "S21.G00.51.011": {"001", "002", "010"},
    "S21.G00.78.001": {"02", "03", "04", "07"},
    "S21.G00.81.001": {"018", "040", "075", "076"},
}
# Blocks present exactly once in a file, and once per employee (after each S21.G00.30).
ONCE_PER_FILE = ("S10.G00.00", "S10.G00.01", "S20.G00.05", "S21.G00.06", "S21.G00.11", "S90.G00.90")
ONCE_PER_EMPLOYEE = ("S21.G00.40", "S21.G00.50")
_AMOUNT = re.compile(r"^-?\d+\.\d{2}$")
_DATE = re.compile(r"^(\d{2})(\d{2})(\d{4})$")
_NIR13 = re.compile(r"^[1-478]\d{4}(\d{2}|2A|2B)\d{6}$")


class DsnBuildError(Exception):
    """The declaration cannot be built (e.g. an employee without a valid NIR)."""

    def __init__(self, problems: list[str]):
        super().__init__("; ".join(problems))
        self.problems = problems


def norm_version(period: datetime.date) -> str:
    try:
        return NORM_VERSIONS[period.year]
    except KeyError:
        raise DsnBuildError([f"no DSN norm version known for {period.year} (payroll/exports/dsn.py NORM_VERSIONS)"]
                            ) from None


# Letters outside Latin-1 that do not decompose to one, and typographic quotes.
_TRANSLITERATE = {"Ł": "L", "ł": "l", "Œ": "OE", "œ": "oe", "Đ": "D", "đ": "d", "ı": "i", "\u2019": "'",
                  "\u2018": "'", "\u00b4": "'", "`": "'", "\u201c": " ", "\u201d": " "}


def dsn_value(value) -> str:
    """A value as the DSN can carry it: no double quote, comma, semicolon, line break or control
    character, Latin-1 only (accents kept when Latin-1 has them), apostrophes kept (typographic
    ones made straight), spaces collapsed."""
    text = unicodedata.normalize("NFC", "" if value is None else str(value))
    out = []
    for char in text:
        char = _TRANSLITERATE.get(char, char)
        if len(char) > 1:
            out.append(char)
        elif char in "\",;" or unicodedata.category(char).startswith("C"):
            out.append(" ")
        elif ord(char) < 256:
            out.append(char)
        else:
            stripped = unicodedata.normalize("NFKD", char).encode("latin-1", "ignore").decode("latin-1")
            out.append("".join(c for c in stripped if not unicodedata.combining(c)) or " ")
    return re.sub(r"\s+", " ", "".join(out)).strip()


def dsn_amount(value: Decimal) -> str:
    return f"{Decimal(value).quantize(Decimal('0.01')):f}"


def dsn_date(day: datetime.date) -> str:
    return day.strftime("%d%m%Y")


@dataclass
class DsnEmployee:
    """One employee's month, as the declaration needs it (built by the declaration service)."""

    nir: str
    last_name: str
    first_name: str
    birth_date: datetime.date | None
    matricule: str
    contract_start: datetime.date
    status: str  # cadre | non_cadre
    job_title: str
    hours: Decimal | None
    gross: Decimal
    capped_gross: Decimal
    csg_base: Decimal
    unemployment_base: Decimal
    taxable_net: Decimal
    net_paid: Decimal  # montant net versé (S21.G00.50.004), see the module docstring
    pas_rate: Decimal
    pas_amount: Decimal
    contributions: dict[str, Decimal]  # payslip line code → employee + employer amount


@dataclass
class DsnEmployer:
    siren: str
    siret: str
    name: str
    address: str
    postal_code: str
    city: str
    naf: str
    idcc: str
    headcount: int = 0  # contracts running on the month's last day (S21.G00.11.008)


class _Writer:
    def __init__(self):
        self.lines: list[str] = []

    def add(self, rubric: str, value) -> None:
        text = value if rubric in AMOUNT_RUBRICS else dsn_value(value)
        if text == "" and rubric not in AMOUNT_RUBRICS:
            return  # an empty optional rubric is left out, never written empty
        self.lines.append(f"{rubric},'{text}'")


def dsn_build(*, employer: DsnEmployer, employees: list[DsnEmployee], period: datetime.date,
              created_on: datetime.date, payment_day: datetime.date, order_number: int = 1,
              test: bool = True) -> str:
    """The declaration's text (lines joined by CRLF, ending with one). A second sending of the
    month (``order_number`` > 1) is an "annule et remplace intégral"."""
    problems = []
    for person in employees:
        who = {"matricule": person.matricule, "name": person.last_name}
        try:
            validate_nir(person.nir)
        except ValidationError:
            problems.append(_("%(matricule)s %(name)s: the social-security number (NIR) is missing or invalid.")
                            % who)
        if person.birth_date is None:
            problems.append(_("%(matricule)s %(name)s: the birth date is missing; give it in the entrepreneur's record "
                              "or in the monthly file (column date_naissance).") % who)
    if problems:
        raise DsnBuildError(problems)
    version = norm_version(period)
    naf = employer.naf.replace(".", "").upper()
    nic = employer.siret[9:14]
    end = (period.replace(day=28) + datetime.timedelta(days=4)).replace(day=1) - datetime.timedelta(days=1)
    w = _Writer()
    w.add("S10.G00.00.001", SOFTWARE_NAME)
    w.add("S10.G00.00.002", SOFTWARE_PUBLISHER)
    w.add("S10.G00.00.003", SOFTWARE_VERSION)
    w.add("S10.G00.00.005", "01" if test else "02")
    w.add("S10.G00.00.006", version)
    w.add("S10.G00.00.008", "01")
    w.add("S10.G00.01.001", employer.siren)
    w.add("S10.G00.01.002", nic)
    w.add("S10.G00.01.003", employer.name)
    w.add("S10.G00.01.004", employer.address)
    w.add("S10.G00.01.005", employer.postal_code)
    w.add("S10.G00.01.006", employer.city)
    w.add("S20.G00.05.001", "01")
    w.add("S20.G00.05.002", "01" if order_number == 1 else "03")
    w.add("S20.G00.05.003", "11")
    w.add("S20.G00.05.004", str(order_number))
    w.add("S20.G00.05.005", dsn_date(period))
    w.add("S20.G00.05.007", dsn_date(created_on))
    w.add("S20.G00.05.010", "01")
    w.add("S21.G00.06.001", employer.siren)
    w.add("S21.G00.06.002", nic)
    w.add("S21.G00.06.003", naf)
    w.add("S21.G00.06.004", employer.address)
    w.add("S21.G00.06.005", employer.postal_code)
    w.add("S21.G00.06.006", employer.city)
    w.add("S21.G00.11.001", nic)
    w.add("S21.G00.11.002", naf)
    w.add("S21.G00.11.003", employer.address)
    w.add("S21.G00.11.004", employer.postal_code)
    w.add("S21.G00.11.005", employer.city)
    w.add("S21.G00.11.008", str(employer.headcount))
    for person in employees:
        nir = person.nir.replace(" ", "").upper()
        contract_number = dsn_value(person.matricule)[:20] or "1"
        w.add("S21.G00.30.001", nir[:13])
        w.add("S21.G00.30.002", person.last_name.upper())
        w.add("S21.G00.30.004", person.first_name)
        w.add("S21.G00.30.005", "01" if nir[0] in "137" else "02")
        w.add("S21.G00.30.006", dsn_date(person.birth_date))
        w.add("S21.G00.30.019", person.matricule)
        cadre = person.status == "cadre"
        w.add("S21.G00.40.001", dsn_date(person.contract_start))
        w.add("S21.G00.40.002", "04" if cadre else "06")
        w.add("S21.G00.40.003", "01" if cadre else "04")
        w.add("S21.G00.40.006", person.job_title)
        w.add("S21.G00.40.007", "01")
        w.add("S21.G00.40.009", contract_number)
        if person.hours is None:
            w.add("S21.G00.40.011", "99")
            w.add("S21.G00.40.014", "99")
        else:
            w.add("S21.G00.40.011", "10")
            w.add("S21.G00.40.012", dsn_amount(FULL_TIME_HOURS))
            w.add("S21.G00.40.013", dsn_amount(person.hours))
            w.add("S21.G00.40.014", "10" if person.hours >= FULL_TIME_HOURS else "20")
        w.add("S21.G00.40.017", employer.idcc or "9999")
        w.add("S21.G00.40.018", "200")
        w.add("S21.G00.40.020", "200")
        w.add("S21.G00.50.001", dsn_date(payment_day))
        w.add("S21.G00.50.002", dsn_amount(person.taxable_net))
        w.add("S21.G00.50.003", "1")
        w.add("S21.G00.50.004", dsn_amount(person.net_paid))
        w.add("S21.G00.50.006", dsn_amount(person.pas_rate))
        w.add("S21.G00.50.009", dsn_amount(person.pas_amount))
        for type_code, amount, hours in (("001", person.gross, None), ("002", person.unemployment_base, None),
                                         ("010", person.gross, person.hours)):
            w.add("S21.G00.51.001", dsn_date(period))
            w.add("S21.G00.51.002", dsn_date(end))
            w.add("S21.G00.51.010", contract_number)
            w.add("S21.G00.51.011", type_code)
            if hours is not None:
                w.add("S21.G00.51.012", dsn_amount(hours))
            w.add("S21.G00.51.013", dsn_amount(amount))
        bases = {"02": person.capped_gross, "03": person.gross, "04": person.csg_base, "07": person.unemployment_base}
        for base_code in BASE_ORDER:
            if not bases[base_code]:
                continue
            w.add("S21.G00.78.001", base_code)
            w.add("S21.G00.78.002", dsn_date(period))
            w.add("S21.G00.78.003", dsn_date(end))
            w.add("S21.G00.78.004", dsn_amount(bases[base_code]))
            for line_code, (under, contribution_code) in CONTRIBUTION_CODES.items():
                if under != base_code or line_code not in person.contributions:
                    continue
                w.add("S21.G00.81.001", contribution_code)
                w.add("S21.G00.81.003", dsn_amount(bases[base_code]))
                w.add("S21.G00.81.004", dsn_amount(person.contributions[line_code]))
    total_lines = len(w.lines) + 2
    w.add("S90.G00.90.001", str(total_lines))
    w.add("S90.G00.90.002", "1")
    return "\r\n".join(w.lines) + "\r\n"


def _valid_date(text: str) -> bool:
    match = _DATE.match(text)
    if not match:
        return False
    try:
        datetime.date(int(match[3]), int(match[2]), int(match[1]))
    except ValueError:
        return False
    return True


def dsn_check(text: str) -> list[str]:
    """Structural checks of a DSN-shaped file; [] when it passes. Not the official validator:
    block order, mandatory rubrics, S90 counts, NIR shape, amounts and dates. Messages name the line."""
    problems: list[str] = []
    raw_lines = text.replace("\r\n", "\n").split("\n")
    if raw_lines and raw_lines[-1] == "":
        raw_lines.pop()
    if not raw_lines:
        return ["the file is empty"]
    previous_block: str | None = None
    previous_field = ""
    current: set[str] = set()
    blocks: list[tuple[str, set[str], int]] = []
    individuals = 0
    declarations = 0
    s90: dict[str, str] = {}

    def close(block: str | None, fields: set[str], at: int) -> None:
        if block is not None:
            blocks.append((block, fields, at))

    for number, line in enumerate(raw_lines, start=1):
        match = _LINE.match(line)
        if not match:
            problems.append(f"line {number}: not of the form S00.G00.00.000,'value' (or a quote/comma inside the value)")
            continue
        block, field_no, value = match[1], match[2], match[3]
        rubric = f"{block}.{field_no}"
        starts_new = block != previous_block or field_no <= previous_field
        if starts_new:
            allowed = NEXT_BLOCKS.get(previous_block, set())
            if block not in NEXT_BLOCKS:
                problems.append(f"line {number}: unknown block {block}")
            elif block not in allowed:
                problems.append(f"line {number}: block {block} cannot follow {previous_block or 'the start of the file'}")
            close(previous_block, current, number)
            current = set()
            if block == "S21.G00.30":
                individuals += 1
            if block == "S20.G00.05":
                declarations += 1
        current.add(field_no)
        previous_block, previous_field = block, field_no
        if value != value.strip() or (value == "" and rubric not in AMOUNT_RUBRICS):
            problems.append(f"line {number}: {rubric} is empty or has surrounding spaces")
        if rubric in AMOUNT_RUBRICS and not _AMOUNT.match(value):
            problems.append(f"line {number}: {rubric} amount {value!r} must have two decimals and a dot")
        if rubric in DATE_RUBRICS and not _valid_date(value):
            problems.append(f"line {number}: {rubric} date {value!r} is not a valid DDMMYYYY date")
        if rubric == "S21.G00.30.001" and not _NIR13.match(value):
            problems.append(f"line {number}: NIR {value!r} is not a valid 13-character NIR")
        if rubric in CODE_LISTS and value not in CODE_LISTS[rubric]:
            problems.append(f"line {number}: {rubric} code {value!r} is not one of {sorted(CODE_LISTS[rubric])}")
        if rubric == "S21.G00.11.008" and not value.isdigit():
            problems.append(f"line {number}: S21.G00.11.008 headcount {value!r} is not a whole number")
        if block == "S90.G00.90":
            s90[field_no] = value
    close(previous_block, current, len(raw_lines) + 1)

    names = [block for block, _fields, _at in blocks]
    for block in ONCE_PER_FILE:
        if names.count(block) > 1:
            problems.append(f"block {block} appears {names.count(block)} times; once per file")
    employee_groups: list[list[str]] = []
    for block in names:
        if block == "S21.G00.30":
            employee_groups.append([])
        elif employee_groups and block.startswith("S21.G00.") and block not in ONCE_PER_FILE:
            employee_groups[-1].append(block)
    for index, group in enumerate(employee_groups, start=1):
        for block in ONCE_PER_EMPLOYEE:
            if group.count(block) != 1:
                problems.append(f"employee {index}: block {block} appears {group.count(block)} times; exactly once")

    for block, fields, _at in blocks:
        missing = MANDATORY.get(block, set()) - fields
        if missing:
            problems.append(f"block {block}: mandatory rubric(s) {', '.join(sorted(missing))} missing")
    if previous_block != "S90.G00.90":
        problems.append("the file must end with the S90.G00.90 totals")
    else:
        if s90.get("001") != str(len(raw_lines)):
            problems.append(f"S90.G00.90.001 says {s90.get('001')!r} rubrics, the file has {len(raw_lines)}")
        if s90.get("002") != str(declarations):
            problems.append(f"S90.G00.90.002 says {s90.get('002')!r} declarations, the file has {declarations}")
    if individuals == 0:
        problems.append("no employee (S21.G00.30) in the declaration")
    return problems
