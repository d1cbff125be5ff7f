"""Isolation registry of the records URLs: workspaces (staff), entrepreneurs, agreements, usage."""

from __future__ import annotations

import datetime
from collections.abc import Callable

from tests.factories import PriceLineFactory, ServiceAgreementFactory

PUBLIC: set[str] = set()

OBJECT_BUILDERS: dict[str, Callable] = {
    # Staff workspace pages name a workspace by slug (staff URLs are tried by non-staff personas).
    "workspace_slug": lambda ws: ws.slug,
    # Its own agreement (accounting, 2010) so it never collides with the "agreement" builder's.
    "price_line": lambda ws: PriceLineFactory(
        agreement=ServiceAgreementFactory(workspace=ws, service="accounting", start_date=datetime.date(2010, 1, 1)),
        workspace=ws, kind="per_unit", usage_kind="ledger_entry", label="Écriture").pk,
}

OBJECT_PARAMS: dict[str, dict[str, str]] = {
    "entrepreneur_detail": {"pk": "entrepreneur"},
    "entrepreneur_edit": {"pk": "entrepreneur"},
    "entrepreneur_nir_reveal": {"pk": "entrepreneur"},
    "agreement_edit": {"pk": "agreement"},
    "price_line_create": {"pk": "agreement"},
    "price_line_edit": {"pk": "price_line"},
    "price_line_delete": {"pk": "price_line"},
    "staff:workspace_edit": {"slug": "workspace_slug"},
    "staff:workspace_set_active": {"slug": "workspace_slug"},
}
