"""Redis down (issue 6 §2): with REDIS_URL pointing at a closed port, pages and the API keep
answering, and work that needs a task changes nothing unless the task could be queued."""

from __future__ import annotations

import datetime
import socket
import time

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django_scopes import scope, scopes_disabled

from backoffice.queue import QueueUnavailable, require_queue
from payroll.models import MonthlySubmission
from payroll.services import submissions as services
from tests.factories import ApiTokenFactory, make_nir, submission_csv, submission_row


def closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]  # closed once the socket is: nothing listens there


@pytest.fixture
def redis_down(settings):
    url = f"redis://127.0.0.1:{closed_port()}/1"
    settings.CELERY_TASK_ALWAYS_EAGER = False
    settings.CELERY_BROKER_URL = url
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": url,
                                   "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1}}}
    return url


def test_the_broker_check_answers_within_a_second_or_two(redis_down):
    started = time.monotonic()
    with pytest.raises(QueueUnavailable):
        require_queue()
    assert time.monotonic() - started < 3


def test_the_api_keeps_answering_and_an_upload_changes_nothing(world, redis_down):
    with scopes_disabled():
        token = ApiTokenFactory(workspace=world.partner_a)
    api = Client(HTTP_AUTHORIZATION=f"Bearer {token.raw}")
    content = submission_csv([submission_row("A1", nom="Nom", prenom="P", nir=make_nir(101))])
    response = api.post("/api/v1/payroll/submissions",
                        {"period": "2026-01", "file": SimpleUploadedFile("paie.csv", content)})
    assert response.status_code == 503 and "nothing was changed" in response.json()["detail"]
    assert api.get("/api/v1/payroll/submissions/999999").status_code == 404  # answered, not a 500
    with scopes_disabled():
        assert not MonthlySubmission.objects.exists()


def test_an_upload_page_refuses_with_a_clear_message_and_keeps_the_previous_draft(world, redis_down, settings):
    period = datetime.date(2026, 1, 1)
    content = submission_csv([submission_row("A1", nom="Nom", prenom="P", nir=make_nir(102))])
    settings.CELERY_TASK_ALWAYS_EAGER = True
    with scope(workspace=world.partner_a):
        first = services.submission_upload(actor=None, workspace=world.partner_a, period=period,
                                           upload=SimpleUploadedFile("paie.csv", content))
    settings.CELERY_TASK_ALWAYS_EAGER = False
    with scope(workspace=world.partner_a):
        with pytest.raises(QueueUnavailable):
            services.submission_upload(actor=None, workspace=world.partner_a, period=period,
                                       upload=SimpleUploadedFile("paie.csv", content))
        first.refresh_from_db()
        assert MonthlySubmission.objects.count() == 1 and first.state != "superseded"


def test_pages_keep_answering(world, redis_down):
    from tests.conftest import login

    client = login(world.users["partner_a"])
    for url in ("/", "/w/cae-a/payroll/", "/w/cae-a/payroll/submissions/new/"):
        response = client.get(url, follow=True)
        assert response.status_code == 200, url


def test_a_render_is_refused_and_the_run_is_not_left_queued(world, redis_down):
    from decimal import Decimal

    from django.urls import reverse

    from payroll.models import PayrollRun
    from payroll.services.runs import payroll_run
    from tests.conftest import login
    from tests.factories import PayrollBracketFactory, PayrollSettingsFactory, build_payroll_month

    ws = world.partner_a
    with scope(workspace=ws):
        PayrollBracketFactory(settings=PayrollSettingsFactory(workspace=ws), rate=Decimal("10"))
        period = build_payroll_month(ws, lines=[{"revenue": Decimal("5000.00")}])
        payroll_run(actor=None, workspace=ws, period=period)
    response = login(world.users["staff"]).post(
        reverse("payroll_period_render", kwargs={"workspace": "cae-a", "pk": period.pk}), follow=True)
    assert response.status_code == 200
    assert "nothing was changed" in response.content.decode()
    with scopes_disabled():
        assert PayrollRun.objects.get(period=period).pdf_state == ""


def test_the_sweep_queues_again_what_the_outage_left_behind(world, django_capture_on_commit_callbacks):
    """A submission whose check was never queued, and a batch "queued" with no task, are
    picked up by the periodic sweep (payroll.tasks.sweep, every 5 minutes)."""
    from datetime import timedelta
    from decimal import Decimal

    from django.utils import timezone

    from payroll.models import PayrollRun
    from payroll.services.runs import payroll_run
    from payroll.tasks.sweep import requeue_stuck
    from tests.factories import PayrollBracketFactory, PayrollSettingsFactory, build_payroll_month

    ws = world.partner_a
    content = submission_csv([submission_row("A1", nom="Nom", prenom="P", nir=make_nir(103))])
    with scope(workspace=ws):
        with django_capture_on_commit_callbacks(execute=False):  # as if publishing had failed
            stuck = services.submission_upload(actor=None, workspace=ws, period=datetime.date(2026, 2, 1),
                                               upload=SimpleUploadedFile("paie.csv", content))
        fresh = services.submission_upload(actor=None, workspace=ws, period=datetime.date(2026, 3, 1),
                                           upload=SimpleUploadedFile("paie.csv", content), queue_validation=False)
        MonthlySubmission.objects.filter(pk=stuck.pk).update(created_at=timezone.now() - timedelta(minutes=6))
        PayrollBracketFactory(settings=PayrollSettingsFactory(workspace=ws), rate=Decimal("10"))
        period = build_payroll_month(ws, lines=[{"revenue": Decimal("5000.00")}])
        payroll_run(actor=None, workspace=ws, period=period)
        PayrollRun.objects.filter(period=period).update(pdf_state="queued", pdf_task_id="")
    result = requeue_stuck()
    assert result["submissions"] == [stuck.pk]  # the fresh upload is left to its own task
    with scopes_disabled():
        assert MonthlySubmission.objects.get(pk=stuck.pk).state in ("valid", "invalid")
        assert MonthlySubmission.objects.get(pk=fresh.pk).state == "uploaded"
        run = PayrollRun.objects.get(period=period)
        assert run.pdf_state == "done" and run.pdf_task_id
