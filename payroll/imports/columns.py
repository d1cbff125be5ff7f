"""The columns of a monthly submission file and how each cell is read.

Headers are matched after normalisation (lower case, accents removed, every run of spaces,
hyphens, apostrophes or dots turned into one "_"), so "Salaire brut", "SALAIRE_BRUT" and
"salaire-brut" are the same column; a few common French spellings are accepted as aliases.

Numbers are read as ``Decimal``, never through float arithmetic:
- text cells (csv, or text in xlsx) in French or plain notation: "1 234,56", "1234.56",
  "1.234,56", "12,5 %", "1 800 €";
- numeric xlsx cells, which calamine returns as float, through ``Decimal(repr(x))`` (the
  shortest decimal that round-trips, i.e. what the user typed).
Decision on decimals: an amount with more than two decimals (hours and rates: two too) is
refused with a message, not silently rounded — a 1 234,567 € gross is a typing error. The
only rounding is of binary float noise on numeric xlsx cells (a difference under 10⁻⁹ from a
two-decimal value, e.g. 0.30000000000000004), which is what the user typed.
"""

from __future__ import annotations

import datetime
import math
import re
import unicodedata
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from stdnum.exceptions import ValidationError as StdnumError
from stdnum.fr import nir as std_nir

from backoffice.spreadsheets import column_letter, is_blank

# Kinds of cell.
TEXT, NIR, STATUS, MONEY, HOURS, RATE, DATE = "text", "nir", "status", "money", "hours", "rate", "date"
NATIONALITY = "nationality"

STATUSES = ("cadre", "non_cadre")
# DB bounds (SubmissionLine: money 12 digits / 2 places, hours 6 / 2) and common sense: a month
# has at most 31 × 24 = 744 hours.
MAX_MONEY = Decimal("9999999999.99")
MAX_HOURS = Decimal("744")
MAX_RATE = Decimal("100")
FLOAT_NOISE = Decimal("1e-9")


@dataclass(frozen=True)
class Column:
    key: str                      # the canonical header, as written in the template
    kind: str
    help: str                     # shown on the template's instructions sheet (lazy)
    required_header: bool = True  # the header must be present in every file
    max_length: int = 0           # for text
    aliases: tuple[str, ...] = ()


PAY_FIGURES = ("salaire_brut", "cout_employeur_cible", "net_cible")

