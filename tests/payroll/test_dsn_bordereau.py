"""The URSSAF bordereau (S21.G00.22/.23) built from the individual contributions
(payroll/exports/dsn.py DECLARED), for the lines a small test month does not have: versement
mobilité (CTP 900 under the commune's INSEE code), forfait social (base 05, CTP 479), FNAL from
50 employees (CTP 236 on all pay), a month whose réduction générale regularisation gives some
back (CTP 669), the yearly solde de la taxe d'apprentissage (not in the monthly bordereau), and
the Alsace-Moselle local contribution (refused rather than filed short).

Sources: URSSAF's CTP list and DSN guide (bases and amounts to the euro, what is due is each CTP
line rounded, the reduction taken off); the codes as found in DSN files accepted by DSN-VAL
(see the module docstring). DSN-VAL remains required."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest

from payroll.exports.dsn import DsnBuildError, DsnEmployee, DsnEmployer, dsn_build, dsn_check

D = Decimal
PERIOD = datetime.date(2026, 3, 1)


def employer(**extra) -> DsnEmployer:
    values = dict(siren="732829320", siret="73282932000074", name="CAE Test", address="1 rue du Port",
                  postal_code="69001", city="Lyon", naf="7022Z", idcc="9999", headcount=3,
                  contact_name="Camille Martin", contact_email="paie@example.org", contact_phone="0472000000",
                  urssaf_siret="78861779300013", agirc_arrco_siret="77570080000219", debit_iban="FR7630006000011234567890189", debit_bic="AGRIFRPP")
    values.update(extra)
    return DsnEmployer(**values)


GROSS, ZERO = D("3000.00"), D(0)


def person(matricule: str, lines, *, gross=GROSS, reduction=ZERO, nir="184076912345625", **extra) -> DsnEmployee:
    capped = min(gross, D("4005.00"))
    return DsnEmployee(
        nir=nir, last_name=f"Nom{matricule}", first_name="Alex", birth_date=datetime.date(1984, 7, 1),
        matricule=matricule, contract_start=datetime.date(2024, 9, 1), status="non_cadre", job_title="Menuisier",
        hours=None, gross=gross, capped_gross=capped, csg_base=(gross * D("0.9825")).quantize(D("0.01")),
        unemployment_base=gross, taxable_net=D("2300.00"), net_paid=D("2250.00"), pas_rate=D(0), pas_amount=D(0),
        lines=lines, net_social=D("2340.00"), reduction=reduction, rg_smic=D("1823.03") if reduction else None,
        rg_retirement_share=D("6.01") / D("39.81"), **{"nationality": "fr", "at_mp_risk_code": "741GA",
                                                      "at_mp_rate": D("1.50"), **extra})


def build(people, **extra) -> str:
    return dsn_build(employer=employer(**extra), employees=people, period=PERIOD, created_on=datetime.date(2026, 4, 2),
                     payment_day=datetime.date(2026, 3, 28))


def ctp_rows(text: str) -> dict[tuple[str, str], dict[str, str]]:
    rows = {}
    for chunk in text.split("S21.G00.23.001,'")[1:]:
        fields = dict(line.split(",", 1) for line in ("S21.G00.23.001," + "'" + chunk).split("\r\n")
                      if line.startswith("S21.G00.23."))
        rows[(fields["S21.G00.23.001"].strip("'"), fields["S21.G00.23.002"].strip("'"))] = {
            key[-3:]: value.strip("'") for key, value in fields.items()}
    return rows


def test_versement_mobilite_is_paid_under_the_communes_insee_code():
    lines = [("vieillesse_plafonnee", D("3000.00"), D("207.00"), D("256.50")),
             ("versement_mobilite", D("3000.00"), D(0), D("60.00"))]
    people = [person("A1", lines), person("A2", lines, nir="285016912345624")]
    with pytest.raises(DsnBuildError) as refused:
        build(people, mobility_rate=D("2.00"))
    assert any("INSEE" in problem and "S21.G00.23.006" in problem for problem in refused.value.problems)
    text = build(people, mobility_rate=D("2.00"), mobility_commune="69123")
    assert dsn_check(text) == []
    row = ctp_rows(text)[("900", "920")]
    assert row == {"001": "900", "002": "920", "003": "2.00", "004": "6000.00", "006": "69123"}
    # Due: the capped régime général (2 × 463.50 = 927) and the versement mobilité (120).
    assert "S21.G00.22.005,'1047.00'" in text and "S21.G00.20.005,'1047.00'" in text


def test_forfait_social_sits_under_base_05_and_fnal_from_50_under_base_03():
    lines = [("forfait_social", D("45.00"), D(0), D("3.60")), ("fnal_50_plus", D("3000.00"), D(0), D("15.00"))]
    text = build([person("B1", lines)])
    assert dsn_check(text) == []
    base_05 = text.split("S21.G00.78.001,'05'")[1].split("S21.G00.78.001")[0]
    assert "S21.G00.78.004,'45.00'" in base_05
    assert "S21.G00.81.001,'071'\r\nS21.G00.81.003,'45.00'\r\nS21.G00.81.004,'3.60'" in base_05
    base_03 = text.split("S21.G00.78.001,'03'")[1].split("S21.G00.78.001")[0]
    assert "S21.G00.81.001,'049'\r\nS21.G00.81.003,'3000.00'\r\nS21.G00.81.004,'15.00'" in base_03
    rows = ctp_rows(text)
    assert rows[("479", "920")]["004"] == "45.00" and rows[("236", "920")]["004"] == "3000.00"
    assert ("332", "921") not in rows
    # Each CTP's amount rounded to the euro: 3.60 → 4, 15.00 → 15.
    assert "S21.G00.22.005,'19.00'" in text


def test_a_regularisation_that_gives_the_reduction_back_goes_to_ctp_669():
    """A month whose cumulative regularisation (D241-7: the year's reduction recomputed) is
    below what was already taken: the 018 code is positive and the CTP 669 carries it as a base."""
    giving = person("C1", [("vieillesse_plafonnee", D("3000.00"), D("207.00"), D("256.50"))], reduction=D("-40.00"))
    taking = person("C2", [("vieillesse_plafonnee", D("3000.00"), D("207.00"), D("256.50"))], reduction=D("100.00"),
                    nir="285016912345624")
    text = build([giving, taking])
    assert dsn_check(text) == []
    rows = ctp_rows(text)
    back = D("-40.00") - (D("-40.00") * D("6.01") / D("39.81")).quantize(D("0.01"))
    taken = D("100.00") - (D("100.00") * D("6.01") / D("39.81")).quantize(D("0.01"))
    assert rows[("669", "921")] == {"001": "669", "002": "921", "004": f"{-back:.0f}.00"}
    assert rows[("668", "921")] == {"001": "668", "002": "921", "005": f"{taken:.0f}.00"}
    assert f"S21.G00.81.001,'018'\r\nS21.G00.81.003,'3000.00'\r\nS21.G00.81.004,'{-back}'" in text
    due = 927 - int(f"{taken:.0f}") + int(f"{-back:.0f}")
    assert f"S21.G00.22.005,'{due}.00'" in text
    # The checker ties both CTPs to the codes 018.
    broken = text.replace(f"S21.G00.23.004,'{-back:.0f}.00'", "S21.G00.23.004,'1.00'")
    assert any("CTP 669" in problem for problem in dsn_check(broken))


def test_the_yearly_solde_stays_out_and_alsace_moselle_is_refused():
    lines = [("vieillesse_plafonnee", D("3000.00"), D("207.00"), D("256.50")),
             ("taxe_apprentissage_solde", D("3000.00"), D(0), D("2.70"))]
    text = build([person("D1", lines)])
    assert "S21.G00.22.005,'464.00'" in text  # 463.50 rounded; the solde is paid with April's DSN
    local = lines + [("maladie_alsace_moselle", D("3000.00"), D("39.00"), D(0))]
    with pytest.raises(DsnBuildError) as refused:
        build([person("D2", local)])
    assert any("Alsace-Moselle" in problem for problem in refused.value.problems)


def test_one_ctp_100_line_per_at_mp_rate_and_the_risk_code_on_each_contract():
    """A CAE with two trades has two AT/MP rates (D242-6-1 CSS, one per risk): the régime général's
    total base goes to one CTP 100 line per rate, each with its rate (S21.G00.23.003), and each
    contract carries its risk code and rate (S21.G00.40.040 / .043)."""
    lines = [("maladie", GROSS, D(0), D("390.00")), ("at_mp", GROSS, D(0), D("45.00"))]
    office = person("E1", lines)
    site = person("E2", [("maladie", GROSS, D(0), D("390.00")), ("at_mp", GROSS, D(0), D("102.00"))],
                  nir="285016912345624", at_mp_risk_code="452BE", at_mp_rate=D("3.40"), nationality="eea")
    text = build([office, site])
    assert dsn_check(text) == []
    totals = [chunk for chunk in text.split("S21.G00.23.001,'")[1:] if chunk.startswith("100'\r\nS21.G00.23.002,'920'")]
    assert ["S21.G00.23.003,'1.50'" in totals[0], "S21.G00.23.003,'3.40'" in totals[1]] == [True, True]
    assert all("S21.G00.23.004,'3000.00'" in chunk for chunk in totals)
    assert "S21.G00.40.040,'741GA'\r\nS21.G00.40.043,'1.50'" in text
    assert "S21.G00.40.040,'452BE'\r\nS21.G00.40.043,'3.40'" in text
    # Codification UE (S21.G00.30.013): 01 France, 03 EEA or Switzerland.
    assert "S21.G00.30.013,'01'" in text.split("NOME2")[0] and "S21.G00.30.013,'03'" in text.split("NOME2")[1]
    assert any("S21.G00.40.040" in problem for problem in dsn_check(text.replace("'452BE'", "'45-BE'")))


def test_nationality_and_risk_code_are_required():
    with pytest.raises(DsnBuildError) as refused:
        build([person("F1", [], nationality="", at_mp_risk_code="")])
    assert any("nationality" in problem for problem in refused.value.problems)
    assert any("risk code" in problem for problem in refused.value.problems)


def test_a_problem_shared_by_many_people_is_one_message_naming_ten():
    """A CAE of 400 without nationalities gets one line naming ten people and counting the rest,
    not 400 lines."""
    from stdnum.fr import nir as nir_number

    people = []
    for n in range(12):
        body = f"18407691{n + 100:03d}45"
        people.append(person(f"G{n:02d}", [], nationality="", nir=body + nir_number.calc_check_digits(body)))
    with pytest.raises(DsnBuildError) as refused:
        build(people)
    [message] = [problem for problem in refused.value.problems if "nationality" in problem]
    assert message.startswith("G00 NomG00, G01 NomG01,") and "G09 NomG09 and 2 others:" in message
    assert "G10" not in message
