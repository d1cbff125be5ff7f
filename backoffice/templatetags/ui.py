"""Look of the screens: vendored icons and status badges (one colour per status everywhere).

    {% load ui %}
    {% icon "house" %}                    an inline SVG from the vendored Lucide sprite
    {% status_badge period "stage" %}     the field's label in the colour registered for its value
    {% tone_badge "danger" _("overdue") %} a badge of an explicit tone
"""

from __future__ import annotations

from django import template
from django.templatetags.static import static
from django.utils.html import format_html

from backoffice.interface import TONES, tone_of

register = template.Library()

SPRITE = "vendor/lucide-1.62.0/sprite.svg"


@register.simple_tag
def icon(name: str, label: str = "") -> str:
    """A sprite icon; decorative (aria-hidden) unless `label` names it."""
    href = f"{static(SPRITE)}#{name}"
    if label:
        return format_html('<svg class="icon" role="img" aria-label="{}"><use href="{}"></use></svg>', label, href)
    return format_html('<svg class="icon" aria-hidden="true" focusable="false"><use href="{}"></use></svg>', href)


@register.simple_tag
def status_badge(obj, field_name: str) -> str:
    value = getattr(obj, field_name)
    label = getattr(obj, f"get_{field_name}_display")()
    tone = tone_of(f"{obj._meta.label}.{field_name}", value)
    return format_html('<span class="badge tone-{}">{}</span>', tone, label)


@register.simple_tag
def tone_badge(tone: str, label: str) -> str:
    if tone not in TONES:
        raise template.TemplateSyntaxError(f"unknown tone {tone!r}")
    return format_html('<span class="badge tone-{}">{}</span>', tone, label)


@register.filter
def tone(obj, field_name: str) -> str:
    """The tone of a status as a class suffix: <tr class="tone-{{ d|tone:'status' }}">."""
    return tone_of(f"{obj._meta.label}.{field_name}", getattr(obj, field_name))
