"""A DSN-shaped monthly declaration (déclaration sociale nominative) and its structural check.

What this is — and is not. The file has the DSN's shape: one rubric per line,
`S21.G00.30.001,'value'`, blocks in the norm's order, an S90 trailer with the counts. It
carries a documented subset of the norm (below), enough for the host to review the month and
load it into its filing tool. It is NOT certified: before filing it must pass the official
validator (DSN-VAL, net-entreprises.fr), which checks hundreds of rules this module does not.

Source of the structure: "Cahier technique de la DSN" (norme NEODeS), net-entreprises.fr,
one edition per year (DSN-CT-P2025, DSN-CT-P2026). Codes below are the ones we use; each
list says what it stands for. Verify against the edition of the year before relying on them.

Blocks written (in this order):
- S10.G00.00 Envoi: .001 software name, .002 publisher, .003 software version, .005 test (01)
  or real (02) sending, .006 norm version (NORM_VERSIONS), .008 sending type (01 normal).
- S10.G00.01 Émetteur: .001 SIREN, .002 NIC, .003 name, .004 street, .005 postcode, .006 city.
- S20.G00.05 Déclaration: .001 nature (01 = DSN mensuelle), .002 type (01 = normale; 03 =
  annule et remplace intégral, for a second sending of the same month),
  .003 fraction (11 = single fraction), .004 order number, .005 month (01MMYYYY),
  .007 file date (DDMMYYYY), .010 currency (01 = euro).
- S21.G00.06 Entreprise: .001 SIREN, .002 NIC of the head office, .003 APEN (NAF),
  .004 street, .005 postcode, .006 city.
- S21.G00.11 Établissement: .001 NIC, .002 APET (NAF), .003 street, .004 postcode, .005 city,
  .008 headcount at the end of the month (the contracts running on its last day, not the
  number of payslips), .022 main collective agreement (IDCC, 9999 without).
- per employee: S21.G00.30 Individu: .001 NIR (13 characters, without the key), .002 last
  name, .004 first names, .005 sex (01 male, 02 female, from the NIR), .006 birth date,
  .019 employee number;
  S21.G00.40 Contrat: .001 start date, .002 conventional status (03 cadre dirigeant, 04 autres
  cadres, 05 profession intermédiaire, 06 employé, 07 ouvrier: a cadre is declared 04, a
  building-trade ouvrier 07, any other non-cadre 06 — an ETAM may be 05 or 06 and the payroll
  holds no finer category yet), .003 supplementary-pension category (01 cadre, 04 non-cadre),
  .006 job title, .007 nature (01 = CDI de droit privé), .009 contract number,
  .011 unit of working time (10 hours, 99 not concerned), .012 company full time (151.67),
  .013 contract working time, .014 working-time arrangement (10 full time, 20 part time,
  99 not concerned), .017 collective agreement IDCC (9999 without), .018 health scheme
  (200 régime général), .020 pension scheme (200 régime général), .022 the building-trade
  paid-leave fund ("code caisse professionnelle de congés payés", two characters) when the
  employer belongs to one (the fund is then declared on every contract; its code comes from
  the payroll settings: the norm's code list is not in the facts file, check it in the
  cahier technique);
  S21.G00.50 Versement: .001 payment date, .002 taxable net (net fiscal), .003 payment
  number, .004 montant net versé as the 2026 cahier technique defines it (net taxable pay minus
  non-deductible CSG and CRDS minus the employer health share: income tax and reimbursed
  expenses do not change it), .006 withholding rate, .009 withholding amount;
  S21.G00.51 Rémunération: .001/.002 pay period, .010 contract number, .011 type
  (001 gross not capped, 002 gross subject to unemployment insurance, 010 base salary),
  .012 hours (base salary, when pay follows hours), .013 amount;
  S21.G00.78 Base assujettie: .001 code (02 capped gross, 03 uncapped gross, 04 CSG base,
  05 the forfait social's base, 07 unemployment-insurance base), .002/.003 period, .004 amount;
  under each base its S21.G00.81 Cotisation individuelle: .001 code, .003 base, .004 amount
  (employee + employer; negative for a reduction). The codes, the base each sits under and the
  CTP it is paid under are one table, DECLARED: 076 vieillesse (capped and uncapped), 075
  maladie at 7 % and 907 the rest, 074 allocations familiales at 3.45 % and 102 the rest, 045
  AT/MP, 068 CSA, 049 FNAL, 100 dialogue social, 128 formation professionnelle, 130 taxe
  d'apprentissage, 129 CPF-CDD, 071 forfait social, 040 chômage, 048 AGS, 072 CSG (deductible
  and not: one code), 079 CRDS, 131 AGIRC-ARRCO (T1 and CEG T1 under 02 with their employer part
  in 142; T2, CEG T2 and CET under 03 with theirs in 146; control SIG-18), 132 APEC, 018 and 106
  réduction générale. Health and provident contributions: each contract once after the
  establishment (S21.G00.15: .001 contract reference, .002 the insurer's DSN code, .005 its
  technical id), each covered person's affiliation after the contract (S21.G00.70: .004 option,
  .005 population when the insurer gives them, .012 the affiliation's id, .013 the contract's),
  and their month's contribution under a base 31 naming the affiliation (S21.G00.78.005) as code
  059 (employee + employer, without the URSSAF's identifier); the table's compulsory cadres'
  provident goes to the cadres' provident scheme. A scheme line without a contract blocks the
  declaration. Not declared individually: versement mobilité (paid by its CTP only),
  PEEC (not collected through the DSN), the solde de la taxe d'apprentissage (yearly), the
  Alsace-Moselle local health contribution (its codes are not in our sources: a month with it
  is refused).
- S10.G00.02 Contact of the sender (after S10.G00.01, control CST-02): .002 name, .004 e-mail,
  .005 phone (ten digits).
- S21.G00.20 Versement organisme de protection sociale, one per body paid, between the
  establishment (and its contracts) and the first individual: the DGFiP (.001 DGFIP, the month's
  withholding tax to the euro), the AGIRC-ARRCO institution (.001 its SIRET, codes 131 and 132
  less 106, to the cent) and the URSSAF (.001 its SIRET, what its bordereau says is due); .003
  BIC, .004 IBAN (the employer's account), .005 amount, .006/.007 period, .010 payment mode (05
  SEPA direct debit). Then S21.G00.22 Bordereau de cotisation due and its S21.G00.23 Cotisations
  agrégées, for the URSSAF only: .22 .001 SIRET, .003/.004 period, .005 amount due (equal to .20.005); .23 one line per CTP
  (code type de personnel): .001 CTP, .002 base qualifier (920 total, 921 capped), .003 rate
  (AT/MP and versement mobilité), .004 base, .005 amount (reductions only), .006 the commune's
  INSEE code (versement mobilité). The lines are the sum of the individual contributions by
  CTP (each person's base counted once per CTP): 100 régime général (total: maladie 7 %,
  vieillesse, famille 3.45 %, AT/MP, CSA; capped: vieillesse), 635 maladie complement, 430
  famille complement, 260 CSG-CRDS, 332 FNAL under 50 / 236 from 50, 027 dialogue social, 959
  formation under 11 / 971 from 11, 992 taxe d'apprentissage (993 Alsace-Moselle), 987 CPF-CDD,
  479 forfait social at 8 %, 772 chômage, 937 AGS, 900 versement mobilité (its commune from the
  payroll settings), 668 réduction générale (its URSSAF part, positive) and 669 for a month
  whose regularisation gives some back (written as a base). Bases and amounts are rounded to the
  euro (URSSAF DSN guide) and written with two decimals; what is due (.20.005 = .22.005) is the
  sum of each line's amount rounded to the euro, the reduction taken off.
- per employee, besides the blocks above: S21.G00.71 Retraite complémentaire right after the
  contract (.002 RUAA, the unified AGIRC-ARRCO scheme); S21.G00.50.007 withholding-rate type (01 rate from the
  DGFiP, 13 non-personalised metropolitan grid); S21.G00.51 types 001, 002, 003 (salaire
  rétabli) and 010; S21.G00.53 Activité under the 002 remuneration when pay follows hours
  (.001 01 paid work, .002 hours, .003 10 hours); S21.G00.58 .003 03 montant net social and
  .004 its amount; S21.G00.79 Composant de base assujettie type 01 (.004 the monthly SMIC
  used) under the uncapped base, before the réduction générale codes 018 (URSSAF part) and
  106 (AGIRC-ARRCO part: the reduction × 6.01 % / T, D241-7 and L241-13 CSS), control CCH-17.
- S21.G00.62 Fin du contrat, after the contract when it ends within the month declared (the
  end-of-contract signal; a rupture outside the month is refused, control SIG-13): .001 the
  last day of the contract, .002 the reason (026, 031, 043, 059).
- S21.G00.86 Ancienneté, closing each individual: .001 07 (in the company), .002 unit (02
  months; 01 days under a month, a value of 0 being refused, CCH-12), .003 value, .005 contract.
- S90.G00.90 Total: .001 number of rubrics (lines) in the file, .002 number of declarations.

Values are sanitised (`dsn_value`): no double quote, comma or line break inside a value,
Latin-1 characters only (apostrophes are valid characters of names and are kept: a line is
read up to its last quote); amounts have two decimals and a dot.

`dsn_check` is the project's checker of the rules implemented here: block order, cardinality
(one sender, declaration, company and establishment; one contract and one payment block per
employee), formats (amounts, dates, NIR) and the code lists of the rubrics written (CODE_LISTS).
Every file the application generates passes it before it is stored; DSN-VAL remains required.
"""

