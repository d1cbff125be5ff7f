"""Prélèvement à la source without a rate from the tax administration: the non-personalised
grid (art. 204 H III CGI; grids of BOFiP BOI-BAREME-000037), the rate's kind and source on the
payslip, and the import of the rates the administration returns (compte rendu)."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.test import override_settings
from django.utils import translation
from django_scopes import scope

from payroll.engine import PayslipInput, compute_payslip, rate_set_for
from payroll.engine.withholding import (
    ANTILLES_REUNION,
    GUYANE_MAYOTTE,
    METROPOLE,
    NoGrid,
    grid_for,
    non_personalised_rate,
    territory_for,
    territory_of_address,
)
from payroll.models import Payslip, SubmissionLine, TaxRate
from payroll.services.payslips import payslip_content, payslip_pdf_context
from payroll.services.runs import PayrollRunError, payroll_run
from payroll.services.tax_rates import tax_rates_import
from tests.factories import EntrepreneurFactory, build_payroll_month
from tests.test_i18n import LOCALE_DIR

D = Decimal


@pytest.mark.parametrize(("period", "base", "rate"), [
    # 2024 grid (LF 2024, BOI-BAREME-000037-20240228), still applied January–April 2025 for want
    # of a finance law: 1 591 ≤ base < 1 653 → 0.5 %; 2 006 ≤ base < 2 113 → 3.5 %.
    (datetime.date(2025, 3, 1), D("1600.00"), D("0.5")),
    (datetime.date(2025, 3, 1), D("2050.00"), D("3.5")),
    # Grid from 1 May 2025 (LF 2025, BOI-BAREME-000037-20250410): below 1 620 → 0 %; a bound
    # belongs to the band it opens ("supérieure ou égale à 1 620 euros" → 0.5 %).
    (datetime.date(2025, 6, 1), D("1600.00"), D("0")),
    (datetime.date(2025, 6, 1), D("1620.00"), D("0.5")),
    (datetime.date(2026, 1, 1), D("2050.00"), D("3.5")),  # 2 042 ≤ base < 2 151
    (datetime.date(2026, 4, 1), D("55062.00"), D("43")),
    # Grid from 1 May 2026 (LF 2026, BOI-BAREME-000037-20260407): 1 928 ≤ base < 2 060 → 2.9 %.
    (datetime.date(2026, 5, 1), D("2050.00"), D("2.9")),
    (datetime.date(2026, 5, 1), D("2738.00"), D("7.5")),
    (datetime.date(2026, 5, 1), D("-10.00"), D("0")),
])
def test_non_personalised_grid_of_the_period(period, base, rate):
    """Art. 204 H III a CGI: the metropolitan grid in force at the payment date."""
    assert non_personalised_rate(base, period) == rate


def test_overseas_grids_are_refused_not_approximated():
    """The grids of 204 H III b and c are not transcribed: no metropolitan rate in their place."""
    assert grid_for(datetime.date(2026, 1, 1), METROPOLE).effective_from == datetime.date(2025, 5, 1)
    for territory in (ANTILLES_REUNION, GUYANE_MAYOTTE):
        with pytest.raises(NoGrid):
            grid_for(datetime.date(2026, 1, 1), territory)
    with pytest.raises(NoGrid):
        grid_for(datetime.date(2023, 12, 1), METROPOLE)


@pytest.mark.parametrize(("address", "territory"), [
    ("12 rue des Lilas\n97400 Saint-Denis", ANTILLES_REUNION),
    ("Route de Baduel, 97300 Cayenne", GUYANE_MAYOTTE),
    ("Mamoudzou 97600", GUYANE_MAYOTTE),
    ("4 place Bellecour 69002 Lyon", METROPOLE),
    ("", METROPOLE),
])
def test_territory_follows_the_postal_code(address, territory):
    assert territory_of_address(address) == territory


def test_engine_applies_the_grid_to_the_net_taxable_pay():
    """2 500 € gross, non-cadre, January 2026, no rate: the grid rate of the net imposable."""
    period = datetime.date(2026, 1, 1)
    inp = PayslipInput(period=period, status="non_cadre", gross_salary=D("2500.00"), at_mp_rate=D("1.00"),
                       pas_rate=None)
    result = compute_payslip(inp, rate_set_for(period))
    assert result.pas_from_grid
    assert result.pas_rate == non_personalised_rate(result.taxable_net, period)
    assert D("2042") <= result.taxable_net < D("2151") and result.pas_rate == D("3.5")
    assert result.pas_amount == (result.taxable_net * D("0.035")).quantize(D("0.01"))
    with_rate = compute_payslip(PayslipInput(period=period, status="non_cadre", gross_salary=D("2500.00"),
                                             at_mp_rate=D("1.00"), pas_rate=D("0")), rate_set_for(period))
    assert not with_rate.pas_from_grid and with_rate.pas_amount == 0


@pytest.fixture
def ws(world):
    with scope(workspace=world.partner_a):
        yield world.partner_a


def _csv(tmp_path, text: str):
    path = tmp_path / "compte_rendu.csv"
    path.write_text(text, encoding="utf-8")
    return path


def test_run_stores_the_kind_and_source_of_each_rate(ws, tmp_path):
    """Compte-rendu rate first, then the monthly file's, else the grid (art. 204 H CGI)."""
    people = [EntrepreneurFactory(workspace=ws) for _ in range(4)]
    period = build_payroll_month(ws, lines=[
        {"entrepreneur": people[0], "gross_salary": D("2500.00"), "pas_rate": D("4.50")},
        {"entrepreneur": people[1], "gross_salary": D("2500.00"), "pas_rate": None},
        {"entrepreneur": people[2], "gross_salary": D("2500.00"), "pas_rate": D("4.50")},
        {"entrepreneur": people[3], "gross_salary": D("2500.00"), "pas_rate": D("4.50")},
    ])
    report = tax_rates_import(actor=None, workspace=ws, name="cr.csv", file=_csv(tmp_path, (
        "nir;taux;date_effet;type\n"
        f"{people[2].nir};7,20;01/01/2026;\n"
        f"{people[3].nir};3;2026-01-01;neutre\n"
        f"{people[3].nir};9;01/02/2026;\n")))  # not yet in force in January
    assert report.ok and report.created == 3
    payroll_run(actor=None, workspace=ws, period=period)
    slips = {p.entrepreneur_id: p for p in Payslip.objects.all()}
    kinds = [(slips[p.pk].pas_kind, slips[p.pk].pas_source, slips[p.pk].pas_rate) for p in people]
    assert kinds == [
        ("personalised", "monthly_file", D("4.50")),
        ("non_personalised", "grid", D("3.50")),
        ("personalised", "compte_rendu", D("7.20")),
        ("neutral", "grid", D("3.50")),
    ]
    context = payslip_pdf_context(payslip_content(
        payslip=slips[people[1].pk], lines=[], employer={
            "name": "CAE", "legal_form": "", "address": "", "postal_code": "", "city": "", "siret": "", "naf": "",
            "urssaf": "", "agreement": "", "idcc": "", "pension_funds": "", "paid_leave_fund": False},
        employment=None, payment_day=datetime.date(2026, 1, 28)))
    tax_rows = {label: value for label, value, _style in context["boxes"][0]["rows"]}
    assert tax_rows["Nature du taux"] == "taux non personnalisé"
    assert tax_rows["Taux du prélèvement à la source"] == "3,5\u00a0%"


