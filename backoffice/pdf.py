"""The one PDF renderer of the project: templates → PDF, with WeasyPrint or Typst.

Every PDF goes through this module: `render_pdf` (HTML templates, WeasyPrint: training
documents, invoices…) or `render_typst_pdf` (Typst templates: payslips, printed by the
thousand each month, where Typst lays a page out ~10× faster than WeasyPrint; see
bench/README.md). WeasyPrint's URL fetcher is restricted, so that a template — or a value a user typed that ends up in one —
can never make the renderer read a local file or reach the network:

- static files (`{% static 'css/pdf.css' %}`) are served from the project's static
  directories only (Django's staticfiles finders, with their path-traversal checks);
- `data:` URLs are allowed for images only (a logo inlined as base64);
- everything else (`file://`, `http(s)://`, `ftp://`, a data: stylesheet…) is refused:
  WeasyPrint logs the refusal and renders without the resource.

Templates refer to static files with the `static` tag; the renderer resolves them against
`STATIC_ORIGIN`, an address that is never contacted: the fetcher maps it to local files.

Typst templates (`templates/**/<name>.typ`) get their data as JSON in `sys.inputs.data`,
never spliced into markup, so a value a user typed is only ever text. Typst reads files only
under the compilation root, which is the template's own folder; a template that imports a
package (`@preview/…`, downloaded from the network) is refused before compiling; fonts are
Typst's bundled ones and the system's (DejaVu Sans, as the HTML documents).
"""

from __future__ import annotations

import functools
import json
import logging
import mimetypes
import re
import threading
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

from django.conf import settings
from django.contrib.staticfiles import finders
from django.core.exceptions import SuspiciousFileOperation
from django.template import TemplateDoesNotExist
from django.template.loader import render_to_string
from django.template.utils import get_app_template_dirs
from django.utils import translation
from weasyprint import HTML
from weasyprint.urls import URLFetcher, URLFetcherResponse

logger = logging.getLogger(__name__)
# WeasyPrint reports every rendering step at INFO: thousands of lines for a payslip batch.
logging.getLogger("weasyprint.progress").setLevel(logging.WARNING)

# A reserved name (RFC 2606 ".invalid"): relative and /static/ URLs are joined to it and the
# fetcher below answers them from disk; nothing is ever sent to this host.
STATIC_ORIGIN = "https://pdf-assets.mutualise.invalid"
_DATA_IMAGE = re.compile(r"^data:image/[a-z0-9.+-]+[;,]", re.IGNORECASE)


class RefusedURL(ValueError):
    """A template asked for a resource the PDF renderer does not serve."""


class RestrictedURLFetcher(URLFetcher):
    """Serve static files from the project's static directories and data: images; refuse the rest.

    `refused` lists the URLs turned down during a rendering (useful in tests and logs)."""

    def __init__(self) -> None:
        super().__init__(timeout=1, allow_redirects=False, fail_on_errors=False)
        self.refused: list[str] = []

    def fetch(self, url: str, headers=None) -> URLFetcherResponse:
        if _DATA_IMAGE.match(url):
            return super().fetch(url, headers)  # urllib's DataHandler: decodes in memory, no I/O
        path = self._static_path(url)
        if path is None:
            self.refused.append(url)
            logger.warning("PDF renderer refused to fetch %s", url[:200])
            raise RefusedURL(f"the PDF renderer does not fetch {url[:200]!r}")
        content_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        return URLFetcherResponse(url, path.read_bytes(), headers={"Content-Type": content_type})

    @staticmethod
    def _static_path(url: str) -> Path | None:
        """The file a static URL names, if it is one of the project's static files."""
        if not url.startswith(STATIC_ORIGIN + "/"):
            return None
        parts = urlsplit(url)
        static_prefix = "/" + settings.STATIC_URL.strip("/") + "/"
        if not parts.path.startswith(static_prefix):
            return None
        relative = unquote(parts.path[len(static_prefix):])
        if not relative or "\x00" in relative:
            return None
        try:
            found = finders.find(relative)
        except SuspiciousFileOperation:
            return None
        if not found or isinstance(found, list):
            return None
        path = Path(found)
        return path if path.is_file() else None


