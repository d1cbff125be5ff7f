"""The DSN blocks added for issue 13 (payroll/exports/dsn.py) and the checker's rules for them.

Sources: cahier technique de la DSN 2026 (norme NEODeS, net-entreprises.fr) for the blocks and
codes; URSSAF DSN guide (bordereau amounts to the euro, CTP 668 = the codes 018 added up, only
SEPA direct debit); controls CST-02 (S10.G00.02 after the sender), CCH-17 (018/106 need a
S21.G00.79 type 01 under the same uncapped base), SIG-18 (142 goes with 131); L241-13 and D241-7
CSS for the AGIRC-ARRCO part of the réduction générale (6.01 % / T). DSN-VAL remains required."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

import pytest
from django_scopes import scope

from payroll.exports.dsn import URSSAF_LINES, dsn_check
from payroll.models import Payslip
from payroll.services.runs import DeclarationInvalid, payroll_declaration_generate, payroll_run
from tests.factories import EntrepreneurFactory, build_payroll_month

D = Decimal


@pytest.fixture
def ws(world):
    with scope(workspace=world.partner_a):
        yield world.partner_a


@pytest.fixture
def month(ws):
    grid_person = EntrepreneurFactory(workspace=ws, last_name="Grille")
    period = build_payroll_month(ws, lines=[
        {"entrepreneur": grid_person, "gross_salary": D("2500.00"), "pas_rate": None, "hours": D("151.67")},
        {"gross_salary": D("6000.00"), "status": "cadre", "pas_rate": D("7.00")},
    ])
    payroll_run(actor=None, workspace=ws, period=period)
    declaration = payroll_declaration_generate(actor=None, payroll_period=period)
    with declaration.document.file.open("rb") as handle:
        text = handle.read().decode("latin-1")
    return period, text, grid_person


def rubrics(text: str) -> list[tuple[str, str]]:
    return [(line.split(",", 1)[0], line.split(",", 1)[1].strip("'")) for line in text.strip().split("\r\n")]


def euros(amount: Decimal) -> str:
    return f"{amount.quantize(D(1), rounding=ROUND_HALF_UP)}.00"


def test_contact_payment_and_bordereau(month):
    _period, text, _grid = month
    lines = rubrics(text)
    names = [name for name, _value in lines]
    assert dsn_check(text) == []
    # S10.G00.02 right after the sender, before the declaration block.
    assert names.index("S10.G00.02.002") == names.index("S10.G00.01.006") + 1
    assert ("S10.G00.02.005", "0472000000") in lines
    # S21.G00.20/.22/.23 between the establishment and the first individual.
    assert names.index("S21.G00.11.022") < names.index("S21.G00.20.001") < names.index("S21.G00.30.001")
    payslips = list(Payslip.objects.prefetch_related("lines"))
    urssaf = sum((line.employee_amount + line.employer_amount for p in payslips for line in p.lines.all()
                  if line.code in URSSAF_LINES), D(0))
    retirement = sum(((p.reduction_generale * D("6.01") / D("39.81")).quantize(D("0.01")) for p in payslips), D(0))
    rg_urssaf = sum((p.reduction_generale for p in payslips), D(0)) - retirement
    due = dict(lines)
    assert due["S21.G00.20.005"] == due["S21.G00.22.005"] == euros(urssaf - rg_urssaf)
    assert ("S21.G00.20.010", "05") in lines
    ctps = [value for name, value in lines if name == "S21.G00.23.001"]
    assert ctps == ["100", "100", "260", "332", "772", "937", "668"]
    assert text.split("S21.G00.23.001,'668'\r\n")[1].split("\r\n")[1] == f"S21.G00.23.005,'{euros(rg_urssaf)}'"


def test_individual_blocks(month):
    _period, text, grid_person = month
    people = text.split("S21.G00.30.001,")[1:]
    grid_text = next(chunk for chunk in people if "'GRILLE" in chunk)
    cadre_text = next(chunk for chunk in people if chunk is not grid_text)
    grid_slip = Payslip.objects.get(entrepreneur=grid_person)
    for chunk in people:
        names = [line.split(",")[0] for line in chunk.split("\r\n") if line]
        # S21.G00.71 right after the contract; four remuneration types; .58 before the bases.
        assert names.index("S21.G00.71.002") > names.index("S21.G00.40.020")
        assert names.index("S21.G00.71.002") < names.index("S21.G00.50.001")
        types = [line.split("'")[1] for line in chunk.split("\r\n") if line.startswith("S21.G00.51.011")]
        assert types == ["001", "002", "003", "010"]
        assert names.index("S21.G00.58.004") < names.index("S21.G00.78.001")
    assert "S21.G00.50.007,'13'" in grid_text and "S21.G00.50.007,'01'" in cadre_text  # grid / DGFiP rate
    assert "S21.G00.53.002,'151.67'" in grid_text and "S21.G00.53.001" not in cadre_text  # hours only if paid by hour
    assert f"S21.G00.58.003,'03'\r\nS21.G00.58.004,'{grid_slip.net_social}'" in grid_text
    # Réduction générale: the SMIC used (.79 type 01) before the codes 018 + 106 = − the reduction.
    base_03 = grid_text.split("S21.G00.78.001,'03'")[1].split("S21.G00.78.001")[0]
    assert base_03.index("S21.G00.79.001,'01'") < base_03.index("S21.G00.81.001,'018'")
    assert f"S21.G00.79.004,'{grid_slip.rg_smic.quantize(D('0.01'))}'" in base_03
    retirement = (grid_slip.reduction_generale * D("6.01") / D("39.81")).quantize(D("0.01"))
    assert f"S21.G00.81.001,'106'\r\nS21.G00.81.003,'2500.00'\r\nS21.G00.81.004,'-{retirement}'" in base_03
    assert f"S21.G00.81.004,'-{grid_slip.reduction_generale - retirement}'" in base_03
    # Every individual contribution of the codes declared: CSG in one code on the CSG base.
    csg = sum((line.employee_amount for line in grid_slip.lines.all()
               if line.code in ("csg_deductible", "csg_non_deductible")), D(0))
    base_04 = grid_text.split("S21.G00.78.001,'04'")[1].split("S21.G00.78.001")[0]
    assert f"S21.G00.81.001,'072'\r\nS21.G00.81.003,'{grid_slip.lines.get(code='csg_deductible').base}'" \
           f"\r\nS21.G00.81.004,'{csg}'" in base_04
    assert "S21.G00.81.001,'079'" in base_04
    for code in ("040", "048", "074", "075", "076", "131", "142"):
        assert f"S21.G00.81.001,'{code}'" in grid_text


def _drop(text: str, *prefixes: str) -> str:
    lines = [line for line in text.strip().split("\r\n") if not line.startswith(prefixes)]
    return "\r\n".join(lines[:-2] + [f"S90.G00.90.001,'{len(lines)}'", lines[-1]]) + "\r\n"


def test_checker_rules_of_the_new_blocks(month):
    _period, text, _grid = month
    assert any("CCH-17" in p for p in dsn_check(_drop(text, "S21.G00.79.")))
    assert any("S20.G00.05 cannot follow S10.G00.01" in p for p in dsn_check(_drop(text, "S10.G00.02.")))
    amount = text.split("S21.G00.22.005,'")[1].split("'")[0]
    broken = text.replace(f"S21.G00.22.005,'{amount}'", f"S21.G00.22.005,'{D(amount) + 1}'")
    assert any("must equal S21.G00.22.005" in p for p in dsn_check(broken))
    assert any("rounded to the euro" in p for p in dsn_check(text.replace(
        f"S21.G00.20.005,'{amount}'", f"S21.G00.20.005,'{amount[:-3]}.40'")))
    assert any("CTP 668" in p for p in dsn_check(_drop(text, "S21.G00.23.005")))
    assert any("SIG-18" in p for p in dsn_check(text.replace("S21.G00.81.001,'131'", "S21.G00.81.001,'076'")))
    assert any("IBAN" in p for p in dsn_check(text.replace("FR7630006000011234567890189", "FR7630006000011234567890180")))
    assert any("ten digits" in p for p in dsn_check(text.replace("'0472000000'", "'04 72'")))
    assert any("is not one of" in p for p in dsn_check(text.replace("S21.G00.71.002,'RETA'", "S21.G00.71.002,'XXXX'")))


def test_settings_without_contact_or_payment_block_the_declaration(ws):
    period = build_payroll_month(ws, lines=[{"gross_salary": D("2500.00")}])
    settings = ws.payroll_settings
    settings.dsn_contact_phone, settings.debit_iban = "", ""
    settings.save()
    payroll_run(actor=None, workspace=ws, period=period)
    with pytest.raises(DeclarationInvalid) as caught:
        payroll_declaration_generate(actor=None, payroll_period=period)
    assert "S10.G00.02" in str(caught.value) and "S21.G00.20" in str(caught.value)