def test_overseas_employee_without_a_rate_stops_the_run_with_a_french_message(ws):
    person = EntrepreneurFactory(workspace=ws, address="1 rue Victor Hugo\n97200 Fort-de-France")
    period = build_payroll_month(ws, lines=[{"entrepreneur": person, "gross_salary": D("2500.00"),
                                             "pas_rate": None}])
    with pytest.raises(PayrollRunError, match="grille de taux non personnalisé|non-personalised grid"):
        payroll_run(actor=None, workspace=ws, period=period)


@pytest.mark.parametrize(("domicile", "establishment", "territory"), [
    ("12 rue des Lilas\n97400 Saint-Denis", "69002", ANTILLES_REUNION),  # the domicile decides
    ("4 place Bellecour 69002 Lyon", "97400", METROPOLE),
    ("", "97110", ANTILLES_REUNION),  # Guadeloupe
    ("Quartier Bellevue", "97200", ANTILLES_REUNION),  # Martinique: no postal code in the address
    ("", "97400", ANTILLES_REUNION),  # La Réunion
    ("", "97300", GUYANE_MAYOTTE),  # Guyane
    ("", "97600", GUYANE_MAYOTTE),  # Mayotte
    ("", "75011", METROPOLE),
    ("", "", METROPOLE),
])
def test_the_grid_follows_the_domicile_else_the_establishment(domicile, establishment, territory):
    """Art. 204 H III CGI and BOFiP BOI-BAREME-000037: grid a) metropolitan France, b) Guadeloupe,
    La Réunion, Martinique (971, 974, 972), c) Guyane, Mayotte (973, 976), by the employee's tax
    domicile; without a postal code in their address, the establishment's postal code."""
    assert territory_for(domicile=domicile, establishment_postal_code=establishment) == territory


