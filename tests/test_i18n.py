"""The French interface and its English fallback.

The UI is written in English msgids; locale/fr/LC_MESSAGES/django.po translates them and
django.mo is its compiled form, both committed (`make messages` regenerates them). These tests
check that the catalogue is complete (nothing untranslated, nothing fuzzy, placeholders kept),
that the committed .mo is the compiled .po, that no string of the code or templates is missing
from it, and that pages actually speak French to a French browser, English to an English one,
with French dates and amounts.

The rest of the suite runs without the catalogue (tests/settings.py: LOCALE_PATHS = []) and
asserts the English msgids; here `french_catalogue` switches it on.
"""

from __future__ import annotations

import ast
import datetime
import gettext as pygettext
import os
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import translation
from django_scopes import scopes_disabled

from backoffice.forms.records import PriceLineForm
from tests.conftest import login, require_or_skip
from tests.factories import DossierFactory, PriceLineFactory, ServiceAgreementFactory

LOCALE_DIR = Path(settings.BASE_DIR) / "locale"
PO_PATH = LOCALE_DIR / "fr" / "LC_MESSAGES" / "django.po"
MO_PATH = PO_PATH.with_suffix(".mo")

FRENCH_BROWSER = {"HTTP_ACCEPT_LANGUAGE": "fr-FR,fr;q=0.9,en-US;q=0.8,en;q=0.7"}
ENGLISH_BROWSER = {"HTTP_ACCEPT_LANGUAGE": "en-GB,en;q=0.9"}
NBSP = "\u00a0"

# The same sources as `make messages` (Makefile: MESSAGES_IGNORE).
IGNORED_DIRS = {".git", ".venv", "var", "bench", "tests", "node_modules", "__pycache__"}


# --- a tiny .po reader ----------------------------------------------------------------------

@dataclass
class PoEntry:
    msgid: str
    msgid_plural: str | None = None
    msgctxt: str | None = None
    msgstr: dict[int, str] = field(default_factory=dict)
    flags: set[str] = field(default_factory=set)
    line: int = 0

    @property
    def key(self) -> tuple[str | None, str]:
        return (self.msgctxt, self.msgid)

    def __str__(self) -> str:
        where = f"django.po:{self.line}"
        return f"{where} {self.msgid!r}" + (f" / {self.msgid_plural!r}" if self.msgid_plural else "")


_ESCAPES = {"n": "\n", "t": "\t", "r": "\r", '"': '"', "\\": "\\"}
_KEYWORD = re.compile(r'^(msgctxt|msgid_plural|msgid|msgstr(?:\[(\d+)\])?)\s+"(.*)"\s*$')


def _unquote(text: str) -> str:
    return re.sub(r"\\(.)", lambda m: _ESCAPES[m.group(1)], text)


def parse_po(text: str) -> tuple[dict[str, str], list[PoEntry]]:
    """The header (as a dict) and the live entries of a .po file; obsolete (#~) ones are skipped."""
    entries: list[PoEntry] = []
    current: PoEntry | None = None
    target: tuple[str, int | None] | None = None
    flags: set[str] = set()

    def finish():
        nonlocal current
        if current is not None:
            entries.append(current)
        current = None

    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line or line.startswith("#~"):
            if not line:
                finish()
                flags = set()
            continue
        if line.startswith("#,"):
            flags |= {flag.strip() for flag in line[2:].split(",") if flag.strip()}
            continue
        if line.startswith("#"):
            continue
        match = _KEYWORD.match(line)
        if match:
            keyword, index, value = match.groups()
            value = _unquote(value)
            if keyword in ("msgctxt", "msgid") and current is not None and current.msgstr:
                finish()  # entries not separated by a blank line
            if current is None:
                current = PoEntry(msgid="", flags=flags, line=number)
                flags = set()
            if keyword.startswith("msgstr"):
                target = ("msgstr", int(index) if index is not None else 0)
                current.msgstr[target[1]] = value
            else:
                target = (keyword, None)
                setattr(current, keyword, value)
            continue
        if line.startswith('"') and current is not None and target is not None:
            value = _unquote(line[1:-1])
            if target[0] == "msgstr":
                current.msgstr[target[1]] += value
            else:
                setattr(current, target[0], (getattr(current, target[0]) or "") + value)
            continue
        raise ValueError(f"line {number} of the .po is not understood: {raw!r}")
    finish()
    header_entries = [e for e in entries if e.msgid == "" and e.msgctxt is None]
    header = {}
    if header_entries:
        for item in header_entries[0].msgstr.get(0, "").splitlines():
            name, _, value = item.partition(":")
            header[name.strip()] = value.strip()
    return header, [e for e in entries if not (e.msgid == "" and e.msgctxt is None)]


