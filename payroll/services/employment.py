"""An entrepreneur's employment data (contract and pay data): edit and xlsx import.

Rules (checked here, not in forms):
- only a CAE (host or partner) has payroll;
- a CAPE holder is not salaried and gets no payslip (see
  payroll.selectors.people.employment_allows_payslip); the data may still be recorded;
- the contract ends on or after its start; monthly contractual hours, when given, are
  positive (empty: pay follows activity, not time);
- the IBAN is checked by python-stdnum, stored compact and upper-case, never written to the
  audit trail (its change is recorded as "changed", see backoffice.services.entrepreneurs);
- the paid-leave opening figures (N-1 still to take, N acquired) are 0–30 working days, as of
  the first day of a month not before the contract's, and N is at most 2.5 days a month of the
  reference period before that date (see _validate_leave_opening).

The import (`employment_import`) reads every row first, collects every error by row and
column, and writes only when there is none — all rows in one transaction, through the same
`employment_save` as the edit page, so the rules and the audit are the same.
"""

from __future__ import annotations

import datetime
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import transaction
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from backoffice.models import Entrepreneur, Workspace
from backoffice.services.audit import audit_record, diff_fields, snapshot
from backoffice.services.entrepreneurs import redact_personal_ids
from backoffice.spreadsheets import FileRejected, extension_of, french_date, french_decimal, load_dataset
from backoffice.validators import compact_iban
from payroll.engine.leave import WORK_MONTH, reference_period_start
from payroll.models import Employment, PayrollSettings, RiskRate
from payroll.models.employment import ContractType, PayStatus
from payroll.selectors.people import entrepreneurs_by_matricule

EMPLOYMENT_FIELDS = ["contract_type", "is_associate", "status", "contractual_hours", "job_title", "classification",
                     "fixed_term", "trade_category", "start_date", "end_date", "exit_reason", "iban", "contribution_rate", "risk_rate_id"]
# Paid-leave opening figures (kept apart from the list above to ease merges).
LEAVE_OPENING_FIELDS = ["leave_opening_date", "leave_opening_previous", "leave_opening_acquired"]
EMPLOYMENT_FIELDS += LEAVE_OPENING_FIELDS
HOURS_MAX = Decimal("400")


def _normalise(fields: dict[str, Any]) -> dict[str, Any]:
    out = dict(fields)
    for name in ("job_title", "classification"):
        if name in out:
            out[name] = (out[name] or "").strip()
    if "iban" in out:
        raw = (out["iban"] or "").strip()
        out["iban"] = compact_iban(raw).upper() if raw else ""
    return out


def _validate(employment: Employment) -> None:
    errors: dict = {}
    workspace = employment.workspace
    if not workspace.has_entrepreneurs:
        errors[NON_FIELD_ERRORS] = [_("Only a CAE (the host or a partner) has a payroll.")]
    if employment.entrepreneur.workspace_id != workspace.pk:
        errors.setdefault(NON_FIELD_ERRORS, []).append(_("The entrepreneur belongs to another workspace."))
    try:
        # Field shapes and validators: choices, IBAN (stdnum), contribution rate 0-100 %.
        employment.full_clean(exclude=["workspace", "entrepreneur"], validate_unique=False,
                              validate_constraints=False)
    except ValidationError as exc:
        errors = exc.update_error_dict(errors)
    if employment.risk_rate_id is not None and not RiskRate.objects.filter(
            pk=employment.risk_rate_id, workspace=workspace).exists():
        errors.setdefault("risk_rate", []).append(ValidationError(_("This AT/MP rate is not one of the workspace's.")))
    if employment.contract_type == ContractType.CESA and not employment.classification:
        # R3243-1 Code du travail: the payslip gives the employee's classification.
        errors.setdefault("classification", []).append(ValidationError(
            _("Required for a salaried contract (CESA): the payslip shows it.")))
    if employment.end_date and employment.start_date and employment.end_date < employment.start_date:
        errors.setdefault("end_date", []).append(ValidationError(_("The contract cannot end before it starts.")))
    hours = employment.contractual_hours
    if hours is not None and "contractual_hours" not in errors and not (0 < hours <= HOURS_MAX):
        errors.setdefault("contractual_hours", []).append(ValidationError(
            _("Monthly hours must be more than 0 and at most %(max)s (leave empty when pay follows activity).")
            % {"max": HOURS_MAX}))
    _validate_leave_opening(employment, errors)
    if errors:
        raise ValidationError(errors)


