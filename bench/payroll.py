"""Payroll at federation scale: prints figures, asserts nothing.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/test .venv/bin/python bench/payroll.py [--quick]

Sections:
1. parsing a 100,000-row xlsx: openpyxl read-only vs python-calamine;
2. the pay engine: payslips computed per second vs OpenFisca-France computing salaire_net
   for the same people, vectorised, in the same run;
3. import end to end (file → validated → stored) vs a bare bulk_create of the same rows
   and vs django-import-export's default per-row import of the same file;
4. payroll run and payslip PDFs (PDF time as a ratio to an empty WeasyPrint page);
5. queries per page for the submission and payslip lists (constant in the number of rows);
6. peak memory of a 100,000-row xlsx import, in a child process.
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


def nir(n: int) -> str:
    body = f"{1 + n % 2}{70 + n % 30:02d}{1 + n % 12:02d}75{1 + (n // 1000) % 999:03d}{1 + n % 999:03d}"
    return body + f"{97 - int(body) % 97:02d}"


def sample_rows(n: int, *, prefix: str = "M", seed: int = 1):
    rnd = random.Random(seed)
    for i in range(n):
        yield [f"{prefix}{i:06d}", f"Nom{i}", "Prénom", nir(i), "cadre" if i % 4 == 0 else "non_cadre",
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
    from tests.payroll.openfisca_oracle import OracleCase, salaire_net, tax_benefit_system

    print(f"\n2. Pay engine, {n:,} payslips ({PERIOD:%Y-%m})")
    rates = rate_set_for(PERIOD)
    rnd = random.Random(2)
    people = [("cadre" if i % 4 == 0 else "non_cadre", Decimal(f"{rnd.randint(1900, 15000)}.{rnd.randint(0, 99):02d}"))
              for i in range(n)]
    with Timer() as ours:
        results = [compute_payslip(PayslipInput(period=PERIOD, status=status, gross_salary=gross,
                                                at_mp_rate=Decimal("1.30"), contractual_hours=None), rates)
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
    report("max |net before tax − salaire_net|", f"{worst} €")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="a small federation (for a smoke run)")
    parser.add_argument("--only", nargs="*", help="section numbers to run, e.g. --only 1 2")
    args = parser.parse_args()
    setup_django()
    from django.db import connection

    scale = 10 if args.quick else 1
    sections = set(args.only or ["1", "2", "3", "4", "5", "6"])
    print(f"Mutualise payroll bench — database: {connection.vendor}, scale 1/{scale}")
    with tempfile.TemporaryDirectory() as tmp:
        if "1" in sections:
            bench_parsing(100_000 // scale, Path(tmp))
        if "2" in sections:
            bench_engine(12_000 // scale)


if __name__ == "__main__":
    main()
