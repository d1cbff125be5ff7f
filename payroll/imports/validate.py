"""Checking a month's rows against the workspace's entrepreneurs and the month's rules.

`validate_table` streams the rows once: each row is read, checked, added to the totals and
(if it is valid and nothing before it failed) handed to `on_row` — the confirmation's writer —
then dropped. Errors are collected by row (as numbered in Excel, header = row 1) and column
(as headed in the user's file); the first MAX_STORED_ERRORS are kept with the total count.

Rules (each error names its row and column):
- headers: every required column present, none twice; unknown columns are errors too (a
  misspelt "prime" would otherwise silently drop a month's bonuses);
- formulas, merged cells and error values in an xlsx (found by backoffice/spreadsheets.py in the sheet XML);
- matricule and statut required; a matricule appears once;
- numbers: not text, not a date, not negative, at most two decimals; hours ≤ 744;
  taux_pas between 0 and 100, empty when no rate was received (art. 204 H III CGI: the
  compte-rendu rate or the non-personalised grid then applies at the run);
- exactly one pay figure among salaire_brut, cout_employeur_cible and net_cible;
- a known matricule: the NIR, when given, must be the recorded one; the entrepreneur must not
  have left before the month (exit date before its first day) nor entered after it;
- a new matricule creates an entrepreneur on confirmation: nom, prenom and a valid NIR are
  required, the NIR must not belong to another matricule, date_entree (optional) not after
  the month;
- hourly gross below the SMIC when hours are given: salaire_brut < SMIC_HOURLY × hours. The
  SMIC is the `SMIC_HOURLY` parameter of the rate table in force for the month (payroll
  RateTable; e.g. 11.88 € from 1 November 2024, décret 2024-951; 12.02 € in 2026), never a
  constant here. Only salaire_brut is compared: whether a bonus counts towards the minimum wage
  depends on its nature (art. D3231-6 Code du travail: only the direct counterpart of the
  work), so it is left out rather than guessed. Hours are given to the hundredth, so the
  check allows for their rounding (SMIC × (hours − 0.005)), which lets the published monthly
  SMIC for 151.67 hours (1 801.80 € in 2025: 11.88 × 35 × 52 / 12) pass.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from functools import partial

from django.utils.formats import date_format, number_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from backoffice.spreadsheets import FileRejected, Table, open_table, problem_column
from payroll.imports import columns as C

MAX_STORED_ERRORS = 1000
MAX_PREVIEW_NEW = 1000
HOURS_ROUNDING = Decimal("0.005")
ZERO = Decimal("0")


@dataclass(frozen=True, slots=True)
class KnownEntrepreneur:
    pk: int
    nir: str
    entry_date: datetime.date
    exit_date: datetime.date | None
    employment_pk: int | None
    employment_status: str | None
    employment_classification: str = ""
    nationality: str = ""


@dataclass
class ImportContext:
    """What the rows are checked against, loaded once (payroll.selectors.submissions.import_context)."""

    period: datetime.date
    period_end: datetime.date
    known: dict[str, KnownEntrepreneur]
    nir_owner: dict[str, str]                 # recorded NIR → matricule
    smic_hourly: Decimal | None
    smic_source: str = ""


@dataclass(slots=True)
class ParsedRow:
    row: int
    matricule: str
    last_name: str
    first_name: str
    nir: str
    status: str
    hours: Decimal | None
    gross_salary: Decimal | None
    bonuses: Decimal
    reimbursed_expenses: Decimal
    revenue: Decimal
    pas_rate: Decimal | None
    target_employer_cost: Decimal | None
    target_net: Decimal | None
    entry_date: datetime.date
    known: KnownEntrepreneur | None
    exit_date: datetime.date | None = None
    absence_hours: Decimal = ZERO
    birth_date: datetime.date | None = None
    leave_taken: Decimal = ZERO
    sick_days: Decimal = ZERO
    classification: str = ""  # for an employment created by the file, or one without a classification yet
    nationality: str = ""  # for an entrepreneur created by the file, or one without a nationality yet


class ErrorLog:
    def __init__(self, cap: int = 1000):
        self.cap = cap
        self.items: list[dict] = []
        self.count = 0

    def add(self, *, row: int | None, column: str | None, code: str, message: str) -> None:
        self.count += 1
        if len(self.items) < self.cap:
            self.items.append({"row": row, "column": column or "", "code": code, "message": message})


@dataclass
class ImportResult:
    errors: list[dict]
    error_count: int
    row_count: int
    preview: dict = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return self.error_count == 0


def _money(value: Decimal) -> str:
    return number_format(value, decimal_pos=2, use_l10n=True, force_grouping=True)


def _day(value: datetime.date) -> str:
    return date_format(value, "SHORT_DATE_FORMAT")


def _file_error(log: ErrorLog, exc: FileRejected) -> None:
    log.add(row=exc.row, column=exc.column, code=exc.code, message=exc.message)


def _check_header(table: Table, log: ErrorLog) -> tuple[dict[str, int], set[int], bool]:
    """(column key → position, positions with no header, whether rows can be read)."""
    positions: dict[str, int] = {}
    unnamed: set[int] = set()
    fatal = False
    for index, text in enumerate(table.header):
        if not text:
            unnamed.add(index)
            continue
        key = C.column_for_header(text)
        if key is None:
            log.add(row=table.header_row, column=text, code="unknown_column", message=_(
                "Unknown column “%(column)s”. Expected columns: %(expected)s.") % {
                "column": text, "expected": ", ".join(c.key for c in C.COLUMNS)})
        elif key in positions:
            fatal = True
            log.add(row=table.header_row, column=text, code="duplicate_column", message=_(
                "Column “%(column)s” appears twice (as “%(first)s” too).") % {
                "column": text, "first": table.header[positions[key]]})
        else:
            positions[key] = index
    missing = [key for key in C.REQUIRED_HEADERS if key not in positions]
    if missing:
        fatal = True
        log.add(row=table.header_row, column="", code="missing_column", message=ngettext(
            "Missing column: %(columns)s. Download the template to see the expected columns.",
            "Missing columns: %(columns)s. Download the template to see the expected columns.",
            len(missing)) % {"columns": ", ".join(missing)})
    return positions, unnamed, fatal


def _report_problems(table: Table, log: ErrorLog) -> None:
    messages = {
        "formula": _("Cell %(ref)s holds a formula: paste the values only (Paste special → Values)."),
        "merged": _("Cells %(ref)s are merged: unmerge them, one value per cell."),
        "error_value": _("Cell %(ref)s holds an error value (#DIV/0!, #N/A…)."),
    }
    for problem in table.problems:
        log.add(row=problem.row, column=problem_column(table, problem), code=problem.code,
                message=messages[problem.code] % {"ref": problem.ref})
    hidden = table.problem_count - len(table.problems)
    if hidden > 0:
        log.count += hidden


def _reader(column: C.Column) -> Callable[[object], object]:
    if column.kind == C.TEXT:
        return partial(C.read_text, max_length=column.max_length)
    return {C.MONEY: C.read_money, C.HOURS: C.read_hours, C.RATE: C.read_rate, C.STATUS: C.read_status,
            C.NIR: C.read_nir, C.DATE: C.read_date, C.NATIONALITY: C.read_nationality}[column.kind]


class _RowChecker:
    """Reads and checks one row at a time; keeps what must be compared across rows."""

    def __init__(self, table: Table, ctx: ImportContext, log: ErrorLog, positions: dict[str, int], unnamed: set[int]):
        self.ctx, self.log = ctx, log
        self.columns = [(key, index, _reader(C.BY_KEY[key])) for key, index in positions.items()]
        self.width = len(table.header)
        self.unnamed = unnamed
        self.reported_unnamed: set[int] = set()
        self.seen_matricules: dict[str, int] = {}
        self.seen_nirs: dict[str, tuple[str, int]] = {}
        self.header_of = {key: table.header[index] for key, index in positions.items()}
        self.failed: set[str] = set()  # keys of the current row's cells that already have an error
        # Cells parse.py reported (formulas, merged cells, error values), by row: already errors.
        key_at = {index: key for key, index in positions.items()}
        self.sheet_problems: dict[int, set[str]] = {}
        for problem in table.problems:
            if problem.col is not None and problem.row is not None:
                key = key_at.get(problem.col - table.col_offset)
                self.sheet_problems.setdefault(problem.row, set()).add(key or f"col{problem.col}")
        # Messages used on many rows, translated once.
        self.msg_required = _("This value is required.")
        self.msg_statut = _("Required: cadre or non cadre.")

    def error(self, row: int, key: str, code: str, message: str) -> None:
        self.failed.add(key)
        self.log.add(row=row, column=self.header_of.get(key, key), code=code, message=message)

    def _stray_cells(self, number: int, cells: list) -> None:
        for index in [*self.unnamed, *range(self.width, len(cells))]:
            if index < len(cells) and index not in self.reported_unnamed and not C.is_blank(cells[index]):
                self.reported_unnamed.add(index)
                self.log.add(row=number, column=C.column_letter(index), code="value_without_header", message=_(
                    "Column %(letter)s has values but no header: name it or empty it.") % {
                    "letter": C.column_letter(index)})

    def check(self, number: int, cells: list) -> ParsedRow | None:
        before = self.log.count
        self.failed = set(self.sheet_problems.get(number, ()))
        length = len(cells)
        if self.unnamed or length > self.width:
            self._stray_cells(number, cells)
        values: dict[str, object] = {}
        for key, index, read in self.columns:
            try:
                values[key] = read(cells[index] if index < length else None)
            except C.CellError as exc:
                values[key] = None
                self.error(number, key, exc.code, exc.message)
        return self._rules(number, values, before)

    def _required(self, number: int, key: str, values: dict, why: str) -> None:
        if key in values and values[key] in ("", None) and key not in self.failed:
            self.error(number, key, "missing_required", why)

    def _rules(self, number: int, v: dict, before: int) -> ParsedRow | None:
        ctx = self.ctx
        matricule = v.get("matricule") or ""
        self._required(number, "matricule", v, self.msg_required)
        self._required(number, "statut", v, self.msg_statut)

        known = ctx.known.get(matricule) if matricule else None
        if matricule:
            first = self.seen_matricules.get(matricule)
            if first is not None:
                self.error(number, "matricule", "duplicate", _(
                    "Employee number %(matricule)s is already on row %(row)d: one row per entrepreneur.") % {
                    "matricule": matricule, "row": first})
            else:
                self.seen_matricules[matricule] = number

        # Pay: exactly one figure.
        given = [key for key in C.PAY_FIGURES if v.get(key) is not None]
        if len(given) != 1 and not any(self._had_error(number, key) for key in C.PAY_FIGURES):
            present = [self.header_of[key] for key in C.PAY_FIGURES if key in self.header_of]
            if not given:
                self.error(number, "salaire_brut", "no_pay_figure", _(
                    "Give the month's pay in one of %(columns)s (or delete the row).") % {
                    "columns": ", ".join(present)})
            else:
                self.error(number, given[1], "several_pay_figures", _(
                    "Give the pay in only one of %(columns)s: this row has %(given)s.") % {
                    "columns": ", ".join(present), "given": ", ".join(self.header_of[k] for k in given)})

        nir = v.get("nir") or ""
        entry_date = ctx.period
        if known is not None:
            if nir and known.nir and nir != known.nir:
                self.error(number, "nir", "nir_mismatch", _(
                    "This NIR is not the one recorded for employee number %(matricule)s.") % {"matricule": matricule})
            elif nir and not known.nir:
                self._nir_free(number, nir, matricule)
            if known.exit_date is not None and known.exit_date < ctx.period:
                self.error(number, "matricule", "exited", _(
                    "Employee number %(matricule)s left the CAE on %(date)s, before this month.") % {
                    "matricule": matricule, "date": _day(known.exit_date)})
            if known.entry_date > ctx.period_end:
                self.error(number, "matricule", "not_yet_entered", _(
                    "Employee number %(matricule)s enters the CAE on %(date)s, after this month.") % {
                    "matricule": matricule, "date": _day(known.entry_date)})
            entry_date = known.entry_date
        elif matricule:
            for key in ("nom", "prenom", "nir"):
                if key in v and v[key] in ("", None) and not self._had_error(number, key):
                    self.error(number, key, "missing_required", _(
                        "Required for a new employee number (%(matricule)s): it creates an entrepreneur.") % {
                        "matricule": matricule})
            if nir:
                self._nir_free(number, nir, matricule)
            if v.get("date_entree"):
                entry_date = v["date_entree"]
                if entry_date > ctx.period_end:
                    self.error(number, "date_entree", "entry_after_period", _(
                        "The entry date %(date)s is after this month.") % {"date": _day(entry_date)})
            if "date_naissance" in self.header_of and not v.get("date_naissance") \
                    and not self._had_error(number, "date_naissance"):
                self.error(number, "date_naissance", "missing_required", _(
                    "Required for a new employee number (%(matricule)s): the DSN needs the birth date.") % {
                    "matricule": matricule})
            if "nationalite" in self.header_of and not v.get("nationalite") \
                    and not self._had_error(number, "nationalite"):
                self.error(number, "nationalite", "missing_required", _(
                    "Required for a new employee number (%(matricule)s): the DSN needs the nationality.") % {
                    "matricule": matricule})
        classification = self._classification(number, v, matricule, known)
        birth_date = v.get("date_naissance")
        if birth_date is not None and not (datetime.date(1900, 1, 1) <= birth_date <= ctx.period_end):
            self.error(number, "date_naissance", "bad_birth_date", _(
                "The birth date %(date)s is not plausible.") % {"date": _day(birth_date)})
        exit_date = v.get("date_sortie")
        if exit_date is not None and not (ctx.period <= exit_date <= ctx.period_end):
            self.error(number, "date_sortie", "exit_outside_period", _(
                "The exit date %(date)s is not in this month: give it only in the month the contract ends.") % {
                "date": _day(exit_date)})
        elif exit_date is not None and exit_date < entry_date:
            self.error(number, "date_sortie", "exit_before_entry", _(
                "The exit date %(date)s is before the entry date.") % {"date": _day(exit_date)})

        for key, most in (("conges_pris", Decimal(30)), ("jours_maladie", Decimal(31))):
            if (v.get(key) or ZERO) > most and not self._had_error(number, key):
                self.error(number, key, "too_large", _("At most %(most)s days in a month (found %(value)s).") % {
                    "most": most, "value": v[key]})

        hours, gross = v.get("heures"), v.get("salaire_brut")
        if hours and gross is not None and ctx.smic_hourly is not None \
                and not self._had_error(number, "heures") and not self._had_error(number, "salaire_brut"):
            minimum = (ctx.smic_hourly * (hours - HOURS_ROUNDING)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
            if gross < minimum:
                hourly = (gross / hours).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
                self.error(number, "salaire_brut", "below_smic", _(
                    "%(gross)s € for %(hours)s hours is %(hourly)s € an hour, below the SMIC of %(smic)s € an hour "
                    "(at least %(minimum)s €).") % {
                    "gross": _money(gross), "hours": _money(hours), "hourly": _money(hourly),
                    "smic": _money(ctx.smic_hourly), "minimum": _money(minimum)})

        if self.log.count != before or self.failed:
            return None
        return ParsedRow(
            row=number, matricule=matricule, last_name=v.get("nom") or "", first_name=v.get("prenom") or "", nir=nir,
            status=v["statut"], hours=hours or None, gross_salary=gross, bonuses=v.get("primes") or ZERO,
            reimbursed_expenses=v.get("frais_rembourses") or ZERO, revenue=v.get("chiffre_affaires_ht") or ZERO,
            pas_rate=v.get("taux_pas"), target_employer_cost=v.get("cout_employeur_cible"),
            target_net=v.get("net_cible"), entry_date=entry_date, known=known, exit_date=exit_date,
            absence_hours=v.get("heures_absence") or ZERO, birth_date=birth_date,
            leave_taken=v.get("conges_pris") or ZERO, sick_days=v.get("jours_maladie") or ZERO,
            classification=classification,
            nationality=(v.get("nationalite") or "") if known is None or not known.nationality else "",
        )

    def _classification(self, number: int, v: dict, matricule: str, known: KnownEntrepreneur | None) -> str:
        """The classification to record (art. R3243-1 Code du travail: the payslip gives it): for
        an employment the file creates (a new person, or a known one without employment data) the
        column is required when present, as the birth date is; for a known employment without one
        it fills it; a recorded one is changed on the employment page, not by the file."""
        given = v.get("classification") or ""
        if "classification" not in self.header_of or self._had_error(number, "classification") or not matricule:
            return ""
        creates = known is None or known.employment_pk is None
        if creates:
            if not given:
                self.error(number, "classification", "missing_required", _(
                    "Required for a new employee number (%(matricule)s): the payslip shows the classification "
                    "(art. R3243-1 Code du travail).") % {"matricule": matricule})
            return given
        recorded = known.employment_classification
        if given and recorded and given != recorded:
            self.error(number, "classification", "classification_mismatch", _(
                "Employee number %(matricule)s already has the classification “%(recorded)s”: change it on their "
                "employment page, or leave this cell empty.") % {"matricule": matricule, "recorded": recorded})
            return ""
        return given if not recorded else ""

    def _had_error(self, number: int, key: str) -> bool:
        """Whether this row's `key` cell already has an error (so no second message on it)."""
        return key in self.failed

    def _nir_free(self, number: int, nir: str, matricule: str) -> None:
        owner = self.ctx.nir_owner.get(nir)
        if owner is not None and owner != matricule:
            self.error(number, "nir", "nir_taken", _(
                "This NIR is already recorded for employee number %(owner)s.") % {"owner": owner})
            return
        first = self.seen_nirs.get(nir)
        if first is not None and first[0] != matricule:
            self.error(number, "nir", "nir_duplicate", _(
                "This NIR is also on row %(row)d (employee number %(owner)s).") % {"row": first[1], "owner": first[0]})
        else:
            self.seen_nirs.setdefault(nir, (matricule, number))


