"""The monthly submission: upload, validation, all-or-nothing confirmation; API tokens.

A submission is one uploaded version of a month's data:
- `submission_upload` stores the file (private document, attached to the month's dossier),
  opens the month (`payroll_period_open`: the dossier in the staff work queue), supersedes the
  month's previous draft (earlier versions are kept) and queues the validation task once the
  transaction commits. A locked month (approved) is refused.
- `submission_validate` (run by payroll.tasks.submissions) reads the stored file once,
  streaming, and records the errors (by row and column) and the preview; it writes its
  progress as it goes so that the page's progress bar can follow it.
- `submission_confirm` re-reads the stored file (so what is written is exactly what was
  validated) and, in one transaction, creates the new entrepreneurs, their employment,
  and the SubmissionLines, in batches as the rows stream by. Any error — a row that no
  longer validates, a locked month — rolls everything back: nothing is written.
- `submission_import` does upload + validation + confirmation in one transaction, for the
  `import_monthly` command.
"""

from __future__ import annotations

import datetime
import hashlib
import logging
import shutil
import tempfile
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from backoffice.bulk import bulk_insert
from backoffice.models import ApiToken, AuditEntry, Document, Entrepreneur, Workspace
from backoffice.models.api import hash_token
from backoffice.queue import enqueue, require_queue
from backoffice.roles import Perm
from backoffice.services.audit import audit_record
from backoffice.services.documents import document_upload
from backoffice.spreadsheets import ACCEPTED, FileRejected
from backoffice.tenancy import Actor, staff_wide
from backoffice.uploads import check_upload
from payroll.imports.template import build_template
from payroll.imports.validate import ImportResult, ParsedRow, rejected_result, validate_file
from payroll.models import (
    Employment,
    MonthlySubmission,
    PayrollPeriod,
    PeriodStage,
    SubmissionLine,
    SubmissionState,
)
from payroll.selectors.rates import NoRateTable, rate_table_for
from payroll.selectors.submissions import import_context, template_rows
from payroll.services.periods import (
    PeriodLocked,
    payroll_period_open,
    payroll_period_set_stage,
    period_dossier,
)

logger = logging.getLogger(__name__)

DRAFT_STATES = (SubmissionState.UPLOADED, SubmissionState.VALIDATING, SubmissionState.INVALID,
                SubmissionState.VALID, SubmissionState.FAILED)
MAX_MONTHS_AHEAD = 2
BATCH_SIZE = 1000


