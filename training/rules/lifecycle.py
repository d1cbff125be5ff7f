"""The lifecycle of a funding request: the one table of legal moves.

draft → submitted (OPCO file number) → approved / partly approved (approved amount) / refused
→ training done → attendance complete → claim sent → paid → closed; cancelled from any open
step with a reason. A refused request can only be closed. Anything not in this table is
refused by training.services.funding.funding_request_move.
"""

from __future__ import annotations

DRAFT, SUBMITTED, APPROVED, PARTLY_APPROVED, REFUSED = "draft", "submitted", "approved", "partly_approved", "refused"
DONE, ATTENDANCE_COMPLETE, CLAIM_SENT, PAID, CLOSED, CANCELLED = (
    "done", "attendance_complete", "claim_sent", "paid", "closed", "cancelled")

STATES = (DRAFT, SUBMITTED, APPROVED, PARTLY_APPROVED, REFUSED, DONE, ATTENDANCE_COMPLETE, CLAIM_SENT, PAID, CLOSED,
          CANCELLED)

# The open steps: a request there may still be cancelled (with a reason).
OPEN = frozenset({DRAFT, SUBMITTED, APPROVED, PARTLY_APPROVED, DONE, ATTENDANCE_COMPLETE, CLAIM_SENT})

TRANSITIONS: dict[str, frozenset[str]] = {
    DRAFT: frozenset({SUBMITTED}),
    SUBMITTED: frozenset({APPROVED, PARTLY_APPROVED, REFUSED}),
    APPROVED: frozenset({DONE}),
    PARTLY_APPROVED: frozenset({DONE}),
    REFUSED: frozenset({CLOSED}),
    DONE: frozenset({ATTENDANCE_COMPLETE}),
    ATTENDANCE_COMPLETE: frozenset({CLAIM_SENT}),
    CLAIM_SENT: frozenset({PAID}),
    PAID: frozenset({CLOSED}),
    CLOSED: frozenset(),
    CANCELLED: frozenset(),
}
for _state in OPEN:
    TRANSITIONS[_state] = TRANSITIONS[_state] | {CANCELLED}

# Moves a partner manager may make on its own requests; every other move is the host staff's.
PARTNER_MOVES = frozenset({SUBMITTED, CANCELLED})


def is_legal(from_state: str, to_state: str) -> bool:
    return to_state in TRANSITIONS.get(from_state, frozenset())


def next_states(state: str) -> list[str]:
    """Legal targets of `state`, in lifecycle order."""
    return [s for s in STATES if s in TRANSITIONS.get(state, frozenset())]