@pytest.fixture(scope="module")
def catalogue() -> tuple[dict[str, str], list[PoEntry]]:
    return parse_po(PO_PATH.read_text(encoding="utf-8"))


@pytest.fixture
def french_catalogue():
    """The project's catalogue, on for this test only (the suite runs with LOCALE_PATHS = [])."""
    with override_settings(LOCALE_PATHS=[LOCALE_DIR]):
        yield


def test_the_parser_reads_plurals_contexts_escapes_and_flags():
    header, entries = parse_po(
        'msgid ""\nmsgstr ""\n"Language: fr\\n"\n"Plural-Forms: nplurals=2; plural=(n > 1);\\n"\n\n'
        '#: a.py\n#, fuzzy, python-format\nmsgid "%(n)s \\"x\\""\nmsgstr ""\n"%(n)s "\n"« x »"\n\n'
        'msgctxt "verb"\nmsgid "Upload"\nmsgid_plural "Uploads"\nmsgstr[0] "Dépôt"\nmsgstr[1] "Dépôts"\n\n'
        '#~ msgid "Gone"\n#~ msgstr "Parti"\n')
    assert header["Language"] == "fr"
    assert [e.msgid for e in entries] == ['%(n)s "x"', "Upload"]
    assert entries[0].flags == {"fuzzy", "python-format"} and entries[0].msgstr == {0: "%(n)s « x »"}
    assert entries[1].key == ("verb", "Upload") and entries[1].msgstr == {0: "Dépôt", 1: "Dépôts"}


# --- (a) the committed catalogue is complete -----------------------------------------------

def test_the_catalogue_is_french_with_french_plurals(catalogue):
    header, entries = catalogue
    assert header["Language"] == "fr"
    assert header["Plural-Forms"] == "nplurals=2; plural=(n > 1);"   # French: 0 and 1 are singular
    assert header["Content-Type"] == "text/plain; charset=UTF-8"
    assert len(entries) > 500


def test_every_entry_is_translated_and_none_is_fuzzy(catalogue):
    _, entries = catalogue
    fuzzy = [str(e) for e in entries if "fuzzy" in e.flags]
    untranslated = [str(e) for e in entries
                    if sorted(e.msgstr) != ([0, 1] if e.msgid_plural is not None else [0])
                    or not all(s.strip() for s in e.msgstr.values())]
    hint = "Translate them in locale/fr/LC_MESSAGES/django.po, then run `make messages`."
    assert not fuzzy, f"{len(fuzzy)} fuzzy entries (check the translation, then drop the flag). {hint}\n" + \
        "\n".join(fuzzy)
    assert not untranslated, f"{len(untranslated)} untranslated entries. {hint}\n" + "\n".join(untranslated)


_PLACEHOLDER = re.compile(r"%\((\w+)\)[-#0 +]*\d*(?:\.\d+)?[diouxXeEfFgGcrsa]")
_TAG = re.compile(r"</?[a-zA-Z][^>]*>")


def _named(text: str) -> set[str]:
    return set(_PLACEHOLDER.findall(text))


