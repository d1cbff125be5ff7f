"""The federation's month end through the real path, stage by stage, on PostgreSQL + Redis.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/h7 REDIS_URL=redis://127.0.0.1:6379/2 \\
        .venv/bin/python bench/month_end.py [--scale 0.1] [--workers 2]

150 CAEs × 80 people at --scale 1; --scale 0.1 runs 15 CAEs (the same 80 people each) and
extrapolates linearly to the federation (every stage is per workspace: linear in their number).
Stages, each timed by wall clock:
1. each CAE's month posted to the API (POST /api/v1/payroll/submissions, Bearer token), while
   a Celery worker (started here, `--workers` processes, on Redis) checks the files;
2. waiting for the last check to finish;
3. each checked file confirmed through the API (POST …/confirm: lines and employments written);
4. each CAE's payroll run (payroll_run, as the month page does);
5. payslips rendered and zipped by the worker (payslips_render_start queues render_payslips);
6. each CAE's payroll journal (xlsx) and DSN-shaped declaration written.
Goal: the federation's month in ≤ 30 min on this 2-core machine with two workers.
"""

from __future__ import annotations

import argparse
import datetime
import os
import shutil
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import ROOT, Timer, report, setup_django  # noqa: E402

PERIOD = datetime.date(2026, 1, 1)
GOAL_MINUTES = 30


def _wait(label: str, pending, *, timeout: float, worker: subprocess.Popen) -> None:
    """Poll `pending()` (a count) until it is 0; fail if the worker died or time ran out."""
    deadline = time.monotonic() + timeout
    while (left := pending()) > 0:
        if worker.poll() is not None:
            raise SystemExit(f"{label}: the Celery worker exited ({worker.returncode})")
        if time.monotonic() > deadline:
            raise SystemExit(f"{label}: {left} still pending after {timeout:.0f} s")
        time.sleep(0.25)


def start_worker(db_name: str, queue: str, workers: int) -> subprocess.Popen:
    from backoffice.celery import app

    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "bench.settings", "MUTUALISE_TEST_DB_NAME": db_name}
    log = open(Path(os.environ["MUTUALISE_BENCH_PRIVATE_ROOT"]) / "worker.log", "wb")  # noqa: SIM115
    worker = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "backoffice", "worker", "--pool=prefork",
         f"--concurrency={workers}", "-Q", queue, "--without-heartbeat", "--without-gossip", "--without-mingle",
         "--loglevel=WARNING", "--prefetch-multiplier=1"],
        cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    deadline = time.monotonic() + 120
    while not app.control.ping(timeout=1.0):
        if worker.poll() is not None or time.monotonic() > deadline:
            raise SystemExit("the Celery worker did not start: see worker.log")
    return worker


