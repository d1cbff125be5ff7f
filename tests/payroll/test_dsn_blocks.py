"""The DSN blocks added for issue 13 (payroll/exports/dsn.py) and the checker's rules for them.

Sources: cahier technique de la DSN 2026 (norme NEODeS, net-entreprises.fr) for the blocks and
codes; URSSAF DSN guide (bordereau amounts to the euro, CTP 668 = the codes 018 added up, only
SEPA direct debit); the individual codes, bases and CTPs as found in DSN files accepted by the
URSSAF and AGIRC-ARRCO (maladie 7 % in 075 and the rest in 907 → CTP 635, allocations familiales
3.45 % in 074 and the rest in 102 → CTP 430, AT 045 and CSA 068 in CTP 100, AGIRC-ARRCO 131 per
tranche with its employer part in 142 / 146, APEC 132, S21.G00.71.002 RUAA, S21.G00.86 type 07); controls CST-02 (S10.G00.02 after the sender), CCH-17 (018/106 need a
S21.G00.79 type 01 under the same uncapped base), SIG-18 (142 goes with 131); L241-13 and D241-7
CSS for the AGIRC-ARRCO part of the réduction générale (6.01 % / T). DSN-VAL remains required."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

import pytest
from django_scopes import scope

from payroll.exports.dsn import dsn_check, seniority
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


# The URSSAF's CTP of each payslip line of the test month (January 2026, under 11 employees):
# written here from the URSSAF's CTP list, independently of payroll/exports/dsn.py.
CTP_OF_LINE = {
    "vieillesse_plafonnee": ("100", "921"), "vieillesse_deplafonnee": ("100", "920"), "at_mp": ("100", "920"),
    "csa": ("100", "920"), "csg_deductible": ("260", "920"), "csg_non_deductible": ("260", "920"),
    "crds": ("260", "920"), "fnal": ("332", "921"), "chomage": ("772", "920"), "ags": ("937", "920"),
    "dialogue_social": ("027", "920"), "formation_professionnelle": ("959", "920"),
    "taxe_apprentissage": ("992", "920"),
}


def expected_bordereau(payslips) -> tuple[dict, int]:
    """(CTP → [base, amount], due in euros) of the month, by the URSSAF's rules: a CTP's base is
    the sum of each person's base, maladie above 7 % goes to CTP 635, allocations familiales above
    3.45 % to CTP 430, the réduction générale's URSSAF part to CTP 668; due = the sum of the
    lines' amounts each rounded to the euro, the reduction (rounded) taken off."""
    lines: dict[tuple[str, str], list[Decimal]] = {}

    def add(ctp, base, amount):
        line = lines.setdefault(ctp, [D(0), D(0), set()])
        line[1] += amount
        return line

    for slip in payslips:
        for line in slip.lines.all():
            total = line.employee_amount + line.employer_amount
            for code, main_rate, main_ctp, rest_ctp in (("maladie", D(7), ("100", "920"), ("635", "920")),
                                                        ("famille", D("3.45"), ("100", "920"), ("430", "920"))):
                if line.code == code:
                    main = (line.base * main_rate / 100).quantize(D("0.01"), rounding=ROUND_HALF_UP)
                    add(main_ctp, line.base, main)[2].add((slip.pk, line.base))
                    add(rest_ctp, line.base, total - main)[2].add((slip.pk, line.base))
            if line.code in CTP_OF_LINE:
                add(CTP_OF_LINE[line.code], line.base, total)[2].add((slip.pk, line.base))
        retirement = (slip.reduction_generale * D("6.01") / D("39.81")).quantize(D("0.01"))
        add(("668", "921"), None, slip.reduction_generale - retirement)
    due = 0
    for ctp, (_base, amount, _bases) in lines.items():
        rounded = int(amount.quantize(D(1), rounding=ROUND_HALF_UP))
        due += -rounded if ctp[0] == "668" else rounded
    per_person_base = {}
    for ctp, (_b, amount, bases) in lines.items():
        by_slip: dict[int, Decimal] = {}
        for slip_pk, base in bases:
            by_slip[slip_pk] = max(by_slip.get(slip_pk, D(0)), base)
        per_person_base[ctp] = (sum(by_slip.values(), D(0)), amount)
    return per_person_base, due


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
    expected, due = expected_bordereau(Payslip.objects.prefetch_related("lines"))
    values = dict(lines)
    assert values["S21.G00.20.005"] == values["S21.G00.22.005"] == f"{due}.00"
    assert ("S21.G00.20.010", "05") in lines
    written = text.split("S21.G00.23.001,")[1:]
    ctps = [(chunk.split("'")[1], chunk.split("S21.G00.23.002,'")[1][:3]) for chunk in written]
    assert ctps == sorted(expected)  # one line per CTP and qualifier, in CTP order
    for chunk, ctp in zip(written, ctps, strict=True):
        base, amount = expected[ctp]
        if ctp[0] == "668":
            assert f"S21.G00.23.005,'{euros(amount)}'" in chunk and "S21.G00.23.004" not in chunk
        else:
            assert f"S21.G00.23.004,'{euros(base)}'" in chunk