from __future__ import annotations

import datetime
import re
import unicodedata
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from backoffice.validators import validate_nir

SOFTWARE_NAME = "Mutualise"
SOFTWARE_PUBLISHER = "Mutualise"
SOFTWARE_VERSION = "0.1.0"

# Norm version (S10.G00.00.006) by year of the month declared: the edition of the cahier
# technique in force that year (net-entreprises.fr, "DSN-CT-P2025" and "DSN-CT-P2026").
NORM_VERSIONS: dict[int, str] = {
    2025: "P25V01",
    2026: "P26V01",
}

FULL_TIME_HOURS = Decimal("151.67")

BLOCK_ORDER = (
    "S10.G00.00", "S10.G00.01", "S10.G00.02", "S20.G00.05", "S21.G00.06", "S21.G00.11", "S21.G00.15", "S21.G00.20",
    "S21.G00.22", "S21.G00.23", "S21.G00.30", "S21.G00.40", "S21.G00.70", "S21.G00.71", "S21.G00.50", "S21.G00.51", "S21.G00.53", "S21.G00.58",
    "S21.G00.78", "S21.G00.79", "S21.G00.81", "S21.G00.86", "S90.G00.90",
)
# Which block may follow which (the individual group S21.G00.30 … repeats).
NEXT_BLOCKS: dict[str | None, set[str]] = {
    None: {"S10.G00.00"},
    "S10.G00.00": {"S10.G00.01"},
    "S10.G00.01": {"S10.G00.02"},
    "S10.G00.02": {"S20.G00.05"},
    "S20.G00.05": {"S21.G00.06"},
    "S21.G00.06": {"S21.G00.11"},
    "S21.G00.11": {"S21.G00.15", "S21.G00.20", "S21.G00.22", "S21.G00.30", "S90.G00.90"},
    "S21.G00.15": {"S21.G00.15", "S21.G00.20", "S21.G00.22", "S21.G00.30", "S90.G00.90"},
    "S21.G00.20": {"S21.G00.20", "S21.G00.22"},
    "S21.G00.22": {"S21.G00.23"},
    "S21.G00.23": {"S21.G00.23", "S21.G00.30", "S90.G00.90"},
    "S21.G00.30": {"S21.G00.40"},
    "S21.G00.40": {"S21.G00.62", "S21.G00.70", "S21.G00.71"},
    "S21.G00.62": {"S21.G00.70", "S21.G00.71"},
    "S21.G00.70": {"S21.G00.70", "S21.G00.71"},
    "S21.G00.71": {"S21.G00.50"},
    "S21.G00.50": {"S21.G00.51"},
    "S21.G00.51": {"S21.G00.51", "S21.G00.53", "S21.G00.58", "S21.G00.78", "S21.G00.86"},
    "S21.G00.53": {"S21.G00.51", "S21.G00.58", "S21.G00.78", "S21.G00.86"},
    "S21.G00.58": {"S21.G00.78", "S21.G00.86"},
    "S21.G00.78": {"S21.G00.78", "S21.G00.79", "S21.G00.81", "S21.G00.86"},
    "S21.G00.79": {"S21.G00.81"},
    "S21.G00.81": {"S21.G00.81", "S21.G00.78", "S21.G00.86"},
    # The seniority closes each individual (it follows the payment and its bases).
    "S21.G00.86": {"S21.G00.30", "S90.G00.90"},
    "S90.G00.90": set(),
}
MANDATORY: dict[str, set[str]] = {
    "S10.G00.00": {"001", "002", "003", "005", "006", "008"},
    "S10.G00.01": {"001", "002", "003"},
    "S10.G00.02": {"002", "004", "005"},
    "S21.G00.20": {"001", "003", "004", "005", "006", "007", "010"},
    "S21.G00.22": {"001", "003", "004", "005"},
    "S21.G00.23": {"001", "002"},
    "S21.G00.15": {"001", "002", "005"},
    "S21.G00.70": {"012", "013"},
    "S21.G00.53": {"001", "002", "003"},
    "S21.G00.58": {"003", "004"},
    "S21.G00.62": {"001", "002"},
    "S21.G00.71": {"002"},
    "S21.G00.79": {"001", "004"},
    "S20.G00.05": {"001", "002", "003", "004", "005", "007", "010"},
    "S21.G00.06": {"001", "002", "003"},
    "S21.G00.11": {"001", "002", "022"},
    "S21.G00.30": {"001", "002", "004", "005", "006", "013"},
    "S21.G00.40": {"001", "002", "003", "007", "009", "011", "014", "016", "018", "020", "024", "040"},
    "S21.G00.50": {"001", "002", "003", "004", "006", "007", "009"},
    "S21.G00.51": {"001", "002", "010", "011", "013"},
    "S21.G00.78": {"001", "002", "003", "004"},
    "S21.G00.81": {"001", "004"},
    "S21.G00.86": {"001", "002", "003", "005"},
    "S90.G00.90": {"001", "002"},
}
AMOUNT_RUBRICS = {
    "S21.G00.20.005", "S21.G00.22.005", "S21.G00.23.003", "S21.G00.23.004", "S21.G00.23.005",
    "S21.G00.50.002", "S21.G00.50.004", "S21.G00.50.009", "S21.G00.51.013", "S21.G00.53.002", "S21.G00.58.004",
    "S21.G00.78.004", "S21.G00.79.004", "S21.G00.81.003", "S21.G00.81.004", "S21.G00.40.043",
}
DATE_RUBRICS = {
    "S20.G00.05.005", "S20.G00.05.007", "S21.G00.20.006", "S21.G00.20.007", "S21.G00.22.003", "S21.G00.22.004",
    "S21.G00.30.006", "S21.G00.40.001", "S21.G00.50.001", "S21.G00.62.001", "S21.G00.51.001", "S21.G00.51.002", "S21.G00.78.002",
    "S21.G00.78.003",
}
# Bordereau amounts are whole euros (URSSAF DSN guide), written with two decimals.
# (The URSSAF's payment equals its bordereau, so it is whole euros too; AGIRC-ARRCO's is to the cent.)
EURO_RUBRICS = {"S21.G00.22.005", "S21.G00.23.004", "S21.G00.23.005"}
URSSAF_TOTAL, URSSAF_CAPPED = "920", "921"  # S21.G00.23.002: base qualifier of a CTP line


@dataclass(frozen=True)
class Declared:
    """How one payslip line is declared: its individual code (S21.G00.81.001) under a base
    (S21.G00.78.001) and, for what the URSSAF collects, the CTP and base qualifier of the
    bordereau (S21.G00.23). Several lines may share a code (they add up; the base is the one of
    the lines marked ``carries_base``). ``employer_code`` repeats the line's employer part under
    its own code (AGIRC-ARRCO). ``complement``: the part of the line above a rate (%) goes to a
    complement code with its own CTP (maladie above 7 %, allocations familiales above 3.45 %)."""

    code: str
    base: str
    ctp: tuple[str, str] | None = None
    employer_code: str = ""
    complement: tuple[Decimal, str, tuple[str, str]] | None = None
    carries_base: bool = True


