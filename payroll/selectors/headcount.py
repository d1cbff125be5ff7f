"""The employer's headcount retained for a year (L130-1 CSS), from the employment data.

Counted: the workspace's salaried contracts (CESA; a CAPE holder is not an employee), by their
start and end dates and contractual hours (payroll.engine.headcount gives the rules). The
CAE's own permanent staff are often not in Mutualise: the payroll settings' override then
gives the headcount instead. One query.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from backoffice.models import Workspace
from payroll.engine.headcount import Contract, headcount_for_year
from payroll.models import Employment, PayrollSettings
from payroll.models.employment import ContractType


@dataclass(frozen=True)
class Headcount:
    retained: int  # what the payroll uses (the override when given)
    computed: int  # retained from the employment data alone
    yearly: Decimal  # the yearly figure of the year (average over the previous year)
    overridden: bool


def workspace_headcount(workspace: Workspace, year: int, settings: PayrollSettings | None = None) -> Headcount:
    contracts = [
        Contract(start=start, end=end, hours=hours)
        for start, end, hours in Employment.objects.filter(workspace=workspace, contract_type=ContractType.CESA)
        .values_list("start_date", "end_date", "contractual_hours")
    ]
    computed, yearly = headcount_for_year(contracts, year)
    override = settings.headcount_override if settings is not None else None
    return Headcount(retained=computed if override is None else override, computed=computed, yearly=yearly,
                     overridden=override is not None)