def test_translations_keep_placeholders_markup_and_literal_percents(catalogue):
    """A msgstr that drops or invents a %(name)s breaks the page (KeyError, or the fallback to
    English); a lone % in a python-format string breaks the % operator."""
    _, entries = catalogue
    problems = []
    for e in entries:
        singular, plural = _named(e.msgid), _named(e.msgid_plural or "")
        for index, text in e.msgstr.items():
            expected = singular if e.msgid_plural is None else plural
            found = _named(text)
            if e.msgid_plural is None or index > 0:
                if found != expected:
                    problems.append(f"{e}: msgstr[{index}] has {sorted(found)}, msgid has {sorted(expected)}")
            elif not found <= singular | plural:   # form 0 may name the count (French: 0 and 1)
                problems.append(f"{e}: msgstr[0] has unknown placeholders {sorted(found - singular - plural)}")
            if "python-format" in e.flags:
                rest = _PLACEHOLDER.sub("", text).replace("%%", "")
                if "%" in rest:
                    problems.append(f"{e}: a lone % in msgstr[{index}] (write %%)")
            if sorted(_TAG.findall(text)) != sorted(_TAG.findall(e.msgid)):
                problems.append(f"{e}: msgstr[{index}] changes the HTML tags")
            if "{{" in text or "{%" in text:
                problems.append(f"{e}: template syntax in msgstr[{index}] (use %(name)s)")
    assert not problems, "\n".join(problems)


# --- (b) the committed .mo is the compiled .po ---------------------------------------------

def _po_as_mo_catalog(entries: list[PoEntry]) -> dict:
    """What Python's gettext reads from a .mo compiled from these entries."""
    expected = {}
    for e in entries:
        msgid = e.msgid if e.msgctxt is None else f"{e.msgctxt}\x04{e.msgid}"
        if e.msgid_plural is None:
            expected[msgid] = e.msgstr[0]
        else:
            for index, text in e.msgstr.items():
                expected[(msgid, index)] = text
    return expected


def test_the_committed_mo_is_the_compiled_po(catalogue):
    assert MO_PATH.exists(), "locale/fr/LC_MESSAGES/django.mo is missing: run `make messages` and commit it"
    _, entries = catalogue
    with MO_PATH.open("rb") as handle:
        compiled = dict(pygettext.GNUTranslations(handle)._catalog)
    compiled.pop("", None)                                  # the header
    expected = _po_as_mo_catalog([e for e in entries if "fuzzy" not in e.flags])
    missing = sorted(str(k) for k in expected.keys() - compiled.keys())
    stale = sorted(str(k) for k in compiled.keys() - expected.keys())
    different = sorted(str(k) for k in expected.keys() & compiled.keys() if expected[k] != compiled[k])
    assert not (missing or stale or different), (
        "django.mo is not the compiled django.po: run `make messages` (or compilemessages) and commit "
        f"both.\nnot in the .mo: {missing[:20]}\nonly in the .mo: {stale[:20]}\ntranslated differently: "
        f"{different[:20]}")


def test_django_serves_every_translation_in_french_and_the_msgid_in_english(catalogue, french_catalogue):
    _, entries = catalogue
    wrong = []
    with translation.override("fr"):
        for e in entries:
            if e.msgctxt is not None:
                got = [translation.pgettext(e.msgctxt, e.msgid)] if e.msgid_plural is None else [
                    translation.npgettext(e.msgctxt, e.msgid, e.msgid_plural, n) for n in (1, 2)]
            elif e.msgid_plural is None:
                got = [translation.gettext(e.msgid)]
            else:
                got = [translation.ngettext(e.msgid, e.msgid_plural, n) for n in (1, 2)]
            if got != [e.msgstr[i] for i in sorted(e.msgstr)]:
                wrong.append(f"{e}: Django gives {got}")
        # A string the catalogue does not know yet falls back to its English msgid.
        assert translation.gettext("A sentence nobody has translated yet.") == "A sentence nobody has translated yet."
    assert not wrong, "Django does not serve the catalogue as written:\n" + "\n".join(wrong[:30])
    with translation.override("en"):
        assert translation.gettext("Work queue") == "Work queue"
        assert translation.ngettext("%(n)s dossier", "%(n)s dossiers", 2) == "%(n)s dossiers"


