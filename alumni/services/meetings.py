"""General meetings: convene from the register, attendance and proxies, quorum and results.

Sources (verify against the issuer's statutes, which usually set their own figures):
- One associate, one vote (loi n° 47-1775, art. 9); in a SCIC the statutes may group the
  associates in colleges whose votes are weighted, each college between 10 % and 50 % of the
  votes (loi 47-1775, art. 19 octies): a resolution's result is each college's share of
  votes for, weighted by the college's weight.
- Default quorum and majority follow the SA common law, which the statutes may raise:
  ordinary meeting, one fifth of the votes on first convocation, more than half of the votes
  cast (C. com. L225-98); extraordinary meeting, one quarter on first convocation, two
  thirds of the votes cast (C. com. L225-96). Abstentions are not votes cast (loi 2019-744).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from alumni.models import (
    Attendance,
    College,
    ConvenedAssociate,
    GeneralMeeting,
    Majority,
    MeetingKind,
    Resolution,
    ResolutionTally,
    ShareHolder,
    ShareIssuer,
)
from alumni.models.meetings import DEFAULT_MAJORITY, DEFAULT_QUORUM
from alumni.services.shares import college_weights, register_at
from backoffice.pdf import render_pdf
from backoffice.services.audit import audit_record

MAJORITY_FRACTION = {Majority.SIMPLE: Fraction(1, 2), Majority.TWO_THIRDS: Fraction(2, 3)}


@transaction.atomic
def meeting_convene(*, actor, issuer: ShareIssuer, kind: str, held_at: datetime.datetime, record_date: datetime.date,
                    agenda: str, resolutions: list[str], place: str = "", video_url: str = "",
                    quorum: Decimal | None = None, majority: str | None = None) -> GeneralMeeting:
    """Convene a general meeting: the convened associates are the holders of shares in the
    register at `record_date`, each with its votes and college."""
    if kind not in MeetingKind.values:
        raise ValidationError({"kind": _("Choose ordinary or extraordinary.")})
    if not (place.strip() or video_url.strip()):
        raise ValidationError({"place": _("Give the place of the meeting or its video link.")})
    if record_date > held_at.date():
        raise ValidationError({"record_date": _("The record date comes before the meeting.")})
    if record_date < issuer.created_on:
        raise ValidationError({"record_date": _("The record date comes after the company's creation.")})
    texts = [t.strip() for t in resolutions if t and t.strip()]
    if not agenda.strip() or not texts:
        raise ValidationError({"resolutions": _("A meeting has an agenda and at least one resolution.")})
    quorum = DEFAULT_QUORUM[kind] if quorum is None else quorum
    if not Decimal("0") <= quorum <= Decimal("1"):
        raise ValidationError({"quorum": _("The quorum is a share between 0 and 1.")})
    meeting = GeneralMeeting.objects.create(
        workspace_id=issuer.workspace_id, issuer=issuer, kind=kind, held_at=held_at, place=place.strip(),
        video_url=video_url.strip(), record_date=record_date, agenda=agenda.strip(), quorum=quorum,
        majority=majority or DEFAULT_MAJORITY[kind],
        created_by=actor if getattr(actor, "is_authenticated", False) else None)
    Resolution.objects.bulk_create([Resolution(workspace_id=issuer.workspace_id, meeting=meeting, number=i, text=t)
                                    for i, t in enumerate(texts, start=1)])
    state = register_at(issuer, record_date)
    holders = {h.pk: h for h in ShareHolder.objects.filter(issuer=issuer)}
    ConvenedAssociate.objects.bulk_create([
        ConvenedAssociate(workspace_id=issuer.workspace_id, meeting=meeting, holder_id=hid,
                          college_id=holders[hid].college_id, category=holders[hid].category, shares=p.shares,
                          votes=p.votes)
        for hid, p in state.positions.items() if p.shares > 0])
    if not meeting.convened.exists():
        raise ValidationError({"record_date": _("Nobody holds shares in the register at the record date.")})
    audit_record(actor=actor, workspace=issuer.workspace, action="meeting.convene", obj=meeting,
                 changes={"kind": kind, "record_date": record_date, "convened": meeting.convened.count()})
    return meeting


@transaction.atomic
def meeting_attendance_save(*, actor, meeting: GeneralMeeting, attendance: dict[int, tuple[str, int | None]]) -> None:
    """Record who attends: {convened id: (attendance, id of the convened associate holding the proxy)}.
    A proxy is given to an associate who is present and holds no proxy of its own."""
    convened = {c.pk: c for c in meeting.convened.all()}
    for pk, (status, proxy_id) in attendance.items():
        if pk not in convened or status not in Attendance.values:
            raise ValidationError(_("Unknown associate or attendance."))
        if status == Attendance.REPRESENTED:
            if proxy_id not in convened or proxy_id == pk:
                raise ValidationError(_("%(name)s: choose another convened associate to hold the proxy.") % {
                    "name": convened[pk].holder.name})
            if attendance.get(proxy_id, (convened[proxy_id].attendance, None))[0] != Attendance.PRESENT:
                raise ValidationError(_("%(name)s: the proxy goes to an associate who is present.") % {
                    "name": convened[pk].holder.name})
        elif proxy_id:
            raise ValidationError(_("%(name)s: only a represented associate gives a proxy.") % {
                "name": convened[pk].holder.name})
    for pk, (status, proxy_id) in attendance.items():
        c = convened[pk]
        c.attendance, c.proxy_id = status, proxy_id if status == Attendance.REPRESENTED else None
    ConvenedAssociate.objects.bulk_update(convened.values(), ["attendance", "proxy"])
    audit_record(actor=actor, workspace=meeting.issuer.workspace, action="meeting.attendance", obj=meeting,
                 changes={"present": sum(c.attendance == Attendance.PRESENT for c in convened.values()),
                          "represented": sum(c.attendance == Attendance.REPRESENTED for c in convened.values())})


@transaction.atomic
def resolution_tally_save(*, actor, resolution: Resolution, college: College | None, votes_for: int,
                          votes_against: int, abstentions: int) -> ResolutionTally:
    """The votes on a resolution in one college (None: the whole meeting). They cannot exceed
    the votes of the associates present or represented in that college."""
    meeting = resolution.meeting
    if college is not None and college.issuer_id != meeting.issuer_id:
        raise ValidationError(_("Choose one of this issuer's colleges."))
    if min(votes_for, votes_against, abstentions) < 0:
        raise ValidationError(_("Vote counts cannot be negative."))
    voters = meeting.convened.exclude(attendance=Attendance.ABSENT)
    if college is not None:
        voters = voters.filter(college=college)
    available = sum(voters.values_list("votes", flat=True))
    if votes_for + votes_against + abstentions > available:
        raise ValidationError(_("%(total)s votes recorded, but the associates present or represented hold %(available)s.")
                              % {"total": votes_for + votes_against + abstentions, "available": available})
    tally, _created = ResolutionTally.objects.update_or_create(
        workspace_id=meeting.workspace_id, resolution=resolution, college=college,
        defaults={"votes_for": votes_for, "votes_against": votes_against, "abstentions": abstentions})
    audit_record(actor=actor, workspace=meeting.issuer.workspace, action="meeting.tally", obj=resolution,
                 changes={"college": str(college) if college else None, "for": votes_for, "against": votes_against,
                          "abstentions": abstentions})
    return tally


# --- results ---------------------------------------------------------------------------------

@dataclass
class CollegeResult:
    college: College | None
    weight: Decimal           # effective weight, percent
    votes_for: int
    votes_against: int
    abstentions: int

    @property
    def cast(self) -> int:
        return self.votes_for + self.votes_against


@dataclass
class ResolutionResult:
    resolution: Resolution
    colleges: list[CollegeResult]
    share_for: Decimal        # weighted share of votes for among votes cast, percent
    adopted: bool


@dataclass
class MeetingResult:
    convened_votes: int
    present_votes: int
    represented_votes: int
    quorum_reached: bool
    resolutions: list[ResolutionResult]

    @property
    def attending_votes(self) -> int:
        return self.present_votes + self.represented_votes


def meeting_results(meeting: GeneralMeeting) -> MeetingResult:
    """Quorum (per head: one associate, one vote) and each resolution's result. With colleges,
    each college's share of votes for counts by the college's weight (loi 47-1775, art. 19
    octies), weights spread over the colleges that cast votes on that resolution."""
    convened = list(meeting.convened.all())
    total = sum(c.votes for c in convened)
    present = sum(c.votes for c in convened if c.attendance == Attendance.PRESENT)
    represented = sum(c.votes for c in convened if c.attendance == Attendance.REPRESENTED)
    quorum_reached = total > 0 and Fraction(present + represented, total) >= Fraction(meeting.quorum)
    needed = MAJORITY_FRACTION[meeting.majority]
    colleges = {c.pk: c for c in College.objects.filter(issuer_id=meeting.issuer_id)}
    results = []
    for resolution in meeting.resolutions.prefetch_related("tallies"):
        tallies = list(resolution.tallies.all())
        weighted = [t for t in tallies if t.college_id is not None and t.votes_for + t.votes_against > 0]
        if weighted:
            weight_sum = sum((colleges[t.college_id].weight for t in weighted), Decimal(0))
            share = sum((Fraction(colleges[t.college_id].weight) / Fraction(weight_sum)
                         * Fraction(t.votes_for, t.votes_for + t.votes_against) for t in weighted), Fraction(0))
            rows = [CollegeResult(colleges[t.college_id], (colleges[t.college_id].weight * 100 / weight_sum),
                                  t.votes_for, t.votes_against, t.abstentions) for t in weighted]
        else:
            votes_for = sum(t.votes_for for t in tallies)
            cast = votes_for + sum(t.votes_against for t in tallies)
            share = Fraction(votes_for, cast) if cast else Fraction(0)
            rows = [CollegeResult(None, Decimal(100), votes_for, cast - votes_for, sum(t.abstentions for t in tallies))]
        adopted = quorum_reached and (share > needed if meeting.majority == Majority.SIMPLE else share >= needed)
        pct = (Decimal(share.numerator) * 100 / Decimal(share.denominator)).quantize(Decimal("0.01"), ROUND_HALF_UP)
        results.append(ResolutionResult(resolution, rows, pct, adopted))
    return MeetingResult(total, present, represented, quorum_reached, results)


def convocation_pdf(meeting: GeneralMeeting, convened: list[ConvenedAssociate],
                    resolutions: list[Resolution] | None = None) -> bytes:
    """The convocations, one page per associate (French legal document)."""
    return render_pdf("alumni/shares/convocation_pdf.html", {
        "meeting": meeting, "issuer": meeting.issuer, "convened": convened,
        "resolutions": resolutions if resolutions is not None else list(meeting.resolutions.all())}, language="fr")


@transaction.atomic
def meeting_send_convocations(*, actor, meeting: GeneralMeeting) -> int:
    """E-mail each convened associate with an address its convocation (PDF attached); returns
    how many were sent. Sending again sends again (a reminder), and is audited each time."""
    convened = list(meeting.convened.select_related("holder", "college"))
    resolutions = list(meeting.resolutions.all())
    sent = 0
    for c in convened:
        if not c.holder.email:
            continue
        message = EmailMessage(
            subject=f"Convocation – {meeting.get_kind_display()} de {meeting.issuer.workspace.name} "
                    f"du {timezone.localtime(meeting.held_at):%d/%m/%Y}",
            body=(f"Bonjour,\n\nVous êtes convoqué(e) à l'{meeting.get_kind_display().lower()} de "
                  f"{meeting.issuer.workspace.name} le {timezone.localtime(meeting.held_at):%d/%m/%Y à %H:%M}"
                  f"{', ' + meeting.place if meeting.place else ''}"
                  f"{' (visioconférence : ' + meeting.video_url + ')' if meeting.video_url else ''}.\n\n"
                  f"Ordre du jour :\n{meeting.agenda}\n\nVotre convocation est jointe.\n"),
            to=[c.holder.email])
        message.attach(f"convocation-{meeting.pk}.pdf", convocation_pdf(meeting, [c], resolutions), "application/pdf")
        message.send()
        sent += 1
    meeting.convocations_sent_at = timezone.now()
    meeting.save(update_fields=["convocations_sent_at"])
    audit_record(actor=actor, workspace=meeting.issuer.workspace, action="meeting.convocations_sent", obj=meeting,
                 changes={"sent": sent, "without_email": len(convened) - sent})
    return sent


def meeting_minutes_xlsx(meeting: GeneralMeeting) -> bytes:
    """The figures of the minutes: convened associates and attendance, quorum, each resolution's result."""
    import io

    from openpyxl import Workbook

    result = meeting_results(meeting)
    wb = Workbook()
    ws = wb.active
    ws.title = _("Attendance")[:31]
    ws.append([str(meeting.issuer.workspace.name), meeting.get_kind_display(),
               timezone.localtime(meeting.held_at).strftime("%d/%m/%Y %H:%M")])
    ws.append([_("Associate"), _("Category of associate"), _("College"), _("Shares"), _("Votes"), _("Attendance"),
               _("Proxy given to")])
    for c in meeting.convened.select_related("holder", "college", "proxy__holder"):
        ws.append([_cell(c.holder.name), c.category, _cell(c.college.name if c.college_id else ""), c.shares, c.votes,
                   c.get_attendance_display(), _cell(c.proxy.holder.name if c.proxy_id else "")])
    ws.append([])
    ws.append([_("Convened votes"), result.convened_votes])
    ws.append([_("Present"), result.present_votes])
    ws.append([_("Represented"), result.represented_votes])
    ws.append([_("Quorum reached"), _("yes") if result.quorum_reached else _("no")])
    res = wb.create_sheet(_("Resolutions")[:31])
    res.append([_("No."), _("Resolution"), _("College"), _("Effective weight"), _("For"), _("Against"),
                _("Abstentions"), _("Share for (%)"), _("Adopted")])
    for r in result.resolutions:
        for row in r.colleges:
            res.append([r.resolution.number, _cell(r.resolution.text[:200]),
                        _cell(row.college.name if row.college else ""),
                        row.weight.quantize(Decimal("0.01")), row.votes_for, row.votes_against,
                        row.abstentions, r.share_for, _("yes") if r.adopted else _("no")])
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def _cell(value: str) -> str:
    return "'" + value if value[:1] in ("=", "+", "-", "@") else value


def issuer_weights(issuer: ShareIssuer, day: datetime.date) -> dict[int, Decimal]:
    """Each college's effective weight at `day` (for the convened list page)."""
    state = register_at(issuer, day)
    holders = {h.pk: h for h in ShareHolder.objects.filter(issuer=issuer)}
    return college_weights(issuer, list(College.objects.filter(issuer=issuer)), state, holders)