class SubmissionRefused(Exception):
    """The request cannot be done as asked; `message` says why, for the user."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


class SubmissionInvalid(Exception):
    """The file does not validate (any more): nothing was written. `result` holds the errors."""

    def __init__(self, result: ImportResult):
        super().__init__(f"{result.error_count} errors")
        self.result = result


def locked_message(period: PayrollPeriod | datetime.date) -> str:
    day = period.period if isinstance(period, PayrollPeriod) else period
    return _("The payroll of %(month)s is approved: its data can no longer change.") % {
        "month": date_format(day, "F Y")}


def _add_months(day: datetime.date, months: int) -> datetime.date:
    index = day.year * 12 + day.month - 1 + months
    return datetime.date(index // 12, index % 12 + 1, 1)


def check_period(period: datetime.date) -> None:
    """A month that can receive data: at most two months ahead, with rates loaded."""
    if period.day != 1:
        raise SubmissionRefused(_("A period is a month (its first day)."))
    latest = _add_months(timezone.localdate().replace(day=1), MAX_MONTHS_AHEAD)
    if period > latest:
        raise SubmissionRefused(_("%(month)s is too far ahead: data can be sent up to %(latest)s.") % {
            "month": date_format(period, "F Y"), "latest": date_format(latest, "F Y")})
    try:
        rate_table_for(period)
    except NoRateTable:
        raise SubmissionRefused(_("No payroll rates are loaded for %(month)s: this month cannot be processed.") % {
            "month": date_format(period, "F Y")}) from None


@contextmanager
def stored_file_path(document: Document) -> Iterator[Path]:
    """A local path to a stored document (its own path on disk, or a temporary copy)."""
    try:
        path = Path(document.file.path)
    except NotImplementedError:
        path = None
    if path is not None and path.exists():
        yield path
        return
    suffix = "." + document.original_name.rsplit(".", 1)[-1][:8] if "." in document.original_name else ""
    with tempfile.NamedTemporaryFile(suffix=suffix) as tmp, document.file.open("rb") as source:
        shutil.copyfileobj(source, tmp)
        tmp.flush()
        yield Path(tmp.name)


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(1024 * 1024):
            digest.update(chunk)
    return digest.hexdigest()


# --- upload -----------------------------------------------------------------------------------

@transaction.atomic
def submission_upload(*, actor, workspace: Workspace, period: datetime.date, upload, source: str = "upload",
                      via: str = "", queue_validation: bool = True) -> MonthlySubmission:
    """Store a new version of the month's data and queue its validation.

    `actor` is the user (None for an API token or a command: `via` then says which).
    Raises SubmissionRefused (bad file type, month not open to data) or PeriodLocked."""
    if not workspace.has_entrepreneurs:
        raise SubmissionRefused(_("Only a CAE has a payroll."))
    check_period(period)
    try:
        check_upload(upload, allowed=ACCEPTED)
    except ValidationError as exc:
        raise SubmissionRefused(" ".join(exc.messages)) from None
    if queue_validation:
        require_queue()  # QueueUnavailable before anything is superseded or stored
    payroll_period = payroll_period_open(actor=actor, workspace=workspace, period=period)
    payroll_period = PayrollPeriod.objects.select_for_update().get(pk=payroll_period.pk)
    if payroll_period.is_locked:
        raise PeriodLocked(payroll_period)

    drafts = MonthlySubmission.objects.select_for_update().filter(
        workspace=workspace, period=payroll_period, state__in=DRAFT_STATES)
    superseded = [s.pk for s in drafts]
    if superseded:
        MonthlySubmission.objects.filter(pk__in=superseded).update(state=SubmissionState.SUPERSEDED)
    version = (MonthlySubmission.objects.filter(workspace=workspace, period=payroll_period)
               .aggregate(v=Max("version"))["v"] or 0) + 1

    document = document_upload(
        actor=actor, workspace=workspace, upload=upload, dossier=period_dossier(payroll_period),
        title=_("Payroll data %(month)s, version %(version)d") % {"month": f"{period:%Y-%m}", "version": version})
    try:
        submission = MonthlySubmission.objects.create(
            workspace=workspace, period=payroll_period, version=version, source=source, document=document,
            uploaded_by=actor if getattr(actor, "is_authenticated", False) else None, task_id=uuid.uuid4().hex)
        if payroll_period.stage == PeriodStage.AWAITING:
            payroll_period_set_stage(actor=actor, payroll_period=payroll_period, stage=PeriodStage.RECEIVED)
        audit_record(actor=actor, workspace=workspace, action="payroll.submission_upload", obj=submission,
                     changes={"version": version, "superseded": superseded, "source": source, "via": via,
                              "file": document.original_name})
    except Exception:
        document.file.delete(save=False)  # the row goes with the rollback; the file would stay behind
        raise
    if queue_validation:
        transaction.on_commit(lambda: queue_submission_validation(submission))
    return submission


def queue_submission_validation(submission: MonthlySubmission) -> None:
    from payroll.tasks.submissions import validate_submission

    enqueue(lambda: validate_submission.apply_async(args=(submission.pk, submission.workspace_id),
                                                    task_id=submission.task_id),
            what=f"the check of submission {submission.pk}")


# --- validation -------------------------------------------------------------------------------

class _Progress:
    """Writes the submission's progress (percent) at most once per percent."""

    def __init__(self, submission_id: int, report: Callable[[int], None] | None):
        self.submission_id, self.report, self.last = submission_id, report, -1

    def __call__(self, done: int, total: int) -> None:
        percent = min(99, done * 100 // max(total, 1))
        if percent > self.last:
            self.last = percent
            MonthlySubmission.objects.filter(pk=self.submission_id, state=SubmissionState.VALIDATING).update(
                progress=percent)
            if self.report is not None:
                self.report(percent)


def _read(submission: MonthlySubmission, *, on_row=None, on_progress=None, verify: bool = True) -> ImportResult:
    """Validate the stored file, streaming. `verify` first checks the stored bytes against the
    hash taken at upload (the file may have waited in storage); `submission_import`, which
    stored it in the same transaction, skips that second read."""
    ctx = import_context(workspace=submission.workspace, period=submission.period.period)
    with stored_file_path(submission.document) as path:
        if verify and _sha256(path) != submission.document.sha256:
            raise SubmissionRefused(_("The stored file does not match the one uploaded: upload it again."))
        return validate_file(path, name=submission.document.original_name, ctx=ctx, on_row=on_row,
                             on_progress=on_progress)


def submission_validate(*, submission_id: int, report: Callable[[int], None] | None = None
                        ) -> MonthlySubmission | None:
    """Check the stored file of a draft and record errors and preview. Safe to run twice (a
    second run recomputes the same result); does nothing to a confirmed or superseded version.

    Runs in the caller's workspace scope. Not one transaction: the progress must be visible
    while it runs; the result is written atomically at the end."""
    submission = (MonthlySubmission.objects.select_related("workspace", "period", "document")
                  .filter(pk=submission_id).first())
    if submission is None or submission.state not in DRAFT_STATES:
        return submission
    started = MonthlySubmission.objects.filter(pk=submission.pk, state__in=DRAFT_STATES).update(
        state=SubmissionState.VALIDATING, progress=0)
    if not started:
        return submission
    try:
        result = _read(submission, on_progress=_Progress(submission.pk, report))
    except SubmissionRefused as exc:
        result = rejected_result(FileRejected(exc.message))
    unreadable = result.row_count == 0 and result.error_count > 0 and "file" not in result.preview
    state = (SubmissionState.VALID if result.ok else
             SubmissionState.FAILED if unreadable else SubmissionState.INVALID)
    with transaction.atomic():
        done = MonthlySubmission.objects.filter(pk=submission.pk, state=SubmissionState.VALIDATING).update(
            state=state, progress=100, errors=result.errors, preview=result.preview, row_count=result.row_count,
            validated_at=timezone.now())
        if done:
            audit_record(actor=None, workspace=submission.workspace, action="payroll.submission_validate",
                         obj=submission, changes={"state": state, "errors": result.error_count,
                                                  "rows": result.row_count})
    submission.refresh_from_db()
    return submission


def submission_fail(*, submission_id: int, message: str) -> None:
    """Record that the validation could not run (an unexpected error, logged by the task)."""
    with transaction.atomic():
        MonthlySubmission.objects.filter(pk=submission_id, state__in=DRAFT_STATES).update(
            state=SubmissionState.FAILED, progress=100, validated_at=timezone.now(),
            errors=[{"row": None, "column": "", "code": "internal", "message": message}],
            preview={"error_count": 1, "row_count": 0})


# --- confirmation -----------------------------------------------------------------------------

class _LineWriter:
    """Receives each validated row and writes by batches: new entrepreneurs (with their
    audit entries), employment, then the submission's lines."""

    def __init__(self, *, actor, submission: MonthlySubmission):
        self.actor = actor if getattr(actor, "is_authenticated", False) else None
        self.submission = submission
        self.workspace = submission.workspace
        self.pending: list[ParsedRow] = []
        self.stats = {"lines": 0, "entrepreneurs_created": 0, "employments_created": 0, "employments_updated": 0,
                      "nirs_recorded": 0, "classifications_recorded": 0}

    def add(self, row: ParsedRow) -> None:
        self.pending.append(row)
        if len(self.pending) >= BATCH_SIZE:
            self.flush()

    def _audit(self, action: str, objects, changes) -> None:
        AuditEntry.objects.bulk_create([
            AuditEntry(workspace=self.workspace, actor=self.actor, action=action, object_type=obj._meta.label_lower,
                       object_id=str(obj.pk), object_repr=str(obj)[:200], changes=changes(obj))
            for obj in objects])

    def flush(self) -> None:
        rows, self.pending = self.pending, []
        if not rows:
            return
        ws = self.workspace
        source = f"payroll submission {self.submission.period.period:%Y-%m} v{self.submission.version}"
        new = [Entrepreneur(workspace=ws, matricule=r.matricule, last_name=r.last_name, first_name=r.first_name,
                            nir=r.nir, entry_date=r.entry_date, birth_date=r.birth_date, nationality=r.nationality)
               for r in rows if r.known is None]
        ids: dict[str, int] = {r.matricule: r.known.pk for r in rows if r.known is not None}
        if new:
            created = Entrepreneur.objects.bulk_create(new, batch_size=BATCH_SIZE)
            if not connection.features.can_return_rows_from_bulk_insert:
                by_matricule = dict(Entrepreneur.objects.filter(workspace=ws, matricule__in=[e.matricule for e in new])
                                    .values_list("matricule", "pk"))
                for e in created:
                    e.pk = by_matricule[e.matricule]
            ids.update({e.matricule: e.pk for e in created})
            self._audit("entrepreneur.create", created, lambda e: {
                "matricule": e.matricule, "last_name": e.last_name, "first_name": e.first_name,
                "entry_date": str(e.entry_date), "nir": "changed" if e.nir else "", "nationality": e.nationality,
                "source": source})
            self.stats["entrepreneurs_created"] += len(created)

        nir_fill = [Entrepreneur(pk=r.known.pk, nir=r.nir) for r in rows
                    if r.known is not None and r.nir and not r.known.nir]
        if nir_fill:
            Entrepreneur.objects.bulk_update(nir_fill, ["nir"])
            self._audit("entrepreneur.update", Entrepreneur.objects.filter(pk__in=[e.pk for e in nir_fill]),
                        lambda e: {"nir": "changed", "source": source})
            self.stats["nirs_recorded"] += len(nir_fill)
        nationality_fill = [Entrepreneur(pk=r.known.pk, nationality=r.nationality) for r in rows
                            if r.known is not None and r.nationality]
        if nationality_fill:
            Entrepreneur.objects.bulk_update(nationality_fill, ["nationality"])
            self._audit("entrepreneur.update", Entrepreneur.objects.filter(pk__in=[e.pk for e in nationality_fill]),
                        lambda e: {"nationality": e.nationality, "source": source})

        employments = []
        status_changes: dict[int, str] = {}
        classifications: dict[int, str] = {}  # known employments without one, filled from the file
        for r in rows:
            if r.known is None or r.known.employment_pk is None:
                employments.append({"workspace_id": ws.pk, "entrepreneur_id": ids[r.matricule], "status": r.status,
                                    "start_date": r.entry_date, "classification": r.classification})
                continue
            if r.known.employment_status != r.status:
                status_changes[r.known.employment_pk] = r.status
            if r.classification and not r.known.employment_classification:
                classifications[r.known.employment_pk] = r.classification
        if employments:
            bulk_insert(Employment, employments)
            self.stats["employments_created"] += len(employments)
        if status_changes:
            Employment.objects.bulk_update(
                [Employment(pk=pk, status=status) for pk, status in status_changes.items()], ["status"])
            self.stats["employments_updated"] += len(status_changes)
        if classifications:
            Employment.objects.bulk_update(
                [Employment(pk=pk, classification=value) for pk, value in classifications.items()],
                ["classification"])
            self._audit("employment.update", Employment.objects.filter(pk__in=list(classifications))
                        .select_related("entrepreneur"),
                        lambda e: {"classification": e.classification, "source": source})
            self.stats["classifications_recorded"] += len(classifications)

        # Plain dicts written by COPY on PostgreSQL (backoffice.bulk): no model instance per row.
        submission_id = self.submission.pk
        bulk_insert(SubmissionLine, [
            {"workspace_id": ws.pk, "submission_id": submission_id, "entrepreneur_id": ids[r.matricule],
             "row_number": r.row, "status": r.status, "hours": r.hours, "gross_salary": r.gross_salary,
             "bonuses": r.bonuses, "reimbursed_expenses": r.reimbursed_expenses, "revenue": r.revenue,
             "pas_rate": r.pas_rate, "target_employer_cost": r.target_employer_cost, "target_net": r.target_net,
             "exit_date": r.exit_date, "absence_hours": r.absence_hours, "leave_taken": r.leave_taken,
             "sick_days": r.sick_days}
            for r in rows])
        self.stats["lines"] += len(rows)


def _move_stage_after_confirm(*, actor, payroll_period: PayrollPeriod) -> None:
    """The month's data is checked; a month already computed goes back to "received" first
    (its payroll must be run again on the new data)."""
    if payroll_period.stage in (PeriodStage.COMPUTED,):
        payroll_period_set_stage(actor=actor, payroll_period=payroll_period, stage=PeriodStage.RECEIVED)
    if payroll_period.stage in (PeriodStage.AWAITING, PeriodStage.RECEIVED):
        payroll_period_set_stage(actor=actor, payroll_period=payroll_period, stage=PeriodStage.CHECKED)


@transaction.atomic
def _confirm(*, actor, submission_id: int, via: str = "", verify: bool = True) -> MonthlySubmission:
    submission = (MonthlySubmission.objects.select_for_update().select_related("workspace", "document")
                  .get(pk=submission_id))
    payroll_period = PayrollPeriod.objects.select_for_update().get(pk=submission.period_id)
    submission.period = payroll_period
    if payroll_period.is_locked:
        raise PeriodLocked(payroll_period)
    if submission.state == SubmissionState.CONFIRMED:
        raise SubmissionRefused(_("This version is already confirmed."))
    if submission.state != SubmissionState.VALID:
        raise SubmissionRefused(_("Only a version without errors can be confirmed (this one: %(state)s).") % {
            "state": submission.get_state_display()})

    writer = _LineWriter(actor=actor, submission=submission)
    result = _read(submission, on_row=writer.add, verify=verify)
    if not result.ok:
        raise SubmissionInvalid(result)
    writer.flush()

    previous = list(MonthlySubmission.objects.filter(
        workspace=submission.workspace, period=payroll_period, state=SubmissionState.CONFIRMED)
        .exclude(pk=submission.pk).values_list("pk", flat=True))
    if previous:
        MonthlySubmission.objects.filter(pk__in=previous).update(state=SubmissionState.SUPERSEDED)
    submission.state = SubmissionState.CONFIRMED
    submission.confirmed_at = timezone.now()
    submission.confirmed_by = actor if getattr(actor, "is_authenticated", False) else None
    submission.preview, submission.row_count, submission.errors = result.preview, result.row_count, []
    submission.progress = 100
    submission.save(update_fields=["state", "confirmed_at", "confirmed_by", "preview", "row_count", "errors",
                                   "progress"])
    _move_stage_after_confirm(actor=actor, payroll_period=payroll_period)
    audit_record(actor=actor, workspace=submission.workspace, action="payroll.submission_confirm", obj=submission,
                 changes={**writer.stats, "superseded": previous, "via": via})
    return submission


def submission_confirm(*, actor, submission: MonthlySubmission, via: str = "") -> MonthlySubmission:
    """Write the validated version, all or nothing.

    Raises PeriodLocked, SubmissionRefused (not a valid draft) or SubmissionInvalid (the file no
    longer validates: nothing was written; the version is then marked as having errors)."""
    try:
        return _confirm(actor=actor, submission_id=submission.pk, via=via)
    except SubmissionInvalid as exc:
        with transaction.atomic():
            MonthlySubmission.objects.filter(pk=submission.pk, state=SubmissionState.VALID).update(
                state=SubmissionState.INVALID, errors=exc.result.errors,
                preview={**exc.result.preview, "error_count": exc.result.error_count},
                row_count=exc.result.row_count)
            audit_record(actor=actor, workspace=submission.workspace, action="payroll.submission_confirm_refused",
                         obj=submission, changes={"errors": exc.result.error_count, "via": via})
        raise


def submission_import(*, actor, workspace: Workspace, period: datetime.date, upload, via: str = "command"
                      ) -> MonthlySubmission:
    """Upload, validate and confirm in one transaction (the import_monthly command): on any
    error nothing is written, not even the file, and SubmissionInvalid / SubmissionRefused /
    PeriodLocked is raised."""
    submission = None
    try:
        with transaction.atomic():
            submission = submission_upload(actor=actor, workspace=workspace, period=period, upload=upload,
                                           source="upload", via=via, queue_validation=False)
            MonthlySubmission.objects.filter(pk=submission.pk).update(state=SubmissionState.VALID)
            # The file was hashed as it was stored, just above: read it once more only to import it.
            return _confirm(actor=actor, submission_id=submission.pk, via=via, verify=False)
    except Exception:
        if submission is not None:
            submission.document.file.delete(save=False)
        raise


# --- template ---------------------------------------------------------------------------------

@transaction.atomic
def submission_template(*, actor: Actor, workspace: Workspace, period: datetime.date) -> bytes:
    """The month's xlsx template. NIRs are filled in only for an actor allowed to read them in
    clear (Perm.PERSONAL_ID_REVEAL); the download is audited either way."""
    with_nir = actor.has(Perm.PERSONAL_ID_REVEAL)
    rows = template_rows(workspace=workspace, period=period, with_nir=with_nir)
    content = build_template(rows, period_label=date_format(period, "F Y"))
    audit_record(actor=actor.user, workspace=workspace, action="payroll.template_download",
                 changes={"period": f"{period:%Y-%m}", "entrepreneurs": len(rows), "with_nir": with_nir})
    return content


# --- API tokens -------------------------------------------------------------------------------

@transaction.atomic
def api_token_create(*, actor, workspace: Workspace, name: str,
                     expires_on: datetime.date | None = None) -> tuple[ApiToken, str]:
    """A new token for the workspace: (token, the clear value — shown once, never stored).
    `expires_on`, if given, is its last valid day. The token is revoked when its creator leaves
    the workspace (backoffice.services.members.membership_remove)."""
    name = (name or "").strip()[:100]
    if not name:
        raise SubmissionRefused(_("Give the token a name (e.g. the tool that will use it)."))
    if expires_on is not None and expires_on < timezone.localdate():
        raise SubmissionRefused(_("The last day of validity is already past."))
    raw = ApiToken.generate()
    token = ApiToken.objects.create(workspace=workspace, name=name, prefix=raw[:8], key_hash=hash_token(raw),
                                    expires_on=expires_on,
                                    created_by=actor if getattr(actor, "is_authenticated", False) else None)
    audit_record(actor=actor, workspace=workspace, action="api_token.create", obj=token,
                 changes={"name": name, "expires_on": expires_on.isoformat() if expires_on else None})
    return token, raw


@transaction.atomic
def api_token_revoke(*, actor, token: ApiToken) -> ApiToken:
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
        audit_record(actor=actor, workspace=token.workspace, action="api_token.revoke", obj=token)
    return token


def api_token_authenticate(*, raw: str) -> ApiToken | None:
    """The live token whose SHA-256 matches `raw` (its workspace decides the scope), or None.
    Records when it was last used."""
    if not raw or len(raw) > 200:
        return None
    with staff_wide("token authentication resolves the workspace"):
        token = ApiToken.objects.select_related("workspace").filter(key_hash=hash_token(raw)).first()
        if (token is None or not token.is_live_on(timezone.localdate()) or not token.workspace.is_active
                or not token.workspace.has_entrepreneurs):
            return None
        token.last_used_at = timezone.now()
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=token.last_used_at)
    return token
