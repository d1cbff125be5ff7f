"""Rate tables: the only place where contribution rates and legal parameters live.

A rate table is a plain dict (stored as JSON in ``payroll/data/rates/<effective_from>.json``,
later also produced by the staff-editable ``RateTable``/``RateLine`` models). Each file is a
complete, self-contained table; the table in force for a period is the one with the latest
``effective_from`` on or before it (:func:`rate_set_for`).

Shape of the dict (numbers are written as strings so that no float ever touches them)::

    {
      "effective_from": "2025-05-01",
      "title": "Taux au 1er mai 2025",                     # free text, optional
      "params": {
        "PMSS": {"value": "3925", "source": "Arrêté du 19 décembre 2024"},
        ...
      },
      "lines": [
        {
          "code": "vieillesse_plafonnee",                  # unique in the table
          "label": "Sécurité sociale plafonnée",           # shown on the payslip
          "block": "Retraite",                             # one of BLOCKS
          "base": "tranche_a",                             # one of BASES
          "employee_rate": "6.90",                         # percent; "0" when none
          "employer_rate": "8.55",                         # percent; null = AT/MP rate
          "condition": null,                               # null or one of CONDITIONS
          "source": "Art. D242-4 CSS; urssaf.fr, taux de cotisations"
        },
        ...
      ]
    }

Rates are percentages of the base (``"6.90"`` means 6.90 %). ``employer_rate: null`` is
allowed only on the ``INPUT_RATE_CODES`` lines: the accidents-at-work rate is notified to each
establishment by its CARSAT, the mobility rate is the transport authority's of the workplace,
the building-trade paid-leave fund's rates (paid leave, chômage intempéries) are each fund's;
all come from the payslip input.

Parameters (all ``Decimal``; see REQUIRED_PARAMS):

- ``PMSS``, ``PASS``: monthly / annual social-security ceiling (plafond de la sécurité sociale).
- ``SMIC_HOURLY``: the legal hourly minimum wage in force.
- ``RG_SMIC_HOURLY``: the hourly SMIC used by the réduction générale and the 2025
  reduced-rate thresholds: its 1 January value (D241-3-2 CSS for the 2025 thresholds;
  for the 2026 RGDU, décret 2026-509 as cited by OpenFisca-France), so a mid-year SMIC
  rise changes ``SMIC_HOURLY`` only.
- ``LEGAL_MONTHLY_HOURS``: 151.67 (35 h × 52 / 12), full time for ceiling proration.
- ``CSG_ALLOWANCE``: 1.75, the % of pay deducted from the CSG/CRDS base (L136-1-1 CSS),
  ``CSG_ALLOWANCE_CEILINGS``: 4, the allowance applies up to 4 ceilings.
- Réduction générale (L241-13 and D241-7 CSS), one formula for 2025 and 2026 (see
  ``reduction.py``): ``RG_SMIC_MULTIPLE``, ``RG_T_MIN``, ``RG_T_DELTA_LT50``,
  ``RG_T_DELTA_GE50``, ``RG_POWER``.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from functools import lru_cache
from pathlib import Path
from typing import Any

from payroll.engine.money import to_decimal

DATA_DIR = Path(__file__).resolve().parent.parent / "data" / "rates"

# Blocks of the clarified payslip, in display order (arrêté du 25 février 2016 modifié,
# model annexed to R3243-1 Code du travail).
BLOCK_SANTE = "Santé"
BLOCK_AT = "Accidents du travail"
BLOCK_RETRAITE = "Retraite"
BLOCK_FAMILLE = "Famille"
BLOCK_CHOMAGE = "Assurance chômage"
BLOCK_AUTRES = "Autres contributions dues par l'employeur"
BLOCK_CSG_DEDUCTIBLE = "CSG déductible"
BLOCK_CSG_NON_DEDUCTIBLE = "CSG/CRDS non déductible"
BLOCK_EXONERATIONS = "Exonérations/allègements"
BLOCKS: tuple[str, ...] = (
    BLOCK_SANTE,
    BLOCK_AT,
    BLOCK_RETRAITE,
    BLOCK_FAMILLE,
    BLOCK_CHOMAGE,
    BLOCK_AUTRES,
    BLOCK_CSG_DEDUCTIBLE,
    BLOCK_CSG_NON_DEDUCTIBLE,
    BLOCK_EXONERATIONS,
)

# Base names; computed in bases.py ("ceiling" = PMSS prorated for part time).
BASES: tuple[str, ...] = (
    "total",  # all pay subject to contributions
    "tranche_a",  # up to 1 ceiling (also AGIRC-ARRCO tranche 1)
    "tranche_2",  # from 1 to 8 ceilings (AGIRC-ARRCO tranche 2)
    "up_to_4",  # up to 4 ceilings (chômage, AGS, APEC)
    "up_to_8",  # up to 8 ceilings (CET)
    "csg",  # CSG/CRDS base (allowance, plus employer health/provident)
    "employer_schemes",  # employer health/provident contributions (base of the forfait social)
)

# Condition names; "name:arg" for the parametrised ones. Evaluated in bases.py.
CONDITIONS: tuple[str, ...] = (
    "cadre",
    "above_ceiling",
    "headcount_lt_11",  # thresholds judged on the headcount retained under L130-1 CSS
    "headcount_ge_11",
    "headcount_lt_50",
    "headcount_ge_50",
    "alsace_moselle",
    "not_alsace_moselle",
    "fixed_term",  # fixed-term contract (CDD): CPF-CDD
    "leave_fund",  # the employer belongs to a building-trade paid-leave fund (CIBTP): its lines and OPPBTP
    "gross_le_smic",  # gross_le_smic:2.25 — pay ≤ 2.25 SMIC
    "gross_gt_smic",  # gross_gt_smic:2.25 — pay > 2.25 SMIC
)

REQUIRED_PARAMS: tuple[str, ...] = (
    "PMSS",
    "PASS",
    "SMIC_HOURLY",
    "RG_SMIC_HOURLY",
    "LEGAL_MONTHLY_HOURS",
    "CSG_ALLOWANCE",
    "CSG_ALLOWANCE_CEILINGS",
    "RG_SMIC_MULTIPLE",
    "RG_T_MIN",
    "RG_T_DELTA_LT50",
    "RG_T_DELTA_GE50",
    "RG_POWER",
)

AT_MP_CODE = "at_mp"
MOBILITY_CODE = "versement_mobilite"
# Lines whose employer rate is not in the table but notified per establishment: the AT/MP
# rate by the CARSAT (L242-5 CSS), the versement mobilité rate by the transport authority of
# the workplace (L2333-66 CGCT). Their ``employer_rate`` is null; the input carries the rate.
# The building-trade paid-leave fund (caisse de congés payés du BTP, CIBTP) publishes its own
# rates (paid leave, chômage intempéries): each workspace's, from its payroll settings.
LEAVE_FUND_CODE = "cibtp_conges_payes"
BAD_WEATHER_CODE = "cibtp_intemperies"
INPUT_RATE_CODES: tuple[str, ...] = (AT_MP_CODE, MOBILITY_CODE, LEAVE_FUND_CODE, BAD_WEATHER_CODE)
# Legal provident lines (the cadres' compulsory 1.50 % of tranche A, ANI du 17 novembre 2017
# art. 1 / CCN 1947 art. 7): employer contributions to a provident scheme, so they join the CSG
# base, the taxable-net rules of provident schemes and the forfait social base like a
# workspace's own provident scheme (L136-1-1 CSS, L137-15 CSS).
PROVIDENT_CODES: tuple[str, ...] = ("prevoyance_cadres",)


@dataclass(frozen=True)
class RateLine:
    """One contribution of the table. Rates are percentages of ``base``."""

    code: str
    label: str
    block: str
    base: str
    employee_rate: Decimal
    employer_rate: Decimal | None  # None: the establishment's AT/MP or mobility rate, from the input
    condition: str | None
    source: str


@dataclass(frozen=True)
class RateSet:
    """A complete rate table in force from ``period_start``."""

    period_start: date
    params: dict[str, Decimal]
    lines: list[RateLine]
    param_sources: dict[str, str] = field(default_factory=dict)
    title: str = ""

    def param(self, name: str) -> Decimal:
        return self.params[name]

    def line(self, code: str) -> RateLine:
        for rate_line in self.lines:
            if rate_line.code == code:
                return rate_line
        raise KeyError(code)


def split_condition(condition: str) -> tuple[str, Decimal | None]:
    """``"gross_le_smic:2.25"`` → ``("gross_le_smic", Decimal("2.25"))``."""
    name, _, arg = condition.partition(":")
    if name not in CONDITIONS:
        raise ValueError(f"unknown condition {condition!r}; expected one of {CONDITIONS}")
    needs_arg = name in ("gross_le_smic", "gross_gt_smic")
    if needs_arg != bool(arg):
        raise ValueError(f"condition {condition!r}: argument {'missing' if needs_arg else 'unexpected'}")
    return name, (to_decimal(arg, condition) if arg else None)


def _load_line(raw: dict[str, Any]) -> RateLine:
    code = raw["code"]
    if raw["block"] not in BLOCKS:
        raise ValueError(f"{code}: unknown block {raw['block']!r}")
    if raw["base"] not in BASES:
        raise ValueError(f"{code}: unknown base {raw['base']!r}")
    if not raw.get("source"):
        raise ValueError(f"{code}: every rate line needs a source")
    condition = raw.get("condition")
    if condition is not None:
        split_condition(condition)
    employer_raw = raw["employer_rate"]
    if employer_raw is None and code not in INPUT_RATE_CODES:
        raise ValueError(f"{code}: employer_rate may be null only on the {INPUT_RATE_CODES} lines")
    employee_rate = to_decimal(raw["employee_rate"], f"{code}.employee_rate")
    employer_rate = None if employer_raw is None else to_decimal(employer_raw, f"{code}.employer_rate")
    if employee_rate < 0 or (employer_rate is not None and employer_rate < 0):
        raise ValueError(f"{code}: rates cannot be negative")
    return RateLine(
        code=code,
        label=raw["label"],
        block=raw["block"],
        base=raw["base"],
        employee_rate=employee_rate,
        employer_rate=employer_rate,
        condition=condition,
        source=raw["source"],
    )


def load_rate_set(data: dict[str, Any]) -> RateSet:
    """Build and validate a :class:`RateSet` from the plain dict described above."""
    params: dict[str, Decimal] = {}
    sources: dict[str, str] = {}
    for name, entry in data["params"].items():
        params[name] = to_decimal(entry["value"], f"params.{name}")
        sources[name] = entry.get("source", "")
    missing = [name for name in REQUIRED_PARAMS if name not in params]
    if missing:
        raise ValueError(f"rate table {data.get('effective_from')}: missing params {missing}")
    lines = [_load_line(raw) for raw in data["lines"]]
    codes = [rate_line.code for rate_line in lines]
    if len(set(codes)) != len(codes):
        raise ValueError(f"duplicate line codes in {codes}")
    return RateSet(
        period_start=date.fromisoformat(data["effective_from"]),
        params=params,
        lines=lines,
        param_sources=sources,
        title=data.get("title", ""),
    )


def available_tables(directory: Path = DATA_DIR) -> list[date]:
    """Effective dates of the JSON tables shipped in ``directory``, oldest first."""
    return sorted(date.fromisoformat(path.stem) for path in directory.glob("*.json"))


@lru_cache(maxsize=32)
def _load_file(path: Path) -> RateSet:
    return load_rate_set(json.loads(path.read_text(encoding="utf-8")))


def rate_set_for(period: date, directory: Path = DATA_DIR) -> RateSet:
    """The table in force for ``period``: latest ``effective_from`` ≤ period."""
    candidates = [start for start in available_tables(directory) if start <= period]
    if not candidates:
        raise LookupError(f"no rate table in {directory} applies to {period}")
    return _load_file(directory / f"{candidates[-1].isoformat()}.json")