def test_french_plurals_treat_zero_and_one_as_singular(french_catalogue):
    """French grammar (CLDR, gettext's Plural-Forms for fr): 0 and 1 take the singular."""
    with translation.override("fr"):
        forms = {n: translation.ngettext("%(n)s dossier", "%(n)s dossiers", n) % {"n": n} for n in (0, 1, 2)}
    assert forms == {0: "0 dossier", 1: "1 dossier", 2: "2 dossiers"}


# --- (c) every string of the code and templates is in the catalogue ------------------------

_CHECK_SETTINGS = '''
from pathlib import Path
SECRET_KEY = "i18n-catalogue-check"
USE_I18N = True
INSTALLED_APPS = []
LOCALE_PATHS = [Path(__file__).resolve().parent / "locale"]
'''


def _copy_sources(source: Path, target: Path) -> None:
    """What makemessages reads (.py, .html, .txt outside the ignored folders) and locale/."""
    for root, dirs, files in os.walk(source):
        dirs[:] = [d for d in dirs if d not in IGNORED_DIRS]
        relative = Path(root).relative_to(source)
        for name in files:
            if name.endswith((".py", ".html", ".txt")) or relative.parts[:1] == ("locale",):
                destination = target / relative / name
                destination.parent.mkdir(parents=True, exist_ok=True)
                shutil.copy2(Path(root) / name, destination)