def test_seniority_examples():
    """S21.G00.86 type 07: whole months since entry; under a month, days counted from the first
    day (the values of DSN files accepted by DSN-VAL: an entry on 1 December 2022 declared for May
    2026 gives 41 months; an entry on 4 May declared for May gives 28 days)."""
    import datetime

    assert seniority(datetime.date(2022, 12, 1), datetime.date(2026, 5, 31)) == ("02", 41)
    assert seniority(datetime.date(2026, 5, 4), datetime.date(2026, 5, 31)) == ("01", 28)
    assert seniority(datetime.date(2026, 4, 30), datetime.date(2026, 5, 31)) == ("02", 1)
    assert seniority(datetime.date(2026, 5, 31), datetime.date(2026, 5, 31)) == ("01", 1)


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
    for code in ("040", "048", "074", "075", "076", "131", "142", "045", "068", "049", "100", "128", "130", "907",
                 "102"):
        assert f"S21.G00.81.001,'{code}'" in grid_text
    # Maladie: 7 % of the base in 075, the rest (6 %) in 907.
    maladie = grid_slip.lines.get(code="maladie")
    main = (maladie.base * D("0.07")).quantize(D("0.01"))
    assert f"S21.G00.81.001,'075'\r\nS21.G00.81.003,'{maladie.base}'\r\nS21.G00.81.004,'{main}'" in base_03
    assert f"S21.G00.81.001,'907'\r\nS21.G00.81.003,'{maladie.base}'\r\n" \
           f"S21.G00.81.004,'{maladie.employer_amount - main}'" in base_03
    # The cadre above the ceiling: AGIRC-ARRCO 131 under the capped base (T1 + CEG T1, employer part in
    # 142) and under the uncapped base (T2 + CEG T2 + CET, employer part in 146); APEC 132.
    cadre_slip = Payslip.objects.exclude(entrepreneur=grid_person).get()
    cadre_lines = {line.code: line for line in cadre_slip.lines.all()}
    base_02 = cadre_text.split("S21.G00.78.001,'02'")[1].split("S21.G00.78.001")[0]
    cadre_03 = cadre_text.split("S21.G00.78.001,'03'")[1].split("S21.G00.78.001")[0]
    t1 = [cadre_lines["agirc_arrco_t1"], cadre_lines["ceg_t1"]]
    t2 = [cadre_lines["agirc_arrco_t2"], cadre_lines["ceg_t2"], cadre_lines["cet"]]
    assert (f"S21.G00.81.001,'131'\r\nS21.G00.81.003,'{t1[0].base}'\r\n"
            f"S21.G00.81.004,'{sum((x.employee_amount + x.employer_amount for x in t1), D(0))}'") in base_02
    assert f"S21.G00.81.001,'142'\r\nS21.G00.81.003,'{t1[0].base}'\r\n" \
           f"S21.G00.81.004,'{sum((x.employer_amount for x in t1), D(0))}'" in base_02
    assert (f"S21.G00.81.001,'131'\r\nS21.G00.81.003,'{t2[0].base}'\r\n"
            f"S21.G00.81.004,'{sum((x.employee_amount + x.employer_amount for x in t2), D(0))}'") in cadre_03
    assert f"S21.G00.81.004,'{sum((x.employer_amount for x in t2), D(0))}'" in cadre_03.split("'146'")[1][:80]
    assert "S21.G00.81.001,'132'" in cadre_03
    # The contract's pension scheme is the unified AGIRC-ARRCO one; seniority closes each person.
    assert "S21.G00.71.002,'RUAA'" in grid_text
    for chunk in (grid_text, cadre_text):
        own = [line for line in chunk.split("\r\n") if line.startswith("S21.")]
        assert [line.split(",")[0] for line in own[-4:]] == ["S21.G00.86.001", "S21.G00.86.002", "S21.G00.86.003",
                                                             "S21.G00.86.005"]
        assert own[-4] == "S21.G00.86.001,'07'"


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
        f"S21.G00.22.005,'{amount}'", f"S21.G00.22.005,'{amount[:-3]}.40'")))
    assert any("CTP 668" in p for p in dsn_check(_drop(text, "S21.G00.23.005")))
    assert any("SIG-18" in p for p in dsn_check(text.replace("S21.G00.81.001,'131'", "S21.G00.81.001,'076'")))
    assert any("IBAN" in p for p in dsn_check(text.replace("FR7630006000011234567890189", "FR7630006000011234567890180")))
    assert any("ten digits" in p for p in dsn_check(text.replace("'0472000000'", "'04 72'")))
    assert any("is not one of" in p for p in dsn_check(text.replace("S21.G00.71.002,'RUAA'", "S21.G00.71.002,'RETA'")))
    assert any("S21.G00.86 appears 0 times" in p for p in dsn_check(_drop(text, "S21.G00.86.")))