_RG_TOTAL, _RG_CAPPED = ("100", URSSAF_TOTAL), ("100", URSSAF_CAPPED)
# Payslip line code → its declaration. The codes, bases and CTPs below are those of the cahier
# technique's code lists as found in DSN files accepted by the URSSAF and AGIRC-ARRCO (a payroll
# publisher's conformance work against DSN-VAL 2026.1, cross-checked with the URSSAF's CTP
# list); DSN-VAL remains the authority. AGIRC-ARRCO: one code 131 per tranche (T1 with the CEG
# T1 under the capped base 02; T2, CEG T2 and CET under the uncapped base 03), their employer
# parts repeated under 142 (T1) and 146 (T2), APEC 132; AGIRC-ARRCO is paid by its own
# payment block, not the URSSAF bordereau.
DECLARED: dict[str, Declared] = {
    "vieillesse_plafonnee": Declared("076", "02", _RG_CAPPED),
    "agirc_arrco_t1": Declared("131", "02", employer_code="142"),
    "ceg_t1": Declared("131", "02", employer_code="142", carries_base=False),
    "fnal": Declared("049", "02", ("332", URSSAF_CAPPED)),  # under 50 employees: 0.10 % of capped pay
    "maladie": Declared("075", "03", _RG_TOTAL, complement=(Decimal("7"), "907", ("635", URSSAF_TOTAL))),
    "maladie_reduit": Declared("075", "03", _RG_TOTAL),
    "vieillesse_deplafonnee": Declared("076", "03", _RG_TOTAL),
    "famille": Declared("074", "03", _RG_TOTAL, complement=(Decimal("3.45"), "102", ("430", URSSAF_TOTAL))),
    "famille_reduit": Declared("074", "03", _RG_TOTAL),
    "at_mp": Declared("045", "03", _RG_TOTAL),
    "csa": Declared("068", "03", _RG_TOTAL),
    "fnal_50_plus": Declared("049", "03", ("236", URSSAF_TOTAL)),  # from 50: 0.50 % of all pay
    "dialogue_social": Declared("100", "03", ("027", URSSAF_TOTAL)),
    "formation_professionnelle": Declared("128", "03", ("959", URSSAF_TOTAL)),  # under 11 employees
    "formation_professionnelle_11_plus": Declared("128", "03", ("971", URSSAF_TOTAL)),
    "taxe_apprentissage": Declared("130", "03", ("992", URSSAF_TOTAL)),
    "taxe_apprentissage_alsace_moselle": Declared("130", "03", ("993", URSSAF_TOTAL)),
    "cpf_cdd": Declared("129", "03", ("987", URSSAF_TOTAL)),
    "agirc_arrco_t2": Declared("131", "03", employer_code="146"),
    "ceg_t2": Declared("131", "03", employer_code="146", carries_base=False),
    "cet": Declared("131", "03", employer_code="146", carries_base=False),
    "apec": Declared("132", "03"),
    "csg_deductible": Declared("072", "04", ("260", URSSAF_TOTAL)),  # deductible and not: one code
    "csg_non_deductible": Declared("072", "04", ("260", URSSAF_TOTAL)),
    "crds": Declared("079", "04", ("260", URSSAF_TOTAL)),
    "forfait_social": Declared("071", "05", ("479", URSSAF_TOTAL)),  # 8 % on provident, from 11 employees
    "chomage": Declared("040", "07", ("772", URSSAF_TOTAL)),
    "ags": Declared("048", "07", ("937", URSSAF_TOTAL)),
}
RG_URSSAF_CODE, RG_RETIREMENT_CODE = "018", "106"
AGIRC_EMPLOYER_CODES = {"142": "T1", "146": "T2"}
RG_CTP, RG_REGULARISATION_CTP = "668", "669"
# What the AGIRC-ARRCO institution is paid: its contributions (131, APEC 132) less the
# réduction générale's part imputed on them (106, negative); 142/146 only repeat employer parts.
RETIREMENT_PAID_CODES = {"131", "132", RG_RETIREMENT_CODE}
DGFIP = "DGFIP"  # S21.G00.20.001 of the withholding tax's payment  # the reduction of the month; a month that gives some back
# URSSAF lines of the payslip that the monthly bordereau does not carry, and why. A payslip
# line the URSSAF collects that is neither declared nor listed here blocks the declaration.
NOT_IN_THE_MONTHLY_BORDEREAU = {
    # The solde de la taxe d'apprentissage is paid once a year, with April's DSN, on the
    # previous year's pay (CTP 995): the monthly file leaves it out.
    "taxe_apprentissage_solde": "yearly",
    # Versement mobilité: CTP 900 with the commune's INSEE code (S21.G00.23.006), see
    # _write_bordereau; its individual code is not declared yet.
    "versement_mobilite": "mobility",
}
MOBILITY_CTP = "900"
# URSSAF lines this file cannot declare yet (their codes are not in the project's sources):
# a month that has one is refused rather than filed short.
UNDECLARABLE = {"maladie_alsace_moselle"}
BASE_ORDER = ("02", "03", "04", "05", "07")
# Health and provident contracts: each person's contributions to a contract sit under their own
# base 31 ("éléments de cotisation prévoyance, santé, retraite supplémentaire", tied to the
# person's affiliation by S21.G00.78.005) as one code 059 (employee + employer), never with the
# URSSAF's identifier; the contract is declared once (S21.G00.15) and each person's affiliation
# to it (S21.G00.70).
PROVIDENT_BASE, PROVIDENT_CODE = "31", "059"
# The individual bases (S21.G00.78.001) written: capped gross, uncapped gross, CSG base, the
# forfait social's base (employer provident contributions), unemployment-insurance base.

# S21.G00.30.013, codification UE, by backoffice.models.entrepreneurs.Nationality.
UE_CODES = {"fr": "01", "eu": "02", "eea": "03", "other": "04"}

_LINE = re.compile(r"^(S\d{2}\.G\d{2}\.\d{2})\.(\d{3}),'([^,\r\n\"]*)'$")
# The values each coded rubric written here may take (cahier technique de la DSN, 2026 edition).
CODE_LISTS: dict[str, set[str]] = {
    "S10.G00.00.005": {"01", "02"},  # test / real sending
    "S10.G00.00.008": {"01"},  # sending type: normal
    "S20.G00.05.001": {"01"},  # DSN mensuelle
    "S20.G00.05.002": {"01", "03"},  # normale / annule et remplace intégral
    "S20.G00.05.003": {"11"},  # single fraction
    "S20.G00.05.010": {"01"},  # euro
    "S21.G00.30.005": {"01", "02"},  # sex
    "S21.G00.40.002": {"03", "04", "05", "06", "07"},  # conventional status
    "S21.G00.40.003": {"01", "02", "04"},  # supplementary-pension category
    "S21.G00.40.007": {"01"},  # CDI de droit privé
    "S21.G00.40.011": {"10", "99"},  # unit of working time
    "S21.G00.40.014": {"10", "20", "99"},  # working-time arrangement
    "S21.G00.40.016": {"99"},  # no complement to the compulsory scheme
    "S21.G00.40.018": {"200"},
    "S21.G00.40.024": {"99"},  # not a worker abroad
    "S21.G00.30.013": {"01", "02", "03", "04"},  # codification UE: France, EU, EEA or Switzerland, other
    "S21.G00.40.020": {"200"},
    "S21.G00.51.011": {"001", "002", "003", "010"},
    "S21.G00.78.001": {*BASE_ORDER, PROVIDENT_BASE},
    "S21.G00.81.001": ({rule.code for rule in DECLARED.values()} | {rule.employer_code for rule in DECLARED.values()
                                                                   if rule.employer_code}
                       | {rule.complement[1] for rule in DECLARED.values() if rule.complement}
                       | {RG_URSSAF_CODE, RG_RETIREMENT_CODE, PROVIDENT_CODE}),
    "S21.G00.20.010": {"05"},  # SEPA direct debit
    "S21.G00.23.001": ({rule.ctp[0] for rule in DECLARED.values() if rule.ctp}
                       | {rule.complement[2][0] for rule in DECLARED.values() if rule.complement}
                       | {RG_CTP, RG_REGULARISATION_CTP, MOBILITY_CTP}),  # CTP
    "S21.G00.23.002": {"920", "921"},  # total / capped base
    "S21.G00.50.007": {"01", "13"},  # rate from the DGFiP / non-personalised metropolitan grid
    "S21.G00.53.001": {"01"},  # paid work
    "S21.G00.53.003": {"10"},  # hours
    "S21.G00.58.003": {"03"},  # montant net social
    "S21.G00.71.002": {"RUAA"},  # régime unifié AGIRC-ARRCO
    "S21.G00.86.001": {"07"},  # seniority in the company
    "S21.G00.86.002": {"01", "02"},  # days / months
    # End of contract: 026 dismissal for real and serious cause, 031 end of a fixed-term
    # contract, 043 rupture conventionnelle, 059 resignation.
    "S21.G00.62.002": {"026", "031", "043", "059"},
    "S21.G00.79.001": {"01"},  # monthly SMIC used by the réduction générale
}
# Blocks present exactly once in a file, and once per employee (after each S21.G00.30).
ONCE_PER_FILE = ("S10.G00.00", "S10.G00.01", "S10.G00.02", "S20.G00.05", "S21.G00.06", "S21.G00.11",
                 "S21.G00.22", "S90.G00.90")