def _validate_leave_opening(employment: Employment, errors: dict) -> None:
    """The paid-leave opening figures: a date (the first day of a month, not before the contract's
    month) whenever a figure is given, and N acquired within what the months of the reference
    period before that date can acquire (2.5 a month, L3141-3; the 0–30 range is the fields')."""
    day = employment.leave_opening_date
    given = [name for name in ("leave_opening_previous", "leave_opening_acquired")
             if getattr(employment, name) is not None]
    if day is None:
        if given:
            errors.setdefault("leave_opening_date", []).append(ValidationError(
                _("Give the date the paid-leave figures are as of.")))
        return
    if day.day != 1:
        errors.setdefault("leave_opening_date", []).append(ValidationError(
            _("The paid-leave figures are as of the first day of a month.")))
        return
    start = employment.start_date
    if start is not None and day < start.replace(day=1):
        errors.setdefault("leave_opening_date", []).append(ValidationError(
            _("The paid-leave figures cannot be as of a date before the contract starts.")))
        return
    acquired = employment.leave_opening_acquired
    if acquired is None or "leave_opening_acquired" in errors:
        return
    building_trade = PayrollSettings.objects.filter(workspace=employment.workspace, paid_leave_fund=True).exists()
    first = reference_period_start(day, building_trade=building_trade)
    if start is not None:
        first = max(first, start.replace(day=1))
    months = (day.year - first.year) * 12 + day.month - first.month
    most = WORK_MONTH * months
    if acquired > most:
        errors.setdefault("leave_opening_acquired", []).append(ValidationError(
            _("At most %(most)s days: %(months)s months of the reference period from %(start)s, 2.5 days a month.")
            % {"most": number_format(most), "months": months, "start": first.strftime("%d/%m/%Y")}))


def _prepare(*, entrepreneur: Entrepreneur, employment: Employment | None, fields: dict[str, Any]
             ) -> tuple[Employment, dict[str, Any], bool]:
    """The employment with `fields` applied (not saved) and its values before."""
    unknown = set(fields) - set(EMPLOYMENT_FIELDS)
    if unknown:
        raise TypeError(f"employment_save() cannot change {sorted(unknown)}")
    fields = _normalise(fields)
    created = employment is None
    if created:
        employment = Employment(workspace=entrepreneur.workspace, entrepreneur=entrepreneur)
        before: dict[str, Any] = {}
    else:
        before = snapshot(employment, EMPLOYMENT_FIELDS)
    for name, value in fields.items():
        setattr(employment, name, value)
    return employment, before, created


def _existing(entrepreneur: Entrepreneur) -> Employment | None:
    """The stored employment (an unsaved one left in the relation's cache by a check is not)."""
    try:
        employment = entrepreneur.employment
    except Employment.DoesNotExist:
        return None
    return employment if employment.pk is not None else None


@transaction.atomic
def employment_save(*, actor, entrepreneur: Entrepreneur, **fields) -> Employment:
    """Create the entrepreneur's employment data or change any of EMPLOYMENT_FIELDS.

    ValidationError by field when a rule fails (nothing is written). Audited as
    "employment.create" / "employment.update" with the changed fields; the IBAN as "changed".
    """
    current = _existing(entrepreneur)
    employment, before, created = _prepare(entrepreneur=entrepreneur, employment=current, fields=fields)
    if created and employment.start_date is None:
        employment.start_date = entrepreneur.entry_date
    try:
        _validate(employment)
    except ValidationError:
        if current is not None:
            for name, value in before.items():
                setattr(current, name, value)  # the caller's object stays as stored
        raise
    changes = diff_fields(before, snapshot(employment, EMPLOYMENT_FIELDS))
    if created or changes:
        employment.save()
        audit_record(actor=actor, workspace=employment.workspace,
                     action="employment.create" if created else "employment.update", obj=employment,
                     changes=redact_personal_ids(changes))
    return employment


# --- xlsx import ----------------------------------------------------------------------------

# Column headers of the import file (French, as the partners' files are), in template order.
COLUMNS = ("matricule", "contrat", "associe", "statut", "heures", "emploi", "date_debut", "date_fin", "iban",
           "taux_contribution")
COLUMN_FIELD = {"contrat": "contract_type", "associe": "is_associate", "statut": "status",
                "heures": "contractual_hours", "emploi": "job_title", "date_debut": "start_date",
                "date_fin": "end_date", "iban": "iban", "taux_contribution": "contribution_rate"}
FIELD_COLUMN = {v: k for k, v in COLUMN_FIELD.items()}
# Optional columns, the classification and the paid-leave opening figures: a file without them
# keeps the recorded values (a new salaried contract needs its classification, R3243-1).
LEAVE_COLUMN_FIELD = {"cp_date_reprise": "leave_opening_date", "cp_n1_restant": "leave_opening_previous",
                      "cp_n_acquis": "leave_opening_acquired"}
