"""What the screens show, as registries each app extends from its own `<app>/ui.py`.

Three registries, filled at start-up (`BackofficeConfig.ready` imports every installed app's
`ui` module by name, so backoffice never imports a business app):

- **menus**: `register_nav(NavGroup(...))`. A group is one menu of the header: in the staff
  bar (`area="staff"`, URLs without arguments) or in the workspace bar (`area="workspace"`,
  URLs reversed with the workspace's slug). A group whose actor may see one item only is a
  plain link; with several it is a drop-down. `order` places it (backoffice uses 0-19 and 90+;
  payroll 20, training 30, alumni 40, invoicing 50).
- **status colours**: `register_tones("payroll.PayrollPeriod.stage", {"computed": "progress", ...})`;
  templates show any status with `{% status_badge obj "stage" %}` (backoffice/templatetags/ui.py),
  so one status has one colour everywhere. Tones: neutral, info, progress, waiting, success,
  danger, muted.
- **staff dashboard panels**: `register_panel(DashboardPanel("payroll", perm=Perm.PAYROLL_VIEW,
  template="payroll/_dashboard_panel.html", context=callable(actor) -> dict, order=20))`; the
  staff dashboard shows each panel its actor may see (keep each panel's query count constant).
- **audit labels**: `register_audit_labels({"payroll.run": _("Payroll computed")})` and
  `register_audit_fields({"rendered": _("Payslips rendered")})`, so the audit trail never shows a
  code name; `register_audit_values("stage", PeriodStage)` turns stored codes into their labels.

Example (`training/ui.py`):

    from django.utils.translation import gettext_lazy as _
    from backoffice.interface import NavGroup, NavItem, register_nav
    from backoffice.roles import Perm

    register_nav(NavGroup("training", _("Training"), area="workspace", order=30, icon="graduation-cap", items=(
        NavItem(_("Sessions"), "training_sessions", perm=Perm.TRAINING_VIEW),
    )))
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Literal

from django.urls import NoReverseMatch, reverse

TONES = ("neutral", "info", "progress", "waiting", "success", "danger", "muted")


# --- Menus ---------------------------------------------------------------------------------

@dataclass(frozen=True)
class NavItem:
    label: str
    url_name: str
    perm: object | None = None                       # a backoffice.roles.Perm, or None: everyone of the area
    when: Callable[[object], bool] | None = None      # extra test on the workspace, e.g. has_entrepreneurs
    staff_only: bool = False                          # shown to host staff only
    icon: str = ""
    # URL names (or prefixes ending in "*") that light this item up, besides url_name itself.
    active_for: tuple[str, ...] = ()


@dataclass(frozen=True)
class NavGroup:
    key: str
    label: str
    area: Literal["staff", "workspace"]
    order: int
    items: tuple[NavItem, ...]
    icon: str = ""


_NAV: dict[str, NavGroup] = {}


def register_nav(*groups: NavGroup) -> None:
    for group in groups:
        if group.area not in ("staff", "workspace"):
            raise ValueError(f"unknown menu area {group.area!r}")
        _NAV[f"{group.area}:{group.key}"] = group


def nav_groups(area: str) -> list[NavGroup]:
    return sorted((g for g in _NAV.values() if g.area == area), key=lambda g: (g.order, g.key))


@dataclass
class MenuEntry:
    label: str
    url: str
    icon: str
    active: bool


@dataclass
class Menu:
    key: str
    label: str
    icon: str
    entries: list[MenuEntry] = field(default_factory=list)

    @property
    def active(self) -> bool:
        return any(e.active for e in self.entries)

    @property
    def single(self) -> MenuEntry | None:
        return self.entries[0] if len(self.entries) == 1 else None


def _matches(view_name: str, patterns: Iterable[str]) -> bool:
    for p in patterns:
        if p.endswith("*") and view_name.startswith(p[:-1]):
            return True
        if view_name == p:
            return True
    return False


def menus_for(actor, *, area: str, workspace=None, view_name: str = "") -> list[Menu]:
    """The menus of `area` that `actor` may open, with the current page's entry marked."""
    if actor is None:
        return []
    out = []
    for group in nav_groups(area):
        menu = Menu(group.key, str(group.label), group.icon)
        for item in group.items:
            if item.staff_only and not actor.is_staff:
                continue
            if item.perm is not None and not actor.has(item.perm):
                continue
            if item.when is not None and not item.when(workspace):
                continue
            try:
                url = reverse(item.url_name, args=[workspace.slug] if area == "workspace" else [])
            except NoReverseMatch:  # an app whose URLs are not included in this configuration
                continue
            menu.entries.append(MenuEntry(str(item.label), url, item.icon,
                                          _matches(view_name, (item.url_name, *item.active_for))))
        if menu.entries:
            out.append(menu)
    return out


# --- Staff dashboard panels --------------------------------------------------------------

@dataclass(frozen=True)
class DashboardPanel:
    key: str
    template: str
    context: Callable[[object], dict]
    perm: object | None = None
    order: int = 50


