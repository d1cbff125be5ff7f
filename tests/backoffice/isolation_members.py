"""Isolation registry of the members pages and the account pages (merged by tests/test_isolation.py)."""

from __future__ import annotations

from collections.abc import Callable

from tests.factories import MembershipFactory, UserFactory

# Account pages carry no tenant data: the invitation link and the two-factor set-up.
PUBLIC = {"invitation_accept", "otp_setup"}

OBJECT_BUILDERS: dict[str, Callable] = {
    "membership": lambda ws: MembershipFactory(workspace=ws, user=UserFactory(),
                                               role="payroll_officer" if ws.is_host else "viewer").pk,
}

OBJECT_PARAMS: dict[str, dict[str, str]] = {
    "member_role": {"pk": "membership"},
    "member_remove": {"pk": "membership"},
}
