"""Funding requests: opening one and every move of its lifecycle, in this one module.

The legal moves are the table of training/rules/lifecycle.py; `funding_request_move` refuses
anything else. Each move records its date and actor (FundingRequestEvent), an audit entry,
and the stage of the request's dossier in the staff work queue. Submitting records one
billable usage (kind "funding_request") through backoffice.services.usage.
"""

from __future__ import annotations

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from backoffice.models import DossierStatus, Service, Workspace
from backoffice.pdf import fr_number
from backoffice.selectors.users import host_staff_users
from backoffice.services.audit import audit_record
from backoffice.services.dossiers import dossier_open, dossier_set_due_date, dossier_set_status
from backoffice.services.usage import usage_record
from backoffice.templatetags.money import format_money
from training.models import Enrolment, FundingRequest, FundingRequestEvent, Opco, RequestState, Session
from training.rules import deadlines, lifecycle
from training.services.attendance import claim_from_attendance, missing_signatures

ZERO = Decimal("0")
DOSSIER_KIND = "funding_request"

STATE_TO_STATUS = {
    lifecycle.DRAFT: DossierStatus.NEW,
    lifecycle.CLOSED: DossierStatus.DONE,
    lifecycle.CANCELLED: DossierStatus.CANCELLED,
}


class IllegalMove(ValidationError):
    """A move the lifecycle table does not allow."""


def stage_label(state: str) -> str:
    """The dossier's stage: the state's English label, a msgid the queue translates."""
    return str(RequestState(state).label)


def request_deadlines(*, session: Session, opco: Opco) -> tuple:
    """(submit before, claim before) from the OPCO's rules and the session's dates."""
    if session.starts_on is None:
        return None, None
    submit = deadlines.submit_before(session.starts_on, opco.request_days_before, opco.request_day_count)
    claim = deadlines.claim_before(session.ends_on, opco.claim_days_after, opco.claim_day_count)
    return submit, claim


def _check_certified(session: Session, day) -> None:
    body = session.course.body
    if not body.qualiopi_number or body.qualiopi_expires_on is None:
        raise ValidationError(_("The training body %(body)s has no Qualiopi certificate on record: an OPCO funds "
                                "only certified bodies (since 1 January 2022).") % {"body": body.name})
    if not body.is_certified_on(day):
        raise ValidationError(_("The Qualiopi certificate of %(body)s expired on %(date)s: an OPCO funds only "
                                "certified bodies.") % {"body": body.name,
                                                         "date": date_format(body.qualiopi_expires_on, "SHORT_DATE_FORMAT")})


def _money(value, field: str, label: str) -> Decimal:
    if value is None or not isinstance(value, Decimal) or not value.is_finite() or value < 0:
        raise ValidationError({field: [_("%(label)s must be an amount of zero or more.") % {"label": label}]})
    return value.quantize(Decimal("0.01"))