def month_end(scale: float, workers: int, per_workspace: int) -> None:
    from django.conf import settings
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.db import connection
    from django.test import Client
    from django.urls import reverse
    from django_scopes import scope, scopes_disabled

    from backoffice.celery import app
    from bench.common import throwaway_database
    from bench.payroll import build_federation, federation_files
    from payroll.models import MonthlySubmission, PayrollPeriod, PayrollRun, SubmissionState
    from payroll.services.payslips import payslips_render_start
    from payroll.services.runs import payroll_declaration_generate, payroll_journal_export, payroll_run
    from payroll.services.submissions import api_token_create

    if connection.vendor != "postgresql" or not settings.CELERY_BROKER_URL.startswith("redis://"):
        raise SystemExit("bench/month_end.py needs DATABASE_URL (PostgreSQL) and REDIS_URL")
    n_ws = max(1, round(150 * scale))
    people = n_ws * per_workspace
    queue = f"bench-{uuid.uuid4().hex[:8]}"
    app.conf.task_default_queue = queue
    print(f"Mutualise month-end bench — PostgreSQL + Redis, {workers} worker processes, "
          f"{n_ws} CAEs × {per_workspace} = {people:,} people (scale {scale:g} of 150 × 80)")

    with throwaway_database() as db_name:
        staff, workspaces = build_federation(n_ws, per_workspace, slug="month")
        files = federation_files(workspaces, per_workspace, small_last=False)
        tokens = {}
        for ws in workspaces:
            with scope(workspace=ws):
                tokens[ws.pk] = api_token_create(actor=staff, workspace=ws, name="month-end bench")[1]
        worker = start_worker(db_name, queue, workers)
        client = Client()
        stages: list[tuple[str, float]] = []
        try:
            # 1-2. Files posted to the API; the worker checks them as they arrive.
            ids = []
            with Timer() as posting:
                for ws in workspaces:
                    response = client.post(
                        reverse("api_v1:submission_create"),
                        {"period": f"{PERIOD:%Y-%m}", "file": SimpleUploadedFile(f"paie-{ws.slug}.xlsx", files[ws.pk])},
                        HTTP_AUTHORIZATION=f"Bearer {tokens[ws.pk]}")
                    assert response.status_code == 202, response.content[:500]
                    ids.append((ws, response.json()["id"]))

            def unchecked() -> int:
                with scopes_disabled():
                    return MonthlySubmission.objects.filter(
                        pk__in=[pk for _, pk in ids],
                        state__in=[SubmissionState.UPLOADED, SubmissionState.VALIDATING]).count()

            with Timer() as checking:
                _wait("checks", unchecked, timeout=3600, worker=worker)
            with scopes_disabled():
                states = set(MonthlySubmission.objects.filter(pk__in=[pk for _, pk in ids])
                             .values_list("state", flat=True))
            assert states == {SubmissionState.VALID}, states
            stages += [("1. files posted to the API (checks start on the worker)", posting.seconds),
                       ("2. waiting for the last check (Celery worker)", checking.seconds)]

            # 3. Confirmed through the API.
            with Timer() as confirming:
                for ws, pk in ids:
                    response = client.post(reverse("api_v1:submission_confirm", kwargs={"submission_id": pk}),
                                           HTTP_AUTHORIZATION=f"Bearer {tokens[ws.pk]}")
                    assert response.status_code == 200, response.content[:500]
            stages.append(("3. files confirmed through the API (lines, employments)", confirming.seconds))

            # 4. Payroll run, CAE by CAE.
            with Timer() as running:
                for ws in workspaces:
                    with scope(workspace=ws):
                        payroll_run(actor=staff, workspace=ws, period=PERIOD)
            stages.append(("4. payroll run (payslips computed and stored)", running.seconds))

            # 5. Payslip PDFs and zips, by the worker.
            with Timer() as rendering:
                periods = {}
                for ws in workspaces:
                    with scope(workspace=ws):
                        periods[ws.pk] = PayrollPeriod.objects.get(workspace=ws, period=PERIOD)
                        payslips_render_start(actor=staff, payroll_period=periods[ws.pk])

                def unrendered() -> int:
                    with scopes_disabled():
                        return PayrollRun.objects.filter(period__in=periods.values()).exclude(
                            pdf_state__in=["done", "failed"]).count()

                _wait("payslip PDFs", unrendered, timeout=7200, worker=worker)
            with scopes_disabled():
                failed = PayrollRun.objects.filter(period__in=periods.values(), pdf_state="failed").count()
                zips = PayrollRun.objects.filter(period__in=periods.values(), zip_document__isnull=False).count()
            assert not failed and zips == n_ws, (failed, zips)
            stages.append(("5. payslip PDFs rendered and zipped (Celery worker)", rendering.seconds))

            # 6. Journals and declarations.
            with Timer() as closing:
                for ws in workspaces:
                    with scope(workspace=ws):
                        payroll_journal_export(actor=staff, payroll_period=periods[ws.pk])
                        payroll_declaration_generate(actor=staff, payroll_period=periods[ws.pk])
            stages.append(("6. payroll journals (xlsx) and declarations (DSN) written", closing.seconds))
        finally:
            worker.terminate()
            try:
                worker.wait(timeout=30)
            except subprocess.TimeoutExpired:
                worker.kill()

    total = sum(seconds for _, seconds in stages)
    factor = 150 / n_ws * 80 / per_workspace
    print(f"\nStages at this scale ({people:,} people) and extrapolated to 12,000 (× {factor:.1f}, linear):")
    for label, seconds in stages:
        report(label, f"{seconds:8.1f} s   → {seconds * factor / 60:6.1f} min")
    report("total", f"{total:8.1f} s   → {total * factor / 60:6.1f} min (goal ≤ {GOAL_MINUTES} min)")
    report("payslips per second, whole month end", f"{people / total:.1f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--scale", type=float, default=1.0, help="fraction of the 150 CAEs (default 1)")
    parser.add_argument("--workers", type=int, default=2, help="Celery worker processes (default 2)")
    parser.add_argument("--per-workspace", type=int, default=80, help="people per CAE (default 80)")
    args = parser.parse_args()
    private = tempfile.mkdtemp(prefix="mutualise-month-end-")
    os.environ["MUTUALISE_BENCH_PRIVATE_ROOT"] = private
    os.environ["DJANGO_SETTINGS_MODULE"] = "bench.settings"
    setup_django()
    try:
        month_end(args.scale, args.workers, args.per_workspace)
    finally:
        shutil.rmtree(private, ignore_errors=True)


if __name__ == "__main__":
    main()
