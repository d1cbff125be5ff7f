"""The month's payroll period and its dossier in the staff work queue."""

from __future__ import annotations

import datetime

from django.db import transaction
from django.utils import timezone, translation
from django.utils.formats import date_format

from backoffice.models import Dossier, DossierStatus, Workspace
from backoffice.services.audit import audit_record
from backoffice.services.dossiers import dossier_open, dossier_set_status
from payroll.models import PayrollPeriod, PeriodStage

# Queue status of the dossier at each stage of the month (the partner sees the stage).
STAGE_TO_STATUS = {
    PeriodStage.AWAITING: DossierStatus.WAITING_CLIENT,
    PeriodStage.RECEIVED: DossierStatus.NEW,
    PeriodStage.CHECKED: DossierStatus.IN_PROGRESS,
    PeriodStage.COMPUTED: DossierStatus.WAITING_CLIENT,  # waiting for the partner's approval
    PeriodStage.APPROVED: DossierStatus.IN_PROGRESS,
    PeriodStage.DELIVERED: DossierStatus.DONE,
}
# Stages may only move forward, except back to "received" when new data replaces a draft.
STAGE_ORDER = list(PeriodStage.values)


class PeriodLocked(Exception):
    """The partner approved this month: its data can no longer change."""


def stage_label(stage: str) -> str:
    """The stage as the dossier shows it: the English label, which is a msgid of the
    catalogue, so the queue translates it at display time (`{% translate d.stage %}`)."""
    with translation.override("en"):
        return str(PeriodStage(stage).label)


def month_title(period: datetime.date) -> str:
    """The month's dossier title, in French as the dossiers are: "Paie de novembre 2026",
    "Paie d'octobre 2026" (elision before a vowel)."""
    with translation.override("fr"):
        label = date_format(period, "F Y")
    return f"Paie d'{label}" if label[:1].lower() in "aeiouy" else f"Paie de {label}"


def first_of_month(day: datetime.date) -> datetime.date:
    return day.replace(day=1)


def _due_date(period: datetime.date) -> datetime.date:
    """Payslips are due by the last day of the month they pay."""
    next_month = (period.replace(day=28) + datetime.timedelta(days=4)).replace(day=1)
    return next_month - datetime.timedelta(days=1)


@transaction.atomic
def payroll_period_open(*, actor, workspace: Workspace, period: datetime.date) -> PayrollPeriod:
    """The workspace's period for this month, created with its dossier on first use."""
    if period.day != 1:
        raise ValueError("a period is the first day of its month")
    payroll_period, created = PayrollPeriod.objects.get_or_create(workspace=workspace, period=period)
    if created:
        audit_record(actor=actor, workspace=workspace, action="payroll.period_open", obj=payroll_period)
        title = month_title(period)
        # One dossier per workspace and month: a dossier opened by hand for this month (same
        # title, not yet linked to a period) becomes the period's dossier instead of a twin.
        orphan = (Dossier.objects.filter(workspace=workspace, service="payroll", kind="monthly_submission",
                                         title=title, object_id__isnull=True).order_by("pk").first())
        if orphan is not None:
            from django.contrib.contenttypes.models import ContentType

            orphan.content_type = ContentType.objects.get_for_model(PayrollPeriod)
            orphan.object_id = payroll_period.pk
            orphan.stage = stage_label(payroll_period.stage)
            orphan.save(update_fields=["content_type", "object_id", "stage", "updated_at"])
        else:
            dossier_open(actor=actor, workspace=workspace, service="payroll", kind="monthly_submission",
                         title=title, subject=payroll_period, due_date=_due_date(period),
                         stage=stage_label(payroll_period.stage))
    return payroll_period


def period_dossier(payroll_period: PayrollPeriod) -> Dossier | None:
    from django.contrib.contenttypes.models import ContentType

    return Dossier.objects.filter(workspace=payroll_period.workspace, object_id=payroll_period.pk,
                                  content_type=ContentType.objects.get_for_model(PayrollPeriod)).first()


@transaction.atomic
def payroll_period_set_stage(*, actor, payroll_period: PayrollPeriod, stage: str) -> PayrollPeriod:
    """Move the month to `stage` and mirror it on its dossier; refuses to go backwards
    (except to "received" before approval) and to change a locked month."""
    current = STAGE_ORDER.index(payroll_period.stage)
    target = STAGE_ORDER.index(stage)
    if payroll_period.is_locked and target < current:
        raise PeriodLocked(payroll_period)
    if target < current and stage != PeriodStage.RECEIVED:
        raise ValueError(f"cannot move a period back from {payroll_period.stage} to {stage}")
    old = payroll_period.stage
    payroll_period.stage = stage
    now = timezone.now()
    if stage == PeriodStage.APPROVED:
        payroll_period.approved_by, payroll_period.approved_at = actor, now
    if stage == PeriodStage.DELIVERED:
        payroll_period.delivered_at = now
    payroll_period.save()
    audit_record(actor=actor, workspace=payroll_period.workspace, action="payroll.period_stage", obj=payroll_period,
                 changes={"stage": [old, stage]})
    dossier = period_dossier(payroll_period)
    if dossier is not None:
        dossier_set_status(actor=actor, dossier=dossier, status=STAGE_TO_STATUS[stage], stage=stage_label(stage))
    return payroll_period
