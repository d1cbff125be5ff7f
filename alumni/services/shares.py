"""Shareholding registers: every rule in one module (writes, the register fold, checks, warnings).

Sources (../shared/domain/shares-fr.md; verify before relying):
- Variable capital (C. com. L231-1 s.): subscriptions and redemptions without amending the
  statutes. Capital may never fall below one quarter of the highest capital ever reached
  since the company's creation (loi n° 47-1775 du 10 septembre 1947, art. 13), nor below the
  legal minimum of its form (18 500 € for a cooperative SA; none for SARL/SAS).
- One nominal value per company; at least a quarter paid up at subscription, the rest within
  the statutory period, five years at most.
- The register of movements is chronological (registre des mouvements de titres) and numbered
  without gap; a movement is never edited: a mistake is cancelled by a counter-movement.
- Outside associates (non-cooperators) hold together at most 49 % of votes, and those that are
  not cooperatives at most 35 % (loi 47-1775, art. 3 bis).
- SCOP: employee associates hold at least 51 % of capital and 65 % of votes (loi n° 78-763
  du 19 juillet 1978 portant statut des SCOP, art. 5).
- SCIC: at least three categories of associates (loi 47-1775, art. 19 septies); one associate
  one vote, optionally weighted by colleges, no college holding a majority alone (art. 19 octies).

The register is a fold: movements are applied in register order (which is also date order,
see `_check_chronology`), each yielding its effects on holders' shares and unpaid capital.
Positions and capital at any date are the fold of the movements up to that date.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from alumni.models import (
    AssociateCategory,
    College,
    LegalForm,
    MovementKind,
    ShareHolder,
    ShareIssuer,
    ShareMovement,
)
from backoffice.models import Document, Entrepreneur, Workspace
from backoffice.pdf import fr_number
from backoffice.services.audit import audit_record

CENT = Decimal("0.01")
ZERO = Decimal("0")

# Legal minimum capital by form: a cooperative SA needs 18 500 € (facts file: loi 47-1775 and
# C. com. for the cooperative SA); SARL and SAS forms have none.
LEGAL_MINIMUM_CAPITAL = {
    LegalForm.SCOP_SA: Decimal("18500"), LegalForm.SCIC_SA: Decimal("18500"), LegalForm.COOP_SA: Decimal("18500"),
}
FLOOR_FRACTION = Decimal("0.25")              # loi 47-1775, art. 13
MIN_PAID_AT_SUBSCRIPTION = Decimal("0.25")    # facts file: at least a quarter paid up at subscription
MAX_UNPAID_YEARS = 5                          # facts file: the rest within five years at most
OUTSIDE_VOTES_CAP = Decimal("49")             # loi 47-1775, art. 3 bis
NON_COOP_OUTSIDE_VOTES_CAP = Decimal("35")    # loi 47-1775, art. 3 bis
SCOP_EMPLOYEE_CAPITAL_MIN = Decimal("51")     # loi 78-763, art. 5
SCOP_EMPLOYEE_VOTES_MIN = Decimal("65")       # loi 78-763, art. 5
SCIC_COLLEGE_MAX = Decimal("50")              # loi 47-1775, art. 19 octies
SCIC_MIN_CATEGORIES = 3                       # loi 47-1775, art. 19 septies
OUTSIDE_CATEGORIES = (AssociateCategory.COOPERATIVE_OUTSIDE, AssociateCategory.OUTSIDE)


def legal_minimum_capital(legal_form: str) -> Decimal:
    return LEGAL_MINIMUM_CAPITAL.get(legal_form, ZERO)


def money(value: Decimal) -> str:
    return f"{fr_number(value)} €"


# --- the fold --------------------------------------------------------------------------------

@dataclass
class Position:
    """One holder's position at a date. `votes` is 1 for an associate holding shares: in a
    cooperative each associate has one vote whatever its shares (loi 47-1775, art. 9)."""

    holder_id: int
    shares: int = 0
    unpaid: Decimal = ZERO
    nominal: Decimal = ZERO

    @property
    def amount(self) -> Decimal:
        return self.shares * self.nominal

    @property
    def paid(self) -> Decimal:
        return self.amount - self.unpaid

    @property
    def votes(self) -> int:
        return 1 if self.shares > 0 else 0


@dataclass
class RegisterState:
    """The register folded up to a date: positions, capital, highest capital, unpaid tranches."""

    nominal: Decimal
    day: datetime.date | None = None
    total_shares: int = 0
    highest_capital: Decimal = ZERO
    positions: dict[int, Position] = field(default_factory=dict)
    # holder id → [subscription date, unpaid still due] oldest first (for the deadline warning)
    tranches: dict[int, list[list]] = field(default_factory=lambda: defaultdict(list))

    @property
    def capital(self) -> Decimal:
        return self.total_shares * self.nominal

    def position(self, holder_id: int) -> Position:
        if holder_id not in self.positions:
            self.positions[holder_id] = Position(holder_id, nominal=self.nominal)
        return self.positions[holder_id]


def _effects(m) -> tuple[list[tuple[int, int, Decimal]], int, Decimal | None]:
    """What a movement does: [(holder id, Δshares, Δunpaid)], Δ total shares, new nominal or None.

    `m` is a ShareMovement or any object with its fields (kind, reverses, holder_id,
    counterparty_id, shares, amount, paid, nominal)."""
    kind = m.reverses if m.kind == MovementKind.CANCELLATION else m.kind
    unpaid = m.amount - m.paid
    if kind == MovementKind.SUBSCRIPTION:
        effects, total, nominal = [(m.holder_id, m.shares, unpaid)], m.shares, None
    elif kind == MovementKind.RELEASE:
        effects, total, nominal = [(m.holder_id, 0, -m.amount)], 0, None
    elif kind == MovementKind.TRANSFER:
        effects, total, nominal = [(m.holder_id, -m.shares, -unpaid), (m.counterparty_id, m.shares, unpaid)], 0, None
    elif kind == MovementKind.REDEMPTION:
        effects, total, nominal = [(m.holder_id, -m.shares, -unpaid)], -m.shares, None
    else:  # change of nominal value; its cancellation carries the nominal it restores
        return [], 0, m.nominal
    if m.kind == MovementKind.CANCELLATION:
        effects = [(h, -s, -u) for h, s, u in effects]
        total = -total
    return effects, total, nominal


def _apply(state: RegisterState, m) -> None:
    effects, total, nominal = _effects(m)
    if nominal is not None:
        state.nominal = nominal
        for p in state.positions.values():
            p.nominal = nominal
    state.total_shares += total
    for holder_id, shares, unpaid in effects:
        p = state.position(holder_id)
        p.shares += shares
        p.unpaid += unpaid
        tranches = state.tranches[holder_id]
        if unpaid > 0:
            tranches.append([m.effective_date, unpaid])
        elif unpaid < 0:  # paid up or moved away: the oldest unpaid tranches first
            left = -unpaid
            while left > 0 and tranches:
                take = min(left, tranches[0][1])
                tranches[0][1] -= take
                left -= take
                if tranches[0][1] == 0:
                    tranches.pop(0)
    state.day = m.effective_date
    state.highest_capital = max(state.highest_capital, state.capital)


def register_fold(issuer: ShareIssuer, movements: Iterable, *, until: datetime.date | None = None) -> RegisterState:
    """The register folded over `movements` (in register order), up to `until` included."""
    state = RegisterState(nominal=issuer.initial_nominal)
    for m in movements:
        if until is not None and m.effective_date > until:
            break
        _apply(state, m)
    if until is not None:
        state.day = until
    return state


FOLD_FIELDS = ("number", "kind", "reverses", "effective_date", "holder_id", "counterparty_id", "shares", "amount",
               "paid", "nominal")


def issuer_movements(issuer: ShareIssuer, *, until: datetime.date | None = None) -> list:
    """The issuer's movements in register order as light rows holding only the fields the
    fold reads (one query; no model instances to build)."""
    qs = ShareMovement.objects.filter(workspace_id=issuer.workspace_id, issuer=issuer)
    if until is not None:
        qs = qs.filter(effective_date__lte=until)
    return list(qs.order_by("number").values_list(*FOLD_FIELDS, named=True))


def register_at(issuer: ShareIssuer, day: datetime.date) -> RegisterState:
    return register_fold(issuer, issuer_movements(issuer, until=day), until=day)


# --- checks that refuse ----------------------------------------------------------------------

def _check_movement_after(issuer: ShareIssuer, before: RegisterState, after: RegisterState, m) -> None:
    """The rules a movement must keep, given the register just before and just after it."""
    day = m.effective_date
    for holder_id, p in after.positions.items():
        if p.shares < 0:
            raise ValidationError({"shares": _(
                "On %(date)s the holder would hold %(held)s shares: nobody can give up more shares than they "
                "hold at that date (%(had)s held).") % {
                "date": day.strftime("%d/%m/%Y"), "held": p.shares,
                "had": before.positions.get(holder_id, Position(holder_id)).shares}})
        if p.unpaid < 0:
            raise ValidationError({"amount": _(
                "On %(date)s the holder has only %(unpaid)s of unpaid capital left to pay up.") % {
                "date": day.strftime("%d/%m/%Y"),
                "unpaid": money(before.positions.get(holder_id, Position(holder_id)).unpaid)}})
    if after.capital < before.capital:
        # The floor: a quarter of the highest capital ever reached (loi 47-1775, art. 13).
        floor = (before.highest_capital * FLOOR_FRACTION).quantize(CENT, rounding=ROUND_HALF_UP)
        if after.capital < floor:
            raise ValidationError(_(
                "This movement would take the capital to %(capital)s on %(date)s, below the floor of %(floor)s: "
                "a quarter of the highest capital ever reached (%(highest)s) (loi n° 47-1775, art. 13).") % {
                "capital": money(after.capital), "date": day.strftime("%d/%m/%Y"), "floor": money(floor),
                "highest": money(before.highest_capital)})
        minimum = legal_minimum_capital(issuer.legal_form)
        if after.capital < minimum:
            raise ValidationError(_(
                "This movement would take the capital to %(capital)s on %(date)s, below the legal minimum of "
                "%(minimum)s for a %(form)s.") % {
                "capital": money(after.capital), "date": day.strftime("%d/%m/%Y"), "minimum": money(minimum),
                "form": issuer.get_legal_form_display()})


def _nominal_at(issuer: ShareIssuer, movements: list, day: datetime.date) -> Decimal:
    nominal = issuer.initial_nominal
    for m in movements:
        if m.effective_date > day:
            break
        changed = _effects(m)[2]
        if changed is not None:
            nominal = changed
    return nominal


def _check_dates(issuer: ShareIssuer, movements: list, day: datetime.date, *, today: datetime.date) -> None:
    if day < issuer.created_on:
        raise ValidationError({"effective_date": _(
            "%(issuer)s was created on %(created)s: no movement can be dated before.") % {
            "issuer": issuer.workspace.name, "created": issuer.created_on.strftime("%d/%m/%Y")}})
    latest = today + datetime.timedelta(days=issuer.future_days_allowed)
    if day > latest:
        raise ValidationError({"effective_date": _(
            "A movement can be dated %(days)s days ahead at most (until %(latest)s).") % {
            "days": issuer.future_days_allowed, "latest": latest.strftime("%d/%m/%Y")}})
    if movements and day < movements[-1].effective_date:
        # The register is chronological: numbers follow dates, so positions at a date are exact.
        raise ValidationError({"effective_date": _(
            "The register is chronological: its last movement (n° %(number)s) is dated %(date)s. Date this one "
            "on that day or later.") % {"number": movements[-1].number,
                                          "date": movements[-1].effective_date.strftime("%d/%m/%Y")}})


def _check_shape(issuer: ShareIssuer, m: ShareMovement, nominal: Decimal) -> None:
    """Rules on the movement alone: counts, amounts, the statutory minimum, the paid-up quarter."""
    if not isinstance(m.shares, int) or m.shares < 0:
        raise ValidationError({"shares": _("The number of shares is a whole number, zero or more.")})
    if m.amount is None or m.amount < 0 or m.paid is None or m.paid < 0:
        raise ValidationError({"amount": _("Amounts cannot be negative.")})
    if m.kind in (MovementKind.SUBSCRIPTION, MovementKind.TRANSFER, MovementKind.REDEMPTION):
        if m.shares <= 0:
            raise ValidationError({"shares": _("A subscription, a transfer or a redemption concerns at least one "
                                               "share.")})
        expected = m.shares * nominal
        if m.amount != expected:
            raise ValidationError({"amount": _(
                "The amount must be the shares times the nominal value: %(shares)s × %(nominal)s = %(expected)s, "
                "not %(amount)s.") % {"shares": m.shares, "nominal": money(nominal), "expected": money(expected),
                                      "amount": money(m.amount)}})
    if m.kind == MovementKind.SUBSCRIPTION:
        if m.shares < issuer.minimum_subscription:
            raise ValidationError({"shares": _(
                "The statutes require a subscription of at least %(minimum)s shares.") % {
                "minimum": issuer.minimum_subscription}})
        least = (m.amount * MIN_PAID_AT_SUBSCRIPTION).quantize(CENT, rounding=ROUND_HALF_UP)
        if m.paid < least or m.paid > m.amount:
            raise ValidationError({"paid": _(
                "At subscription at least a quarter of the amount is paid up: between %(least)s and %(amount)s.") % {
                "least": money(least), "amount": money(m.amount)}})
    if m.kind == MovementKind.RELEASE:
        if m.shares != 0 or m.amount <= 0:
            raise ValidationError({"amount": _("A release pays up an amount of unpaid capital; it moves no share.")})
        m.paid = m.amount
    if m.kind == MovementKind.TRANSFER:
        if m.counterparty_id is None:
            raise ValidationError({"counterparty": _("A transfer needs the holder who receives the shares.")})
        if m.counterparty_id == m.holder_id:
            raise ValidationError({"counterparty": _("A holder cannot transfer shares to itself.")})
    elif m.counterparty_id is not None:
        raise ValidationError({"counterparty": _("Only a transfer has a receiving holder.")})
    if m.kind == MovementKind.NOMINAL_CHANGE:
        if m.nominal is None or m.nominal <= 0:
            raise ValidationError({"nominal": _("The new nominal value must be more than zero.")})
        if m.nominal == nominal:
            raise ValidationError({"nominal": _("The nominal value is already %(nominal)s.") % {
                "nominal": money(nominal)}})
        if m.holder_id is not None or m.shares:
            raise ValidationError(_("A change of nominal value concerns every share, not one holder."))
    elif m.holder_id is None:
        raise ValidationError({"holder": _("Choose the holder.")})


def _check_history(issuer: ShareIssuer, history: list, new: ShareMovement) -> RegisterState:
    """Fold the history, then check `new` against the register just before it; return the state after."""
    before = register_fold(issuer, history)
    after = register_fold(issuer, [*history, new])
    _check_movement_after(issuer, before, after, new)
    return after


# --- writes ----------------------------------------------------------------------------------

ISSUER_FIELDS = ["legal_form", "created_on", "initial_nominal", "minimum_subscription", "unpaid_deadline_years",
                 "future_days_allowed"]


@transaction.atomic
def issuer_save(*, actor, workspace: Workspace, legal_form: str, created_on: datetime.date, initial_nominal: Decimal,
                minimum_subscription: int = 1, unpaid_deadline_years: int = 5,
                future_days_allowed: int = 0) -> ShareIssuer:
    """Create or update a workspace's issuer settings. Once the register has movements, the
    date of creation and the initial nominal value are fixed (a change of nominal is a movement)."""
    if initial_nominal is None or initial_nominal <= 0:
        raise ValidationError({"initial_nominal": _("The nominal value must be more than zero.")})
    if unpaid_deadline_years > MAX_UNPAID_YEARS:
        raise ValidationError({"unpaid_deadline_years": _("Subscribed capital is paid up within five years at most.")})
    if minimum_subscription < 1:
        raise ValidationError({"minimum_subscription": _("The statutory minimum is at least one share.")})
    issuer = ShareIssuer.objects.select_for_update().filter(workspace=workspace).first()
    before = {f: getattr(issuer, f) for f in ISSUER_FIELDS} if issuer else {}
    if issuer is None:
        issuer = ShareIssuer(workspace=workspace)
    elif issuer.last_number and (created_on != issuer.created_on or initial_nominal != issuer.initial_nominal):
        raise ValidationError(_("The register already has movements: its date of creation and initial nominal value "
                                "can no longer change (record a change of nominal value instead)."))
    for name, value in (("legal_form", legal_form), ("created_on", created_on), ("initial_nominal", initial_nominal),
                        ("minimum_subscription", minimum_subscription),
                        ("unpaid_deadline_years", unpaid_deadline_years),
                        ("future_days_allowed", future_days_allowed)):
        setattr(issuer, name, value)
    issuer.full_clean(exclude=["workspace"])
    issuer.save()
    audit_record(actor=actor, workspace=workspace, action="shares.issuer_save", obj=issuer,
                 changes={f: [before.get(f), getattr(issuer, f)] for f in ISSUER_FIELDS if before.get(f) != getattr(issuer, f)})
    return issuer


@transaction.atomic
def college_save(*, actor, issuer: ShareIssuer, name: str, weight: Decimal, college: College | None = None) -> College:
    if not issuer.is_scic:
        raise ValidationError(_("Only a SCIC has colleges of associates."))
    if weight is None or not ZERO < weight <= 100:
        raise ValidationError({"weight": _("A college's weight is a percentage above 0 and at most 100.")})
    name = (name or "").strip()
    if not name:
        raise ValidationError({"name": _("Name the college.")})
    college = college or College(workspace_id=issuer.workspace_id, issuer=issuer)
    if College.objects.filter(issuer=issuer, name__iexact=name).exclude(pk=college.pk).exists():
        raise ValidationError({"name": _("This issuer already has a college of that name.")})
    college.name, college.weight = name, weight
    college.save()
    audit_record(actor=actor, workspace=issuer.workspace, action="shares.college_save", obj=college,
                 changes={"name": name, "weight": weight})
    return college


@transaction.atomic
def holder_create(*, actor, issuer: ShareIssuer, category: str, holder_workspace: Workspace | None = None,
                  entrepreneur: Entrepreneur | None = None, name: str = "", email: str = "", address: str = "",
                  college: College | None = None) -> ShareHolder:
    """Add an associate to an issuer's register: an organisation (a workspace), an entrepreneur
    of the issuer or of its origin CAE, or an outside person named here."""
    if category not in AssociateCategory.values:
        raise ValidationError({"category": _("Choose the category of associate.")})
    if holder_workspace is not None and entrepreneur is not None:
        raise ValidationError(_("A holder is either an organisation or a person, not both."))
    if holder_workspace is not None:
        if holder_workspace.pk == issuer.workspace_id:
            raise ValidationError({"holder_workspace": _("A company cannot be an associate of itself.")})
        if ShareHolder.objects.filter(issuer=issuer, holder_workspace=holder_workspace).exists():
            raise ValidationError({"holder_workspace": _("This organisation is already in the register.")})
        name = holder_workspace.name
        email = email or holder_workspace.email
    elif entrepreneur is not None:
        allowed = {issuer.workspace_id, issuer.workspace.origin_id}
        if entrepreneur.workspace_id not in allowed:
            raise ValidationError({"entrepreneur": _("Choose an entrepreneur of this company or of its origin CAE.")})
        if ShareHolder.objects.filter(issuer=issuer, entrepreneur=entrepreneur).exists():
            raise ValidationError({"entrepreneur": _("This entrepreneur is already in the register.")})
        name = f"{entrepreneur.first_name} {entrepreneur.last_name}"
        email = email or entrepreneur.email
    elif not (name or "").strip():
        raise ValidationError({"name": _("Name the outside person, or choose an organisation or an entrepreneur.")})
    if issuer.is_scic and college is None and issuer.colleges.exists():
        raise ValidationError({"college": _("In this SCIC every associate belongs to a college.")})
    if college is not None and college.issuer_id != issuer.pk:
        raise ValidationError({"college": _("Choose one of this issuer's colleges.")})
    holder = ShareHolder.objects.create(
        workspace_id=issuer.workspace_id, issuer=issuer, holder_workspace=holder_workspace, entrepreneur=entrepreneur,
        name=name.strip()[:200], email=email, address=address, category=category, college=college)
    audit_record(actor=actor, workspace=issuer.workspace, action="shares.holder_create", obj=holder,
                 changes={"category": category, "college": str(college) if college else None})
    return holder


def _lock_issuer(issuer: ShareIssuer) -> ShareIssuer:
    """Lock the issuer's row for the transaction: movements of one issuer are written one at a
    time, so the number counter has no gap and every check sees the whole register."""
    return ShareIssuer.objects.select_for_update().select_related("workspace").get(pk=issuer.pk)


def _write(*, actor, issuer: ShareIssuer, movement: ShareMovement, history: list, after: RegisterState,
           action: str) -> ShareMovement:
    issuer.last_number += 1
    issuer.highest_capital = after.highest_capital
    issuer.save(update_fields=["last_number", "highest_capital", "updated_at"])
    movement.number = issuer.last_number
    movement.recorded_by = actor if getattr(actor, "is_authenticated", False) else None
    movement.save()
    audit_record(actor=actor, workspace=issuer.workspace, action=action, obj=movement, changes={
        "kind": movement.kind, "date": movement.effective_date, "shares": movement.shares,
        "amount": movement.amount, "holder": str(movement.holder) if movement.holder_id else None})
    return movement


@transaction.atomic
def movement_record(*, actor, issuer: ShareIssuer, kind: str, effective_date: datetime.date,
                    holder: ShareHolder | None = None, shares: int = 0, amount: Decimal | None = None,
                    paid: Decimal | None = None, counterparty: ShareHolder | None = None,
                    nominal: Decimal | None = None, decision: str = "", document: Document | None = None,
                    note: str = "", today: datetime.date | None = None) -> ShareMovement:
    """Write one movement in `issuer`'s register, or refuse it with a French message and write nothing.

    Subscription: `shares`, `amount` (= shares × nominal) and `paid` (≥ a quarter). Release:
    `amount` paid up. Transfer: `shares` to `counterparty`, the unpaid part follows the shares
    pro rata. Redemption: `shares` bought back. Change of nominal: `nominal`, the new value."""
    if kind not in MovementKind.values or kind == MovementKind.CANCELLATION:
        raise ValidationError({"kind": _("Choose the kind of movement.")})
    for other in (holder, counterparty):
        if other is not None and other.issuer_id != issuer.pk:
            raise ValidationError(_("This holder is not in this issuer's register."))
    if document is not None and document.workspace_id != issuer.workspace_id:
        raise ValidationError({"document": _("Attach a document of the issuer's workspace.")})
    issuer = _lock_issuer(issuer)
    history = list(issuer_movements(issuer))
    _check_dates(issuer, history, effective_date, today=today or timezone.localdate())
    current_nominal = _nominal_at(issuer, history, effective_date)
    movement = ShareMovement(
        workspace_id=issuer.workspace_id, issuer=issuer, kind=kind, effective_date=effective_date,
        holder=holder, counterparty=counterparty, shares=shares, decision=decision.strip(), document=document,
        note=note.strip(), nominal=nominal if kind == MovementKind.NOMINAL_CHANGE else current_nominal,
        amount=amount if amount is not None else ZERO, paid=paid if paid is not None else ZERO)
    if kind == MovementKind.NOMINAL_CHANGE:
        _check_shape(issuer, movement, current_nominal)
        state = register_fold(issuer, history)
        movement.shares = 0
        movement.amount = state.total_shares * movement.nominal  # the capital after the change
        movement.paid = ZERO
    else:
        _check_shape(issuer, movement, current_nominal)
    if kind in (MovementKind.TRANSFER, MovementKind.REDEMPTION):
        # The shares leave with their unpaid part, pro rata of the holder's shares at that date.
        position = register_fold(issuer, history).positions.get(holder.pk, Position(holder.pk))
        if movement.shares > position.shares:
            raise ValidationError({"shares": _(
                "On %(date)s %(holder)s holds %(held)s shares: it cannot give up %(shares)s.") % {
                "date": effective_date.strftime("%d/%m/%Y"), "holder": holder.name, "held": position.shares,
                "shares": movement.shares}})
        unpaid = (position.unpaid * movement.shares / position.shares).quantize(CENT, rounding=ROUND_HALF_UP)
        movement.paid = movement.amount - unpaid
    after = _check_history(issuer, history, movement)
    return _write(actor=actor, issuer=issuer, movement=movement, history=history, after=after,
                  action=f"shares.{kind}")


@transaction.atomic
def movement_cancel(*, actor, issuer: ShareIssuer, movement: ShareMovement, effective_date: datetime.date,
                    decision: str = "", note: str = "", today: datetime.date | None = None) -> ShareMovement:
    """Cancel a wrongly entered movement by a counter-movement (never an edit): same holder,
    shares and amounts, opposite effects, dated `effective_date` (in the register's order)."""
    if movement.issuer_id != issuer.pk:
        raise ValidationError(_("This movement is not in this issuer's register."))
    issuer = _lock_issuer(issuer)
    if movement.kind == MovementKind.CANCELLATION:
        raise ValidationError(_("A cancellation cannot itself be cancelled: record the movement again."))
    if ShareMovement.objects.filter(issuer=issuer, cancels=movement).exists():
        raise ValidationError(_("This movement is already cancelled."))
    history = list(issuer_movements(issuer))
    _check_dates(issuer, history, effective_date, today=today or timezone.localdate())
    counter = ShareMovement(
        workspace_id=issuer.workspace_id, issuer=issuer, kind=MovementKind.CANCELLATION, reverses=movement.kind,
        cancels=movement, effective_date=effective_date, holder_id=movement.holder_id,
        counterparty_id=movement.counterparty_id, shares=movement.shares, amount=movement.amount, paid=movement.paid,
        nominal=movement.nominal, decision=decision.strip(), note=note.strip())
    if movement.kind == MovementKind.NOMINAL_CHANGE:
        if any(m.kind == MovementKind.NOMINAL_CHANGE and m.number > movement.number for m in history):
            raise ValidationError(_("A later change of nominal value exists: cancel it first."))
        counter.nominal = _nominal_at(issuer, [m for m in history if m.number < movement.number],
                                      movement.effective_date)
        counter.amount = register_fold(issuer, history).total_shares * counter.nominal
    after = _check_history(issuer, history, counter)
    return _write(actor=actor, issuer=issuer, movement=counter, history=history, after=after,
                  action="shares.cancellation")


# --- warnings (shown with figures on the issuer's page) ---------------------------------------

@dataclass(frozen=True)
class Warning:
    message: str
    source: str


def _pct(part, whole) -> Decimal:
    if not whole:
        return ZERO
    return (Decimal(part) * 100 / Decimal(whole)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def college_weights(issuer: ShareIssuer, colleges: list[College], state: RegisterState,
                    holders: dict[int, ShareHolder]) -> dict[int, Decimal]:
    """Each college's effective share of the votes (%): its statutory weight, spread over the
    colleges that have at least one associate (loi 47-1775, art. 19 octies)."""
    populated = {holders[hid].college_id for hid, p in state.positions.items()
                 if p.shares > 0 and hid in holders and holders[hid].college_id}
    total = sum((c.weight for c in colleges if c.pk in populated), ZERO)
    return {c.pk: (c.weight * 100 / total).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP) if total and c.pk in
            populated else ZERO for c in colleges}


def register_warnings(issuer: ShareIssuer, state: RegisterState, holders: dict[int, ShareHolder],
                      colleges: list[College]) -> list[Warning]:
    """The thresholds the register breaks at `state.day`, each with its figures and its source."""
    out: list[Warning] = []
    active = [(holders[hid], p) for hid, p in state.positions.items() if p.shares > 0 and hid in holders]
    votes = sum(p.votes for _h, p in active)
    capital = sum((p.amount for _h, p in active), ZERO)
    if not issuer.is_scic and votes:
        # Art. 3 bis does not fit a SCIC's multi-stakeholder categories: the colleges rules apply there.
        outside = sum(p.votes for h, p in active if h.category in OUTSIDE_CATEGORIES)
        non_coop = sum(p.votes for h, p in active if h.category == AssociateCategory.OUTSIDE)
        if _pct(outside, votes) > OUTSIDE_VOTES_CAP:
            out.append(Warning(_("Outside associates hold %(pct)s %% of the votes (%(n)s of %(total)s), above 49 %%.")
                               % {"pct": fr_number(_pct(outside, votes), 1), "n": outside, "total": votes},
                               "loi n° 47-1775, art. 3 bis"))
        if _pct(non_coop, votes) > NON_COOP_OUTSIDE_VOTES_CAP:
            out.append(Warning(_("Outside associates that are not cooperatives hold %(pct)s %% of the votes "
                                 "(%(n)s of %(total)s), above 35 %%.")
                               % {"pct": fr_number(_pct(non_coop, votes), 1), "n": non_coop, "total": votes},
                               "loi n° 47-1775, art. 3 bis"))
    if issuer.is_scop and votes:
        employees = [(h, p) for h, p in active if h.category == AssociateCategory.EMPLOYEE]
        cap_pct = _pct(sum((p.amount for _h, p in employees), ZERO), capital)
        vote_pct = _pct(sum(p.votes for _h, p in employees), votes)
        if cap_pct < SCOP_EMPLOYEE_CAPITAL_MIN:
            out.append(Warning(_("Employee associates hold %(pct)s %% of the capital, below 51 %%.")
                               % {"pct": fr_number(cap_pct, 1)}, "loi n° 78-763, art. 5"))
        if vote_pct < SCOP_EMPLOYEE_VOTES_MIN:
            out.append(Warning(_("Employee associates hold %(pct)s %% of the votes, below 65 %%.")
                               % {"pct": fr_number(vote_pct, 1)}, "loi n° 78-763, art. 5"))
    if issuer.is_scic and active:
        categories = {h.category for h, _p in active}
        if len(categories) < SCIC_MIN_CATEGORIES:
            out.append(Warning(_("The SCIC has %(n)s categories of associates; it needs at least three.")
                               % {"n": len(categories)}, "loi n° 47-1775, art. 19 septies"))
        for college in colleges:
            weight = college_weights(issuer, colleges, state, holders).get(college.pk, ZERO)
            if weight > SCIC_COLLEGE_MAX:
                out.append(Warning(_("The college %(college)s weighs %(pct)s %% of the votes, above 50 %%.")
                                   % {"college": college.name, "pct": fr_number(weight, 1)},
                                   "loi n° 47-1775, art. 19 octies"))
    if state.day is not None:
        limit = _years_before(state.day, issuer.unpaid_deadline_years)
        for hid, tranches in state.tranches.items():
            late = sum((t[1] for t in tranches if t[0] < limit), ZERO)
            if late > 0 and hid in holders:
                out.append(Warning(_("%(holder)s still owes %(amount)s subscribed more than %(years)s years ago.")
                                   % {"holder": holders[hid].name, "amount": money(late),
                                      "years": issuer.unpaid_deadline_years},
                                   _("statutes; five years at most")))
    return out


def _years_before(day: datetime.date, years: int) -> datetime.date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)
