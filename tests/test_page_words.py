"""Every page says what it means: walked in French for every persona, no page shows a code
name (snake_case words, dotted action names) or an untranslated English sentence.

The URLs come from the resolver and the objects from the builders registered in
tests/**/isolation*.py (as tests/test_isolation.py does), so a page an app adds later is
walked without touching this file. Each persona opens its own workspace's pages with its own
objects (host staff: the staff area too); pages that answer anything but 200 HTML are left to
the isolation walk. The detection rules live in tests/page_words.py.
"""

from __future__ import annotations

import re
from pathlib import Path

import polib
import pytest
from django.test import override_settings
from django.utils import translation
from django_scopes import scopes_disabled

from backoffice.interface import _NAV, NavGroup, NavItem
from tests.conftest import login
from tests.factories import MembershipFactory, UserFactory
from tests.page_words import code_names, english_words, problems, visible_text
from tests.test_isolation import build_objects, tenant_urls, url_for

pytestmark = pytest.mark.django_db

LOCALE_DIR = Path(__file__).resolve().parent.parent / "locale"
_PLACEHOLDER = re.compile(r"%\(\w+\)[sd]|%[sd]|\{\{.*?\}\}")


def english_msgids() -> frozenset[str]:
    """English lines of the catalogue that French writes differently (so seeing one means a
    string went untranslated). Short or placeholder-only strings are left out."""
    out = set()
    for entry in polib.pofile(str(LOCALE_DIR / "fr" / "LC_MESSAGES" / "django.po")):
        if entry.obsolete or entry.msgid_plural:
            continue
        if entry.msgstr and entry.msgstr != entry.msgid and len(entry.msgid) >= 4 \
                and not _PLACEHOLDER.search(entry.msgid) and re.search(r"[a-z]{3}", entry.msgid):
            out.add(entry.msgid)
    return frozenset(out)


# persona -> (workspace attribute it works in, walks the staff area too)
PERSONAS = {
    "partner_a": ("partner_a", False),
    "alumni": ("alumni_c", False),
    "staff": ("partner_a", True),
    "payroll_officer": ("partner_b", True),
}


def _pages_of(world, persona: str, objects) -> list[str]:
    attr, staff = PERSONAS[persona]
    ws = getattr(world, attr)
    urls = []
    for name, route, kind in tenant_urls():
        if kind == "staff" and not staff:
            continue
        urls.append(url_for(name, route, ws.slug, objects[ws.slug]))
    return urls


def walk(client, urls, msgids) -> tuple[list[str], int]:
    found, pages = [], 0
    for url in urls:
        response = client.get(url, HTTP_ACCEPT_LANGUAGE="fr")
        if response.status_code != 200 or not response["Content-Type"].startswith("text/html"):
            continue
        pages += 1
        for problem in problems(visible_text(response.content.decode()), msgids):
            found.append(f"{url}: {problem}")
    return found, pages


def _fill(world, officer) -> None:
    """What the builders do not make and the pages show: agreements with every kind of price
    line, this month's usage of every kind, and an audit entry of every registered action with
    the changes its app stores."""
    from decimal import Decimal

    from django.utils import timezone

    from backoffice.interface import audit_registered_actions
    from backoffice.models import AuditEntry
    from backoffice.models.agreements import UsageKind
    from tests.factories import PriceLineFactory, ServiceAgreementFactory, UsageFactory

    today = timezone.localdate()
    # As the apps store them: a dossier's status with its app's stage (an English msgid), a
    # payroll month's stage code, counts, a person's fields, decimals.
    on_dossier = {"status": ["new", "in_progress"], "stage": ["Computed", "Approved by the partner"]}
    on_period = {"stage": ["computed", "approved"]}
    changes = {"rendered": 3, "unchanged": 0, "zip_rebuilt": True, "created": 2, "rows": 11,
               "birth_date": ["1980-01-02", "1981-02-03"], "gross": "2600.00", "via": "import_monthly command"}
    for ws in (world.partner_a, world.partner_b, world.alumni_c):
        agreement = ServiceAgreementFactory(workspace=ws, service="payroll", start_date=today.replace(day=1, month=1))
        PriceLineFactory(agreement=agreement, kind="per_unit", usage_kind="payslip", label="Bulletin")
        PriceLineFactory(agreement=agreement, kind="monthly_flat", usage_kind="", label="Forfait")
        PriceLineFactory(agreement=agreement, kind="percentage", usage_kind="declared_revenue", label="Part du CA",
                         rate=Decimal("2.5"), unit_price=Decimal("0"))
        for kind in UsageKind.values:
            UsageFactory(workspace=ws, kind=kind, occurred_on=today)
        for object_type, stored in (("backoffice.dossier", on_dossier), ("payroll.payrollperiod", on_period),
                                    ("backoffice.entrepreneur", changes)):
            AuditEntry.objects.bulk_create(
                AuditEntry(workspace=ws, actor=officer, action=action, object_type=object_type,
                           object_id="1", object_repr="Martin Léa", changes=stored)
                for action in sorted(audit_registered_actions()))
    _edit_rate_table(officer)


