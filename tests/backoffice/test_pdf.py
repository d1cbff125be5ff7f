"""The one PDF renderer (backoffice/pdf.py): its restricted URL fetcher serves the project's
static files and data: images, and refuses local files and the network (CONVENTIONS.md,
"Documents": a template can never read a local file)."""

from __future__ import annotations

import io
from decimal import Decimal

import pytest
import typst
from django.template import TemplateDoesNotExist
from pypdf import PdfReader
from weasyprint.urls import URLFetcher

from backoffice.pdf import (
    STATIC_ORIGIN,
    RefusedTemplate,
    RestrictedURLFetcher,
    fr_number,
    render_pdf,
    render_pdf_with_fetcher,
    render_typst_pdf,
)

PNG_1PX = ("data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9"
           "awAAAABJRU5ErkJggg==")

HOSTILE = """{% load static %}<!doctype html><html><head>
<link rel="stylesheet" href="{% static 'css/pdf.css' %}">
<link rel="stylesheet" href="http://example.com/evil.css">
<link rel="stylesheet" href="file:///etc/passwd">
<style>
  @import url("https://example.com/import.css");
  @font-face { font-family: x; src: url("file:///etc/hostname"); }
  body { background: url("http://127.0.0.1:8000/beacon.png"); }
</style></head>
<body>
<p>Hello {{ name }}</p>
<img src="file:///etc/passwd" alt="a">
<img src="http://example.com/pixel.png" alt="b">
<img src="/static/../../../../etc/passwd" alt="c">
<img src="/static/%2e%2e/%2e%2e/%2e%2e/etc/passwd" alt="d">
<img src="data:text/html;base64,PGgxPmhpPC9oMT4=" alt="e">
<img src="{{ png }}" alt="f">
</body></html>"""


@pytest.fixture
def hostile_template(tmp_path, settings):
    (tmp_path / "hostile.html").write_text(HOSTILE, encoding="utf-8")
    settings.TEMPLATES = [{**settings.TEMPLATES[0], "DIRS": [tmp_path, *settings.TEMPLATES[0]["DIRS"]]}]
    return "hostile.html"


def test_renders_a_pdf_with_the_shared_stylesheet_from_the_static_directories():
    pdf, fetcher = render_pdf_with_fetcher("pdf/base.html", {})
    assert pdf.startswith(b"%PDF")
    assert fetcher.refused == []


def test_a_template_cannot_read_local_files_or_reach_the_network(hostile_template, monkeypatch):
    network_or_disk = []
    original = URLFetcher.fetch

    def spy(self, url, headers=None):
        network_or_disk.append(url)
        return original(self, url, headers)

    monkeypatch.setattr(URLFetcher, "fetch", spy)
    pdf, fetcher = render_pdf_with_fetcher(hostile_template, {"name": "Camille", "png": PNG_1PX})

    assert pdf.startswith(b"%PDF")
    text = PdfReader(io.BytesIO(pdf)).pages[0].extract_text()
    assert "Hello Camille" in text
    assert "root:" not in text
    # The only URL handed to WeasyPrint's own fetcher (urllib) is the inline image.
    assert network_or_disk == [PNG_1PX]
    refused = " ".join(fetcher.refused)
    for url in ("http://example.com/evil.css", "file:///etc/passwd", "https://example.com/import.css",
                "file:///etc/hostname", "http://127.0.0.1:8000/beacon.png", "http://example.com/pixel.png",
                "data:text/html"):
        assert url in refused, url
    assert f"{STATIC_ORIGIN}/etc/passwd" in refused  # "../" cannot climb out of /static/
    assert "%2e%2e" in refused.lower()  # nor can an encoded "../"
    assert not any(url.endswith("css/pdf.css") for url in fetcher.refused)


def test_static_paths_outside_the_static_directories_are_refused():
    fetcher = RestrictedURLFetcher()
    with pytest.raises(ValueError):
        fetcher.fetch(f"{STATIC_ORIGIN}/static/%2e%2e/manage.py")
    with pytest.raises(ValueError):
        fetcher.fetch(f"{STATIC_ORIGIN}/media/secret.pdf")
    with pytest.raises(ValueError):
        fetcher.fetch("https://pdf-assets.mutualise.invalid.example.com/static/css/pdf.css")
    response = fetcher.fetch(f"{STATIC_ORIGIN}/static/css/pdf.css")
    assert b"@page" in response.read()


def test_render_pdf_renders_in_the_requested_language():
    assert render_pdf("pdf/base.html", {}, language="fr").startswith(b"%PDF")


@pytest.mark.parametrize(("value", "places", "expected"), [
    (Decimal("1234.56"), 2, "1\u00a0234,56"),
    (Decimal("1234567.005"), 2, "1\u00a0234\u00a0567,01"),  # half up, to the cent
    (Decimal("-0.001"), 2, "0,00"),
    (Decimal("-429.75"), 2, "-429,75"),
    (Decimal("12"), 0, "12"),
    (None, 2, ""),
])
def test_fr_number(value, places, expected):
    assert fr_number(value, places) == expected


def test_fr_number_refuses_floats():
    with pytest.raises(TypeError):
        fr_number(1.5)


# --- Typst templates (render_typst_pdf): the payslip's engine ------------------------------

def _typst_dirs(tmp_path, settings, files: dict[str, str]) -> None:
    folder = tmp_path / "typst"
    folder.mkdir()
    for name, text in files.items():
        (folder / name).write_text(text, encoding="utf-8")
    (tmp_path / "secret.txt").write_text("outside the template's folder", encoding="utf-8")
    settings.TEMPLATES = [{**settings.TEMPLATES[0], "DIRS": [tmp_path, *settings.TEMPLATES[0]["DIRS"]]}]


def _text(pdf: bytes) -> str:
    return " ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)


def test_typst_data_is_text_never_markup(tmp_path, settings):
    _typst_dirs(tmp_path, settings, {"data_is_text.typ": '#let data = json(bytes(sys.inputs.data))\nHello #data.name'})
    pdf = render_typst_pdf("typst/data_is_text.typ", {"name": '#read("../secret.txt") *bold*'})
    text = _text(pdf)
    assert '#read("../secret.txt") *bold*' in text
    assert "outside the template" not in text


def test_typst_reads_files_in_the_templates_folder_only(tmp_path, settings):
    _typst_dirs(tmp_path, settings, {
        "reads_inside.typ": '#read("inside.txt")', "inside.txt": "next to the template",
        "reads_outside.typ": '#read("../secret.txt")', "reads_absolute.typ": '#read("/etc/hostname")',
    })
    assert "next to the template" in _text(render_typst_pdf("typst/reads_inside.typ", {}))
    for name in ("typst/reads_outside.typ", "typst/reads_absolute.typ"):
        with pytest.raises(typst.TypstError):
            render_typst_pdf(name, {})


def test_typst_package_imports_are_refused_before_any_download(tmp_path, settings):
    _typst_dirs(tmp_path, settings, {"imports_package.typ": '#import "@preview/tablex:0.0.8": tablex\nHi'})
    with pytest.raises(RefusedTemplate):
        render_typst_pdf("typst/imports_package.typ", {})


def test_typst_templates_are_looked_up_like_django_templates():
    with pytest.raises(TemplateDoesNotExist):
        render_typst_pdf("pdf/../../manage.py", {})
    with pytest.raises(TemplateDoesNotExist):
        render_typst_pdf("pdf/no_such_template.typ", {})