ONCE_PER_EMPLOYEE = ("S21.G00.40", "S21.G00.71", "S21.G00.50", "S21.G00.58", "S21.G00.86")
_AMOUNT = re.compile(r"^-?\d+\.\d{2}$")
_DATE = re.compile(r"^(\d{2})(\d{2})(\d{4})$")
_NIR13 = re.compile(r"^[1-478]\d{4}(\d{2}|2A|2B)\d{6}$")


PEOPLE_NAMED = 10  # a refusal names this many people per problem, then counts the others


class DsnBuildError(Exception):
    """The declaration cannot be built (e.g. an employee without a valid NIR)."""

    def __init__(self, problems: list[str]):
        super().__init__("; ".join(problems))
        self.problems = problems


def norm_version(period: datetime.date) -> str:
    try:
        return NORM_VERSIONS[period.year]
    except KeyError:
        raise DsnBuildError([f"no DSN norm version known for {period.year} (payroll/exports/dsn.py NORM_VERSIONS)"]
                            ) from None


# Letters outside Latin-1 that do not decompose to one, and typographic quotes.
_TRANSLITERATE = {"Ł": "L", "ł": "l", "Œ": "OE", "œ": "oe", "Đ": "D", "đ": "d", "ı": "i", "\u2019": "'",
                  "\u2018": "'", "\u00b4": "'", "`": "'", "\u201c": " ", "\u201d": " "}


def dsn_value(value) -> str:
    """A value as the DSN can carry it: no double quote, comma, semicolon, line break or control
    character, Latin-1 only (accents kept when Latin-1 has them), apostrophes kept (typographic
    ones made straight), spaces collapsed."""
    text = unicodedata.normalize("NFC", "" if value is None else str(value))
    out = []
    for char in text:
        char = _TRANSLITERATE.get(char, char)
        if len(char) > 1:
            out.append(char)
        elif char in "\",;" or unicodedata.category(char).startswith("C"):
            out.append(" ")
        elif ord(char) < 256:
            out.append(char)
        else:
            stripped = unicodedata.normalize("NFKD", char).encode("latin-1", "ignore").decode("latin-1")
            out.append("".join(c for c in stripped if not unicodedata.combining(c)) or " ")
    return re.sub(r"\s+", " ", "".join(out)).strip()


def dsn_amount(value: Decimal) -> str:
    return f"{Decimal(value).quantize(Decimal('0.01')):f}"


def dsn_date(day: datetime.date) -> str:
    return day.strftime("%d%m%Y")


@dataclass
class DsnEmployee:
    """One employee's month, as the declaration needs it (built by the declaration service)."""

    nir: str
    last_name: str
    first_name: str
    birth_date: datetime.date | None
    matricule: str
    contract_start: datetime.date
    status: str  # cadre | non_cadre
    job_title: str
    hours: Decimal | None
    gross: Decimal
    capped_gross: Decimal
    csg_base: Decimal
    unemployment_base: Decimal
    taxable_net: Decimal
    net_paid: Decimal  # montant net versé (S21.G00.50.004), see the module docstring
    pas_rate: Decimal
    pas_amount: Decimal
    # The payslip's lines: (line code, base, employee amount, employer amount).
    lines: list[tuple[str, Decimal | None, Decimal, Decimal]]
    net_social: Decimal = Decimal(0)  # S21.G00.58 type 03
    pas_from_grid: bool = False  # S21.G00.50.007: 13 (grid) instead of 01 (DGFiP rate)
    reduction: Decimal = Decimal(0)  # réduction générale of the month (positive), regularisation included
    rg_smic: Decimal | None = None  # the monthly SMIC the reduction used (S21.G00.79 type 01)
    rg_retirement_share: Decimal = Decimal(0)  # the AGIRC-ARRCO part of the reduction (code 106): 6.01 % / T
    exit_date: datetime.date | None = None  # the contract ends this month: S21.G00.62
    exit_reason: str = ""  # S21.G00.62.002 (payroll.models.employment.ExitReason)
    trade_category: str = ""  # building trades: "ouvrier" is declared 07 in S21.G00.40.002, "etam" stays 06
    nationality: str = ""  # backoffice.models.entrepreneurs.Nationality: S21.G00.30.013
    at_mp_risk_code: str = ""  # S21.G00.40.040, the risk code of the employee's job (e.g. 741GA)
    at_mp_rate: Decimal | None = None  # S21.G00.40.043 and the rate of their CTP 100 line
    affiliations: list[Affiliation] = field(default_factory=list)  # S21.G00.70, bases 31
    unaffiliated: list[str] = field(default_factory=list)  # health/provident lines without a declared contract

    def rg_split(self) -> tuple[Decimal, Decimal]:
        """(URSSAF part 018, AGIRC-ARRCO part 106) of the réduction générale, adding up to it."""
        retirement = (self.reduction * self.rg_retirement_share).quantize(Decimal("0.01"))
        return self.reduction - retirement, retirement

    def declared(self) -> list[Contribution]:
        """The individual contributions (S21.G00.81) of the month, in the order they are
        written: by base, then by the order of DECLARED; the réduction générale last under 03."""
        found: dict[tuple[str, str], Contribution] = {}

        def add(base_code: str, code: str, base: Decimal | None, amount: Decimal, ctp, carries_base=True):
            item = found.setdefault((base_code, code), Contribution(base_code, code, Decimal(0), Decimal(0), ctp))
            if carries_base and base is not None:
                item.base = max(item.base, base)
            item.amount += amount

        order = list(DECLARED)
        for line_code, base, employee, employer in sorted(
                (line for line in self.lines if line[0] in DECLARED), key=lambda line: order.index(line[0])):
            rule = DECLARED[line_code]
            total = employee + employer
            if rule.complement is not None and base:
                rate, complement_code, complement_ctp = rule.complement
                main = (base * rate / 100).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
                if total > main:
                    add(rule.base, rule.code, base, main, rule.ctp)
                    add(rule.base, complement_code, base, total - main, complement_ctp)
                    continue
            add(rule.base, rule.code, base, total, rule.ctp, rule.carries_base)
            if rule.employer_code:
                add(rule.base, rule.employer_code, base, employer, None, rule.carries_base)
        rg_urssaf, rg_retirement = self.rg_split()
        if rg_urssaf:
            ctp = (RG_CTP if rg_urssaf > 0 else RG_REGULARISATION_CTP, URSSAF_CAPPED)
            found[("03", RG_URSSAF_CODE)] = Contribution("03", RG_URSSAF_CODE, self.gross, -rg_urssaf, ctp)
        if rg_retirement:
            found[("03", RG_RETIREMENT_CODE)] = Contribution("03", RG_RETIREMENT_CODE, self.gross, -rg_retirement, None)
        return sorted(found.values(), key=lambda item: BASE_ORDER.index(item.base_code))

    def undeclarable(self) -> list[str]:
        """Payslip lines collected by the URSSAF that this declaration cannot carry yet."""
        return [code for code, _base, employee, employer in self.lines
                if code in UNDECLARABLE and (employee or employer)]


