"""The reimbursement claim prorated to the hours attended.

An OPCO funds only the training hours actually delivered to each trainee: "seules les heures
de formation qui ont été réalisées peuvent en principe être financées" (OPCO EP,
https://www.opcoep.fr/question-formation/beneficier-de-financements/justifier-de-la-realisation-des-actions);
the training body refunds what an action not carried out, in whole or in part, did not
justify (L6354-1 Code du travail), and the OPCO pays on the certificat de réalisation and
the attendance it states (R6332-26 Code du travail; shared/domain/training-opco.md §4-6).

So the hour-based costs of a request — pedagogical and salary costs — are claimed per
trainee-hour attended:

    cost per trainee-hour = (pedagogical + salary) / (trainees × hours planned)
    claimable             = cost per trainee-hour × Σ hours attended + travel costs

travel costs being actual expenses, claimed as spent. The claim never exceeds the approved
amount (subrogation is "up to the approved amount", training-opco.md §3). Rounded half up to
the cent once, on the total. Pure: no Django.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

CENT = Decimal("0.01")
ZERO = Decimal("0")


@dataclass(frozen=True)
class Claim:
    amount: Decimal           # what may be claimed
    prorated: Decimal         # before the approved ceiling
    hours_planned: Decimal    # per trainee
    hours_attended: Decimal   # all trainees together
    trainee_hours_planned: Decimal

    @property
    def capped(self) -> bool:
        return self.amount < self.prorated


def claimable(*, pedagogical: Decimal, salary: Decimal, travel: Decimal, hours_planned: Decimal,
              attended: list[Decimal], approved: Decimal | None) -> Claim:
    """The claim of a request whose trainees attended `attended` hours each (one entry per
    trainee) of `hours_planned` planned for each."""
    trainee_hours = hours_planned * len(attended)
    total_attended = sum(attended, ZERO)
    if trainee_hours <= 0:
        hourly_part = ZERO
    else:
        hourly_part = (pedagogical + salary) * min(total_attended, trainee_hours) / trainee_hours
    prorated = (hourly_part + travel).quantize(CENT, rounding=ROUND_HALF_UP)
    amount = prorated if approved is None else min(prorated, approved)
    return Claim(amount=amount, prorated=prorated, hours_planned=hours_planned, hours_attended=total_attended,
                 trainee_hours_planned=trainee_hours)
