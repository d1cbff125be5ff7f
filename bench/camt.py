"""Reading a camt.053 statement (invoicing/bank/camt.py, pycamt 1.1.1): prints figures, asserts nothing.

    nice -n 19 .venv/bin/python bench/camt.py [--quick]

No database. For statements of growing size (one credit an entry, the shape the tests write),
prints the time of `parse_statement` and of pycamt's public `get_transactions()` on the same
bytes: the latter looks the account IBAN up from the statement for every entry (n²), which is
why camt.py reads entries one at a time. The largest file is close to the 20 MB upload limit.
`--quick`: up to 4,000 entries, and pycamt's public reader up to 2,000.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import Timer, report, setup_django  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true")
    quick = parser.parse_args().quick
    setup_django()
    from pycamt.parser import Camt053Parser

    from invoicing.bank.camt import parse_statement
    from tests.invoicing.test_bank_reconciliation import camt, entry

    for n in (1_000, 4_000) if quick else (1_000, 4_000, 40_000):
        content = camt(*[entry("150.00", ustrd=f"Facture FA-2026-{i:05d}", ref=f"B{i}") for i in range(n)])
        with Timer() as ours:
            credits = len(parse_statement(content)[0].credits)
        report(f"{n:,} entries, {len(content) / 2**20:.1f} MB: parse_statement", f"{ours.seconds:.2f} s ({credits:,} credits)")
        if n <= (2_000 if quick else 4_000):
            with Timer() as public:
                Camt053Parser(content).get_transactions()
            report(f"{n:,} entries: pycamt get_transactions()", f"{public.seconds:.2f} s")


if __name__ == "__main__":
    main()