def test_settings_without_contact_or_payment_block_the_declaration(ws):
    period = build_payroll_month(ws, lines=[{"gross_salary": D("2500.00")}])
    settings = ws.payroll_settings
    settings.dsn_contact_phone, settings.debit_iban = "", ""
    settings.save()
    payroll_run(actor=None, workspace=ws, period=period)
    with pytest.raises(DeclarationInvalid) as caught:
        payroll_declaration_generate(actor=None, payroll_period=period)
    assert "S10.G00.02" in str(caught.value) and "S21.G00.20" in str(caught.value)


def test_health_and_provident_contracts_and_affiliations(month):
    """Each health or provident contract once for the establishment (S21.G00.15: reference, insurer's
    code, technical id), each covered person's affiliation (S21.G00.70, before S21.G00.71) and their
    contribution under a base 31 tied to it (S21.G00.78.005) as code 059, employee + employer.
    The test month's cadre has the cadres' compulsory provident (1.50 % of tranche A, ANI
    17/11/2017) with the factory's contract."""
    _period, text, grid_person = month
    names = [line.split(",")[0] for line in text.split("\r\n") if line]
    assert "S21.G00.15.001,'PREV-CADRES-2026'\r\nS21.G00.15.002,'P0942'\r\nS21.G00.15.005,'1'" in text
    assert names.index("S21.G00.11.022") < names.index("S21.G00.15.001") < names.index("S21.G00.20.001")
    people = text.split("S21.G00.30.001,")[1:]
    grid_text = next(chunk for chunk in people if "'GRILLE" in chunk)
    cadre_text = next(chunk for chunk in people if chunk is not grid_text)
    assert "S21.G00.70" not in grid_text and "S21.G00.78.001,'31'" not in grid_text
    assert "S21.G00.70.012,'1'\r\nS21.G00.70.013,'1'\r\nS21.G00.71.002,'RUAA'" in cadre_text
    provident = Payslip.objects.exclude(entrepreneur=grid_person).get().lines.get(code="provident")
    assert provident.employer_amount == (provident.base * D("0.015")).quantize(D("0.01"))
    base_31 = cadre_text.split("S21.G00.78.001,'31'")[1].split("S21.G00.86")[0]
    assert f"S21.G00.78.004,'{provident.base}'\r\nS21.G00.78.005,'1'\r\nS21.G00.81.001,'059'\r\n" \
           f"S21.G00.81.004,'{provident.employee_amount + provident.employer_amount}'" in base_31
    # The checker ties the affiliation to a declared contract, and the base to the affiliation.
    assert any("S21.G00.15.005" in p for p in dsn_check(text.replace("S21.G00.70.013,'1'", "S21.G00.70.013,'2'")))
    assert any("S21.G00.70.012" in p for p in dsn_check(text.replace("S21.G00.78.005,'1'", "S21.G00.78.005,'9'")))


