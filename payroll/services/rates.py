"""Loading the shipped rate tables (payroll/data/rates/*.json) into the staff-editable models."""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal
from pathlib import Path

from django.db import transaction

DATA_DIR = Path(__file__).resolve().parent.parent / "data" / "rates"


def rate_tables_import(*, table_model=None, line_model=None, replace: bool = False,
                       directory: Path = DATA_DIR) -> list[date]:
    """Create the tables found in `directory` that are not in the database yet (or replace
    them all with `replace=True`). Model classes can be passed in for a data migration."""
    if table_model is None:
        from payroll.models import RateLine, RateTable

        table_model, line_model = RateTable, RateLine
    loaded = []
    with transaction.atomic():
        for path in sorted(directory.glob("*.json")):
            data = json.loads(path.read_text(encoding="utf-8"))
            effective_from = date.fromisoformat(data["effective_from"])
            existing = table_model.objects.filter(effective_from=effective_from).first()
            if existing is not None and not replace:
                continue
            if existing is not None:
                existing.delete()
            table = table_model.objects.create(effective_from=effective_from, title=data.get("title", path.stem),
                                               params=data["params"])
            line_model.objects.bulk_create([
                line_model(
                    table=table, order=i, code=raw["code"], label=raw["label"], block=raw["block"], base=raw["base"],
                    employee_rate=Decimal(raw["employee_rate"]),
                    employer_rate=None if raw.get("employer_rate") is None else Decimal(raw["employer_rate"]),
                    condition=raw.get("condition") or "", source=raw.get("source", ""),
                )
                for i, raw in enumerate(data["lines"])
            ])
            loaded.append(effective_from)
    return loaded


def rate_tables_add_missing_lines(*, table_model=None, line_model=None, directory: Path = DATA_DIR) -> int:
    """Add to the stored tables the lines of the shipped JSON they lack (matched by code),
    leaving every stored line (and any staff edit of it) as it is; lines are renumbered in
    the JSON's order, lines unknown to the JSON keep their place at the end. Returns how many
    lines were added."""
    if table_model is None:
        from payroll.models import RateLine, RateTable

        table_model, line_model = RateTable, RateLine
    added = 0
    with transaction.atomic():
        for path in sorted(directory.glob("*.json")):
            data = json.loads(path.read_text(encoding="utf-8"))
            table = table_model.objects.filter(effective_from=date.fromisoformat(data["effective_from"])).first()
            if table is None:
                continue
            stored = {line.code: line for line in line_model.objects.filter(table=table)}
            ordered = []
            for raw in data["lines"]:
                line = stored.pop(raw["code"], None)
                if line is None:
                    line = line_model.objects.create(
                        table=table, order=0, code=raw["code"], label=raw["label"], block=raw["block"],
                        base=raw["base"], employee_rate=Decimal(raw["employee_rate"]),
                        employer_rate=None if raw.get("employer_rate") is None else Decimal(raw["employer_rate"]),
                        condition=raw.get("condition") or "", source=raw.get("source", ""))
                    added += 1
                ordered.append(line)
            ordered += sorted(stored.values(), key=lambda line: line.order)
            for order, line in enumerate(ordered):
                line.order = order
            line_model.objects.bulk_update(ordered, ["order"])
    return added