OPTIONAL_COLUMNS = ("classification", *LEAVE_COLUMN_FIELD)
COLUMN_FIELD["classification"] = "classification"
FIELD_COLUMN["classification"] = "classification"
COLUMN_FIELD.update(LEAVE_COLUMN_FIELD)
FIELD_COLUMN.update({v: k for k, v in LEAVE_COLUMN_FIELD.items()})
MAX_ROWS = 5000

_TRUE = {"oui", "o", "yes", "y", "vrai", "true", "1", "x"}
_FALSE = {"non", "n", "no", "faux", "false", "0", ""}
_CONTRACTS = {"cesa": ContractType.CESA, "cape": ContractType.CAPE}
_STATUSES = {"cadre": PayStatus.CADRE, "non-cadre": PayStatus.NON_CADRE, "non cadre": PayStatus.NON_CADRE,
             "non_cadre": PayStatus.NON_CADRE, "noncadre": PayStatus.NON_CADRE}


class ImportFileError(Exception):
    """The file cannot be read at all (not an xlsx, no sheet, columns missing…)."""


@dataclass(frozen=True)
class RowError:
    row: int  # as the user sees it in the spreadsheet (header = row 1); 0 for the whole file
    column: str  # the file's column name, or "" for the row
    message: str


@dataclass
class ImportReport:
    rows: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    errors: list[RowError] = field(default_factory=list)
    dry_run: bool = True
    written: bool = False

    @property
    def ok(self) -> bool:
        return not self.errors


def _header_key(value: Any) -> str:
    text = unicodedata.normalize("NFKD", str(value or "")).encode("ascii", "ignore").decode()
    return "_".join(text.lower().replace("-", " ").split())


def read_xlsx(upload, *, name: str | None = None) -> Iterable[tuple[int, dict[str, Any]]]:
    """(row number, {column: raw cell value}) for every non-empty data row of the first sheet.

    The file is read by the project's bounded reader (backoffice.spreadsheets.load_dataset:
    size, zip bomb, rows, far cells). Raises ImportFileError for a file that cannot be read or
    lacks a column. Cells come as python-calamine gives them (str, float, int, bool, date,
    datetime); `_cell_*` below turn them into Decimal, never keeping a float."""
    name = name or str(getattr(upload, "name", "") or "") or "import.xlsx"
    if extension_of(name) != "xlsx":
        name = "import.xlsx"  # the upload form accepts only .xlsx; the content decides from here
    try:
        dataset = load_dataset(upload, name=name)
    except FileRejected as exc:
        raise ImportFileError(exc.message) from None
    keys = [_header_key(h) for h in dataset.headers]
    missing = [c for c in COLUMNS if c not in keys]
    if missing:
        raise ImportFileError(_("Missing columns: %(columns)s. Expected: %(expected)s.") % {
            "columns": ", ".join(missing), "expected": ", ".join(COLUMNS)})
    index = {c: keys.index(c) for c in COLUMNS}
    index.update({c: keys.index(c) for c in OPTIONAL_COLUMNS if c in keys})
    if len(dataset) > MAX_ROWS:
        raise ImportFileError(_("The file has more than %(max)s rows.") % {"max": MAX_ROWS})
    for number, row in zip(dataset.row_numbers, dataset, strict=True):
        values = {c: row[i] for c, i in index.items()}
        if all(v in ("", None) for v in values.values()):
            continue
        yield number, values


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))  # a number typed in a text column (employee number 1001 → "1001")
    return str(value).strip()


def _cell_decimal(value: Any, places: int) -> Decimal | None:
    """A number cell or a French-typed text ("151,67", "1 234,5", "5 %") with at most `places` decimals."""
    try:
        number = french_decimal(value, unit="%")
    except ValueError:
        raise ValueError(_("expected a number")) from None
    if number is None:
        return None
    if number != number.quantize(Decimal(1).scaleb(-places)):
        raise ValueError(_("at most %(places)s decimals") % {"places": places})
    return number.quantize(Decimal(1).scaleb(-places))


def _cell_date(value: Any) -> datetime.date | None:
    try:
        return french_date(value)
    except ValueError:
        raise ValueError(_("expected a date such as 31/01/2026")) from None


def _cell_choice(value: Any, choices: dict[str, str], expected: str) -> str:
    key = _text(value).lower()
    if key not in choices:
        raise ValueError(_("expected %(expected)s") % {"expected": expected})
    return choices[key]