COLUMNS: tuple[Column, ...] = (
    Column("matricule", TEXT, gettext_lazy("Employee number in your CAE. Required. A new number creates an "
                                           "entrepreneur when you confirm."), max_length=30,
           aliases=("numero_matricule", "n_matricule", "employee_number")),
    Column("nom", TEXT, gettext_lazy("Last name. Required for a new employee number."), max_length=100,
           aliases=("nom_de_famille", "last_name")),
    Column("prenom", TEXT, gettext_lazy("First name. Required for a new employee number."), max_length=100,
           aliases=("first_name",)),
    Column("nir", NIR, gettext_lazy("Social-security number (15 characters with its key). Required for a new "
                                    "employee number; when given for a known one it must match."),
           aliases=("numero_de_securite_sociale", "n_securite_sociale", "numero_securite_sociale",
                    "no_securite_sociale", "securite_sociale", "numero_ss")),
    Column("statut", STATUS, gettext_lazy("cadre or non cadre. Required."), aliases=("status",)),
    Column("heures", HOURS, gettext_lazy("Hours paid in the month (151.67 is full time). Leave empty when pay "
                                         "follows activity, not time."),
           aliases=("nombre_d_heures", "nb_heures", "heures_payees", "heures_travaillees", "hours")),
    Column("salaire_brut", MONEY, gettext_lazy("Gross pay of the month, in euros. Give exactly one of "
                                               "salaire_brut, cout_employeur_cible or net_cible."),
           aliases=("brut", "salaire_de_base", "gross_salary")),
    Column("primes", MONEY, gettext_lazy("Bonuses, in euros (0 or empty when none)."),
           aliases=("prime", "bonuses")),
    Column("frais_rembourses", MONEY, gettext_lazy("Expenses reimbursed, in euros (outside the contribution "
                                                   "base)."),
           aliases=("frais", "remboursement_de_frais", "notes_de_frais", "expenses")),
    Column("chiffre_affaires_ht", MONEY, gettext_lazy("Revenue of the month excluding VAT, in euros."),
           aliases=("chiffre_d_affaires_ht", "ca_ht", "chiffre_d_affaires", "revenue")),
    Column("taux_pas", RATE, gettext_lazy("Income-tax withholding rate the tax administration gave, in percent "
                                          "(0 to 100, e.g. 7.5). Leave empty when none was received: the rate "
                                          "of its return (compte rendu) if imported, else the non-personalised "
                                          "grid applies."),
           required_header=False,
           aliases=("taux_prelevement_a_la_source", "taux_de_prelevement_a_la_source", "taux_prelevement",
                    "pas", "pas_rate")),
    Column("cout_employeur_cible", MONEY, gettext_lazy("Optional: the employer cost the activity funds; the "
                                                       "payroll finds the gross that meets it."),
           required_header=False, aliases=("cout_employeur", "target_employer_cost")),
    Column("net_cible", MONEY, gettext_lazy("Optional: the net pay wanted; the payroll finds the gross that "
                                            "meets it."),
           required_header=False, aliases=("net_a_payer_cible", "target_net")),
    Column("date_entree", DATE, gettext_lazy("Optional: entry date of a new entrepreneur (dd/mm/yyyy); the first "
                                             "day of the month otherwise."),
           required_header=False, aliases=("date_d_entree", "entry_date")),
    Column("date_sortie", DATE, gettext_lazy("Optional: last day of the contract when the entrepreneur leaves "
                                             "during this month (dd/mm/yyyy)."),
           required_header=False, aliases=("date_de_sortie", "date_fin_contrat", "exit_date")),
    Column("heures_absence", HOURS, gettext_lazy("Optional: unpaid absence hours in the month (unpaid leave, "
                                                 "unpaid sick days…)."),
           required_header=False, aliases=("heures_d_absence", "absence_non_remuneree", "absence_hours")),
    Column("conges_pris", HOURS, gettext_lazy("Optional: paid-leave working days taken in the month (e.g. 5)."),
           required_header=False, aliases=("conges_payes_pris", "jours_de_conges", "cp_pris", "leave_taken")),
    Column("jours_maladie", HOURS, gettext_lazy("Optional: calendar days of sick leave in the month that is not "
                                                "work-related (they acquire 2 days of paid leave a month instead "
                                                "of 2.5)."),
           required_header=False, aliases=("jours_d_arret_maladie", "arret_maladie", "sick_days")),
    Column("date_naissance", DATE, gettext_lazy("Birth date (dd/mm/yyyy). Required for a new employee number: "
                                                "the DSN needs it."),
           required_header=False, aliases=("date_de_naissance", "naissance", "birth_date")),
    Column("classification", TEXT, gettext_lazy("Classification in the collective agreement, e.g. Position 2.1, "
                                                "coefficient 275. Required for a new employee number: the payslip "
                                                "shows it (art. R3243-1 Code du travail). For a known person it "
                                                "fills a classification not yet recorded."),
           required_header=False, max_length=120,
           aliases=("classification_conventionnelle", "position_coefficient")),
    Column("nationalite", NATIONALITY, gettext_lazy("Nationality: FR, UE, EEE (or Suisse), autre, or the country's "
                                                    "two-letter code (e.g. DE). Required for a new employee number: "
                                                    "the DSN needs it. For a known person it fills a nationality "
                                                    "not yet recorded."),
           required_header=False, aliases=("nationality",)),
)
BY_KEY = {c.key: c for c in COLUMNS}
REQUIRED_HEADERS = tuple(c.key for c in COLUMNS if c.required_header)

_SEPARATORS = re.compile(r"[\s\-'’.°/]+")


def normalise(text: object) -> str:
    """"  Salaire-Brut " → "salaire_brut"; "Prénom" → "prenom"; "N° sécurité sociale" → "n_securite_sociale"."""
    text = unicodedata.normalize("NFKD", str(text)).encode("ascii", "ignore").decode("ascii")
    return _SEPARATORS.sub("_", text.strip().lower()).strip("_")


_HEADER_NAMES: dict[str, str] = {}
for _column in COLUMNS:
    for _name in (_column.key, *_column.aliases):
        _HEADER_NAMES[normalise(_name)] = _column.key


def column_for_header(header: object) -> str | None:
    """The canonical key of a header cell, or None if it names no known column."""
    return _HEADER_NAMES.get(normalise(header))


# --- cell readers ---------------------------------------------------------------------------
# Each takes the raw cell (str from csv; str/float/int/bool/date/datetime/time/timedelta from
# calamine; "" or None when empty) and returns the value or raises CellError.

