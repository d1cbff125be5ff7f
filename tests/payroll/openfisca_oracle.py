"""OpenFisca-France as an oracle for the employee side of a payslip (tests and bench only).

OpenFisca-France computes ``salaire_net`` (gross − employee contributions − CSG − CRDS,
i.e. our net before income tax) from ``salaire_de_base`` for a month. It is imported only
here, never by the application. Tested with openfisca-france 176.1.8 / openfisca-core 44.7.1.

Part time is told to OpenFisca as ``contrat_de_travail = temps_partiel`` with
``heures_remunerees_volume`` = contractual hours, so that its ``plafond_securite_sociale``
is PMSS × hours / 151.67 like ours (R242-7 CSS). Pay without hours is full time.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from functools import lru_cache
from typing import Any

FULL_TIME_HOURS = Decimal("151.67")


@dataclass(frozen=True)
class OracleCase:
    status: str  # "cadre" | "non_cadre"
    gross: Decimal
    hours: Decimal | None  # None: pay not tied to hours (full-time ceiling)

    @property
    def part_time(self) -> bool:
        return self.hours is not None and self.hours < FULL_TIME_HOURS


@lru_cache(maxsize=1)
def tax_benefit_system() -> Any:
    """Loading the French system takes a few seconds: do it once per process."""
    from openfisca_france import FranceTaxBenefitSystem

    return FranceTaxBenefitSystem()


def salaire_net(period: date, cases: Sequence[OracleCase]) -> list[Decimal]:
    """OpenFisca's ``salaire_net`` for each case, from ONE simulation of ``len(cases)`` people."""
    import numpy as np
    from openfisca_core.simulation_builder import SimulationBuilder

    system = tax_benefit_system()
    ids = range(len(cases))
    entities = {
        "individus": {f"p{i}": {} for i in ids},
        "familles": {f"f{i}": {"parents": [f"p{i}"]} for i in ids},
        "foyers_fiscaux": {f"ff{i}": {"declarants": [f"p{i}"]} for i in ids},
        "menages": {f"m{i}": {"personne_de_reference": [f"p{i}"]} for i in ids},
    }
    simulation = SimulationBuilder().build_from_entities(system, entities)
    month = period.strftime("%Y-%m")
    category = system.variables["categorie_salarie"].possible_values
    contract = system.variables["contrat_de_travail"].possible_values
    simulation.set_input(
        "salaire_de_base", month, np.array([str(case.gross) for case in cases], dtype=np.float64)
    )
    simulation.set_input(
        "categorie_salarie",
        month,
        np.array(
            [category.prive_cadre if case.status == "cadre" else category.prive_non_cadre for case in cases]
        ),
    )
    simulation.set_input(
        "contrat_de_travail",
        month,
        np.array([contract.temps_partiel if case.part_time else contract.temps_plein for case in cases]),
    )
    simulation.set_input(
        "heures_remunerees_volume",
        month,
        np.array(
            [str(case.hours if case.part_time else FULL_TIME_HOURS) for case in cases], dtype=np.float64
        ),
    )
    return [Decimal(f"{value:.4f}") for value in simulation.calculate("salaire_net", month)]


@dataclass(frozen=True)
class EmployerCase:
    """A case for :func:`cout_du_travail`: employer-side inputs besides the pay."""

    status: str
    gross: Decimal
    headcount: int
    at_mp_rate: Decimal  # percent
    mobility_rate: Decimal  # percent; owed from 11 employees (both models)
    fixed_term: bool


def cout_du_travail(period: date, cases: Sequence[EmployerCase]) -> list[tuple[Decimal, Decimal]]:
    """OpenFisca's ``cout_du_travail`` (gross + employer contributions − allègements) for
    full-time employees, from one simulation, with its ``ags`` employer contribution (a
    positive amount: its rate is out of date, see the test). ``effectif_entreprise`` is the
    headcount; ``taux_accident_travail`` and ``taux_versement_transport`` are fractions."""
    import numpy as np
    from openfisca_core.simulation_builder import SimulationBuilder

    system = tax_benefit_system()
    ids = range(len(cases))
    entities = {
        "individus": {f"p{i}": {} for i in ids},
        "familles": {f"f{i}": {"parents": [f"p{i}"]} for i in ids},
        "foyers_fiscaux": {f"ff{i}": {"declarants": [f"p{i}"]} for i in ids},
        "menages": {f"m{i}": {"personne_de_reference": [f"p{i}"]} for i in ids},
    }
    simulation = SimulationBuilder().build_from_entities(system, entities)
    month = period.strftime("%Y-%m")
    category = system.variables["categorie_salarie"].possible_values
    kinds = system.variables["contrat_de_travail_type"].possible_values
    simulation.set_input("salaire_de_base", month, np.array([str(c.gross) for c in cases], dtype=np.float64))
    simulation.set_input("categorie_salarie", month, np.array(
        [category.prive_cadre if c.status == "cadre" else category.prive_non_cadre for c in cases]))
    simulation.set_input("effectif_entreprise", month, np.array([c.headcount for c in cases]))
    simulation.set_input("taux_accident_travail", month,
                         np.array([str(c.at_mp_rate / 100) for c in cases], dtype=np.float64))
    simulation.set_input("taux_versement_transport", month, np.array(
        [str(c.mobility_rate / 100 if c.headcount >= 11 else 0) for c in cases], dtype=np.float64))
    simulation.set_input("contrat_de_travail_type", month,
                         np.array([kinds.cdd if c.fixed_term else kinds.cdi for c in cases]))
    costs = simulation.calculate("cout_du_travail", month)
    ags = simulation.calculate("ags", month)
    return [(Decimal(f"{cost:.4f}"), -Decimal(f"{value:.4f}")) for cost, value in zip(costs, ags, strict=True)]