@dataclass(frozen=True)
class Affiliation:
    """A person's affiliation to a health or provident contract, and what they pay it this month."""

    adhesion: str  # the contract's technical id (S21.G00.15.005 = S21.G00.70.013)
    base: Decimal
    amount: Decimal  # employee + employer
    option: str = ""
    population: str = ""


@dataclass
class Contribution:
    """One individual contribution as written (S21.G00.81), with the CTP it is paid under."""

    base_code: str
    code: str
    base: Decimal
    amount: Decimal
    ctp: tuple[str, str] | None


@dataclass
class DsnEmployer:
    siren: str
    siret: str
    name: str
    address: str
    postal_code: str
    city: str
    naf: str
    idcc: str
    headcount: int = 0  # contracts running on the month's last day (S21.G00.11.008)
    contact_name: str = ""
    contact_email: str = ""
    contact_phone: str = ""
    urssaf_siret: str = ""  # the URSSAF the contributions are paid to (S21.G00.20/.22)
    agirc_arrco_siret: str = ""  # the AGIRC-ARRCO institution paid by its own S21.G00.20
    debit_iban: str = ""
    debit_bic: str = ""
    leave_fund: bool = False  # member of a building-trade paid-leave fund (CIBTP)
    leave_fund_code: str = ""  # its DSN code (S21.G00.40.022)
    mobility_rate: Decimal = Decimal(0)  # versement mobilité (CTP 900, S21.G00.23.003)
    mobility_commune: str = ""  # INSEE code of the commune it is due in (S21.G00.23.006)
    # Health and provident contracts (S21.G00.15): (technical id, insurer's code, contract reference).
    contracts: list[tuple[str, str, str]] = field(default_factory=list)


class _Writer:
    def __init__(self):
        self.lines: list[str] = []

    def add(self, rubric: str, value) -> None:
        text = value if rubric in AMOUNT_RUBRICS else dsn_value(value)
        if text == "":
            return  # an empty optional rubric is left out, never written empty
        self.lines.append(f"{rubric},'{text}'")


def dsn_build(*, employer: DsnEmployer, employees: list[DsnEmployee], period: datetime.date,
              created_on: datetime.date, payment_day: datetime.date, order_number: int = 1,
              test: bool = True) -> str:
    """The declaration's text (lines joined by CRLF, ending with one). A second sending of the
    month (``order_number`` > 1) is an "annule et remplace intégral"."""
    problems = []
    flagged: dict[str, list[str]] = {}  # a problem (with %(people)s) → the people it concerns

    def flag(message: str, person: DsnEmployee) -> None:
        flagged.setdefault(message, []).append(f"{person.matricule} {person.last_name}")

    for person in employees:
        try:
            validate_nir(person.nir)
        except ValidationError:
            flag(_("%(people)s: the social-security number (NIR) is missing or invalid."), person)
        if person.exit_date is not None and not person.exit_reason:
            flag(_("%(people)s: the contract ends this month; give the reason it ended in the employment data (the "
                   "DSN declares it)."), person)
        if person.undeclarable():
            flag(_("%(people)s: the Alsace-Moselle local health contribution cannot be declared by this file yet; "
                   "declare the month with the filing tool."), person)
        if not person.nationality:
            flag(_("%(people)s: the nationality is missing; give it in the entrepreneur's record (the DSN declares "
                   "whether it is French, EU, EEA or other)."), person)
        if not person.at_mp_risk_code:
            flag(_("%(people)s: no AT/MP risk code; give the workspace's default risk code in the payroll settings "
                   "or the job's rate in the employment."), person)
        for label in person.unaffiliated:
            flag(_("%(people)s: “%(scheme)s” has no contract the DSN can declare: record the scheme in the payroll "
                   "settings with its insurer's DSN code and contract reference (the cadres' compulsory provident "
                   "goes to the cadres' provident scheme).") % {"people": "%(people)s",
                                                                "scheme": label.replace("%", "%%")}, person)
        if person.birth_date is None:
            flag(_("%(people)s: the birth date is missing; give it in the entrepreneur's record or in the monthly "
                   "file (column date_naissance)."), person)
    # One message per problem, naming the first people (a CAE of 400 gets ten lines, not 400).
    for message, names in flagged.items():
        shown = ", ".join(names[:PEOPLE_NAMED])
        if len(names) > PEOPLE_NAMED:
            rest = len(names) - PEOPLE_NAMED
            shown = ngettext("%(shown)s and %(n)s other", "%(shown)s and %(n)s others", rest) % {
                "shown": shown, "n": rest}
        problems.append(message % {"people": shown})
    missing = [label for label, value in (
        (_("the DSN contact's name"), employer.contact_name), (_("the DSN contact's e-mail"), employer.contact_email),
        (_("the DSN contact's phone"), employer.contact_phone), (_("the URSSAF's SIRET"), employer.urssaf_siret),
        (_("the IBAN debited by the URSSAF"), employer.debit_iban), (_("its BIC"), employer.debit_bic),
        (_("the AGIRC-ARRCO institution's SIRET"), employer.agirc_arrco_siret)) if not value]
    if missing:
        problems.append(_("The payroll settings lack %(what)s: the declaration needs them (contact S10.G00.02, "
                          "payment S21.G00.20).") % {"what": ", ".join(missing)})
    if not employer.mobility_commune and any(
            code == "versement_mobilite" and (employee or employer_amount)
            for person in employees for code, _base, employee, employer_amount in person.lines):
        problems.append(_("The payroll settings lack the INSEE code of the commune where the versement mobilité is "
                          "due: the declaration pays it under that commune (S21.G00.23.006)."))
    if employer.leave_fund and not employer.leave_fund_code:
        problems.append(_("The payroll settings lack the paid-leave fund's DSN code: the declaration gives it on "
                          "every contract of an employer that belongs to a building-trade paid-leave fund "
                          "(S21.G00.40.022)."))
    if problems:
        raise DsnBuildError(problems)
    version = norm_version(period)
    naf = employer.naf.replace(".", "").upper()
    nic = employer.siret[9:14]
    end = (period.replace(day=28) + datetime.timedelta(days=4)).replace(day=1) - datetime.timedelta(days=1)
    w = _Writer()
    w.add("S10.G00.00.001", SOFTWARE_NAME)
    w.add("S10.G00.00.002", SOFTWARE_PUBLISHER)
    w.add("S10.G00.00.003", SOFTWARE_VERSION)
    w.add("S10.G00.00.005", "01" if test else "02")
    w.add("S10.G00.00.006", version)
    w.add("S10.G00.00.008", "01")
    w.add("S10.G00.01.001", employer.siren)
    w.add("S10.G00.01.002", nic)
    w.add("S10.G00.01.003", employer.name)
    w.add("S10.G00.01.004", employer.address)
    w.add("S10.G00.01.005", employer.postal_code)
    w.add("S10.G00.01.006", employer.city)
    w.add("S10.G00.02.002", employer.contact_name)
    w.add("S10.G00.02.004", employer.contact_email)
    w.add("S10.G00.02.005", employer.contact_phone)
    w.add("S20.G00.05.001", "01")
    w.add("S20.G00.05.002", "01" if order_number == 1 else "03")
    w.add("S20.G00.05.003", "11")
    w.add("S20.G00.05.004", str(order_number))
    w.add("S20.G00.05.005", dsn_date(period))
    w.add("S20.G00.05.007", dsn_date(created_on))
    w.add("S20.G00.05.010", "01")
    w.add("S21.G00.06.001", employer.siren)
    w.add("S21.G00.06.002", nic)
    w.add("S21.G00.06.003", naf)
    w.add("S21.G00.06.004", employer.address)
    w.add("S21.G00.06.005", employer.postal_code)
    w.add("S21.G00.06.006", employer.city)
    w.add("S21.G00.11.001", nic)
    w.add("S21.G00.11.002", naf)
    w.add("S21.G00.11.003", employer.address)
    w.add("S21.G00.11.004", employer.postal_code)
    w.add("S21.G00.11.005", employer.city)
    w.add("S21.G00.11.008", str(employer.headcount))
    w.add("S21.G00.11.022", employer.idcc or "9999")
    for adhesion, organisation, reference in employer.contracts:
        w.add("S21.G00.15.001", reference)
        w.add("S21.G00.15.002", organisation)
        w.add("S21.G00.15.005", adhesion)
    people = _Writer()
    # (CTP, qualifier, rate) → [base, amount]; the rate is the AT/MP one on CTP 100's total base
    # (one line per rate), empty otherwise.
    ctp_lines: dict[tuple[str, str, str], list[Decimal]] = {}
    mobility = [Decimal(0), Decimal(0)]
    withheld = sum((person.pas_amount for person in employees), Decimal(0))
    retirement = Decimal(0)
    for person in employees:
        declared = person.declared()
        retirement += sum((item.amount for item in declared if item.code in RETIREMENT_PAID_CODES), Decimal(0))
        per_ctp: dict[tuple[str, str], list[Decimal]] = {}
        for item in declared:
            if item.ctp is not None:
                line = per_ctp.setdefault(item.ctp, [Decimal(0), Decimal(0)])
                line[0] = max(line[0], item.base)  # the codes of one CTP share the person's base
                line[1] += item.amount
        for ctp, (base, amount) in per_ctp.items():
            rate = dsn_amount(person.at_mp_rate) if ctp == _RG_TOTAL and person.at_mp_rate is not None else ""
            line = ctp_lines.setdefault((*ctp, rate), [Decimal(0), Decimal(0)])
            line[0] += base
            line[1] += amount
        for code, base, employee, employer_amount in person.lines:
            if code == "versement_mobilite" and (employee or employer_amount):
                mobility[0] += base or Decimal(0)
                mobility[1] += employee + employer_amount
        _write_person(people, person, employer=employer, period=period, end=end, payment_day=payment_day,
                      declared=declared)
    _write_payments(w, employer=employer, period=period, end=end, withheld=withheld, retirement=retirement)
    _write_bordereau(w, employer=employer, period=period, end=end, ctp_lines=ctp_lines, mobility=mobility)
    w.lines += people.lines
    total_lines = len(w.lines) + 2
    w.add("S90.G00.90.001", str(total_lines))
    w.add("S90.G00.90.002", "1")
    return "\r\n".join(w.lines) + "\r\n"