def test_an_overseas_establishment_asks_for_the_rate_and_never_applies_the_metropolitan_grid(ws):
    """BOI-BAREME-000037: grids b) and c) are not transcribed (not read at the source). In a CAE
    established at La Réunion (97400), an employee without address and without rate stops the run
    with a French message naming the grid and what to give; with the administration's rate in the
    monthly file the month is computed at that rate; an employee domiciled in Lyon keeps grid a)
    (worked example, January 2026: 2 500 € gross gives a net taxable pay between 2 042 and 2 151 €,
    the 3.5 % band)."""
    from backoffice.models import Workspace

    Workspace.objects.filter(pk=ws.pk).update(postal_code="97400", city="Saint-Denis")
    ws.refresh_from_db()
    islander = EntrepreneurFactory(workspace=ws, matricule="R1", first_name="Léa", last_name="Payet", address="")
    lyonnais = EntrepreneurFactory(workspace=ws, address="4 place Bellecour\n69002 Lyon")
    period = build_payroll_month(ws, lines=[
        {"entrepreneur": islander, "gross_salary": D("2500.00"), "pas_rate": None},
        {"entrepreneur": lyonnais, "gross_salary": D("2500.00"), "pas_rate": None},
    ])
    with override_settings(LOCALE_PATHS=[LOCALE_DIR]), translation.override("fr"), \
            pytest.raises(PayrollRunError) as refused:
        payroll_run(actor=None, workspace=ws, period=period)
    message = str(refused.value)
    assert "R1 Léa Payet" in message and "BOI-BAREME-000037" in message
    assert "la Guadeloupe, La Réunion et la Martinique (code postal de l'établissement" in message
    assert "colonne taux_pas du fichier mensuel" in message
    assert not Payslip.objects.exists()

    SubmissionLine.objects.filter(entrepreneur=islander).update(pas_rate=D("2.10"))
    payroll_run(actor=None, workspace=ws, period=period)
    slips = {p.entrepreneur_id: p for p in Payslip.objects.all()}
    assert (slips[islander.pk].pas_source, slips[islander.pk].pas_rate) == ("monthly_file", D("2.10"))
    assert (slips[lyonnais.pk].pas_source, slips[lyonnais.pk].pas_kind) == ("grid", "non_personalised")
    assert D("2042") <= slips[lyonnais.pk].taxable_net < D("2151") and slips[lyonnais.pk].pas_rate == D("3.50")


def test_compte_rendu_import_is_all_or_nothing_with_row_errors(ws, tmp_path):
    person = EntrepreneurFactory(workspace=ws)
    stranger = EntrepreneurFactory()  # another workspace's NIR
    report = tax_rates_import(actor=None, workspace=ws, name="cr.csv", file=_csv(tmp_path, (
        "nir;taux;date_effet\n"
        f"{person.nir};7,5;01/03/2026\n"
        f"{stranger.nir};2;01/03/2026\n"
        f"{person.nir};150;01/03/2026\n"
        "123;2;01/03/2026\n"
        f"{person.nir};2;le 1er mars\n")))
    assert not report.ok
    assert [(error.row, error.column) for error in report.errors] == [
        (3, "nir"), (4, "taux"), (5, "nir"), (6, "date_effet")]
    assert not TaxRate.objects.exists()

    ok = tax_rates_import(actor=None, workspace=ws, name="cr.csv", file=_csv(tmp_path, (
        f"NIR;Taux;Date d'effet\n{person.nir};7,5;01/03/2026\n")))
    assert ok.ok and (ok.created, ok.updated) == (1, 0)
    again = tax_rates_import(actor=None, workspace=ws, name="cr2.csv", file=_csv(tmp_path, (
        f"nir;taux;date_effet\n{person.nir};6;01/03/2026\n")))
    assert (again.created, again.updated) == (0, 1)
    assert TaxRate.objects.get().rate == D("6.00")


def test_the_payroll_team_imports_a_compte_rendu_from_its_page(world):
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.urls import reverse

    from tests.conftest import login

    person = EntrepreneurFactory(workspace=world.partner_a, last_name="Taux")
    url = reverse("payroll_tax_rates", args=["cae-a"])
    staff = login(world.users["staff"])
    upload = SimpleUploadedFile("cr.csv", f"nir;taux;date_effet\n{person.nir};4,2;01/02/2026\n".encode(),
                                content_type="text/csv")
    assert staff.post(url, {"file": upload}).status_code == 302
    page = login(world.users["partner_a"]).get(url).content.decode()
    assert "TAUX" in page.upper() and "4,2" in page
    bad = SimpleUploadedFile("cr.csv", b"nir;taux;date_effet\n123;4,2;01/02/2026\n", content_type="text/csv")
    response = staff.post(url, {"file": bad})
    assert response.status_code == 200 and not response.context["report"].ok
    again = SimpleUploadedFile("cr.csv", f"nir;taux;date_effet\n{person.nir};5;01/03/2026\n".encode(),
                               content_type="text/csv")
    assert login(world.users["partner_a"]).post(url, {"file": again}).status_code == 403
