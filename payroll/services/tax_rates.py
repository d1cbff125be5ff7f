"""Import the withholding rates the tax administration returns (compte rendu métier, CRM).

After each DSN the DGFiP answers with the rate of each employee. The file read here is a
simple table, one row per employee (csv or xlsx, read by backoffice/spreadsheets.py):

    nir;taux;date_effet[;type]
    185057800608436;7,5;01/03/2026
    285057800608436;0;01/03/2026;neutre

- ``nir``: the employee's social-security number (must be an entrepreneur of the workspace);
- ``taux``: the rate in percent (0 to 100, two decimals);
- ``date_effet``: the first day of pay the rate applies to (dd/mm/yyyy or yyyy-mm-dd);
- ``type`` (optional): ``personnalise`` (default) or ``neutre`` when the employee opted for the
  non-personalised rate (art. 204 H III CGI; the grid then applies, the rate is kept for the
  record).

All or nothing: every row is checked first; one error and nothing is written. The same NIR and
date given again replaces the rate (a corrected return).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db import transaction
from django.utils.translation import gettext as _

from backoffice.models import Entrepreneur, Workspace
from backoffice.services.audit import audit_record
from backoffice.spreadsheets import FileRejected, as_path, is_blank, open_table
from payroll.imports import columns as C
from payroll.models import RateKind, TaxRate

HEADERS = {"nir": "nir", "numero_de_securite_sociale": "nir", "taux": "taux", "taux_pas": "taux",
           "date_effet": "date_effet", "date_d_effet": "date_effet", "date": "date_effet", "type": "type",
           "type_de_taux": "type"}
KINDS = {"": RateKind.PERSONALISED, "personnalise": RateKind.PERSONALISED, "taux_personnalise": RateKind.PERSONALISED,
         "neutre": RateKind.NEUTRAL, "taux_neutre": RateKind.NEUTRAL, "non_personnalise": RateKind.NEUTRAL}
REQUIRED = ("nir", "taux", "date_effet")


@dataclass
class RowError:
    row: int | None
    column: str
    message: str


@dataclass
class TaxRateImport:
    errors: list[RowError] = field(default_factory=list)
    rows: int = 0
    created: int = 0
    updated: int = 0

    @property
    def ok(self) -> bool:
        return not self.errors


def _read(table, owners: dict[str, int], report: TaxRateImport) -> list[tuple[int, int, object, str, object]]:
    positions = {}
    for index, text in enumerate(table.header):
        key = HEADERS.get(C.normalise(text)) if text else None
        if key is not None:
            positions[key] = index
    missing = [key for key in REQUIRED if key not in positions]
    if missing:
        report.errors.append(RowError(table.header_row, "", _(
            "Missing column: %(columns)s. Expected columns: nir, taux, date_effet (and optionally type).") % {
            "columns": ", ".join(missing)}))
        return []
    parsed, seen = [], {}
    for number, cells in table.rows:
        report.rows += 1

        def cell(key, cells=cells):
            index = positions.get(key)
            return cells[index] if index is not None and index < len(cells) else None

        try:
            nir = C.read_nir(cell("nir"))
            if not nir:
                raise C.CellError(_("This value is required."))
        except C.CellError as exc:
            report.errors.append(RowError(number, table.header[positions["nir"]], exc.message))
            continue
        values = {}
        for key, reader in (("taux", C.read_rate), ("date_effet", C.read_date)):
            try:
                values[key] = reader(cell(key))
                if values[key] is None:
                    raise C.CellError(_("This value is required."))
            except C.CellError as exc:
                report.errors.append(RowError(number, table.header[positions[key]], exc.message))
        raw_kind = cell("type")
        kind = KINDS.get("" if is_blank(raw_kind) else C.normalise(raw_kind))
        if kind is None:
            report.errors.append(RowError(number, table.header[positions["type"]], _(
                "“%(value)s” is not a kind of rate: write personnalise or neutre.") % {"value": str(raw_kind)[:40]}))
        owner = owners.get(nir)
        if owner is None:
            report.errors.append(RowError(number, table.header[positions["nir"]], _(
                "No entrepreneur of this workspace has this NIR.")))
        if len(values) < 2 or kind is None or owner is None:
            continue
        key = (owner, values["date_effet"])
        if key in seen:
            report.errors.append(RowError(number, table.header[positions["nir"]], _(
                "This NIR and date are already on row %(row)d.") % {"row": seen[key]}))
            continue
        seen[key] = number
        parsed.append((number, owner, values["taux"], kind, values["date_effet"]))
    if report.rows == 0:
        report.errors.append(RowError(table.header_row + 1, "", _("The file has a header row but no data.")))
    return parsed


@transaction.atomic
def tax_rates_import(*, actor, workspace: Workspace, file, name: str) -> TaxRateImport:
    """Check every row of the compte-rendu file, then store all its rates (or none)."""
    report = TaxRateImport()
    owners = dict(Entrepreneur.objects.filter(workspace=workspace).exclude(nir="").values_list("nir", "pk"))
    try:
        with as_path(file) as path, open_table(path, name=name) as table:
            parsed = _read(table, owners, report)
    except FileRejected as exc:
        report.errors.append(RowError(exc.row, exc.column or "", exc.message))
        return report
    if report.errors:
        return report
    existing = {(r.entrepreneur_id, r.valid_from): r for r in
                TaxRate.objects.filter(workspace=workspace, entrepreneur_id__in={p[1] for p in parsed})}
    to_create, to_update = [], []
    for _number, owner, rate, kind, valid_from in parsed:
        current = existing.get((owner, valid_from))
        if current is None:
            to_create.append(TaxRate(workspace=workspace, entrepreneur_id=owner, rate=rate, kind=kind,
                                     valid_from=valid_from, file_name=name[:200]))
        elif (current.rate, current.kind) != (rate, kind):
            current.rate, current.kind, current.file_name = rate, kind, name[:200]
            to_update.append(current)
    TaxRate.objects.bulk_create(to_create)
    TaxRate.objects.bulk_update(to_update, ["rate", "kind", "file_name"])
    report.created, report.updated = len(to_create), len(to_update)
    audit_record(actor=actor, workspace=workspace, action="payroll.tax_rates_import", obj=workspace,
                 changes={"file": name[:200], "rows": report.rows, "created": report.created,
                          "updated": report.updated})
    return report
