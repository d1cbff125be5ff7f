"""The rate tables speak French to staff: the shipped sources are French (issue 8), databases
migrated before get them too, and every parameter, base and condition code has a French name
(payroll/ui.py) shown before the code."""

from __future__ import annotations

import datetime
import json
from decimal import Decimal

import pytest
from django.test import override_settings
from django.urls import reverse
from django.utils import translation

from payroll.engine.rates import BASES, CONDITIONS, REQUIRED_PARAMS
from payroll.models import RateLine, RateTable
from payroll.services.rate_sources import SOURCES_FR, rate_sources_to_french
from payroll.services.rates import DATA_DIR
from payroll.ui import BASE_LABELS, CONDITION_LABELS, PARAM_LABELS, condition_label, param_label
from tests.conftest import login
from tests.page_words import problems
from tests.test_page_words import LOCALE_DIR, english_msgids

SHIPPED = sorted(DATA_DIR.glob("*.json"))


@pytest.mark.parametrize("path", SHIPPED, ids=lambda p: p.stem)
def test_shipped_tables_are_written_in_french(path):
    """Every title, label and legal source of payroll/data/rates passes the page walk's rules
    (tests/page_words.py): no English sentence, no code name."""
    data = json.loads(path.read_text(encoding="utf-8"))
    texts = [data["title"]] + [entry["source"] for entry in data["params"].values()]
    texts += [text for line in data["lines"] for text in (line["label"], line["source"])]
    found = problems(texts, english_msgids())
    assert not found, "\n".join(found)
    assert not set(texts) & set(SOURCES_FR), "an English source is left: run scripts/rate_sources_fr.py"


def test_every_code_has_a_french_name():
    params = set(REQUIRED_PARAMS)
    for path in SHIPPED:
        params |= set(json.loads(path.read_text(encoding="utf-8"))["params"])
    assert params <= set(PARAM_LABELS)
    assert set(BASES) == set(BASE_LABELS) and set(CONDITIONS) == set(CONDITION_LABELS)


def test_names_read_in_french():
    with override_settings(LOCALE_PATHS=[LOCALE_DIR]), translation.override("fr"):
        assert param_label("PMSS") == "Plafond mensuel de la sécurité sociale (PMSS)"
        assert param_label("RG_T_DELTA_LT50") == "Réduction générale : Tdelta, moins de 50 salariés"
        assert condition_label("gross_le_smic:2.25") == "Rémunération jusqu'à 2,25 SMIC"
        assert condition_label("headcount_ge_11") == "11 salariés et plus"
        assert condition_label("") == "—"


@pytest.mark.django_db
def test_stored_english_sources_become_french_and_staff_edits_stay():
    """What migration 0007 does to a database loaded before the sources were French."""
    english, french = next(iter(SOURCES_FR.items()))
    table = RateTable.objects.create(effective_from=datetime.date(1990, 1, 1), title="Ancienne",
                                     params={"PMSS": {"value": "1", "source": english},
                                             "PASS": {"value": "12", "source": "Arrêté revu par le service"}})
    kept = RateLine.objects.create(table=table, order=0, code="csa", label="CSA", block="Santé", base="total",
                                   employee_rate=Decimal("0"), employer_rate=Decimal("0.3"),
                                   source="Texte saisi par le service")
    old = RateLine.objects.create(table=table, order=1, code="fnal", label="FNAL", block="Santé", base="total",
                                  employee_rate=Decimal("0"), employer_rate=Decimal("0.1"), source=english)
    assert rate_sources_to_french() >= 2
    table.refresh_from_db()
    assert table.params == {"PMSS": {"value": "1", "source": french},
                            "PASS": {"value": "12", "source": "Arrêté revu par le service"}}
    assert RateLine.objects.get(pk=old.pk).source == french
    assert RateLine.objects.get(pk=kept.pk).source == "Texte saisi par le service"
    assert rate_sources_to_french() == 0


@pytest.mark.django_db
def test_parameters_show_their_name_and_the_code_only_as_code(world):
    from tests.payroll.isolation_people import _rate_table

    table = _rate_table(None)
    with override_settings(LOCALE_PATHS=[LOCALE_DIR]):
        body = login(world.users["staff"]).get(reverse("staff:payroll:rate_table", args=[table.pk]),
                                               HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    assert "SMIC horaire <small class=\"muted\"><code>SMIC_HOURLY</code></small>" in body
    assert "<code>maladie_alsace_moselle</code>" in body and "Moins de 11 salariés" in body
