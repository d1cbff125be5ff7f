"""Documents of the share registers: certificate, register extract (PDF, xlsx), yearly
statement, and the server-rendered SVG charts (no script, no CDN). Reads only: the figures
come from the register fold in alumni/services/shares.py."""

from __future__ import annotations

import datetime
import io
from decimal import Decimal

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font

from alumni.models import ShareHolder
from alumni.services.shares import Position
from backoffice.pdf import fr_number, render_pdf


def certificate_pdf(holder: ShareHolder, position: Position, day: datetime.date) -> bytes:
    """The share certificate of `holder` at `day` (attestation de détention de parts sociales)."""
    return render_pdf("alumni/shares/certificate_pdf.html", {
        "holder": holder, "issuer": holder.issuer, "position": position, "day": day}, language="fr")


def register_pdf(page) -> bytes:
    return render_pdf("alumni/shares/register_pdf.html", {"page": page, "issuer": page.issuer, "day": page.day},
                      language="fr")


def statement_pdf(workspace, rows: list, day: datetime.date) -> bytes:
    return render_pdf("alumni/shares/statement_pdf.html", {"workspace": workspace, "rows": rows, "day": day,
                                                           "year": day.year}, language="fr")


def _safe_text(value) -> str:
    """A cell never starts a formula (a holder's name typed as "=HYPERLINK(…)")."""
    text = str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def register_xlsx(page) -> bytes:
    """The register at `page.day`: the movements sheet and the positions sheet."""
    wb = Workbook()
    ws = wb.active
    ws.title = _("Movements")[:31]
    ws.append([_("Register of shares of %(issuer)s at %(date)s") % {
        "issuer": _safe_text(page.issuer.workspace.name), "date": page.day.strftime("%d/%m/%Y")}])
    ws["A1"].font = Font(bold=True)
    header = [_("No."), _("Date"), _("Kind"), _("Holder"), _("Transferee"), _("Shares"), _("Nominal value"),
              _("Amount"), _("Paid up"), _("Decision reference")]
    ws.append(header)
    for m in page.movements:
        ws.append([m.number, m.effective_date, _safe_text(m.get_kind_display()),
                   _safe_text(m.holder.name if m.holder_id else ""),
                   _safe_text(m.counterparty.name if m.counterparty_id else ""), m.shares, m.nominal, m.amount,
                   m.paid, _safe_text(m.decision)])
    for row in ws.iter_rows(min_row=3, min_col=2, max_col=2):
        for cell in row:
            cell.number_format = "DD/MM/YYYY"
    pos = wb.create_sheet(_("Positions")[:31])
    pos.append([_("Holder"), _("Category of associate"), _("College"), _("Shares"), _("Capital"), _("Paid up"),
                _("Unpaid"), _("Votes")])
    for holder, p in page.lines:
        pos.append([_safe_text(holder.name), _safe_text(holder.get_category_display()),
                    _safe_text(holder.college.name if holder.college_id else ""), p.shares, p.amount, p.paid,
                    p.unpaid, p.votes])
    pos.append([_("Total"), "", "", page.state.total_shares, page.state.capital, "", "", ""])
    for sheet in (ws, pos):
        for row in sheet.iter_rows():
            for cell in row:
                if isinstance(cell.value, Decimal):
                    cell.number_format = "#,##0.00"
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


# --- charts -----------------------------------------------------------------------------------

def capital_chart_svg(points: list[tuple[datetime.date, Decimal]], width: int = 640, height: int = 200) -> SafeString:
    """A step line of the capital over time; every text is escaped, every number computed here."""
    if not points:
        return mark_safe("")
    pad_l, pad_b, pad_t, pad_r = 70, 24, 10, 10
    first, last = points[0][0], points[-1][0]
    span = max((last - first).days, 1)
    top = max(max(v for _d, v in points), Decimal("1"))
    w, h = width - pad_l - pad_r, height - pad_t - pad_b

    def x(day):
        return pad_l + w * (day - first).days / span

    def y(value):
        return pad_t + h - float(h * value / top)

    path, prev = [], None
    for day, value in points:
        if prev is None:
            path.append(f"M{x(day):.1f},{y(value):.1f}")
        else:
            path.append(f"H{x(day):.1f}V{y(value):.1f}")
        prev = value
    path.append(f"H{pad_l + w:.1f}")
    label = escape(_("Capital over time"))
    return mark_safe(
        f'<svg class="chart" role="img" aria-label="{label}" viewBox="0 0 {width} {height}" '
        f'xmlns="http://www.w3.org/2000/svg"><title>{label}</title>'
        f'<line x1="{pad_l}" y1="{pad_t + h}" x2="{pad_l + w}" y2="{pad_t + h}" stroke="#999"/>'
        f'<line x1="{pad_l}" y1="{pad_t}" x2="{pad_l}" y2="{pad_t + h}" stroke="#999"/>'
        f'<text x="{pad_l - 4}" y="{pad_t + 8}" text-anchor="end" font-size="10">{escape(fr_number(top, 0))} €</text>'
        f'<text x="{pad_l - 4}" y="{pad_t + h}" text-anchor="end" font-size="10">0</text>'
        f'<text x="{pad_l}" y="{height - 6}" font-size="10">{first.strftime("%d/%m/%Y")}</text>'
        f'<text x="{pad_l + w}" y="{height - 6}" text-anchor="end" font-size="10">{last.strftime("%d/%m/%Y")}</text>'
        f'<path d="{"".join(path)}" fill="none" stroke="#1f6f8b" stroke-width="2"/></svg>')


COLOURS = ("#1f6f8b", "#e07a5f", "#81b29a", "#f2cc8f", "#6d597a")


def category_chart_svg(page, width: int = 640, bar: int = 22) -> SafeString:
    """Horizontal bars: associates and capital by category of associate at the page's date."""
    counts: dict[str, list] = {}
    for holder, p in page.lines:
        if p.shares <= 0:
            continue
        row = counts.setdefault(holder.get_category_display(), [0, Decimal("0")])
        row[0] += 1
        row[1] += p.amount
    if not counts:
        return mark_safe("")
    most = max(n for n, _a in counts.values())
    label = escape(_("Associates by category"))
    parts = [f'<svg class="chart" role="img" aria-label="{label}" viewBox="0 0 {width} {len(counts) * (bar + 8) + 8}" '
             f'xmlns="http://www.w3.org/2000/svg"><title>{label}</title>']
    for i, (name, (n, amount)) in enumerate(sorted(counts.items())):
        y = 4 + i * (bar + 8)
        length = 300 * n / most
        parts.append(f'<text x="0" y="{y + bar * 0.7:.0f}" font-size="11">{escape(name)}</text>'
                     f'<rect x="250" y="{y}" width="{length:.1f}" height="{bar}" fill="{COLOURS[i % len(COLOURS)]}"/>'
                     f'<text x="{255 + length:.1f}" y="{y + bar * 0.7:.0f}" font-size="11">'
                     f'{n} · {escape(fr_number(amount))} €</text>')
    parts.append("</svg>")
    return mark_safe("".join(parts))