def _edit_rate_table(officer) -> None:
    """Staff edits of a table built from the shipped JSON (tests/payroll/isolation_people.py),
    through the services: the audit trail then names a parameter, a line and a copy as stored."""
    import datetime
    from decimal import Decimal

    from payroll.services.rate_tables import rate_line_update, rate_table_copy, rate_table_update
    from tests.payroll.isolation_people import _rate_table

    table = _rate_table(None)
    params = {name: {"value": Decimal(entry["value"]), "source": entry["source"]}
              for name, entry in table.params.items()}
    params["SMIC_HOURLY"]["value"] += Decimal("0.10")
    rate_table_update(actor=officer, table=table, title=table.title, params=params)
    line = table.lines.exclude(condition="").filter(code__contains="_").first()
    rate_line_update(actor=officer, line=line, label=line.label, employee_rate=line.employee_rate,
                     employer_rate=line.employer_rate, source=line.source + " (vérifié)")
    rate_table_copy(actor=officer, source=table, effective_from=datetime.date(1899, 1, 1))


@pytest.fixture
def personas(world):
    with scopes_disabled():
        officer = MembershipFactory(workspace=world.host, role="payroll_officer",
                                    user=UserFactory(email="paie@example.test")).user
        _fill(world, officer)
    return {**world.users, "payroll_officer": officer}


@pytest.mark.parametrize("persona", list(PERSONAS))
def test_every_page_speaks_french_without_code_names(world, personas, persona):
    msgids = english_msgids()
    with override_settings(LOCALE_PATHS=[LOCALE_DIR]), translation.override("fr"):
        # Built in French, as the pages' own requests would write what they store (audit reprs).
        objects = build_objects([world.partner_a, world.partner_b, world.alumni_c, world.host])
        found, pages = walk(login(personas[persona]), _pages_of(world, persona, objects), msgids)
    assert pages >= 10, f"only {pages} pages answered 200 for {persona}"
    assert not found, f"{len(found)} problems on {pages} pages:\n" + "\n".join(sorted(set(found)))


# --- the detector itself: it catches what it must, and nothing legitimate ----------------

def test_detector_catches_code_names_and_english():
    msgids = frozenset({"Payroll months"})
    lines = visible_text(
        "<main><p>Prix par payslip</p><td>payroll.run</td><p>pourcentage de declared_revenue</p>"
        "<dt>SMIC_HOURLY</dt><dd>Réduction générale RG_T_DELTA_LT50 : 0,3781</dd>"
        "<h2>Payroll months</h2><p>This month has not been computed yet.</p></main>")
    found = problems(lines, msgids)
    assert any("code name 'payroll.run'" in f for f in found)
    assert any("declared_revenue" in f for f in found)
    assert any("code name 'SMIC_HOURLY'" in f for f in found)
    assert any("code name 'RG_T_DELTA_LT50'" in f for f in found)
    assert any(f.startswith("untranslated 'Payroll months'") for f in found)
    assert any(f.startswith("English 'This month has not been computed yet.'") for f in found)


@pytest.mark.parametrize("line", [
    "gestion@cae-a.test", "jean_dupont@example.test", "paie_2026-10_v1.xlsx", "Modèle bulletin_v2.pdf",
    "https://www.net-entreprises.fr/declaration", "/w/cae-a/payroll/", "net-entreprises.fr",
    "SIREN 823456785", "S21.G00.30.001", "FR76 3000 6000 0112 3456 7890 189", "2 600,00 €",
    "Un an de paie, du 01/01/2026 au 31/12/2026", "Vérifiez le fichier avec DSN-VAL avant de le déposer.",
    "Coopérative Elan (CAE A)", "n° 12", "Mois de paie : octobre 2026",
    "URSSAF", "PMSS", "Plafond mensuel de la sécurité sociale (PMSS)", "CSG/CRDS", "AT/MP", "AGIRC-ARRCO",
    "D241-7 CSS : paramètre Tmin",
])
def test_detector_leaves_legitimate_content_alone(line):
    assert not code_names(line), line
    assert len(english_words(line)) < 2, line


def test_detector_ignores_technical_blocks_and_form_values():
    lines = visible_text('<p>Exemple :</p><pre>curl -F period=2026-01 -F file=@paie.xlsx</pre>'
                         '<code>payroll_month</code><input name="x" value="jean_dupont">'
                         '<dt>SMIC horaire <small><code>SMIC_HOURLY</code></small></dt>'
                         '<script>var some_name = 1;</script>')
    assert lines == ["Exemple :", "SMIC horaire"]
    assert visible_text('<input placeholder="dossier.status">') == ["dossier.status"]  # placeholders are read


def test_walk_catches_a_planted_code_name(world, monkeypatch):
    """A menu entry labelled with a code name, planted for this test, shows on every page of the
    walk: the walk reports it."""
    planted = NavGroup("planted", "payroll_month", area="workspace", order=99, items=(
        NavItem("payroll_month", "workspace_home"),))
    monkeypatch.setitem(_NAV, "workspace:planted", planted)
    with override_settings(LOCALE_PATHS=[LOCALE_DIR]):
        found, pages = walk(login(world.users["partner_a"]), ["/w/cae-a/", "/w/cae-a/dossiers/"], english_msgids())
    assert pages == 2
    assert sum("code name 'payroll_month'" in f for f in found) == 2
