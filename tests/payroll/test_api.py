"""The REST API (payroll/api.py): token authentication decides the workspace; upload, status,
confirmation; the published OpenAPI schema (issue 3, "REST API")."""

from __future__ import annotations

import datetime

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone
from django_scopes import scope, scopes_disabled

from backoffice.models import ApiToken, AuditEntry
from payroll.models import MonthlySubmission, PayrollPeriod, PeriodStage, SubmissionLine
from tests.factories import ApiTokenFactory, make_nir, submission_csv, submission_row, submission_xlsx

BASE = "/api/v1"


@pytest.fixture
def token(world):
    with scopes_disabled():
        return ApiTokenFactory(workspace=world.partner_a)


@pytest.fixture
def api(token):
    return Client(HTTP_AUTHORIZATION=f"Bearer {token.raw}")


def rows(n: int = 2) -> list[dict]:
    return [submission_row(f"A{i}", nom=f"Nom{i}", prenom="P", nir=make_nir(100 + i)) for i in range(n)]


def post_file(client, content: bytes, name: str = "paie.xlsx", period: str = "2026-01"):
    return client.post(f"{BASE}/payroll/submissions", {"period": period, "file": SimpleUploadedFile(name, content)})


def test_upload_then_status_then_confirm(world, api, token, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = post_file(api, submission_csv(rows(3)), "paie.csv")
    assert response.status_code == 202, response.content
    body = response.json()
    assert body["version"] == 1 and body["period"] == "2026-01" and body["source"] == "api"
    assert body["status_url"].endswith(f"{BASE}/payroll/submissions/{body['id']}")

    status = api.get(body["status_url"]).json()
    assert (status["state"], status["progress"], status["row_count"], status["error_count"]) == ("valid", 100, 3, 0)
    assert status["preview"]["new_count"] == 3 and status["preview"]["totals"]["gross_salary"] == "7500.00"

    confirmed = api.post(body["confirm_url"])
    assert confirmed.status_code == 200 and confirmed.json()["state"] == "confirmed"
    with scope(workspace=world.partner_a):
        assert SubmissionLine.objects.filter(submission_id=body["id"]).count() == 3
        submission = MonthlySubmission.objects.get(pk=body["id"])
        via = AuditEntry.objects.get(action="payroll.submission_confirm").changes["via"]
    assert submission.uploaded_by is None and submission.confirmed_by is None
    assert token.prefix in via  # the audit says which token acted
    assert api.post(body["confirm_url"]).status_code == 409  # already confirmed


def test_errors_by_row_and_column_and_no_confirmation(api, django_capture_on_commit_callbacks):
    bad = rows(2) + [submission_row("A9", nom="X", prenom="Y", nir="nope")]
    with django_capture_on_commit_callbacks(execute=True):
        body = post_file(api, submission_xlsx(bad)).json()
    status = api.get(body["status_url"]).json()
    assert status["state"] == "invalid" and status["error_count"] == 1
    assert {k: status["errors"][0][k] for k in ("row", "column", "code")} == {"row": 4, "column": "nir",
                                                                             "code": "bad_nir"}
    response = api.post(body["confirm_url"])
    assert response.status_code == 409 and "without errors" in response.json()["detail"]


def test_a_token_cannot_read_or_confirm_another_workspaces_submission(world, api, django_capture_on_commit_callbacks):
    other = Client(HTTP_AUTHORIZATION=f"Bearer {ApiTokenFactory(workspace=world.partner_b).raw}")
    with django_capture_on_commit_callbacks(execute=True):
        body = post_file(other, submission_xlsx(rows(1))).json()
    assert api.get(f"{BASE}/payroll/submissions/{body['id']}").status_code == 404
    assert api.post(f"{BASE}/payroll/submissions/{body['id']}/confirm").status_code == 404
    assert api.get(f"{BASE}/payroll/submissions/999999").status_code == 404  # missing and foreign alike
    with scopes_disabled():
        assert MonthlySubmission.objects.get(pk=body["id"]).state == "valid"
        assert not SubmissionLine.objects.exists()


def test_missing_unknown_and_revoked_tokens_get_401(world, token):
    url = f"{BASE}/payroll/submissions"
    assert post_file(Client(), submission_xlsx(rows(1))).status_code == 401
    assert post_file(Client(HTTP_AUTHORIZATION="Bearer mut_unknown"), submission_xlsx(rows(1))).status_code == 401
    assert Client(HTTP_AUTHORIZATION=f"Token {token.raw}").post(url).status_code == 401  # not a bearer token
    with scopes_disabled():
        ApiToken.objects.filter(pk=token.pk).update(revoked_at=timezone.now())
    assert post_file(Client(HTTP_AUTHORIZATION=f"Bearer {token.raw}"), submission_xlsx(rows(1))).status_code == 401
    with scopes_disabled():
        assert not MonthlySubmission.objects.exists()


def test_a_token_of_an_alumni_company_or_an_inactive_workspace_is_refused(world):
    alumni = ApiTokenFactory(workspace=world.alumni_c)
    response = post_file(Client(HTTP_AUTHORIZATION=f"Bearer {alumni.raw}"), submission_xlsx(rows(1)))
    assert response.status_code == 401


def test_last_use_is_recorded(api, token):
    assert token.last_used_at is None
    api.get(f"{BASE}/payroll/submissions/1")
    with scopes_disabled():
        token.refresh_from_db()
    assert token.last_used_at is not None


def test_bad_period_bad_file_and_locked_month(world, api):
    assert post_file(api, submission_xlsx(rows(1)), period="janvier").status_code == 400
    response = post_file(api, b"%PDF-1.4 nope", "paie.xlsx")
    assert response.status_code == 400 and "not a real .xlsx" in response.json()["detail"]
    with scope(workspace=world.partner_a):
        PayrollPeriod.objects.create(workspace=world.partner_a, period=datetime.date(2026, 1, 1),
                                     stage=PeriodStage.APPROVED)
    response = post_file(api, submission_xlsx(rows(1)))
    assert response.status_code == 409 and "can no longer change" in response.json()["detail"]


def test_requests_are_limited_per_token(api, monkeypatch):
    from payroll import api as api_module

    cache.clear()
    throttle = api_module.api.throttle[0] if isinstance(api_module.api.throttle, list) else None
    if throttle is None:
        pytest.skip("no throttle configured")
    monkeypatch.setattr(throttle, "num_requests", 3)
    statuses = [api.get(f"{BASE}/payroll/submissions/1").status_code for _ in range(5)]
    assert statuses[:3] == [404, 404, 404] and statuses[3:] == [429, 429]
    cache.clear()


def test_the_openapi_schema_is_published_and_the_cdn_docs_page_is_not(client):
    schema = client.get(f"{BASE}/openapi.json")
    assert schema.status_code == 200
    paths = schema.json()["paths"]
    assert {f"{BASE}/payroll/submissions", f"{BASE}/payroll/submissions/{{submission_id}}",
            f"{BASE}/payroll/submissions/{{submission_id}}/confirm"} <= set(paths)
    assert "bearer" in str(schema.json()["components"]["securitySchemes"]).lower()
    assert client.get(f"{BASE}/docs").status_code == 404


def test_a_far_cell_through_the_api_ends_failed_not_validating(api, django_capture_on_commit_callbacks):
    """Issue 6: the API submission with a far cell stayed "validating" for ever."""
    from tests.factories import FAR_CELL_XLSX

    with django_capture_on_commit_callbacks(execute=True):
        body = post_file(api, FAR_CELL_XLSX[0][1]).json()
    status = api.get(body["status_url"]).json()
    assert status["state"] == "failed" and status["errors"][0]["code"] == "too_far"


def test_an_expired_token_gets_401_and_a_token_works_on_its_last_day(world, token):
    """Issue 6 §3: API tokens may carry a last day of validity."""
    today = timezone.localdate()
    with scopes_disabled():
        ApiToken.objects.filter(pk=token.pk).update(expires_on=today)
    client = Client(HTTP_AUTHORIZATION=f"Bearer {token.raw}")
    assert client.get(f"{BASE}/payroll/submissions/1").status_code == 404  # authenticated: the id is unknown
    with scopes_disabled():
        ApiToken.objects.filter(pk=token.pk).update(expires_on=today - datetime.timedelta(days=1))
    assert client.get(f"{BASE}/payroll/submissions/1").status_code == 401
    assert post_file(client, submission_xlsx(rows(1))).status_code == 401
    with scopes_disabled():
        assert not MonthlySubmission.objects.exists()


def test_a_token_dies_with_its_creators_membership(world):
    """Issue 6 §3: a token is revoked when the member who created it leaves the workspace;
    tokens of the members who stay keep working."""
    from backoffice.services.members import membership_remove
    from tests.factories import MembershipFactory, UserFactory

    with scopes_disabled():
        leaver = MembershipFactory(workspace=world.partner_a, role="manager", user=UserFactory()).user
        theirs = ApiTokenFactory(workspace=world.partner_a, created_by=leaver)
        kept = ApiTokenFactory(workspace=world.partner_a, created_by=world.users["partner_a"])
        membership = leaver.memberships.get(workspace=world.partner_a)
    membership_remove(actor=world.users["partner_a"], membership=membership)
    assert Client(HTTP_AUTHORIZATION=f"Bearer {theirs.raw}").get(f"{BASE}/payroll/submissions/1").status_code == 401
    assert Client(HTTP_AUTHORIZATION=f"Bearer {kept.raw}").get(f"{BASE}/payroll/submissions/1").status_code == 404
    with scopes_disabled():
        entry = AuditEntry.objects.filter(action="member.remove").latest("pk")
    assert entry.changes["api_tokens_revoked"] == 1


def test_the_token_page_takes_an_expiry_and_refuses_a_past_one(world):
    from tests.conftest import login

    client = login(world.users["partner_a"])
    url = f"/w/{world.partner_a.slug}/payroll/api-tokens/"
    past = (timezone.localdate() - datetime.timedelta(days=1)).isoformat()
    response = client.post(url, {"name": "Logiciel", "expires_on": past})
    assert response.status_code == 200 and b"already past" in response.content
    future = (timezone.localdate() + datetime.timedelta(days=30))
    response = client.post(url, {"name": "Logiciel", "expires_on": future.isoformat()})
    assert response.status_code == 200
    with scopes_disabled():
        assert list(ApiToken.objects.values_list("name", "expires_on")) == [("Logiciel", future)]