def _whole_euros(amount: Decimal) -> Decimal:
    return Decimal(amount).quantize(Decimal(1), rounding=ROUND_HALF_UP)


def _euros(amount: Decimal) -> str:
    return dsn_amount(_whole_euros(amount))


def _write_payment(w: _Writer, *, payee: str, employer: DsnEmployer, amount: str, period: datetime.date,
                   end: datetime.date) -> None:
    w.add("S21.G00.20.001", payee)
    w.add("S21.G00.20.003", employer.debit_bic)
    w.add("S21.G00.20.004", employer.debit_iban)
    w.add("S21.G00.20.005", amount)
    w.add("S21.G00.20.006", dsn_date(period))
    w.add("S21.G00.20.007", dsn_date(end))
    w.add("S21.G00.20.010", "05")


def _write_payments(w: _Writer, *, employer: DsnEmployer, period: datetime.date, end: datetime.date,
                    withheld: Decimal, retirement: Decimal) -> None:
    """The S21.G00.20 payments other than the URSSAF's, before it: the withholding tax to the
    DGFiP (the month's amounts added up, to the euro) and the complementary pension to the
    AGIRC-ARRCO institution (its codes 131 and 132 less the reduction's part 106, to the cent)."""
    if withheld:
        _write_payment(w, payee=DGFIP, employer=employer, amount=_euros(withheld), period=period, end=end)
    if retirement:
        _write_payment(w, payee=employer.agirc_arrco_siret, employer=employer, amount=dsn_amount(retirement),
                       period=period, end=end)


def _write_bordereau(w: _Writer, *, employer: DsnEmployer, period: datetime.date, end: datetime.date,
                     ctp_lines: dict[tuple[str, str, str], list[Decimal]], mobility: list[Decimal]) -> None:
    """S21.G00.20, .22 and .23 for the URSSAF (see the module docstring). Each CTP line carries
    its base rounded to the euro (the URSSAF applies its rate), a reduction its amount; what is
    due is the sum of each line's amount rounded to the euro, the reduction taken off."""
    rows: list[tuple[str, str, str, str, str, str]] = []  # ctp, qualifier, rate, base, amount, commune
    due = Decimal(0)
    for (ctp, qualifier, rate), (base, amount) in sorted(ctp_lines.items()):
        if ctp == RG_CTP:
            due -= _whole_euros(-amount)
            rows.append((ctp, qualifier, "", "", _euros(-amount), ""))
        elif ctp == RG_REGULARISATION_CTP:
            due += _whole_euros(amount)
            rows.append((ctp, qualifier, "", _euros(amount), "", ""))
        elif base or amount:
            due += _whole_euros(amount)
            rows.append((ctp, qualifier, rate, _euros(base), "", ""))
    if mobility[1]:
        due += _whole_euros(mobility[1])
        rows.append((MOBILITY_CTP, URSSAF_TOTAL, dsn_amount(employer.mobility_rate), _euros(mobility[0]), "",
                     employer.mobility_commune))
    rows.sort(key=lambda row: row[0])
    _write_payment(w, payee=employer.urssaf_siret, employer=employer, amount=dsn_amount(due), period=period, end=end)
    w.add("S21.G00.22.001", employer.urssaf_siret)
    w.add("S21.G00.22.003", dsn_date(period))
    w.add("S21.G00.22.004", dsn_date(end))
    w.add("S21.G00.22.005", dsn_amount(due))
    for ctp, qualifier, rate, base, amount, commune in rows:
        w.add("S21.G00.23.001", ctp)
        w.add("S21.G00.23.002", qualifier)
        w.add("S21.G00.23.003", rate)
        w.add("S21.G00.23.004", base)
        w.add("S21.G00.23.005", amount)
        w.add("S21.G00.23.006", commune)


