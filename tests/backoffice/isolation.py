"""Isolation registry of the core back-office URLs (merged by tests/test_isolation.py)."""

from __future__ import annotations

from collections.abc import Callable

from tests.factories import (
    DocumentFactory,
    DossierFactory,
    EntrepreneurFactory,
    ServiceAgreementFactory,
)

# URLs that carry no tenant data (no workspace in the address, not in the staff area).
PUBLIC = {
    "home", "healthz", "login", "logout", "password_reset", "password_reset_done", "password_reset_confirm",
    "password_reset_complete", "set_language", "otp_verify",
}

# How to build a tenant object of each kind inside a given workspace: returns its pk.
OBJECT_BUILDERS: dict[str, Callable] = {
    "dossier": lambda ws: DossierFactory(workspace=ws).pk,
    "document": lambda ws: DocumentFactory(workspace=ws).pk,
    "entrepreneur": lambda ws: EntrepreneurFactory(workspace=ws).pk,
    "agreement": lambda ws: ServiceAgreementFactory(workspace=ws).pk,
}

# For each URL name with parameters besides `workspace`: which object kind each parameter names.
OBJECT_PARAMS: dict[str, dict[str, str]] = {
    "dossier_detail": {"pk": "dossier"},
    "dossier_comment": {"pk": "dossier"},
    "dossier_attach": {"pk": "dossier"},
    "dossier_update": {"pk": "dossier"},
    "dossier_quick": {"pk": "dossier"},
    "document_download": {"pk": "document"},
}

