"""A real task through Redis to a real Celery worker started by the test run."""

from __future__ import annotations

import datetime
import os
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
from django.conf import settings
from django.core import mail
from django.db import connection
from django_scopes import scopes_disabled

from backoffice.celery import app
from backoffice.tasks import send_overdue_reminders
from tests.conftest import require_or_skip
from tests.factories import DossierFactory

ROOT = Path(__file__).resolve().parents[2]


def redis_available() -> bool:
    url = os.environ.get("REDIS_URL")
    if not url:
        return False
    import redis

    try:
        return bool(redis.Redis.from_url(url, socket_connect_timeout=2).ping())
    except redis.exceptions.ConnectionError:
        return False


def _overdue_dossiers(world, n: int) -> None:
    with scopes_disabled():
        for i in range(n):
            DossierFactory(workspace=world.partner_a, title=f"Paie {i}", assignee=world.users["staff"],
                           due_date=datetime.date.today() - datetime.timedelta(days=3))
        DossierFactory(workspace=world.partner_b, title="Not overdue", assignee=world.users["staff"],
                       due_date=datetime.date.today() + datetime.timedelta(days=3))


def test_overdue_reminder_eager_mails_each_assignee_once(world):
    _overdue_dossiers(world, 2)
    assert send_overdue_reminders.delay().get() == 1
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["staff@example.test"]
    assert "Paie 0" in mail.outbox[0].body and "Not overdue" not in mail.outbox[0].body


@pytest.mark.celery_worker
@pytest.mark.django_db(transaction=True)
def test_task_runs_on_a_real_worker_through_redis(world):
    require_or_skip(redis_available(), "Redis (REDIS_URL)")
    _overdue_dossiers(world, 3)
    queue = f"test-{uuid.uuid4().hex[:8]}"
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "tests.settings",
           "MUTUALISE_TEST_DB_NAME": str(connection.settings_dict["NAME"])}
    worker = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "backoffice", "worker", "--pool=solo", "--concurrency=1",
         "-Q", queue, "--without-heartbeat", "--without-gossip", "--without-mingle", "--loglevel=WARNING"],
        cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
    )
    app.conf.task_always_eager = False  # the test settings run tasks eagerly; not this one
    try:
        assert settings.CELERY_BROKER_URL.startswith("redis://")
        result = app.send_task("backoffice.tasks.send_overdue_reminders", queue=queue)
        # The worker mails the one assignee (staff) about its three overdue dossiers.
        assert result.get(timeout=60) == 1
        assert result.state == "SUCCESS"
    finally:
        app.conf.task_always_eager = True
        worker.terminate()
        try:
            output = worker.communicate(timeout=20)[0].decode(errors="replace")
        except subprocess.TimeoutExpired:
            worker.kill()
            output = worker.communicate()[0].decode(errors="replace")
    assert "Traceback" not in output, output
