"""Isolation registry of the monthly submission URLs (payroll/urls_submissions.py) and of the
REST API (payroll/api.py, namespace api_v1: walked with tokens by tests/test_isolation.py)."""

from __future__ import annotations

import datetime
from collections.abc import Callable

from tests.factories import ApiTokenFactory, PayrollPeriodFactory, SubmissionFactory

# A month of its own, so these builders never collide with another registry's periods.
MONTH = datetime.date(2025, 10, 1)

PUBLIC: set[str] = set()

OBJECT_BUILDERS: dict[str, Callable] = {
    "payroll_submission": lambda ws: SubmissionFactory(
        period=PayrollPeriodFactory(workspace=ws, period=MONTH, stage="received"), state="valid").pk,
    "api_token": lambda ws: ApiTokenFactory(workspace=ws).pk,
}

_SUBMISSION = {"pk": "payroll_submission"}
OBJECT_PARAMS: dict[str, dict[str, str]] = {
    "payroll_submission_detail": _SUBMISSION,
    "payroll_submission_progress": _SUBMISSION,
    "payroll_submission_confirm": _SUBMISSION,
    "payroll_api_token_revoke": {"pk": "api_token"},
    "api_v1:submission_detail": {"submission_id": "payroll_submission"},
    "api_v1:submission_confirm": {"submission_id": "payroll_submission"},
}

# API addresses that need no token (the published OpenAPI schema; the root answers 404).
API_PUBLIC = {"api_v1:openapi-json", "api_v1:api-root"}