def _cell_bool(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    key = _text(value).lower()
    if key in _TRUE:
        return True
    if key in _FALSE:
        return False
    raise ValueError(_("expected oui or non"))


def _row_fields(values: dict[str, Any], errors: list[RowError], number: int) -> dict[str, Any]:
    """The employment fields of one row; each unreadable cell adds an error."""
    readers = {
        "contrat": lambda v: _cell_choice(v, _CONTRACTS, "CESA or CAPE"),
        "associe": _cell_bool,
        "statut": lambda v: _cell_choice(v, _STATUSES, "cadre or non-cadre"),
        "heures": lambda v: _cell_decimal(v, 2),
        "emploi": _text,
        "date_debut": _cell_date,
        "date_fin": _cell_date,
        "iban": _text,
        "taux_contribution": lambda v: _cell_decimal(v, 3),
    }
    out: dict[str, Any] = {}
    for column, read in readers.items():
        try:
            out[COLUMN_FIELD[column]] = read(values[column])
        except ValueError as exc:
            errors.append(RowError(number, column, str(exc)))
    optional = {"classification": _text, "cp_date_reprise": _cell_date, "cp_n1_restant": lambda v: _cell_decimal(v, 2),
                "cp_n_acquis": lambda v: _cell_decimal(v, 2)}
    for column, read in optional.items():
        if column in values:
            try:
                out[COLUMN_FIELD[column]] = read(values[column])
            except ValueError as exc:
                errors.append(RowError(number, column, str(exc)))
    return out


@transaction.atomic
def employment_import(*, actor, workspace: Workspace, rows: Iterable[tuple[int, dict[str, Any]]],
                      dry_run: bool = False) -> ImportReport:
    """Check every row (unknown employee number, unreadable cell, any rule of
    `employment_save`), then — when there is no error and not `dry_run` — write them all in one
    transaction. With errors nothing is written. An empty `iban` cell keeps the recorded IBAN;
    an empty `date_debut` means the entrepreneur's entry date; every other column replaces the
    recorded value (empty `heures`: pay follows activity; empty `taux_contribution`: the
    workspace's rule). The optional columns `cp_date_reprise`, `cp_n1_restant` and `cp_n_acquis`
    (paid-leave opening figures) replace the recorded ones when the file has them. Audited per entrepreneur, plus one "employment.import" entry."""
    report = ImportReport(dry_run=dry_run)
    people = entrepreneurs_by_matricule(workspace)
    seen: dict[str, int] = {}
    planned: list[tuple[Entrepreneur, dict[str, Any]]] = []
    try:
        for number, values in rows:
            report.rows += 1
            matricule = _text(values["matricule"])
            if not matricule:
                report.errors.append(RowError(number, "matricule", _("The employee number is missing.")))
                continue
            if matricule in seen:
                report.errors.append(RowError(number, "matricule", _(
                    "Employee number %(matricule)s is already on row %(row)s.") % {
                        "matricule": matricule, "row": seen[matricule]}))
                continue
            seen[matricule] = number
            entrepreneur = people.get(matricule)
            if entrepreneur is None:
                report.errors.append(RowError(number, "matricule", _(
                    "No entrepreneur with employee number %(matricule)s in this workspace: add them first "
                    "(monthly import or the entrepreneurs page).") % {"matricule": matricule}))
                continue
            row_errors: list[RowError] = []
            fields = _row_fields(values, row_errors, number)
            current = _existing(entrepreneur)
            if not fields.get("iban", True):
                fields["iban"] = current.iban if current is not None else ""
            if "start_date" in fields and fields["start_date"] is None:
                fields["start_date"] = entrepreneur.entry_date
            employment, before, created = _prepare(entrepreneur=entrepreneur, employment=current, fields=fields)
            try:
                _validate(employment)
                changed = created or bool(diff_fields(before, snapshot(employment, EMPLOYMENT_FIELDS)))
            except ValidationError as exc:
                unreadable = {e.column for e in row_errors}  # already reported: not checked further
                for name, messages in exc.message_dict.items():
                    column = FIELD_COLUMN.get(name, "")
                    if column not in unreadable:
                        row_errors.extend(RowError(number, column, message) for message in messages)
            finally:
                if current is not None:  # checking must not change the loaded object
                    for name, value in before.items():
                        setattr(current, name, value)
            if row_errors:
                report.errors.extend(row_errors)
                continue
            if created:
                report.created += 1
            elif changed:
                report.updated += 1
            else:
                report.unchanged += 1
            planned.append((entrepreneur, fields))
    except ImportFileError as exc:
        report.errors.append(RowError(0, "", str(exc)))
    if report.errors or dry_run:
        return report
    for entrepreneur, fields in planned:
        employment_save(actor=actor, entrepreneur=entrepreneur, **fields)
    audit_record(actor=actor, workspace=workspace, action="employment.import", changes={
        "rows": report.rows, "created": report.created, "updated": report.updated, "unchanged": report.unchanged})
    report.written = True
    return report