_PANELS: dict[str, DashboardPanel] = {}


def register_panel(panel: DashboardPanel) -> None:
    _PANELS[panel.key] = panel


def panels_for(actor) -> list[tuple[DashboardPanel, dict]]:
    """The panels `actor` may see, each with its context (computed here, once)."""
    out = []
    for panel in sorted(_PANELS.values(), key=lambda p: (p.order, p.key)):
        if panel.perm is None or actor.has(panel.perm):
            out.append((panel, panel.context(actor)))
    return out


# --- Status colours -----------------------------------------------------------------------

_TONES: dict[str, dict[str, str]] = {}


def register_tones(key: str, tones: dict[str, str]) -> None:
    """`key` is "<app_label>.<Model>.<field>"; `tones` maps each stored value to a tone."""
    bad = set(tones.values()) - set(TONES)
    if bad:
        raise ValueError(f"unknown tones {sorted(bad)} for {key}")
    _TONES.setdefault(key, {}).update({str(k): v for k, v in tones.items()})


def tone_of(key: str, value) -> str:
    return _TONES.get(key, {}).get(str(value), "neutral")


def registered_tones() -> dict[str, dict[str, str]]:
    return {k: dict(v) for k, v in _TONES.items()}


# --- Audit trail --------------------------------------------------------------------------
# Keys of the field and value registries are "<object_type>.<name>" (object_type as stored on
# the entry, e.g. "payroll.payrollperiod.stage") or a bare "<name>" for any object.

_AUDIT_ACTIONS: dict[str, str] = {}
_AUDIT_FIELDS: dict[str, str] = {}
_AUDIT_VALUES: dict[str, object] = {}   # a TextChoices class, a {code: label} dict or a callable


def register_audit_labels(labels: dict[str, str]) -> None:
    """Translated labels of audit actions ("payroll.run" -> "Payroll computed")."""
    _AUDIT_ACTIONS.update(labels)


def register_audit_fields(labels: dict[str, str]) -> None:
    """Translated labels of the keys audit entries store in `changes` that are not model
    fields (model fields are shown with their verbose name without registering)."""
    _AUDIT_FIELDS.update(labels)


def register_audit_values(key: str, choices) -> None:
    """How stored values of `key` are shown (model fields with choices need nothing)."""
    _AUDIT_VALUES[key] = choices


def audit_action_label(action: str) -> str:
    label = _AUDIT_ACTIONS.get(action)
    return str(label) if label is not None else _humanise(action)


def audit_registered_actions() -> set[str]:
    return set(_AUDIT_ACTIONS)


def _model_field(object_type: str, name: str):
    from django.apps import apps
    from django.core.exceptions import FieldDoesNotExist

    if not object_type:
        return None
    try:
        return apps.get_model(object_type)._meta.get_field(name)
    except (LookupError, ValueError, FieldDoesNotExist):
        return None


def audit_field_label(name: str, object_type: str = "") -> str:
    from django.utils.text import capfirst

    label = _AUDIT_FIELDS.get(f"{object_type}.{name}") or _AUDIT_FIELDS.get(name)
    if label is not None:
        return str(label)
    field = _model_field(object_type, name)
    if field is not None and hasattr(field, "verbose_name"):
        return str(capfirst(field.verbose_name))
    return _humanise(name)


def audit_value_label(name: str, value, object_type: str = "") -> str | None:
    """The label of a stored code, or None when nothing maps it."""
    conv = _AUDIT_VALUES.get(f"{object_type}.{name}") or _AUDIT_VALUES.get(name)
    if conv is None:
        field = _model_field(object_type, name)
        if field is not None and getattr(field, "choices", None):
            conv = dict(field.flatchoices)
    if conv is None:
        return None
    if callable(conv) and not isinstance(conv, type):
        return str(conv(value))
    if isinstance(conv, dict):
        label = conv.get(value)
        return None if label is None else str(label)
    try:
        return str(conv(value).label)
    except ValueError:
        return None


def _humanise(code: str) -> str:
    """Last resort for a code nobody registered: words, not a code name (tests/test_page_words.py
    catches the English that remains)."""
    return code.replace(".", " ").replace("_", " ").capitalize()


# --- Facts other apps add to an entrepreneur's page ---------------------------------------
# `register_entrepreneur_facts(fn)`: fn(entrepreneur) -> [(label, text)], shown as extra lines
# of the entrepreneur's record (e.g. alumni: "Left to found SCOP X on 01/03/2025"). One query
# per provider at most; the provider decides what may be shown to the CAE.

_ENTREPRENEUR_FACTS: list[Callable[[object], list[tuple[str, str]]]] = []


def register_entrepreneur_facts(fn: Callable[[object], list[tuple[str, str]]]) -> None:
    if fn not in _ENTREPRENEUR_FACTS:
        _ENTREPRENEUR_FACTS.append(fn)


def entrepreneur_facts(entrepreneur) -> list[tuple[str, str]]:
    return [fact for fn in _ENTREPRENEUR_FACTS for fact in fn(entrepreneur)]