def _write_person(w: _Writer, person: DsnEmployee, *, employer: DsnEmployer, period: datetime.date,
                  end: datetime.date, payment_day: datetime.date, declared: list[Contribution]) -> None:
    nir = person.nir.replace(" ", "").upper()
    contract_number = dsn_value(person.matricule)[:20] or "1"
    w.add("S21.G00.30.001", nir[:13])
    w.add("S21.G00.30.002", person.last_name.upper())
    w.add("S21.G00.30.004", person.first_name)
    w.add("S21.G00.30.005", "01" if nir[0] in "137" else "02")
    w.add("S21.G00.30.006", dsn_date(person.birth_date))
    w.add("S21.G00.30.013", UE_CODES.get(person.nationality, ""))
    w.add("S21.G00.30.019", person.matricule)
    cadre = person.status == "cadre"
    w.add("S21.G00.40.001", dsn_date(person.contract_start))
    w.add("S21.G00.40.002", "04" if cadre else "07" if person.trade_category == "ouvrier" else "06")
    w.add("S21.G00.40.003", "01" if cadre else "04")
    w.add("S21.G00.40.006", person.job_title)
    w.add("S21.G00.40.007", "01")
    w.add("S21.G00.40.009", contract_number)
    if person.hours is None:
        w.add("S21.G00.40.011", "99")
        w.add("S21.G00.40.014", "99")
    else:
        w.add("S21.G00.40.011", "10")
        w.add("S21.G00.40.012", dsn_amount(FULL_TIME_HOURS))
        w.add("S21.G00.40.013", dsn_amount(person.hours))
        w.add("S21.G00.40.014", "10" if person.hours >= FULL_TIME_HOURS else "20")
    w.add("S21.G00.40.016", "99")  # no complement to the compulsory scheme (01 would be Alsace-Moselle)
    w.add("S21.G00.40.017", employer.idcc or "9999")
    w.add("S21.G00.40.018", "200")
    w.add("S21.G00.40.020", "200")
    if employer.leave_fund_code:
        w.add("S21.G00.40.022", employer.leave_fund_code)
    w.add("S21.G00.40.024", "99")  # not a worker abroad within the Code de la sécurité sociale
    w.add("S21.G00.40.040", person.at_mp_risk_code)
    if person.at_mp_rate is not None:
        w.add("S21.G00.40.043", dsn_amount(person.at_mp_rate))
    if person.exit_date is not None:
        w.add("S21.G00.62.001", dsn_date(person.exit_date))
        w.add("S21.G00.62.002", person.exit_reason)
    for affiliation in person.affiliations:
        w.add("S21.G00.70.004", affiliation.option)
        w.add("S21.G00.70.005", affiliation.population)
        w.add("S21.G00.70.012", affiliation.adhesion)  # one affiliation per contract: its id is the contract's
        w.add("S21.G00.70.013", affiliation.adhesion)
    w.add("S21.G00.71.002", "RUAA")
    w.add("S21.G00.50.001", dsn_date(payment_day))
    w.add("S21.G00.50.002", dsn_amount(person.taxable_net))
    w.add("S21.G00.50.003", "1")
    w.add("S21.G00.50.004", dsn_amount(person.net_paid))
    w.add("S21.G00.50.006", dsn_amount(person.pas_rate))
    w.add("S21.G00.50.007", "13" if person.pas_from_grid else "01")
    w.add("S21.G00.50.009", dsn_amount(person.pas_amount))
    for type_code, amount, hours in (("001", person.gross, None), ("002", person.unemployment_base, None),
                                     ("003", person.gross, None), ("010", person.gross, person.hours)):
        w.add("S21.G00.51.001", dsn_date(period))
        w.add("S21.G00.51.002", dsn_date(end))
        w.add("S21.G00.51.010", contract_number)
        w.add("S21.G00.51.011", type_code)
        if hours is not None:
            w.add("S21.G00.51.012", dsn_amount(hours))
        w.add("S21.G00.51.013", dsn_amount(amount))
        if type_code == "002" and person.hours is not None:
            w.add("S21.G00.53.001", "01")
            w.add("S21.G00.53.002", dsn_amount(person.hours))
            w.add("S21.G00.53.003", "10")
    w.add("S21.G00.58.003", "03")
    w.add("S21.G00.58.004", dsn_amount(person.net_social))
    bases = {"02": person.capped_gross, "03": person.gross, "04": person.csg_base, "07": person.unemployment_base,
             "05": max((item.base for item in declared if item.base_code == "05"), default=Decimal(0))}
    for base_code in BASE_ORDER:
        if not bases[base_code]:
            continue
        w.add("S21.G00.78.001", base_code)
        w.add("S21.G00.78.002", dsn_date(period))
        w.add("S21.G00.78.003", dsn_date(end))
        w.add("S21.G00.78.004", dsn_amount(bases[base_code]))
        if base_code == "03" and person.reduction and person.rg_smic is not None:
            w.add("S21.G00.79.001", "01")
            w.add("S21.G00.79.004", dsn_amount(person.rg_smic))
        for item in declared:
            if item.base_code == base_code:
                w.add("S21.G00.81.001", item.code)
                w.add("S21.G00.81.003", dsn_amount(item.base))
                w.add("S21.G00.81.004", dsn_amount(item.amount))
    for affiliation in person.affiliations:
        w.add("S21.G00.78.001", PROVIDENT_BASE)
        w.add("S21.G00.78.002", dsn_date(period))
        w.add("S21.G00.78.003", dsn_date(end))
        w.add("S21.G00.78.004", dsn_amount(affiliation.base))
        w.add("S21.G00.78.005", affiliation.adhesion)
        w.add("S21.G00.81.001", PROVIDENT_CODE)
        w.add("S21.G00.81.004", dsn_amount(affiliation.amount))
    unit, value = seniority(person.contract_start, end)
    w.add("S21.G00.86.001", "07")
    w.add("S21.G00.86.002", unit)
    w.add("S21.G00.86.003", str(value))
    w.add("S21.G00.86.005", contract_number)


def seniority(start: datetime.date, end: datetime.date) -> tuple[str, int]:
    """S21.G00.86 type 07, seniority in the company at the end of the month declared: whole
    months since the contract began (unit 02); under one month, the days from the first day
    included (unit 01), a value of 0 being refused (control CCH-12)."""
    months = (end.year - start.year) * 12 + end.month - start.month - (1 if end.day < start.day else 0)
    if months >= 1:
        return "02", months
    return "01", max((end - start).days + 1, 1)


def _valid_siret(text: str) -> bool:
    from stdnum.fr import siret

    return siret.is_valid(text)


def _valid_iban(text: str) -> bool:
    from stdnum import iban

    return iban.is_valid(text)


def _valid_date(text: str) -> bool:
    match = _DATE.match(text)
    if not match:
        return False
    try:
        datetime.date(int(match[3]), int(match[2]), int(match[1]))
    except ValueError:
        return False
    return True