class CellError(ValueError):
    """A cell that cannot be read; `message` is for the user."""

    def __init__(self, message: str, code: str = "invalid"):
        super().__init__(message)
        self.message = message
        self.code = code


def _describe(raw: object) -> str:
    if isinstance(raw, datetime.datetime | datetime.date):
        return raw.strftime("%d/%m/%Y")
    return str(raw)[:40]


_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")


def read_text(raw: object, *, max_length: int = 0) -> str:
    if raw is None:
        return ""
    if type(raw) is not str:
        if isinstance(raw, float) and raw.is_integer():
            raw = int(raw)  # a number typed in a text column (calamine gives 1234.0)
        if isinstance(raw, datetime.datetime | datetime.date | datetime.time | datetime.timedelta | bool):
            raise CellError(_("Expected text, found “%(value)s”.") % {"value": _describe(raw)}, "not_text")
        raw = str(raw)
    text = " ".join(raw.split())
    if _CONTROL.search(text):
        raise CellError(_("This cell holds control characters."), "not_text")
    if max_length and len(text) > max_length:
        raise CellError(_("At most %(max)d characters (found %(length)d).") % {"max": max_length, "length": len(text)},
                        "too_long")
    return text


_NUMBER = re.compile(r"^[+-]?(?:\d+(?:\.\d*)?|\.\d+)$")
_SPACES = re.compile(r"[\s\u00a0\u202f\u2009]+")


def _decimal_from_text(text: str, *, percent: bool) -> Decimal:
    s = _SPACES.sub("", text).replace("−", "-").replace("€", "")
    if percent:
        s = s.removesuffix("%")
    if "," in s and "." in s:
        # "1.234,56" (French with dot thousands) or "1,234.56" (English): the last one is decimal.
        s = s.replace(".", "").replace(",", ".") if s.rfind(",") > s.rfind(".") else s.replace(",", "")
    elif "," in s:
        if s.count(",") > 1:
            raise CellError(_("“%(value)s” is not a number.") % {"value": text[:40]}, "not_a_number")
        s = s.replace(",", ".")
    if not _NUMBER.match(s):
        raise CellError(_("“%(value)s” is not a number.") % {"value": text[:40]}, "not_a_number")
    return Decimal(s)


_SIMPLE_NUMBER = re.compile(r"\d{1,15}(?:[.,]\d{1,15})?")
_STEPS = {places: Decimal(1).scaleb(-places) for places in range(0, 5)}


def read_decimal(raw: object, *, places: int = 2, percent: bool = False) -> Decimal | None:
    """A number with at most `places` decimals, or None for an empty cell."""
    if raw is None:
        return None
    float_noise_ok = False
    if type(raw) is str:
        text = raw.strip()
        if not text:
            return None
        if _SIMPLE_NUMBER.fullmatch(text):  # the common case: "2345,67", "151.67", "0"
            value = Decimal(text.replace(",", "."))
        else:
            value = _decimal_from_text(text, percent=percent)
    elif isinstance(raw, bool):
        raise CellError(_("Expected a number, found TRUE/FALSE."), "not_a_number")
    elif isinstance(raw, int):
        value = Decimal(raw)
    elif isinstance(raw, float):
        if not math.isfinite(raw):
            raise CellError(_("Expected a number."), "not_a_number")
        value = Decimal(repr(raw))  # shortest round-trip decimal: what was typed, no float arithmetic
        float_noise_ok = True
    elif isinstance(raw, datetime.datetime | datetime.date | datetime.time | datetime.timedelta):
        raise CellError(_("Expected a number, found a date or time (%(value)s).") % {"value": _describe(raw)},
                        "date_in_number")
    elif isinstance(raw, Decimal):
        value = raw
    else:
        value = _decimal_from_text(str(raw), percent=percent)
    step = _STEPS[places]
    rounded = value.quantize(step, rounding=ROUND_HALF_UP)
    if rounded != value:
        if not (float_noise_ok and abs(rounded - value) < FLOAT_NOISE):
            raise CellError(_("At most %(places)d decimals (found %(value)s).") % {"places": places, "value": value},
                            "too_many_decimals")
    return rounded