@transaction.atomic
def funding_request_open(*, actor, workspace: Workspace, session: Session, opco: Opco, enrolment_ids,
                         cost_pedagogical: Decimal = ZERO, cost_salary: Decimal = ZERO, cost_travel: Decimal = ZERO,
                         amount_asked: Decimal | None = None) -> FundingRequest:
    """A draft request of `workspace` to `opco` for some of its trainees of `session`, with its
    dossier in the staff queue. Refused: a gathering, no certified body, no trainee, a trainee
    of another workspace or session."""
    if session.is_gathering or session.course_id is None:
        raise ValidationError(_("A gathering is not funded by an OPCO: no funding request for it."))
    _check_certified(session, timezone.localdate())
    ids = {int(i) for i in enrolment_ids}
    if not ids:
        raise ValidationError(_("Choose at least one trainee for the request."))
    enrolments = list(Enrolment.objects.filter(workspace=workspace, session=session, pk__in=ids))
    if len(enrolments) != len(ids):
        raise ValidationError(_("Some trainees chosen are not enrolled by your workspace in this session."))
    costs = {
        "cost_pedagogical": _money(cost_pedagogical, "cost_pedagogical", _("Pedagogical costs")),
        "cost_salary": _money(cost_salary, "cost_salary", _("Salary costs")),
        "cost_travel": _money(cost_travel, "cost_travel", _("Travel costs")),
    }
    asked = sum(costs.values(), ZERO) if amount_asked is None else _money(amount_asked, "amount_asked", _("Amount asked"))
    submit, claim = request_deadlines(session=session, opco=opco)
    request = FundingRequest.objects.create(workspace=workspace, session=session, opco=opco, amount_asked=asked,
                                            submit_before=submit, claim_before=claim, **costs)
    request.enrolments.set(enrolments)
    FundingRequestEvent.objects.create(workspace=workspace, request=request, from_state="", to_state=lifecycle.DRAFT,
                                       actor=actor if getattr(actor, "is_authenticated", False) else None)
    audit_record(actor=actor, workspace=workspace, action="training.funding_request_open", obj=request,
                 changes={"opco": opco.name, "session": str(session), "trainees": len(enrolments),
                          "amount_asked": str(asked)})
    dossier_open(actor=actor, workspace=workspace, service=Service.TRAINING, kind=DOSSIER_KIND,
                 title=_("Training funding: %(session)s — %(opco)s") % {"session": str(session)[:120], "opco": opco.name},
                 subject=request, due_date=submit, stage=stage_label(lifecycle.DRAFT))
    return request


def _is_host_staff(user) -> bool:
    return bool(getattr(user, "is_authenticated", False)) and host_staff_users().filter(pk=user.pk).exists()


