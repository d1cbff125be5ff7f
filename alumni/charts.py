"""Server-rendered SVG bar charts (no JavaScript, no CDN): escaped labels, Decimal values."""

from __future__ import annotations

from decimal import Decimal

from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString

from backoffice.templatetags.money import format_money

WIDTH, HEIGHT, PAD = 640, 220, 30


def bar_chart(*, title: str, labels: list[str], series: list[tuple[str, str, list[Decimal]]]) -> SafeString:
    """Grouped bars: `series` is [(name, css colour, values)], one value per label."""
    top = max((v for _n, _c, values in series for v in values), default=Decimal("0")) or Decimal("1")
    n = max(len(labels), 1)
    slot = (WIDTH - 2 * PAD) / n
    bar = slot * 0.8 / max(len(series), 1)
    bars = []
    for i, label in enumerate(labels):
        for j, (name, colour, values) in enumerate(series):
            value = values[i]
            h = float(value / top) * (HEIGHT - 2 * PAD)
            x = PAD + i * slot + slot * 0.1 + j * bar
            bars.append((f"{x:.1f}", f"{HEIGHT - PAD - h:.1f}", f"{bar:.1f}", f"{h:.1f}", colour,
                         f"{label} · {name} : {format_money(value)}"))
    rects = format_html_join("", '<rect x="{}" y="{}" width="{}" height="{}" fill="{}"><title>{}</title></rect>', bars)
    ticks = format_html_join("", '<text x="{}" y="{}" font-size="10" text-anchor="middle">{}</text>',
                             ((f"{PAD + i * slot + slot / 2:.1f}", HEIGHT - PAD + 14, label)
                              for i, label in enumerate(labels)))
    legend = format_html_join("", '<rect x="{}" y="4" width="10" height="10" fill="{}"></rect>'
                                  '<text x="{}" y="13" font-size="11">{}</text>',
                              ((PAD + k * 150, colour, PAD + k * 150 + 14, name)
                               for k, (name, colour, _v) in enumerate(series)))
    return format_html(
        '<svg class="chart" role="img" viewBox="0 0 {} {}" width="100%" aria-label="{}">'
        '<line x1="{}" y1="{}" x2="{}" y2="{}" stroke="#999"></line>{}{}{}'
        '<text x="{}" y="{}" font-size="10" text-anchor="end">{}</text></svg>',
        WIDTH, HEIGHT, title, PAD, HEIGHT - PAD, WIDTH - PAD, HEIGHT - PAD, rects, ticks, legend,
        WIDTH - PAD, PAD - 4, format_money(top))