def _render(template_name: str, context: dict, base_url: str | None,
            language: str | None, pdf_variant: str | None = None) -> tuple[bytes, RestrictedURLFetcher]:
    fetcher = RestrictedURLFetcher()
    if language:
        with translation.override(language):
            html = render_to_string(template_name, context)
    else:
        html = render_to_string(template_name, context)
    base = base_url or urljoin(STATIC_ORIGIN, "/")
    options = {"pdf_variant": pdf_variant} if pdf_variant else {}
    return HTML(string=html, base_url=base, url_fetcher=fetcher).write_pdf(**options), fetcher


def render_pdf(template_name: str, context: dict, *, base_url: str | None = None,
               language: str | None = None, pdf_variant: str | None = None) -> bytes:
    """Render `template_name` with `context` to PDF bytes.

    `base_url` is where relative URLs of the template are joined (default: the static
    origin, so `{% static %}` paths resolve); whatever it is, only the restricted fetcher
    fetches. `language` renders the template in that language (e.g. "fr" for French legal
    documents), whatever the request's language. `pdf_variant` asks WeasyPrint for a PDF
    variant, e.g. "pdf/a-3b" for an invoice that embeds its Factur-X XML."""
    return _render(template_name, context, base_url, language, pdf_variant)[0]


def render_pdf_with_fetcher(template_name: str, context: dict, *, base_url: str | None = None,
                            language: str | None = None) -> tuple[bytes, RestrictedURLFetcher]:
    """Like `render_pdf`, also returning the fetcher (what it refused): for tests and diagnostics."""
    return _render(template_name, context, base_url, language)


# --- Typst --------------------------------------------------------------------------------

# A package import names "@namespace/name:version": Typst would download it.
_PACKAGE_IMPORT = re.compile(r"""["']@[A-Za-z0-9_-]+/""")
_typst_local = threading.local()


class RefusedTemplate(ValueError):
    """A Typst template asks for something the renderer does not allow (a package download)."""


def _template_dirs() -> list[Path]:
    dirs = [Path(d) for engine in settings.TEMPLATES for d in engine.get("DIRS", [])]
    return dirs + [Path(d) for d in get_app_template_dirs("templates")]


@functools.lru_cache(maxsize=32)
def typst_template_path(template_name: str) -> Path:
    """The file of a Typst template, looked up like Django templates (project, then apps)."""
    for directory in _template_dirs():
        root = directory.resolve()
        candidate = (root / template_name).resolve()
        if candidate.is_relative_to(root) and candidate.is_file() and candidate.suffix == ".typ":
            source = candidate.read_text(encoding="utf-8")
            if _PACKAGE_IMPORT.search(source):
                raise RefusedTemplate(f"{template_name} imports a package: the PDF renderer does not download")
            return candidate
    raise TemplateDoesNotExist(template_name)


@functools.cache
def _typst_fonts():
    import typst

    return typst.Fonts(include_system_fonts=True, include_embedded_fonts=True)


def _typst_compiler(path: Path):
    """One compiler per template and thread, reused: Typst then keeps the template parsed and
    its fonts loaded between documents (a batch of payslips costs a few ms a page)."""
    import typst

    compilers = getattr(_typst_local, "compilers", None)
    if compilers is None:
        compilers = _typst_local.compilers = {}
    if path not in compilers:
        compilers[path] = typst.Compiler(path, root=path.parent, font_paths=_typst_fonts())
    return compilers[path]


def render_typst_pdf(template_name: str, data: dict) -> bytes:
    """Render the Typst template `template_name` (e.g. "pdf/payslip.typ") to PDF bytes, with
    `data` (JSON-serialisable) available to it as `json(bytes(sys.inputs.data))`."""
    path = typst_template_path(template_name)
    payload = json.dumps(data, ensure_ascii=False, default=str)
    return _typst_compiler(path).compile(format="pdf", sys_inputs={"data": payload})


NBSP = "\u00a0"


def fr_number(value, places: int = 2) -> str:
    """A Decimal written the French way for a printed document: "1 234,56" (no-break space
    between thousands, comma before decimals), rounded half up. Empty for None."""
    if value is None or value == "":
        return ""
    if isinstance(value, float):
        raise TypeError("amounts are Decimal, never float")
    amount = value if isinstance(value, Decimal) else Decimal(str(value))
    amount = amount.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
    if amount == 0:
        amount = abs(amount)
    sign = "-" if amount < 0 else ""
    whole, _, decimals = f"{abs(amount):f}".partition(".")
    groups = []
    while len(whole) > 3:
        groups.insert(0, whole[-3:])
        whole = whole[:-3]
    groups.insert(0, whole)
    text = NBSP.join(groups)
    return f"{sign}{text},{decimals}" if places else f"{sign}{text}"