@pytest.fixture(scope="module")
def fresh_catalogue(tmp_path_factory) -> list[PoEntry]:
    """The catalogue `make messages` would write now, made on a copy of the sources."""
    tools = ("xgettext", "msguniq", "msgmerge", "msgattrib")
    require_or_skip(all(shutil.which(tool) for tool in tools),
                    "GNU gettext (xgettext, msgmerge…; Debian package `gettext`)")
    copy = tmp_path_factory.mktemp("i18n") / "src"
    _copy_sources(Path(settings.BASE_DIR), copy)
    # A minimal settings module: makemessages walks the files, it needs none of the apps.
    (copy / "i18n_catalogue_check.py").write_text(_CHECK_SETTINGS, encoding="utf-8")
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "i18n_catalogue_check", "PYTHONPATH": str(copy)}
    ignores = [f"--ignore={name}" for name in sorted(IGNORED_DIRS - {"__pycache__", ".git"})]
    result = subprocess.run(
        [sys.executable, "-m", "django", "makemessages", "-l", "fr", "--add-location=file", "--no-obsolete",
         *ignores],
        cwd=copy, env=env, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stdout + result.stderr
    return parse_po((copy / "locale" / "fr" / "LC_MESSAGES" / "django.po").read_text(encoding="utf-8"))[1]


def test_every_string_of_the_code_and_templates_is_in_the_catalogue(catalogue, fresh_catalogue):
    """`make messages` on a copy of the sources adds no msgid to the committed catalogue."""
    known = {e.key for e in catalogue[1]}
    missing = [f"  {e.msgid!r}" + (f" / {e.msgid_plural!r}" if e.msgid_plural else "")
               + (f" (context {e.msgctxt!r})" if e.msgctxt else "") for e in fresh_catalogue if e.key not in known]
    assert not missing, (
        f"{len(missing)} user-facing string(s) of the code or templates are not in the French catalogue. "
        "Run `make messages`, translate the new entries of locale/fr/LC_MESSAGES/django.po (no fuzzy "
        "left), run `make messages` again and commit django.po and django.mo:\n" + "\n".join(missing))


def test_the_catalogue_holds_no_string_the_code_dropped(catalogue, fresh_catalogue):
    used = {e.key for e in fresh_catalogue}
    stale = sorted(e.msgid for e in catalogue[1] if e.key not in used)
    assert not stale, ("The catalogue still translates strings no longer used: run `make messages` to drop "
                       "them and commit django.po and django.mo:\n" + "\n".join(f"  {m!r}" for m in stale))


# --- (d) pages speak the browser's language ------------------------------------------------

def _html(response) -> str:
    assert response.status_code == 200, response.status_code
    return response.content.decode()


def test_login_page_is_french_for_a_french_browser_and_english_for_an_english_one(db, french_catalogue):
    url = reverse("login")
    french = _html(Client().get(url, **FRENCH_BROWSER))
    assert '<html lang="fr">' in french
    assert "Se connecter" in french and "Mot de passe oublié" in french and "Log in" not in french
    english = _html(Client().get(url, **ENGLISH_BROWSER))
    assert '<html lang="en">' in english
    assert "Log in" in english and "Forgotten password?" in english and "Se connecter" not in english


def test_french_is_the_default_for_any_other_or_no_language(db, french_catalogue):
    for headers in ({}, {"HTTP_ACCEPT_LANGUAGE": "de-DE,de;q=0.9"}, {"HTTP_ACCEPT_LANGUAGE": "*"}):
        html = _html(Client().get(reverse("login"), **headers))
        assert '<html lang="fr">' in html and "Se connecter" in html, headers


def test_staff_pages_in_french_and_in_english(world, french_catalogue):
    client = login(world.users["staff"])
    french = _html(client.get(reverse("staff:queue"), **FRENCH_BROWSER))
    assert "File de travail" in french and "Espace équipe" in french and "Se déconnecter" in french
    assert "Work queue" not in french
    english = _html(client.get(reverse("staff:queue"), **ENGLISH_BROWSER))
    assert "Work queue" in english and "Staff area" in english and "Log out" in english
    assert "File de travail" not in english


def test_a_service_error_reaches_the_user_in_french(world, french_catalogue):
    """Messages raised by services (gettext_lazy) are translated when the page renders."""
    with scopes_disabled():
        ServiceAgreementFactory(workspace=world.partner_a, service="payroll", start_date=datetime.date(2026, 1, 1))
    client = login(world.users["staff"])
    data = {"service": "payroll", "start_date": "2026-06-01", "end_date": "", "reference": "", "notes": ""}
    french = _html(client.post(reverse("agreement_create", args=["cae-a"]), data, **FRENCH_BROWSER))
    assert "ne peuvent pas se chevaucher" in french
    english = _html(client.post(reverse("agreement_create", args=["cae-a"]), data, **ENGLISH_BROWSER))
    assert "cannot overlap" in english


# --- (e) dates and amounts the French way --------------------------------------------------

def test_dates_and_amounts_read_the_french_way(world, french_catalogue):
    with scopes_disabled():
        agreement = ServiceAgreementFactory(workspace=world.partner_a, service="payroll",
                                            start_date=datetime.date(2026, 3, 5))
        PriceLineFactory(agreement=agreement, unit_price=Decimal("1234.5"), label="Bulletin")
        dossier = DossierFactory(workspace=world.partner_a, title="Paie de mars", due_date=datetime.date(2026, 3, 5))
    client = login(world.users["partner_a"])
    french = _html(client.get(reverse("agreements", args=["cae-a"]), **FRENCH_BROWSER))
    assert "À partir du 05/03/2026" in french
    assert f"1{NBSP}234,50{NBSP}€" in french and f"20{NBSP}%" in french
    dossier_page = _html(client.get(reverse("dossier_detail", args=["cae-a", dossier.pk]), **FRENCH_BROWSER))
    assert "05/03/2026" in dossier_page and "Échéance" in dossier_page
    # English keeps the day first (backoffice/formats/en) but English number separators.
    english = _html(client.get(reverse("agreements", args=["cae-a"]), **ENGLISH_BROWSER))
    assert "From 05/03/2026" in english and "03/05/2026" not in english
    assert f"1,234.50{NBSP}€" in english


@pytest.mark.parametrize(("language", "typed", "expected"), [
    ("fr", "1 234,56", Decimal("1234.56")),
    ("fr", f"1{NBSP}234,56", Decimal("1234.56")),   # what a French number format copies
    ("fr", "12,5", Decimal("12.5")),
    ("fr", "12.5", Decimal("12.5")),                 # a dot still works
    ("en", "1,234.56", Decimal("1234.56")),
])
def test_localized_decimal_inputs_take_the_language_separators(language, typed, expected):
    data = {"kind": "per_unit", "label": "Bulletin", "usage_kind": "payslip", "unit_price": typed,
            "rate": "", "vat_rate": "20"}
    with translation.override(language):
        form = PriceLineForm(data=data)
        assert form.is_valid(), form.errors
    assert form.cleaned_data["unit_price"] == expected


def test_localized_decimal_inputs_show_french_values(french_catalogue):
    with translation.override("fr"):
        form = PriceLineForm(initial={"unit_price": Decimal("1234.50"), "vat_rate": Decimal("5.50")})
        html = str(form["unit_price"]) + str(form["vat_rate"])
    assert 'value="1234,50"' in html or f'value="1{NBSP}234,50"' in html
    assert 'value="5,50"' in html


def test_error_pages_are_french(db, french_catalogue, settings, client):
    """With DEBUG off, a 404 is our French page, not Django's English default."""
    settings.DEBUG = False
    response = client.get("/no-such-page/", HTTP_ACCEPT_LANGUAGE="fr")
    assert response.status_code == 404
    assert "Page introuvable" in response.content.decode()


class _ImportTimeGettext(ast.NodeVisitor):
    """Calls of the eager gettext functions outside function bodies (run when the module is imported)."""

    EAGER = {"_", "gettext", "ngettext", "pgettext", "npgettext"}

    def __init__(self, lazy_names: set[str]):
        self.eager = self.EAGER - lazy_names
        self.lines: list[int] = []

    def visit_FunctionDef(self, node):  # a function body runs later, in the request's language
        for default in [*node.args.defaults, *node.args.kw_defaults, *node.decorator_list]:
            if default is not None:
                self.visit(default)

    visit_AsyncFunctionDef = visit_FunctionDef

    def visit_Lambda(self, node):
        pass

    def visit_Call(self, node):
        if isinstance(node.func, ast.Name) and node.func.id in self.eager:
            self.lines.append(node.lineno)
        self.generic_visit(node)


def test_no_module_translates_at_import_time():
    """A string translated when its module is imported (a class or module constant built with the
    eager gettext) stays in the language of whoever imported it first: an English page then shows
    French labels, or the reverse. Such constants use gettext_lazy; the eager gettext belongs in
    functions. (It showed as a service request titled "Service request: Comptabilité".)"""
    found = []
    root = Path(__file__).resolve().parent.parent
    for app in ("backoffice", "payroll", "invoicing", "training", "alumni"):
        for path in (root / app).rglob("*.py"):
            source = path.read_text(encoding="utf-8")
            if "migrations" in path.parts or not re.search(r"import .*\b(n|p|np)?gettext\b", source):
                continue
            tree = ast.parse(source)
            lazy_names = {alias.asname or alias.name for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)
                          for alias in node.names if alias.name.endswith("_lazy")}
            visitor = _ImportTimeGettext(lazy_names)
            visitor.visit(tree)
            found += [f"{path.relative_to(root)}:{line}" for line in sorted(set(visitor.lines))]
    assert not found, "gettext at import time: " + ", ".join(found)