def read_money(raw: object) -> Decimal | None:
    value = read_decimal(raw)
    if value is not None:
        if value < 0:
            raise CellError(_("An amount cannot be negative (found %(value)s).") % {"value": value}, "negative")
        if value > MAX_MONEY:
            raise CellError(_("This amount is too large (%(value)s).") % {"value": value}, "too_large")
    return value


def read_hours(raw: object) -> Decimal | None:
    if isinstance(raw, datetime.timedelta):
        # A duration cell ([h]:mm, e.g. 151:40): hours to the hundredth, half up.
        raw = (Decimal(int(raw.total_seconds())) / 3600).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    value = read_decimal(raw)
    if value is not None:
        if value < 0:
            raise CellError(_("Hours cannot be negative (found %(value)s).") % {"value": value}, "negative")
        if value > MAX_HOURS:
            raise CellError(_("More hours than a month has (%(value)s; at most 744).") % {"value": value}, "too_large")
    return value


def read_rate(raw: object) -> Decimal | None:
    value = read_decimal(raw, percent=True)
    if value is not None and not (0 <= value <= MAX_RATE):
        raise CellError(_("A rate is between 0 and 100 (found %(value)s).") % {"value": value}, "rate_out_of_range")
    return value


def read_status(raw: object) -> str:
    if is_blank(raw):
        return ""
    value = raw.strip().lower() if type(raw) is str else ""
    if value not in STATUSES:
        value = normalise(raw)
    if value not in STATUSES:
        raise CellError(_("“%(value)s” is not a status: write cadre or non cadre.") % {"value": str(raw)[:40]},
                        "bad_status")
    return value


def read_nationality(raw: object) -> str:
    """backoffice.models.entrepreneurs.Nationality's value, "" for a blank cell."""
    from backoffice.models.entrepreneurs import nationality_from_text

    if is_blank(raw):
        return ""
    value = nationality_from_text(str(raw)) if type(raw) is str else None
    if value is None:
        raise CellError(_("“%(value)s” is not a nationality: write FR, UE, EEE, autre or the country's two-letter "
                          "code.") % {"value": str(raw)[:40]}, "bad_nationality")
    return str(value)


def read_nir(raw: object) -> str:
    """The compact, upper-case NIR (python-stdnum checks the length, the key, Corsica's 2A/2B)."""
    if is_blank(raw):
        return ""
    if isinstance(raw, float) and raw.is_integer():
        raw = int(raw)
    if not isinstance(raw, str | int):
        raise CellError(_("Expected a social-security number, found a date or a TRUE/FALSE value."), "bad_nir")
    try:
        return std_nir.validate(str(raw)).upper()
    except StdnumError:
        # The value is not repeated: a NIR is shown masked everywhere, even a mistyped one.
        raise CellError(_("This is not a valid social-security number (NIR: 15 characters with its key)."),
                        "bad_nir") from None


_DATE_FORMATS = ("%d/%m/%Y", "%d/%m/%y", "%Y-%m-%d", "%d-%m-%Y", "%d.%m.%Y")


def read_date(raw: object) -> datetime.date | None:
    """A date cell, or a text date in French order (31/01/2026) or ISO (2026-01-31)."""
    if is_blank(raw):
        return None
    if isinstance(raw, datetime.datetime):
        return raw.date()
    if isinstance(raw, datetime.date):
        return raw
    if isinstance(raw, str):
        text = raw.strip()
        for fmt in _DATE_FORMATS:
            try:
                return datetime.datetime.strptime(text, fmt).date()
            except ValueError:
                continue
    raise CellError(_("“%(value)s” is not a date: write it as dd/mm/yyyy, e.g. 31/01/2026.") % {"value": _describe(raw)},
                    "bad_date")


def parse_period(text: str) -> datetime.date:
    """"2026-01" (or "01/2026") → 1 January 2026; ValueError otherwise."""
    text = (text or "").strip()
    for fmt in ("%Y-%m", "%m/%Y"):
        try:
            return datetime.datetime.strptime(text, fmt).date().replace(day=1)
        except ValueError:
            continue
    raise ValueError(_("“%(value)s” is not a month: write it as YYYY-MM, e.g. 2026-01.") % {"value": text[:20]})


__all__ = [
    "BY_KEY", "COLUMNS", "PAY_FIGURES", "REQUIRED_HEADERS", "STATUSES", "CellError", "Column",
    "column_for_header", "column_letter", "is_blank", "normalise", "parse_period", "read_date", "read_decimal",
    "read_hours", "read_money", "read_nir", "read_rate", "read_status", "read_text",
]