class _Totals:
    def __init__(self):
        self.gross = self.bonuses = self.expenses = self.revenue = self.target_cost = self.target_net = ZERO
        self.hours = ZERO
        self.as_gross = self.as_cost = self.as_net = 0

    def add(self, row: ParsedRow) -> None:
        self.bonuses += row.bonuses
        self.expenses += row.reimbursed_expenses
        self.revenue += row.revenue
        if row.hours:
            self.hours += row.hours
        if row.gross_salary is not None:
            self.gross += row.gross_salary
            self.as_gross += 1
        elif row.target_employer_cost is not None:
            self.target_cost += row.target_employer_cost
            self.as_cost += 1
        elif row.target_net is not None:
            self.target_net += row.target_net
            self.as_net += 1

    def as_dict(self) -> dict:
        return {
            "totals": {
                "gross_salary": str(self.gross), "bonuses": str(self.bonuses),
                "reimbursed_expenses": str(self.expenses), "revenue": str(self.revenue),
                "target_employer_cost": str(self.target_cost), "target_net": str(self.target_net),
                "hours": str(self.hours),
            },
            "pay_given_as": {"gross": self.as_gross, "employer_cost": self.as_cost, "net": self.as_net},
        }


def validate_table(table: Table, ctx: ImportContext, *, on_row: Callable[[ParsedRow], None] | None = None,
                   on_progress: Callable[[int, int], None] | None = None,
                   max_errors: int | None = None) -> ImportResult:
    """Check every row of `table`; hand each valid row to `on_row` while no error has been found."""
    log = ErrorLog(max_errors or MAX_STORED_ERRORS)
    positions, unnamed, fatal = _check_header(table, log)
    _report_problems(table, log)
    totals = _Totals()
    new_rows: list[dict] = []
    new_count = row_count = valid_count = 0
    if not fatal:
        checker = _RowChecker(table, ctx, log, positions, unnamed)
        total = max(table.total_rows, 1)
        try:
            for number, cells in table.rows:
                row_count += 1
                parsed = checker.check(number, cells)
                if parsed is None:
                    continue
                valid_count += 1
                totals.add(parsed)
                if parsed.known is None:
                    new_count += 1
                    if len(new_rows) < MAX_PREVIEW_NEW:
                        new_rows.append({"row": parsed.row, "matricule": parsed.matricule,
                                         "last_name": parsed.last_name, "first_name": parsed.first_name})
                if on_row is not None and log.count == 0:
                    on_row(parsed)
                if on_progress is not None and row_count % 500 == 0:
                    on_progress(row_count, max(total, row_count))
        except FileRejected as exc:
            _file_error(log, exc)
        if row_count == 0 and log.count == 0:
            log.add(row=table.header_row + 1, column="", code="no_rows",
                    message=_("The file has a header row but no data."))
    preview = {
        "row_count": row_count, "valid_count": valid_count, **totals.as_dict(), "new_entrepreneurs": new_rows, "new_count": new_count,
        "known_count": row_count - new_count, "error_count": log.count,
        "errors_truncated": log.count > len(log.items),
        "smic_hourly": str(ctx.smic_hourly) if ctx.smic_hourly is not None else None,
        "smic_source": ctx.smic_source,
        "file": {"kind": table.kind, "encoding": table.encoding, "delimiter": table.delimiter,
                 "columns": [key for key in (c.key for c in C.COLUMNS) if key in positions]},
    }
    return ImportResult(errors=log.items, error_count=log.count, row_count=row_count, preview=preview)


def rejected_result(exc: FileRejected) -> ImportResult:
    """The result for a file that could not be opened at all."""
    log = ErrorLog()
    _file_error(log, exc)
    return ImportResult(errors=log.items, error_count=1, row_count=0, preview={"error_count": 1, "row_count": 0})


def validate_file(path, *, name: str, ctx: ImportContext, on_row: Callable[[ParsedRow], None] | None = None,
                  on_progress: Callable[[int, int], None] | None = None) -> ImportResult:
    """Open and check a file (`name` gives its type): a file that cannot be read at all gives a
    result with that one error."""
    try:
        with open_table(path, name=name) as table:
            return validate_table(table, ctx, on_row=on_row, on_progress=on_progress)
    except FileRejected as exc:
        return rejected_result(exc)

