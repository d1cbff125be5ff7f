"""Write the legal sources of payroll/data/rates/*.json in French (payroll/services/rate_sources.py).

    /work/main/.venv/bin/python scripts/rate_sources_fr.py          # rewrite the files
    /work/main/.venv/bin/python scripts/rate_sources_fr.py --check  # only list, exit 1 if any

Deterministic: every source equal to a key of SOURCES_FR becomes its French wording, nothing
else changes (the files keep their layout). Run it again after merging someone's edit of those
files; a source it does not know that still reads as English is listed: add it to SOURCES_FR.
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from payroll.services.rate_sources import table_in_french  # noqa: E402

RATES_DIR = ROOT / "payroll" / "data" / "rates"
ENGLISH = re.compile(r"\b(?:and|the|of|from|for|under|with|employees?|employer|pay|rate|on|up to|since|until|"
                     r"only|when|applies|taken|per|as cited)\b")


def main(check: bool) -> int:
    changed, english = 0, []
    for path in sorted(RATES_DIR.glob("*.json")):
        data = json.loads(path.read_text(encoding="utf-8"))
        n = table_in_french(data)
        changed += n
        if n and not check:
            path.write_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
        entries = [(f"params.{name}", entry) for name, entry in data["params"].items()]
        entries += [(f"lines.{line['code']}", line) for line in data["lines"]]
        english += [f"{path.name} {where}: {entry.get('source', '')}" for where, entry in entries
                    if ENGLISH.search(entry.get("source", ""))]
    print(f"{changed} source(s) {'to translate' if check else 'translated'}")
    for line in english:
        print("still English?", line)
    return 1 if (check and changed) or english else 0


if __name__ == "__main__":
    sys.exit(main("--check" in sys.argv[1:]))