def test_a_scheme_without_its_contract_blocks_the_declaration(ws):
    """A health scheme recorded without the insurer's DSN code and contract reference: the month
    cannot be declared, and the refusal names the person and the scheme."""
    from payroll.models import Scheme

    period = build_payroll_month(ws, lines=[{"gross_salary": D("2500.00")}])
    Scheme.objects.create(workspace=ws, settings=ws.payroll_settings, kind="health", label="Mutuelle Santé Plus",
                          employee_fixed=D("30"), employer_fixed=D("30"))
    payroll_run(actor=None, workspace=ws, period=period)
    with pytest.raises(DeclarationInvalid) as caught:
        payroll_declaration_generate(actor=None, payroll_period=period)
    assert "Mutuelle Santé Plus" in str(caught.value)


def test_the_withholding_tax_and_the_complementary_pension_are_paid_too(month):
    """Without their S21.G00.20 nothing reaches the tax office or AGIRC-ARRCO (facts file, DSN):
    the DGFiP is paid the month's withholding tax (to the euro, as accepted files show), the
    AGIRC-ARRCO institution its contributions 131 and 132 less the réduction générale's part 106
    (to the cent); both by SEPA direct debit from the employer's account, before the URSSAF's
    payment and its bordereau."""
    _period, text, _grid = month
    payments = [chunk.split("\r\nS21.G00.22")[0] for chunk in text.split("S21.G00.20.001,'")[1:]]
    payees = [chunk.split("'")[0] for chunk in payments]
    slips = list(Payslip.objects.prefetch_related("lines"))
    settings = slips[0].workspace.payroll_settings
    assert payees == ["DGFIP", settings.agirc_arrco_siret, settings.urssaf_siret]
    withheld = sum((slip.pas_amount for slip in slips), D(0))
    assert f"S21.G00.20.005,'{euros(withheld)}'" in payments[0]
    codes = [(line.split(",")[0], line.split("'")[1]) for line in text.split("\r\n") if line.startswith("S21.G00.81")]
    amounts = [D(codes[i + 2][1]) for i, (rubric, value) in enumerate(codes)
               if rubric.endswith(".001") and value in ("131", "132", "106")]  # each .001, .003, then .004
    assert len(amounts) >= 4  # 131 for each person, the cadre's T2 131 and APEC 132, the 106
    assert f"S21.G00.20.005,'{sum(amounts, D(0))}'" in payments[1]
    for chunk in payments:
        assert "S21.G00.20.010,'05'" in chunk and "S21.G00.20.004,'FR7630006000011234567890189'" in chunk
    assert any("one payment per body" in p for p in dsn_check(text.replace("S21.G00.20.001,'DGFIP'",
                                                                           f"S21.G00.20.001,'{payees[1]}'")))