def dsn_check(text: str) -> list[str]:
    """Structural checks of a DSN-shaped file; [] when it passes. Not the official validator:
    block order, mandatory rubrics, S90 counts, NIR shape, amounts and dates. Messages name the line."""
    problems: list[str] = []
    raw_lines = text.replace("\r\n", "\n").split("\n")
    if raw_lines and raw_lines[-1] == "":
        raw_lines.pop()
    if not raw_lines:
        return ["the file is empty"]
    previous_block: str | None = None
    previous_field = ""
    current: set[str] = set()
    blocks: list[tuple[str, set[str], int]] = []
    individuals = 0
    declarations = 0
    s90: dict[str, str] = {}
    # Cross-rubric rules: bases and their contributions, the bordereau's amounts.
    base_groups: list[dict] = []
    paid: dict[tuple[str, str], str] = {}  # (S21.G00.20 or .22, the body paid) → amount
    payee, payees = "", []  # the body of the current payment block; every S21.G00.20's
    declared_month = ""
    ctp_lines: list[dict[str, str]] = []
    leave_fund_codes: set[str] = set()  # S21.G00.40.022: the employer's one fund, on every contract
    adhesions: set[str] = set()  # S21.G00.15.005, the contracts declared
    affiliated: set[str] = set()  # S21.G00.70.012 of the current person

    def close(block: str | None, fields: set[str], at: int) -> None:
        if block is not None:
            blocks.append((block, fields, at))

    for number, line in enumerate(raw_lines, start=1):
        match = _LINE.match(line)
        if not match:
            problems.append(f"line {number}: not of the form S00.G00.00.000,'value' (or a quote/comma inside the value)")
            continue
        block, field_no, value = match[1], match[2], match[3]
        rubric = f"{block}.{field_no}"
        starts_new = block != previous_block or field_no <= previous_field
        if starts_new:
            allowed = NEXT_BLOCKS.get(previous_block, set())
            if block not in NEXT_BLOCKS:
                problems.append(f"line {number}: unknown block {block}")
            elif block not in allowed:
                problems.append(f"line {number}: block {block} cannot follow {previous_block or 'the start of the file'}")
            close(previous_block, current, number)
            current = set()
            if block == "S21.G00.30":
                individuals += 1
            if block == "S20.G00.05":
                declarations += 1
        current.add(field_no)
        previous_block, previous_field = block, field_no
        if value != value.strip() or (value == "" and rubric not in AMOUNT_RUBRICS):
            problems.append(f"line {number}: {rubric} is empty or has surrounding spaces")
        if rubric in AMOUNT_RUBRICS and not _AMOUNT.match(value):
            problems.append(f"line {number}: {rubric} amount {value!r} must have two decimals and a dot")
        if rubric in DATE_RUBRICS and not _valid_date(value):
            problems.append(f"line {number}: {rubric} date {value!r} is not a valid DDMMYYYY date")
        if rubric == "S21.G00.30.001" and not _NIR13.match(value):
            problems.append(f"line {number}: NIR {value!r} is not a valid 13-character NIR")
        if rubric in CODE_LISTS and value not in CODE_LISTS[rubric]:
            problems.append(f"line {number}: {rubric} code {value!r} is not one of {sorted(CODE_LISTS[rubric])}")
        if rubric in ("S21.G00.11.022", "S21.G00.40.017") and not re.fullmatch(r"\d{4}", value):
            problems.append(f"line {number}: {rubric} IDCC {value!r} must have four digits (9999 without)")
        if rubric == "S21.G00.40.022":
            if not re.fullmatch(r"\d{2}", value):
                problems.append(f"line {number}: S21.G00.40.022 paid-leave fund code {value!r} must have two digits")
            leave_fund_codes.add(value)
        if rubric == "S21.G00.40.040" and not re.fullmatch(r"\d{2}[\dA-Z][A-Z]{2}", value):
            problems.append(f"line {number}: S21.G00.40.040 AT/MP risk code {value!r} is not of the form 741GA")
        if rubric == "S21.G00.11.008" and not value.isdigit():
            problems.append(f"line {number}: S21.G00.11.008 headcount {value!r} is not a whole number")
        if block == "S90.G00.90":
            s90[field_no] = value
        if rubric in EURO_RUBRICS and _AMOUNT.match(value) and not value.endswith(".00"):
            problems.append(f"line {number}: {rubric} amount {value!r} must be rounded to the euro")
        if rubric in ("S21.G00.20.001", "S21.G00.22.001") and value != DGFIP and not _valid_siret(value):
            problems.append(f"line {number}: {rubric} {value!r} is not a valid SIRET")
        if rubric == "S21.G00.20.004" and not _valid_iban(value):
            problems.append(f"line {number}: S21.G00.20.004 is not a valid IBAN")
        if rubric == "S10.G00.02.005" and not re.fullmatch(r"\d{10}", value):
            problems.append(f"line {number}: S10.G00.02.005 phone {value!r} must have ten digits")
        if rubric == "S10.G00.02.004" and not re.fullmatch(r"[^@\s]+@[^@\s]+\.[^@\s]+", value):
            problems.append(f"line {number}: S10.G00.02.004 {value!r} is not an e-mail address")
        if rubric == "S20.G00.05.005":
            declared_month = value[2:]
        if rubric == "S21.G00.62.001" and _valid_date(value) and value[2:] != declared_month:
            problems.append(f"line {number}: S21.G00.62.001 end of contract {value} is not in the month declared "
                            "(SIG-13)")
        if block in ("S21.G00.20", "S21.G00.22") and field_no == "001":
            payee = value
            if block == "S21.G00.20":
                payees.append(value)
        if block in ("S21.G00.20", "S21.G00.22") and field_no == "005":
            paid[(block, payee)] = value
        if block == "S21.G00.23":
            if starts_new:
                ctp_lines.append({})
            ctp_lines[-1][field_no] = value
        if rubric == "S21.G00.15.005":
            adhesions.add(value)
        if rubric == "S21.G00.70.012":
            affiliated.add(value)
        if rubric == "S21.G00.70.013" and value not in adhesions:
            problems.append(f"line {number}: S21.G00.70.013 {value!r} is not a contract of the establishment "
                            "(S21.G00.15.005)")
        if rubric == "S21.G00.78.005" and value not in affiliated:
            problems.append(f"line {number}: S21.G00.78.005 {value!r} is not one of the person's affiliations "
                            "(S21.G00.70.012)")
        if block == "S21.G00.78" and starts_new:
            base_groups.append({"type": "", "smic": False, "codes": [], "affiliation": False})
        if base_groups and block == "S21.G00.78" and field_no == "001":
            base_groups[-1]["type"] = value
        if base_groups and rubric == "S21.G00.78.005":
            base_groups[-1]["affiliation"] = True
        if base_groups and rubric == "S21.G00.79.001" and value == "01":
            base_groups[-1]["smic"] = True
        if base_groups and rubric == "S21.G00.81.001":
            base_groups[-1]["codes"].append([value, None])
        if base_groups and rubric == "S21.G00.81.004" and base_groups[-1]["codes"]:
            base_groups[-1]["codes"][-1][1] = value
        if block == "S21.G00.30" and starts_new:
            base_groups.append({"type": "", "smic": False, "codes": []})  # a new person closes the bases
            affiliated = set()
    close(previous_block, current, len(raw_lines) + 1)

    rg_given, rg_back = Decimal(0), Decimal(0)  # the codes 018: reductions (negative) and give-backs
    for group in base_groups:
        codes = [code for code, _amount in group["codes"]]
        if group["type"] == PROVIDENT_BASE and not group.get("affiliation"):
            problems.append("a base 31 (health, provident) names the person's affiliation (S21.G00.78.005)")
        if PROVIDENT_CODE in codes and group["type"] != PROVIDENT_BASE:
            problems.append("code 059 (health, provident) sits under a base 31")
        if {RG_URSSAF_CODE, RG_RETIREMENT_CODE} & set(codes):
            if group["type"] != "03":
                problems.append("codes 018/106 (réduction générale) must sit under the uncapped base (type 03)")
            if not group["smic"]:
                problems.append("codes 018/106 need a S21.G00.79 block of type 01 (SMIC used) under the same base "
                                "(control CCH-17)")
        for employer_code, tranche in AGIRC_EMPLOYER_CODES.items():
            if employer_code in codes and "131" not in codes:
                problems.append(f"code {employer_code} (AGIRC-ARRCO {tranche} employer part) goes with code 131 under "
                                "the same base (SIG-18)")
        for code, amount in group["codes"]:
            if code == RG_URSSAF_CODE and amount and _AMOUNT.match(amount):
                if Decimal(amount) < 0:
                    rg_given -= Decimal(amount)
                else:
                    rg_back += Decimal(amount)
    for (block, payee), amount in paid.items():
        if block == "S21.G00.22" and paid.get(("S21.G00.20", payee)) != amount:
            problems.append(f"S21.G00.20.005 ({paid.get(('S21.G00.20', payee))}) must equal S21.G00.22.005 "
                            f"({amount}) for {payee}: what is paid is what is due")
    if len(payees) != len(set(payees)):
        problems.append("S21.G00.20: one payment per body")
    if leave_fund_codes:
        with_fund = sum(1 for block, fields, _at in blocks if block == "S21.G00.40" and "022" in fields)
        contracts = sum(1 for block, _fields, _at in blocks if block == "S21.G00.40")
        if len(leave_fund_codes) > 1 or with_fund != contracts:
            problems.append(f"S21.G00.40.022: the employer's paid-leave fund goes on every contract, with one code "
                            f"({with_fund} of {contracts} contracts, codes {sorted(leave_fund_codes)})")
    for ctp, rubric, total, what in ((RG_CTP, "005", rg_given, "reductions"),
                                     (RG_REGULARISATION_CTP, "004", rg_back, "positive regularisations")):
        found = [line.get(rubric, "") for line in ctp_lines if line.get("001") == ctp]
        if (total or found) and found != [_euros(total)]:
            problems.append(f"CTP {ctp} must carry the réduction générale's URSSAF {what}, {_euros(total)} "
                            f"(the codes 018 added up), not {found}")
    for line in ctp_lines:
        if "004" not in line and "005" not in line:
            problems.append(f"CTP {line.get('001')}: a base (.004) or an amount (.005) is required")

    names = [block for block, _fields, _at in blocks]
    for block in ONCE_PER_FILE:
        if names.count(block) > 1:
            problems.append(f"block {block} appears {names.count(block)} times; once per file")
    employee_groups: list[list[str]] = []
    for block in names:
        if block == "S21.G00.30":
            employee_groups.append([])
        elif employee_groups and block.startswith("S21.G00.") and block not in ONCE_PER_FILE:
            employee_groups[-1].append(block)
    for index, group in enumerate(employee_groups, start=1):
        for block in ONCE_PER_EMPLOYEE:
            if group.count(block) != 1:
                problems.append(f"employee {index}: block {block} appears {group.count(block)} times; exactly once")

    for block, fields, _at in blocks:
        missing = MANDATORY.get(block, set()) - fields
        if missing:
            problems.append(f"block {block}: mandatory rubric(s) {', '.join(sorted(missing))} missing")
    if previous_block != "S90.G00.90":
        problems.append("the file must end with the S90.G00.90 totals")
    else:
        if s90.get("001") != str(len(raw_lines)):
            problems.append(f"S90.G00.90.001 says {s90.get('001')!r} rubrics, the file has {len(raw_lines)}")
        if s90.get("002") != str(declarations):
            problems.append(f"S90.G00.90.002 says {s90.get('002')!r} declarations, the file has {declarations}")
    if individuals == 0:
        problems.append("no employee (S21.G00.30) in the declaration")
    return problems