@transaction.atomic
def funding_request_move(*, actor, request: FundingRequest, to_state: str, note: str = "",
                         opco_file_number: str = "", amount: Decimal | None = None,
                         late_override_reason: str = "") -> FundingRequest:
    """Move `request` to `to_state` if the lifecycle allows it, with what that move needs:

    - submitted: the OPCO file number; a certified body; before "submit before", or else a
      host staff override with its reason (audited);
    - approved: the approved amount (defaults to the amount asked); partly approved: an
      approved amount below the amount asked;
    - attendance complete: every trainee × half-day recorded, or a note (signed scan attached);
    - claim sent: the amount claimed, at most what the hours attended justify
      (training/rules/claim.py, the default) and the approved amount; with no attendance
      recorded (signed sheets attached as a scan), the approved amount; paid: the amount paid;
    - cancelled: a reason.
    """
    request = (FundingRequest.objects.select_for_update(of=("self",))  # body and OPCO are nullable joins
               .select_related("session__course__body", "opco").get(pk=request.pk))
    from_state = request.state
    if not lifecycle.is_legal(from_state, to_state):
        raise IllegalMove(_("A request that is “%(from)s” cannot become “%(to)s”.") % {
            "from": RequestState(from_state).label, "to": RequestState(to_state).label if to_state in RequestState.values
            else to_state})
    note = (note or "").strip()
    today = timezone.localdate()
    changes: dict = {"state": [from_state, to_state]}
    if to_state == lifecycle.SUBMITTED:
        number = (opco_file_number or "").strip()
        if not number:
            raise ValidationError({"opco_file_number": [_("Give the file number the OPCO gave the request.")]})
        _check_certified(request.session, today)
        if request.submit_before is not None and today > request.submit_before:
            reason = (late_override_reason or "").strip()
            if not reason or not _is_host_staff(actor):
                raise ValidationError(_("The deadline to submit was %(date)s: a late submission needs a host staff "
                                        "override with its reason.") % {
                    "date": date_format(request.submit_before, "SHORT_DATE_FORMAT")})
            request.late_override_reason = reason
            changes["late_override_reason"] = reason
        request.opco_file_number = number
        changes["opco_file_number"] = number
    elif to_state in (lifecycle.APPROVED, lifecycle.PARTLY_APPROVED):
        approved = request.amount_asked if amount is None and to_state == lifecycle.APPROVED else amount
        approved = _money(approved, "amount", _("The approved amount"))
        if to_state == lifecycle.PARTLY_APPROVED and not approved < request.amount_asked:
            raise ValidationError({"amount": [_("A partial approval is below the amount asked (%(asked)s).") % {
                "asked": request.amount_asked}]})
        if to_state == lifecycle.APPROVED and approved > request.amount_asked:
            raise ValidationError({"amount": [_("The approved amount cannot exceed the amount asked.")]})
        request.amount_approved = approved
        changes["amount_approved"] = str(approved)
    elif to_state == lifecycle.ATTENDANCE_COMPLETE:
        missing = missing_signatures(request)
        if missing and not note:
            raise ValidationError({"note": [_("%(n)d attendance marks are missing: record them, or say in the note "
                                              "that the signed sheets are attached as a scan.") % {"n": len(missing)}]})
    elif to_state == lifecycle.CLAIM_SENT:
        justified = claim_from_attendance(request)  # None: attendance attached as a scan, not recorded
        default = justified.amount if justified is not None else request.amount_approved
        claimed = _money(default if amount is None else amount, "amount", _("The amount claimed"))
        if request.amount_approved is not None and claimed > request.amount_approved:
            raise ValidationError({"amount": [_("The claim cannot exceed the approved amount.")]})
        if justified is not None and claimed > justified.amount:
            raise ValidationError({"amount": [_(
                "The hours attended justify at most %(amount)s (%(attended)s trainee-hours of %(planned)s "
                "planned): the claim cannot exceed it.") % {
                "amount": format_money(justified.amount), "attended": fr_number(justified.hours_attended),
                "planned": fr_number(justified.trainee_hours_planned)}]})
        request.amount_claimed = claimed
        changes["amount_claimed"] = str(claimed)
    elif to_state == lifecycle.PAID:
        paid = _money(amount, "amount", _("The amount paid"))
        request.amount_paid = paid
        changes["amount_paid"] = str(paid)
    elif to_state == lifecycle.CANCELLED:
        if not note:
            raise ValidationError({"note": [_("Say why the request is cancelled.")]})
        request.cancel_reason = note
    request.state = to_state
    request.save()
    event_note = note or (changes.get("late_override_reason", "") if to_state == lifecycle.SUBMITTED else "")
    FundingRequestEvent.objects.create(workspace=request.workspace, request=request, from_state=from_state,
                                       to_state=to_state, note=event_note,
                                       actor=actor if getattr(actor, "is_authenticated", False) else None)
    if note:
        changes["note"] = note
    audit_record(actor=actor, workspace=request.workspace, action="training.funding_request_move", obj=request,
                 changes=changes)
    if to_state == lifecycle.SUBMITTED:
        usage_record(workspace=request.workspace, service=Service.TRAINING, kind=DOSSIER_KIND, quantity=Decimal("1"),
                     occurred_on=today, reference=f"funding_request:{request.pk}",
                     description=str(request)[:200])
    _sync_dossier(actor=actor, request=request)
    return request


def _sync_dossier(*, actor, request: FundingRequest) -> None:
    dossier = dossier_open(actor=actor, workspace=request.workspace, service=Service.TRAINING, kind=DOSSIER_KIND,
                           title=str(request), subject=request)
    status = STATE_TO_STATUS.get(request.state, DossierStatus.IN_PROGRESS)
    dossier_set_status(actor=actor, dossier=dossier, status=status, stage=stage_label(request.state))
    due = request.submit_before if request.state == lifecycle.DRAFT else (
        request.claim_before if request.state in (lifecycle.DONE, lifecycle.ATTENDANCE_COMPLETE) else None)
    dossier_set_due_date(actor=actor, dossier=dossier, due_date=due)
