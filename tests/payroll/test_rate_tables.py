"""The shipped rate tables reach the database intact, and the engine reads the same RateSet
from the staff-editable models as from the JSON files (payroll/data/rates)."""

import datetime
import json

import pytest

from payroll.engine.rates import load_rate_set
from payroll.models import RateTable
from payroll.selectors.rates import NoRateTable, rate_set_for, rate_table_for
from payroll.services.rates import DATA_DIR, rate_tables_import


@pytest.mark.django_db
@pytest.mark.parametrize("path", sorted(DATA_DIR.glob("*.json")), ids=lambda p: p.stem)
def test_database_table_equals_its_json_file(path):
    data = json.loads(path.read_text(encoding="utf-8"))
    table = RateTable.objects.get(effective_from=datetime.date.fromisoformat(data["effective_from"]))
    assert load_rate_set(table.as_dict()) == load_rate_set(data)


@pytest.mark.django_db
def test_table_in_force_is_the_latest_on_or_before_the_period():
    # 1 May 2025: unemployment 4.05 % → 4.00 % (facts file, payroll-fr.md).
    assert rate_table_for(datetime.date(2025, 4, 1)).effective_from == datetime.date(2025, 1, 1)
    assert rate_table_for(datetime.date(2025, 5, 1)).effective_from == datetime.date(2025, 5, 1)
    assert rate_table_for(datetime.date(2026, 2, 1)).effective_from == datetime.date(2026, 1, 1)
    _table, rates = rate_set_for(datetime.date(2026, 1, 1))
    assert rates.param("PMSS") == 4005  # arrêté du 22 décembre 2025: PMSS 2026 = 4 005 €
    with pytest.raises(NoRateTable):
        rate_table_for(datetime.date(2019, 1, 1))


@pytest.mark.django_db
def test_import_is_idempotent_and_keeps_staff_edits_unless_replacing():
    table = RateTable.objects.get(effective_from=datetime.date(2026, 1, 1))
    table.title = "Edited by staff"
    table.save()
    assert rate_tables_import() == []
    assert RateTable.objects.get(pk=table.pk).title == "Edited by staff"
    assert datetime.date(2026, 1, 1) in rate_tables_import(replace=True)
    assert RateTable.objects.get(effective_from=datetime.date(2026, 1, 1)).title != "Edited by staff"


@pytest.mark.django_db
def test_new_shipped_lines_reach_stored_tables_without_touching_staff_edits():
    """Migration 0004: lines added to the JSON (formation, taxe d'apprentissage, PEEC…) are added
    to tables already in the database; a staff edit of an existing line stays."""
    from payroll.models import RateLine
    from payroll.services.rates import rate_tables_add_missing_lines

    table = RateTable.objects.get(effective_from=datetime.date(2026, 1, 1))
    table.lines.filter(code="peec").delete()
    table.lines.filter(code="csa").update(label="CSA (edited)")
    assert rate_tables_add_missing_lines() == 1
    assert table.lines.get(code="csa").label == "CSA (edited)"
    codes = list(RateLine.objects.filter(table=table).order_by("order").values_list("code", flat=True))
    data = json.loads((DATA_DIR / "2026-01-01.json").read_text(encoding="utf-8"))
    assert codes == [raw["code"] for raw in data["lines"]]
    assert rate_tables_add_missing_lines() == 0
