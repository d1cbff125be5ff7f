"""Isolation registry of the alumni app's URLs (portal, follow-up, directory, staff pages).

The directory is the one deliberate crossing of workspaces: a member of a workspace that joined
reaches the published profiles of other joined workspaces. Here only CAE A joins, so every
crossing the walk attempts (another workspace's profile) is one the directory must refuse,
while staff in CAE A still reach CAE A's own profile (the control test).
tests/alumni/test_directory.py tests the crossing itself.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from decimal import Decimal


def _declaration(ws):
    from alumni.models import RevenueDeclaration

    return RevenueDeclaration.objects.create(
        workspace=ws, period_start=datetime.date(2015, 1, 1), period_end=datetime.date(2015, 12, 31),
        revenue=Decimal("1000.00"), contribution=Decimal("10.00"), usage_reference="revenue:2015").pk


def _profile(ws):
    from alumni.models import DirectoryMembership, DirectoryProfile

    if ws.slug == "cae-a":
        DirectoryMembership.objects.get_or_create(workspace=ws)
    return DirectoryProfile.objects.create(workspace=ws, display_name=f"Profil {ws.slug}", trade="Menuiserie",
                                           contact_email=f"profil@{ws.slug}.test").pk


PUBLIC: set[str] = set()

OBJECT_BUILDERS: dict[str, Callable] = {
    "alumni_declaration": _declaration,
    "directory_profile": _profile,
}

OBJECT_PARAMS: dict[str, dict[str, str]] = {
    "alumni_declaration_correct": {"pk": "alumni_declaration"},
    "alumni_profile_edit": {"pk": "directory_profile"},
    "alumni_profile_withdraw": {"pk": "directory_profile"},
    "alumni_contact": {"pk": "directory_profile"},
}
