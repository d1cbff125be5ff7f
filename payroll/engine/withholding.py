"""Prélèvement à la source: the non-personalised rate (art. 204 H III CGI).

Without a rate transmitted by the tax administration (the "compte rendu métier" answering the
DSN), or when the employee opted for the non-personalised rate, the employer applies the
yearly grid of the employee's territory of tax domicile to the month's net taxable pay: the
rate of the band the base falls in, on the whole base (not band by band). Three grids: a) metropolitan
France and people domiciled abroad, b) Guadeloupe, La Réunion, Martinique, c) Guyane,
Mayotte. A grid applies to the pay paid from its effective date (BOI-IR-PAS-20-20-30-10: the
grid in force at the date of payment); the grids are revalued by each finance law, so a late
law moves the date (2025: the 2024 grid until 30 April, the new one from 1 May).

The grid is the one of the employee's tax domicile, read from the postal code of their recorded
address; when it has none, the establishment's postal code (the workspace's) stands in
(``territory_for``). Only grid a) is transcribed (BOFiP BOI-BAREME-000037 could not be read at
the source for b) and c)): for an employee of b) or c) without a rate from the administration
the run refuses, asking for the rate, rather than apply another territory's grid.

Grids are data, one JSON file per effective date in ``payroll/data/pas/``:
``{"effective_from": "2026-05-01", "source": "…", "grids": {"metropole": [["1635", "0"], …,
[null, "43"]]}}`` — each band is [upper bound (excluded), rate in %], the last has no bound.

Not modelled: the short-contract allowance (CDD of two months at most: the base is reduced by
half the monthly net taxable SMIC before reading the grid, art. 204 H III 2).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from functools import lru_cache
from pathlib import Path

from payroll.engine.money import to_decimal

GRID_DIR = Path(__file__).resolve().parent.parent / "data" / "pas"

METROPOLE = "metropole"  # a) metropolitan France, and people domiciled abroad
ANTILLES_REUNION = "guadeloupe_reunion_martinique"  # b)
GUYANE_MAYOTTE = "guyane_mayotte"  # c)
TERRITORIES: tuple[str, ...] = (METROPOLE, ANTILLES_REUNION, GUYANE_MAYOTTE)

# Postal codes of the overseas départements: 971 Guadeloupe, 972 Martinique, 974 La Réunion;
# 973 Guyane, 976 Mayotte.
_OVERSEAS = {"971": ANTILLES_REUNION, "972": ANTILLES_REUNION, "974": ANTILLES_REUNION,
             "973": GUYANE_MAYOTTE, "976": GUYANE_MAYOTTE}
_POSTAL_CODE = re.compile(r"(?<!\d)(97[1-6])\d\d(?!\d)")
_ANY_POSTAL_CODE = re.compile(r"(?<!\d)\d{5}(?!\d)")


class NoGrid(LookupError):
    """No grid of this territory is in force for the period (not transcribed)."""


@dataclass(frozen=True)
class Grid:
    effective_from: date
    territory: str
    source: str
    bands: tuple[tuple[Decimal | None, Decimal], ...]  # (upper bound excluded or None, rate %)

    def rate(self, base: Decimal) -> Decimal:
        """The rate (%) of the band the monthly base falls in."""
        for upper, rate in self.bands:
            if upper is None or base < upper:
                return rate
        raise AssertionError("the last band has no upper bound")  # checked at loading


def territory_of_address(address: str) -> str:
    """The grid territory of a postal address: an overseas postal code (971–976) in it, else
    metropolitan France."""
    found = _POSTAL_CODE.findall(address or "")
    return _OVERSEAS.get(found[-1], METROPOLE) if found else METROPOLE


def territory_for(*, domicile: str, establishment_postal_code: str = "") -> str:
    """The grid of an employee: the territory of their tax domicile (art. 204 H III CGI: the grid
    follows where the taxpayer is domiciled), read from the postal code of their recorded
    address; when that address has no postal code, the establishment's (the workspace's postal
    code: 971, 972, 974 → grid b, 973, 976 → grid c), the best indication the employer has."""
    if has_postal_code(domicile):
        return territory_of_address(domicile)
    return territory_of_address(establishment_postal_code)


def has_postal_code(address: str) -> bool:
    """Whether a free-text address holds a (five-digit) postal code."""
    return bool(_ANY_POSTAL_CODE.search(address or ""))


def _load(path: Path) -> dict[str, Grid]:
    data = json.loads(path.read_text(encoding="utf-8"))
    start = date.fromisoformat(data["effective_from"])
    grids = {}
    for territory, raw_bands in data["grids"].items():
        if territory not in TERRITORIES:
            raise ValueError(f"{path.name}: unknown territory {territory!r}")
        bands = tuple((None if upper is None else to_decimal(upper, territory), to_decimal(rate, territory))
                      for upper, rate in raw_bands)
        uppers = [upper for upper, _rate in bands[:-1]]
        if bands[-1][0] is not None or None in uppers or uppers != sorted(uppers):
            raise ValueError(f"{path.name} {territory}: bands must rise and end without a bound")
        grids[territory] = Grid(effective_from=start, territory=territory, source=data["source"], bands=bands)
    return grids


@lru_cache(maxsize=8)
def _all_grids(directory: Path) -> tuple[tuple[date, dict[str, Grid]], ...]:
    tables = [(date.fromisoformat(path.stem), _load(path)) for path in directory.glob("*.json")]
    return tuple(sorted(tables, key=lambda item: item[0]))


def grid_for(period: date, territory: str = METROPOLE, directory: Path = GRID_DIR) -> Grid:
    """The grid of ``territory`` in force for the pay of ``period`` (latest effective date ≤ period)."""
    if territory not in TERRITORIES:
        raise ValueError(f"unknown territory {territory!r}")
    in_force = [grids for start, grids in _all_grids(directory) if start <= period]
    if not in_force:
        raise NoGrid(f"no withholding grid in force on {period}")
    grid = in_force[-1].get(territory)
    if grid is None:
        raise NoGrid(f"the {territory} grid in force on {period} is not transcribed")
    return grid


def non_personalised_rate(base: Decimal, period: date, territory: str = METROPOLE) -> Decimal:
    """The non-personalised rate (%) for a month's net taxable pay (a negative base reads as 0)."""
    return grid_for(period, territory).rate(max(base, Decimal(0)))
