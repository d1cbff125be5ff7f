"""The bounded spreadsheet reader (backoffice/spreadsheets.py): prints figures, asserts nothing.

    .venv/bin/python bench/spreadsheets.py [--rows 100000]

1. time to refuse each far-cell hostile file (5 KB or less) — before calamine sees it;
2. the streaming pre-scan of a legitimate ROWS × 11 sheet (the payroll template's width),
   with and without the coordinate bounds, in MB of sheet XML per second;
3. the memory-capped child load (guarded_load): peak RSS and time, for that sheet and for
   the heaviest sheet the pre-scan lets through (one cell at CV101001).
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
import zipfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import report, setup_django  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=100_000)
    args = parser.parse_args()
    setup_django()
    from django.conf import settings
    from openpyxl import Workbook

    from backoffice import spreadsheets as S
    from tests.factories import FAR_CELL_XLSX, raw_xlsx

    tmp = Path(tempfile.mkdtemp(prefix="bench-sheets-"))
    for name, content in FAR_CELL_XLSX:
        path = tmp / f"{name}.xlsx"
        path.write_bytes(content)
        started = time.perf_counter()
        try:
            S.load_dataset(path, name=path.name)
            outcome = "ACCEPTED (bug)"
        except S.FileRejected as exc:
            outcome = exc.code
        report(f"refuse {name} ({len(content)} B)", f"{(time.perf_counter() - started) * 1000:.1f} ms → {outcome}")

    path = tmp / "legit.xlsx"
    book = Workbook(write_only=True)
    sheet = book.create_sheet()
    sheet.append(["matricule", "nom", "prenom", "nir", "statut", "heures", "salaire_brut", "primes", "frais",
                  "ca_ht", "taux_pas"])
    for i in range(args.rows):
        sheet.append([f"N{i}", "Dupont", "Jeanne", "2700175123456", "non-cadre", 151.67, 2500.0, 0, 12.5,
                      4000.0, 3.2])
    book.save(path)
    with zipfile.ZipFile(path) as zf:
        member = "xl/worksheets/sheet1.xml"
        size_mb = zf.getinfo(member).file_size / 1e6
        started = time.perf_counter()
        S._scan_sheet(zf, member)
        with_bounds = time.perf_counter() - started
        original, S._check_far = S._check_far, lambda buffer, limit: None
        try:
            started = time.perf_counter()
            S._scan_sheet(zf, member)
            without = time.perf_counter() - started
        finally:
            S._check_far = original
    report(f"pre-scan of {args.rows:,} rows ({size_mb:.0f} MB of XML)",
           f"{with_bounds:.2f} s with the coordinate bounds, {without:.2f} s without")
    settings.SPREADSHEET_MEMORY_MB = 2048
    guard = S.guarded_load(path)
    report(f"guarded load of {args.rows:,} rows", f"peak {guard.maxrss_kb / 1024:.0f} MB, {guard.seconds:.2f} s")
    heavy = tmp / "heavy.xlsx"
    heavy.write_bytes(raw_xlsx('<row r="101001"><c r="CV101001"><v>1</v></c></row>', header=("a",)))
    guard = S.guarded_load(heavy)
    report("guarded load of one cell at CV101001", f"peak {guard.maxrss_kb / 1024:.0f} MB, {guard.seconds:.2f} s")
    settings.SPREADSHEET_MEMORY_MB = 150
    started = time.perf_counter()
    try:
        S.guarded_load(heavy)
        report("same under a 150 MB ceiling", "loaded (ceiling too high for this test)")
    except S.FileRejected as exc:
        report("same under a 150 MB ceiling", f"{exc.code} in {time.perf_counter() - started:.2f} s")


if __name__ == "__main__":
    main()
